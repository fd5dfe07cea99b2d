//! End-to-end tests of the generated operations: real sockets against a small
//! server on 127.0.0.1 that records every request (method, path, raw query,
//! headers) and answers with fixtures (`atlas-events-test-server`, shared with
//! the runtime's tests).

use std::collections::BTreeMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_events_test_server::{Reply, Seen as Recorded, TestServer as Server};
// The gzip server below sends bytes, which the shared server does not.
use axum::body::Body;
use axum::http::{HeaderMap, header};
use axum::response::Response as HttpResponse;
use futures_util::{StreamExt, TryStreamExt};
use mongodb_atlas_events::models::{GroupEventType, OrgEventType};
use mongodb_atlas_events::{Client, Conformance, Credentials, Error, GroupEvent, RetryPolicy};
use serde_json::{Value, json};
use time::macros::datetime;

const GROUP: &str = "5f2a9c1e7b3d4a6e8c0b1d2f";
const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
const EVENT: &str = "327b951f856afce6e79673a9";
const TOKEN: &str = "test-token-not-a-secret";
const EVENTS_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";
const FEED_MEDIA: &str = "application/vnd.atlas.2025-03-12+json";

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events")
}

fn fixture_text(relative: &str) -> String {
    std::fs::read_to_string(fixtures().join(relative))
        .unwrap_or_else(|e| panic!("cannot read fixture {relative}: {e}"))
}

fn fixture(relative: &str) -> Value {
    serde_json::from_str(&fixture_text(relative))
        .unwrap_or_else(|e| panic!("fixture {relative} is not JSON: {e}"))
}

/// The views `expected.json` gives for a fixture file.
fn expected_views(relative: &str) -> Vec<String> {
    let expected = fixture("expected.json");
    expected["files"][relative]["views"]
        .as_array()
        .unwrap_or_else(|| panic!("no views for {relative} in expected.json"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// The version of the generated crate, as its user agent must carry it.
fn generated_crate_version() -> String {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/Cargo.toml"),
    )
    .unwrap();
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("generated/Cargo.toml has a version line")
        .to_owned()
}

/// A minimal list item numbered `n` for the list at `path`: an event whose id
/// encodes `n`, or for `eventTypes` an event type named `TYPE_<n>`.
fn numbered_item(path: &str, n: u64) -> Value {
    if path.ends_with("/eventTypes") {
        json!({"alertable": n.is_multiple_of(2), "eventType": format!("TYPE_{n}")})
    } else if path.contains("/orgs/") {
        json!({
            "id": format!("{n:024x}"),
            "created": "2026-05-01T08:52:56Z",
            "eventTypeName": "ORG_CREATED",
            "orgId": ORG,
        })
    } else {
        json!({
            "id": format!("{n:024x}"),
            "created": "2026-05-01T08:52:56Z",
            "eventTypeName": "CPS_SNAPSHOT_SUCCESSFUL",
            "groupId": GROUP,
        })
    }
}

// ---------------------------------------------------------------------------
// Recording server
// ---------------------------------------------------------------------------

/// An answer with the events media type.
fn reply(status: u16, body: impl Into<String>) -> Reply {
    Reply::json(status, body).content_type(EVENTS_MEDIA)
}

/// A loopback server (the one the runtime's tests use) answering every request with
/// `respond`; stopped when dropped.
async fn serve(respond: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(move |request, _| respond(request)).await
}

trait ServerExt {
    /// Every request so far.
    fn requests(&self) -> Vec<Recorded>;
    /// A client of the generated crate for this server.
    fn client(&self) -> Client;
}

impl ServerExt for Server {
    fn requests(&self) -> Vec<Recorded> {
        self.seen()
    }

    fn client(&self) -> Client {
        client_for(&self.base)
    }
}

fn client_for(url: &str) -> Client {
    Client::builder(Credentials::bearer_token(TOKEN))
        .base_url(url)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .retry_policy(
            RetryPolicy::new()
                .with_max_attempts(2)
                .with_initial_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(5))
                .with_max_elapsed(Duration::from_secs(1))
                .with_jitter(false),
        )
        .build()
        .unwrap()
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in pairs {
        map.entry((*k).to_owned())
            .or_default()
            .push((*v).to_owned());
    }
    map
}

// ---------------------------------------------------------------------------
// Every operation once
// ---------------------------------------------------------------------------

fn route_fixtures(r: &Recorded) -> Reply {
    let org_events = format!("/api/atlas/v2/orgs/{ORG}/events");
    let group_events = format!("/api/atlas/v2/groups/{GROUP}/events");
    let path = r.path.as_str();
    if path == org_events {
        reply(200, fixture_text("seeds/v2-org-events-page.json"))
    } else if path == format!("{org_events}/{EVENT}") {
        reply(
            200,
            fixture_text("seeds/v2-org-event-ja-01-federation-settings-created.json"),
        )
    } else if path == group_events {
        reply(200, fixture_text("synthetic/group-page-mixed.json"))
    } else if path == format!("{group_events}/{EVENT}") {
        reply(
            200,
            fixture_text("synthetic/group-ClusterEventViewForNdsGroup.json"),
        )
    } else if path == "/api/atlas/v2/eventTypes" {
        reply(
            200,
            json!({
                "results": [
                    {"alertable": true, "description": "Cluster created", "eventType": "CLUSTER_CREATED"},
                    {"alertable": false, "description": "Future", "eventType": "FUTURE_TYPE"}
                ],
                "totalCount": 2
            })
            .to_string(),
        )
    } else if path == format!("/api/atlas/v2/orgs/{ORG}/groups") {
        reply(
            200,
            json!({
                "links": [{"href": format!("https://cloud.mongodb.com{path}?pageNum=1"), "rel": "self"}],
                "results": [{
                    "clusterCount": 2,
                    "created": "2024-03-04T05:06:07Z",
                    "id": GROUP,
                    "links": [],
                    "name": "audit-prod",
                    "orgId": ORG,
                    "tags": [{"key": "env", "value": "prod"}],
                    "regionUsageRestrictions": "NONE",
                    "futureField": {"kept": true}
                }],
                "totalCount": 1
            })
            .to_string(),
        )
    } else if path.ends_with("/activityFeed") {
        reply(200, fixture_text("seeds/activity-feed-link.json")).content_type(FEED_MEDIA)
    } else {
        reply(
            404,
            fixture_text("seeds/api-error-v2-project-events-404.json"),
        )
    }
}

#[tokio::test]
async fn every_operation_sends_method_path_accept_and_user_agent_and_decodes_its_body() {
    let server = serve(route_fixtures).await;
    let client = server.client();

    let org_page = client.list_org_events(ORG).send().await.unwrap();
    assert_eq!(org_page.status(), 200);
    let org_page = org_page.into_body();
    let fixture_total = fixture("seeds/v2-org-events-page.json")["totalCount"].as_i64();
    assert_eq!(org_page.total_count.map(i64::from), fixture_total);
    let org_views: Vec<&str> = org_page
        .results
        .iter()
        .flatten()
        .map(|e| e.spec_schema())
        .collect();
    assert_eq!(org_views, expected_views("seeds/v2-org-events-page.json"));

    let org_event = client.get_org_event(ORG, EVENT).send().await.unwrap();
    assert_eq!(org_event.body().spec_schema(), "DefaultEventViewForOrg");
    assert_eq!(
        org_event.body().event_type_name(),
        Some("FEDERATION_SETTINGS_CREATED")
    );

    let group_page = client.list_group_events(GROUP).send().await.unwrap();
    let group_page = group_page.into_body();
    let results = group_page.results.as_deref().unwrap_or_default();
    let views: Vec<&str> = results.iter().map(GroupEvent::spec_schema).collect();
    assert_eq!(views, expected_views("synthetic/group-page-mixed.json"));
    assert_eq!(
        results[0].event_type(),
        Some(GroupEventType::from("AUTO_INDEXING_ENABLED"))
    );

    let group_event = client.get_group_event(GROUP, EVENT).send().await.unwrap();
    assert_eq!(
        group_event.body().spec_schema(),
        "ClusterEventViewForNdsGroup"
    );
    assert_eq!(
        group_event.body().event_type_name(),
        Some("CLUSTER_MONGOS_IS_PRESENT")
    );

    let types = client.list_event_types().send().await.unwrap().into_body();
    assert_eq!(types.total_count, Some(2));
    let results = types.results.as_deref().unwrap_or_default();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].event_type.as_deref(), Some("CLUSTER_CREATED"));
    assert_eq!(results[0].alertable, Some(true));

    let org_feed = client.get_org_activity_feed(ORG).send().await.unwrap();
    assert_eq!(
        org_feed.body().link.as_deref(),
        Some("https://cloud.mongodb.com/redirect/1234567890abcdef12345678")
    );
    let group_feed = client.get_group_activity_feed(GROUP).send().await.unwrap();
    assert_eq!(group_feed.body().link, org_feed.body().link);
    assert_eq!(group_feed.body().links.as_ref().map(Vec::len), Some(1));

    let groups = client.get_org_groups(ORG).send().await.unwrap().into_body();
    let projects = groups.results.as_deref().unwrap_or_default();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0].id.as_deref(), Some(GROUP));
    assert_eq!(projects[0].name.as_deref(), Some("audit-prod"));
    assert_eq!(
        projects[0]
            .created
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("2024-03-04T05:06:07Z")
    );
    assert!(projects[0].extra.contains_key("futureField"));

    let requests = server.requests();
    let expected: [(&str, String, &str); 8] = [
        (
            "listOrgEvents",
            format!("/api/atlas/v2/orgs/{ORG}/events"),
            EVENTS_MEDIA,
        ),
        (
            "getOrgEvent",
            format!("/api/atlas/v2/orgs/{ORG}/events/{EVENT}"),
            EVENTS_MEDIA,
        ),
        (
            "listGroupEvents",
            format!("/api/atlas/v2/groups/{GROUP}/events"),
            EVENTS_MEDIA,
        ),
        (
            "getGroupEvent",
            format!("/api/atlas/v2/groups/{GROUP}/events/{EVENT}"),
            EVENTS_MEDIA,
        ),
        (
            "listEventTypes",
            "/api/atlas/v2/eventTypes".to_owned(),
            EVENTS_MEDIA,
        ),
        (
            "getOrgActivityFeed",
            format!("/api/atlas/v2/orgs/{ORG}/activityFeed"),
            FEED_MEDIA,
        ),
        (
            "getGroupActivityFeed",
            format!("/api/atlas/v2/groups/{GROUP}/activityFeed"),
            FEED_MEDIA,
        ),
        (
            "getOrgGroups",
            format!("/api/atlas/v2/orgs/{ORG}/groups"),
            EVENTS_MEDIA,
        ),
    ];
    assert_eq!(requests.len(), expected.len(), "{requests:#?}");
    let user_agent = format!("mongodb-atlas-events/{}", generated_crate_version());
    for (request, (operation, path, accept)) in requests.iter().zip(&expected) {
        assert_eq!(request.method, "GET", "{operation}");
        assert_eq!(&request.path, path, "{operation}");
        assert_eq!(request.header("accept"), Some(*accept), "{operation}");
        assert_eq!(
            request.header("user-agent"),
            Some(user_agent.as_str()),
            "{operation}"
        );
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str()),
            "{operation}"
        );
        // Nothing set on the builder: nothing in the query.
        assert!(
            request.query.is_empty(),
            "{operation} sent a query: {:?}",
            request.query
        );
    }
}

