//! Where received data disagrees with the spec.
//!
//! Decoding never fails for such disagreements (see `lenient`); this module says what they
//! were. Each model carries a small table of its schema (field names, required, nullable, type,
//! pattern, ranges) generated from the spec. The check walks the decoded value itself: a typed
//! field has its declared type, so only its enum value, pattern and range are left to check; a
//! field that did not fit its type is in `extra`, as received, and is checked as JSON against
//! the table. Nothing is encoded again, so the check costs no serializer code per model.

use std::fmt;

use serde_json::Value;

use super::Timestamp;

/// Reports where a received value disagrees with the spec.
///
/// Decoding never fails because the server disagrees with the spec: a field of another type
/// than declared reads as absent and is kept in `extra`, an unlisted enum value is `Unknown`,
/// an event without the fields its view requires decodes as a non-conforming event. This trait
/// lists those disagreements; it is implemented by every model.
///
/// ```
/// use mongodb_atlas_events::{Conformance, DisagreementKind, GroupEvent};
///
/// let event: GroupEvent = serde_json::from_str(
///     r#"{"id": 7, "created": "2026-01-02T03:04:05Z", "eventTypeName": "CLUSTER_CREATED"}"#,
/// )?;
/// assert!(!event.is_conforming());
/// let found = event.disagreements();
/// assert_eq!(found.len(), 1);
/// assert_eq!(found[0].pointer, "/id");
/// assert_eq!(found[0].kind, DisagreementKind::Type);
/// // Nothing is lost: the event encodes back to what was received.
/// assert_eq!(serde_json::to_value(&event)?["id"], 7);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait Conformance {
    /// Every disagreement with the spec, in the order of the schema's fields, depth first.
    ///
    /// Pattern constraints are checked only with the `client` feature (which brings `regex`),
    /// and only patterns `regex` supports (no look-around).
    fn disagreements(&self) -> Vec<Disagreement>;

    /// JSON pointers of fields that no schema lists (not disagreements: the spec allows them,
    /// but they show what the server sends that the spec does not describe).
    fn unlisted_fields(&self) -> Vec<String>;
}

/// One place where received data disagrees with the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Disagreement {
    /// Where, as a JSON pointer inside the checked value (`/links/0/href`).
    pub pointer: String,
    /// The spec schema that declares the field (`HostEventViewForNdsGroup`).
    pub schema: &'static str,
    /// The field's wire name (`created`).
    pub field: &'static str,
    /// What kind of disagreement.
    pub kind: DisagreementKind,
    /// What the spec declares (`string`, `RFC 3339 date-time`, `a listed \`Severity\` value`).
    pub expected: String,
    /// What arrived, shortened (`number 7`, `string "2026-13-01"`, `nothing`).
    pub found: String,
}

/// What kind of disagreement a [`Disagreement`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DisagreementKind {
    /// A required field is absent.
    Missing,
    /// `null` where the spec does not allow it.
    Null,
    /// A value of another JSON type than declared.
    Type,
    /// A string that is not of the declared format (a timestamp that is not RFC 3339), or a
    /// number outside its declared format's range (`int32`).
    Format,
    /// An enum value the spec does not list (including event types newer than the spec).
    NotListed,
    /// A string that does not match the declared pattern.
    Pattern,
    /// A number beyond its declared minimum or maximum, or a string of more or fewer
    /// characters than declared (a negative `totalCount`).
    Range,
}

impl DisagreementKind {
    /// A short name: `missing`, `null`, `type`, `format`, `not listed`, `pattern`, `range`.
    pub fn as_str(self) -> &'static str {
        match self {
            DisagreementKind::Missing => "missing",
            DisagreementKind::Null => "null",
            DisagreementKind::Type => "type",
            DisagreementKind::Format => "format",
            DisagreementKind::NotListed => "not listed",
            DisagreementKind::Pattern => "pattern",
            DisagreementKind::Range => "range",
        }
    }
}

impl fmt::Display for DisagreementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Disagreement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}.{}): {}: expected {}, found {}",
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            self.schema,
            self.field,
            self.kind,
            self.expected,
            self.found
        )
    }
}

/// A schema as the checker sees it.
#[doc(hidden)]
pub struct Schema {
    pub name: &'static str,
    pub kind: Kind,
}

