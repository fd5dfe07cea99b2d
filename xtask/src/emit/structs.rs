//! Object schemas: a struct with one field per property plus `extra` for what the spec does not
//! list. Decoding is a single pass over the map with no buffering; encoding writes the known
//! fields in spec order, then `extra`.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Types, doc_attrs};
use crate::model::{Field, StructDef, TypeRef};
use crate::naming;

/// How a field is stored in its struct.
pub struct FieldShape {
    /// The stored type (with `Option` and `Box` applied).
    pub ty: TokenStream,
    /// The decoded type, before boxing.
    pub inner: TokenStream,
    pub optional: bool,
    pub boxed: bool,
}

pub fn shape(types: &Types, owner_key: &str, field: &Field) -> FieldShape {
    let inner = types.tokens(&field.ty);
    let boxed = matches!(&field.ty, TypeRef::Named(_)) && types.reaches(&field.ty, owner_key);
    let stored = if boxed {
        quote!(Box<#inner>)
    } else {
        inner.clone()
    };
    let optional = is_optional(field);
    let ty = if optional {
        quote!(Option<#stored>)
    } else {
        stored
    };
    FieldShape {
        ty,
        inner,
        optional,
        boxed,
    }
}

/// Whether a field is stored as `Option` (decided in lowering, see `Field::optional`).
pub fn is_optional(field: &Field) -> bool {
    field.optional
}

pub fn field_doc(field: &Field) -> String {
    let mut doc = field.doc.clone().unwrap_or_default();
    if let Some(pattern) = &field.pattern {
        doc.push_str(&format!(
            "\n\nThe spec constrains this value to the pattern `{pattern}` (see the `{}` constant); received values are not checked against it.",
            naming::pattern_const(&field.rust_name)
        ));
    }
    for note in &field.notes {
        doc.push_str("\n\n");
        doc.push_str(note);
    }
    // The wire name is said only where the Rust name does not show it (an override, a
    // keyword, a name with digits or symbols), or where the spec gives no text at all.
    let doc = doc.trim();
    let shown = field.rust_name.trim_end_matches('_') == field.wire_name.to_snake_case();
    match (doc.is_empty(), shown) {
        (true, _) => format!("Wire name: `{}`.", field.wire_name),
        (false, true) => doc.to_string(),
        (false, false) => format!("{doc}\n\nWire name: `{}`.", field.wire_name),
    }
}

pub fn emit(types: &Types, key: &str, def: &StructDef) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    let doc = format!(
        "{}\n\nSpec schema: `{}`.",
        def.doc
            .clone()
            .unwrap_or_else(|| format!("The spec's `{}` object.", def.spec_name)),
        def.spec_name
    );
    let docs = doc_attrs(Some(&doc));
    let shapes: Vec<FieldShape> = def.fields.iter().map(|f| shape(types, key, f)).collect();
    let field_defs = def.fields.iter().zip(&shapes).map(|(f, s)| {
        let ident = format_ident!("{}", f.rust_name);
        let docs = doc_attrs(Some(&field_doc(f)));
        let ty = &s.ty;
        quote!(#docs pub #ident: #ty,)
    });
    let patterns = def.fields.iter().filter_map(|f| {
        let pattern = f.pattern.as_ref()?;
        let ident = format_ident!("{}", naming::pattern_const(&f.rust_name));
        let text = format!(" The spec's pattern for `{}`.", f.wire_name);
        Some(quote!(#[doc = #text] pub const #ident: &'static str = #pattern;))
    });
    let serialize = serialize_body(def, &shapes);
    let write_extra = serialize_extra(def, &shapes);
    let deserialize = deserialize_impl(&name, &def.spec_name, &def.fields, &shapes);
    let lenient = super::schema::lenient_object(&name, false);
    let table = super::schema::struct_table(types, def);
    let spec_name = &def.spec_name;
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #( #field_defs )*
            /// Fields the spec does not list, and fields received as `null` or with another
            /// type than declared (their typed field is `None`); encoding writes them back so
            /// that nothing received is lost.
            pub extra: crate::Extra,
        }

        impl #name {
            /// The spec schema this type comes from.
            pub const SPEC_SCHEMA: &'static str = #spec_name;
            #( #patterns )*
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #serialize
                #write_extra
                map.end()
            }
        }

        #deserialize
        #lenient
        #table
    }
}

