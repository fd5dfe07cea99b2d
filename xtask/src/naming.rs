//! Every identifier decision lives here: case conversion, Rust keywords, names that start with a
//! digit, collisions after conversion, and the override table from `generator.toml`.
//!
//! Names are derived only from the spec name they come from (plus overrides), never from
//! positions or counts, so a Rust identifier does not change while its spec name exists.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToTitleCase, ToUpperCamelCase};

use crate::config::Names;
use crate::error::Error;
use crate::model::Scope;

/// Words Rust reserves, in any edition we target. A name equal to one gets a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Variant names the generated enums use for their own purposes.
const RESERVED_VARIANTS: &[&str] = &["Unknown"];

/// A key of `generator.toml`'s `[names]` tables: which table, and what it names.
#[derive(Debug, Clone, Copy)]
enum OverrideKey<'k> {
    /// `[names.types]`: a type key (a schema name, or `Parent.property` for an inline schema).
    Type(&'k str),
    /// `[names.fields]`: property `property` of schema (or parameter of operation) `owner`.
    Field { owner: &'k str, property: &'k str },
    /// `[names.variants]`: value `value` of the enum with type key `type_key`.
    Variant { type_key: &'k str, value: &'k str },
}

impl OverrideKey<'_> {
    /// The key as `generator.toml` spells it, and the table it sits in.
    fn spelled(&self) -> (&'static str, String) {
        match self {
            OverrideKey::Type(key) => ("types", key.to_string()),
            OverrideKey::Field { owner, property } => ("fields", format!("{owner}.{property}")),
            OverrideKey::Variant { type_key, value } => ("variants", format!("{type_key}.{value}")),
        }
    }
}

pub struct Naming<'a> {
    overrides: &'a Names,
    /// The override keys names were looked up by (`(table, key)`), so that overrides nothing
    /// looked up can be reported: after an upstream rename such an override silently stops
    /// renaming, and the Rust name falls back to the derived one.
    looked_up: RefCell<BTreeSet<(&'static str, String)>>,
}

impl<'a> Naming<'a> {
    pub fn new(overrides: &'a Names) -> Self {
        Naming {
            overrides,
            looked_up: RefCell::default(),
        }
    }

    /// The override for `key`, if `generator.toml` has one (checked to be a usable identifier).
    fn override_for(&self, key: OverrideKey<'_>, pointer: &str) -> Result<Option<String>, Error> {
        let (table, spelled) = key.spelled();
        let overrides = match key {
            OverrideKey::Type(_) => &self.overrides.types,
            OverrideKey::Field { .. } => &self.overrides.fields,
            OverrideKey::Variant { .. } => &self.overrides.variants,
        };
        let found = overrides.get(&spelled);
        self.looked_up.borrow_mut().insert((table, spelled.clone()));
        found
            .map(|name| checked_override(name, pointer, &spelled))
            .transpose()
    }

    /// The `[names]` overrides no name was looked up by, as `names.TABLE."KEY"`: each names a
    /// type, field or value the spec no longer has under that name.
    pub fn unused_overrides(&self) -> Vec<String> {
        let looked_up = &*self.looked_up.borrow();
        let tables = [
            ("types", &self.overrides.types),
            ("fields", &self.overrides.fields),
            ("variants", &self.overrides.variants),
        ];
        tables
            .into_iter()
            .flat_map(|(table, overrides)| {
                overrides
                    .keys()
                    .filter(move |key| !looked_up.contains(&(table, key.to_string())))
                    .map(move |key| format!("names.{table}.\"{key}\""))
            })
            .collect()
    }

    /// The Rust type name of a schema (or of an inline schema's type key `Parent.property`).
    ///
    /// Rule: the scope suffixes `ForNdsGroup` / `ForOrg` become a `Group` / `Org` prefix, a
    /// trailing `View` is dropped, and the rest is converted to UpperCamelCase.
    pub fn type_name(&self, type_key: &str, pointer: &str) -> Result<String, Error> {
        if let Some(name) = self.override_for(OverrideKey::Type(type_key), pointer)? {
            return Ok(name);
        }
        let derived = match type_key.split_once('.') {
            Some((parent, property)) => {
                format!(
                    "{}{}",
                    self.type_name(parent, pointer)?,
                    upper_camel(property)
                )
            }
            None => derive_type_name(type_key),
        };
        check_identifier(&derived, pointer, &format!("type name of `{type_key}`"))?;
        Ok(derived)
    }

