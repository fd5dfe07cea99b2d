//! Unions: their views, how event types are routed to them, and their common accessors.

use std::collections::BTreeMap;

use super::{Diff, enum_values, scope_name};
use crate::changelog::{Entry, Rename};
use crate::changelog::{ViewChange, names::ty};
use crate::model::{Api, TypeRef, UnionDef};
use crate::naming;

pub(super) fn diff_union(
    d: &mut Diff,
    old_api: &Api,
    new_api: &Api,
    old: &UnionDef,
    new: &UnionDef,
) {
    let union = new.spec_name.clone();
    let scope = scope_name(&[new_api], &new.names_enum);
    let was: BTreeMap<&str, _> = old
        .variants
        .iter()
        .map(|v| (v.type_key.as_str(), v))
        .collect();
    let now: BTreeMap<&str, _> = new
        .variants
        .iter()
        .map(|v| (v.type_key.as_str(), v))
        .collect();
    for (view, v) in &was {
        if !now.contains_key(view) {
            d.push(Entry::View(ViewChange::Removed {
                union: union.clone(),
                scope: scope.clone(),
                view: view.to_string(),
                variant: format!("{}::{}", old.rust_name, v.rust_name),
            }));
        }
    }
    for (view, v) in &now {
        match was.get(view) {
            None => d.push(Entry::View(ViewChange::Added {
                union: union.clone(),
                scope: scope.clone(),
                view: view.to_string(),
                variant: format!("{}::{}", new.rust_name, v.rust_name),
                names: sorted(v.names.clone()),
            })),
            Some(a) if a.rust_name != v.rust_name => {
                d.push(Entry::View(ViewChange::VariantRenamed {
                    union: union.clone(),
                    scope: scope.clone(),
                    old: a.rust_name.clone(),
                    new: v.rust_name.clone(),
                }))
            }
            _ => {}
        }
    }
    if old.property != new.property {
        d.push(Entry::View(ViewChange::PropertyChanged {
            union: union.clone(),
            scope: scope.clone(),
            old: old.property.clone(),
            new: new.property.clone(),
        }));
    }
    let moves = rerouted(old_api, new_api, old, new);
    d.push_any(moves, |moves| {
        Entry::View(ViewChange::EventTypesRerouted {
            union,
            scope: scope.clone(),
            moves,
        })
    });
    diff_accessors(d, &scope, old, new);
    diff_non_conforming(d, &scope, old, new);
}

/// Names in both specs that now decode as another view: name, old view, new view.
fn rerouted(old_api: &Api, new_api: &Api, old: &UnionDef, new: &UnionDef) -> Vec<Rename> {
    let route = |u: &UnionDef| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for v in &u.variants {
            for n in &v.names {
                out.entry(n.clone()).or_insert_with(|| v.type_key.clone());
            }
        }
        out
    };
    let fallback = |u: &UnionDef| u.variants[u.fallback].type_key.clone();
    let (old_route, new_route) = (route(old), route(new));
    let old_names = enum_values(&old_api.types, &old.names_enum);
    let new_names = enum_values(&new_api.types, &new.names_enum);
    old_names
        .keys()
        .filter(|n| new_names.contains_key(*n))
        .filter_map(|n| {
            let a = old_route.get(n).cloned().unwrap_or_else(|| fallback(old));
            let b = new_route.get(n).cloned().unwrap_or_else(|| fallback(new));
            (a != b).then(|| Rename::new(n, a, b))
        })
        .collect()
}

/// The common accessors a union gets (decided in lowering): removed, retyped and added. Each
/// returns its type as an `Option` (a non-conforming event may lack any field).
fn diff_accessors(d: &mut Diff, scope: &str, old: &UnionDef, new: &UnionDef) {
    let accessors = |u: &UnionDef| -> BTreeMap<String, TypeRef> {
        u.accessors
            .iter()
            .map(|a| (a.rust_name.clone(), a.ty.clone()))
            .collect()
    };
    let (a, b) = (accessors(old), accessors(new));
    let scope = scope.to_string();
    for (name, sig) in &a {
        match b.get(name) {
            None => d.push(Entry::View(ViewChange::AccessorRemoved {
                scope: scope.clone(),
                accessor: format!("{}::{name}", old.rust_name),
            })),
            Some(now) if now != sig => d.push(Entry::View(ViewChange::AccessorRetyped {
                scope: scope.clone(),
                accessor: format!("{}::{name}", new.rust_name),
                old: ty(sig),
                new: ty(now),
            })),
            _ => {}
        }
    }
    for (name, sig) in &b {
        if !a.contains_key(name) {
            d.push(Entry::View(ViewChange::AccessorAdded {
                scope: scope.clone(),
                accessor: format!("{}::{name}", new.rust_name),
                ty: ty(sig),
            }));
        }
    }
}

/// The typed fields of the union's non-conforming struct (decided in lowering), by Rust name:
/// removed, retyped and added.
fn diff_non_conforming(d: &mut Diff, scope: &str, old: &UnionDef, new: &UnionDef) {
    let fields = |u: &UnionDef| -> BTreeMap<String, (String, TypeRef)> {
        u.non_conforming
            .iter()
            .map(|f| (f.rust_name.clone(), (f.wire_name.clone(), f.ty.clone())))
            .collect()
    };
    let (a, b) = (fields(old), fields(new));
    let field =
        |u: &UnionDef, name: &str| format!("{}::{name}", naming::non_conforming(&u.rust_name));
    for (name, (wire, was)) in &a {
        match b.get(name) {
            None => d.push(Entry::View(ViewChange::NonConformingFieldRemoved {
                scope: scope.to_string(),
                field: field(old, name),
                wire: wire.clone(),
            })),
            Some((_, now)) if now != was => {
                d.push(Entry::View(ViewChange::NonConformingFieldRetyped {
                    scope: scope.to_string(),
                    field: field(new, name),
                    old: ty(was),
                    new: ty(now),
                }))
            }
            _ => {}
        }
    }
    for (name, (wire, now)) in &b {
        if !a.contains_key(name) {
            d.push(Entry::View(ViewChange::NonConformingFieldAdded {
                scope: scope.to_string(),
                field: field(new, name),
                wire: wire.clone(),
                ty: ty(now),
            }));
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}
