//! The intermediate model: plain data that the parser builds from the spec and the emitters read.
//!
//! Nothing here knows about `openapiv3` or about Rust tokens. Every collection is ordered
//! (`BTreeMap` or a `Vec` sorted by the lowering step) so that emitted output is deterministic.

use std::collections::BTreeMap;

/// Everything the emitters need to write the crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub info: ApiInfo,
    /// Operations sorted by operation id.
    pub operations: Vec<Operation>,
    /// All types, keyed by their type key: the schema name for component schemas, or
    /// `Parent.property` for an inline schema that needs a type of its own.
    pub types: BTreeMap<String, TypeDef>,
    /// The hand-written code the crate gets, sorted: only what the crate's operations can run
    /// (decided in `parse::decisions`).
    pub examples: Vec<Example>,
}

/// Hand-written code (`templates/`) a crate gets only when it has the operations that code
/// calls: a `generator.toml` that cuts other tags gets a crate without it, rather than one that
/// does not build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Example {
    /// `examples/` and the README's code, which call `.stream()`, `.follow()` and `.types()`
    /// of both event lists.
    EventLists,
    /// `Client::follow_organization` (`templates/organization/`), which calls both event lists
    /// and the paged list of an organization's projects.
    OrganizationFollow,
}

impl Example {
    /// How reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Example::EventLists => "the examples of event lists (`examples/`, the README's code)",
            Example::OrganizationFollow => {
                "`Client::follow_organization` (with `OrganizationFollow` and `OrganizationItem`)"
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInfo {
    pub title: String,
    pub version: String,
    /// `info.x-xgen-sha`: the upstream build of the spec.
    pub upstream_sha: Option<String>,
    /// `info.license`: the licence of the spec's text, which generated docs copy.
    pub license: Option<SpecLicense>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecLicense {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
}

impl TypeDef {
    pub fn rust_name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.rust_name,
            TypeDef::Enum(e) => &e.rust_name,
            TypeDef::Union(u) => &u.rust_name,
        }
    }

    pub fn pointer(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.pointer,
            TypeDef::Enum(e) => &e.pointer,
            TypeDef::Union(u) => &u.pointer,
        }
    }
}

/// An object schema. Decoding keeps unknown fields; encoding writes them back.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub spec_name: String,
    pub rust_name: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Whether the Rust field is an `Option`. Decided once, in lowering: a field of an event
    /// view is `Option` unless required and not nullable (an event without it decodes as
    /// non-conforming); in every other object every field is, since pages, error bodies and
    /// nested objects must decode whatever the server leaves out.
    pub optional: bool,
    /// A pattern the spec declares. Exposed as a constant, never enforced on received data.
    pub pattern: Option<String>,
    /// Other constraints the spec declares on the value: never enforced on received data,
    /// reported by `Conformance`.
    pub checks: ValueChecks,
    /// Extra notes from spec fixups, appended to the field's docs.
    pub notes: Vec<String>,
    /// Whether the Rust field is a `Box`: its type contains the struct itself without
    /// indirection (a cycle through fields), which would give the struct no finite size.
    /// Decided in `parse::decisions` once the types are complete, as typify decides in its type
    /// space.
    pub boxed: bool,
}

/// Constraints on a received value that decoding ignores and `Conformance` reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueChecks {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `format: email`.
    pub email: bool,
}

impl ValueChecks {
    pub fn is_empty(&self) -> bool {
        *self == ValueChecks::default()
    }
}

/// The type of a field, parameter or list item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    /// A JSON number kept exactly as sent (integer or float).
    Number,
    /// An RFC 3339 timestamp that re-encodes exactly as received.
    DateTime,
    /// Any JSON value.
    Json,
    /// Any JSON object.
    JsonObject,
    List(Box<TypeRef>),
    /// A generated type, by type key.
    Named(String),
}

