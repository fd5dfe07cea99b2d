//! The entries of a report as data, with their [`Impact`] and the [`Section`] they go in.

use std::collections::BTreeSet;

use super::Impact;
use super::names::{
    Constraint, Endpoint, EnumName, FieldType, LabelMethod, ParamId, Relabel, Rename, TypeKind,
};
use crate::model::Category;

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
}

/// The names of the `{...}` segments of a path.
pub(super) fn path_params(path: &str) -> BTreeSet<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}
