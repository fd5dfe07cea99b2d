//! Tests of following an organization and its projects against the fake
//! Atlas, in tokio's paused time.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt as _;
use time::OffsetDateTime;

use super::follow::{
    EventPage, NOW, ORG_SCOPE, add_events, clustered_times, event_requests, expected_order, id_of,
    window_pager,
};
use crate::runtime::org_follow::{
    DropReason, Notice, OrgCheckpoint, OrgError, OrgFollow, OrgItem, ProjectInfo, Scope,
};
use crate::runtime::paging::{Paged, PagerParts, Paging};
use crate::runtime::test_util::{FakeAtlas, object_id};
use crate::runtime::{Checkpoint, Client, Error, RequestSpec, Shard, shard_of};

const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
const MONTH: Duration = Duration::from_secs(30 * 86_400);

type Org = OrgFollow<EventPage, EventPage>;
type Item = OrgItem<serde_json::Value, serde_json::Value>;

/// What generated code builds: an organization's follow over the fake.
fn org_follow(client: &Client) -> Org {
    let projects = {
        let client = client.clone();
        move |project: &str, min, max| window_pager(&client, &format!("groups/{project}"))(min, max)
    };
    let discover = {
        let client = client.clone();
        move || {
            let client = client.clone();
            let listing = async move {
                let parts = PagerParts {
                    client,
                    request_for_page: Arc::new(|page| RequestSpec {
                        operation_id: "getOrgGroups",
                        path: format!("/api/atlas/v2/orgs/{ORG}/groups"),
                        query: vec![
                            ("itemsPerPage", "500".to_owned()),
                            ("pageNum", page.to_string()),
                        ],
                        accept: "application/vnd.atlas.2023-01-01+json",
                        envelope: false,
                    }),
                    paging: Paging {
                        items_per_page: 500,
                        first_page: 1,
                        prefetch: false,
                        pin_max_date: None,
                    },
                    keep: None,
                };
                let mut items = parts.pages::<EventPage>().items();
                let mut listed = Vec::new();
                while let Some(project) = items.next().await {
                    let project = project?;
                    listed.push(ProjectInfo {
                        id: id_of(&project),
                        name: project["name"].as_str().map(str::to_owned),
                        created: EventPage::created(&project),
                    });
                }
                Ok::<_, Error>(listed)
            };
            Box::pin(listing) as _
        }
    };
    OrgFollow::new(
        client.clone(),
        ORG.to_owned(),
        window_pager(client, ORG_SCOPE),
        projects,
        discover,
    )
}

fn project_id(n: u64) -> String {
    format!("6f{n:022x}")
}

/// An organization of `count` projects created a year ago.
fn add_projects(atlas: &FakeAtlas, count: u64) -> Vec<String> {
    (1..=count)
        .map(|n| {
            let id = project_id(n);
            atlas.add_project(ORG, &id, &format!("project-{n}"), NOW - 12 * MONTH);
            id
        })
        .collect()
}

/// Each scope's expected events, oldest first.
#[derive(Default)]
struct Expected(BTreeMap<String, (Vec<OffsetDateTime>, Vec<String>)>);

impl Expected {
    fn add(&mut self, atlas: &FakeAtlas, scope: &str, first: u64, times: &[OffsetDateTime]) {
        let ids = add_events(atlas, scope, first, times);
        let entry = self.0.entry(scope.to_owned()).or_default();
        entry.0.extend(times);
        entry.1.extend(ids);
    }

    fn of(&self, scope: &str) -> Vec<String> {
        self.0
            .get(scope)
            .map(|(times, ids)| expected_order(times, ids))
            .unwrap_or_default()
    }
}

/// Compares what a scope yielded with what it must, without printing thousands of ids.
fn assert_same(scope: &str, got: &[String], expected: &[String]) {
    if got != expected {
        let first = got.iter().zip(expected).position(|(g, e)| g != e);
        panic!(
            "{scope}: {} events yielded, {} expected; first difference at {first:?}",
            got.len(),
            expected.len()
        );
    }
}

/// What a follow yielded: each scope's event ids in order, the notices, the errors.
#[derive(Default, Debug)]
struct Seen {
    events: BTreeMap<String, Vec<String>>,
    notices: Vec<Notice>,
    errors: Vec<String>,
}

impl Seen {
    fn take(&mut self, item: Item) {
        match item {
            OrgItem::Organization(event) => self
                .events
                .entry(ORG_SCOPE.to_owned())
                .or_default()
                .push(id_of(&event)),
            OrgItem::Project { project, event } => self
                .events
                .entry(format!("groups/{project}"))
                .or_default()
                .push(id_of(&event)),
            OrgItem::Notice(notice) => self.notices.push(notice),
        }
    }

    fn count(&self) -> usize {
        self.events.values().map(Vec::len).sum()
    }
}

/// Runs `follow` until it ends or `limit` events came.
async fn run(mut follow: Org, seen: &mut Seen, limit: usize) -> (Org, bool) {
    let mut events = 0;
    while events < limit {
        match follow.next().await {
            Some(Ok(item)) => {
                if !matches!(item, OrgItem::Notice(_)) {
                    events += 1;
                }
                seen.take(item);
            }
            Some(Err(error)) => seen.errors.push(error.to_string()),
            None => return (follow, true),
        }
    }
    (follow, false)
}

