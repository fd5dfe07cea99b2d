//! `cargo xtask changelog OLD.yaml NEW.yaml`: what a spec update changes in the generated crate.
//!
//! The report is computed from the two [`Api`] models (never from the YAML or from emitted
//! code), so it names exactly what users of `mongodb-atlas-events` see: operations, event types
//! per scope, event views and their common accessors, schemas and fields, enum values,
//! parameters and media types. Every collection is walked in sorted order, so the Markdown is
//! byte-for-byte deterministic and can be pasted into a PR body.
//!
//! # Rules: what breaks users of the generated crate
//!
//! Each [`Entry`] is data: what changed and the names involved. Its [`Impact`] follows from
//! what it is ([`Entry::impact`]), the report's [`Verdict`] is the highest one, and only
//! [`Changelog::to_markdown`] turns entries into text.
//!
//! * **Major (breaking)**: anything that can stop user code from compiling or silently changes
//!   what a call or a decode does:
//!   - an operation removed or renamed (the client method and builder change name; a rename is
//!     the same HTTP method and path with a new `operationId`);
//!   - an operation's HTTP method changed under the same `operationId`: it is another HTTP
//!     operation (safety, idempotency and body rules differ), and the generated runtime sends
//!     every request as `GET`, so the crate cannot follow it: calls that worked stop working;
//!   - an operation's path changed in its path parameters (`{groupId}` -> `{orgId}`): the client
//!     method's arguments change (the Parameters entries say how);
//!   - an operation's success response changed type, or its paging (`.stream()`) removed;
//!   - an operation's media type (`Accept`) changed: the server answers with another version of
//!     the resource, whose contract we cannot assume is compatible;
//!   - a parameter removed, retyped, made required (the method gains an argument) or made
//!     optional (the argument becomes a setter); a required parameter added; the required
//!     parameters reordered (the client method's arguments are positional: calls whose argument
//!     types agree keep compiling and send each value as the other parameter);
//!   - a parameter constraint added or tightened (the client now rejects calls it used to send);
//!     a changed pattern counts as tightened since regexes cannot be ordered;
//!   - a type removed, renamed in Rust, or changed kind (struct/enum/union);
//!   - a field removed, retyped, renamed in Rust, or its optionality changed (`T` <->
//!     `Option<T>`; a field is `Option` when it is optional or nullable);
//!   - a field's pattern removed: the struct's public `<FIELD>_PATTERN` constant goes;
//!   - an enum value removed or its Rust variant renamed (matching code stops compiling);
//!   - an enum's labels dropped or changed meaning (category <-> kind, or the category or kind
//!     enum renamed): `category()` or `kind()` (with its enum) goes or changes its return type;
//!     a kind that no value carries any more (its variant of the kind enum goes); a category
//!     removed (no title gives its variant of the category enum any more: a title that changed
//!     more than case, spacing or punctuation is one category removed and one added) or its
//!     slug changed (what `Display` and serde write and `FromStr` accepts);
//!   - an event view removed, or an existing event name routed to another view (events that
//!     decoded as one variant now decode as another);
//!   - a common accessor of a union removed or its return type changed.
//! * **Minor (additive)**: new API that existing code does not see: an operation, an optional
//!   parameter, a type, a field, an enum value or event type (enums are `#[non_exhaustive]`
//!   with `Unknown(UnknownValue)`, an opaque value that keeps the wire text (`as_str()`), so
//!   old code keeps compiling and the value used to decode as `Unknown`), an event view (unions are `#[non_exhaustive]`), a common accessor, paging added,
//!   a field's pattern added (a new `<FIELD>_PATTERN` constant), labels added to an enum (a new
//!   `category()` or `kind()`), a new kind or category (a variant of a `#[non_exhaustive]` kind
//!   or category enum).
//!   - A field is additive even when it is **required** (a plain `T`, not `Option<T>`): structs
//!     are `#[non_exhaustive]` and have no constructor, so user code can neither build them with
//!     a literal nor destructure them exhaustively, and no signature it uses changes. What does
//!     change is decoding: an event without the field (an older server, a stored event) now
//!     decodes as non-conforming (only an event view has plain required fields). That is the new
//!     spec's contract, not an API break, so it stays minor and the entry says so.
//!   - Also minor, though nothing is added: an operation's **path** changed with the same path
//!     parameters. The client method, its arguments and the builder stay the same and user code
//!     keeps compiling; requests go to the new path, which is what the new spec says the
//!     operation is. It is rated above patch because it changes what goes on the wire: tests
//!     that mock the old path, proxies and allow-lists keyed on it see it, so the bot labels the
//!     PR and a reviewer reads the entry.
//! * **Patch**: the generated code changes but no signature does: a constraint loosened or
//!   removed, a parameter default changed, a field's null handling changed without changing
//!   `Option`, a pattern constant's value changed, a value's label changed (including gained or
//!   lost: the signature stays `Option`, `None` is already what unlabeled and `Unknown` values
//!   return, so callers handle it; a label is descriptive metadata from the spec, the category
//!   a name is listed under or the kind of a metric, and a change of the view an event
//!   decodes as is reported on its own as major; a category's `event_types()` changes value
//!   with them), a category's title changed without changing its variant or slug (only
//!   `title()` returns other text), an operation deprecated, documented error statuses
//!   changed, or only descriptions and summaries changed.
//! * **None**: the models are equal apart from `info` (for example only `x-xgen-sha` changed, or
//!   only operations outside the Events subset).
//!
//! # Exit codes of `cargo xtask changelog`
//!
//! [`Verdict::exit_code`]: 0 = no change to the generated API (none or patch: no signature
//! changed; the verdict line tells them apart), 10 = minor, 20 = major, 2 = error (a spec that
//! does not parse, a fixup that no longer applies, a bad argument).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use crate::model::{
    Api, Category, Constraints, EnumDef, Field, HttpMethod, LabelKind, Operation, Param,
    ParamLocation, StructDef, TypeDef, TypeRef, UnionDef,
};
use crate::naming;

/// How much an entry affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Patch,
    Minor,
    Major,
}

impl Impact {
    fn label(self) -> &'static str {
        match self {
            Impact::Patch => "patch",
            Impact::Minor => "additive",
            Impact::Major => "**breaking**",
        }
    }
}

/// The semver bump the generated crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    None,
    Patch,
    Minor,
    Major,
}

