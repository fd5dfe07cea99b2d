//! `.follow()` against the fake Atlas on loopback: every event once, oldest first, across
//! restarts from a serialized checkpoint, with events that share one `created` second and
//! events that arrive while a poll is paging.

use std::time::Duration;

use atlas_events_tests::fake_atlas::{FakeAtlas, TOKEN, event_json};
use futures_util::{StreamExt, TryStreamExt};
use mongodb_atlas_events::models::OrgEventType;
use mongodb_atlas_events::{Checkpoint, Client, Credentials, Follow, OrgEvent, TypeSelection};
use time::OffsetDateTime;

const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
const SCOPE: &str = "orgs/5e8d7c6b5a4f3e2d1c0b9a87";

fn client(fake: &FakeAtlas) -> Client {
    Client::builder(Credentials::bearer_token(TOKEN))
        .base_url(fake.base_url())
        .build()
        .unwrap()
}

fn id(n: usize) -> String {
    format!("{n:024x}")
}

/// `count` events over the last minutes, oldest first; events 3 to 6 share one second.
/// Returns their ids in the order a follow stream must yield them.
fn add_history(fake: &FakeAtlas, start: OffsetDateTime, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        let second = if (3..=6).contains(&n) { 3 } else { n as i64 };
        let created = start + time::Duration::seconds(second * 7);
        let kind = if n % 3 == 0 {
            "USER_JOINED_ORG"
        } else {
            "ORG_CREATED"
        };
        fake.add(SCOPE, &event_json(&id(n), created, kind, ""));
        ids.push(id(n));
    }
    ids
}

fn event_id(event: &OrgEvent) -> String {
    event.id().expect("fake events have ids").to_owned()
}

/// A bounded follow (it ends once it has read up to `end`), three events a page, with the
/// default 30 s poll interval: reaching `end` must end it without waiting for another poll.
fn follow(
    client: &Client,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> Follow<mongodb_atlas_events::models::OrgEventPage> {
    client
        .list_org_events(ORG)
        .items_per_page(3)
        .min_date(start)
        .max_date(end)
        .follow()
}

#[tokio::test]
async fn a_bounded_follow_yields_every_event_once_oldest_first() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let start = now - time::Duration::minutes(10);
    let expected = add_history(&fake, start, 11);
    let client = client(&fake);
    let all = follow(&client, start, now)
        .map_ok(|e| event_id(&e))
        .try_collect::<Vec<String>>();
    let got = tokio::time::timeout(Duration::from_secs(10), all)
        .await
        .expect("a follow that has read up to max_date ends without another poll")
        .unwrap();
    assert_eq!(got, expected);
    // Each window was paged with the window's own bounds and from page 1.
    let asked = fake.asked();
    assert!(
        asked
            .iter()
            .all(|a| a.query.contains("minDate=") && a.query.contains("maxDate="))
    );
    assert!(
        asked.iter().any(|a| a.query.contains("pageNum=4")),
        "{asked:?}"
    );
}

#[tokio::test]
async fn restarting_from_a_saved_checkpoint_yields_each_event_once_wherever_it_stopped() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let start = now - time::Duration::minutes(10);
    let expected = add_history(&fake, start, 11);
    let client = client(&fake);
    // Stop after k events (inside the group sharing one second, too), save, restart.
    for k in [0, 1, 4, 5, 10, 11] {
        let mut first = follow(&client, start, now);
        let mut got = Vec::new();
        for _ in 0..k {
            got.push(event_id(&first.next().await.unwrap().unwrap()));
        }
        let saved = serde_json::to_string(first.checkpoint()).unwrap();
        drop(first);
        let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
        let rest: Vec<String> = follow(&client, start, now)
            .from_checkpoint(checkpoint)
            .map_ok(|e| event_id(&e))
            .try_collect()
            .await
            .unwrap();
        got.extend(rest);
        assert_eq!(
            got, expected,
            "stopped after {k} events, checkpoint {saved}"
        );
    }
}

#[tokio::test]
async fn events_that_arrive_while_a_poll_pages_are_yielded_once() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let start = now - time::Duration::minutes(10);
    let mut expected = add_history(&fake, start, 7);
    // While the first poll pages: one event created later than the poll's window, and one
    // made visible late inside it (30 s old, within the overlap).
    fake.add_after_next_page(
        SCOPE,
        &event_json(
            &id(100),
            now + time::Duration::seconds(1),
            "ORG_CREATED",
            "",
        ),
    );
    fake.add_after_next_page(
        SCOPE,
        &event_json(
            &id(101),
            now - time::Duration::seconds(30),
            "ORG_CREATED",
            "",
        ),
    );
    expected.push(id(100));
    expected.push(id(101));
    let client = client(&fake);
    let stream = client
        .list_org_events(ORG)
        .items_per_page(2)
        .min_date(start)
        .follow()
        .poll_interval(Duration::from_secs(1));
    let got: Vec<String> = tokio::time::timeout(
        Duration::from_secs(30),
        stream
            .map_ok(|e| event_id(&e))
            .take(expected.len())
            .try_collect::<Vec<_>>(),
    )
    .await
    .expect("every event within 30 s")
    .unwrap();
    let mut sorted_got = got.clone();
    sorted_got.sort();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort();
    assert_eq!(
        sorted_got, sorted_expected,
        "yielded in this order: {got:?}"
    );
    // The history comes first and in order; the arrivals after it.
    assert_eq!(got[..7], expected[..7]);
}

