//! Peak resident memory of `atlas-events export` as the number of events grows: a fake Atlas
//! on loopback holds N project events (the `group-*` fixtures of
//! `tests/fixtures/events/synthetic/` cycled, each with its own id and `created`, about 740 bytes
//! of JSON each), and the release binary exports them all to a file (pages of 500). The peak RSS of
//! the binary comes from `/usr/bin/time -v` ("Maximum resident set size") when it exists, else
//! from polling `/proc/PID/status` (`VmHWM`) until it exits. If the export streams, the peak
//! stays flat whatever N is.
//!
//! ```sh
//! cargo build --release -p atlas-events
//! cargo run --release -p atlas-events-export-memory [-- N...]   # default: 10000 100000
//! ```

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use atlas_events_tests::fake_atlas::{FakeAtlas, TOKEN};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

const PROJECT: &str = "5f2a9c1e7b3d4a6e8c0b1d2f";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The synthetic project-event fixtures, each a JSON object.
fn templates() -> Vec<Value> {
    let dir = workspace().join("tests/fixtures/events/synthetic");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("group-") && n.ends_with(".json") && !n.contains("page")
            })
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .filter(|v: &Value| v.is_object())
        .collect()
}

/// Peak RSS in KiB and wall time of one export of `count` events.
fn measure(binary: &Path, templates: &[Value], count: usize, out: &Path) -> (u64, Duration, u64) {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    for n in 0..count {
        let mut event = templates[n % templates.len()].clone();
        let created = now - time::Duration::seconds((count - n) as i64);
        event["id"] = Value::from(format!("{n:024x}"));
        event["created"] = Value::from(created.format(&Rfc3339).unwrap());
        event["groupId"] = Value::from(PROJECT);
        fake.add(&format!("groups/{PROJECT}"), &event.to_string());
    }
    let time_v = Path::new("/usr/bin/time").exists();
    let mut command = if time_v {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(binary);
        c
    } else {
        Command::new(binary)
    };
    command
        .args(["export", "--project", PROJECT, "--output"])
        .arg(out)
        .env("MONGODB_ATLAS_BASE_URL", fake.base_url())
        .env("MONGODB_ATLAS_ACCESS_TOKEN", TOKEN)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("atlas-events runs");
    let mut polled_hwm = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if !time_v {
            polled_hwm = polled_hwm.max(vm_hwm(child.id()).unwrap_or(0));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "export failed: {stderr}");
    let peak = if time_v {
        stderr
            .lines()
            .find_map(|l| {
                l.trim()
                    .strip_prefix("Maximum resident set size (kbytes): ")
            })
            .and_then(|v| v.trim().parse().ok())
            .expect("/usr/bin/time -v reports the maximum resident set size")
    } else {
        polled_hwm
    };
    let written = std::fs::read_to_string(out).unwrap();
    assert_eq!(written.lines().count(), count, "every event exported");
    (peak, elapsed, written.len() as u64)
}

/// `VmHWM` of a running process, in KiB.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    let counts: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("counts of events"))
        .collect();
    let counts = if counts.is_empty() {
        vec![10_000, 100_000]
    } else {
        counts
    };
    let binary = workspace().join("target/release/atlas-events");
    assert!(
        binary.exists(),
        "build it first: cargo build --release -p atlas-events"
    );
    let templates = templates();
    let dir =
        std::env::temp_dir().join(format!("atlas-events-export-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let how = if Path::new("/usr/bin/time").exists() {
        "/usr/bin/time -v"
    } else {
        "VmHWM polled every 20 ms"
    };
    println!("| events | JSONL written | time | peak RSS ({how}) |");
    println!("|---:|---:|---:|---:|");
    for count in counts {
        let out = dir.join(format!("export-{count}.jsonl"));
        let (peak, elapsed, bytes) = measure(&binary, &templates, count, &out);
        println!(
            "| {count} | {:.1} MB | {:.2} s | {:.1} MiB |",
            bytes as f64 / 1e6,
            elapsed.as_secs_f64(),
            peak as f64 / 1024.0
        );
        std::fs::remove_file(out).unwrap();
    }
    std::fs::remove_dir_all(dir).unwrap();
}
