//! Event type names, enum values, and the labels of enum values (kinds and categories).

use std::collections::{BTreeMap, BTreeSet};

use super::{Diff, enum_values, keyed, scope_name};
use crate::changelog::{Entry, EnumChange, EnumName, LabelChange, LabelMethod, Relabel, Rename};
use crate::model::{Api, Category, EnumDef, LabelKind};

/// The event type names of each scope (each union's `names` enum) added and removed.
pub(super) fn diff_event_types(d: &mut Diff, old: &Api, new: &Api, names_enums: &BTreeSet<&str>) {
    for names in names_enums {
        let was = enum_values(&old.types, names);
        let now = enum_values(&new.types, names);
        let scope = scope_name(&[new, old], names);
        let rust = new
            .types
            .get(*names)
            .or_else(|| old.types.get(*names))
            .map_or(*names, |t| t.rust_name());
        let (names_enum, rust) = (names.to_string(), rust.to_string());
        let added = (scope.clone(), names_enum.clone(), rust.clone());
        d.push_added_removed(
            &was,
            &now,
            |names| {
                Entry::Enum(EnumChange::EventTypesAdded {
                    scope: added.0,
                    names_enum: added.1,
                    rust: added.2,
                    names,
                })
            },
            |names| {
                Entry::Enum(EnumChange::EventTypesRemoved {
                    scope,
                    names_enum,
                    rust,
                    names,
                })
            },
        );
    }
}

pub(super) fn diff_enum(d: &mut Diff, enum_name: &EnumName, old: &EnumDef, new: &EnumDef) {
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    // The event type enums are reported per scope in their own section.
    if !enum_name.event_types {
        let wires = |e: &EnumDef| keyed(e.values.iter().map(|v| v.wire.clone()));
        d.push_added_removed(
            &wires(old),
            &wires(new),
            |values| {
                Entry::Enum(EnumChange::ValuesAdded {
                    enum_name: enum_name.clone(),
                    values,
                })
            },
            |values| {
                Entry::Enum(EnumChange::ValuesRemoved {
                    enum_name: enum_name.clone(),
                    values,
                })
            },
        );
    }
    let renames: Vec<Rename> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            (a.rust_name != b.rust_name).then(|| Rename::new(*w, &a.rust_name, &b.rust_name))
        })
        .collect();
    d.push_any(renames, |renames| {
        Entry::Enum(EnumChange::VariantsRenamed {
            enum_name: enum_name.clone(),
            renames,
        })
    });
    diff_labels(d, enum_name, old, new);
}

/// The distinct labels of an enum's values: the variants of the kind enum.
fn label_set(e: &EnumDef) -> BTreeMap<String, String> {
    keyed(e.values.iter().filter_map(|v| v.label.clone()))
}

/// What `category()` or `kind()` returns for a value: the variant of the category enum its
/// title names, or its kind.
fn label_variant<'a>(e: &'a EnumDef, label: Option<&'a str>) -> Option<&'a str> {
    let label = label?;
    Some(match e.labels.as_ref().and_then(|l| l.category(label)) {
        Some(category) => &category.rust_name,
        None => label,
    })
}

