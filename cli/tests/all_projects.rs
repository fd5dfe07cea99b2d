//! `tail --all-projects` and `export --all-projects` run as processes against the fake Atlas, over
//! an organization with several projects: each scope's events once and oldest first across stops
//! by SIGINT/SIGTERM, at least once across SIGKILL, a bounded tail that ends by itself, a
//! byte-exact export, shards that together print every event once (also when their number
//! changes), the options refused together, checkpoints of another organization or shard refused,
//! notices and errors on stderr with their control characters escaped, `--type` on both scopes,
//! and the progress shown on a terminal only.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use atlas_events_tests::fake_atlas::{FakeAtlas, event_json};
use common::{ORG, PROJECT, Running, atlas_events, run, scratch, text};
use mongodb_atlas_events::shard_of;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An event as served: when it was created and its JSON text.
type Served = (OffsetDateTime, String);

/// An organization with projects in the fake Atlas, and every event added to it by scope (the
/// organization's id or a project's), oldest first.
struct Org {
    fake: FakeAtlas,
    projects: Vec<String>,
    events: BTreeMap<String, Vec<Served>>,
    added: usize,
}

/// The id of project `n`.
fn project_id(n: usize) -> String {
    format!("6a{n:022x}")
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap()
}

fn minutes(n: i64) -> time::Duration {
    time::Duration::minutes(n)
}

impl Org {
    /// An organization with `projects` projects, created a month ago.
    fn new(projects: usize) -> Org {
        let fake = FakeAtlas::start();
        let created = OffsetDateTime::now_utc() - time::Duration::days(30);
        let projects: Vec<String> = (1..=projects).map(project_id).collect();
        for (n, project) in projects.iter().enumerate() {
            fake.add_project(ORG, project, &format!("project {n}"), created);
        }
        Org {
            fake,
            projects,
            events: BTreeMap::new(),
            added: 0,
        }
    }

    /// The organization's id, then its projects'.
    fn scopes(&self) -> Vec<String> {
        std::iter::once(ORG.to_owned())
            .chain(self.projects.iter().cloned())
            .collect()
    }

    /// Adds an event of `scope` created at `at`, of type `kind`, naming its scope as Atlas does
    /// (`orgId` or `groupId`); returns its text.
    fn add(&mut self, scope: &str, at: OffsetDateTime, kind: &str) -> String {
        let field = if scope == ORG { "orgId" } else { "groupId" };
        let text = event_json(
            &self.next_id(),
            at,
            kind,
            &format!(r#""{field}":"{scope}""#),
        );
        self.add_text(scope, at, &text);
        text
    }

    /// Adds an event of `scope` served as `text` (created at `at`).
    fn add_text(&mut self, scope: &str, at: OffsetDateTime, text: &str) {
        if scope == ORG {
            self.fake.add_org_event(ORG, text);
        } else {
            self.fake.add_project_event(scope, text);
        }
        let events = self.events.entry(scope.to_owned()).or_default();
        events.push((at, text.to_owned()));
        events.sort_by_key(|(at, _)| *at);
    }

    fn next_id(&mut self) -> String {
        self.added += 1;
        format!("e1{:022x}", self.added)
    }

    /// `count` events, each in the next scope in turn, one a second up to `end` (excluded).
    fn history(&mut self, count: usize, end: OffsetDateTime) {
        let scopes = self.scopes();
        for n in 0..count {
            let at = end - time::Duration::seconds((count - n) as i64);
            let kind = if n % 2 == 0 {
                "HOST_DOWN"
            } else {
                "CLUSTER_CREATED"
            };
            let scope = &scopes[n % scopes.len()];
            let kind = if scope == ORG { "ORG_CREATED" } else { kind };
            self.add(scope, at, kind);
        }
    }

    /// Each scope's events created in `[from, to]`, oldest first (scopes without any left out).
    fn between(&self, from: OffsetDateTime, to: OffsetDateTime) -> BTreeMap<String, Vec<String>> {
        self.events
            .iter()
            .map(|(scope, events)| {
                let texts = events
                    .iter()
                    .filter(|(at, _)| (from..=to).contains(at))
                    .map(|(_, text)| text.clone())
                    .collect::<Vec<_>>();
                (scope.clone(), texts)
            })
            .filter(|(_, texts)| !texts.is_empty())
            .collect()
    }

    /// Every scope's events, oldest first.
    fn all(&self) -> BTreeMap<String, Vec<String>> {
        self.between(
            OffsetDateTime::UNIX_EPOCH,
            OffsetDateTime::now_utc() + minutes(60),
        )
    }

    fn total(&self) -> usize {
        self.events.values().map(Vec::len).sum()
    }
}

/// The value of one of an event's text fields.
fn field(event: &str, name: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(event)
        .unwrap_or_else(|e| panic!("not an event's JSON ({e}): {event}"));
    value[name].as_str().unwrap_or_default().to_owned()
}

/// The scope a printed event names: its `groupId`, else its `orgId`.
fn scope_of(line: &str) -> String {
    let scope = match field(line, "groupId") {
        project if !project.is_empty() => project,
        _ => field(line, "orgId"),
    };
    assert!(
        !scope.is_empty(),
        "an event without groupId or orgId: {line}"
    );
    scope
}

/// The printed lines by scope, in the order printed.
fn by_scope(lines: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        scopes.entry(scope_of(line)).or_default().push(line.clone());
    }
    scopes
}

