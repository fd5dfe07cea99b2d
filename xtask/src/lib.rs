//! The generator of the `mongodb-atlas-events` crate.
//!
//! `parse` reads the spec and builds the `model`; `emit` turns the model into file contents;
//! `output` writes them. `naming` makes every identifier decision.

pub mod changelog;
pub mod config;
pub mod emit;
pub mod error;
pub mod model;
pub mod naming;
pub mod output;
pub mod parse;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::Config;
pub use error::Error;
pub use output::Output;

/// Where regen reads and writes, relative to the repository root.
#[derive(Debug, Clone)]
pub struct Layout {
    pub spec: PathBuf,
    pub config: PathBuf,
    pub templates: PathBuf,
    /// The derived subset document regen writes beside the spec.
    pub subset: PathBuf,
    pub generated: PathBuf,
}

impl Layout {
    /// The repository's own layout, with `spec` overriding the vendored spec.
    pub fn repository(root: &Path, spec: Option<PathBuf>) -> Layout {
        Layout {
            spec: spec.unwrap_or_else(|| root.join("spec/atlas-api.yaml")),
            config: root.join("spec/generator.toml"),
            templates: root.join("templates"),
            subset: PathBuf::from("spec/events-subset.json"),
            generated: PathBuf::from("generated"),
        }
    }
}

/// The repository root: the parent of this crate's directory.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Time spent in each phase of one generation.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration)>,
}

/// A generation: the files and what the generator decided on its own.
#[derive(Debug, Clone)]
pub struct Generation {
    pub output: Output,
    pub api: model::Api,
    pub warnings: Vec<String>,
    pub timings: Timings,
}

/// Runs parse -> subset -> model -> emit in memory. Writes nothing.
pub fn generate(layout: &Layout) -> Result<Generation, Error> {
    let config = Config::load(&layout.config)?;
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Timings| {
        timings.phases.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let spec = parse::load(&layout.spec)?;
    lap("parse", &mut timings);
    let subset = parse::cut_subset(&spec, &config)?;
    drop(spec);
    lap("subset", &mut timings);
    let parse::Lowered { api, warnings } = parse::lower(&subset, &config)?;
    lap("model", &mut timings);
    let files = emit::emit_crate(&api, &config, &layout.templates)?;
    lap("emit", &mut timings);

    let mut output = Output {
        owned_dirs: vec![layout.generated.clone()],
        ..Output::default()
    };
    let mut subset_text =
        serde_json::to_string_pretty(&subset.document).map_err(|e| Error::Parse {
            path: "events subset".to_string(),
            message: e.to_string(),
        })?;
    subset_text.push('\n');
    output.files.insert(layout.subset.clone(), subset_text);
    for (path, contents) in files {
        output.files.insert(layout.generated.join(path), contents);
    }
    Ok(Generation {
        warnings,
        api,
        output,
        timings,
    })
}

/// The model of the subset document regen wrote last time (`spec/events-subset.json`), so that
/// regen can report what a spec update changes. `None` when there is no previous document, or
/// when it is `current` (the subset this regen writes): the same document models to the same
/// API, so there is nothing to compare and no time is spent lowering it.
pub fn previous_model(
    root: &Path,
    layout: &Layout,
    current: Option<&String>,
) -> Option<Result<model::Api, Error>> {
    let path = root.join(&layout.subset);
    let text = std::fs::read_to_string(&path).ok()?;
    if Some(&text) == current {
        return None;
    }
    Some((|| {
        let config = Config::load(&layout.config)?;
        let document = serde_json::from_str(&text).map_err(|e| Error::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let subset = parse::Subset {
            document,
            operation_ids: Vec::new(),
        };
        Ok(parse::lower(&subset, &config)?.api)
    })())
}
