//! The one place the runtime meets the network: a request goes out, an answer
//! comes back with its body read up to a limit. API calls and the OAuth token
//! fetch both go through a [`Transport`]. reqwest is the real one; the fake
//! Atlas of the `test-util` feature is another, answering in process (no
//! socket, so tests can run in tokio's paused time, where reqwest's own
//! timeouts would fire at once).

use std::future::Future;
use std::pin::Pin;

use reqwest::header::{self, HeaderMap};
use reqwest::{Method, Url};

/// How much of an error answer's body is read and kept (in
/// [`Error::Api`](crate::Error::Api)'s `body`): 64 KiB. The rest is never read.
pub const ERROR_BODY_KEPT: usize = 64 << 10;
/// A fingerprint of some bytes: a page's body, an item's JSON. Compared only
/// within one process, so the std hasher's unstable output is fine.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// One request as the runtime sends it.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    /// The request body (the token fetch's form), if any.
    pub(crate) body: Option<&'static str>,
}

/// An answer with its body read (decompressed, when it was compressed).
#[derive(Debug, Clone)]
pub(crate) struct HttpAnswer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// How much of an answer's body is read: a success body fails past
/// `success` bytes; of an error body only the first `error_kept` bytes are
/// read, the rest never.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    pub(crate) success: u64,
    pub(crate) error_kept: usize,
}

impl BodyLimits {
    /// The limit that applies to an answer of `status`.
    fn for_status(self, status: u16) -> Limit {
        if (200..300).contains(&status) {
            Limit::Fail(self.success)
        } else {
            Limit::Keep(self.error_kept)
        }
    }
}

/// Why no complete answer arrived.
#[derive(Debug)]
pub(crate) enum SendError {
    /// The network failed: before any answer (`status` `None`), or while
    /// its body was read.
    Network {
        status: Option<u16>,
        source: reqwest::Error,
    },
    /// A success body passed its limit.
    TooLarge { status: u16, limit: u64 },
}

impl SendError {
    /// The client's error for this failure of `operation`.
    pub(crate) fn into_error(self, operation: &'static str) -> super::Error {
        match self {
            SendError::Network { source, .. } => super::Error::Transport { operation, source },
            SendError::TooLarge { status, limit } => super::Error::TooLarge {
                operation,
                status,
                limit,
            },
        }
    }
}

/// The future of one exchange.
pub(crate) type Sending<'a> =
    Pin<Box<dyn Future<Output = Result<HttpAnswer, SendError>> + Send + 'a>>;

/// Sends requests and reads answers within limits.
pub(crate) trait Transport: Send + Sync {
    fn send(&self, request: HttpRequest, limits: BodyLimits) -> Sending<'_>;
}

/// The real transport: a reqwest client (connection pool, TLS, gzip,
/// timeouts).
pub(crate) struct Reqwest(pub(crate) reqwest::Client);

impl Transport for Reqwest {
    fn send(&self, request: HttpRequest, limits: BodyLimits) -> Sending<'_> {
        Box::pin(async move {
            let mut builder = self
                .0
                .request(request.method, request.url)
                .headers(request.headers);
            if let Some(body) = request.body {
                builder = builder.body(body);
            }
            let response = builder.send().await.map_err(|source| SendError::Network {
                status: None,
                source,
            })?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = read_body(response, limits.for_status(status))
                .await
                .map_err(|error| match error {
                    ReadError::Network(source) => SendError::Network {
                        status: Some(status),
                        source,
                    },
                    ReadError::TooLarge(limit) => SendError::TooLarge { status, limit },
                })?;
            Ok(HttpAnswer {
                status,
                headers,
                body,
            })
        })
    }
}

/// How much of a body [`read_body`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Fail once the body passes this many bytes.
    Fail(u64),
    /// Keep the first this many bytes and stop reading.
    Keep(usize),
}

enum ReadError {
    Network(reqwest::Error),
    TooLarge(u64),
}

/// Reads a body chunk by chunk (decompressed, when it was compressed), never
/// holding more than the limit allows.
async fn read_body(mut response: reqwest::Response, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let max = match limit {
        Limit::Fail(max) => max,
        Limit::Keep(keep) => keep as u64,
    };
    // `Content-Length` is the compressed size when the body is compressed,
    // so it only ever decides early for an uncompressed body.
    let announced = response.content_length();
    if let (Limit::Fail(max), Some(length)) = (limit, announced)
        && length > max
        && !response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Err(ReadError::TooLarge(max));
    }
    let capacity = announced.unwrap_or(0).min(max).min(8 << 20);
    let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Network)? {
        if !keep_within(&mut body, &chunk, limit)? {
            break;
        }
    }
    Ok(body)
}

/// Appends `chunk` to `body` within `limit`: `Ok(false)` once a `Keep`
/// limit is reached (stop reading), `Err` once a `Fail` limit is passed.
fn keep_within(body: &mut Vec<u8>, chunk: &[u8], limit: Limit) -> Result<bool, ReadError> {
    let max = match limit {
        Limit::Fail(max) => max,
        Limit::Keep(keep) => keep as u64,
    };
    let room = usize::try_from(max)
        .unwrap_or(usize::MAX)
        .saturating_sub(body.len());
    if chunk.len() > room {
        return match limit {
            Limit::Fail(max) => Err(ReadError::TooLarge(max)),
            Limit::Keep(_) => {
                body.extend_from_slice(&chunk[..room]);
                Ok(false)
            }
        };
    }
    body.extend_from_slice(chunk);
    Ok(true)
}

/// Applies `limits` to a whole body at once, as [`read_body`] does chunk
/// by chunk: for in-process transports.
#[cfg(feature = "test-util")]
pub(crate) fn limit_body(
    status: u16,
    body: &[u8],
    limits: BodyLimits,
) -> Result<Vec<u8>, SendError> {
    let mut kept = Vec::new();
    match keep_within(&mut kept, body, limits.for_status(status)) {
        Ok(_) => Ok(kept),
        Err(ReadError::TooLarge(limit)) => Err(SendError::TooLarge { status, limit }),
        Err(ReadError::Network(source)) => Err(SendError::Network {
            status: Some(status),
            source,
        }),
    }
}