// ---------------------------------------------------------------------------
// Query parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_group_events_sends_every_query_parameter_as_atlas_expects() {
    let server = serve(route_fixtures).await;
    let client = server.client();
    let page = client
        .list_group_events(GROUP)
        .envelope(false)
        .include_count(false)
        .items_per_page(500)
        .page_num(2)
        .pretty(true)
        .cluster_names(["Cluster0", "analytics-1"])
        .event_type([
            GroupEventType::from("CLUSTER_CREATED"),
            GroupEventType::from("FUTURE_TYPE"),
        ])
        .excluded_event_type(["HOST_DOWN", "JOINED_GROUP"])
        .include_raw(true)
        // 08:34:05.5 at +05:30 is 03:04:05.5 UTC.
        .min_date(datetime!(2026-01-02 08:34:05.5 +05:30))
        .max_date(datetime!(2026-01-31 19:00:00 -05:00))
        .send()
        .await
        .unwrap();
    assert_eq!(page.body().results.as_ref().map(Vec::len), Some(46));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, format!("/api/atlas/v2/groups/{GROUP}/events"));
    assert_eq!(
        request.params(),
        params(&[
            ("envelope", "false"),
            ("includeCount", "false"),
            ("itemsPerPage", "500"),
            ("pageNum", "2"),
            ("pretty", "true"),
            ("clusterNames", "Cluster0"),
            ("clusterNames", "analytics-1"),
            ("eventType", "CLUSTER_CREATED"),
            ("eventType", "FUTURE_TYPE"),
            ("excludedEventType", "HOST_DOWN"),
            ("excludedEventType", "JOINED_GROUP"),
            ("includeRaw", "true"),
            ("minDate", "2026-01-02T03:04:05.5Z"),
            ("maxDate", "2026-02-01T00:00:00Z"),
        ]),
        "raw query: {:?}",
        request.query
    );
    // Arrays are repeated keys, never comma-joined or bracketed.
    let raw = request.query.as_str();
    assert!(
        raw.contains("eventType=CLUSTER_CREATED&eventType=FUTURE_TYPE"),
        "{raw}"
    );
    assert!(
        raw.contains("clusterNames=Cluster0&clusterNames=analytics-1"),
        "{raw}"
    );
    assert!(!raw.contains("%5B") && !raw.contains("%2C"), "{raw}");
    // The dates arrive as UTC with a `Z`, whatever offset they were given in.
    assert!(raw.contains("minDate=2026-01-02T03%3A04%3A05.5Z"), "{raw}");
}

#[tokio::test]
async fn list_org_events_and_list_event_types_send_their_query_parameters() {
    let server = serve(route_fixtures).await;
    let client = server.client();
    client
        .list_org_events(ORG)
        .envelope(false)
        .include_count(true)
        .items_per_page(1)
        .page_num(7)
        .pretty(false)
        .event_type([
            OrgEventType::from("ORG_CREATED"),
            OrgEventType::from("FUTURE_ORG_TYPE"),
        ])
        .include_raw(false)
        .min_date(datetime!(2025-12-31 23:30:00 -01:00))
        .max_date(datetime!(2026-01-01 00:00:00 UTC))
        .send()
        .await
        .unwrap();
    client
        .list_event_types()
        .include_count(false)
        .items_per_page(42)
        .page_num(3)
        .pretty(true)
        .send()
        .await
        .unwrap();
    client
        .get_org_event(ORG, EVENT)
        .pretty(true)
        .include_raw(true)
        .send()
        .await
        .unwrap();
    client
        .get_group_event(GROUP, EVENT)
        .include_raw(false)
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(
        requests[0].params(),
        params(&[
            ("envelope", "false"),
            ("includeCount", "true"),
            ("itemsPerPage", "1"),
            ("pageNum", "7"),
            ("pretty", "false"),
            ("eventType", "ORG_CREATED"),
            ("eventType", "FUTURE_ORG_TYPE"),
            ("includeRaw", "false"),
            ("minDate", "2026-01-01T00:30:00Z"),
            ("maxDate", "2026-01-01T00:00:00Z"),
        ])
    );
    assert_eq!(
        requests[1].params(),
        params(&[
            ("includeCount", "false"),
            ("itemsPerPage", "42"),
            ("pageNum", "3"),
            ("pretty", "true"),
        ])
    );
    assert_eq!(
        requests[2].params(),
        params(&[("pretty", "true"), ("includeRaw", "true")])
    );
    assert_eq!(requests[3].params(), params(&[("includeRaw", "false")]));
}

