//! Files that appear whole or not at all: written to a temporary file beside the target, flushed
//! to disk, then renamed over it (`export --output`, `tail --checkpoint`). A failure or an
//! interruption before the rename leaves the target as it was; the temporary file is removed
//! when the writer is dropped without [`AtomicFile::commit`].

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A file being written under a temporary name beside its target.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    /// Removed by its own `Drop` unless persisted.
    temp: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`: creates `.NAME.RANDOM.tmp` in the target's directory (the same
    /// file system, so the final rename is atomic), with the permissions of a new file (`0o666`
    /// less the umask, not the `0o600` of a temporary file).
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let temp = builder.tempfile_in(directory_of(target))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            temp: BufWriter::with_capacity(256 * 1024, temp),
        })
    }

    /// The temporary file's path.
    pub fn temp_path(&self) -> &Path {
        self.temp.get_ref().path()
    }

    /// Flushes, syncs the data to disk, renames the file over its target and syncs the
    /// directory, so the new name survives a crash.
    pub fn commit(self) -> io::Result<()> {
        let temp = self
            .temp
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        temp.as_file().sync_all()?;
        temp.persist(&self.target)?;
        // The rename itself is durable once the directory is synced (not possible everywhere:
        // best effort).
        if let Ok(dir) = File::open(directory_of(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.temp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.temp.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.temp.flush()
    }
}

/// Replaces `target` with `bytes`, atomically.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(target)?;
    file.write_all(bytes)?;
    file.commit()
}

/// The directory a path's file is in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("atlas-events-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_target_changes_only_on_commit() {
        let dir = scratch("commit");
        let target = dir.join("out.jsonl");
        fs::write(&target, "old\n").unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"new\n").unwrap();
        file.flush().unwrap();
        let temp = file.temp_path().to_owned();
        assert_eq!(temp.parent(), Some(dir.as_path()));
        let temp_name = temp.file_name().unwrap().to_string_lossy();
        assert!(
            temp_name.starts_with(".out.jsonl.") && temp_name.ends_with(".tmp"),
            "{temp_name}"
        );
        assert_eq!(fs::read_to_string(&temp).unwrap(), "new\n");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
        assert_eq!(entries(&dir).len(), 2, "{:?}", entries(&dir));
        file.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(entries(&dir), ["out.jsonl"]);
        write_atomically(&target, b"again").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "again");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_writer_dropped_without_commit_leaves_nothing_behind() {
        let dir = scratch("drop");
        let target = dir.join("out.jsonl");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(&vec![b'x'; 1 << 20]).unwrap();
        drop(file);
        assert_eq!(entries(&dir), Vec::<String>::new());
        assert!(AtomicFile::create(&dir.join("missing/out.jsonl")).is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    /// The file gets the permissions of any new file (what `fs::write` gives under the same
    /// umask), not the owner-only ones of a temporary file.
    #[cfg(unix)]
    #[test]
    fn the_file_has_the_permissions_of_a_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let plain = dir.join("plain");
        fs::write(&plain, "x").unwrap();
        let target = dir.join("out.jsonl");
        write_atomically(&target, b"x").unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), mode(&plain));
        fs::remove_dir_all(dir).unwrap();
    }
}