/// Stopped after any number of events and restarted from its saved checkpoint, an
/// organization's follow yields every event of every scope exactly once, each scope oldest
/// first, while events keep coming.
#[tokio::test(start_paused = true)]
async fn every_scope_yields_each_event_once_across_stops() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 24);
    let mut expected = Expected::default();
    expected.add(
        &atlas,
        ORG_SCOPE,
        1,
        &clustered_times(1, 700, NOW, 2 * MONTH),
    );
    for (n, project) in projects.iter().enumerate() {
        let scope = format!("groups/{project}");
        let count = [0, 3, 40, 520, 1_100][n % 5];
        let first = 100_000 * (n as u64 + 1);
        expected.add(
            &atlas,
            &scope,
            first,
            &clustered_times(n as u64, count, NOW, 2 * MONTH),
        );
        // Live events over the next hour.
        let coming: Vec<OffsetDateTime> = (1..=(n as i64 % 4) * 10)
            .map(|k| NOW + time::Duration::seconds(97 * k + n as i64))
            .collect();
        expected.add(&atlas, &scope, first + 50_000, &coming);
    }
    let end = NOW + time::Duration::hours(1);
    let client = atlas.client();
    let mut checkpoint: Option<OrgCheckpoint> = None;
    let mut seen = Seen::default();
    for stop_after in [1, 333, 2, 1_000, 499, 50, 2_000].into_iter().cycle() {
        let mut follow = org_follow(&client).since(NOW - 3 * MONTH).until(end);
        if let Some(saved) = &checkpoint {
            let text = serde_json::to_string(saved).unwrap();
            follow = follow.from_checkpoint(serde_json::from_str(&text).unwrap());
        }
        let (stopped, ended) = run(follow, &mut seen, stop_after).await;
        checkpoint = Some(stopped.checkpoint());
        if ended {
            break;
        }
    }
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    for scope in expected.0.keys() {
        assert_same(
            scope,
            &seen.events.get(scope).cloned().unwrap_or_default(),
            &expected.of(scope),
        );
    }
    // The checkpoint stays small: a few ids a scope.
    let text = serde_json::to_string(&checkpoint.unwrap()).unwrap();
    assert!(text.len() < 25 * 400, "{} bytes", text.len());
}

/// Catching up on 16 months costs each scope at most twice its pages of 500 plus three.
#[tokio::test(start_paused = true)]
async fn catch_up_costs_each_scope_what_its_pages_cost() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 12);
    let mut expected = Expected::default();
    expected.add(
        &atlas,
        ORG_SCOPE,
        1,
        &clustered_times(1, 1_234, NOW, 16 * MONTH),
    );
    for (n, project) in projects.iter().enumerate() {
        let count = [0, 1, 499, 500, 501, 3_000][n % 6];
        let times = clustered_times(n as u64 + 10, count, NOW, 16 * MONTH);
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            100_000 * (n as u64 + 1),
            &times,
        );
    }
    let follow = org_follow(&atlas.client())
        .since(NOW - 17 * MONTH)
        .until(NOW);
    let mut seen = Seen::default();
    let (_, ended) = run(follow, &mut seen, usize::MAX).await;
    assert!(ended && seen.errors.is_empty(), "{:?}", seen.errors);
    for (scope, (_, ids)) in &expected.0 {
        assert_eq!(
            seen.events.get(scope).map_or(0, Vec::len),
            ids.len(),
            "{scope}"
        );
        let pages = ids.len().div_ceil(500);
        let requests = event_requests(&atlas, scope).len();
        assert!(
            requests <= 2 * pages + 3,
            "{scope}: {requests} requests, {pages} pages"
        );
    }
    for project in &projects[12..] {
        assert!(event_requests(&atlas, &format!("groups/{project}")).len() <= 2);
    }
}

/// Projects found while following are read from their creation (less the overlap, not from
/// the follow's start); a project no longer listed is dropped with a notice; listed again, it
/// goes on from its checkpoint entry.
#[tokio::test(start_paused = true)]
async fn projects_appearing_and_disappearing_are_followed_and_dropped() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 4);
    let mut expected = Expected::default();
    for (n, project) in projects.iter().enumerate() {
        let times: Vec<OffsetDateTime> = (1..=60)
            .map(|k| NOW + time::Duration::minutes(k) + time::Duration::seconds(n as i64))
            .collect();
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            1_000 * (n as u64 + 1),
            &times,
        );
    }
    // A project created 20 minutes in, whose first event has its creation's time.
    let late = project_id(99);
    let created = NOW + time::Duration::minutes(20);
    let late_times: Vec<OffsetDateTime> = (0..30)
        .map(|k| created + time::Duration::minutes(k))
        .collect();
    expected.add(&atlas, &format!("groups/{late}"), 90_000, &late_times);
    let end = NOW + time::Duration::hours(1) + time::Duration::minutes(5);
    let mut follow = org_follow(&atlas.client())
        .since(NOW)
        .until(end)
        .discovery_interval(Duration::from_secs(300));
    let mut seen = Seen::default();
    let gone = projects[1].clone();
    let mut step = 0;
    while let Some(item) = follow.next().await {
        match item {
            Ok(item) => seen.take(item),
            Err(error) => seen.errors.push(error.to_string()),
        }
        let now = atlas.now();
        if step == 0 && now >= created {
            atlas.add_project(ORG, &late, "late", created);
            step = 1;
        }
        if step == 1 && now >= NOW + time::Duration::minutes(25) {
            atlas.remove_project(&gone);
            step = 2;
        }
        if step == 2 && now >= NOW + time::Duration::minutes(45) {
            atlas.restore_project(&gone);
            step = 3;
        }
    }
    assert_eq!(step, 3);
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    for scope in expected.0.keys() {
        assert_same(
            scope,
            &seen.events.get(scope).cloned().unwrap_or_default(),
            &expected.of(scope),
        );
    }
    assert!(seen.notices.contains(&Notice::Projects { followed: 4 }));
    // The first listing's projects are counted, not each found.
    assert!(!seen.notices.iter().any(|n| matches!(n,
        Notice::Found { project, resumed: false, .. } if projects.contains(project))));
    assert!(seen.notices.iter().any(|n| matches!(n,
        Notice::Found { project, resumed: false, from, .. } if *project == late && *from == created - crate::runtime::follow::DEFAULT_OVERLAP)));
    assert!(seen.notices.iter().any(|n| matches!(n,
        Notice::Dropped { project, reason: DropReason::NotListed | DropReason::Refused(404) } if *project == gone)));
    assert!(seen.notices.iter().any(|n| matches!(n,
        Notice::Found { project, resumed: true, .. } if *project == gone)));
}

