//! `atlas-events tail` run as a process against the fake Atlas: stopped by SIGTERM or SIGINT
//! (once in the middle of a large batch) and restarted from its checkpoint, it prints every
//! event exactly once, oldest first; a checkpoint of another organization is refused.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use atlas_events_tests::fake_atlas::{FakeAtlas, event_json};
use common::{ORG, ORG_SCOPE, atlas_events, id, run, scratch, text, wait_or_kill};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A `tail` process and the lines it printed so far.
struct Tail {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
}

impl Tail {
    fn start(fake: &FakeAtlas, checkpoint: &Path) -> Tail {
        let mut child = atlas_events(fake)
            .args(["tail", "--org", ORG, "--since", "1h", "--interval", "1"])
            .arg("--checkpoint")
            .arg(checkpoint)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tail starts");
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                sink.lock().unwrap().push(line.expect("UTF-8 lines"));
            }
        });
        Tail {
            child,
            lines,
            reader: Some(reader),
        }
    }

    fn printed(&self) -> usize {
        self.lines.lock().unwrap().len()
    }

    /// Waits until at least `count` lines were printed.
    fn wait_for(&self, count: usize) {
        let start = Instant::now();
        while self.printed() < count {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {count} lines, got {}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends `signal` (TERM or INT), waits for the exit and returns every line printed.
    fn stop(mut self, signal: &str) -> Vec<String> {
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
        let status = wait_or_kill(&mut self.child, Duration::from_secs(20));
        assert_eq!(status.code(), Some(0), "tail stopped by SIG{signal}");
        self.reader.take().unwrap().join().unwrap();
        std::mem::take(&mut *self.lines.lock().unwrap())
    }
}

impl Drop for Tail {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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

    let first = Tail::start(&fake, &checkpoint);
    first.wait_for(1);
    expected.extend(add_now(&fake, history, 3));
    let mut printed = first.stop("TERM");
    assert!(checkpoint.exists(), "the checkpoint is saved on SIGTERM");

    let second = Tail::start(&fake, &checkpoint);
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
    let third = Tail::start(&fake, &checkpoint);
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
