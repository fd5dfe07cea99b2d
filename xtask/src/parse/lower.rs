//! Lowering: `openapiv3` types -> the intermediate model.
//!
//! Every schema construct is matched explicitly; anything the generator does not map becomes an
//! error naming its JSON pointer, never a silent skip.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    AnySchema, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StatusCode, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::fixups;
use super::{EnumBranch, Lowered};
use crate::config::{Config, UnionConfig};
use crate::error::{Error, pointer_token};
use crate::model::*;
use crate::naming::{self, Namespace, Naming};

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

/// The constraints of a field's own schema that `Conformance` reports.
fn value_checks(kind: &SchemaKind) -> ValueChecks {
    match kind {
        SchemaKind::Type(Type::Integer(i)) => ValueChecks {
            minimum: i.minimum.map(|v| v as f64),
            maximum: i.maximum.map(|v| v as f64),
            ..ValueChecks::default()
        },
        SchemaKind::Type(Type::Number(n)) => ValueChecks {
            minimum: n.minimum,
            maximum: n.maximum,
            ..ValueChecks::default()
        },
        SchemaKind::Type(Type::String(s)) => ValueChecks {
            min_length: s.min_length,
            max_length: s.max_length,
            email: matches!(&s.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "email"),
            ..ValueChecks::default()
        },
        _ => ValueChecks::default(),
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

impl Lowering<'_> {
    /// Lowers a component schema once; later calls return the same type.
    fn component(&mut self, name: &str, site: &str) -> Result<TypeRef, Error> {
        if let Some(ty) = self.resolved.get(name) {
            return Ok(ty.clone());
        }
        let pointer = format!("/components/schemas/{}", pointer_token(name));
        let Some(schema) = self.schemas.get(name) else {
            return Err(Error::spec(
                site,
                format!(
                    "`$ref: {SCHEMA_PREFIX}{name}` points at nothing: {pointer} does not exist"
                ),
            ));
        };
        if self.in_progress.iter().any(|n| n == name) {
            // A struct may contain itself through a field (Principal.onBehalfOf); anything else
            // that comes back to itself has no finite type.
            if let ReferenceOr::Item(s) = schema
                && is_object(s)
            {
                return Ok(TypeRef::Named(name.to_string()));
            }
            let mut cycle = self.in_progress.clone();
            cycle.push(name.to_string());
            return Err(Error::spec(
                pointer,
                format!("reference cycle: {}", cycle.join(" -> ")),
            ));
        }
        self.in_progress.push(name.to_string());
        let result = match schema {
            ReferenceOr::Reference { reference } => self.reference(&reference.clone(), &pointer),
            ReferenceOr::Item(schema) => {
                if let Some(union) = self.config.unions.iter().find(|u| u.schema == name) {
                    self.union(union, schema, &pointer)
                } else {
                    self.schema(schema, name, name, &pointer)
                }
            }
        };
        self.in_progress.pop();
        let ty = result?;
        self.resolved.insert(name.to_string(), ty.clone());
        Ok(ty)
    }

    fn reference(&mut self, reference: &str, site: &str) -> Result<TypeRef, Error> {
        match schema_name(reference) {
            Some(name) => self.component(&name, site),
            None => Err(Error::spec(
                site,
                format!("`$ref: {reference}` must point at /components/schemas/"),
            )),
        }
    }

    /// Lowers an inline schema or follows a reference. Properties hold `Box<Schema>`,
    /// parameters and media types hold `Schema`; both borrow as `Schema`.
    fn schema_or_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        spec_name: &str,
        type_key: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.schema(schema.borrow(), spec_name, type_key, pointer),
        }
    }

    /// Lowers one schema. `type_key` names the type it defines, if it needs one.
    fn schema(
        &mut self,
        schema: &Schema,
        spec_name: &str,
        type_key: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let data = &schema.schema_data;
        if data.discriminator.is_some() && !matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
            return Err(Error::spec(
                format!("{pointer}/discriminator"),
                "unsupported construct: a discriminator outside a oneOf (its mapping is not a union of the schema)",
            ));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values = enum_strings(&string.enumeration, pointer)?;
                // `openapiv3` reads `enum: []` as no enum at all; the spec forbids an empty one.
                let listed = self.raw.pointer(pointer).and_then(|s| s.get("enum"));
                if listed.and_then(Value::as_array).is_some_and(Vec::is_empty) {
                    return Err(Error::spec(
                        format!("{pointer}/enum"),
                        "an enum must list at least one value",
                    ));
                }
                if !values.is_empty() {
                    let doc = match data.extensions.get(fixups::ENUM_DOC) {
                        Some(doc) => doc.as_str().map(str::to_string),
                        None => data.description.clone(),
                    };
                    let (values, labels) = value_kinds(data, values, pointer)?;
                    self.define_enum_with_labels(spec_name, type_key, doc, values, labels, pointer)
                } else if matches!(
                    &string.format,
                    VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::DateTime)
                ) {
                    Ok(TypeRef::DateTime)
                } else {
                    Ok(TypeRef::String)
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                if !integer.enumeration.is_empty() {
                    return Err(Error::spec(pointer, "integer enums are not supported"));
                }
                Ok(match &integer.format {
                    VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                    _ => TypeRef::I64,
                })
            }
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::Number),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                let Some(items) = &array.items else {
                    return Err(Error::spec(pointer, "an array schema must declare `items`"));
                };
                let item =
                    self.schema_or_ref(items, spec_name, type_key, &format!("{pointer}/items"))?;
                Ok(TypeRef::List(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    // A map whose values have a schema is still kept whole, as JSON: say so.
                    if matches!(
                        object.additional_properties,
                        Some(openapiv3::AdditionalProperties::Schema(_))
                    ) {
                        self.warnings.push(format!(
                            "{pointer}/additionalProperties: the values' schema is not modelled; the object is kept as a JSON map"
                        ));
                    }
                    return Ok(TypeRef::JsonObject);
                }
                if object.additional_properties.is_some() {
                    return Err(Error::spec(
                        pointer,
                        "an object with both `properties` and `additionalProperties` is not supported",
                    ));
                }
                self.define_struct(
                    spec_name,
                    type_key,
                    data.description.clone(),
                    object,
                    pointer,
                )
            }
            SchemaKind::OneOf { one_of } => {
                self.one_of(one_of, spec_name, type_key, data, false, pointer)
            }
            SchemaKind::Any(any) => self.any(any, schema, spec_name, type_key, pointer),
            SchemaKind::AllOf { .. } => Err(unsupported(pointer, "allOf")),
            SchemaKind::AnyOf { .. } => Err(unsupported(pointer, "anyOf")),
            SchemaKind::Not { .. } => Err(unsupported(pointer, "not")),
        }
    }

    /// `openapiv3` puts schemas that mix keywords (`type: object` beside `oneOf`) here.
    fn any(
        &mut self,
        any: &AnySchema,
        schema: &Schema,
        spec_name: &str,
        type_key: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let AnySchema {
            typ,
            one_of,
            all_of,
            any_of,
            not,
            properties,
            additional_properties,
            items,
            enumeration,
            ..
        } = any;
        let plain = all_of.is_empty()
            && any_of.is_empty()
            && not.is_none()
            && properties.is_empty()
            && additional_properties.is_none()
            && items.is_none()
            && enumeration.is_empty();
        if !one_of.is_empty()
            && plain
            && matches!(typ.as_deref(), None | Some("object") | Some("string"))
        {
            let typed_object = typ.as_deref() == Some("object");
            return self.one_of(
                one_of,
                spec_name,
                type_key,
                &schema.schema_data,
                typed_object,
                pointer,
            );
        }
        if one_of.is_empty() && plain && typ.is_none() {
            // `{}` or a schema with only descriptive keywords: any JSON value.
            return Ok(TypeRef::Json);
        }
        // `openapiv3` lands here when an enum's values do not match the schema's `type`.
        if let Some((index, value)) = enumeration.iter().enumerate().find(|(_, v)| !v.is_string()) {
            return Err(Error::spec(
                format!("{pointer}/enum/{index}"),
                format!("enum values must be strings (found `{value}`)"),
            ));
        }
        Err(Error::spec(
            pointer,
            "unsupported construct: this combination of schema keywords has no mapping (only `oneOf` with an optional `type` is supported)",
        ))
    }

    fn one_of(
        &mut self,
        one_of: &[ReferenceOr<Schema>],
        spec_name: &str,
        type_key: &str,
        data: &openapiv3::SchemaData,
        typed_object: bool,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        // A oneOf of string enums is one flat open enum; each branch's title is a category.
        let mut branches = Vec::new();
        for (index, branch) in one_of.iter().enumerate() {
            let branch_pointer = format!("{pointer}/oneOf/{index}");
            let (schema, at) = match branch {
                ReferenceOr::Item(schema) => (schema, branch_pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    let name = schema_name(reference).unwrap_or_else(|| reference.clone());
                    match self.schemas.get(&name) {
                        Some(ReferenceOr::Item(schema)) => (
                            schema,
                            format!("/components/schemas/{}", pointer_token(&name)),
                        ),
                        _ => {
                            return Err(Error::spec(
                                branch_pointer,
                                format!(
                                    "oneOf of objects needs a discriminator or an entry in generator.toml [[unions]] (`{spec_name}` has neither); `{reference}` is not a string enum"
                                ),
                            ));
                        }
                    }
                }
            };
            match &schema.schema_kind {
                SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                    branches.push(EnumBranch {
                        title: schema.schema_data.title.clone(),
                        values: enum_strings(&string.enumeration, &at)?,
                        pointer: at,
                    });
                }
                _ => {
                    return Err(Error::spec(
                        branch_pointer,
                        format!(
                            "unsupported construct: a oneOf that is not all string enums needs an entry in generator.toml [[unions]] (`{spec_name}`)"
                        ),
                    ));
                }
            }
        }
        if typed_object {
            return Err(Error::spec(
                format!("{pointer}/type"),
                format!(
                    "`type: object` beside a oneOf of string enums: the value is a string; enable fixup `{}` to read it as a string enum",
                    fixups::STRING_ENUMS_TYPED_OBJECT
                ),
            ));
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        let mut values = Vec::new();
        for branch in &branches {
            for value in &branch.values {
                if let Some(first) = seen.get(value) {
                    self.warnings.push(format!(
                        "{}: `{value}` is listed again (first at {first}); kept once, in its first category",
                        branch.pointer
                    ));
                    continue;
                }
                seen.insert(value.clone(), branch.pointer.clone());
                values.push((value.clone(), branch.title.clone()));
            }
        }
        // The category enum is named once every type is lowered (`name_categories`).
        let ty = self.define_enum_with_labels(
            spec_name,
            type_key,
            data.description.clone(),
            values,
            Some(LabelKind::Category {
                rust_name: String::new(),
                categories: Vec::new(),
            }),
            pointer,
        )?;
        self.enum_branches.insert(type_key.to_string(), branches);
        Ok(ty)
    }

    fn define_enum_with_labels(
        &mut self,
        spec_name: &str,
        type_key: &str,
        doc: Option<String>,
        values: Vec<LabelledValue>,
        labels: Option<LabelKind>,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let rust_name = self.type_name(type_key, pointer)?;
        let labels = match labels {
            Some(LabelKind::Kind { doc, .. }) => {
                let kind_name = naming::kind_enum_name(&rust_name);
                self.type_names
                    .claim(&kind_name, &format!("{type_key} kinds"), pointer)?;
                Some(LabelKind::Kind {
                    rust_name: kind_name,
                    doc,
                })
            }
            labels => labels,
        };
        let mut variants = Namespace::default();
        let mut lowered = Vec::new();
        for (index, (wire, label)) in values.into_iter().enumerate() {
            let rust =
                self.naming
                    .variant_name(type_key, &wire, &format!("{pointer}/enum/{index}"))?;
            variants.claim(&rust, &wire, &format!("{pointer}/enum/{index}"))?;
            lowered.push(EnumValue {
                wire,
                rust_name: rust,
                label,
            });
        }
        let labels = labels.filter(|_| lowered.iter().any(|v| v.label.is_some()));
        self.types.insert(
            type_key.to_string(),
            TypeDef::Enum(EnumDef {
                // An inline enum is named by where it stands (`HostMetricValue.units`).
                spec_name: if type_key.contains('.') {
                    type_key.to_string()
                } else {
                    spec_name.to_string()
                },
                rust_name,
                pointer: pointer.to_string(),
                doc,
                values: lowered,
                labels,
            }),
        );
        Ok(TypeRef::Named(type_key.to_string()))
    }

    fn define_struct(
        &mut self,
        spec_name: &str,
        type_key: &str,
        doc: Option<String>,
        object: &openapiv3::ObjectType,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let rust_name = self.type_name(type_key, pointer)?;
        let mut field_names = Namespace::default();
        // The map of unknown fields is a field of every struct.
        field_names.claim("extra", "(fields the spec does not list)", pointer)?;
        let mut fields = Vec::new();
        for (property, schema) in &object.properties {
            let at = format!("{pointer}/properties/{}", pointer_token(property));
            let rust = self.naming.field_name(type_key, property, &at)?;
            field_names.claim(&rust, property, &at)?;
            let child_key = format!("{type_key}.{property}");
            let ty = self.schema_or_ref(schema, spec_name, &child_key, &at)?;
            let notes = match schema {
                ReferenceOr::Item(s) => s.schema_data.extensions.get(fixups::NOTES),
                ReferenceOr::Reference { .. } => None,
            };
            let notes = notes
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let (field_doc, nullable, pattern, checks) = match schema {
                ReferenceOr::Item(s) => (
                    s.schema_data.description.clone(),
                    s.schema_data.nullable,
                    match &s.schema_kind {
                        SchemaKind::Type(Type::String(string)) => string.pattern.clone(),
                        _ => None,
                    },
                    value_checks(&s.schema_kind),
                ),
                ReferenceOr::Reference { reference } => {
                    let target = schema_name(reference).unwrap_or_else(|| reference.clone());
                    let doc = match self.schemas.get(&target) {
                        Some(ReferenceOr::Item(s)) => s.schema_data.description.clone(),
                        _ => None,
                    };
                    (doc, false, None, ValueChecks::default())
                }
            };
            fields.push(Field {
                wire_name: property.clone(),
                rust_name: rust,
                doc: field_doc,
                ty,
                required: object.required.iter().any(|r| r == property),
                nullable,
                // Until `mark_optional_fields` knows which structs are event views.
                optional: true,
                pattern,
                checks,
                notes,
                // Until `decisions` knows every type the field's type reaches.
                boxed: false,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                return Err(Error::spec(
                    format!("{pointer}/required"),
                    format!("`{required}` is required but is not a property"),
                ));
            }
        }
        self.types.insert(
            type_key.to_string(),
            TypeDef::Struct(StructDef {
                spec_name: spec_name.to_string(),
                rust_name,
                pointer: pointer.to_string(),
                doc,
                fields,
            }),
        );
        Ok(TypeRef::Named(type_key.to_string()))
    }

    fn union(
        &mut self,
        union: &UnionConfig,
        schema: &Schema,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        let one_of = union_branches(union, schema, pointer)?;
        let names_ty = self.component(&union.names, pointer)?;
        let TypeRef::Named(names_enum) = names_ty else {
            return Err(Error::spec(
                pointer,
                format!("`{}` must be a string enum", union.names),
            ));
        };
        let rust_name = self.type_name(&union.schema, pointer)?;
        let mut variants = Vec::new();
        let mut variant_names = Namespace::default();
        for (index, branch) in one_of.iter().enumerate() {
            let at = format!("{pointer}/oneOf/{index}");
            let variant = self.union_variant(union, branch, &rust_name, &at)?;
            variant_names.claim(&variant.rust_name, &variant.type_key, &at)?;
            variants.push(variant);
        }
        if variants.len() > 64 {
            // The decoder keeps a 64-bit set of views per field.
            return Err(Error::spec(
                pointer,
                "a union of more than 64 views is not supported",
            ));
        }
        let Some(fallback) = variants.iter().position(|v| v.type_key == union.fallback) else {
            return Err(Error::spec(
                pointer,
                format!(
                    "the fallback `{}` of union `{}` is not one of its variants",
                    union.fallback, union.schema
                ),
            ));
        };
        let owner = self.assign_names(&mut variants, fallback, pointer);
        self.warn_unknown_names(union, &names_enum, &owner, pointer);
        self.types.insert(
            union.schema.clone(),
            TypeDef::Union(UnionDef {
                spec_name: union.schema.clone(),
                rust_name,
                pointer: pointer.to_string(),
                doc: schema.schema_data.description.clone(),
                property: union.property.clone(),
                scope: naming::scope(&names_enum).0,
                names_enum,
                variants,
                fallback,
                // Decided once the views are complete: see `super::decisions`.
                accessors: Vec::new(),
                non_conforming: Vec::new(),
            }),
        );
        Ok(TypeRef::Named(union.schema.clone()))
    }

    /// One view of a union: a `$ref` to an object schema whose selecting property is a string
    /// enum, the names that route to it.
    fn union_variant(
        &mut self,
        union: &UnionConfig,
        branch: &ReferenceOr<Schema>,
        union_name: &str,
        at: &str,
    ) -> Result<UnionVariant, Error> {
        let ReferenceOr::Reference { reference } = branch else {
            return Err(Error::spec(
                at,
                "a union variant must be a `$ref` to an object schema",
            ));
        };
        let TypeRef::Named(type_key) = self.reference(reference, at)? else {
            return Err(Error::spec(
                at,
                format!("`{reference}` is not an object schema"),
            ));
        };
        let Some(TypeDef::Struct(view)) = self.types.get(&type_key) else {
            return Err(Error::spec(
                at,
                format!("`{reference}` is not an object schema"),
            ));
        };
        let Some(field) = view.fields.iter().find(|f| f.wire_name == union.property) else {
            return Err(Error::spec(
                view.pointer.clone(),
                format!(
                    "union variant `{type_key}` has no property `{}`",
                    union.property
                ),
            ));
        };
        let names = match &field.ty {
            TypeRef::Named(key) => match self.types.get(key) {
                Some(TypeDef::Enum(e)) => {
                    e.values.iter().map(|v| v.wire.clone()).collect::<Vec<_>>()
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if names.is_empty() {
            return Err(Error::spec(
                format!(
                    "{}/properties/{}",
                    view.pointer,
                    pointer_token(&union.property)
                ),
                "the union property of a variant must be a string enum",
            ));
        }
        Ok(UnionVariant {
            rust_name: naming::union_variant_name(&view.rust_name, union_name),
            type_key,
            names,
        })
    }

    /// Gives each name to exactly one variant, so routing has one answer: a specific view wins
    /// over the fallback, and the first specific view wins over a later one. Every such decision
    /// is reported. Returns the owner of every name.
    fn assign_names(
        &mut self,
        variants: &mut [UnionVariant],
        fallback: usize,
        pointer: &str,
    ) -> BTreeMap<String, usize> {
        let mut owner: BTreeMap<String, usize> = BTreeMap::new();
        for (index, variant) in variants.iter().enumerate() {
            if index == fallback {
                continue;
            }
            for name in &variant.names {
                if let Some(&first) = owner.get(name) {
                    self.warnings.push(format!(
                        "{pointer}: `{name}` is listed by `{}` and `{}`; `{}` wins",
                        variants[first].type_key, variant.type_key, variants[first].type_key
                    ));
                } else {
                    owner.insert(name.clone(), index);
                }
            }
        }
        let fallback_key = variants[fallback].type_key.clone();
        let mut overlapping = Vec::new();
        for name in &variants[fallback].names {
            if let Some(&specific) = owner.get(name) {
                overlapping.push(format!("{name} -> {}", variants[specific].type_key));
            } else {
                owner.insert(name.clone(), fallback);
            }
        }
        if !overlapping.is_empty() {
            self.warnings.push(format!(
                "{pointer}: {} names are listed by the fallback `{fallback_key}` and by a specific view; the specific view wins: {}",
                overlapping.len(),
                overlapping.join(", ")
            ));
        }
        for (variant_index, variant) in variants.iter_mut().enumerate() {
            variant
                .names
                .retain(|n| owner.get(n) == Some(&variant_index));
        }
        owner
    }

    /// A name a view lists but the names enum does not still routes; it is reported since the
    /// enum has no variant for it.
    fn warn_unknown_names(
        &mut self,
        union: &UnionConfig,
        names_enum: &str,
        owner: &BTreeMap<String, usize>,
        pointer: &str,
    ) {
        if let Some(TypeDef::Enum(all)) = self.types.get(names_enum) {
            let known: BTreeSet<&str> = all.values.iter().map(|v| v.wire.as_str()).collect();
            let missing: Vec<&str> = owner
                .keys()
                .map(String::as_str)
                .filter(|n| !known.contains(n))
                .collect();
            if !missing.is_empty() {
                self.warnings.push(format!(
                    "{pointer}: views list names that `{}` does not: {}",
                    union.names,
                    missing.join(", ")
                ));
            }
        }
    }

    /// Every operation of every path, in path order; a path item the client cannot use is
    /// refused here, its operations in `operation`.
    fn paths(&mut self, doc: &OpenAPI) -> Result<Vec<Operation>, Error> {
        let mut operations = Vec::new();
        for (path, item) in &doc.paths.paths {
            let pointer = format!("/paths/{}", pointer_token(path));
            let ReferenceOr::Item(item) = item else {
                return Err(Error::spec(
                    pointer,
                    "path item references are not supported",
                ));
            };
            let openapiv3::PathItem {
                summary: _,
                description: _,
                get: _,
                put: _,
                post: _,
                delete: _,
                options: _,
                head: _,
                patch: _,
                trace: _,
                servers,
                parameters,
                extensions: _,
            } = item;
            if !servers.is_empty() {
                return Err(Error::spec(
                    format!("{pointer}/servers"),
                    "unsupported construct: `servers` on a path (the client has one base URL)",
                ));
            }
            for (method, operation) in item.iter() {
                operations
                    .push(self.operation(path, method, operation, parameters, doc, &pointer)?);
            }
        }
        Ok(operations)
    }

    fn type_name(&mut self, type_key: &str, pointer: &str) -> Result<String, Error> {
        let name = self.naming.type_name(type_key, pointer)?;
        self.type_names.claim(&name, type_key, pointer)?;
        Ok(name)
    }

    fn operation(
        &mut self,
        path: &str,
        method: &str,
        op: &openapiv3::Operation,
        path_params: &[ReferenceOr<Parameter>],
        doc: &OpenAPI,
        path_pointer: &str,
    ) -> Result<Operation, Error> {
        let pointer = format!("{path_pointer}/{method}");
        // Every field is named, so a field a new `openapiv3` adds does not go unread.
        let openapiv3::Operation {
            tags: _, // read by the subset
            summary,
            description,
            external_docs: _, // the reference link is `x-xgen-docs-url`
            operation_id,
            parameters: own_params,
            request_body,
            responses,
            callbacks,
            deprecated,
            security: _, // every request authenticates the way the client is configured
            servers,
            extensions,
        } = op;
        let http_method = http_method(method, &pointer)?;
        if request_body.is_some() {
            return Err(Error::spec(
                format!("{pointer}/requestBody"),
                "unsupported construct: a request body (the client sends none)",
            ));
        }
        if !callbacks.is_empty() {
            return Err(Error::spec(
                format!("{pointer}/callbacks"),
                "unsupported construct: `callbacks`",
            ));
        }
        if !servers.is_empty() {
            return Err(Error::spec(
                format!("{pointer}/servers"),
                "unsupported construct: `servers` on an operation (the client has one base URL)",
            ));
        }
        let openapiv3::Responses {
            default: default_response,
            responses,
            extensions: _,
        } = responses;
        if default_response.is_some() {
            return Err(Error::spec(
                format!("{pointer}/responses/default"),
                "unsupported construct: a `default` response (every status must be explicit)",
            ));
        }
        let Some(id) = operation_id.clone() else {
            return Err(Error::spec(pointer, "operation has no operationId"));
        };
        let all = path_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{path_pointer}/parameters/{i}")));
        let own = own_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{pointer}/parameters/{i}")));
        let params = self.parameters(all.chain(own), &id, doc)?;
        check_path_template(path, &params, &pointer)?;
        let (accept, response, error_statuses) = self.responses(responses, &id, &pointer)?;
        Ok(Operation {
            method_name: naming::method_name(&id, &pointer)?,
            builder_name: naming::builder_name(&id, &pointer)?,
            id,
            http_method,
            path: path.to_string(),
            pointer,
            summary: summary.clone(),
            description: description.clone(),
            docs_url: extensions
                .get("x-xgen-docs-url")
                .and_then(Value::as_str)
                .map(str::to_string),
            deprecated: *deprecated,
            params,
            accept,
            // Decided once the types are complete: see `super::decisions`.
            api_version: String::new(),
            envelope: None,
            response,
            paging: None,
            error_statuses,
            example_args: Vec::new(),
        })
    }

    /// The parameters of an operation, path-level ones first, each with its pointer.
    fn parameters<'d>(
        &mut self,
        declared: impl Iterator<Item = (&'d ReferenceOr<Parameter>, String)>,
        operation: &str,
        doc: &'d OpenAPI,
    ) -> Result<Vec<Param>, Error> {
        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        for (param, at) in declared {
            let (param, at) = resolve_parameter(param, at, doc)?;
            let lowered = self.parameter(param, operation, &at)?;
            param_names.claim(&lowered.rust_name, &lowered.wire_name, &at)?;
            // An operation's own parameter replaces a path-level one of the same name.
            params.retain(|p: &Param| p.wire_name != lowered.wire_name);
            params.push(lowered);
        }
        Ok(params)
    }

    /// The success response (its media type and type) and the error statuses. Only the status
    /// of an error response is kept: the runtime decodes every error body as one type.
    fn responses(
        &mut self,
        responses: &indexmap::IndexMap<StatusCode, ReferenceOr<openapiv3::Response>>,
        operation: &str,
        pointer: &str,
    ) -> Result<(String, TypeRef, Vec<u16>), Error> {
        let mut success = None;
        let mut error_statuses = Vec::new();
        for (status, response) in responses {
            let StatusCode::Code(code) = status else {
                return Err(Error::spec(
                    format!("{pointer}/responses"),
                    "status ranges (2XX) are not supported",
                ));
            };
            if (200..300).contains(code) {
                if success.is_some() {
                    return Err(Error::spec(
                        format!("{pointer}/responses/{code}"),
                        "more than one success response",
                    ));
                }
                let at = format!("{pointer}/responses/{code}");
                success = Some(self.success_response(response, operation, &at)?);
            } else {
                error_statuses.push(*code);
            }
        }
        let Some((accept, response)) = success else {
            return Err(Error::spec(
                format!("{pointer}/responses"),
                "the operation has no success response",
            ));
        };
        Ok((accept, response, error_statuses))
    }

    /// The media type the client asks for and the type its body decodes as.
    fn success_response(
        &mut self,
        response: &ReferenceOr<openapiv3::Response>,
        operation: &str,
        at: &str,
    ) -> Result<(String, TypeRef), Error> {
        let ReferenceOr::Item(openapiv3::Response {
            description: _,
            headers: _, // the client reads the headers it knows (rate limits) itself
            content,
            links: _,
            extensions: _,
        }) = response
        else {
            return Err(Error::spec(at, "success responses must be inline"));
        };
        // JSON media types first, then the newest version (dates sort as text).
        let mut media: Vec<(&String, &openapiv3::MediaType)> = content.iter().collect();
        media.sort_by_key(|(name, _)| (name.ends_with("json"), *name));
        let Some((accept, content)) = media.last() else {
            return Err(Error::spec(at, "the success response has no content"));
        };
        let media_pointer = format!("{at}/content/{}", pointer_token(accept));
        if !accept.ends_with("json") {
            return Err(Error::spec(
                media_pointer,
                format!(
                    "unsupported construct: media type `{accept}` (the client decodes JSON only)"
                ),
            ));
        }
        let openapiv3::MediaType {
            schema,
            example: _,
            examples: _,
            encoding,
            extensions: _,
        } = content;
        if !encoding.is_empty() {
            return Err(Error::spec(
                format!("{media_pointer}/encoding"),
                "unsupported construct: `encoding`",
            ));
        }
        if media.len() > 1 {
            self.warnings.push(format!(
                "{at}: several media types; using the newest, `{accept}`"
            ));
        }
        let Some(schema) = schema else {
            return Err(Error::spec(
                media_pointer,
                "the success response has no schema",
            ));
        };
        let ty = self.schema_or_ref(
            schema,
            operation,
            &format!("{operation}.response"),
            &format!("{media_pointer}/schema"),
        )?;
        Ok(((*accept).clone(), ty))
    }

    fn parameter(
        &mut self,
        param: &Parameter,
        operation: &str,
        pointer: &str,
    ) -> Result<Param, Error> {
        let (data, location) = parameter_location(param, pointer)?;
        let openapiv3::ParameterData {
            name: _,
            description: _,
            required: _,
            deprecated: _, // not marked on the setter: a request still works
            format,
            example: _,
            examples: _,
            explode,
            extensions: _,
        } = data;
        if *explode == Some(false) {
            // Lists are sent as repeated keys (`form`, exploded), never comma-joined.
            return Err(unsendable(pointer, "`explode: false`"));
        }
        let ParameterSchemaOrContent::Schema(schema) = format else {
            return Err(Error::spec(
                pointer,
                "parameters with `content` are not supported",
            ));
        };
        let schema_pointer = format!("{pointer}/schema");
        let key = format!("{operation}.{}", data.name);
        let ty = self.schema_or_ref(schema, operation, &key, &schema_pointer)?;
        let (default, constraints) = parameter_constraints(schema, &schema_pointer)?;
        self.check_parameter_type(&ty, location, data.required, pointer)?;
        let rust_name = self.naming.field_name(operation, &data.name, pointer)?;
        Ok(Param {
            wire_name: data.name.clone(),
            rust_name,
            location,
            doc: data.description.clone(),
            required: data.required,
            ty,
            default,
            constraints,
        })
    }
}

impl Lowering<'_> {
    /// Parameters the client can send: a required string in the path (it is percent-encoded
    /// into one segment); in the query a scalar, timestamp or string enum, or a list of them.
    fn check_parameter_type(
        &self,
        ty: &TypeRef,
        location: ParamLocation,
        required: bool,
        pointer: &str,
    ) -> Result<(), Error> {
        if location == ParamLocation::Path {
            if !required {
                return Err(Error::spec(
                    pointer,
                    "a path parameter must be `required: true`",
                ));
            }
            if *ty != TypeRef::String {
                return Err(Error::spec(
                    pointer,
                    "unsupported construct: path parameters must be strings",
                ));
            }
            return Ok(());
        }
        let scalar = |ty: &TypeRef| match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::Number
            | TypeRef::DateTime => true,
            TypeRef::Named(key) => matches!(self.types.get(key), Some(TypeDef::Enum(_))),
            _ => false,
        };
        let sendable = match ty {
            TypeRef::List(item) => scalar(item),
            other => scalar(other),
        };
        if sendable {
            Ok(())
        } else {
            Err(Error::spec(
                pointer,
                "unsupported construct: a query parameter must be a string, boolean, number, timestamp or string enum, or a list of them",
            ))
        }
    }
}

/// The `oneOf` of a schema that generator.toml lists as a union.
fn union_branches<'s>(
    union: &UnionConfig,
    schema: &'s Schema,
    pointer: &str,
) -> Result<&'s [ReferenceOr<Schema>], Error> {
    match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => Ok(one_of),
        SchemaKind::Any(any) if !any.one_of.is_empty() => Ok(&any.one_of),
        _ => Err(Error::spec(
            pointer,
            format!(
                "generator.toml lists `{}` as a union, but it is not a oneOf",
                union.schema
            ),
        )),
    }
}

