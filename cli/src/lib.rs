//! The `atlas-events` command line's logic, kept apart from argument parsing so it can be
//! tested as a library.

pub mod args;
pub mod atomic_file;
pub mod checkpoint_file;
pub mod commands;
pub mod conformance;
pub mod connect;
pub mod exit_code;
pub mod for_people;
pub mod jsonl;
pub mod output;
pub mod progress;
pub mod query;
pub mod scope;
pub mod shard;
pub mod signals;
pub mod table;
pub mod time_arg;
pub mod type_selection;
