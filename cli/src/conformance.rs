//! `atlas-events conformance`: where recorded Atlas answers disagree with the spec.
//!
//! Decoding never fails because Atlas disagrees with the spec; the models say what disagreed
//! ([`Conformance`]). This module reads recorded answers (one JSON document per file, or JSONL),
//! decodes each document into the model of the chosen kind and tallies what the models report
//! into a deterministic Markdown report, so two runs on the same files give the same bytes and a
//! bot can diff them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use mongodb_atlas_events::models::{
    ActivityFeedLinkResponse, ApiError, EventTypeDetailsPage, GroupEventPage, OrgEventPage,
};
use mongodb_atlas_events::{Conformance, DisagreementKind, GroupEvent, OrgEvent};
use serde::Deserialize;
use serde_json::Value;

use crate::for_people::escape;

/// What the documents are answers of (`--as`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DocumentKind {
    /// Project events: a page (`GroupEventPage`) or one event (`GroupEvent`).
    Project,
    /// Organization events: a page (`OrgEventPage`) or one event (`OrgEvent`).
    Org,
    /// Error bodies (`ApiError`).
    Error,
    /// Pages of event types (`EventTypeDetailsPage`).
    EventTypes,
    /// Activity feed links (`ActivityFeedLinkResponse`).
    ActivityFeed,
}

impl DocumentKind {
    /// How the report names what the documents were read as.
    fn describe(self) -> &'static str {
        match self {
            DocumentKind::Project => "project events (`GroupEventPage` or `GroupEvent`)",
            DocumentKind::Org => "organization events (`OrgEventPage` or `OrgEvent`)",
            DocumentKind::Error => "error bodies (`ApiError`)",
            DocumentKind::EventTypes => "event type pages (`EventTypeDetailsPage`)",
            DocumentKind::ActivityFeed => "activity feed links (`ActivityFeedLinkResponse`)",
        }
    }
}

/// Exit code: no disagreement.
pub const EXIT_CONFORMING: u8 = 0;
/// Exit code: at least one disagreement (fields no schema lists do not count).
pub const EXIT_DISAGREEMENTS: u8 = 1;
/// Exit code: an error (unreadable file, a document that is not JSON or not an object, bad
/// arguments); wins over disagreements.
pub const EXIT_ERROR: u8 = 2;

/// What `conformance` found in all files, ready to print.
#[derive(Debug)]
pub struct Report {
    kind: DocumentKind,
    files: usize,
    documents: u64,
    events: u64,
    non_conforming: u64,
    disagreement_count: u64,
    /// Keyed by what the spec declares, so the map's order is the report's order. `expected` is
    /// part of the key because one field can expect two things (a list, or an item of it).
    disagreements: BTreeMap<(&'static str, &'static str, DisagreementKind, String), Group>,
    /// Keyed by pointer pattern (`/results/*/raw/newField`).
    unlisted: BTreeMap<String, Group>,
    errors: Vec<String>,
}

/// Occurrences of one row of the report and the first of them.
#[derive(Debug)]
struct Group {
    count: u64,
    /// `FILE:LINE POINTER`.
    example: String,
    /// What was found there (empty for unlisted fields).
    found: String,
}

/// Where a document is: the report's `FILE:LINE`, and the pointer of the document inside the
/// JSON value at that line when it is an element of a top-level array (`/3`).
struct Place<'a> {
    file: &'a str,
    line: u64,
    prefix: String,
}

/// Reads every file as `kind` and reports what disagrees with the spec.
///
/// Errors (unreadable files, documents that are not JSON or not objects) do not stop the run:
/// they are kept as `FILE:LINE: message` in [`Report::errors`] and the other documents are read.
pub fn run(kind: DocumentKind, files: &[PathBuf]) -> Report {
    let mut report = Report {
        kind,
        files: files.len(),
        documents: 0,
        events: 0,
        non_conforming: 0,
        disagreement_count: 0,
        disagreements: BTreeMap::new(),
        unlisted: BTreeMap::new(),
        errors: Vec::new(),
    };
    for path in files {
        // File names appear as given on the command line.
        let name = path.display().to_string();
        if let Err(error) = report.file(path, &name) {
            report.errors.push(format!("{name}: cannot read: {error}"));
        }
    }
    report
}

