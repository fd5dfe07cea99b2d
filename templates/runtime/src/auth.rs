//! Credentials and the three ways of authenticating to Atlas: service
//! account (OAuth 2 client credentials), API key (HTTP Digest) and a static
//! bearer token.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http_auth::digest::DigestClient;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use tokio::time::Instant;
use tracing::Instrument as _;

use super::Error;
use super::clock::Clock;
use super::error::{Failure, atlas_says};
use super::transport::{BodyLimits, HttpAnswer, HttpRequest, SendError, Transport};

/// Environment variable holding a service account's client id (Atlas CLI name).
pub const ENV_CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
/// Environment variable holding a service account's client secret (Atlas CLI name).
pub const ENV_CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// Environment variable holding an API key's public part (Atlas CLI name).
pub const ENV_PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
/// Environment variable holding an API key's private part (Atlas CLI name).
pub const ENV_PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";

/// A string that must never be printed; `Debug` shows `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl Secret {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How the client proves who it is.
///
/// `Debug` shows ids and public keys but never the secret parts.
#[derive(Clone)]
pub struct Credentials {
    pub(crate) kind: CredentialKind,
}

#[derive(Clone, Debug)]
pub(crate) enum CredentialKind {
    ServiceAccount {
        client_id: String,
        client_secret: Secret,
    },
    ApiKey {
        public_key: String,
        private_key: Secret,
    },
    Bearer(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The derived Debug of CredentialKind already redacts via Secret.
        f.debug_tuple("Credentials").field(&self.kind).finish()
    }
}

impl Credentials {
    /// A service account: the client fetches OAuth 2 access tokens from
    /// `{base_url}/api/oauth/token` and refreshes them before they expire.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::ServiceAccount {
                client_id: client_id.into(),
                client_secret: Secret(client_secret.into()),
            },
        }
    }

    /// A programmatic API key, used with HTTP Digest authentication.
    pub fn api_key(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::ApiKey {
                public_key: public_key.into(),
                private_key: Secret(private_key.into()),
            },
        }
    }

    /// A ready-made bearer token, sent as is (no refresh).
    pub fn bearer_token(token: impl Into<String>) -> Self {
        Credentials {
            kind: CredentialKind::Bearer(Secret(token.into())),
        }
    }

    /// Reads credentials from the environment variables the Atlas CLI, the
    /// MongoDB CLI and the Terraform provider use (see [`EnvSettings`]:
    /// access token, then service account, then API key).
    ///
    /// [`EnvSettings`]: crate::EnvSettings
    pub fn from_env() -> Result<Self, Error> {
        super::EnvSettings::read().map(|settings| settings.credentials)
    }
}

/// `Basic` credentials (RFC 7617): `id:secret`, base64.
fn basic_authorization(id: &str, secret: &str) -> String {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    format!("Basic {encoded}")
}

/// A cached OAuth access token.
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) value: Secret,
    /// Increments with every fetch, so a request that saw 401 only discards
    /// the token it used, not a newer one fetched meanwhile.
    pub(crate) generation: u64,
    refresh_at: Instant,
}

/// OAuth 2 client-credentials state of a service-account client.
pub(crate) struct OAuthState {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    /// Async mutex held across the token fetch: concurrent callers wait for
    /// the one fetch in flight instead of starting their own.
    cache: tokio::sync::Mutex<TokenCache>,
    /// Fetches finished so far, successful or not. Only changed while the
    /// mutex is held; read before locking, it tells a caller whether a fetch
    /// ended while it waited for the lock.
    fetches: AtomicU64,
}

#[derive(Default)]
struct TokenCache {
    token: Option<Token>,
    /// Generation of the last token fetched.
    generation: u64,
    /// The failure of the last fetch, if it failed.
    failure: Option<SharedFailure>,
    /// Until when the token endpoint asked (with `Retry-After`) not to be
    /// called again: callers meanwhile get the failure, not a new fetch.
    blocked_until: Option<Instant>,
    /// When a refused token was last dropped to mint a new one.
    last_forced_refresh: Option<Instant>,
}

/// A token fetch failure, kept so that callers that queued behind the
/// failing fetch get it too instead of each waiting out a fetch of their own.
#[derive(Clone)]
struct SharedFailure {
    /// Which fetch (the value of `fetches` once it ended) failed.
    fetch: u64,
    status: Option<u16>,
    message: String,
    retryable: bool,
}

