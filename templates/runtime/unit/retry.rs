//! Tests of `retry.rs`, kept apart from the file `cargo xtask regen` copies.

use std::time::Duration;

use tokio::time::Instant;

use crate::runtime::retry::*;

#[test]
fn retry_after_seconds_and_dates() {
    let now = time::macros::datetime!(2026-11-24 10:00:00 UTC);
    assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("Tue, 24 Nov 2026 10:00:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Tue, 24 Nov 2026 09:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
    assert_eq!(parse_retry_after("-3", now), None);
}

#[test]
fn retry_after_accepts_rfc850_and_asctime_dates() {
    let now = time::macros::datetime!(2026-11-24 10:00:00 UTC);
    assert_eq!(
        parse_retry_after("Tuesday, 24-Nov-26 10:00:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Tue Nov 24 10:00:45 2026", now),
        Some(Duration::from_secs(45))
    );
    assert_eq!(
        parse_retry_after("Tue Nov 24 09:00:00 2026", now),
        Some(Duration::ZERO)
    );
}

#[test]
fn jittered_waits_never_exceed_max_delay() {
    use backon::BackoffBuilder as _;
    let max = Duration::from_millis(150);
    let policy = RetryPolicy::new()
        .with_initial_delay(Duration::from_millis(100))
        .with_max_delay(max)
        .with_max_attempts(10)
        .with_max_elapsed(Duration::from_secs(3600));
    let start = Instant::now();
    let mut waits = Vec::new();
    for _ in 0..20 {
        for scheduled in policy.backoff().build() {
            waits.push(policy.next_wait(start, Some(scheduled), None));
        }
    }
    assert_eq!(waits.len(), 20 * 9);
    for wait in &waits {
        let wait = wait.unwrap_or_else(|| panic!("no wait in {waits:?}"));
        assert!(wait <= max, "{wait:?} exceeds max_delay: {waits:?}");
        assert!(wait >= Duration::from_millis(50), "{wait:?} below half");
    }
    // Still jittered: the capped waits are not all equal.
    assert!(waits.windows(2).any(|w| w[0] != w[1]), "{waits:?}");
    // Without jitter the schedule is exact and capped.
    let exact = policy.clone().with_jitter(false);
    let waits: Vec<_> = exact
        .backoff()
        .build()
        .map(|s| exact.next_wait(start, Some(s), None))
        .collect();
    assert_eq!(waits[0], Some(Duration::from_millis(100)));
    assert!(waits[1..].iter().all(|w| *w == Some(max)), "{waits:?}");
}

#[test]
fn retryable_statuses() {
    for s in [429, 500, 502, 503, 504] {
        assert!(is_retryable_status(s), "{s}");
    }
    for s in [200, 400, 401, 403, 404, 409, 501, 505] {
        assert!(!is_retryable_status(s), "{s}");
    }
}

#[test]
fn waits_respect_attempts_and_elapsed_budget() {
    let policy = RetryPolicy::new()
        .with_max_elapsed(Duration::from_secs(5))
        .with_jitter(false);
    let start = Instant::now();
    assert_eq!(policy.next_wait(start, None, None), None);
    assert_eq!(
        policy.next_wait(start, Some(Duration::from_millis(10)), None),
        Some(Duration::from_millis(10))
    );
    assert_eq!(
        policy.next_wait(
            start,
            Some(Duration::from_millis(10)),
            Some(Duration::from_secs(2))
        ),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        policy.next_wait(
            start,
            Some(Duration::from_millis(10)),
            Some(Duration::from_secs(60))
        ),
        None
    );
    assert_eq!(RetryPolicy::disabled().max_attempts(), 1);
    assert_eq!(RetryPolicy::new().with_max_attempts(0).max_attempts(), 1);
}

#[test]
fn accessors_return_what_was_set() {
    let policy = RetryPolicy::new()
        .with_max_attempts(7)
        .with_initial_delay(Duration::from_millis(11))
        .with_max_delay(Duration::from_millis(13))
        .with_max_elapsed(Duration::from_secs(17))
        .with_jitter(false);
    assert_eq!(policy.max_attempts(), 7);
    assert_eq!(policy.initial_delay(), Duration::from_millis(11));
    assert_eq!(policy.max_delay(), Duration::from_millis(13));
    assert_eq!(policy.max_elapsed(), Duration::from_secs(17));
    assert!(!policy.jitter());
    assert!(policy.with_jitter(true).jitter());
    let default = RetryPolicy::default();
    assert_eq!(
        (
            default.max_attempts(),
            default.initial_delay(),
            default.max_delay(),
            default.max_elapsed(),
            default.jitter()
        ),
        (
            4,
            Duration::from_millis(500),
            Duration::from_secs(30),
            Duration::from_secs(120),
            true
        )
    );
    assert_eq!(RetryPolicy::new(), default);
}

/// A retry that would start with a sliver of the budget left is not made:
/// the caller gets the failure that caused the retries (a 429), not a
/// deadline error for an attempt cut at once.
#[tokio::test(start_paused = true)]
async fn a_retry_leaves_its_attempt_a_share_of_the_budget() {
    let policy = RetryPolicy::new()
        .with_max_elapsed(Duration::from_secs(1))
        .with_jitter(false);
    let start = Instant::now();
    // A quarter of the budget must be left after the wait.
    assert_eq!(
        policy.next_wait(start, Some(Duration::from_millis(750)), None),
        Some(Duration::from_millis(750))
    );
    assert_eq!(
        policy.next_wait(start, Some(Duration::from_millis(751)), None),
        None
    );
    let scheduled = Some(Duration::from_millis(10));
    assert_eq!(
        policy.next_wait(start, scheduled, Some(Duration::from_millis(900))),
        None
    );
    // Of a long budget, five seconds.
    let long = policy.with_max_elapsed(Duration::from_secs(120));
    assert_eq!(
        long.next_wait(start, scheduled, Some(Duration::from_secs(115))),
        Some(Duration::from_secs(115))
    );
    assert_eq!(
        long.next_wait(start, scheduled, Some(Duration::from_secs(116))),
        None
    );
}

#[test]
fn a_wait_that_just_fits_the_budget_is_taken() {
    let policy = RetryPolicy::new()
        .with_max_elapsed(Duration::from_secs(3600))
        .with_max_delay(Duration::from_secs(7200))
        .with_jitter(false);
    let start = Instant::now();
    // A wait that ends exactly at the budget is still taken; one beyond is not.
    let fits = policy.max_elapsed() - Duration::from_secs(60);
    assert_eq!(policy.next_wait(start, Some(fits), None), Some(fits));
    let beyond = policy.max_elapsed() + Duration::from_secs(1);
    assert_eq!(policy.next_wait(start, Some(beyond), None), None);
    // Jitter halves backon's jittered value back under the cap.
    let jittered = RetryPolicy::new().with_max_delay(Duration::from_secs(1));
    assert_eq!(
        jittered.next_wait(start, Some(Duration::from_millis(1500)), None),
        Some(Duration::from_millis(750))
    );
    assert_eq!(
        jittered.next_wait(start, Some(Duration::from_secs(4)), None),
        Some(Duration::from_secs(1))
    );
}
