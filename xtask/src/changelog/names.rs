//! The names entries carry: endpoints, parameters, enums, renames, types, as the report prints
//! them.

use std::fmt;

use super::Section;
use crate::model::{
    Field, HttpMethod, LabelKind, Operation, Param, ParamLocation, TypeDef, TypeRef,
};

/// An HTTP method and path (`GET /api/atlas/v2/groups/{groupId}/events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: HttpMethod,
    pub path: String,
}

impl Endpoint {
    pub(super) fn of(op: &Operation) -> Endpoint {
        Endpoint {
            method: op.http_method,
            path: op.path.clone(),
        }
    }
}

/// Printed as code.
impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{} {}`", self.method, self.path)
    }
}

/// One parameter of one operation: its identity across versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamId {
    /// The `operationId` (in the new spec).
    pub operation: String,
    pub location: ParamLocation,
    /// The parameter's name on the wire.
    pub wire: String,
}

impl ParamId {
    pub(super) fn of(operation: &Operation, p: &Param) -> ParamId {
        ParamId {
            operation: operation.id.clone(),
            location: p.location,
            wire: p.wire_name.clone(),
        }
    }

    pub(super) fn location(&self) -> &'static str {
        match self.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
        }
    }
}

/// The subject of the entries about one existing parameter.
impl fmt::Display for ParamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (id, location, wire) = (&self.operation, self.location(), &self.wire);
        write!(f, "`{id}`: {location} parameter `{wire}`")
    }
}

/// A constraint the client checks on a parameter before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Pattern,
    Minimum,
    Maximum,
    MaxItems,
}

impl Constraint {
    pub(super) fn name(self) -> &'static str {
        match self {
            Constraint::Pattern => "pattern",
            Constraint::Minimum => "minimum",
            Constraint::Maximum => "maximum",
            Constraint::MaxItems => "maxItems",
        }
    }
}

/// An enum of the model: its type key, its Rust name (in the new model) and whether it lists
/// event types (the `names` enum of a union; its entries go under Event types).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumName {
    pub key: String,
    pub rust: String,
    pub event_types: bool,
}

/// The subject of the entries about one enum.
impl fmt::Display for EnumName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` (`{}`)", self.key, self.rust)
    }
}

/// What `emit::enums::labels` makes of an enum's labels: `category()` or `kind()`, and the
/// Rust name of the enum it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelMethod {
    Category(String),
    Kind(String),
}

impl LabelMethod {
    pub(super) fn of(labels: &LabelKind) -> LabelMethod {
        match labels {
            LabelKind::Category { rust_name, .. } => LabelMethod::Category(rust_name.clone()),
            LabelKind::Kind { rust_name, .. } => LabelMethod::Kind(rust_name.clone()),
        }
    }
}

impl fmt::Display for LabelMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelMethod::Category(name) => write!(f, "`category()` and its enum `{name}`"),
            LabelMethod::Kind(name) => write!(f, "`kind()` and its enum `{name}`"),
        }
    }
}

/// Something named `name` that was `old` and is `new` (a variant's Rust name, a category's
/// slug, the view an event type decodes as...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rename {
    pub name: String,
    pub old: String,
    pub new: String,
}

impl Rename {
    pub(super) fn new(
        name: impl Into<String>,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Rename {
        Rename {
            name: name.into(),
            old: old.into(),
            new: new.into(),
        }
    }
}

/// Printed as code: no backticks inside.
impl fmt::Display for Rename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} -> {}", self.name, self.old, self.new)
    }
}

/// What a value's `category()` or `kind()` returned and returns: the category variant or the
/// kind, `None` for no label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relabel {
    /// The value's wire name.
    pub value: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl fmt::Display for Relabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = |l: &Option<String>| l.clone().unwrap_or_else(|| "none".to_string());
        write!(
            f,
            "{}: {} -> {}",
            self.value,
            none(&self.old),
            none(&self.new)
        )
    }
}

/// What kind of type the model holds under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Schema,
    Enum,
    Union,
}

impl TypeKind {
    pub(super) fn of(t: &TypeDef) -> TypeKind {
        match t {
            TypeDef::Struct(_) => TypeKind::Schema,
            TypeDef::Enum(_) => TypeKind::Enum,
            TypeDef::Union(_) => TypeKind::Union,
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            TypeKind::Schema => "schema",
            TypeKind::Enum => "enum",
            TypeKind::Union => "union",
        }
    }

    /// Where the entries about a type of this kind go.
    pub(super) fn section(self) -> Section {
        match self {
            TypeKind::Schema => Section::Schemas,
            TypeKind::Enum => Section::Enums,
            TypeKind::Union => Section::EventViews,
        }
    }

    /// What a type of this kind is made of (`fields`), for `members` of [`TypeChange::Added`](super::TypeChange::Added).
    pub(super) fn members(self) -> &'static str {
        match self {
            TypeKind::Schema => "fields",
            TypeKind::Enum => "values",
            TypeKind::Union => "views",
        }
    }
}

/// A field's type as the emitted struct has it: `ty` rendered (`list of string`) and whether
/// the Rust field is an `Option` (decided in lowering).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldType {
    pub ty: String,
    pub optional: bool,
}

impl FieldType {
    pub(super) fn of(f: &Field) -> FieldType {
        FieldType {
            ty: ty(&f.ty),
            optional: f.optional,
        }
    }
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.optional {
            write!(f, "optional {}", self.ty)
        } else {
            f.write_str(&self.ty)
        }
    }
}

/// A type as the report prints it (`list of string`).
pub(super) fn ty(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::Number => "number".into(),
        TypeRef::DateTime => "date-time".into(),
        TypeRef::Json => "any JSON".into(),
        TypeRef::JsonObject => "JSON object".into(),
        TypeRef::List(item) => format!("list of {}", ty(item)),
        TypeRef::Named(key) => key.clone(),
    }
}
