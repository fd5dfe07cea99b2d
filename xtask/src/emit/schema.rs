//! What every model gets so that received data never fails for disagreeing with the spec, and
//! says where it did: the `Lenient` impl (how it decodes inside another object), a static table
//! of its schema, and the `Conformance` impl that checks a value against that table.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Types;
use crate::model::{EnumDef, StructDef, TypeRef, UnionDef, ValueChecks};

/// The checker's view of a type reference.
pub fn ty(types: &Types, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(crate::support::Ty::String),
        TypeRef::Bool => quote!(crate::support::Ty::Bool),
        TypeRef::I32 => quote!(crate::support::Ty::I32),
        TypeRef::I64 => quote!(crate::support::Ty::I64),
        TypeRef::Number => quote!(crate::support::Ty::Number),
        TypeRef::DateTime => quote!(crate::support::Ty::DateTime),
        TypeRef::Json => quote!(crate::support::Ty::Json),
        TypeRef::JsonObject => quote!(crate::support::Ty::JsonObject),
        TypeRef::List(item) => {
            let item = self::ty(types, item);
            quote!(crate::support::Ty::List(&#item))
        }
        TypeRef::Named(_) => {
            let path = types.tokens(ty);
            quote!(crate::support::Ty::Named(#path::schema_table))
        }
    }
}

/// The schema table of an object: every field with what the spec says of it.
pub fn struct_table(types: &Types, def: &StructDef) -> TokenStream {
    let fields = def.fields.iter().map(|f| {
        let wire = &f.wire_name;
        let (required, nullable) = (f.required, f.nullable);
        let field_ty = ty(types, &f.ty);
        let pattern = match &f.pattern {
            Some(p) => quote!(Some(#p)),
            None => quote!(None),
        };
        let checks = checks(&f.checks);
        quote! {
            crate::support::FieldSpec {
                wire: #wire,
                required: #required,
                nullable: #nullable,
                ty: #field_ty,
                pattern: #pattern,
                checks: #checks,
            },
        }
    });
    let values = field_values(
        def.fields
            .iter()
            .map(|f| (f.rust_name.as_str(), f.optional)),
        &quote!(self),
    );
    table(
        &def.rust_name,
        &def.spec_name,
        quote!(crate::support::Kind::Object(&[ #( #fields )* ])),
        quote! {
            let _ = at;
            walk.object(&SCHEMA, &[ #( #values ),* ], &self.extra);
        },
    )
}

/// A field's other constraints, `None` for the many fields without any.
fn checks(checks: &ValueChecks) -> TokenStream {
    if checks.is_empty() {
        return quote!(None);
    }
    let option_f64 = |v: Option<f64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let option_usize = |v: Option<usize>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let (minimum, maximum) = (option_f64(checks.minimum), option_f64(checks.maximum));
    let (min_length, max_length) = (
        option_usize(checks.min_length),
        option_usize(checks.max_length),
    );
    let email = checks.email;
    quote! {
        Some(&crate::support::Checks {
            minimum: #minimum,
            maximum: #maximum,
            min_length: #min_length,
            max_length: #max_length,
            email: #email,
        })
    }
}

/// The schema table of an open enum: whether the spec lists a value.
pub fn enum_table(def: &EnumDef) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    table(
        &def.rust_name,
        &def.spec_name,
        quote!(crate::support::Kind::Enum(|value| #name::lookup(value).is_some())),
        quote! {
            if !self.is_known() {
                walk.not_listed(at, &SCHEMA, self.as_str());
            }
        },
    )
}

/// The schema table of a union: the selecting property, the routing and the views' tables.
pub fn union_table(types: &Types, def: &UnionDef, check: TokenStream) -> TokenStream {
    let name = format_ident!("{}", def.rust_name);
    let property = &def.property;
    let views = def.variants.iter().map(|v| {
        let path = types.tokens(&TypeRef::Named(v.type_key.clone()));
        quote!(#path::schema_table)
    });
    table(
        &def.rust_name,
        &def.spec_name,
        quote! {
            crate::support::Kind::Union {
                property: #property,
                route: #name::route,
                views: &[ #( #views ),* ],
            }
        },
        check,
    )
}

/// The static table, the accessor other tables reach it by, and `Conformance`.
fn table(rust_name: &str, spec_name: &str, kind: TokenStream, check: TokenStream) -> TokenStream {
    let name = format_ident!("{}", rust_name);
    quote! {
        /// What the spec says of this type, for [`Conformance`](crate::Conformance).
        static SCHEMA: crate::support::Schema = crate::support::Schema {
            name: #spec_name,
            kind: #kind,
        };

        impl #name {
            /// The schema table, for the tables of types that contain this one (not every type
            /// is contained in another).
            #[allow(dead_code)]
            pub(crate) fn schema_table() -> &'static crate::support::Schema {
                &SCHEMA
            }
        }

        // `#[inline]`: compiled in the crates that ask for a report, not in every build of
        // this one (a program that only decodes never runs the walk).
        impl crate::support::Checked for #name {
            #[inline]
            fn check(&self, walk: &mut crate::support::Walk, at: crate::support::At) {
                #check
            }
        }

        impl crate::Conformance for #name {
            #[inline]
            fn disagreements(&self) -> Vec<crate::Disagreement> {
                crate::support::disagreements(self)
            }
            #[inline]
            fn unlisted_fields(&self) -> Vec<String> {
                crate::support::unlisted_fields(self)
            }
        }
    }
}

/// A struct's typed fields as the walk sees them, in the order of its schema's fields.
pub fn field_values<'a>(
    fields: impl Iterator<Item = (&'a str, bool)>,
    owner: &TokenStream,
) -> Vec<TokenStream> {
    fields
        .map(|(rust_name, optional)| {
            let ident = format_ident!("{}", rust_name);
            if optional {
                quote!(crate::support::checked(&#owner.#ident))
            } else {
                quote!(crate::support::plain(&#owner.#ident))
            }
        })
        .collect()
}

/// `Lenient` for a struct or union: an object decodes with its own (never failing) decoding;
/// any other JSON is kept as it is, except where an event must be (`object_only`).
pub fn lenient_object(name: &proc_macro2::Ident, object_only: bool) -> TokenStream {
    // A list of events with anything but objects in it is an error, so its typed items are
    // never turned back into JSON: not instantiating that saves each user crate the code of
    // encoding every event view as a `serde_json::Value`.
    let object_only = object_only.then(|| {
        quote! {
            const OBJECT_ONLY: bool = true;
            fn item_json(&self) -> Result<serde_json::Value, serde_json::Error>
            where
                Self: serde::Serialize,
            {
                Err(serde::ser::Error::custom("a list of events is never kept as JSON"))
            }
        }
    });
    quote! {
        impl<'de> crate::support::Lenient<'de> for #name {
            #object_only
            fn from_map<A: serde::de::MapAccess<'de>>(
                map: A,
            ) -> Result<crate::support::Decoded<Self>, A::Error> {
                crate::support::object(map)
            }
        }
    }
}

/// `Lenient` for an open enum: every string is a value.
pub fn lenient_enum(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl crate::support::Lenient<'_> for #name {
            fn from_str(value: &str) -> Option<Self> {
                Some(#name::from(value))
            }
            fn from_string(value: String) -> Result<Self, String> {
                Ok(#name::from(value))
            }
        }
    }
}
