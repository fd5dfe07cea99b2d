//! `cargo xtask changelog OLD.yaml NEW.yaml`: what a spec update changes in the generated crate.
//!
//! The report is computed from the two [`Api`](crate::model::Api) models (never from the YAML or from emitted
//! code), so it names exactly what users of `mongodb-atlas-events` see: operations, event types
//! per scope, event views, their common accessors and the typed fields of their non-conforming
//! structs, schemas and fields (boxed or not), enum values, parameters, media types, and the
//! examples and `Client::follow_organization` a crate gets. Every decision that shapes the
//! public API is in the model (`parse::decisions`) for this reason: one made while emitting
//! would change the crate without an entry. Every collection is walked in sorted order, so the Markdown is
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
//!   - a common accessor of a union removed or its return type changed;
//!   - a typed field of a union's non-conforming struct removed (the views no longer agree on
//!     it: it stays in `extra`) or retyped;
//!   - a field boxed or unboxed (`T` <-> `Box<T>`: its type now reaches its own struct, or no
//!     longer does);
//!   - `Client::follow_organization` gone (the subset lacks an operation it calls).
//! * **Minor (additive)**: new API that existing code does not see: an operation, an optional
//!   parameter, a type, a field, an enum value or event type (enums are `#[non_exhaustive]`
//!   with `Unknown(UnknownValue)`, an opaque value that keeps the wire text (`as_str()`), so
//!   old code keeps compiling and the value used to decode as `Unknown`), an event view (unions are `#[non_exhaustive]`), a common accessor, paging added,
//!   a field's pattern added (a new `<FIELD>_PATTERN` constant), labels added to an enum (a new
//!   `category()` or `kind()`), a new kind or category (a variant of a `#[non_exhaustive]` kind
//!   or category enum), a typed field of a non-conforming struct (`#[non_exhaustive]`; the
//!   field leaves `extra` when it has its type), `Client::follow_organization` added.
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
//!   changed, the examples of event lists (`examples/`, the README's code) added or removed,
//!   or only descriptions and summaries changed.
//! * **None**: the models are equal apart from `info` (for example only `x-xgen-sha` changed, or
//!   only operations outside the Events subset).
//!
//! # Exit codes of `cargo xtask changelog`
//!
//! [`Verdict::exit_code`]: 0 = no change to the generated API (none or patch: no signature
//! changed; the verdict line tells them apart), 10 = minor, 20 = major, 2 = error (a spec that
//! does not parse, a fixup that no longer applies, a bad argument).

mod diff;
mod entry;
mod names;
mod render;

pub use diff::diff;
pub use entry::{
    Entry, EnumChange, ExampleChange, FieldChange, LabelChange, OperationChange, ParamChange,
    Section, TypeChange, ViewChange,
};
pub use names::{
    Constraint, Endpoint, EnumName, FieldType, LabelMethod, ParamId, Relabel, Rename, TypeKind,
};

/// How much an entry affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    Patch,
    Minor,
    Major,
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
