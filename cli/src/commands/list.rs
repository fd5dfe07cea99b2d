//! `atlas-events list`: events newest first, as Atlas lists them, as a table or JSONL.

use crate::args::{Format, ListArgs};
use crate::commands::{CopyStop, copy_events, is_broken_pipe};
use crate::exit_code::Failure;
use crate::output::{EventWriter, Sink};
use crate::scope::Scope;

/// Page size: the API's maximum, or the limit when smaller.
const MAX_PAGE: u64 = 500;

/// Runs `list`.
pub async fn run(args: ListArgs) -> Result<(), Failure> {
    let (connection, query) = args.events.resolve(false)?;
    let format = if args.json {
        Format::Jsonl
    } else {
        Format::Table
    };
    let page = args
        .limit
        .map_or(MAX_PAGE, |limit| limit.clamp(1, MAX_PAGE)) as i64;
    let sink = Sink::stdout();
    let mut writer = match EventWriter::new(sink, format) {
        Ok(writer) => writer,
        Err(error) if is_broken_pipe(&error) => return Ok(()),
        Err(error) => return Err(Failure::io("cannot write to stdout", error)),
    };
    let client = &connection.client;
    let copied = match &query.scope {
        Scope::Org(id) => {
            let stream = query
                .org(client, id)
                .items_per_page(page)
                .stream_with_json();
            copy_events(stream, &mut writer, args.limit, || {}).await
        }
        Scope::Project(id) => {
            let stream = query
                .project(client, id)
                .items_per_page(page)
                .stream_with_json();
            copy_events(stream, &mut writer, args.limit, || {}).await
        }
    };
    let sink = writer.into_inner();
    match copied {
        Ok(_) => match sink.finish() {
            Err(Failure::Io { source, .. }) if is_broken_pipe(&source) => Ok(()),
            other => other,
        },
        // The reader of a list is done reading (`| head`): not a failure.
        Err(CopyStop::Write(error)) if is_broken_pipe(&error) => Ok(()),
        Err(CopyStop::Write(error)) => Err(Failure::io("cannot write to stdout", error)),
        Err(CopyStop::Atlas(error)) => {
            // What was listed before the error is shown.
            let _ = sink.finish();
            Err(connection.failure(error))
        }
        // `list` reads one scope, never an organization's follow.
        Err(CopyStop::Scope(error)) => Err(connection.scope_failure(error)),
    }
}
