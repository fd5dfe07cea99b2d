//! The HTTP client: configuration, request execution with authentication
//! and retries, and decoding of success, error and enveloped bodies.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use backon::Retryable as _;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use time::OffsetDateTime;
use tokio::time::Instant;
use tracing::Instrument as _;

use super::Error;
use super::auth::{Auth, Credentials, Exchange};
use super::clock::{Clock, SystemClock};
use super::error::{ErrorBody, Failure};
use super::rate_limit::{RateLimit, rate_limit_of, retry_after_of};
use super::retry::RetryPolicy;
use super::transport::{BodyLimits, ERROR_BODY_KEPT, HttpRequest, Reqwest, Transport};

/// Where the Atlas Administration API lives unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";
/// Default limit for one attempt, from connecting to the last body byte.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default limit of one answer's body, after decompression: 64 MiB. A page
/// of 500 events with `includeRaw=true` is a few MiB at most, so only a
/// broken or hostile server reaches it.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 << 20;
/// Whether this build can speak HTTPS (the `rustls` or `native-tls` feature).
const TLS_BUILT_IN: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// One API call as described by generated operation code.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The spec's `operationId`, e.g. `listGroupEvents` (used in errors and spans).
    pub operation_id: &'static str,
    /// Already percent-encoded path, e.g. `/api/atlas/v2/groups/{id}/events`.
    pub path: String,
    /// Query parameters in order; array parameters appear as repeated keys.
    pub query: Vec<(&'static str, String)>,
    /// The versioned media type to accept, e.g. `application/vnd.atlas.2023-01-01+json`.
    pub accept: &'static str,
    /// Whether the caller asked for `envelope=true`, which makes Atlas answer
    /// 200 with the real status in the body.
    pub envelope: bool,
}

/// A decoded successful answer together with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    /// The rate-limit headers, read when the answer arrived.
    rate_limit: RateLimit,
    body: T,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Consumes the response, returning the decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body changed (a type selection applied to a page).
    #[doc(hidden)]
    pub fn map_body<U>(self, change: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            rate_limit: self.rate_limit,
            body: change(self.body),
        }
    }

    /// The status; for `envelope=true` calls, the status from the body.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The HTTP response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// `RateLimit-Limit`, `RateLimit-Remaining` and `Retry-After`, when Atlas
    /// sent them (a `Retry-After` date is measured from when the answer arrived).
    pub fn rate_limit(&self) -> RateLimit {
        self.rate_limit
    }
}

/// Configures a [`Client`]; start with [`Client::builder`].
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: u64,
    plain_http_hosts: Vec<String>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &describe_url(&self.base_url))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("plain_http_hosts", &self.plain_http_hosts)
            .finish()
    }
}

impl ClientBuilder {
    /// Sets the API host, e.g. for Atlas for Government
    /// (default [`DEFAULT_BASE_URL`]). Must be `https`, without user info,
    /// query or fragment; a path prefix is kept. Plain `http` is accepted
    /// only for a loopback host (`127.0.0.0/8`, `[::1]`, `localhost`) or a
    /// host named in [`ClientBuilder::allow_plain_http_host`], since it
    /// sends secrets and tokens unencrypted.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Allows a plain `http://` base URL for this one host (a TLS-terminating
    /// proxy on a trusted network, say), compared without regard to case.
    /// Credentials and tokens then cross the network unencrypted.
    pub fn allow_plain_http_host(mut self, host: impl Into<String>) -> Self {
        self.plain_http_hosts.push(host.into());
        self
    }

