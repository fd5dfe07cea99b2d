//! Cutting the Events subset: the selected operations and every component they reach.
//! Works on plain JSON values so that a missing `$ref` target can be named by its pointer.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::config::Config;
use crate::error::{Error, pointer_token, unescape_pointer_token};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The subset document (a valid OpenAPI document) and what was selected.
#[derive(Debug, Clone)]
pub struct Subset {
    pub document: Value,
    /// Selected operation ids, sorted.
    pub operation_ids: Vec<String>,
}

pub fn cut(spec: &Value, config: &Config) -> Result<Subset, Error> {
    let (selected_paths, operation_ids) = select_operations(spec, config)?;
    let reached = reach_components(spec, config, &selected_paths)?;
    Ok(Subset {
        document: assemble(spec, selected_paths, reached),
        operation_ids,
    })
}

/// The path items with the operations `config` selects (by tag or id), and the selected
/// operation ids, sorted; an error for an id that is missing, absent or used twice.
fn select_operations(
    spec: &Value,
    config: &Config,
) -> Result<(Map<String, Value>, Vec<String>), Error> {
    let paths = spec
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::spec("/paths", "the spec has no `paths` object"))?;
    let wanted_tags: BTreeSet<&str> = config.subset.tags.iter().map(String::as_str).collect();
    let wanted_ids: BTreeSet<&str> = config
        .subset
        .operations
        .iter()
        .map(String::as_str)
        .collect();

    let mut selected_paths = Map::new();
    let mut operation_ids = Vec::new();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", pointer_token(path));
        let Some(item) = item.as_object() else {
            return Err(Error::spec(item_pointer, "a path item must be a mapping"));
        };
        let mut kept = Map::new();
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let tags: Vec<&str> = operation
                .get("tags")
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let id = operation.get("operationId").and_then(Value::as_str);
            let by_tag = tags.iter().any(|t| wanted_tags.contains(t));
            let by_id = id.is_some_and(|id| wanted_ids.contains(id));
            if !(by_tag || by_id) {
                continue;
            }
            let Some(id) = id else {
                return Err(Error::spec(
                    format!("{item_pointer}/{method}"),
                    "a selected operation has no operationId",
                ));
            };
            operation_ids.push(id.to_string());
            kept.insert(method.clone(), operation.clone());
        }
        if !kept.is_empty() {
            // Path-level parameters apply to every operation of the path.
            if let Some(parameters) = item.get("parameters") {
                kept.insert("parameters".to_string(), parameters.clone());
            }
            selected_paths.insert(path.clone(), Value::Object(kept));
        }
    }
    for id in &wanted_ids {
        if !operation_ids.iter().any(|found| found == id) {
            return Err(Error::spec(
                "/paths",
                format!(
                    "operation `{id}` named in generator.toml [subset].operations does not exist in the spec"
                ),
            ));
        }
    }
    if operation_ids.is_empty() {
        return Err(Error::spec(
            "/paths",
            format!("no operation has any of the tags {:?}", config.subset.tags),
        ));
    }
    operation_ids.sort();
    if let Some(pair) = operation_ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::spec(
            "/paths",
            format!("operationId `{}` is used twice", pair[0]),
        ));
    }
    Ok((selected_paths, operation_ids))
}

