//! The entries of a report as data, with their [`Impact`] and the [`Section`] they go in.

use std::collections::BTreeSet;

use super::Impact;
use super::names::{
    Constraint, Endpoint, EnumName, FieldType, LabelMethod, ParamId, Relabel, Rename, TypeKind,
};
use crate::model::{Category, Example};

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
    Examples,
    Other,
}

/// One change, as data: what changed and the names involved (operation ids, type keys, wire
/// names, Rust names, types rendered as the report prints them). [`Entry::impact`] rates it
/// (see the rules in the module docs), [`Entry::section`] files it, and its `Display` (with
/// [`Entry::items`]) is the report's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Operation(OperationChange),
    Param(ParamChange),
    Enum(EnumChange),
    Label(LabelChange),
    Type(TypeChange),
    Field(FieldChange),
    View(ViewChange),
    Example(ExampleChange),
    /// Descriptions, summaries or other documentation changed, nothing else.
    DocumentationOnly,
}

impl Entry {
    /// How much the change affects users: the rules of the module docs, one arm per change in
    /// each subject's `impact`.
    pub fn impact(&self) -> Impact {
        match self {
            Entry::Operation(change) => change.impact(),
            Entry::Param(change) => change.impact(),
            Entry::Enum(change) => change.impact(),
            Entry::Label(change) => change.impact(),
            Entry::Type(change) => change.impact(),
            Entry::Field(change) => change.impact(),
            Entry::View(change) => change.impact(),
            Entry::Example(change) => change.impact(),
            Entry::DocumentationOnly => Impact::Patch,
        }
    }

    /// The part of the report the entry is printed in.
    pub fn section(&self) -> Section {
        match self {
            Entry::Operation(OperationChange::MediaTypeChanged { .. }) => Section::MediaTypes,
            Entry::Operation(_) => Section::Operations,
            Entry::Param(_) => Section::Parameters,
            Entry::Enum(change) => change.section(),
            Entry::Label(change) => enum_section(change.enum_name()),
            Entry::Type(change) => change.kind().section(),
            Entry::Field(_) => Section::Schemas,
            Entry::View(_) => Section::EventViews,
            Entry::Example(_) => Section::Examples,
            Entry::DocumentationOnly => Section::Other,
        }
    }
}

/// Where the entries about an enum's values and labels go: under Event types for the event
/// type enums, under Other enums otherwise.
fn enum_section(enum_name: &EnumName) -> Section {
    if enum_name.event_types {
        Section::EventTypes
    } else {
        Section::Enums
    }
}

impl OperationChange {
    fn impact(&self) -> Impact {
        use OperationChange::*;
        match self {
            PathChanged { old, new, .. } if path_params(old) == path_params(new) => Impact::Minor,
            Removed { .. }
            | Renamed { .. }
            | HttpMethodChanged { .. }
            | PathChanged { .. }
            | MediaTypeChanged { .. }
            | ResponseRetyped { .. }
            | PagingRemoved { .. }
            | PageItemsRetyped { .. } => Impact::Major,
            Added { .. } | PagingAdded { .. } => Impact::Minor,
            DeprecationChanged { .. } | ErrorStatusesChanged { .. } => Impact::Patch,
        }
    }
}

impl ParamChange {
    fn impact(&self) -> Impact {
        use ParamChange::*;
        match self {
            Added { required: true, .. } => Impact::Major,
            Added {
                required: false, ..
            } => Impact::Minor,
            Removed { .. }
            | Retyped { .. }
            | RequirednessChanged { .. }
            | RenamedInRust { .. }
            | ConstraintTightened { .. }
            | ArgumentsReordered { .. } => Impact::Major,
            DefaultChanged { .. } | ConstraintLoosened { .. } => Impact::Patch,
        }
    }
}

impl EnumChange {
    fn impact(&self) -> Impact {
        use EnumChange::*;
        match self {
            EventTypesRemoved { .. } | ValuesRemoved { .. } | VariantsRenamed { .. } => {
                Impact::Major
            }
            EventTypesAdded { .. } | ValuesAdded { .. } => Impact::Minor,
        }
    }