impl From<Impact> for Verdict {
    fn from(impact: Impact) -> Verdict {
        match impact {
            Impact::Patch => Verdict::Patch,
            Impact::Minor => Verdict::Minor,
            Impact::Major => Verdict::Major,
        }
    }
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }

    /// The exit code of `cargo xtask changelog` (see the module docs).
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::None | Verdict::Patch => 0,
            Verdict::Minor => 10,
            Verdict::Major => 20,
        }
    }

    /// The next `crate_version`, following Cargo's rules: before 1.0 a breaking change bumps
    /// the minor number and everything else the patch number.
    pub fn next_version(self, current: &str) -> Option<String> {
        let parts: Vec<u64> = current
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts[..] else {
            return None;
        };
        Some(match (self, major) {
            (Verdict::None, _) => current.to_string(),
            (Verdict::Major, 0) => format!("0.{}.0", minor + 1),
            (_, 0) => format!("0.{minor}.{}", patch + 1),
            (Verdict::Major, _) => format!("{}.0.0", major + 1),
            (Verdict::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Verdict::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

/// The parts of the report, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Operations,
    Parameters,
    MediaTypes,
    EventTypes,
    EventViews,
    Schemas,
    Enums,
    Other,
}

impl Section {
    fn title(self) -> &'static str {
        match self {
            Section::Operations => "Operations",
            Section::Parameters => "Parameters",
            Section::MediaTypes => "Media types",
            Section::EventTypes => "Event types",
            Section::EventViews => "Event views",
            Section::Schemas => "Schemas and fields",
            Section::Enums => "Other enums",
            Section::Other => "Other",
        }
    }
}

/// An HTTP method and path (`GET /api/atlas/v2/groups/{groupId}/events`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub method: HttpMethod,
    pub path: String,
}

impl Endpoint {
    fn of(op: &Operation) -> Endpoint {
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
    fn of(operation: &Operation, p: &Param) -> ParamId {
        ParamId {
            operation: operation.id.clone(),
            location: p.location,
            wire: p.wire_name.clone(),
        }
    }

    fn location(&self) -> &'static str {
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
    fn name(self) -> &'static str {
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
    fn of(labels: &LabelKind) -> LabelMethod {
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
    fn new(name: impl Into<String>, old: impl Into<String>, new: impl Into<String>) -> Rename {
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
    fn of(t: &TypeDef) -> TypeKind {
        match t {
            TypeDef::Struct(_) => TypeKind::Schema,
            TypeDef::Enum(_) => TypeKind::Enum,
            TypeDef::Union(_) => TypeKind::Union,
        }
    }

    fn name(self) -> &'static str {
        match self {
            TypeKind::Schema => "schema",
            TypeKind::Enum => "enum",
            TypeKind::Union => "union",
        }
    }

    /// Where the entries about a type of this kind go.
    fn section(self) -> Section {
        match self {
            TypeKind::Schema => Section::Schemas,
            TypeKind::Enum => Section::Enums,
            TypeKind::Union => Section::EventViews,
        }
    }

    /// What a type of this kind is made of (`fields`), for `members` of [`Entry::TypeAdded`].
    fn members(self) -> &'static str {
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
    fn of(f: &Field) -> FieldType {
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

/// One change, as data: what changed and the names involved (operation ids, type keys, wire
/// names, Rust names, types rendered as the report prints them). [`Entry::impact`] rates it
/// (see the rules in the module docs), [`Entry::section`] files it, and its `Display` (with
/// [`Entry::items`]) is the report's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A new operation (not a rename): a new client method.
    OperationAdded {
        operation: String,
        endpoint: Endpoint,
        method: String,
    },
    /// An operation gone (not a rename): its client method goes.
    OperationRemoved {
        operation: String,
        endpoint: Endpoint,
        method: String,
    },
    /// Same HTTP method and path under a new `operationId`: the client method and builder are
    /// renamed.
    OperationRenamed {
        old: String,
        new: String,
        endpoint: Endpoint,
        old_method: String,
        new_method: String,
        old_builder: String,
        new_builder: String,
    },
    /// Another HTTP method under the same `operationId`.
    HttpMethodChanged {
        operation: String,
        old: Endpoint,
        new: Endpoint,
    },
    /// Another path under the same `operationId`: minor with the same path parameters, major
    /// when they change (the client method's arguments change).
    PathChanged {
        operation: String,
        /// The client method.
        method: String,
        old: String,
        new: String,
    },
    /// The `Accept` media type (the resource's version).
    MediaTypeChanged {
        operation: String,
        old: String,
        new: String,
    },
    ResponseRetyped {
        operation: String,
        old: String,
        new: String,
    },
    /// `.stream()` added.
    PagingAdded {
        operation: String,
    },
    /// `.stream()` removed.
    PagingRemoved {
        operation: String,
    },
    PageItemsRetyped {
        operation: String,
        old: String,
        new: String,
    },
    DeprecationChanged {
        operation: String,
        deprecated: bool,
    },
    ErrorStatusesChanged {
        operation: String,
        old: Vec<u16>,
        new: Vec<u16>,
    },
    /// A parameter added: a new argument when required (major), a new setter when optional.
    ParamAdded {
        param: ParamId,
        ty: String,
        required: bool,
    },
    ParamRemoved {
        param: ParamId,
    },
    ParamRetyped {
        param: ParamId,
        old: String,
        new: String,
    },
    /// A setter became an argument (`required`) or the other way round.
    ParamRequirednessChanged {
        param: ParamId,
        required: bool,
    },
    ParamRenamedInRust {
        param: ParamId,
        old: String,
        new: String,
    },
    /// The default, as JSON text (`None`: no default).
    ParamDefaultChanged {
        param: ParamId,
        old: Option<String>,
        new: Option<String>,
    },
    /// The client now rejects values it used to send. `old` and `new` are the constraint's
    /// values as `Debug` prints them (`None`: no constraint).
    ConstraintTightened {
        param: ParamId,
        constraint: Constraint,
        old: Option<String>,
        new: Option<String>,
    },
    /// The client now sends values it used to reject (or the constraint goes).
    ConstraintLoosened {
        param: ParamId,
        constraint: Constraint,
        old: Option<String>,
        new: Option<String>,
    },
    /// The parameters required on both sides (the client method's positional arguments, by
    /// Rust name) in another order.
    ArgumentsReordered {
        operation: String,
        method: String,
        old: Vec<String>,
        new: Vec<String>,
    },
    /// Names added to an event type enum (`names_enum`, Rust name `rust`) of one scope.
    EventTypesAdded {
        scope: String,
        names_enum: String,
        rust: String,
        names: Vec<String>,
    },
    EventTypesRemoved {
        scope: String,
        names_enum: String,
        rust: String,
        names: Vec<String>,
    },
    /// Wire values added to an enum that is not an event type enum.
    EnumValuesAdded {
        enum_name: EnumName,
        values: Vec<String>,
    },
    EnumValuesRemoved {
        enum_name: EnumName,
        values: Vec<String>,
    },
    /// Values whose Rust variant changed name (`name` is the wire value).
    EnumVariantsRenamed {
        enum_name: EnumName,
        renames: Vec<Rename>,
    },
    /// The values now carry labels: a new method.
    LabelsAdded {
        enum_name: EnumName,
        method: LabelMethod,
    },
    LabelsRemoved {
        enum_name: EnumName,
        method: LabelMethod,
    },
    /// Category <-> kind, or the category or kind enum renamed.
    LabelsChangedMeaning {
        enum_name: EnumName,
        old: LabelMethod,
        new: LabelMethod,
    },
    /// Variants of the kind enum `kind_enum` that come (a new distinct label).
    KindsAdded {
        enum_name: EnumName,
        kind_enum: String,
        kinds: Vec<String>,
    },
    /// Variants of the kind enum that go (no value carries the kind any more).
    KindsRemoved {
        enum_name: EnumName,
        kind_enum: String,
        kinds: Vec<String>,
    },
    /// Values whose `category()` or `kind()` (`method`, in the new model) returns another
    /// variant.
    ValuesRelabeled {
        enum_name: EnumName,
        method: LabelMethod,
        changes: Vec<Relabel>,
    },
    /// Variants of the category enum `category_enum` that come.
    CategoriesAdded {
        enum_name: EnumName,
        category_enum: String,
        categories: Vec<Category>,
    },
    CategoriesRemoved {
        enum_name: EnumName,
        category_enum: String,
        categories: Vec<Category>,
    },
    /// Categories (`name` is the variant) whose slug changed.
    CategorySlugsChanged {
        enum_name: EnumName,
        category_enum: String,
        changes: Vec<Rename>,
    },
    /// Categories (`name` is the variant) whose title changed, not their variant or slug.
    CategoryTitlesChanged {
        enum_name: EnumName,
        category_enum: String,
        changes: Vec<Rename>,
    },
    /// A type key new in the model, with `members` fields, values or views.
    TypeAdded {
        key: String,
        kind: TypeKind,
        rust: String,
        members: usize,
    },
    TypeRemoved {
        key: String,
        kind: TypeKind,
        rust: String,
    },
    /// The Rust name of a type (`kind` in the new model).
    TypeRenamedInRust {
        key: String,
        kind: TypeKind,
        old: String,
        new: String,
    },
    TypeKindChanged {
        key: String,
        old: TypeKind,
        new: TypeKind,
    },
    /// A field (by wire name) added to the schema with type key `schema`. Minor even when
    /// required: see the rules in the module docs.
    FieldAdded {
        schema: String,
        field: String,
        ty: FieldType,
    },
    FieldRemoved {
        schema: String,
        field: String,
        ty: FieldType,
    },
    /// Another type or `Option`-ness in Rust.
    FieldRetyped {
        schema: String,
        field: String,
        old: FieldType,
        new: FieldType,
    },
    /// Requiredness (`required`) or nullability (`nullable`) changed (`None`: did not), the
    /// Rust type `ty` did not.
    FieldNullHandlingChanged {
        schema: String,
        field: String,
        required: Option<bool>,
        nullable: Option<bool>,
        ty: FieldType,
    },
    FieldRenamedInRust {
        schema: String,
        field: String,
        old: String,
        new: String,
    },
    /// A field gained a pattern: the constant `constant` (`Struct::FIELD_PATTERN`) comes.
    PatternAdded {
        schema: String,
        field: String,
        constant: String,
    },
    PatternRemoved {
        schema: String,
        field: String,
        constant: String,
    },
    /// The constant's value changed.
    PatternChanged {
        schema: String,
        field: String,
        constant: String,
    },
    /// A view (type key `view`) of the union with type key `union` in one scope, as its
    /// `variant` (`Union::Variant`), for the event type `names`.
    ViewAdded {
        union: String,
        scope: String,
        view: String,
        variant: String,
        names: Vec<String>,
    },
    ViewRemoved {
        union: String,
        scope: String,
        view: String,
        variant: String,
    },
    /// A view's variant renamed (Rust names).
    ViewVariantRenamed {
        union: String,
        scope: String,
        old: String,
        new: String,
    },
    /// The property that selects the view.
    ViewPropertyChanged {
        union: String,
        scope: String,
        old: String,
        new: String,
    },
    /// Event types in both models that now decode as another view (`name` is the event type,
    /// `old` and `new` the views' type keys).
    EventTypesRerouted {
        union: String,
        scope: String,
        moves: Vec<Rename>,
    },
    /// A common accessor of a union (`Union::method`), returning `Option` of `ty`.
    AccessorAdded {
        scope: String,
        accessor: String,
        ty: String,
    },
    AccessorRemoved {
        scope: String,
        accessor: String,
    },
    AccessorRetyped {
        scope: String,
        accessor: String,
        old: String,
        new: String,
    },
    /// Descriptions, summaries or other documentation changed, nothing else.
    DocumentationOnly,
}

impl Entry {
    /// How much the change affects users: the rules of the module docs, one arm each.
    pub fn impact(&self) -> Impact {
        use Entry::*;
        match self {
            PathChanged { old, new, .. } if path_params(old) == path_params(new) => Impact::Minor,
            ParamAdded { required, .. } => {
                if *required {
                    Impact::Major
                } else {
                    Impact::Minor
                }
            }
            OperationRemoved { .. }
            | OperationRenamed { .. }
            | HttpMethodChanged { .. }
            | PathChanged { .. }
            | MediaTypeChanged { .. }
            | ResponseRetyped { .. }
            | PagingRemoved { .. }
            | PageItemsRetyped { .. }
            | ParamRemoved { .. }
            | ParamRetyped { .. }
            | ParamRequirednessChanged { .. }
            | ParamRenamedInRust { .. }
            | ConstraintTightened { .. }
            | ArgumentsReordered { .. }
            | EventTypesRemoved { .. }
            | EnumValuesRemoved { .. }
            | EnumVariantsRenamed { .. }
            | LabelsRemoved { .. }
            | LabelsChangedMeaning { .. }
            | KindsRemoved { .. }
            | CategoriesRemoved { .. }
            | CategorySlugsChanged { .. }
            | TypeRemoved { .. }
            | TypeRenamedInRust { .. }
            | TypeKindChanged { .. }
            | FieldRemoved { .. }
            | FieldRetyped { .. }
            | FieldRenamedInRust { .. }
            | PatternRemoved { .. }
            | ViewRemoved { .. }
            | ViewVariantRenamed { .. }
            | ViewPropertyChanged { .. }
            | EventTypesRerouted { .. }
            | AccessorRemoved { .. }
            | AccessorRetyped { .. } => Impact::Major,
            OperationAdded { .. }
            | PagingAdded { .. }
            | EventTypesAdded { .. }
            | EnumValuesAdded { .. }
            | LabelsAdded { .. }
            | KindsAdded { .. }
            | CategoriesAdded { .. }
            | TypeAdded { .. }
            | FieldAdded { .. }
            | PatternAdded { .. }
            | ViewAdded { .. }
            | AccessorAdded { .. } => Impact::Minor,
            DeprecationChanged { .. }
            | ErrorStatusesChanged { .. }
            | ParamDefaultChanged { .. }
            | ConstraintLoosened { .. }
            | ValuesRelabeled { .. }
            | CategoryTitlesChanged { .. }
            | FieldNullHandlingChanged { .. }
            | PatternChanged { .. }
            | DocumentationOnly => Impact::Patch,
        }
    }

    /// The part of the report the entry is printed in.
    pub fn section(&self) -> Section {
        use Entry::*;
        match self {
            OperationAdded { .. }
            | OperationRemoved { .. }
            | OperationRenamed { .. }
            | HttpMethodChanged { .. }
            | PathChanged { .. }
            | ResponseRetyped { .. }
            | PagingAdded { .. }
            | PagingRemoved { .. }
            | PageItemsRetyped { .. }
            | DeprecationChanged { .. }
            | ErrorStatusesChanged { .. } => Section::Operations,
            MediaTypeChanged { .. } => Section::MediaTypes,
            ParamAdded { .. }
            | ParamRemoved { .. }
            | ParamRetyped { .. }
            | ParamRequirednessChanged { .. }
            | ParamRenamedInRust { .. }
            | ParamDefaultChanged { .. }
            | ConstraintTightened { .. }
            | ConstraintLoosened { .. }
            | ArgumentsReordered { .. } => Section::Parameters,
            EventTypesAdded { .. } | EventTypesRemoved { .. } => Section::EventTypes,
            EnumValuesAdded { enum_name, .. }
            | EnumValuesRemoved { enum_name, .. }
            | EnumVariantsRenamed { enum_name, .. }
            | LabelsAdded { enum_name, .. }
            | LabelsRemoved { enum_name, .. }
            | LabelsChangedMeaning { enum_name, .. }
            | KindsAdded { enum_name, .. }
            | KindsRemoved { enum_name, .. }
            | ValuesRelabeled { enum_name, .. }
            | CategoriesAdded { enum_name, .. }
            | CategoriesRemoved { enum_name, .. }
            | CategorySlugsChanged { enum_name, .. }
            | CategoryTitlesChanged { enum_name, .. } => {
                if enum_name.event_types {
                    Section::EventTypes
                } else {
                    Section::Enums
                }
            }
            TypeAdded { kind, .. } | TypeRemoved { kind, .. } | TypeRenamedInRust { kind, .. } => {
                kind.section()
            }
            TypeKindChanged { new, .. } => new.section(),
            FieldAdded { .. }
            | FieldRemoved { .. }
            | FieldRetyped { .. }
            | FieldNullHandlingChanged { .. }
            | FieldRenamedInRust { .. }
            | PatternAdded { .. }
            | PatternRemoved { .. }
            | PatternChanged { .. } => Section::Schemas,
            ViewAdded { .. }
            | ViewRemoved { .. }
            | ViewVariantRenamed { .. }
            | ViewPropertyChanged { .. }
            | EventTypesRerouted { .. }
            | AccessorAdded { .. }
            | AccessorRemoved { .. }
            | AccessorRetyped { .. } => Section::EventViews,
            DocumentationOnly => Section::Other,
        }
    }

    /// The names the entry lists after its text (event types, enum values, categories...),
    /// each printed as code.
    pub fn items(&self) -> Vec<String> {
        use Entry::*;
        fn strings<T: ToString>(items: &[T]) -> Vec<String> {
            items.iter().map(T::to_string).collect()
        }
        let qualified = |enum_name: &str, names: &[String]| -> Vec<String> {
            names.iter().map(|n| format!("{enum_name}::{n}")).collect()
        };
        let categories = |enum_name: &str, categories: &[Category]| -> Vec<String> {
            let describe =
                |c: &Category| format!("{enum_name}::{} ({}: {})", c.rust_name, c.slug, c.title);
            categories.iter().map(describe).collect()
        };
        match self {
            EventTypesAdded { names, .. }
            | EventTypesRemoved { names, .. }
            | ViewAdded { names, .. }
            | EnumValuesAdded { values: names, .. }
            | EnumValuesRemoved { values: names, .. } => names.clone(),
            EnumVariantsRenamed { renames, .. } | EventTypesRerouted { moves: renames, .. } => {
                strings(renames)
            }
            ValuesRelabeled { changes, .. } => strings(changes),
            KindsAdded {
                kind_enum, kinds, ..
            }
            | KindsRemoved {
                kind_enum, kinds, ..
            } => qualified(kind_enum, kinds),
            CategoriesAdded {
                category_enum,
                categories: list,
                ..
            }
            | CategoriesRemoved {
                category_enum,
                categories: list,
                ..
            } => categories(category_enum, list),
            CategorySlugsChanged {
                category_enum,
                changes,
                ..
            }
            | CategoryTitlesChanged {
                category_enum,
                changes,
                ..
            } => changes
                .iter()
                .map(|c| format!("{category_enum}::{c}"))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The report's text for an entry (without its [`Entry::items`]): the one place that words
/// each kind of change.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Entry::*;
        match self {
            OperationAdded {
                operation,
                endpoint,
                method,
            } => write!(
                f,
                "Added `{operation}` ({endpoint}): client method `{method}`."
            ),
            OperationRemoved {
                operation,
                endpoint,
                method,
            } => write!(
                f,
                "Removed `{operation}` ({endpoint}): client method `{method}`."
            ),
            OperationRenamed {
                old,
                new,
                endpoint,
                old_method,
                new_method,
                old_builder,
                new_builder,
            } => write!(
                f,
                "Renamed `{old}` -> `{new}` ({endpoint}): client method `{old_method}` -> \
                 `{new_method}`, builder `{old_builder}` -> `{new_builder}`."
            ),
            HttpMethodChanged {
                operation,
                old,
                new,
            } => write!(
                f,
                "`{operation}`: HTTP method {old} -> {new}: another HTTP operation under the \
                 same id, which the generated client (it sends every request as `GET`) cannot \
                 follow."
            ),
            PathChanged {
                operation,
                method,
                old,
                new,
            } => {
                write!(f, "`{operation}`: path `{old}` -> `{new}`: ")?;
                let (was, now) = (path_params(old), path_params(new));
                if was == now {
                    write!(
                        f,
                        "same path parameters, so `{method}` and its arguments do not change, \
                         but requests now go to the new path (mocks, proxies or allow-lists \
                         keyed on the old one no longer match)."
                    )
                } else {
                    write!(
                        f,
                        "path parameters {} -> {}, so the arguments of `{method}` change (see \
                         Parameters).",
                        braces(&was),
                        braces(&now)
                    )
                }
            }
            MediaTypeChanged {
                operation,
                old,
                new,
            } => write!(
                f,
                "`{operation}`: `Accept` `{old}` -> `{new}` (a new version of the resource)."
            ),
            ResponseRetyped {
                operation,
                old,
                new,
            } => write!(f, "`{operation}`: response `{old}` -> `{new}`."),
            PagingAdded { operation } => write!(f, "`{operation}`: now paged (`.stream()`)."),
            PagingRemoved { operation } => {
                write!(f, "`{operation}`: no longer paged (`.stream()` removed).")
            }
            PageItemsRetyped {
                operation,
                old,
                new,
            } => write!(f, "`{operation}`: page items `{old}` -> `{new}`."),
            DeprecationChanged {
                operation,
                deprecated,
            } => {
                let what = if *deprecated {
                    "now deprecated"
                } else {
                    "no longer deprecated"
                };
                write!(f, "`{operation}`: {what}.")
            }
            ErrorStatusesChanged {
                operation,
                old,
                new,
            } => write!(
                f,
                "`{operation}`: documented error statuses {old:?} -> {new:?}."
            ),
            ParamAdded {
                param,
                ty,
                required,
            } => {
                let how = if *required {
                    "required (a new argument)"
                } else {
                    "optional (a new setter)"
                };
                let (id, location, wire) = (&param.operation, param.location(), &param.wire);
                write!(
                    f,
                    "`{id}`: added {location} parameter `{wire}`: {ty}, {how}."
                )
            }
            ParamRemoved { param } => {
                let (id, location, wire) = (&param.operation, param.location(), &param.wire);
                write!(f, "`{id}`: removed {location} parameter `{wire}`.")
            }
            ParamRetyped { param, old, new } => write!(f, "{param}: type `{old}` -> `{new}`."),
            ParamRequirednessChanged { param, required } => {
                let what = if *required {
                    "now required (a setter becomes an argument)"
                } else {
                    "now optional (an argument becomes a setter)"
                };
                write!(f, "{param}: {what}.")
            }
            ParamRenamedInRust { param, old, new } => {
                write!(f, "{param}: Rust name `{old}` -> `{new}`.")
            }
            ParamDefaultChanged { param, old, new } => write!(
                f,
                "{param}: default {} -> {}.",
                code_or_none(old),
                code_or_none(new)
            ),
            ConstraintTightened {
                param,
                constraint,
                old,
                new,
            }
            | ConstraintLoosened {
                param,
                constraint,
                old,
                new,
            } => {
                let how = if matches!(self, ConstraintTightened { .. }) {
                    "tightened"
                } else {
                    "loosened"
                };
                write!(
                    f,
                    "{param}: {} {how}, {} -> {}.",
                    constraint.name(),
                    code_or_none(old),
                    code_or_none(new)
                )
            }
            ArgumentsReordered {
                operation,
                method,
                old,
                new,
            } => write!(
                f,
                "`{operation}`: arguments of `{method}` reordered ({} -> {}): calls whose \
                 argument types agree still compile and send each value as another parameter.",
                code_list(old),
                code_list(new)
            ),
            EventTypesAdded {
                scope,
                names_enum,
                rust,
                names,
            } => write!(
                f,
                "{} {scope} event types added (`{names_enum}`, `{rust}`).",
                names.len()
            ),
            EventTypesRemoved {
                scope,
                names_enum,
                rust,
                names,
            } => write!(
                f,
                "{} {scope} event types removed (`{names_enum}`, `{rust}`): their variants go; \
                 such events now decode as `Unknown`.",
                names.len()
            ),
            EnumValuesAdded { enum_name, values } => {
                write!(f, "{enum_name}: {} added.", count_values(values.len()))
            }
            EnumValuesRemoved { enum_name, values } => {
                write!(f, "{enum_name}: {} removed.", count_values(values.len()))
            }
            EnumVariantsRenamed { enum_name, renames } => {
                write!(f, "{enum_name}: {} variants renamed.", renames.len())
            }
            LabelsAdded { enum_name, method } => {
                write!(f, "{enum_name}: values now carry labels: {method} added.")
            }
            LabelsRemoved { enum_name, method } => write!(
                f,
                "{enum_name}: values no longer carry labels: {method} removed."
            ),
            LabelsChangedMeaning {
                enum_name,
                old,
                new,
            } => write!(
                f,
                "{enum_name}: labels changed meaning: {old} replaced by {new}."
            ),
            KindsAdded {
                enum_name,
                kind_enum,
                kinds,
            } => write!(
                f,
                "{enum_name}: {} kinds added to `{kind_enum}`.",
                kinds.len()
            ),
            KindsRemoved {
                enum_name,
                kind_enum,
                kinds,
            } => write!(
                f,
                "{enum_name}: {} kinds no value carries any more: their variants of \
                 `{kind_enum}` removed.",
                kinds.len()
            ),
            ValuesRelabeled {
                enum_name,
                method,
                changes,
            } => {
                let what = match method {
                    LabelMethod::Category(name) => format!("values changed category (`{name}`)"),
                    LabelMethod::Kind(name) => format!("values changed kind (`{name}`)"),
                };
                write!(f, "{enum_name}: {} {what}.", changes.len())
            }
            CategoriesAdded {
                enum_name,
                category_enum,
                categories,
            } => write!(
                f,
                "{enum_name}: {} categories added to `{category_enum}`.",
                categories.len()
            ),
            CategoriesRemoved {
                enum_name,
                category_enum,
                categories,
            } => write!(
                f,
                "{enum_name}: {} categories removed: their variants of `{category_enum}` go.",
                categories.len()
            ),
            CategorySlugsChanged {
                enum_name,
                category_enum,
                changes,
            } => write!(
                f,
                "{enum_name}: {} category slugs changed (`Display`, serde and `FromStr` of \
                 `{category_enum}`).",
                changes.len()
            ),
            CategoryTitlesChanged {
                enum_name,
                category_enum,
                changes,
            } => write!(
                f,
                "{enum_name}: {} category titles changed (`{category_enum}::title()`).",
                changes.len()
            ),
            TypeAdded {
                key,
                kind,
                rust,
                members,
            } => write!(
                f,
                "Added {} `{key}` (`{rust}`) with {members} {}.",
                kind.name(),
                kind.members()
            ),
            TypeRemoved { key, kind, rust } => {
                write!(f, "Removed {} `{key}` (`{rust}`).", kind.name())
            }
            TypeRenamedInRust { key, old, new, .. } => {
                write!(f, "`{key}`: Rust name `{old}` -> `{new}`.")
            }
            TypeKindChanged { key, old, new } => {
                write!(f, "`{key}`: {} -> {}.", old.name(), new.name())
            }
            FieldAdded { schema, field, ty } => {
                let decoding = if ty.optional {
                    ""
                } else {
                    ", required: events without it now decode as non-conforming"
                };
                write!(f, "`{schema}`: added field `{field}` ({ty}{decoding}).")
            }
            FieldRemoved { schema, field, ty } => {
                write!(f, "`{schema}`: removed field `{field}` ({ty}).")
            }
            FieldRetyped {
                schema,
                field,
                old,
                new,
            } => write!(f, "`{schema}`: field `{field}` retyped `{old}` -> `{new}`."),
            FieldNullHandlingChanged {
                schema,
                field,
                required,
                nullable,
                ty,
            } => {
                let required = required.map(|r| if r { "now required" } else { "now optional" });
                let nullable = nullable.map(|n| {
                    if n {
                        "now nullable"
                    } else {
                        "no longer nullable"
                    }
                });
                let what: Vec<&str> = [required, nullable].into_iter().flatten().collect();
                write!(
                    f,
                    "`{schema}`: field `{field}` {} (still `{ty}`).",
                    what.join(", ")
                )
            }
            FieldRenamedInRust {
                schema,
                field,
                old,
                new,
            } => write!(
                f,
                "`{schema}`: field `{field}` Rust name `{old}` -> `{new}`."
            ),
            PatternAdded {
                schema,
                field,
                constant,
            } => write!(
                f,
                "`{schema}`: field `{field}` has a pattern: constant `{constant}` added."
            ),
            PatternRemoved {
                schema,
                field,
                constant,
            } => write!(
                f,
                "`{schema}`: field `{field}` has no pattern any more: constant `{constant}` \
                 removed."
            ),
            PatternChanged {
                schema,
                field,
                constant,
            } => write!(
                f,
                "`{schema}`: field `{field}` pattern constant `{constant}` changed value."
            ),
            ViewAdded {
                union,
                scope,
                view,
                variant,
                names,
            } => write!(
                f,
                "`{union}` ({scope}): added view `{view}` (variant `{variant}`) for {} event \
                 types.",
                names.len()
            ),
            ViewRemoved {
                union,
                scope,
                view,
                variant,
            } => write!(
                f,
                "`{union}` ({scope}): removed view `{view}` (variant `{variant}`)."
            ),
            ViewVariantRenamed {
                union,
                scope,
                old,
                new,
            } => write!(f, "`{union}` ({scope}): variant `{old}` -> `{new}`."),
            ViewPropertyChanged {
                union,
                scope,
                old,
                new,
            } => write!(f, "`{union}` ({scope}): selected by `{old}` -> `{new}`."),
            EventTypesRerouted {
                union,
                scope,
                moves,
            } => write!(
                f,
                "`{union}` ({scope}): {} existing event types now decode as another view.",
                moves.len()
            ),
            AccessorAdded {
                scope,
                accessor,
                ty,
            } => write!(
                f,
                "`{accessor}()` ({scope}): common accessor added, returns `optional {ty}`."
            ),
            AccessorRemoved { scope, accessor } => {
                write!(f, "`{accessor}()` ({scope}): common accessor removed.")
            }
            AccessorRetyped {
                scope,
                accessor,
                old,
                new,
            } => write!(
                f,
                "`{accessor}()` ({scope}): returns `optional {old}` -> `optional {new}`."
            ),
            DocumentationOnly => f.write_str(
                "Descriptions, summaries or other documentation changed; no signature did.",
            ),
        }
    }
}

/// `` `value` ``, or `none`.
fn code_or_none(v: &Option<String>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

/// `` `a`, `b` ``.
fn code_list(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    names.join(", ")
}

fn count_values(n: usize) -> String {
    if n == 1 {
        "1 value".to_string()
    } else {
        format!("{n} values")
    }
}

/// `{a}, {b}`, or `none`.
fn braces(names: &BTreeSet<&str>) -> String {
    if names.is_empty() {
        return "none".to_string();
    }
    let names: Vec<String> = names.iter().map(|n| format!("`{{{n}}}`")).collect();
    names.join(", ")
}

/// The names of the `{...}` segments of a path.
fn path_params(path: &str) -> BTreeSet<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// The changes between two models.
#[derive(Debug, Clone)]
pub struct Changelog {
    pub old_sha: Option<String>,
    pub new_sha: Option<String>,
    /// In report order: by [`Section`], and in each section in the order the models are
    /// walked (sorted by operation id, type key, wire name).
    pub entries: Vec<Entry>,
    /// The highest [`Entry::impact`], [`Verdict::None`] without entries.
    pub verdict: Verdict,
}

/// How a report names the scope of an event type enum (decided in lowering, see
/// [`UnionDef::scope`]): `project`, `organization`, or the enum's name when it has none.
/// The first model that has a union over `names_enum` decides.
fn scope_name(apis: &[&Api], names_enum: &str) -> String {
    let scope = apis
        .iter()
        .flat_map(|api| api.types.values())
        .find_map(|t| match t {
            TypeDef::Union(u) if u.names_enum == names_enum => Some(u.scope),
            _ => None,
        })
        .flatten();
    scope.map_or_else(|| names_enum.to_string(), |s| s.label().to_string())
}

fn ty(t: &TypeRef) -> String {
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

/// The entries found so far.
struct Diff {
    entries: Vec<Entry>,
}

impl Diff {
    fn push(&mut self, entry: Entry) {
        self.entries.push(entry);
    }

    /// One entry for the names only `now` has and one for those only `was` has, each when
    /// there are any.
    fn push_added_removed<K: Ord, V: Clone>(
        &mut self,
        was: &BTreeMap<K, V>,
        now: &BTreeMap<K, V>,
        added: impl FnOnce(Vec<V>) -> Entry,
        removed: impl FnOnce(Vec<V>) -> Entry,
    ) {
        let only = |a: &BTreeMap<K, V>, b: &BTreeMap<K, V>| -> Vec<V> {
            a.iter()
                .filter(|(k, _)| !b.contains_key(k))
                .map(|(_, v)| v.clone())
                .collect()
        };
        self.push_any(only(now, was), added);
        self.push_any(only(was, now), removed);
    }

    /// The entry listing `items`, when there are any.
    fn push_any<T>(&mut self, items: Vec<T>, entry: impl FnOnce(Vec<T>) -> Entry) {
        if !items.is_empty() {
            self.entries.push(entry(items));
        }
    }
}

/// Compares two models. `old` is the model of the spec the crate was generated from.
pub fn diff(old: &Api, new: &Api) -> Changelog {
    let mut d = Diff {
        entries: Vec::new(),
    };
    diff_operations(&mut d, old, new);
    let names_enums: BTreeSet<&str> = old
        .types
        .values()
        .chain(new.types.values())
        .filter_map(|t| match t {
            TypeDef::Union(u) => Some(u.names_enum.as_str()),
            _ => None,
        })
        .collect();
    diff_event_types(&mut d, old, new, &names_enums);
    diff_types(&mut d, old, new, &names_enums);
    if d.entries.is_empty() && without_info(old) != without_info(new) {
        d.push(Entry::DocumentationOnly);
    }
    d.entries.sort_by_key(Entry::section);
    let verdict = d
        .entries
        .iter()
        .map(|e| Verdict::from(e.impact()))
        .max()
        .unwrap_or(Verdict::None);
    Changelog {
        old_sha: old.info.upstream_sha.clone(),
        new_sha: new.info.upstream_sha.clone(),
        entries: d.entries,
        verdict,
    }
}

fn without_info(api: &Api) -> Api {
    let mut api = api.clone();
    api.info.upstream_sha = None;
    api.info.version = String::new();
    api.info.title = String::new();
    api
}

fn diff_operations(d: &mut Diff, old: &Api, new: &Api) {
    let old_by_id: BTreeMap<&str, &Operation> =
        old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let new_by_id: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let key = |o: &Operation| (o.http_method, o.path.clone());
    let new_by_endpoint: BTreeMap<_, &Operation> = new
        .operations
        .iter()
        .filter(|o| !old_by_id.contains_key(o.id.as_str()))
        .map(|o| (key(o), o))
        .collect();

    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    let mut renamed_to = BTreeSet::new();
    for (id, op) in &old_by_id {
        if let Some(now) = new_by_id.get(id) {
            pairs.push((op, now));
        } else if let Some(now) = new_by_endpoint.get(&key(op)) {
            d.push(Entry::OperationRenamed {
                old: op.id.clone(),
                new: now.id.clone(),
                endpoint: Endpoint::of(op),
                old_method: op.method_name.clone(),
                new_method: now.method_name.clone(),
                old_builder: op.builder_name.clone(),
                new_builder: now.builder_name.clone(),
            });
            renamed_to.insert(now.id.as_str());
            pairs.push((op, now));
        } else {
            d.push(Entry::OperationRemoved {
                operation: op.id.clone(),
                endpoint: Endpoint::of(op),
                method: op.method_name.clone(),
            });
        }
    }
    for (id, op) in &new_by_id {
        if !old_by_id.contains_key(id) && !renamed_to.contains(id) {
            d.push(Entry::OperationAdded {
                operation: op.id.clone(),
                endpoint: Endpoint::of(op),
                method: op.method_name.clone(),
            });
        }
    }
    for (old_op, new_op) in pairs {
        diff_operation(d, old_op, new_op);
    }
}

fn diff_operation(d: &mut Diff, old: &Operation, new: &Operation) {
    diff_endpoint(d, old, new);
    diff_response(d, old, new);
    diff_params(d, old, new);
    diff_argument_order(d, old, new);
}

/// The HTTP method, the path and the `Accept` media type of one operation.
fn diff_endpoint(d: &mut Diff, old: &Operation, new: &Operation) {
    let operation = new.id.clone();
    // Same `operationId`, another endpoint (a rename keeps the endpoint by construction).
    if old.http_method != new.http_method {
        d.push(Entry::HttpMethodChanged {
            operation: operation.clone(),
            old: Endpoint::of(old),
            new: Endpoint::of(new),
        });
    }
    if old.path != new.path {
        d.push(Entry::PathChanged {
            operation: operation.clone(),
            method: new.method_name.clone(),
            old: old.path.clone(),
            new: new.path.clone(),
        });
    }
    if old.accept != new.accept {
        d.push(Entry::MediaTypeChanged {
            operation,
            old: old.accept.clone(),
            new: new.accept.clone(),
        });
    }
}

/// What one operation answers: its response type, paging, deprecation and error statuses.
fn diff_response(d: &mut Diff, old: &Operation, new: &Operation) {
    let operation = new.id.clone();
    if old.response != new.response {
        d.push(Entry::ResponseRetyped {
            operation: operation.clone(),
            old: ty(&old.response),
            new: ty(&new.response),
        });
    }
    match (&old.paging, &new.paging) {
        (None, Some(_)) => d.push(Entry::PagingAdded {
            operation: operation.clone(),
        }),
        (Some(_), None) => d.push(Entry::PagingRemoved {
            operation: operation.clone(),
        }),
        (Some(a), Some(b)) if a != b => d.push(Entry::PageItemsRetyped {
            operation: operation.clone(),
            old: ty(&a.item),
            new: ty(&b.item),
        }),
        _ => {}
    }
    if old.deprecated != new.deprecated {
        d.push(Entry::DeprecationChanged {
            operation: operation.clone(),
            deprecated: new.deprecated,
        });
    }
    if old.error_statuses != new.error_statuses {
        d.push(Entry::ErrorStatusesChanged {
            operation,
            old: old.error_statuses.clone(),
            new: new.error_statuses.clone(),
        });
    }
}

/// A parameter's identity across versions: its location and wire name.
fn param_key(p: &Param) -> (ParamLocation, String) {
    (p.location, p.wire_name.clone())
}

/// Parameters removed, added and changed (type, requiredness, Rust name, default, constraints).
fn diff_params(d: &mut Diff, old: &Operation, new: &Operation) {
    let old_params: BTreeMap<_, &Param> = old.params.iter().map(|p| (param_key(p), p)).collect();
    let new_params: BTreeMap<_, &Param> = new.params.iter().map(|p| (param_key(p), p)).collect();
    for (key, p) in &old_params {
        if !new_params.contains_key(key) {
            d.push(Entry::ParamRemoved {
                param: ParamId::of(new, p),
            });
        }
    }
    for (key, p) in &new_params {
        let param = ParamId::of(new, p);
        let Some(was) = old_params.get(key) else {
            d.push(Entry::ParamAdded {
                param,
                ty: ty(&p.ty),
                required: p.required,
            });
            continue;
        };
        if was.ty != p.ty {
            d.push(Entry::ParamRetyped {
                param: param.clone(),
                old: ty(&was.ty),
                new: ty(&p.ty),
            });
        }
        if was.required != p.required {
            d.push(Entry::ParamRequirednessChanged {
                param: param.clone(),
                required: p.required,
            });
        }
        if was.rust_name != p.rust_name {
            d.push(Entry::ParamRenamedInRust {
                param: param.clone(),
                old: was.rust_name.clone(),
                new: p.rust_name.clone(),
            });
        }
        if was.default != p.default {
            let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
            d.push(Entry::ParamDefaultChanged {
                param: param.clone(),
                old: json(&was.default),
                new: json(&p.default),
            });
        }
        diff_constraints(d, &param, &was.constraints, &p.constraints);
    }
}

/// The client method takes the required parameters positionally, in the spec's order: those
/// required on both sides must keep their relative order.
fn diff_argument_order(d: &mut Diff, old: &Operation, new: &Operation) {
    fn arguments<'a>(op: &'a Operation, other: &Operation) -> Vec<&'a Param> {
        op.params
            .iter()
            .filter(|p| {
                p.required
                    && other.params.iter().any(|q| {
                        q.required && q.location == p.location && q.wire_name == p.wire_name
                    })
            })
            .collect()
    }
    let (was, now) = (arguments(old, new), arguments(new, old));
    if !was
        .iter()
        .map(|p| param_key(p))
        .eq(now.iter().map(|p| param_key(p)))
    {
        let names = |params: &[&Param]| params.iter().map(|p| p.rust_name.clone()).collect();
        d.push(Entry::ArgumentsReordered {
            operation: new.id.clone(),
            method: new.method_name.clone(),
            old: names(&was),
            new: names(&now),
        });
    }
}

fn diff_constraints(d: &mut Diff, param: &ParamId, old: &Constraints, new: &Constraints) {
    fn show<T: std::fmt::Debug>(v: &Option<T>) -> Option<String> {
        v.as_ref().map(|v| format!("{v:?}"))
    }
    // Tightened: a value the client used to send is now rejected before sending.
    let checks: [(Constraint, bool, Option<String>, Option<String>); 4] = [
        (
            Constraint::Pattern,
            new.pattern.is_some() && old.pattern != new.pattern,
            show(&old.pattern),
            show(&new.pattern),
        ),
        (
            Constraint::Minimum,
            matches!((old.minimum, new.minimum), (None, Some(_)))
                || matches!((old.minimum, new.minimum), (Some(a), Some(b)) if b > a),
            show(&old.minimum),
            show(&new.minimum),
        ),
        (
            Constraint::Maximum,
            matches!((old.maximum, new.maximum), (None, Some(_)))
                || matches!((old.maximum, new.maximum), (Some(a), Some(b)) if b < a),
            show(&old.maximum),
            show(&new.maximum),
        ),
        (
            Constraint::MaxItems,
            matches!((old.max_items, new.max_items), (None, Some(_)))
                || matches!((old.max_items, new.max_items), (Some(a), Some(b)) if b < a),
            show(&old.max_items),
            show(&new.max_items),
        ),
    ];
    for (constraint, tightened, old, new) in checks {
        if old == new {
            continue;
        }
        let param = param.clone();
        d.push(if tightened {
            Entry::ConstraintTightened {
                param,
                constraint,
                old,
                new,
            }
        } else {
            Entry::ConstraintLoosened {
                param,
                constraint,
                old,
                new,
            }
        });
    }
}

/// The wire values of the enum `key`, each mapped to itself (none when it is not an enum).
fn enum_values(types: &BTreeMap<String, TypeDef>, key: &str) -> BTreeMap<String, String> {
    match types.get(key) {
        Some(TypeDef::Enum(e)) => e
            .values
            .iter()
            .map(|v| (v.wire.clone(), v.wire.clone()))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// The event type names of each scope (each union's `names` enum) added and removed.
fn diff_event_types(d: &mut Diff, old: &Api, new: &Api, names_enums: &BTreeSet<&str>) {
    for names in names_enums {
        let was = enum_values(&old.types, names);
        let now = enum_values(&new.types, names);
        let scope = scope_name(&[new, old], names);
        let rust = new
            .types
            .get(*names)
            .or_else(|| old.types.get(*names))
            .map_or(*names, |t| t.rust_name());
        let (names_enum, rust) = (names.to_string(), rust.to_string());
        let added = (scope.clone(), names_enum.clone(), rust.clone());
        d.push_added_removed(
            &was,
            &now,
            |names| Entry::EventTypesAdded {
                scope: added.0,
                names_enum: added.1,
                rust: added.2,
                names,
            },
            |names| Entry::EventTypesRemoved {
                scope,
                names_enum,
                rust,
                names,
            },
        );
    }
}

/// Names mapped to themselves, for [`Diff::push_added_removed`].
fn keyed(names: impl IntoIterator<Item = String>) -> BTreeMap<String, String> {
    names.into_iter().map(|n| (n.clone(), n)).collect()
}

fn diff_types(d: &mut Diff, old: &Api, new: &Api, names_enums: &BTreeSet<&str>) {
    for (key, was) in &old.types {
        let Some(now) = new.types.get(key) else {
            d.push(Entry::TypeRemoved {
                key: key.clone(),
                kind: TypeKind::of(was),
                rust: was.rust_name().to_string(),
            });
            continue;
        };
        if was.rust_name() != now.rust_name() {
            d.push(Entry::TypeRenamedInRust {
                key: key.clone(),
                kind: TypeKind::of(now),
                old: was.rust_name().to_string(),
                new: now.rust_name().to_string(),
            });
        }
        match (was, now) {
            (TypeDef::Struct(a), TypeDef::Struct(b)) => diff_struct(d, key, a, b),
            (TypeDef::Enum(a), TypeDef::Enum(b)) => {
                let enum_name = EnumName {
                    key: key.clone(),
                    rust: b.rust_name.clone(),
                    event_types: names_enums.contains(key.as_str()),
                };
                diff_enum(d, &enum_name, a, b)
            }
            (TypeDef::Union(a), TypeDef::Union(b)) => diff_union(d, old, new, a, b),
            _ => d.push(Entry::TypeKindChanged {
                key: key.clone(),
                old: TypeKind::of(was),
                new: TypeKind::of(now),
            }),
        }
    }
    for (key, now) in &new.types {
        if !old.types.contains_key(key) {
            let members = match now {
                TypeDef::Struct(s) => s.fields.len(),
                TypeDef::Enum(e) => e.values.len(),
                TypeDef::Union(u) => u.variants.len(),
            };
            d.push(Entry::TypeAdded {
                key: key.clone(),
                kind: TypeKind::of(now),
                rust: now.rust_name().to_string(),
                members,
            });
        }
    }
}

fn diff_struct(d: &mut Diff, key: &str, old: &StructDef, new: &StructDef) {
    let by_wire = |s: &'_ StructDef| -> BTreeMap<String, Field> {
        s.fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.clone()))
            .collect()
    };
    let (was, now) = (by_wire(old), by_wire(new));
    let field_entry = |f: Field, added: bool| {
        let (schema, field, ty) = (key.to_string(), f.wire_name.clone(), FieldType::of(&f));
        if added {
            Entry::FieldAdded { schema, field, ty }
        } else {
            Entry::FieldRemoved { schema, field, ty }
        }
    };
    for f in was.values().filter(|f| !now.contains_key(&f.wire_name)) {
        d.push(field_entry(f.clone(), false));
    }
    for (wire, f) in &now {
        match was.get(wire) {
            None => d.push(field_entry(f.clone(), true)),
            Some(a) => diff_field(d, key, (old, a), (new, f)),
        }
    }
}

/// One field in both versions of a struct: its type, null handling, Rust name and pattern.
fn diff_field(
    d: &mut Diff,
    key: &str,
    (old, a): (&StructDef, &Field),
    (new, f): (&StructDef, &Field),
) {
    let (schema, field) = (key.to_string(), f.wire_name.clone());
    if a.ty != f.ty || a.optional != f.optional {
        d.push(Entry::FieldRetyped {
            schema: schema.clone(),
            field: field.clone(),
            old: FieldType::of(a),
            new: FieldType::of(f),
        });
    } else if a.required != f.required || a.nullable != f.nullable {
        d.push(Entry::FieldNullHandlingChanged {
            schema: schema.clone(),
            field: field.clone(),
            required: (a.required != f.required).then_some(f.required),
            nullable: (a.nullable != f.nullable).then_some(f.nullable),
            ty: FieldType::of(f),
        });
    }
    if a.rust_name != f.rust_name {
        d.push(Entry::FieldRenamedInRust {
            schema: schema.clone(),
            field: field.clone(),
            old: a.rust_name.clone(),
            new: f.rust_name.clone(),
        });
    }
    // `emit::structs` writes `pub const <FIELD>_PATTERN` for each field with a pattern.
    // (A renamed field renames its constant too; the rename above is already major.)
    let constant = |s: &StructDef, f: &Field| {
        format!("{}::{}", s.rust_name, naming::pattern_const(&f.rust_name))
    };
    match (&a.pattern, &f.pattern) {
        (None, Some(_)) => d.push(Entry::PatternAdded {
            schema,
            field,
            constant: constant(new, f),
        }),
        (Some(_), None) => d.push(Entry::PatternRemoved {
            schema,
            field,
            constant: constant(old, a),
        }),
        (Some(x), Some(y)) if x != y => d.push(Entry::PatternChanged {
            schema,
            field,
            constant: constant(new, f),
        }),
        _ => {}
    }
}

fn diff_enum(d: &mut Diff, enum_name: &EnumName, old: &EnumDef, new: &EnumDef) {
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    // The event type enums are reported per scope in their own section.
    if !enum_name.event_types {
        let wires = |e: &EnumDef| keyed(e.values.iter().map(|v| v.wire.clone()));
        d.push_added_removed(
            &wires(old),
            &wires(new),
            |values| Entry::EnumValuesAdded {
                enum_name: enum_name.clone(),
                values,
            },
            |values| Entry::EnumValuesRemoved {
                enum_name: enum_name.clone(),
                values,
            },
        );
    }
    let renames: Vec<Rename> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            (a.rust_name != b.rust_name).then(|| Rename::new(*w, &a.rust_name, &b.rust_name))
        })
        .collect();
    d.push_any(renames, |renames| Entry::EnumVariantsRenamed {
        enum_name: enum_name.clone(),
        renames,
    });
    diff_labels(d, enum_name, old, new);
}

/// The distinct labels of an enum's values: the variants of the kind enum.
fn label_set(e: &EnumDef) -> BTreeMap<String, String> {
    keyed(e.values.iter().filter_map(|v| v.label.clone()))
}

/// What `category()` or `kind()` returns for a value: the variant of the category enum its
/// title names, or its kind.
fn label_variant<'a>(e: &'a EnumDef, label: Option<&'a str>) -> Option<&'a str> {
    let label = label?;
    Some(match e.labels.as_ref().and_then(|l| l.category(label)) {
        Some(category) => &category.rust_name,
        None => label,
    })
}

/// `category()` / `kind()` and what they return. See the rules in the module docs: the methods
/// and the category and kind enums (their variants, slugs) are API; which label a value
/// carries, and a category's title, are patch-level metadata.
fn diff_labels(d: &mut Diff, enum_name: &EnumName, old: &EnumDef, new: &EnumDef) {
    let enum_name = enum_name.clone();
    let (a, b) = match (&old.labels, &new.labels) {
        (None, None) => return,
        (None, Some(b)) => {
            let method = LabelMethod::of(b);
            return d.push(Entry::LabelsAdded { enum_name, method });
        }
        (Some(a), None) => {
            let method = LabelMethod::of(a);
            return d.push(Entry::LabelsRemoved { enum_name, method });
        }
        (Some(a), Some(b)) => (a, b),
    };
    match (a, b) {
        (
            LabelKind::Category {
                rust_name: x,
                categories: was,
            },
            LabelKind::Category {
                rust_name: y,
                categories: now,
            },
        ) if x == y => diff_categories(d, &enum_name, y, was, now),
        (LabelKind::Kind { rust_name: x, .. }, LabelKind::Kind { rust_name: y, .. }) if x == y => {
            // One variant of the kind enum per distinct label.
            let kind_enum = y.clone();
            d.push_added_removed(
                &label_set(old),
                &label_set(new),
                |kinds| Entry::KindsAdded {
                    enum_name: enum_name.clone(),
                    kind_enum: kind_enum.clone(),
                    kinds,
                },
                |kinds| Entry::KindsRemoved {
                    enum_name: enum_name.clone(),
                    kind_enum: kind_enum.clone(),
                    kinds,
                },
            );
        }
        (a, b) => {
            let (old, new) = (LabelMethod::of(a), LabelMethod::of(b));
            return d.push(Entry::LabelsChangedMeaning {
                enum_name,
                old,
                new,
            });
        }
    }
    diff_relabeled(d, enum_name, old, new, LabelMethod::of(b));
}

/// Both sides have the same label method: per value, only what it returns changes.
fn diff_relabeled(
    d: &mut Diff,
    enum_name: EnumName,
    old: &EnumDef,
    new: &EnumDef,
    method: LabelMethod,
) {
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let changes: Vec<Relabel> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            let (from, to) = (
                label_variant(old, a.label.as_deref()),
                label_variant(new, b.label.as_deref()),
            );
            (from != to).then(|| Relabel {
                value: w.to_string(),
                old: from.map(str::to_string),
                new: to.map(str::to_string),
            })
        })
        .collect();
    d.push_any(changes, |changes| Entry::ValuesRelabeled {
        enum_name,
        method,
        changes,
    });
}