/// A project whose events answer 403 is dropped with a notice while every other scope goes
/// on; once allowed again, it goes on from its checkpoint, each event once.
#[tokio::test(start_paused = true)]
async fn a_project_answering_403_never_stops_the_others() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 6);
    let mut expected = Expected::default();
    for (n, project) in projects.iter().enumerate() {
        let times = clustered_times(n as u64, 800, NOW, MONTH);
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            10_000 * (n as u64 + 1),
            &times,
        );
    }
    let refused = projects[2].clone();
    atlas.refuse_project(&refused, 403);
    let end = NOW + time::Duration::minutes(30);
    let mut follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(end)
        .discovery_interval(Duration::from_secs(600));
    // Allowed again after five minutes.
    let allow = {
        let (atlas, refused) = (atlas.clone(), refused.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(300)).await;
            atlas.allow_project(&refused);
        })
    };
    let mut seen = Seen::default();
    let mut order = Vec::new();
    while let Some(item) = follow.next().await {
        match item {
            Ok(item) => {
                if let OrgItem::Project { project, .. } = &item {
                    order.push(project.clone());
                }
                seen.take(item);
            }
            Err(error) => seen.errors.push(error.to_string()),
        }
    }
    allow.await.unwrap();
    // Every other project was read while it was refused.
    let first_refused = order.iter().position(|p| *p == refused);
    assert_eq!(first_refused, Some(5 * 800));
    assert!(seen.errors.is_empty(), "{:?}", seen.errors);
    for scope in expected.0.keys() {
        assert_same(
            scope,
            &seen.events.get(scope).cloned().unwrap_or_default(),
            &expected.of(scope),
        );
    }
    let dropped: Vec<&Notice> = seen
        .notices
        .iter()
        .filter(|n| matches!(n, Notice::Dropped { .. }))
        .collect();
    assert_eq!(
        dropped,
        [&Notice::Dropped {
            project: refused.clone(),
            reason: DropReason::Refused(403)
        }]
    );
    assert!(seen.notices.iter().any(|n| matches!(n,
        Notice::Found { project, resumed: true, .. } if *project == refused)));
}

/// A tight rate limit on one project slows that project only; the others finish first, and
/// no scope's bucket is asked again before `Retry-After`.
#[tokio::test(start_paused = true)]
async fn a_rate_limited_scope_slows_only_itself() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 8);
    let mut expected = Expected::default();
    for (n, project) in projects.iter().enumerate() {
        let times = clustered_times(n as u64, 2_600, NOW, 2 * MONTH);
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            10_000 * (n as u64 + 1),
            &times,
        );
    }
    // Every scope: 3 requests at once, then one every 20 seconds.
    atlas.rate_limit(3, Duration::from_secs(20));
    let follow = org_follow(&atlas.client())
        .since(NOW - 3 * MONTH)
        .until(NOW)
        .concurrency(4);
    let mut seen = Seen::default();
    let (follow, ended) = run(follow, &mut seen, usize::MAX).await;
    assert!(ended && seen.errors.is_empty(), "{:?}", seen.errors);
    for scope in expected.0.keys() {
        assert_same(
            scope,
            &seen.events.get(scope).cloned().unwrap_or_default(),
            &expected.of(scope),
        );
    }
    // Remaining: 0 made each scope wait for its next token: hardly any 429.
    let refused = atlas.requests().iter().filter(|r| r.status == 429).count();
    assert!(refused <= 8, "{refused} answers were 429");
    assert_eq!(follow.progress().rate_limited as usize, refused);
}

/// 429s of many scopes at once (a bucket they share, the user's) pause the whole follow and
/// lower its concurrency; every event still comes once.
#[tokio::test(start_paused = true)]
async fn a_shared_rate_limit_slows_the_whole_follow() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 20);
    let mut expected = Expected::default();
    for (n, project) in projects.iter().enumerate() {
        let times = clustered_times(n as u64, 1_200, NOW, MONTH);
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            10_000 * (n as u64 + 1),
            &times,
        );
    }
    atlas.latency(Duration::from_millis(200));
    // Ten requests, then one a second, for everything; no headers to warn.
    atlas.shared_rate_limit(10, Duration::from_secs(1));
    atlas.rate_limit_headers(false);
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW)
        .concurrency(8);
    let mut seen = Seen::default();
    let (follow, ended) = run(follow, &mut seen, usize::MAX).await;
    assert!(ended && seen.errors.is_empty(), "{:?}", seen.errors);
    for scope in expected.0.keys() {
        assert_eq!(seen.events.get(scope).map_or(0, Vec::len), 1_200, "{scope}");
    }
    let requests = atlas.requests();
    let refused = requests.iter().filter(|r| r.status == 429).count();
    let served = requests.len() - refused;
    assert!(follow.progress().rate_limited > 0);
    // Paced to the bucket, most requests are served.
    assert!(
        refused * 4 < served,
        "{refused} of {} refused",
        requests.len()
    );
}

/// At most `concurrency` requests are in flight, however many scopes there are.
#[tokio::test(start_paused = true)]
async fn requests_in_flight_are_bounded() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 30);
    for (n, project) in projects.iter().enumerate() {
        add_events(
            &atlas,
            &format!("groups/{project}"),
            1_000 * n as u64,
            &clustered_times(n as u64, 600, NOW, MONTH),
        );
    }
    atlas.latency(Duration::from_secs(1));
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW)
        .concurrency(3);
    let mut seen = Seen::default();
    run(follow, &mut seen, usize::MAX).await;
    assert_eq!(seen.count(), 30 * 600);
    assert_eq!(atlas.max_in_flight(), 3);
}

