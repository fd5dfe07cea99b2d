//! The client's operations: one request builder per operation, with required arguments in the
//! constructor, optional ones as setters, `.send()` for one response and `.stream()` for every
//! item of a paged list. Constraints from the spec are checked before anything is sent.
//!
//! This file writes the builders; `paging` writes what a paged list adds (`.stream()`,
//! `.follow()`, `.types()`, `impl Paged`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod paging;

pub use paging::paged_impl;
use paging::{paging_parts, selection};

use super::{Types, doc_attrs};
use crate::model::{Operation, Param, ParamLocation, TypeRef};

/// The builder type's stored type, setter argument and conversion for a parameter.
fn param_types(types: &Types, ty: &TypeRef) -> (TokenStream, TokenStream, TokenStream) {
    match ty {
        TypeRef::String => (
            quote!(String),
            quote!(impl Into<String>),
            quote!(value.into()),
        ),
        TypeRef::DateTime => (
            quote!(time::OffsetDateTime),
            quote!(time::OffsetDateTime),
            quote!(value),
        ),
        TypeRef::List(item) => {
            let (stored, arg, _) = param_types(types, item);
            let item_arg = match &**item {
                TypeRef::String => quote!(impl Into<String>),
                TypeRef::Named(_) => quote!(impl Into<#stored>),
                _ => arg,
            };
            (
                quote!(Vec<#stored>),
                quote!(impl IntoIterator<Item = #item_arg>),
                quote!(value.into_iter().map(Into::into).collect()),
            )
        }
        other => {
            let t = types.tokens(other);
            (t.clone(), t, quote!(value))
        }
    }
}

/// Renders one value of a parameter as query text.
fn render(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(#value.clone()),
        TypeRef::DateTime => quote!(crate::runtime::validate::format_datetime(#value)),
        TypeRef::Named(_) => quote!(#value.as_str().to_owned()),
        _ => quote!(#value.to_string()),
    }
}

pub fn emit(types: &Types, op: &Operation) -> TokenStream {
    let builder = format_ident!("{}", op.builder_name);
    let method = format_ident!("{}", op.method_name);
    let op_id = &op.id;
    let accept = &op.accept;
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let response = types.tokens(&op.response);

    let fields = op.params.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let (stored, _, _) = param_types(types, &p.ty);
        if p.required || matches!(p.ty, TypeRef::List(_)) {
            quote!(#ident: #stored,)
        } else {
            quote!(#ident: Option<#stored>,)
        }
    });
    let ctor_args = required.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let (_, arg, _) = param_types(types, &p.ty);
        quote!(#ident: #arg)
    });
    let ctor_fields = op.params.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        if p.required {
            // Converted in place: `group_id: group_id.into()`, or `group_id` as it came.
            match &p.ty {
                TypeRef::String => quote!(#ident: #ident.into(),),
                TypeRef::List(_) => quote!(#ident: #ident.into_iter().map(Into::into).collect(),),
                _ => quote!(#ident,),
            }
        } else if matches!(p.ty, TypeRef::List(_)) {
            quote!(#ident: Vec::new(),)
        } else {
            quote!(#ident: None,)
        }
    });
    let setters = optional.iter().map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let (_, arg, convert) = param_types(types, &p.ty);
        let mut doc = format!(
            "{}\n\nQuery parameter `{}`.",
            p.doc.clone().unwrap_or_default(),
            p.wire_name
        );
        if let Some(default) = &p.default {
            doc.push_str(&format!(" The server's default: `{default}`."));
        }
        doc.push_str(&constraint_doc(p));
        let docs = doc_attrs(Some(&doc));
        let store = if matches!(p.ty, TypeRef::List(_)) {
            quote!(#convert)
        } else {
            quote!(Some(#convert))
        };
        quote! {
            #docs
            pub fn #ident(mut self, value: #arg) -> Self {
                self.#ident = #store;
                self
            }
        }
    });
    let checks = op.params.iter().map(|p| validation(p, op_id));
    let path = path_expr(op);
    let envelope = match &op.envelope {
        Some(p) => {
            let ident = format_ident!("{}", p.rust_name);
            quote!(self.#ident.unwrap_or(false))
        }
        None => quote!(false),
    };
    let query_binding = if op.params.iter().any(|p| p.location == ParamLocation::Query) {
        quote!(mut query)
    } else {
        quote!(query)
    };
    let query = op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| {
        let ident = format_ident!("{}", p.rust_name);
        let wire = &p.wire_name;
        let paging = op.paging.as_ref();
        if paging.is_some_and(|paging| paging.page_num_param.wire_name == *wire) {
            return quote! {
                if let Some(value) = page.or(self.#ident) { query.push((#wire, value.to_string())); }
            };
        }
        if paging
            .and_then(|paging| paging.items_per_page_param.as_ref())
            .is_some_and(|param| param.wire_name == *wire)
        {
            return quote! {
                if let Some(value) = self.#ident.or(page.map(|_| Self::DEFAULT_ITEMS_PER_PAGE)) { query.push((#wire, value.to_string())); }
            };
        }
        match &p.ty {
            TypeRef::List(item) => {
                let value = render(item, quote!(value));
                quote!(for value in &self.#ident { query.push((#wire, #value)); })
            }
            ty if p.required => {
                let value = render(ty, quote!((&self.#ident)));
                quote!(query.push((#wire, #value));)
            }
            ty => {
                let value = render(ty, quote!(value));
                quote!(if let Some(value) = &self.#ident { query.push((#wire, #value)); })
            }
        }
    });

    let (paging_items, paging_fields, paging_init) = match &op.paging {
        Some(paging) => paging_parts(types, op, paging, &response),
        None => (quote!(), quote!(), quote!()),
    };
    // A type selection filters a single page's `results` too.
    let send_body = match op.paging.as_ref().and_then(selection) {
        Some((_, results)) => {
            let results = format_ident!("{}", results.rust_name);
            quote! {
                let selection = self.types.clone();
                let response = self.client.execute(&self.request(None)).await?;
                let Some(selection) = selection else {
                    return Ok(response);
                };
                Ok(response.map_body(|mut page: #response| {
                    if let Some(items) = page.#results.as_mut() {
                        crate::runtime::retain_selected::<#response>(items, |name| selection.matches(name));
                    }
                    page
                }))
            }
        }
        None => quote!(self.client.execute(&self.request(None)).await),
    };
    let page_arg = if op.paging.is_some() {
        quote!(page: Option<i64>)
    } else {
        quote!(_page: Option<i64>)
    };

    let client_doc = client_method_doc(op);
    let client_docs = doc_attrs(Some(&client_doc));
    let builder_doc = format!(
        " Request builder for `{}` (`{} {}`); made by [`Client::{}`](crate::Client::{}).",
        op.id, op.http_method, op.path, op.method_name, op.method_name
    );
    let send_doc = format!(
        " Sends the request and decodes the `{}` response. Parameters are checked against the spec's constraints first; nothing is sent when one fails.",
        op.accept
    );
    quote! {
        impl crate::Client {
            #client_docs
            pub fn #method(&self, #( #ctor_args ),*) -> #builder {
                #builder { client: self.clone(), #( #ctor_fields )* #paging_init }
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone)]
        #[must_use = "a request builder does nothing until `.send()` is awaited"]
        pub struct #builder {
            client: crate::Client,
            #( #fields )*
            #paging_fields
        }

        impl #builder {
            #( #setters )*

            /// Checks every parameter against the spec's constraints.
            fn validate(&self) -> Result<(), crate::Error> {
                #( #checks )*
                Ok(())
            }

            fn request(&self, #page_arg) -> crate::runtime::RequestSpec {
                let #query_binding: Vec<(&'static str, String)> = Vec::new();
                #( #query )*
                crate::runtime::RequestSpec {
                    operation_id: #op_id,
                    path: #path,
                    query,
                    accept: #accept,
                    envelope: #envelope,
                }
            }

            #[doc = #send_doc]
            pub async fn send(self) -> Result<crate::Response<#response>, crate::Error> {
                self.validate()?;
                #send_body
            }

            #paging_items
        }
    }
}

fn path_expr(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    for segment in op.path.split('/') {
        if segment.is_empty() {
            continue;
        }
        template.push('/');
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            template.push_str("{}");
            let param = op
                .params
                .iter()
                .find(|p| p.wire_name == name && p.location == ParamLocation::Path);
            let ident = format_ident!("{}", param.map(|p| p.rust_name.as_str()).unwrap_or(name));
            args.push(quote!(crate::runtime::validate::encode_path_segment(&self.#ident)));
        } else {
            template.push_str(segment);
        }
    }
    if args.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template, #( #args ),*))
    }
}

fn validation(p: &Param, op_id: &str) -> TokenStream {
    let ident = format_ident!("{}", p.rust_name);
    let wire = &p.wire_name;
    let c = &p.constraints;
    let mut checks = Vec::new();
    if let Some(pattern) = &c.pattern {
        let check = quote! {
            static PATTERN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                regex::Regex::new(#pattern).expect("the generator checked that this pattern compiles")
            });
        };
        let target = match (&p.ty, p.required) {
            (TypeRef::List(_), _) => quote! {
                for value in &self.#ident {
                    crate::runtime::validate::check_pattern(#op_id, #wire, value, &PATTERN, #pattern)?;
                }
            },
            (_, true) => {
                quote!(crate::runtime::validate::check_pattern(#op_id, #wire, &self.#ident, &PATTERN, #pattern)?;)
            }
            (_, false) => quote! {
                if let Some(value) = &self.#ident {
                    crate::runtime::validate::check_pattern(#op_id, #wire, value, &PATTERN, #pattern)?;
                }
            },
        };
        checks.push(quote!({ #check #target }));
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let min = option_tokens(c.minimum);
        let max = option_tokens(c.maximum);
        let value = if p.required {
            quote!(Some(self.#ident))
        } else {
            quote!(self.#ident)
        };
        let widened = if p.ty == TypeRef::I64 {
            quote!(value)
        } else {
            quote!(i64::from(value))
        };
        checks.push(quote! {
            if let Some(value) = #value {
                crate::runtime::validate::check_range(#op_id, #wire, #widened, #min, #max)?;
            }
        });
    }
    if let Some(max) = c.max_items {
        checks.push(quote!(crate::runtime::validate::check_max_items(#op_id, #wire, self.#ident.len(), #max)?;));
    }
    quote!(#( #checks )*)
}

fn option_tokens(value: Option<i64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn constraint_doc(p: &Param) -> String {
    let c = &p.constraints;
    let mut parts = Vec::new();
    if let Some(pattern) = &c.pattern {
        parts.push(format!("matches `{pattern}`"));
    }
    match (c.minimum, c.maximum) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max}")),
        (Some(min), None) => parts.push(format!("at least {min}")),
        (None, Some(max)) => parts.push(format!("at most {max}")),
        (None, None) => {}
    }
    if let Some(max) = c.max_items {
        parts.push(format!("at most {max} values"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" Checked before sending: {}.", parts.join(", "))
    }
}

fn client_method_doc(op: &Operation) -> String {
    let mut doc = op.summary.clone().unwrap_or_else(|| op.id.clone());
    doc.push_str("\n\n");
    if let Some(description) = &op.description {
        doc.push_str(description.trim());
        doc.push_str("\n\n");
    }
    doc.push_str(&format!(
        "`{} {}` (operation `{}`, API version {}).",
        op.http_method, op.path, op.id, op.api_version
    ));
    if let Some(url) = &op.docs_url {
        doc.push_str(&format!(" [Reference]({url})."));
    }
    doc.push_str("\n\n# Arguments\n\n");
    for p in &op.params {
        let place = if p.location == ParamLocation::Path {
            "path"
        } else {
            "query"
        };
        let how = if p.required {
            "required, an argument here"
        } else {
            "optional, a setter on the builder"
        };
        doc.push_str(&format!(
            "- `{}` (`{}`, {place}, {how}){}\n",
            p.rust_name,
            p.wire_name,
            constraint_doc(p)
        ));
    }
    let args: Vec<String> = op
        .example_args
        .iter()
        .map(|arg| format!("{arg:?}"))
        .collect();
    let call = if op.paging.is_some() {
        format!(
            "use futures_util::TryStreamExt;\nlet mut items = std::pin::pin!(client.{}({}).stream());\nwhile let Some(item) = items.try_next().await? {{\n    println!(\"{{item:?}}\");\n}}",
            op.method_name,
            args.join(", ")
        )
    } else {
        format!(
            "let response = client.{}({}).send().await?;\nprintln!(\"{{:?}}\", response.body());",
            op.method_name,
            args.join(", ")
        )
    };
    doc.push_str(&format!(
        "\n# Example\n\n```no_run\n# async fn example(client: mongodb_atlas_events::Client) -> Result<(), mongodb_atlas_events::Error> {{\n{call}\n# Ok(())\n# }}\n```"
    ));
    doc
}
