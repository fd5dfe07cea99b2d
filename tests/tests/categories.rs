//! Typed event categories: every event-type enum whose names the spec lists under titled enums
//! has a closed category enum (`GroupEventCategory`, ...) and implements `EventTypeName`.

use std::collections::BTreeSet;
use std::str::FromStr;

use mongodb_atlas_events::models::{
    GroupDefaultEventCategory, GroupDefaultEventType, GroupEventCategory, GroupEventType,
    OrgDefaultEventCategory, OrgDefaultEventType, OrgEventCategory, OrgEventType,
};
use mongodb_atlas_events::{EventTypeName, UnknownCategory};

#[test]
fn a_category_parses_from_its_slug_or_title_in_any_ascii_case() {
    for text in [
        "cluster-event",
        "CLUSTER-EVENT",
        "Cluster Event Types",
        "cluster event types",
    ] {
        assert_eq!(
            GroupEventCategory::from_str(text),
            Ok(GroupEventCategory::ClusterEvent),
            "{text}"
        );
    }
    assert_eq!(
        GroupEventCategory::from_str("x509-user-auth-event"),
        Ok(GroupEventCategory::X509UserAuthEvent)
    );
    assert_eq!(
        GroupEventCategory::X509UserAuthEvent.title(),
        "x509 User Auth Event Types"
    );
    assert_eq!(GroupEventCategory::GroupAudit.slug(), "group-audit");
    assert_eq!(
        GroupEventCategory::ClusterEvent.to_string(),
        "cluster-event"
    );

    for text in [
        "cluster",
        "ClusterEvent",
        "cluster_event",
        " cluster-event",
        "",
    ] {
        let err: UnknownCategory = GroupEventCategory::from_str(text).unwrap_err();
        assert_eq!(err.given, text);
        assert!(err.to_string().contains(&format!("`{text}`")), "{err}");
        let _: &dyn std::error::Error = &err;
    }
}

#[test]
fn a_name_knows_its_category_and_the_category_lists_it() {
    assert_eq!(
        GroupEventType::ClusterMongosIsPresent.category(),
        Some(GroupEventCategory::ClusterEvent)
    );
    assert!(
        GroupEventCategory::ClusterEvent
            .event_types()
            .contains(&GroupEventType::ClusterMongosIsPresent)
    );
    // The spec lists `CLUSTER_CREATED` under "Atlas Audit Types", not "Cluster Event Types".
    assert_eq!(
        GroupEventType::ClusterCreated.category(),
        Some(GroupEventCategory::AtlasAudit)
    );
    assert!(
        GroupEventCategory::AtlasAudit
            .event_types()
            .contains(&GroupEventType::ClusterCreated)
    );
    assert_eq!(
        GroupEventType::HostDown.category(),
        Some(GroupEventCategory::HostEvent)
    );
    // Upstream titles the alert-config names "Alert Audit Types" too; the fixup renames that
    // branch, so they are a category of their own.
    assert_eq!(
        GroupEventType::AlertAcknowledgedAudit.category(),
        Some(GroupEventCategory::AlertAudit)
    );
    assert_eq!(
        GroupEventType::AlertConfigAddedAudit.category(),
        Some(GroupEventCategory::AlertConfigAudit)
    );
    assert_eq!(
        GroupEventCategory::AlertConfigAudit.title(),
        "Alert Config Audit Types"
    );
    assert_eq!(GroupEventType::from("NOT_A_TYPE_YET").category(), None);
}

