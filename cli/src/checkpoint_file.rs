//! The checkpoint file of `tail --checkpoint FILE`: the client's checkpoint together with what
//! it follows (an organization or a project, or with `--all-projects` an organization and its
//! projects and the shard), so a checkpoint is never resumed for anything else. Saved
//! atomically (see [`crate::atomic_file`]).

use std::fmt;
use std::io;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::atomic_file::write_atomically;
use crate::exit_code::Failure;
use crate::scope::Scope;
use crate::shard::ShardArg;

/// The version of the file's layout this program writes and reads.
const VERSION: u32 = 1;

/// What a `tail` follows, as its checkpoint file names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Followed {
    /// The organization or project.
    pub scope: Scope,
    /// With `--all-projects`: the shard (1/1 without `--shard`); the checkpoint is then the
    /// crate's `OrgCheckpoint`.
    pub all_projects: Option<ShardArg>,
}

impl Followed {
    /// One organization's or project's events.
    pub fn one(scope: Scope) -> Followed {
        Followed {
            scope,
            all_projects: None,
        }
    }

    /// An organization's events and its projects' (shard `shard` of them).
    pub fn all_projects(org: &str, shard: ShardArg) -> Followed {
        Followed {
            scope: Scope::Org(org.to_owned()),
            all_projects: Some(shard),
        }
    }
}

impl fmt::Display for Followed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.scope)?;
        if self.all_projects.is_some() {
            f.write_str(" and its projects")?;
        }
        Ok(())
    }
}

/// What the file holds: `{"version":1,"scope":{"org":ID},"checkpoint":{...}}`, with
/// `"all_projects":true,"shard":"K/N"` after the scope for `--all-projects`.
#[derive(Serialize, Deserialize)]
struct CheckpointFile<C> {
    version: u32,
    scope: Scope,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    all_projects: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    shard: Option<ShardArg>,
    checkpoint: C,
}

/// A checkpoint read back, and the shard it was saved by (with `--all-projects`), which may
/// count another number of shards than the one now asked for.
#[derive(Debug, PartialEq)]
pub struct Loaded<C> {
    /// The client's checkpoint.
    pub checkpoint: C,
    /// The shard that saved it.
    pub shard: Option<ShardArg>,
}

/// The checkpoint saved in `path` for `followed`; `None` when the file does not exist. A file of
/// anything else (another organization or project, one scope where an organization and its
/// projects are followed or the other way round, another shard number K), or that is not a
/// checkpoint file, is a usage error. A file of shard K of another number of shards is read:
/// that is how the number of shards changes (see the README).
pub fn load<C: DeserializeOwned>(
    path: &Path,
    followed: &Followed,
) -> Result<Option<Loaded<C>>, Failure> {
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
    let not_a_checkpoint = |error: serde_json::Error| {
        Failure::Usage(format!(
            "{} is not a checkpoint file of atlas-events tail ({error}); give another \
             --checkpoint file",
            path.display()
        ))
    };
    let file: CheckpointFile<serde_json::Value> =
        serde_json::from_str(&text).map_err(not_a_checkpoint)?;
    if file.version != VERSION {
        return Err(Failure::Usage(format!(
            "the checkpoint {} has version {} and this atlas-events reads version {VERSION}",
            path.display(),
            file.version
        )));
    }
    let saved = Followed {
        scope: file.scope,
        all_projects: file
            .all_projects
            .then(|| file.shard.unwrap_or(ShardArg::WHOLE)),
    };
    if saved.scope != followed.scope
        || saved.all_projects.is_some() != followed.all_projects.is_some()
    {
        return Err(Failure::Usage(format!(
            "the checkpoint {} was saved following the events of {saved}, not of {followed}: \
             give another --checkpoint file for this one (or remove the file to start afresh)",
            path.display(),
        )));
    }
    if let (Some(saved), Some(asked)) = (saved.all_projects, followed.all_projects)
        && saved.number() != asked.number()
    {
        return Err(Failure::Usage(format!(
            "the checkpoint {} was saved by shard {saved}, not by shard {asked}: each instance \
             keeps its own checkpoint file, and shard K goes on from the file of shard K (also \
             when the number of shards changes; a new shard starts without one, with the same \
             --since as the others)",
            path.display(),
        )));
    }
    let checkpoint = serde_json::from_value(file.checkpoint).map_err(not_a_checkpoint)?;
    Ok(Some(Loaded {
        checkpoint,
        shard: saved.all_projects,
    }))
}