/// A quiet project costs at most one request a poll; with the quiet interval, far fewer.
#[tokio::test(start_paused = true)]
async fn quiet_projects_cost_at_most_one_request_a_poll() {
    for (quiet, most) in [
        (Duration::from_secs(30), 121),
        (Duration::from_secs(300), 20),
    ] {
        let atlas = FakeAtlas::starting_at(NOW);
        let projects = add_projects(&atlas, 10);
        let follow = org_follow(&atlas.client())
            .since(NOW)
            .until(NOW + time::Duration::hours(1))
            .poll_interval(Duration::from_secs(30))
            .quiet_interval(quiet);
        let mut seen = Seen::default();
        run(follow, &mut seen, usize::MAX).await;
        for project in &projects {
            let requests = event_requests(&atlas, &format!("groups/{project}")).len();
            assert!(
                requests <= most,
                "{project}: {requests} requests (quiet {quiet:?})"
            );
        }
    }
}

/// N shards follow every project exactly once between them, and the organization's own
/// events in the first; growing N moves only some projects.
#[tokio::test(start_paused = true)]
async fn shards_cover_every_project_once() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 60);
    let mut expected = Expected::default();
    expected.add(&atlas, ORG_SCOPE, 1, &clustered_times(1, 50, NOW, MONTH));
    for (n, project) in projects.iter().enumerate() {
        let times = clustered_times(n as u64, 20, NOW, MONTH);
        expected.add(
            &atlas,
            &format!("groups/{project}"),
            1_000 * (n as u64 + 1),
            &times,
        );
    }
    let mut seen = Seen::default();
    let mut followed_by: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for index in 0..3 {
        let follow = org_follow(&atlas.client())
            .since(NOW - 2 * MONTH)
            .until(NOW)
            .shard(Shard::new(index, 3).unwrap());
        let mut mine = Seen::default();
        run(follow, &mut mine, usize::MAX).await;
        for (scope, ids) in mine.events {
            followed_by.entry(scope.clone()).or_default().insert(index);
            seen.events.entry(scope).or_default().extend(ids);
        }
    }
    for scope in expected.0.keys() {
        assert_same(
            scope,
            &seen.events.get(scope).cloned().unwrap_or_default(),
            &expected.of(scope),
        );
        assert_eq!(followed_by[scope].len(), 1, "{scope}");
    }
    assert_eq!(followed_by[ORG_SCOPE], BTreeSet::from([0]));
    // Every shard has some projects; growing to 4 shards moves about a quarter.
    let counts: Vec<usize> = (0..3)
        .map(|i| projects.iter().filter(|p| shard_of(p, 3) == i).count())
        .collect();
    assert!(counts.iter().all(|&c| c >= 10), "{counts:?}");
    let moved = projects
        .iter()
        .filter(|p| shard_of(p, 3) != shard_of(p, 4))
        .count();
    assert!((8..=25).contains(&moved), "{moved} moved");
    assert!(
        projects
            .iter()
            .all(|p| shard_of(p, 4) == 3 || shard_of(p, 4) == shard_of(p, 3))
    );
}

/// A checkpoint of another organization is refused.
#[tokio::test(start_paused = true)]
async fn a_checkpoint_of_another_organization_is_refused() {
    let atlas = FakeAtlas::starting_at(NOW);
    let other = format!(
        r#"{{"org":"{}","start":"2026-01-01T00:00:00Z","projects":{{}}}}"#,
        object_id(7)
    );
    let mut follow =
        org_follow(&atlas.client()).from_checkpoint(serde_json::from_str(&other).unwrap());
    let error = follow.next().await.unwrap().expect_err("refused");
    assert!(error.to_string().contains("checkpoint"), "{error}");
    assert!(follow.next().await.is_none());
    assert!(atlas.requests().is_empty());
}

/// What an organization's follow reports reads as sentences (the command line prints them):
/// notices, drop reasons, scopes, and errors with their scope and cause.
#[test]
fn notices_scopes_and_errors_read_as_sentences() {
    let project = project_id(1);
    let sentences = [
        (
            Notice::Projects { followed: 3 }.to_string(),
            "following 3 projects".to_owned(),
        ),
        (
            Notice::Found {
                project: project.clone(),
                name: Some("p".to_owned()),
                from: NOW,
                resumed: false,
            }
            .to_string(),
            format!("found project {project}; reading its events from 2026-12-01T12:00:00Z"),
        ),
        (
            Notice::Found {
                project: project.clone(),
                name: None,
                from: NOW,
                resumed: true,
            }
            .to_string(),
            format!("project {project} is back; going on from its checkpoint"),
        ),
        (
            Notice::Dropped {
                project: project.clone(),
                reason: DropReason::NotListed,
            }
            .to_string(),
            format!("dropped project {project}: the organization no longer lists it"),
        ),
        (
            Notice::Dropped {
                project: project.clone(),
                reason: DropReason::Refused(403),
            }
            .to_string(),
            format!("dropped project {project}: its events answered HTTP 403"),
        ),
    ];
    for (got, expected) in sentences {
        assert_eq!(got, expected);
    }
    let error = OrgError {
        scope: Scope::Project(project.clone()),
        error: Error::config("bad"),
    };
    assert!(
        error
            .to_string()
            .starts_with(&format!("project {project}: ")),
        "{error}"
    );
    let cause = std::error::Error::source(&error).expect("the error is its source");
    assert_eq!(cause.to_string(), Error::config("bad").to_string());
    assert_eq!(
        Scope::Organization(ORG.to_owned()).to_string(),
        format!("organization {ORG}")
    );
    // Each item names its scope; a notice has none.
    let items: [OrgItem<(), ()>; 3] = [
        OrgItem::Organization(()),
        OrgItem::Project {
            project: project.clone(),
            event: (),
        },
        OrgItem::Notice(Notice::Projects { followed: 0 }),
    ];
    let scopes: Vec<Option<Scope>> = items.iter().map(|i| i.scope(ORG)).collect();
    assert_eq!(
        scopes,
        [
            Some(Scope::Organization(ORG.to_owned())),
            Some(Scope::Project(project)),
            None
        ]
    );
}

