//! A fake Atlas for tests of code that reads events (the `test-util`
//! feature): organizations, projects and their events served in process,
//! as Atlas serves them, with token-bucket rate limits, refusals and
//! failures to play with. Its client needs no socket and takes its time
//! from tokio's clock, so a test can follow events for hours of paused time
//! in milliseconds.
//!
//! ```
//! use futures_util::StreamExt as _;
//! use mongodb_atlas_events::test_util::{FakeAtlas, event_json};
//!
//! // In a test: `#[tokio::test(start_paused = true)]` (tokio's `test-util`
//! // feature), and a follow's waits take no time.
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), mongodb_atlas_events::Error> {
//! let atlas = FakeAtlas::new();
//! let org = "5e8d7c6b5a4f3e2d1c0b9a87";
//! let start = atlas.now();
//! atlas.add_org_event(org, &event_json("65f1a2b3c4d5e6f708192a3b", start, "GROUP_CREATED", ""));
//! let client = atlas.client();
//! let mut events = client.list_org_events(org).min_date(start).follow();
//! let first = events.next().await.expect("a follow stream never ends")?;
//! assert_eq!(first.id(), Some("65f1a2b3c4d5e6f708192a3b"));
//! # Ok(())
//! # }
//! ```
//!
//! What it serves, as Atlas does: `GET /api/atlas/v2/orgs/{orgId}/events`
//! and `/groups/{groupId}/events` (filtered by `minDate`, `maxDate`,
//! inclusive, `eventType` and `clusterNames`; newest first, of one instant
//! the later added first; paged by `pageNum` and `itemsPerPage`, at most
//! 500; `totalCount` and a `next` link), `GET /api/atlas/v2/orgs/{orgId}/groups`
//! (the organization's listed projects, oldest first, paged), and the
//! service-account token endpoint. An event is served exactly as added, and
//! only once the clock has reached its `created` time (plus
//! [`FakeAtlas::visibility_delay`]).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::clock::{Clock, TokioClock};
use super::transport::{BodyLimits, HttpAnswer, HttpRequest, Sending, Transport, limit_body};
use super::{Client, Credentials, RetryPolicy};

/// The media type Atlas answers event lists with.
pub const EVENTS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json;charset=utf-8";
/// The bearer token the fake accepts and its token endpoint hands out.
pub const TOKEN: &str = "fake-atlas-token";
/// The base URL of the fake's own client.
const BASE_URL: &str = "https://fake-atlas.invalid";

/// One request the fake answered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// `GET` or `POST`.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string as sent (percent-encoded).
    pub query: String,
    /// The fake's clock when it answered.
    pub at: OffsetDateTime,
    /// The status it answered with.
    pub status: u16,
}

impl Request {
    /// The value of query parameter `name` (the first, decoded).
    pub fn param(&self, name: &str) -> Option<String> {
        query_pairs(&self.query)
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// Whether this was a list of the events of `scope` (`orgs/<id>` or
    /// `groups/<id>`).
    pub fn lists_events_of(&self, scope: &str) -> bool {
        self.path == format!("/api/atlas/v2/{scope}/events")
    }
}

/// An answer of the fake: status, headers, body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

/// A stored event: its text as served and what the filters read.
struct Stored {
    text: String,
    created: OffsetDateTime,
    visible_at: OffsetDateTime,
    type_name: String,
    cluster: Option<String>,
    /// Order of addition: of one instant, the later added is listed first.
    order: u64,
}

struct Project {
    org: String,
    text: String,
    listed: bool,
    /// A status its event list answers with instead of the events (403, say).
    refused: Option<u16>,
}

/// A token bucket (Atlas limits each endpoint set per scope this way).
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: OffsetDateTime,
}

/// How buckets fill: `capacity` tokens, one more every `refill`.
#[derive(Debug, Clone, Copy)]
struct BucketRule {
    capacity: u32,
    refill: Duration,
}

