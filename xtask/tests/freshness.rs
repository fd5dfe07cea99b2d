//! The checked-in `generated/` and `spec/events-subset.json` are exactly what regen writes, and
//! regen is deterministic. `cargo test` fails on drift and names the command that fixes it.

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

#[test]
fn regen_is_deterministic() {
    let root = repository_root();
    let layout = Layout::repository(&root, None);
    let first = generate(&layout).unwrap().output;
    let second = generate(&layout).unwrap().output;
    assert_eq!(first.files.len(), second.files.len());
    for (path, contents) in &first.files {
        assert_eq!(
            Some(contents),
            second.files.get(path),
            "{} differs between two runs",
            path.display()
        );
    }
}
