//! Operations and their parameters.

use std::collections::{BTreeMap, BTreeSet};

use super::Diff;
use crate::changelog::{Constraint, Endpoint, Entry, ParamId};
use crate::changelog::{OperationChange, ParamChange, names::ty};
use crate::model::{Api, Constraints, Operation, Param, ParamLocation};

pub(super) fn diff_operations(d: &mut Diff, old: &Api, new: &Api) {
    let old_by_id: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_by_id: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let key = |o: &Operation| (o.http_method, o.path.clone());
    let new_by_endpoint: BTreeMap<_, &Operation> = new
        .operations
        .iter()
        .filter(|o| !old_by_id.contains_key(o.id.as_str()))
        .map(|o| (key(o), o))
        .collect();

    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    let mut renamed_to = BTreeSet::new();
    for (id, op) in &old_by_id {
        if let Some(now) = new_by_id.get(id) {
            pairs.push((op, now));
        } else if let Some(now) = new_by_endpoint.get(&key(op)) {
            d.push(Entry::Operation(OperationChange::Renamed {
                old: op.id.clone(),
                new: now.id.clone(),
                endpoint: Endpoint::of(op),
                old_method: op.method_name.clone(),
                new_method: now.method_name.clone(),
                old_builder: op.builder_name.clone(),
                new_builder: now.builder_name.clone(),
            }));
            renamed_to.insert(now.id.as_str());
            pairs.push((op, now));
        } else {
            d.push(Entry::Operation(OperationChange::Removed {
                operation: op.id.clone(),
                endpoint: Endpoint::of(op),
                method: op.method_name.clone(),
            }));
        }
    }
    for (id, op) in &new_by_id {
        if !old_by_id.contains_key(id) && !renamed_to.contains(id) {
            d.push(Entry::Operation(OperationChange::Added {
                operation: op.id.clone(),
                endpoint: Endpoint::of(op),
                method: op.method_name.clone(),
            }));
        }
    }
    for (old_op, new_op) in pairs {
        diff_operation(d, old_op, new_op);
    }
}

fn diff_operation(d: &mut Diff, old: &Operation, new: &Operation) {
    diff_endpoint(d, old, new);
    diff_response(d, old, new);
    diff_params(d, old, new);
    diff_argument_order(d, old, new);
}

/// The HTTP method, the path and the `Accept` media type of one operation.
fn diff_endpoint(d: &mut Diff, old: &Operation, new: &Operation) {
    let operation = new.id.clone();
    // Same `operationId`, another endpoint (a rename keeps the endpoint by construction).
    if old.http_method != new.http_method {
        d.push(Entry::Operation(OperationChange::HttpMethodChanged {
            operation: operation.clone(),
            old: Endpoint::of(old),
            new: Endpoint::of(new),
        }));
    }
    if old.path != new.path {
        d.push(Entry::Operation(OperationChange::PathChanged {
            operation: operation.clone(),
            method: new.method_name.clone(),
            old: old.path.clone(),
            new: new.path.clone(),
        }));
    }
    if old.accept != new.accept {
        d.push(Entry::Operation(OperationChange::MediaTypeChanged {
            operation,
            old: old.accept.clone(),
            new: new.accept.clone(),
        }));
    }
}

/// What one operation answers: its response type, paging, deprecation and error statuses.
fn diff_response(d: &mut Diff, old: &Operation, new: &Operation) {
    let operation = new.id.clone();
    if old.response != new.response {
        d.push(Entry::Operation(OperationChange::ResponseRetyped {
            operation: operation.clone(),
            old: ty(&old.response),
            new: ty(&new.response),
        }));
    }
    match (&old.paging, &new.paging) {
        (None, Some(_)) => d.push(Entry::Operation(OperationChange::PagingAdded {
            operation: operation.clone(),
        })),
        (Some(_), None) => d.push(Entry::Operation(OperationChange::PagingRemoved {
            operation: operation.clone(),
        })),
        (Some(a), Some(b)) if a != b => {
            d.push(Entry::Operation(OperationChange::PageItemsRetyped {
                operation: operation.clone(),
                old: ty(&a.item),
                new: ty(&b.item),
            }))
        }
        _ => {}
    }
    if old.deprecated != new.deprecated {
        d.push(Entry::Operation(OperationChange::DeprecationChanged {
            operation: operation.clone(),
            deprecated: new.deprecated,
        }));
    }
    if old.error_statuses != new.error_statuses {
        d.push(Entry::Operation(OperationChange::ErrorStatusesChanged {
            operation,
            old: old.error_statuses.clone(),
            new: new.error_statuses.clone(),
        }));
    }
}

