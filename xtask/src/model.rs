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
    /// Things the generator resolved on its own; printed by every regen.
    pub warnings: Vec<String>,
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

/// A string enum, always open: values the spec does not list decode into `Unknown(String)`.
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
    pub http_method: String,
    pub path: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub docs_url: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// The vendor media type of the success response, sent as `Accept`.
    pub accept: String,
    pub response: TypeRef,
    /// Set when the response is a page of items that `.stream()` can walk.
    pub paging: Option<Paging>,
    /// Error statuses the spec documents for this operation.
    pub error_statuses: Vec<u16>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub item: TypeRef,
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
