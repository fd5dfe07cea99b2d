//! Tests of the generator and the generated crate live in `tests/`; this library holds what
//! they share with the command line's tests: a fake Atlas events API on loopback.

pub mod fake_atlas;