/// Every component the selected paths reach, by reference (`#/components/<kind>/<name>`):
/// through `$ref`s and discriminator mappings, every security scheme, and the `names` enum of
/// each `[[unions]]` union.
fn reach_components(
    spec: &Value,
    config: &Config,
    selected_paths: &Map<String, Value>,
) -> Result<BTreeMap<String, Value>, Error> {
    // Walk `$ref`s from the selected operations until no new component is reached.
    let mut reached: BTreeMap<String, Value> = BTreeMap::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    for (path, item) in selected_paths {
        collect_refs(
            item,
            &format!("/paths/{}", pointer_token(path)),
            &mut pending,
        );
    }
    // Security schemes are components the client needs although no `$ref` names them.
    if let Some(schemes) = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
    {
        for name in schemes.keys() {
            pending.push((
                format!("#/components/securitySchemes/{}", pointer_token(name)),
                "/components/securitySchemes".to_string(),
            ));
        }
    }
    while let Some((reference, site)) = pending.pop() {
        if reached.contains_key(&reference) {
            continue;
        }
        let Some(target_pointer) = reference.strip_prefix('#') else {
            return Err(Error::spec(
                site,
                format!("`$ref: {reference}` points outside the document, which is not supported"),
            ));
        };
        let Some(target) = spec.pointer(target_pointer) else {
            return Err(Error::spec(
                site,
                format!("`$ref: {reference}` points at nothing: {target_pointer} does not exist"),
            ));
        };
        if !target_pointer.starts_with("/components/") || target_pointer.matches('/').count() != 3 {
            return Err(Error::spec(
                site,
                format!(
                    "`$ref: {reference}` must point at a component (/components/<kind>/<name>)"
                ),
            ));
        }
        collect_refs(target, target_pointer, &mut pending);
        // A [[unions]] union needs its `names` enum even when no `$ref` reaches that enum;
        // without it, lowering would report the enum as missing.
        for union in &config.unions {
            if reference == format!("#/components/schemas/{}", pointer_token(&union.schema)) {
                pending.push((
                    format!("#/components/schemas/{}", pointer_token(&union.names)),
                    target_pointer.to_string(),
                ));
            }
        }
        reached.insert(reference, target.clone());
    }
    Ok(reached)
}

/// The subset document: the spec's top-level facts, the selected paths and the reached
/// components, by kind and name.
fn assemble(
    spec: &Value,
    selected_paths: Map<String, Value>,
    reached: BTreeMap<String, Value>,
) -> Value {
    let mut components: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (reference, value) in reached {
        let mut parts = reference.trim_start_matches("#/components/").splitn(2, '/');
        let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
            continue;
        };
        let name = unescape_pointer_token(name);
        components
            .entry(kind.to_string())
            .or_default()
            .insert(name, value);
    }

    let mut document = Map::new();
    for key in ["openapi", "info", "servers", "security"] {
        if let Some(value) = spec.get(key) {
            document.insert(key.to_string(), value.clone());
        }
    }
    document.insert("paths".to_string(), Value::Object(selected_paths));
    document.insert(
        "components".to_string(),
        Value::Object(
            components
                .into_iter()
                .map(|(k, v)| (k, Value::Object(v)))
                .collect(),
        ),
    );
    Value::Object(document)
}

/// Pushes every reference below `value` with the pointer of the object that holds it: each
/// `$ref`, and each schema a `discriminator.mapping` names (a reference too, in OpenAPI 3.0,
/// and the only one that reaches `HostMetricEvent`'s views).
fn collect_refs(value: &Value, pointer: &str, out: &mut Vec<(String, String)>) {
    collect(value, pointer, false, out);
}

/// `names_are_properties`: the keys of `value` are property names, not keywords, so a
/// property called `example` is still walked.
fn collect(
    value: &Value,
    pointer: &str,
    names_are_properties: bool,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_pointer = format!("{pointer}/{}", pointer_token(key));
                if names_are_properties {
                    collect(child, &child_pointer, false, out);
                } else if key == "$ref"
                    && let Value::String(reference) = child
                {
                    out.push((reference.clone(), pointer.to_string()));
                } else if key == "discriminator" {
                    let mapping = child.get("mapping").and_then(Value::as_object);
                    for (name, target) in mapping.into_iter().flatten() {
                        if let Value::String(target) = target {
                            out.push((
                                mapping_reference(target),
                                format!("{child_pointer}/mapping/{}", pointer_token(name)),
                            ));
                        }
                    }
                } else if key != "example" && key != "examples" {
                    collect(child, &child_pointer, key == "properties", out);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect(child, &format!("{pointer}/{index}"), false, out);
            }
        }
        _ => {}
    }
}

/// A mapping value is a reference or, in OpenAPI 3.0, the bare name of a schema.
pub fn mapping_reference(target: &str) -> String {
    if target.contains('#') || target.contains('/') {
        target.to_string()
    } else {
        format!("#/components/schemas/{}", pointer_token(target))
    }
}
