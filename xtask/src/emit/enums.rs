//! Open string enums: every known value is a variant, anything else is `Unknown(UnknownValue)`.
//!
//! `UnknownValue` (`templates/support/unknown_value.rs`) has no public constructor: only the
//! `From` impls here make one, for text no variant has, so `Unknown` never holds a known value
//! and equality of two values is equality of their texts.
//!
//! `as_str`, `FromStr`, `Display` and the serde impls are written out rather than derived: on
//! enums of hundreds of variants derived serde code dominates compile time, and lookup of a
//! name is a binary search over a sorted table instead of a chain of string comparisons.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc_attrs;
use crate::model::{EnumDef, LabelKind};

pub fn emit(def: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    let docs = enum_doc(def);
    let variants: Vec<_> = def
        .values
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let wires: Vec<&str> = def.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = def.values.iter().map(|v| {
        let label = v.label.as_deref().map(|label| {
            match (
                &def.labels,
                def.labels.as_ref().and_then(|l| l.category(label)),
            ) {
                (Some(LabelKind::Category { rust_name, .. }), Some(category)) => {
                    format!("[`{rust_name}::{}`]", category.rust_name)
                }
                _ => label.to_string(),
            }
        });
        let text = match label {
            Some(label) => format!(" `{}` ({label}).", v.wire),
            None => format!(" `{}`.", v.wire),
        };
        quote!(#[doc = #text])
    });
    // `KNOWN`'s texts, and the hash table that finds their index (`support::find_name`).
    let name_slots = super::name_slots(&wires);
    let slot_count = name_slots.len();
    let count = def.values.len();
    let spec_name = &def.spec_name;
    let expecting = format!("a `{}` string", def.spec_name);
    let labels = labels(def, &name);
    let lenient = super::schema::lenient_enum(&name);
    let table = super::schema::enum_table(def);

    // `as_str` and `Display` are `#[inline]`: compiled in the crates that print or encode a
    // value, not in every build of this one (decoding never calls them).
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this version of the crate does not know, kept as received. Never a value
            /// it knows: an [`UnknownValue`](crate::UnknownValue) comes only from reading text.
            Unknown(crate::UnknownValue),
        }

        impl #name {
            /// Every value the spec lists, in spec order.
            pub const KNOWN: &'static [#name] = &[ #( #name::#variants ),* ];
            /// The text of each of `KNOWN`.
            const NAMES: [&'static str; #count] = [ #( #wires ),* ];
            /// Where `support::find_name` looks `NAMES` up.
            const NAME_SLOTS: [u16; #slot_count] = [ #( #name_slots ),* ];
            /// The spec schema this enum comes from.
            pub const SPEC_SCHEMA: &'static str = #spec_name;

            /// The value as the API spells it.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Unknown(value) => value.as_str(),
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, #name::Unknown(_))
            }

            fn lookup(value: &str) -> Option<#name> {
                let index = crate::support::find_name(&Self::NAMES, &Self::NAME_SLOTS, value)?;
                Some(Self::KNOWN[index].clone())
            }

            #labels
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            /// Never fails: a value the spec does not list becomes `Unknown`.
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        // `match` rather than `unwrap_or_else`: no closure (and its shims) compiled per enum.
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match Self::lookup(value) {
                    Some(known) => known,
                    None => #name::Unknown(crate::UnknownValue::new(value)),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::lookup(&value) {
                    Some(known) => known,
                    None => #name::Unknown(crate::UnknownValue::new(value)),
                }
            }
        }

        impl std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ValueVisitor;
                impl serde::de::Visitor<'_> for ValueVisitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<#name, E> {
                        Ok(#name::from(value))
                    }
                    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<#name, E> {
                        Ok(#name::from(value))
                    }
                }
                deserializer.deserialize_str(ValueVisitor)
            }
        }

        #lenient
        #table
    }
}