    /// Event type names are filed by scope under Event types; other enums by [`enum_section`].
    fn section(&self) -> Section {
        use EnumChange::*;
        match self {
            EventTypesAdded { .. } | EventTypesRemoved { .. } => Section::EventTypes,
            ValuesAdded { enum_name, .. }
            | ValuesRemoved { enum_name, .. }
            | VariantsRenamed { enum_name, .. } => enum_section(enum_name),
        }
    }
}

impl LabelChange {
    fn impact(&self) -> Impact {
        use LabelChange::*;
        match self {
            Removed { .. }
            | ChangedMeaning { .. }
            | KindsRemoved { .. }
            | CategoriesRemoved { .. }
            | CategorySlugsChanged { .. } => Impact::Major,
            Added { .. } | KindsAdded { .. } | CategoriesAdded { .. } => Impact::Minor,
            ValuesRelabeled { .. } | CategoryTitlesChanged { .. } => Impact::Patch,
        }
    }

    fn enum_name(&self) -> &EnumName {
        use LabelChange::*;
        match self {
            Added { enum_name, .. }
            | Removed { enum_name, .. }
            | ChangedMeaning { enum_name, .. }
            | KindsAdded { enum_name, .. }
            | KindsRemoved { enum_name, .. }
            | ValuesRelabeled { enum_name, .. }
            | CategoriesAdded { enum_name, .. }
            | CategoriesRemoved { enum_name, .. }
            | CategorySlugsChanged { enum_name, .. }
            | CategoryTitlesChanged { enum_name, .. } => enum_name,
        }
    }
}

impl TypeChange {
    fn impact(&self) -> Impact {
        use TypeChange::*;
        match self {
            Added { .. } => Impact::Minor,
            Removed { .. } | RenamedInRust { .. } | KindChanged { .. } => Impact::Major,
        }
    }

    /// The type's kind (in the new model when it has one), which decides the section.
    fn kind(&self) -> TypeKind {
        use TypeChange::*;
        match self {
            Added { kind, .. } | Removed { kind, .. } | RenamedInRust { kind, .. } => *kind,
            KindChanged { new, .. } => *new,
        }
    }
}

impl FieldChange {
    fn impact(&self) -> Impact {
        use FieldChange::*;
        match self {
            Removed { .. }
            | Retyped { .. }
            | RenamedInRust { .. }
            | PatternRemoved { .. }
            | BoxingChanged { .. } => Impact::Major,
            Added { .. } | PatternAdded { .. } => Impact::Minor,
            NullHandlingChanged { .. } | PatternChanged { .. } => Impact::Patch,
        }
    }
}

impl ViewChange {
    fn impact(&self) -> Impact {
        use ViewChange::*;
        match self {
            Removed { .. }
            | VariantRenamed { .. }
            | PropertyChanged { .. }
            | EventTypesRerouted { .. }
            | AccessorRemoved { .. }
            | AccessorRetyped { .. }
            | NonConformingFieldRemoved { .. }
            | NonConformingFieldRetyped { .. } => Impact::Major,
            Added { .. } | AccessorAdded { .. } | NonConformingFieldAdded { .. } => Impact::Minor,
        }
    }
}

impl ExampleChange {
    /// `Client::follow_organization` is API; the examples are only files and README code.
    fn impact(&self) -> Impact {
        use ExampleChange::*;
        match self {
            Removed {
                example: Example::OrganizationFollow,
            } => Impact::Major,
            Added {
                example: Example::OrganizationFollow,
            } => Impact::Minor,
            Added {
                example: Example::EventLists,
            }
            | Removed {
                example: Example::EventLists,
            } => Impact::Patch,
        }
    }
}

/// The names of the `{...}` segments of a path.
pub(super) fn path_params(path: &str) -> BTreeSet<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// An operation: its client method, endpoint, media type, response and documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationChange {
    /// A new operation (not a rename): a new client method.
    Added {
        operation: String,
        endpoint: Endpoint,
        method: String,
    },
    /// An operation gone (not a rename): its client method goes.
    Removed {
        operation: String,
        endpoint: Endpoint,
        method: String,
    },
    /// Same HTTP method and path under a new `operationId`: the client method and builder are
    /// renamed.
    Renamed {
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
}