/// What a service account's refusal asks the user to check.
const SERVICE_ACCOUNT_ADVICE: &str = "check that the service account still exists and is not \
     disabled, and that this machine's IP address is on its API access list";

/// An authentication error no retry mends: Atlas refused what the exchange
/// sent (the token, the key, the challenge's answer), or the credential cannot
/// be sent at all.
fn final_auth_error(operation: &'static str, status: Option<u16>, message: String) -> Failure {
    Error::Auth {
        operation,
        status,
        message,
        source: None,
        retryable: false,
    }
    .into()
}

/// What an exchange needs besides the scheme: where requests go and how.
pub(crate) struct Exchange<'a> {
    pub(crate) transport: &'a dyn Transport,
    pub(crate) clock: &'a dyn Clock,
    pub(crate) token_url: &'a str,
    pub(crate) limits: BodyLimits,
    pub(crate) operation: &'static str,
}

impl Exchange<'_> {
    /// Sends `request` with `authorization`, once.
    async fn send(
        &self,
        request: &HttpRequest,
        authorization: Option<HeaderValue>,
    ) -> Result<HttpAnswer, Failure> {
        let mut request = request.clone();
        if let Some(value) = authorization {
            request.headers.insert(header::AUTHORIZATION, value);
        }
        self.transport
            .send(request, self.limits)
            .await
            .map_err(|e| Failure::from(e.into_error(self.operation)))
    }
}

/// A client's scheme, with its state (a cached token, a digest challenge).
pub(crate) enum Auth {
    ServiceAccount(OAuthState),
    ApiKey(DigestState),
    Bearer(Secret),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::ServiceAccount(o) => write!(f, "ServiceAccount({})", o.client_id),
            Auth::ApiKey(d) => write!(f, "ApiKey({})", d.public_key),
            Auth::Bearer(_) => f.write_str("BearerToken(<redacted>)"),
        }
    }
}

impl Auth {
    pub(crate) fn new(credentials: Credentials) -> Auth {
        match credentials.kind {
            CredentialKind::ServiceAccount {
                client_id,
                client_secret,
            } => Auth::ServiceAccount(OAuthState::new(client_id, client_secret)),
            CredentialKind::ApiKey {
                public_key,
                private_key,
            } => Auth::ApiKey(DigestState::new(public_key, private_key)),
            CredentialKind::Bearer(token) => Auth::Bearer(token),
        }
    }