#[tokio::test]
async fn activity_feeds_send_repeated_keys_and_utc_dates() {
    let server = serve(route_fixtures).await;
    let client = server.client();
    client
        .get_group_activity_feed(GROUP)
        .pretty(true)
        .event_type(["CLUSTER_CREATED", "FUTURE_TYPE"])
        .cluster_name(["Cluster0", "Cluster1", "Cluster2"])
        .min_date(datetime!(2026-03-01 12:00:00 +02:00))
        .max_date(datetime!(2026-03-02 00:00:00.125 UTC))
        .send()
        .await
        .unwrap();
    client
        .get_org_activity_feed(ORG)
        .event_type([OrgEventType::from("ORG_CREATED")])
        .min_date(datetime!(2026-03-01 00:00:00 -08:00))
        .send()
        .await
        .unwrap();
    // A value with reserved characters stays one value of its own key.
    client
        .get_group_activity_feed(GROUP)
        .event_type(["ODD&pageNum=9#x", "SPACE TYPE"])
        .cluster_name(["a&b"])
        .send()
        .await
        .unwrap();
    // Exactly 20 of each is still allowed.
    let twenty: Vec<String> = (0..20).map(|i| format!("TYPE_{i}")).collect();
    client
        .get_group_activity_feed(GROUP)
        .event_type(twenty.iter().map(String::as_str))
        .cluster_name(twenty.iter().map(|t| t.to_lowercase()))
        .send()
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert_eq!(
        requests[0].params(),
        params(&[
            ("pretty", "true"),
            ("eventType", "CLUSTER_CREATED"),
            ("eventType", "FUTURE_TYPE"),
            ("clusterName", "Cluster0"),
            ("clusterName", "Cluster1"),
            ("clusterName", "Cluster2"),
            ("minDate", "2026-03-01T10:00:00Z"),
            ("maxDate", "2026-03-02T00:00:00.125Z"),
        ])
    );
    assert_eq!(
        requests[1].params(),
        params(&[
            ("eventType", "ORG_CREATED"),
            ("minDate", "2026-03-01T08:00:00Z")
        ])
    );
    assert_eq!(
        requests[2].params(),
        params(&[
            ("eventType", "ODD&pageNum=9#x"),
            ("eventType", "SPACE TYPE"),
            ("clusterName", "a&b"),
        ]),
        "raw query: {:?}",
        requests[2].query
    );
    assert_eq!(requests[3].params()["eventType"].len(), 20);
    assert_eq!(requests[3].params()["clusterName"].len(), 20);
    assert_eq!(requests[3].params()["eventType"][19], "TYPE_19");
}

// ---------------------------------------------------------------------------
// Parameters refused before sending
// ---------------------------------------------------------------------------

type Call = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

fn discard<T>(result: Result<T, Error>) -> Result<(), Error> {
    result.map(|_| ())
}

/// Boxes an operation's `send()` future as a [`Call`].
macro_rules! call {
    ($send:expr) => {{
        let send = $send;
        Box::pin(async move { discard(send.await) }) as Call
    }};
}

