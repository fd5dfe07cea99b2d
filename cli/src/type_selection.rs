//! `--type VALUE`, repeatable: which event types to read, as the crate's [`TypeSelection`]. A
//! value is a category when it names one (its slug such as `cluster-event`, or its title such as
//! `Cluster Event Types`, case-insensitively), a prefix when it ends with `_` or `*` (`CLUSTER_`,
//! `CLUSTER_*`), otherwise an exact event type name.
//!
//! Exact names (up to 100) are filtered by Atlas; prefixes and categories are applied to every
//! event on this side, so that names newer than this program are not missed (a category keeps
//! every name it does not know).

use std::str::FromStr;

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
