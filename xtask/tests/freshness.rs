//! The checked-in `generated/` and `spec/events-subset.json` are exactly what regen writes, and
//! regen, of the vendored spec and of every generator fixture, is deterministic. `cargo test`
//! fails on drift and names the command that fixes it.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::{Layout, generate, repository_root};

#[test]
fn generated_crate_is_fresh() {
    let root = repository_root();
    let generation =
        generate(&Layout::repository(&root, None)).expect("regen of the vendored spec");
    // A `[names]` override that matches nothing silently stopped renaming (regen prints it,
    // `check` and CI would not).
    let stale: Vec<&String> = generation
        .warnings
        .iter()
        .filter(|w| w.contains("matches nothing"))
        .collect();
    assert!(
        stale.is_empty(),
        "stale overrides in spec/generator.toml: {stale:#?}"
    );
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
    let files = regen_in_two_processes("regen-determinism", &[]);
    assert!(files > 100, "regen wrote {files} files");
}

/// Every generator fixture that generates (`tests/fixtures/specs/<case>/`, all but `broken-*`)
/// gives the same bytes in two processes on different thread counts, as the vendored spec does.
#[test]
fn fixtures_generate_deterministically() {
    let cases = generating_fixtures();
    assert!(cases.len() >= 5, "fixtures: {cases:?}");
    for case in cases {
        let dir = repository_root().join("tests/fixtures/specs").join(&case);
        regen_in_two_processes(
            &format!("fixture-determinism-{case}"),
            &[
                "--spec".as_ref(),
                dir.join("spec.yaml").as_os_str(),
                "--config".as_ref(),
                dir.join("generator.toml").as_os_str(),
            ],
        );
    }
}

/// The generator fixtures that must generate: every case not named `broken-*`.
fn generating_fixtures() -> Vec<String> {
    let specs = repository_root().join("tests/fixtures/specs");
    let mut cases: Vec<String> = std::fs::read_dir(&specs)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|case| !case.starts_with("broken-"))
        .collect();
    cases.sort();
    cases
}

/// Runs `xtask regen ARGS --out DIR` in two processes, emitting on 1 and on 3 threads
/// (`XTASK_EMIT_THREADS`), into two directories under `name`, asserts that they wrote the same
/// files byte for byte, and returns how many.
fn regen_in_two_processes(name: &str, args: &[&OsStr]) -> usize {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&base);
    let mut trees = Vec::new();
    for threads in ["1", "3"] {
        let out = base.join(format!("threads-{threads}"));
        std::fs::create_dir_all(&out).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("regen")
            .args(args)
            .arg("--out")
            .arg(&out)
            .env("XTASK_EMIT_THREADS", threads)
            .output()
            .expect("run xtask regen");
        assert!(
            output.status.success(),
            "{name}: regen on {threads} threads failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        trees.push(tree(&out));
    }
    let (one, three) = (&trees[0], &trees[1]);
    assert!(!one.is_empty(), "{name}: regen wrote nothing");
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        three.keys().collect::<Vec<_>>(),
        "{name}: the two processes wrote different files"
    );
    for (path, contents) in one {
        assert!(
            three.get(path) == Some(contents),
            "{name}: {} differs between the two processes",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(&base);
    one.len()
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