/// Where an organization's follow stands: its progress (scopes, how many caught up, events),
/// `buffered_events()` (events read, not yet yielded) and its checkpoint (organization, start, each
/// scope's entry), which is whole even before the stream is polled.
#[tokio::test(start_paused = true)]
async fn progress_buffered_and_checkpoint_tell_where_the_follow_stands() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 2);
    let busy = format!("groups/{}", projects[0]);
    add_events(&atlas, &busy, 100, &clustered_times(4, 700, NOW, MONTH));
    let live = NOW + time::Duration::minutes(2);
    add_events(&atlas, ORG_SCOPE, 1, &[NOW - time::Duration::days(1), live]);
    let start = NOW - 2 * MONTH;
    let end = NOW + time::Duration::minutes(5);
    let mut follow = org_follow(&atlas.client()).since(start).until(end);
    assert_eq!(follow.org(), ORG);
    let mut most_buffered = 0;
    let mut while_busy_read = None;
    let mut at_live_event = None;
    let mut events = 0;
    while let Some(item) = follow.next().await {
        match item.expect("no error") {
            OrgItem::Project { project, .. } if project == projects[0] => {
                events += 1;
                while_busy_read.get_or_insert(follow.progress());
            }
            OrgItem::Organization(event) => {
                events += 1;
                if id_of(&event) == object_id(2) {
                    at_live_event = Some(follow.progress());
                }
            }
            _ => {}
        }
        most_buffered = most_buffered.max(follow.buffered_events());
    }
    // Read backwards, the busy project's last page (200 events) came in one answer.
    assert!((199..=500).contains(&most_buffered), "{most_buffered}");
    assert_eq!(follow.buffered_events(), 0);
    let busy_read = while_busy_read.unwrap();
    assert_eq!(busy_read.scopes, 3);
    assert!(busy_read.caught_up < 3, "{busy_read:?}");
    // The live event came once every scope had caught up, before the end.
    let at_live = at_live_event.unwrap();
    assert_eq!((at_live.scopes, at_live.caught_up), (3, 3));
    let done = follow.progress();
    assert_eq!((done.scopes, done.caught_up, done.events), (3, 3, 702));
    assert_eq!(events, 702);
    let checkpoint = follow.checkpoint();
    assert_eq!(checkpoint.org(), ORG);
    assert_eq!(checkpoint.start(), start);
    assert_eq!(checkpoint.organization().map(Checkpoint::until), Some(end));
    assert_eq!(checkpoint.projects_len(), 2);
    for project in &projects {
        assert_eq!(
            checkpoint.project(project).map(Checkpoint::until),
            Some(end)
        );
    }
    // Restored and saved again before polling, it is the same checkpoint.
    let restored = org_follow(&atlas.client()).from_checkpoint(checkpoint.clone());
    assert_eq!(restored.checkpoint(), checkpoint);
}

/// An error other than a `429` (a `500` the client does not retry) is yielded with its scope,
/// is not counted as a rate limit, and the follow goes on: every event still comes.
#[tokio::test(start_paused = true)]
async fn an_error_of_a_scope_is_yielded_and_the_follow_goes_on() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut expected = Expected::default();
    expected.add(&atlas, ORG_SCOPE, 1, &clustered_times(2, 30, NOW, MONTH));
    // The first request, the organization's events, fails.
    atlas.fail_next(500, &[], r#"{"error":500,"errorCode":"UNEXPECTED_ERROR"}"#);
    let mut follow = org_follow(&atlas.client_with(crate::runtime::RetryPolicy::disabled()))
        .since(NOW - 2 * MONTH)
        .until(NOW);
    let mut seen = Seen::default();
    let mut errors = Vec::new();
    while let Some(item) = follow.next().await {
        match item {
            Ok(item) => seen.take(item),
            Err(error) => errors.push((error.scope.clone(), error.error.status())),
        }
    }
    assert_eq!(errors, [(Scope::Organization(ORG.to_owned()), Some(500))]);
    assert_eq!(follow.progress().rate_limited, 0);
    assert_same(ORG_SCOPE, &seen.events[ORG_SCOPE], &expected.of(ORG_SCOPE));
}

/// A read once begun (a page after the first) goes before scopes waiting for their first
/// page: few scopes hold a page while they wait, and each catch-up ends soon after it began.
#[tokio::test(start_paused = true)]
async fn a_read_once_begun_goes_before_new_ones() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 20);
    for (n, project) in projects.iter().enumerate() {
        let times = clustered_times(n as u64, 1_600, NOW, MONTH);
        add_events(
            &atlas,
            &format!("groups/{project}"),
            10_000 * (n as u64 + 1),
            &times,
        );
    }
    atlas.latency(Duration::from_millis(300));
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW)
        .concurrency(2);
    run(follow, &mut Seen::default(), usize::MAX).await;
    // A window read in several requests spans the requests from its first to its last; at
    // no time are more than a few such reads under way (each holds a page).
    let requests = atlas.requests();
    let mut windows: BTreeMap<(String, Option<String>, Option<String>), Vec<usize>> =
        BTreeMap::new();
    for (i, r) in requests.iter().enumerate() {
        if r.path.ends_with("/events") {
            let key = (r.path.clone(), r.param("minDate"), r.param("maxDate"));
            windows.entry(key).or_default().push(i);
        }
    }
    let spans: Vec<(usize, usize)> = windows
        .values()
        .filter(|at| at.len() > 1)
        .map(|at| (at[0], at[at.len() - 1]))
        .collect();
    assert!(
        spans.len() >= projects.len(),
        "{} reads of several pages",
        spans.len()
    );
    let most = (0..requests.len())
        .map(|i| spans.iter().filter(|(a, b)| *a <= i && i <= *b).count())
        .max()
        .unwrap_or(0);
    assert!(most <= 4, "{most} reads under way at once");
}

