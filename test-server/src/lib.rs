//! A recording HTTP server on 127.0.0.1 (port 0) for tests: every request is logged as
//! [`Seen`] (method, path, raw query, headers, body) and answered with the [`Reply`] a test's
//! handler gives. Shared by the runtime's tests (`templates/runtime/src/tests.rs`) and the
//! generated client's (`tests/tests/client.rs`); it knows nothing of Atlas.
//!
//! [`raw_server`] is a TCP server for the failures an HTTP server library cannot produce (a
//! connection closed without an answer, a body shorter than announced).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, not decoded.
    pub path: String,
    /// The raw query string exactly as sent (empty when there is none).
    pub query: String,
    /// Every request header.
    pub headers: HeaderMap,
    /// The body, as text (lossy).
    pub body: String,
    /// How many requests to the same path came before this one: what a test that answers
    /// "fail the first time, then succeed" on one path must count, whatever other paths
    /// (a token endpoint, another call) were asked in between.
    pub path_index: usize,
}

impl Seen {
    /// A header's value, if it is present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first value of `name` in the query, not decoded (`2026-01-01T00%3A00%3A00Z`).
    pub fn raw_param(&self, name: &str) -> Option<String> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }

    /// Decoded `(key, value)` pairs in the order sent.
    pub fn pairs(&self) -> Vec<(String, String)> {
        form_urlencoded::parse(self.query.as_bytes())
            .into_owned()
            .collect()
    }

    /// Every decoded value of every key, in the order sent.
    pub fn params(&self) -> BTreeMap<String, Vec<String>> {
        let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in self.pairs() {
            map.entry(k).or_default().push(v);
        }
        map
    }

    /// The decoded value of `name`, which must be sent at most once (panics otherwise).
    pub fn param(&self, name: &str) -> Option<String> {
        let values: Vec<String> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        assert!(values.len() <= 1, "{name} sent {} times", values.len());
        values.into_iter().next()
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Response headers, `content-type` first.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// How long to wait before answering.
    pub delay: Duration,
}

impl Reply {
    /// `status` with a body, as `content-type: application/json`.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    /// The same answer with another `content-type`.
    pub fn content_type(mut self, value: impl Into<String>) -> Self {
        self.headers.retain(|(name, _)| name != "content-type");
        self.headers
            .insert(0, ("content-type".into(), value.into()));
        self
    }

    /// The same answer with one more header (a name given twice is sent twice), or with
    /// another `content-type` (there is one).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        if name.eq_ignore_ascii_case("content-type") {
            return self.content_type(value);
        }
        self.headers.push((name, value.into()));
        self
    }

    /// The same answer, sent after `delay`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A loopback HTTP server, stopped when dropped.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Serves every request with `handler(request, index)`, `index` counting the requests
    /// of every path (see [`Seen::path_index`] for one path's).
    pub async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let log = seen.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let log = log.clone();
                let handler = handler.clone();
                async move {
                    let (request, index) = {
                        let mut log = log.lock().expect("log");
                        let path = uri.path().to_owned();
                        let request = Seen {
                            method: method.to_string(),
                            path_index: log.iter().filter(|s: &&Seen| s.path == path).count(),
                            path,
                            query: uri.query().unwrap_or_default().to_owned(),
                            headers,
                            body: String::from_utf8_lossy(&body).into_owned(),
                        };
                        log.push(request.clone());
                        (request, log.len() - 1)
                    };
                    let reply = handler(&request, index);
                    if !reply.delay.is_zero() {
                        tokio::time::sleep(reply.delay).await;
                    }
                    let status = StatusCode::from_u16(reply.status).expect("status");
                    let mut response = (status, reply.body).into_response();
                    // The reply's headers replace axum's (its `text/plain` content type);
                    // a name given twice is sent twice.
                    let mut given: Vec<HeaderName> = Vec::new();
                    for (name, value) in reply.headers {
                        let name = HeaderName::from_bytes(name.as_bytes()).expect("name");
                        if !given.contains(&name) {
                            response.headers_mut().remove(&name);
                            given.push(name.clone());
                        }
                        let value = HeaderValue::from_str(&value).expect("value");
                        response.headers_mut().append(name, value);
                    }
                    response
                }
            },
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { base, seen, task }
    }

    /// Every request so far, in the order they arrived.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("log").clone()
    }

    /// How many requests arrived.
    pub fn hits(&self) -> usize {
        self.seen.lock().expect("log").len()
    }

    /// How many requests to `path` arrived.
    pub fn hits_on(&self, path: &str) -> usize {
        self.seen
            .lock()
            .expect("log")
            .iter()
            .filter(|s| s.path == path)
            .count()
    }
}

/// What [`raw_server`] does with connection number `n`.
pub enum RawAction {
    /// Read the request, then close without answering.
    Close,
    /// Answer with headers promising more body than is sent, then close.
    Truncate,
    /// Answer 200 with this JSON body.
    Respond(&'static str),
}

/// A TCP server for failures an HTTP server cannot produce; serves at most `limit`
/// connections and then stops by itself. Gives the base URL, the count of connections
/// accepted, and the task.
pub async fn raw_server(
    limit: usize,
    action: impl Fn(usize) -> RawAction + Send + 'static,
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let task = tokio::spawn(async move {
        for n in 0..limit {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 8192];
            let mut read = 0;
            while !buf[..read].windows(4).any(|w| w == b"\r\n\r\n") && read < buf.len() {
                match stream.read(&mut buf[read..]).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => read += k,
                }
            }
            let reply = match action(n) {
                RawAction::Close => String::new(),
                RawAction::Truncate => "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: 200\r\nconnection: close\r\n\r\n{\"results\": ["
                    .to_owned(),
                RawAction::Respond(body) => format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                ),
            };
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
        }
    });
    (base, count, task)
}
