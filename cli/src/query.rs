//! What to ask Atlas for, from the options every event command shares: whose events, the time
//! range, the event types and the clusters; and the request builders made from it.

use mongodb_atlas_events::models::{GroupEventType, OrgEventType};
use mongodb_atlas_events::operations::{ListGroupEvents, ListOrgEvents};
use mongodb_atlas_events::{Client, OrganizationFollow, TypeSelection};
use time::OffsetDateTime;

use crate::exit_code::Failure;
use crate::scope::Scope;
use crate::type_selection::{self, BothKinds};

/// `--type`, read for the scope's event types.
#[derive(Clone, Debug)]
enum Types {
    Org(TypeSelection<OrgEventType>),
    Project(TypeSelection<GroupEventType>),
    /// An organization and its projects (`--all-projects`); `None`: every type.
    Both(Option<BothKinds>),
}

/// The events a command reads.
#[derive(Clone, Debug)]
pub struct EventQuery {
    /// Whose events.
    pub scope: Scope,
    /// `--since`: the oldest `created` listed.
    pub since: Option<OffsetDateTime>,
    /// `--until`: the newest `created` listed.
    pub until: Option<OffsetDateTime>,
    /// `--type`.
    types: Types,
    /// `--cluster` (projects only).
    clusters: Vec<String>,
}

impl EventQuery {
    /// Checks the options together: `--cluster` only for a project, `--since` not after
    /// `--until`, every `--type` value (read for the scope's event types, or for both kinds
    /// with `all_projects`, which needs an organization).
    pub fn new(
        scope: Scope,
        since: Option<OffsetDateTime>,
        until: Option<OffsetDateTime>,
        types: &[String],
        clusters: Vec<String>,
        all_projects: bool,
    ) -> Result<EventQuery, Failure> {
        if !clusters.is_empty()
            && let Scope::Org(_) = scope
        {
            return Err(Failure::Usage(format!(
                "--cluster selects events of a project's clusters; {scope} is an organization, \
                 whose events have no cluster filter: give --project ID, or drop --cluster"
            )));
        }
        if let (Some(since), Some(until)) = (since, until)
            && since > until
        {
            return Err(Failure::Usage(
                "--since is later than --until: nothing can be listed".to_owned(),
            ));
        }
        let types = match scope {
            Scope::Org(_) if all_projects => Types::Both(BothKinds::parse(types)?),
            Scope::Project(_) if all_projects => {
                return Err(Failure::Usage(format!(
                    "--all-projects follows an organization and its projects; {scope} is a \
                     project: give --org ID"
                )));
            }
            Scope::Org(_) => Types::Org(type_selection::parse(types)?),
            Scope::Project(_) => Types::Project(type_selection::parse(types)?),
        };
        Ok(EventQuery {
            scope,
            since,
            until,
            types,
            clusters,
        })
    }

    /// Whether Atlas itself filters every event this query selects, so that its `totalCount`
    /// counts them (not so when a prefix or category is applied on this side).
    pub fn filtered_by_atlas(&self) -> bool {
        match &self.types {
            Types::Org(selection) => selection.is_all() || selection.server_names().is_some(),
            Types::Project(selection) => selection.is_all() || selection.server_names().is_some(),
            // A follow of many scopes: no one count of Atlas's stands for it.
            Types::Both(_) => false,
        }
    }

    /// The follow of an organization and its projects (`--all-projects`; `id` is the
    /// scope's): from `--since` (default: now), up to `--until` when given, `--type` applied
    /// here to both kinds of events.
    pub fn organization(&self, client: &Client, id: &str) -> OrganizationFollow {
        let mut follow = client.follow_organization(id);
        if let Some(since) = self.since {
            follow = follow.since(since);
        }
        if let Some(until) = self.until {
            follow = follow.until(until);
        }
        if let Types::Both(Some(selection)) = &self.types {
            let selection = selection.clone();
            follow = follow.keep_types(move |name| selection.matches(name));
        }
        follow
    }

    /// The request for an organization's events (`id` is the scope's).
    pub fn org(&self, client: &Client, id: &str) -> ListOrgEvents {
        let mut builder = client.list_org_events(id);
        if let Some(since) = self.since {
            builder = builder.min_date(since);
        }
        if let Some(until) = self.until {
            builder = builder.max_date(until);
        }
        if let Types::Org(selection) = &self.types {
            builder = builder.types(selection.clone());
        }
        builder
    }

    /// The request for a project's events (`id` is the scope's).
    pub fn project(&self, client: &Client, id: &str) -> ListGroupEvents {
        let mut builder = client.list_group_events(id);
        if let Some(since) = self.since {
            builder = builder.min_date(since);
        }
        if let Some(until) = self.until {
            builder = builder.max_date(until);
        }
        if let Types::Project(selection) = &self.types {
            builder = builder.types(selection.clone());
        }
        if !self.clusters.is_empty() {
            builder = builder.cluster_names(self.clusters.iter().cloned());
        }
        builder
    }
}