    /// Sends `request` authenticated by this scheme, running its exchange:
    /// the OAuth token (fetched when none is cached; when Atlas refuses it,
    /// minted once more, at most once a minute), or the Digest challenge
    /// (answered; again when Atlas says the nonce is stale). Returns the
    /// answer, whatever its status, or why there is none.
    pub(crate) async fn send(
        &self,
        exchange: &Exchange<'_>,
        request: HttpRequest,
    ) -> Result<HttpAnswer, Failure> {
        let op = exchange.operation;
        match self {
            Auth::Bearer(token) => {
                let header = bearer_header(op, token.expose())?;
                exchange.send(&request, Some(header)).await
            }
            Auth::ServiceAccount(oauth) => {
                let (raw, generation) = oauth.send(exchange, &request).await?;
                if raw.status != 401 {
                    return Ok(raw);
                }
                // The token may have been revoked or rotated early: fetch a
                // fresh one and try exactly once more, but mint at most one
                // token per `REMINT_INTERVAL` this way, so that a refusal that
                // persists (an IP access list, say) does not mint a token on
                // every call.
                if !oauth.invalidate(generation).await {
                    let says = atlas_says(&raw.body);
                    return Err(final_auth_error(
                        op,
                        Some(401),
                        format!(
                            "Atlas refused the access token{says} and a new one was refused less \
                             than a minute ago; {SERVICE_ACCOUNT_ADVICE}"
                        ),
                    ));
                }
                tracing::debug!("access token refused; fetching a new one");
                let (raw, _) = oauth.send(exchange, &request).await?;
                if raw.status != 401 {
                    return Ok(raw);
                }
                let says = atlas_says(&raw.body);
                Err(final_auth_error(
                    op,
                    Some(401),
                    format!(
                        "Atlas refused a freshly issued access token{says}; \
                         {SERVICE_ACCOUNT_ADVICE}"
                    ),
                ))
            }
            Auth::ApiKey(digest) => {
                let url = &request.url;
                let uri = match url.query() {
                    Some(q) => format!("{}?{q}", url.path()),
                    None => url.path().to_owned(),
                };
                let mut answer = digest.answer_cached("GET", &uri);
                // Round 0 uses the cached challenge (or none); at most two
                // fresh challenges follow (first contact, then stale nonce).
                let mut round = 0;
                loop {
                    let header = match &answer {
                        Some(a) => Some(sensitive_header(op, &a.header)?),
                        None => None,
                    };
                    let raw = exchange.send(&request, header).await?;
                    // Every `WWW-Authenticate` header counts: a server may
                    // send one per scheme or algorithm (RFC 9110 section 11.6.1).
                    let challenges: Vec<&str> = raw
                        .headers
                        .get_all(header::WWW_AUTHENTICATE)
                        .iter()
                        .filter_map(|v| v.to_str().ok())
                        .collect();
                    let challenge = (!challenges.is_empty()).then(|| challenges.join(", "));
                    let (401, Some(challenge), true) = (raw.status, challenge, round < 2) else {
                        return Ok(raw);
                    };
                    match digest.answer_challenge(&challenge, "GET", &uri, answer.as_ref()) {
                        Ok(Some(next)) => answer = Some(next),
                        // A signed answer refused without `stale=true`: the
                        // key itself was refused.
                        Ok(None) => {
                            return Err(final_auth_error(
                                op,
                                Some(raw.status),
                                format!(
                                    "Atlas refused the API key{}; check the public and private \
                                     key, that the key is enabled, and that this machine's IP \
                                     address is on the key's API access list",
                                    atlas_says(&raw.body)
                                ),
                            ));
                        }
                        Err(reason) => {
                            return Err(final_auth_error(
                                op,
                                Some(401),
                                format!("cannot answer the digest challenge: {reason}"),
                            ));
                        }
                    }
                    round += 1;
                }
            }
        }
    }
}

fn bearer_header(operation: &'static str, token: &str) -> Result<HeaderValue, Failure> {
    sensitive_header(operation, &format!("Bearer {token}"))
}

