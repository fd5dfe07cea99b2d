//! A fake Atlas events API on 127.0.0.1, shared by the crate's follow tests and the command
//! line's end-to-end tests. It keeps a growing list of events and serves the two event lists
//! the way Atlas does: filtered by `minDate`/`maxDate` (inclusive), `eventType` and
//! `clusterNames`, newest first, paged by `pageNum`/`itemsPerPage`, each event's JSON exactly
//! as it was added. It runs the shared `atlas-events-test-server` on its own thread and runtime,
//! so synchronous tests (which start the `atlas-events` binary) and async tests use it alike.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use atlas_events_test_server::{Reply, Seen, TestServer};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The media type Atlas answers event lists with.
pub const EVENTS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json;charset=utf-8";
/// The bearer token the fake's token endpoint hands out.
pub const TOKEN: &str = "fake-atlas-token";

/// One stored event: its text as served, and what the filters read.
#[derive(Debug, Clone)]
struct Stored {
    text: String,
    created: OffsetDateTime,
    type_name: String,
    cluster: Option<String>,
    /// `orgs/<id>` or `groups/<id>`.
    scope: String,
}

/// What one request asked for.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The request path.
    pub path: String,
    /// The raw query string.
    pub query: String,
}

#[derive(Default)]
struct Shared {
    events: Vec<Stored>,
    /// Events added once the next list page has been served (events created while a
    /// reader pages).
    arrive_after_page: VecDeque<(String, String)>,
    asked: Vec<Asked>,
    /// Answers to send instead of the list, one per request, before serving again.
    failures: VecDeque<Failure>,
    /// Failures queued once the next list page has been served (a list that fails midway).
    fail_after_page: VecDeque<Failure>,
}

/// A canned answer: status, headers, body.
type Failure = (u16, Vec<(String, String)>, String);