/// The method of an operation the client can send (GET only).
fn http_method(method: &str, pointer: &str) -> Result<HttpMethod, Error> {
    match HttpMethod::from_openapi(method) {
        Some(HttpMethod::Get) => Ok(HttpMethod::Get),
        Some(other) => Err(Error::spec(
            pointer,
            format!(
                "unsupported construct: HTTP method {other} (the client sends GET requests only)"
            ),
        )),
        None => Err(Error::spec(
            pointer,
            format!("unknown HTTP method `{method}`"),
        )),
    }
}

/// A parameter and its pointer, following a `#/components/parameters/` reference to where the
/// parameter is written, so errors point there.
fn resolve_parameter<'d>(
    param: &'d ReferenceOr<Parameter>,
    at: String,
    doc: &'d OpenAPI,
) -> Result<(&'d Parameter, String), Error> {
    match param {
        ReferenceOr::Item(p) => Ok((p, at)),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .unwrap_or(reference);
            let found = doc.components.as_ref().and_then(|c| c.parameters.get(name));
            match found {
                Some(ReferenceOr::Item(p)) => {
                    Ok((p, format!("/components/parameters/{}", pointer_token(name))))
                }
                _ => Err(Error::spec(
                    at,
                    format!("`$ref: {reference}` is not a parameter"),
                )),
            }
        }
    }
}

