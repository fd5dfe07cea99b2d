//! The only module that writes files: staging, atomic replacement, stale-file removal, and the
//! comparison behind `cargo xtask check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Everything regen writes, by path relative to the repository root.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Output {
    pub files: BTreeMap<PathBuf, String>,
    /// Directories the generator owns entirely: files in them that it did not produce are stale.
    pub owned_dirs: Vec<PathBuf>,
}

/// How the files on disk differ from what regen would write.
#[derive(Debug, Default)]
pub struct Drift {
    pub changed: Vec<(PathBuf, String)>,
    pub missing: Vec<PathBuf>,
    pub stale: Vec<PathBuf>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.stale.is_empty()
    }
}

impl Output {
    /// Files under the owned directories that regen would not produce.
    fn stale_files(&self, root: &Path) -> Result<Vec<PathBuf>, Error> {
        let mut stale = Vec::new();
        for dir in &self.owned_dirs {
            let mut pending = vec![root.join(dir)];
            while let Some(current) = pending.pop() {
                let entries = match std::fs::read_dir(&current) {
                    Ok(entries) => entries,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(Error::io(&current, e)),
                };
                for entry in entries {
                    let entry = entry.map_err(|e| Error::io(&current, e))?;
                    let path = entry.path();
                    // The entry's own type: a symlink is a stale entry to remove, never a
                    // directory to walk into (it could lead outside, or in a loop).
                    let file_type = entry.file_type().map_err(|e| Error::io(&path, e))?;
                    if file_type.is_dir() {
                        // Build output never lives here, but be safe with editors' folders.
                        if path.file_name().is_some_and(|n| n == "target") {
                            continue;
                        }
                        pending.push(path);
                    } else if let Ok(relative) = path.strip_prefix(root)
                        && !self.files.contains_key(relative)
                    {
                        stale.push(relative.to_path_buf());
                    }
                }
            }
        }
        stale.sort();
        Ok(stale)
    }

    /// Compares with the files under `root`.
    pub fn drift(&self, root: &Path) -> Result<Drift, Error> {
        let mut drift = Drift::default();
        for (path, contents) in &self.files {
            match std::fs::read_to_string(root.join(path)) {
                Ok(current) if current == *contents => {}
                Ok(current) => drift
                    .changed
                    .push((path.clone(), short_diff(&current, contents))),
                Err(_) => drift.missing.push(path.clone()),
            }
        }
        drift.stale = self.stale_files(root)?;
        Ok(drift)
    }

    /// Writes the changed files and removes stale ones. All new contents are staged next to
    /// their targets first; if staging fails, the staged files are removed and nothing changes.
    /// Replaced files are kept aside until every file is in place, so a failure while
    /// committing puts them back. Unchanged files are not touched, so incremental builds stay
    /// incremental.
    pub fn write(&self, root: &Path) -> Result<Drift, Error> {
        let drift = self.drift(root)?;
        // A directory where a file must go cannot be replaced: refuse before changing anything.
        for path in drift.changed.iter().map(|(p, _)| p).chain(&drift.missing) {
            let target = root.join(path);
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                return Err(Error::io(
                    &target,
                    std::io::Error::other("a directory stands where regen writes a file"),
                ));
            }
        }
        let to_write: Vec<&PathBuf> = drift
            .changed
            .iter()
            .map(|(p, _)| p)
            .chain(drift.missing.iter())
            .collect();
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let stage = |path: &PathBuf, staged: &mut Vec<(PathBuf, PathBuf)>| -> Result<(), Error> {
            let target = root.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let temp = target.with_file_name(format!(".{name}.regen-tmp"));
            std::fs::write(&temp, &self.files[path]).map_err(|e| Error::io(&temp, e))?;
            staged.push((temp, target));
            Ok(())
        };
        for path in to_write {
            if let Err(e) = stage(path, &mut staged) {
                for (temp, _) in &staged {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(e);
            }
        }
        let mut committed = Commit::default();
        let result = staged
            .iter()
            .try_for_each(|(temp, target)| committed.replace(temp, target))
            .and_then(|()| {
                drift
                    .stale
                    .iter()
                    .try_for_each(|path| committed.remove(&root.join(path)))
            });
        match result {
            Ok(()) => committed.finish(),
            Err(e) => {
                committed.roll_back();
                for (temp, _) in &staged {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(e);
            }
        }
        for dir in &self.owned_dirs {
            remove_empty_dirs(&root.join(dir));
        }
        Ok(drift)
    }
}

/// The files replaced or removed so far, each with the copy of what it held before.
#[derive(Default)]
struct Commit {
    done: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Commit {
    /// Keeps the current contents of `target` (if any) aside, then moves `temp` over it.
    fn replace(&mut self, temp: &Path, target: &Path) -> Result<(), Error> {
        let backup = self.keep_aside(target)?;
        self.done.push((target.to_path_buf(), backup));
        std::fs::rename(temp, target).map_err(|e| Error::io(target, e))
    }

    /// Removes a stale file: moved aside now, deleted when the commit finishes.
    fn remove(&mut self, target: &Path) -> Result<(), Error> {
        let backup = self.keep_aside(target)?;
        self.done.push((target.to_path_buf(), backup));
        Ok(())
    }

    fn keep_aside(&self, target: &Path) -> Result<Option<PathBuf>, Error> {
        if std::fs::symlink_metadata(target).is_err() {
            return Ok(None);
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let backup = target.with_file_name(format!(".{name}.regen-old"));
        std::fs::rename(target, &backup).map_err(|e| Error::io(target, e))?;
        Ok(Some(backup))
    }

    /// Puts every replaced or removed file back, newest first.
    fn roll_back(self) {
        for (target, backup) in self.done.into_iter().rev() {
            match backup {
                Some(backup) => {
                    let _ = std::fs::rename(&backup, &target);
                }
                None => {
                    let _ = std::fs::remove_file(&target);
                }
            }
        }
    }

    fn finish(self) {
        for backup in self.done.into_iter().filter_map(|(_, backup)| backup) {
            let _ = std::fs::remove_file(backup);
        }
    }
}

/// Removes empty directories below `dir` (never `dir` itself, never inside `target`), such as
/// those that stale files leave behind.
fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) && entry.file_name() != "target" {
            let path = entry.path();
            remove_empty_dirs(&path);
            // Fails, as it should, while anything is left inside.
            let _ = std::fs::remove_dir(&path);
        }
    }
}

/// The first lines of a unified diff, enough to see what changed.
fn short_diff(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff.unified_diff().context_radius(1).to_string();
    let lines: Vec<&str> = text.lines().collect();
    let shown = lines
        .iter()
        .take(20)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    if lines.len() > 20 {
        format!("{shown}\n... ({} more diff lines)", lines.len() - 20)
    } else {
        shown
    }
}
