//! `atlas-events`: the project's command line. For now one subcommand, `conformance`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use atlas_events::conformance::{self, DocumentKind};
use clap::{Parser, Subcommand};

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
    match cli.command {
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
            ExitCode::from(report.exit_code())
        }
    }
}
