//! Text for people never carries what a server (or a file, or the command line) put in it to a
//! terminal: control characters (C0, DEL, C1) and bidirectional controls in event fields, Atlas's
//! error text and every message are shown escaped (`\u{1b}`, `\u{202e}`), while JSONL stays
//! exactly the bytes Atlas sent.

mod common;

use std::process::Output;

use atlas_events_tests::fake_atlas::{FakeAtlas, event_json};
use common::{
    ORG, PROJECT, PROJECT_SCOPE, atlas_events, bare, id, project_tail_until, run, scratch,
    stdout_of, text,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// What must never reach a terminal raw: ESC, BEL, CSI (C1), DEL, the right-to-left override
/// and a first-strong isolate, the right-to-left mark, and a line break from a server.
const ACTING: [char; 7] = [
    '\u{1b}', '\u{7}', '\u{9b}', '\u{7f}', '\u{202e}', '\u{2068}', '\u{200f}',
];

/// Two events of the project whose fields would act on a terminal: an event type name that sets
/// the window title and clears the screen (JSON escapes), a cluster name with a right-to-left
/// override, a user with a C1 CSI and a host with an isolate (raw UTF-8 in the JSON text).
/// Oldest first.
fn hostile_events(now: OffsetDateTime) -> [String; 2] {
    [
        event_json(
            &id(1),
            now - time::Duration::minutes(20),
            r"CLUSTER_\u001b]0;pwned\u0007\u001b[2J",
            "\"clusterName\":\"prod\u{202e}exe.txt\",\"username\":\"ann\u{9b}31m\"",
        ),
        event_json(
            &id(2),
            now - time::Duration::minutes(10),
            "HOST_DOWN\u{200f}\u{7f}",
            "\"hostname\":\"h\u{2068}.example.com\"",
        ),
    ]
}

/// The escaped forms of [`hostile_events`] that a table shows.
const SHOWN: [&str; 5] = [
    r"CLUSTER_\u{1b}]0;pwned\u{7}\u{1b}[2J",
    r"cluster prod\u{202e}exe.txt",
    r"by ann\u{9b}31m",
    r"HOST_DOWN\u{200f}\u{7f}",
    r"host h\u{2068}.example.com",
];

fn assert_shown_escaped(output: &str) {
    for shown in SHOWN {
        assert!(output.contains(shown), "{shown} in {output}");
    }
    assert!(!output.contains(ACTING), "{output:?}");
}

/// The stderr of a run that exited with `code`, which must hold nothing that acts on a
/// terminal.
fn stderr_of(output: &Output, code: i32) -> String {
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains(ACTING), "{stderr:?}");
    stderr
}

#[test]
fn event_fields_are_escaped_in_tables_and_exact_in_jsonl() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let events = hostile_events(now);
    for event in &events {
        fake.add(PROJECT_SCOPE, event);
    }
    let oldest_first: String = events.iter().map(|e| format!("{e}\n")).collect();
    let newest_first: String = events.iter().rev().map(|e| format!("{e}\n")).collect();
    let until = now.format(&Rfc3339).unwrap();
    let tail = project_tail_until(&until);

    // The tables of list, tail and export.
    for args in [
        &["list", "--project", PROJECT][..],
        &[&tail[..], &["--format", "table"]].concat(),
        &["export", "--project", PROJECT, "--format", "table"],
    ] {
        let table = text(&stdout_of(&fake, args));
        assert_eq!(table.lines().count(), 3, "{args:?}: {table}");
        assert_shown_escaped(&table);
    }

    // JSONL: the bytes Atlas sent.
    let list_json = ["list", "--project", PROJECT, "--json"];
    assert_eq!(stdout_of(&fake, &list_json), newest_first.as_bytes());
    let export = ["export", "--project", PROJECT];
    assert_eq!(stdout_of(&fake, &export), newest_first.as_bytes());
    assert_eq!(stdout_of(&fake, &tail), oldest_first.as_bytes());
}