/// Projects that went quiet together do not poll together: their quiet waits are jittered.
#[tokio::test(start_paused = true)]
async fn quiet_projects_do_not_poll_in_lockstep() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 50);
    let follow = org_follow(&atlas.client())
        .since(NOW)
        .until(NOW + time::Duration::hours(1))
        .poll_interval(Duration::from_secs(30))
        .concurrency(50);
    run(follow, &mut Seen::default(), usize::MAX).await;
    // Requests of each 30 s round after the first ten minutes (all quiet by then).
    let mut rounds: BTreeMap<i64, usize> = BTreeMap::new();
    for request in atlas.requests() {
        let round = (request.at - NOW).whole_seconds() / 30;
        if round >= 20 && request.path.ends_with("/events") {
            *rounds.entry(round).or_default() += 1;
        }
    }
    let busiest = rounds.values().copied().max().unwrap_or(0);
    assert!(
        busiest <= projects.len() / 2,
        "{busiest} of {} projects polled in one round",
        projects.len()
    );
}

/// `429`s of two scopes slow only those two. Of three scopes within a minute (a bucket they
/// share), the whole follow pauses for `Retry-After`, then sends one request at a time spaced
/// by it; each minute without a `429` (one scope's `429` postpones it) halves the spacing,
/// down to none below a quarter of a second, then the concurrency grows back by one a minute,
/// to the configured one and no further.
#[tokio::test(start_paused = true)]
async fn a_shared_rate_limit_recovers_a_minute_at_a_time() {
    let atlas = FakeAtlas::starting_at(NOW);
    add_projects(&atlas, 30);
    // 31 scopes polled every 5 s at 1 s a request: more than 4 requests at once serve.
    let latency = time::Duration::seconds(1);
    atlas.latency(Duration::from_secs(1));
    let inject = {
        let atlas = atlas.clone();
        tokio::spawn(async move {
            let limited = |n| {
                for _ in 0..n {
                    atlas.fail_next(
                        429,
                        &[("Retry-After", "4")],
                        r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"fake"}"#,
                    );
                }
            };
            tokio::time::sleep(Duration::from_secs(60)).await;
            limited(2);
            tokio::time::sleep(Duration::from_secs(90)).await;
            limited(3);
            tokio::time::sleep(Duration::from_secs(50)).await;
            limited(1);
        })
    };
    let follow = org_follow(&atlas.client())
        .since(NOW)
        .until(NOW + time::Duration::minutes(16))
        .poll_interval(Duration::from_secs(5))
        .quiet_interval(Duration::from_secs(5))
        .discovery_interval(Duration::from_secs(3_600))
        .concurrency(4);
    let (follow, ended) = run(follow, &mut Seen::default(), usize::MAX).await;
    assert!(ended);
    inject.await.unwrap();
    let requests = atlas.requests();
    let limited: Vec<OffsetDateTime> = requests
        .iter()
        .filter(|r| r.status == 429)
        .map(|r| r.at)
        .collect();
    assert_eq!(limited.len(), 6);
    assert_eq!(follow.progress().rate_limited, 6);
    // Every request takes the same time: they start in the order they were answered.
    let starts: Vec<OffsetDateTime> = requests.iter().map(|r| r.at - latency).collect();
    let in_flight = |at: OffsetDateTime| {
        starts
            .iter()
            .filter(|&&s| s <= at && at < s + latency)
            .count()
    };
    let most_in_flight = |from: OffsetDateTime, to: OffsetDateTime| {
        starts
            .iter()
            .filter(|&&s| from <= s && s < to)
            .map(|&s| in_flight(s))
            .max()
            .unwrap_or(0)
    };
    let least_gap = |from: OffsetDateTime, to: OffsetDateTime| {
        starts
            .windows(2)
            .filter(|w| from <= w[0] && w[0] < to)
            .map(|w| w[1] - w[0])
            .min()
            .expect("requests in the span")
    };
    let s = time::Duration::seconds;
    // Two scopes: the others go on at full speed.
    let two = limited[1];
    assert!(starts.iter().any(|&at| two < at && at < two + s(4)));
    assert_eq!(most_in_flight(two, two + s(60)), 4);
    // Three: a pause of `Retry-After`, then one request at a time, 4 s apart.
    let shared = limited[4];
    assert!(!starts.iter().any(|&at| shared < at && at < shared + s(4)));
    // One scope's 429 keeps the spacing for another minute.
    let single = limited[5];
    assert!(single < shared + s(60));
    assert!(least_gap(shared, single + s(60)) >= s(4));
    // Then 2 s, and less the minutes after (a request takes 1 s).
    assert!(least_gap(single + s(60), single + s(120)) >= s(2));
    assert!(least_gap(single + s(70), single + s(120)) < s(4));
    // The spacing is 1 s, 0.5 s, 0.25 s, then none (0.125 s is less than a quarter of a
    // second); only then the concurrency grows: 2, 3, 4 a minute apart.
    assert_eq!(most_in_flight(shared, single + s(360)), 1);
    assert!(most_in_flight(single + s(360), single + s(420)) <= 2);
    assert!(most_in_flight(single + s(420), single + s(480)) <= 3);
    assert_eq!(most_in_flight(single + s(480), NOW + s(960)), 4);
    assert_eq!(atlas.max_in_flight(), 4);
}

/// A quiet scope's waits double from the poll interval to the quiet interval; each wait
/// longer than the poll interval is shortened by up to a quarter, by a sequence of its own
/// (no two projects wait alike), and none is longer than asked for.
#[tokio::test(start_paused = true)]
async fn quiet_waits_are_jittered_by_at_most_a_quarter() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 6);
    let follow = org_follow(&atlas.client())
        .since(NOW)
        .until(NOW + time::Duration::hours(1))
        .poll_interval(Duration::from_secs(30))
        .quiet_interval(Duration::from_secs(300));
    run(follow, &mut Seen::default(), usize::MAX).await;
    let mut sequences = BTreeSet::new();
    for project in &projects {
        let at: Vec<OffsetDateTime> = event_requests(&atlas, &format!("groups/{project}"))
            .iter()
            .map(|r| r.at)
            .collect();
        let gaps: Vec<time::Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.len() >= 12, "{project}: {} polls", at.len());
        // The wait before the last poll may be cut short by the end.
        for (k, &gap) in gaps[..gaps.len() - 1].iter().enumerate() {
            let asked = time::Duration::seconds(30 << k.min(4)).min(time::Duration::minutes(5));
            let least = if k == 0 { asked } else { asked * 3 / 4 };
            assert!(
                least <= gap && gap <= asked,
                "{project}: wait {k} of {gap}, {asked} asked"
            );
        }
        sequences.insert(gaps);
    }
    assert_eq!(sequences.len(), projects.len());
}