/// Every `{name}` of the path template is a whole segment with a declared path parameter: the
/// client fills segments, it does not splice text.
fn check_path_template(path: &str, params: &[Param], pointer: &str) -> Result<(), Error> {
    for segment in path.split('/').filter(|s| s.contains(['{', '}'])) {
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.contains(['{', '}']))
            .ok_or_else(|| {
                Error::spec(
                    pointer,
                    format!(
                        "unsupported construct: path segment `{segment}` mixes a template parameter with text"
                    ),
                )
            })?;
        if !params
            .iter()
            .any(|p| p.wire_name == name && p.location == ParamLocation::Path)
        {
            return Err(Error::spec(
                pointer,
                format!("path parameter `{name}` is not declared"),
            ));
        }
    }
    Ok(())
}

/// Where a parameter goes, refusing the locations and serialization styles the client does not
/// send.
fn parameter_location<'p>(
    param: &'p Parameter,
    pointer: &str,
) -> Result<(&'p openapiv3::ParameterData, ParamLocation), Error> {
    match param {
        Parameter::Path {
            parameter_data,
            style: openapiv3::PathStyle::Simple,
        } => Ok((parameter_data, ParamLocation::Path)),
        Parameter::Path { .. } => Err(unsendable(
            pointer,
            "a path parameter style other than `simple`",
        )),
        Parameter::Query {
            parameter_data,
            allow_reserved,
            style,
            allow_empty_value,
        } => {
            if *allow_reserved {
                return Err(unsendable(pointer, "`allowReserved`"));
            }
            if *style != openapiv3::QueryStyle::Form {
                return Err(unsendable(
                    pointer,
                    "a query parameter style other than `form`",
                ));
            }
            if *allow_empty_value == Some(true) {
                return Err(unsendable(pointer, "`allowEmptyValue`"));
            }
            Ok((parameter_data, ParamLocation::Query))
        }
        Parameter::Header { .. } | Parameter::Cookie { .. } => Err(Error::spec(
            pointer,
            "header and cookie parameters are not supported",
        )),
    }
}

