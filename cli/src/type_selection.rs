//! `--type VALUE`, repeatable: which event types to read, as the crate's [`TypeSelection`]. A
//! value is a category when it names one (its slug such as `cluster-event`, or its title such as
//! `Cluster Event Types`, case-insensitively), a prefix when it ends with `_` or `*` (`CLUSTER_`,
//! `CLUSTER_*`), otherwise an exact event type name.
//!
//! Exact names (up to 100) are filtered by Atlas; prefixes and categories are applied to every
//! event on this side, so that names newer than this program are not missed (a category keeps
//! every name it does not know).

use std::str::FromStr;

use mongodb_atlas_events::models::{GroupEventType, OrgEventType};
use mongodb_atlas_events::{EventTypeName, TypeSelection};

use crate::exit_code::Failure;

/// Reads every `--type` value for the event types `N` (`OrgEventType` or `GroupEventType`).
/// A name or prefix that matches no type this program knows is kept (Atlas lists new types
/// before any spec does) and noted on stderr, in case it is a typo.
pub fn parse<N>(values: &[String]) -> Result<TypeSelection<N>, Failure>
where
    N: EventTypeName,
    N::Category: FromStr,
{
    let mut selection = TypeSelection::all();
    for value in values {
        selection = match parse_value::<N>(value)? {
            TypeValue::Category(category) => selection.category(category),
            TypeValue::Prefix(prefix) => {
                if !N::known().iter().any(|n| n.name().starts_with(&prefix)) {
                    note(&format!(
                        "no event type this atlas-events knows starts with {prefix}; it is kept \
                         for newer ones (see `atlas-events types`)"
                    ));
                }
                selection.prefix(prefix)
            }
            TypeValue::Name(name) => {
                let typed = N::from(name.as_str());
                if !N::known().contains(&typed) {
                    note(&format!(
                        "{name} is not an event type this atlas-events knows; it is sent as \
                         given (see `atlas-events types`)"
                    ));
                }
                selection.name(typed)
            }
        };
    }
    Ok(selection)
}

/// One `--type` value, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeValue<C> {
    /// A category, by slug or title.
    Category(C),
    /// A name prefix, without its `*`.
    Prefix(String),
    /// An exact event type name, as given.
    Name(String),
}

/// Reads one `--type` value: a category first, then a prefix, else a name.
pub fn parse_value<N>(text: &str) -> Result<TypeValue<N::Category>, Failure>
where
    N: EventTypeName,
    N::Category: FromStr,
{
    let text = text.trim();
    if text.is_empty() {
        return Err(Failure::Usage("--type needs a value".to_owned()));
    }
    if let Ok(category) = text.parse::<N::Category>() {
        return Ok(TypeValue::Category(category));
    }
    let prefix = text.strip_suffix('*').unwrap_or(text);
    if prefix.is_empty() {
        return Err(Failure::Usage(
            "--type *: every type is listed without --type".to_owned(),
        ));
    }
    if prefix.len() < text.len() || text.ends_with('_') {
        return Ok(TypeValue::Prefix(prefix.to_owned()));
    }
    Ok(TypeValue::Name(text.to_owned()))
}

fn note(message: &str) {
    eprintln!("note: {message}");
}

/// `--type` for an organization and its projects together (`--all-projects`), applied on this
/// side to every event of both, by name: a value is a category when it names one of either
/// kind (an organization category selects organization event types, a project category
/// project event types), a prefix or an exact name as for one scope (both kinds). A name only
/// organization events have is matched by what selects organization events, a name only
/// project events have by what selects project events; a name both have, or neither
/// (newer than this program), by either, so a category keeps every name this program does not
/// know, as for one scope.
#[derive(Clone, Debug)]
pub struct BothKinds {
    /// What selects organization event types; `None`: no value does.
    org: Option<TypeSelection<OrgEventType>>,
    /// What selects project event types; `None`: no value does.
    project: Option<TypeSelection<GroupEventType>>,
}

impl BothKinds {
    /// Reads every `--type` value; `None` when there is none (every event is kept). A name or a
    /// prefix that no type of either kind this program knows matches is kept, with a note on
    /// stderr in case it is a typo.
    pub fn parse(values: &[String]) -> Result<Option<BothKinds>, Failure> {
        if values.is_empty() {
            return Ok(None);
        }
        let mut org: Option<TypeSelection<OrgEventType>> = None;
        let mut project: Option<TypeSelection<GroupEventType>> = None;
        for value in values {
            let as_org = parse_value::<OrgEventType>(value)?;
            let as_project = parse_value::<GroupEventType>(value)?;
            match (as_org, as_project) {
                (TypeValue::Category(o), TypeValue::Category(p)) => {
                    org = Some(org.unwrap_or_default().category(o));
                    project = Some(project.unwrap_or_default().category(p));
                }
                (TypeValue::Category(o), _) => org = Some(org.unwrap_or_default().category(o)),
                (_, TypeValue::Category(p)) => {
                    project = Some(project.unwrap_or_default().category(p));
                }
                (TypeValue::Prefix(prefix), _) => {
                    let known = |name: &str| name.starts_with(&prefix);
                    if !OrgEventType::KNOWN.iter().any(|n| known(n.as_str()))
                        && !GroupEventType::KNOWN.iter().any(|n| known(n.as_str()))
                    {
                        note(&format!(
                            "no event type this atlas-events knows starts with {prefix}; it is \
                             kept for newer ones (see `atlas-events types`)"
                        ));
                    }
                    org = Some(org.unwrap_or_default().prefix(prefix.clone()));
                    project = Some(project.unwrap_or_default().prefix(prefix));
                }
                (TypeValue::Name(name), _) => {
                    if !OrgEventType::from(name.as_str()).is_known()
                        && !GroupEventType::from(name.as_str()).is_known()
                    {
                        note(&format!(
                            "{name} is not an event type this atlas-events knows; it is kept \
                             as given (see `atlas-events types`)"
                        ));
                    }
                    org = Some(org.unwrap_or_default().name(name.as_str()));
                    project = Some(project.unwrap_or_default().name(name.as_str()));
                }
            }
        }
        Ok(Some(BothKinds { org, project }))
    }

