//! Benchmarks of `mongodb-atlas-events` against a progenitor client of the same subset.
//! Nothing here runs in CI; see `BENCHMARKS.md`.

pub mod corpus;
pub mod inputs;
pub mod pages;

/// progenitor 0.15's client for `spec/events-subset.json` (generated in `build.rs`).
#[allow(
    clippy::all,
    clippy::pedantic,
    dead_code,
    unused_imports,
    missing_docs,
    mismatched_lifetime_syntaxes
)]
pub mod progenitor_client_gen {
    include!(concat!(env!("OUT_DIR"), "/progenitor.rs"));
}
