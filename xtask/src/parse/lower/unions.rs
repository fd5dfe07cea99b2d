//! Lowering the `oneOf`s that generator.toml lists as unions: their views, and which view each
//! event name routes to.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::Lowering;
use crate::config::UnionConfig;
use crate::error::{Error, pointer_token};
use crate::model::*;
use crate::naming::{self, Namespace};

impl Lowering<'_> {
    pub(super) fn union(
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
                // Decided once the views are complete: see `parse::decisions`.
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