    /// The Rust field name of property `property` of schema `schema`.
    pub fn field_name(&self, schema: &str, property: &str, pointer: &str) -> Result<String, Error> {
        let key = OverrideKey::Field {
            owner: schema,
            property,
        };
        if let Some(name) = self.override_for(key, pointer)? {
            return Ok(name);
        }
        let mut name = property.to_snake_case();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("n{name}");
        }
        if KEYWORDS.contains(&name.as_str()) {
            name.push('_');
        }
        check_identifier(&name, pointer, &format!("field name of `{property}`"))?;
        Ok(name)
    }

    /// The Rust variant name of value `wire` of the enum with type key `type_key`.
    pub fn variant_name(&self, type_key: &str, wire: &str, pointer: &str) -> Result<String, Error> {
        let key = OverrideKey::Variant {
            type_key,
            value: wire,
        };
        if let Some(name) = self.override_for(key, pointer)? {
            return Ok(name);
        }
        let mut name = upper_camel(wire);
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name = format!("N{name}");
        }
        if KEYWORDS.contains(&name.as_str()) || RESERVED_VARIANTS.contains(&name.as_str()) {
            name.push('_');
        }
        check_identifier(&name, pointer, &format!("variant name of `{wire}`"))?;
        Ok(name)
    }
}

/// A union variant is named after its struct, without the scope prefix the union already says.
pub fn union_variant_name(struct_name: &str, union_name: &str) -> String {
    for scope in ["Group", "Org"] {
        if let Some(rest) = struct_name.strip_prefix(scope)
            && union_name.starts_with(scope)
            && rest.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return rest.to_string();
        }
    }
    struct_name.to_string()
}

/// A method or function name from an operation id (`listGroupEvents` -> `list_group_events`).
pub fn method_name(operation_id: &str, pointer: &str) -> Result<String, Error> {
    let mut name = operation_id.to_snake_case();
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    check(&name, pointer, &format!("operationId `{operation_id}`"), "")?;
    Ok(name)
}

/// A request builder type from an operation id (`listGroupEvents` -> `ListGroupEvents`).
pub fn builder_name(operation_id: &str, pointer: &str) -> Result<String, Error> {
    let name = upper_camel(operation_id);
    check(&name, pointer, &format!("operationId `{operation_id}`"), "")?;
    Ok(name)
}

/// The closed enum of the categories of an enum's values: a trailing `Type` dropped and
/// `Category` appended (`GroupEventType` -> `GroupEventCategory`).
pub fn category_enum_name(enum_rust_name: &str) -> String {
    let base = enum_rust_name
        .strip_suffix("Type")
        .filter(|base| !base.is_empty())
        .unwrap_or(enum_rust_name);
    format!("{base}Category")
}

/// The closed enum of the kinds of an enum's values (`HostMetricName` -> `HostMetricNameKind`).
pub fn kind_enum_name(enum_rust_name: &str) -> String {
    format!("{enum_rust_name}Kind")
}

/// The title given to a branch of event-type names whose spec title repeats another branch's,
/// after the view enum that lists the same names, without its scope and a trailing `TypeView`
/// (`AlertConfigAuditTypeView` -> "Alert Config Audit Types").
pub fn repeated_title(view_enum: &str) -> String {
    let base = scope(view_enum)
        .1
        .strip_suffix("TypeView")
        .unwrap_or(view_enum);
    format!("{} Types", base.to_title_case())
}

/// The variant and the slug of the category a title names: the title's words without a
/// trailing `Types`, in UpperCamelCase and in kebab case ("x509 User Auth Event Types" ->
/// `X509UserAuthEvent` and `x509-user-auth-event`).
///
/// Words are split at anything that is not an ASCII letter or digit and where a lower-case
/// letter meets an upper-case one ("ReplicaSet" is two words); each word keeps only its first
/// letter upper case ("APIs" -> `Apis`, "AI" -> `Ai`), so acronyms never split into letters.
pub fn category_names(title: &str, pointer: &str) -> Result<(String, String), Error> {
    let mut words: Vec<String> = Vec::new();
    for part in title.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut word = String::new();
        let mut previous_lower = false;
        for c in part.chars() {
            if previous_lower && c.is_ascii_uppercase() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = c.is_ascii_lowercase();
            word.push(c.to_ascii_lowercase());
        }
        if !word.is_empty() {
            words.push(word);
        }
    }
    if words.len() > 1 && words.last().is_some_and(|w| w == "types") {
        words.pop();
    }
    let mut variant: String = words
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect();
    if variant.starts_with(|c: char| c.is_ascii_digit()) {
        variant = format!("N{variant}");
    }
    check(
        &variant,
        pointer,
        &format!("the category title `{title}`"),
        "",
    )?;
    Ok((variant, words.join("-")))
}