/// A string enum, always open: values the spec does not list decode into `Unknown(UnknownValue)`,
/// an opaque value readable with `as_str()`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub spec_name: String,
    pub rust_name: String,
    pub pointer: String,
    pub doc: Option<String>,
    pub values: Vec<EnumValue>,
    /// What each value's label means, when values carry one (event categories, metric kinds).
    pub labels: Option<LabelKind>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub wire: String,
    pub rust_name: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelKind {
    /// `category()`: each value's label is the spec's title of the enum it is listed under
    /// (`"Cluster Event Types"`), and `categories` turns those titles into the variants of the
    /// closed enum `rust_name` (`GroupEventCategory`), one per title.
    Category {
        rust_name: String,
        /// Sorted by slug, which is the order of the enum's variants.
        categories: Vec<Category>,
    },
    /// `kind()`: a closed enum named here, with one variant per distinct label.
    Kind { rust_name: String, doc: String },
}

/// One variant of a category enum, named from a title by [`crate::naming::category_names`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// The spec's title (after fixups): what the labels of this category's values say.
    pub title: String,
    /// The variant (`ClusterEvent`).
    pub rust_name: String,
    /// Kebab case (`cluster-event`): what `Display`, `FromStr` and serde use.
    pub slug: String,
    /// Where the title stands in the spec.
    pub pointer: String,
}

impl LabelKind {
    /// The category a label (a title) names, if these labels are categories.
    pub fn category(&self, label: &str) -> Option<&Category> {
        match self {
            LabelKind::Category { categories, .. } => categories.iter().find(|c| c.title == label),
            LabelKind::Kind { .. } => None,
        }
    }
}

/// A `oneOf` of object schemas chosen by the value of one string property.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub spec_name: String,
    pub rust_name: String,
    pub pointer: String,
    pub doc: Option<String>,
    /// The wire name of the property that selects the variant (`eventTypeName`).
    pub property: String,
    /// The type key of the open enum that lists every name (`EventTypeForNdsGroup`).
    pub names_enum: String,
    pub variants: Vec<UnionVariant>,
    /// Index into `variants` of the variant for names no other variant claims.
    pub fallback: usize,
    /// The scope of `names_enum`, when its name says one (decided by [`crate::naming::scope`]).
    pub scope: Option<Scope>,
    /// The common accessors (`id()`, `created()`…), sorted by wire name: every field that at
    /// least two views list with the same type and Rust name, except the selecting property and
    /// names the union's own methods take. Decided in lowering, after optionality.
    pub accessors: Vec<Accessor>,
    /// The typed fields of the union's non-conforming struct (`<Union>NonConforming`), in the
    /// first view's order: every field all views list with one type and Rust name, except the
    /// selecting property. Every other field of a non-conforming event stays in `extra`.
    /// Decided in lowering, after optionality.
    pub non_conforming: Vec<NonConformingField>,
}

/// A typed field of a union's non-conforming struct: `Option` of `ty`, since a non-conforming
/// event may lack it or send it with another type.
#[derive(Debug, Clone, PartialEq)]
pub struct NonConformingField {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
}

/// Which Atlas scope a schema belongs to, from its name's suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// `...ForNdsGroup`: a project (group).
    Project,
    /// `...ForOrg`: an organization.
    Organization,
}

impl Scope {
    /// How reports name the scope.
    pub fn label(self) -> &'static str {
        match self {
            Scope::Project => "project",
            Scope::Organization => "organization",
        }
    }
}

