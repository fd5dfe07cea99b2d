//! `atlas-events export` and `list` run as processes against the fake Atlas: each event's JSON
//! written exactly as served, pretty-printed events put on one line, and a failed export
//! leaving no file behind.

mod common;

use atlas_events_tests::fake_atlas::{FakeAtlas, event_json};
use common::{
    ORG, ORG_SCOPE, PROJECT, PROJECT_SCOPE, atlas_events, entries, id, project_tail_until, run,
    scratch, stdout_of, text,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Event `n` of a history, spelled in one of several ways a re-encoding would change: spacing,
/// key order, number spellings, escapes that could be written otherwise, nested objects.
fn odd_event(n: usize, at: OffsetDateTime) -> String {
    let created = at.format(&Rfc3339).unwrap();
    let id = id(n);
    match n % 5 {
        0 => event_json(&id, at, "ORG_CREATED", ""),
        1 => format!(
            r#"{{ "id" : "{id}" ,  "created":"{created}", "eventTypeName" : "USER_JOINED_ORG" ,"username":"ann@example.com" }}"#
        ),
        2 => format!(
            r#"{{"eventTypeName":"ORG_CREATED","isGlobalAdmin":false,"id":"{id}","created":"{created}","ratio":1.50,"big":1.0E+2,"neg":-0.0,"huge":123456789012345678901234}}"#
        ),
        3 => format!(
            r#"{{"created":"{created}","eventTypeName":"ORG_CREATED","id":"{id}","note":"caf\u00e9 \/ caf\u00E9 é \"q\"","raw":{{"b":2,"a":[1, 2,3]}}}}"#
        ),
        _ => format!(
            "{{\"id\":\"{id}\",\t\"created\":\"{created}\",\"eventTypeName\":\"FUTURE_TYPE_2030\",\"links\":[]}}"
        ),
    }
}

#[test]
fn ten_thousand_events_are_exported_byte_for_byte_newest_first() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let count = 10_000;
    let mut served = Vec::with_capacity(count);
    for n in 0..count {
        let created = now - time::Duration::seconds((count - n) as i64);
        let event = odd_event(n, created);
        fake.add(ORG_SCOPE, &event);
        served.push(event);
    }
    // Atlas lists newest first.
    served.reverse();
    let expected: String = served.iter().map(|e| format!("{e}\n")).collect();
    // A re-encoding of the events would not give the same bytes.
    let reencoded: String = served
        .iter()
        .map(|e| {
            let value: serde_json::Value = serde_json::from_str(e).unwrap();
            format!("{value}\n")
        })
        .collect();
    assert_ne!(reencoded, expected);

    let dir = scratch("export-10k");
    let path = dir.join("events.jsonl");
    let output =
        run(atlas_events(&fake).args(["export", "--org", ORG, "--output", path.to_str().unwrap()]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written == expected,
        "the export differs from what was served"
    );
    assert_eq!(entries(&dir), ["events.jsonl"]);
    // 500 events a page: 20 pages.
    let asked = fake.asked();
    assert_eq!(asked.len(), 20, "{asked:?}");
    assert!(asked.iter().all(|a| a.query.contains("itemsPerPage=500")));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn pretty_printed_events_lose_only_the_whitespace_outside_strings() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let created = (now - time::Duration::minutes(1)).format(&Rfc3339).unwrap();
    let older = (now - time::Duration::minutes(2)).format(&Rfc3339).unwrap();
    let pretty = format!(
        "{{\n  \"id\" : \"{}\",\n  \"created\": \"{created}\",\r\n\t\"eventTypeName\": \"ORG_CREATED\",\n  \"note\": \"two  spaces, a \\\"quote\\\" and \\n\",\n  \"n\": 1.50\n}}",
        id(1)
    );
    let compact = format!(
        r#"{{"id":"{}","created":"{created}","eventTypeName":"ORG_CREATED","note":"two  spaces, a \"quote\" and \n","n":1.50}}"#,
        id(1)
    );
    let one_line = format!(
        r#"{{ "id": "{}", "created": "{older}", "eventTypeName": "ORG_CREATED" }}"#,
        id(2)
    );
    fake.add(ORG_SCOPE, &one_line);
    fake.add(ORG_SCOPE, &pretty);
    let output = run(atlas_events(&fake).args(["export", "--org", ORG]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{compact}\n{one_line}\n"));
}

#[test]
fn a_failed_export_leaves_no_file_under_any_name() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    for n in 0..700 {
        let created = now - time::Duration::seconds(1000 - n as i64);
        fake.add(
            PROJECT_SCOPE,
            &event_json(&id(n), created, "CLUSTER_CREATED", ""),
        );
    }
    // The second page (events 501 to 700) is refused.
    fake.fail_after_next_page(400, &[], r#"{"error":400,"errorCode":"INVALID_QUERY"}"#);
    let dir = scratch("export-failed");
    std::fs::write(dir.join("events.jsonl"), "the previous export\n").unwrap();
    let output = run(atlas_events(&fake).args([
        "export",
        "--project",
        PROJECT,
        "-o",
        dir.join("events.jsonl").to_str().unwrap(),
    ]));
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("HTTP 400 INVALID_QUERY"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(fake.asked().len(), 2);
    assert_eq!(entries(&dir), ["events.jsonl"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("events.jsonl")).unwrap(),
        "the previous export\n"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn list_prints_a_table_newest_first_or_jsonl() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let old = now - time::Duration::minutes(30);
    let new = now - time::Duration::minutes(5);
    fake.add(
        PROJECT_SCOPE,
        &event_json(
            &id(1),
            old,
            "CLUSTER_CREATED",
            r#""clusterName":"c1","username":"ann""#,
        ),
    );
    fake.add(
        PROJECT_SCOPE,
        &event_json(&id(2), new, "FUTURE_TYPE_2030", ""),
    );
    let output = run(atlas_events(&fake).args(["list", "--project", PROJECT]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines: Vec<String> = text(&output.stdout)
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        lines,
        [
            "CREATED EVENT TYPE ID DETAIL".to_owned(),
            format!(
                "{} FUTURE_TYPE_2030 {} -",
                new.format(&Rfc3339).unwrap(),
                id(2)
            ),
            format!(
                "{} CLUSTER_CREATED {} cluster c1, by ann",
                old.format(&Rfc3339).unwrap(),
                id(1)
            ),
        ]
    );

    let output =
        run(atlas_events(&fake).args(["list", "--project", PROJECT, "--json", "--limit", "1"]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!("{}\n", event_json(&id(2), new, "FUTURE_TYPE_2030", ""))
    );
    // --limit 1 asks for one event, not a page of 500.
    assert!(
        fake.asked()
            .last()
            .unwrap()
            .query
            .contains("itemsPerPage=1&")
    );
}

#[test]
fn since_until_types_and_clusters_reach_atlas() {
    let fake = FakeAtlas::start();
    let output = run(atlas_events(&fake).args([
        "list",
        "--project",
        PROJECT,
        "--since",
        "2026-01-02T03:04:05Z",
        "--until",
        "2h",
        "--type",
        "CLUSTER_CREATED",
        "--type",
        "A_NEWER_TYPE",
        "--cluster",
        "c1",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("A_NEWER_TYPE is not an event type this atlas-events knows"),
        "{}",
        text(&output.stderr)
    );
    let asked = fake.asked();
    assert_eq!(asked.len(), 1);
    let query = &asked[0].query;
    assert!(query.contains("minDate=2026-01-02T03%3A04%3A05"), "{query}");
    assert!(query.contains("maxDate="), "{query}");
    assert!(
        query.contains("eventType=CLUSTER_CREATED&eventType=A_NEWER_TYPE"),
        "{query}"
    );
    assert!(query.contains("clusterNames=c1"), "{query}");
}

#[test]
fn prefixes_and_categories_are_applied_to_every_event_and_keep_newer_names() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let mut kept = Vec::new();
    for (n, kind, keep) in [
        (1, "CLUSTER_CREATED", true),
        (2, "HOST_DOWN", true),
        (3, "ALERT_ACKNOWLEDGED_AUDIT", false),
        // Not known to this program: it may be a newer host event, so the category keeps it.
        (4, "FUTURE_TYPE_2030", true),
        (5, "CLUSTER_SOMETHING_FROM_2030", true),
        (6, "MONTHLY_BILLING_CHANGE_NORMAL", false),
    ] {
        let event = event_json(
            &id(n),
            now - time::Duration::minutes(10 - n as i64),
            kind,
            "",
        );
        fake.add(PROJECT_SCOPE, &event);
        if keep {
            kept.push(event);
        }
    }
    kept.reverse();
    let output = run(atlas_events(&fake).args([
        "export",
        "--project",
        PROJECT,
        "--type",
        "CLUSTER_*",
        "--type",
        "Host Event Types",
    ]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected: String = kept.iter().map(|e| format!("{e}\n")).collect();
    assert_eq!(text(&output.stdout), expected);
    // Atlas cannot filter a prefix or a category: nothing is sent for them.
    assert!(
        !fake.asked()[0].query.contains("eventType"),
        "{:?}",
        fake.asked()
    );
}

#[test]
fn every_event_command_takes_format_and_list_keeps_json() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let events = [
        event_json(
            &id(1),
            now - time::Duration::minutes(2),
            "CLUSTER_CREATED",
            r#""clusterName":"c1""#,
        ),
        event_json(&id(2), now - time::Duration::minutes(1), "HOST_DOWN", ""),
    ];
    for event in &events {
        fake.add(PROJECT_SCOPE, event);
    }
    let newest_first = format!("{}\n{}\n", events[1], events[0]);
    let oldest_first = format!("{}\n{}\n", events[0], events[1]);
    let until = now.format(&Rfc3339).unwrap();
    let stdout = |args: &[&str]| text(&stdout_of(&fake, args));
    let list = ["list", "--project", PROJECT];
    let export = ["export", "--project", PROJECT];
    let tail = project_tail_until(&until);
    // JSONL: --format jsonl on each, --json on list as before.
    assert_eq!(
        stdout(&[&list[..], &["--format", "jsonl"]].concat()),
        newest_first
    );
    assert_eq!(stdout(&[&list[..], &["--json"]].concat()), newest_first);
    assert_eq!(stdout(&export), newest_first);
    assert_eq!(
        stdout(&[&export[..], &["--format", "jsonl"]].concat()),
        newest_first
    );
    assert_eq!(stdout(&tail), oldest_first);
    assert_eq!(
        stdout(&[&tail[..], &["--format", "jsonl"]].concat()),
        oldest_first
    );
    // The table: list's default, --format table on each.
    let table = stdout(&list);
    assert!(table.starts_with("CREATED "), "{table}");
    assert_eq!(table.lines().count(), 3, "{table}");
    assert_eq!(stdout(&[&list[..], &["--format", "table"]].concat()), table);
    assert_eq!(
        stdout(&[&export[..], &["--format", "table"]].concat()),
        table
    );
    let tail_table = stdout(&[&tail[..], &["--format", "table"]].concat());
    let mut reversed: Vec<&str> = table.lines().skip(1).collect();
    reversed.reverse();
    assert_eq!(tail_table.lines().skip(1).collect::<Vec<_>>(), reversed);

    // --json and --format together: which one?
    let output =
        run(atlas_events(&fake).args([&list[..], &["--json", "--format", "table"]].concat()));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("cannot be used with"));
    // Each command's --help names the option.
    for command in ["list", "export", "tail"] {
        let help = text(&run(atlas_events(&fake).args([command, "--help"])).stdout);
        assert!(help.contains("--format <FORMAT>"), "{command}: {help}");
    }
}
