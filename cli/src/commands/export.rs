//! `atlas-events export`: every event of the range, newest first as Atlas lists them, as JSONL
//! exactly as Atlas sent each event (or as the table), to stdout or to a file that appears whole
//! or not at all. Streams page by page: memory stays flat however many events there are.

use std::future::Future;

use time::OffsetDateTime;

use crate::args::ExportArgs;
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
    let (connection, mut query) = args.events.resolve()?;
    // One end for the list and the count behind the progress bar (the list would pin it to
    // its start anyway, so that events created meanwhile cannot shift its pages).
    query.until = Some(query.until.unwrap_or_else(OffsetDateTime::now_utc));
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
    let progress = Progress::on_terminal();
    // Atlas's count is an estimate of what is exported only when Atlas does all the filtering.
    let estimate = progress.is_shown() && query.filtered_by_atlas();
    let client = &connection.client;
    let copy = async {
        match &query.scope {
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
        Err(CopyStop::Atlas(error)) => {
            if let Sink::Stdout(_) = sink {
                // What was exported before the error has reached stdout; a file is dropped.
                let _ = sink.finish();
            }
            Err(connection.failure(error))
        }
    }
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