/// The spec's description (escaped: it is Markdown written for a web page), then the
/// generator's own note, whose intra-doc link must stay a link.
fn enum_doc(def: &EnumDef) -> TokenStream {
    let spec = doc_attrs(def.doc.as_deref());
    let separator = def.doc.is_some().then(|| quote!(#[doc = ""]));
    // How to match an open enum is shown once, on `UnknownValue`, not repeated in every enum.
    let note = format!(
        " Open enum of the spec's `{spec}` ({count}). A value the spec does not list decodes \
         into `Unknown` (an opaque [`UnknownValue`](crate::UnknownValue), whose docs show how \
         to match) and encodes back unchanged; a listed value always decodes into its own \
         variant.",
        spec = def.spec_name,
        count = super::plural(def.values.len(), "known value"),
    );
    quote!(#spec #separator #[doc = #note])
}

/// `category()` or `kind()`: the label each known value carries.
fn labels(def: &EnumDef, name: &proc_macro2::Ident) -> TokenStream {
    let Some(kind) = &def.labels else {
        return quote!();
    };
    // Group variants by label so each label is one match arm.
    let mut by_label: BTreeMap<&str, Vec<proc_macro2::Ident>> = BTreeMap::new();
    let mut unlabeled = Vec::new();
    for v in &def.values {
        let ident = format_ident!("{}", v.rust_name);
        match &v.label {
            Some(label) => by_label.entry(label.as_str()).or_default().push(ident),
            None => unlabeled.push(ident),
        }
    }
    let unlabeled_arm = if unlabeled.is_empty() {
        quote!()
    } else {
        quote!(#( #name::#unlabeled )|* => None,)
    };
    match kind {
        LabelKind::Category { rust_name, .. } => {
            let category_ident = format_ident!("{}", rust_name);
            let arms = by_label.iter().map(|(label, idents)| {
                let variant = kind
                    .category(label)
                    .map(|c| format_ident!("{}", c.rust_name));
                quote!(#( #name::#idents )|* => Some(#category_ident::#variant),)
            });
            let doc = format!(
                " The category of this value: the spec's enum it is listed under, such as [`{rust_name}::{}`]. `None` for `Unknown` values{}.",
                first_category(kind),
                if unlabeled.is_empty() {
                    ""
                } else {
                    " and for values listed under no titled enum"
                },
            );
            quote! {
                #[doc = #doc]
                pub fn category(&self) -> Option<#category_ident> {
                    match self {
                        #( #arms )*
                        #unlabeled_arm
                        #name::Unknown(_) => None,
                    }
                }
            }
        }
        LabelKind::Kind { rust_name, .. } => {
            let kind_ident = format_ident!("{}", rust_name);
            let arms = by_label.iter().map(|(label, idents)| {
                let variant = format_ident!("{}", label);
                quote!(#( #name::#idents )|* => Some(#kind_ident::#variant),)
            });
            quote! {
                /// The kind of value this metric measures, from the spec's discriminator mapping.
                pub fn kind(&self) -> Option<#kind_ident> {
                    match self {
                        #( #arms )*
                        #unlabeled_arm
                        #name::Unknown(_) => None,
                    }
                }
            }
        }
    }
}

/// A variant of a category enum to name in docs: the first one.
fn first_category(kind: &LabelKind) -> &str {
    match kind {
        LabelKind::Category { categories, .. } => {
            categories.first().map_or("", |c| c.rust_name.as_str())
        }
        LabelKind::Kind { .. } => "",
    }
}

/// The closed enum of a `LabelKind::Category`, emitted beside the enum whose values it
/// categorizes, with its `EventTypeName` impl.
///
/// `Display`, `FromStr` and serde share the few generic functions of `support::event_types`,
/// and each category's names are a range of `KNOWN` (the spec lists them together), so the
/// enum costs a few lines per category.
pub fn emit_category(def: &EnumDef) -> TokenStream {
    let Some(LabelKind::Category {
        rust_name,
        categories,
    }) = &def.labels
    else {
        return quote!();
    };
    let name = format_ident!("{}", def.rust_name);
    let category = format_ident!("{}", rust_name);
    let variants: Vec<proc_macro2::Ident> = categories
        .iter()
        .map(|c| format_ident!("{}", c.rust_name))
        .collect();
    let variant_docs = categories
        .iter()
        .map(|c| format!(" `{}`: \"{}\".", c.slug, super::escape_doc(&c.title)));
    let titles = categories.iter().map(|c| c.title.as_str());
    let slugs = categories.iter().map(|c| c.slug.as_str());
    let event_types = categories.iter().map(|c| {
        let indices: Vec<usize> = def
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.label.as_deref() == Some(c.title.as_str()))
            .map(|(index, _)| index)
            .collect();
        match (indices.first(), indices.last()) {
            (Some(&first), Some(&last)) if last - first + 1 == indices.len() => {
                let start = proc_macro2::Literal::usize_unsuffixed(first);
                let end = proc_macro2::Literal::usize_unsuffixed(last + 1);
                quote!(&#name::KNOWN[#start..#end])
            }
            _ => {
                let idents = indices
                    .iter()
                    .map(|&index| format_ident!("{}", def.values[index].rust_name));
                quote!(&[ #( #name::#idents ),* ])
            }
        }
    });
    let doc = format!(
        "The categories of [`{name}`]: the titled enums the spec lists its values under, one variant per title ({count}), declared in the order of their slugs.\n\n`Display`, `FromStr` and serde use the slug (`{slug}`); `FromStr` also accepts the title (`{title}`), both ASCII case-insensitively.\n\n```\nuse mongodb_atlas_events::models::{{{name}, {rust_name}}};\n\nlet category: {rust_name} = \"{slug}\".parse().unwrap();\nassert_eq!(category, {rust_name}::{variant});\nassert_eq!(category.title(), {title:?});\nassert!(category.event_types().iter().all(|name| name.category() == Some(category)));\n```",
        count = categories.len(),
        slug = categories.first().map_or("", |c| c.slug.as_str()),
        title = categories.first().map_or("", |c| c.title.as_str()),
        variant = categories.first().map_or("", |c| c.rust_name.as_str()),
    );
    // Written here, not taken from the spec: intra-doc links stay links.
    let docs = doc
        .lines()
        .map(|line| format!(" {line}").trim_end().to_string());
    quote! {
        #( #[doc = #docs] )*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #category {
            #( #[doc = #variant_docs] #variants, )*
        }

        impl #category {
            /// Every category, sorted by slug.
            pub const ALL: &'static [Self] = &[ #( Self::#variants ),* ];

            /// The spec's title of the enum this category's names are listed under.
            pub fn title(self) -> &'static str {
                match self { #( Self::#variants => #titles, )* }
            }

            /// The title's words in kebab case, without `Types`: what `Display` writes and a
            /// command line accepts.
            pub fn slug(self) -> &'static str {
                match self { #( Self::#variants => #slugs, )* }
            }

            /// The known names of this category, in spec order.
            pub fn event_types(self) -> &'static [#name] {
                match self { #( Self::#variants => #event_types, )* }
            }
        }

        impl std::fmt::Display for #category {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.slug())
            }
        }

        impl std::str::FromStr for #category {
            type Err = crate::UnknownCategory;
            /// The category with this slug or title, ASCII case-insensitively.
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                crate::support::parse_category(Self::ALL, text, Self::slug, Self::title)
            }
        }

        impl serde::Serialize for #category {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.slug())
            }
        }

        impl<'de> serde::Deserialize<'de> for #category {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::support::deserialize_category(deserializer)
            }
        }

        // `#[inline]` as `as_str`: compiled where a type filter is.
        impl crate::EventTypeName for #name {
            type Category = #category;
            #[inline]
            fn name(&self) -> &str {
                self.as_str()
            }
            #[inline]
            fn category(&self) -> Option<#category> {
                #name::category(self)
            }
            fn known() -> &'static [Self] {
                Self::KNOWN
            }
            fn categories() -> &'static [#category] {
                #category::ALL
            }
            fn names_in(category: #category) -> &'static [Self] {
                category.event_types()
            }
        }
    }
}

/// The closed enum of a `LabelKind::Kind`, emitted beside the enum that uses it.
pub fn emit_kind(def: &EnumDef) -> TokenStream {
    let Some(LabelKind::Kind { rust_name, doc }) = &def.labels else {
        return quote!();
    };
    let name = format_ident!("{}", rust_name);
    let docs = doc_attrs(Some(doc));
    let mut kinds: Vec<&str> = def
        .values
        .iter()
        .filter_map(|v| v.label.as_deref())
        .collect();
    kinds.sort();
    kinds.dedup();
    let variants = kinds.iter().map(|k| {
        let ident = format_ident!("{}", k);
        let text = format!(" Values mapped to the spec's `{k}MetricEventView`.");
        quote!(#[doc = #text] #ident,)
    });
    quote! {
        #docs
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name { #( #variants )* }
    }
}