#[tokio::test]
async fn filters_apply_to_every_window_and_failures_are_retried() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let start = now - time::Duration::minutes(10);
    let all = add_history(&fake, start, 11);
    let joined: Vec<String> = all.iter().step_by(3).cloned().collect();
    fake.fail_next(
        429,
        &[("Retry-After", "1")],
        r#"{"error":429,"errorCode":"RATE_LIMITED"}"#,
    );
    fake.fail_next(503, &[], r#"{"error":503}"#);
    let client = client(&fake);
    let got: Vec<String> = client
        .list_org_events(ORG)
        .items_per_page(3)
        .min_date(start)
        .max_date(now)
        .event_type([OrgEventType::from("USER_JOINED_ORG")])
        .follow()
        .map_ok(|e| event_id(&e))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got, joined);
    assert!(
        fake.asked()
            .iter()
            .skip(2)
            .all(|a| a.query.contains("eventType=USER_JOINED_ORG"))
    );
}

#[tokio::test]
async fn with_json_keeps_each_event_exactly_as_served() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    let created = (now - time::Duration::minutes(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // Spacing, key order and number spelling that re-encoding would change.
    let odd = format!(
        r#"{{ "id" : "{}", "eventTypeName":"ORG_CREATED",  "created": "{created}", "ratio": 1.50 }}"#,
        id(7)
    );
    fake.add(SCOPE, &odd);
    let client = client(&fake);
    let listed: Vec<_> = client
        .list_org_events(ORG)
        .stream_with_json()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].json(), odd);
    assert_ne!(serde_json::to_string(listed[0].value()).unwrap(), odd);
    let followed: Vec<_> = client
        .list_org_events(ORG)
        .min_date(now - time::Duration::minutes(5))
        .max_date(now)
        .follow()
        .with_json()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(followed.len(), 1);
    assert_eq!(followed[0].json(), odd);
    assert_eq!(followed[0].value().id(), Some(id(7).as_str()));
}

/// Org events of known names in two categories and two names newer than the crate.
fn add_typed(fake: &FakeAtlas, start: OffsetDateTime) -> Vec<(&'static str, String)> {
    let names = [
        "JOINED_ORG",
        "ORG_CREATED",
        "USER_FROM_2030",
        "JOINED_ORG",
        "CLUSTER_FROM_2030",
    ];
    names
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let created = start + time::Duration::seconds(n as i64);
            fake.add(SCOPE, &event_json(&id(n), created, name, ""));
            (*name, id(n))
        })
        .collect()
}

async fn listed(client: &Client, selection: TypeSelection<OrgEventType>) -> Vec<String> {
    client
        .list_org_events(ORG)
        .types(selection)
        .stream()
        .map_ok(|e| e.event_type_name().unwrap().to_owned())
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_prefix_or_a_category_is_applied_here_and_keeps_names_newer_than_the_crate() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    add_typed(&fake, now - time::Duration::minutes(5));
    let client = client(&fake);
    let joined = OrgEventType::JoinedOrg.category().unwrap();
    assert_ne!(OrgEventType::OrgCreated.category(), Some(joined));

    // Newest first, as Atlas lists.
    let by_category = listed(&client, TypeSelection::all().category(joined)).await;
    assert_eq!(
        by_category,
        [
            "CLUSTER_FROM_2030",
            "JOINED_ORG",
            "USER_FROM_2030",
            "JOINED_ORG"
        ]
    );
    let by_prefix = listed(&client, TypeSelection::all().prefix("USER_")).await;
    assert_eq!(by_prefix, ["USER_FROM_2030"]);
    // Neither could be asked of Atlas without missing the newer names.
    assert!(fake.asked().iter().all(|a| !a.query.contains("eventType")));

    // A single page is filtered the same way.
    let page = client
        .list_org_events(ORG)
        .types(TypeSelection::all().prefix("CLUSTER_"))
        .send()
        .await
        .unwrap();
    let names: Vec<_> = page
        .body()
        .results
        .iter()
        .flatten()
        .filter_map(|e| e.event_type_name())
        .collect();
    assert_eq!(names, ["CLUSTER_FROM_2030"]);
}

#[tokio::test]
async fn exact_names_are_asked_of_atlas_unless_the_list_is_too_long_for_one_query() {
    let fake = FakeAtlas::start();
    let now = OffsetDateTime::now_utc();
    add_typed(&fake, now - time::Duration::minutes(5));
    let client = client(&fake);
    let short = listed(&client, TypeSelection::all().name("ORG_CREATED")).await;
    assert_eq!(short, ["ORG_CREATED"]);
    assert!(fake.asked()[0].query.contains("eventType=ORG_CREATED"));

    let many: Vec<String> = (0..mongodb_atlas_events::MAX_TYPES_PER_QUERY)
        .map(|n| format!("UNUSED_{n}"))
        .chain(["USER_FROM_2030".to_owned()])
        .collect();
    let long = listed(&client, TypeSelection::all().names(many)).await;
    assert_eq!(long, ["USER_FROM_2030"]);
    assert!(!fake.asked()[1].query.contains("eventType"));

    // A follow stream applies the selection to every window.
    let followed: Vec<String> = client
        .list_org_events(ORG)
        .types(TypeSelection::all().prefix("JOINED_"))
        .min_date(now - time::Duration::minutes(10))
        .max_date(now)
        .follow()
        .map_ok(|e| event_id(&e))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(followed, [id(0), id(3)]);
}
