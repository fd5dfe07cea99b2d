//! Exit codes and messages of `list`, `export` and `tail` run as processes against the fake
//! Atlas, options refused before any request, and `types`.

mod common;

use std::time::{Duration, Instant};

use atlas_events_tests::fake_atlas::FakeAtlas;
use common::{ORG, PROJECT, atlas_events, bare, run, text};

#[test]
fn a_refused_access_token_exits_3_naming_its_variable() {
    let fake = FakeAtlas::start();
    fake.fail_next(
        401,
        &[],
        r#"{"error":401,"errorCode":"NOT_ORG_GROUP_CREATOR","detail":"Unauthorized."}"#,
    );
    let output = run(atlas_events(&fake).args(["list", "--org", ORG]));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("HTTP 401"), "{stderr}");
    assert!(
        stderr.contains("used: access token (MONGODB_ATLAS_ACCESS_TOKEN)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("role") && stderr.contains("API access list"),
        "{stderr}"
    );
    assert_eq!(
        text(&output.stdout).lines().count(),
        1,
        "only the table's header"
    );
}

#[test]
fn a_refused_service_account_exits_3_naming_its_variables() {
    let fake = FakeAtlas::start();
    // Refused, and refused again with a freshly minted token.
    for _ in 0..2 {
        fake.fail_next(
            403,
            &[],
            r#"{"error":403,"errorCode":"ORG_REQUIRES_ACCESS_LIST"}"#,
        );
    }
    let output = run(bare()
        .env("MONGODB_ATLAS_BASE_URL", fake.base_url())
        .env("MONGODB_ATLAS_CLIENT_ID", "mdb_sa_id_test")
        .env("MONGODB_ATLAS_CLIENT_SECRET", "mdb_sa_sk_test")
        .args(["export", "--project", PROJECT]));
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "refused access; used: service account (MONGODB_ATLAS_CLIENT_ID and \
             MONGODB_ATLAS_CLIENT_SECRET)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("mdb_sa_sk_test"), "{stderr}");
}