/// One request at a time: a read once begun goes on before any other scope's read begins.
/// Each scope's catch-up (page 1 of its span and of its settled part, the pages probed and
/// read back) and each busy live window (a page, then the next) goes on with at most one
/// other request between two of its own (sent while it yields a page).
#[tokio::test(start_paused = true)]
async fn one_request_at_a_time_a_read_once_begun_goes_on() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 4);
    for (n, project) in projects.iter().enumerate() {
        let scope = format!("groups/{project}");
        let first = 10_000 * (n as u64 + 1);
        let history = clustered_times(n as u64, 1_200, NOW - time::Duration::hours(1), MONTH);
        add_events(&atlas, &scope, first, &history);
        // 60 events a second for ten seconds: live windows of two pages.
        let busy: Vec<OffsetDateTime> = (0..600)
            .map(|k| NOW + time::Duration::seconds(1 + k / 60))
            .collect();
        add_events(&atlas, &scope, first + 5_000, &busy);
    }
    atlas.latency(Duration::from_secs(1));
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW + time::Duration::minutes(5))
        .concurrency(1);
    let (_, ended) = run(follow, &mut Seen::default(), usize::MAX).await;
    assert!(ended);
    let mut runs: BTreeMap<(String, Option<String>), Vec<usize>> = BTreeMap::new();
    let requests = atlas.requests();
    for (i, r) in requests
        .iter()
        .filter(|r| r.path.ends_with("/events"))
        .enumerate()
    {
        {
            runs.entry((r.path.clone(), r.param("minDate")))
                .or_default()
                .push(i);
        }
    }
    assert!(runs.values().filter(|at| at.len() > 3).count() >= projects.len());
    assert!(runs.values().filter(|at| at.len() == 2).count() >= projects.len());
    for (window, at) in &runs {
        // While a scope yields a page, the free slot serves one other request.
        assert!(
            at.windows(2).all(|w| w[1] - w[0] <= 2),
            "{window:?}: {at:?}"
        );
    }
}

/// A page read before the others and yielded last (page 1 of a window read backwards) that
/// no longer fits the pages read since (events were added in the window meanwhile) is a
/// paging error naming the scope's operation and that page, and the window is read again:
/// every event comes once.
#[tokio::test(start_paused = true)]
async fn a_page_held_while_the_list_changed_is_an_error_of_its_operation() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut expected = Expected::default();
    let history = clustered_times(31, 1_000, NOW - time::Duration::hours(1), MONTH);
    expected.add(&atlas, ORG_SCOPE, 1, &history);
    atlas.latency(Duration::from_secs(1));
    let mut follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW);
    // Page 1 of the whole span is served a second after the listing, page 1 of the settled
    // part a second later, page 2 a second after: two events newer than any come in between.
    let mut seen = Seen::default();
    while event_requests(&atlas, ORG_SCOPE).is_empty() {
        if let Ok(item) = tokio::time::timeout(Duration::from_millis(100), follow.next()).await {
            seen.take(item.expect("no end").expect("no error"));
        }
    }
    let late = [NOW - time::Duration::hours(1); 2];
    for (n, &created) in late.iter().enumerate() {
        let id = object_id(90_000 + n as u64);
        atlas.add_after_next_page(
            ORG_SCOPE,
            &crate::runtime::test_util::event_json(&id, created, "GROUP_CREATED", ""),
        );
        expected.0.get_mut(ORG_SCOPE).unwrap().0.push(created);
        expected.0.get_mut(ORG_SCOPE).unwrap().1.push(id);
    }
    let mut errors = Vec::new();
    while let Some(item) = follow.next().await {
        match item {
            Ok(item) => seen.take(item),
            Err(error) => errors.push(error),
        }
    }
    let [OrgError { scope, error }] = errors.as_slice() else {
        panic!("{errors:?}");
    };
    assert_eq!(scope, &Scope::Organization(ORG.to_owned()));
    assert!(
        matches!(
            error,
            Error::Paging { operation: "listOrgEvents", page: 1, reason }
                if reason.contains("older than the page after it")
        ),
        "{error:?}"
    );
    assert_eq!(error.operation(), Some("listOrgEvents"));
    assert_same(ORG_SCOPE, &seen.events[ORG_SCOPE], &expected.of(ORG_SCOPE));
}

/// A listing of the projects that falls due goes before scopes waiting for a slot (behind a
/// full queue of polls it would never start, and new projects would go unnoticed), and when
/// every slot is busy it waits for the request under way to come back: the follow neither
/// spins on a listing that cannot start yet nor starves it.
#[tokio::test(start_paused = true)]
async fn listings_go_first_and_wait_for_a_slot() {
    // 40 scopes polled every 30 s, one request at a time: always a queue. At 0.7 s a request,
    // a listing falls due mid-request.
    for latency in [Duration::from_secs(1), Duration::from_millis(700)] {
        let atlas = FakeAtlas::starting_at(NOW);
        add_projects(&atlas, 40);
        atlas.latency(latency);
        let follow = org_follow(&atlas.client())
            .since(NOW)
            .until(NOW + time::Duration::minutes(10))
            .poll_interval(Duration::from_secs(30))
            .quiet_interval(Duration::from_secs(30))
            .discovery_interval(Duration::from_secs(60))
            .concurrency(1);
        let (_, ended) = run(follow, &mut Seen::default(), usize::MAX).await;
        assert!(ended, "{latency:?}");
        let listings: Vec<OffsetDateTime> = atlas
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/groups"))
            .map(|r| r.at)
            .collect();
        assert!(
            listings.len() >= 9,
            "{latency:?}: {} listings in 10 minutes",
            listings.len()
        );
        // Each a minute after the last one came back, give or take the request under way.
        let most = time::Duration::minutes(1) + 2 * latency;
        for pair in listings.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(gap <= most, "{latency:?}: listings {gap} apart");
        }
    }
}

