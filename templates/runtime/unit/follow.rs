//! Tests of following one scope (`Follow` and the reader behind it) against
//! the fake Atlas, in tokio's paused time: hours of polling take
//! milliseconds, and every wait is exact.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use time::OffsetDateTime;
use time::macros::datetime;

use crate::runtime::paging::{PageParts, Paged, PagerParts, Paging};
use crate::runtime::test_util::{FakeAtlas, Request, event_json, object_id};
use crate::runtime::{Checkpoint, Client, Error, Follow, RequestSpec};

pub(crate) const ORG_SCOPE: &str = "orgs/5e8d7c6b5a4f3e2d1c0b9a87";
const ACCEPT: &str = "application/vnd.atlas.2023-01-01+json";
/// The fake's clock at the start of every test.
pub(crate) const NOW: OffsetDateTime = datetime!(2026-12-01 12:00:00 UTC);

/// A page of events as the test reads them: each event as JSON.
#[derive(serde::Deserialize)]
pub(crate) struct EventPage {
    #[serde(default)]
    results: Option<Vec<serde_json::Value>>,
    #[serde(rename = "totalCount")]
    total_count: Option<u64>,
    #[serde(default)]
    links: Vec<serde_json::Value>,
}

impl Paged for EventPage {
    type Item = serde_json::Value;

    fn into_page(self) -> PageParts<serde_json::Value> {
        PageParts {
            unreadable: self.results.is_none().then(|| "no results".to_owned()),
            items: self.results.unwrap_or_default(),
            total_count: self.total_count,
            has_next_link: self.links.iter().any(|l| l["rel"] == "next"),
        }
    }

    fn key(item: &serde_json::Value) -> Option<&str> {
        item["id"].as_str()
    }

    fn type_name(item: &serde_json::Value) -> Option<&str> {
        item["eventTypeName"].as_str()
    }

    fn created(item: &serde_json::Value) -> Option<OffsetDateTime> {
        let text = item["created"].as_str()?;
        OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
    }
}

/// What generated code hands a follow: the pager of one window of `scope`'s events, 500 a
/// page.
pub(crate) fn window_pager(
    client: &Client,
    scope: &str,
) -> impl Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error> + Send + Sync + 'static {
    let client = client.clone();
    let path = format!("/api/atlas/v2/{scope}/events");
    let operation = if scope.starts_with("orgs/") {
        "listOrgEvents"
    } else {
        "listGroupEvents"
    };
    move |min, max| {
        let path = path.clone();
        let query = vec![
            ("minDate", crate::runtime::validate::format_datetime(&min)),
            ("maxDate", crate::runtime::validate::format_datetime(&max)),
            ("itemsPerPage", "500".to_owned()),
        ];
        Ok(PagerParts {
            client: client.clone(),
            request_for_page: Arc::new(move |page| {
                let mut query = query.clone();
                query.push(("pageNum", page.to_string()));
                RequestSpec {
                    operation_id: operation,
                    path: path.clone(),
                    query,
                    accept: ACCEPT,
                    envelope: false,
                }
            }),
            paging: Paging {
                items_per_page: 500,
                first_page: 1,
                prefetch: false,
                pin_max_date: None,
            },
            keep: None,
        })
    }
}

/// A follow of `scope`'s events from `start`, to `end` if given.
pub(crate) fn follow(
    atlas: &FakeAtlas,
    scope: &str,
    start: OffsetDateTime,
    end: Option<OffsetDateTime>,
) -> Follow<EventPage> {
    let client = atlas.client();
    Follow::new(
        client.clone(),
        window_pager(&client, scope),
        Some(start),
        end,
    )
}

pub(crate) fn id_of(event: &serde_json::Value) -> String {
    event["id"]
        .as_str()
        .expect("fake events have ids")
        .to_owned()
}

pub(crate) fn created_of(event: &serde_json::Value) -> OffsetDateTime {
    EventPage::created(event).expect("fake events have a time")
}

/// Adds `times.len()` events to `scope`, the `n`th at `times[n]` with id `first + n`;
/// returns their ids.
pub(crate) fn add_events(
    atlas: &FakeAtlas,
    scope: &str,
    first: u64,
    times: &[OffsetDateTime],
) -> Vec<String> {
    times
        .iter()
        .enumerate()
        .map(|(n, &created)| {
            let id = object_id(first + n as u64);
            atlas.add(scope, &event_json(&id, created, "GROUP_CREATED", ""));
            id
        })
        .collect()
}

