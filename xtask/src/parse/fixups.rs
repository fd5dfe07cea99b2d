//! Named workarounds for bugs in the upstream spec.
//!
//! Each fixup is enabled by name in `generator.toml`, reports what it did on every regen, and
//! fails once upstream fixes the bug it works around, so that no fixup outlives its reason.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToTitleCase;

use super::EnumBranch;
use crate::config::Fixup;
use crate::error::Error;
use crate::model::*;
use crate::naming;

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
/// *config* types too). The later branch gets a category named after its own view enum.
pub const REPEATED_TITLES: Fixup = Fixup::RepeatedEnumTitles;
/// `DefaultEventViewForOrg.eventTypeName` (and `DefaultEventViewForNdsGroup.eventTypeName`,
/// `EventTypeForNdsGroup`, `EventTypeForOrg`) declare `type: object` beside a `oneOf` whose
/// every branch is a string enum: the value is a string, never an object (not reported
/// upstream yet). Such a schema is read as the open string enum of its branches; without this
/// fixup it is an error, and the fixup fails once no schema has the bug.
pub const STRING_ENUMS_TYPED_OBJECT: Fixup = Fixup::OneOfStringEnumsTypedObject;

const UNITS_ENUM: &str = "HostMetricValue.units";
const BUGGY_REMOTE_ADDRESS_PATTERN: &str =
    r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$";

/// A discriminator outside a `oneOf`, as the spec gives it.
struct LooseDiscriminator {
    schema: String,
    property: String,
    mapping: Vec<(String, String)>,
    pointer: String,
}

pub struct Fixups {
    enabled: BTreeSet<Fixup>,
    loose: Vec<LooseDiscriminator>,
    /// Pointers of the `oneOf`s of string enums declared `type: object`.
    typed_object: Vec<String>,
}

impl Fixups {
    pub fn new(enabled: &[Fixup]) -> Fixups {
        Fixups {
            enabled: enabled.iter().copied().collect(),
            loose: Vec::new(),
            typed_object: Vec::new(),
        }
    }

    fn on(&self, fixup: Fixup) -> bool {
        self.enabled.contains(&fixup)
    }

    /// Called for every `oneOf` of string enums that declares `type: object` (see
    /// [`STRING_ENUMS_TYPED_OBJECT`]): an error unless the fixup is enabled.
    pub fn one_of_string_enums_typed_object(
        &mut self,
        pointer: &str,
        warnings: &mut Vec<String>,
    ) -> Result<(), Error> {
        if !self.on(STRING_ENUMS_TYPED_OBJECT) {
            return Err(Error::spec(
                format!("{pointer}/type"),
                format!(
                    "`type: object` beside a oneOf of string enums: the value is a string; enable fixup `{STRING_ENUMS_TYPED_OBJECT}` to read it as a string enum"
                ),
            ));
        }
        warnings.push(format!(
            "fixup {STRING_ENUMS_TYPED_OBJECT}: {pointer}: `type: object` beside a oneOf of string enums; read as a string enum"
        ));
        self.typed_object.push(pointer.to_string());
        Ok(())
    }

    /// Called for every object schema that carries a discriminator outside a `oneOf`; every
    /// schema its mapping names exists (cutting the subset checked that).
    pub fn discriminator_without_one_of(
        &mut self,
        schema: &str,
        property: &str,
        mapping: &[(String, String)],
        pointer: &str,
    ) -> Result<(), Error> {
        if !self.on(HOST_METRIC_DISCRIMINATOR) {
            return Err(Error::spec(
                format!("{pointer}/discriminator"),
                "unsupported construct: a discriminator outside a oneOf (its mapping is not a union of the schema)",
            ));
        }
        self.loose.push(LooseDiscriminator {
            schema: schema.to_string(),
            property: property.to_string(),
            mapping: mapping.to_vec(),
            pointer: pointer.to_string(),
        });
        Ok(())
    }

    pub fn apply_after_lowering(
        self,
        types: &mut BTreeMap<String, TypeDef>,
        enum_branches: &BTreeMap<String, Vec<EnumBranch>>,
        naming: &crate::naming::Naming,
        type_names: &mut crate::naming::Namespace,
        warnings: &mut Vec<String>,
    ) -> Result<(), Error> {
        if self.on(HOST_METRIC_DISCRIMINATOR) {
            if self.loose.is_empty() {
                return Err(Error::spec(
                    "/components/schemas",
                    format!(
                        "fixup `{HOST_METRIC_DISCRIMINATOR}` no longer applies: no schema has a discriminator outside a oneOf; model the union and remove the fixup from generator.toml"
                    ),
                ));
            }
            for d in &self.loose {
                metric_names(d, types, naming, type_names, warnings)?;
            }
        }
        if self.on(METRIC_UNITS) {
            metric_units(&self.loose, types, naming, warnings)?;
        }
        if self.on(REMOTE_ADDRESS) {
            remote_address(types, warnings)?;
        }
        if self.on(REPEATED_TITLES) {
            repeated_titles(types, enum_branches, warnings)?;
        }
        if self.on(STRING_ENUMS_TYPED_OBJECT) && self.typed_object.is_empty() {
            return Err(Error::spec(
                "/components/schemas",
                format!(
                    "fixup `{STRING_ENUMS_TYPED_OBJECT}` no longer applies: no oneOf of string enums declares `type: object`; remove it from generator.toml"
                ),
            ));
        }
        Ok(())
    }
}

