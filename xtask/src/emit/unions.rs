//! Unions of views chosen by a property's value (`eventTypeName`).
//!
//! Decoding is one pass over the object: every field all views type alike is read into a slot,
//! every other field into `extra` as JSON, and the property's value picks the view through a
//! sorted table (never by trying views one after another). The chosen view then takes the
//! fields it lists out of `extra` and types them, losing nothing: for any other view such a
//! field is an unknown field, which may have any shape. An event carries only a few fields, so
//! only those few are looked up, not one slot for every field any view lists.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::structs::shape;
use super::{Types, doc_attrs};
use crate::model::{Accessor, Field, StructDef, TypeDef, TypeRef, UnionDef};

struct Slot<'a> {
    wire: &'a str,
    /// The variable of a typed slot (unused for a field read into `extra`).
    ident: proc_macro2::Ident,
    /// The field as the first view that lists it declares it (name and docs).
    first: &'a Field,
    /// The type, when every view lists the field with that type: decoded as it is read. `None`
    /// when some view does not list it or views disagree: read into `extra` as JSON, and taken
    /// out and typed only by a view that lists it, since for any other view it is an unknown
    /// field of any shape.
    ty: Option<&'a TypeRef>,
    /// When `ty` is `None` but most views list the field, all as a string or all as a boolean:
    /// it is read typed too (nearly every event has `apiKeyId` or `isGlobalAdmin`, and a lookup
    /// in `extra` costs more than a slot), and the views that do not list it get it back in
    /// `extra` as the JSON it was read from, which a string or a boolean gives back exactly. The
    /// bit set of the views that list it.
    shared: Option<u64>,
}

impl Slot<'_> {
    /// Whether the read pass reads the field into this slot (else into `extra`).
    fn read_typed(&self) -> bool {
        self.ty.is_some() || self.shared.is_some()
    }
}

/// The view structs of a union, with their type keys, in variant order.
pub(super) fn views<'a>(types: &Types<'a>, def: &'a UnionDef) -> Vec<(&'a str, &'a StructDef)> {
    def.variants
        .iter()
        .map(|v| match types.get(&v.type_key) {
            TypeDef::Struct(s) => (v.type_key.as_str(), s),
            _ => unreachable!("lowering checked that union variants are structs"),
        })
        .collect()
}

