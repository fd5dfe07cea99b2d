//! The runtime's tests, where it is edited: one module per file of `src/` (`client_api` tests
//! the client as the generated operations call it). They live outside `src/` so that
//! `cargo xtask regen` copies `src/` as it is, and they reach the runtime through
//! `crate::runtime`.

mod auth;
mod client;
mod client_api;
mod clock;
mod env;
mod error;
mod follow;
mod org_follow;
mod paging;
mod retry;
mod transport;
mod validate;