#[derive(Default)]
struct State {
    events: HashMap<String, Vec<Stored>>,
    added: u64,
    projects: BTreeMap<String, Project>,
    requests: Vec<Request>,
    failures: VecDeque<Answer>,
    fail_after_page: VecDeque<Answer>,
    arrive_after_page: VecDeque<(String, String)>,
    per_scope: Option<BucketRule>,
    shared: Option<BucketRule>,
    buckets: HashMap<String, Bucket>,
    rate_limit_headers: bool,
    latency: Duration,
    visibility_delay: Duration,
    ignore_query: bool,
    ignore_page_num: bool,
    total_count_off_by: i64,
    in_flight: usize,
    max_in_flight: usize,
}

/// The fake; clones share it.
#[derive(Clone)]
pub struct FakeAtlas {
    state: Arc<Mutex<State>>,
    clock: TokioClock,
}

impl Default for FakeAtlas {
    fn default() -> Self {
        FakeAtlas::new()
    }
}

impl FakeAtlas {
    /// A fake whose clock reads the system's time now and then moves with
    /// tokio's (paused, in a paused test).
    pub fn new() -> FakeAtlas {
        FakeAtlas::starting_at(OffsetDateTime::now_utc())
    }

    /// A fake whose clock reads `start` now.
    pub fn starting_at(start: OffsetDateTime) -> FakeAtlas {
        let state = State {
            rate_limit_headers: true,
            ..State::default()
        };
        FakeAtlas {
            state: Arc::new(Mutex::new(state)),
            clock: TokioClock::starting_at(start),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The fake's clock (its client's too).
    pub fn clock(&self) -> TokioClock {
        self.clock
    }

    /// The fake's time now.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// A client of this fake: bearer token, the fake's clock, the default
    /// retry policy (its waits pass at once in paused time).
    pub fn client(&self) -> Client {
        self.client_with(RetryPolicy::default())
    }

    /// A client of this fake with another retry policy.
    pub fn client_with(&self, retry: RetryPolicy) -> Client {
        Client::in_process(
            Credentials::bearer_token(TOKEN),
            BASE_URL,
            Arc::new(self.clone()),
            Arc::new(self.clock),
            retry,
        )
    }

    /// Adds a project to organization `org`, listed by `GET /orgs/{org}/groups`.
    pub fn add_project(&self, org: &str, project: &str, name: &str, created: OffsetDateTime) {
        let text = format!(
            r#"{{"clusterCount":0,"created":"{}","id":"{project}","links":[],"name":"{name}","orgId":"{org}"}}"#,
            rfc3339(created)
        );
        self.state().projects.insert(
            project.to_owned(),
            Project {
                org: org.to_owned(),
                text,
                listed: true,
                refused: None,
            },
        );
    }

    /// Deletes a project: it is no longer listed and its events answer 404.
    pub fn remove_project(&self, project: &str) {
        if let Some(p) = self.state().projects.get_mut(project) {
            p.listed = false;
        }
    }

    /// Lists a removed project again.
    pub fn restore_project(&self, project: &str) {
        if let Some(p) = self.state().projects.get_mut(project) {
            p.listed = true;
        }
    }

    /// The project's event list answers `status` (403, say) until
    /// [`FakeAtlas::allow_project`]; it stays listed.
    pub fn refuse_project(&self, project: &str, status: u16) {
        if let Some(p) = self.state().projects.get_mut(project) {
            p.refused = Some(status);
        }
    }

    /// Serves the project's events again.
    pub fn allow_project(&self, project: &str) {
        if let Some(p) = self.state().projects.get_mut(project) {
            p.refused = None;
        }
    }

    /// Adds an event of organization `org`, served exactly as `text` (JSON
    /// with `created`; `eventTypeName` and `clusterName` are read for the
    /// filters).
    pub fn add_org_event(&self, org: &str, text: &str) {
        self.add(&format!("orgs/{org}"), text);
    }

    /// Adds an event of project `project`, served exactly as `text`.
    pub fn add_project_event(&self, project: &str, text: &str) {
        self.add(&format!("groups/{project}"), text);
    }

    /// Adds an event to a scope named as in the path (`orgs/<id>` or
    /// `groups/<id>`).
    pub fn add(&self, scope: &str, text: &str) {
        let mut state = self.state();
        let stored = stored(text, state.added, state.visibility_delay);
        state.added += 1;
        state
            .events
            .entry(scope.to_owned())
            .or_default()
            .push(stored);
    }

    /// Adds an event once the next list page has been served (an event
    /// created while a reader pages).
    pub fn add_after_next_page(&self, scope: &str, text: &str) {
        self.state()
            .arrive_after_page
            .push_back((scope.to_owned(), text.to_owned()));
    }

    /// How many events the fake holds.
    pub fn len(&self) -> usize {
        self.state().events.values().map(Vec::len).sum()
    }

    /// Whether the fake holds no event.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Events added from now on become visible this long after their
    /// `created` time (Atlas shows some events late; default none).
    pub fn visibility_delay(&self, delay: Duration) {
        self.state().visibility_delay = delay;
    }

    /// Limits every endpoint set of every scope (each organization's and each
    /// project's events, each organization's project list) with a token
    /// bucket of `capacity` requests, refilled by one every `refill`: beyond
    /// it, `429` with `errorCode` `RATE_LIMITED_TOKEN_BUCKET` and `Retry-After`.
    pub fn rate_limit(&self, capacity: u32, refill: Duration) {
        self.state().per_scope = Some(BucketRule { capacity, refill });
    }

    /// One more bucket that every request shares (a user's or an IP's).
    pub fn shared_rate_limit(&self, capacity: u32, refill: Duration) {
        self.state().shared = Some(BucketRule { capacity, refill });
    }

    /// Whether answers carry `RateLimit-Limit` and `RateLimit-Remaining`
    /// (default yes; Atlas does not always send them).
    pub fn rate_limit_headers(&self, send: bool) {
        self.state().rate_limit_headers = send;
    }

    /// How long each answer takes (default none): with it, requests overlap.
    pub fn latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    /// Ignores every query string, as a proxy that drops it would: every
    /// list answers its first page of everything.
    pub fn ignore_query(&self, ignore: bool) {
        self.state().ignore_query = ignore;
    }

    /// Ignores `pageNum` of event lists, as a server or proxy that drops it
    /// would: every page asked for is the first (of the window and page size
    /// asked for).
    pub fn ignore_page_num(&self, ignore: bool) {
        self.state().ignore_page_num = ignore;
    }

    /// Makes `totalCount` this far off (Atlas documents it as an estimate).
    pub fn total_count_off_by(&self, off_by: i64) {
        self.state().total_count_off_by = off_by;
    }

    /// Answers the next request with `status`, `headers` and `body` instead
    /// of serving it (several calls: that many requests in a row).
    pub fn fail_next(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        let answer = canned(status, headers, body);
        self.state().failures.push_back(answer);
    }

    /// Answers a request with `status`, `headers` and `body` once the next
    /// list page has been served.
    pub fn fail_after_next_page(&self, status: u16, headers: &[(&str, &str)], body: &str) {
        let answer = canned(status, headers, body);
        self.state().fail_after_page.push_back(answer);
    }

    /// Every request answered so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    /// Every request answered since the last call (or the start), removed
    /// from the log: long runs need not keep it all.
    pub fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut self.state().requests)
    }

    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.state().max_in_flight
    }

    /// Answers one request (for serving the fake over HTTP, too):
    /// `path_and_query` as in the request line, `authorization` the header's
    /// value.
    pub fn handle(
        &self,
        method: &str,
        path_and_query: &str,
        authorization: Option<&str>,
    ) -> Answer {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let now = self.clock.now();
        let mut state = self.state();
        let answer = state.answer(method, path, query, authorization, now);
        state.requests.push(Request {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            at: now,
            status: answer.status,
        });
        answer
    }
}

