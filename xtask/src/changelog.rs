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
//! Each entry carries an [`Impact`]; the report's [`Verdict`] is the highest one.
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
//!   with `Unknown(String)`, so old code keeps compiling and the value used to decode as
//!   `Unknown`), an event view (unions are `#[non_exhaustive]`), a common accessor, paging added,
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
use std::fmt::Write as _;

use crate::model::{
    Api, Category, Constraints, EnumDef, Field, LabelKind, Operation, Param, ParamLocation,
    StructDef, TypeDef, TypeRef, UnionDef,
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

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub section: Section,
    pub impact: Impact,
    pub text: String,
    /// Names the entry lists (event types, enum values), sorted.
    pub items: Vec<String>,
}

/// Event type names added and removed in one scope (the `names` enum of a union).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeChange {
    /// `project` or `organization` (or the enum's name for other unions).
    pub scope: String,
    /// The spec name of the enum (`EventTypeForNdsGroup`).
    pub names_enum: String,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// The changes between two models.
#[derive(Debug, Clone)]
pub struct Changelog {
    pub old_sha: Option<String>,
    pub new_sha: Option<String>,
    pub entries: Vec<Entry>,
    pub event_types: Vec<ScopeChange>,
    /// Operations (ids in the new spec) that exist only in the new model.
    pub added_operations: Vec<String>,
    pub removed_operations: Vec<String>,
    /// `(old id, new id)`.
    pub renamed_operations: Vec<(String, String)>,
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

fn kind(t: &TypeDef) -> &'static str {
    match t {
        TypeDef::Struct(_) => "schema",
        TypeDef::Enum(_) => "enum",
        TypeDef::Union(_) => "union",
    }
}

struct Diff {
    entries: Vec<Entry>,
}

impl Diff {
    fn push(&mut self, section: Section, impact: Impact, text: String) {
        self.push_items(section, impact, text, Vec::new());
    }

    fn push_items(&mut self, section: Section, impact: Impact, text: String, items: Vec<String>) {
        self.entries.push(Entry {
            section,
            impact,
            text,
            items,
        });
    }
}

