//! Decisions lowering makes once the types are complete (after fixups and optionality): how
//! each list operation pages, follows and filters, which common accessors and which typed
//! non-conforming fields each union has, which fields are boxed, and which hand-written
//! examples the crate gets. The emitters and the changelog only read what is decided here, so
//! the changelog, which compares models, sees every decision that shapes the public API.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;

/// The wire names paging is recognised by.
const PAGE_NUM: &str = "pageNum";
const ITEMS_PER_PAGE: &str = "itemsPerPage";
const ITEMS: &str = "results";
const TOTAL: &str = "totalCount";
const LINKS: &str = "links";
const LINK_REL: &str = "rel";
const NEXT_REL: &str = "next";
const MIN_DATE: &str = "minDate";
const MAX_DATE: &str = "maxDate";
const EVENT_TYPE: &str = "eventType";
const ENVELOPE: &str = "envelope";
/// An item's string id (what a stream deduplicates by); an event also has a creation time.
const ITEM_ID: &str = "id";
const EVENT_CREATED: &str = "created";
/// Atlas's page size when `itemsPerPage` has no default in the spec.
const DEFAULT_ITEMS_PER_PAGE: i64 = 100;
/// The prefix of Atlas's versioned media types (`application/vnd.atlas.2023-01-01+json`).
const VENDOR_MEDIA_TYPE: &str = "application/vnd.atlas.";

/// The operations `examples/` and the README's code call, each a list of events.
const EVENT_LISTS: [&str; 2] = ["listGroupEvents", "listOrgEvents"];
/// The list of an organization's projects, which following an organization pages through.
const ORG_PROJECTS: &str = "getOrgGroups";

/// Makes the decisions of the module docs, in place, and returns the examples the crate gets.
pub fn decide(operations: &mut [Operation], types: &mut BTreeMap<String, TypeDef>) -> Vec<Example> {
    for op in operations.iter_mut() {
        op.api_version = api_version(&op.accept).to_string();
        op.envelope = op
            .params
            .iter()
            .find(|p| p.wire_name == ENVELOPE && p.ty == TypeRef::Bool)
            .map(param_ref);
        op.paging = paging(types, &op.response, &op.params);
        op.example_args = op
            .params
            .iter()
            .filter(|p| p.required)
            .map(example_arg)
            .collect();
    }
    let unions: Vec<(String, Vec<Accessor>, Vec<NonConformingField>)> = types
        .iter()
        .filter_map(|(key, def)| match def {
            TypeDef::Union(u) => Some((key.clone(), accessors(types, u), non_conforming(types, u))),
            _ => None,
        })
        .collect();
    for (key, accessors, non_conforming) in unions {
        if let Some(TypeDef::Union(u)) = types.get_mut(&key) {
            u.accessors = accessors;
            u.non_conforming = non_conforming;
        }
    }
    box_cycles(types);
    examples(operations)
}

/// The examples whose operations the crate has (see [`Example`]).
fn examples(operations: &[Operation]) -> Vec<Example> {
    let has = |id: &str, fits: fn(&Paging) -> bool| {
        operations
            .iter()
            .any(|op| op.id == id && op.paging.as_ref().is_some_and(fits))
    };
    let event_lists = EVENT_LISTS
        .iter()
        .all(|id| has(id, |paging| paging.events.is_some()));
    let org_projects = has(ORG_PROJECTS, |_| true);
    let mut examples = Vec::new();
    if event_lists {
        examples.push(Example::EventLists);
    }
    if event_lists && org_projects {
        examples.push(Example::OrganizationFollow);
    }
    examples
}

/// Boxes every field whose type contains its own struct without indirection (see
/// [`Field::boxed`]). A list is indirection already, so only a named type is boxed.
fn box_cycles(types: &mut BTreeMap<String, TypeDef>) {
    let mut boxed: Vec<(String, usize)> = Vec::new();
    for (key, def) in types.iter() {
        let TypeDef::Struct(s) = def else { continue };
        for (index, field) in s.fields.iter().enumerate() {
            if matches!(field.ty, TypeRef::Named(_)) && reaches(types, &field.ty, key) {
                boxed.push((key.clone(), index));
            }
        }
    }
    for (key, index) in boxed {
        if let Some(TypeDef::Struct(s)) = types.get_mut(&key) {
            s.fields[index].boxed = true;
        }
    }
}

/// Whether a value of type `from` contains a value of type `target` without indirection.
fn reaches(types: &BTreeMap<String, TypeDef>, from: &TypeRef, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    reaches_inner(types, from, target, &mut seen)
}

