//! `tail --all-projects` and `export --all-projects`: an organization's own events and every
//! project's, read with the crate's follow of an organization (`Client::follow_organization`),
//! each line an event exactly as Atlas sent it (its `groupId` or `orgId` says where it came
//! from), each scope's events oldest first, scopes interleaved. Notices (projects followed,
//! found, dropped) and the errors of single scopes go to stderr, their control characters
//! escaped; on a terminal, how far the catch-up has come shows there too.
//!
//! `tail`: exactly once across a stop by SIGINT/SIGTERM (every yielded event is written before
//! the next is asked for; on a signal stdout is flushed, then the checkpoint of exactly what was
//! yielded saved), at least once across a crash or SIGKILL (saved, once stdout is flushed, after
//! each batch and at least every [`SAVE_EVERY`] while events stream). An error of a project is
//! reported and that project read again after the interval; an error of the organization itself
//! (its events, or listing its projects) that is not transient ends `tail`, as for one scope.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use mongodb_atlas_events::{Notice, OrgCheckpoint, OrgError, OrgItem, OrganizationFollow};
use tokio::time::MissedTickBehavior;

use crate::args::TailArgs;
use crate::checkpoint_file::{self, Followed};
use crate::commands::CopyStop;
use crate::connect::Connection;
use crate::exit_code::{Failure, is_transient};
use crate::for_people::escape;
use crate::output::EventWriter;
use crate::progress::Progress;
use crate::query::EventQuery;
use crate::signals::StopSignals;

/// While events stream, the checkpoint is saved at least this often (and after each batch).
const SAVE_EVERY: Duration = Duration::from_secs(3);
/// How often the progress is refreshed, and whether a save is due looked at, when nothing comes.
const TICK: Duration = Duration::from_secs(1);

/// A notice, as a line for people.
fn notice_line(notice: &Notice) -> String {
    format!("note: {}", escape(&notice.to_string()))
}

/// Copies every event of a bounded follow to `writer` (`export --all-projects`), notices to
/// stderr; stops at the first error of any scope, since the export would miss its events.
/// Returns how many events were written.
pub(crate) async fn copy_organization(
    mut follow: OrganizationFollow,
    writer: &mut EventWriter<impl Write>,
    progress: &Progress,
) -> Result<u64, CopyStop> {
    let mut written = 0u64;
    while let Some(item) = follow.next().await {
        match item {
            Ok(OrgItem::Organization(event)) => writer.write(&event).map_err(CopyStop::Write)?,
            Ok(OrgItem::Project { event, .. }) => writer.write(&event).map_err(CopyStop::Write)?,
            Ok(OrgItem::Notice(notice)) => {
                progress.note(&notice_line(&notice));
                continue;
            }
            // An item kind newer than this program: nothing to write.
            Ok(_) => continue,
            Err(error) => return Err(CopyStop::Scope(error)),
        }
        written += 1;
        let now = follow.progress();
        progress.set_scopes(now.caught_up, now.scopes, now.events);
    }
    Ok(written)
}

/// Runs `tail --all-projects` (`query` is of the organization, with `--all-projects`).
pub(crate) async fn tail(
    args: &TailArgs,
    connection: &Connection,
    query: &EventQuery,
    signals: &mut StopSignals,
) -> Result<(), Failure> {
    let org = query.scope.id();
    let shard = args.all_projects.shard();
    let followed = Followed::all_projects(org, shard);
    let resumed = match &args.checkpoint {
        Some(path) => checkpoint_file::load::<OrgCheckpoint>(path, &followed)?,
        None => None,
    };
    let mut follow = query
        .organization(&connection.client, org)
        .shard(shard.shard())
        .poll_interval(args.interval);
    let mut saved = None;
    if let (Some(loaded), Some(path)) = (resumed, &args.checkpoint) {
        if args.events.since.is_some() {
            eprintln!(
                "note: going on from the checkpoint {}; --since is not used",
                path.display()
            );
        }
        match loaded.shard {
            Some(before) if before != shard => {
                let start = loaded
                    .checkpoint
                    .start()
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                eprintln!(
                    "note: the checkpoint {} was saved by shard {before}; now shard {shard}: \
                     the projects that moved into this shard are read from the stream's start \
                     ({start}), so their events that another shard printed since then are \
                     printed again",
                    path.display()
                );
            }
            // Unchanged: saved again only once it moves.
            _ => saved = Some(loaded.checkpoint.clone()),
        }
        follow = follow.from_checkpoint(loaded.checkpoint);
    }
    let mut tail = OrgTail {
        connection,
        followed,
        checkpoint_path: args.checkpoint.clone(),
        saved,
        last_save: Instant::now(),
        interval: args.interval,
        writer: EventWriter::new(BufWriter::new(io::stdout()), args.format)
            .map_err(stdout_failure)?,
        progress: CatchUp::on_terminal(),
    };
    let outcome = tail.follow(follow, signals).await;
    tail.progress.bar.finish();
    outcome
}