/// The ids in the order a follow must yield them: by time, and of one second in the order
/// they were added.
pub(crate) fn expected_order(times: &[OffsetDateTime], ids: &[String]) -> Vec<String> {
    let mut pairs: Vec<(OffsetDateTime, &String)> = times.iter().copied().zip(ids).collect();
    pairs.sort_by_key(|(created, _)| *created);
    pairs.into_iter().map(|(_, id)| id.clone()).collect()
}

/// Requests that listed `scope`'s events.
pub(crate) fn event_requests(atlas: &FakeAtlas, scope: &str) -> Vec<Request> {
    atlas
        .requests()
        .into_iter()
        .filter(|r| r.lists_events_of(scope))
        .collect()
}

/// A deterministic pseudo-random sequence (so that tests need no `rand`).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

/// `count` times over `span` before `end`, clustered: most in a few busy days.
pub(crate) fn clustered_times(
    seed: u64,
    count: usize,
    end: OffsetDateTime,
    span: Duration,
) -> Vec<OffsetDateTime> {
    let mut lcg = Lcg(seed);
    let span = span.as_secs();
    let busy: Vec<u64> = (0..6).map(|_| lcg.below(span)).collect();
    (0..count)
        .map(|_| {
            let back = if lcg.below(4) == 0 {
                lcg.below(span)
            } else {
                let day = busy[lcg.below(busy.len() as u64) as usize];
                day.saturating_sub(lcg.below(86_400))
            };
            end - time::Duration::seconds(back as i64 + 1)
        })
        .collect()
}

/// The ids `follow` yields up to its first error, added to `got`; the error.
async fn until_error(follow: &mut Follow<EventPage>, got: &mut Vec<String>) -> Error {
    loop {
        match follow.next().await.expect("no end before the error") {
            Ok(event) => got.push(id_of(&event)),
            Err(error) => return error,
        }
    }
}

/// `got` and the ids `follow` yields to its end, which must come without an error.
async fn rest_without_errors(follow: Follow<EventPage>, mut got: Vec<String>) -> Vec<String> {
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert!(errors.is_empty(), "{errors:?}");
    got.extend(events.iter().map(id_of));
    got
}

/// Runs a follow until it ends (or `limit` items), returning the events and each error.
async fn drain(
    mut follow: Follow<EventPage>,
    limit: usize,
) -> (Vec<serde_json::Value>, Vec<Error>, Follow<EventPage>) {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    while events.len() < limit {
        match follow.next().await {
            Some(Ok(event)) => events.push(event),
            Some(Err(error)) => errors.push(error),
            None => break,
        }
    }
    (events, errors, follow)
}

const MONTH: Duration = Duration::from_secs(30 * 86_400);

/// Catching up on 16 months of an organization's history costs what paging its events costs:
/// with an honest `totalCount`, its pages of 500 and two more (the old one-hour windows took
/// about 11,700 requests for this history), and no waiting.
#[tokio::test(start_paused = true)]
async fn a_catch_up_of_16_months_costs_what_its_pages_cost() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times = clustered_times(7, 9_364, NOW, 16 * MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let start = NOW - time::Duration::days(16 * 30 + 1);
    let follow = follow(&atlas, ORG_SCOPE, start, Some(NOW));
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<String> = events.iter().map(id_of).collect();
    assert_eq!(got, expected_order(&times, &ids));
    let pages = ids.len().div_ceil(500);
    let requests = event_requests(&atlas, ORG_SCOPE).len();
    assert!(
        requests <= pages + 2,
        "{requests} requests for {pages} pages"
    );
    assert_eq!(atlas.now(), NOW, "a catch-up does not wait");
}

/// An empty scope costs one request to catch up on, however long the history: one page from
/// the checkpoint to now that is not full is the whole window.
#[tokio::test(start_paused = true)]
async fn catching_up_on_an_empty_scope_takes_one_request() {
    let atlas = FakeAtlas::starting_at(NOW);
    let start = NOW - time::Duration::days(2 * 365);
    let (events, errors, _) = drain(follow(&atlas, ORG_SCOPE, start, Some(NOW)), 10).await;
    assert!(events.is_empty() && errors.is_empty());
    assert_eq!(event_requests(&atlas, ORG_SCOPE).len(), 1);
}

