//! The subcommands that read Atlas events (`list`, `export`, `tail`) and list event types
//! (`types`). Each returns `Ok` or the [`Failure`](crate::exit_code::Failure) that sets the exit
//! code.

mod all_projects;
pub mod export;
pub mod list;
pub mod tail;
pub mod types;

use std::io;

/// Whether a write failed because the reader of stdout went away (`| head`).
fn is_broken_pipe(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::BrokenPipe
}

use std::io::Write;

use futures_util::{Stream, StreamExt};
use mongodb_atlas_events::{Error, OrgError, WithJson};

use crate::output::EventWriter;
use crate::table::EventRow;

/// Why copying events stopped early.
enum CopyStop {
    /// The client's error (after its retries).
    Atlas(Error),
    /// The error of one scope of an organization's follow (`--all-projects`).
    Scope(OrgError),
    /// Writing failed.
    Write(io::Error),
}

/// Writes the events of `stream` one by one as they arrive (never holding more than the page
/// being read), at most `limit` of them; `written` is called after each. Returns how many were
/// written.
async fn copy_events<E: EventRow>(
    stream: impl Stream<Item = Result<WithJson<E>, Error>>,
    writer: &mut EventWriter<impl Write>,
    limit: Option<u64>,
    mut written: impl FnMut(),
) -> Result<u64, CopyStop> {
    let mut stream = std::pin::pin!(stream);
    let mut count = 0u64;
    while limit.is_none_or(|limit| count < limit) {
        let Some(item) = stream.next().await else {
            break;
        };
        let event = item.map_err(CopyStop::Atlas)?;
        writer.write(&event).map_err(CopyStop::Write)?;
        count += 1;
        written();
    }
    Ok(count)
}