/// Compares two models. `old` is the model of the spec the crate was generated from.
pub fn diff(old: &Api, new: &Api) -> Changelog {
    let mut d = Diff {
        entries: Vec::new(),
    };
    let (added_operations, removed_operations, renamed_operations) =
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
    let event_types = diff_event_types(&mut d, old, new, &names_enums);
    diff_types(&mut d, old, new, &names_enums);

    let mut verdict = d
        .entries
        .iter()
        .map(|e| match e.impact {
            Impact::Patch => Verdict::Patch,
            Impact::Minor => Verdict::Minor,
            Impact::Major => Verdict::Major,
        })
        .max()
        .unwrap_or(Verdict::None);
    if verdict == Verdict::None && without_info(old) != without_info(new) {
        d.push(
            Section::Other,
            Impact::Patch,
            "Descriptions, summaries or other documentation changed; no signature did.".into(),
        );
        verdict = Verdict::Patch;
    }
    d.entries.sort_by_key(|e| e.section);
    Changelog {
        old_sha: old.info.upstream_sha.clone(),
        new_sha: new.info.upstream_sha.clone(),
        entries: d.entries,
        event_types,
        added_operations,
        removed_operations,
        renamed_operations,
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

type OperationChanges = (Vec<String>, Vec<String>, Vec<(String, String)>);

fn endpoint(op: &Operation) -> String {
    format!("`{} {}`", op.http_method, op.path)
}

fn diff_operations(d: &mut Diff, old: &Api, new: &Api) -> OperationChanges {
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
    let mut removed = Vec::new();
    let mut renamed = Vec::new();
    let mut renamed_to = BTreeSet::new();
    for (id, op) in &old_by_id {
        if let Some(now) = new_by_id.get(id) {
            pairs.push((op, now));
        } else if let Some(now) = new_by_endpoint.get(&key(op)) {
            d.push(
                Section::Operations,
                Impact::Major,
                format!(
                    "Renamed `{}` -> `{}` ({}): client method `{}` -> `{}`, builder `{}` -> `{}`.",
                    op.id,
                    now.id,
                    endpoint(op),
                    op.method_name,
                    now.method_name,
                    op.builder_name,
                    now.builder_name
                ),
            );
            renamed.push((op.id.clone(), now.id.clone()));
            renamed_to.insert(now.id.as_str());
            pairs.push((op, now));
        } else {
            d.push(
                Section::Operations,
                Impact::Major,
                format!(
                    "Removed `{}` ({}): client method `{}`.",
                    op.id,
                    endpoint(op),
                    op.method_name
                ),
            );
            removed.push(op.id.clone());
        }
    }
    let mut added = Vec::new();
    for (id, op) in &new_by_id {
        if old_by_id.contains_key(id) || renamed_to.contains(id) {
            continue;
        }
        d.push(
            Section::Operations,
            Impact::Minor,
            format!(
                "Added `{}` ({}): client method `{}`.",
                op.id,
                endpoint(op),
                op.method_name
            ),
        );
        added.push(op.id.clone());
    }
    for (old_op, new_op) in pairs {
        diff_operation(d, old_op, new_op);
    }
    (added, removed, renamed)
}

/// The names of the `{...}` segments of a path.
fn path_params(path: &str) -> BTreeSet<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

fn diff_operation(d: &mut Diff, old: &Operation, new: &Operation) {
    diff_endpoint(d, old, new);
    diff_response(d, old, new);
    diff_params(d, old, new);
    diff_argument_order(d, old, new);
}

/// The HTTP method, the path and the `Accept` media type of one operation.
fn diff_endpoint(d: &mut Diff, old: &Operation, new: &Operation) {
    let id = &new.id;
    // Same `operationId`, another endpoint (a rename keeps the endpoint by construction).
    if old.http_method != new.http_method {
        d.push(
            Section::Operations,
            Impact::Major,
            format!(
                "`{id}`: HTTP method {} -> {}: another HTTP operation under the same id, which \
                 the generated client (it sends every request as `GET`) cannot follow.",
                endpoint(old),
                endpoint(new)
            ),
        );
    }
    if old.path != new.path {
        let (was, now) = (path_params(&old.path), path_params(&new.path));
        let (impact, how) = if was == now {
            (
                Impact::Minor,
                format!(
                    "same path parameters, so `{}` and its arguments do not change, but requests \
                     now go to the new path (mocks, proxies or allow-lists keyed on the old one \
                     no longer match)",
                    new.method_name
                ),
            )
        } else {
            (
                Impact::Major,
                format!(
                    "path parameters {} -> {}, so the arguments of `{}` change (see Parameters)",
                    braces(&was),
                    braces(&now),
                    new.method_name
                ),
            )
        };
        d.push(
            Section::Operations,
            impact,
            format!("`{id}`: path `{}` -> `{}`: {how}.", old.path, new.path),
        );
    }
    if old.accept != new.accept {
        d.push(
            Section::MediaTypes,
            Impact::Major,
            format!(
                "`{id}`: `Accept` `{}` -> `{}` (a new version of the resource).",
                old.accept, new.accept
            ),
        );
    }
}

/// What one operation answers: its response type, paging, deprecation and error statuses.
fn diff_response(d: &mut Diff, old: &Operation, new: &Operation) {
    let id = &new.id;
    if old.response != new.response {
        d.push(
            Section::Operations,
            Impact::Major,
            format!(
                "`{id}`: response `{}` -> `{}`.",
                ty(&old.response),
                ty(&new.response)
            ),
        );
    }
    match (&old.paging, &new.paging) {
        (None, Some(_)) => d.push(
            Section::Operations,
            Impact::Minor,
            format!("`{id}`: now paged (`.stream()`)."),
        ),
        (Some(_), None) => d.push(
            Section::Operations,
            Impact::Major,
            format!("`{id}`: no longer paged (`.stream()` removed)."),
        ),
        (Some(a), Some(b)) if a != b => d.push(
            Section::Operations,
            Impact::Major,
            format!("`{id}`: page items `{}` -> `{}`.", ty(&a.item), ty(&b.item)),
        ),
        _ => {}
    }
    if old.deprecated != new.deprecated {
        let what = if new.deprecated {
            "now deprecated"
        } else {
            "no longer deprecated"
        };
        d.push(
            Section::Operations,
            Impact::Patch,
            format!("`{id}`: {what}."),
        );
    }
    if old.error_statuses != new.error_statuses {
        d.push(
            Section::Operations,
            Impact::Patch,
            format!(
                "`{id}`: documented error statuses {:?} -> {:?}.",
                old.error_statuses, new.error_statuses
            ),
        );
    }
}

/// A parameter's identity across versions: its location and wire name.
fn param_key(p: &Param) -> (&'static str, String) {
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
    };
    (location, p.wire_name.clone())
}

/// Parameters removed, added and changed (type, requiredness, Rust name, default, constraints).
fn diff_params(d: &mut Diff, old: &Operation, new: &Operation) {
    let id = &new.id;
    let old_params: BTreeMap<_, &Param> = old.params.iter().map(|p| (param_key(p), p)).collect();
    let new_params: BTreeMap<_, &Param> = new.params.iter().map(|p| (param_key(p), p)).collect();
    for (location, wire) in old_params.keys() {
        if !new_params.contains_key(&(*location, wire.clone())) {
            d.push(
                Section::Parameters,
                Impact::Major,
                format!("`{id}`: removed {location} parameter `{wire}`."),
            );
        }
    }
    for ((location, wire), p) in &new_params {
        let Some(was) = old_params.get(&(*location, wire.clone())) else {
            let (impact, how) = if p.required {
                (Impact::Major, "required (a new argument)")
            } else {
                (Impact::Minor, "optional (a new setter)")
            };
            d.push(
                Section::Parameters,
                impact,
                format!(
                    "`{id}`: added {location} parameter `{wire}`: {}, {how}.",
                    ty(&p.ty)
                ),
            );
            continue;
        };
        let subject = format!("`{id}`: {location} parameter `{wire}`");
        if was.ty != p.ty {
            d.push(
                Section::Parameters,
                Impact::Major,
                format!("{subject}: type `{}` -> `{}`.", ty(&was.ty), ty(&p.ty)),
            );
        }
        if was.required != p.required {
            let what = if p.required {
                "now required (a setter becomes an argument)"
            } else {
                "now optional (an argument becomes a setter)"
            };
            d.push(
                Section::Parameters,
                Impact::Major,
                format!("{subject}: {what}."),
            );
        }
        if was.rust_name != p.rust_name {
            d.push(
                Section::Parameters,
                Impact::Major,
                format!(
                    "{subject}: Rust name `{}` -> `{}`.",
                    was.rust_name, p.rust_name
                ),
            );
        }
        if was.default != p.default {
            d.push(
                Section::Parameters,
                Impact::Patch,
                format!(
                    "{subject}: default {} -> {}.",
                    json_or_none(&was.default),
                    json_or_none(&p.default)
                ),
            );
        }
        diff_constraints(d, &subject, &was.constraints, &p.constraints);
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
    let id = &new.id;
    let (was, now) = (arguments(old, new), arguments(new, old));
    if !was
        .iter()
        .map(|p| param_key(p))
        .eq(now.iter().map(|p| param_key(p)))
    {
        let names = |params: &[&Param]| {
            let names: Vec<String> = params
                .iter()
                .map(|p| format!("`{}`", p.rust_name))
                .collect();
            names.join(", ")
        };
        d.push(
            Section::Parameters,
            Impact::Major,
            format!(
                "`{id}`: arguments of `{}` reordered ({} -> {}): calls whose argument types \
                 agree still compile and send each value as another parameter.",
                new.method_name,
                names(&was),
                names(&now)
            ),
        );
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

fn json_or_none(v: &Option<serde_json::Value>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), |v| format!("`{v}`"))
}

fn diff_constraints(d: &mut Diff, subject: &str, old: &Constraints, new: &Constraints) {
    fn show<T: std::fmt::Debug>(v: &Option<T>) -> String {
        v.as_ref()
            .map_or_else(|| "none".to_string(), |v| format!("`{v:?}`"))
    }
    // Tightened: a value the client used to send is now rejected before sending.
    let checks: [(&str, bool, String, String); 4] = [
        (
            "pattern",
            new.pattern.is_some() && old.pattern != new.pattern,
            show(&old.pattern),
            show(&new.pattern),
        ),
        (
            "minimum",
            matches!((old.minimum, new.minimum), (None, Some(_)))
                || matches!((old.minimum, new.minimum), (Some(a), Some(b)) if b > a),
            show(&old.minimum),
            show(&new.minimum),
        ),
        (
            "maximum",
            matches!((old.maximum, new.maximum), (None, Some(_)))
                || matches!((old.maximum, new.maximum), (Some(a), Some(b)) if b < a),
            show(&old.maximum),
            show(&new.maximum),
        ),
        (
            "maxItems",
            matches!((old.max_items, new.max_items), (None, Some(_)))
                || matches!((old.max_items, new.max_items), (Some(a), Some(b)) if b < a),
            show(&old.max_items),
            show(&new.max_items),
        ),
    ];
    for (name, tightened, was, now) in checks {
        if was == now {
            continue;
        }
        let (impact, how) = if tightened {
            (Impact::Major, "tightened")
        } else {
            (Impact::Patch, "loosened")
        };
        d.push(
            Section::Parameters,
            impact,
            format!("{subject}: {name} {how}, {was} -> {now}."),
        );
    }
}

fn enum_values(types: &BTreeMap<String, TypeDef>, key: &str) -> BTreeSet<String> {
    match types.get(key) {
        Some(TypeDef::Enum(e)) => e.values.iter().map(|v| v.wire.clone()).collect(),
        _ => BTreeSet::new(),
    }
}

fn diff_event_types(
    d: &mut Diff,
    old: &Api,
    new: &Api,
    names_enums: &BTreeSet<&str>,
) -> Vec<ScopeChange> {
    let mut out = Vec::new();
    for names in names_enums {
        let was = enum_values(&old.types, names);
        let now = enum_values(&new.types, names);
        let scope = scope_name(&[new, old], names);
        let rust = new
            .types
            .get(*names)
            .or_else(|| old.types.get(*names))
            .map_or(*names, |t| t.rust_name());
        let added: Vec<String> = now.difference(&was).cloned().collect();
        let removed: Vec<String> = was.difference(&now).cloned().collect();
        if !added.is_empty() {
            d.push_items(
                Section::EventTypes,
                Impact::Minor,
                format!(
                    "{} {scope} event types added (`{names}`, `{rust}`).",
                    added.len()
                ),
                added.clone(),
            );
        }
        if !removed.is_empty() {
            d.push_items(
                Section::EventTypes,
                Impact::Major,
                format!(
                    "{} {scope} event types removed (`{names}`, `{rust}`): their variants go; \
                     such events now decode as `Unknown`.",
                    removed.len()
                ),
                removed.clone(),
            );
        }
        out.push(ScopeChange {
            scope,
            names_enum: names.to_string(),
            added,
            removed,
        });
    }
    out
}

fn diff_types(d: &mut Diff, old: &Api, new: &Api, names_enums: &BTreeSet<&str>) {
    for (key, was) in &old.types {
        match new.types.get(key) {
            None => {
                let section = section_of(was);
                d.push(
                    section,
                    Impact::Major,
                    format!("Removed {} `{key}` (`{}`).", kind(was), was.rust_name()),
                );
            }
            Some(now) => {
                if was.rust_name() != now.rust_name() {
                    d.push(
                        section_of(now),
                        Impact::Major,
                        format!(
                            "`{key}`: Rust name `{}` -> `{}`.",
                            was.rust_name(),
                            now.rust_name()
                        ),
                    );
                }
                match (was, now) {
                    (TypeDef::Struct(a), TypeDef::Struct(b)) => diff_struct(d, key, a, b),
                    (TypeDef::Enum(a), TypeDef::Enum(b)) => {
                        diff_enum(d, key, a, b, names_enums.contains(key.as_str()))
                    }
                    (TypeDef::Union(a), TypeDef::Union(b)) => diff_union(d, old, new, a, b),
                    _ => d.push(
                        section_of(now),
                        Impact::Major,
                        format!("`{key}`: {} -> {}.", kind(was), kind(now)),
                    ),
                }
            }
        }
    }
    for (key, now) in &new.types {
        if !old.types.contains_key(key) {
            let what = match now {
                TypeDef::Struct(s) => format!(" with {} fields", s.fields.len()),
                TypeDef::Enum(e) => format!(" with {} values", e.values.len()),
                TypeDef::Union(u) => format!(" with {} views", u.variants.len()),
            };
            d.push(
                section_of(now),
                Impact::Minor,
                format!("Added {} `{key}` (`{}`){what}.", kind(now), now.rust_name()),
            );
        }
    }
}

fn section_of(t: &TypeDef) -> Section {
    match t {
        TypeDef::Struct(_) => Section::Schemas,
        TypeDef::Enum(_) => Section::Enums,
        TypeDef::Union(_) => Section::EventViews,
    }
}

/// Field optionality as the emitted struct has it (decided in lowering).
fn is_option(f: &Field) -> bool {
    f.optional
}

fn field_type(f: &Field) -> String {
    if is_option(f) {
        format!("optional {}", ty(&f.ty))
    } else {
        ty(&f.ty)
    }
}

fn diff_struct(d: &mut Diff, key: &str, old: &StructDef, new: &StructDef) {
    let was: BTreeMap<&str, &Field> = old
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f))
        .collect();
    let now: BTreeMap<&str, &Field> = new
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f))
        .collect();
    for (wire, f) in &was {
        if !now.contains_key(wire) {
            d.push(
                Section::Schemas,
                Impact::Major,
                format!("`{key}`: removed field `{wire}` ({}).", field_type(f)),
            );
        }
    }
    for (wire, f) in &now {
        let Some(a) = was.get(wire) else {
            // Minor even when required: see the rules in the module docs.
            let decoding = if is_option(f) {
                ""
            } else {
                ", required: events without it now decode as non-conforming"
            };
            d.push(
                Section::Schemas,
                Impact::Minor,
                format!(
                    "`{key}`: added field `{wire}` ({}{decoding}).",
                    field_type(f)
                ),
            );
            continue;
        };
        if a.ty != f.ty || is_option(a) != is_option(f) {
            d.push(
                Section::Schemas,
                Impact::Major,
                format!(
                    "`{key}`: field `{wire}` retyped `{}` -> `{}`.",
                    field_type(a),
                    field_type(f)
                ),
            );
        } else if a.required != f.required || a.nullable != f.nullable {
            let mut what = Vec::new();
            if a.required != f.required {
                what.push(if f.required {
                    "now required"
                } else {
                    "now optional"
                });
            }
            if a.nullable != f.nullable {
                what.push(if f.nullable {
                    "now nullable"
                } else {
                    "no longer nullable"
                });
            }
            d.push(
                Section::Schemas,
                Impact::Patch,
                format!(
                    "`{key}`: field `{wire}` {} (still `{}`).",
                    what.join(", "),
                    field_type(f)
                ),
            );
        }
        if a.rust_name != f.rust_name {
            d.push(
                Section::Schemas,
                Impact::Major,
                format!(
                    "`{key}`: field `{wire}` Rust name `{}` -> `{}`.",
                    a.rust_name, f.rust_name
                ),
            );
        }
        // `emit::structs` writes `pub const <FIELD>_PATTERN` for each field with a pattern.
        // (A renamed field renames its constant too; the rename above is already major.)
        match (&a.pattern, &f.pattern) {
            (None, Some(_)) => d.push(
                Section::Schemas,
                Impact::Minor,
                format!(
                    "`{key}`: field `{wire}` has a pattern: constant `{}::{}` added.",
                    new.rust_name,
                    naming::pattern_const(&f.rust_name)
                ),
            ),
            (Some(_), None) => d.push(
                Section::Schemas,
                Impact::Major,
                format!(
                    "`{key}`: field `{wire}` has no pattern any more: constant `{}::{}` removed.",
                    old.rust_name,
                    naming::pattern_const(&a.rust_name)
                ),
            ),
            (Some(x), Some(y)) if x != y => d.push(
                Section::Schemas,
                Impact::Patch,
                format!(
                    "`{key}`: field `{wire}` pattern constant `{}::{}` changed value.",
                    new.rust_name,
                    naming::pattern_const(&f.rust_name)
                ),
            ),
            _ => {}
        }
    }
}

