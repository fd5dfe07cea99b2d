//! The report's text: how each [`Entry`] is worded, and the Markdown of a [`Changelog`].

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use super::entry::path_params;
use super::{
    Changelog, Entry, EnumChange, ExampleChange, FieldChange, Impact, LabelChange, LabelMethod,
    OperationChange, ParamChange, Section, TypeChange, ViewChange,
};
use crate::model::Category;

impl Impact {
    fn label(self) -> &'static str {
        match self {
            Impact::Patch => "patch",
            Impact::Minor => "additive",
            Impact::Major => "**breaking**",
        }
    }
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
            Section::Examples => "Examples and hand-written API",
            Section::Other => "Other",
        }
    }
}

impl Entry {
    /// The names the entry lists after its text (event types, enum values, categories...),
    /// each printed as code.
    pub fn items(&self) -> Vec<String> {
        match self {
            Entry::Enum(change) => change.items(),
            Entry::Label(change) => change.items(),
            Entry::View(change) => change.items(),
            Entry::Operation(_)
            | Entry::Param(_)
            | Entry::Type(_)
            | Entry::Field(_)
            | Entry::Example(_)
            | Entry::DocumentationOnly => Vec::new(),
        }
    }
}

fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(T::to_string).collect()
}

/// `Enum::name` for each name.
fn qualified<T: fmt::Display>(enum_name: &str, names: &[T]) -> Vec<String> {
    names.iter().map(|n| format!("{enum_name}::{n}")).collect()
}

impl EnumChange {
    /// The event type names or wire values, or the renamed variants.
    fn items(&self) -> Vec<String> {
        use EnumChange::*;
        match self {
            EventTypesAdded { names, .. }
            | EventTypesRemoved { names, .. }
            | ValuesAdded { values: names, .. }
            | ValuesRemoved { values: names, .. } => names.clone(),
            VariantsRenamed { renames, .. } => strings(renames),
        }
    }
}

impl LabelChange {
    /// The values relabeled, or the variants of the kind or category enum.
    fn items(&self) -> Vec<String> {
        use LabelChange::*;
        let categories = |enum_name: &str, categories: &[Category]| -> Vec<String> {
            let describe =
                |c: &Category| format!("{enum_name}::{} ({}: {})", c.rust_name, c.slug, c.title);
            categories.iter().map(describe).collect()
        };
        match self {
            Added { .. } | Removed { .. } | ChangedMeaning { .. } => Vec::new(),
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
            } => qualified(category_enum, changes),
        }
    }
}

impl ViewChange {
    /// The event types of a new view, or those that now decode as another view.
    fn items(&self) -> Vec<String> {
        use ViewChange::*;
        match self {
            Added { names, .. } => names.clone(),
            EventTypesRerouted { moves, .. } => strings(moves),
            Removed { .. }
            | VariantRenamed { .. }
            | PropertyChanged { .. }
            | AccessorAdded { .. }
            | AccessorRemoved { .. }
            | AccessorRetyped { .. }
            | NonConformingFieldAdded { .. }
            | NonConformingFieldRemoved { .. }
            | NonConformingFieldRetyped { .. } => Vec::new(),
        }
    }
}

/// The report's text for an entry (without its [`Entry::items`]): the one place that words
/// each kind of change.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Operation(change) => change.fmt(f),
            Entry::Param(change) => change.fmt(f),
            Entry::Enum(change) => change.fmt(f),
            Entry::Label(change) => change.fmt(f),
            Entry::Type(change) => change.fmt(f),
            Entry::Field(change) => change.fmt(f),
            Entry::View(change) => change.fmt(f),
            Entry::Example(change) => change.fmt(f),
            Entry::DocumentationOnly => f.write_str(
                "Descriptions, summaries or other documentation changed; no signature did.",
            ),
        }
    }
}

impl fmt::Display for OperationChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use OperationChange::*;
        match self {
            Added {
                operation,
                endpoint,
                method,
            } => write!(
                f,
                "Added `{operation}` ({endpoint}): client method `{method}`."
            ),
            Removed {
                operation,
                endpoint,
                method,
            } => write!(
                f,
                "Removed `{operation}` ({endpoint}): client method `{method}`."
            ),
            Renamed {
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
            } => write!(
                f,
                "`{operation}`: path `{old}` -> `{new}`: {}",
                path_consequence(method, old, new)
            ),
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
        }
    }
}

impl fmt::Display for ParamChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParamChange::*;
        match self {
            Added {
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
            Removed { param } => {
                let (id, location, wire) = (&param.operation, param.location(), &param.wire);
                write!(f, "`{id}`: removed {location} parameter `{wire}`.")
            }
            Retyped { param, old, new } => write!(f, "{param}: type `{old}` -> `{new}`."),
            RequirednessChanged { param, required } => {
                let what = if *required {
                    "now required (a setter becomes an argument)"
                } else {
                    "now optional (an argument becomes a setter)"
                };
                write!(f, "{param}: {what}.")
            }
            RenamedInRust { param, old, new } => {
                write!(f, "{param}: Rust name `{old}` -> `{new}`.")
            }
            DefaultChanged { param, old, new } => write!(
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
        }
    }
}

