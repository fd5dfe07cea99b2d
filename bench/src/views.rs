//! Which view each decoder picks for one event. Not part of the library, so that the library's
//! compile time is progenitor's generated code alone: bins and benches include it with `#[path]`.

#![allow(dead_code)]

use atlas_events_bench::pages::Scope;
use serde_json::Value;

/// The view our crate decodes one event as.
pub fn our_view(scope: Scope, event: &Value) -> Result<&'static str, String> {
    match scope {
        Scope::Group => {
            serde_json::from_value::<mongodb_atlas_events::models::GroupEvent>(event.clone())
                .map(|e| e.spec_schema())
                .map_err(|e| e.to_string())
        }
        Scope::Org => {
            serde_json::from_value::<mongodb_atlas_events::models::OrgEvent>(event.clone())
                .map(|e| e.spec_schema())
                .map_err(|e| e.to_string())
        }
    }
}

/// The view progenitor's `serde(untagged)` enum picks for one event (its variant name).
pub fn progenitor_view(scope: Scope, event: &Value) -> Result<String, String> {
    use atlas_events_bench::progenitor_client_gen::types::{EventViewForNdsGroup, EventViewForOrg};
    let debug = match scope {
        Scope::Group => {
            serde_json::from_value::<EventViewForNdsGroup>(event.clone()).map(|e| format!("{e:?}"))
        }
        Scope::Org => {
            serde_json::from_value::<EventViewForOrg>(event.clone()).map(|e| format!("{e:?}"))
        }
    }
    .map_err(|e| e.to_string())?;
    Ok(debug.split('(').next().unwrap_or_default().to_owned())
}