#[test]
fn atlas_error_text_is_escaped_in_error_messages() {
    // The error code, the detail, and a body that is not JSON.
    for (status, body, shown) in [
        (
            400,
            "{\"error\":400,\"errorCode\":\"INVALID\u{2068}_QUERY\",\"detail\":\"bad\\u001b]0;pwned\\u0007 \u{202e}query\\n\u{9b}2J\"}",
            r"INVALID\u{2068}_QUERY: bad\u{1b}]0;pwned\u{7} \u{202e}query\u{a}\u{9b}2J",
        ),
        (
            404,
            "<html>\u{1b}[31mnot\u{200f} found\u{7f}</html>",
            r"<html>\u{1b}[31mnot\u{200f} found\u{7f}</html>",
        ),
    ] {
        let fake = FakeAtlas::start();
        fake.fail_next(status, &[], body);
        let output = run(atlas_events(&fake).args(["list", "--org", ORG]));
        let stderr = stderr_of(&output, 1);
        assert!(stderr.contains(shown), "{shown} in {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }

    // A poll error that tail reports and goes on from.
    let fake = FakeAtlas::start();
    for _ in 0..3 {
        fake.fail_next(
            503,
            &[],
            "{\"error\":503,\"errorCode\":\"DOWN\",\"detail\":\"back \u{202e}soon\\u001b[2J\"}",
        );
    }
    let until = OffsetDateTime::now_utc().format(&Rfc3339).unwrap();
    let output = run(atlas_events(&fake)
        .args(["tail", "--org", ORG, "--since", "1h", "--until", &until])
        .args(["--interval", "1", "--max-retry-time", "1s"]));
    let stderr = stderr_of(&output, 0);
    let shown = r"DOWN: back \u{202e}soon\u{1b}[2J (polling again in 1 s)";
    assert!(stderr.contains(shown), "{stderr}");
}

#[test]
fn messages_quoting_the_command_line_or_a_file_are_escaped() {
    let fake = FakeAtlas::start();
    // A --type value that is no known name: noted, quoted.
    let value = "NEW\u{1b}[2J\u{202e}_TYPE";
    let output = run(atlas_events(&fake).args(["list", "--project", PROJECT, "--type", value]));
    let stderr = stderr_of(&output, 0);
    let shown = r"NEW\u{1b}[2J\u{202e}_TYPE is not an event type";
    assert!(stderr.contains(shown), "{stderr}");

    // A checkpoint file naming another organization with a title-setting sequence.
    let dir = scratch("escaping-checkpoint");
    let checkpoint = dir.join("tail.checkpoint");
    std::fs::write(
        &checkpoint,
        r#"{"version":1,"scope":{"org":"x\u001b]0;pwned\u0007\u202e"},"checkpoint":{"until":"2026-01-02T03:04:05Z"}}"#,
    )
    .unwrap();
    let output = run(atlas_events(&fake)
        .args(["tail", "--org", ORG, "--checkpoint"])
        .arg(&checkpoint));
    let stderr = stderr_of(&output, 2);
    let shown = r"events of organization x\u{1b}]0;pwned\u{7}\u{202e}, not of";
    assert!(stderr.contains(shown), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// A conformance report is Markdown for people: the values, field names and file names it
/// quotes from recorded answers are escaped too, and so are its errors on stderr.
#[test]
fn conformance_reports_are_escaped() {
    let dir = scratch("escaping-conformance");
    let page = dir.join("page.json");
    std::fs::write(
        &page,
        r#"{"results":[{"id":"5f2a9c1e7b3d4a6e8c0b1d2f","created":"yesterday\u009b31m\u202e","eventTypeName":"CLUSTER_CREATED","new\u001b[2Jfield":1}],"totalCount":1}"#,
    )
    .unwrap();
    let broken = dir.join("broken\u{1b}]0;pwned\u{7}.json");
    std::fs::write(&broken, "not json").unwrap();
    let output = run(bare().arg("conformance").arg(&page).arg(&broken));
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stdout = text(&output.stdout);
    assert!(stdout.contains(r"yesterday\u{9b}31m\u{202e}"), "{stdout}");
    assert!(stdout.contains(r"new\u{1b}[2Jfield"), "{stdout}");
    assert!(!stdout.contains(ACTING), "{stdout:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(r"broken\u{1b}]0;pwned\u{7}.json"),
        "{stderr}"
    );
    assert!(!stderr.contains(ACTING), "{stderr:?}");
    std::fs::remove_dir_all(dir).unwrap();
}