#[doc(hidden)]
pub enum Kind {
    Object(&'static [FieldSpec]),
    /// An open enum: `listed` tells whether the spec lists a value.
    Enum(fn(&str) -> bool),
    /// Views chosen by `property`: `route` gives the index into `views`.
    Union {
        property: &'static str,
        route: fn(&str) -> u8,
        views: &'static [fn() -> &'static Schema],
    },
}

#[doc(hidden)]
pub struct FieldSpec {
    pub wire: &'static str,
    pub required: bool,
    pub nullable: bool,
    pub ty: Ty,
    pub pattern: Option<&'static str>,
    pub checks: Option<&'static Checks>,
}

/// Constraints on a value other than its type and pattern.
#[doc(hidden)]
pub struct Checks {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `format: email`.
    pub email: bool,
}

/// Every type a field can have; a given spec need not use them all.
#[doc(hidden)]
#[allow(dead_code)]
pub enum Ty {
    String,
    Bool,
    I32,
    I64,
    Number,
    DateTime,
    Json,
    JsonObject,
    List(&'static Ty),
    Named(fn() -> &'static Schema),
}

/// A decoded value the walk can check: generated models, their field types and lists.
#[doc(hidden)]
pub trait Checked {
    /// Checks this value, which sits where `at` says.
    fn check(&self, walk: &mut Walk, at: At);
}

/// Where a value sits: the schema and field (with its constraints) that declare it; no field
/// at the top of a walk.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct At {
    schema: &'static str,
    spec: Option<&'static FieldSpec>,
}

impl At {
    fn site(self) -> Site {
        Site {
            schema: self.schema,
            field: self.spec.map_or("", |s| s.wire),
        }
    }
}

/// An optional field's value as the walk sees it: `None` when the typed field is empty.
#[doc(hidden)]
pub fn checked<T: Checked>(value: &Option<T>) -> Option<&dyn Checked> {
    value.as_ref().map(|v| v as &dyn Checked)
}

/// A plain (required) field's value as the walk sees it.
#[doc(hidden)]
pub fn plain<T: Checked>(value: &T) -> Option<&dyn Checked> {
    Some(value)
}

/// [`Conformance::disagreements`] of a model.
#[doc(hidden)]
pub fn disagreements(value: &dyn Checked) -> Vec<Disagreement> {
    let mut walk = Walk::default();
    value.check(&mut walk, TOP);
    walk.found
}

/// [`Conformance::unlisted_fields`] of a model.
#[doc(hidden)]
pub fn unlisted_fields(value: &dyn Checked) -> Vec<String> {
    let mut walk = Walk {
        unlisted: Some(Vec::new()),
        ..Walk::default()
    };
    value.check(&mut walk, TOP);
    walk.unlisted.unwrap_or_default()
}

const TOP: At = At {
    schema: "",
    spec: None,
};

/// The view a union's `property` value selects (the fallback for none).
#[doc(hidden)]
pub fn view_of(union: &'static Schema, selector: Option<&str>) -> &'static Schema {
    match &union.kind {
        Kind::Union { route, views, .. } => views[usize::from(route(selector.unwrap_or("")))](),
        _ => union,
    }
}

/// The state of a check: where it is, and what it found.
#[doc(hidden)]
#[derive(Default)]
pub struct Walk {
    pointer: String,
    found: Vec<Disagreement>,
    unlisted: Option<Vec<String>>,
}

/// Where a value sits: the schema and field that declare it.
#[derive(Clone, Copy)]
struct Site {
    schema: &'static str,
    field: &'static str,
}

impl Walk {
    /// Checks a decoded struct: `values` are its typed fields in the order of its schema's
    /// fields (`None` where the field is empty).
    pub fn object(
        &mut self,
        schema: &'static Schema,
        values: &[Option<&dyn Checked>],
        extra: &crate::Extra,
    ) {
        self.object_with(
            schema,
            &|index, _| values.get(index).copied().flatten(),
            extra,
            None,
        );
    }

    /// Checks a non-conforming event against the view its `selector` chooses: `values` are
    /// its typed fields by wire name; the selector is kept as text.
    pub fn object_by_wire(
        &mut self,
        schema: &'static Schema,
        values: &[(&str, Option<&dyn Checked>)],
        extra: &crate::Extra,
        selector: Option<(&str, &str)>,
    ) {
        let lookup = |_: usize, wire: &str| {
            values
                .iter()
                .find(|(name, _)| *name == wire)
                .and_then(|(_, value)| *value)
        };
        self.object_with(schema, &lookup, extra, selector);
    }

    /// Each field of the schema is either typed (`lookup` lends it, by index or wire name) or,
    /// when it did not fit its type, in `extra` as received.
    fn object_with<'a>(
        &mut self,
        schema: &'static Schema,
        lookup: &dyn Fn(usize, &str) -> Option<&'a dyn Checked>,
        extra: &crate::Extra,
        selector: Option<(&str, &str)>,
    ) {
        let Kind::Object(fields) = &schema.kind else {
            return;
        };
        for (index, spec) in fields.iter().enumerate() {
            let at = At {
                schema: schema.name,
                spec: Some(spec),
            };
            self.enter(spec.wire, |walk| {
                if let Some((property, text)) = selector
                    && property == spec.wire
                {
                    let text = Value::String(text.to_owned());
                    return walk.value(&text, &spec.ty, spec.pattern, at.site());
                }
                match lookup(index, spec.wire) {
                    Some(value) => value.check(walk, at),
                    None => walk.field_json(extra.get(spec.wire), spec, at.site()),
                }
            });
        }
        if let Some(unlisted) = &mut self.unlisted {
            for key in extra.keys() {
                if !fields.iter().any(|f| f.wire == key) {
                    unlisted.push(format!(
                        "{}/{}",
                        self.pointer,
                        key.replace('~', "~0").replace('/', "~1")
                    ));
                }
            }
        }
    }

    /// An enum value the spec does not list.
    pub fn not_listed(&mut self, at: At, schema: &'static Schema, value: &str) {
        let site = match at.spec {
            Some(_) => at.site(),
            None => Site {
                schema: schema.name,
                field: "",
            },
        };
        self.push(
            site,
            DisagreementKind::NotListed,
            format!("a listed `{}` value", schema.name),
            describe(&Value::String(value.to_owned())),
        );
    }

    /// A field that is not typed: absent, `null`, or kept in `extra` with another shape.
    fn field_json(&mut self, json: Option<&Value>, spec: &'static FieldSpec, site: Site) {
        match json {
            None if spec.required => self.push(
                site,
                DisagreementKind::Missing,
                "a value (the field is required)".to_string(),
                "nothing".to_string(),
            ),
            None => {}
            Some(Value::Null) if !spec.nullable => self.push(
                site,
                DisagreementKind::Null,
                expected(&spec.ty),
                "null".to_string(),
            ),
            Some(Value::Null) => {}
            Some(value) => {
                self.value(value, &spec.ty, spec.pattern, site);
                if let Some(checks) = spec.checks {
                    self.checks(value, checks, site);
                }
            }
        }
    }

    fn string(&mut self, text: &str, at: At) {
        let Some(spec) = at.spec else { return };
        if let Some(pattern) = spec.pattern
            && pattern_fails(pattern, text)
        {
            self.push(
                at.site(),
                DisagreementKind::Pattern,
                format!("a string matching `{pattern}`"),
                describe(&Value::String(text.to_owned())),
            );
        }
        if let Some(checks) = spec.checks {
            self.checks(&Value::String(text.to_owned()), checks, at.site());
        }
    }

    fn number(&mut self, number: Value, at: At) {
        if let Some(checks) = at.spec.and_then(|s| s.checks) {
            self.checks(&number, checks, at.site());
        }
    }

    fn push(&mut self, site: Site, kind: DisagreementKind, expected: String, found: String) {
        self.found.push(Disagreement {
            pointer: self.pointer.clone(),
            schema: site.schema,
            field: site.field,
            kind,
            expected,
            found,
        });
    }

    fn enter<R>(&mut self, token: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.pointer.len();
        self.pointer.push('/');
        for c in token.chars() {
            match c {
                '~' => self.pointer.push_str("~0"),
                '/' => self.pointer.push_str("~1"),
                c => self.pointer.push(c),
            }
        }
        let out = f(self);
        self.pointer.truncate(len);
        out
    }

    /// Checks `json` against a named schema; `site` is the field holding it (none at the top).
    fn named_at(&mut self, json: &Value, schema: &'static Schema, site: Option<Site>) {
        let site = site.unwrap_or(Site {
            schema: schema.name,
            field: "",
        });
        match &schema.kind {
            Kind::Object(fields) => match json {
                Value::Object(object) => self.json_object(object, schema.name, fields),
                other => self.push(
                    site,
                    DisagreementKind::Type,
                    format!("`{}` object", schema.name),
                    describe(other),
                ),
            },
            Kind::Enum(listed) => match json {
                Value::String(text) if listed(text) => {}
                Value::String(text) => self.push(
                    site,
                    DisagreementKind::NotListed,
                    format!("a listed `{}` value", schema.name),
                    describe(&Value::String(text.clone())),
                ),
                other => self.push(
                    site,
                    DisagreementKind::Type,
                    format!("string (a `{}` value)", schema.name),
                    describe(other),
                ),
            },
            Kind::Union {
                property,
                route,
                views,
            } => match json {
                Value::Object(object) => {
                    let selector = object.get(*property).and_then(Value::as_str).unwrap_or("");
                    let view = views[usize::from(route(selector))]();
                    self.named_at(json, view, None);
                }
                other => self.push(
                    site,
                    DisagreementKind::Type,
                    format!("`{}` object", schema.name),
                    describe(other),
                ),
            },
        }
    }

    /// Checks a JSON object (a value kept in `extra`) against its schema's fields.
    fn json_object(
        &mut self,
        object: &serde_json::Map<String, Value>,
        schema: &'static str,
        fields: &'static [FieldSpec],
    ) {
        for spec in fields {
            let site = Site {
                schema,
                field: spec.wire,
            };
            self.enter(spec.wire, |walk| {
                walk.field_json(object.get(spec.wire), spec, site)
            });
        }
        if let Some(unlisted) = &mut self.unlisted {
            for key in object.keys() {
                if !fields.iter().any(|f| f.wire == key) {
                    let mut pointer = self.pointer.clone();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    unlisted.push(pointer);
                }
            }
        }
    }

    /// Ranges, lengths and the email format, for a value of the right JSON type.
    fn checks(&mut self, json: &Value, checks: &Checks, site: Site) {
        match json {
            Value::Number(n) => {
                let Some(v) = n.as_f64() else { return };
                let below = checks.minimum.is_some_and(|min| v < min);
                let above = checks.maximum.is_some_and(|max| v > max);
                if below || above {
                    let expected = match (checks.minimum, checks.maximum) {
                        (Some(min), Some(max)) => format!("a number from {min} to {max}"),
                        (Some(min), None) => format!("a number of at least {min}"),
                        (None, Some(max)) => format!("a number of at most {max}"),
                        (None, None) => return,
                    };
                    self.push(site, DisagreementKind::Range, expected, describe(json));
                }
            }
            Value::String(text) => {
                let length = text.chars().count();
                let short = checks.min_length.is_some_and(|min| length < min);
                let long = checks.max_length.is_some_and(|max| length > max);
                if short || long {
                    let expected = match (checks.min_length, checks.max_length) {
                        (Some(min), Some(max)) => format!("{min} to {max} characters"),
                        (Some(min), None) => format!("at least {min} characters"),
                        (None, Some(max)) => format!("at most {max} characters"),
                        (None, None) => return,
                    };
                    self.push(
                        site,
                        DisagreementKind::Range,
                        expected,
                        format!("{} ({length} characters)", describe(json)),
                    );
                }
                if checks.email && !looks_like_email(text) {
                    self.push(
                        site,
                        DisagreementKind::Format,
                        "string (email)".to_string(),
                        describe(json),
                    );
                }
            }
            _ => {}
        }
    }

    fn value(&mut self, json: &Value, ty: &'static Ty, pattern: Option<&'static str>, site: Site) {
        let mismatch = |walk: &mut Self| {
            walk.push(site, DisagreementKind::Type, expected(ty), describe(json));
        };
        match ty {
            Ty::Json => {}
            Ty::String => match json {
                Value::String(text) => {
                    if let Some(pattern) = pattern
                        && pattern_fails(pattern, text)
                    {
                        self.push(
                            site,
                            DisagreementKind::Pattern,
                            format!("a string matching `{pattern}`"),
                            describe(json),
                        );
                    }
                }
                _ => mismatch(self),
            },
            Ty::Bool if json.is_boolean() => {}
            Ty::Number if json.is_number() => {}
            Ty::JsonObject if json.is_object() => {}
            Ty::I32 | Ty::I64 => match json {
                Value::Number(n) if n.is_i64() || n.is_u64() => {
                    let fits = match ty {
                        Ty::I32 => n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()),
                        _ => n.as_i64().is_some(),
                    };
                    if !fits {
                        self.push(site, DisagreementKind::Format, expected(ty), describe(json));
                    }
                }
                _ => mismatch(self),
            },
            Ty::DateTime => match json {
                Value::String(text) if Timestamp::parse_time(text).is_some() => {}
                Value::String(_) => {
                    self.push(site, DisagreementKind::Format, expected(ty), describe(json))
                }
                _ => mismatch(self),
            },
            Ty::List(item) => match json {
                Value::Array(items) => {
                    for (index, value) in items.iter().enumerate() {
                        self.enter(&index.to_string(), |walk| match value {
                            Value::Null => walk.push(
                                site,
                                DisagreementKind::Null,
                                expected(item),
                                "null".to_string(),
                            ),
                            value => walk.value(value, item, pattern, site),
                        });
                    }
                }
                _ => mismatch(self),
            },
            Ty::Named(schema) => self.named_at(json, schema(), Some(site)),
            Ty::Bool | Ty::Number | Ty::JsonObject => mismatch(self),
        }
    }
}

