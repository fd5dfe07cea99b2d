//! What an answer says about Atlas's rate limits: `RateLimit-Limit`,
//! `RateLimit-Remaining` and `Retry-After`.

use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use time::OffsetDateTime;

use super::retry::parse_retry_after;

/// Rate-limit information Atlas sent with an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RateLimit {
    /// `RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `Retry-After`: how long Atlas asks to wait, from when the answer arrived.
    pub retry_after: Option<Duration>,
}

/// The rate-limit headers of an answer that arrived at `now`.
pub(crate) fn rate_limit_of(headers: &HeaderMap, now: OffsetDateTime) -> RateLimit {
    RateLimit {
        limit: header_number(headers, "ratelimit-limit"),
        remaining: header_number(headers, "ratelimit-remaining"),
        retry_after: retry_after_of(headers, now),
    }
}

/// `Retry-After` (seconds, or an HTTP date measured from `now`).
pub(crate) fn retry_after_of(headers: &HeaderMap, now: OffsetDateTime) -> Option<Duration> {
    headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now))
}

/// Reads the leading integer of a header such as `RateLimit-Remaining: 42`
/// (also accepting a trailing `;w=60` style parameter).
fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    let value = headers.get(name)?.to_str().ok()?;
    let digits = value
        .trim()
        .split([';', ','])
        .next()
        .map(str::trim)
        .unwrap_or_default();
    digits.parse().ok()
}