/// Saves `checkpoint` of `followed` in `path`, atomically (temporary file, fsync, rename).
pub fn save<C: Serialize>(path: &Path, followed: &Followed, checkpoint: &C) -> Result<(), Failure> {
    let file = CheckpointFile {
        version: VERSION,
        scope: followed.scope.clone(),
        all_projects: followed.all_projects.is_some(),
        shard: followed.all_projects,
        checkpoint,
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
    use mongodb_atlas_events::{Checkpoint, OrgCheckpoint};
    use time::macros::datetime;

    #[test]
    fn a_checkpoint_comes_back_for_its_scope_only() {
        let dir = std::env::temp_dir().join(format!("atlas-events-cp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tail.checkpoint");
        let org = Followed::one(Scope::Org("5e8d7c6b5a4f3e2d1c0b9a87".into()));
        assert!(load::<Checkpoint>(&path, &org).unwrap().is_none());
        let checkpoint = Checkpoint::starting_at(datetime!(2026-01-02 03:04:05 UTC));
        save(&path, &org, &checkpoint).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(r#"{"version":1,"scope":{"org":"5e8d7c6b5a4f3e2d1c0b9a87"},"checkpoint":{"until":"2026-01-02T03:04:05Z""#),
            "{text}"
        );
        assert_eq!(
            load(&path, &org).unwrap(),
            Some(Loaded {
                checkpoint,
                shard: None
            })
        );
        for other in [
            Followed::one(Scope::Org("000000000000000000000000".into())),
            Followed::one(Scope::Project("5e8d7c6b5a4f3e2d1c0b9a87".into())),
            Followed::all_projects("5e8d7c6b5a4f3e2d1c0b9a87", ShardArg::WHOLE),
        ] {
            let refused = load::<Checkpoint>(&path, &other).unwrap_err();
            assert_eq!(refused.exit_code(), crate::exit_code::USAGE);
            assert!(
                refused
                    .to_string()
                    .contains("organization 5e8d7c6b5a4f3e2d1c0b9a87, not of"),
                "{refused}"
            );
        }
        std::fs::write(&path, "{}").unwrap();
        let broken = load::<Checkpoint>(&path, &org).unwrap_err();
        assert!(
            broken.to_string().contains("is not a checkpoint file"),
            "{broken}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_organization_and_its_projects_are_resumed_by_the_same_shard_number() {
        let dir = std::env::temp_dir().join(format!("atlas-events-cp-org-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("org.checkpoint");
        let id = "5e8d7c6b5a4f3e2d1c0b9a87";
        let checkpoint: OrgCheckpoint = serde_json::from_str(&format!(
            r#"{{"org":"{id}","start":"2026-01-02T03:04:05Z","projects":{{}}}}"#
        ))
        .unwrap();
        let shard = |text: &str| text.parse::<ShardArg>().unwrap();
        save(
            &path,
            &Followed::all_projects(id, shard("2/3")),
            &checkpoint,
        )
        .unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(&format!(
                r#"{{"version":1,"scope":{{"org":"{id}"}},"all_projects":true,"shard":"2/3","checkpoint":{{"org":"{id}""#
            )),
            "{text}"
        );
        // The same shard, or shard 2 of another number of shards.
        for asked in ["2/3", "2/2", "2/5"] {
            let loaded = load::<OrgCheckpoint>(&path, &Followed::all_projects(id, shard(asked)))
                .unwrap()
                .unwrap();
            assert_eq!(loaded.checkpoint, checkpoint);
            assert_eq!(loaded.shard, Some(shard("2/3")));
        }
        for (asked, message) in [
            (
                Followed::all_projects(id, shard("1/3")),
                "saved by shard 2/3, not by shard 1/3",
            ),
            (
                Followed::all_projects(id, ShardArg::WHOLE),
                "saved by shard 2/3, not by shard 1/1",
            ),
            (
                Followed::one(Scope::Org(id.into())),
                "of organization 5e8d7c6b5a4f3e2d1c0b9a87 and its projects, not of organization \
                 5e8d7c6b5a4f3e2d1c0b9a87:",
            ),
            (
                Followed::all_projects("000000000000000000000000", shard("2/3")),
                "not of organization 000000000000000000000000 and its projects",
            ),
        ] {
            let refused = load::<OrgCheckpoint>(&path, &asked).unwrap_err();
            assert_eq!(refused.exit_code(), crate::exit_code::USAGE);
            assert!(refused.to_string().contains(message), "{refused}");
        }
        // Without a shard: 1/1.
        save(
            &path,
            &Followed::all_projects(id, ShardArg::WHOLE),
            &checkpoint,
        )
        .unwrap();
        let loaded = load::<OrgCheckpoint>(&path, &Followed::all_projects(id, shard("1/4")));
        assert_eq!(loaded.unwrap().unwrap().shard, Some(ShardArg::WHOLE));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