#[tokio::test]
async fn bad_parameters_are_refused_without_any_request() {
    let server = serve(route_fixtures).await;
    let client = server.client();
    let too_many: Vec<String> = (0..21).map(|i| format!("TYPE_{i}")).collect();
    let c = &client;
    let cases: Vec<(&str, &str, Call)> = vec![
        (
            "listGroupEvents",
            "groupId",
            call!(c.list_group_events("../orgs").send()),
        ),
        (
            "listGroupEvents",
            "groupId",
            call!(c.list_group_events("a/b").send()),
        ),
        (
            "listGroupEvents",
            "groupId",
            call!(c.list_group_events(GROUP.to_uppercase()).send()),
        ),
        (
            "listGroupEvents",
            "groupId",
            call!(c.list_group_events(&GROUP[..23]).send()),
        ),
        (
            "listGroupEvents",
            "groupId",
            call!(c.list_group_events(format!("{GROUP}\n")).send()),
        ),
        (
            "listGroupEvents",
            "itemsPerPage",
            call!(c.list_group_events(GROUP).items_per_page(0).send()),
        ),
        (
            "listGroupEvents",
            "itemsPerPage",
            call!(c.list_group_events(GROUP).items_per_page(501).send()),
        ),
        (
            "listGroupEvents",
            "pageNum",
            call!(c.list_group_events(GROUP).page_num(0).send()),
        ),
        (
            "listGroupEvents",
            "clusterNames",
            call!(
                c.list_group_events(GROUP)
                    .cluster_names(["ok-name", "-starts-with-dash"])
                    .send()
            ),
        ),
        (
            "listGroupEvents",
            "clusterNames",
            call!(
                c.list_group_events(GROUP)
                    .cluster_names(["has space"])
                    .send()
            ),
        ),
        (
            "getGroupEvent",
            "groupId",
            call!(c.get_group_event("..", EVENT).send()),
        ),
        (
            "getGroupEvent",
            "eventId",
            call!(c.get_group_event(GROUP, "../../orgs/x").send()),
        ),
        (
            "listOrgEvents",
            "orgId",
            call!(c.list_org_events("a/b").send()),
        ),
        (
            "listOrgEvents",
            "itemsPerPage",
            call!(c.list_org_events(ORG).items_per_page(501).send()),
        ),
        (
            "listOrgEvents",
            "pageNum",
            call!(c.list_org_events(ORG).page_num(-1).send()),
        ),
        (
            "getOrgEvent",
            "eventId",
            call!(c.get_org_event(ORG, "").send()),
        ),
        (
            "listEventTypes",
            "itemsPerPage",
            call!(c.list_event_types().items_per_page(0).send()),
        ),
        (
            "listEventTypes",
            "pageNum",
            call!(c.list_event_types().page_num(0).send()),
        ),
        (
            "getGroupActivityFeed",
            "eventType",
            call!(
                c.get_group_activity_feed(GROUP)
                    .event_type(too_many.iter().map(String::as_str))
                    .send()
            ),
        ),
        (
            "getGroupActivityFeed",
            "clusterName",
            call!(
                c.get_group_activity_feed(GROUP)
                    .cluster_name(too_many.iter().cloned())
                    .send()
            ),
        ),
        (
            "getGroupActivityFeed",
            "groupId",
            call!(c.get_group_activity_feed("../orgs").send()),
        ),
        (
            "getOrgActivityFeed",
            "eventType",
            call!(
                c.get_org_activity_feed(ORG)
                    .event_type(too_many.iter().map(String::as_str))
                    .send()
            ),
        ),
        (
            "getOrgActivityFeed",
            "orgId",
            call!(c.get_org_activity_feed("A/B").send()),
        ),
    ];
    for (operation, parameter, call) in cases {
        match call.await {
            Err(Error::InvalidParameter {
                operation: op,
                parameter: p,
                reason,
            }) => {
                assert_eq!((op, p), (operation, parameter), "{reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{operation}/{parameter}: expected InvalidParameter, got {other:?}"),
        }
    }

    // `.stream()` refuses the same way: one error item, then the end.
    let mut stream = std::pin::pin!(client.list_group_events("a/b").stream());
    match stream.next().await {
        Some(Err(Error::InvalidParameter { parameter, .. })) => assert_eq!(parameter, "groupId"),
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    assert!(stream.next().await.is_none());
    let mut stream = std::pin::pin!(client.list_group_events(GROUP).items_per_page(501).stream());
    match stream.next().await {
        Some(Err(Error::InvalidParameter { parameter, .. })) => {
            assert_eq!(parameter, "itemsPerPage")
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
    assert!(stream.next().await.is_none());
    let mut stream = std::pin::pin!(client.list_org_events(ORG).page_num(0).stream());
    assert!(matches!(
        stream.next().await,
        Some(Err(Error::InvalidParameter {
            parameter: "pageNum",
            ..
        }))
    ));
    assert!(stream.next().await.is_none());

    // Give any stray request time to land before concluding that none was sent.
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        server.requests().is_empty(),
        "requests reached the server: {:#?}",
        server.requests()
    );
}

// ---------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------

/// A server holding `total` numbered group events, paged by `pageNum` and
/// `itemsPerPage`; `totalCount` is left out when `includeCount=false`, and a
/// `next` link is given while more items follow. `fail_page` answers 404.
async fn paging_server(total: u64, fail_page: Option<u64>) -> Server {
    paging_server_reporting(total, total, fail_page).await
}

/// [`paging_server`] whose `totalCount` says `reported` (Atlas documents it
/// as an estimate) while it holds `total` events.
async fn paging_server_reporting(total: u64, reported: u64, fail_page: Option<u64>) -> Server {
    serve(move |r| {
        let page: u64 = r.param("pageNum").map_or(1, |v| v.parse().unwrap());
        let per_page: u64 = r.param("itemsPerPage").map_or(100, |v| v.parse().unwrap());
        if Some(page) == fail_page {
            return reply(
                404,
                fixture_text("seeds/api-error-v2-project-events-404.json"),
            );
        }
        let start = (page - 1).saturating_mul(per_page);
        let end = start.saturating_add(per_page).min(total);
        let results: Vec<Value> = (start..end.max(start))
            .map(|n| numbered_item(&r.path, n))
            .collect();
        let self_href = format!("https://cloud.mongodb.com{}?pageNum={page}", r.path);
        let mut links = vec![json!({"href": self_href, "rel": "self"})];
        if end < total {
            let next = format!("https://cloud.mongodb.com{}?pageNum={}", r.path, page + 1);
            links.push(json!({"href": next, "rel": "next"}));
        }
        let mut body = json!({"links": links, "results": results});
        if r.param("includeCount").as_deref() != Some("false") {
            body["totalCount"] = json!(reported);
        }
        reply(200, body.to_string())
    })
    .await
}

fn ids(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|n| format!("{n:024x}")).collect()
}

/// Checks the page requests: consecutive `pageNum`s from `first`, the page
/// size and the filters repeated on every page, and one `maxDate` pinned for
/// all of them.
fn assert_page_requests(requests: &[Recorded], first: u64, per_page: &str, extra: &[(&str, &str)]) {
    let pinned = requests.first().and_then(|r| r.param("maxDate"));
    assert!(pinned.is_some(), "maxDate is pinned: {requests:#?}");
    for (i, request) in requests.iter().enumerate() {
        assert_eq!(request.path, format!("/api/atlas/v2/groups/{GROUP}/events"));
        let mut expected = vec![("itemsPerPage", per_page)];
        let page = (first + i as u64).to_string();
        expected.push(("pageNum", page.as_str()));
        expected.extend_from_slice(extra);
        let mut sent = request.params();
        assert_eq!(
            sent.remove("maxDate"),
            pinned.clone().map(|d| vec![d]),
            "request {i}"
        );
        assert_eq!(sent, params(&expected), "request {i}");
    }
}

#[tokio::test]
async fn stream_yields_every_item_once_in_order_with_total_count() {
    let server = paging_server(21, None).await;
    let items: Vec<GroupEvent> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .event_type(["CLUSTER_CREATED", "FUTURE_TYPE"])
        .stream()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = items
        .iter()
        .map(|e| e.id().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(got, ids(0..21));
    let requests = server.requests();
    assert_eq!(requests.len(), 7, "{requests:#?}");
    assert_page_requests(
        &requests,
        1,
        "3",
        &[
            ("eventType", "CLUSTER_CREATED"),
            ("eventType", "FUTURE_TYPE"),
        ],
    );
}

#[tokio::test]
async fn stream_skips_events_that_new_events_push_onto_the_next_page() {
    // Newest first, as Atlas lists: two events are created after the first page was served, so
    // every older event moves two places down and page 2 starts with two already seen.
    let served = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = Arc::clone(&served);
    let server = serve(move |r| {
        let page: u64 = r.param("pageNum").unwrap().parse().unwrap();
        let before = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let mut all: Vec<u64> = if before == 0 {
            vec![]
        } else {
            vec![1001, 1000]
        };
        all.extend(0..9);
        let results: Vec<Value> = all
            .iter()
            .skip(((page - 1) * 3) as usize)
            .take(3)
            .map(|n| numbered_item(&r.path, *n))
            .collect();
        let body = json!({"links": [], "results": results, "totalCount": all.len()});
        reply(200, body.to_string())
    })
    .await;
    let got: Vec<String> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ids(0..9), "every event once, in order");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 4);
}

#[tokio::test]
async fn stream_without_total_count_follows_next_links_and_stops_at_the_last_page() {
    // Exactly 7 full pages: the last one has no `next` link.
    let server = paging_server(21, None).await;
    let got: Vec<String> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .include_count(false)
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ids(0..21));
    let requests = server.requests();
    assert_eq!(requests.len(), 7, "{requests:#?}");
    assert_page_requests(&requests, 1, "3", &[("includeCount", "false")]);

    // A short last page ends the stream too.
    let server = paging_server(20, None).await;
    let got: Vec<String> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .include_count(false)
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ids(0..20));
    assert_eq!(server.requests().len(), 7);
}

#[tokio::test]
async fn stream_with_prefetch_yields_the_same_items_with_no_extra_request() {
    for include_count in [true, false] {
        let server = paging_server(21, None).await;
        let mut stream = std::pin::pin!(
            server
                .client()
                .list_group_events(GROUP)
                .items_per_page(3)
                .include_count(include_count)
                .prefetch(true)
                .stream()
        );
        let mut got = Vec::new();
        // Bounded: never more than the 21 items plus the end.
        for _ in 0..30 {
            match stream.next().await {
                Some(item) => got.push(item.unwrap().id().unwrap_or_default().to_owned()),
                None => break,
            }
            // Let the prefetched page progress while "processing" an item.
            tokio::task::yield_now().await;
        }
        assert_eq!(got, ids(0..21), "includeCount={include_count}");
        let requests = server.requests();
        assert_eq!(requests.len(), 7, "includeCount={include_count}");
        let pages: Vec<String> = requests
            .iter()
            .map(|r| r.param("pageNum").unwrap())
            .collect();
        assert_eq!(pages, ["1", "2", "3", "4", "5", "6", "7"]);
    }
}

#[tokio::test]
async fn stream_starts_at_page_num_and_uses_the_default_page_size() {
    let server = paging_server(21, None).await;
    let got: Vec<String> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .page_num(3)
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ids(6..21));
    assert_page_requests(&server.requests(), 3, "3", &[]);
    assert_eq!(server.requests().len(), 5);

    // Without itemsPerPage, pages of the server's default size (100) are asked for.
    let server = paging_server(150, None).await;
    let got: Vec<String> = server
        .client()
        .list_group_events(GROUP)
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, ids(0..150));
    assert_page_requests(&server.requests(), 1, "100", &[]);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn stream_ends_with_the_error_of_a_failing_page() {
    let server = paging_server(21, Some(3)).await;
    let results: Vec<Result<GroupEvent, Error>> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 7, "6 items then the error");
    for (i, item) in results[..6].iter().enumerate() {
        assert_eq!(
            item.as_ref().unwrap().id(),
            Some(format!("{i:024x}").as_str())
        );
    }
    let error = results[6].as_ref().unwrap_err();
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"), "{error}");
    assert_eq!(error.status(), Some(404));
    // 404 is not retried; nothing after the failing page is requested.
    assert_eq!(server.requests().len(), 3);
}

