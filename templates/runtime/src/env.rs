//! Settings from the environment variables the Atlas CLI, the MongoDB CLI and
//! the Terraform provider already use, so that a machine set up for them
//! needs nothing more.

use super::auth::{ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY};
use super::{ClientBuilder, Credentials, Error};

/// One way of authenticating and the variables that carry it, in the order
/// of precedence the Terraform provider documents (access token, service
/// account, API key); of the API key's spellings, the Atlas CLI's comes
/// first, then the Terraform provider's older one, then the MongoDB CLI's.
const SOURCES: &[Source] = &[
    Source {
        kind: Kind::AccessToken,
        first: "MONGODB_ATLAS_ACCESS_TOKEN",
        second: None,
    },
    Source {
        kind: Kind::ServiceAccount,
        first: ENV_CLIENT_ID,
        second: Some(ENV_CLIENT_SECRET),
    },
    Source {
        kind: Kind::ApiKey,
        first: ENV_PUBLIC_API_KEY,
        second: Some(ENV_PRIVATE_API_KEY),
    },
    Source {
        kind: Kind::ApiKey,
        first: "MONGODB_ATLAS_PUBLIC_KEY",
        second: Some("MONGODB_ATLAS_PRIVATE_KEY"),
    },
    Source {
        kind: Kind::ApiKey,
        first: "MCLI_PUBLIC_API_KEY",
        second: Some("MCLI_PRIVATE_API_KEY"),
    },
];

/// Variables naming the API's base URL, first found wins: the Terraform
/// provider's, the Atlas CLI's, the MongoDB CLI's.
const BASE_URL_VARIABLES: &[&str] = &[
    "MONGODB_ATLAS_BASE_URL",
    "MONGODB_ATLAS_OPS_MANAGER_URL",
    "MCLI_OPS_MANAGER_URL",
];
/// The Terraform provider's switch to Atlas for Government.
const GOV_CLOUD_VARIABLE: &str = "MONGODB_ATLAS_IS_MONGODBGOV_CLOUD";
/// Where Atlas for Government's API lives.
const GOV_CLOUD_URL: &str = "https://cloud.mongodbgov.com";
/// Default organization and project of the Atlas CLI and the MongoDB CLI.
const ORG_ID_VARIABLES: &[&str] = &["MONGODB_ATLAS_ORG_ID", "MCLI_ORG_ID"];
const PROJECT_ID_VARIABLES: &[&str] = &["MONGODB_ATLAS_PROJECT_ID", "MCLI_PROJECT_ID"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    AccessToken,
    ServiceAccount,
    ApiKey,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::AccessToken => "access token",
            Kind::ServiceAccount => "service account",
            Kind::ApiKey => "API key",
        }
    }
}

struct Source {
    kind: Kind,
    first: &'static str,
    second: Option<&'static str>,
}

impl Source {
    /// `A` or `A and B`.
    fn variables(&self) -> String {
        match self.second {
            Some(second) => format!("{} and {second}", self.first),
            None => self.first.to_owned(),
        }
    }
}

/// What [`EnvSettings::read`] found: credentials, and the base URL,
/// organization and project when set, each with the variables it came from.
///
/// | Setting | Variables, first found wins |
/// | --- | --- |
/// | access token (bearer) | `MONGODB_ATLAS_ACCESS_TOKEN` |
/// | service account | `MONGODB_ATLAS_CLIENT_ID` + `MONGODB_ATLAS_CLIENT_SECRET` |
/// | API key (Digest) | `MONGODB_ATLAS_PUBLIC_API_KEY` + `MONGODB_ATLAS_PRIVATE_API_KEY`, `MONGODB_ATLAS_PUBLIC_KEY` + `MONGODB_ATLAS_PRIVATE_KEY`, `MCLI_PUBLIC_API_KEY` + `MCLI_PRIVATE_API_KEY` |
/// | base URL | `MONGODB_ATLAS_BASE_URL`, `MONGODB_ATLAS_OPS_MANAGER_URL`, `MCLI_OPS_MANAGER_URL`; `MONGODB_ATLAS_IS_MONGODBGOV_CLOUD=true` for Atlas for Government |
/// | organization, project | `MONGODB_ATLAS_ORG_ID`, `MCLI_ORG_ID`; `MONGODB_ATLAS_PROJECT_ID`, `MCLI_PROJECT_ID` |
///
/// When several kinds of credentials are set, the access token wins over the
/// service account, which wins over the API key (the Terraform provider's
/// order); [`EnvSettings::ignored`] says what was set and not used.
#[derive(Debug)]
#[non_exhaustive]
pub struct EnvSettings {
    /// The credentials chosen.
    pub credentials: Credentials,
    /// What they are and where they came from, e.g. `service account
    /// (MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET)`.
    pub credentials_from: String,
    /// Other credentials that were set and are not used, described the same way.
    pub ignored: Vec<String>,
    /// The base URL, when a variable sets one.
    pub base_url: Option<String>,
    /// The default organization id, when a variable sets one.
    pub org_id: Option<String>,
    /// The default project id, when a variable sets one.
    pub project_id: Option<String>,
}