impl Transport for FakeAtlas {
    fn send(&self, request: HttpRequest, limits: BodyLimits) -> Sending<'_> {
        Box::pin(async move {
            let latency = {
                let mut state = self.state();
                state.in_flight += 1;
                state.max_in_flight = state.max_in_flight.max(state.in_flight);
                state.latency
            };
            if !latency.is_zero() {
                self.clock.sleep(latency).await;
            }
            let path_and_query = match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            };
            let authorization = request
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            let answer = self.handle(request.method.as_str(), &path_and_query, authorization);
            self.state().in_flight -= 1;
            let mut headers = HeaderMap::new();
            for (name, value) in &answer.headers {
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(name.as_bytes()),
                    HeaderValue::from_str(value),
                ) {
                    headers.append(name, value);
                }
            }
            let body = limit_body(answer.status, answer.body.as_bytes(), limits)?;
            Ok(HttpAnswer {
                status: answer.status,
                headers,
                body,
            })
        })
    }
}

impl State {
    fn answer(
        &mut self,
        method: &str,
        path: &str,
        query: &str,
        authorization: Option<&str>,
        now: OffsetDateTime,
    ) -> Answer {
        if method == Method::POST.as_str() && path == "/api/oauth/token" {
            return json(
                200,
                format!(r#"{{"access_token":"{TOKEN}","expires_in":3600,"token_type":"Bearer"}}"#),
            );
        }
        if authorization != Some(&format!("Bearer {TOKEN}")) {
            return error(401, "NOT_AUTHORIZED", "no valid bearer token");
        }
        if let Some(answer) = self.failures.pop_front() {
            return answer;
        }
        let query = if self.ignore_query { "" } else { query };
        let Some(rest) = path.strip_prefix("/api/atlas/v2/") else {
            return error(404, "NOT_FOUND", "no such resource");
        };
        let (scope, endpoint) = match rest.rsplit_once('/') {
            Some((scope, "events")) => (scope, "events"),
            Some((scope, "groups")) if scope.starts_with("orgs/") => (scope, "groups"),
            _ => return error(404, "NOT_FOUND", "no such resource"),
        };
        if let Some(answer) = self.take_token(scope, endpoint, now) {
            return answer;
        }
        let mut answer = if endpoint == "groups" {
            self.list_projects(scope.trim_start_matches("orgs/"), query)
        } else {
            self.list_events(scope, query, now)
        };
        if self.rate_limit_headers
            && let Some(rule) = self.per_scope
        {
            let tokens = self
                .buckets
                .get(&bucket_key(scope, endpoint))
                .map_or(0.0, |b| b.tokens);
            let left = tokens.floor() as u64;
            answer
                .headers
                .push(("RateLimit-Limit".to_owned(), rule.capacity.to_string()));
            answer
                .headers
                .push(("RateLimit-Remaining".to_owned(), left.to_string()));
            if left == 0 {
                // When the next token comes.
                let wait = ((1.0 - tokens) * rule.refill.as_secs_f64()).ceil().max(1.0);
                answer
                    .headers
                    .push(("Retry-After".to_owned(), wait.to_string()));
            }
        }
        answer
    }

    /// Takes a token from the scope's bucket and the shared one, or answers 429.
    fn take_token(&mut self, scope: &str, endpoint: &str, now: OffsetDateTime) -> Option<Answer> {
        let mut wait = None;
        let rules = [
            (self.per_scope, bucket_key(scope, endpoint)),
            (self.shared, "shared".to_owned()),
        ];
        for (rule, key) in &rules {
            let Some(rule) = rule else { continue };
            let bucket = self.buckets.entry(key.clone()).or_insert(Bucket {
                tokens: f64::from(rule.capacity),
                at: now,
            });
            refill(bucket, rule, now);
            if bucket.tokens < 1.0 {
                let seconds = (1.0 - bucket.tokens) * rule.refill.as_secs_f64();
                wait = Some(wait.unwrap_or(0.0_f64).max(seconds));
            }
        }
        if let Some(seconds) = wait {
            let mut answer = error(
                429,
                "RATE_LIMITED_TOKEN_BUCKET",
                "You have exceeded the rate limit. Please try again later.",
            );
            answer.headers.push((
                "Retry-After".to_owned(),
                (seconds.ceil() as u64).max(1).to_string(),
            ));
            return Some(answer);
        }
        for (rule, key) in &rules {
            if rule.is_some()
                && let Some(bucket) = self.buckets.get_mut(key)
            {
                bucket.tokens -= 1.0;
            }
        }
        None
    }

    fn list_projects(&mut self, org: &str, query: &str) -> Answer {
        let params = Params::new(query);
        let listed: Vec<&str> = self
            .projects
            .values()
            .filter(|p| p.org == org && p.listed)
            .map(|p| p.text.as_str())
            .collect();
        page_of(&listed, &params, 0)
    }

    fn list_events(&mut self, scope: &str, query: &str, now: OffsetDateTime) -> Answer {
        if let Some(project) = scope.strip_prefix("groups/") {
            match self.projects.get(project) {
                Some(p) if !p.listed => {
                    return error(404, "GROUP_NOT_FOUND", "No group with this ID exists.");
                }
                Some(Project {
                    refused: Some(status),
                    ..
                }) => {
                    let status = *status;
                    return error(
                        status,
                        "USER_CANNOT_ACCESS_GROUP",
                        "Access to the group refused.",
                    );
                }
                _ => {}
            }
        }
        let mut params = Params::new(query);
        if self.ignore_page_num {
            params.page = 1;
        }
        if params.per_page > 500 {
            return error(
                400,
                "INVALID_QUERY_PARAMETER",
                "itemsPerPage must be at most 500.",
            );
        }
        let min = params.time("minDate");
        let max = params.time("maxDate");
        let types = params.all("eventType");
        let clusters = params.all("clusterNames");
        let mut matching: Vec<&Stored> = self
            .events
            .get(scope)
            .map(|events| {
                events
                    .iter()
                    .filter(|e| e.visible_at <= now)
                    .filter(|e| min.is_none_or(|m| e.created >= m))
                    .filter(|e| max.is_none_or(|m| e.created <= m))
                    .filter(|e| types.is_empty() || types.contains(&e.type_name))
                    .filter(|e| {
                        clusters.is_empty()
                            || e.cluster.as_ref().is_some_and(|c| clusters.contains(c))
                    })
                    .collect()
            })
            .unwrap_or_default();
        // Newest first; of one instant, the later added first.
        matching.sort_by_key(|e| std::cmp::Reverse((e.created, e.order)));
        let texts: Vec<&str> = matching.iter().map(|e| e.text.as_str()).collect();
        let answer = page_of(&texts, &params, self.total_count_off_by);
        while let Some((scope, text)) = self.arrive_after_page.pop_front() {
            let stored = stored(&text, self.added, self.visibility_delay);
            self.added += 1;
            self.events.entry(scope).or_default().push(stored);
        }
        let failing: Vec<Answer> = self.fail_after_page.drain(..).collect();
        self.failures.extend(failing);
        answer
    }
}

/// The query parameters of a list.
struct Params {
    pairs: Vec<(String, String)>,
    page: usize,
    per_page: usize,
    include_count: bool,
}

impl Params {
    fn new(query: &str) -> Params {
        let pairs = query_pairs(query);
        let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        Params {
            page: get("pageNum")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .max(1),
            per_page: get("itemsPerPage")
                .and_then(|v| v.parse().ok())
                .unwrap_or(100)
                .max(1),
            include_count: get("includeCount").is_none_or(|v| v != "false"),
            pairs,
        }
    }