/// The variants of a category enum, which follow the titles: a new one is additive (the enum
/// is `#[non_exhaustive]`), a removed one breaks `match`es and paths that name it, a changed
/// slug changes what `Display` and serde write and what `FromStr` accepts, and a changed title
/// (same variant and slug) only changes what `title()` returns.
fn diff_categories(
    d: &mut Diff,
    enum_name: &EnumName,
    category_enum: &str,
    was: &[Category],
    now: &[Category],
) {
    let by_variant = |categories: &'_ [Category]| -> BTreeMap<String, Category> {
        categories
            .iter()
            .map(|c| (c.rust_name.clone(), c.clone()))
            .collect()
    };
    let (was, now) = (by_variant(was), by_variant(now));
    let (mut reslugged, mut retitled) = (Vec::new(), Vec::new());
    for (variant, a) in &was {
        let Some(b) = now.get(variant) else { continue };
        if a.slug != b.slug {
            reslugged.push(Rename::new(variant, &a.slug, &b.slug));
        } else if a.title != b.title {
            retitled.push(Rename::new(variant, &a.title, &b.title));
        }
    }
    let (enum_name, category_enum) = (enum_name.clone(), category_enum.to_string());
    d.push_added_removed(
        &was,
        &now,
        |categories| Entry::CategoriesAdded {
            enum_name: enum_name.clone(),
            category_enum: category_enum.clone(),
            categories,
        },
        |categories| Entry::CategoriesRemoved {
            enum_name: enum_name.clone(),
            category_enum: category_enum.clone(),
            categories,
        },
    );
    d.push_any(reslugged, |changes| Entry::CategorySlugsChanged {
        enum_name: enum_name.clone(),
        category_enum: category_enum.clone(),
        changes,
    });
    d.push_any(retitled, |changes| Entry::CategoryTitlesChanged {
        enum_name,
        category_enum,
        changes,
    });
}