/// What a type is called in a report.
fn expected(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".to_string(),
        Ty::Bool => "boolean".to_string(),
        Ty::I32 => "integer (int32)".to_string(),
        Ty::I64 => "integer (int64)".to_string(),
        Ty::Number => "number".to_string(),
        Ty::DateTime => "string (RFC 3339 date-time)".to_string(),
        Ty::Json => "any JSON".to_string(),
        Ty::JsonObject => "object".to_string(),
        Ty::List(item) => format!("array of {}", expected(item)),
        Ty::Named(schema) => {
            let schema = schema();
            match schema.kind {
                Kind::Enum(_) => format!("string (a `{}` value)", schema.name),
                _ => format!("`{}` object", schema.name),
            }
        }
    }
}

/// `local@domain` with both parts present and no white space: what `format: email` can be
/// held to without rejecting addresses servers really send.
fn looks_like_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// A value's JSON type, with a short text of scalars.
fn describe(json: &Value) -> String {
    const MAX: usize = 60;
    match json {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > MAX => {
            let short: String = s.chars().take(MAX).collect();
            format!("string {:?}...", short)
        }
        Value::String(s) => format!("string {s:?}"),
        Value::Array(items) => format!("array of {}", items.len()),
        Value::Object(_) => "object".to_string(),
    }
}

