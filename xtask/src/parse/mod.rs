//! Reading the spec: YAML text -> JSON value -> the Events subset -> the intermediate model.
//! This module tree is the only place that sees `openapiv3` types.

mod fixups;
mod lower;
mod subset;

use std::path::Path;

use serde_json::Value;

use crate::config::Config;
use crate::error::Error;
use crate::model::Api;

pub use subset::Subset;

/// Parses the YAML (or JSON) text of a full spec into a JSON value.
pub fn load(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse_text(&text, &path.display().to_string())
}

pub fn parse_text(text: &str, name: &str) -> Result<Value, Error> {
    let value: Value = serde_saphyr::from_str(text).map_err(|e| Error::Parse {
        path: name.to_string(),
        message: e.to_string(),
    })?;
    if !value.is_object() {
        return Err(Error::Parse {
            path: name.to_string(),
            message: "the document is not a mapping".to_string(),
        });
    }
    Ok(value)
}

/// Cuts the operations `config` selects, and every component they reach, out of `spec`.
pub fn cut_subset(spec: &Value, config: &Config) -> Result<Subset, Error> {
    subset::cut(spec, config)
}

/// Builds the intermediate model from a subset.
pub fn lower(subset: &Subset, config: &Config) -> Result<Api, Error> {
    let document: openapiv3::OpenAPI =
        serde_json::from_value(subset.document.clone()).map_err(|e| Error::Parse {
            path: "events subset".to_string(),
            message: format!("not an OpenAPI 3.0 document: {e}"),
        })?;
    lower::lower(&document, &subset.document, config)
}
