//! Hand-written runtime of the generated client: HTTP execution,
//! authentication, retries, paging, errors and parameter checks.
//!
//! Generated operation code builds a [`RequestSpec`], validates its
//! parameters with [`validate`], and calls [`Client::execute`] or
//! [`paginate`]. Everything in here is copied verbatim into the generated
//! crate; the crate root re-exports [`Client`], [`ClientBuilder`],
//! [`Credentials`], [`Error`], [`Response`], [`RateLimit`] and
//! [`RetryPolicy`].

mod auth;
mod client;
mod error;
mod paging;
mod retry;
#[cfg(test)]
mod tests;
#[doc(hidden)]
pub mod validate;

pub use auth::{
    Credentials, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY,
};
#[doc(hidden)]
pub use client::RequestSpec;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, RateLimit,
    Response,
};
pub use error::Error;
pub use paging::{Page, Pages};
#[doc(hidden)]
pub use paging::{PageParts, Paged, Paging, paginate, unreadable_items};
pub use retry::RetryPolicy;
