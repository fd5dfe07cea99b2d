//! Named workarounds for bugs in the upstream spec, as spec-to-spec passes.
//!
//! Each fixup is a function enabled by name in `generator.toml` that rewrites the subset
//! document (JSON) before lowering reads it, so lowering sees a corrected spec and has no case
//! of its own for any bug. Each reports what it did on every regen, and fails ("no longer
//! applies") once upstream fixes the bug it works around, so that no fixup outlives its reason.
//!
//! What a fixup needs the model to carry beyond OpenAPI (a note on a field, the kinds of an
//! enum's values) it writes as the `x-fixup-*` extensions below, which lowering reads wherever
//! they stand.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::config::Fixup;
use crate::error::{Error, pointer_token};
use crate::naming::{self, Naming};

/// `HostMetricEvent` carries a discriminator on `metricName` but no `oneOf`: its mapping sends
/// 167 metric names to four views (`DataMetricEventView`, `NumberMetricEventView`,
/// `RawMetricEventView`, `TimeMetricEventView`) that nothing else references, so the schema
/// is not a union of them. We keep the mapping as data: `metricName` becomes an open enum whose
/// values know their kind of metric, and the four views are generated as models of their own.
pub const HOST_METRIC_DISCRIMINATOR: Fixup = Fixup::HostMetricDiscriminatorWithoutOneOf;
/// `HostMetricValue.units` spells units as `bytes`, `MB`, `msec`; servers (and the legacy v1.0
/// reference) send `BYTES`, `MEGABYTES`, `MILLISECONDS`, `RAW`, the spellings of the units enums
/// of the four metric views. Those spellings become known values.
pub const METRIC_UNITS: Fixup = Fixup::MetricUnitsServerSpellings;
/// The `remoteAddress` pattern rejects compressed IPv6 (`2001:db8::1`). Patterns are never
/// enforced on received data; this fixup documents the bug on every such field.
pub const REMOTE_ADDRESS: Fixup = Fixup::RemoteAddressPatternRejectsCompressedIpv6;
/// Two enum branches of the event-type lists share a title ("Alert Audit Types" titles the alert
/// *config* types too). The later branch gets a title after its own view enum.
pub const REPEATED_TITLES: Fixup = Fixup::RepeatedEnumTitles;
/// `DefaultEventViewForOrg.eventTypeName` (and `DefaultEventViewForNdsGroup.eventTypeName`,
/// `EventTypeForNdsGroup`, `EventTypeForOrg`) declare `type: object` beside a `oneOf` whose
/// every branch is a string enum: the value is a string, never an object (not reported
/// upstream yet). Such a schema is read as the open string enum of its branches; without this
/// fixup it is an error, and the fixup fails once no schema has the bug.
pub const STRING_ENUMS_TYPED_OBJECT: Fixup = Fixup::OneOfStringEnumsTypedObject;

/// On a property schema: notes (strings) the field's docs carry.
pub const NOTES: &str = "x-fixup-notes";
/// On a string enum schema: the doc of the enum type, when it is not the field's description.
pub const ENUM_DOC: &str = "x-fixup-enum-doc";
/// On a string enum schema: `{"doc": text, "kinds": {value: kind}}`, the kind of each value
/// (what `kind()` returns) and the doc of the closed enum of kinds.
pub const VALUE_KINDS: &str = "x-fixup-value-kinds";

const UNITS_SCHEMA: &str = "/components/schemas/HostMetricValue";
const UNITS_PROPERTY: &str = "units";
const BUGGY_REMOTE_ADDRESS_PATTERN: &str =
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";

/// Runs the enabled fixups on the subset document, in an order where each finds the bug it
/// fixes: `metric_units_server_spellings` reads the discriminator mapping that
/// `host_metric_discriminator_without_one_of` removes.
pub fn apply(
    document: &mut Value,
    enabled: &[Fixup],
    naming: &Naming,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let on = |fixup: Fixup| enabled.contains(&fixup);
    if on(STRING_ENUMS_TYPED_OBJECT) {
        one_of_string_enums_typed_object(document, warnings)?;
    }
    if on(METRIC_UNITS) {
        metric_units_server_spellings(document, warnings)?;
    }
    if on(HOST_METRIC_DISCRIMINATOR) {
        host_metric_discriminator_without_one_of(document, naming, warnings)?;
    }
    if on(REMOTE_ADDRESS) {
        remote_address_pattern_rejects_compressed_ipv6(document, warnings)?;
    }
    if on(REPEATED_TITLES) {
        repeated_enum_titles(document, warnings)?;
    }
    Ok(())
}

