//! The single error type returned by every operation of the client.

use crate::models::ApiError;
use crate::runtime::RateLimit;

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
        /// The decoded error body, when it was a valid `ApiError` (boxed so
        /// that `Result<_, Error>` stays small on the success path).
        error: Option<Box<ApiError>>,
        /// The raw body, kept even when it did not decode.
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
    #[error("{operation}: authentication failed: {message}")]
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
    #[error("{operation}: could not decode the response at `{path}`: {message}")]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// Where in the body decoding failed, e.g. `results[3].created`.
        path: String,
        /// What the decoder expected.
        message: String,
        /// The raw body, kept for diagnosis.
        body: String,
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
    /// body decoded; `None` for every other case.
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

    /// The HTTP status behind this error, when there is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
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
            | Error::Decode { operation, .. } => Some(operation),
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

/// Renders the useful part of an Atlas error body for `Display`: the error
/// code, the detail and the offending fields, so a person can act on it
/// without digging into `Debug` output.
fn describe_api_error(error: Option<&ApiError>, body: &str) -> String {
    let Some(api) = error else {
        // Show a bounded prefix of a non-JSON body (an HTML error page from a
        // proxy, say) so the message stays readable.
        let trimmed = body.trim();
        if trimmed.is_empty() {
            return String::new();
        }
        let prefix: String = trimmed.chars().take(200).collect();
        let ellipsis = if prefix.len() < trimmed.len() {
            "…"
        } else {
            ""
        };
        return format!(": {prefix}{ellipsis}");
    };
    let mut out = format!(" {}", api.error_code.as_deref().unwrap_or("(no errorCode)"));
    if let Some(detail) = api.detail.as_deref().or(api.reason.as_deref()) {
        out.push_str(": ");
        out.push_str(detail);
    }
    let fields = api
        .bad_request_detail
        .as_ref()
        .and_then(|d| d.fields.as_ref());
    if let Some(fields) = fields {
        for field in fields {
            let name = field.field.as_deref().unwrap_or("?");
            let description = field.description.as_deref().unwrap_or("");
            out.push_str(&format!(" [{name}: {description}]"));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(json: &str) -> ApiError {
        match serde_json::from_str(json) {
            Ok(e) => e,
            Err(e) => panic!("test fixture does not decode: {e}"),
        }
    }

    #[test]
    fn error_code_helpers() {
        let err = Error::Api {
            operation: "listGroupEvents",
            status: 429,
            error: Some(Box::new(api_error(
                r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"Too many requests."}"#,
            ))),
            body: String::new(),
            rate_limit: Box::default(),
        };
        assert_eq!(err.error_code(), Some("RATE_LIMITED"));
        assert!(err.is_error_code("RATE_LIMITED"));
        assert!(!err.is_error_code("NOT_FOUND"));
        assert_eq!(err.status(), Some(429));
        assert_eq!(err.operation(), Some("listGroupEvents"));
        let text = err.to_string();
        assert_eq!(
            text,
            "listGroupEvents: Atlas answered HTTP 429 RATE_LIMITED: Too many requests."
        );
    }

    #[test]
    fn api_error_display_lists_bad_fields() {
        let err = Error::Api {
            operation: "listOrgEvents",
            status: 400,
            error: Some(Box::new(api_error(
                r#"{"error":400,"errorCode":"INVALID_PARAMETER","detail":"bad",
                    "badRequestDetail":{"fields":[{"field":"minDate","description":"not a date"}]}}"#,
            ))),
            body: String::new(),
            rate_limit: Box::default(),
        };
        assert!(err.to_string().contains("[minDate: not a date]"));
    }

    #[test]
    fn non_json_body_is_shown_bounded() {
        let body = "x".repeat(1000);
        let err = Error::Api {
            operation: "getGroupEvent",
            status: 502,
            error: None,
            body,
            rate_limit: Box::default(),
        };
        assert_eq!(err.error_code(), None);
        let text = err.to_string();
        assert!(text.starts_with("getGroupEvent: Atlas answered HTTP 502: xxx"));
        assert!(text.len() < 300, "message not bounded: {}", text.len());
    }
}