/// After a shared rate limit, a read under way (the only scope with anything to ask) sends
/// its next page as soon as the spacing allows: the end of each pause wakes it, however long
/// until anything else is due (here the next listing, five minutes on).
#[tokio::test(start_paused = true)]
async fn a_read_under_way_goes_on_when_a_pause_ends() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 3);
    let busy = format!("groups/{}", projects[2]);
    let mut expected = Expected::default();
    expected.add(&atlas, &busy, 1, &clustered_times(37, 5_000, NOW, MONTH));
    atlas.latency(Duration::from_secs(1));
    // The listing is back at 1 s; the three projects' first requests, back at 2 s, are 429s
    // (the organization, without events, has read up to the end at 1 s). The two quiet ones
    // ask again first, and are done before the busy one's read begins.
    let inject = {
        let atlas = atlas.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            for _ in 0..3 {
                atlas.fail_next(
                    429,
                    &[("Retry-After", "10")],
                    r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"fake"}"#,
                );
            }
        })
    };
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW);
    let mut seen = Seen::default();
    let (follow, ended) = run(follow, &mut seen, usize::MAX).await;
    inject.await.unwrap();
    assert!(ended && seen.errors.is_empty(), "{:?}", seen.errors);
    assert_eq!(follow.progress().rate_limited, 3);
    assert_same(&busy, &seen.events[&busy], &expected.of(&busy));
    // The settled part's read (its page 1, the pages probed and read back), one request at a
    // time: each 10 s after the last began, 5 s a minute on.
    let requests = event_requests(&atlas, &busy);
    let settled = requests
        .iter()
        .find(|r| r.status == 200 && r.param("maxDate") != Some("2026-12-01T12:00:00Z".into()))
        .and_then(|r| r.param("maxDate"));
    let served: Vec<OffsetDateTime> = requests
        .iter()
        .filter(|r| r.status == 200 && r.param("maxDate") == settled)
        .map(|r| r.at)
        .collect();
    assert!(served.len() >= 10, "{served:?}");
    for pair in served.windows(2) {
        assert!(
            pair[1] - pair[0] <= time::Duration::seconds(10),
            "{served:?}"
        );
    }
}

/// One request at a time, with a catch-up under way (a read of 40 pages, each yielded while
/// one other request goes): the scopes waiting for their first page are served in turn, not
/// overtaken by the polls of scopes already read (a live window's page 1 is not a read under
/// way), so the last project's first request comes within a round, not minutes on.
#[tokio::test(start_paused = true)]
async fn one_request_at_a_time_first_pages_are_not_overtaken_by_polls() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 21);
    let busy = format!("groups/{}", projects[0]);
    add_events(
        &atlas,
        &busy,
        1,
        &clustered_times(41, 20_000, NOW - time::Duration::hours(1), MONTH),
    );
    atlas.latency(Duration::from_secs(1));
    let follow = org_follow(&atlas.client())
        .since(NOW - 2 * MONTH)
        .until(NOW + time::Duration::minutes(5))
        .poll_interval(Duration::from_secs(30))
        .quiet_interval(Duration::from_secs(30))
        .concurrency(1);
    let (_, ended) = run(follow, &mut Seen::default(), usize::MAX).await;
    assert!(ended);
    let requests: Vec<_> = atlas
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/events"))
        .collect();
    let served = |scope: &str| {
        requests
            .iter()
            .enumerate()
            .filter(|(_, r)| r.lists_events_of(scope))
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    // The organization, read at once, polls again 30 s on: after every project's first page.
    let org = served(ORG_SCOPE);
    for project in &projects {
        let first = served(&format!("groups/{project}"))[0];
        assert!(first < org[1], "{project}: first at {first}, {org:?}");
    }
    // The busy project's read goes on meanwhile, one other request between two of its own.
    let busy_at = served(&busy);
    let read: Vec<usize> = busy_at
        .iter()
        .copied()
        .filter(|&i| requests[i].param("maxDate") == requests[busy_at[1]].param("maxDate"))
        .collect();
    assert!(read.len() >= 40, "{read:?}");
    assert!(read.windows(2).all(|w| w[1] - w[0] <= 2), "{read:?}");
}

/// A scope whose answer makes it due sooner than what the follow was waiting for (a quiet
/// scope's long wait) is polled at its own interval: a busy project next to a quiet
/// organization sends a request every poll interval (and the latency), all along.
#[tokio::test(start_paused = true)]
async fn a_busy_project_is_polled_at_its_interval_beside_a_quiet_one() {
    let atlas = FakeAtlas::starting_at(NOW);
    let projects = add_projects(&atlas, 1);
    let busy = format!("groups/{}", projects[0]);
    let times: Vec<OffsetDateTime> = (0..120)
        .map(|n| NOW + time::Duration::seconds(5 * n))
        .collect();
    add_events(&atlas, &busy, 1, &times);
    atlas.latency(Duration::from_secs(1));
    let follow = org_follow(&atlas.client())
        .since(NOW)
        .until(NOW + time::Duration::minutes(10))
        .poll_interval(Duration::from_secs(10))
        .quiet_interval(Duration::from_secs(300));
    let mut seen = Seen::default();
    let (_, ended) = run(follow, &mut seen, usize::MAX).await;
    assert!(ended && seen.errors.is_empty(), "{:?}", seen.errors);
    assert_eq!(seen.events[&busy].len(), 120);
    let at: Vec<OffsetDateTime> = event_requests(&atlas, &busy).iter().map(|r| r.at).collect();
    assert!(at.len() >= 50, "{at:?}");
    for pair in at.windows(2) {
        assert!(pair[1] - pair[0] <= time::Duration::seconds(11), "{at:?}");
    }
}
