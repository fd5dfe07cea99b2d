//! Lowering: `openapiv3` types -> the intermediate model.
//!
//! Every schema construct is matched explicitly; anything the generator does not map becomes an
//! error naming its JSON pointer, never a silent skip.
//!
//! One job a file: `schemas` (component and inline schemas), `unions` (the `oneOf`s of views),
//! `operations` (paths, parameters, responses). This file holds the entry point, the state they
//! share, and the passes over the finished types (category names, optionality) before
//! `decisions`.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

use super::{EnumBranch, Lowered};
use crate::config::Config;
use crate::error::{Error, pointer_token};
use crate::model::*;
use crate::naming::{self, Namespace, Naming};

mod operations;
mod schemas;
mod unions;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

pub fn lower(
    doc: &OpenAPI,
    raw: &Value,
    config: &Config,
    naming: &Naming,
    warnings: Vec<String>,
) -> Result<Lowered, Error> {
    let empty = Default::default();
    let schemas = doc
        .components
        .as_ref()
        .map(|c| &c.schemas)
        .unwrap_or(&empty);
    let mut cx = Lowering {
        raw,
        schemas,
        config,
        naming,
        types: BTreeMap::new(),
        resolved: BTreeMap::new(),
        in_progress: Vec::new(),
        type_names: Namespace::default(),
        warnings,
        enum_branches: BTreeMap::new(),
    };
    let mut names: Vec<&String> = schemas.keys().collect();
    names.sort();
    for name in names {
        cx.component(
            name,
            &format!("/components/schemas/{}", pointer_token(name)),
        )?;
    }
    let mut operations = cx.paths(doc)?;
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    let mut methods = Namespace::default();
    for op in &operations {
        methods.claim(&op.method_name, &op.id, &op.pointer)?;
    }
    let Lowering {
        mut types,
        warnings,
        enum_branches,
        mut type_names,
        ..
    } = cx;
    name_categories(&mut types, &enum_branches, &mut type_names)?;
    mark_optional_fields(&mut types);
    let examples = super::decisions::decide(&mut operations, &mut types);
    let api = Api {
        info: api_info(doc, raw),
        operations,
        types,
        examples,
    };
    Ok(Lowered { api, warnings })
}

/// What the crate says about the spec it was generated from.
fn api_info(doc: &OpenAPI, raw: &Value) -> ApiInfo {
    let info = &doc.info;
    ApiInfo {
        title: info.title.clone(),
        version: info.version.clone(),
        upstream_sha: raw
            .pointer("/info/x-xgen-sha")
            .and_then(Value::as_str)
            .map(str::to_string),
        license: info.license.as_ref().map(|license| SpecLicense {
            name: license.name.clone(),
            url: license.url.clone(),
        }),
    }
}

/// Names the category enum of every enum made from a `oneOf` of titled string enums, once every
/// type is lowered: its Rust name, and per title a variant and a slug
/// ([`naming::category_names`]). Two titles that give the same variant or slug are an error at
/// the later title's pointer.
fn name_categories(
    types: &mut BTreeMap<String, TypeDef>,
    enum_branches: &BTreeMap<String, Vec<EnumBranch>>,
    type_names: &mut Namespace,
) -> Result<(), Error> {
    for (key, branches) in enum_branches {
        let Some(TypeDef::Enum(e)) = types.get_mut(key) else {
            continue;
        };
        if !matches!(e.labels, Some(LabelKind::Category { .. })) {
            continue;
        }
        let enum_name = naming::category_enum_name(&e.rust_name);
        type_names.claim(
            &enum_name,
            &format!("the categories of `{}`", e.spec_name),
            &e.pointer,
        )?;
        // Each title, in spec order, at the first branch whose values carry it (a value listed
        // twice keeps its first branch's title).
        let label_of: BTreeMap<&str, &str> = e
            .values
            .iter()
            .filter_map(|v| Some((v.wire.as_str(), v.label.as_deref()?)))
            .collect();
        let mut titles: Vec<(&str, String)> = Vec::new();
        for branch in branches {
            for value in &branch.values {
                if let Some(&title) = label_of.get(value.as_str())
                    && !titles.iter().any(|(t, _)| *t == title)
                {
                    titles.push((title, format!("{}/title", branch.pointer)));
                }
            }
        }
        let mut categories: Vec<Category> = Vec::new();
        for (title, pointer) in titles {
            let (rust_name, slug) = naming::category_names(title, &pointer)?;
            if let Some(other) = categories
                .iter()
                .find(|c| c.rust_name == rust_name || c.slug == slug)
            {
                let what = if other.rust_name == rust_name {
                    format!("the variant `{enum_name}::{rust_name}`")
                } else {
                    format!("the slug `{slug}`")
                };
                return Err(Error::spec(
                    pointer,
                    format!(
                        "the category titles `{title}` and `{}` (at {}) both convert to {what}; titles must differ in more than case, spacing and punctuation",
                        other.title, other.pointer
                    ),
                ));
            }
            categories.push(Category {
                title: title.to_string(),
                rust_name,
                slug,
                pointer,
            });
        }
        categories.sort_by(|a, b| a.slug.cmp(&b.slug));
        e.labels = Some(LabelKind::Category {
            rust_name: enum_name,
            categories,
        });
    }
    Ok(())
}

/// Decides which struct fields are `Option` in Rust (see [`Field::optional`]): only the views of
/// a union keep required fields plain, since only an event has a form for an object without
/// them (the union's non-conforming variant).
fn mark_optional_fields(types: &mut BTreeMap<String, TypeDef>) {
    let views: BTreeSet<String> = types
        .values()
        .filter_map(|def| match def {
            TypeDef::Union(union) => Some(union.variants.iter().map(|v| v.type_key.clone())),
            _ => None,
        })
        .flatten()
        .collect();
    for (key, def) in types.iter_mut() {
        if let TypeDef::Struct(def) = def {
            let view = views.contains(key);
            for field in &mut def.fields {
                field.optional = !view || !field.required || field.nullable;
            }
        }
    }
}

struct Lowering<'a> {
    /// The subset document as JSON, for what `openapiv3` does not keep (an empty `enum`).
    raw: &'a Value,
    schemas: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    config: &'a Config,
    naming: &'a Naming<'a>,
    types: BTreeMap<String, TypeDef>,
    /// What each component schema lowered to.
    resolved: BTreeMap<String, TypeRef>,
    /// Component schemas being lowered, to find reference cycles.
    in_progress: Vec<String>,
    type_names: Namespace,
    warnings: Vec<String>,
    enum_branches: BTreeMap<String, Vec<EnumBranch>>,
}