/// A `pageNum` above `u32::MAX` (valid for the spec, whose only bound is
/// `minimum: 1`, and sent as is by `.send()`) must not silently stream from
/// page 1: `.stream()` refuses it (`InvalidParameter` naming `pageNum`).
#[tokio::test]
async fn stream_does_not_restart_at_page_one_for_a_page_num_beyond_u32() {
    let server = paging_server(21, None).await;
    let huge = i64::from(u32::MAX) + 1;
    let items: Vec<Result<GroupEvent, Error>> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .page_num(huge)
        .stream()
        .take(25)
        .collect()
        .await;
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.param("pageNum").as_deref() != Some("1")),
        "restarted at page 1: {:?}",
        requests.iter().map(|r| r.query.clone()).collect::<Vec<_>>()
    );
    match items.first() {
        None => {}
        Some(Err(Error::InvalidParameter { parameter, .. })) => assert_eq!(*parameter, "pageNum"),
        Some(other) => panic!("expected nothing or InvalidParameter, got {other:?}"),
    }
}

#[tokio::test]
async fn org_events_and_event_types_stream_every_page_too() {
    let server = paging_server(10, None).await;
    let client = server.client();
    let org_ids: Vec<String> = client
        .list_org_events(ORG)
        .items_per_page(4)
        .event_type(["ORG_CREATED"])
        .stream()
        .map_ok(|e| e.id().unwrap_or_default().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(org_ids, ids(0..10));
    let names: Vec<Option<String>> = client
        .list_event_types()
        .items_per_page(4)
        .prefetch(true)
        .stream()
        .map_ok(|t| t.event_type)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<Option<String>> = (0..10).map(|n| Some(format!("TYPE_{n}"))).collect();
    assert_eq!(names, expected);

    let requests = server.requests();
    assert_eq!(requests.len(), 6, "{requests:#?}");
    let seen: Vec<(String, String, String)> = requests
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.param("pageNum").unwrap(),
                r.param("itemsPerPage").unwrap(),
            )
        })
        .collect();
    let org = format!("/api/atlas/v2/orgs/{ORG}/events");
    let types = "/api/atlas/v2/eventTypes".to_owned();
    let expected: Vec<(String, String, String)> = [
        (&org, "1"),
        (&org, "2"),
        (&org, "3"),
        (&types, "1"),
        (&types, "2"),
        (&types, "3"),
    ]
    .into_iter()
    .map(|(p, n)| (p.clone(), n.to_owned(), "4".to_owned()))
    .collect();
    assert_eq!(seen, expected);
    assert!(
        requests[..3]
            .iter()
            .all(|r| r.param("eventType").as_deref() == Some("ORG_CREATED"))
    );
}

// ---------------------------------------------------------------------------
// envelope=true
// ---------------------------------------------------------------------------

