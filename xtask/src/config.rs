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
    #[serde(default)]
    pub fixups: Vec<String>,
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
