//! Hand-written runtime of the generated client: HTTP execution,
//! authentication, retries, paging, errors and parameter checks.
//!
//! Generated operation code builds a [`RequestSpec`], validates its
//! parameters with [`validate`], and calls [`Client::execute`] or
//! [`PagerParts::pages`]. Everything in here is copied verbatim into the generated
//! crate; the crate root re-exports [`Client`], [`ClientBuilder`],
//! [`Credentials`], [`Error`], [`Response`], [`RateLimit`] and
//! [`RetryPolicy`].

pub(crate) mod auth;
pub(crate) mod checkpoint;
pub(crate) mod client;
pub(crate) mod clock;
pub(crate) mod env;
pub(crate) mod error;
pub(crate) mod follow;
pub(crate) mod org_follow;
pub(crate) mod paging;
pub(crate) mod rate_limit;
pub(crate) mod reader;
pub(crate) mod retry;
#[cfg(feature = "test-util")]
#[cfg_attr(docsrs, doc(cfg(feature = "test-util")))]
pub mod test_util;
pub(crate) mod transport;
pub(crate) mod types;
#[doc(hidden)]
pub mod validate;

pub use auth::{
    Credentials, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_PRIVATE_API_KEY, ENV_PUBLIC_API_KEY,
};
pub use checkpoint::Checkpoint;
#[doc(hidden)]
pub use client::RequestSpec;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, Response,
};
pub use clock::{Clock, SystemClock, TokioClock};
pub use env::EnvSettings;
pub use error::{Error, ErrorBody};
pub use follow::Follow;
#[doc(hidden)]
pub use org_follow::ProjectInfo;
pub use org_follow::{
    DropReason, Notice, OrgCheckpoint, OrgError, OrgFollow, OrgItem, Progress, Scope, Shard,
    shard_of,
};
pub use paging::{Items, Page, Pages, WithJson};
#[doc(hidden)]
pub use paging::{
    JsonPage, KeepType, PageParts, Paged, PagerParts, Paging, json_fingerprint, retain_selected,
    unreadable_items,
};
pub use rate_limit::RateLimit;
pub use retry::RetryPolicy;
pub use types::{MAX_TYPES_PER_QUERY, TypeSelection};