fn diff_union(d: &mut Diff, old_api: &Api, new_api: &Api, old: &UnionDef, new: &UnionDef) {
    let union = new.spec_name.clone();
    let scope = scope_name(&[new_api], &new.names_enum);
    let was: BTreeMap<&str, _> = old
        .variants
        .iter()
        .map(|v| (v.type_key.as_str(), v))
        .collect();
    let now: BTreeMap<&str, _> = new
        .variants
        .iter()
        .map(|v| (v.type_key.as_str(), v))
        .collect();
    for (view, v) in &was {
        if !now.contains_key(view) {
            d.push(Entry::ViewRemoved {
                union: union.clone(),
                scope: scope.clone(),
                view: view.to_string(),
                variant: format!("{}::{}", old.rust_name, v.rust_name),
            });
        }
    }
    for (view, v) in &now {
        match was.get(view) {
            None => d.push(Entry::ViewAdded {
                union: union.clone(),
                scope: scope.clone(),
                view: view.to_string(),
                variant: format!("{}::{}", new.rust_name, v.rust_name),
                names: sorted(v.names.clone()),
            }),
            Some(a) if a.rust_name != v.rust_name => d.push(Entry::ViewVariantRenamed {
                union: union.clone(),
                scope: scope.clone(),
                old: a.rust_name.clone(),
                new: v.rust_name.clone(),
            }),
            _ => {}
        }
    }
    if old.property != new.property {
        d.push(Entry::ViewPropertyChanged {
            union: union.clone(),
            scope: scope.clone(),
            old: old.property.clone(),
            new: new.property.clone(),
        });
    }
    let moves = rerouted(old_api, new_api, old, new);
    d.push_any(moves, |moves| Entry::EventTypesRerouted {
        union,
        scope: scope.clone(),
        moves,
    });
    diff_accessors(d, &scope, old, new);
}

