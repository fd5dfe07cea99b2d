//! Types by key, and the fields of structs.

use std::collections::{BTreeMap, BTreeSet};

use super::Diff;
use super::enums::diff_enum;
use super::unions::diff_union;
use crate::changelog::{Entry, EnumName, FieldChange, FieldType, TypeChange, TypeKind};
use crate::model::{Api, Field, StructDef, TypeDef};
use crate::naming;

pub(super) fn diff_types(d: &mut Diff, old: &Api, new: &Api, names_enums: &BTreeSet<&str>) {
    for (key, was) in &old.types {
        let Some(now) = new.types.get(key) else {
            d.push(Entry::Type(TypeChange::Removed {
                key: key.clone(),
                kind: TypeKind::of(was),
                rust: was.rust_name().to_string(),
            }));
            continue;
        };
        if was.rust_name() != now.rust_name() {
            d.push(Entry::Type(TypeChange::RenamedInRust {
                key: key.clone(),
                kind: TypeKind::of(now),
                old: was.rust_name().to_string(),
                new: now.rust_name().to_string(),
            }));
        }
        match (was, now) {
            (TypeDef::Struct(a), TypeDef::Struct(b)) => diff_struct(d, key, a, b),
            (TypeDef::Enum(a), TypeDef::Enum(b)) => {
                let enum_name = EnumName {
                    key: key.clone(),
                    rust: b.rust_name.clone(),
                    event_types: names_enums.contains(key.as_str()),
                };
                diff_enum(d, &enum_name, a, b)
            }
            (TypeDef::Union(a), TypeDef::Union(b)) => diff_union(d, old, new, a, b),
            _ => d.push(Entry::Type(TypeChange::KindChanged {
                key: key.clone(),
                old: TypeKind::of(was),
                new: TypeKind::of(now),
            })),
        }
    }
    for (key, now) in &new.types {
        if !old.types.contains_key(key) {
            let members = match now {
                TypeDef::Struct(s) => s.fields.len(),
                TypeDef::Enum(e) => e.values.len(),
                TypeDef::Union(u) => u.variants.len(),
            };
            d.push(Entry::Type(TypeChange::Added {
                key: key.clone(),
                kind: TypeKind::of(now),
                rust: now.rust_name().to_string(),
                members,
            }));
        }
    }
}

fn diff_struct(d: &mut Diff, key: &str, old: &StructDef, new: &StructDef) {
    let by_wire = |s: &'_ StructDef| -> BTreeMap<String, Field> {
        s.fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.clone()))
            .collect()
    };
    let (was, now) = (by_wire(old), by_wire(new));
    let field_entry = |f: Field, added: bool| {
        let (schema, field, ty) = (key.to_string(), f.wire_name.clone(), FieldType::of(&f));
        if added {
            Entry::Field(FieldChange::Added { schema, field, ty })
        } else {
            Entry::Field(FieldChange::Removed { schema, field, ty })
        }
    };
    for f in was.values().filter(|f| !now.contains_key(&f.wire_name)) {
        d.push(field_entry(f.clone(), false));
    }
    for (wire, f) in &now {
        match was.get(wire) {
            None => d.push(field_entry(f.clone(), true)),
            Some(a) => diff_field(d, key, (old, a), (new, f)),
        }
    }
}

/// One field in both versions of a struct: its type, null handling, Rust name and pattern.
fn diff_field(
    d: &mut Diff,
    key: &str,
    (old, a): (&StructDef, &Field),
    (new, f): (&StructDef, &Field),
) {
    let (schema, field) = (key.to_string(), f.wire_name.clone());
    if a.ty != f.ty || a.optional != f.optional {
        d.push(Entry::Field(FieldChange::Retyped {
            schema: schema.clone(),
            field: field.clone(),
            old: FieldType::of(a),
            new: FieldType::of(f),
        }));
    } else if a.required != f.required || a.nullable != f.nullable {
        d.push(Entry::Field(FieldChange::NullHandlingChanged {
            schema: schema.clone(),
            field: field.clone(),
            required: (a.required != f.required).then_some(f.required),
            nullable: (a.nullable != f.nullable).then_some(f.nullable),
            ty: FieldType::of(f),
        }));
    }
    if a.rust_name != f.rust_name {
        d.push(Entry::Field(FieldChange::RenamedInRust {
            schema: schema.clone(),
            field: field.clone(),
            old: a.rust_name.clone(),
            new: f.rust_name.clone(),
        }));
    }
    // `emit::structs` writes `pub const <FIELD>_PATTERN` for each field with a pattern.
    // (A renamed field renames its constant too; the rename above is already major.)
    let constant = |s: &StructDef, f: &Field| {
        format!("{}::{}", s.rust_name, naming::pattern_const(&f.rust_name))
    };
    match (&a.pattern, &f.pattern) {
        (None, Some(_)) => d.push(Entry::Field(FieldChange::PatternAdded {
            schema,
            field,
            constant: constant(new, f),
        })),
        (Some(_), None) => d.push(Entry::Field(FieldChange::PatternRemoved {
            schema,
            field,
            constant: constant(old, a),
        })),
        (Some(x), Some(y)) if x != y => d.push(Entry::Field(FieldChange::PatternChanged {
            schema,
            field,
            constant: constant(new, f),
        })),
        _ => {}
    }
    // `T` <-> `Box<T>` (decided in lowering, see `Field::boxed`), also when retyped: the entry
    // above does not say it.
    if a.boxed != f.boxed {
        d.push(Entry::Field(FieldChange::BoxingChanged {
            schema: key.to_string(),
            field: f.wire_name.clone(),
            boxed: f.boxed,
            ty: FieldType::of(f),
        }));
    }
}
