//! The hand-written runtime of `mongodb-atlas-events` (HTTP execution, authentication,
//! retries, paging, following, errors and parameter checks), compiled where it is edited.
//!
//! **This crate is never published and nothing depends on it.** `src/` is copied as it is by
//! `cargo xtask regen` into the generated crate as `generated/src/runtime/`, where `mod.rs` is
//! the `runtime` module; users get the runtime inside the one `mongodb-atlas-events` package.
//! This root (`lib.rs`) and the tests (`unit/`, one module per file of `src/`) sit outside
//! `src/`, so the copy is a plain copy of files: the runtime is linted, documented and tested
//! here, and the generated crate carries no test code and needs no test-only dependencies. The
//! tests reach the runtime's modules through `crate::runtime` (they are `pub(crate)`, and so
//! are the few functions tested on their own).
//!
//! # The seam
//!
//! The runtime names one item of the generated crate's own: `crate::EventTypeName` (what
//! `TypeSelection` is generic over). It is implemented by the generated event-type enums, which
//! exist without the `client` feature, so its file lives with the models' support code
//! (`templates/support/event_types.rs`, copied to `generated/src/support/`), and this root
//! compiles that same file. The runtime depends on nothing generated: an error's body is the
//! runtime's own `ErrorBody`, decoded into a model on request (`ErrorBody::decode`).
//!
//! Doc links such as [`crate::EnvSettings`] resolve because this root re-exports what the
//! generated `lib.rs` re-exports. The doc examples use the generated crate's public paths
//! (`mongodb_atlas_events::TypeSelection`) and run as its doctests (`doctest = false` here).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// What the event-type enums share: the generated crate's `support/event_types.rs`.
#[path = "../support/event_types.rs"]
pub mod event_types;
pub use event_types::EventTypeName;

#[path = "src/mod.rs"]
pub mod runtime;

#[cfg(test)]
#[path = "unit/mod.rs"]
mod unit;

pub use runtime::{
    Checkpoint, Client, ClientBuilder, Clock, Credentials, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, ENV_CLIENT_ID, ENV_CLIENT_SECRET,
    ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY, EnvSettings, Error, Follow, Items,
    MAX_TYPES_PER_QUERY, Page, Pages, RateLimit, Response, RetryPolicy, SystemClock, TokioClock,
    TypeSelection, WithJson,
};

#[cfg(test)]
mod manifest {
    use toml::Table;

    fn table(file: &str) -> Table {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/").to_owned() + file;
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.parse()
            .unwrap_or_else(|e| panic!("{path} is not TOML: {e}"))
    }

    fn version(spec: &toml::Value) -> Option<&str> {
        spec.as_str().or_else(|| spec.get("version")?.as_str())
    }

    /// What the generated crate gets (DEPENDENCIES.toml) is what the runtime is built and
    /// tested with here (Cargo.toml): the same packages, at the same versions.
    #[test]
    fn manifest_matches_dependencies_toml() {
        let generated = table("DEPENDENCIES.toml");
        let here = table("Cargo.toml");
        let generated = generated["dependencies"]
            .as_table()
            .expect("[dependencies]");
        let here = here["dependencies"].as_table().expect("[dependencies]");
        for (name, spec) in generated {
            let mine = here
                .get(name)
                .unwrap_or_else(|| panic!("{name} is in DEPENDENCIES.toml, not in Cargo.toml"));
            assert_eq!(version(mine), version(spec), "{name}: versions differ");
        }
        for name in here.keys() {
            assert!(
                generated.contains_key(name),
                "{name} is in Cargo.toml, not in DEPENDENCIES.toml"
            );
        }
    }
}