/// The module (file) name of a type.
pub fn module_name(rust_type_name: &str) -> String {
    rust_type_name.to_snake_case()
}

/// The constant that holds a field's pattern (`remoteAddress` -> `REMOTE_ADDRESS_PATTERN`).
pub fn pattern_const(field_rust_name: &str) -> String {
    format!(
        "{}_PATTERN",
        field_rust_name.trim_end_matches('_').to_uppercase()
    )
}

/// The scope a schema name says it belongs to, and the name without that suffix: the rule for
/// every scope decision (type names, changelog scopes, fixups). `ForNdsGroup` is a project,
/// `ForOrg` an organization.
pub fn scope(schema: &str) -> (Option<Scope>, &str) {
    if let Some(rest) = schema.strip_suffix("ForNdsGroup") {
        (Some(Scope::Project), rest)
    } else if let Some(rest) = schema.strip_suffix("ForOrg") {
        (Some(Scope::Organization), rest)
    } else {
        (None, schema)
    }
}

fn derive_type_name(schema: &str) -> String {
    let (prefix, rest) = match scope(schema) {
        (Some(Scope::Project), rest) => ("Group", rest),
        (Some(Scope::Organization), rest) => ("Org", rest),
        (None, rest) => ("", rest),
    };
    let rest = rest.strip_suffix("View").unwrap_or(rest);
    let mut name = format!("{prefix}{}", upper_camel(rest));
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

fn upper_camel(text: &str) -> String {
    // heck drops characters that cannot start or continue a word; keep digits and letters only.
    text.to_upper_camel_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

fn check_identifier(name: &str, pointer: &str, what: &str) -> Result<(), Error> {
    check(
        name,
        pointer,
        what,
        "; add an override to generator.toml [names]",
    )
}

/// An override from generator.toml is used as written, so it must be an identifier already.
fn checked_override(name: &str, pointer: &str, key: &str) -> Result<String, Error> {
    if KEYWORDS.contains(&name) {
        return Err(Error::spec(
            pointer,
            format!("the generator.toml [names] override for `{key}` is the Rust keyword `{name}`"),
        ));
    }
    check(
        name,
        pointer,
        &format!("the generator.toml [names] override for `{key}`"),
        "",
    )?;
    Ok(name.to_string())
}

fn check(name: &str, pointer: &str, what: &str, hint: &str) -> Result<(), Error> {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    if valid {
        Ok(())
    } else {
        Err(Error::spec(
            pointer,
            format!("{what} converts to `{name}`, which is not a Rust identifier{hint}"),
        ))
    }
}

/// Detects two spec names that convert to the same Rust name in one namespace.
#[derive(Default)]
pub struct Namespace {
    taken: BTreeMap<String, (String, String)>,
}

impl Namespace {
    /// Claims `rust_name` for `spec_name` (found at `pointer`); a second claim is an error.
    pub fn claim(&mut self, rust_name: &str, spec_name: &str, pointer: &str) -> Result<(), Error> {
        if let Some((other, other_pointer)) = self.taken.get(rust_name)
            && other != spec_name
        {
            return Err(Error::spec(
                pointer,
                format!(
                    "`{spec_name}` and `{other}` (at {other_pointer}) both convert to the Rust name `{rust_name}`; add an override to generator.toml [names]"
                ),
            ));
        }
        self.taken.insert(
            rust_name.to_string(),
            (spec_name.to_string(), pointer.to_string()),
        );
        Ok(())
    }
}

/// Methods every union has: a field accessor of the same name is not generated.
pub const UNION_METHODS: &[&str] = &[
    "spec_schema",
    "extra",
    "view_for",
    "route",
    "is_conforming",
    "disagreements",
    "unlisted_fields",
];

/// The struct a union's events decode as when their view cannot be built.
pub fn non_conforming(union: &str) -> String {
    format!("NonConforming{union}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_follow_the_scope_rule() {
        let names = Names::default();
        let naming = Naming::new(&names);
        let name = |s: &str| naming.type_name(s, "/x").unwrap();
        assert_eq!(name("HostEventViewForNdsGroup"), "GroupHostEvent");
        assert_eq!(name("UserEventTypeViewForOrg"), "OrgUserEventType");
        assert_eq!(name("FTSIndexAuditView"), "FtsIndexAudit");
        assert_eq!(name("raw"), "Raw");
        assert_eq!(name("raw.severity"), "RawSeverity");
        // The bare upstream name `ForNdsGroup` leaves nothing but the scope: it needs an override.
        assert_eq!(name("ForNdsGroup"), "Group");
    }

    #[test]
    fn keywords_digits_and_reserved_names_are_escaped() {
        let names = Names::default();
        let naming = Naming::new(&names);
        assert_eq!(naming.field_name("S", "type", "/x").unwrap(), "type_");
        assert_eq!(naming.field_name("S", "_t", "/x").unwrap(), "t");
        assert_eq!(naming.field_name("S", "2fa", "/x").unwrap(), "n2fa");
        assert_eq!(
            naming.variant_name("E", "1000 requests", "/x").unwrap(),
            "N1000Requests"
        );
        assert_eq!(naming.variant_name("E", "self", "/x").unwrap(), "Self_");
        assert_eq!(
            naming.variant_name("E", "UNKNOWN", "/x").unwrap(),
            "Unknown_"
        );
        assert_eq!(
            naming.variant_name("E", "million RPU", "/x").unwrap(),
            "MillionRpu"
        );
        let err = naming.variant_name("E", "+", "/p").unwrap_err().to_string();
        assert!(err.contains("/p"), "{err}");
    }

    #[test]
    fn collisions_are_errors() {
        let mut ns = Namespace::default();
        ns.claim("Bytes", "bytes", "/a").unwrap();
        let err = ns.claim("Bytes", "BYTES", "/b").unwrap_err().to_string();
        assert!(
            err.contains("/b") && err.contains("/a") && err.contains("BYTES"),
            "{err}"
        );
    }

    #[test]
    fn categories_are_named_from_their_titles() {
        let names = |title: &str| category_names(title, "/t").unwrap();
        let pair = |variant: &str, slug: &str| (variant.to_string(), slug.to_string());
        assert_eq!(
            names("Cluster Event Types"),
            pair("ClusterEvent", "cluster-event")
        );
        assert_eq!(
            names("Group Audit Types"),
            pair("GroupAudit", "group-audit")
        );
        assert_eq!(
            names("x509 User Auth Event Types"),
            pair("X509UserAuthEvent", "x509-user-auth-event")
        );
        assert_eq!(
            names("AI Models APIs Event Types"),
            pair("AiModelsApisEvent", "ai-models-apis-event")
        );
        assert_eq!(
            names("ReplicaSet Event Types"),
            pair("ReplicaSetEvent", "replica-set-event")
        );
        assert_eq!(names("2FA Types"), pair("N2fa", "2fa"));
        // Only a trailing `Types` goes, and never the whole title.
        assert_eq!(
            names("Types Of Things"),
            pair("TypesOfThings", "types-of-things")
        );
        assert_eq!(names("Types"), pair("Types", "types"));
        let err = category_names("+ -", "/p/title").unwrap_err().to_string();
        assert!(err.contains("/p/title") && err.contains("`+ -`"), "{err}");
    }

    #[test]
    fn category_enums_are_named_after_their_enum() {
        assert_eq!(category_enum_name("GroupEventType"), "GroupEventCategory");
        assert_eq!(
            category_enum_name("GroupDefaultEventType"),
            "GroupDefaultEventCategory"
        );
        assert_eq!(category_enum_name("Units"), "UnitsCategory");
        assert_eq!(category_enum_name("Type"), "TypeCategory");
    }

    #[test]
    fn union_variants_drop_the_scope_prefix() {
        assert_eq!(
            union_variant_name("GroupHostEvent", "GroupEvent"),
            "HostEvent"
        );
        assert_eq!(union_variant_name("AlertAudit", "GroupEvent"), "AlertAudit");
        assert_eq!(union_variant_name("OrgEventView", "OrgEvent"), "EventView");
    }
}
