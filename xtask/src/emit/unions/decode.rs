//! A union's `Deserialize`: one pass over the object into the slots `super::slots` lays out,
//! then `assemble`, which picks the view by the selecting property and builds it, or keeps the
//! event as non-conforming. The module docs of `super` say why it reads this way.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Names, Slot, slot};
use crate::emit::Types;
use crate::emit::structs::shape;
use crate::model::{Field, StructDef, UnionDef};

/// The `Deserialize` impl, in two halves: a generic single pass that reads every field into a
/// slot, and `assemble`, which picks the view and builds it. `assemble` is not generic, so the
/// largest part of decoding is compiled once, in this crate, not in every crate that decodes.
pub(super) fn deserialize_impl(
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
        let pattern = crate::emit::key_pattern(wire);
        quote!(#pattern => crate::support::field(&mut map, &mut fields.#ident, &mut fields.extra, #wire)?,)
    });
    let property_pattern = crate::emit::key_pattern(property);
    crate::emit::map_deserialize(
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
        |(index, (((_, view), variant), strukt))| {
            let index = index as u8;
            let assigns = view
                .fields
                .iter()
                .map(|f| field_assign(types, views, f, slots, property));
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
    f: &Field,
    slots: &[Slot],
    property: &str,
) -> TokenStream {
    let ident = format_ident!("{}", f.rust_name);
    let wire = f.wire_name.as_str();
    let field_shape = shape(types, f);
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
    let (_, fallback_view) = views[def.fallback];
    let fallback_condition = view_condition(types, slots, property, fallback_view);
    let arms = views
        .iter()
        .enumerate()
        .filter_map(|(index, (_, view))| {
            let check = view_condition(types, slots, property, view);
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
fn view_condition(types: &Types, slots: &[Slot], property: &str, view: &StructDef) -> TokenStream {
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
                let ty = shape(types, f).inner;
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