fn diff_enum(d: &mut Diff, key: &str, old: &EnumDef, new: &EnumDef, event_types: bool) {
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    // The event type enums are reported per scope in their own section.
    if !event_types {
        let added: Vec<String> = now
            .keys()
            .filter(|w| !was.contains_key(*w))
            .map(|w| w.to_string())
            .collect();
        let removed: Vec<String> = was
            .keys()
            .filter(|w| !now.contains_key(*w))
            .map(|w| w.to_string())
            .collect();
        if !added.is_empty() {
            d.push_items(
                Section::Enums,
                Impact::Minor,
                format!(
                    "`{key}` (`{}`): {} added.",
                    new.rust_name,
                    values(added.len())
                ),
                added,
            );
        }
        if !removed.is_empty() {
            d.push_items(
                Section::Enums,
                Impact::Major,
                format!(
                    "`{key}` (`{}`): {} removed.",
                    new.rust_name,
                    values(removed.len())
                ),
                removed,
            );
        }
    }
    let section = if event_types {
        Section::EventTypes
    } else {
        Section::Enums
    };
    let renamed: Vec<String> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            (a.rust_name != b.rust_name).then(|| format!("{w}: {} -> {}", a.rust_name, b.rust_name))
        })
        .collect();
    if !renamed.is_empty() {
        d.push_items(
            section,
            Impact::Major,
            format!(
                "`{key}` (`{}`): {} variants renamed.",
                new.rust_name,
                renamed.len()
            ),
            renamed,
        );
    }
    diff_labels(d, section, key, old, new);
}

