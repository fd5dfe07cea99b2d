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
                    if path.is_dir() {
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
    /// Unchanged files are not touched, so incremental builds stay incremental.
    pub fn write(&self, root: &Path) -> Result<Drift, Error> {
        let drift = self.drift(root)?;
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
        for (temp, target) in &staged {
            std::fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
        }
        for path in &drift.stale {
            let target = root.join(path);
            std::fs::remove_file(&target).map_err(|e| Error::io(&target, e))?;
        }
        Ok(drift)
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
