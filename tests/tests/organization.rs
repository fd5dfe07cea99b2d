//! `Client::follow_organization`, as the generated crate wires it (the rules themselves are
//! tested in the runtime crate): against the crate's own fake Atlas (`test-util`), in tokio's
//! paused time.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use mongodb_atlas_events::test_util::{FakeAtlas, event_json, object_id};
use mongodb_atlas_events::{Notice, OrgCheckpoint, OrgItem, OrganizationFollow};
use time::OffsetDateTime;
use time::macros::datetime;

const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
const NOW: OffsetDateTime = datetime!(2026-12-01 12:00:00 UTC);

fn project(n: u64) -> String {
    format!("6f{n:022x}")
}

/// Runs a follow until it ends or `limit` events came: each scope's JSON lines, the notices.
async fn run(
    mut follow: OrganizationFollow,
    limit: usize,
    seen: &mut BTreeMap<String, Vec<String>>,
    notices: &mut Vec<Notice>,
) -> (OrganizationFollow, bool) {
    let mut count = 0;
    while count < limit {
        match follow.next().await {
            Some(Ok(OrgItem::Organization(event))) => {
                assert_eq!(event.value().event_type_name(), Some("GROUP_CREATED"));
                seen.entry(format!("orgs/{ORG}"))
                    .or_default()
                    .push(event.json().to_owned());
                count += 1;
            }
            Some(Ok(OrgItem::Project { project, event })) => {
                seen.entry(format!("groups/{project}"))
                    .or_default()
                    .push(event.json().to_owned());
                count += 1;
            }
            Some(Ok(OrgItem::Notice(notice))) => notices.push(notice),
            Some(Ok(_)) => {}
            Some(Err(error)) => panic!("{error}"),
            None => return (follow, true),
        }
    }
    (follow, false)
}

/// The organization's events and every project's, each once, as served, across a restart from
/// the checkpoint; the operations it calls are the crate's (`listOrgEvents`, `listGroupEvents`,
/// `getOrgGroups`), in pages of 500.
#[tokio::test(start_paused = true)]
async fn follows_an_organization_and_its_projects_through_the_generated_operations() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut add = |scope: String, n: u64, created: OffsetDateTime, kind: &str| {
        let text = event_json(&object_id(n), created, kind, r#""links":[]"#);
        atlas.add(&scope, &text);
        expected.entry(scope).or_default().push(text);
    };
    for n in 0..700 {
        let at = NOW - time::Duration::hours(700 - n as i64);
        add(format!("orgs/{ORG}"), n, at, "GROUP_CREATED");
    }
    for p in 1..=3 {
        atlas.add_project(
            ORG,
            &project(p),
            &format!("p{p}"),
            NOW - time::Duration::days(90),
        );
        for n in 0..(p * 300) {
            let at = NOW - time::Duration::minutes((p * 300 - n) as i64 * 7);
            add(
                format!("groups/{}", project(p)),
                p * 10_000 + n,
                at,
                "CLUSTER_UPDATE_STARTED",
            );
        }
    }
    let client = atlas.client();
    let end = NOW + time::Duration::minutes(10);
    let mut seen = BTreeMap::new();
    let mut notices = Vec::new();
    let first = client
        .follow_organization(ORG)
        .since(NOW - time::Duration::days(60))
        .until(end);
    let (stopped, ended) = run(first, 1_000, &mut seen, &mut notices).await;
    assert!(!ended);
    let saved = serde_json::to_string(&stopped.checkpoint()).unwrap();
    let resumed = client
        .follow_organization(ORG)
        .until(end)
        .from_checkpoint(serde_json::from_str::<OrgCheckpoint>(&saved).unwrap());
    let (_, ended) = run(resumed, usize::MAX, &mut seen, &mut notices).await;
    assert!(ended);
    assert_eq!(seen, expected);
    assert!(notices.contains(&Notice::Projects { followed: 3 }));
    let requests = atlas.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == format!("/api/atlas/v2/orgs/{ORG}/groups"))
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.path.ends_with("/events"))
            .all(|r| r.param("itemsPerPage").as_deref() == Some("500")),
        "{requests:#?}"
    );
    // History in about one request a page: 700 + 300 + 600 + 900 events over four scopes.
    let event_requests = requests
        .iter()
        .filter(|r| r.path.ends_with("/events"))
        .count();
    assert!(event_requests <= 40, "{event_requests} requests");
}

/// A malformed organization id is refused by the first request's parameter check, not sent.
#[tokio::test(start_paused = true)]
async fn a_malformed_organization_id_is_refused_before_any_request() {
    let atlas = FakeAtlas::starting_at(NOW);
    let mut follow = atlas.client().follow_organization("not-an-id").until(NOW);
    let error = follow.next().await.expect("an item").expect_err("refused");
    assert!(error.to_string().contains("orgId"), "{error}");
    assert!(
        atlas
            .requests()
            .iter()
            .all(|r| !r.path.contains("not-an-id"))
    );
}

/// Paging pins `maxDate` to the client's clock, not the system's: with the fake Atlas, whose
/// clock reads 2026-12-01, a stream asks for events up to then.
#[tokio::test(start_paused = true)]
async fn paging_pins_max_date_to_the_clients_clock() {
    let atlas = FakeAtlas::starting_at(NOW);
    let events: Vec<_> = atlas.client().list_org_events(ORG).stream().collect().await;
    assert!(events.is_empty());
    let requests = atlas.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].param("maxDate").as_deref(),
        Some("2026-12-01T12:00:00Z")
    );
}
