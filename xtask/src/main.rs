//! `cargo xtask`: regenerate the `mongodb-atlas-events` crate from the vendored Atlas spec, or
//! check that the checked-in crate is what regen would write.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use xtask::{Layout, generate, repository_root};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generator of the mongodb-atlas-events crate"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate spec/events-subset.json and generated/ from the spec (offline, deterministic).
    /// Nothing is written when anything fails.
    Regen {
        /// The full Atlas OpenAPI spec to read.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// Print the time of each phase.
        #[arg(long)]
        timings: bool,
    },
    /// Exit non-zero, listing stale files with a short diff, when generated/ or the subset
    /// document differ from what regen would write.
    Check {
        /// The full Atlas OpenAPI spec to read.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let root = repository_root();
    match cli.command {
        Command::Regen { spec, timings } => {
            let started = Instant::now();
            let layout = Layout::repository(&root, spec);
            let generation = generate(&layout)?;
            print_warnings(&generation.warnings);
            let written = std::time::Instant::now();
            let drift = generation.output.write(&root)?;
            if timings {
                for (phase, time) in &generation.timings.phases {
                    eprintln!("{phase:>8}: {time:?}");
                }
                eprintln!("{:>8}: {:?}", "write", written.elapsed());
                eprintln!("{:>8}: {:?}", "total", started.elapsed());
            }
            let changed = drift.changed.len() + drift.missing.len();
            eprintln!(
                "regen: {} files, {changed} written, {} stale removed",
                generation.output.files.len(),
                drift.stale.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { spec } => {
            let layout = Layout::repository(&root, spec);
            let generation = generate(&layout)?;
            let drift = generation.output.drift(&root)?;
            if drift.is_empty() {
                eprintln!("check: {} files up to date", generation.output.files.len());
                return Ok(ExitCode::SUCCESS);
            }
            for (path, diff) in &drift.changed {
                eprintln!("stale: {}\n{diff}\n", path.display());
            }
            for path in &drift.missing {
                eprintln!("missing: {}", path.display());
            }
            for path in &drift.stale {
                eprintln!("no longer generated: {}", path.display());
            }
            eprintln!("check: generated files are out of date; run `cargo xtask regen`");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_warnings(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}
