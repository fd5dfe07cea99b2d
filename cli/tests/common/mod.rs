//! What the end-to-end tests of `list`, `export`, `tail` and `types` share: the binary run
//! against a fake Atlas on loopback with a clean environment.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
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

/// Starts `command` with no stdin, and stdout and stderr piped to the test.
fn spawn_piped(command: &mut Command) -> Child {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs")
}

/// Runs to the end; a run that takes longer than a minute is killed and fails the test (a
/// broken binary must fail a test, not hang it).
pub fn run(command: &mut Command) -> Output {
    let mut child = spawn_piped(command);
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

/// A process of the binary that keeps running (`tail`), and what it printed so far.
pub struct Running {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
}

impl Running {
    /// Starts `command`, reading its stdout line by line and its stderr as it comes.
    pub fn spawn(command: &mut Command) -> Running {
        let mut child = spawn_piped(command);
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let errors = Arc::new(Mutex::new(String::new()));
        let sink = lines.clone();
        let out = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                sink.lock().unwrap().push(line.expect("UTF-8 lines"));
            }
        });
        let sink = errors.clone();
        let err = std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = stderr.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..read]));
            }
        });
        Running {
            child,
            lines,
            stderr: errors,
            readers: vec![out, err],
        }
    }

    /// How many lines it printed so far.
    pub fn printed(&self) -> usize {
        self.lines.lock().unwrap().len()
    }

    /// What it wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until `done` holds of the lines printed so far (30 s at most).
    pub fn wait_until(&self, what: &str, done: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        while !done(&self.lines.lock().unwrap()) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {what}, got {} lines; stderr: {}",
                self.printed(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until at least `count` lines were printed.
    pub fn wait_for(&self, count: usize) {
        self.wait_until(&format!("{count} lines"), |lines| lines.len() >= count);
    }

    /// Waits until stderr holds `text`.
    pub fn wait_for_stderr(&self, text: &str) {
        let start = Instant::now();
        while !self.stderr().contains(text) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {text:?} on stderr: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Sends `signal` (TERM, INT or KILL), waits for the exit and returns the exit status, every
    /// line printed and stderr.
    pub fn signal(mut self, signal: &str) -> (ExitStatus, Vec<String>, String) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success());
        let status = wait_or_kill(&mut self.child, Duration::from_secs(20));
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let lines = std::mem::take(&mut *self.lines.lock().unwrap());
        (status, lines, self.stderr())
    }

    /// Stops it with `signal` (TERM or INT), checks that it exited 0, and returns every line
    /// printed.
    pub fn stop(self, signal: &str) -> Vec<String> {
        let (status, lines, stderr) = self.signal(signal);
        assert_eq!(status.code(), Some(0), "stopped by SIG{signal}: {stderr}");
        lines
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
