//! `atlas-events tail` run as a process against the fake Atlas: stopped by SIGTERM or SIGINT
//! (once in the middle of a large batch) and restarted from its checkpoint, it prints every
//! event exactly once, oldest first; a checkpoint of another organization is refused.

mod common;

use std::path::Path;
use std::time::Duration;

use atlas_events_tests::fake_atlas::{FakeAtlas, event_json};
use common::{ORG, ORG_SCOPE, Running, atlas_events, id, run, scratch, text};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A `tail` of the organization from an hour ago, saving its checkpoint in `checkpoint`.
fn start_tail(fake: &FakeAtlas, checkpoint: &Path) -> Running {
    Running::spawn(
        atlas_events(fake)
            .args(["tail", "--org", ORG, "--since", "1h", "--interval", "1"])
            .arg("--checkpoint")
            .arg(checkpoint),
    )
}

/// Adds `count` events created just now (each later than the last) and returns their texts.
fn add_now(fake: &FakeAtlas, first: usize, count: usize) -> Vec<String> {
    (first..first + count)
        .map(|n| {
            std::thread::sleep(Duration::from_millis(2));
            let event = event_json(&id(n), OffsetDateTime::now_utc(), "ORG_CREATED", "");
            fake.add(ORG_SCOPE, &event);
            event
        })
        .collect()
}

#[test]
fn stopped_and_restarted_from_its_checkpoint_tail_prints_every_event_once_in_order() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    // A history large enough that the first stop most likely lands inside the batch that
    // catches up with it (the first lines show while thousands are still to be written).
    let history = 3_000;
    let mut expected: Vec<String> = (0..history)
        .map(|n| {
            let created = now - time::Duration::seconds(3_000 - n as i64);
            let event = event_json(&id(n), created, "ORG_CREATED", r#""username":"ann""#);
            fake.add(ORG_SCOPE, &event);
            event
        })
        .collect();
    let dir = scratch("tail-restart");
    let checkpoint = dir.join("tail.checkpoint");

    let first = start_tail(&fake, &checkpoint);
    first.wait_for(1);
    expected.extend(add_now(&fake, history, 3));
    let mut printed = first.stop("TERM");
    assert!(checkpoint.exists(), "the checkpoint is saved on SIGTERM");

    let second = start_tail(&fake, &checkpoint);
    expected.extend(add_now(&fake, history + 3, 3));
    second.wait_for(expected.len() - printed.len());
    let second_lines = second.stop("INT");
    eprintln!(
        "first run printed {}, second run {}",
        printed.len(),
        second_lines.len()
    );
    printed.extend(second_lines);
    // Every event once, oldest first: the union of both runs is the history and the arrivals.
    assert_eq!(printed.len(), expected.len());
    assert!(printed == expected, "not every event exactly once in order");

    // A third run from the checkpoint has nothing to print until something new arrives.
    let third = start_tail(&fake, &checkpoint);
    let last = add_now(&fake, history + 6, 1);
    third.wait_for(1);
    assert_eq!(third.stop("TERM"), last);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_checkpoint_of_another_organization_is_refused() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let event = event_json(&id(1), now - time::Duration::minutes(1), "ORG_CREATED", "");
    fake.add(ORG_SCOPE, &event);
    let dir = scratch("tail-other-org");
    let checkpoint = dir.join("tail.checkpoint");
    // A run with --until ends by itself once it has read up to it, saving its checkpoint, and
    // does not wait for another poll (30 s by default) to say so.
    let started = std::time::Instant::now();
    let output = run(atlas_events(&fake)
        .args(["tail", "--org", ORG, "--since", "10m", "--until"])
        .arg(now.format(&Rfc3339).unwrap())
        .arg("--checkpoint")
        .arg(&checkpoint));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{event}\n"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let saved = std::fs::read_to_string(&checkpoint).unwrap();
    assert!(saved.contains(ORG), "{saved}");

    let requests = fake.asked().len();
    let other = "0123456789abcdef01234567";
    let output = run(atlas_events(&fake)
        .args(["tail", "--org", other, "--checkpoint"])
        .arg(&checkpoint));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "was saved following the events of organization {ORG}, not of organization {other}"
        )),
        "{stderr}"
    );
    assert_eq!(text(&output.stdout), "");
    assert_eq!(
        fake.asked().len(),
        requests,
        "no request for a refused checkpoint"
    );
    assert_eq!(std::fs::read_to_string(&checkpoint).unwrap(), saved);
    std::fs::remove_dir_all(dir).unwrap();
}