fn reaches_inner(
    types: &BTreeMap<String, TypeDef>,
    from: &TypeRef,
    target: &str,
    seen: &mut BTreeSet<String>,
) -> bool {
    let TypeRef::Named(key) = from else {
        return false;
    };
    if key == target {
        return true;
    }
    if !seen.insert(key.clone()) {
        return false;
    }
    match types.get(key) {
        Some(TypeDef::Struct(s)) => s
            .fields
            .iter()
            .any(|f| reaches_inner(types, &f.ty, target, seen)),
        Some(TypeDef::Union(u)) => u
            .variants
            .iter()
            .any(|v| reaches_inner(types, &TypeRef::Named(v.type_key.clone()), target, seen)),
        Some(TypeDef::Enum(_)) | None => false,
    }
}

/// The typed fields of a union's non-conforming struct (see [`UnionDef::non_conforming`]):
/// only a field every view types alike can be typed whatever view the event meant to be.
fn non_conforming(types: &BTreeMap<String, TypeDef>, union: &UnionDef) -> Vec<NonConformingField> {
    let views = views(types, union);
    let Some(first) = views.first() else {
        return Vec::new();
    };
    first
        .fields
        .iter()
        .filter(|f| f.wire_name != union.property)
        .filter(|f| {
            views.iter().all(|view| {
                find_field(view, &f.wire_name)
                    .is_some_and(|other| other.ty == f.ty && other.rust_name == f.rust_name)
            })
        })
        .map(|f| NonConformingField {
            wire_name: f.wire_name.clone(),
            rust_name: f.rust_name.clone(),
            ty: f.ty.clone(),
        })
        .collect()
}

/// A value a doc example can pass: Atlas ids are ObjectIds (a pattern of 24 hex digits), which
/// the client checks before sending, so an example must look like one.
fn example_arg(param: &Param) -> String {
    let object_id = param
        .constraints
        .pattern
        .as_deref()
        .is_some_and(|pattern| pattern.contains("{24}"));
    if object_id {
        "32b6e34b3d91647abb20e7b8".to_string()
    } else {
        "example".to_string()
    }
}

fn api_version(accept: &str) -> &str {
    accept
        .strip_prefix(VENDOR_MEDIA_TYPE)
        .and_then(|rest| rest.split('+').next())
        .unwrap_or(accept)
}

fn param_ref(p: &Param) -> ParamRef {
    ParamRef {
        wire_name: p.wire_name.clone(),
        rust_name: p.rust_name.clone(),
    }
}

fn field_ref(f: &Field) -> FieldRef {
    FieldRef {
        wire_name: f.wire_name.clone(),
        rust_name: f.rust_name.clone(),
        optional: f.optional,
    }
}

fn find_field<'a>(def: &'a StructDef, wire: &str) -> Option<&'a Field> {
    def.fields.iter().find(|f| f.wire_name == wire)
}

