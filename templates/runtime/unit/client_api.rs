//! Tests of the runtime against real HTTP servers on 127.0.0.1 (port 0),
//! started and stopped by each test (`atlas-events-test-server`, shared with
//! the generated client's tests).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use atlas_events_test_server::{RawAction, Reply, Seen, TestServer, raw_server};
use futures_util::StreamExt as _;

use super::paging::paginate;
use crate::runtime::paging::PREFETCH_PAGES;
use crate::runtime::*;

const ACCEPT: &str = "application/vnd.atlas.2023-01-01+json";
const GROUP: &str = "32b6e34b3d91647abb20e7b8";
const CLIENT_ID: &str = "mdb_sa_id_test";
const CLIENT_SECRET: &str = "mdb_sa_sk_SECRET-CS";
/// base64("mdb_sa_id_test:mdb_sa_sk_SECRET-CS")
const BASIC: &str = "Basic bWRiX3NhX2lkX3Rlc3Q6bWRiX3NhX3NrX1NFQ1JFVC1DUw==";
const PUBLIC_KEY: &str = "pubkey";
const PRIVATE_KEY: &str = "PRIVATE-SECRET-KEY";

// ---------------------------------------------------------------- harness

/// Atlas-shaped answers of the shared loopback server.
trait AtlasReply {
    /// 200 with the events media type.
    fn ok(body: impl Into<String>) -> Reply;
    /// An Atlas error body.
    fn error(status: u16, code: &str) -> Reply;
}

impl AtlasReply for Reply {
    fn ok(body: impl Into<String>) -> Reply {
        Reply::json(200, body).content_type(ACCEPT)
    }

