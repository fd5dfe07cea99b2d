//! [`UnknownValue`]: what the `Unknown` variant of every open enum holds.

use std::fmt;

/// A value of an open enum that this version of the crate does not know, exactly as received.
///
/// Every open enum (`GroupEventType`, units, metric names, ...) has one variant per value the
/// spec lists and `Unknown(UnknownValue)` for anything else. There is no public constructor:
/// the only way to get an `UnknownValue` is to read text the enum does not know, with
/// `From<&str>`, `From<String>`, `FromStr` or serde, which map every known text to its known
/// variant. So `Unknown` never holds a known value, two values of an enum are equal exactly
/// when their texts are, and a value a later spec adds decodes as its new variant.
///
/// ```
/// use mongodb_atlas_events::models::GroupEventType;
///
/// let known = GroupEventType::from("CLUSTER_CREATED");
/// assert_eq!(known, GroupEventType::ClusterCreated);
/// let future = GroupEventType::from("A_NAME_FROM_2030");
/// let GroupEventType::Unknown(value) = &future else { unreachable!() };
/// assert_eq!(value.as_str(), "A_NAME_FROM_2030");
/// assert_eq!(GroupEventType::from(value.as_str()), future);
/// ```
///
/// Match an open enum with a fallback arm, not on an unknown value's text, which a later
/// version of the crate may know as a variant of its own:
///
/// ```
/// use mongodb_atlas_events::models::GroupEventType;
///
/// let value = GroupEventType::from("A_VALUE_FROM_THE_FUTURE");
/// match &value {
///     GroupEventType::ClusterCreated => println!("known"),
///     other => println!("{}", other.as_str()),
/// }
/// assert!(!value.is_known());
/// assert_eq!(value.to_string(), "A_VALUE_FROM_THE_FUTURE");
/// ```
///
/// An `Unknown` cannot be built by hand, from a known name or any other:
///
/// ```compile_fail
/// use mongodb_atlas_events::models::GroupEventType;
///
/// let value = GroupEventType::Unknown("CLUSTER_CREATED".to_string());
/// ```
///
/// ```compile_fail
/// use mongodb_atlas_events::UnknownValue;
/// use mongodb_atlas_events::models::GroupEventType;
///
/// let value = GroupEventType::Unknown(UnknownValue("CLUSTER_CREATED".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// Only the enums' `From` impls call this, with text they do not know.
    pub(crate) fn new(text: impl Into<Box<str>>) -> UnknownValue {
        UnknownValue(text.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