pub fn emit(types: &Types, def: &UnionDef) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    let views = views(types, def);
    let names_enum = format_ident!("{}", types.get(&def.names_enum).rust_name());
    let property = def.property.as_str();

    let slots = slots(&views, property);
    let variant_idents: Vec<_> = def
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let struct_idents: Vec<_> = views
        .iter()
        .map(|(_, s)| format_ident!("{}", s.rust_name))
        .collect();
    let variant_docs = variant_docs(def, &views);
    let spec_schemas: Vec<&str> = views.iter().map(|(_, s)| s.spec_name.as_str()).collect();
    let routes = routes_table(def, &name);
    let fallback_u8 = def.fallback as u8;

    let non_conforming = format_ident!("{}", crate::naming::non_conforming(&def.rust_name));
    let property_ident = views
        .first()
        .and_then(|(_, s)| s.fields.iter().find(|f| f.wire_name == property))
        .map(|f| format_ident!("{}", f.rust_name))
        .unwrap_or_else(|| format_ident!("selector"));
    let non_conforming_def =
        non_conforming_struct(types, def, &slots, &non_conforming, &property_ident);
    let accessors = accessors(types, def, &views, &name, &variant_idents, &slots);
    let property_accessors = property_accessors(
        def,
        &views,
        &name,
        &variant_idents,
        &names_enum,
        &property_ident,
    );
    let lenient = super::schema::lenient_object(&name, true);
    let checks = conformance_checks(def, &slots, &name, &variant_idents, &property_ident);
    let table = super::schema::union_table(types, def, checks);
    let deserialize = deserialize_impl(
        types,
        def,
        &views,
        &slots,
        Names {
            union: &name,
            non_conforming: &non_conforming,
            property: &property_ident,
        },
        &variant_idents,
        &struct_idents,
    );
    let serialize = serialize_impl(&name, &variant_idents);
    let docs = doc_attrs(Some(&union_doc(def)));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variant_idents(Box<crate::models::#struct_idents>), )*
            /// An event whose view could not be built (a field the view requires is missing,
            /// `null` or of another type): every field kept as received, and
            /// [`disagreements()`](crate::Conformance::disagreements) says what was wrong.
            NonConforming(Box<#non_conforming>),
        }

        #non_conforming_def

        #routes

        impl #name {
            fn route(value: &str) -> u8 {
                match crate::support::find_name(&Self::ROUTE_NAMES, &Self::ROUTE_SLOTS, value) {
                    Some(index) => Self::ROUTE_VIEWS[index],
                    None => #fallback_u8,
                }
            }

            /// The spec schema of the view that a value of the selecting property decodes as.
            pub fn view_for(value: &str) -> &'static str {
                [ #( #spec_schemas ),* ][Self::route(value) as usize]
            }

            /// The spec schema this event decoded as, such as `"HostEventViewForNdsGroup"`; for
            /// a non-conforming event, the view its `eventTypeName` selects.
            pub fn spec_schema(&self) -> &'static str {
                match self {
                    #( #name::#variant_idents(_) => #spec_schemas, )*
                    #name::NonConforming(event) => {
                        Self::view_for(event.#property_ident.as_deref().unwrap_or_default())
                    }
                }
            }

            /// Fields of the event that its view does not list, and fields received as `null`
            /// or with another type than declared.
            pub fn extra(&self) -> &crate::Extra {
                match self {
                    #( #name::#variant_idents(view) => &view.extra, )*
                    #name::NonConforming(event) => &event.extra,
                }
            }

            /// Whether the event decoded as its view; `false` for
            /// [`NonConforming`](Self::NonConforming).
            pub fn is_conforming(&self) -> bool {
                !matches!(self, #name::NonConforming(_))
            }

            #property_accessors
            #accessors
        }

        #serialize
        #deserialize
        #lenient
        #table
    }
}

/// Slots: every field of every view but the selecting property, by wire name, in first-seen
/// order, typed when the views agree on it (or most list it as a string or boolean).
fn slots<'a>(views: &[(&str, &'a StructDef)], property: &str) -> Vec<Slot<'a>> {
    let mut slot_types: BTreeMap<&str, Vec<&Field>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (_, view) in views {
        for field in view.fields.iter().filter(|f| f.wire_name != property) {
            let listed = slot_types.entry(&field.wire_name).or_insert_with(|| {
                order.push(&field.wire_name);
                Vec::new()
            });
            listed.push(field);
        }
    }
    // Only typed slots are variables of the read pass: they are numbered alone.
    let mut typed = 0;
    order
        .iter()
        .map(|wire| {
            let listed = &slot_types[wire];
            let alike = listed
                .iter()
                .all(|f| f.ty == listed[0].ty && f.rust_name == listed[0].rust_name);
            let agreed = alike && listed.len() == views.len();
            let shared = (!agreed
                && alike
                && listed.len() * 2 > views.len()
                && matches!(listed[0].ty, TypeRef::String | TypeRef::Bool))
            .then(|| {
                views
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, view))| view.fields.iter().any(|f| f.wire_name == **wire))
                    .fold(0, |mask, (index, _)| mask | (1u64 << index))
            });
            let ident = format_ident!("slot_{}", typed);
            let slot = Slot {
                wire,
                ident,
                first: listed[0],
                ty: agreed.then_some(&listed[0].ty),
                shared,
            };
            typed += usize::from(slot.read_typed());
            slot
        })
        .collect()
}

/// The slot a view's field is read into.
fn slot<'s, 'a>(slots: &'s [Slot<'a>], wire: &str) -> &'s Slot<'a> {
    slots
        .iter()
        .find(|s| s.wire == wire)
        .expect("every field has a slot")
}