/// 20,000 events inside one hour of one project, 700 of them inside one second: every one
/// once, in order, in a bounded number of requests, with at most a page of events held.
#[tokio::test(start_paused = true)]
async fn a_burst_of_20000_events_in_one_hour_is_read_a_page_at_a_time() {
    let atlas = FakeAtlas::starting_at(NOW);
    let scope = "groups/6f1a2b3c4d5e6f708192a3b4";
    let hour = NOW - time::Duration::days(3);
    let mut lcg = Lcg(11);
    let mut times: Vec<OffsetDateTime> = (0..19_300)
        .map(|_| hour + time::Duration::seconds(lcg.below(3_600) as i64))
        .collect();
    times.extend(std::iter::repeat_n(
        hour + time::Duration::seconds(1_800),
        700,
    ));
    let ids = add_events(&atlas, scope, 1, &times);
    let mut follow = follow(&atlas, scope, NOW - time::Duration::days(30), Some(NOW));
    let mut got = Vec::new();
    let mut most_buffered = 0;
    while let Some(event) = follow.next().await {
        got.push(id_of(&event.expect("no error")));
        most_buffered = most_buffered.max(follow.buffered_events());
    }
    assert_eq!(got, expected_order(&times, &ids));
    assert!(most_buffered < 500, "{most_buffered} events held");
    let pages = ids.len().div_ceil(500);
    let requests = event_requests(&atlas, scope).len();
    assert!(
        requests <= 2 * pages + 3,
        "{requests} requests for {pages} pages"
    );
}

/// A `totalCount` that lies costs a few more requests (the last page is searched for), never
/// an event.
#[tokio::test(start_paused = true)]
async fn a_lying_total_count_costs_requests_not_events() {
    for off_by in [-1_700, -1, 1, 2_600] {
        let atlas = FakeAtlas::starting_at(NOW);
        atlas.total_count_off_by(off_by);
        let times = clustered_times(3, 2_345, NOW, MONTH);
        let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
        let follow = follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW));
        let (events, errors, _) = drain(follow, usize::MAX).await;
        assert!(errors.is_empty(), "{off_by}: {errors:?}");
        let got: Vec<String> = events.iter().map(id_of).collect();
        assert_eq!(got, expected_order(&times, &ids), "off by {off_by}");
        let pages = ids.len().div_ceil(500);
        let requests = event_requests(&atlas, ORG_SCOPE).len();
        assert!(
            requests <= 2 * pages + 3,
            "off by {off_by}: {requests} requests"
        );
    }
}

/// Stopped after any number of events, saved and restarted, a follow yields every event
/// exactly once: inside the backwards read of history, inside a second of more than a page
/// of events, at the live edge while events keep coming.
#[tokio::test(start_paused = true)]
async fn restarts_from_a_saved_checkpoint_yield_every_event_exactly_once() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut times = clustered_times(5, 1_900, NOW, MONTH);
    times.extend(std::iter::repeat_n(NOW - time::Duration::days(2), 620));
    let mut ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    // Events to come during the follow, one every 20 seconds for an hour.
    let coming: Vec<OffsetDateTime> = (1..=180)
        .map(|n| NOW + time::Duration::seconds(20 * n))
        .collect();
    ids.extend(add_events(&atlas, ORG_SCOPE, 10_000, &coming));
    times.extend(&coming);
    let end = NOW + time::Duration::hours(1);
    let mut checkpoint = Checkpoint::starting_at(NOW - 2 * MONTH);
    let mut got = Vec::new();
    for stop_after in [1, 499, 500, 501, 7, 650, 3, 1_000].into_iter().cycle() {
        let resumed = follow(&atlas, ORG_SCOPE, NOW, Some(end))
            .poll_interval(Duration::from_secs(30))
            .from_checkpoint(
                serde_json::from_str(&serde_json::to_string(&checkpoint).unwrap()).unwrap(),
            );
        let (events, errors, stopped) = drain(resumed, stop_after).await;
        assert!(errors.is_empty(), "{errors:?}");
        got.extend(events.iter().map(id_of));
        checkpoint = stopped.checkpoint().clone();
        if events.len() < stop_after {
            break;
        }
    }
    assert_eq!(got, expected_order(&times, &ids));
}