/// The properties every category enum keeps, through `EventTypeName` alone.
fn check<N: EventTypeName>(what: &str)
where
    N::Category: Ord,
{
    // Every known name has a category, and that category lists it, once.
    for name in N::known() {
        let category = name
            .category()
            .unwrap_or_else(|| panic!("{what}: {name:?} has no category"));
        let listed = N::names_in(category);
        assert_eq!(
            listed.iter().filter(|n| *n == name).count(),
            1,
            "{what}: {category} does not list {name:?} once"
        );
        assert_eq!(&N::from(name.name()), name);
    }
    // Every category lists only names of its own, in spec order, and together they list every
    // known name exactly once.
    let position = |name: &N| N::known().iter().position(|n| n == name).unwrap();
    let mut total = 0;
    for &category in N::categories() {
        let names = N::names_in(category);
        assert!(!names.is_empty(), "{what}: {category} lists no name");
        assert!(
            names.iter().all(|n| n.category() == Some(category)),
            "{what}: {category} lists a name of another category"
        );
        assert!(
            names.windows(2).all(|w| position(&w[0]) < position(&w[1])),
            "{what}: {category} is not in spec order"
        );
        total += names.len();
    }
    assert_eq!(total, N::known().len(), "{what}");
    // Sorted by slug (Display), which is also the derived order; slugs are distinct.
    let slugs: Vec<String> = N::categories().iter().map(|c| c.to_string()).collect();
    let mut sorted = slugs.clone();
    sorted.sort();
    assert_eq!(slugs, sorted, "{what}: categories are not sorted by slug");
    assert!(
        N::categories().windows(2).all(|w| w[0] < w[1]),
        "{what}: Ord disagrees with the slug order"
    );
    assert_eq!(
        slugs.iter().collect::<BTreeSet<_>>().len(),
        slugs.len(),
        "{what}"
    );
    // A name no spec lists has no category.
    assert_eq!(N::from("NOT_A_TYPE_YET").category(), None);
    assert_eq!(N::from("NOT_A_TYPE_YET").name(), "NOT_A_TYPE_YET");
}

#[test]
fn every_known_name_is_listed_by_its_category() {
    check::<GroupEventType>("GroupEventType");
    check::<OrgEventType>("OrgEventType");
    check::<GroupDefaultEventType>("GroupDefaultEventType");
    check::<OrgDefaultEventType>("OrgDefaultEventType");
}

/// `FromStr` and `Display` agree for every category of every enum, and so do serde and `slug()`.
#[test]
fn slugs_and_titles_round_trip() {
    fn round_trip<C>(all: &[C], slug: fn(C) -> &'static str, title: fn(C) -> &'static str)
    where
        C: Copy
            + PartialEq
            + std::fmt::Debug
            + std::fmt::Display
            + FromStr<Err = UnknownCategory>
            + serde::Serialize
            + serde::de::DeserializeOwned,
    {
        for &c in all {
            assert_eq!(c.to_string(), slug(c));
            assert_eq!(C::from_str(slug(c)), Ok(c));
            assert_eq!(C::from_str(title(c)), Ok(c));
            assert_eq!(C::from_str(&title(c).to_ascii_uppercase()), Ok(c));
            let json = serde_json::to_value(c).unwrap();
            assert_eq!(json, serde_json::Value::from(slug(c)));
            assert_eq!(serde_json::from_value::<C>(json).unwrap(), c);
        }
    }
    round_trip(
        GroupEventCategory::ALL,
        GroupEventCategory::slug,
        GroupEventCategory::title,
    );
    round_trip(
        OrgEventCategory::ALL,
        OrgEventCategory::slug,
        OrgEventCategory::title,
    );
    round_trip(
        GroupDefaultEventCategory::ALL,
        GroupDefaultEventCategory::slug,
        GroupDefaultEventCategory::title,
    );
    round_trip(
        OrgDefaultEventCategory::ALL,
        OrgDefaultEventCategory::slug,
        OrgDefaultEventCategory::title,
    );
    let err = serde_json::from_value::<OrgEventCategory>("no-such-category".into()).unwrap_err();
    assert!(err.to_string().contains("`no-such-category`"), "{err}");
}

/// What `cargo conformance` or a type filter does with the trait: parse a category given on a
/// command line, and list its names.
#[test]
fn a_filter_can_be_written_against_the_trait() {
    fn names<N: EventTypeName>(category: &str) -> Vec<&'static str>
    where
        N::Category: FromStr,
    {
        let Ok(category) = category.parse::<N::Category>() else {
            return Vec::new();
        };
        N::names_in(category).iter().map(|n| n.name()).collect()
    }
    let org = names::<OrgEventType>("billing-event");
    assert!(!org.is_empty());
    assert!(
        org.iter()
            .all(|n| OrgEventType::from(*n).category() == Some(OrgEventCategory::BillingEvent))
    );
    assert!(names::<GroupEventType>("no-such-category").is_empty());
}
