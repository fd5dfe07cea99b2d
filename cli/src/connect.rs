//! Credentials, base URL and default organization or project from the environment
//! ([`EnvSettings`]: the Atlas CLI's, the MongoDB CLI's and the Terraform provider's variables),
//! and the client built from them.

use std::time::Duration;

use mongodb_atlas_events::{Client, EnvSettings, Error, OrgError, RetryPolicy};

use crate::exit_code::Failure;
use crate::for_people::escape;

/// A client and what the environment said besides.
pub struct Connection {
    /// The client.
    pub client: Client,
    /// Which credentials it uses and where they came from, to name them when Atlas refuses them.
    pub credentials_from: String,
    /// The default organization (`MONGODB_ATLAS_ORG_ID`, `MCLI_ORG_ID`).
    pub env_org: Option<String>,
    /// The default project (`MONGODB_ATLAS_PROJECT_ID`, `MCLI_PROJECT_ID`).
    pub env_project: Option<String>,
}

impl Connection {
    /// Reads the environment and builds the client. Each call and its retries may take up to
    /// `max_retry_time` (the client retries 429, 503 and other transient failures with backoff,
    /// honouring `Retry-After`). When credentials of several kinds are set, says on stderr which
    /// are used.
    pub fn from_env(max_retry_time: Duration) -> Result<Connection, Failure> {
        let settings = EnvSettings::read().map_err(|error| Failure::Atlas {
            error,
            credentials_from: None,
        })?;
        if let Some(note) = settings.ignored_note() {
            eprintln!("note: {note}");
        }
        let credentials_from = settings.credentials_from.clone();
        let env_org = settings.org_id.clone();
        let env_project = settings.project_id.clone();
        let client = settings
            .client_builder()
            .retry_policy(RetryPolicy::default().with_max_elapsed(max_retry_time))
            .build()
            .map_err(|error| Failure::Atlas {
                error,
                credentials_from: Some(credentials_from.clone()),
            })?;
        Ok(Connection {
            client,
            credentials_from,
            env_org,
            env_project,
        })
    }

    /// A failure of a call with this connection's credentials.
    pub fn failure(&self, error: Error) -> Failure {
        Failure::Atlas {
            error,
            credentials_from: Some(self.credentials_from.clone()),
        }
    }

    /// A failure of one scope of an organization's follow (`--all-projects`).
    pub fn scope_failure(&self, error: OrgError) -> Failure {
        Failure::InScope {
            scope: escape(&error.scope.to_string()).into_owned(),
            failure: Box::new(self.failure(error.error)),
        }
    }
}
