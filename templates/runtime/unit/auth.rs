//! Tests of `auth.rs`, kept apart from the file `cargo xtask regen` copies.

use std::time::Duration;

use http_auth::digest::DigestClient;

use crate::runtime::auth::*;

/// The challenge of RFC 7616 section 3.9.1, offering SHA-256 and MD5.
const RFC_CHALLENGE: &str = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
    algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", \
    Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=MD5, \
    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";

fn rfc_response(algorithm: &str) -> String {
    let challenges = match http_auth::parse_challenges(RFC_CHALLENGE) {
        Ok(c) => c,
        Err(e) => panic!("RFC challenge does not parse: {e}"),
    };
    let challenge = challenges
        .iter()
        .find(|c| {
            c.params
                .iter()
                .any(|(k, v)| *k == "algorithm" && v.as_escaped() == algorithm)
        })
        .map(DigestClient::try_from);
    let mut client = match challenge {
        Some(Ok(c)) => c,
        other => panic!(
            "no usable {algorithm} challenge: {:?}",
            other.map(|r| r.err())
        ),
    };
    let params = http_auth::PasswordParams {
        username: "Mufasa",
        password: "Circle of Life",
        uri: "/dir/index.html",
        method: "GET",
        body: None,
    };
    match client
        .respond_with_testing_cnonce(&params, "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
    {
        Ok(h) => h,
        Err(e) => panic!("cannot answer: {e}"),
    }
}

#[test]
fn digest_matches_rfc7616_worked_example() {
    // Responses given in RFC 7616 section 3.9.1.
    let md5 = rfc_response("MD5");
    assert!(
        md5.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""),
        "{md5}"
    );
    assert!(
        md5.contains("nc=00000001") && md5.contains("qop=auth"),
        "{md5}"
    );
    let sha = rfc_response("SHA-256");
    assert!(
        sha.contains(
            "response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""
        ),
        "{sha}"
    );
}

#[test]
fn strongest_digest_challenge_is_chosen() {
    let picked = pick_digest_challenge(RFC_CHALLENGE);
    assert!(matches!(
        picked.map(|c| c.algorithm()),
        Ok(http_auth::digest::Algorithm::Sha256)
    ));
    assert!(pick_digest_challenge("Basic realm=\"x\"").is_err());
}

#[test]
fn token_lifetimes_are_clamped_to_a_day() {
    assert_eq!(token_lifetime(None), Duration::from_secs(3600));
    assert_eq!(token_lifetime(Some(10)), Duration::from_secs(10));
    assert_eq!(token_lifetime(Some(86_400)), Duration::from_secs(86_400));
    assert_eq!(token_lifetime(Some(86_401)), Duration::from_secs(86_400));
    assert_eq!(token_lifetime(Some(u64::MAX)), Duration::from_secs(86_400));
}

#[test]
fn an_answer_from_the_cached_state_counts_as_this_calls_own() {
    let state = DigestState::new("pub".into(), Secret("priv".into()));
    // An earlier call cached the challenge with nonce 7ypf/...
    let stale = RFC_CHALLENGE.replacen("algorithm=SHA-256,", "algorithm=SHA-256, stale=true,", 1);
    answer_of(state.answer_challenge(&stale, "GET", "/x", None));
    // This call is refused with the same nonce (not stale): it answers
    // from the cached state, and that answer is this call's own...
    let own = answer_of(state.answer_challenge(RFC_CHALLENGE, "GET", "/x", None));
    assert!(own.fresh);
    // ...so a refusal of it with yet another nonce means bad credentials.
    let rotated = RFC_CHALLENGE.replace("7ypf/", "8zqg/");
    assert!(matches!(
        state.answer_challenge(&rotated, "GET", "/x", Some(&own)),
        Ok(None)
    ));
}

#[test]
fn digest_ranking_prefers_the_strongest_then_the_first_offered() {
    use http_auth::digest::Algorithm;
    assert_eq!(
        [
            algorithm_rank(Algorithm::Sha512Trunc256),
            algorithm_rank(Algorithm::Sha256),
            algorithm_rank(Algorithm::Md5)
        ],
        [3, 2, 1]
    );
    let challenge = |algorithm: &str, nonce: &str| {
        format!("Digest realm=\"r\", qop=\"auth\", algorithm={algorithm}, nonce=\"{nonce}\"")
    };
    let picked = |header: String| match pick_digest_challenge(&header) {
        Ok(client) => (client.algorithm(), client.nonce().to_owned()),
        Err(e) => panic!("{header}: {e}"),
    };
    let md5_first = [
        "Basic realm=\"x\"".to_owned(),
        challenge("MD5", "a"),
        challenge("SHA-256", "b"),
        challenge("SHA-256", "c"),
        challenge("MD5", "d"),
    ]
    .join(", ");
    assert_eq!(picked(md5_first), (Algorithm::Sha256, "b".to_owned()));
    let strongest = [challenge("SHA-256", "e"), challenge("SHA-512-256", "f")].join(", ");
    assert_eq!(
        picked(strongest),
        (Algorithm::Sha512Trunc256, "f".to_owned())
    );
    let only_md5 = [challenge("MD5", "g"), challenge("MD5", "h")].join(", ");
    assert_eq!(picked(only_md5), (Algorithm::Md5, "g".to_owned()));
    // An unusable Digest challenge is skipped when a usable one follows,
    // and named when none does.
    let broken = "Digest realm=\"r\", algorithm=SHA-256".to_owned();
    assert_eq!(
        picked(format!("{broken}, {}", challenge("MD5", "i"))),
        (Algorithm::Md5, "i".to_owned())
    );
    assert!(pick_digest_challenge(&broken).is_err_and(|e| !e.contains("no Digest")));
}

