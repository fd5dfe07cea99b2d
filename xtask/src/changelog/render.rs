//! The report's text: how each [`Entry`] is worded, and the Markdown of a [`Changelog`].

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use super::entry::path_params;
use super::{Changelog, Entry, Impact, LabelMethod, Section};
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
            Section::Other => "Other",
        }
    }
}

impl Entry {
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
