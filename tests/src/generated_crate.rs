//! Builds crates the generator emitted, as progenitor compiles its expected outputs: a snapshot
//! of code that does not build cannot be accepted.
//!
//! The crates go into one workspace of their own (each generated crate has the same package
//! name, so each member is renamed after its case), with this repository's `Cargo.lock`, so
//! the registry dependencies resolve to the versions `cargo test` itself downloaded and build
//! `--offline`. One `cargo build` compiles the dependencies once for all of them, in a target
//! directory under `target/` that every such build shares.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: the parent of this crate's directory.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate has a parent")
        .to_path_buf()
}

/// The target directory of every build of a generated crate. `tests/tests/changelog.rs`
/// builds the crate of the previous upstream spec there with the same flags as
/// [`build_workspace`], so the dependencies compile once for both.
pub fn target_dir() -> PathBuf {
    root().join("target/changelog-previous-crate")
}

/// Writes a workspace at `dir` whose members are the generated crates of `crates`: for each
/// `(name, files)`, the files of a generation under `generated/`, written to `dir/<name>/` as
/// the package `<name>`. Files whose content did not change are left alone, so that the next
/// build only compiles the crates that changed; files no longer generated are removed.
pub fn write_workspace<'a, F>(dir: &Path, crates: impl IntoIterator<Item = (&'a str, F)>)
where
    F: IntoIterator<Item = (&'a PathBuf, &'a String)>,
{
    let mut members = Vec::new();
    for (name, files) in crates {
        let member = dir.join(name);
        let mut manifest = None;
        let mut written = BTreeSet::from([member.join("Cargo.toml")]);
        for (path, contents) in files {
            if let Ok(rest) = path.strip_prefix("generated") {
                if rest != Path::new("Cargo.toml") {
                    write_if_changed(&member.join(rest), contents);
                    written.insert(member.join(rest));
                    continue;
                }
                manifest = Some(contents);
            }
        }
        remove_others(&member, &written);
        let text = manifest.expect("a generated Cargo.toml");
        let (before, after) = text
            .split_once("\nname = ")
            .expect("the generated Cargo.toml names its package");
        let (_, after) = after.split_once('\n').expect("a line after the name");
        let text = format!("{before}\nname = \"{name}\"\n{after}");
        write_if_changed(&member.join("Cargo.toml"), &text);
        members.push(format!("{name:?}"));
    }
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members.join(", ")
    );
    write_if_changed(&dir.join("Cargo.toml"), &workspace);
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    write_if_changed(&dir.join("Cargo.lock"), &lock);
}

/// Removes every file under `dir` that is not in `keep`.
fn remove_others(dir: &Path, keep: &BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            remove_others(&path, keep);
        } else if !keep.contains(&path) {
            std::fs::remove_file(&path).expect("remove a file no longer generated");
        }
    }
}

fn write_if_changed(path: &Path, contents: &str) {
    if std::fs::read(path).ok().as_deref() != Some(contents.as_bytes()) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, contents).expect("write");
    }
}

/// Builds the libraries of the workspace at `dir` with their default features (the client and
/// `rustls`), offline, warnings denied; on failure, the compiler's output. `--keep-going`
/// reports every member that fails.
///
/// Default features, not `--all-features`: `--offline` only finds crates that `cargo test`
/// itself has already downloaded, and `cargo test` builds `generated/` with its default
/// features. `native-tls`'s crates (OpenSSL bindings) are in no graph it builds, so with every
/// feature this build failed on a machine whose cargo cache had never fetched them. The
/// `native-tls` feature is linted by `.ci/run` after the tests instead.
pub fn build_workspace(dir: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--workspace", "--lib", "--keep-going"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}