/// An operation's parameters: the client method's arguments and setters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamChange {
    /// A parameter added: a new argument when required (major), a new setter when optional.
    Added {
        param: ParamId,
        ty: String,
        required: bool,
    },
    Removed {
        param: ParamId,
    },
    Retyped {
        param: ParamId,
        old: String,
        new: String,
    },
    /// A setter became an argument (`required`) or the other way round.
    RequirednessChanged {
        param: ParamId,
        required: bool,
    },
    RenamedInRust {
        param: ParamId,
        old: String,
        new: String,
    },
    /// The default, as JSON text (`None`: no default).
    DefaultChanged {
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
}

/// An enum's values: event type names per scope, other enums' wire values and variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumChange {
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
    ValuesAdded {
        enum_name: EnumName,
        values: Vec<String>,
    },
    ValuesRemoved {
        enum_name: EnumName,
        values: Vec<String>,
    },
    /// Values whose Rust variant changed name (`name` is the wire value).
    VariantsRenamed {
        enum_name: EnumName,
        renames: Vec<Rename>,
    },
}

/// The labels of an enum's values: `category()` or `kind()`, and the kind or category enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelChange {
    /// The values now carry labels: a new method.
    Added {
        enum_name: EnumName,
        method: LabelMethod,
    },
    Removed {
        enum_name: EnumName,
        method: LabelMethod,
    },
    /// Category <-> kind, or the category or kind enum renamed.
    ChangedMeaning {
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
}

/// A type key of the model: a schema, an enum or a union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeChange {
    /// A type key new in the model, with `members` fields, values or views.
    Added {
        key: String,
        kind: TypeKind,
        rust: String,
        members: usize,
    },
    Removed {
        key: String,
        kind: TypeKind,
        rust: String,
    },
    /// The Rust name of a type (`kind` in the new model).
    RenamedInRust {
        key: String,
        kind: TypeKind,
        old: String,
        new: String,
    },
    KindChanged {
        key: String,
        old: TypeKind,
        new: TypeKind,
    },
}

/// A schema's fields and their pattern constants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldChange {
    /// A field (by wire name) added to the schema with type key `schema`. Minor even when
    /// required: see the rules in the module docs.
    Added {
        schema: String,
        field: String,
        ty: FieldType,
    },
    Removed {
        schema: String,
        field: String,
        ty: FieldType,
    },
    /// Another type or `Option`-ness in Rust.
    Retyped {
        schema: String,
        field: String,
        old: FieldType,
        new: FieldType,
    },
    /// Requiredness (`required`) or nullability (`nullable`) changed (`None`: did not), the
    /// Rust type `ty` did not.
    NullHandlingChanged {
        schema: String,
        field: String,
        required: Option<bool>,
        nullable: Option<bool>,
        ty: FieldType,
    },
    RenamedInRust {
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
    /// The field is now stored as `Box<T>` (`boxed`), or no longer: its type now reaches the
    /// struct itself, or no longer does. `ty` is the type in the new model.
    BoxingChanged {
        schema: String,
        field: String,
        boxed: bool,
        ty: FieldType,
    },
}

/// A union's views (the event variants), the routing of event types to them, and its common accessors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewChange {
    /// A view (type key `view`) of the union with type key `union` in one scope, as its
    /// `variant` (`Union::Variant`), for the event type `names`.
    Added {
        union: String,
        scope: String,
        view: String,
        variant: String,
        names: Vec<String>,
    },
    Removed {
        union: String,
        scope: String,
        view: String,
        variant: String,
    },
    /// A view's variant renamed (Rust names).
    VariantRenamed {
        union: String,
        scope: String,
        old: String,
        new: String,
    },
    /// The property that selects the view.
    PropertyChanged {
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
    /// A typed field (`Struct::field`, from the wire name `wire`) of a union's non-conforming
    /// struct, `Option` of `ty`: every view now lists it with one type.
    NonConformingFieldAdded {
        scope: String,
        field: String,
        wire: String,
        ty: String,
    },
    /// The views no longer agree on the field: a non-conforming event keeps it in `extra`.
    NonConformingFieldRemoved {
        scope: String,
        field: String,
        wire: String,
    },
    NonConformingFieldRetyped {
        scope: String,
        field: String,
        old: String,
        new: String,
    },
}

/// The hand-written code a crate gets when it has the operations that code calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleChange {
    /// The subset now has every operation the code calls.
    Added { example: Example },
    /// The subset no longer has every operation the code calls (or one is no longer paged).
    Removed { example: Example },
}
