//! `atlas-events tail`: follows the events as they happen, oldest first, each once, polling
//! every `--interval`; with `--checkpoint FILE`, goes on where the last run stopped.
//!
//! Exactly once across a stop by SIGINT/SIGTERM: the stream's checkpoint covers exactly the
//! events it yielded, every yielded event is written before the next is asked for, and on a
//! signal the output is flushed and then the checkpoint saved. At least once across a crash or
//! SIGKILL: the checkpoint is saved after each batch (once stdout is flushed), so what was
//! printed after the last save is printed again by the next run.

use std::io::{self, BufWriter, Stdout, Write};
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use mongodb_atlas_events::{Checkpoint, Error, WithJson};
use tokio::time::MissedTickBehavior;

use crate::args::TailArgs;
use crate::checkpoint_file::{self, Followed};
use crate::commands::all_projects;
use crate::connect::Connection;
use crate::exit_code::{Failure, is_transient};
use crate::for_people::escape;
use crate::output::EventWriter;
use crate::scope::Scope;
use crate::signals::StopSignals;
use crate::table::EventRow;

/// Events per page of each poll's window: the API's maximum, fewest requests when catching up.
const PAGE: i64 = 500;

/// Runs `tail`.
pub async fn run(args: TailArgs) -> Result<(), Failure> {
    let (connection, query) = args.events.resolve(args.all_projects.all_projects)?;
    // Before the first request: from now on a signal stops the loop instead of the process.
    let mut signals = StopSignals::install()
        .map_err(|error| Failure::io("cannot listen to SIGINT/SIGTERM", error))?;
    if args.all_projects.all_projects {
        return all_projects::tail(&args, &connection, &query, &mut signals).await;
    }
    let followed = Followed::one(query.scope.clone());
    let resumed = match &args.checkpoint {
        Some(path) => checkpoint_file::load::<Checkpoint>(path, &followed)?.map(|l| l.checkpoint),
        None => None,
    };
    if let (Some(_), Some(path)) = (&resumed, &args.checkpoint)
        && args.events.since.is_some()
    {
        eprintln!(
            "note: going on from the checkpoint {}; --since is not used",
            path.display()
        );
    }
    let mut tail = Tail {
        connection: &connection,
        followed,
        checkpoint_path: args.checkpoint.clone(),
        saved: resumed.clone(),
        interval: args.interval,
        writer: EventWriter::new(BufWriter::new(io::stdout()), args.format)
            .map_err(stdout_failure)?,
    };
    let client = &connection.client;
    match &query.scope {
        Scope::Org(id) => {
            let mut follow = query.org(client, id).items_per_page(PAGE).follow();
            if let Some(checkpoint) = resumed {
                follow = follow.from_checkpoint(checkpoint);
            }
            let follow = follow.poll_interval(args.interval).with_json();
            tail.follow(
                follow,
                |f| f.checkpoint(),
                |f| f.buffered_events(),
                &mut signals,
            )
            .await
        }
        Scope::Project(id) => {
            let mut follow = query.project(client, id).items_per_page(PAGE).follow();
            if let Some(checkpoint) = resumed {
                follow = follow.from_checkpoint(checkpoint);
            }
            let follow = follow.poll_interval(args.interval).with_json();
            tail.follow(
                follow,
                |f| f.checkpoint(),
                |f| f.buffered_events(),
                &mut signals,
            )
            .await
        }
    }
}

/// The failure of writing events to stdout.
fn stdout_failure(error: io::Error) -> Failure {
    Failure::io("cannot write to stdout", error)
}

/// A running tail: where it writes and where it saves.
struct Tail<'a> {
    connection: &'a Connection,
    followed: Followed,
    checkpoint_path: Option<PathBuf>,
    /// The checkpoint in the file (to save only what changed).
    saved: Option<Checkpoint>,
    interval: Duration,
    writer: EventWriter<BufWriter<Stdout>>,
}

impl Tail<'_> {
    /// Prints the events of `follow` until `--until` is passed, a signal arrives or a poll
    /// fails for good. `checkpoint_of` and `buffered_of` read the follow stream's checkpoint and
    /// how many events of its batch are still to come.
    async fn follow<S, E>(
        &mut self,
        mut follow: S,
        checkpoint_of: impl Fn(&S) -> &Checkpoint,
        buffered_of: impl Fn(&S) -> usize,
        signals: &mut StopSignals,
    ) -> Result<(), Failure>
    where
        S: Stream<Item = Result<WithJson<E>, Error>> + Unpin,
        E: EventRow,
    {
        // While nothing comes, a poll that found nothing still moves the checkpoint on: saved at
        // this pace, a restart does not read again what was already read.
        let mut idle = tokio::time::interval(self.interval);
        idle.set_missed_tick_behavior(MissedTickBehavior::Delay);
        idle.tick().await;
        loop {
            tokio::select! {
                biased;
                _ = signals.recv() => break,
                item = follow.next() => match item {
                    Some(Ok(event)) => {
                        self.writer.write(&event).map_err(stdout_failure)?;
                        if buffered_of(&follow) == 0 {
                            self.flush_and_save(checkpoint_of(&follow))?;
                        }
                    }
                    Some(Err(error)) if is_transient(&error) => {
                        eprintln!(
                            "atlas-events: {} (polling again in {} s)",
                            escape(&error.to_string()),
                            error
                                .retry_after()
                                .map_or(self.interval, |wait| wait.max(self.interval))
                                .as_secs()
                        );
                    }
                    Some(Err(error)) => {
                        self.flush_and_save(checkpoint_of(&follow))?;
                        return Err(self.connection.failure(error));
                    }
                    // Past --until.
                    None => break,
                },
                _ = idle.tick() => self.flush_and_save(checkpoint_of(&follow))?,
            }
        }
        self.flush_and_save(checkpoint_of(&follow))
    }

    /// Flushes stdout, then saves the checkpoint when it moved: a saved checkpoint never covers
    /// an event that did not reach stdout.
    fn flush_and_save(&mut self, checkpoint: &Checkpoint) -> Result<(), Failure> {
        self.writer.get_mut().flush().map_err(stdout_failure)?;
        let Some(path) = &self.checkpoint_path else {
            return Ok(());
        };
        if self.saved.as_ref() == Some(checkpoint) {
            return Ok(());
        }
        checkpoint_file::save(path, &self.followed, checkpoint)?;
        self.saved = Some(checkpoint.clone());
        Ok(())
    }
}