fn serialize_body(def: &StructDef, shapes: &[FieldShape]) -> TokenStream {
    let entries = def.fields.iter().zip(shapes).map(|(f, s)| {
        let ident = format_ident!("{}", f.rust_name);
        let wire = &f.wire_name;
        if always_written(s) {
            quote!(map.serialize_entry(#wire, &self.#ident)?;)
        } else {
            quote!(if let Some(value) = &self.#ident { map.serialize_entry(#wire, value)?; })
        }
    });
    quote!(#( #entries )*)
}

/// Whether `serialize` writes the field whatever its value: a plain (non-`Option`) field. An
/// `Option` is written only when set, so a field that did not arrive is not invented (a `null`
/// that did arrive is kept in `extra`).
fn always_written(shape: &FieldShape) -> bool {
    !shape.optional
}

/// Writes `extra`, except keys the typed fields have written: a `null` kept for an optional
/// field is written only while that field is `None`, so a value set later is not shadowed.
fn serialize_extra(def: &StructDef, shapes: &[FieldShape]) -> TokenStream {
    if def.fields.is_empty() {
        return quote! {
            for (key, value) in &self.extra {
                map.serialize_entry(key, value)?;
            }
        };
    }
    let fields: Vec<(&Field, &FieldShape)> = def.fields.iter().zip(shapes).collect();
    let written = if fields.iter().all(|(_, s)| always_written(s)) {
        let wires = fields.iter().map(|(f, _)| &f.wire_name);
        quote!(matches!(key.as_str(), #( #wires )|*))
    } else {
        let arms = fields.iter().map(|(f, s)| {
            let ident = format_ident!("{}", f.rust_name);
            let wire = &f.wire_name;
            if always_written(s) {
                quote!(#wire => true,)
            } else {
                quote!(#wire => self.#ident.is_some(),)
            }
        });
        quote!(match key.as_str() { #( #arms )* _ => false, })
    };
    quote! {
        for (key, value) in &self.extra {
            let written = #written;
            if !written {
                map.serialize_entry(key, value)?;
            }
        }
    }
}

/// The `Deserialize` impl: slots for every field, one pass over the map, then assembly.
fn deserialize_impl(
    name: &proc_macro2::Ident,
    spec_name: &str,
    fields: &[Field],
    shapes: &[FieldShape],
) -> TokenStream {
    let slots: Vec<_> = fields
        .iter()
        .map(|f| format_ident!("field_{}", f.rust_name.trim_end_matches('_')))
        .collect();
    let slot_decls = slots.iter().zip(shapes).map(|(slot, s)| {
        let inner = &s.inner;
        quote!(let mut #slot: Option<#inner> = None;)
    });
    let arms = fields.iter().zip(&slots).map(|(f, slot)| {
        let wire = &f.wire_name;
        quote!(#wire => crate::support::field(&mut map, &mut #slot, &mut extra, #wire)?,)
    });
    let assigns = fields.iter().zip(&slots).zip(shapes).map(|((f, slot), s)| {
        let ident = format_ident!("{}", f.rust_name);
        let wire = &f.wire_name;
        let value = if s.boxed {
            quote!(#slot.map(Box::new))
        } else {
            quote!(#slot)
        };
        if s.optional {
            quote!(#ident: #value,)
        } else {
            quote!(#ident: #value.ok_or_else(|| crate::support::missing(#wire))?,)
        }
    });
    let expecting = format!("a `{spec_name}` object");
    let body = quote! {
        #( #slot_decls )*
        let mut extra = crate::Extra::new();
        while let Some(key) = map.next_key::<crate::support::Key<'de>>()? {
            match &*key.0 {
                #( #arms )*
                _ => crate::support::unknown(&mut map, &mut extra, key)?,
            }
        }
        Ok(#name {
            #( #assigns )*
            extra,
        })
    };
    super::map_deserialize(name, &expecting, body)
}