/// What `emit::enums::labels` makes of an enum's labels.
fn label_api(labels: &LabelKind) -> String {
    match labels {
        LabelKind::Category { rust_name, .. } => {
            format!("`category()` and its enum `{rust_name}`")
        }
        LabelKind::Kind { rust_name, .. } => format!("`kind()` and its enum `{rust_name}`"),
    }
}

/// The distinct labels of an enum's values: the variants of the kind enum.
fn label_set(e: &EnumDef) -> BTreeSet<&str> {
    e.values.iter().filter_map(|v| v.label.as_deref()).collect()
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
fn diff_labels(d: &mut Diff, section: Section, key: &str, old: &EnumDef, new: &EnumDef) {
    let subject = format!("`{key}` (`{}`)", new.rust_name);
    let (a, b) = match (&old.labels, &new.labels) {
        (None, None) => return,
        (None, Some(b)) => {
            d.push(
                section,
                Impact::Minor,
                format!(
                    "{subject}: values now carry labels: {} added.",
                    label_api(b)
                ),
            );
            return;
        }
        (Some(a), None) => {
            d.push(
                section,
                Impact::Major,
                format!(
                    "{subject}: values no longer carry labels: {} removed.",
                    label_api(a)
                ),
            );
            return;
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
        ) if x == y => diff_categories(d, section, &subject, y, was, now),
        (LabelKind::Kind { rust_name: x, .. }, LabelKind::Kind { rust_name: y, .. }) if x == y => {
            // One variant of the kind enum per distinct label.
            let (was, now) = (label_set(old), label_set(new));
            let added: Vec<String> = now.difference(&was).map(|k| format!("{y}::{k}")).collect();
            let removed: Vec<String> = was.difference(&now).map(|k| format!("{x}::{k}")).collect();
            if !added.is_empty() {
                d.push_items(
                    section,
                    Impact::Minor,
                    format!("{subject}: {} kinds added to `{y}`.", added.len()),
                    added,
                );
            }
            if !removed.is_empty() {
                d.push_items(
                    section,
                    Impact::Major,
                    format!(
                        "{subject}: {} kinds no value carries any more: their variants of `{x}` \
                         removed.",
                        removed.len()
                    ),
                    removed,
                );
            }
        }
        (a, b) => {
            d.push(
                section,
                Impact::Major,
                format!(
                    "{subject}: labels changed meaning: {} replaced by {}.",
                    label_api(a),
                    label_api(b)
                ),
            );
            return;
        }
    }
    // Both sides have the same label method: per value, only what it returns changes.
    let was: BTreeMap<&str, _> = old.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let now: BTreeMap<&str, _> = new.values.iter().map(|v| (v.wire.as_str(), v)).collect();
    let relabeled: Vec<String> = was
        .iter()
        .filter_map(|(w, a)| {
            let b = now.get(w)?;
            let (from, to) = (
                label_variant(old, a.label.as_deref()),
                label_variant(new, b.label.as_deref()),
            );
            (from != to).then(|| {
                format!(
                    "{w}: {} -> {}",
                    from.unwrap_or("none"),
                    to.unwrap_or("none")
                )
            })
        })
        .collect();
    if !relabeled.is_empty() {
        let what = match b {
            LabelKind::Category { rust_name, .. } => {
                format!("values changed category (`{rust_name}`)")
            }
            LabelKind::Kind { rust_name, .. } => format!("values changed kind (`{rust_name}`)"),
        };
        d.push_items(
            section,
            Impact::Patch,
            format!("{subject}: {} {what}.", relabeled.len()),
            relabeled,
        );
    }
}

/// The variants of a category enum, which follow the titles: a new one is additive (the enum
/// is `#[non_exhaustive]`), a removed one breaks `match`es and paths that name it, a changed
/// slug changes what `Display` and serde write and what `FromStr` accepts, and a changed title
/// (same variant and slug) only changes what `title()` returns.
fn diff_categories(
    d: &mut Diff,
    section: Section,
    subject: &str,
    enum_name: &str,
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
    // Items are printed as code: no backticks inside.
    let describe = |c: &Category| format!("{enum_name}::{} ({}: {})", c.rust_name, c.slug, c.title);
    let added: Vec<String> = now
        .values()
        .filter(|c| !was.contains_key(&c.rust_name))
        .map(describe)
        .collect();
    let removed: Vec<String> = was
        .values()
        .filter(|c| !now.contains_key(&c.rust_name))
        .map(describe)
        .collect();
    let (mut reslugged, mut retitled) = (Vec::new(), Vec::new());
    for (variant, a) in &was {
        let Some(b) = now.get(variant) else { continue };
        if a.slug != b.slug {
            reslugged.push(format!("{enum_name}::{variant}: {} -> {}", a.slug, b.slug));
        } else if a.title != b.title {
            retitled.push(format!(
                "{enum_name}::{variant}: {} -> {}",
                a.title, b.title
            ));
        }
    }
    if !added.is_empty() {
        d.push_items(
            section,
            Impact::Minor,
            format!(
                "{subject}: {} categories added to `{enum_name}`.",
                added.len()
            ),
            added,
        );
    }
    if !removed.is_empty() {
        d.push_items(
            section,
            Impact::Major,
            format!(
                "{subject}: {} categories removed: their variants of `{enum_name}` go.",
                removed.len()
            ),
            removed,
        );
    }
    if !reslugged.is_empty() {
        d.push_items(
            section,
            Impact::Major,
            format!(
                "{subject}: {} category slugs changed (`Display`, serde and `FromStr` of \
                 `{enum_name}`).",
                reslugged.len()
            ),
            reslugged,
        );
    }
    if !retitled.is_empty() {
        d.push_items(
            section,
            Impact::Patch,
            format!(
                "{subject}: {} category titles changed (`{enum_name}::title()`).",
                retitled.len()
            ),
            retitled,
        );
    }
}

/// The common accessors a union gets (decided in lowering): name -> the type each returns as
/// an `Option` (a non-conforming event may lack any field).
fn accessors(u: &UnionDef) -> BTreeMap<String, TypeRef> {
    u.accessors
        .iter()
        .map(|a| (a.rust_name.clone(), a.ty.clone()))
        .collect()
}

fn diff_union(d: &mut Diff, old_api: &Api, new_api: &Api, old: &UnionDef, new: &UnionDef) {
    let key = &new.spec_name;
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
            d.push(
                Section::EventViews,
                Impact::Major,
                format!(
                    "`{key}` ({scope}): removed view `{view}` (variant `{}::{}`).",
                    old.rust_name, v.rust_name
                ),
            );
        }
    }
    for (view, v) in &now {
        match was.get(view) {
            None => d.push_items(
                Section::EventViews,
                Impact::Minor,
                format!(
                    "`{key}` ({scope}): added view `{view}` (variant `{}::{}`) for {} event types.",
                    new.rust_name,
                    v.rust_name,
                    v.names.len()
                ),
                sorted(v.names.clone()),
            ),
            Some(a) if a.rust_name != v.rust_name => d.push(
                Section::EventViews,
                Impact::Major,
                format!(
                    "`{key}` ({scope}): variant `{}` -> `{}`.",
                    a.rust_name, v.rust_name
                ),
            ),
            _ => {}
        }
    }
    if old.property != new.property {
        d.push(
            Section::EventViews,
            Impact::Major,
            format!(
                "`{key}` ({scope}): selected by `{}` -> `{}`.",
                old.property, new.property
            ),
        );
    }
    // Names in both specs that now decode as another view.
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
    let moved: Vec<String> = old_names
        .intersection(&new_names)
        .filter_map(|n| {
            let a = old_route.get(n).cloned().unwrap_or_else(|| fallback(old));
            let b = new_route.get(n).cloned().unwrap_or_else(|| fallback(new));
            (a != b).then(|| format!("{n}: {a} -> {b}"))
        })
        .collect();
    if !moved.is_empty() {
        d.push_items(
            Section::EventViews,
            Impact::Major,
            format!(
                "`{key}` ({scope}): {} existing event types now decode as another view.",
                moved.len()
            ),
            moved,
        );
    }
    let (a, b) = (accessors(old), accessors(new));
    let show = |t: &TypeRef| format!("optional {}", ty(t));
    for (name, sig) in &a {
        match b.get(name) {
            None => d.push(
                Section::EventViews,
                Impact::Major,
                format!(
                    "`{}::{name}()` ({scope}): common accessor removed.",
                    old.rust_name
                ),
            ),
            Some(now) if now != sig => d.push(
                Section::EventViews,
                Impact::Major,
                format!(
                    "`{}::{name}()` ({scope}): returns `{}` -> `{}`.",
                    new.rust_name,
                    show(sig),
                    show(now)
                ),
            ),
            _ => {}
        }
    }
    for (name, sig) in &b {
        if !a.contains_key(name) {
            d.push(
                Section::EventViews,
                Impact::Minor,
                format!(
                    "`{}::{name}()` ({scope}): common accessor added, returns `{}`.",
                    new.rust_name,
                    show(sig)
                ),
            );
        }
    }
}

