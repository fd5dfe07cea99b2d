//! What the event-type enums share: [`EventTypeName`], implemented by each enum whose known
//! values carry a typed category, and [`UnknownCategory`], the error of parsing a category.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// An open enum of event type names whose known values carry a typed category
/// (implemented by the generated `GroupEventType` and `OrgEventType`).
pub trait EventTypeName:
    Clone + Eq + std::hash::Hash + std::fmt::Debug + for<'a> From<&'a str> + Send + Sync + 'static
{
    /// The typed categories of these names.
    type Category: Copy
        + Eq
        + std::hash::Hash
        + std::fmt::Debug
        + std::fmt::Display
        + Send
        + Sync
        + 'static;
    /// The name as the API spells it.
    fn name(&self) -> &str;
    /// The category of a name this crate knows; `None` for a name it does not know.
    fn category(&self) -> Option<Self::Category>;
    /// Every name this crate knows, in spec order.
    fn known() -> &'static [Self];
    /// Every category, sorted by slug.
    fn categories() -> &'static [Self::Category];
    /// The known names of one category, in spec order.
    fn names_in(category: Self::Category) -> &'static [Self];
}

/// Text that names no category of an event-type enum: neither a slug (`cluster-event`) nor a
/// title (`Cluster Event Types`), compared ASCII case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownCategory {
    /// The text as given.
    pub given: String,
}

impl UnknownCategory {
    pub(crate) fn new(given: &str) -> UnknownCategory {
        UnknownCategory {
            given: given.to_owned(),
        }
    }
}

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an event category (give a slug such as `cluster-event`, or a title)",
            self.given
        )
    }
}

impl std::error::Error for UnknownCategory {}

/// The category among `all` whose slug or title is `text`, ASCII case-insensitively: the
/// `FromStr` of every category enum.
#[doc(hidden)]
pub fn parse_category<C: Copy>(
    all: &[C],
    text: &str,
    slug: fn(C) -> &'static str,
    title: fn(C) -> &'static str,
) -> Result<C, UnknownCategory> {
    all.iter()
        .copied()
        .find(|&c| slug(c).eq_ignore_ascii_case(text) || title(c).eq_ignore_ascii_case(text))
        .ok_or_else(|| UnknownCategory::new(text))
}

/// Reads a category from a string, as its `FromStr` does: the `Deserialize` of every category
/// enum.
#[doc(hidden)]
pub fn deserialize_category<'de, C, D>(deserializer: D) -> Result<C, D::Error>
where
    C: std::str::FromStr<Err = UnknownCategory>,
    D: Deserializer<'de>,
{
    struct CategoryVisitor<C>(std::marker::PhantomData<C>);
    impl<C: std::str::FromStr<Err = UnknownCategory>> Visitor<'_> for CategoryVisitor<C> {
        type Value = C;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an event category slug")
        }
        fn visit_str<E: de::Error>(self, value: &str) -> Result<C, E> {
            value.parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_str(CategoryVisitor(std::marker::PhantomData))
}
