//! `atlas-events conformance` run as a process on fixtures with known disagreements: exact
//! stdout, stderr and exit codes.
//!
//! Fixtures (`tests/fixtures/`), built from `tests/fixtures/events/synthetic/
//! group-ClusterEventViewForNdsGroup.json` of the workspace:
//! - `events.jsonl`: that event as is (line 1), with `created` "yesterday" (2), without `id`
//!   (3), a blank line (4), `groupId` a number (5), `eventTypeName` FUTURE_TYPE_2030 (6) and
//!   an extra `clusterTier` (7).
//! - `page.json`: a pretty-printed page of two events with an extra `raw.newField`, the second
//!   with `created` not in RFC 3339.
//! - `conforming.jsonl`: the event as is, twice (another `id`).
//! - `error.json`: a real Atlas error body, whose `parameters` are strings where the spec says
//!   objects.
//! - `broken.jsonl`: a good event, an unfinished line, a number, an event with a bad `created`.
//! - `broken-page.json`: `page.json` with `self` unquoted on line 5.

use std::path::Path;
use std::process::{Command, Output};

fn conformance(args: &[&str]) -> Output {
    // Run inside the fixtures directory so the report names files as given: `events.jsonl`.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    Command::new(env!("CARGO_BIN_EXE_atlas-events"))
        .arg("conformance")
        .args(args)
        .current_dir(fixtures)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8 output")
}

#[test]
fn project_events_and_a_page_report_each_disagreement() {
    let output = conformance(&["events.jsonl", "page.json"]);
    assert_eq!(
        text(&output.stdout),
        r#"# Conformance report

Read as project events (`GroupEventPage` or `GroupEvent`). Files: 2, documents: 7, events decoded: 8, non-conforming events: 3, disagreements: 5, errors: 0.

## Disagreements

| schema | field | kind | expected | count | example |
|---|---|---|---|---:|---|
| `ClusterEventViewForNdsGroup` | `created` | format | string (RFC 3339 date-time) | 2 | `events.jsonl:2 /created` found `string "yesterday"` |
| `ClusterEventViewForNdsGroup` | `groupId` | type | string | 1 | `events.jsonl:5 /groupId` found `number 5` |
| `ClusterEventViewForNdsGroup` | `id` | missing | a value (the field is required) | 1 | `events.jsonl:3 /id` found `nothing` |
| `DefaultEventViewForNdsGroup` | `eventTypeName` | not listed | a listed `DefaultEventViewForNdsGroup.eventTypeName` value | 1 | `events.jsonl:6 /eventTypeName` found `string "FUTURE_TYPE_2030"` |

## Fields no schema lists

Informational, not disagreements: the spec allows fields it does not list.

| pointer | count | example |
|---|---:|---|
| `/clusterTier` | 1 | `events.jsonl:7 /clusterTier` |
| `/results/*/raw/newField` | 2 | `page.json:1 /results/0/raw/newField` |
| `/shardName` | 1 | `events.jsonl:6 /shardName` |
"#
    );
    assert_eq!(text(&output.stderr), "");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_atlas_error_body_whose_parameters_are_strings() {
    let output = conformance(&["--as", "error", "error.json"]);
    assert_eq!(
        text(&output.stdout),
        r#"# Conformance report

Read as error bodies (`ApiError`). Files: 1, documents: 1, events decoded: 0, non-conforming events: 0, disagreements: 2, errors: 0.

## Disagreements

| schema | field | kind | expected | count | example |
|---|---|---|---|---:|---|
| `ApiError` | `parameters` | type | object | 2 | `error.json:1 /parameters/0` found `string "cluster-989"` |

## Fields no schema lists

Every field is listed by a schema.
"#
    );
    assert_eq!(text(&output.stderr), "");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn conforming_events_exit_0() {
    let output = conformance(&["conforming.jsonl"]);
    assert_eq!(
        text(&output.stdout),
        r#"# Conformance report

Read as project events (`GroupEventPage` or `GroupEvent`). Files: 1, documents: 2, events decoded: 2, non-conforming events: 0, disagreements: 0, errors: 0.

## Disagreements

No disagreement with the spec.

## Fields no schema lists

Every field is listed by a schema.
"#
    );
    assert_eq!(text(&output.stderr), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn lines_that_are_not_events_are_errors_and_the_rest_is_still_read() {
    let output = conformance(&["broken.jsonl"]);
    assert_eq!(
        text(&output.stderr),
        "broken.jsonl:2: not JSON (column 45): EOF while parsing a value\n\
         broken.jsonl:3: expected a JSON object, found a number\n"
    );
    // Line 4 is read after the errors; errors win over its disagreement.
    assert_eq!(
        text(&output.stdout),
        r#"# Conformance report

Read as project events (`GroupEventPage` or `GroupEvent`). Files: 1, documents: 3, events decoded: 2, non-conforming events: 1, disagreements: 1, errors: 2.

## Disagreements

| schema | field | kind | expected | count | example |
|---|---|---|---|---:|---|
| `ClusterEventViewForNdsGroup` | `created` | format | string (RFC 3339 date-time) | 1 | `broken.jsonl:4 /created` found `string "yesterday"` |

## Fields no schema lists

Every field is listed by a schema.
"#
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_pretty_printed_document_with_a_syntax_error_is_one_error() {
    // Not one error per line: the file is one document, not JSONL.
    let output = conformance(&["broken-page.json"]);
    assert_eq!(
        text(&output.stderr),
        "broken-page.json:5: not JSON (column 14): expected value\n"
    );
    assert!(text(&output.stdout).contains("documents: 0,"));
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_unreadable_file_and_bad_arguments_exit_2() {
    let output = conformance(&["conforming.jsonl", "missing.jsonl"]);
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("missing.jsonl: cannot read: "),
        "{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));

    let output = conformance(&["--as", "cluster", "conforming.jsonl"]);
    assert!(text(&output.stderr).contains("invalid value 'cluster'"));
    assert_eq!(output.status.code(), Some(2));
}
