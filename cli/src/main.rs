//! `atlas-events`: the project's command line: list, export and follow Atlas events, list
//! event types, and conformance reports of recorded answers.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use atlas_events::args::{ExportArgs, ListArgs, TailArgs, TypesArgs};
use atlas_events::commands;
use atlas_events::conformance::{self, DocumentKind};
use atlas_events::exit_code::{self, EXIT_STATUS_HELP, Failure};
use clap::{Parser, Subcommand};

/// What every event command's `--help` ends with: credentials, then the exit status table.
const EVENTS_HELP: &str = "Credentials come from the environment, as the Atlas CLI, the MongoDB \
CLI and the Terraform provider set them: MONGODB_ATLAS_ACCESS_TOKEN, or MONGODB_ATLAS_CLIENT_ID \
and MONGODB_ATLAS_CLIENT_SECRET (service account), or MONGODB_ATLAS_PUBLIC_API_KEY and \
MONGODB_ATLAS_PRIVATE_API_KEY (API key; also MONGODB_ATLAS_PUBLIC_KEY/PRIVATE_KEY, \
MCLI_PUBLIC_API_KEY/PRIVATE_API_KEY); MONGODB_ATLAS_BASE_URL for another base URL; \
MONGODB_ATLAS_ORG_ID and MONGODB_ATLAS_PROJECT_ID for the default --org/--project.";

#[derive(Parser)]
#[command(
    name = "atlas-events",
    version,
    about = "MongoDB Atlas Events from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List events, newest first as Atlas lists them, as a table (or JSONL with --json).
    #[command(after_help = format!("{EVENTS_HELP}\n\n{EXIT_STATUS_HELP}"))]
    List(ListArgs),
    /// Export events as JSONL, each exactly as Atlas sent it, newest first, to stdout or a file.
    ///
    /// With --output FILE the events are written to a temporary file beside FILE, which is
    /// renamed to FILE once every event is written: a failed or interrupted export leaves FILE
    /// as it was. A progress bar shows on stderr when stderr is a terminal.
    ///
    /// With --org ID --all-projects, the organization's own events and those of every project in
    /// it (or of one --shard of them), from --since (default: every event Atlas keeps) up to
    /// --until (default: now): each organization's or project's events oldest first, the
    /// projects interleaved. Notices (projects followed or dropped) go to stderr; an error of
    /// any of them after the client's retries ends the export, a rate limit only slows it.
    #[command(after_help = format!("{EVENTS_HELP}\n\n{EXIT_STATUS_HELP}"))]
    Export(ExportArgs),
    /// Follow events as they happen, oldest first, each once, polling every --interval.
    ///
    /// Starts at --since (default: now), or where the --checkpoint FILE says the last run
    /// stopped. The checkpoint is saved after each batch (stdout flushed first) and when
    /// SIGINT or SIGTERM stops tail, so a stopped tail resumed from its checkpoint prints every
    /// event exactly once; after a crash or SIGKILL the events printed since the last save are
    /// printed again (at least once). A checkpoint of another organization or project is
    /// refused. Poll errors that may pass (429, 5xx, network) are reported on stderr and the
    /// poll is tried again; others end tail. --until ends tail once it has read up to it.
    ///
    /// With --org ID --all-projects, also every project of the organization (or of one --shard
    /// of them): each organization's or project's events oldest first, interleaved; the
    /// checkpoint holds each one's place and the shard, and is also saved every few seconds
    /// while events stream. Notices (projects followed, found, dropped) and the errors of one
    /// project go to stderr and the others go on; a rate limit only slows the project it hit;
    /// an error of the organization itself that may not pass ends tail. On a terminal, stderr
    /// shows how many of them have caught up and the events so far.
    #[command(after_help = format!("{EVENTS_HELP}\n\n{EXIT_STATUS_HELP}"))]
    Tail(TailArgs),
    /// List the event types this program knows, with their category slug, the form --type
    /// takes (no request is sent).
    Types(TypesArgs),
    /// Report, as Markdown on stdout, where recorded Atlas answers disagree with the spec.
    ///
    /// Each FILE is one JSON document (a page, an event, an error body...) or JSONL (one
    /// document per line); a top-level array is read as its elements. Disagreements are grouped
    /// by the spec schema, field and kind that declare them, with a count and the first
    /// occurrence as FILE:LINE and the JSON pointer inside the document at that line. Fields no
    /// schema lists are listed apart: they are not disagreements. Errors (FILE:LINE: message)
    /// go to stderr and the other documents are still read.
    #[command(after_help = "Exit status:\n  \
        0  no disagreement (fields no schema lists do not count)\n  \
        1  at least one disagreement\n  \
        2  an error: unreadable file, a document that is not JSON or not an object, bad \
        arguments (wins over 1)")]
    Conformance {
        /// What the documents are answers of.
        #[arg(long = "as", value_name = "KIND", value_enum, default_value_t = DocumentKind::Project)]
        kind: DocumentKind,
        /// Recorded answers: JSON or JSONL files.
        #[arg(value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    // clap exits with status 2 on bad arguments, the same status as other errors.
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::List(args) => run_async(commands::list::run(args)),
        Command::Export(args) => run_async(commands::export::run(args)),
        Command::Tail(args) => run_async(commands::tail::run(args)),
        Command::Types(args) => commands::types::run(&args),
        Command::Conformance { kind, files } => {
            let report = conformance::run(kind, &files);
            let mut stderr = std::io::stderr().lock();
            for error in report.errors() {
                let _ = writeln!(stderr, "{error}");
            }
            let mut stdout = std::io::stdout().lock();
            if let Err(error) = stdout
                .write_all(report.to_markdown().as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not a failure to report.
                if error.kind() != std::io::ErrorKind::BrokenPipe {
                    let _ = writeln!(stderr, "cannot write the report: {error}");
                }
                return ExitCode::from(conformance::EXIT_ERROR);
            }
            return ExitCode::from(report.exit_code());
        }
    };
    match outcome {
        Ok(()) => ExitCode::from(exit_code::OK),
        Err(failure) => {
            eprintln!("atlas-events: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs an event command on a multi-threaded tokio runtime (the client's requests, timers and
/// signals).
fn run_async(command: impl Future<Output = Result<(), Failure>>) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::io("cannot start the async runtime", error))?;
    runtime.block_on(command)
}
