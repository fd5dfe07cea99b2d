//! The `atlas-events` command line's logic, kept apart from argument parsing so it can be
//! tested as a library.

pub mod conformance;