#[test]
fn a_persistent_rate_limit_exits_4_saying_to_wait() {
    let fake = FakeAtlas::start();
    // A Retry-After beyond the retry budget (2 minutes by default) ends the retries at once.
    for _ in 0..10 {
        fake.fail_next(
            429,
            &[("Retry-After", "600")],
            r#"{"error":429,"errorCode":"RATE_LIMITED"}"#,
        );
    }
    let started = Instant::now();
    let output = run(atlas_events(&fake).args(["export", "--org", ORG]));
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("wait and retry later (Atlas asked to wait 600 s)"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // A Retry-After within the default budget but beyond --max-retry-time: no wait either
    // (with the default budget, three waits of 3 s).
    let fake = FakeAtlas::start();
    for _ in 0..10 {
        fake.fail_next(429, &[("Retry-After", "3")], r#"{"error":429}"#);
    }
    let started = Instant::now();
    let output = run(atlas_events(&fake).args(["list", "--org", ORG, "--max-retry-time", "2s"]));
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("(Atlas asked to wait 3 s)"));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // Without Retry-After: backoff until --max-retry-time is spent.
    let fake = FakeAtlas::start();
    for _ in 0..10 {
        fake.fail_next(429, &[], r#"{"error":429,"errorCode":"RATE_LIMITED"}"#);
    }
    let started = Instant::now();
    let output = run(atlas_events(&fake).args(["list", "--org", ORG, "--max-retry-time", "1s"]));
    assert_eq!(output.status.code(), Some(4), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("wait and retry later."));
    assert!(fake.asked().len() >= 2, "retried: {:?}", fake.asked());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn other_refusals_server_errors_and_unreadable_answers_have_their_codes() {
    for (status, body, code) in [
        (404, r#"{"error":404,"errorCode":"RESOURCE_NOT_FOUND"}"#, 1),
        (500, r#"{"error":500}"#, 5),
        (200, "<html>not json</html>", 6),
    ] {
        let fake = FakeAtlas::start();
        for _ in 0..10 {
            fake.fail_next(status, &[], body);
        }
        let output = run(atlas_events(&fake).args([
            "list",
            "--org",
            ORG,
            "--json",
            "--max-retry-time",
            "1s",
        ]));
        assert_eq!(
            output.status.code(),
            Some(code),
            "HTTP {status}: {}",
            text(&output.stderr)
        );
    }
    // Nothing listening: the network.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let output = run(bare()
        .env("MONGODB_ATLAS_BASE_URL", url)
        .env("MONGODB_ATLAS_ACCESS_TOKEN", "t")
        .args(["list", "--org", ORG, "--max-retry-time", "1s"]));
    assert_eq!(output.status.code(), Some(5), "{}", text(&output.stderr));
}

#[test]
fn options_and_configuration_are_checked_before_any_request() {
    let fake = FakeAtlas::start();
    let cases: &[(&[&str], &str)] = &[
        (
            &["list", "--org", ORG, "--cluster", "c1"],
            "--cluster selects events of a project's clusters",
        ),
        (&["list"], "give --org ID or --project ID"),
        (
            &["export", "--org", ORG, "--since", "yesterday"],
            "RFC 3339",
        ),
        (
            &["list", "--org", ORG, "--project", PROJECT],
            "cannot be used with",
        ),
        (
            &["list", "--org", ORG, "--since", "1h", "--until", "2h"],
            "--since is later than --until",
        ),
        (&["list", "--org", "not-an-id"], "invalid parameter `orgId`"),
        (
            &["tail", "--org", ORG, "--type", "*"],
            "every type is listed without --type",
        ),
        (
            &["tail", "--org", ORG, "--interval", "0"],
            "at least 1 second",
        ),
    ];
    for (args, message) in cases {
        let output = run(atlas_events(&fake).args(*args));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(
            text(&output.stderr).contains(message),
            "{args:?}: {}",
            text(&output.stderr)
        );
    }
    // The environment's default organization with --cluster is refused the same way.
    let output =
        run(atlas_events(&fake)
            .env("MONGODB_ATLAS_ORG_ID", ORG)
            .args(["list", "--cluster", "c1"]));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("organization 5e8d7c6b5a4f3e2d1c0b9a87 is an organization")
    );
    // No credentials at all.
    let output = run(bare().args(["list", "--org", ORG]));
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("no Atlas credentials"));
    assert!(fake.asked().is_empty(), "{:?}", fake.asked());
}

#[test]
fn two_kinds_of_credentials_are_noted_and_defaults_come_from_the_environment() {
    let fake = FakeAtlas::start();
    let output = run(atlas_events(&fake)
        .env("MONGODB_ATLAS_PUBLIC_API_KEY", "pub")
        .env("MONGODB_ATLAS_PRIVATE_API_KEY", "priv")
        .env("MONGODB_ATLAS_PROJECT_ID", PROJECT)
        .args(["list"]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("note: using the access token (MONGODB_ATLAS_ACCESS_TOKEN); also set and not used: API key"),
        "{stderr}"
    );
    let asked = fake.asked();
    assert_eq!(
        asked[0].path,
        format!("/api/atlas/v2/groups/{PROJECT}/events")
    );
}

#[test]
fn types_lists_the_known_names_with_their_category() {
    let output = run(bare().args(["types"]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.splitn(2, "  ").map(str::trim).collect())
        .collect();
    assert_eq!(rows[0], ["EVENT TYPE", "CATEGORY"]);
    assert_eq!(rows.len(), 1 + 710, "every project event type");
    assert!(
        rows.contains(&vec!["CLUSTER_CREATED", "atlas-audit"]),
        "{stdout}"
    );
    assert!(rows.contains(&vec!["HOST_DOWN", "host-event"]), "{stdout}");

    let output = run(bare().args(["types", "--org"]));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert_eq!(
        stdout.lines().count(),
        1 + 298,
        "every organization event type"
    );
    assert!(
        stdout
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>() == ["ORG_CREATED", "org-event"]),
        "{stdout}"
    );
    assert!(!stdout.contains("HOST_DOWN "), "a project event type");
}

#[test]
fn a_network_failure_names_its_cause() {
    let list_at = |base_url: &str| {
        let output = run(bare()
            .env("MONGODB_ATLAS_BASE_URL", base_url)
            .env("MONGODB_ATLAS_ACCESS_TOKEN", "t")
            .args(["list", "--org", ORG, "--max-retry-time", "1s"]));
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(5), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        stderr
    };
    // Nothing listening: the refusal, after what the client says.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let stderr = list_at(&url);
    let said = "could not connect to Atlas (check the base URL, network and proxy settings): \
                error sending request for url (http://";
    assert!(stderr.contains(said), "{stderr}");
    let refused = ": tcp connect error: Connection refused";
    assert!(stderr.contains(refused), "{stderr}");
    // A cause that only repeats the one before it is left out.
    assert_eq!(stderr.matches("Connection refused").count(), 1, "{stderr}");

    // HTTPS to a server that speaks plain HTTP: the TLS handshake fails on its answer.
    let fake = FakeAtlas::start();
    let stderr = list_at(&fake.base_url().replacen("http://", "https://", 1));
    assert!(stderr.contains("could not connect to Atlas"), "{stderr}");
    let tls = "received corrupt message of type InvalidContentType";
    assert!(stderr.contains(tls), "{stderr}");
}