/// The error of a fixup whose bug the spec no longer has.
fn no_longer_applies(pointer: &str, fixup: Fixup, why: &str, what_to_do: &str) -> Error {
    Error::spec(
        pointer,
        format!("fixup `{fixup}` no longer applies: {why}; {what_to_do} generator.toml"),
    )
}

/// See [`STRING_ENUMS_TYPED_OBJECT`]: drops `type: object` from every `oneOf` of string enums.
fn one_of_string_enums_typed_object(
    document: &mut Value,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let mut found = Vec::new();
    walk_schemas(document, "", &mut |pointer, schema| {
        if is_typed_object_one_of_string_enums(document, schema) {
            found.push(pointer.to_string());
        }
    });
    if found.is_empty() {
        return Err(no_longer_applies(
            "/components/schemas",
            STRING_ENUMS_TYPED_OBJECT,
            "no oneOf of string enums declares `type: object`",
            "remove it from",
        ));
    }
    for pointer in found {
        if let Some(Value::Object(schema)) = document.pointer_mut(&pointer) {
            schema.remove("type");
        }
        warnings.push(format!(
            "fixup {STRING_ENUMS_TYPED_OBJECT}: {pointer}: `type: object` beside a oneOf of string enums; read as a string enum"
        ));
    }
    Ok(())
}

/// `type: object` beside a non-empty `oneOf` whose every branch is a string enum, and no other
/// keyword that describes a value.
fn is_typed_object_one_of_string_enums(document: &Value, schema: &Map<String, Value>) -> bool {
    let plain = [
        "allOf",
        "anyOf",
        "not",
        "properties",
        "additionalProperties",
        "items",
        "enum",
    ]
    .iter()
    .all(|keyword| !schema.contains_key(*keyword));
    let branches = schema.get("oneOf").and_then(Value::as_array);
    plain
        && schema.get("type").and_then(Value::as_str) == Some("object")
        && branches.is_some_and(|branches| {
            !branches.is_empty()
                && branches
                    .iter()
                    .all(|branch| is_string_enum(resolve(document, branch)))
        })
}

fn is_string_enum(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| !values.is_empty())
}

/// The schema a `$ref` inside the document points at, or `schema` itself.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(schema)
}

/// Calls `visit` with the pointer of every object below `value` (examples excepted), parents
/// first, keys in order.
fn walk_schemas(value: &Value, pointer: &str, visit: &mut dyn FnMut(&str, &Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(pointer, map);
            for (key, child) in map {
                if key != "example" && key != "examples" {
                    walk_schemas(child, &format!("{pointer}/{}", pointer_token(key)), visit);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                walk_schemas(child, &format!("{pointer}/{index}"), visit);
            }
        }
        _ => {}
    }
}

/// A discriminator outside a `oneOf`, as the spec gives it.
struct LooseDiscriminator {
    /// The pointer of the schema that carries it.
    pointer: String,
    property: String,
    /// Each value and the pointer of the schema it maps to.
    mapping: Vec<(String, String)>,
}

fn loose_discriminators(document: &Value) -> Vec<LooseDiscriminator> {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut found = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(discriminator) = schema.get("discriminator") else {
            continue;
        };
        if schema.get("oneOf").is_some() {
            continue;
        }
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        found.push(LooseDiscriminator {
            pointer: format!("/components/schemas/{}", pointer_token(name)),
            property: discriminator
                .get("propertyName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            mapping: mapping
                .into_iter()
                .flatten()
                .filter_map(|(value, target)| {
                    let reference = super::subset::mapping_reference(target.as_str()?);
                    Some((value.clone(), reference.strip_prefix('#')?.to_string()))
                })
                .collect(),
        });
    }
    found
}

