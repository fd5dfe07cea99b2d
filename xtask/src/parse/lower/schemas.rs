//! Lowering schemas: component and inline schemas to structs and enums (with their labels and
//! category names' raw material), following references and refusing cycles that have no
//! finite type.

use std::collections::BTreeMap;

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

use super::{Lowering, SCHEMA_PREFIX};
use crate::error::{Error, pointer_token};
use crate::model::*;
use crate::naming::{self, Namespace};
use crate::parse::{EnumBranch, fixups};

impl Lowering<'_> {
    /// Lowers a component schema once; later calls return the same type.
    pub(super) fn component(&mut self, name: &str, site: &str) -> Result<TypeRef, Error> {
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

    pub(super) fn reference(&mut self, reference: &str, site: &str) -> Result<TypeRef, Error> {
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
    pub(super) fn schema_or_ref<S: std::borrow::Borrow<Schema>>(
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

    pub(super) fn type_name(&mut self, type_key: &str, pointer: &str) -> Result<String, Error> {
        let name = self.naming.type_name(type_key, pointer)?;
        self.type_names.claim(&name, type_key, pointer)?;
        Ok(name)
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