fn metric_names(
    d: &LooseDiscriminator,
    types: &mut BTreeMap<String, TypeDef>,
    naming: &crate::naming::Naming,
    type_names: &mut crate::naming::Namespace,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let enum_key = format!("{}.{}", d.schema, d.property);
    let at = format!("{}/discriminator/mapping", d.pointer);
    let rust_name = naming.type_name(&enum_key, &at)?;
    type_names.claim(&rust_name, &enum_key, &at)?;
    let kind_name = format!("{rust_name}Kind");
    type_names.claim(&kind_name, &format!("{enum_key} kinds"), &at)?;
    let mut values = Vec::new();
    let mut variants = crate::naming::Namespace::default();
    for (wire, target) in &d.mapping {
        let schema = target.rsplit('/').next().unwrap_or(target);
        let kind = schema.strip_suffix("MetricEventView").unwrap_or(schema);
        let rust = naming.variant_name(&enum_key, wire, &at)?;
        variants.claim(&rust, wire, &at)?;
        values.push(EnumValue {
            wire: wire.clone(),
            rust_name: rust,
            label: Some(kind.to_string()),
        });
    }
    let Some(TypeDef::Struct(owner)) = types.get_mut(&d.schema) else {
        return Err(Error::spec(
            d.pointer.clone(),
            "the discriminator's schema is not an object",
        ));
    };
    let Some(field) = owner.fields.iter_mut().find(|f| f.wire_name == d.property) else {
        return Err(Error::spec(
            d.pointer.clone(),
            format!(
                "the discriminator property `{}` is not a property",
                d.property
            ),
        ));
    };
    if field.ty != TypeRef::String {
        return Err(Error::spec(
            d.pointer.clone(),
            format!(
                "fixup `{HOST_METRIC_DISCRIMINATOR}` expects `{}` to be a plain string",
                d.property
            ),
        ));
    }
    field.ty = TypeRef::Named(enum_key.clone());
    let kinds: BTreeSet<&str> = values.iter().filter_map(|v| v.label.as_deref()).collect();
    warnings.push(format!(
        "fixup {HOST_METRIC_DISCRIMINATOR}: {at} maps {} `{}` values to views no oneOf lists; `{}` is an open enum of them, each with its kind ({})",
        values.len(),
        d.property,
        rust_name,
        kinds.into_iter().collect::<Vec<_>>().join(", ")
    ));
    types.insert(
        enum_key.clone(),
        TypeDef::Enum(EnumDef {
            spec_name: enum_key.clone(),
            rust_name,
            pointer: at,
            doc: Some(format!(
                "Metric names of `{}`, from the spec's discriminator mapping. Each known name has a kind: the mapping points at the `<Kind>MetricEventView` whose `currentValue` carries that kind's units; an event can be decoded again as that view.",
                d.schema
            )),
            values,
            labels: Some(LabelKind::Kind {
                rust_name: kind_name,
                doc: "The kind of value a host metric measures, from the spec's discriminator mapping.".to_string(),
            }),
        }),
    );
    Ok(())
}

fn metric_units(
    loose: &[LooseDiscriminator],
    types: &mut BTreeMap<String, TypeDef>,
    naming: &crate::naming::Naming,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let spellings = mapped_view_units(loose, types);
    if spellings.is_empty() {
        return Err(Error::spec(
            "/components/schemas/HostMetricEvent/discriminator/mapping",
            format!(
                "fixup `{METRIC_UNITS}` takes the server spellings from the `currentValue.units` enums of the views a discriminator maps to, and found none (it needs fixup `{HOST_METRIC_DISCRIMINATOR}`)"
            ),
        ));
    }
    let Some(TypeDef::Enum(units)) = types.get_mut(UNITS_ENUM) else {
        return Err(Error::spec(
            "/components/schemas/HostMetricValue/properties/units",
            format!(
                "fixup `{METRIC_UNITS}` no longer applies: there is no `{UNITS_ENUM}` enum; remove it from generator.toml"
            ),
        ));
    };
    let missing: Vec<&str> = spellings
        .iter()
        .map(String::as_str)
        .filter(|u| !units.values.iter().any(|v| v.wire == *u))
        .collect();
    if missing.is_empty() {
        return Err(Error::spec(
            units.pointer.clone(),
            format!(
                "fixup `{METRIC_UNITS}` no longer applies: the spec lists every server spelling; remove it from generator.toml"
            ),
        ));
    }
    let mut names = crate::naming::Namespace::default();
    for v in &units.values {
        names.claim(&v.rust_name, &v.wire, &units.pointer)?;
    }
    for wire in &missing {
        let rust = naming.variant_name(UNITS_ENUM, wire, &units.pointer)?;
        names.claim(&rust, wire, &units.pointer)?;
        units.values.push(EnumValue {
            wire: wire.to_string(),
            rust_name: rust,
            label: None,
        });
    }
    warnings.push(format!(
        "fixup {METRIC_UNITS}: {} lacks the spellings of the metric views' units enums, which servers send: {}; added as known values",
        units.pointer,
        missing.join(", ")
    ));
    Ok(())
}

