//! Open string enums: every known value is a variant, anything else is `Unknown(String)`.
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
    let docs = doc_attrs(Some(&enum_doc(def)));
    let variants: Vec<_> = def
        .values
        .iter()
        .map(|v| format_ident!("{}", v.rust_name))
        .collect();
    let wires: Vec<&str> = def.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = def.values.iter().map(|v| {
        let text = match &v.label {
            Some(label) => format!(" `{}` ({label}).", v.wire),
            None => format!(" `{}`.", v.wire),
        };
        quote!(#[doc = #text])
    });
    let mut sorted: Vec<(&str, &proc_macro2::Ident)> =
        wires.iter().copied().zip(variants.iter()).collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let sorted_entries = sorted
        .iter()
        .map(|(wire, ident)| quote!((#wire, #name::#ident)));
    let count = def.values.len();
    let spec_name = &def.spec_name;
    let expecting = format!("a `{}` string", def.spec_name);
    let labels = labels(def, &name);
    let lenient = super::schema::lenient_enum(&name);
    let table = super::schema::enum_table(def);

    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this version of the crate does not know, kept as received.
            Unknown(String),
        }

        impl #name {
            /// Every value the spec lists, in spec order.
            pub const KNOWN: &'static [#name] = &[ #( #name::#variants ),* ];
            /// Known values sorted by their text, for lookup.
            const SORTED: [(&'static str, #name); #count] = [ #( #sorted_entries ),* ];
            /// The spec schema this enum comes from.
            pub const SPEC_SCHEMA: &'static str = #spec_name;

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Unknown(value) => value,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, #name::Unknown(_))
            }

            fn lookup(value: &str) -> Option<#name> {
                Self::SORTED
                    .binary_search_by(|(known, _)| (*known).cmp(value))
                    .ok()
                    .map(|index| Self::SORTED[index].1.clone())
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

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::lookup(value).unwrap_or_else(|| #name::Unknown(value.to_owned()))
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::lookup(&value).unwrap_or(#name::Unknown(value))
            }
        }

        impl std::fmt::Display for #name {
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

fn enum_doc(def: &EnumDef) -> String {
    let mut doc = def.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "Open enum of the spec's `{spec}` ({count} known values). A value the spec does not list decodes into `Unknown` and encodes back unchanged, so match with a fallback arm:\n\n```\nuse mongodb_atlas_events::models::{name};\n\nlet value = {name}::from(\"A_VALUE_FROM_THE_FUTURE\");\nmatch &value {{\n    {name}::{first} => println!(\"known\"),\n    other => println!(\"{{}}\", other.as_str()),\n}}\nassert!(!value.is_known());\nassert_eq!(value.to_string(), \"A_VALUE_FROM_THE_FUTURE\");\n```",
        spec = def.spec_name,
        count = def.values.len(),
        name = def.rust_name,
        first = def.values.first().map(|v| v.rust_name.as_str()).unwrap_or("Unknown(_)"),
    ));
    doc
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
        LabelKind::Category => {
            let arms = by_label
                .iter()
                .map(|(label, idents)| quote!(#( #name::#idents )|* => Some(#label),));
            let all: Vec<&str> = by_label.keys().copied().collect();
            quote! {
                /// Every category, sorted.
                pub const CATEGORIES: &'static [&'static str] = &[ #( #all ),* ];

                /// The spec's title of the enum this value comes from, such as "Host Event Types".
                pub fn category(&self) -> Option<&'static str> {
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
