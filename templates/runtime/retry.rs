//! Retry policy: which failures are retried, how long to wait, and when to
//! give up (attempt count and total elapsed time).

use std::time::{Duration, Instant};

/// How the client retries failed requests.
///
/// Retried: HTTP 429 and 503 (honouring `Retry-After`), other 5xx except 501
/// and 505, connection failures, timeouts and bodies cut short. Never retried:
/// other 4xx, decode errors, invalid parameters. Waits grow exponentially
/// from `initial_delay` up to `max_delay`, with random jitter, and retrying
/// stops after `max_attempts` attempts or once `max_elapsed` would be passed
/// (a `Retry-After` longer than the remaining budget ends the retries at once
/// and the rate-limit error is returned).
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

    /// Wait before the first retry; later waits double up to `max_delay`.
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// Upper bound of one computed wait (a server's `Retry-After` may exceed it).
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// No retry starts once this much time has passed since the first attempt
    /// (or would have passed after the wait).
    pub fn with_max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Whether waits get random jitter (on by default so that many clients
    /// throttled together do not retry in lockstep).
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

    /// Overall time budget for one call including its retries.
    pub fn max_elapsed(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether waits get random jitter.
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The backon schedule for one call.
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
        // The server knows best when it will accept us again, so its
        // Retry-After replaces the computed wait.
        let wait = retry_after.unwrap_or(scheduled);
        if started.elapsed().saturating_add(wait) > self.max_elapsed {
            return None;
        }
        Some(wait)
    }
}

/// Whether an HTTP status is worth another attempt.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501 && status != 505
}

/// Parses `Retry-After` as delay-seconds or an IMF-fixdate HTTP date
/// (RFC 9110 section 10.2.3); a date in the past means "now".
pub(crate) fn parse_retry_after(value: &str, now: time::OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let at = time::PrimitiveDateTime::parse(value, format)
        .ok()?
        .assume_utc();
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
        let policy = RetryPolicy::new().with_max_elapsed(Duration::from_secs(5));
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
}
