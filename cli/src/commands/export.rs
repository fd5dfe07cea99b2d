//! `atlas-events export`: every event of the range, newest first as Atlas lists them, as JSONL
//! exactly as Atlas sent each event (or as the table), to stdout or to a file that appears whole
//! or not at all. Streams page by page: memory stays flat however many events there are. With
//! `--all-projects`, the organization's events and its projects' through the follow of an
//! organization bounded by `--until`: each scope's oldest first, scopes interleaved.

use std::future::Future;

use time::OffsetDateTime;

use crate::args::ExportArgs;
use crate::commands::all_projects::copy_organization;
use crate::commands::{CopyStop, copy_events};
use crate::exit_code::Failure;
use crate::output::{EventWriter, Sink};
use crate::progress::Progress;
use crate::scope::Scope;
use crate::signals::StopSignals;

/// Events per page: the API's maximum, so a large export takes the fewest requests.
const PAGE: i64 = 500;

/// Runs `export`.
pub async fn run(args: ExportArgs) -> Result<(), Failure> {
    let all_projects = args.all_projects.all_projects;
    let (connection, mut query) = args.events.resolve(all_projects)?;
    // One end for the list and the count behind the progress bar (the list would pin it to
    // its start anyway, so that events created meanwhile cannot shift its pages), or for the
    // follow of an organization and its projects, which reads from --since (default: every
    // event Atlas still has) up to it and then ends.
    let now = OffsetDateTime::now_utc();
    query.until = Some(query.until.unwrap_or(now));
    if all_projects {
        // What exists now: a follow would wait for a later --until to pass.
        query.until = query.until.map(|until| until.min(now));
        query.since = Some(query.since.unwrap_or(OffsetDateTime::UNIX_EPOCH));
    }
    let mut signals = StopSignals::install()
        .map_err(|error| Failure::io("cannot listen to SIGINT/SIGTERM", error))?;
    let sink = match &args.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    let name = sink.name();
    let unfinished = match &args.output {
        Some(path) => format!("{} was not written", path.display()),
        None => "stdout has only part of the events".to_owned(),
    };
    let mut writer = EventWriter::new(sink, args.format)
        .map_err(|error| Failure::io(format!("cannot write to {name}"), error))?;
    let progress = if all_projects {
        Progress::scopes_on_terminal()
    } else {
        Progress::on_terminal()
    };
    // Atlas's count is an estimate of what is exported only when Atlas does all the filtering.
    let estimate = progress.is_shown() && query.filtered_by_atlas();
    let client = &connection.client;
    let copy = async {
        match &query.scope {
            Scope::Org(id) if all_projects => {
                let follow = query
                    .organization(client, id)
                    .shard(args.all_projects.shard().shard());
                copy_organization(follow, &mut writer, &progress).await
            }
            Scope::Org(id) => {
                if estimate {
                    let count = query.org(client, id).items_per_page(1).include_count(true);
                    show_estimate(&progress, async move {
                        count.send().await.ok()?.into_body().total_count
                    });
                }
                let stream = query
                    .org(client, id)
                    .items_per_page(PAGE)
                    .stream_with_json();
                copy_events(stream, &mut writer, None, || progress.inc()).await
            }
            Scope::Project(id) => {
                if estimate {
                    let count = query
                        .project(client, id)
                        .items_per_page(1)
                        .include_count(true);
                    show_estimate(&progress, async move {
                        count.send().await.ok()?.into_body().total_count
                    });
                }
                let stream = query
                    .project(client, id)
                    .items_per_page(PAGE)
                    .stream_with_json();
                copy_events(stream, &mut writer, None, || progress.inc()).await
            }
        }
    };
    let copied = tokio::select! {
        copied = copy => copied,
        signal = signals.recv() => {
            progress.finish();
            // Dropping the writer removes the temporary file: the target is left as it was.
            drop(writer);
            return Err(Failure::Interrupted { signal, unfinished });
        }
    };
    progress.finish();
    let sink = writer.into_inner();
    match copied {
        Ok(_) => sink.finish(),
        Err(CopyStop::Write(error)) => Err(sink.failure(error)),
        Err(CopyStop::Atlas(error)) => Err(after_atlas_error(sink, connection.failure(error))),
        Err(CopyStop::Scope(error)) => {
            Err(after_atlas_error(sink, connection.scope_failure(error)))
        }
    }
}

/// What was exported before an error of Atlas has reached stdout (flushed); a file is dropped.
fn after_atlas_error(sink: Sink, failure: Failure) -> Failure {
    if let Sink::Stdout(_) = sink {
        let _ = sink.finish();
    }
    failure
}

/// Asks Atlas for its `totalCount` estimate beside the export (one more request, made only
/// when the bar is shown) and puts it on the bar when it comes.
fn show_estimate(progress: &Progress, count: impl Future<Output = Option<i32>> + Send + 'static) {
    let progress = progress.clone();
    tokio::spawn(async move {
        if let Some(total) = count.await.and_then(|total| u64::try_from(total).ok()) {
            progress.set_estimate(total);
        }
    });
}