fn struct_def<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'a StructDef> {
    match ty {
        TypeRef::Named(key) => match types.get(key) {
            Some(TypeDef::Struct(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// A response is a page when it has `results: [T]` and the operation takes `pageNum`.
fn paging(
    types: &BTreeMap<String, TypeDef>,
    response: &TypeRef,
    params: &[Param],
) -> Option<Paging> {
    let page = struct_def(types, response)?;
    let param = |wire: &str| params.iter().find(|p| p.wire_name == wire);
    let page_num = param(PAGE_NUM)?;
    let results = find_field(page, ITEMS)?;
    let TypeRef::List(item) = &results.ty else {
        return None;
    };
    let items_per_page = param(ITEMS_PER_PAGE);
    let default_items_per_page = items_per_page
        .and_then(|p| p.default.as_ref())
        .and_then(|d| d.as_i64())
        .unwrap_or(DEFAULT_ITEMS_PER_PAGE);
    let items_field = field_ref(results);
    let events = is_event_item(types, item).then(|| EventPaging {
        follow: follow(params),
        type_selection: type_selection(types, params, &items_field),
    });
    Some(Paging {
        item: (**item).clone(),
        page_num_param: param_ref(page_num),
        items_per_page_param: items_per_page.map(param_ref),
        default_items_per_page,
        max_date_param: param(MAX_DATE).map(param_ref),
        item_id: item_id(types, item),
        items_field,
        total_field: find_field(page, TOTAL).map(field_ref),
        next_link: find_field(page, LINKS).map(|links| next_link(types, links)),
        events,
    })
}

/// The page's `links`: a list of objects whose `rel` names the next page.
fn next_link(types: &BTreeMap<String, TypeDef>, links: &Field) -> NextLink {
    let link = match &links.ty {
        TypeRef::List(item) => struct_def(types, item),
        _ => None,
    };
    NextLink {
        links_field: field_ref(links),
        link_type: link.map_or_else(|| "Link".to_string(), |l| l.rust_name.clone()),
        rel_field: link.and_then(|l| find_field(l, LINK_REL)).map_or_else(
            || FieldRef {
                wire_name: LINK_REL.to_string(),
                rust_name: LINK_REL.to_string(),
                optional: true,
            },
            field_ref,
        ),
        next_rel: NEXT_REL.to_string(),
    }
}

/// `.follow()` moves a window of optional `minDate` and `maxDate` timestamps.
fn follow(params: &[Param]) -> Option<Follow> {
    let date_param = |wire: &str| {
        params
            .iter()
            .find(|p| p.wire_name == wire && p.ty == TypeRef::DateTime && !p.required)
            .map(param_ref)
    };
    Some(Follow {
        min_date_param: date_param(MIN_DATE)?,
        max_date_param: date_param(MAX_DATE)?,
        largest_page: params
            .iter()
            .find(|p| p.wire_name == ITEMS_PER_PAGE)
            .and_then(|p| p.constraints.maximum),
    })
}

/// `.types()` needs an `eventType` parameter listing names of an enum with categories, and a
/// page whose (optional) items it can filter.
fn type_selection(
    types: &BTreeMap<String, TypeDef>,
    params: &[Param],
    items: &FieldRef,
) -> Option<TypeSelection> {
    let param = params.iter().find(|p| p.wire_name == EVENT_TYPE)?;
    let TypeRef::List(item) = &param.ty else {
        return None;
    };
    let TypeRef::Named(key) = item.as_ref() else {
        return None;
    };
    let Some(TypeDef::Enum(names)) = types.get(key) else {
        return None;
    };
    if !matches!(names.labels, Some(LabelKind::Category { .. })) || !items.optional {
        return None;
    }
    Some(TypeSelection {
        param: param_ref(param),
        names_enum: key.clone(),
    })
}

/// The wire name of the string id that every item has (every view, for a union).
fn item_id(types: &BTreeMap<String, TypeDef>, item: &TypeRef) -> Option<String> {
    let has_id = |s: &StructDef| find_field(s, ITEM_ID).is_some_and(|f| f.ty == TypeRef::String);
    let TypeRef::Named(key) = item else {
        return None;
    };
    let every = match types.get(key)? {
        TypeDef::Struct(s) => has_id(s),
        TypeDef::Union(u) => views(types, u).into_iter().all(has_id),
        TypeDef::Enum(_) => false,
    };
    every.then(|| ITEM_ID.to_string())
}

/// The view structs of a union, in variant order.
pub fn views<'a>(types: &'a BTreeMap<String, TypeDef>, union: &UnionDef) -> Vec<&'a StructDef> {
    union
        .variants
        .iter()
        .filter_map(|v| match types.get(&v.type_key) {
            Some(TypeDef::Struct(s)) => Some(s),
            _ => None,
        })
        .collect()
}

/// Whether list items are events: a union whose every view has a string `id` and a `created`
/// time (what a follow stream orders and deduplicates by).
fn is_event_item(types: &BTreeMap<String, TypeDef>, item: &TypeRef) -> bool {
    let TypeRef::Named(key) = item else {
        return false;
    };
    let Some(TypeDef::Union(union)) = types.get(key) else {
        return false;
    };
    views(types, union).iter().all(|view| {
        let has = |wire: &str, ty: TypeRef| find_field(view, wire).is_some_and(|f| f.ty == ty);
        has(ITEM_ID, TypeRef::String) && has(EVENT_CREATED, TypeRef::DateTime)
    })
}

/// The common accessors of a union (see [`UnionDef::accessors`]).
fn accessors(types: &BTreeMap<String, TypeDef>, union: &UnionDef) -> Vec<Accessor> {
    let views = views(types, union);
    let mut by_wire: BTreeMap<&str, Vec<&Field>> = BTreeMap::new();
    for view in &views {
        for field in view.fields.iter().filter(|f| f.wire_name != union.property) {
            by_wire.entry(&field.wire_name).or_default().push(field);
        }
    }
    let reserved = crate::naming::UNION_METHODS;
    by_wire
        .into_values()
        .filter(|listed| {
            listed.len() >= 2
                && listed
                    .iter()
                    .all(|f| f.ty == listed[0].ty && f.rust_name == listed[0].rust_name)
                && !reserved.contains(&listed[0].rust_name.as_str())
        })
        .map(|listed| Accessor {
            wire_name: listed[0].wire_name.clone(),
            rust_name: listed[0].rust_name.clone(),
            ty: listed[0].ty.clone(),
        })
        .collect()
}