fn values(n: usize) -> String {
    if n == 1 {
        "1 value".to_string()
    } else {
        format!("{n} values")
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
        let count = |impact| self.entries.iter().filter(|e| e.impact == impact).count();
        let _ = writeln!(
            out,
            "{} breaking, {} additive, {} patch-level changes.\n",
            count(Impact::Major),
            count(Impact::Minor),
            count(Impact::Patch)
        );
        let mut section = None;
        for (index, entry) in self.entries.iter().enumerate() {
            if section != Some(entry.section) {
                section = Some(entry.section);
                let _ = writeln!(out, "### {}\n", entry.section.title());
            }
            let _ = write!(out, "- {}: {}", entry.impact.label(), entry.text);
            if entry.items.is_empty() {
                out.push('\n');
            } else if entry.items.len() <= INLINE_ITEMS {
                let items: Vec<String> = entry.items.iter().map(|i| format!("`{i}`")).collect();
                let _ = writeln!(out, " {}", items.join(", "));
            } else {
                let _ = writeln!(
                    out,
                    "\n  <details><summary>{} names</summary>\n",
                    entry.items.len()
                );
                for item in &entry.items {
                    let _ = writeln!(out, "  - `{item}`");
                }
                let _ = writeln!(out, "\n  </details>");
            }
            if self
                .entries
                .get(index + 1)
                .is_none_or(|next| next.section != entry.section)
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