/// The values of the `currentValue.units` enums of every view a loose discriminator maps to,
/// by view name, each once.
fn mapped_view_units(
    loose: &[LooseDiscriminator],
    types: &BTreeMap<String, TypeDef>,
) -> Vec<String> {
    let field_type = |key: &str, wire: &str| match types.get(key) {
        Some(TypeDef::Struct(s)) => {
            s.fields
                .iter()
                .find(|f| f.wire_name == wire)
                .and_then(|f| match &f.ty {
                    TypeRef::Named(key) => Some(key.clone()),
                    _ => None,
                })
        }
        _ => None,
    };
    let views: BTreeSet<&str> = loose
        .iter()
        .flat_map(|d| d.mapping.iter())
        .filter_map(|(_, target)| target.rsplit('/').next())
        .collect();
    let mut spellings: Vec<String> = Vec::new();
    for view in views {
        let units = field_type(view, "currentValue").and_then(|value| field_type(&value, "units"));
        if let Some(TypeDef::Enum(e)) = units.and_then(|key| types.get(&key)) {
            for v in &e.values {
                if !spellings.contains(&v.wire) {
                    spellings.push(v.wire.clone());
                }
            }
        }
    }
    spellings
}

fn remote_address(
    types: &mut BTreeMap<String, TypeDef>,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    let mut count = 0;
    for def in types.values_mut() {
        let TypeDef::Struct(s) = def else { continue };
        for field in &mut s.fields {
            if field.wire_name == "remoteAddress"
                && field.pattern.as_deref() == Some(BUGGY_REMOTE_ADDRESS_PATTERN)
            {
                field.notes.push(
                    "The spec's pattern for this field rejects compressed IPv6 addresses such as `2001:db8::1`, which servers send; received values are never checked against it.".to_string(),
                );
                count += 1;
            }
        }
    }
    if count == 0 {
        return Err(Error::spec(
            "/components/schemas",
            format!(
                "fixup `{REMOTE_ADDRESS}` no longer applies: no `remoteAddress` carries the buggy pattern; remove it from generator.toml"
            ),
        ));
    }
    warnings.push(format!(
        "fixup {REMOTE_ADDRESS}: documented on {count} `remoteAddress` fields"
    ));
    Ok(())
}

fn repeated_titles(
    types: &mut BTreeMap<String, TypeDef>,
    enum_branches: &BTreeMap<String, Vec<EnumBranch>>,
    warnings: &mut Vec<String>,
) -> Result<(), Error> {
    // The spec name of each plain enum, by its sorted values, to name a category after it.
    let mut by_values: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for def in types.values() {
        if let TypeDef::Enum(e) = def
            && e.labels.is_none()
            && !e.spec_name.is_empty()
        {
            let mut values: Vec<String> = e.values.iter().map(|v| v.wire.clone()).collect();
            values.sort();
            by_values
                .entry(values)
                .or_insert_with(|| e.spec_name.clone());
        }
    }
    let mut renamed = 0;
    for (key, branches) in enum_branches {
        let mut seen = BTreeSet::new();
        let mut relabel: BTreeMap<String, String> = BTreeMap::new();
        for branch in branches {
            let Some(title) = &branch.title else { continue };
            if seen.insert(title.clone()) {
                continue;
            }
            let mut values = branch.values.clone();
            values.sort();
            let Some(view_enum) = by_values.get(&values) else {
                warnings.push(format!("fixup {REPEATED_TITLES}: {}: title `{title}` repeats and no view enum has the same values; kept", branch.pointer));
                continue;
            };
            let base = naming::scope(view_enum)
                .1
                .strip_suffix("TypeView")
                .unwrap_or(view_enum);
            let category = format!("{} Types", base.to_title_case());
            warnings.push(format!(
                "fixup {REPEATED_TITLES}: {}: title `{title}` repeats; this branch's category is `{category}` (after `{view_enum}`)",
                branch.pointer
            ));
            for v in &branch.values {
                relabel.insert(v.clone(), category.clone());
            }
            renamed += 1;
        }
        if let Some(TypeDef::Enum(e)) = types.get_mut(key) {
            for v in &mut e.values {
                if let Some(category) = relabel.get(&v.wire) {
                    v.label = Some(category.clone());
                }
            }
        }
    }
    if renamed == 0 {
        return Err(Error::spec(
            "/components/schemas",
            format!(
                "fixup `{REPEATED_TITLES}` no longer applies: no enum title repeats; remove it from generator.toml"
            ),
        ));
    }
    Ok(())
}