impl Place<'_> {
    /// `element N: ` for an element of a top-level array, so errors say which one.
    fn element(&self) -> String {
        match self.prefix.strip_prefix('/') {
            Some(index) => format!("element {index}: "),
            None => String::new(),
        }
    }
}

/// How a file holds its documents.
enum Layout {
    /// One JSON value.
    Whole,
    /// One JSON value per non-blank line.
    Lines,
    /// A value spanning several lines that is not valid JSON: reported once, not line by line.
    Broken(serde_json::Error),
}

impl Report {
    fn file(&mut self, path: &Path, name: &str) -> io::Result<()> {
        match layout(path)? {
            Layout::Whole => {
                // A whole-document file is read whole; only JSONL is streamed.
                let text = std::fs::read(path)?;
                let line = first_line(&text);
                match serde_json::from_slice::<Value>(&text) {
                    Ok(value) => self.document(name, line, value),
                    Err(error) => self.json_error(name, 0, &error),
                }
            }
            Layout::Broken(error) => self.json_error(name, 0, &error),
            Layout::Lines => {
                let mut reader = BufReader::new(File::open(path)?);
                let mut buf = Vec::new();
                let mut line = 0;
                loop {
                    buf.clear();
                    if reader.read_until(b'\n', &mut buf)? == 0 {
                        break;
                    }
                    line += 1;
                    // Without its line end, so an unfinished line's error points at this line.
                    let text = buf.trim_ascii();
                    if text.is_empty() {
                        continue;
                    }
                    match serde_json::from_slice::<Value>(text) {
                        Ok(value) => self.document(name, line, value),
                        Err(error) => self.json_error(name, line, &error),
                    }
                }
            }
        }
        Ok(())
    }

    /// A JSON syntax error; `line` is the line the parsed text starts at (0: the whole file).
    fn json_error(&mut self, file: &str, line: u64, error: &serde_json::Error) {
        let at = line.max(1) + error.line().max(1) as u64 - 1;
        self.errors.push(format!(
            "{file}:{at}: not JSON (column {}): {}",
            error.column(),
            message(error)
        ));
    }

    /// One top-level JSON value: a document, or an array of documents.
    fn document(&mut self, file: &str, line: u64, value: Value) {
        match value {
            Value::Array(items) => {
                for (index, item) in items.into_iter().enumerate() {
                    let place = Place {
                        file,
                        line,
                        prefix: format!("/{index}"),
                    };
                    self.one(&place, item);
                }
            }
            value => {
                let place = Place {
                    file,
                    line,
                    prefix: String::new(),
                };
                self.one(&place, value);
            }
        }
    }