/// A quiet scope costs one request a poll, and its checkpoint stays small.
#[tokio::test(start_paused = true)]
async fn a_quiet_scope_costs_one_request_a_poll() {
    let atlas = FakeAtlas::starting_at(NOW);
    let end = NOW + time::Duration::hours(1);
    let quiet = follow(&atlas, ORG_SCOPE, NOW, Some(end)).poll_interval(Duration::from_secs(30));
    let (events, errors, quiet) = drain(quiet, usize::MAX).await;
    assert!(events.is_empty() && errors.is_empty());
    let requests = event_requests(&atlas, ORG_SCOPE);
    // One poll at the start and one every 30 s: 121.
    assert_eq!(requests.len(), 121);
    assert!(
        requests
            .iter()
            .all(|r| r.param("pageNum").as_deref() == Some("1"))
    );
    assert_eq!(quiet.checkpoint().recent_len(), 0);
}

/// A quiet interval makes a quiet scope poll less often, and the first event brings the
/// interval back.
#[tokio::test(start_paused = true)]
async fn the_quiet_interval_spaces_polls_that_find_nothing() {
    let atlas = FakeAtlas::starting_at(NOW);
    let end = NOW + time::Duration::hours(1);
    let at = NOW + time::Duration::minutes(40);
    add_events(&atlas, ORG_SCOPE, 1, &[at]);
    let follow = follow(&atlas, ORG_SCOPE, NOW, Some(end))
        .poll_interval(Duration::from_secs(30))
        .quiet_interval(Duration::from_secs(300));
    let mut follow = follow;
    let first = follow.next().await.unwrap().unwrap();
    // Seen at most one quiet interval after it was created.
    let seen = atlas.now();
    assert_eq!(id_of(&first), object_id(1));
    assert!(seen - at <= time::Duration::seconds(300), "seen {seen}");
    let (_, _, _) = drain(follow, usize::MAX).await;
    let requests = event_requests(&atlas, ORG_SCOPE).len();
    // Polls at 0, 30, 90, 210, 450 s and then every 300 s: about 15 in an hour, not 121.
    assert!(requests <= 20, "{requests} requests");
}

/// Events outside the window asked for are dropped: behind a proxy that drops the query
/// string, old events are not replayed.
#[tokio::test(start_paused = true)]
async fn events_outside_the_asked_window_are_dropped() {
    let atlas = FakeAtlas::starting_at(NOW);
    let before = add_events(&atlas, ORG_SCOPE, 1, &[NOW - time::Duration::days(9)]);
    let after = add_events(&atlas, ORG_SCOPE, 2, &[NOW + time::Duration::minutes(3)]);
    atlas.ignore_query(true);
    let end = NOW + time::Duration::minutes(10);
    let (events, errors, _) = drain(follow(&atlas, ORG_SCOPE, NOW, Some(end)), 10).await;
    assert!(errors.is_empty(), "{errors:?}");
    let got: Vec<String> = events.iter().map(id_of).collect();
    assert_eq!(got, after);
    assert!(!got.contains(&before[0]));
}

/// A bounded follow reads up to its end and stops there: events after the end are not
/// yielded, and the stream ends without waiting for them.
#[tokio::test(start_paused = true)]
async fn a_bounded_follow_ends_at_its_end() {
    let atlas = FakeAtlas::starting_at(NOW);
    let end = NOW - time::Duration::hours(1);
    let inside = add_events(
        &atlas,
        ORG_SCOPE,
        1,
        &[end - time::Duration::minutes(1), end],
    );
    add_events(
        &atlas,
        ORG_SCOPE,
        3,
        &[end + time::Duration::seconds(1), NOW],
    );
    let start = NOW - time::Duration::days(1);
    let (events, errors, stopped) = drain(follow(&atlas, ORG_SCOPE, start, Some(end)), 10).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events.iter().map(id_of).collect::<Vec<_>>(), inside);
    assert_eq!(stopped.checkpoint().until(), end);
    // Ended at once: no poll waited for.
    assert_eq!(atlas.now(), NOW);

    // An end in the future: live polls until it has passed, then the end.
    let atlas = FakeAtlas::starting_at(NOW);
    let end = NOW + time::Duration::minutes(5);
    let inside = add_events(
        &atlas,
        ORG_SCOPE,
        1,
        &[NOW + time::Duration::minutes(2), end],
    );
    add_events(&atlas, ORG_SCOPE, 3, &[end + time::Duration::seconds(1)]);
    let (events, _, stopped) = drain(follow(&atlas, ORG_SCOPE, NOW, Some(end)), 10).await;
    assert_eq!(events.iter().map(id_of).collect::<Vec<_>>(), inside);
    assert_eq!(stopped.checkpoint().until(), end);
    assert!(atlas.now() < end + time::Duration::seconds(31));
}

