//! The hand-written runtime of `mongodb-atlas-events` (HTTP execution, authentication,
//! retries, paging, following, errors and parameter checks), compiled where it is edited.
//!
//! **This crate is never published and nothing depends on it.** Every file of `src/` except
//! this `lib.rs` is copied by `cargo xtask regen` into the generated crate as
//! `generated/src/runtime/`, where `mod.rs` is the `runtime` module; users get the runtime
//! inside the one `mongodb-atlas-events` package. The copy leaves out the test code: every
//! top-level item marked `#[cfg(test)]` (the `mod tests` of each file, `tests.rs`, the
//! test-only `paginate`). So the runtime is linted, documented and tested here, and the
//! generated crate carries no test code and needs no test-only dependencies.
//!
//! # The seam
//!
//! The runtime names a few items of the generated crate as `crate::...`:
//! `crate::models::ApiError` (the decoded body of an Atlas error, a public field of
//! `Error::Api`) and `crate::EventTypeName` (what `TypeSelection` is generic over; it lives
//! in `templates/support/`). Inside the generated crate those paths are the crate's own.
//! Here, this root re-exports them from the generated crate built without its `client`
//! feature (the models and `support/` only, no copy of this runtime), so the runtime is
//! compiled against the real generated types, never against a stand-in that could drift.
//! The cost is an order: a runtime change that needs a new generated item needs a regen
//! first, and `cargo xtask check` (or `cargo test`) fails while `generated/` holds an older
//! copy of these files.
//!
//! Doc links such as [`crate::EnvSettings`] resolve because this root re-exports what the
//! generated `lib.rs` re-exports. The doc examples use the generated crate's public paths
//! (`mongodb_atlas_events::TypeSelection`) and run as its doctests (`doctest = false` here).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use mongodb_atlas_events::EventTypeName;
pub use mongodb_atlas_events::models;

#[path = "mod.rs"]
pub mod runtime;

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
                name == "mongodb-atlas-events" || generated.contains_key(name),
                "{name} is in Cargo.toml, not in DEPENDENCIES.toml"
            );
        }
    }
}