/// The doc of each enum variant: how many names route to its view.
fn variant_docs(def: &UnionDef, views: &[(&str, &StructDef)]) -> Vec<TokenStream> {
    def.variants
        .iter()
        .zip(views)
        .enumerate()
        .map(|(i, (v, (_, s)))| {
            let text = if i == def.fallback {
                format!(
                    " `{}`: {}, plus every name no other view lists and names no spec lists.",
                    s.spec_name,
                    super::plural(v.names.len(), "name")
                )
            } else {
                format!(
                    " `{}`: {}.",
                    s.spec_name,
                    super::plural(v.names.len(), "name")
                )
            };
            quote!(#[doc = #text])
        })
        .collect()
}

/// Every name with the index of the view it routes to, and the hash table that finds a name
/// (`support::find_name`), so `route` looks the name up instead of trying views in turn.
fn routes_table(def: &UnionDef, name: &proc_macro2::Ident) -> TokenStream {
    let mut routes: Vec<(&str, u8)> = Vec::new();
    for (index, variant) in def.variants.iter().enumerate() {
        for n in &variant.names {
            routes.push((n, index as u8));
        }
    }
    routes.sort();
    let route_count = routes.len();
    let route_names: Vec<&str> = routes.iter().map(|(n, _)| *n).collect();
    let route_views = routes.iter().map(|(_, i)| i);
    let name_slots = super::name_slots(&route_names);
    let slot_count = name_slots.len();
    quote! {
        impl #name {
            /// Names routed to a view, sorted.
            const ROUTE_NAMES: [&'static str; #route_count] = [ #( #route_names ),* ];
            /// The index of the view each of `ROUTE_NAMES` routes to.
            const ROUTE_VIEWS: [u8; #route_count] = [ #( #route_views ),* ];
            /// Where `support::find_name` looks `ROUTE_NAMES` up.
            const ROUTE_SLOTS: [u16; #slot_count] = [ #( #name_slots ),* ];
        }
    }
}

/// The body of the union's conformance check: a view checks itself; a non-conforming event is
/// checked against the view its selector picks, by wire name, since it has no view to ask.
fn conformance_checks(
    def: &UnionDef,
    slots: &[Slot],
    name: &proc_macro2::Ident,
    variant_idents: &[proc_macro2::Ident],
    property_ident: &proc_macro2::Ident,
) -> TokenStream {
    let typed: Vec<&Slot> = slots.iter().filter(|s| s.ty.is_some()).collect();
    let nc_wires = typed.iter().map(|s| s.wire);
    let nc_values = super::schema::field_values(
        typed.iter().map(|s| (s.first.rust_name.as_str(), true)),
        &quote!(event),
    );
    let property = def.property.as_str();
    quote! {
        match self {
            #( #name::#variant_idents(view) => view.check(walk, at), )*
            #name::NonConforming(event) => {
                let view = crate::support::view_of(&SCHEMA, event.#property_ident.as_deref());
                let selector = event.#property_ident.as_deref().map(|text| (#property, text));
                let values = [ #( (#nc_wires, #nc_values) ),* ];
                walk.object_by_wire(view, &values, &event.extra, selector);
            }
        }
    }
}

/// The doc of the union enum: the spec's description, then how a value picks its view.
fn union_doc(def: &UnionDef) -> String {
    format!(
        "{}\n\nSpec schema: `{}`, a `oneOf` of {} views chosen by `{}`. A value no view lists (including event types newer than this crate) decodes as `{}` and keeps every field.\n\nEach variant holds its view boxed, so an event is the size of a pointer whatever its view: a page of 500 is not 500 copies of the largest view's size, moved as the list grows.",
        def.doc
            .clone()
            .unwrap_or_else(|| format!("One of the `{}` views.", def.spec_name)),
        def.spec_name,
        def.variants.len(),
        def.property,
        def.variants[def.fallback].rust_name,
    )
}

/// An event encodes as the object it was decoded from: its view's, or as received.
fn serialize_impl(name: &proc_macro2::Ident, variants: &[proc_macro2::Ident]) -> TokenStream {
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #name::#variants(view) => view.serialize(serializer), )*
                    #name::NonConforming(event) => event.serialize(serializer),
                }
            }
        }
    }
}