/// `RateLimit-Remaining: 0` with `Retry-After` makes the next request wait that long, so that
/// the scope's bucket never runs dry; a remaining budget does not.
#[tokio::test(start_paused = true)]
async fn an_exhausted_rate_limit_waits_for_retry_after() {
    let atlas = FakeAtlas::starting_at(NOW);
    // Two requests in the bucket, one more every minute.
    atlas.rate_limit(2, Duration::from_secs(60));
    let times = clustered_times(9, 1_600, NOW, MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let (events, errors, _) = drain(
        follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW)),
        usize::MAX,
    )
    .await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events.len(), ids.len());
    let requests = event_requests(&atlas, ORG_SCOPE);
    assert!(requests.iter().all(|r| r.status == 200), "{requests:#?}");
    // Two at once, then one a minute.
    let spans: Vec<i64> = requests
        .windows(2)
        .map(|w| (w[1].at - w[0].at).whole_seconds())
        .collect();
    assert_eq!(spans[0], 0, "{spans:?}");
    assert!(spans[1..].iter().all(|&s| s >= 60), "{spans:?}");

    // Plenty left: no waiting.
    let atlas = FakeAtlas::starting_at(NOW);
    atlas.rate_limit(100, Duration::from_secs(60));
    add_events(&atlas, ORG_SCOPE, 1, &times);
    drain(
        follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW)),
        usize::MAX,
    )
    .await;
    assert_eq!(atlas.now(), NOW);
}

/// A failed request is yielded and the window read again from the checkpoint after the poll
/// interval, or the error's `Retry-After` when longer; no event is lost or repeated.
#[tokio::test(start_paused = true)]
async fn a_failed_poll_is_retried_from_the_checkpoint() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times = clustered_times(21, 1_200, NOW, MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let client = atlas.client_with(crate::runtime::RetryPolicy::disabled());
    // Fails the second request (the reader is probing for the last page).
    atlas.fail_after_next_page(
        429,
        &[("Retry-After", "600")],
        r#"{"error":429,"errorCode":"RATE_LIMITED_TOKEN_BUCKET"}"#,
    );
    let follow: Follow<EventPage> = Follow::new(
        client.clone(),
        window_pager(&client, ORG_SCOPE),
        Some(NOW - 2 * MONTH),
        Some(NOW),
    );
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].status(), Some(429));
    assert_eq!(
        events.iter().map(id_of).collect::<Vec<_>>(),
        expected_order(&times, &ids)
    );
    assert!(atlas.now() >= NOW + time::Duration::seconds(600));
}

/// Behind a proxy that drops the query string (`pageNum`, `itemsPerPage`, the window), the
/// end of a window cannot be told: the follow says so instead of yielding a short page as
/// if it were the whole window.
#[tokio::test(start_paused = true)]
async fn a_proxy_dropping_the_query_is_an_error_not_lost_events() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times: Vec<OffsetDateTime> = (0..1_200)
        .map(|n| NOW - time::Duration::minutes(10 + n))
        .collect();
    add_events(&atlas, ORG_SCOPE, 1, &times);
    atlas.ignore_query(true);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW - time::Duration::days(2), Some(NOW));
    let first = follow.next().await.expect("an item");
    let error = first.expect_err("an error first");
    assert!(error.to_string().contains("query string"), "{error}");
}

/// Events that become visible late, within the overlap, are still yielded once.
#[tokio::test(start_paused = true)]
async fn events_visible_late_within_the_overlap_are_yielded_once() {
    let atlas = FakeAtlas::starting_at(NOW);
    atlas.visibility_delay(Duration::from_secs(90));
    let times: Vec<OffsetDateTime> = (1..=60)
        .map(|n| NOW + time::Duration::seconds(17 * n))
        .collect();
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let end = NOW + time::Duration::minutes(20);
    let follow = follow(&atlas, ORG_SCOPE, NOW, Some(end)).poll_interval(Duration::from_secs(30));
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert!(errors.is_empty());
    let mut got: Vec<String> = events.iter().map(id_of).collect();
    got.sort();
    assert_eq!(got, ids);
}