    /// Limit of one answer's body in bytes, after decompression (default
    /// 64 MiB, far above a page of 500 events with `includeRaw`). A longer
    /// success answer fails with [`Error::TooLarge`] as soon as the limit is
    /// passed; of an error answer only the first 64 KiB are ever read.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Limit for one attempt, from connecting to the last body byte
    /// (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit for establishing a connection (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How failed requests are retried; [`RetryPolicy::disabled`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Where the client's wall-clock time and sleeps come from (default
    /// [`SystemClock`](crate::SystemClock)): the windows and waits of
    /// follow streams, the `maxDate` that paging pins, retry waits.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Builds the client; fails on a malformed base URL (which is never
    /// echoed: it may carry a secret), on plain `http` to a host that is not
    /// allowed, on `https` in a build without a TLS feature, or if the HTTP
    /// stack cannot be initialised.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        let parsed = check_base_url(&base_url, TLS_BUILT_IN, &self.plain_http_hosts)?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("mongodb-atlas-events/", env!("CARGO_PKG_VERSION")))
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // Atlas API calls never redirect; following one could send
            // credentials somewhere unexpected.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::config(format!("cannot initialise the HTTP client: {e}")))?;
        Ok(Client::assemble(
            self.credentials,
            base_url,
            parsed.path(),
            Arc::new(Reqwest(http)),
            self.clock,
            self.retry,
            self.max_response_bytes,
        ))
    }
}

impl Client {
    /// A client over any transport (the fake Atlas's in-process one, say).
    fn assemble(
        credentials: Credentials,
        base_url: String,
        base_path: &str,
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        retry: RetryPolicy,
        max_response_bytes: u64,
    ) -> Client {
        let auth = Auth::new(credentials);
        Client {
            inner: Arc::new(Inner {
                token_url: format!("{base_url}/api/oauth/token"),
                base_path: base_path.trim_end_matches('/').to_owned(),
                base_url,
                transport,
                clock,
                auth,
                retry,
                max_response_bytes,
            }),
        }
    }

    /// A client whose requests `transport` answers in process, with
    /// `clock`'s time: for the fake Atlas of the `test-util` feature. The
    /// base URL is only used to build request URLs.
    #[cfg(feature = "test-util")]
    pub(crate) fn in_process(
        credentials: Credentials,
        base_url: &str,
        transport: Arc<dyn Transport>,
        clock: Arc<dyn Clock>,
        retry: RetryPolicy,
    ) -> Client {
        Client::assemble(
            credentials,
            base_url.trim_end_matches('/').to_owned(),
            "",
            transport,
            clock,
            retry,
            DEFAULT_MAX_RESPONSE_BYTES,
        )
    }
}