/// Builds an `Authorization` value marked sensitive, so HTTP tooling that
/// honours the flag (hpack, debug output) does not reveal it.
fn sensitive_header(operation: &'static str, value: &str) -> Result<HeaderValue, Failure> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        // The value itself is deliberately not quoted.
        let message = "the credential contains characters not allowed in an HTTP header";
        final_auth_error(operation, None, message.to_owned())
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// What the token endpoint answers (RFC 6749 section 5.1).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// How long before `expires_in` the token is refreshed, so a request never
/// leaves with a token about to expire in flight.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The longest token lifetime believed: a larger `expires_in` (up to
/// `u64::MAX` from a broken server) is clamped to a day.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(86_400);

/// How long a token is believed to last: `expires_in` seconds, clamped to
/// [`MAX_TOKEN_LIFETIME`]; an hour (Atlas's lifetime) when not given.
pub(crate) fn token_lifetime(expires_in: Option<u64>) -> Duration {
    Duration::from_secs(expires_in.unwrap_or(3600)).min(MAX_TOKEN_LIFETIME)
}

/// A refused (401) token is replaced by a newly minted one at most once in
/// this interval; within it, a further refusal is an error at once.
pub(crate) const REMINT_INTERVAL: Duration = Duration::from_secs(60);

/// Longest token answer read (a real one is well under 2 KiB).
const TOKEN_BODY_LIMIT: u64 = 64 << 10;

impl OAuthState {
    /// Sends `request` with the current access token (fetched if there is none or it is due):
    /// the answer and the generation of the token it carried.
    async fn send(
        &self,
        exchange: &Exchange<'_>,
        request: &HttpRequest,
    ) -> Result<(HttpAnswer, u64), Failure> {
        let op = exchange.operation;
        let token = self
            .token(exchange.transport, exchange.clock, exchange.token_url, op)
            .await?;
        let header = bearer_header(op, token.value.expose())?;
        let answer = exchange.send(request, Some(header)).await?;
        Ok((answer, token.generation))
    }

    pub(crate) fn new(client_id: String, client_secret: Secret) -> Self {
        OAuthState {
            client_id,
            client_secret,
            cache: tokio::sync::Mutex::new(TokenCache::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// Returns a valid token, fetching one if none is cached or it is due
    /// for refresh. At most one fetch runs at a time, and callers that
    /// waited behind a fetch that failed get its failure rather than
    /// starting another fetch (each caller's retry policy decides whether
    /// to try again).
    pub(crate) async fn token(
        &self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        token_url: &str,
        operation: &'static str,
    ) -> Result<Token, Failure> {
        let fetches_before = self.fetches.load(Ordering::Acquire);
        let mut guard = self.cache.lock().await;
        if let Some(token) = &guard.token
            && Instant::now() < token.refresh_at
        {
            return Ok(token.clone());
        }
        let fetches = self.fetches.load(Ordering::Acquire);
        let now = Instant::now();
        let blocked_for = guard
            .blocked_until
            .map(|until| until.saturating_duration_since(now))
            .filter(|wait| !wait.is_zero());
        if let Some(failure) = guard.failure.as_ref().filter(|f| {
            // The fetch this caller queued behind has just failed, or the
            // endpoint asked not to be called before a time still to come.
            (fetches != fetches_before && f.fetch == fetches) || blocked_for.is_some()
        }) {
            return Err(Failure {
                error: Error::Auth {
                    operation,
                    status: failure.status,
                    message: failure.message.clone(),
                    source: None,
                    retryable: failure.retryable,
                },
                retry_after: blocked_for,
            });
        }
        let result = self
            .fetch(transport, clock, token_url, operation)
            .instrument(tracing::debug_span!("atlas.oauth_token", operation))
            .await;
        let fetch = fetches + 1;
        self.fetches.store(fetch, Ordering::Release);
        let (value, expires_in) = match result {
            Ok(fetched) => fetched,
            Err((error, retry_after)) => {
                let failure = match &error {
                    Error::Auth {
                        status,
                        message,
                        retryable,
                        ..
                    } => SharedFailure {
                        fetch,
                        status: *status,
                        // Waiters get no `source`; the message names its gist,
                        // and the retryability travels with it.
                        message: message.clone(),
                        retryable: *retryable,
                    },
                    other => SharedFailure {
                        fetch,
                        status: other.status(),
                        message: other.to_string(),
                        retryable: false,
                    },
                };
                guard.failure = Some(failure);
                guard.blocked_until = retry_after.and_then(|wait| Instant::now().checked_add(wait));
                return Err(Failure { error, retry_after });
            }
        };
        guard.failure = None;
        guard.blocked_until = None;
        let generation = guard.generation + 1;
        // Refresh a minute early, but never later than half-way through a
        // short-lived token's life.
        let margin = REFRESH_MARGIN.min(expires_in / 2);
        let now = Instant::now();
        let token = Token {
            value,
            generation,
            refresh_at: now
                .checked_add(expires_in.saturating_sub(margin))
                .unwrap_or(now),
        };
        guard.token = Some(token.clone());
        guard.generation = generation;
        Ok(token)
    }

    /// Called when Atlas refused the token of `generation`. Returns whether
    /// the caller may try again: yes if a newer token is cached already, or
    /// if the refused one is dropped so that the next call mints a new one;
    /// no if a token was already dropped for a refusal less than
    /// [`REMINT_INTERVAL`] ago (the refusal is then not the token's fault,
    /// and minting more would only load the token endpoint).
    pub(crate) async fn invalidate(&self, generation: u64) -> bool {
        let mut guard = self.cache.lock().await;
        if guard
            .token
            .as_ref()
            .is_none_or(|t| t.generation != generation)
        {
            return true;
        }
        let now = Instant::now();
        if guard
            .last_forced_refresh
            .is_some_and(|at| now.saturating_duration_since(at) < REMINT_INTERVAL)
        {
            return false;
        }
        guard.last_forced_refresh = Some(now);
        guard.token = None;
        true
    }

    async fn fetch(
        &self,
        transport: &dyn Transport,
        clock: &dyn Clock,
        token_url: &str,
        operation: &'static str,
    ) -> Result<(Secret, Duration), (Error, Option<Duration>)> {
        let unusable = |message: String| {
            let error = Error::Auth {
                operation,
                status: None,
                message,
                source: None,
                retryable: false,
            };
            (error, None)
        };
        let url = Url::parse(token_url)
            .map_err(|e| unusable(format!("the OAuth token endpoint is not a URL: {e}")))?;
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let basic = basic_authorization(&self.client_id, self.client_secret.expose());
        let mut basic = HeaderValue::from_str(&basic).map_err(|_| {
            // The credentials themselves are deliberately not quoted.
            unusable(
                "the service account's client id or secret contains characters not allowed \
                 in an HTTP header"
                    .to_owned(),
            )
        })?;
        basic.set_sensitive(true);
        headers.insert(header::AUTHORIZATION, basic);
        let request = HttpRequest {
            method: Method::POST,
            url,
            headers,
            body: Some("grant_type=client_credentials"),
        };
        let limits = BodyLimits {
            success: TOKEN_BODY_LIMIT,
            error_kept: super::transport::ERROR_BODY_KEPT,
        };
        let answer = transport.send(request, limits).await.map_err(|e| {
            let error = match e {
                SendError::Network {
                    status: None,
                    source,
                } => Error::Auth {
                    operation,
                    status: None,
                    message: format!(
                        "could not reach the OAuth token endpoint: {}",
                        super::error::describe_transport(&source)
                    ),
                    source: Some(source),
                    retryable: true,
                },
                SendError::Network {
                    status: Some(status),
                    source,
                } => Error::Auth {
                    operation,
                    status: Some(status),
                    message: "the OAuth token answer was cut short".to_owned(),
                    source: Some(source),
                    retryable: true,
                },
                SendError::TooLarge { status, .. } => Error::Auth {
                    operation,
                    status: Some(status),
                    message: "the OAuth token answer is far too long".to_owned(),
                    source: None,
                    retryable: false,
                },
            };
            (error, None)
        })?;
        let status = answer.status;
        let retry_after = super::rate_limit::retry_after_of(&answer.headers, clock.now());
        let ok = (200..300).contains(&status);
        let body = answer.body;
        if !ok {
            let error = Error::Auth {
                operation,
                status: Some(status),
                message: format!(
                    "the OAuth token endpoint refused the service account{}; check the client id and secret \
                     and that the secret has not expired",
                    oauth_error_summary(&body)
                ),
                source: None,
                retryable: super::retry::is_retryable_status(status),
            };
            return Err((error, retry_after));
        }
        let parsed: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            let error = Error::Auth {
                operation,
                status: Some(status),
                // Only where, never serde's own words: they can quote a value.
                message: format!(
                    "the OAuth token answer is not a JSON object with a string `access_token` \
                     and a whole-number `expires_in` (line {}, column {})",
                    e.line(),
                    e.column()
                ),
                source: None,
                retryable: false,
            };
            (error, None)
        })?;
        Ok((
            Secret(parsed.access_token),
            token_lifetime(parsed.expires_in),
        ))
    }
}

/// Summarises an OAuth error body (`error` and `error_description` of
/// RFC 6749 section 5.2) without echoing anything else.
fn oauth_error_summary(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: Option<String>,
        error_description: Option<String>,
    }
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(OAuthError {
            error: Some(error),
            error_description,
        }) => {
            let error = super::error::bounded(&error, 100);
            match error_description {
                Some(description) => {
                    format!(" ({error}: {})", super::error::bounded(&description, 300))
                }
                None => format!(" ({error})"),
            }
        }
        _ => String::new(),
    }
}