/// `category()` / `kind()` and what they return. See the rules in the module docs: the methods
/// and the category and kind enums (their variants, slugs) are API; which label a value
/// carries, and a category's title, are patch-level metadata.
fn diff_labels(d: &mut Diff, enum_name: &EnumName, old: &EnumDef, new: &EnumDef) {
    let enum_name = enum_name.clone();
    let (a, b) = match (&old.labels, &new.labels) {
        (None, None) => return,
        (None, Some(b)) => {
            let method = LabelMethod::of(b);
            return d.push(Entry::Label(LabelChange::Added { enum_name, method }));
        }
        (Some(a), None) => {
            let method = LabelMethod::of(a);
            return d.push(Entry::Label(LabelChange::Removed { enum_name, method }));
        }
        (Some(a), Some(b)) => (a, b),
    };
    match (a, b) {
        (
            LabelKind::Category {
                rust_name: x,
                categories: was,
            },
            LabelKind::Category {
                rust_name: y,
                categories: now,
            },
        ) if x == y => diff_categories(d, &enum_name, y, was, now),
        (LabelKind::Kind { rust_name: x, .. }, LabelKind::Kind { rust_name: y, .. }) if x == y => {
            // One variant of the kind enum per distinct label.
            let kind_enum = y.clone();
            d.push_added_removed(
                &label_set(old),
                &label_set(new),
                |kinds| {
                    Entry::Label(LabelChange::KindsAdded {
                        enum_name: enum_name.clone(),
                        kind_enum: kind_enum.clone(),
                        kinds,
                    })
                },
                |kinds| {
                    Entry::Label(LabelChange::KindsRemoved {
                        enum_name: enum_name.clone(),
                        kind_enum: kind_enum.clone(),
                        kinds,
                    })
                },
            );
        }
        (a, b) => {
            let (old, new) = (LabelMethod::of(a), LabelMethod::of(b));
            return d.push(Entry::Label(LabelChange::ChangedMeaning {
                enum_name,
                old,
                new,
            }));
        }
    }
    diff_relabeled(d, enum_name, old, new, LabelMethod::of(b));
}

/// Both sides have the same label method: per value, only what it returns changes.
fn diff_relabeled(
    d: &mut Diff,
    enum_name: EnumName,
    old: &EnumDef,
    new: &EnumDef,
    method: LabelMethod,
) {
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let changes: Vec<Relabel> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            let (from, to) = (
                label_variant(old, a.label.as_deref()),
                label_variant(new, b.label.as_deref()),
            );
            (from != to).then(|| Relabel {
                value: w.to_string(),
                old: from.map(str::to_string),
                new: to.map(str::to_string),
            })
        })
        .collect();
    d.push_any(changes, |changes| {
        Entry::Label(LabelChange::ValuesRelabeled {
            enum_name,
            method,
            changes,
        })
    });
}

/// The variants of a category enum, which follow the titles: a new one is additive (the enum
/// is `#[non_exhaustive]`), a removed one breaks `match`es and paths that name it, a changed
/// slug changes what `Display` and serde write and what `FromStr` accepts, and a changed title
/// (same variant and slug) only changes what `title()` returns.
fn diff_categories(
    d: &mut Diff,
    enum_name: &EnumName,
    category_enum: &str,
    was: &[Category],
    now: &[Category],
) {
    let by_variant = |categories: &'_ [Category]| -> BTreeMap<String, Category> {
        categories
            .iter()
            .map(|c| (c.rust_name.clone(), c.clone()))
            .collect()
    };
    let (was, now) = (by_variant(was), by_variant(now));
    let (mut reslugged, mut retitled) = (Vec::new(), Vec::new());
    for (variant, a) in &was {
        let Some(b) = now.get(variant) else { continue };
        if a.slug != b.slug {
            reslugged.push(Rename::new(variant, &a.slug, &b.slug));
        } else if a.title != b.title {
            retitled.push(Rename::new(variant, &a.title, &b.title));
        }
    }
    let (enum_name, category_enum) = (enum_name.clone(), category_enum.to_string());
    d.push_added_removed(
        &was,
        &now,
        |categories| {
            Entry::Label(LabelChange::CategoriesAdded {
                enum_name: enum_name.clone(),
                category_enum: category_enum.clone(),
                categories,
            })
        },
        |categories| {
            Entry::Label(LabelChange::CategoriesRemoved {
                enum_name: enum_name.clone(),
                category_enum: category_enum.clone(),
                categories,
            })
        },
    );
    d.push_any(reslugged, |changes| {
        Entry::Label(LabelChange::CategorySlugsChanged {
            enum_name: enum_name.clone(),
            category_enum: category_enum.clone(),
            changes,
        })
    });
    d.push_any(retitled, |changes| {
        Entry::Label(LabelChange::CategoryTitlesChanged {
            enum_name,
            category_enum,
            changes,
        })
    });
}
