//! Tests of the generator and the generated crate live in `tests/`; this library holds what
//! they share with each other and with the command line's tests: a fake Atlas events API on
//! loopback, and the build of generated crates.

pub mod fake_atlas;
pub mod generated_crate;
