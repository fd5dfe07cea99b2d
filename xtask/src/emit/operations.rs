//! The client's operations: one request builder per operation, with required arguments in the
//! constructor, optional ones as setters, `.send()` for one response and `.stream()` for every
//! item of a paged list. Constraints from the spec are checked before anything is sent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Types, doc_attrs};
use crate::model::{
    FieldRef, Follow, Operation, Paging, Param, ParamLocation, TypeDef, TypeRef, TypeSelection,
};

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

/// The `.types()` selection of a paged list of events, and the page's items it filters.
fn selection(paging: &Paging) -> Option<(&TypeSelection, &FieldRef)> {
    let selection = paging.events.as_ref()?.type_selection.as_ref()?;
    Some((selection, &paging.items_field))
}

fn paging_parts(
    types: &Types,
    op: &Operation,
    paging: &Paging,
    response: &TokenStream,
) -> (TokenStream, TokenStream, TokenStream) {
    let op_id = &op.id;
    let item_ty = types.tokens(&paging.item);
    let default_items = paging.default_items_per_page;
    let page_num = &paging.page_num_param;
    let page_ident = format_ident!("{}", page_num.rust_name);
    let page_wire = &page_num.wire_name;
    let items_per_page = match &paging.items_per_page_param {
        Some(p) => {
            let i = format_ident!("{}", p.rust_name);
            quote!(self.#i.unwrap_or(Self::DEFAULT_ITEMS_PER_PAGE))
        }
        None => quote!(Self::DEFAULT_ITEMS_PER_PAGE),
    };
    let first_page = quote!(self.#page_ident.unwrap_or(1));
    let (pin_max_date, pin_doc) = match &paging.max_date_param {
        Some(max) => (
            {
                let wire = &max.wire_name;
                quote!(Some(#wire))
            },
            format!(
                " Unless `{}` is set, every page asks for `{}` = the time the stream started, so events created meanwhile cannot shift the pages (they are in the next stream, from `min_date`).",
                max.rust_name, max.wire_name
            ),
        ),
        None => (quote!(None), String::new()),
    };
    let stream_doc = stream_doc(paging, &pin_doc);
    // Without a page size parameter, a page size that does not fit is the default's, named by
    // the page number it would be sent with.
    let items_wire = paging
        .items_per_page_param
        .as_ref()
        .map_or(page_wire, |p| &p.wire_name);
    let follow = paging
        .events
        .as_ref()
        .and_then(|events| events.follow.as_ref())
        .map(|follow| follow_items(types, paging, follow, response));
    let selection = selection(paging);
    let keep = match &selection {
        Some(_) => quote! {
            let keep = self.types.clone().map(|selection| -> crate::runtime::KeepType {
                std::sync::Arc::new(move |name: &str| selection.matches(name))
            });
        },
        None => quote!(let keep = None;),
    };
    let (types_method, types_field, types_init) = match selection {
        Some((selection, _)) => {
            let names_enum = types.tokens(&TypeRef::Named(selection.names_enum.clone()));
            let event_type = format_ident!("{}", selection.param.rust_name);
            (
                quote! {
                    /// Selects event types by exact name, name prefix or category, replacing
                    /// `event_type`: exact names only are filtered by Atlas, anything else here,
                    /// so that names newer than this crate are not missed (see
                    /// [`TypeSelection`](crate::TypeSelection)).
                    pub fn types(mut self, selection: crate::TypeSelection<#names_enum>) -> Self {
                        self.#event_type = selection.server_names().map(<[#names_enum]>::to_vec).unwrap_or_default();
                        self.types = (!selection.is_all()).then(|| std::sync::Arc::new(selection));
                        self
                    }
                },
                quote!(types: Option<std::sync::Arc<crate::TypeSelection<#names_enum>>>,),
                quote!(types: None,),
            )
        }
        None => (quote!(), quote!(), quote!()),
    };
    let total = paging
        .total_field
        .as_ref()
        .map(|f| format!(", `{}`", f.wire_name))
        .unwrap_or_default();
    let pages_doc = format!(
        " The pages behind `.stream()`, with the same rules: each with its `{page_wire}`, its new items{total} and whether it links a next page.{pin_doc}"
    );
    let default_doc = match &paging.items_per_page_param {
        Some(p) => format!(
            " The page size the server uses when `{}` is not sent.",
            p.wire_name
        ),
        None => " The page size the server uses.".to_string(),
    };
    let items = quote! {
        #[doc = #default_doc]
        const DEFAULT_ITEMS_PER_PAGE: i64 = #default_items;

        /// Whether `.stream()` and `.pages()` request pages ahead of the one being read
        /// (at most 4 requests in flight, only for pages `totalCount` vouches for). Off by
        /// default: one request at a time.
        pub fn prefetch(mut self, prefetch: bool) -> Self {
            self.prefetch = prefetch;
            self
        }

        /// The pager behind `.stream()`, `.pages()` (and `.follow()`), or the parameter error
        /// that stops it.
        pub(crate) fn pager_parts(self) -> Result<crate::runtime::PagerParts, crate::Error> {
            self.validate()?;
            // The pager counts pages and page sizes in u32; a larger value is refused, never wrapped.
            let first_page = u32::try_from(#first_page).map_err(|_| crate::runtime::validate::invalid(#op_id, #page_wire, "`.stream()` cannot start beyond page 4294967295"))?;
            let items_per_page = u32::try_from(#items_per_page).map_err(|_| crate::runtime::validate::invalid(#op_id, #items_wire, "`.stream()` cannot ask for more than 4294967295 items per page"))?;
            let paging = crate::runtime::Paging {
                items_per_page,
                first_page,
                prefetch: self.prefetch,
                pin_max_date: #pin_max_date,
            };
            let client = self.client.clone();
            #keep
            Ok(crate::runtime::PagerParts {
                client,
                request_for_page: std::sync::Arc::new(move |page| self.request(Some(i64::from(page)))),
                paging,
                keep,
            })
        }

        #[doc = #stream_doc]
        pub fn stream(self) -> impl futures_core::Stream<Item = Result<#item_ty, crate::Error>> + Send + 'static {
            use futures_util::StreamExt;
            match self.pager_parts() {
                Ok(parts) => parts.pages::<#response>().items().right_stream(),
                Err(error) => crate::runtime::validate::refuse(error).left_stream(),
            }
        }

        #[doc = #pages_doc]
        pub fn pages(self) -> impl futures_core::Stream<Item = Result<crate::runtime::Page<#item_ty>, crate::Error>> + Send + 'static {
            use futures_util::StreamExt;
            match self.pager_parts() {
                Ok(parts) => parts.pages::<#response>().right_stream(),
                Err(error) => crate::runtime::validate::refuse(error).left_stream(),
            }
        }

        #follow
        #types_method
    };
    (
        items,
        quote!(prefetch: bool, #types_field),
        quote!(prefetch: false, #types_init),
    )
}

/// The docs of `.stream()`, naming only the paging parts the operation has.
fn stream_doc(paging: &Paging, pin_doc: &str) -> String {
    let page_wire = &paging.page_num_param.wire_name;
    let default_items = paging.default_items_per_page;
    let size = match &paging.items_per_page_param {
        Some(p) => format!("`{page_wire}`, `{}`, default {default_items}", p.wire_name),
        None => format!("`{page_wire}`, {default_items} a page"),
    };
    let total = paging.total_field.as_ref().map(|f| f.wire_name.as_str());
    let next = paging.next_link.as_ref().map(|l| l.next_rel.as_str());
    // The runtime's pager follows a full page only when it links a next page or its total
    // counts more (runtime/src/paging.rs): a page with neither is the only one read.
    let more = match (next, total) {
        (Some(next), Some(total)) => {
            format!(
                "A full page is followed by the next when it links `{next}` or `{total}` counts more"
            )
        }
        (Some(next), None) => format!("A full page is followed by the next when it links `{next}`"),
        (None, Some(total)) => {
            format!("A full page is followed by the next when `{total}` counts more")
        }
        (None, None) => {
            "Only the first page is read: the page has neither a next link nor a total".to_string()
        }
    };
    let prefetch = match total {
        Some(total) => format!(
            " With `prefetch(true)` up to 4 pages that `{total}` vouches for are requested at once, in order."
        ),
        None => String::new(),
    };
    format!(
        " Every item of every page, fetched page by page ({size}), each item with an id at most once.{pin_doc} {more}; a page that brings nothing new ends the stream with `Error::Paging`, and a page that fails after retries ends it with its error.{prefetch}"
    )
}

/// `.follow()` and `.stream_with_json()` for a list of events: items with an `id` and a
/// `created` time, and `minDate`/`maxDate` parameters to ask for one window at a time.
fn follow_items(
    types: &Types,
    paging: &Paging,
    follow: &Follow,
    response: &TokenStream,
) -> TokenStream {
    let min_date = format_ident!("{}", follow.min_date_param.rust_name);
    let max_date = format_ident!("{}", follow.max_date_param.rust_name);
    let item_ty = types.tokens(&paging.item);
    let page_num = format_ident!("{}", paging.page_num_param.rust_name);
    let reset_page = quote!(window.#page_num = None;);
    let (largest_page, page_doc) = match (&paging.items_per_page_param, follow.largest_page) {
        (Some(param), Some(largest)) => {
            let ident = format_ident!("{}", param.rust_name);
            (
                quote!(window.#ident = window.#ident.or(Some(#largest));),
                format!(
                    " History is read in pages of {largest} (`{}`) unless another size is set.",
                    param.wire_name
                ),
            )
        }
        _ => (quote!(), String::new()),
    };
    let doc = format!(
        " Follows the list as it grows: every event once, oldest first, polling every 30 s once \
         up to date (see [`Follow`](crate::Follow) for the interval, the overlap that re-reads \
         the end of each window, and the checkpoint to restart from). Starts at `min_date` \
         (default: now) and ends after `max_date` (default: never); every other parameter \
         filters as it does for `.stream()`.{page_doc}"
    );
    quote! {
        #[doc = #doc]
        pub fn follow(self) -> crate::Follow<#response> {
            let start = self.#min_date;
            let end = self.#max_date;
            let client = self.client.clone();
            crate::Follow::new(
                client,
                move |min, max| {
                    let mut window = self.clone();
                    window.#min_date = Some(min);
                    window.#max_date = Some(max);
                    #reset_page
                    #largest_page
                    window.pager_parts()
                },
                start,
                end,
            )
        }

        /// `.stream()` with each event's JSON exactly as Atlas sent it beside the decoded
        /// event (for archives that must keep what was received byte for byte).
        pub fn stream_with_json(self) -> impl futures_core::Stream<Item = Result<crate::WithJson<#item_ty>, crate::Error>> + Send + 'static {
            use futures_util::StreamExt;
            match self.pager_parts() {
                Ok(parts) => parts.pages::<crate::runtime::JsonPage<#response>>().items().right_stream(),
                Err(error) => crate::runtime::validate::refuse(error).left_stream(),
            }
        }
    }
}

/// `impl Paged` for a page type: its items, its total and whether it links to a next page.
pub fn paged_impl(types: &Types, page_key: &str, paging: &Paging) -> TokenStream {
    let page_ty = types.tokens(&TypeRef::Named(page_key.to_string()));
    let item = &paging.item;
    let item_ty = types.tokens(item);
    let ident = |f: &FieldRef| format_ident!("{}", f.rust_name);
    // A page decodes whatever its items field holds; one without a list of items (absent,
    // `null`, or another type, kept in `extra`) cannot be paged on and says so.
    let items_field = &paging.items_field;
    let (items, unreadable) = {
        let i = ident(items_field);
        let wire = &items_field.wire_name;
        if items_field.optional {
            (
                quote!(self.#i.unwrap_or_default()),
                quote! {
                    match &self.#i {
                        Some(_) => None,
                        None => Some(crate::runtime::unreadable_items(self.extra.get(#wire))),
                    }
                },
            )
        } else {
            (quote!(self.#i), quote!(None))
        }
    };
    let total = match &paging.total_field {
        Some(f) if f.optional => {
            let i = ident(f);
            quote!(self.#i.and_then(|n| u64::try_from(n).ok()))
        }
        Some(f) => {
            let i = ident(f);
            quote!(u64::try_from(self.#i).ok())
        }
        None => quote!(None),
    };
    let key = item_key(types, paging);
    let next = match &paging.next_link {
        Some(link) => {
            let link_ty = format_ident!("{}", link.link_type);
            let rel = ident(&link.rel_field);
            let next_rel = &link.next_rel;
            let is_next = if link.rel_field.optional {
                quote!(|link: &crate::models::#link_ty| link.#rel.as_deref() == Some(#next_rel))
            } else {
                quote!(|link: &crate::models::#link_ty| link.#rel == #next_rel)
            };
            let i = ident(&link.links_field);
            if link.links_field.optional {
                quote!(self.#i.as_ref().is_some_and(|links| links.iter().any(#is_next)))
            } else {
                quote!(self.#i.iter().any(#is_next))
            }
        }
        None => quote!(false),
    };
    // Events also say when they happened, and can be told apart by their JSON without an id.
    let event = paging.events.as_ref().map(|_| {
        quote! {
            fn type_name(item: &Self::Item) -> Option<&str> {
                item.event_type_name()
            }
            fn created(item: &Self::Item) -> Option<time::OffsetDateTime> {
                item.created().map(crate::Timestamp::to_offset_date_time)
            }
            fn fingerprint(item: &Self::Item) -> Option<u64> {
                crate::runtime::json_fingerprint(item)
            }
        }
    });
    quote! {
        impl crate::runtime::Paged for #page_ty {
            type Item = #item_ty;
            fn into_page(self) -> crate::runtime::PageParts<#item_ty> {
                let unreadable = #unreadable;
                crate::runtime::PageParts { has_next_link: #next, total_count: #total, items: #items, unreadable }
            }
            #key
            #event
        }
    }
}

/// `Paged::key` for items with a string `id`, which lets a stream skip an item that a page
/// shift (events created while it pages) shows again; nothing for items without one.
fn item_key(types: &Types, paging: &Paging) -> TokenStream {
    let (TypeRef::Named(key), Some(id)) = (&paging.item, &paging.item_id) else {
        return quote!();
    };
    let access = |view: &crate::model::StructDef| {
        let field = view
            .fields
            .iter()
            .find(|f| f.wire_name == *id && f.ty == TypeRef::String)?;
        let ident = format_ident!("{}", field.rust_name);
        Some(if super::structs::is_optional(field) {
            quote!(view.#ident.as_deref())
        } else {
            quote!(Some(view.#ident.as_str()))
        })
    };
    let body = match types.get(key) {
        TypeDef::Struct(view) => match access(view) {
            Some(value) => quote!(let view = item; #value),
            None => return quote!(),
        },
        TypeDef::Union(union) => {
            let name = format_ident!("{}", union.rust_name);
            let mut arms = Vec::new();
            for (variant, (_, view)) in union
                .variants
                .iter()
                .zip(super::unions::views(types, union))
            {
                let Some(value) = access(view) else {
                    return quote!();
                };
                let v = format_ident!("{}", variant.rust_name);
                arms.push(quote!(crate::models::#name::#v(view) => #value,));
            }
            // Every view has a string `id`, so a non-conforming event has it typed when it is one.
            let id = super::unions::views(types, union)
                .first()
                .and_then(|(_, view)| view.fields.iter().find(|f| f.wire_name == *id))
                .map(|f| format_ident!("{}", f.rust_name));
            if let Some(id) = id {
                arms.push(
                    quote!(crate::models::#name::NonConforming(event) => event.#id.as_deref(),),
                );
            }
            // Unions are `#[non_exhaustive]` only for other crates; every variant is listed.
            quote!(match item { #( #arms )* })
        }
        _ => return quote!(),
    };
    quote! {
        fn key(item: &Self::Item) -> Option<&str> {
            #body
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
