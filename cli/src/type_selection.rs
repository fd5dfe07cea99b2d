//! `--type VALUE`, repeatable: which event types to list. A value is a category when it names
//! one (its title, case-insensitively, such as `Cluster Event Types`), a prefix when it ends with
//! `_` or `*` (`CLUSTER_`, `CLUSTER_*`), otherwise an exact event type name.
//!
//! Exact names are sent to Atlas (`eventType`); prefixes and categories wait for the crate's
//! type selection, which filters what the server cannot, and are refused until then.

use mongodb_atlas_events::models::{GroupEventType, OrgEventType};

use crate::exit_code::Failure;
use crate::scope::Kind;

/// One `--type` value, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeValue {
    /// An exact event type name, sent as given.
    Name(String),
    /// A name prefix, without its `*`.
    Prefix(String),
    /// A category, by its title.
    Category(&'static str),
}

/// Reads one `--type` value for the event types of `kind`.
pub fn parse_value(kind: Kind, text: &str) -> Result<TypeValue, Failure> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Failure::Usage("--type needs a value".to_owned()));
    }
    if let Some(title) = categories(kind)
        .iter()
        .find(|title| title.eq_ignore_ascii_case(text))
    {
        return Ok(TypeValue::Category(title));
    }
    if let Some(prefix) = text.strip_suffix('*') {
        return Ok(TypeValue::Prefix(prefix.to_owned()));
    }
    if text.ends_with('_') {
        return Ok(TypeValue::Prefix(text.to_owned()));
    }
    Ok(TypeValue::Name(text.to_owned()))
}

/// Every value of `--type`, read.
pub fn parse_values(kind: Kind, values: &[String]) -> Result<Vec<TypeValue>, Failure> {
    values
        .iter()
        .map(|value| parse_value(kind, value))
        .collect()
}

/// The exact names to send as `eventType`; a prefix or a category is refused (not yet
/// supported). A name this program does not know is kept (Atlas lists new types before any
/// spec does) and noted, in case it is a typo.
pub fn exact_names(kind: Kind, values: &[TypeValue]) -> Result<Vec<String>, Failure> {
    let mut names = Vec::new();
    for value in values {
        match value {
            TypeValue::Name(name) => {
                if !is_known(kind, name) {
                    eprintln!(
                        "note: {name} is not an event type of {} this atlas-events knows; it is \
                         sent as given (see `atlas-events types`)",
                        kind.plural()
                    );
                }
                names.push(name.clone());
            }
            TypeValue::Prefix(prefix) => {
                return Err(Failure::Usage(format!(
                    "--type {prefix}*: prefixes are not supported yet; give exact event type \
                     names (`atlas-events types` lists them)"
                )));
            }
            TypeValue::Category(title) => {
                return Err(Failure::Usage(format!(
                    "--type {title}: categories are not supported yet; give exact event type \
                     names (`atlas-events types` lists them)"
                )));
            }
        }
    }
    Ok(names)
}

/// The categories of the event types of `kind`.
fn categories(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Org => OrgEventType::CATEGORIES,
        Kind::Project => GroupEventType::CATEGORIES,
    }
}

/// Whether `name` is a known event type of `kind`.
fn is_known(kind: Kind, name: &str) -> bool {
    match kind {
        Kind::Org => OrgEventType::from(name).is_known(),
        Kind::Project => GroupEventType::from(name).is_known(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_prefixes_and_names_are_told_apart() {
        assert_eq!(
            parse_value(Kind::Project, "host event types").unwrap(),
            TypeValue::Category("Host Event Types")
        );
        assert_eq!(
            parse_value(Kind::Project, "CLUSTER_*").unwrap(),
            TypeValue::Prefix("CLUSTER_".into())
        );
        assert_eq!(
            parse_value(Kind::Project, "CLUSTER_").unwrap(),
            TypeValue::Prefix("CLUSTER_".into())
        );
        assert_eq!(
            parse_value(Kind::Org, "ORG_CREATED").unwrap(),
            TypeValue::Name("ORG_CREATED".into())
        );
        // Categories of projects are not categories of organizations.
        assert_eq!(
            parse_value(Kind::Org, "Host Event Types").unwrap(),
            TypeValue::Name("Host Event Types".into())
        );
        assert!(parse_value(Kind::Org, " ").is_err());
    }

    #[test]
    fn only_exact_names_are_applied_for_now() {
        let values =
            parse_values(Kind::Org, &["ORG_CREATED".into(), "A_NEWER_TYPE".into()]).unwrap();
        assert_eq!(
            exact_names(Kind::Org, &values).unwrap(),
            ["ORG_CREATED", "A_NEWER_TYPE"]
        );
        let prefix = parse_values(Kind::Org, &["ORG_*".into()]).unwrap();
        let refused = exact_names(Kind::Org, &prefix).unwrap_err();
        assert!(
            refused.to_string().contains("not supported yet"),
            "{refused}"
        );
    }
}
