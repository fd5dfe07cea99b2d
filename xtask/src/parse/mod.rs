//! Reading the spec: YAML text -> JSON value -> the Events subset -> the intermediate model.
//! This module tree is the only place that sees `openapiv3` types.

mod decisions;
mod fixups;
mod lower;
mod subset;

use std::path::Path;

use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::model::Api;

pub use subset::Subset;

/// One branch of a `oneOf` of string enums: its title, values and pointer. Lowering records
/// them; category naming reads them.
#[derive(Debug, Clone)]
pub(crate) struct EnumBranch {
    pub title: Option<String>,
    pub values: Vec<String>,
    pub pointer: String,
}

/// Parses the YAML (or JSON) text of a full spec into a JSON value.
pub fn load(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_text(&text, &path.display().to_string())
}

pub fn parse_text(text: &str, name: &str) -> Result<Value, Error> {
    let value: Value = serde_saphyr::from_str(text).map_err(|e| Error::Parse {
        path: name.to_string(),
        message: e.to_string(),
    })?;
    if !value.is_object() {
        return Err(Error::Parse {
            path: name.to_string(),
            message: "the document is not a mapping".to_string(),
        });
    }
    Ok(value)
}

/// Cuts the operations `config` selects, and every component they reach, out of `spec`.
pub fn cut_subset(spec: &Value, config: &Config) -> Result<Subset, Error> {
    subset::cut(spec, config)
}

/// The model of a subset, and what the generator resolved on its own on the way (fixups that
/// applied, overlaps it settled): printed by every regen, never part of the API.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<String>,
}

/// Builds the intermediate model from a subset.
/// The enabled fixups correct a copy of the subset document first (see the `fixups` module), so
/// lowering reads a spec without the upstream bugs.
pub fn lower(subset: &Subset, config: &Config) -> Result<Lowered, Error> {
    let mut corrected = subset.document.clone();
    let mut warnings = Vec::new();
    // One naming for fixups and lowering, so that it knows every override either looked up.
    let naming = crate::naming::Naming::new(&config.names);
    fixups::apply(&mut corrected, &config.fixups, &naming, &mut warnings)?;
    let document: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(&corrected).map_err(|e| {
            // `openapiv3`'s untagged and flattened types stop the path early: look for the
            // operation or component that fails on its own, for a precise pointer.
            let (pointer, message) = locate_invalid(&corrected)
                .unwrap_or_else(|| (json_pointer(e.path()), e.inner().to_string()));
            Error::spec(pointer, format!("not valid OpenAPI 3.0: {message}"))
        })?;
    let mut lowered = lower::lower(&document, &corrected, config, &naming, warnings)?;
    for key in naming.unused_overrides() {
        lowered.warnings.push(format!(
            "generator.toml {key} matches nothing in the subset: the spec renamed or removed it, so \
             the override no longer applies; update or remove it"
        ));
    }
    if !config.spec_prose {
        without_spec_prose(&mut lowered.api);
    }
    Ok(lowered)
}

/// Drops every text the spec wrote (descriptions, summaries) from the model, so that the docs
/// of the crate carry none of the spec's CC BY-NC-SA prose; names, values and titles (facts the
/// API is made of) stay, and so do the generator's own notes.
fn without_spec_prose(api: &mut crate::model::Api) {
    use crate::model::TypeDef;
    for def in api.types.values_mut() {
        match def {
            TypeDef::Struct(s) => {
                s.doc = None;
                for field in &mut s.fields {
                    field.doc = None;
                }
            }
            TypeDef::Enum(e) => e.doc = None,
            TypeDef::Union(u) => u.doc = None,
        }
    }
    for op in &mut api.operations {
        op.summary = None;
        op.description = None;
        for param in &mut op.params {
            param.doc = None;
        }
    }
}

/// The pointer and reason of the first operation or component that does not deserialize.
fn locate_invalid(document: &Value) -> Option<(String, String)> {
    fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        Some((
            format!("{at}{}", json_pointer(error.path())),
            error.inner().to_string(),
        ))
    }
    use crate::error::pointer_token;
    use openapiv3::{Operation, Parameter, ReferenceOr, Response, Schema, SecurityScheme};
    let paths = document.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let at = format!("/paths/{}", pointer_token(path));
        for (key, value) in item.as_object().into_iter().flatten() {
            let at = format!("{at}/{}", pointer_token(key));
            let found = match key.as_str() {
                "parameters" => check::<Vec<ReferenceOr<Parameter>>>(value, &at),
                "summary" | "description" | "servers" => None,
                _ => check::<Operation>(value, &at),
            };
            if found.is_some() {
                return found;
            }
        }
    }
    let components = document.get("components").and_then(Value::as_object);
    for (kind, entries) in components.into_iter().flatten() {
        for (name, value) in entries.as_object().into_iter().flatten() {
            let at = format!("/components/{kind}/{}", pointer_token(name));
            let found = match kind.as_str() {
                "schemas" => check::<ReferenceOr<Schema>>(value, &at),
                "parameters" => check::<ReferenceOr<Parameter>>(value, &at),
                "responses" => check::<ReferenceOr<Response>>(value, &at),
                "securitySchemes" => check::<ReferenceOr<SecurityScheme>>(value, &at),
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The JSON pointer of a deserialization path, as far as it is known (untagged enums such as
/// `$ref`-or-schema hide the rest).
fn json_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&crate::error::pointer_token(key));
            }
            Segment::Enum { .. } => {}
            Segment::Unknown => break,
        }
    }
    pointer
}