    fn one(&mut self, place: &Place<'_>, value: Value) {
        self.documents += 1;
        let Value::Object(object) = &value else {
            self.errors.push(format!(
                "{}:{}: {}expected a JSON object, found {}",
                place.file,
                place.line,
                place.element(),
                json_type(&value)
            ));
            return;
        };
        // A page is an object with a `results` array; anything else is one event.
        let page = matches!(object.get("results"), Some(Value::Array(_)));
        let decoded = match (self.kind, page) {
            (DocumentKind::Project, true) => decode::<GroupEventPage>(&value).map(|page| {
                let results = page.results.iter().flatten();
                self.events(results.map(GroupEvent::is_conforming));
                self.record(place, &page);
            }),
            (DocumentKind::Project, false) => decode::<GroupEvent>(&value).map(|event| {
                self.events([event.is_conforming()]);
                self.record(place, &event);
            }),
            (DocumentKind::Org, true) => decode::<OrgEventPage>(&value).map(|page| {
                let results = page.results.iter().flatten();
                self.events(results.map(OrgEvent::is_conforming));
                self.record(place, &page);
            }),
            (DocumentKind::Org, false) => decode::<OrgEvent>(&value).map(|event| {
                self.events([event.is_conforming()]);
                self.record(place, &event);
            }),
            (DocumentKind::Error, _) => {
                decode::<ApiError>(&value).map(|error| self.record(place, &error))
            }
            (DocumentKind::EventTypes, _) => {
                decode::<EventTypeDetailsPage>(&value).map(|page| self.record(place, &page))
            }
            (DocumentKind::ActivityFeed, _) => {
                decode::<ActivityFeedLinkResponse>(&value).map(|link| self.record(place, &link))
            }
        };
        // The models decode every object; this stays an error report rather than a panic in
        // case a value is beyond what they hold (a number out of `f64` range).
        if let Err(error) = decoded {
            self.errors.push(format!(
                "{}:{}: {}cannot decode: {error}",
                place.file,
                place.line,
                place.element()
            ));
        }
    }

    fn events(&mut self, conforming: impl IntoIterator<Item = bool>) {
        for conforming in conforming {
            self.events += 1;
            self.non_conforming += u64::from(!conforming);
        }
    }

    fn record(&mut self, place: &Place<'_>, model: &impl Conformance) {
        let at = |pointer: &str| format!("{}:{} {}{pointer}", place.file, place.line, place.prefix);
        for found in model.disagreements() {
            self.disagreement_count += 1;
            let key = (found.schema, found.field, found.kind, found.expected);
            self.disagreements
                .entry(key)
                .or_insert_with(|| Group {
                    count: 0,
                    example: at(&found.pointer),
                    found: found.found,
                })
                .count += 1;
        }
        for pointer in model.unlisted_fields() {
            self.unlisted
                .entry(pattern(&pointer))
                .or_insert_with(|| Group {
                    count: 0,
                    example: at(&pointer),
                    found: String::new(),
                })
                .count += 1;
        }
    }

    /// `FILE:LINE: message` of every error, in the order they happened.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }

    /// How many disagreements were found (each occurrence counts).
    pub fn disagreement_count(&self) -> u64 {
        self.disagreement_count
    }

    /// [`EXIT_ERROR`] if any error happened, else [`EXIT_DISAGREEMENTS`] if any disagreement
    /// was found, else [`EXIT_CONFORMING`].
    pub fn exit_code(&self) -> u8 {
        if !self.errors.is_empty() {
            EXIT_ERROR
        } else if self.disagreement_count > 0 {
            EXIT_DISAGREEMENTS
        } else {
            EXIT_CONFORMING
        }
    }

    /// The report as Markdown: a summary line, then disagreements grouped by the schema, field
    /// and kind that declare them, then fields no schema lists grouped by pointer pattern.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_markdown(&mut out);
        out
    }

    fn write_markdown(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "# Conformance report")?;
        writeln!(out)?;
        writeln!(
            out,
            "Read as {}. Files: {}, documents: {}, events decoded: {}, non-conforming events: {}, \
             disagreements: {}, errors: {}.",
            self.kind.describe(),
            self.files,
            self.documents,
            self.events,
            self.non_conforming,
            self.disagreement_count,
            self.errors.len()
        )?;
        writeln!(out)?;
        writeln!(out, "## Disagreements")?;
        writeln!(out)?;
        if self.disagreements.is_empty() {
            writeln!(out, "No disagreement with the spec.")?;
        } else {
            writeln!(
                out,
                "| schema | field | kind | expected | count | example |"
            )?;
            writeln!(out, "|---|---|---|---|---:|---|")?;
            for ((schema, field, kind, expected), group) in &self.disagreements {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} found {} |",
                    code(schema),
                    code(field),
                    kind,
                    cell(expected),
                    group.count,
                    code(&group.example),
                    code(&group.found)
                )?;
            }
        }
        writeln!(out)?;
        writeln!(out, "## Fields no schema lists")?;
        writeln!(out)?;
        if self.unlisted.is_empty() {
            writeln!(out, "Every field is listed by a schema.")?;
        } else {
            writeln!(
                out,
                "Informational, not disagreements: the spec allows fields it does not list."
            )?;
            writeln!(out)?;
            writeln!(out, "| pointer | count | example |")?;
            writeln!(out, "|---|---:|---|")?;
            for (pattern, group) in &self.unlisted {
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    code(pattern),
                    group.count,
                    code(&group.example)
                )?;
            }
        }
        Ok(())
    }
}

