//! What the end-to-end tests of `list`, `export`, `tail` and `types` share: the binary run
//! against a fake Atlas on loopback with a clean environment.

#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use atlas_events_tests::fake_atlas::{FakeAtlas, TOKEN};

pub const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
pub const ORG_SCOPE: &str = "orgs/5e8d7c6b5a4f3e2d1c0b9a87";
pub const PROJECT: &str = "5f2a9c1e7b3d4a6e8c0b1d2f";
pub const PROJECT_SCOPE: &str = "groups/5f2a9c1e7b3d4a6e8c0b1d2f";

/// The binary with none of the credential or default variables of the machine it runs on.
pub fn bare() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_atlas-events"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().into_owned();
        if name.starts_with("MONGODB_ATLAS_") || name.starts_with("MCLI_") {
            command.env_remove(name);
        }
    }
    command
}

/// The binary pointed at `fake` with the fake's bearer token.
pub fn atlas_events(fake: &FakeAtlas) -> Command {
    let mut command = bare();
    command
        .env("MONGODB_ATLAS_BASE_URL", fake.base_url())
        .env("MONGODB_ATLAS_ACCESS_TOKEN", TOKEN);
    command
}

/// Runs to the end; a run that takes longer than a minute is killed and fails the test (a
/// broken binary must fail a test, not hang it).
pub fn run(command: &mut Command) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let err = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stderr.read_to_end(&mut bytes).map(|_| bytes)
    });
    let status = wait_or_kill(&mut child, RUN_LIMIT);
    Output {
        status,
        stdout: out.join().unwrap().unwrap(),
        stderr: err.join().unwrap().unwrap(),
    }
}

/// The longest a run of the binary may take in these tests.
pub const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Waits for `child` to exit; past `limit`, kills it and fails the test.
pub fn wait_or_kill(child: &mut Child, limit: Duration) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("atlas-events did not exit within {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("atlas-events-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The file names in `dir`, sorted.
pub fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A 24-hex-digit id.
pub fn id(n: usize) -> String {
    format!("{n:024x}")
}
