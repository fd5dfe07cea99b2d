//! `atlas-events types`: the event types this program knows, with their category, for
//! organizations or projects. Sends no request.

use std::io::{self, Write};

use mongodb_atlas_events::models::{GroupEventType, OrgEventType};

use crate::args::TypesArgs;
use crate::commands::is_broken_pipe;
use crate::exit_code::Failure;
use crate::for_people::escape;
use crate::scope::Kind;

/// Runs `types`.
pub fn run(args: &TypesArgs) -> Result<(), Failure> {
    let kind = if args.org { Kind::Org } else { Kind::Project };
    let mut out = io::BufWriter::new(io::stdout().lock());
    match write_types(&mut out, kind).and_then(|()| out.flush()) {
        Err(error) if !is_broken_pipe(&error) => Err(Failure::io("cannot write to stdout", error)),
        _ => Ok(()),
    }
}

/// Every known event type of `kind` and its category, one per line, in the spec's order.
pub fn write_types(out: &mut impl Write, kind: Kind) -> io::Result<()> {
    let rows = known_types(kind);
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    writeln!(out, "{:<width$}  CATEGORY", "EVENT TYPE")?;
    for (name, category) in rows {
        // The spec's text: shown, never obeyed, as everything this program prints for people.
        let (name, category) = (escape(name), escape(category.unwrap_or("-")));
        writeln!(out, "{name:<width$}  {category}")?;
    }
    Ok(())
}

/// The known names of `kind` with their category's slug (what `--type` accepts).
fn known_types(kind: Kind) -> Vec<(&'static str, Option<&'static str>)> {
    match kind {
        Kind::Org => OrgEventType::KNOWN
            .iter()
            .map(|t| (t.as_str(), t.category().map(|c| c.slug())))
            .collect(),
        Kind::Project => GroupEventType::KNOWN
            .iter()
            .map(|t| (t.as_str(), t.category().map(|c| c.slug())))
            .collect(),
    }
}