/// Whether `text` breaks `pattern`: checked with the `client` feature's `regex`, for the
/// patterns it supports; otherwise never reported.
#[cfg(feature = "client")]
fn pattern_fails(pattern: &'static str, text: &str) -> bool {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static COMPILED: OnceLock<Mutex<HashMap<&'static str, Option<regex::Regex>>>> = OnceLock::new();
    let cache = COMPILED.get_or_init(Default::default);
    let mut cache = match cache.lock() {
        Ok(cache) => cache,
        Err(poisoned) => poisoned.into_inner(),
    };
    let regex = cache
        .entry(pattern)
        .or_insert_with(|| regex::Regex::new(pattern).ok());
    regex.as_ref().is_some_and(|regex| !regex.is_match(text))
}

#[cfg(not(feature = "client"))]
fn pattern_fails(_pattern: &'static str, _text: &str) -> bool {
    false
}

impl Checked for String {
    fn check(&self, walk: &mut Walk, at: At) {
        walk.string(self, at);
    }
}

impl Checked for bool {
    fn check(&self, _walk: &mut Walk, _at: At) {}
}

impl Checked for i32 {
    fn check(&self, walk: &mut Walk, at: At) {
        walk.number(Value::from(*self), at);
    }
}

impl Checked for i64 {
    fn check(&self, walk: &mut Walk, at: At) {
        walk.number(Value::from(*self), at);
    }
}

impl Checked for serde_json::Number {
    fn check(&self, walk: &mut Walk, at: At) {
        walk.number(Value::Number(self.clone()), at);
    }
}

/// A typed timestamp is RFC 3339: nothing left to check.
impl Checked for Timestamp {
    fn check(&self, _walk: &mut Walk, _at: At) {}
}

/// Any JSON, as declared.
impl Checked for Value {
    fn check(&self, _walk: &mut Walk, _at: At) {}
}

/// Any JSON object, as declared.
impl Checked for crate::Extra {
    fn check(&self, _walk: &mut Walk, _at: At) {}
}

impl<T: Checked> Checked for Vec<T> {
    fn check(&self, walk: &mut Walk, at: At) {
        for (index, item) in self.iter().enumerate() {
            walk.enter(&index.to_string(), |walk| item.check(walk, at));
        }
    }
}

impl<T: Checked> Checked for Box<T> {
    fn check(&self, walk: &mut Walk, at: At) {
        (**self).check(walk, at);
    }
}
