//! Whose events: an organization or a project, from `--org`/`--project` or the environment.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::exit_code::Failure;

/// An organization or a project, by id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `--org ID`: the organization's events (`listOrgEvents`).
    Org(String),
    /// `--project ID`: the project's events (`listGroupEvents`).
    Project(String),
}

/// Organization or project, without an id: which list of event types applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Organization events (`OrgEventType`).
    Org,
    /// Project events (`GroupEventType`).
    Project,
}

impl Scope {
    /// The scope `--org`/`--project` name, else the environment's default project
    /// (`MONGODB_ATLAS_PROJECT_ID`, `MCLI_PROJECT_ID`), else its default organization
    /// (`MONGODB_ATLAS_ORG_ID`, `MCLI_ORG_ID`), else a usage error. The project wins when both
    /// are set, as the Atlas CLI's profiles usually set both and the project is the narrower.
    pub fn resolve(
        org: Option<String>,
        project: Option<String>,
        env_org: Option<String>,
        env_project: Option<String>,
    ) -> Result<Scope, Failure> {
        match (org, project) {
            (Some(org), None) => Ok(Scope::Org(org)),
            (None, Some(project)) => Ok(Scope::Project(project)),
            (Some(_), Some(_)) => Err(Failure::Usage(
                "give either --org or --project, not both".to_owned(),
            )),
            (None, None) => match (env_org, env_project) {
                (_, Some(project)) => Ok(Scope::Project(project)),
                (Some(org), None) => Ok(Scope::Org(org)),
                (None, None) => Err(Failure::Usage(
                    "whose events? give --org ID or --project ID (or set MONGODB_ATLAS_ORG_ID or \
                     MONGODB_ATLAS_PROJECT_ID)"
                        .to_owned(),
                )),
            },
        }
    }

    /// The id.
    pub fn id(&self) -> &str {
        match self {
            Scope::Org(id) | Scope::Project(id) => id,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Org(id) => write!(f, "organization {id}"),
            Scope::Project(id) => write!(f, "project {id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    #[test]
    fn options_win_over_the_environment_whose_project_wins_over_its_org() {
        assert_eq!(
            Scope::resolve(some("o"), None, None, some("p")).unwrap(),
            Scope::Org("o".into())
        );
        assert_eq!(
            Scope::resolve(None, some("p"), some("o"), None).unwrap(),
            Scope::Project("p".into())
        );
        assert_eq!(
            Scope::resolve(None, None, some("o"), None).unwrap(),
            Scope::Org("o".into())
        );
        assert_eq!(
            Scope::resolve(None, None, None, some("p")).unwrap(),
            Scope::Project("p".into())
        );
        assert_eq!(
            Scope::resolve(None, None, some("o"), some("p")).unwrap(),
            Scope::Project("p".into())
        );
        let none = Scope::resolve(None, None, None, None).unwrap_err();
        assert!(none.to_string().contains("MONGODB_ATLAS_ORG_ID"), "{none}");
        assert_eq!(none.exit_code(), crate::exit_code::USAGE);
    }
}