/// HTTP Digest state of an API-key client: the last challenge, reused so
/// that later requests authenticate on the first round trip.
pub(crate) struct DigestState {
    pub(crate) public_key: String,
    pub(crate) private_key: Secret,
    /// A plain mutex: it is never held across an await.
    cached: Mutex<Option<DigestClient>>,
}

/// The outcome of answering a digest challenge.
pub(crate) struct DigestAnswer {
    /// The `Authorization` header value (contains no secret, only a hash).
    pub(crate) header: String,
    /// The nonce answered, to tell a new challenge from a repeated one.
    pub(crate) nonce: String,
    /// Whether the nonce came from a challenge received during this call
    /// (rather than one cached from an earlier call).
    pub(crate) fresh: bool,
}

impl DigestState {
    pub(crate) fn new(public_key: String, private_key: Secret) -> Self {
        DigestState {
            public_key,
            private_key,
            cached: Mutex::new(None),
        }
    }

    /// Answers the cached challenge for `uri` (path and query), if any.
    pub(crate) fn answer_cached(&self, method: &str, uri: &str) -> Option<DigestAnswer> {
        let mut guard = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        let client = guard.as_mut()?;
        match self.answer(client, method, uri) {
            Ok(answer) => Some(answer),
            Err(_) => {
                // A challenge we cannot answer is useless to keep.
                *guard = None;
                None
            }
        }
    }