fn canned(status: u16, headers: &[(&str, &str)], body: &str) -> Failure {
    let headers = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// A running fake; stops when dropped.
pub struct FakeAtlas {
    base_url: String,
    shared: Arc<Mutex<Shared>>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FakeAtlas {
    /// Starts a fake on a free loopback port: the shared test server, on a thread and runtime
    /// of its own.
    pub fn start() -> FakeAtlas {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (shutdown, stop) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the fake Atlas");
            runtime.block_on(async move {
                let server = TestServer::start(move |seen, _| handle(&state, seen)).await;
                addr_tx
                    .send(server.base.clone())
                    .expect("the test waits for the address");
                let _ = stop.await;
            });
        });
        let base_url = addr_rx.recv().expect("the fake Atlas started");
        FakeAtlas {
            base_url,
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Adds an event to a scope (`orgs/<id>` or `groups/<id>`), served exactly as `text`.
    pub fn add(&self, scope: &str, text: &str) {
        let stored = parse(scope, text);
        self.shared.lock().unwrap().events.push(stored);
    }

    /// Adds an event once the next list page has been served.
    pub fn add_after_next_page(&self, scope: &str, text: &str) {
        self.shared
            .lock()
            .unwrap()
            .arrive_after_page
            .push_back((scope.to_owned(), text.to_owned()));
    }

    /// Answers the next request with `status`, `headers` and `body` instead of serving it.
    pub fn fail_next(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        let failure = canned(status, headers, body);
        self.shared.lock().unwrap().failures.push_back(failure);
    }

    /// Answers a request with `status`, `headers` and `body` once the next list page has been
    /// served (the page after it fails; several calls fail that many requests in a row).
    pub fn fail_after_next_page(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        let failure = canned(status, headers, body);
        self.shared
            .lock()
            .unwrap()
            .fail_after_page
            .push_back(failure);
    }

    /// Every list request so far.
    pub fn asked(&self) -> Vec<Asked> {
        self.shared.lock().unwrap().asked.clone()
    }

    /// How many events the fake holds.
    pub fn len(&self) -> usize {
        self.shared.lock().unwrap().events.len()
    }

    /// Whether the fake holds no event.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for FakeAtlas {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads what the filters need from an event's JSON.
fn parse(scope: &str, text: &str) -> Stored {
    let value: Value = serde_json::from_str(text).expect("a fake event is JSON");
    let created = value["created"]
        .as_str()
        .and_then(|c| OffsetDateTime::parse(c, &Rfc3339).ok())
        .expect("a fake event has an RFC 3339 `created`");
    Stored {
        text: text.to_owned(),
        created,
        type_name: value["eventTypeName"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cluster: value["clusterName"].as_str().map(str::to_owned),
        scope: scope.to_owned(),
    }
}

/// An event JSON with the fields the filters read, compact, in Atlas's field order.
pub fn event_json(id: &str, created: OffsetDateTime, type_name: &str, extra: &str) -> String {
    let created = created.format(&Rfc3339).expect("a formattable time");
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    format!(
        r#"{{"created":"{created}","eventTypeName":"{type_name}","id":"{id}","isGlobalAdmin":false{extra}}}"#
    )
}

fn handle(shared: &Mutex<Shared>, request: &Seen) -> Reply {
    let path = request.path.clone();
    let query = request.query.clone();
    if path == "/api/oauth/token" {
        return Reply::json(
            200,
            format!(r#"{{"access_token":"{TOKEN}","expires_in":3600,"token_type":"Bearer"}}"#),
        );
    }
    let mut shared = shared.lock().unwrap();
    shared.asked.push(Asked {
        path: path.clone(),
        query: query.clone(),
    });
    if let Some((status, headers, body)) = shared.failures.pop_front() {
        let reply = Reply::json(status, body).content_type(EVENTS_MEDIA);
        return headers
            .into_iter()
            .fold(reply, |reply, (name, value)| reply.header(name, value));
    }
    let Some(scope) = path
        .strip_prefix("/api/atlas/v2/")
        .and_then(|rest| rest.strip_suffix("/events"))
    else {
        return Reply::json(
            404,
            r#"{"error":404,"errorCode":"NOT_FOUND","detail":"no such resource"}"#,
        )
        .content_type(EVENTS_MEDIA);
    };
    let params: Vec<(String, String)> = url_pairs(&query);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let all = |key: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let time = |key: &str| get(key).and_then(|v| OffsetDateTime::parse(&v, &Rfc3339).ok());
    let (min, max) = (time("minDate"), time("maxDate"));
    let types = all("eventType");
    let clusters = all("clusterNames");
    let page_num: usize = get("pageNum")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let per_page: usize = get("itemsPerPage")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100)
        .max(1);
    let mut matching: Vec<&Stored> = shared
        .events
        .iter()
        .filter(|e| e.scope == scope)
        .filter(|e| min.is_none_or(|m| e.created >= m) && max.is_none_or(|m| e.created <= m))
        .filter(|e| types.is_empty() || types.contains(&e.type_name))
        .filter(|e| clusters.is_empty() || e.cluster.as_ref().is_some_and(|c| clusters.contains(c)))
        .collect();
    // Newest first; of one instant, the later added first.
    matching.reverse();
    matching.sort_by_key(|e| std::cmp::Reverse(e.created));
    let total = matching.len();
    let page: Vec<&str> = matching
        .iter()
        .skip((page_num - 1).saturating_mul(per_page))
        .take(per_page)
        .map(|e| e.text.as_str())
        .collect();
    let more = page_num.saturating_mul(per_page) < total;
    let next = if more {
        format!(
            r#",{{"href":"http://fake/next?pageNum={}","rel":"next"}}"#,
            page_num + 1
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{{"links":[{{"href":"http://fake/self","rel":"self"}}{next}],"results":[{}],"totalCount":{total}}}"#,
        page.join(",")
    );
    if let Some((scope, text)) = shared.arrive_after_page.pop_front() {
        let stored = parse(&scope, &text);
        shared.events.push(stored);
    }
    let failing: Vec<Failure> = shared.fail_after_page.drain(..).collect();
    shared.failures.extend(failing);
    Reply::json(200, body).content_type(EVENTS_MEDIA)
}

/// Decodes `a=1&b=x%3Ay` into pairs.
fn url_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}