/// The struct of a non-conforming event: the fields every view lists with one type, typed and
/// optional, the selecting property as text, and everything else in `extra` as received.
fn non_conforming_struct(
    types: &Types,
    def: &UnionDef,
    slots: &[Slot],
    name: &proc_macro2::Ident,
    property_ident: &proc_macro2::Ident,
) -> TokenStream {
    let property = def.property.as_str();
    let typed: Vec<&Slot> = slots.iter().filter(|s| s.ty.is_some()).collect();
    let fields = typed.iter().map(|s| {
        let ident = format_ident!("{}", s.first.rust_name);
        let ty = types.tokens(&s.first.ty);
        let doc = format!(" `{}`, when it has the type every view gives it.", s.wire);
        quote!(#[doc = #doc] pub #ident: Option<#ty>,)
    });
    let entries = typed.iter().map(|s| {
        let ident = format_ident!("{}", s.first.rust_name);
        let wire = s.wire;
        quote!(if let Some(value) = &self.#ident { map.serialize_entry(#wire, value)?; })
    });
    let written = typed.iter().map(|s| {
        let ident = format_ident!("{}", s.first.rust_name);
        let wire = s.wire;
        quote!(#wire => self.#ident.is_some(),)
    });
    let property_doc = format!(" `{property}` as sent, when it is a string.");
    let doc = format!(
        "An `{}` event whose view could not be built: a field its view requires is missing, `null` or of another type, or `{property}` is.\n\nFields every view lists with one type are typed when they have that type; everything else is in `extra` as received, so encoding gives back the JSON that was decoded.",
        def.spec_name
    );
    let docs = doc_attrs(Some(&doc));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #[doc = #property_doc]
            pub #property_ident: Option<String>,
            #( #fields )*
            /// Every other field, as received.
            pub extra: crate::Extra,
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                if let Some(value) = &self.#property_ident {
                    map.serialize_entry(#property, value)?;
                }
                #( #entries )*
                for (key, value) in &self.extra {
                    let written = match key.as_str() {
                        #property => self.#property_ident.is_some(),
                        #( #written )*
                        _ => false,
                    };
                    if !written {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }
    }
}

/// `event_type_name()` (the text) and `event_type()` (the names enum): `None` only for a
/// non-conforming event without a string `eventTypeName`.
fn property_accessors(
    def: &UnionDef,
    views: &[(&str, &StructDef)],
    name: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
    names_enum: &proc_macro2::Ident,
    property_ident: &proc_macro2::Ident,
) -> TokenStream {
    let property = &def.property;
    let field = |s: &StructDef| s.fields.iter().find(|f| &f.wire_name == property).cloned();
    let first = views.first().and_then(|(_, s)| field(s));
    let Some(first) = first else { return quote!() };
    let text_fn = property_ident;
    let typed_fn = format_ident!(
        "{}",
        first
            .rust_name
            .strip_suffix("_name")
            .map(str::to_string)
            .unwrap_or_else(|| format!("{}_value", first.rust_name))
    );
    let arms = views.iter().zip(variants).map(|((_, s), v)| {
        let f = field(s).expect("lowering checked every view has the property");
        let ident = format_ident!("{}", f.rust_name);
        if f.optional {
            quote!(#name::#v(view) => view.#ident.as_ref().map(|v| v.as_str()),)
        } else {
            quote!(#name::#v(view) => Some(view.#ident.as_str()),)
        }
    });
    let text_doc = format!(" The `{property}` of the event as sent.");
    let typed_doc =
        format!(" The `{property}` of the event as [`{names_enum}`](crate::models::{names_enum}).");
    quote! {
        #[doc = #text_doc]
        #[inline]
        pub fn #text_fn(&self) -> Option<&str> {
            match self {
                #( #arms )*
                #name::NonConforming(event) => event.#property_ident.as_deref(),
            }
        }

        #[doc = #typed_doc]
        #[inline]
        pub fn #typed_fn(&self) -> Option<crate::models::#names_enum> {
            self.#text_fn().map(crate::models::#names_enum::from)
        }
    }
}

/// Accessors for fields that several views list with the same type: readable without a `match`.
fn accessors(
    types: &Types,
    def: &UnionDef,
    views: &[(&str, &StructDef)],
    name: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
    slots: &[Slot],
) -> TokenStream {
    // Which accessors there are is decided in lowering (`UnionDef::accessors`); here only how
    // each reads every view.
    let out = def
        .accessors
        .iter()
        .map(|accessor| accessor_method(types, views, name, variants, slots, accessor));
    quote!(#( #out )*)
}

fn accessor_method(
    types: &Types,
    views: &[(&str, &StructDef)],
    name: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
    slots: &[Slot],
    accessor: &Accessor,
) -> TokenStream {
    let wire = accessor.wire_name.as_str();
    let present: Vec<Option<&Field>> = views
        .iter()
        .map(|(_, view)| view.fields.iter().find(|f| f.wire_name == wire))
        .collect();
    let method = format_ident!("{}", accessor.rust_name);
    let access = Access::of(&accessor.ty);
    let ret = accessor_return(types, &accessor.ty, access);
    let arms = present.iter().zip(variants).map(|(field, v)| match field {
        None => quote!(#name::#v(_) => None,),
        Some(f) => view_arm(name, v, f, access),
    });
    // A non-conforming event has the field typed when every view types it alike; else it
    // is in `extra`, where a string or boolean can still be read.
    let typed_slot = slots.iter().any(|s| s.wire == wire && s.ty.is_some());
    let non_conforming = match (typed_slot, access) {
        (true, Access::Str | Access::Slice) => quote!(event.#method.as_deref()),
        (true, Access::Copy) => quote!(event.#method),
        (true, Access::Ref) => quote!(event.#method.as_ref()),
        (false, Access::Str) => {
            quote!(event.extra.get(#wire).and_then(serde_json::Value::as_str))
        }
        (false, Access::Copy) if accessor.ty == TypeRef::Bool => {
            quote!(event.extra.get(#wire).and_then(serde_json::Value::as_bool))
        }
        (false, _) => quote!(None),
    };
    let event = if typed_slot || matches!(access, Access::Str) || accessor.ty == TypeRef::Bool {
        quote!(event)
    } else {
        quote!(_)
    };
    let doc = accessor_doc(wire, &present);
    // `#[inline]`: an accessor is compiled in the crates that call it, not in every build of
    // this one (a program that only decodes calls none of them).
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #method(&self) -> #ret {
            match self {
                #( #arms )*
                #name::NonConforming(#event) => #non_conforming,
            }
        }
    }
}

/// A non-conforming event may lack any field, so every accessor returns `Option`.
fn accessor_return(types: &Types, ty: &TypeRef, access: Access) -> TokenStream {
    match (access, ty) {
        (Access::Str, _) => quote!(Option<&str>),
        (Access::Slice, TypeRef::List(item)) => {
            let item = types.tokens(item);
            quote!(Option<&[#item]>)
        }
        (Access::Copy, _) => {
            let inner = types.tokens(ty);
            quote!(Option<#inner>)
        }
        (Access::Slice | Access::Ref, _) => {
            let inner = types.tokens(ty);
            quote!(Option<&#inner>)
        }
    }
}

/// An accessor's arm for a view that lists the field.
fn view_arm(
    name: &proc_macro2::Ident,
    variant: &proc_macro2::Ident,
    field: &Field,
    access: Access,
) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    let required = !field.optional;
    let value = match (required, access) {
        (true, Access::Copy) => quote!(view.#ident),
        (true, Access::Slice) => quote!(view.#ident.as_slice()),
        (true, _) => quote!(&view.#ident),
        (false, Access::Str | Access::Slice) => quote!(view.#ident.as_deref()),
        (false, Access::Copy) => quote!(view.#ident),
        (false, Access::Ref) => quote!(view.#ident.as_ref()),
    };
    if required {
        quote!(#name::#variant(view) => Some(#value),)
    } else {
        quote!(#name::#variant(view) => #value,)
    }
}

/// How many views list the field and how many require it, so a reader knows when `None` means
/// more than a non-conforming event.
fn accessor_doc(wire: &str, present: &[Option<&Field>]) -> String {
    let listed = present.iter().flatten().count();
    let required_in = present
        .iter()
        .filter(|f| f.is_some_and(|f| !f.optional))
        .count();
    format!(
        " `{wire}`, which {} of the {} views list{}.",
        listed,
        present.len(),
        match required_in {
            0 => String::new(),
            n if n == present.len() =>
                " (required in all: `None` only for a non-conforming event)".to_string(),
            n => format!(" (required in {n})"),
        }
    )
}

#[derive(Clone, Copy)]
enum Access {
    /// `Option<&str>`.
    Str,
    /// `Option<T>`, by value.
    Copy,
    /// `Option<&[T]>` of a list.
    Slice,
    /// `Option<&T>`.
    Ref,
}

impl Access {
    /// Strings are lent as `&str`, lists as slices, small copyable values returned by value,
    /// the rest lent.
    fn of(ty: &TypeRef) -> Access {
        match ty {
            TypeRef::String => Access::Str,
            TypeRef::Bool | TypeRef::I32 | TypeRef::I64 => Access::Copy,
            TypeRef::List(_) => Access::Slice,
            _ => Access::Ref,
        }
    }
}

/// The Rust names of a union: its enum, its non-conforming struct and the selecting property's
/// field.
struct Names<'a> {
    union: &'a proc_macro2::Ident,
    non_conforming: &'a proc_macro2::Ident,
    property: &'a proc_macro2::Ident,
}

/// The `Deserialize` impl, in two halves: a generic single pass that reads every field into a
/// slot, and `assemble`, which picks the view and builds it. `assemble` is not generic, so the
/// largest part of decoding is compiled once, in this crate, not in every crate that decodes.
fn deserialize_impl(
    types: &Types,
    def: &UnionDef,
    views: &[(&str, &StructDef)],
    slots: &[Slot],
    names: Names,
    variants: &[proc_macro2::Ident],
    structs: &[proc_macro2::Ident],
) -> TokenStream {
    let Names {
        union: name,
        non_conforming,
        property: property_ident,
    } = names;
    let fields_name = format_ident!("{}Fields", name);
    let typed_slots: Vec<&Slot> = slots.iter().filter(|s| s.read_typed()).collect();
    // Shared slots are taken from when they go back into `extra`, so they are bound `mut`.
    let slot_bindings = typed_slots.iter().map(|s| {
        let ident = &s.ident;
        if s.shared.is_some() {
            quote!(mut #ident)
        } else {
            quote!(#ident)
        }
    });
    let slot_decls = typed_slots.iter().map(|s| {
        let ident = &s.ident;
        let ty = types.tokens(s.ty.unwrap_or(&s.first.ty));
        quote!(#ident: Option<#ty>,)
    });
    let shared_slots = || slots.iter().filter_map(|s| s.shared.map(|mask| (s, mask)));
    let non_conforming_spills = shared_slots().map(|(s, _)| {
        let (wire, ident) = (s.wire, &s.ident);
        quote!(crate::support::spill_scalar(&mut extra, #wire, #ident);)
    });
    let spills = shared_slots().map(|(s, mask)| {
        let (wire, ident) = (s.wire, &s.ident);
        quote! {
            if #mask & (1u64 << view) == 0 {
                crate::support::spill_scalar(&mut extra, #wire, #ident.take());
            }
        }
    });
    // Typed slots every view requires (`id`, `created`): once the event conforms they are
    // unwrapped together with the selector, so no view's build can fail on them.
    let unwrapped: Vec<&Slot> = slots
        .iter()
        .filter(|s| s.ty.is_some() && required_by_every_view(views, s.wire))
        .collect();
    let unwrapped_idents: Vec<_> = unwrapped.iter().map(|s| &s.ident).collect();
    // `selector`, or `(selector, slot_1, ..)` with the unwrapped slots, and its pattern when
    // all are present.
    let (bound, bound_some) = if unwrapped_idents.is_empty() {
        (quote!(selector), quote!(Some(selector)))
    } else {
        (
            quote!((selector, #( #unwrapped_idents ),*)),
            quote!((Some(selector), #( Some(#unwrapped_idents) ),*)),
        )
    };
    let builds = build_arms(types, def, views, slots, name, variants, structs);
    let (fallback_condition, condition_arms) = buildable_conditions(types, def, views, slots);
    let typed_moves = slots.iter().filter(|s| s.ty.is_some()).map(|s| {
        let field = format_ident!("{}", s.first.rust_name);
        let ident = &s.ident;
        quote!(#field: #ident,)
    });
    let fallback_u8 = def.fallback as u8;
    let fields_doc = format!(
        " The fields every view of `{name}` types alike, read before the view is chosen; every other field is in `extra`."
    );
    let deserialize = read_pass(def, slots, name, &fields_name);
    quote! {
        #[doc = #fields_doc]
        #[derive(Default)]
        struct #fields_name<'de> {
            selector: Option<crate::support::Key<'de>>,
            #( #slot_decls )*
            extra: crate::Extra,
        }

        impl #name {
            /// Builds the view the selecting property chooses from the fields read.
            fn assemble(fields: #fields_name<'_>) -> Result<Self, crate::support::Invalid> {
                let #fields_name { selector, #( #slot_bindings, )* mut extra } = fields;
                let view = match &selector {
                    Some(selector) => #name::route(&selector.0),
                    None => #fallback_u8,
                };
                let conforms = match view {
                    #( #condition_arms )*
                    _ => #fallback_condition,
                };
                let #bound = match #bound {
                    #bound_some if conforms => #bound,
                    #bound => {
                        #( #non_conforming_spills )*
                        return Ok(#name::NonConforming(Box::new(crate::models::#non_conforming {
                            #property_ident: selector.map(crate::support::Key::into_string),
                            #( #typed_moves )*
                            extra,
                        })));
                    }
                };
                #( #spills )*
                Ok(match view {
                    #( #builds )*
                })
            }
        }

        #deserialize
    }
}

/// The generic half of decoding: one pass over the map that reads every field into its slot,
/// then hands the slots to `assemble`.
fn read_pass(
    def: &UnionDef,
    slots: &[Slot],
    name: &proc_macro2::Ident,
    fields_name: &proc_macro2::Ident,
) -> TokenStream {
    let property = def.property.as_str();
    let expecting = format!("a `{}` object with `{}`", def.spec_name, property);
    let arms = slots.iter().filter(|s| s.read_typed()).map(|s| {
        let (wire, ident) = (s.wire, &s.ident);
        let pattern = super::key_pattern(wire);
        quote!(#pattern => crate::support::field(&mut map, &mut fields.#ident, &mut fields.extra, #wire)?,)
    });
    let property_pattern = super::key_pattern(property);
    super::map_deserialize(
        name,
        &expecting,
        quote! {
            let mut fields = #fields_name::default();
            while let Some(key) = map.next_key::<crate::support::Key<'de>>()? {
                match key.0.as_bytes() {
                    #property_pattern => crate::support::field(&mut map, &mut fields.selector, &mut fields.extra, #property)?,
                    #( #arms )*
                    _ => crate::support::unknown(&mut map, &mut fields.extra, key)?,
                }
            }
            #name::assemble(fields).map_err(crate::support::Invalid::into_error)
        },
    )
}

/// The arms of `assemble`'s final `match`, each building one view from the slots; the fallback's
/// arm goes last, as the catch-all.
fn build_arms(
    types: &Types,
    def: &UnionDef,
    views: &[(&str, &StructDef)],
    slots: &[Slot],
    name: &proc_macro2::Ident,
    variants: &[proc_macro2::Ident],
    structs: &[proc_macro2::Ident],
) -> Vec<TokenStream> {
    let property = def.property.as_str();
    let builds = views.iter().zip(variants).zip(structs).enumerate().map(
        |(index, (((key, view), variant), strukt))| {
            let index = index as u8;
            let assigns = view
                .fields
                .iter()
                .map(|f| field_assign(types, views, key, f, slots, property));
            let pattern = if index == def.fallback as u8 {
                quote!(_)
            } else {
                quote!(#index)
            };
            (
                index == def.fallback as u8,
                quote! {
                    #pattern => #name::#variant(Box::new(crate::models::#strukt { #( #assigns )* extra })),
                },
            )
        },
    );
    let (fallback_arm, specific_arms): (Vec<_>, Vec<_>) =
        builds.partition(|(is_fallback, _)| *is_fallback);
    specific_arms
        .into_iter()
        .chain(fallback_arm)
        .map(|(_, arm)| arm)
        .collect()
}

/// Whether every view lists the field and requires it.
fn required_by_every_view(views: &[(&str, &StructDef)], wire: &str) -> bool {
    views.iter().all(|(_, view)| {
        view.fields
            .iter()
            .any(|f| f.wire_name == wire && !f.optional)
    })
}

/// One field of a view being built: the selector converted, its slot's value (already unwrapped
/// when every view requires it), or the field taken out of `extra` and typed now, and refused
/// when missing but required.
fn field_assign(
    types: &Types,
    views: &[(&str, &StructDef)],
    key: &str,
    f: &Field,
    slots: &[Slot],
    property: &str,
) -> TokenStream {
    let ident = format_ident!("{}", f.rust_name);
    let wire = f.wire_name.as_str();
    let field_shape = shape(types, key, f);
    if wire == property {
        let ty = types.tokens(&f.ty);
        return if field_shape.optional {
            quote!(#ident: Some(#ty::from(selector.0.as_ref())),)
        } else {
            quote!(#ident: #ty::from(selector.0.as_ref()),)
        };
    }
    let slot = slot(slots, wire);
    let slot_ident = &slot.ident;
    let mut value = if !slot.read_typed() {
        quote!(crate::support::take_typed(&mut extra, #wire))
    } else {
        quote!(#slot_ident)
    };
    if slot.ty.is_some() && required_by_every_view(views, wire) {
        return if field_shape.boxed {
            quote!(#ident: Box::new(#value),)
        } else {
            quote!(#ident: #value,)
        };
    }
    if field_shape.boxed {
        value = quote!(#value.map(Box::new));
    }
    if field_shape.optional {
        quote!(#ident: #value,)
    } else {
        quote!(#ident: #value.ok_or(crate::support::Invalid::Missing(#wire))?,)
    }
}

/// Whether the chosen view can be built: the fallback's condition, and an arm for each view
/// whose condition differs from it (views with the fallback's condition share the catch-all).
fn buildable_conditions(
    types: &Types,
    def: &UnionDef,
    views: &[(&str, &StructDef)],
    slots: &[Slot],
) -> (TokenStream, Vec<TokenStream>) {
    let property = def.property.as_str();
    let (fallback_key, fallback_view) = views[def.fallback];
    let fallback_condition = view_condition(types, slots, property, fallback_key, fallback_view);
    let arms = views
        .iter()
        .enumerate()
        .filter_map(|(index, (key, view))| {
            let check = view_condition(types, slots, property, key, view);
            if index == def.fallback || check.to_string() == fallback_condition.to_string() {
                return None;
            }
            let index = index as u8;
            Some(quote!(#index => #check,))
        })
        .collect();
    (fallback_condition, arms)
}

/// Every field the view requires has its type.
fn view_condition(
    types: &Types,
    slots: &[Slot],
    property: &str,
    key: &str,
    view: &StructDef,
) -> TokenStream {
    let checks: Vec<TokenStream> = view
        .fields
        .iter()
        .filter(|f| !f.optional && f.wire_name != property)
        .map(|f| {
            let slot = slot(slots, &f.wire_name);
            let ident = &slot.ident;
            if slot.read_typed() {
                quote!(#ident.is_some())
            } else {
                let ty = shape(types, key, f).inner;
                let wire = f.wire_name.as_str();
                quote!(crate::support::fits::<#ty>(extra.get(#wire)))
            }
        })
        .collect();
    if checks.is_empty() {
        quote!(true)
    } else {
        quote!(#( #checks )&&*)
    }
}
