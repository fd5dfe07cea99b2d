//! The checked-in `generated/` and `spec/events-subset.json` are exactly what regen writes, and
//! regen is deterministic. `cargo test` fails on drift and names the command that fixes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use xtask::{Layout, generate, repository_root};

#[test]
fn generated_crate_is_fresh() {
    let root = repository_root();
    let generation =
        generate(&Layout::repository(&root, None)).expect("regen of the vendored spec");
    let drift = generation.output.drift(&root).unwrap();
    let mut report = String::new();
    for (path, diff) in &drift.changed {
        report.push_str(&format!("stale: {}\n{diff}\n", path.display()));
    }
    for path in &drift.missing {
        report.push_str(&format!("missing: {}\n", path.display()));
    }
    for path in &drift.stale {
        report.push_str(&format!("no longer generated: {}\n", path.display()));
    }
    assert!(
        drift.is_empty(),
        "{report}generated files are out of date: run `cargo xtask regen`"
    );
}

/// Two regens in separate processes, emitting on 1 and on 3 threads, write the same bytes: no
/// state shared in one process (a cache, an interner) and no thread schedule can hide a
/// difference.
#[test]
fn regen_is_deterministic() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("regen-determinism");
    let _ = std::fs::remove_dir_all(&base);
    let mut trees = Vec::new();
    for threads in ["1", "3"] {
        let out = base.join(format!("threads-{threads}"));
        std::fs::create_dir_all(&out).unwrap();
        let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["regen", "--out"])
            .arg(&out)
            .env("XTASK_EMIT_THREADS", threads)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run xtask regen");
        assert!(status.success(), "regen on {threads} threads failed");
        trees.push(tree(&out));
    }
    assert!(trees[0].len() > 100, "regen wrote {} files", trees[0].len());
    assert_eq!(trees[0].len(), trees[1].len());
    for (path, contents) in &trees[0] {
        assert!(
            trees[1].get(path) == Some(contents),
            "{} differs between the two processes",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}

/// Every file under `dir`, by relative path, with its contents.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let contents = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), contents);
            }
        }
    }
    files
}