/// A checkpoint of the previous version (no `from`) still loads, and goes on from `until`
/// less the overlap.
#[tokio::test(start_paused = true)]
async fn a_checkpoint_without_from_goes_on_from_until_less_the_overlap() {
    let atlas = FakeAtlas::starting_at(NOW);
    let until = NOW - time::Duration::minutes(1);
    let ids = add_events(
        &atlas,
        ORG_SCOPE,
        1,
        &[
            until - time::Duration::minutes(3),
            until - time::Duration::seconds(30),
            NOW,
        ],
    );
    let old = format!(
        r#"{{"until":"{}","recent":[{{"id":"{}","created":"{}"}}]}}"#,
        crate::runtime::validate::format_datetime(&until),
        ids[1],
        crate::runtime::validate::format_datetime(&(until - time::Duration::seconds(30))),
    );
    let checkpoint: Checkpoint = serde_json::from_str(&old).unwrap();
    let end = NOW + time::Duration::minutes(1);
    let follow = follow(&atlas, ORG_SCOPE, NOW, Some(end)).from_checkpoint(checkpoint);
    let (events, _, _) = drain(follow, 10).await;
    assert_eq!(
        events.iter().map(id_of).collect::<Vec<_>>(),
        vec![ids[2].clone()]
    );
}

/// Events of one second are yielded in the reverse of the order Atlas listed them (Atlas
/// lists the later added first), and created times never go backwards.
#[tokio::test(start_paused = true)]
async fn events_come_oldest_first() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times = clustered_times(99, 3_000, NOW, 3 * MONTH);
    add_events(&atlas, ORG_SCOPE, 1, &times);
    let (events, _, _) = drain(
        follow(&atlas, ORG_SCOPE, NOW - 4 * MONTH, Some(NOW)),
        usize::MAX,
    )
    .await;
    let created: Vec<OffsetDateTime> = events.iter().map(created_of).collect();
    assert!(created.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(events.len(), 3_000);
}

/// `buffered_events()` counts the events of the batch still to come without another request (0 at
/// its end: the moment to save the checkpoint), and the checkpoint lists every event yielded
/// inside the overlap, which a restart must not yield again.
#[tokio::test(start_paused = true)]
async fn buffered_counts_down_the_batch_and_the_checkpoint_lists_its_events() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times: Vec<OffsetDateTime> = [61, 70, 80]
        .iter()
        .map(|&s| NOW + time::Duration::seconds(s))
        .collect();
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let end = NOW + time::Duration::minutes(10);
    let mut follow =
        follow(&atlas, ORG_SCOPE, NOW, Some(end)).poll_interval(Duration::from_secs(30));
    let mut buffered = Vec::new();
    let mut recent = Vec::new();
    let mut requests = Vec::new();
    for id in &ids {
        let event = follow.next().await.unwrap().unwrap();
        assert_eq!(id_of(&event), *id);
        buffered.push(follow.buffered_events());
        recent.push(follow.checkpoint().recent_len());
        requests.push(event_requests(&atlas, ORG_SCOPE).len());
    }
    assert_eq!(buffered, [2, 1, 0]);
    assert_eq!(recent, [1, 2, 3]);
    // The three came in one answer.
    assert!(requests.iter().all(|&r| r == requests[0]), "{requests:?}");
}

/// A live edge busier than a page a poll (8 events a second) is read forwards: each poll
/// costs one request per page of its window (the last 150 seconds: 1,200 events, 3 pages),
/// not a search for the last page; every event comes once, at the first poll after it.
#[tokio::test(start_paused = true)]
async fn a_busy_live_edge_costs_a_request_a_page() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times: Vec<OffsetDateTime> = (1..=600)
        .flat_map(|s| std::iter::repeat_n(NOW + time::Duration::seconds(s), 8))
        .collect();
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let end = NOW + time::Duration::minutes(10);
    let mut follow =
        follow(&atlas, ORG_SCOPE, NOW, Some(end)).poll_interval(Duration::from_secs(30));
    let mut got = Vec::new();
    let mut latest = time::Duration::ZERO;
    while let Some(event) = follow.next().await {
        let event = event.expect("no error");
        latest = latest.max(atlas.now() - created_of(&event));
        got.push(id_of(&event));
    }
    assert_eq!(got, expected_order(&times, &ids));
    // Each event at the first poll after its creation.
    assert!(
        latest <= time::Duration::seconds(30),
        "an event came {latest} late"
    );
    // 21 polls (one every 30 s from 0 to 600 s), none over 3 pages.
    let requests = event_requests(&atlas, ORG_SCOPE).len();
    assert!(requests <= 21 * 3, "{requests} requests");
}