/// Checks a base URL and returns it parsed. Messages never quote the URL:
/// only its scheme or host, which carry no secret.
pub(crate) fn check_base_url(
    base_url: &str,
    tls_built_in: bool,
    plain_http_hosts: &[String],
) -> Result<Url, Error> {
    let parsed = Url::parse(base_url)
        .map_err(|e| Error::config(format!("the base URL is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        // Not quoted: `key:secret@host` parses as the scheme `key`.
        return Err(Error::config(
            "the base URL must start with https:// (for example https://cloud.mongodb.com)",
        ));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::config(
            "the base URL must not contain a user name or password; pass credentials with \
             Credentials instead",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() || parsed.cannot_be_a_base() {
        return Err(Error::config(
            "the base URL must not have a query or fragment",
        ));
    }
    let host = parsed.host_str().unwrap_or_default();
    if parsed.scheme() == "http" {
        // `Url` has already normalised IPv4 spellings (`0x7f.1`) to dotted form.
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let allowed = plain_http_hosts
            .iter()
            .any(|h| h.eq_ignore_ascii_case(host));
        if !loopback && !allowed {
            return Err(Error::config(format!(
                "plain http:// would send credentials and tokens to {host} unencrypted; use \
                 https://, or allow it with ClientBuilder::allow_plain_http_host({host:?})"
            )));
        }
    } else if !tls_built_in {
        return Err(Error::config(
            "https:// needs TLS, but mongodb-atlas-events was built without a TLS feature; \
             enable its `rustls` (default) or `native-tls` feature",
        ));
    }
    Ok(parsed)
}

/// A base URL as far as `Debug` may show it: scheme, host, port and path of
/// an http(s) URL; nothing of anything else.
pub(crate) fn describe_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {
            let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
            let query = if parsed.query().is_some() { "?…" } else { "" };
            format!(
                "{}://{}{port}{}{query}",
                parsed.scheme(),
                parsed.host_str().unwrap_or_default(),
                parsed.path()
            )
        }
        _ => "<not an http(s) URL>".to_owned(),
    }
}

/// A client for the Atlas Administration API; cheap to clone (shared state
/// behind an `Arc`: connection pool, cached token or digest challenge).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Arc<dyn Transport>,
    clock: Arc<dyn Clock>,
    base_url: String,
    /// Path part of `base_url`, to check that request paths stay below it.
    base_path: String,
    token_url: String,
    auth: Auth,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Whether a request's `429` answers are retried (with the client's retry
/// policy, honouring `Retry-After`) or returned at once, for a caller that
/// paces itself (an organization's follow, which must not hold one of its
/// request slots while one scope waits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RateLimits {
    Retry,
    Return,
}

/// Retry waits on the client's clock (a named type: backon's closure
/// sleepers make the retry future's `Send` bound too narrow for `async` callers).
struct ClockSleeper(Arc<dyn Clock>);

impl backon::Sleeper for ClockSleeper {
    type Sleep = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

    fn sleep(&self, wait: Duration) -> Self::Sleep {
        self.0.sleep(wait)
    }
}

/// An answer as received, before decoding.
struct Raw {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    /// For enveloped answers: the payload to decode instead of `body`.
    content: Option<(serde_json::Value, &'static str)>,
    /// When the answer arrived (`Retry-After` dates are measured from it).
    arrived: OffsetDateTime,
}

impl Client {
    /// Starts configuring a client with the given credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            plain_http_hosts: Vec::new(),
            clock: Arc::new(SystemClock),
        }
    }

    /// A client with default settings, and credentials and base URL from the
    /// variables the Atlas CLI and the Terraform provider use (see
    /// [`EnvSettings`](crate::EnvSettings)). When several kinds of
    /// credentials are set, it logs (`tracing`, warning) which it used and
    /// which it did not; read [`EnvSettings`](crate::EnvSettings) yourself to
    /// say it another way.
    pub fn from_env() -> Result<Client, Error> {
        let settings = super::EnvSettings::read()?;
        if let Some(note) = settings.ignored_note() {
            tracing::warn!("{note}");
        }
        settings.client_builder().build()
    }

    /// The configured base URL (without trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client's clock (see [`ClientBuilder::clock`]).
    pub fn clock(&self) -> &dyn Clock {
        &*self.inner.clock
    }

    /// Sends one `GET` described by `request`, authenticating, retrying and
    /// decoding the answer into `T`.
    #[doc(hidden)]
    pub async fn execute<T: serde::de::DeserializeOwned>(
        &self,
        request: &RequestSpec,
    ) -> Result<Response<T>, Error> {
        let raw = self.execute_raw(request, RateLimits::Retry).await?;
        decode_success(request, raw)
    }

    /// [`Client::execute`] for a list page: also returns a fingerprint of
    /// the body, so that paging notices a page served twice.
    pub(crate) async fn execute_page<T: serde::de::DeserializeOwned>(
        &self,
        request: &RequestSpec,
        rate_limits: RateLimits,
    ) -> Result<(Response<T>, u64), Error> {
        let raw = self.execute_raw(request, rate_limits).await?;
        let fingerprint = super::transport::fingerprint(&raw.body);
        Ok((decode_success(request, raw)?, fingerprint))
    }

    async fn execute_raw(
        &self,
        request: &RequestSpec,
        rate_limits: RateLimits,
    ) -> Result<Raw, Error> {
        let url = &self.url_for(request)?;
        let policy = &self.inner.retry;
        let started = Instant::now();
        let clock = self.inner.clock.clone();
        // `max_elapsed` is a hard deadline: an attempt still running when it
        // passes is abandoned (a `None` deadline means "too far to matter").
        let deadline = started.checked_add(policy.max_elapsed());
        let mut attempt = 0u32;
        let raw = (|| {
            attempt += 1;
            let attempt = attempt;
            async move {
                let Some(deadline) = deadline else {
                    return self.attempt(request, url, attempt).await;
                };
                let remaining = deadline.saturating_duration_since(Instant::now());
                tokio::time::timeout(remaining, self.attempt(request, url, attempt))
                    .await
                    .unwrap_or_else(|_| {
                        Err(Error::Deadline {
                            operation: request.operation_id,
                            budget: policy.max_elapsed(),
                            attempt,
                        }
                        .into())
                    })
            }
        })
        .retry(policy.backoff())
        .sleep(ClockSleeper(clock))
        .when(|failure| {
            failure.error.is_retryable()
                && (rate_limits == RateLimits::Retry || failure.error.status() != Some(429))
        })
        .adjust(|failure, scheduled| policy.next_wait(started, scheduled, failure.retry_after))
        .notify(|failure, wait| {
            tracing::info!(
                operation = request.operation_id,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                error = %failure.error,
                "retrying Atlas request"
            );
        })
        .await
        .map_err(|failure| failure.error)?;
        Ok(raw)
    }

    /// Joins base URL, path and query, refusing paths that URL normalisation
    /// would change (a `..` segment could otherwise reach another endpoint).
    fn url_for(&self, request: &RequestSpec) -> Result<Url, Error> {
        let invalid = |reason: String| Error::InvalidParameter {
            operation: request.operation_id,
            parameter: "path",
            reason,
        };
        if !request.path.starts_with('/') {
            return Err(invalid(format!(
                "{:?} does not start with '/'",
                request.path
            )));
        }
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| invalid(format!("{:?} does not form a URL: {e}", request.path)))?;
        let expected = format!("{}{}", self.inner.base_path, request.path);
        if url.path() != expected {
            return Err(invalid(format!(
                "{:?} contains a '.' or '..' segment or characters that change its meaning",
                request.path
            )));
        }
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &request.query {
                pairs.append_pair(key, value);
            }
        }
        Ok(url)
    }

    /// One attempt: authenticate, send, classify the status.
    async fn attempt(
        &self,
        request: &RequestSpec,
        url: &Url,
        attempt: u32,
    ) -> Result<Raw, Failure> {
        let span = tracing::debug_span!(
            "atlas.request",
            operation = request.operation_id,
            attempt,
            status = tracing::field::Empty,
        );
        async {
            let raw = self.send(request, url).await?;
            tracing::Span::current().record("status", raw.status);
            tracing::debug!(status = raw.status, "Atlas answered");
            classify(request, raw)
        }
        .instrument(span)
        .await
    }

    /// Sends `request` once, authenticated by the client's scheme (whose
    /// exchange, a token or a digest challenge, runs inside).
    async fn send(&self, request: &RequestSpec, url: &Url) -> Result<Raw, Failure> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(request.accept));
        let http_request = HttpRequest {
            method: Method::GET,
            url: url.clone(),
            headers,
            body: None,
        };
        let exchange = Exchange {
            transport: &*self.inner.transport,
            clock: &*self.inner.clock,
            token_url: &self.inner.token_url,
            limits: BodyLimits {
                success: self.inner.max_response_bytes,
                error_kept: ERROR_BODY_KEPT,
            },
            operation: request.operation_id,
        };
        let answer = self.inner.auth.send(&exchange, http_request).await?;
        Ok(Raw {
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            content: None,
            arrived: self.inner.clock.now(),
        })
    }
}

