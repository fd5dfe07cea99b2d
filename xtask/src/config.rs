//! `generator.toml`: what the generator cuts from the spec and the naming and fixup choices.
//! Choices live in this file, not in `if` statements in the generator.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::Error;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub subset: Subset,
    /// `oneOf` unions without a discriminator, chosen by a property's value.
    #[serde(default)]
    pub unions: Vec<UnionConfig>,
    #[serde(default)]
    pub names: Names,
    /// Named workarounds for upstream spec bugs; each one fails once it no longer applies.
    /// An unknown name is refused when the file is read, with the list of known ones.
    #[serde(default)]
    pub fixups: Vec<Fixup>,
    /// The version of the generated crate.
    pub crate_version: String,
    /// Whether generated docs copy the spec's prose (descriptions and summaries). The spec is
    /// licensed CC BY-NC-SA 3.0 US; `false` gives a crate whose docs carry none of its text.
    #[serde(default = "copy_spec_prose")]
    pub spec_prose: bool,
    /// Where the generator's source lives: the generated manifest's `repository`.
    #[serde(default)]
    pub repository: Option<String>,
}

/// The named fixups `generator.toml` can enable; what each works around is documented in
/// `parse/fixups.rs`, beside its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fixup {
    HostMetricDiscriminatorWithoutOneOf,
    MetricUnitsServerSpellings,
    RemoteAddressPatternRejectsCompressedIpv6,
    RepeatedEnumTitles,
    OneOfStringEnumsTypedObject,
}

impl Fixup {
    /// The name `generator.toml` enables it by, and warnings and errors print.
    pub fn name(self) -> &'static str {
        match self {
            Fixup::HostMetricDiscriminatorWithoutOneOf => {
                "host_metric_discriminator_without_one_of"
            }
            Fixup::MetricUnitsServerSpellings => "metric_units_server_spellings",
            Fixup::RemoteAddressPatternRejectsCompressedIpv6 => {
                "remote_address_pattern_rejects_compressed_ipv6"
            }
            Fixup::RepeatedEnumTitles => "repeated_enum_titles",
            Fixup::OneOfStringEnumsTypedObject => "one_of_string_enums_typed_object",
        }
    }
}

impl std::fmt::Display for Fixup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

fn copy_spec_prose() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subset {
    /// Operations carrying any of these tags are cut from the spec.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Further operation ids to include; each must exist.
    #[serde(default)]
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnionConfig {
    /// The `oneOf` schema.
    pub schema: String,
    /// The property whose value selects the variant.
    pub property: String,
    /// The schema of the open enum that lists every value of `property`.
    pub names: String,
    /// The variant for values no other variant lists, and for values no spec lists.
    pub fallback: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Names {
    /// Type key (schema name, or `Schema.property` for inline enums) to Rust type name.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// `Schema.property` to Rust field name.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// `TypeKey.VALUE` to Rust variant name.
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        toml::from_str(&text).map_err(|e| Error::Config {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixups_are_known_names() {
        let config: Config = toml::from_str(
            "crate_version = \"0.1.0\"\nfixups = [\"repeated_enum_titles\"]\n[subset]\n",
        )
        .unwrap();
        assert_eq!(config.fixups, [Fixup::RepeatedEnumTitles]);
        assert_eq!(Fixup::RepeatedEnumTitles.name(), "repeated_enum_titles");
        let error = toml::from_str::<Config>(
            "crate_version = \"0.1.0\"\nfixups = [\"repeated_titles\"]\n[subset]\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("unknown variant `repeated_titles`"),
            "{error}"
        );
        assert!(error.contains("repeated_enum_titles"), "{error}");
    }
}
