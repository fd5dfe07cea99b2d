//! Where the runtime's time comes from: the wall clock (windows of a follow,
//! `maxDate` pins, `Retry-After` dates) and sleeping (waits between polls,
//! retries, rate limits). One [`Clock`] per [`Client`](crate::Client).
//! Durations measured inside one process (retry budgets, token lifetimes)
//! use `tokio::time::Instant`, which tokio's paused time also moves.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use time::OffsetDateTime;

/// A source of wall-clock time and of sleeps.
///
/// The client's default is [`SystemClock`]. Tests that run a follow for
/// hours in tokio's paused time use a clock whose wall time moves with
/// tokio's (the fake Atlas of the `test-util` feature sets one up).
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> OffsetDateTime;

    /// Completes after `duration`.
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// The system's wall clock and tokio's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A wall clock that moves with tokio's timer: it reads `start` when made
/// and then moves exactly as `tokio::time::Instant` does, so under tokio's
/// paused time (`#[tokio::test(start_paused = true)]`) hours of polling
/// pass in milliseconds, and wall time and sleeps agree.
#[derive(Clone, Copy)]
pub struct TokioClock {
    start: OffsetDateTime,
    started: tokio::time::Instant,
}

impl TokioClock {
    /// A clock that reads `start` now.
    pub fn starting_at(start: OffsetDateTime) -> TokioClock {
        TokioClock {
            start,
            started: tokio::time::Instant::now(),
        }
    }
}

impl fmt::Debug for TokioClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokioClock")
            .field("now", &self.now())
            .finish()
    }
}

impl Clock for TokioClock {
    fn now(&self) -> OffsetDateTime {
        let elapsed = tokio::time::Instant::now().saturating_duration_since(self.started);
        self.start
            .saturating_add(time::Duration::try_from(elapsed).unwrap_or(time::Duration::MAX))
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// `at` less `span`, saturating at the earliest representable time.
pub(crate) fn earlier(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_sub(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}

/// `at` plus `span`, saturating at the latest representable time.
pub(crate) fn later(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_add(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}
