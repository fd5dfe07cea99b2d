//! Selecting event types by name, name prefix or category, in a way that
//! cannot silently miss names newer than the crate.

use crate::EventTypeName;

/// The most event type names sent in one request (`eventType=` repeated): a
/// longer list would make the request line longer than servers and proxies
/// commonly accept (8 KiB), so it is filtered on this side instead.
pub const MAX_TYPES_PER_QUERY: usize = 100;

/// Which event types a list (`.stream()`, `.pages()`, `.send()`) or a
/// follow stream yields; set with the list builder's `.types()`.
///
/// - Exact names only, at most [`MAX_TYPES_PER_QUERY`] of them: Atlas
///   filters (`eventType`), nothing else is transferred. A name the crate
///   does not know is sent as given (`OrgEventType::from("NEW_NAME")`).
/// - Anything else (a prefix such as `CLUSTER_`, a category, or more names):
///   every event is fetched and the selection is applied on this side, so a
///   name newer than the crate is never missed by a filter that could have
///   matched it. A prefix matches any name that starts with it. A category
///   matches the names the crate knows in it **and every name the crate
///   does not know** (it may belong to the category: look at
///   `event_type().is_known()` to tell them apart).
/// - An event without an `eventTypeName` (it cannot be told) is always kept.
///
/// ```
/// use mongodb_atlas_events::TypeSelection;
/// use mongodb_atlas_events::models::{GroupEventCategory, GroupEventType};
///
/// let selection = TypeSelection::<GroupEventType>::all()
///     .prefix("CLUSTER_")
///     .category(GroupEventCategory::HostEvent)
///     .name("A_NAME_FROM_2030");
/// assert!(selection.matches("CLUSTER_SOMETHING_NEWER_THAN_THIS_CRATE"));
/// assert!(selection.matches("A_NAME_FROM_2030"));
/// assert_eq!(GroupEventType::HostDown.category(), Some(GroupEventCategory::HostEvent));
/// assert!(selection.matches("HOST_DOWN"));
/// // Known, in another category:
/// assert!(!selection.matches("MONTHLY_BILLING_CHANGE_NORMAL"));
/// // Not known to this crate: it may be a newer host event, so it is kept.
/// assert!(selection.matches("HOST_SOMETHING_FROM_2030"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSelection<N: EventTypeName> {
    names: Vec<N>,
    prefixes: Vec<String>,
    categories: Vec<N::Category>,
}

impl<N: EventTypeName> Default for TypeSelection<N> {
    fn default() -> Self {
        Self::all()
    }
}

impl<N: EventTypeName> TypeSelection<N> {
    /// Every type: no restriction until a name, prefix or category is added.
    pub fn all() -> Self {
        TypeSelection {
            names: Vec::new(),
            prefixes: Vec::new(),
            categories: Vec::new(),
        }
    }

    /// Also selects one exact name (known to the crate or not).
    pub fn name(mut self, name: impl Into<N>) -> Self {
        let name = name.into();
        if !self.names.contains(&name) {
            self.names.push(name);
        }
        self
    }

    /// Also selects several exact names.
    pub fn names<T: Into<N>>(self, names: impl IntoIterator<Item = T>) -> Self {
        names
            .into_iter()
            .fold(self, |selection, name| selection.name(name))
    }

    /// Also selects every name that starts with `prefix`, such as `CLUSTER_`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        if !self.prefixes.contains(&prefix) {
            self.prefixes.push(prefix);
        }
        self
    }

    /// Also selects a category: its known names, and names the crate does not know.
    pub fn category(mut self, category: N::Category) -> Self {
        if !self.categories.contains(&category) {
            self.categories.push(category);
        }
        self
    }

    /// Whether nothing is restricted.
    pub fn is_all(&self) -> bool {
        self.names.is_empty() && self.prefixes.is_empty() && self.categories.is_empty()
    }

    /// Whether an event of type `name` is selected.
    pub fn matches(&self, name: &str) -> bool {
        if self.is_all()
            || self.names.iter().any(|n| n.name() == name)
            || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
        {
            return true;
        }
        if self.categories.is_empty() {
            return false;
        }
        let parsed = N::from(name);
        match parsed.category() {
            Some(category) => self.categories.contains(&category),
            // Not known here: it may be a newer name of a selected category.
            None => !N::known().contains(&parsed),
        }
    }

    /// The names Atlas can filter by, when the selection is nothing but
    /// (at most [`MAX_TYPES_PER_QUERY`]) exact names.
    pub fn server_names(&self) -> Option<&[N]> {
        let names_only = self.prefixes.is_empty() && self.categories.is_empty();
        (names_only && !self.names.is_empty() && self.names.len() <= MAX_TYPES_PER_QUERY)
            .then_some(self.names.as_slice())
    }
}
