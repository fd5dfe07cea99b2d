//! The single error type returned by every operation of the client.

use super::rate_limit::RateLimit;

/// The body of an Atlas error answer, as the client reads it: any JSON
/// object, whatever its fields hold. `errorCode`, `detail`, `reason`,
/// `error` and the offending fields of `badRequestDetail` are read when
/// they have the documented types; the whole object is kept for the rest
/// ([`ErrorBody::decode`] reads it as any type: the crate's
/// `models::ApiError`, say).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ErrorBody {
    /// `errorCode`, e.g. `RATE_LIMITED_TOKEN_BUCKET`.
    pub error_code: Option<String>,
    /// `detail`: what went wrong, in words.
    pub detail: Option<String>,
    /// `reason`: the HTTP reason phrase.
    pub reason: Option<String>,
    /// `error`: the HTTP status, as the body repeats it.
    pub error: Option<u16>,
    /// `badRequestDetail.fields`: each offending field with its description.
    pub fields: Vec<(String, String)>,
    /// The whole object as received.
    pub json: serde_json::Map<String, serde_json::Value>,
}

impl ErrorBody {
    /// Reads `bytes` as an error body: `None` unless they are a JSON object.
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<ErrorBody> {
        serde_json::from_slice(bytes)
            .ok()
            .and_then(ErrorBody::from_value)
    }

    /// Reads `value` as an error body: `None` unless it is an object.
    pub(crate) fn from_value(value: serde_json::Value) -> Option<ErrorBody> {
        let serde_json::Value::Object(json) = value else {
            return None;
        };
        let text = |key: &str| json.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let fields = json
            .get("badRequestDetail")
            .and_then(|d| d.get("fields"))
            .and_then(|f| f.as_array())
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| {
                        let name = f.get("field")?.as_str()?;
                        let description = f.get("description")?.as_str()?;
                        Some((name.to_owned(), description.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(ErrorBody {
            error_code: text("errorCode"),
            detail: text("detail"),
            reason: text("reason"),
            error: json
                .get("error")
                .and_then(|v| v.as_u64())
                .and_then(|v| u16::try_from(v).ok()),
            fields,
            json,
        })
    }

    /// The whole body read as `T` (the crate's `models::ApiError`, for the
    /// spec's typed view of it).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(serde_json::Value::Object(self.json.clone()))
    }
}

/// A failed attempt and how long the server asked to wait before another
/// (its `Retry-After`, or the token endpoint's): what the client's retry loop
/// and each authentication exchange hand back.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) retry_after: Option<std::time::Duration>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            error,
            retry_after: None,
        }
    }
}