/// The failure of writing events to stdout.
fn stdout_failure(error: io::Error) -> Failure {
    Failure::io("cannot write to stdout", error)
}

/// The progress of `tail`'s catch-up: shown until every scope has caught up once, after the
/// first listing of the projects.
struct CatchUp {
    bar: Progress,
    listed: bool,
    done: bool,
}

impl CatchUp {
    fn on_terminal() -> CatchUp {
        let bar = Progress::scopes_on_terminal();
        let done = !bar.is_shown();
        CatchUp {
            bar,
            listed: false,
            done,
        }
    }

    fn notice(&mut self, notice: &Notice) {
        if let Notice::Projects { .. } = notice {
            self.listed = true;
        }
        self.bar.note(&notice_line(notice));
    }

    fn update(&mut self, follow: &OrganizationFollow) {
        if self.done {
            return;
        }
        let now = follow.progress();
        self.bar.set_scopes(now.caught_up, now.scopes, now.events);
        if self.listed && now.caught_up == now.scopes {
            self.bar.finish();
            self.done = true;
        }
    }
}

/// A running `tail --all-projects`: where it writes and where it saves.
struct OrgTail<'a> {
    connection: &'a Connection,
    followed: Followed,
    checkpoint_path: Option<PathBuf>,
    /// The checkpoint in the file (to save only what changed).
    saved: Option<OrgCheckpoint>,
    last_save: Instant,
    interval: Duration,
    writer: EventWriter<BufWriter<Stdout>>,
    progress: CatchUp,
}

impl OrgTail<'_> {
    /// Prints the events of `follow` until `--until` is passed, a signal arrives or the
    /// organization's scope fails for good.
    async fn follow(
        &mut self,
        mut follow: OrganizationFollow,
        signals: &mut StopSignals,
    ) -> Result<(), Failure> {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tokio::select! {
                biased;
                _ = signals.recv() => break,
                item = follow.next() => match item {
                    Some(Ok(item)) => {
                        match item {
                            OrgItem::Organization(event) => {
                                self.writer.write(&event).map_err(stdout_failure)?;
                            }
                            OrgItem::Project { event, .. } => {
                                self.writer.write(&event).map_err(stdout_failure)?;
                            }
                            OrgItem::Notice(notice) => self.progress.notice(&notice),
                            // An item kind newer than this program: nothing to write.
                            _ => {}
                        }
                        self.progress.update(&follow);
                        let batch_done = follow.buffered_events() == 0;
                        if batch_done || self.last_save.elapsed() >= SAVE_EVERY {
                            self.flush_and_save(&follow)?;
                        }
                    }
                    Some(Err(error)) if ends_tail(&error) => {
                        self.flush_and_save(&follow)?;
                        return Err(self.connection.scope_failure(error));
                    }
                    Some(Err(error)) => {
                        let wait = error
                            .error
                            .retry_after()
                            .map_or(self.interval, |wait| wait.max(self.interval));
                        self.progress.bar.note(&format!(
                            "atlas-events: {} (reading it again in {} s)",
                            escape(&error.to_string()),
                            wait.as_secs()
                        ));
                    }
                    // Every scope has read up to --until.
                    None => break,
                },
                _ = tick.tick() => {
                    self.progress.update(&follow);
                    if self.last_save.elapsed() >= SAVE_EVERY {
                        self.flush_and_save(&follow)?;
                    }
                }
            }
        }
        self.flush_and_save(&follow)
    }

    /// Flushes stdout, then saves the checkpoint when it moved: a saved checkpoint never covers
    /// an event that did not reach stdout.
    fn flush_and_save(&mut self, follow: &OrganizationFollow) -> Result<(), Failure> {
        self.last_save = Instant::now();
        self.writer.get_mut().flush().map_err(stdout_failure)?;
        let Some(path) = &self.checkpoint_path else {
            return Ok(());
        };
        let checkpoint = follow.checkpoint();
        if self.saved.as_ref() == Some(&checkpoint) {
            return Ok(());
        }
        checkpoint_file::save(path, &self.followed, &checkpoint)?;
        self.saved = Some(checkpoint);
        Ok(())
    }
}

/// Whether an error ends `tail --all-projects`: one of the organization itself (its events, or
/// listing its projects: every project depends on it) that no retry mends. Errors of a project
/// are that project's; the follow reads it again after the interval.
fn ends_tail(error: &OrgError) -> bool {
    matches!(error.scope, mongodb_atlas_events::Scope::Organization(_))
        && !is_transient(&error.error)
}