/// The start of a body as text, for an error value: at most
/// [`ERROR_BODY_KEPT`] bytes.
pub(crate) fn kept_text(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_KEPT)]).into_owned()
}

/// Turns error statuses (HTTP or enveloped) into failures and unwraps
/// enveloped successes.
fn classify(request: &RequestSpec, mut raw: Raw) -> Result<Raw, Failure> {
    let retry_after = retry_after_of(&raw.headers, raw.arrived);
    if !(200..300).contains(&raw.status) {
        let error = ErrorBody::from_slice(&raw.body);
        return Err(Failure {
            retry_after,
            ..api_error(request, raw.status, error, &raw).into()
        });
    }
    if !request.envelope {
        return Ok(raw);
    }
    check_json_media_type(request, &raw)?;
    let value: serde_json::Value = decode_json(request.operation_id, &raw.body, None)?;
    let serde_json::Value::Object(mut object) = value else {
        return Err(decode_error(
            request.operation_id,
            ".",
            "expected an enveloped JSON object".into(),
            &raw.body,
        )
        .into());
    };
    let status = object
        .get("status")
        .and_then(serde_json::Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(raw.status);
    // Single-item answers are `{"status": N, "content": {...}}`; list answers
    // keep their own object with `status` added.
    let wrapped =
        object.contains_key("content") && object.keys().all(|k| k == "status" || k == "content");
    let payload = if wrapped {
        (object.remove("content").unwrap_or_default(), "content")
    } else {
        object.remove("status");
        (serde_json::Value::Object(object), "")
    };
    if !(200..300).contains(&status) {
        let error = ErrorBody::from_value(payload.0);
        return Err(Failure {
            retry_after,
            ..api_error(request, status, error, &raw).into()
        });
    }
    raw.status = status;
    raw.content = Some(payload);
    Ok(raw)
}

fn api_error(request: &RequestSpec, status: u16, error: Option<ErrorBody>, raw: &Raw) -> Error {
    Error::Api {
        operation: request.operation_id,
        status,
        error: error.map(Box::new),
        body: kept_text(&raw.body),
        rate_limit: Box::new(rate_limit_of(&raw.headers, raw.arrived)),
    }
}

/// Refuses a success answer that is not JSON (an HTML page from a proxy,
/// say) with a message naming what was expected.
fn check_json_media_type(request: &RequestSpec, raw: &Raw) -> Result<(), Error> {
    let content_type = raw
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match content_type {
        Some(ct) if !ct.to_ascii_lowercase().contains("json") => Err(decode_error(
            request.operation_id,
            ".",
            format!("expected `{}` but Atlas sent `{ct}`", request.accept),
            &raw.body,
        )),
        _ => Ok(()),
    }
}

fn decode_success<T: serde::de::DeserializeOwned>(
    request: &RequestSpec,
    raw: Raw,
) -> Result<Response<T>, Error> {
    let rate_limit = rate_limit_of(&raw.headers, raw.arrived);
    let body = match raw.content {
        Some((value, prefix)) => decode_value(request.operation_id, value, prefix, &raw.body)?,
        None => {
            check_json_media_type(request, &raw)?;
            decode_json(request.operation_id, &raw.body, None)?
        }
    };
    Ok(Response {
        status: StatusCode::from_u16(raw.status).unwrap_or(StatusCode::OK),
        headers: raw.headers,
        rate_limit,
        body,
    })
}

/// Decodes JSON bytes, reporting the failing field path.
fn decode_json<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    body: &[u8],
    prefix: Option<&str>,
) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        decode_error(
            operation,
            &join_path(prefix, &e.path().to_string()),
            e.inner().to_string(),
            body,
        )
    })?;
    de.end()
        .map_err(|e| decode_error(operation, ".", e.to_string(), body))?;
    Ok(value)
}

fn decode_value<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    value: serde_json::Value,
    prefix: &str,
    body: &[u8],
) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let prefix = (!prefix.is_empty()).then_some(prefix);
        decode_error(
            operation,
            &join_path(prefix, &e.path().to_string()),
            e.inner().to_string(),
            body,
        )
    })
}

fn join_path(prefix: Option<&str>, path: &str) -> String {
    match prefix {
        Some(p) if path == "." => p.to_owned(),
        Some(p) if path.starts_with('[') => format!("{p}{path}"),
        Some(p) => format!("{p}.{path}"),
        None => path.to_owned(),
    }
}

fn decode_error(operation: &'static str, path: &str, message: String, body: &[u8]) -> Error {
    Error::Decode {
        operation,
        path: path.to_owned(),
        message,
        body: kept_text(body),
    }
}