    fn all(&self, key: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn time(&self, key: &str) -> Option<OffsetDateTime> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| OffsetDateTime::parse(v, &Rfc3339).ok())
    }
}

/// One page of `items` (JSON texts) as Atlas answers it.
fn page_of(items: &[&str], params: &Params, total_off_by: i64) -> Answer {
    let start = (params.page - 1).saturating_mul(params.per_page);
    let page: Vec<&str> = items
        .iter()
        .skip(start)
        .take(params.per_page)
        .copied()
        .collect();
    let more = params.page.saturating_mul(params.per_page) < items.len();
    let next = if more {
        format!(
            r#",{{"href":"{BASE_URL}/next?pageNum={}","rel":"next"}}"#,
            params.page + 1
        )
    } else {
        String::new()
    };
    let total = if params.include_count {
        let total = (items.len() as i64).saturating_add(total_off_by).max(0);
        format!(r#","totalCount":{total}"#)
    } else {
        String::new()
    };
    json(
        200,
        format!(
            r#"{{"links":[{{"href":"{BASE_URL}/self","rel":"self"}}{next}],"results":[{}]{total}}}"#,
            page.join(",")
        ),
    )
}

fn refill(bucket: &mut Bucket, rule: &BucketRule, now: OffsetDateTime) {
    let elapsed = (now - bucket.at).as_seconds_f64().max(0.0);
    let per_second = 1.0 / rule.refill.as_secs_f64().max(1e-9);
    bucket.tokens = (bucket.tokens + elapsed * per_second).min(f64::from(rule.capacity));
    bucket.at = now;
}

fn bucket_key(scope: &str, endpoint: &str) -> String {
    format!("{scope} {endpoint}")
}

fn json(status: u16, body: String) -> Answer {
    Answer {
        status,
        headers: vec![("Content-Type".to_owned(), EVENTS_MEDIA.to_owned())],
        body,
    }
}

fn error(status: u16, code: &str, detail: &str) -> Answer {
    json(
        status,
        format!(r#"{{"error":{status},"errorCode":"{code}","detail":"{detail}","reason":"fake"}}"#),
    )
}

fn canned(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut answer = json(status, body.to_owned());
    answer.headers.extend(
        headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
    );
    answer
}

/// Reads what the filters need from an event's JSON.
fn stored(text: &str, order: u64, delay: Duration) -> Stored {
    let value: serde_json::Value = serde_json::from_str(text).expect("a fake event is JSON");
    let created = value["created"]
        .as_str()
        .and_then(|c| OffsetDateTime::parse(c, &Rfc3339).ok())
        .expect("a fake event has an RFC 3339 `created`");
    Stored {
        text: text.to_owned(),
        created,
        visible_at: created + delay,
        type_name: value["eventTypeName"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        cluster: value["clusterName"].as_str().map(str::to_owned),
        order,
    }
}

fn query_pairs(query: &str) -> Vec<(String, String)> {
    let url = Url::parse(&format!("{BASE_URL}/?{query}")).expect("a URL with any query");
    url.query_pairs().into_owned().collect()
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).expect("a formattable time")
}

/// An event's JSON with the fields the filters read, compact, in Atlas's
/// field order; `extra` is more fields (`"clusterName":"c1"`), or empty.
pub fn event_json(id: &str, created: OffsetDateTime, type_name: &str, extra: &str) -> String {
    let created = rfc3339(created);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    format!(
        r#"{{"created":"{created}","eventTypeName":"{type_name}","id":"{id}","isGlobalAdmin":false{extra}}}"#
    )
}

/// The `n`th of a series of ObjectId-shaped ids (24 hex digits).
pub fn object_id(n: u64) -> String {
    format!("{n:024x}")
}