/// How many lines of each scope: what a failed comparison shows first.
fn counts(scopes: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, usize> {
    scopes.iter().map(|(s, l)| (s.as_str(), l.len())).collect()
}

/// Every event of `expected` printed once, each scope's oldest first (scopes interleave).
fn assert_once_in_order(printed: &[String], expected: &BTreeMap<String, Vec<String>>) {
    let got = by_scope(printed);
    assert_eq!(counts(&got), counts(expected), "events printed per scope");
    for (scope, events) in expected {
        assert!(
            &got[scope] == events,
            "the events of {scope} are not each once, oldest first"
        );
    }
}

/// `tail --all-projects` of the organization from two hours ago, polling every second.
fn tail(fake: &FakeAtlas, checkpoint: &Path, more: &[&str]) -> Command {
    let mut command = atlas_events(fake);
    command
        .args(["tail", "--org", ORG, "--all-projects", "--since", "2h"])
        .args(["--interval", "1", "--checkpoint"])
        .arg(checkpoint)
        .args(more);
    command
}

#[test]
fn stopped_and_restarted_tail_all_projects_prints_each_scopes_events_once_oldest_first() {
    let mut org = Org::new(4);
    // 2,500 events of the last 42 minutes, the organization's own and its 4 projects' in turn:
    // the first stop lands while every scope is still catching up.
    org.history(2_500, OffsetDateTime::now_utc() - minutes(1));
    let dir = scratch("all-projects-restart");
    let checkpoint = dir.join("org.checkpoint");

    let first = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    first.wait_for(1);
    let mut printed = first.stop("INT");
    assert!(checkpoint.exists(), "the checkpoint is saved on SIGINT");
    let saved = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(saved.contains(r#""all_projects":true"#), "{saved}");

    // Events of two scopes created while it is stopped.
    let now = OffsetDateTime::now_utc();
    org.add(ORG, now, "ORG_CREATED");
    let project = org.projects[2].clone();
    org.add(&project, now, "HOST_DOWN");

    let second = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    second.wait_for(printed.len() + 500);
    let stderr = second.stderr();
    printed.extend(second.stop("TERM"));
    assert!(stderr.contains("going on from the checkpoint"), "{stderr}");

    let third = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    third.wait_for_stderr("following 4 projects");
    third.wait_for(org.total() - printed.len());
    printed.extend(third.stop("INT"));
    eprintln!("{} events printed over three runs", printed.len());
    assert_once_in_order(&printed, &org.all());

    // A fourth run has nothing to print but what arrives.
    let fourth = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    let project = org.projects[0].clone();
    let new = org.add(&project, OffsetDateTime::now_utc(), "HOST_DOWN");
    fourth.wait_for(1);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(fourth.stop("TERM"), [new]);
    std::fs::remove_dir_all(dir).unwrap();
}

/// Waits until the lines printed, with `before`, hold every event of `expected`.
fn wait_for_every_event(
    tail: &Running,
    before: &[String],
    expected: &BTreeMap<String, Vec<String>>,
) {
    let wanted: BTreeSet<&String> = expected.values().flatten().collect();
    tail.wait_until("every event", |lines| {
        let seen: BTreeSet<&String> = before.iter().chain(lines).collect();
        wanted.iter().all(|event| seen.contains(event))
    });
}

#[test]
fn a_killed_tail_all_projects_prints_every_event_at_least_once_in_order() {
    let mut org = Org::new(3);
    org.history(2_000, OffsetDateTime::now_utc() - minutes(1));
    let dir = scratch("all-projects-kill");
    let checkpoint = dir.join("org.checkpoint");
    // Killed while catching up.
    let first = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    first.wait_for(1_000);
    let (status, mut printed, _) = first.signal("KILL");
    assert_eq!(status.code(), None, "killed");

    // Killed as soon as the checkpoint names new events: they reached stdout before.
    let second = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    wait_for_every_event(&second, &printed, &org.all());
    let new: Vec<String> = org.scopes()[1..]
        .iter()
        .map(|scope| org.add(scope, OffsetDateTime::now_utc(), "HOST_DOWN"))
        .collect();
    let ids: Vec<String> = new.iter().map(|event| field(event, "id")).collect();
    let start = Instant::now();
    while !std::fs::read_to_string(&checkpoint)
        .is_ok_and(|saved| ids.iter().all(|id| saved.contains(id.as_str())))
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{}",
            second.stderr()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let (status, lines, _) = second.signal("KILL");
    assert_eq!(status.code(), None, "killed");
    eprintln!(
        "killed after {} lines, then after {} more",
        printed.len(),
        lines.len()
    );
    printed.extend(lines);

    let third = Running::spawn(&mut tail(&org.fake, &checkpoint, &[]));
    let expected = org.all();
    // (Running, not just starting: a signal before it listens would end it.)
    third.wait_for_stderr("following 3 projects");
    wait_for_every_event(&third, &printed, &expected);
    printed.extend(third.stop("INT"));
    // At least once: every event, and each scope's in order once repeats are left out.
    let mut first_seen = BTreeSet::new();
    let once: Vec<String> = printed
        .iter()
        .filter(|line| first_seen.insert((*line).clone()))
        .cloned()
        .collect();
    assert_once_in_order(&once, &expected);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_bounded_tail_all_projects_ends_by_itself_once_every_scope_has_read_up_to_until() {
    let mut org = Org::new(3);
    let now = OffsetDateTime::now_utc();
    let until = now - minutes(5);
    org.history(400, until - minutes(1));
    // After --until: not printed.
    for scope in org.scopes() {
        let kind = if scope == ORG {
            "ORG_CREATED"
        } else {
            "HOST_DOWN"
        };
        org.add(&scope, until + minutes(2), kind);
    }
    let dir = scratch("all-projects-bounded");
    let checkpoint = dir.join("org.checkpoint");
    let started = Instant::now();
    let output = run(&mut tail(
        &org.fake,
        &checkpoint,
        &["--until", &rfc3339(until)],
    ));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let printed: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert_once_in_order(&printed, &org.between(now - minutes(120), until));
    assert!(checkpoint.exists());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Event `n` of scope `scope`, spelled in one of several ways a re-encoding would change.
fn odd_event(n: usize, scope: &str, at: OffsetDateTime) -> String {
    let created = rfc3339(at);
    let id = format!("0d{n:022x}");
    let field = if scope == ORG { "orgId" } else { "groupId" };
    let kind = if scope == ORG {
        "ORG_CREATED"
    } else {
        "HOST_DOWN"
    };
    match n % 4 {
        0 => format!(
            r#"{{ "id" : "{id}" ,  "created":"{created}", "{field}": "{scope}", "eventTypeName" : "{kind}" }}"#
        ),
        1 => format!(
            r#"{{"eventTypeName":"{kind}","{field}":"{scope}","id":"{id}","created":"{created}","ratio":1.50,"big":1.0E+2,"huge":123456789012345678901234}}"#
        ),
        2 => format!(
            r#"{{"created":"{created}","eventTypeName":"{kind}","id":"{id}","{field}":"{scope}","note":"caf\u00e9 \/ é \"q\"","raw":{{"b":2,"a":[1, 2,3]}}}}"#
        ),
        _ => format!(
            "{{\"id\":\"{id}\",\t\"created\":\"{created}\",\"eventTypeName\":\"FUTURE_TYPE_2030\",\"{field}\":\"{scope}\"}}"
        ),
    }
}

#[test]
fn export_all_projects_writes_every_event_of_every_scope_once_exactly_as_sent() {
    let mut org = Org::new(3);
    let now = OffsetDateTime::now_utc();
    let scopes = org.scopes();
    // Over the last ten days (no --since: everything), one project with more than two pages.
    for n in 0..1_600 {
        let scope = if n < 1_100 {
            scopes[1].clone()
        } else {
            scopes[n % scopes.len()].clone()
        };
        let at = now - time::Duration::seconds(540 * (1_600 - n as i64));
        let event = odd_event(n, &scope, at);
        org.add_text(&scope, at, &event);
    }
    let dir = scratch("all-projects-export");
    let path = dir.join("org.jsonl");
    let output = run(atlas_events(&org.fake)
        .args(["export", "--org", ORG, "--all-projects", "--output"])
        .arg(&path));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "");
    let written = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<String> = written.lines().map(str::to_owned).collect();
    assert!(written.ends_with('\n'));
    assert_once_in_order(&lines, &org.all());
    std::fs::remove_dir_all(dir).unwrap();
}

/// A bounded `tail --all-projects --shard K/N`: the lines printed, and stderr.
fn tail_shard(
    org: &Org,
    shard: &str,
    checkpoint: &Path,
    since: OffsetDateTime,
    until: OffsetDateTime,
) -> (Vec<String>, String) {
    let output = run(atlas_events(&org.fake)
        .args(["tail", "--org", ORG, "--all-projects", "--shard", shard])
        .args(["--since", &rfc3339(since), "--until", &rfc3339(until)])
        .args(["--interval", "1", "--checkpoint"])
        .arg(checkpoint));
    assert_eq!(
        output.status.code(),
        Some(0),
        "shard {shard}: {}",
        text(&output.stderr)
    );
    let lines = text(&output.stdout).lines().map(str::to_owned).collect();
    (lines, text(&output.stderr))
}

#[test]
fn shards_together_print_every_event_once_also_when_their_number_changes() {
    let mut org = Org::new(12);
    let now = OffsetDateTime::now_utc();
    let since = now - minutes(120);
    let first_until = now - minutes(30);
    org.history(600, first_until - minutes(1));
    let dir = scratch("all-projects-shards");
    let checkpoints: Vec<_> = (1..=3)
        .map(|k| dir.join(format!("shard-{k}.checkpoint")))
        .collect();

    // Two shards.
    let mut printed = Vec::new();
    for k in 1..=2 {
        let (lines, _) = tail_shard(
            &org,
            &format!("{k}/2"),
            &checkpoints[k - 1],
            since,
            first_until,
        );
        let scopes: BTreeSet<String> = lines.iter().map(|l| scope_of(l)).collect();
        assert_eq!(scopes.contains(ORG), k == 1, "shard {k}/2: {scopes:?}");
        for project in scopes.iter().filter(|s| *s != ORG) {
            assert_eq!(
                shard_of(project, 2),
                k as u32 - 1,
                "{project} in shard {k}/2"
            );
        }
        printed.extend(lines);
    }
    assert_once_in_order(&printed, &org.all());

    // Three shards: shards 1 and 2 go on from their checkpoints, shard 3 starts with the same
    // --since. Projects now in shard 3 moved there; the others stayed.
    let moved: BTreeSet<String> = org
        .projects
        .iter()
        .filter(|p| shard_of(p, 3) == 2)
        .cloned()
        .collect();
    assert!(
        !moved.is_empty() && moved.len() < org.projects.len(),
        "{moved:?}"
    );
    for project in &org.projects {
        assert!(moved.contains(project) || shard_of(project, 3) == shard_of(project, 2));
    }
    let second_until = OffsetDateTime::now_utc() - time::Duration::seconds(5);
    org.history(300, second_until - time::Duration::seconds(10));
    let mut printed = Vec::new();
    for k in 1..=3 {
        let (lines, stderr) = tail_shard(
            &org,
            &format!("{k}/3"),
            &checkpoints[k - 1],
            since,
            second_until,
        );
        if k < 3 {
            assert!(
                stderr.contains(&format!("saved by shard {k}/2; now shard {k}/3")),
                "{stderr}"
            );
        }
        let scopes: BTreeSet<String> = lines.iter().map(|l| scope_of(l)).collect();
        assert_eq!(scopes.contains(ORG), k == 1, "shard {k}/3: {scopes:?}");
        printed.extend(lines);
    }
    // Every new event once; the events before the change again only for the projects that
    // moved (all of them, from the stream's start).
    let mut expected = org.between(first_until, second_until);
    for project in &moved {
        expected.insert(project.clone(), org.all()[project].clone());
    }
    assert_once_in_order(&printed, &expected);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn options_that_do_not_go_together_exit_2_before_any_request() {
    let fake = FakeAtlas::start();
    let cases: &[(&[&str], &str)] = &[
        (&["tail", "--all-projects"], "--org"),
        (&["export", "--project", PROJECT, "--all-projects"], "--org"),
        (&["tail", "--org", ORG, "--shard", "1/2"], "--all-projects"),
        (
            &["export", "--org", ORG, "--shard", "1/2"],
            "--all-projects",
        ),
        (&["list", "--org", ORG, "--all-projects"], "--all-projects"),
        (
            &["export", "--org", ORG, "--all-projects", "--cluster", "c1"],
            "--cluster",
        ),
    ];
    let bad_shards = ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3", ""];
    let shard_cases: Vec<Vec<&str>> = bad_shards
        .iter()
        .map(|shard| vec!["tail", "--org", ORG, "--all-projects", "--shard", shard])
        .collect();
    let all = cases
        .iter()
        .map(|(args, message)| (args.to_vec(), *message))
        .chain(shard_cases.into_iter().map(|args| (args, "K/N")));
    for (args, message) in all {
        let output = run(atlas_events(&fake).args(&args));
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // The environment's organization is not enough: --all-projects names it.
    let output = run(atlas_events(&fake)
        .env("MONGODB_ATLAS_ORG_ID", ORG)
        .args(["tail", "--all-projects"]));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(fake.requests().is_empty(), "{:?}", fake.requests());
}

#[test]
fn a_checkpoint_of_another_organization_shard_or_kind_of_tail_is_refused() {
    let mut org = Org::new(4);
    let now = OffsetDateTime::now_utc();
    org.history(50, now - minutes(2));
    let dir = scratch("all-projects-refused");
    let sharded = dir.join("sharded.checkpoint");
    tail_shard(&org, "2/3", &sharded, now - minutes(60), now - minutes(1));
    let single = dir.join("single.checkpoint");
    let output = run(atlas_events(&org.fake)
        .args([
            "tail",
            "--org",
            ORG,
            "--since",
            "1h",
            "--until",
            "1m",
            "--checkpoint",
        ])
        .arg(&single));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let saved = (
        std::fs::read_to_string(&sharded).unwrap(),
        std::fs::read_to_string(&single).unwrap(),
    );
    let requests = org.fake.requests().len();
    let other = "0123456789abcdef01234567";
    let cases: Vec<(Vec<&str>, &Path, String)> = vec![
        (
            vec!["tail", "--org", other, "--all-projects", "--shard", "2/3"],
            &sharded,
            format!("organization {ORG} and its projects, not of organization {other}"),
        ),
        (
            vec!["tail", "--org", ORG, "--all-projects", "--shard", "1/3"],
            &sharded,
            "saved by shard 2/3, not by shard 1/3".to_owned(),
        ),
        (
            vec!["tail", "--org", ORG, "--all-projects"],
            &sharded,
            "saved by shard 2/3, not by shard 1/1".to_owned(),
        ),
        (
            vec!["tail", "--org", ORG],
            &sharded,
            format!("organization {ORG} and its projects, not of organization {ORG}"),
        ),
        (
            vec!["tail", "--org", ORG, "--all-projects"],
            &single,
            format!("organization {ORG}, not of organization {ORG} and its projects"),
        ),
    ];
    for (args, checkpoint, message) in cases {
        let output = run(atlas_events(&org.fake)
            .args(&args)
            .arg("--checkpoint")
            .arg(checkpoint));
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&message), "{args:?}: {stderr}");
        assert_eq!(text(&output.stdout), "");
    }
    assert_eq!(org.fake.requests().len(), requests, "no request was sent");
    assert_eq!(
        (
            std::fs::read_to_string(&sharded).unwrap(),
            std::fs::read_to_string(&single).unwrap(),
        ),
        saved
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn notices_and_errors_go_to_stderr_with_control_characters_escaped() {
    let mut org = Org::new(3);
    let now = OffsetDateTime::now_utc();
    org.history(30, now - minutes(1));
    let refused = org.projects[1].clone();
    org.fake.refuse_project(&refused, 403);
    // The first requests fail with a detail that would clear the screen.
    for _ in 0..30 {
        org.fake.fail_next(
            500,
            &[],
            r#"{"error":500,"errorCode":"UNEXPECTED","detail":"\u001b[2J\u001b]0;owned\u0007 boom"}"#,
        );
    }
    let dir = scratch("all-projects-notices");
    let tail = Running::spawn(&mut tail(
        &org.fake,
        &dir.join("org.checkpoint"),
        &["--max-retry-time", "1s"],
    ));
    let mut expected = org.all();
    expected.remove(&refused);
    let wanted: usize = expected.values().map(Vec::len).sum();
    tail.wait_for(wanted);
    tail.wait_for_stderr(&format!(
        "dropped project {refused}: its events answered HTTP 403"
    ));
    let (status, printed, stderr) = tail.signal("INT");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_once_in_order(&printed, &expected);
    assert!(stderr.contains("following 3 projects"), "{stderr}");
    assert!(
        stderr.contains(r"UNEXPECTED: \u{1b}[2J\u{1b}]0;owned\u{7} boom"),
        "{stderr}"
    );
    assert!(!stderr.contains(['\u{1b}', '\u{7}']), "{stderr:?}");
    // Not a terminal: no progress.
    assert!(!stderr.contains("caught up"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn types_select_the_events_of_both_scopes_by_name() {
    let mut org = Org::new(2);
    let now = OffsetDateTime::now_utc();
    let project = org.projects[0].clone();
    let mut kept = Vec::new();
    for (n, (scope, kind, keep)) in [
        (ORG, "ORG_CREATED", true),
        (ORG, "JOINED_ORG", false),
        (project.as_str(), "HOST_DOWN", true),
        (project.as_str(), "CLUSTER_CREATED", false),
        // Not known to this program: it may be a newer host event.
        (project.as_str(), "FUTURE_TYPE_2030", true),
    ]
    .into_iter()
    .enumerate()
    {
        let event = org.add(scope, now - minutes(10 - n as i64), kind);
        if keep {
            kept.push(event);
        }
    }
    let output = run(atlas_events(&org.fake).args([
        "export",
        "--org",
        ORG,
        "--all-projects",
        "--type",
        "host-event",
        "--type",
        "ORG_CREATED",
    ]));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("not an event type"), "{stderr}");
    let printed: Vec<String> = text(&output.stdout).lines().map(str::to_owned).collect();
    assert_once_in_order(&printed, &by_scope(&kept));
    assert!(
        org.fake
            .requests()
            .iter()
            .all(|r| !r.query.contains("eventType")),
        "applied here: {:?}",
        org.fake.requests()
    );
}

#[test]
fn progress_of_the_catch_up_shows_on_a_terminal() {
    let mut org = Org::new(3);
    org.history(3_000, OffsetDateTime::now_utc() - minutes(1));
    let dir = scratch("all-projects-progress");
    let out = dir.join("out.jsonl");
    // `script` runs the command on a pseudo-terminal: stderr is a terminal, stdout a file.
    let command = format!(
        "'{}' tail --org {ORG} --all-projects --since 2h --until 1s > '{}'",
        env!("CARGO_BIN_EXE_atlas-events"),
        out.display()
    );
    let output = run(Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm")
        .env("MONGODB_ATLAS_BASE_URL", org.fake.base_url())
        .env(
            "MONGODB_ATLAS_ACCESS_TOKEN",
            atlas_events_tests::fake_atlas::TOKEN,
        ));
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{terminal:?}");
    assert!(terminal.contains("of 4 scopes caught up"), "{terminal:?}");
    let printed: Vec<String> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(printed.len(), org.total());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_error_of_one_project_ends_export_and_is_reported_by_tail() {
    let mut org = Org::new(3);
    let now = OffsetDateTime::now_utc();
    org.history(60, now - minutes(1));
    let failing = org.projects[2].clone();
    org.fake.refuse_project(&failing, 400);
    let dir = scratch("all-projects-project-error");
    let path = dir.join("org.jsonl");
    std::fs::write(&path, "the previous export\n").unwrap();
    let output = run(atlas_events(&org.fake)
        .args(["export", "--org", ORG, "--all-projects", "--output"])
        .arg(&path));
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("atlas-events: project {failing}: "))
            && stderr.contains("HTTP 400"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "the previous export\n"
    );

    // tail reports it and goes on with the others.
    let tail = Running::spawn(&mut tail(&org.fake, &dir.join("org.checkpoint"), &[]));
    let mut expected = org.all();
    expected.remove(&failing);
    tail.wait_for(expected.values().map(Vec::len).sum());
    tail.wait_for_stderr(&format!("atlas-events: project {failing}: "));
    let printed = tail.stop("TERM");
    assert_once_in_order(&printed, &expected);
    std::fs::remove_dir_all(dir).unwrap();
}