/// Decides how a file holds its documents without holding a JSONL file in memory: the first
/// value is parsed (and discarded) from a stream; a file that is exactly one value is a
/// document, anything after it makes the file JSONL.
fn layout(path: &Path) -> io::Result<Layout> {
    let reader = BufReader::new(File::open(path)?);
    let mut values =
        serde_json::Deserializer::from_reader(reader).into_iter::<serde::de::IgnoredAny>();
    let error = match values.next() {
        // Empty or blank: JSONL with no document.
        None => return Ok(Layout::Lines),
        Some(Ok(_)) if values.next().is_none() => return Ok(Layout::Whole),
        Some(Ok(_)) => return Ok(Layout::Lines),
        Some(Err(error)) if error.is_io() => return Err(error.into()),
        Some(Err(error)) => error,
    };
    // The first value is not JSON. A broken first line of a JSONL file is reported as a line;
    // a pretty-printed document with a syntax error must be one error, not one per line.
    let mut lines = BufReader::new(File::open(path)?).split(b'\n');
    let mut non_blank = Vec::new();
    let mut number = 0;
    while non_blank.len() < 2 {
        let Some(line) = lines.next().transpose()? else {
            break;
        };
        number += 1;
        if !line.iter().all(u8::is_ascii_whitespace) {
            non_blank.push((number, line));
        }
    }
    let spans_lines = non_blank
        .first()
        .is_some_and(|(start, _)| error.line() as u64 > *start);
    let second_is_json = non_blank
        .get(1)
        .is_some_and(|(_, line)| serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok());
    Ok(if spans_lines && !second_is_json {
        Layout::Broken(error)
    } else {
        Layout::Lines
    })
}

/// The line a document starts at, counted from 1.
fn first_line(text: &[u8]) -> u64 {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    1 + text[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

fn decode<'a, T: Deserialize<'a>>(value: &'a Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// serde_json's message without its ` at line L column C` (the report gives its own position).
fn message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_string()
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A pointer with array indices as `*`, so every event's field of a page shares one row.
fn pattern(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|token| {
            if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                token
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Text fit for a table cell: `|` would end the cell and a newline the row.
fn cell(text: &str) -> String {
    // Recorded answers are server text: shown, never obeyed by the terminal.
    escape(&text.replace('|', "\\|").replace(['\r', '\n'], " ")).into_owned()
}

/// A table cell's code span: `*` and `_` in pointers must not turn into emphasis. The fence is
/// longer than any backtick run inside, as CommonMark requires.
fn code(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let text = cell(text);
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_replace_array_indices() {
        assert_eq!(
            pattern("/results/17/raw/newField"),
            "/results/*/raw/newField"
        );
        assert_eq!(pattern("/links/0/x1"), "/links/*/x1");
        assert_eq!(pattern(""), "");
    }

    #[test]
    fn cells_keep_the_table_intact() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(code("/a/*/b"), "`/a/*/b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`y"), "`` `y ``");
    }

    #[test]
    fn documents_start_at_their_first_line() {
        assert_eq!(first_line(b"{}"), 1);
        assert_eq!(first_line(b"\n\n  {\n}"), 3);
    }
}