#[tokio::test]
async fn envelope_true_still_yields_typed_results() {
    let server = serve(|r| {
        if r.path.ends_with(&format!("/events/{EVENT}")) {
            let event = fixture("synthetic/group-ClusterEventViewForNdsGroup.json");
            reply(200, json!({"status": 200, "content": event}).to_string())
        } else if r.path.ends_with("/events/aaaaaaaaaaaaaaaaaaaaaaaa") {
            // Atlas keeps HTTP 200 and puts the real status in the body.
            let error = fixture("seeds/api-error-v2-project-events-404.json");
            reply(200, json!({"status": 404, "content": error}).to_string())
        } else {
            let mut page = fixture("synthetic/group-page-mixed.json");
            page["status"] = json!(200);
            reply(200, page.to_string())
        }
    })
    .await;
    let client = server.client();

    let page = client
        .list_group_events(GROUP)
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let views: Vec<&str> = page
        .body()
        .results
        .iter()
        .flatten()
        .map(GroupEvent::spec_schema)
        .collect();
    assert_eq!(views, expected_views("synthetic/group-page-mixed.json"));
    assert!(
        !page.body().extra.contains_key("status"),
        "the envelope's status leaked into the page"
    );

    let event = client
        .get_group_event(GROUP, EVENT)
        .envelope(true)
        .send()
        .await
        .unwrap();
    assert_eq!(event.status(), 200);
    assert_eq!(event.body().spec_schema(), "ClusterEventViewForNdsGroup");
    let fixture_id = fixture("synthetic/group-ClusterEventViewForNdsGroup.json")["id"].clone();
    assert_eq!(event.body().id(), fixture_id.as_str());

    let error = client
        .get_group_event(GROUP, "aaaaaaaaaaaaaaaaaaaaaaaa")
        .envelope(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error}");
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"), "{error}");

    // Streaming with envelope=true works the same.
    let streamed: Vec<GroupEvent> = client
        .list_group_events(GROUP)
        .envelope(true)
        .items_per_page(46)
        .include_count(false)
        .stream()
        .take(46)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 46);

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert_eq!(
            request.param("envelope").as_deref(),
            Some("true"),
            "{request:?}"
        );
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn api_error_body_becomes_error_api_with_its_code() {
    let server = serve(|r| {
        if r.path.ends_with("/activityFeed") {
            reply(
                400,
                fixture_text("seeds/api-error-activity-feed-link-400.json"),
            )
        } else {
            reply(
                404,
                fixture_text("seeds/api-error-v2-project-events-404.json"),
            )
        }
    })
    .await;
    let client = server.client();

    let error = client.list_group_events(GROUP).send().await.unwrap_err();
    match &error {
        Error::Api {
            operation,
            status,
            error: api,
            body,
            ..
        } => {
            assert_eq!(*operation, "listGroupEvents");
            assert_eq!(*status, 404);
            assert_eq!(
                api.as_ref().unwrap().error_code.as_deref(),
                Some("RESOURCE_NOT_FOUND")
            );
            assert!(body.contains("Cannot find resource AWS"), "{body}");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(error.is_error_code("RESOURCE_NOT_FOUND"));
    assert!(!error.is_error_code("NOT_FOUND"));
    assert_eq!(error.error_code(), Some("RESOURCE_NOT_FOUND"));
    assert_eq!(error.operation(), Some("listGroupEvents"));
    let text = error.to_string();
    assert!(
        text.starts_with("listGroupEvents: Atlas answered HTTP 404 RESOURCE_NOT_FOUND"),
        "{text}"
    );
    assert!(!text.contains(TOKEN));

    let expected_code = fixture("seeds/api-error-activity-feed-link-400.json")["errorCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let error = client.get_org_activity_feed(ORG).send().await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert!(error.is_error_code(&expected_code), "{error}");
    assert_eq!(error.operation(), Some("getOrgActivityFeed"));

    // Neither 404 nor 400 is retried.
    assert_eq!(server.requests().len(), 2);
}

/// A body that disagrees with the spec is an answer, not an error: every event is yielded, the
/// one without a valid `created` as non-conforming, with its disagreement named. Only a body
/// that is not JSON, or an event that is not an object, is a decode error, which names the path
/// and keeps the body.
#[tokio::test]
async fn disagreeing_bodies_decode_and_malformed_ones_name_the_failing_path() {
    let server = serve(|r| {
        if r.path.ends_with(&format!("/events/{EVENT}")) {
            let mut event = fixture("synthetic/group-ClusterEventViewForNdsGroup.json");
            event["created"] = json!("yesterday");
            let wrapped = r.param("envelope").as_deref() == Some("true");
            let body = if wrapped {
                json!({"status": 200, "content": event})
            } else {
                event
            };
            reply(200, body.to_string())
        } else if r.param("pageNum").as_deref() == Some("2") {
            let mut page = fixture("synthetic/group-page-mixed.json");
            page["results"][1] = json!("not an event");
            reply(200, page.to_string())
        } else {
            let mut page = fixture("synthetic/group-page-mixed.json");
            page["results"][1]["created"] = json!("not a date");
            reply(200, page.to_string())
        }
    })
    .await;
    let client = server.client();

    let page = client
        .list_group_events(GROUP)
        .send()
        .await
        .unwrap()
        .into_body();
    let results = page.results.as_deref().unwrap_or_default();
    assert_eq!(results.len(), 46, "one event never fails a page");
    assert!(!results[1].is_conforming());
    assert!(results.iter().filter(|e| !e.is_conforming()).count() == 1);
    let found = page.disagreements();
    assert!(
        found
            .iter()
            .any(|d| d.pointer == "/results/1/created" && d.found == "string \"not a date\""),
        "{found:?}"
    );

    for envelope in [false, true] {
        let event = client
            .get_group_event(GROUP, EVENT)
            .envelope(envelope)
            .send()
            .await
            .unwrap()
            .into_body();
        assert!(!event.is_conforming());
        assert_eq!(event.created(), None);
        assert_eq!(event.extra()["created"], "yesterday");
        assert_eq!(event.disagreements()[0].pointer, "/created");
    }

    let error = client
        .list_group_events(GROUP)
        .page_num(2)
        .send()
        .await
        .unwrap_err();
    match &error {
        Error::Decode {
            operation,
            path,
            message,
            body,
        } => {
            assert_eq!(*operation, "listGroupEvents");
            assert_eq!(path, "results[1]", "{message}");
            assert!(body.contains("\"not an event\""), "body not kept");
            assert!(
                body.contains("AUTO_INDEXING_ENABLED"),
                "body not kept whole"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(error.to_string().contains("results[1]"), "{error}");

    // A decode failure is not retried.
    assert_eq!(server.requests().len(), 4);
}

/// Atlas's answer when the rate limit is reached.
fn rate_limited() -> Reply {
    reply(
        429,
        r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"slow down"}"#,
    )
}

async fn list_group_events_error(server: &Server) -> Error {
    server
        .client()
        .list_group_events(GROUP)
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn retry_after_is_understood_in_every_http_date_format() {
    // RFC 9110 section 5.6.7: recipients accept IMF-fixdate, RFC 850 and
    // asctime. A date 30 s ahead is beyond the client's 1 s budget, so an
    // understood Retry-After ends the call at once with the 429; a date the
    // client cannot read would be ignored and the request retried.
    let later = time::OffsetDateTime::now_utc() + time::Duration::seconds(30);
    let formats = [
        time::macros::format_description!(
            "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
        ),
        time::macros::format_description!(
            "[weekday], [day]-[month repr:short]-[year repr:last_two] [hour]:[minute]:[second] GMT"
        ),
        time::macros::format_description!(
            "[weekday repr:short] [month repr:short] [day padding:space] [hour]:[minute]:[second] [year]"
        ),
    ];
    for format in formats {
        let date = later.format(format).unwrap();
        let retry_after = date.clone();
        let server =
            serve(move |_| rate_limited().header("retry-after", retry_after.clone())).await;
        let error = list_group_events_error(&server).await;
        assert!(error.is_error_code("RATE_LIMITED"), "{error}");
        assert_eq!(server.requests().len(), 1, "Retry-After {date:?} ignored");
    }
}

#[tokio::test]
async fn a_rate_limited_error_keeps_the_rate_limit_headers_and_retry_after() {
    let server = serve(|_| {
        rate_limited()
            .header("ratelimit-limit", "100")
            .header("ratelimit-remaining", "0")
            .header("retry-after", "120")
    })
    .await;
    let error = list_group_events_error(&server).await;
    assert_eq!(error.status(), Some(429));
    let window = error
        .rate_limit()
        .expect("an API error has rate-limit fields");
    assert_eq!((window.limit, window.remaining), (Some(100), Some(0)));
    assert_eq!(
        error.retry_after(),
        Some(std::time::Duration::from_secs(120))
    );
    // 120 s is beyond the test client's budget: the 429 comes back at once, not retried.
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// Hostile and broken servers (issue #10)
// ---------------------------------------------------------------------------

/// Collects a stream, failing the test if it has not ended within 10 s (a
/// stream that never ends is the defect some of these tests catch).
async fn collect_bounded<T>(
    stream: impl futures_util::Stream<Item = Result<T, Error>>,
) -> Vec<Result<T, Error>> {
    tokio::time::timeout(Duration::from_secs(10), stream.collect::<Vec<_>>())
        .await
        .expect("the stream ends")
}

#[tokio::test]
async fn a_real_atlas_error_body_keeps_its_error_code() {
    // Real Atlas bodies carry `parameters` as strings (the spec says objects).
    let server = serve(|_| {
        reply(
            404,
            r#"{"detail":"No cluster named cluster-989 exists in group b0123456789abcdef012345b.","error":404,"errorCode":"CLUSTER_NOT_FOUND","parameters":["cluster-989","b0123456789abcdef012345b"],"reason":"Not Found"}"#,
        )
    })
    .await;
    let error = list_group_events_error(&server).await;
    assert!(matches!(error, Error::Api { status: 404, .. }), "{error:?}");
    assert_eq!(error.error_code(), Some("CLUSTER_NOT_FOUND"));
    assert_eq!(
        error.to_string(),
        "listGroupEvents: Atlas answered HTTP 404 CLUSTER_NOT_FOUND: No cluster named \
         cluster-989 exists in group b0123456789abcdef012345b."
    );
}

#[tokio::test]
async fn stream_ends_with_a_paging_error_when_the_server_ignores_page_num() {
    // The same full page with a `next` link and an inflated totalCount,
    // whatever pageNum asks for: a proxy that drops the query, say.
    for prefetch in [false, true] {
        let server = serve(|r| {
            let results: Vec<Value> = (0..3).map(|n| numbered_item(&r.path, n)).collect();
            let next = format!("https://cloud.mongodb.com{}?pageNum=2", r.path);
            let body = json!({
                "links": [{"href": next, "rel": "next"}],
                "results": results,
                "totalCount": 100_000,
            });
            reply(200, body.to_string())
        })
        .await;
        let results = collect_bounded(
            server
                .client()
                .list_group_events(GROUP)
                .items_per_page(3)
                .prefetch(prefetch)
                .stream(),
        )
        .await;
        assert_eq!(results.len(), 4, "3 events then the error: {results:?}");
        let got: Vec<String> = results[..3]
            .iter()
            .map(|r| r.as_ref().unwrap().id().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(got, ids(0..3));
        match &results[3] {
            Err(error @ Error::Paging { page: 2, .. }) => {
                assert_eq!(error.operation(), Some("listGroupEvents"));
                assert!(error.to_string().contains("page 2"), "{error}");
            }
            other => panic!("expected Error::Paging for page 2, got {other:?}"),
        }
        let requests = server.requests().len();
        if prefetch {
            assert!(requests <= 5, "{requests} requests");
        } else {
            assert_eq!(requests, 2);
        }
    }
}

/// A page decodes whatever its `results` holds (disagreeing with the spec is not an error), so a
/// page without a list of events must not read as an empty page that ends the stream: the
/// stream yields what came before and ends with an error naming the page.
#[tokio::test]
async fn stream_ends_with_a_paging_error_at_a_page_without_a_list_of_events() {
    for (broken, why) in [
        (json!({"not": "a list"}), "an object, not a list of items"),
        (Value::Null, "is null"),
    ] {
        let server = serve(move |r| {
            let page = r.param("pageNum").unwrap_or_default();
            let next = format!("https://cloud.mongodb.com{}?pageNum=2", r.path);
            let body = if page == "2" {
                json!({"links": [], "results": broken.clone(), "totalCount": 6})
            } else {
                let results: Vec<Value> = (0..3).map(|n| numbered_item(&r.path, n)).collect();
                json!({"links": [{"href": next, "rel": "next"}], "results": results, "totalCount": 6})
            };
            reply(200, body.to_string())
        })
        .await;
        let results = collect_bounded(
            server
                .client()
                .list_group_events(GROUP)
                .items_per_page(3)
                .stream(),
        )
        .await;
        assert_eq!(results.len(), 4, "3 events then the error: {results:?}");
        match &results[3] {
            Err(error @ Error::Paging { page: 2, .. }) => {
                assert!(error.to_string().contains(why), "{error}");
            }
            other => panic!("expected Error::Paging for page 2, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn stream_follows_a_next_link_beyond_an_underestimated_total_count() {
    // totalCount says 20, but there are 25 events and page 4 links to page 5.
    for prefetch in [false, true] {
        let server = paging_server_reporting(25, 20, None).await;
        let results = collect_bounded(
            server
                .client()
                .list_group_events(GROUP)
                .items_per_page(5)
                .prefetch(prefetch)
                .stream(),
        )
        .await;
        let got: Vec<String> = results
            .into_iter()
            .map(|r| r.unwrap().id().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(got, ids(0..25), "prefetch {prefetch}");
        assert_eq!(server.requests().len(), 5, "prefetch {prefetch}");
    }
}

#[tokio::test]
async fn stream_pins_max_date_so_new_events_cannot_shift_the_pages() {
    // Newest first. Before each answer, four events newer than the stream's
    // start appear (more than a page of 3): a server that honours maxDate
    // leaves them out, so pages cannot shift.
    let created = Arc::new(Mutex::new(0u64));
    let counter = Arc::clone(&created);
    let server = serve(move |r| {
        let mut fresh = counter.lock().unwrap();
        *fresh += 4;
        let page: usize = r.param("pageNum").unwrap().parse().unwrap();
        let max_date = r.param("maxDate");
        let mut all: Vec<Value> = (0..*fresh)
            .rev()
            .map(|n| {
                let mut event = numbered_item(&r.path, 1000 + n);
                event["created"] = json!("2999-01-01T00:00:00Z");
                event
            })
            .collect();
        all.extend((0..10).map(|n| numbered_item(&r.path, n)));
        let visible: Vec<Value> = all
            .into_iter()
            .filter(|e| {
                max_date
                    .as_deref()
                    .is_none_or(|max| e["created"].as_str().unwrap() <= max)
            })
            .collect();
        let total = visible.len();
        let results: Vec<Value> = visible.into_iter().skip((page - 1) * 3).take(3).collect();
        let mut links = vec![];
        if page * 3 < total {
            links.push(json!({"href": "https://cloud.mongodb.com/next", "rel": "next"}));
        }
        let body = json!({"links": links, "results": results, "totalCount": total});
        reply(200, body.to_string())
    })
    .await;
    // Bounded: a client that does not pin would page forever behind the new events.
    let got: Vec<String> = collect_bounded(
        server
            .client()
            .list_group_events(GROUP)
            .items_per_page(3)
            .stream(),
    )
    .await
    .into_iter()
    .map(|e| e.unwrap().id().unwrap_or_default().to_owned())
    .collect();
    assert_eq!(got, ids(0..10), "every event once, in order, none newer");
    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    let dates: Vec<Option<String>> = requests.iter().map(|r| r.param("maxDate")).collect();
    assert!(dates[0].is_some(), "{dates:?}");
    assert!(dates.iter().all(|d| *d == dates[0]), "{dates:?}");

    // A maxDate the caller set is sent as set.
    let server = paging_server(4, None).await;
    let _: Vec<GroupEvent> = server
        .client()
        .list_group_events(GROUP)
        .max_date(datetime!(2026-06-01 00:00:00 UTC))
        .stream()
        .try_collect()
        .await
        .unwrap();
    let sent = server.requests()[0].params();
    assert_eq!(
        sent.get("maxDate"),
        Some(&vec!["2026-06-01T00:00:00Z".to_owned()])
    );
}

#[tokio::test]
async fn pages_give_page_numbers_totals_and_next_links() {
    let server = paging_server(7, None).await;
    let pages: Vec<_> = server
        .client()
        .list_group_events(GROUP)
        .items_per_page(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let summary: Vec<(u32, Vec<String>, Option<u64>, bool)> = pages
        .iter()
        .map(|p| {
            let ids = p
                .items
                .iter()
                .map(|e| e.id().unwrap_or_default().to_owned())
                .collect();
            (p.page_num, ids, p.total_count, p.has_next_link)
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, ids(0..3), Some(7), true),
            (2, ids(3..6), Some(7), true),
            (3, ids(6..7), Some(7), false),
        ]
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn error_bodies_are_kept_bounded_and_messages_stay_short() {
    // A 4 MiB `detail` in an error answer.
    let detail = "d".repeat(4 << 20);
    let body = json!({"error": 400, "errorCode": "HUGE", "detail": detail}).to_string();
    let server = serve(move |_| reply(400, body.clone())).await;
    let error = list_group_events_error(&server).await;
    match &error {
        Error::Api {
            status: 400, body, ..
        } => assert!(body.len() <= 64 << 10, "{} bytes kept", body.len()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
    let text = error.to_string();
    assert!(text.len() < 2_000, "{} bytes of message", text.len());

    // Small enough to be read whole: the detail is cut in the message only.
    let detail = "e".repeat(20_000);
    let body = json!({"error": 400, "errorCode": "LONG", "detail": detail}).to_string();
    let server = serve(move |_| reply(400, body.clone())).await;
    let error = list_group_events_error(&server).await;
    assert_eq!(error.error_code(), Some("LONG"));
    let text = error.to_string();
    assert!(text.len() < 2_000 && text.ends_with('…'), "{text}");
}

#[tokio::test]
async fn a_success_body_over_the_limit_fails_and_is_not_retried() {
    let results: Vec<Value> = (0..3000).map(|n| numbered_item("/events", n)).collect();
    let page = json!({"links": [], "results": results, "totalCount": 3000}).to_string();
    assert!(page.len() > 256 << 10);
    let server = serve(move |_| reply(200, page.clone())).await;
    let client = Client::builder(Credentials::bearer_token(TOKEN))
        .base_url(&server.base)
        .max_response_bytes(256 << 10)
        .retry_policy(RetryPolicy::new().with_initial_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let error = client.list_group_events(GROUP).send().await.unwrap_err();
    match &error {
        Error::TooLarge { status, limit, .. } => {
            assert_eq!((*status, *limit), (200, 256 << 10));
        }
        other => panic!("expected Error::TooLarge, got {other:?}"),
    }
    assert!(error.to_string().contains("max_response_bytes"), "{error}");
    assert_eq!(server.requests().len(), 1);
    // Within the default limit the same page decodes.
    let page = server
        .client()
        .list_group_events(GROUP)
        .send()
        .await
        .unwrap();
    assert_eq!(page.body().results.as_ref().map(Vec::len), Some(3000));
}

#[tokio::test]
async fn base_url_errors_never_echo_secrets() {
    for url in [
        "abcdefgh:PRIVATE-KEY@cloud.mongodb.com",
        "https://cloud.mongodb.com/?apiKey=PRIVATE-KEY",
        "https://cloud.mongodb.com/#PRIVATE-KEY",
        "https://user:PRIVATE-KEY@cloud.mongodb.com",
        "PRIVATE-KEY",
    ] {
        let builder = Client::builder(Credentials::bearer_token(TOKEN)).base_url(url);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("PRIVATE-KEY"), "{shown}");
        match builder.build() {
            Err(error @ Error::Config { .. }) => {
                let text = format!("{error} {error:?}");
                assert!(!text.contains("PRIVATE-KEY"), "{url}: {text}");
            }
            other => panic!("{url}: expected Error::Config, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn plain_http_is_for_loopback_unless_a_host_is_allowed_by_name() {
    let build = |url: &str, allowed: Option<&str>| {
        let mut builder = Client::builder(Credentials::bearer_token(TOKEN)).base_url(url);
        if let Some(host) = allowed {
            builder = builder.allow_plain_http_host(host);
        }
        builder.build()
    };
    for url in [
        "http://127.0.0.1:9",
        "http://127.1.2.3",
        "http://[::1]:9",
        "http://localhost:9",
    ] {
        assert!(build(url, None).is_ok(), "{url}");
    }
    for url in [
        "http://cloud.mongodb.com",
        "http://10.1.2.3",
        "http://localhost.example.com",
    ] {
        match build(url, None) {
            Err(Error::Config { message }) => {
                assert!(message.contains("allow_plain_http_host"), "{message}");
            }
            other => panic!("{url}: expected Error::Config, got {other:?}"),
        }
    }
    assert!(build("http://proxy.internal:8080", Some("PROXY.internal")).is_ok());
    assert!(build("http://other.internal:8080", Some("proxy.internal")).is_err());
}

/// A service-account client of `server` with a retry budget of `budget`.
fn service_account_client(server: &Server, budget: Duration) -> Client {
    Client::builder(Credentials::service_account(
        "mdb_sa_id_x",
        "mdb_sa_sk_SECRET",
    ))
    .base_url(&server.base)
    .retry_policy(
        RetryPolicy::new()
            .with_max_attempts(3)
            .with_initial_delay(Duration::from_millis(1))
            .with_max_delay(Duration::from_millis(5))
            .with_max_elapsed(budget)
            .with_jitter(false),
    )
    .build()
    .unwrap()
}

fn event_reply() -> Reply {
    reply(
        200,
        fixture_text("synthetic/group-ClusterEventViewForNdsGroup.json"),
    )
}

#[tokio::test]
async fn a_huge_expires_in_is_clamped_instead_of_panicking() {
    let server = serve(|r| {
        if r.path == "/api/oauth/token" {
            reply(
                200,
                r#"{"access_token":"T","token_type":"Bearer","expires_in":18446744073709551615}"#,
            )
        } else {
            event_reply()
        }
    })
    .await;
    let client = service_account_client(&server, Duration::from_secs(5));
    for _ in 0..2 {
        client.get_group_event(GROUP, EVENT).send().await.unwrap();
    }
    let tokens = server
        .requests()
        .iter()
        .filter(|r| r.path == "/api/oauth/token")
        .count();
    assert_eq!(tokens, 1, "the token is cached");
}

#[tokio::test]
async fn the_token_endpoints_retry_after_is_honoured() {
    let times = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&times);
    let server = serve(move |r| {
        if r.path == "/api/oauth/token" {
            let mut times = log.lock().unwrap();
            times.push(std::time::Instant::now());
            if times.len() == 1 {
                return reply(429, r#"{"error":"rate_limited"}"#).header("retry-after", "1");
            }
            reply(200, r#"{"access_token":"T","expires_in":3600}"#)
        } else {
            event_reply()
        }
    })
    .await;
    let client = service_account_client(&server, Duration::from_secs(10));
    client.get_group_event(GROUP, EVENT).send().await.unwrap();
    let times = times.lock().unwrap().clone();
    assert_eq!(times.len(), 2);
    let waited = times[1] - times[0];
    assert!(waited >= Duration::from_millis(900), "waited {waited:?}");
}

#[tokio::test]
async fn a_persistent_401_does_not_mint_a_token_on_every_call() {
    let minted = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = Arc::clone(&minted);
    let server = serve(move |r| {
        if r.path == "/api/oauth/token" {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            reply(
                200,
                format!(r#"{{"access_token":"T{n}","expires_in":3600}}"#),
            )
        } else {
            reply(
                401,
                r#"{"error":401,"errorCode":"IP_ADDRESS_NOT_ON_ACCESS_LIST","detail":"no"}"#,
            )
        }
    })
    .await;
    let client = service_account_client(&server, Duration::from_secs(5));
    for call in 0..5 {
        let error = client
            .get_group_event(GROUP, EVENT)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                Error::Auth {
                    status: Some(401),
                    ..
                }
            ),
            "call {call}: {error:?}"
        );
    }
    assert_eq!(
        minted.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "one token, then one replacement"
    );
}

#[tokio::test]
async fn the_digest_challenge_is_picked_among_several_www_authenticate_headers() {
    let server = serve(|r| match r.header("authorization") {
        Some(answer) if answer.starts_with("Digest ") && answer.contains("username=\"PUB\"") => {
            event_reply()
        }
        _ => reply(401, r#"{"error":401,"errorCode":"UNAUTHORIZED"}"#)
            .header("www-authenticate", r#"Basic realm="atlas""#)
            .header(
                "www-authenticate",
                r#"Digest realm="MMS Public API", qop="auth", nonce="n1", algorithm=MD5"#,
            )
            .header(
                "www-authenticate",
                r#"Digest realm="MMS Public API", qop="auth", nonce="n1", algorithm=SHA-256"#,
            ),
    })
    .await;
    let client = Client::builder(Credentials::api_key("PUB", "PRIVATE"))
        .base_url(&server.base)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.get_group_event(GROUP, EVENT).send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let answer = requests[1].header("authorization").unwrap();
    assert!(answer.contains("algorithm=SHA-256"), "{answer}");
}

/// A server that compresses its answers with gzip only when asked to, and
/// records how many bytes it sent.
async fn gzip_server(body: Vec<u8>) -> (String, Arc<Mutex<Vec<(bool, usize)>>>) {
    use std::io::Write as _;
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let body = body.clone();
        let seen = Arc::clone(&seen);
        async move {
            let asked = headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|v| v.contains("gzip"));
            let mut response = HttpResponse::builder()
                .status(200)
                .header(header::CONTENT_TYPE, EVENTS_MEDIA)
                .header(header::VARY, "accept-encoding");
            let sent = if asked {
                let mut encoder =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                encoder.write_all(&body).unwrap();
                response = response.header(header::CONTENT_ENCODING, "gzip");
                encoder.finish().unwrap()
            } else {
                body
            };
            seen.lock().unwrap().push((asked, sent.len()));
            response.body(Body::from(sent)).unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, log)
}

#[tokio::test]
async fn answers_are_asked_for_gzip_compressed_and_the_limit_counts_inflated_bytes() {
    let results: Vec<Value> = (0..500).map(|n| numbered_item("/events", n)).collect();
    let page = json!({"links": [], "results": results, "totalCount": 500}).to_string();
    let (url, log) = gzip_server(page.clone().into_bytes()).await;
    let got = client_for(&url)
        .list_group_events(GROUP)
        .send()
        .await
        .unwrap();
    assert_eq!(got.body().results.as_ref().map(Vec::len), Some(500));
    let sent = log.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let (asked, bytes) = sent[0];
    assert!(asked, "the client did not ask for gzip");
    assert!(bytes * 5 < page.len(), "{bytes} of {} bytes", page.len());

    // 8 MiB of zeros compress to a few KiB; the limit applies to what they inflate to.
    let (url, _) = gzip_server(vec![b' '; 8 << 20]).await;
    let client = Client::builder(Credentials::bearer_token(TOKEN))
        .base_url(&url)
        .max_response_bytes(1 << 20)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_group_events(GROUP).send().await.unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error:?}");
}