/// Once caught up, an unbounded follow of an empty scope costs one request a poll interval,
/// from its first request on.
#[tokio::test(start_paused = true)]
async fn an_unbounded_follow_of_an_empty_scope_polls_once_an_interval() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW - time::Duration::days(30), None)
        .poll_interval(Duration::from_secs(30));
    let waited = tokio::time::timeout(Duration::from_secs(100), follow.next()).await;
    assert!(waited.is_err(), "no event, no end");
    let at: Vec<i64> = event_requests(&atlas, ORG_SCOPE)
        .iter()
        .map(|r| (r.at - NOW).whole_seconds())
        .collect();
    assert_eq!(at, [0, 30, 60, 90]);
}

/// A type selection applied on this side (generated code hands the follow a `keep` when the
/// server cannot filter) yields only the kept types, and every event without a type name.
#[tokio::test(start_paused = true)]
async fn a_type_selection_on_this_side_yields_only_kept_types() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut kept = Vec::new();
    for n in 0..30_u64 {
        let id = object_id(n + 1);
        let at = NOW - time::Duration::minutes(30 - n as i64);
        let type_name = ["GROUP_CREATED", "CLUSTER_CREATED", ""][n as usize % 3];
        let text = if type_name.is_empty() {
            format!(
                r#"{{"created":"{}","id":"{id}"}}"#,
                crate::runtime::validate::format_datetime(&at)
            )
        } else {
            event_json(&id, at, type_name, "")
        };
        atlas.add(ORG_SCOPE, &text);
        if type_name != "CLUSTER_CREATED" {
            kept.push(id);
        }
    }
    let client = atlas.client();
    let pager = window_pager(&client, ORG_SCOPE);
    let follow: Follow<EventPage> = Follow::new(
        client.clone(),
        move |min, max| {
            let mut parts = pager(min, max)?;
            parts.keep = Some(Arc::new(|name: &str| name == "GROUP_CREATED"));
            Ok(parts)
        },
        Some(NOW - time::Duration::hours(1)),
        Some(NOW),
    );
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(events.iter().map(id_of).collect::<Vec<_>>(), kept);
}

/// A server or proxy that starts ignoring `pageNum` while settled history is read backwards
/// answers page 1 for every page: the follow says so instead of yielding the newest page in
/// the place of an older one (whose events would be lost), and once `pageNum` is honoured
/// again it yields every event once.
#[tokio::test(start_paused = true)]
async fn a_page_answered_as_page_1_while_reading_back_is_an_error() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times = clustered_times(13, 1_200, NOW, MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW));
    // The oldest page (the third) is read first; then `pageNum` is ignored.
    let mut got = vec![id_of(&follow.next().await.unwrap().unwrap())];
    atlas.ignore_page_num(true);
    let error = until_error(&mut follow, &mut got).await;
    assert!(error.to_string().contains("same as page 1"), "{error}");
    assert_eq!(got.len(), 200);
    atlas.ignore_page_num(false);
    assert_eq!(
        rest_without_errors(follow, got).await,
        expected_order(&times, &ids)
    );
}

/// A live edge too busy to hold (more than four pages a window: 60 events a second, with an
/// overlap shorter than the poll interval) is read once it has settled, a window at a time:
/// each event comes once and within a minute of its creation (not once the follow is far
/// enough behind to read it as history).
#[tokio::test(start_paused = true)]
async fn a_live_edge_too_busy_to_hold_is_read_as_it_settles() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times: Vec<OffsetDateTime> = (1..=180)
        .flat_map(|s| std::iter::repeat_n(NOW + time::Duration::seconds(s), 60))
        .collect();
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let end = NOW + time::Duration::minutes(3);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW, Some(end))
        .poll_interval(Duration::from_secs(30))
        .overlap(Duration::from_secs(10));
    let mut got = Vec::new();
    let mut latest = time::Duration::ZERO;
    while let Some(event) = follow.next().await {
        let event = event.expect("no error");
        latest = latest.max(atlas.now() - created_of(&event));
        got.push(id_of(&event));
    }
    assert_eq!(got, expected_order(&times, &ids));
    assert!(
        latest <= time::Duration::minutes(1),
        "an event came {latest} late"
    );
}

/// After a catch-up of more than a page, the live edge is still read with its overlap: an
/// event created just before the catch-up that becomes visible late is yielded once.
#[tokio::test(start_paused = true)]
async fn an_event_visible_late_after_a_long_catch_up_is_yielded() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut times = clustered_times(17, 1_300, NOW - time::Duration::hours(1), MONTH);
    let mut ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    atlas.visibility_delay(Duration::from_secs(90));
    let late = NOW - time::Duration::seconds(30);
    ids.extend(add_events(&atlas, ORG_SCOPE, 5_000, &[late]));
    times.push(late);
    let end = NOW + time::Duration::minutes(5);
    let (events, errors, _) = drain(
        follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(end)),
        usize::MAX,
    )
    .await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        events.iter().map(id_of).collect::<Vec<_>>(),
        expected_order(&times, &ids)
    );
}