/// See [`HOST_METRIC_DISCRIMINATOR`]: the discriminator property becomes a string enum of the
/// mapping's values, each with the kind its view names (`NumberMetricEventView` -> `Number`),
/// and the discriminator is removed.
fn host_metric_discriminator_without_one_of(
    document: &mut Value,
    naming: &Naming,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let loose = loose_discriminators(document);
    if loose.is_empty() {
        return Err(no_longer_applies(
            "/components/schemas",
            HOST_METRIC_DISCRIMINATOR,
            "no schema has a discriminator outside a oneOf",
            "model the union and remove the fixup from",
        ));
    }
    for d in loose {
        let schema_name = d.pointer.rsplit('/').next().unwrap_or_default().to_string();
        let enum_key = format!("{schema_name}.{}", d.property);
        let at = format!("{}/discriminator/mapping", d.pointer);
        let rust_name = naming.type_name(&enum_key, &at)?;
        let mut kinds = Map::new();
        for (value, target) in &d.mapping {
            let view = target.rsplit('/').next().unwrap_or(target);
            let kind = view.strip_suffix("MetricEventView").unwrap_or(view);
            kinds.insert(value.clone(), Value::String(kind.to_string()));
        }
        let values: Vec<&String> = d.mapping.iter().map(|(value, _)| value).collect();
        let enum_doc = format!(
            "Metric names of `{schema_name}`, from the spec's discriminator mapping. Each known name has a kind: the mapping points at the `<Kind>MetricEventView` whose `currentValue` carries that kind's units; an event can be decoded again as that view."
        );
        let Some(Value::Object(schema)) = document.pointer_mut(&d.pointer) else {
            return Err(Error::spec(
                d.pointer,
                "the discriminator's schema is not an object",
            ));
        };
        schema.remove("discriminator");
        let property = schema
            .get_mut("properties")
            .and_then(|properties| properties.get_mut(&d.property))
            .and_then(Value::as_object_mut);
        let Some(property) = property else {
            return Err(Error::spec(
                d.pointer,
                format!(
                    "the discriminator property `{}` is not a property",
                    d.property
                ),
            ));
        };
        let plain_string = property.get("type").and_then(Value::as_str) == Some("string")
            && !["enum", "format", "$ref"]
                .iter()
                .any(|keyword| property.contains_key(*keyword));
        if !plain_string {
            return Err(Error::spec(
                d.pointer,
                format!(
                    "fixup `{HOST_METRIC_DISCRIMINATOR}` expects `{}` to be a plain string",
                    d.property
                ),
            ));
        }
        property.insert("enum".to_string(), json!(values));
        property.insert(ENUM_DOC.to_string(), Value::String(enum_doc));
        property.insert(
            VALUE_KINDS.to_string(),
            json!({
                "doc": "The kind of value a host metric measures, from the spec's discriminator mapping.",
                "kinds": kinds,
            }),
        );
        let distinct: BTreeSet<&str> = kinds.values().filter_map(Value::as_str).collect();
        warnings.push(format!(
            "fixup {HOST_METRIC_DISCRIMINATOR}: {at} maps {} `{}` values to views no oneOf lists; `{rust_name}` is an open enum of them, each with its kind ({})",
            values.len(),
            d.property,
            distinct.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(())
}

/// See [`METRIC_UNITS`]: the values of the `currentValue.units` enums of every view a loose
/// discriminator maps to (by view name, each once) that `HostMetricValue.units` lacks are
/// appended to it.
fn metric_units_server_spellings(
    document: &mut Value,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let spellings = mapped_view_units(document);
    if spellings.is_empty() {
        return Err(Error::spec(
            "/components/schemas/HostMetricEvent/discriminator/mapping",
            format!(
                "fixup `{METRIC_UNITS}` takes the server spellings from the `currentValue.units` enums of the views a discriminator maps to, and found none (it needs fixup `{HOST_METRIC_DISCRIMINATOR}`)"
            ),
        ));
    }
    let units_pointer = format!("{UNITS_SCHEMA}/properties/{UNITS_PROPERTY}");
    let units = document
        .pointer_mut(&units_pointer)
        .and_then(|units| units.get_mut("enum"))
        .and_then(Value::as_array_mut);
    let Some(units) = units else {
        return Err(no_longer_applies(
            &units_pointer,
            METRIC_UNITS,
            "there is no `HostMetricValue.units` enum",
            "remove it from",
        ));
    };
    let missing: Vec<String> = spellings
        .into_iter()
        .filter(|u| !units.iter().any(|v| v.as_str() == Some(u)))
        .collect();
    if missing.is_empty() {
        return Err(no_longer_applies(
            &units_pointer,
            METRIC_UNITS,
            "the spec lists every server spelling",
            "remove it from",
        ));
    }
    units.extend(missing.iter().cloned().map(Value::String));
    warnings.push(format!(
        "fixup {METRIC_UNITS}: {units_pointer} lacks the spellings of the metric views' units enums, which servers send: {}; added as known values",
        missing.join(", ")
    ));
    Ok(())
}

fn mapped_view_units(document: &Value) -> Vec<String> {
    let views: BTreeSet<String> = loose_discriminators(document)
        .into_iter()
        .flat_map(|d| d.mapping.into_iter().map(|(_, target)| target))
        .collect();
    let mut spellings: Vec<String> = Vec::new();
    for view in views {
        let units = document
            .pointer(&view)
            .and_then(|view| resolve_property(document, view, "currentValue"))
            .and_then(|value| resolve_property(document, value, UNITS_PROPERTY))
            .filter(|units| is_string_enum(units))
            .and_then(|units| units.get("enum"))
            .and_then(Value::as_array);
        for value in units.into_iter().flatten().filter_map(Value::as_str) {
            if !spellings.iter().any(|s| s == value) {
                spellings.push(value.to_string());
            }
        }
    }
    spellings
}

fn resolve_property<'a>(document: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let property = schema.get("properties")?.get(name)?;
    Some(resolve(document, property))
}

/// See [`REMOTE_ADDRESS`]: a note on every `remoteAddress` property with the buggy pattern.
fn remote_address_pattern_rejects_compressed_ipv6(
    document: &mut Value,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let mut found = Vec::new();
    walk_schemas(document, "", &mut |pointer, schema| {
        let property = schema
            .get("properties")
            .and_then(|p| p.get("remoteAddress"));
        if property
            .and_then(|p| p.get("pattern"))
            .and_then(Value::as_str)
            == Some(BUGGY_REMOTE_ADDRESS_PATTERN)
        {
            found.push(format!("{pointer}/properties/remoteAddress"));
        }
    });
    if found.is_empty() {
        return Err(no_longer_applies(
            "/components/schemas",
            REMOTE_ADDRESS,
            "no `remoteAddress` carries the buggy pattern",
            "remove it from",
        ));
    }
    for pointer in &found {
        if let Some(Value::Object(property)) = document.pointer_mut(pointer) {
            property.insert(
                NOTES.to_string(),
                json!(["The spec's pattern for this field rejects compressed IPv6 addresses such as `2001:db8::1`, which servers send; received values are never checked against it."]),
            );
        }
    }
    warnings.push(format!(
        "fixup {REMOTE_ADDRESS}: documented on {} `remoteAddress` fields",
        found.len()
    ));
    Ok(())
}

/// See [`REPEATED_TITLES`]: the later branch of a `oneOf` of string enums whose title repeats
/// takes the title [`naming::repeated_title`] gives after the view enum (a string enum of the
/// same values, the first by name) it lists.
fn repeated_enum_titles(document: &mut Value, warnings: &mut Vec<String>) -> Result<(), Error> {
    let view_enums = view_enums_by_values(document);
    let mut retitled: Vec<(String, String)> = Vec::new();
    walk_schemas(document, "", &mut |pointer, schema| {
        let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
            return;
        };
        let mut seen = BTreeSet::new();
        for (index, branch) in branches.iter().enumerate() {
            let branch = resolve(document, branch);
            let Some(title) = branch.get("title").and_then(Value::as_str) else {
                continue;
            };
            if !is_string_enum(branch) || seen.insert(title) {
                continue;
            }
            let at = format!("{pointer}/oneOf/{index}");
            let Some(view_enum) = view_enums.get(&sorted_values(branch)) else {
                warnings.push(format!("fixup {REPEATED_TITLES}: {at}: title `{title}` repeats and no view enum has the same values; kept"));
                continue;
            };
            let category = naming::repeated_title(view_enum);
            warnings.push(format!(
                "fixup {REPEATED_TITLES}: {at}: title `{title}` repeats; this branch's category is `{category}` (after `{view_enum}`)"
            ));
            retitled.push((at, category));
        }
    });
    if retitled.is_empty() {
        return Err(no_longer_applies(
            "/components/schemas",
            REPEATED_TITLES,
            "no enum title repeats",
            "remove it from",
        ));
    }
    for (pointer, title) in retitled {
        if let Some(Value::Object(branch)) = document.pointer_mut(&pointer) {
            branch.insert("title".to_string(), Value::String(title));
        }
    }
    Ok(())
}

fn sorted_values(schema: &Value) -> Vec<String> {
    let values = schema.get("enum").and_then(Value::as_array);
    let mut values: Vec<String> = values
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    values.sort();
    values
}

/// The name of each component string enum (`Schema`) and property string enum
/// (`Schema.property`), by its sorted values; the first by name when several list the same.
fn view_enums_by_values(document: &Value) -> std::collections::BTreeMap<Vec<String>, String> {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut named: Vec<(String, &Value)> = Vec::new();
    for (name, schema) in schemas.into_iter().flatten() {
        named.push((name.clone(), schema));
        let properties = schema.get("properties").and_then(Value::as_object);
        for (property, child) in properties.into_iter().flatten() {
            let child = child.get("items").unwrap_or(child);
            named.push((format!("{name}.{property}"), child));
        }
    }
    named.sort_by(|a, b| a.0.cmp(&b.0));
    let mut by_values = std::collections::BTreeMap::new();
    for (name, schema) in named {
        if is_string_enum(schema) {
            by_values.entry(sorted_values(schema)).or_insert(name);
        }
    }
    by_values
}