    /// Answers a `WWW-Authenticate` challenge that refused a request.
    ///
    /// `previous` is the answer the refused request carried, if it was
    /// signed. A refusal without `stale=true` of a request signed with a
    /// nonce from this call's own challenge, or with the very nonce offered
    /// again, means the credentials themselves were refused: `Ok(None)` tells
    /// the caller to stop. (A nonce cached from an earlier call that the
    /// server no longer knows gets one fresh answer.)
    ///
    /// If the cache already holds this nonce (a concurrent request took the
    /// same challenge first), the cached state keeps counting, so no two
    /// requests send the same nonce count; only a new nonce replaces it.
    pub(crate) fn answer_challenge(
        &self,
        www_authenticate: &str,
        method: &str,
        uri: &str,
        previous: Option<&DigestAnswer>,
    ) -> Result<Option<DigestAnswer>, String> {
        let mut client = pick_digest_challenge(www_authenticate)?;
        if let Some(previous) = previous
            && !client.stale()
            && (previous.fresh || client.nonce() == previous.nonce)
        {
            return Ok(None);
        }
        let mut guard = self.cached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cached) = guard.as_mut()
            && cached.nonce() == client.nonce()
            && cached.algorithm() == client.algorithm()
            && let Ok(answer) = self.answer(cached, method, uri)
        {
            return Ok(Some(DigestAnswer {
                fresh: true,
                ..answer
            }));
        }
        let answer = self.answer(&mut client, method, uri)?;
        *guard = Some(client);
        Ok(Some(DigestAnswer {
            fresh: true,
            ..answer
        }))
    }

    fn answer(
        &self,
        client: &mut DigestClient,
        method: &str,
        uri: &str,
    ) -> Result<DigestAnswer, String> {
        let params = http_auth::PasswordParams {
            username: &self.public_key,
            password: self.private_key.expose(),
            uri,
            method,
            // No body: http-auth then answers with qop=auth, which is what
            // Atlas offers (auth-int would hash a body a GET never has).
            body: None,
        };
        let header = client.respond(&params)?;
        Ok(DigestAnswer {
            header,
            nonce: client.nonce().to_owned(),
            fresh: false,
        })
    }
}

/// Parses every challenge in a `WWW-Authenticate` value and keeps the
/// strongest Digest one (SHA-256 over MD5), as RFC 7616 section 3.7 asks.
pub(crate) fn pick_digest_challenge(www_authenticate: &str) -> Result<DigestClient, String> {
    let challenges = http_auth::parse_challenges(www_authenticate)
        .map_err(|e| format!("unreadable WWW-Authenticate header: {e}"))?;
    let mut best: Option<DigestClient> = None;
    let mut last_error = None;
    for challenge in challenges
        .iter()
        .filter(|c| c.scheme.eq_ignore_ascii_case("Digest"))
    {
        match DigestClient::try_from(challenge) {
            Ok(client) => {
                let stronger = best.as_ref().is_none_or(|b| {
                    algorithm_rank(client.algorithm()) > algorithm_rank(b.algorithm())
                });
                if stronger {
                    best = Some(client);
                }
            }
            Err(e) => last_error = Some(e),
        }
    }
    best.ok_or_else(|| {
        last_error.unwrap_or_else(|| "the server offered no Digest challenge".to_owned())
    })
}

pub(crate) fn algorithm_rank(algorithm: http_auth::digest::Algorithm) -> u8 {
    use http_auth::digest::Algorithm;
    match algorithm {
        Algorithm::Sha512Trunc256 => 3,
        Algorithm::Sha256 => 2,
        Algorithm::Md5 => 1,
        _ => 0,
    }
}