/// A page before the last that comes back short while settled history is read backwards (the
/// list changed, or a server cut it) is an error, not a page yielded as if whole: the window
/// is read again and every event comes once.
#[tokio::test(start_paused = true)]
async fn a_short_page_before_the_last_while_reading_back_is_an_error() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times = clustered_times(19, 1_200, NOW, MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW));
    // The oldest page (the third) is read first; page 2 then comes back empty.
    let mut got = vec![id_of(&follow.next().await.unwrap().unwrap())];
    atlas.fail_next(200, &[], r#"{"links":[],"results":[],"totalCount":1200}"#);
    let error = until_error(&mut follow, &mut got).await;
    assert!(error.to_string().contains("not full"), "{error}");
    assert_eq!(
        rest_without_errors(follow, got).await,
        expected_order(&times, &ids)
    );
}

/// A poll that finds events brings the wait back to the poll interval: after a quiet spell
/// (polls spaced up to the quiet interval), events a minute apart are each seen within
/// 90 seconds of their creation.
#[tokio::test(start_paused = true)]
async fn finding_events_brings_polls_back_to_the_interval() {
    let atlas = FakeAtlas::starting_at(NOW);
    let times: Vec<OffsetDateTime> = (0..10)
        .map(|n| NOW + time::Duration::minutes(40 + n))
        .collect();
    add_events(&atlas, ORG_SCOPE, 1, &times);
    let end = NOW + time::Duration::minutes(55);
    let mut follow = follow(&atlas, ORG_SCOPE, NOW, Some(end))
        .poll_interval(Duration::from_secs(30))
        .quiet_interval(Duration::from_secs(300));
    let mut late = Vec::new();
    while let Some(event) = follow.next().await {
        late.push((atlas.now() - created_of(&event.expect("no error"))).whole_seconds());
    }
    assert_eq!(late.len(), 10);
    assert!(late[1..].iter().all(|&s| s <= 90), "{late:?}");
}

/// A `totalCount` a page low (an estimate) costs one request more than an honest one: once
/// the page it points at is full, the next one is tried, not twice as far.
#[tokio::test(start_paused = true)]
async fn a_total_count_a_page_low_costs_one_more_request() {
    let atlas = FakeAtlas::starting_at(NOW);
    atlas.total_count_off_by(-300);
    let times = clustered_times(23, 1_200, NOW, MONTH);
    let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
    let follow = follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW));
    let (events, errors, _) = drain(follow, usize::MAX).await;
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        events.iter().map(id_of).collect::<Vec<_>>(),
        expected_order(&times, &ids)
    );
    // Three pages: with an honest count 3 + 2 requests; a page low, one more.
    assert_eq!(event_requests(&atlas, ORG_SCOPE).len(), 3 + 3);
}

/// History of exactly one or two full pages costs one request to find that the page after
/// the last full one is empty, and no page is asked for twice: the last full page probed (or
/// page 1, when it is the last) is yielded as it came.
#[tokio::test(start_paused = true)]
async fn history_of_whole_pages_reads_each_page_once() {
    for (pages, asked) in [
        (1, ["1", "1", "2", "1"].as_slice()),
        (2, &["1", "1", "2", "3", "1"]),
    ] {
        let atlas = FakeAtlas::starting_at(NOW);
        let times = clustered_times(29, 500 * pages, NOW - time::Duration::hours(1), MONTH);
        let ids = add_events(&atlas, ORG_SCOPE, 1, &times);
        let follow = follow(&atlas, ORG_SCOPE, NOW - 2 * MONTH, Some(NOW));
        let (events, errors, _) = drain(follow, usize::MAX).await;
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            events.iter().map(id_of).collect::<Vec<_>>(),
            expected_order(&times, &ids)
        );
        // Page 1 of the whole span and of its settled part, with two pages page 2 (the guess)
        // and 3 (empty; with one page, 2 is), then the live edge's page 1.
        let got: Vec<String> = event_requests(&atlas, ORG_SCOPE)
            .iter()
            .map(|r| r.param("pageNum").unwrap_or_default())
            .collect();
        assert_eq!(got, asked, "{pages} pages");
    }
}