/// Names in both specs that now decode as another view: name, old view, new view.
fn rerouted(old_api: &Api, new_api: &Api, old: &UnionDef, new: &UnionDef) -> Vec<Rename> {
    let route = |u: &UnionDef| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for v in &u.variants {
            for n in &v.names {
                out.entry(n.clone()).or_insert_with(|| v.type_key.clone());
            }
        }
        out
    };
    let fallback = |u: &UnionDef| u.variants[u.fallback].type_key.clone();
    let (old_route, new_route) = (route(old), route(new));
    let old_names = enum_values(&old_api.types, &old.names_enum);
    let new_names = enum_values(&new_api.types, &new.names_enum);
    old_names
        .keys()
        .filter(|n| new_names.contains_key(*n))
        .filter_map(|n| {
            let a = old_route.get(n).cloned().unwrap_or_else(|| fallback(old));
            let b = new_route.get(n).cloned().unwrap_or_else(|| fallback(new));
            (a != b).then(|| Rename::new(n, a, b))
        })
        .collect()
}

/// The common accessors a union gets (decided in lowering): removed, retyped and added. Each
/// returns its type as an `Option` (a non-conforming event may lack any field).
fn diff_accessors(d: &mut Diff, scope: &str, old: &UnionDef, new: &UnionDef) {
    let accessors = |u: &UnionDef| -> BTreeMap<String, TypeRef> {
        u.accessors
            .iter()
            .map(|a| (a.rust_name.clone(), a.ty.clone()))
            .collect()
    };
    let (a, b) = (accessors(old), accessors(new));
    let scope = scope.to_string();
    for (name, sig) in &a {
        match b.get(name) {
            None => d.push(Entry::AccessorRemoved {
                scope: scope.clone(),
                accessor: format!("{}::{name}", old.rust_name),
            }),
            Some(now) if now != sig => d.push(Entry::AccessorRetyped {
                scope: scope.clone(),
                accessor: format!("{}::{name}", new.rust_name),
                old: ty(sig),
                new: ty(now),
            }),
            _ => {}
        }
    }
    for (name, sig) in &b {
        if !a.contains_key(name) {
            d.push(Entry::AccessorAdded {
                scope: scope.clone(),
                accessor: format!("{}::{name}", new.rust_name),
                ty: ty(sig),
            });
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// Lists of at most this many names are printed inline; longer ones in a `<details>` block.
const INLINE_ITEMS: usize = 6;

impl Changelog {
    /// The Markdown report. `crate_version` is `crate_version` of `spec/generator.toml`.
    pub fn to_markdown(&self, crate_version: &str) -> String {
        let mut out = String::new();
        let sha = |s: &Option<String>| s.as_deref().unwrap_or("unknown").to_string();
        let _ = writeln!(out, "## Atlas spec update: `mongodb-atlas-events`\n");
        let _ = writeln!(
            out,
            "Upstream build (`info.x-xgen-sha`): `{}` -> `{}`.\n",
            sha(&self.old_sha),
            sha(&self.new_sha)
        );
        let next = self
            .verdict
            .next_version(crate_version)
            .unwrap_or_else(|| "?".to_string());
        let count = |impact| self.entries.iter().filter(|e| e.impact() == impact).count();
        let _ = writeln!(
            out,
            "{} breaking, {} additive, {} patch-level changes.\n",
            count(Impact::Major),
            count(Impact::Minor),
            count(Impact::Patch)
        );
        let mut section = None;
        for (index, entry) in self.entries.iter().enumerate() {
            if section != Some(entry.section()) {
                section = Some(entry.section());
                let _ = writeln!(out, "### {}\n", entry.section().title());
            }
            write_entry(&mut out, entry);
            if self
                .entries
                .get(index + 1)
                .is_none_or(|next| next.section() != entry.section())
            {
                out.push('\n');
            }
        }
        if self.entries.is_empty() {
            let _ = writeln!(out, "No change to the generated API.\n");
        }
        let _ = writeln!(
            out,
            "**Semver: {}** (`crate_version` {crate_version} -> {next}; exit code {}).",
            self.verdict.as_str(),
            self.verdict.exit_code()
        );
        out
    }
}

/// One list item: the impact, the text, and the entry's items inline or in a `<details>`
/// block.
fn write_entry(out: &mut String, entry: &Entry) {
    let _ = write!(out, "- {}: {entry}", entry.impact().label());
    let items = entry.items();
    if items.is_empty() {
        out.push('\n');
    } else if items.len() <= INLINE_ITEMS {
        let _ = writeln!(out, " {}", code_list(&items));
    } else {
        let _ = writeln!(
            out,
            "\n  <details><summary>{} names</summary>\n",
            items.len()
        );
        for item in &items {
            let _ = writeln!(out, "  - `{item}`");
        }
        let _ = writeln!(out, "\n  </details>");
    }
}