/// A parameter's identity across versions: its location and wire name.
fn param_key(p: &Param) -> (ParamLocation, String) {
    (p.location, p.wire_name.clone())
}

/// Parameters removed, added and changed (type, requiredness, Rust name, default, constraints).
fn diff_params(d: &mut Diff, old: &Operation, new: &Operation) {
    let old_params: BTreeMap<_, &Param> = old.params.iter().map(|p| (param_key(p), p)).collect();
    let new_params: BTreeMap<_, &Param> = new.params.iter().map(|p| (param_key(p), p)).collect();
    for (key, p) in &old_params {
        if !new_params.contains_key(key) {
            d.push(Entry::Param(ParamChange::Removed {
                param: ParamId::of(new, p),
            }));
        }
    }
    for (key, p) in &new_params {
        let param = ParamId::of(new, p);
        let Some(was) = old_params.get(key) else {
            d.push(Entry::Param(ParamChange::Added {
                param,
                ty: ty(&p.ty),
                required: p.required,
            }));
            continue;
        };
        if was.ty != p.ty {
            d.push(Entry::Param(ParamChange::Retyped {
                param: param.clone(),
                old: ty(&was.ty),
                new: ty(&p.ty),
            }));
        }
        if was.required != p.required {
            d.push(Entry::Param(ParamChange::RequirednessChanged {
                param: param.clone(),
                required: p.required,
            }));
        }
        if was.rust_name != p.rust_name {
            d.push(Entry::Param(ParamChange::RenamedInRust {
                param: param.clone(),
                old: was.rust_name.clone(),
                new: p.rust_name.clone(),
            }));
        }
        if was.default != p.default {
            let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
            d.push(Entry::Param(ParamChange::DefaultChanged {
                param: param.clone(),
                old: json(&was.default),
                new: json(&p.default),
            }));
        }
        diff_constraints(d, &param, &was.constraints, &p.constraints);
    }
}

/// The client method takes the required parameters positionally, in the spec's order: those
/// required on both sides must keep their relative order.
fn diff_argument_order(d: &mut Diff, old: &Operation, new: &Operation) {
    fn arguments<'a>(op: &'a Operation, other: &Operation) -> Vec<&'a Param> {
        op.params
            .iter()
            .filter(|p| {
                p.required
                    && other.params.iter().any(|q| {
                        q.required && q.location == p.location && q.wire_name == p.wire_name
                    })
            })
            .collect()
    }
    let (was, now) = (arguments(old, new), arguments(new, old));
    if !was
        .iter()
        .map(|p| param_key(p))
        .eq(now.iter().map(|p| param_key(p)))
    {
        let names = |params: &[&Param]| params.iter().map(|p| p.rust_name.clone()).collect();
        d.push(Entry::Param(ParamChange::ArgumentsReordered {
            operation: new.id.clone(),
            method: new.method_name.clone(),
            old: names(&was),
            new: names(&now),
        }));
    }
}

fn diff_constraints(d: &mut Diff, param: &ParamId, old: &Constraints, new: &Constraints) {
    fn show<T: std::fmt::Debug>(v: &Option<T>) -> Option<String> {
        v.as_ref().map(|v| format!("{v:?}"))
    }
    // Tightened: a value the client used to send is now rejected before sending.
    let checks: [(Constraint, bool, Option<String>, Option<String>); 4] = [
        (
            Constraint::Pattern,
            new.pattern.is_some() && old.pattern != new.pattern,
            show(&old.pattern),
            show(&new.pattern),
        ),
        (
            Constraint::Minimum,
            matches!((old.minimum, new.minimum), (None, Some(_)))
                || matches!((old.minimum, new.minimum), (Some(a), Some(b)) if b > a),
            show(&old.minimum),
            show(&new.minimum),
        ),
        (
            Constraint::Maximum,
            matches!((old.maximum, new.maximum), (None, Some(_)))
                || matches!((old.maximum, new.maximum), (Some(a), Some(b)) if b < a),
            show(&old.maximum),
            show(&new.maximum),
        ),
        (
            Constraint::MaxItems,
            matches!((old.max_items, new.max_items), (None, Some(_)))
                || matches!((old.max_items, new.max_items), (Some(a), Some(b)) if b < a),
            show(&old.max_items),
            show(&new.max_items),
        ),
    ];
    for (constraint, tightened, old, new) in checks {
        if old == new {
            continue;
        }
        let param = param.clone();
        d.push(if tightened {
            Entry::Param(ParamChange::ConstraintTightened {
                param,
                constraint,
                old,
                new,
            })
        } else {
            Entry::Param(ParamChange::ConstraintLoosened {
                param,
                constraint,
                old,
                new,
            })
        });
    }
}