#[test]
fn repeated_nonce_without_stale_means_bad_credentials() {
    let state = DigestState::new("pub".into(), Secret("priv".into()));
    let first = state.answer_challenge(RFC_CHALLENGE, "GET", "/x", None);
    let first = match first {
        Ok(Some(a)) => a,
        _ => panic!("first challenge not answered"),
    };
    assert!(matches!(
        state.answer_challenge(RFC_CHALLENGE, "GET", "/x", Some(&first)),
        Ok(None)
    ));
    let stale = RFC_CHALLENGE.replacen("algorithm=SHA-256,", "algorithm=SHA-256, stale=true,", 1);
    assert!(matches!(
        state.answer_challenge(&stale, "GET", "/x", Some(&first)),
        Ok(Some(_))
    ));
    // The cached challenge is reused with an increasing nonce count.
    let again = state.answer_cached("GET", "/y").map(|a| a.header);
    assert!(again.is_some_and(|h| h.contains("nc=00000003")));
}

fn answer_of(result: Result<Option<DigestAnswer>, String>) -> DigestAnswer {
    match result {
        Ok(Some(answer)) => answer,
        Ok(None) => panic!("challenge refused"),
        Err(e) => panic!("challenge not answered: {e}"),
    }
}

#[test]
fn same_nonce_again_keeps_counting() {
    let state = DigestState::new("pub".into(), Secret("priv".into()));
    let stale = RFC_CHALLENGE.replacen("algorithm=SHA-256,", "algorithm=SHA-256, stale=true,", 1);
    let first = answer_of(state.answer_challenge(&stale, "GET", "/x", None));
    assert!(first.header.contains("nc=00000001"), "{}", first.header);
    // Two requests refused with the same stale challenge (a rotation
    // seen by concurrent requests): the count goes on, never repeats.
    let second = answer_of(state.answer_challenge(&stale, "GET", "/x", None));
    assert!(second.header.contains("nc=00000002"), "{}", second.header);
    let cached = state.answer_cached("GET", "/x").map(|a| a.header);
    assert!(cached.is_some_and(|h| h.contains("nc=00000003")));
    // A new nonce starts a new count.
    let rotated = stale.replace("7ypf/", "8zqg/");
    let third = answer_of(state.answer_challenge(&rotated, "GET", "/x", None));
    assert!(third.header.contains("nc=00000001"), "{}", third.header);
}

#[test]
fn new_nonce_without_stale_after_a_signed_request_means_bad_credentials() {
    let state = DigestState::new("pub".into(), Secret("priv".into()));
    let first = answer_of(state.answer_challenge(RFC_CHALLENGE, "GET", "/x", None));
    let rotated = RFC_CHALLENGE.replace("7ypf/", "8zqg/");
    // Signed with this call's own challenge and refused: the key is wrong.
    assert!(matches!(
        state.answer_challenge(&rotated, "GET", "/x", Some(&first)),
        Ok(None)
    ));
    // A nonce cached from an earlier call may have been forgotten by the
    // server: it gets one fresh answer, and that one is final.
    let cached = state.answer_cached("GET", "/x");
    let Some(cached) = cached else {
        panic!("nothing cached")
    };
    let retry = answer_of(state.answer_challenge(&rotated, "GET", "/x", Some(&cached)));
    let again = RFC_CHALLENGE.replace("7ypf/", "9arh/");
    assert!(matches!(
        state.answer_challenge(&again, "GET", "/x", Some(&retry)),
        Ok(None)
    ));
}

#[test]
fn credentials_debug_hides_secrets() {
    let all = [
        Credentials::service_account("mdb_sa_id_1", "mdb_sa_sk_SECRET1"),
        Credentials::api_key("PUBKEY", "PRIVATE-KEY-SECRET2"),
        Credentials::bearer_token("BEARER-SECRET3"),
    ];
    let text = format!("{all:?}");
    for secret in ["SECRET1", "SECRET2", "SECRET3"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(
        text.contains("mdb_sa_id_1") && text.contains("PUBKEY"),
        "{text}"
    );
    assert!(text.contains("<redacted>"));
}
