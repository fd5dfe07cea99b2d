//! `cargo xtask`: regenerate the `mongodb-atlas-events` crate from the vendored Atlas spec, or
//! check that the checked-in crate is what regen would write.

use std::path::{Path, PathBuf};
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
    /// Nothing is written when anything fails. When the API changes, prints to stdout the same
    /// report as `changelog`, against the subset document regen wrote last time.
    Regen {
        /// The full Atlas OpenAPI spec to read.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// The generator configuration to read instead of spec/generator.toml (a fixture's,
        /// say). Needs --out: another configuration's crate never replaces generated/.
        #[arg(long, value_name = "FILE", requires = "out")]
        config: Option<PathBuf>,
        /// Print the time of each phase.
        #[arg(long)]
        timings: bool,
        /// Write under DIR (DIR/generated/, DIR/spec/events-subset.json) instead of the
        /// repository, and compare with the subset document there: to compare runs.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Exit non-zero, listing stale files with a short diff, when generated/ or the subset
    /// document differ from what regen would write.
    Check {
        /// The full Atlas OpenAPI spec to read.
        #[arg(long, value_name = "FILE")]
        spec: Option<PathBuf>,
        /// The generator configuration to read instead of spec/generator.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Print, as Markdown for a PR body, what changes in the generated crate between two specs
    /// (each generated with spec/generator.toml and templates/), with the semver bump it needs.
    #[command(after_help = "\
Exit codes (for bots):
   0  no change to the generated API (verdict none, or patch: only docs or behaviour that no
      signature shows changed; the last line of the report says which)
  10  minor: additive changes only (new operations, event types, fields, enum values)
  20  major: breaking changes (removed or renamed operations, event types, fields or values,
      retyped fields or parameters, a new required parameter, a new media-type version)
   2  error (unreadable spec, a fixup that no longer applies, bad arguments)")]
    Changelog {
        /// The spec the checked-in crate was generated from.
        #[arg(value_name = "OLD.yaml")]
        old: PathBuf,
        /// The new spec.
        #[arg(value_name = "NEW.yaml")]
        new: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            // Help and version are not errors; every usage error exits 2.
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
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
        Command::Regen {
            spec,
            config,
            timings,
            out,
        } => {
            let started = Instant::now();
            let layout = layout(&root, spec, config);
            let target = out.unwrap_or_else(|| root.clone());
            let generation = generate(&layout)?;
            print_warnings(&generation.warnings);
            // What this spec changes for users, against what regen last wrote.
            let current_subset = generation.output.files.get(&layout.subset);
            match xtask::previous_model(&target, &layout, current_subset) {
                Some(Ok(previous)) => {
                    let changelog = xtask::changelog::diff(&previous, &generation.api);
                    if changelog.verdict != xtask::changelog::Verdict::None {
                        let config = xtask::Config::load(&layout.config)?;
                        print!("{}", changelog.to_markdown(&config.crate_version));
                    }
                }
                Some(Err(error)) => eprintln!(
                    "warning: cannot compare with the previous {}: {error}",
                    layout.subset.display()
                ),
                None => {}
            }
            let written = std::time::Instant::now();
            let drift = generation.output.write(&target)?;
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
        Command::Check { spec, config } => {
            let layout = layout(&root, spec, config);
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
        Command::Changelog { old, new } => {
            let model = |spec: PathBuf| -> anyhow::Result<xtask::model::Api> {
                let layout = Layout::repository(&root, Some(spec.clone()));
                let generation = generate(&layout)
                    .map_err(|e| anyhow::anyhow!("generating from {}: {e}", spec.display()))?;
                Ok(generation.api)
            };
            // The two specs are independent: parse them on two threads.
            let (old_api, new_api) = std::thread::scope(|scope| {
                let old_api = scope.spawn(|| model(old));
                let new_api = model(new);
                let old_api = old_api
                    .join()
                    .map_err(|_| anyhow::anyhow!("the generator panicked"))?;
                anyhow::Ok((old_api?, new_api?))
            })?;
            let config = xtask::Config::load(&root.join("spec/generator.toml"))?;
            let changelog = xtask::changelog::diff(&old_api, &new_api);
            print!("{}", changelog.to_markdown(&config.crate_version));
            Ok(ExitCode::from(changelog.verdict.exit_code()))
        }
    }
}

/// The repository's layout, with the spec and the generator configuration the command line
/// names instead of the vendored ones.
fn layout(root: &Path, spec: Option<PathBuf>, config: Option<PathBuf>) -> Layout {
    let layout = Layout::repository(root, spec);
    match config {
        Some(config) => Layout { config, ..layout },
        None => layout,
    }
}

fn print_warnings(warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}