impl EnvSettings {
    /// Reads the process environment. Values are trimmed (a newline left by
    /// `$(cat file)`, say); an empty one counts as unset. Fails when no
    /// credentials are set, or when only one half of a pair is.
    pub fn read() -> Result<EnvSettings, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// `read` with the lookup injected, so tests need not touch the
    /// process environment (which is shared between test threads).
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let mut found: Vec<(&Source, Credentials)> = Vec::new();
        for source in SOURCES {
            let first = get(source.first);
            let second = source.second.map(|name| (name, get(name)));
            let credentials = match (source.kind, first, second) {
                (Kind::AccessToken, Some(token), None) => Credentials::bearer_token(token),
                (_, None, None | Some((_, None))) => continue,
                (Kind::ServiceAccount, Some(id), Some((_, Some(secret)))) => {
                    Credentials::service_account(id, secret)
                }
                (Kind::ApiKey, Some(public), Some((_, Some(private)))) => {
                    Credentials::api_key(public, private)
                }
                (kind, Some(_), Some((missing, None))) => {
                    return Err(Error::config(format!(
                        "{} is set but {missing} is not; set both for the {} (or unset it)",
                        source.first,
                        kind.describe()
                    )));
                }
                (kind, None, Some((present, Some(_)))) => {
                    return Err(Error::config(format!(
                        "{present} is set but {} is not; set both for the {} (or unset it)",
                        source.first,
                        kind.describe()
                    )));
                }
                (_, Some(_), _) => continue,
            };
            found.push((source, credentials));
        }
        let describe =
            |source: &Source| format!("{} ({})", source.kind.describe(), source.variables());
        let mut found = found.into_iter();
        let Some((chosen, credentials)) = found.next() else {
            return Err(Error::config(
                "no Atlas credentials in the environment: set MONGODB_ATLAS_CLIENT_ID and \
                 MONGODB_ATLAS_CLIENT_SECRET (service account), MONGODB_ATLAS_PUBLIC_API_KEY and \
                 MONGODB_ATLAS_PRIVATE_API_KEY (API key) or MONGODB_ATLAS_ACCESS_TOKEN",
            ));
        };
        let first_of = |names: &[&str]| names.iter().find_map(|name| get(name));
        let gov = get(GOV_CLOUD_VARIABLE).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let base_url =
            first_of(BASE_URL_VARIABLES).or_else(|| gov.then(|| GOV_CLOUD_URL.to_owned()));
        Ok(EnvSettings {
            credentials,
            credentials_from: describe(chosen),
            ignored: found.map(|(source, _)| describe(source)).collect(),
            base_url,
            org_id: first_of(ORG_ID_VARIABLES),
            project_id: first_of(PROJECT_ID_VARIABLES),
        })
    }

    /// A client builder with these credentials and, when set, this base URL.
    pub fn client_builder(self) -> ClientBuilder {
        let builder = super::Client::builder(self.credentials);
        match self.base_url {
            Some(url) => builder.base_url(url),
            None => builder,
        }
    }

    /// A sentence for the user when other credentials were set and not used
    /// (`None` otherwise): which were used, which were not, and why.
    pub fn ignored_note(&self) -> Option<String> {
        if self.ignored.is_empty() {
            return None;
        }
        Some(format!(
            "using the {}; also set and not used: {} (an access token wins over a service account, \
             which wins over an API key)",
            self.credentials_from,
            self.ignored.join(", ")
        ))
    }
}