    fn error(status: u16, code: &str) -> Reply {
        Reply::json(
            status,
            format!(r#"{{"error":{status},"errorCode":"{code}","detail":"test {code}"}}"#),
        )
    }
}

fn fast_retry() -> RetryPolicy {
    RetryPolicy::new()
        .with_initial_delay(Duration::from_millis(5))
        .with_max_delay(Duration::from_millis(20))
        .with_max_attempts(4)
        .with_max_elapsed(Duration::from_secs(10))
}

fn client_with(base: &str, credentials: Credentials, retry: RetryPolicy) -> Client {
    Client::builder(credentials)
        .base_url(base)
        .retry_policy(retry)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .expect("client builds")
}

fn bearer_client(base: &str) -> Client {
    client_with(
        base,
        Credentials::bearer_token("BEARER-SECRET-T"),
        fast_retry(),
    )
}

fn spec(path: &str) -> RequestSpec {
    RequestSpec {
        operation_id: "listGroupEvents",
        path: path.to_owned(),
        query: Vec::new(),
        accept: ACCEPT,
        envelope: false,
    }
}

fn events_path() -> String {
    format!("/api/atlas/v2/groups/{GROUP}/events")
}

type Json = serde_json::Value;

// ---------------------------------------------------------------- basics

#[tokio::test]
async fn sends_accept_user_agent_query_and_dates() {
    let server = TestServer::start(|_, _| Reply::ok(r#"{"ok":true}"#)).await;
    let client = bearer_client(&server.base);
    let min_date = time::macros::datetime!(2026-01-02 03:04:05 UTC);
    let mut request = spec(&events_path());
    request.query = vec![
        ("eventType", "HOST_DOWN".to_owned()),
        ("eventType", "HOST_UP".to_owned()),
        ("minDate", validate::format_datetime(&min_date)),
        ("includeRaw", "true".to_owned()),
    ];
    let response = client.execute::<Json>(&request).await.expect("success");
    assert_eq!(response.body()["ok"], true);
    assert_eq!(response.status(), 200);
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].method, "GET");
    assert_eq!(seen[0].path, events_path());
    assert_eq!(
        seen[0].query,
        "eventType=HOST_DOWN&eventType=HOST_UP&minDate=2026-01-02T03%3A04%3A05Z&includeRaw=true"
    );
    assert_eq!(seen[0].header("accept"), Some(ACCEPT));
    assert_eq!(
        seen[0].header("user-agent"),
        Some(format!("mongodb-atlas-events/{}", env!("CARGO_PKG_VERSION")).as_str())
    );
    assert_eq!(
        seen[0].header("authorization"),
        Some("Bearer BEARER-SECRET-T")
    );
}

#[tokio::test]
async fn rate_limit_headers_are_exposed() {
    let server = TestServer::start(|_, _| {
        Reply::ok("{}")
            .header("ratelimit-limit", "100")
            .header("ratelimit-remaining", "42;w=60")
    })
    .await;
    let response = bearer_client(&server.base)
        .execute::<Json>(&spec("/x"))
        .await
        .expect("success");
    let limits = response.rate_limit();
    assert_eq!((limits.limit, limits.remaining), (Some(100), Some(42)));
}

/// What generated operation code looks like: checks first, then one call.
async fn list_group_events(
    client: &Client,
    group_id: &str,
    items_per_page: i64,
) -> Result<Response<Json>, Error> {
    const PATTERN: &str = "^([a-f0-9]{24})$";
    let regex = regex::Regex::new(PATTERN).expect("static regex");
    validate::check_pattern("listGroupEvents", "groupId", group_id, &regex, PATTERN)?;
    validate::check_range(
        "listGroupEvents",
        "itemsPerPage",
        items_per_page,
        Some(1),
        Some(500),
    )?;
    let path = format!(
        "/api/atlas/v2/groups/{}/events",
        validate::encode_path_segment(group_id)
    );
    client.execute(&spec(&path)).await
}

#[tokio::test]
async fn invalid_parameters_never_reach_the_server() {
    let server = TestServer::start(|_, _| Reply::ok("{}")).await;
    let client = bearer_client(&server.base);
    let bad_id = list_group_events(&client, "../../orgs", 10).await;
    assert!(matches!(
        bad_id,
        Err(Error::InvalidParameter {
            operation: "listGroupEvents",
            parameter: "groupId",
            ..
        })
    ));
    let bad_size = list_group_events(&client, GROUP, 501).await;
    assert!(matches!(
        bad_size,
        Err(Error::InvalidParameter {
            parameter: "itemsPerPage",
            ..
        })
    ));
    // A dot segment that slipped through is refused by execute itself.
    let dotted = client
        .execute::<Json>(&spec("/api/atlas/v2/groups/../orgs/events"))
        .await;
    assert!(matches!(
        dotted,
        Err(Error::InvalidParameter {
            parameter: "path",
            ..
        })
    ));
    assert_eq!(server.hits(), 0, "a refused call must not send anything");
    // And a valid call does go out.
    assert!(list_group_events(&client, GROUP, 10).await.is_ok());
    assert_eq!(server.hits(), 1);
}

#[tokio::test]
async fn builder_refuses_bad_base_urls() {
    for url in [
        "not a url",
        "ftp://cloud.mongodb.com",
        "https://x.test/?a=b",
    ] {
        let built = Client::builder(Credentials::bearer_token("t"))
            .base_url(url)
            .build();
        assert!(matches!(built, Err(Error::Config { .. })), "{url}");
    }
    let ok = Client::builder(Credentials::bearer_token("t")).build();
    assert!(ok.is_ok_and(|c| c.base_url() == DEFAULT_BASE_URL));
}

#[tokio::test]
async fn builder_refuses_userinfo_in_the_base_url_without_echoing_it() {
    for url in [
        "https://admin:URL-PASSWORD@cloud.mongodb.com",
        "https://URL-PASSWORD@cloud.mongodb.com/",
        "https://admin:URL-PASSWORD@[not-a-host",
    ] {
        let builder = Client::builder(Credentials::bearer_token("t")).base_url(url);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("URL-PASSWORD"), "{shown}");
        match builder.build() {
            Err(err @ Error::Config { .. }) => {
                let text = format!("{err} {err:?}");
                assert!(!text.contains("URL-PASSWORD"), "{text}");
            }
            other => panic!("{url}: expected a configuration error, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------- decoding

#[tokio::test]
async fn api_errors_decode_and_keep_the_body() {
    let server = TestServer::start(|s, _| match s.path.as_str() {
        "/json" => Reply::error(404, "GROUP_NOT_FOUND"),
        _ => Reply {
            status: 502,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<html>bad gateway</html>".into(),
            delay: Duration::ZERO,
        },
    })
    .await;
    let client = client_with(
        &server.base,
        Credentials::bearer_token("t"),
        RetryPolicy::disabled(),
    );
    let err = client
        .execute::<Json>(&spec("/json"))
        .await
        .expect_err("404");
    assert!(err.is_error_code("GROUP_NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("test GROUP_NOT_FOUND"), "{err}");
    let err = client
        .execute::<Json>(&spec("/html"))
        .await
        .expect_err("502");
    match err {
        Error::Api {
            status: 502,
            error: None,
            body,
            ..
        } => assert_eq!(body, "<html>bad gateway</html>"),
        other => panic!("unexpected {other:?}"),
    }
}

#[derive(Debug, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EventList {
    results: Vec<Event>,
    total_count: Option<u64>,
}

#[derive(Debug, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Event {
    id: String,
    created: String,
}

#[tokio::test]
async fn decode_errors_name_the_field_path_and_keep_the_body() {
    const BODY: &str =
        r#"{"results":[{"id":"a","created":"x"},{"id":"b","created":7}],"totalCount":2}"#;
    let server = TestServer::start(|s, _| match s.path.as_str() {
        "/list" => Reply::ok(BODY),
        _ => Reply::ok("<html>").header("content-type", "text/html"),
    })
    .await;
    let client = bearer_client(&server.base);
    let err = client
        .execute::<EventList>(&spec("/list"))
        .await
        .expect_err("bad type");
    match &err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "results[1].created");
            assert_eq!(body, BODY);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("results[1].created"), "{err}");
    let err = client
        .execute::<EventList>(&spec("/html"))
        .await
        .expect_err("not json");
    assert!(
        matches!(&err, Error::Decode { message, .. } if message.contains(ACCEPT)),
        "{err:?}"
    );
    assert_eq!(server.hits(), 2, "decode errors are not retried");
}

#[tokio::test]
async fn envelope_list_single_and_error() {
    let server = TestServer::start(|s, _| match s.path.as_str() {
        "/list" => {
            Reply::ok(r#"{"status":200,"results":[{"id":"a","created":"t"}],"totalCount":1}"#)
        }
        "/single" => Reply::ok(r#"{"status":200,"content":{"id":"b","created":"u"}}"#),
        "/missing" => Reply::ok(
            r#"{"status":404,"content":{"error":404,"errorCode":"EVENT_NOT_FOUND","detail":"no"}}"#,
        ),
        "/busy" if s.raw_param("n").is_none() => Reply::ok(
            r#"{"status":503,"error":503,"errorCode":"SERVICE_UNAVAILABLE","detail":"busy"}"#,
        ),
        _ => Reply::ok("{}"),
    })
    .await;
    let client = bearer_client(&server.base);
    let mut request = spec("/list");
    request.envelope = true;
    let list = client.execute::<EventList>(&request).await.expect("list");
    assert_eq!(list.body().total_count, Some(1));
    assert_eq!(list.body().results[0].id, "a");
    request.path = "/single".into();
    let single = client.execute::<Event>(&request).await.expect("single");
    assert_eq!(single.body().id, "b");
    assert_eq!(single.status(), 200);
    request.path = "/missing".into();
    let err = client.execute::<Event>(&request).await.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert!(err.is_error_code("EVENT_NOT_FOUND"), "{err:?}");
    request.path = "/busy".into();
    let err = client.execute::<Event>(&request).await.expect_err("503");
    assert!(err.is_error_code("SERVICE_UNAVAILABLE"), "{err:?}");
    assert_eq!(server.hits_on("/busy"), 4, "enveloped 503 is retried");
    // A decode failure inside the envelope names the path from the body root.
    request.path = "/single".into();
    let err = client
        .execute::<EventList>(&request)
        .await
        .expect_err("wrong type");
    assert!(
        matches!(&err, Error::Decode { path, .. } if path.starts_with("content")),
        "{err:?}"
    );
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn retry_after_is_honoured_on_429() {
    let server = TestServer::start(|_, n| {
        if n == 0 {
            Reply::error(429, "RATE_LIMITED").header("retry-after", "1")
        } else {
            Reply::ok("{}")
        }
    })
    .await;
    let started = Instant::now();
    let result = bearer_client(&server.base)
        .execute::<Json>(&spec("/x"))
        .await;
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.hits(), 2);
    assert!(started.elapsed() >= Duration::from_millis(950));
}

#[tokio::test]
async fn retry_after_beyond_the_budget_returns_the_429() {
    let server =
        TestServer::start(|_, _| Reply::error(429, "RATE_LIMITED").header("retry-after", "30"))
            .await;
    let client = client_with(
        &server.base,
        Credentials::bearer_token("t"),
        fast_retry().with_max_elapsed(Duration::from_secs(2)),
    );
    let started = Instant::now();
    let err = client.execute::<Json>(&spec("/x")).await.expect_err("429");
    assert!(err.is_error_code("RATE_LIMITED"));
    assert_eq!(server.hits(), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn server_errors_are_retried_until_success_or_exhaustion() {
    // Each path counts its own requests: "/500" fails once whatever came before it.
    let server = TestServer::start(|s, _| match s.path.as_str() {
        "/503" if s.path_index == 0 => Reply::error(503, "SERVICE_UNAVAILABLE"),
        "/500" if s.path_index == 0 => Reply::error(500, "UNEXPECTED_ERROR"),
        "/always" => Reply::error(503, "SERVICE_UNAVAILABLE"),
        _ => Reply::ok("{}"),
    })
    .await;
    let client = bearer_client(&server.base);
    assert!(client.execute::<Json>(&spec("/503")).await.is_ok());
    assert_eq!(server.hits_on("/503"), 2);
    assert!(client.execute::<Json>(&spec("/500")).await.is_ok());
    assert_eq!(server.hits_on("/500"), 2, "500 then success");
    let err = client
        .execute::<Json>(&spec("/always"))
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.hits_on("/always"), 4, "bounded by max_attempts");
    let disabled = client_with(
        &server.base,
        Credentials::bearer_token("t"),
        RetryPolicy::disabled(),
    );
    assert!(disabled.execute::<Json>(&spec("/always")).await.is_err());
    assert_eq!(server.hits_on("/always"), 5, "disabled policy sends once");
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let server = TestServer::start(|s, _| match s.path.as_str() {
        "/404" => Reply::error(404, "NOT_FOUND"),
        "/400" => Reply::error(400, "INVALID_PARAMETER"),
        _ => Reply::error(403, "FORBIDDEN"),
    })
    .await;
    let client = bearer_client(&server.base);
    for path in ["/404", "/400", "/403"] {
        assert!(client.execute::<Json>(&spec(path)).await.is_err());
        assert_eq!(server.hits_on(path), 1, "{path} retried");
    }
}

#[tokio::test]
async fn closed_connection_is_retried() {
    let (base, count, task) = raw_server(2, |n| {
        if n == 0 {
            RawAction::Close
        } else {
            RawAction::Respond(r#"{"ok":1}"#)
        }
    })
    .await;
    let result = bearer_client(&base).execute::<Json>(&spec("/x")).await;
    task.abort();
    assert_eq!(result.expect("second attempt succeeds").body()["ok"], 1);
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn truncated_body_is_a_transport_error_and_retried() {
    let (base, count, task) = raw_server(2, |n| {
        if n == 0 {
            RawAction::Truncate
        } else {
            RawAction::Respond(r#"{"ok":2}"#)
        }
    })
    .await;
    let result = bearer_client(&base).execute::<Json>(&spec("/x")).await;
    task.abort();
    assert_eq!(result.expect("retried").body()["ok"], 2);
    assert_eq!(count.load(Ordering::SeqCst), 2);

    let (base, count, task) = raw_server(4, |_| RawAction::Truncate).await;
    let client = client_with(
        &base,
        Credentials::bearer_token("t"),
        fast_retry().with_max_attempts(2),
    );
    let err = client.execute::<Json>(&spec("/x")).await.expect_err("cut");
    task.abort();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn slow_server_hits_the_timeout() {
    let server = TestServer::start(|_, _| Reply::ok("{}").delay(Duration::from_secs(3))).await;
    let client = Client::builder(Credentials::bearer_token("t"))
        .base_url(&server.base)
        .timeout(Duration::from_millis(200))
        .retry_policy(fast_retry().with_max_attempts(2))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client
        .execute::<Json>(&spec("/x"))
        .await
        .expect_err("timeout");
    match &err {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{source:?}"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(server.hits(), 2, "timeouts are retried");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    // Bind then drop to get a loopback port nobody listens on.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let client = client_with(
        &base,
        Credentials::bearer_token("t"),
        fast_retry().with_max_attempts(2),
    );
    let err = client
        .execute::<Json>(&spec("/x"))
        .await
        .expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

// ---------------------------------------------------------------- digest

/// Parses `Digest k=v, k="v"` into a map.
fn digest_params(header: &str) -> HashMap<String, String> {
    let rest = header.strip_prefix("Digest ").unwrap_or(header);
    let mut out = HashMap::new();
    let mut chars = rest.chars().peekable();
    loop {
        let key: String = chars
            .by_ref()
            .skip_while(|c| *c == ' ' || *c == ',')
            .take_while(|c| *c != '=')
            .collect();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                value.push(c);
            }
        } else {
            while let Some(c) = chars.peek() {
                if *c == ',' {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        out.insert(key.trim().to_owned(), value);
    }
    out
}

fn hash(algorithm: &str, input: &str) -> String {
    use sha2::Digest as _;
    let bytes: Vec<u8> = if algorithm == "SHA-256" {
        sha2::Sha256::digest(input.as_bytes()).to_vec()
    } else {
        md5::Md5::digest(input.as_bytes()).to_vec()
    };
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Independent server-side check of a digest answer (RFC 7616 section 3.4.1).
fn digest_ok(p: &HashMap<String, String>, password: &str, algorithm: &str) -> bool {
    let get = |k: &str| p.get(k).map(String::as_str).unwrap_or_default();
    let ha1 = hash(
        algorithm,
        &format!("{}:{}:{password}", get("username"), get("realm")),
    );
    let ha2 = hash(algorithm, &format!("GET:{}", get("uri")));
    let expected = hash(
        algorithm,
        &format!(
            "{ha1}:{}:{}:{}:{}:{ha2}",
            get("nonce"),
            get("nc"),
            get("cnonce"),
            get("qop")
        ),
    );
    get("response") == expected
}

struct DigestServer {
    nonce: Mutex<String>,
    algorithm: &'static str,
}

impl DigestServer {
    fn challenge(&self, stale: bool) -> Reply {
        let nonce = self.nonce.lock().expect("nonce").clone();
        Reply::error(401, "UNAUTHORIZED").header(
            "www-authenticate",
            format!(
                "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"{nonce}\", \
                 algorithm={}, qop=\"auth\", stale={stale}",
                self.algorithm
            ),
        )
    }

    fn handle(&self, s: &Seen) -> Reply {
        let Some(auth) = s.header("authorization") else {
            return self.challenge(false);
        };
        let p = digest_params(auth);
        if p.get("nonce") != Some(&*self.nonce.lock().expect("nonce")) {
            return self.challenge(true);
        }
        let uri = if s.query.is_empty() {
            s.path.clone()
        } else {
            format!("{}?{}", s.path, s.query)
        };
        let fits = p.get("username").map(String::as_str) == Some(PUBLIC_KEY)
            && p.get("uri") == Some(&uri)
            && p.get("qop").map(String::as_str) == Some("auth");
        if fits && digest_ok(&p, PRIVATE_KEY, self.algorithm) {
            Reply::ok(format!(r#"{{"nc":"{}"}}"#, p["nc"]))
        } else {
            self.challenge(false)
        }
    }
}

async fn digest_round_trip(algorithm: &'static str) {
    let state = Arc::new(DigestServer {
        nonce: Mutex::new("nonce-1".into()),
        algorithm,
    });
    let handler_state = state.clone();
    let server = TestServer::start(move |s, _| handler_state.handle(s)).await;
    let client = client_with(
        &server.base,
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
        fast_retry(),
    );
    let mut request = spec(&events_path());
    request.query = vec![("itemsPerPage", "5".into()), ("eventType", "A B".into())];
    let first = client.execute::<Json>(&request).await.expect("first");
    assert_eq!(first.body()["nc"], "00000001");
    assert_eq!(server.hits(), 2, "challenge then answer");
    // The cached challenge is answered up front: one round trip.
    let second = client.execute::<Json>(&request).await.expect("second");
    assert_eq!(second.body()["nc"], "00000002");
    assert_eq!(server.hits(), 3);
    // The server rotates its nonce: stale=true, answered without failing.
    *state.nonce.lock().expect("nonce") = "nonce-2".into();
    let third = client.execute::<Json>(&request).await.expect("third");
    assert_eq!(third.body()["nc"], "00000001");
    assert_eq!(server.hits(), 5);
}

#[tokio::test]
async fn digest_round_trip_md5() {
    digest_round_trip("MD5").await;
}

#[tokio::test]
async fn digest_round_trip_sha256() {
    digest_round_trip("SHA-256").await;
}

#[tokio::test]
async fn digest_wrong_key_fails_fast_without_leaking() {
    let state = Arc::new(DigestServer {
        nonce: Mutex::new("n".into()),
        algorithm: "MD5",
    });
    let server = TestServer::start(move |s, _| state.handle(s)).await;
    let client = client_with(
        &server.base,
        Credentials::api_key(PUBLIC_KEY, "WRONG-PRIVATE-SECRET"),
        fast_retry(),
    );
    let err = client.execute::<Json>(&spec("/x")).await.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert_eq!(server.hits(), 2, "no loop on refused credentials");
    assert!(
        matches!(&err, Error::Auth { message, .. } if message.contains("API access list")),
        "{err:?}"
    );
    let text = format!("{err} {err:?} {client:?}");
    assert!(!text.contains("WRONG-PRIVATE-SECRET"), "{text}");
}

#[tokio::test]
async fn digest_wrong_key_with_a_new_nonce_each_time_is_an_auth_error() {
    // Like servers that mint a nonce per challenge: a refused answer comes
    // back with a new nonce and no `stale=true`.
    let minted = AtomicUsize::new(0);
    let server = TestServer::start(move |_, _| {
        let n = minted.fetch_add(1, Ordering::SeqCst);
        Reply::error(401, "UNAUTHORIZED").header(
            "www-authenticate",
            format!("Digest realm=\"MMS Public API\", nonce=\"n{n}\", algorithm=MD5, qop=\"auth\""),
        )
    })
    .await;
    let client = client_with(
        &server.base,
        Credentials::api_key(PUBLIC_KEY, "WRONG-PRIVATE-SECRET"),
        fast_retry(),
    );
    let err = client.execute::<Json>(&spec("/x")).await.expect_err("401");
    assert!(
        matches!(&err, Error::Auth { status: Some(401), message, .. }
            if message.contains("UNAUTHORIZED") && message.contains("API access list")),
        "{err:?}"
    );
    assert_eq!(server.hits(), 2, "challenge, one answer, then stop");
    assert!(!format!("{err} {err:?}").contains("WRONG-PRIVATE-SECRET"));
}

#[tokio::test]
async fn digest_concurrent_stale_rotation_never_reuses_a_nonce_count() {
    let state = Arc::new(DigestServer {
        nonce: Mutex::new("nonce-1".into()),
        algorithm: "SHA-256",
    });
    let handler_state = state.clone();
    let server = TestServer::start(move |s, _| handler_state.handle(s)).await;
    let client = client_with(
        &server.base,
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
        fast_retry(),
    );
    client.execute::<Json>(&spec("/x")).await.expect("primes");
    // The server rotates its nonce; every concurrent request answers the
    // cached one, is told stale=true, and answers the same new nonce.
    *state.nonce.lock().expect("nonce") = "nonce-2".into();
    let calls = (0..8).map(|_| {
        let client = client.clone();
        async move { client.execute::<Json>(&spec("/x")).await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let mut used = std::collections::HashSet::new();
    for seen in server.seen() {
        let Some(auth) = seen.header("authorization") else {
            continue;
        };
        let p = digest_params(auth);
        let key = (p["nonce"].clone(), p["nc"].clone());
        assert!(used.insert(key.clone()), "nonce count reused: {key:?}");
    }
    let on_new_nonce = used.iter().filter(|(n, _)| n == "nonce-2").count();
    assert_eq!(on_new_nonce, 8);
}

// ---------------------------------------------------------------- oauth

struct OAuthServer {
    token_calls: AtomicUsize,
    /// Only the latest token is accepted (older ones count as revoked).
    expires_in: u64,
    /// The first API call answers 401 whatever the token.
    reject_first: bool,
    token_delay: Duration,
}

impl OAuthServer {
    fn handle(&self, s: &Seen, index: usize) -> Reply {
        if s.path == "/api/oauth/token" {
            let ok = s.method == "POST"
                && s.header("authorization") == Some(BASIC)
                && s.header("content-type") == Some("application/x-www-form-urlencoded")
                && s.body == "grant_type=client_credentials";
            if !ok {
                return Reply::json(
                    401,
                    r#"{"error":"invalid_client","error_description":"bad client"}"#,
                );
            }
            let n = self.token_calls.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                format!(
                    r#"{{"access_token":"ACCESS-TOKEN-SECRET-{n}","expires_in":{},"token_type":"Bearer"}}"#,
                    self.expires_in
                ),
            )
            .delay(self.token_delay);
        }
        let current = format!(
            "Bearer ACCESS-TOKEN-SECRET-{}",
            self.token_calls.load(Ordering::SeqCst)
        );
        if self.reject_first && index == 1 {
            return Reply::error(401, "NOT_ORG_GROUP_CREATOR");
        }
        if s.header("authorization") == Some(current.as_str()) {
            Reply::ok("{}")
        } else {
            Reply::error(401, "UNAUTHORIZED")
        }
    }
}

async fn oauth_setup(
    expires_in: u64,
    reject_first: bool,
    token_delay: Duration,
) -> (TestServer, Arc<OAuthServer>, Client) {
    let state = Arc::new(OAuthServer {
        token_calls: AtomicUsize::new(0),
        expires_in,
        reject_first,
        token_delay,
    });
    let handler_state = state.clone();
    let server = TestServer::start(move |s, n| handler_state.handle(s, n)).await;
    let client = client_with(
        &server.base,
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        fast_retry(),
    );
    (server, state, client)
}

#[tokio::test]
async fn oauth_token_is_fetched_once_and_cached() {
    let (server, state, client) = oauth_setup(3600, false, Duration::ZERO).await;
    for _ in 0..3 {
        client.execute::<Json>(&spec("/x")).await.expect("call");
    }
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.hits_on("/x"), 3);
}

#[tokio::test]
async fn oauth_token_is_refreshed_before_expiry() {
    // expires_in=1: refreshed half-way, after 0.5 s.
    let (_server, state, client) = oauth_setup(1, false, Duration::ZERO).await;
    client.execute::<Json>(&spec("/x")).await.expect("first");
    client.execute::<Json>(&spec("/x")).await.expect("cached");
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    client
        .execute::<Json>(&spec("/x"))
        .await
        .expect("after expiry");
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn oauth_single_refresh_under_concurrency() {
    let (server, state, client) = oauth_setup(3600, false, Duration::from_millis(100)).await;
    let calls = (0..20).map(|_| {
        let client = client.clone();
        async move { client.execute::<Json>(&spec("/x")).await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.hits_on("/x"), 20);
}

#[tokio::test]
async fn oauth_401_refreshes_and_retries_once() {
    let (server, state, client) = oauth_setup(3600, true, Duration::ZERO).await;
    client.execute::<Json>(&spec("/x")).await.expect("retried");
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.hits_on("/x"), 2);
}

#[tokio::test]
async fn oauth_refused_client_is_an_auth_error_without_secrets() {
    let (server, _state, _client) = oauth_setup(3600, false, Duration::ZERO).await;
    let client = client_with(
        &server.base,
        Credentials::service_account(CLIENT_ID, "WRONG-CLIENT-SECRET"),
        fast_retry(),
    );
    let err = client
        .execute::<Json>(&spec("/x"))
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Auth { status: Some(401), message, .. } if message.contains("invalid_client")),
        "{err:?}"
    );
    assert_eq!(server.hits_on("/api/oauth/token"), 1, "refusal not retried");
    assert_eq!(server.hits_on("/x"), 0);
    let text = format!("{err} {err:?} {client:?}");
    assert!(!text.contains("WRONG-CLIENT-SECRET"), "{text}");
}

#[tokio::test]
async fn oauth_refused_fresh_token_is_an_auth_error() {
    let server = TestServer::start(|s, _| {
        if s.path == "/api/oauth/token" {
            Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#)
        } else {
            Reply::error(401, "UNAUTHORIZED")
        }
    })
    .await;
    let client = client_with(
        &server.base,
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        fast_retry(),
    );
    let err = client
        .execute::<Json>(&spec("/x"))
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Auth { status: Some(401), message, .. }
            if message.contains("UNAUTHORIZED") && message.contains("API access list")),
        "{err:?}"
    );
    assert_eq!(server.hits_on("/api/oauth/token"), 2, "one refresh");
    assert_eq!(server.hits_on("/x"), 2, "not retried further");
}

#[tokio::test]
async fn oauth_failed_fetch_is_shared_with_callers_waiting_for_it() {
    // The token endpoint hangs; each fetch gives up after the 300 ms timeout.
    let server = TestServer::start(|s, _| {
        if s.path == "/api/oauth/token" {
            Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#)
                .delay(Duration::from_secs(5))
        } else {
            Reply::ok("{}")
        }
    })
    .await;
    let client = Client::builder(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .base_url(&server.base)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("client");
    let started = Instant::now();
    let calls = (0..5).map(|_| {
        let client = client.clone();
        async move { client.execute::<Json>(&spec("/x")).await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert_eq!(server.hits_on("/api/oauth/token"), 1, "one fetch, shared");
    assert!(started.elapsed() < Duration::from_millis(1200), "queued");
    for result in &results {
        assert!(
            matches!(result, Err(Error::Auth { message, .. }) if message.contains("timed out")),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn oauth_shared_fetch_failure_stays_retryable() {
    // The first fetch hangs past the timeout, later ones answer at once.
    let server = TestServer::start(|s, n| {
        if s.path == "/api/oauth/token" {
            let reply = Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#);
            if n == 0 {
                reply.delay(Duration::from_secs(5))
            } else {
                reply
            }
        } else {
            Reply::ok("{}")
        }
    })
    .await;
    let client = Client::builder(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .base_url(&server.base)
        .timeout(Duration::from_millis(300))
        .retry_policy(fast_retry().with_max_attempts(2))
        .build()
        .expect("client");
    let calls = (0..5).map(|_| {
        let client = client.clone();
        async move { client.execute::<Json>(&spec("/x")).await }
    });
    let results = futures_util::future::join_all(calls).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(server.hits_on("/api/oauth/token"), 2);
    assert_eq!(server.hits_on("/x"), 5);
}

#[tokio::test]
async fn max_elapsed_is_a_deadline_even_inside_an_attempt() {
    let server = TestServer::start(|s, _| {
        if s.path == "/api/oauth/token" {
            Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#)
                .delay(Duration::from_secs(3))
        } else {
            Reply::ok("{}").delay(Duration::from_secs(3))
        }
    })
    .await;
    let policy = fast_retry().with_max_elapsed(Duration::from_millis(400));
    for credentials in [
        Credentials::bearer_token("t"),
        // The wait for a token counts against the budget too.
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
    ] {
        let client = client_with(&server.base, credentials, policy.clone());
        let started = Instant::now();
        let err = client
            .execute::<Json>(&spec("/x"))
            .await
            .expect_err("deadline");
        let elapsed = started.elapsed();
        assert!(
            matches!(err, Error::Deadline { attempt: 1, .. }),
            "{err:?} after {elapsed:?}"
        );
        assert!(err.to_string().contains("time budget"), "{err}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
    }
}

// ---------------------------------------------------------------- secrets

thread_local! {
    /// Where the global test subscriber writes on this thread, if anywhere.
    static CAPTURE: std::cell::RefCell<Option<Arc<Mutex<Vec<u8>>>>> =
        const { std::cell::RefCell::new(None) };
}

/// Sends formatted `tracing` output to this thread's capture buffer.
struct RoutingWriter;

impl std::io::Write for RoutingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| {
            if let Some(capture) = &*c.borrow() {
                capture.lock().expect("capture").extend_from_slice(buf);
            }
        });
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures everything `tracing` prints on this thread. A global subscriber
/// is used because a thread-scoped one races with other tests over the
/// callsite interest cache; a current-thread runtime keeps all of a test's
/// events on its thread.
fn capture_tracing() -> Arc<Mutex<Vec<u8>>> {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(|| RoutingWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("only subscriber");
    });
    let buffer = Arc::new(Mutex::new(Vec::new()));
    CAPTURE.with(|c| *c.borrow_mut() = Some(buffer.clone()));
    buffer
}

#[tokio::test]
async fn secrets_never_reach_tracing_errors_or_debug() {
    let capture = capture_tracing();

    let (server, _state, oauth) = oauth_setup(3600, true, Duration::ZERO).await;
    oauth
        .execute::<Json>(&spec("/x"))
        .await
        .expect("oauth call");
    let digest_state = Arc::new(DigestServer {
        nonce: Mutex::new("n".into()),
        algorithm: "MD5",
    });
    let digest_server = TestServer::start(move |s, _| digest_state.handle(s)).await;
    let digest = client_with(
        &digest_server.base,
        Credentials::api_key(PUBLIC_KEY, PRIVATE_KEY),
        fast_retry(),
    );
    digest
        .execute::<Json>(&spec("/x"))
        .await
        .expect("digest call");
    let bearer = bearer_client(&server.base);
    let bearer_err = bearer.execute::<Json>(&spec("/x")).await.expect_err("401");
    let bad_header = client_with(
        &server.base,
        Credentials::bearer_token("BAD\nBEARER-SECRET-NL"),
        fast_retry(),
    )
    .execute::<Json>(&spec("/x"))
    .await
    .expect_err("invalid header");
    assert!(matches!(bad_header, Error::Auth { .. }), "{bad_header:?}");

    let logs = String::from_utf8_lossy(&capture.lock().expect("capture")).into_owned();
    let everything = format!(
        "{logs}\n{bearer_err} {bearer_err:?} {bad_header} {bad_header:?} {oauth:?} {digest:?} {bearer:?}"
    );
    // The capture did see the calls, so an empty log cannot pass.
    assert!(logs.contains("listGroupEvents"), "{logs}");
    assert!(logs.contains("attempt"), "{logs}");
    for secret in [
        CLIENT_SECRET,
        "bWRiX3NhX2lkX3Rlc3Q6", // the Basic credentials, base64
        "ACCESS-TOKEN-SECRET",
        PRIVATE_KEY,
        "BEARER-SECRET",
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}

// ---------------------------------------------------------------- paging

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    results: Vec<u32>,
    total_count: Option<u64>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(serde::Deserialize)]
struct Link {
    rel: String,
}

impl Paged for Page {
    type Item = u32;
    fn into_page(self) -> PageParts<u32> {
        PageParts {
            items: self.results,
            total_count: self.total_count,
            has_next_link: self.links.iter().any(|l| l.rel == "next"),
            unreadable: None,
        }
    }
}

/// Serves items `1..=total` in pages; `with_total` adds `totalCount`,
/// `always_next` sends a `next` link even on the last page, `fail_page`
/// answers that page with 404.
fn page_server(
    total: u32,
    with_total: bool,
    always_next: bool,
    fail_page: Option<u32>,
) -> impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static {
    move |s, _| {
        let page: u32 = s
            .raw_param("pageNum")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let per: u32 = s
            .raw_param("itemsPerPage")
            .and_then(|v| v.parse().ok())
            .unwrap_or(100);
        if Some(page) == fail_page {
            return Reply::error(404, "PAGE_GONE");
        }
        let start = (page - 1) * per + 1;
        let end = (page * per).min(total);
        let items: Vec<u32> = (start..=end).collect();
        let mut links = vec![serde_json::json!({"rel": "self", "href": "x"})];
        if always_next || end < total {
            links.push(serde_json::json!({"rel": "next", "href": "y"}));
        }
        let mut body = serde_json::json!({"results": items, "links": links});
        if with_total {
            body["totalCount"] = total.into();
        }
        Reply::ok(body.to_string())
    }
}

fn page_request(per: u32) -> impl Fn(u32) -> RequestSpec + Send + Sync + 'static {
    move |page| {
        let mut request = spec(&events_path());
        request.query = vec![
            ("itemsPerPage", per.to_string()),
            ("pageNum", page.to_string()),
        ];
        request
    }
}

async fn collect_pages(
    server: &TestServer,
    per: u32,
    first: u32,
    prefetch: bool,
) -> Vec<Result<u32, Error>> {
    let client = bearer_client(&server.base);
    paginate::<Page>(client, page_request(per), paging(per, first, prefetch))
        .items()
        .collect()
        .await
}

fn paging(items_per_page: u32, first_page: u32, prefetch: bool) -> Paging {
    Paging {
        items_per_page,
        first_page,
        prefetch,
        pin_max_date: None,
    }
}

/// The pages asked for, in page order (prefetched requests may reach the
/// server in any order).
fn pages_requested(server: &TestServer) -> Vec<u32> {
    let mut pages: Vec<u32> = server
        .seen()
        .iter()
        .filter_map(|s| s.raw_param("pageNum")?.parse().ok())
        .collect();
    pages.sort_unstable();
    pages
}

#[tokio::test]
async fn paging_with_total_count() {
    for (total, prefetch, expected_pages) in [
        (23, false, vec![1, 2, 3, 4, 5]),
        // Page 5 is full and links `next`: the link is followed whatever
        // totalCount says, and the empty page 6 ends the list.
        (25, true, vec![1, 2, 3, 4, 5, 6]),
        (0, false, vec![1]),
    ] {
        let server = TestServer::start(page_server(total, true, true, None)).await;
        let items: Vec<u32> = collect_pages(&server, 5, 1, prefetch)
            .await
            .into_iter()
            .map(|r| r.expect("item"))
            .collect();
        assert_eq!(items, (1..=total).collect::<Vec<_>>(), "total {total}");
        assert_eq!(pages_requested(&server), expected_pages, "total {total}");
    }
}

#[tokio::test]
async fn paging_without_total_count() {
    // 25 items: page 5 is full but has no next link, so page 6 is never asked.
    let server = TestServer::start(page_server(25, false, false, None)).await;
    let items: Vec<u32> = collect_pages(&server, 5, 1, true)
        .await
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items, (1..=25).collect::<Vec<_>>());
    assert_eq!(pages_requested(&server), vec![1, 2, 3, 4, 5]);
    // A server that always links `next`: the short page 5 ends the stream.
    let server = TestServer::start(page_server(23, false, true, None)).await;
    let items: Vec<u32> = collect_pages(&server, 5, 1, false)
        .await
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items, (1..=23).collect::<Vec<_>>());
    assert_eq!(pages_requested(&server), vec![1, 2, 3, 4, 5]);
    // Starting at page 3 with totalCount counts the skipped pages.
    let server = TestServer::start(page_server(20, true, false, None)).await;
    let items: Vec<u32> = collect_pages(&server, 5, 3, false)
        .await
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items, (11..=20).collect::<Vec<_>>());
    assert_eq!(pages_requested(&server), vec![3, 4]);
}

#[tokio::test]
async fn paging_error_mid_stream_ends_the_stream() {
    for prefetch in [false, true] {
        let server = TestServer::start(page_server(50, true, true, Some(3))).await;
        let results = collect_pages(&server, 5, 1, prefetch).await;
        assert_eq!(results.len(), 11, "10 items then the error");
        let items: Vec<u32> = results[..10]
            .iter()
            .map(|r| *r.as_ref().expect("item"))
            .collect();
        assert_eq!(items, (1..=10).collect::<Vec<_>>());
        assert!(
            results[10]
                .as_ref()
                .is_err_and(|e| e.is_error_code("PAGE_GONE"))
        );
        // Nothing after the failing page is asked once it failed; with
        // prefetch, pages that totalCount vouched for may have been asked
        // before (and are cancelled).
        let pages = pages_requested(&server);
        assert_eq!(pages[..3], [1, 2, 3], "prefetch {prefetch}");
        if prefetch {
            assert!(pages.len() <= 2 + PREFETCH_PAGES, "{pages:?}");
        } else {
            assert_eq!(pages.len(), 3);
        }
    }
}

#[tokio::test]
async fn paging_prefetch_runs_at_most_the_window_ahead_and_within_total_count() {
    for prefetch in [false, true] {
        let consumed = Arc::new(AtomicUsize::new(0));
        // The server notes how many items the consumer had taken when each
        // page was requested.
        let at_request = Arc::new(Mutex::new(Vec::new()));
        let (c, log) = (consumed.clone(), at_request.clone());
        let inner = page_server(50, true, false, None);
        let server = TestServer::start(move |s, n| {
            let page: usize = s
                .raw_param("pageNum")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            log.lock()
                .expect("log")
                .push((page, c.load(Ordering::SeqCst)));
            inner(s, n)
        })
        .await;
        let client = bearer_client(&server.base);
        let mut stream = std::pin::pin!(
            paginate::<Page>(client, page_request(5), paging(5, 1, prefetch)).items()
        );
        let mut items = Vec::new();
        while let Some(item) = stream.next().await {
            items.push(item.expect("item"));
            // A slow consumer, so prefetched pages have time to arrive.
            tokio::time::sleep(Duration::from_millis(3)).await;
            consumed.fetch_add(1, Ordering::SeqCst);
        }
        assert_eq!(items, (1..=50).collect::<Vec<_>>());
        let at_request = at_request.lock().expect("log").clone();
        let mut pages: Vec<usize> = at_request.iter().map(|(p, _)| *p).collect();
        pages.sort_unstable();
        assert_eq!(pages, (1..=10).collect::<Vec<_>>(), "prefetch {prefetch}");
        for (page, consumed) in &at_request {
            // The page the consumer is on when the request leaves.
            let current = consumed / 5 + 1;
            if prefetch {
                assert!(*page <= current + PREFETCH_PAGES, "{at_request:?}");
            } else {
                assert_eq!(*page, current, "{at_request:?}");
            }
        }
        if prefetch {
            // Pages were fetched ahead: page 3 left before page 1 was used up.
            assert!(at_request[2].1 < 5, "{at_request:?}");
        }
    }
}

#[tokio::test]
async fn paging_prefetch_with_an_inflated_total_stops_at_the_short_page() {
    // totalCount says 1000, but page 3 is short: items 1..=12, no page after it
    // asked once it arrived, and never more than the window beyond page 1.
    let server = TestServer::start(|s, _| {
        let page: u32 = s
            .raw_param("pageNum")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let items: Vec<u32> = ((page - 1) * 5 + 1..=(page * 5).min(12)).collect();
        let links = [serde_json::json!({"rel": "next", "href": "y"})];
        Reply::ok(
            serde_json::json!({"results": items, "links": links, "totalCount": 1000}).to_string(),
        )
    })
    .await;
    let items: Vec<u32> = collect_pages(&server, 5, 1, true)
        .await
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items, (1..=12).collect::<Vec<_>>());
    let pages = pages_requested(&server);
    assert!(pages.len() <= 3 + PREFETCH_PAGES, "{pages:?}");
    assert_eq!(pages[..3], [1, 2, 3], "{pages:?}");
}

#[tokio::test]
async fn paging_a_repeated_page_ends_with_a_paging_error() {
    // A server that ignores pageNum: the same full page with a next link,
    // for items without keys (the body fingerprint tells) and an inflated total.
    for prefetch in [false, true] {
        let server = TestServer::start(|_, _| {
            let links = [serde_json::json!({"rel": "next", "href": "y"})];
            Reply::ok(
                serde_json::json!({"results": [1, 2, 3], "links": links, "totalCount": 100_000})
                    .to_string(),
            )
        })
        .await;
        let results = tokio::time::timeout(
            Duration::from_secs(10),
            collect_pages(&server, 3, 1, prefetch),
        )
        .await
        .expect("the stream ends");
        assert_eq!(results.len(), 4, "{results:?}");
        assert!(
            matches!(results[3], Err(Error::Paging { page: 2, .. })),
            "{:?}",
            results[3]
        );
        assert!(server.hits() <= 1 + PREFETCH_PAGES, "prefetch {prefetch}");
    }
}

#[tokio::test]
async fn paging_stops_at_page_u32_max() {
    // The last page number there is: no request for a page after it.
    let server = TestServer::start(page_server(u32::MAX, false, true, None)).await;
    let results = collect_pages(&server, 1, u32::MAX, true).await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert_eq!(pages_requested(&server), vec![u32::MAX]);
}

#[tokio::test]
async fn oauth_token_endpoint_outage_is_retried() {
    let server = TestServer::start(|s, n| {
        if s.path == "/api/oauth/token" {
            if n == 0 {
                Reply::error(503, "SERVICE_UNAVAILABLE")
            } else {
                Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#)
            }
        } else if s.header("authorization") == Some("Bearer T") {
            Reply::ok("{}")
        } else {
            Reply::error(401, "UNAUTHORIZED")
        }
    })
    .await;
    let client = client_with(
        &server.base,
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        fast_retry(),
    );
    client.execute::<Json>(&spec("/x")).await.expect("retried");
    assert_eq!(server.hits_on("/api/oauth/token"), 2);
    assert_eq!(server.hits_on("/x"), 1);
}

// ------------------------------------------------ paging: keys, pins, pages

/// A page of string-keyed items (an event list in miniature).
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyedPage {
    results: Vec<String>,
    total_count: Option<u64>,
    #[serde(default)]
    links: Vec<Link>,
}

impl Paged for KeyedPage {
    type Item = String;
    fn into_page(self) -> PageParts<String> {
        PageParts {
            items: self.results,
            total_count: self.total_count,
            has_next_link: self.links.iter().any(|l| l.rel == "next"),
            unreadable: None,
        }
    }
    fn key(item: &String) -> Option<&str> {
        Some(item)
    }
}

#[tokio::test]
async fn keyed_items_are_yielded_once_however_the_pages_shift() {
    // Newest first; before each request after the first, two new items
    // arrive at the head (the server ignores maxDate), so every page but the
    // first starts with two items already yielded.
    let server = TestServer::start(|s, n| {
        let page: usize = s
            .raw_param("pageNum")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let mut all: Vec<String> = (0..2 * n).rev().map(|i| format!("new{i}")).collect();
        all.extend((0..12).map(|i| format!("old{i:02}")));
        let results: Vec<&String> = all.iter().skip((page - 1) * 3).take(3).collect();
        let links = [serde_json::json!({"rel": "next", "href": format!("?pageNum={}", page + 1)})];
        Reply::ok(
            serde_json::json!({"results": results, "links": links, "totalCount": all.len()})
                .to_string(),
        )
    })
    .await;
    let client = bearer_client(&server.base);
    let pages: Vec<crate::runtime::Page<String>> =
        paginate::<KeyedPage>(client, page_request(3), paging(3, 1, false))
            .map(|p| p.expect("page"))
            .collect()
            .await;
    let items: Vec<String> = pages.iter().flat_map(|p| p.items.clone()).collect();
    let expected: Vec<String> = (0..12).map(|i| format!("old{i:02}")).collect();
    assert_eq!(items, expected);
    let repeated: Vec<usize> = pages.iter().map(|p| p.repeated).collect();
    assert_eq!(repeated[..3], [0, 2, 2], "{repeated:?}");
    assert_eq!(server.hits(), pages.len());
    assert_eq!(pages.len(), 11);
}

#[tokio::test]
async fn a_page_of_items_already_received_ends_with_a_paging_error() {
    // Page 2 holds page 1's items again (its body differs: the self link).
    for prefetch in [false, true] {
        let server = TestServer::start(|s, _| {
            let page = s.raw_param("pageNum").unwrap_or_default();
            let links = [
                serde_json::json!({"rel": "self", "href": format!("?pageNum={page}")}),
                serde_json::json!({"rel": "next", "href": "y"}),
            ];
            Reply::ok(
                serde_json::json!({"results": ["a", "b"], "links": links, "totalCount": 100})
                    .to_string(),
            )
        })
        .await;
        let client = bearer_client(&server.base);
        let items: Vec<Result<String, Error>> =
            paginate::<KeyedPage>(client, page_request(2), paging(2, 1, prefetch))
                .items()
                .collect()
                .await;
        assert_eq!(items.len(), 3, "{items:?}");
        assert!(
            matches!(&items[2], Err(Error::Paging { page: 2, reason, .. }) if reason.contains("already received")),
            "{items:?}"
        );
        assert!(server.hits() <= 1 + PREFETCH_PAGES, "{}", server.hits());
    }
}

#[tokio::test]
async fn pages_report_their_number_new_items_repeats_and_links() {
    // Page 2 repeats the last item of page 1 (a shift of one).
    let server = TestServer::start(|s, _| {
        let page: u32 = s
            .raw_param("pageNum")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let (results, next) = match page {
            1 => (vec!["a", "b", "c"], true),
            2 => (vec!["c", "d", "e"], true),
            _ => (vec!["f"], false),
        };
        let mut links = vec![serde_json::json!({"rel": "self", "href": "x"})];
        if next {
            links.push(serde_json::json!({"rel": "next", "href": "y"}));
        }
        Reply::ok(
            serde_json::json!({"results": results, "links": links, "totalCount": 6}).to_string(),
        )
    })
    .await;
    let client = bearer_client(&server.base);
    let pages: Vec<crate::runtime::Page<String>> =
        paginate::<KeyedPage>(client, page_request(3), paging(3, 1, false))
            .map(|p| p.expect("page"))
            .collect()
            .await;
    type Summary = (u32, Vec<String>, usize, Option<u64>, bool);
    let summary: Vec<Summary> = pages
        .into_iter()
        .map(|p| {
            (
                p.page_num,
                p.items,
                p.repeated,
                p.total_count,
                p.has_next_link,
            )
        })
        .collect();
    let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        summary,
        vec![
            (1, strings(&["a", "b", "c"]), 0, Some(6), true),
            (2, strings(&["d", "e"]), 1, Some(6), true),
            (3, strings(&["f"]), 0, Some(6), false),
        ]
    );
    assert_eq!(pages_requested(&server), vec![1, 2, 3]);
}

#[tokio::test]
async fn without_links_total_count_decides_also_from_a_later_first_page() {
    // No `links` at all: totalCount alone says whether more follow, counting
    // the pages before the first one asked as full.
    let server = TestServer::start(|s, _| {
        let page: u32 = s
            .raw_param("pageNum")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1);
        let items: Vec<u32> = ((page - 1) * 5 + 1..=(page * 5).min(20)).collect();
        Reply::ok(serde_json::json!({"results": items, "totalCount": 20}).to_string())
    })
    .await;
    let items: Vec<u32> = collect_pages(&server, 5, 3, false)
        .await
        .into_iter()
        .map(|r| r.expect("item"))
        .collect();
    assert_eq!(items, (11..=20).collect::<Vec<_>>());
    assert_eq!(pages_requested(&server), vec![3, 4]);
}

#[tokio::test]
async fn max_date_is_pinned_once_unless_the_request_sets_it() {
    let server = TestServer::start(page_server(12, true, false, None)).await;
    let client = bearer_client(&server.base);
    let pinned = Paging {
        pin_max_date: Some("maxDate"),
        ..paging(5, 1, true)
    };
    let items: Vec<u32> = paginate::<Page>(client.clone(), page_request(5), pinned)
        .items()
        .map(|r| r.expect("item"))
        .collect()
        .await;
    assert_eq!(items.len(), 12);
    let dates: Vec<Option<String>> = server
        .seen()
        .iter()
        .map(|s| s.raw_param("maxDate"))
        .collect();
    assert_eq!(dates.len(), 3);
    assert!(
        dates[0].as_deref().is_some_and(|d| d.ends_with('Z')),
        "{dates:?}"
    );
    assert!(dates.iter().all(|d| *d == dates[0]), "{dates:?}");

    // A request that already has maxDate keeps its own, once.
    let server = TestServer::start(page_server(3, true, false, None)).await;
    let client = bearer_client(&server.base);
    let own = move |page: u32| {
        let mut request = page_request(5)(page);
        request
            .query
            .push(("maxDate", "2026-01-01T00:00:00Z".to_owned()));
        request
    };
    let _: Vec<_> = paginate::<Page>(client, own, pinned)
        .items()
        .collect()
        .await;
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].raw_param("maxDate").as_deref(),
        Some("2026-01-01T00%3A00%3A00Z")
    );
    assert_eq!(
        seen[0].query.matches("maxDate").count(),
        1,
        "{}",
        seen[0].query
    );
}

#[tokio::test]
async fn oauth_generations_and_the_remint_bound() {
    let (server, state, _client) = oauth_setup(3600, false, Duration::ZERO).await;
    let http = crate::runtime::transport::Reqwest(reqwest::Client::new());
    let clock = SystemClock;
    let url = format!("{}/api/oauth/token", server.base);
    let crate::runtime::auth::CredentialKind::ServiceAccount {
        client_id,
        client_secret,
    } = Credentials::service_account(CLIENT_ID, CLIENT_SECRET).kind
    else {
        panic!("a service account")
    };
    let oauth = crate::runtime::auth::OAuthState::new(client_id, client_secret);
    let first = match oauth.token(&http, &clock, &url, "op").await {
        Ok(t) => t,
        Err(_) => panic!("first token"),
    };
    // The refused token is dropped; the next one is a new generation.
    assert!(oauth.invalidate(first.generation).await);
    let second = match oauth.token(&http, &clock, &url, "op").await {
        Ok(t) => t,
        Err(_) => panic!("second token"),
    };
    assert_eq!(second.generation, first.generation + 1);
    // A refusal of an older generation leaves the newer token in place.
    assert!(oauth.invalidate(first.generation).await);
    // A second refusal within REMINT_INTERVAL: no more minting.
    assert!(!oauth.invalidate(second.generation).await);
    let third = match oauth.token(&http, &clock, &url, "op").await {
        Ok(t) => t,
        Err(_) => panic!("third token"),
    };
    assert_eq!(third.generation, second.generation);
    assert_eq!(state.token_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn oauth_retry_after_zero_means_try_again_now() {
    let server = TestServer::start(|s, n| {
        if s.path == "/api/oauth/token" {
            if n == 0 {
                Reply::error(429, "RATE_LIMITED").header("retry-after", "0")
            } else {
                Reply::json(200, r#"{"access_token":"T","expires_in":3600}"#)
            }
        } else {
            Reply::ok("{}")
        }
    })
    .await;
    let client = client_with(
        &server.base,
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        fast_retry(),
    );
    client.execute::<Json>(&spec("/x")).await.expect("retried");
    assert_eq!(server.hits_on("/api/oauth/token"), 2);
}