/// Everything that can go wrong when calling the Atlas Administration API.
///
/// Messages name the operation (the spec's `operationId`) so that a failure
/// in a larger program can be traced back to the call that caused it. No
/// variant ever carries a credential: private keys, client secrets and tokens
/// are kept out of both `Display` and `Debug`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Atlas answered with an error status (directly, or inside an
    /// `envelope=true` body).
    ///
    /// Match it with `..`: fields may be added.
    #[error("{operation}: Atlas answered HTTP {status}{}", describe_api_error(.error.as_deref(), .body))]
    #[non_exhaustive]
    Api {
        /// The operation id, e.g. `listGroupEvents`.
        operation: &'static str,
        /// The HTTP status (the `status` field of the body for enveloped answers).
        status: u16,
        /// The error body: `Some` for any JSON object, whatever it holds
        /// (boxed so that `Result<_, Error>` stays small on the success path).
        error: Option<Box<ErrorBody>>,
        /// The raw body, kept even when it did not decode: at most its first
        /// 64 KiB (the rest of a longer error answer is never read).
        body: String,
        /// `RateLimit-Limit`, `RateLimit-Remaining` and `Retry-After` of the
        /// answer, so that a caller whose retries ran out on a 429 can see the
        /// window (boxed, like `error`, to keep `Error` small).
        rate_limit: Box<RateLimit>,
    },
    /// A parameter was refused before any request was sent.
    #[error("{operation}: invalid parameter `{parameter}`: {reason}")]
    InvalidParameter {
        /// The operation id.
        operation: &'static str,
        /// The parameter name as it appears in the API specification.
        parameter: &'static str,
        /// Why the value was refused.
        reason: String,
    },
    /// The request could not be sent or its answer could not be read:
    /// connection refused or reset, timeout, truncated body.
    #[error("{operation}: {}", describe_transport(.source))]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// Authentication failed: the OAuth token could not be obtained or the
    /// digest challenge could not be answered.
    ///
    /// Match it with `..`: fields may be added.
    #[error("{operation}: authentication failed: {message}")]
    #[non_exhaustive]
    Auth {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status of the failing authentication exchange, if any.
        status: Option<u16>,
        /// What went wrong and what to check (never contains a secret).
        message: String,
        /// The transport error behind the failure, if any.
        #[source]
        source: Option<reqwest::Error>,
        /// Whether trying again later may succeed: the token endpoint was
        /// unreachable, overloaded or rate limited (see [`Error::is_retryable`]).
        retryable: bool,
    },
    /// The call's total time budget ([`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed))
    /// ran out while an attempt was still in flight; the attempt was abandoned.
    #[error(
        "{operation}: the total time budget of {budget:?} for the call and its retries was \
         exhausted during attempt {attempt} (raise RetryPolicy::with_max_elapsed if Atlas is slow)"
    )]
    Deadline {
        /// The operation id.
        operation: &'static str,
        /// The configured budget (`RetryPolicy::max_elapsed`).
        budget: std::time::Duration,
        /// The attempt (1-based) that was abandoned.
        attempt: u32,
    },
    /// The answer was not the JSON the specification promised.
    #[error("{operation}: could not decode the response at `{path}`: {}", bounded(.message, MESSAGE_SHOWN))]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// Where in the body decoding failed, e.g. `results[3].created`.
        path: String,
        /// What the decoder expected.
        message: String,
        /// The start of the raw body, kept for diagnosis (at most 64 KiB).
        body: String,
    },
    /// The answer was longer than the client accepts
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes));
    /// reading stopped at the limit. Not retried: the same answer would come again.
    #[error(
        "{operation}: the answer (HTTP {status}) is larger than the limit of {limit} bytes \
         (raise ClientBuilder::max_response_bytes if such pages are expected)"
    )]
    TooLarge {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status of the answer.
        status: u16,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// A list stopped making progress: a page held only items already
    /// received, came back the same as an earlier page (a server or proxy
    /// that ignores `pageNum`, say), or had no list of items to read. The
    /// stream ends here rather than asking for pages forever or skipping
    /// events without a word.
    #[error("{operation}: paging stopped at page {page}: {reason}")]
    Paging {
        /// The operation id.
        operation: &'static str,
        /// The page (`pageNum`) that made no progress.
        page: u32,
        /// What was wrong with the page.
        reason: String,
    },
    /// The client was configured wrongly (bad base URL, missing credentials).
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// The Atlas `errorCode` (e.g. `RATE_LIMITED`) of an [`Error::Api`] whose
    /// body is a JSON object with a string `errorCode` (whatever its other
    /// fields hold); `None` for every other case.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Error::Api {
                error: Some(api), ..
            } => api.error_code.as_deref(),
            _ => None,
        }
    }

    /// Whether this is an [`Error::Api`] carrying the given `errorCode`.
    pub fn is_error_code(&self, code: &str) -> bool {
        self.error_code() == Some(code)
    }

    /// The rate-limit headers of an [`Error::Api`] answer (a 429, say).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self {
            Error::Api { rate_limit, .. } => Some(**rate_limit),
            _ => None,
        }
    }

    /// The `Retry-After` wait of an [`Error::Api`] answer, when Atlas sent one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.rate_limit().and_then(|r| r.retry_after)
    }

    /// Whether the same request may succeed if tried again later: the one
    /// answer to "may this be retried?", used by the client's retries, by
    /// follow streams and by the `atlas-events` command line. Yes for a
    /// `429` and a `5xx` answer (but `501` and `505`), a network failure or
    /// timeout (but a request that could not be built), a token endpoint
    /// that was unreachable, overloaded or rate limiting, and a call whose
    /// time budget ran out; no for everything else: refusals, invalid
    /// parameters or configuration, answers that cannot be read.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => super::retry::is_retryable_status(*status),
            // A request that could not be built will not build next time.
            Error::Transport { source, .. } => !source.is_builder(),
            Error::Auth { retryable, .. } => *retryable,
            Error::Deadline { .. } => true,
            Error::InvalidParameter { .. }
            | Error::Decode { .. }
            | Error::TooLarge { .. }
            | Error::Paging { .. }
            | Error::Config { .. } => false,
        }
    }

    /// The HTTP status behind this error, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::TooLarge { status, .. } => Some(*status),
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// The operation id this error belongs to (`None` for configuration errors).
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api { operation, .. }
            | Error::InvalidParameter { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Auth { operation, .. }
            | Error::Deadline { operation, .. }
            | Error::Decode { operation, .. }
            | Error::TooLarge { operation, .. }
            | Error::Paging { operation, .. } => Some(operation),
            Error::Config { .. } => None,
        }
    }

    /// Builds an [`Error::Config`] (used by the builder and `from_env`).
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