/// A method of a union that reads one field from whichever view an event decoded as.
#[derive(Debug, Clone, PartialEq)]
pub struct Accessor {
    pub wire_name: String,
    /// The method (the field's Rust name in every view that lists it).
    pub rust_name: String,
    /// The field's type in every view that lists it; the method returns it as an `Option`.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    /// Type key of the variant's struct.
    pub type_key: String,
    /// The names routed to this variant, in spec order.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    /// The client method, in snake case (`list_group_events`).
    pub method_name: String,
    /// The request builder type (`ListGroupEvents`).
    pub builder_name: String,
    pub http_method: HttpMethod,
    pub path: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// The vendor media type of the success response, sent as `Accept`.
    pub accept: String,
    /// The API version the media type names (`2023-01-01` of
    /// `application/vnd.atlas.2023-01-01+json`), or the whole media type when it names none.
    pub api_version: String,
    /// The boolean query parameter `envelope`, which asks Atlas to wrap the answer.
    pub envelope: Option<ParamRef>,
    pub response: TypeRef,
    /// Set when the response is a page of items that `.stream()` can walk.
    pub paging: Option<Paging>,
    /// Error statuses the spec documents for this operation.
    pub error_statuses: Vec<u16>,
    /// The values the operation's doc example passes for its required arguments, in order.
    pub example_args: Vec<String>,
}

/// The HTTP methods of an OpenAPI path item. Lowering refuses every one but `Get`, since the
/// emitted client sends no request body; the others are here so that the refusal is explicit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method as a request line has it (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// The method as an OpenAPI path item keys it (`get`).
    pub fn from_openapi(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parameter of the operation, by its wire name and its Rust name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRef {
    pub wire_name: String,
    pub rust_name: String,
}

/// A field of a struct, by its wire name and Rust name, and whether it is stored as `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    pub wire_name: String,
    pub rust_name: String,
    pub optional: bool,
}

/// How a list operation pages, decided in lowering (`parse::paging`): the emitter only reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// The type of one item of the page's list.
    pub item: TypeRef,
    /// The wire name of a string field every item has (`id`), by which a stream skips an item
    /// a page shift shows again.
    pub item_id: Option<String>,
    /// The page number parameter (`pageNum`).
    pub page_num_param: ParamRef,
    /// The page size parameter (`itemsPerPage`), if the operation takes one.
    pub items_per_page_param: Option<ParamRef>,
    /// The page size the server uses when none is sent: the parameter's default, else 100.
    pub default_items_per_page: i64,
    /// The end of the time window (`maxDate`), which every page of one stream pins.
    pub max_date_param: Option<ParamRef>,
    /// The page's list of items (`results`).
    pub items_field: FieldRef,
    /// The page's count of every item (`totalCount`).
    pub total_field: Option<FieldRef>,
    /// How a page links the next one.
    pub next_link: Option<NextLink>,
    /// Set when every item is an event with a string `id` and a `created` time.
    pub events: Option<EventPaging>,
}

/// A page's links (`links: [Link]`), one of which has `rel` = `next` when there is a next page.
#[derive(Debug, Clone, PartialEq)]
pub struct NextLink {
    pub links_field: FieldRef,
    /// The Rust name of the link type (`Link`).
    pub link_type: String,
    /// The link's relation field (`rel`).
    pub rel_field: FieldRef,
    /// The relation of the next page (`next`).
    pub next_rel: String,
}

/// What a list of events adds to paging.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPaging {
    /// `.follow()`: set when the operation takes optional `minDate` and `maxDate` timestamps.
    pub follow: Option<Follow>,
    /// `.types()`: set when the operation filters by an enum of event names with categories.
    pub type_selection: Option<TypeSelection>,
}

/// The time window parameters `.follow()` moves, and the page size it asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Follow {
    pub min_date_param: ParamRef,
    pub max_date_param: ParamRef,
    /// The largest `itemsPerPage` the operation accepts (its `maximum`): a follow reads
    /// history in pages this large unless the caller set another size, since its cost in
    /// requests is its number of pages.
    pub largest_page: Option<i64>,
}

/// The event type filter that `.types()` replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSelection {
    /// The list parameter of names (`eventType`).
    pub param: ParamRef,
    /// The type key of the names' enum.
    pub names_enum: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub doc: Option<String>,
    pub required: bool,
    pub ty: TypeRef,
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
}

/// Constraints the client enforces before it sends a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Constraints {
    /// Applies to the value, or to each item of a list.
    pub pattern: Option<String>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub max_items: Option<usize>,
}