impl fmt::Display for EnumChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use EnumChange::*;
        match self {
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
            ValuesAdded { enum_name, values } => {
                write!(f, "{enum_name}: {} added.", count_values(values.len()))
            }
            ValuesRemoved { enum_name, values } => {
                write!(f, "{enum_name}: {} removed.", count_values(values.len()))
            }
            VariantsRenamed { enum_name, renames } => {
                write!(f, "{enum_name}: {} variants renamed.", renames.len())
            }
        }
    }
}

impl fmt::Display for LabelChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LabelChange::*;
        match self {
            Added { enum_name, method } => {
                write!(f, "{enum_name}: values now carry labels: {method} added.")
            }
            Removed { enum_name, method } => write!(
                f,
                "{enum_name}: values no longer carry labels: {method} removed."
            ),
            ChangedMeaning {
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
        }
    }
}

impl fmt::Display for TypeChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TypeChange::*;
        match self {
            Added {
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
            Removed { key, kind, rust } => {
                write!(f, "Removed {} `{key}` (`{rust}`).", kind.name())
            }
            RenamedInRust { key, old, new, .. } => {
                write!(f, "`{key}`: Rust name `{old}` -> `{new}`.")
            }
            KindChanged { key, old, new } => {
                write!(f, "`{key}`: {} -> {}.", old.name(), new.name())
            }
        }
    }
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FieldChange::*;
        match self {
            Added { schema, field, ty } => {
                let decoding = if ty.optional {
                    ""
                } else {
                    ", required: events without it now decode as non-conforming"
                };
                write!(f, "`{schema}`: added field `{field}` ({ty}{decoding}).")
            }
            Removed { schema, field, ty } => {
                write!(f, "`{schema}`: removed field `{field}` ({ty}).")
            }
            Retyped {
                schema,
                field,
                old,
                new,
            } => write!(f, "`{schema}`: field `{field}` retyped `{old}` -> `{new}`."),
            NullHandlingChanged {
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
            RenamedInRust {
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
            BoxingChanged {
                schema,
                field,
                boxed: true,
                ty,
            } => write!(
                f,
                "`{schema}`: field `{field}` (`{ty}`) is now boxed: its type now contains \
                 `{schema}`."
            ),
            BoxingChanged {
                schema,
                field,
                boxed: false,
                ty,
            } => write!(
                f,
                "`{schema}`: field `{field}` (`{ty}`) is no longer boxed: its type no longer \
                 contains `{schema}`."
            ),
        }
    }
}

impl fmt::Display for ViewChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ViewChange::*;
        match self {
            Added {
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
            Removed {
                union,
                scope,
                view,
                variant,
            } => write!(
                f,
                "`{union}` ({scope}): removed view `{view}` (variant `{variant}`)."
            ),
            VariantRenamed {
                union,
                scope,
                old,
                new,
            } => write!(f, "`{union}` ({scope}): variant `{old}` -> `{new}`."),
            PropertyChanged {
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
            NonConformingFieldAdded {
                scope,
                field,
                wire,
                ty,
            } => write!(
                f,
                "`{field}` ({scope}): typed field added (`optional {ty}`): every view lists \
                 `{wire}` with that type, so a non-conforming event no longer keeps it in \
                 `extra` when it has it."
            ),
            NonConformingFieldRemoved { scope, field, wire } => write!(
                f,
                "`{field}` ({scope}): typed field removed: the views no longer agree on \
                 `{wire}`, so a non-conforming event keeps it in `extra`."
            ),
            NonConformingFieldRetyped {
                scope,
                field,
                old,
                new,
            } => write!(
                f,
                "`{field}` ({scope}): typed field `optional {old}` -> `optional {new}`."
            ),
        }
    }
}

impl fmt::Display for ExampleChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExampleChange::Added { example } => write!(
                f,
                "The crate now gets {}: the subset has every operation it calls.",
                example.label()
            ),
            ExampleChange::Removed { example } => write!(
                f,
                "The crate no longer gets {}: the subset lacks an operation it calls (or \
                 one of them no longer pages).",
                example.label()
            ),
        }
    }
}

/// What a changed path means for the client method `method`: only the wire when its path
/// parameters stay, its arguments when they change.
fn path_consequence(method: &str, old: &str, new: &str) -> String {
    let (was, now) = (path_params(old), path_params(new));
    if was == now {
        format!(
            "same path parameters, so `{method}` and its arguments do not change, but requests \
             now go to the new path (mocks, proxies or allow-lists keyed on the old one no \
             longer match)."
        )
    } else {
        format!(
            "path parameters {} -> {}, so the arguments of `{method}` change (see Parameters).",
            braces(&was),
            braces(&now)
        )
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