/// How many characters of a server-given text (`detail`, a field's
/// description, a non-JSON body) an error message shows.
const MESSAGE_SHOWN: usize = 300;
/// How many offending fields of a `badRequestDetail` a message lists.
const FIELDS_SHOWN: usize = 5;

/// ` (CODE: detail)` from an Atlas error body, bounded, or nothing if the
/// body is not one.
pub(crate) fn atlas_says(body: &[u8]) -> String {
    let Some(summary) = ErrorBody::from_slice(body) else {
        return String::new();
    };
    let detail = summary.detail.as_deref().or(summary.reason.as_deref());
    match (summary.error_code.as_deref(), detail) {
        (Some(code), Some(detail)) => format!(
            " ({}: {})",
            bounded(code, MESSAGE_SHOWN),
            bounded(detail, MESSAGE_SHOWN)
        ),
        (Some(code), None) => format!(" ({})", bounded(code, MESSAGE_SHOWN)),
        (None, Some(detail)) => format!(" ({})", bounded(detail, MESSAGE_SHOWN)),
        (None, None) => String::new(),
    }
}

/// The first `max` characters of `text`, with `…` when something was cut.
pub(crate) fn bounded(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Renders the useful part of an Atlas error body for `Display`: the error
/// code, the detail and the offending fields, so a person can act on it
/// without digging into `Debug` output. Every part is bounded, so a huge
/// `detail` never becomes a huge message.
fn describe_api_error(error: Option<&ErrorBody>, body: &str) -> String {
    let Some(api) = error else {
        // Show a bounded prefix of a non-JSON body (an HTML error page from a
        // proxy, say) so the message stays readable.
        let trimmed = body.trim();
        if trimmed.is_empty() {
            return String::new();
        }
        return format!(": {}", bounded(trimmed, MESSAGE_SHOWN));
    };
    let mut out = String::new();
    if let Some(code) = &api.error_code {
        out.push(' ');
        out.push_str(&bounded(code, MESSAGE_SHOWN));
    }
    if let Some(detail) = api.detail.as_deref().or(api.reason.as_deref()) {
        out.push_str(": ");
        out.push_str(&bounded(detail, MESSAGE_SHOWN));
    }
    let fields = &api.fields;
    for (name, description) in fields.iter().take(FIELDS_SHOWN) {
        out.push_str(&format!(
            " [{}: {}]",
            bounded(name, MESSAGE_SHOWN),
            bounded(description, MESSAGE_SHOWN)
        ));
    }
    if fields.len() > FIELDS_SHOWN {
        out.push_str(&format!(" [and {} more]", fields.len() - FIELDS_SHOWN));
    }
    out
}

/// Names the kind of transport failure in words a person can act on.
pub(crate) fn describe_transport(source: &reqwest::Error) -> &'static str {
    if source.is_timeout() {
        "the request timed out (raise the timeout on the client builder if Atlas is slow)"
    } else if source.is_connect() {
        "could not connect to Atlas (check the base URL, network and proxy settings)"
    } else if source.is_body() || source.is_decode() {
        "the connection failed while reading the response body"
    } else if source.is_builder() {
        "the request could not be built (check the base URL)"
    } else {
        "the request failed before an answer arrived"
    }
}