fn unsendable(pointer: &str, what: &str) -> Error {
    Error::spec(
        pointer,
        format!("unsupported construct: {what} (the client cannot send it as the spec says)"),
    )
}

/// The default and the constraints the client checks before sending, from an inline schema
/// (those of a referenced schema are not read). A pattern must compile: the client enforces it.
fn parameter_constraints(
    schema: &ReferenceOr<Schema>,
    schema_pointer: &str,
) -> Result<(Option<Value>, Constraints), Error> {
    let mut constraints = Constraints::default();
    let mut default = None;
    if let ReferenceOr::Item(schema) = schema {
        default = schema.schema_data.default.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => constraints.pattern = s.pattern.clone(),
            SchemaKind::Type(Type::Integer(i)) => {
                constraints.minimum = i.minimum;
                constraints.maximum = i.maximum;
            }
            SchemaKind::Type(Type::Array(a)) => {
                constraints.max_items = a.max_items;
                if let Some(ReferenceOr::Item(items)) = &a.items
                    && let SchemaKind::Type(Type::String(s)) = &items.schema_kind
                {
                    constraints.pattern = s.pattern.clone();
                }
            }
            _ => {}
        }
    }
    if let Some(pattern) = &constraints.pattern
        && let Err(e) = regex::Regex::new(pattern)
    {
        return Err(Error::spec(
            schema_pointer,
            format!("the pattern cannot be enforced by the client: {e}"),
        ));
    }
    Ok((default, constraints))
}

