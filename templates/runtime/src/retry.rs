//! Retry policy: which failures are retried, how long to wait, and when to
//! give up (attempt count and total elapsed time).

use std::time::Duration;

use tokio::time::Instant;

/// How the client retries failed requests.
///
/// Retried: HTTP 429 and 503 (honouring `Retry-After`), other 5xx except 501
/// and 505, connection failures, timeouts and bodies cut short. Never retried:
/// other 4xx, decode errors, invalid parameters. Computed waits grow
/// exponentially from `initial_delay` up to `max_delay`; with jitter (the
/// default) each wait is a random value between half and all of that, so it
/// never exceeds `max_delay`. Retrying stops after `max_attempts` attempts or
/// when the wait would leave the next attempt less than a quarter of
/// `max_elapsed` (at most 5 s) of the budget (a `Retry-After` longer than
/// that ends the retries at once and the rate-limit error is returned), and
/// `max_elapsed` is a hard deadline: an attempt still running when it passes
/// is abandoned with [`Error::Deadline`](crate::Error::Deadline).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_delay: Duration,
    max_delay: Duration,
    max_elapsed: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, 500 ms initial delay, 30 s max delay, 2 min overall, jitter on.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see [`RetryPolicy::default`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries: every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Total attempts including the first one (0 is treated as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts.max(1);
        self
    }

    /// Wait before the first retry; later waits double up to `max_delay`
    /// (with jitter, each wait is a random value between half and all of it).
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Upper bound of one computed wait, jitter included (a server's
    /// `Retry-After` may exceed it).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Total time budget of one call, retries and waits included: no retry
    /// starts once this much time has passed since the first attempt (or
    /// would have passed after the wait), and an attempt still running when
    /// it runs out is abandoned with [`Error::Deadline`](crate::Error::Deadline).
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Whether waits get random jitter (on by default so that many clients
    /// throttled together do not retry in lockstep). A jittered wait is
    /// between half and all of the computed one.
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Total attempts including the first one.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Wait before the first retry.
    pub fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// Upper bound of one computed wait.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// Overall time budget for one call including its retries (a deadline).
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether waits get random jitter.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The backon schedule for one call. With jitter, backon adds a random
    /// part of up to 100% *after* capping at `max_delay` (documented on
    /// `ExponentialBuilder::with_jitter`), so its values lie in `[d, 2d)` for
    /// the capped delay `d`; [`RetryPolicy::next_wait`] halves them back into
    /// `[d/2, d)`.
    pub(crate) fn backoff(&self) -> backon::ExponentialBuilder {
        let builder = backon::ExponentialBuilder::default()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }

    /// Decides the wait before the next attempt: `scheduled` is backon's
    /// computed wait (`None` once attempts are used up), `retry_after` the
    /// server's demand. Returns `None` to stop retrying.
    pub(crate) fn next_wait(
        &self,
        started: Instant,
        scheduled: Option<Duration>,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        let scheduled = scheduled?;
        // Jitter within the cap: backon's jittered `[d, 2d)` becomes
        // `[d/2, d)`; the `min` guards against any rounding beyond the cap.
        let computed = if self.jitter {
            scheduled / 2
        } else {
            scheduled
        }
        .min(self.max_delay);
        // The server knows best when it will accept us again, so its
        // Retry-After replaces the computed wait.
        let wait = retry_after.unwrap_or(computed);
        // The attempt after the wait needs time too: one that would start with
        // a sliver of the budget left is cut by the deadline at once, and the
        // caller would see `Error::Deadline` instead of the answer that caused
        // the retries (a 429, say).
        let reserve = (self.max_elapsed / 4).min(ATTEMPT_RESERVE);
        let needed = started
            .elapsed()
            .saturating_add(wait)
            .saturating_add(reserve);
        if needed > self.max_elapsed {
            return None;
        }
        Some(wait)
    }
}

/// The most of the budget a retry must leave for its attempt (a quarter of
/// `max_elapsed` when that is less).
const ATTEMPT_RESERVE: Duration = Duration::from_secs(5);

/// Whether an HTTP status is worth another attempt.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501 && status != 505
}

/// Parses `Retry-After` as delay-seconds or an HTTP date in any of the three
/// formats RFC 9110 section 5.6.7 requires recipients to accept (IMF-fixdate,
/// RFC 850, asctime); a date in the past means "now".
pub(crate) fn parse_retry_after(value: &str, now: time::OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = time::OffsetDateTime::from(httpdate::parse_http_date(value).ok()?);
    let delta = at - now;
    Some(if delta.is_negative() {
        Duration::ZERO
    } else {
        delta.unsigned_abs()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
