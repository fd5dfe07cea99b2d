//! Computing the entries: the two models walked side by side, in sorted order.

mod enums;
mod operations;
mod types;
mod unions;

use std::collections::{BTreeMap, BTreeSet};

use enums::diff_event_types;
use operations::diff_operations;
use types::diff_types;

use super::{Changelog, Entry, ExampleChange, Verdict};
use crate::model::{Api, TypeDef};

/// The entries found so far.
struct Diff {
    entries: Vec<Entry>,
}

impl Diff {
    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// One entry for the names only `now` has and one for those only `was` has, each when
    /// there are any.
    fn push_added_removed<K: Ord, V: Clone>(
        &mut self,
        was: &BTreeMap<K, V>,
        now: &BTreeMap<K, V>,
        added: impl FnOnce(Vec<V>) -> Entry,
        removed: impl FnOnce(Vec<V>) -> Entry,
    ) {
        let only = |a: &BTreeMap<K, V>, b: &BTreeMap<K, V>| -> Vec<V> {
            a.iter()
                .filter(|(k, _)| !b.contains_key(k))
                .map(|(_, v)| v.clone())
                .collect()
        };
        self.push_any(only(now, was), added);
        self.push_any(only(was, now), removed);
    }

    /// The entry listing `items`, when there are any.
    fn push_any<T>(&mut self, items: Vec<T>, entry: impl FnOnce(Vec<T>) -> Entry) {
        if !items.is_empty() {
            self.entries.push(entry(items));
        }
    }
}

/// Compares two models. `old` is the model of the spec the crate was generated from.
pub fn diff(old: &Api, new: &Api) -> Changelog {
    let mut d = Diff {
        entries: Vec::new(),
    };
    diff_operations(&mut d, old, new);
    let names_enums: BTreeSet<&str> = old
        .types
        .values()
        .chain(new.types.values())
        .filter_map(|t| match t {
            TypeDef::Union(u) => Some(u.names_enum.as_str()),
            _ => None,
        })
        .collect();
    diff_event_types(&mut d, old, new, &names_enums);
    diff_types(&mut d, old, new, &names_enums);
    diff_examples(&mut d, old, new);
    if d.entries.is_empty() && without_info(old) != without_info(new) {
        d.push(Entry::DocumentationOnly);
    }
    d.entries.sort_by_key(Entry::section);
    let verdict = d
        .entries
        .iter()
        .map(|e| Verdict::from(e.impact()))
        .max()
        .unwrap_or(Verdict::None);
    Changelog {
        old_sha: old.info.upstream_sha.clone(),
        new_sha: new.info.upstream_sha.clone(),
        entries: d.entries,
        verdict,
    }
}

/// The hand-written code each crate gets (decided in lowering, see `Api::examples`).
fn diff_examples(d: &mut Diff, old: &Api, new: &Api) {
    for &example in &old.examples {
        if !new.examples.contains(&example) {
            d.push(Entry::Example(ExampleChange::Removed { example }));
        }
    }
    for &example in &new.examples {
        if !old.examples.contains(&example) {
            d.push(Entry::Example(ExampleChange::Added { example }));
        }
    }
}

fn without_info(api: &Api) -> Api {
    let mut api = api.clone();
    api.info.upstream_sha = None;
    api.info.version = String::new();
    api.info.title = String::new();
    api
}

/// How a report names the scope of an event type enum (decided in lowering, see
/// [`UnionDef::scope`](crate::model::UnionDef::scope)): `project`, `organization`, or the enum's name when it has none.
/// The first model that has a union over `names_enum` decides.
fn scope_name(apis: &[&Api], names_enum: &str) -> String {
    let scope = apis
        .iter()
        .flat_map(|api| api.types.values())
        .find_map(|t| match t {
            TypeDef::Union(u) if u.names_enum == names_enum => Some(u.scope),
            _ => None,
        })
        .flatten();
    scope.map_or_else(|| names_enum.to_string(), |s| s.label().to_string())
}

/// The wire values of the enum `key`, each mapped to itself (none when it is not an enum).
fn enum_values(types: &BTreeMap<String, TypeDef>, key: &str) -> BTreeMap<String, String> {
    match types.get(key) {
        Some(TypeDef::Enum(e)) => e
            .values
            .iter()
            .map(|v| (v.wire.clone(), v.wire.clone()))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// Names mapped to themselves, for [`Diff::push_added_removed`].
fn keyed(names: impl IntoIterator<Item = String>) -> BTreeMap<String, String> {
    names.into_iter().map(|n| (n.clone(), n)).collect()
}