/// The component name a `#/components/schemas/...` reference names, with its JSON pointer
/// escapes (`~1` for `/`, `~0` for `~`) undone.
fn schema_name(reference: &str) -> Option<String> {
    let token = reference.strip_prefix(SCHEMA_PREFIX)?;
    Some(crate::error::unescape_pointer_token(token))
}

fn is_object(schema: &Schema) -> bool {
    matches!(schema.schema_kind, SchemaKind::Type(Type::Object(_)))
}

fn unsupported(pointer: &str, keyword: &str) -> Error {
    Error::spec(
        pointer,
        format!("unsupported construct: `{keyword}` has no mapping in this generator"),
    )
}

fn enum_strings(values: &[Option<String>], pointer: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    for (index, value) in values.iter().enumerate() {
        match value {
            Some(v) => out.push(v.clone()),
            None => {
                return Err(Error::spec(
                    format!("{pointer}/enum/{index}"),
                    "enum values must be strings (null is not supported)",
                ));
            }
        }
    }
    Ok(out)
}

/// An enum value and its label.
type LabelledValue = (String, Option<String>);

/// The values of a string enum with their kinds, and the kinds' label, when the schema carries
/// [`fixups::VALUE_KINDS`] (`{"doc": text, "kinds": {value: kind}}`, a kind for every value).
/// The closed enum of kinds is named in `define_enum_with_labels`.
fn value_kinds(
    data: &openapiv3::SchemaData,
    values: Vec<String>,
    pointer: &str,
) -> Result<(Vec<LabelledValue>, Option<LabelKind>), Error> {
    let Some(kinds) = data.extensions.get(fixups::VALUE_KINDS) else {
        return Ok((values.into_iter().map(|v| (v, None)).collect(), None));
    };
    let at = format!("{pointer}/{}", fixups::VALUE_KINDS);
    let doc = kinds.get("doc").and_then(Value::as_str);
    let of = kinds.get("kinds").and_then(Value::as_object);
    let (Some(doc), Some(of)) = (doc, of) else {
        return Err(Error::spec(
            at,
            "expected `doc` (a string) and `kinds` (a mapping)",
        ));
    };
    let mut labelled = Vec::new();
    for value in values {
        let Some(kind) = of.get(&value).and_then(Value::as_str) else {
            return Err(Error::spec(at, format!("`{value}` has no kind")));
        };
        labelled.push((value, Some(kind.to_string())));
    }
    let labels = LabelKind::Kind {
        rust_name: String::new(),
        doc: doc.to_string(),
    };
    Ok((labelled, Some(labels)))
}