    /// Whether an event of type `name` is kept, whichever scope it comes from.
    pub fn matches(&self, name: &str) -> bool {
        let by_org = self.org.as_ref().is_some_and(|s| s.matches(name));
        let by_project = self.project.as_ref().is_some_and(|s| s.matches(name));
        match (
            OrgEventType::from(name).is_known(),
            GroupEventType::from(name).is_known(),
        ) {
            (true, false) => by_org,
            (false, true) => by_project,
            _ => by_org || by_project,
        }
    }
}

#[cfg(test)]
mod tests {
    use mongodb_atlas_events::models::{
        GroupEventCategory, GroupEventType, OrgEventCategory, OrgEventType,
    };

    use super::*;

    #[test]
    fn categories_prefixes_and_names_are_told_apart() {
        for text in [
            "host-event",
            "HOST-EVENT",
            "host event types",
            "Host Event Types",
        ] {
            assert_eq!(
                parse_value::<GroupEventType>(text).unwrap(),
                TypeValue::Category(GroupEventCategory::HostEvent),
                "{text}"
            );
        }
        for text in ["CLUSTER_*", "CLUSTER_", " CLUSTER_ "] {
            assert_eq!(
                parse_value::<GroupEventType>(text).unwrap(),
                TypeValue::Prefix("CLUSTER_".into()),
                "{text}"
            );
        }
        assert_eq!(
            parse_value::<GroupEventType>("CLUSTER*").unwrap(),
            TypeValue::Prefix("CLUSTER".into())
        );
        assert_eq!(
            parse_value::<OrgEventType>("ORG_CREATED").unwrap(),
            TypeValue::Name("ORG_CREATED".into())
        );
        // Categories of projects are not categories of organizations.
        assert_eq!(
            parse_value::<OrgEventType>("host-event").unwrap(),
            TypeValue::Name("host-event".into())
        );
        assert!(parse_value::<OrgEventType>(" ").is_err());
        assert!(parse_value::<OrgEventType>("*").is_err());
    }

    #[test]
    fn for_both_scopes_each_name_is_matched_by_what_selects_its_kind() {
        let values =
            |values: &[&str]| -> Vec<String> { values.iter().map(|v| (*v).to_owned()).collect() };
        assert!(BothKinds::parse(&[]).unwrap().is_none());
        let both = BothKinds::parse(&values(&["host-event", "ORG_CREATED"]))
            .unwrap()
            .unwrap();
        // A project category selects project event types only...
        assert!(both.matches("HOST_DOWN"));
        assert!(!both.matches("CLUSTER_CREATED"));
        assert!(!both.matches("JOINED_ORG"), "an organization event type");
        // ... and, as a category, the names this program does not know.
        assert!(both.matches("HOST_SOMETHING_FROM_2030"));
        // An exact name, of either kind.
        assert!(both.matches("ORG_CREATED"));

        let org_only = BothKinds::parse(&values(&["org-event"])).unwrap().unwrap();
        assert!(org_only.matches("ORG_CREATED"));
        assert!(
            !org_only.matches("HOST_DOWN"),
            "no value selects project types"
        );
        assert!(org_only.matches("ORG_SOMETHING_FROM_2030"));

        let prefix = BothKinds::parse(&values(&["CLUSTER_*", "JOINED_"]))
            .unwrap()
            .unwrap();
        assert!(prefix.matches("CLUSTER_CREATED"));
        assert!(prefix.matches("JOINED_ORG"));
        assert!(prefix.matches("CLUSTER_FROM_2030"));
        assert!(!prefix.matches("HOST_DOWN"));
        assert!(!prefix.matches("ORG_CREATED"));
        assert!(
            !prefix.matches("SOMETHING_FROM_2030"),
            "no category: only what is named"
        );
        assert!(BothKinds::parse(&values(&["*"])).is_err());
    }

    #[test]
    fn the_selection_matches_what_each_value_names() {
        let selection = parse::<OrgEventType>(&[
            "ORG_CREATED".into(),
            "A_NEWER_TYPE".into(),
            "API_KEY_*".into(),
            "billing-event".into(),
        ])
        .unwrap();
        assert!(selection.matches("ORG_CREATED"));
        assert!(selection.matches("A_NEWER_TYPE"));
        assert!(selection.matches("API_KEY_SOMETHING_FROM_2030"));
        assert!(selection.matches(OrgEventCategory::BillingEvent.event_types()[0].as_str()));
        assert!(!selection.matches("JOINED_ORG"));
        let names = parse::<OrgEventType>(&["ORG_CREATED".into()]).unwrap();
        assert_eq!(names.server_names(), Some(&[OrgEventType::OrgCreated][..]));
        assert!(parse::<OrgEventType>(&[]).unwrap().is_all());
    }
}
