//! The checkpoint file of `tail --checkpoint FILE`: the client's [`Checkpoint`] together with
//! the organization or project it belongs to, so a checkpoint is never resumed for another
//! scope. Saved atomically (see [`crate::atomic_file`]).

use std::io;
use std::path::Path;

use mongodb_atlas_events::Checkpoint;
use serde::{Deserialize, Serialize};

use crate::atomic_file::write_atomically;
use crate::exit_code::Failure;
use crate::scope::Scope;

/// The version of the file's layout this program writes and reads.
const VERSION: u32 = 1;

/// What the file holds: `{"version":1,"scope":{"org":ID},"checkpoint":{...}}`.
#[derive(Serialize, Deserialize)]
struct CheckpointFile {
    version: u32,
    scope: Scope,
    checkpoint: Checkpoint,
}

/// The checkpoint saved in `path` for `scope`; `None` when the file does not exist. A file of
/// another scope, or that is not a checkpoint file, is a usage error.
pub fn load(path: &Path, scope: &Scope) -> Result<Option<Checkpoint>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => {
            return Err(Failure::io(
                format!("cannot read the checkpoint {}", path.display()),
                error,
            ));
        }
    };
    let file: CheckpointFile = serde_json::from_str(&text).map_err(|error| {
        Failure::Usage(format!(
            "{} is not a checkpoint file of atlas-events tail ({error}); give another \
             --checkpoint file",
            path.display()
        ))
    })?;
    if file.version != VERSION {
        return Err(Failure::Usage(format!(
            "the checkpoint {} has version {} and this atlas-events reads version {VERSION}",
            path.display(),
            file.version
        )));
    }
    if &file.scope != scope {
        return Err(Failure::Usage(format!(
            "the checkpoint {} was saved following the events of {}, not of {scope}: give \
             another --checkpoint file for this one (or remove the file to start afresh)",
            path.display(),
            file.scope
        )));
    }
    Ok(Some(file.checkpoint))
}

/// Saves `checkpoint` of `scope` in `path`, atomically (temporary file, fsync, rename).
pub fn save(path: &Path, scope: &Scope, checkpoint: &Checkpoint) -> Result<(), Failure> {
    let file = CheckpointFile {
        version: VERSION,
        scope: scope.clone(),
        checkpoint: checkpoint.clone(),
    };
    let mut bytes = serde_json::to_vec(&file).expect("a checkpoint serializes");
    bytes.push(b'\n');
    write_atomically(path, &bytes).map_err(|error| {
        Failure::io(
            format!("cannot save the checkpoint {}", path.display()),
            error,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_checkpoint_comes_back_for_its_scope_only() {
        let dir = std::env::temp_dir().join(format!("atlas-events-cp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tail.checkpoint");
        let org = Scope::Org("5e8d7c6b5a4f3e2d1c0b9a87".into());
        assert!(load(&path, &org).unwrap().is_none());
        let checkpoint = Checkpoint::starting_at(datetime!(2026-01-02 03:04:05 UTC));
        save(&path, &org, &checkpoint).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(r#"{"version":1,"scope":{"org":"5e8d7c6b5a4f3e2d1c0b9a87"},"checkpoint":{"until":"2026-01-02T03:04:05Z""#),
            "{text}"
        );
        assert_eq!(load(&path, &org).unwrap(), Some(checkpoint));
        for other in [
            Scope::Org("000000000000000000000000".into()),
            Scope::Project("5e8d7c6b5a4f3e2d1c0b9a87".into()),
        ] {
            let refused = load(&path, &other).unwrap_err();
            assert_eq!(refused.exit_code(), crate::exit_code::USAGE);
            assert!(
                refused
                    .to_string()
                    .contains("organization 5e8d7c6b5a4f3e2d1c0b9a87, not of"),
                "{refused}"
            );
        }
        std::fs::write(&path, "{}").unwrap();
        let broken = load(&path, &org).unwrap_err();
        assert!(
            broken.to_string().contains("is not a checkpoint file"),
            "{broken}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
