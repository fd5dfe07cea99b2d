//! Following a list of events as it grows: polls at an interval, yields every
//! new event once, oldest first, and keeps a small checkpoint to restart from.
//!
//! The rules, stated once (the crate's README repeats them):
//!
//! - Each poll asks for one time window, `minDate` = the checkpoint's `until`
//!   minus the overlap, `maxDate` = now (or `until` plus the catch-up window,
//!   when the checkpoint is further behind), and reads every page of it with
//!   the list's paging rules. Only then are its events yielded, oldest first
//!   (by `created`; events of one instant in the reverse of the order Atlas
//!   listed them, which is newest first). A poll whose window ends before
//!   now is followed at once by the next; otherwise the next poll waits for
//!   the interval (longer when Atlas's rate limit headers ask for it).
//! - The overlap (default two minutes) re-reads the end of the previous
//!   window, so that events sharing the boundary's `created` second, events
//!   that Atlas makes visible a little after their `created` time, and clock
//!   skew between this machine and Atlas lose nothing. The checkpoint keeps
//!   the ids of the events yielded inside the overlap, so none is yielded
//!   twice. An event that becomes visible later than the overlap after its
//!   `created` time is missed: raise the overlap if that happens.
//! - Events outside the asked window are dropped on this side too: a proxy
//!   that drops the query string cannot replay old events.
//! - The checkpoint is valid after every yielded event: restarting from it
//!   yields exactly the events not yet yielded. Within a poll, events come
//!   out in order, so an event made visible late comes after newer ones.
//! - A poll that fails (after the client's retries) yields its error and is
//!   tried again after the interval, from the same checkpoint: the stream
//!   does not end on errors. It ends only when `max_date` (if set) is passed.
//! - Memory: the events of one window, and the ids inside the overlap.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use time::OffsetDateTime;

use super::paging::{JsonPage, PagerParts};
use super::{Error, Paged, Pages};

/// How long a follow stream waits between polls that found it up to date.
const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);
/// How much of the previous window each poll reads again.
const DEFAULT_OVERLAP: Duration = Duration::from_secs(120);
/// The longest window one poll asks for while catching up.
const DEFAULT_CATCH_UP_WINDOW: Duration = Duration::from_secs(3600);

/// Where a follow stream stands: every event created before [`Checkpoint::until`]
/// (less the overlap) has been yielded, and so have the listed recent ones.
///
/// Serialize it (it is small: the ids of the events inside the overlap) and
/// pass it back with `.from_checkpoint()` to go on where a stream stopped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The end of the last window read completely.
    #[serde(with = "rfc3339")]
    until: OffsetDateTime,
    /// Events yielded whose `created` is inside the overlap of `until`, or
    /// in the window being yielded.
    #[serde(default)]
    recent: Vec<Seen>,
}

/// One yielded event the checkpoint remembers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Seen {
    /// The event's id (or `#` and a fingerprint of its JSON, for an event without one).
    id: String,
    /// The event's `created` (or the end of its window, for an event without one).
    #[serde(with = "rfc3339")]
    created: OffsetDateTime,
}

mod rfc3339 {
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    pub fn serialize<S: serde::Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::super::validate::format_datetime(value))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        OffsetDateTime::parse(&text, &Rfc3339).map_err(serde::de::Error::custom)
    }
}

impl Checkpoint {
    /// A checkpoint from which a stream yields the events created at or
    /// after `since` (less the overlap: a few earlier ones may come too).
    pub fn starting_at(since: OffsetDateTime) -> Checkpoint {
        Checkpoint {
            until: since,
            recent: Vec::new(),
        }
    }

    /// The end of the last window read completely.
    pub fn until(&self) -> OffsetDateTime {
        self.until
    }

    /// How many recent event ids the checkpoint holds.
    pub fn recent_len(&self) -> usize {
        self.recent.len()
    }
}

/// Builds the pager of one window `[min_date, max_date]` of the followed list.
type WindowPager =
    Arc<dyn Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error> + Send + Sync>;

enum State<P: Paged> {
    /// About to start a poll.
    Ready,
    /// Waiting for the next poll.
    Waiting(Pin<Box<tokio::time::Sleep>>),
    /// Reading the pages of one window.
    Polling(Box<Polling<P>>),
    /// Yielding the events of a window read completely.
    Yielding,
    /// Past `max_date`: nothing more.
    Done,
}

struct Polling<P: Paged> {
    pages: Pages<P>,
    /// The window asked for.
    min: OffsetDateTime,
    max: OffsetDateTime,
    /// Whether the window reaches now (or `max_date`): the next poll waits.
    caught_up: bool,
    /// Items received so far, in the order Atlas listed them.
    received: Vec<P::Item>,
    /// The longest wait the rate limit headers of its answers asked for.
    asked_wait: Option<Duration>,
}

/// What comes after the batch being yielded.
#[derive(Debug, Clone, Copy)]
struct AfterBatch {
    /// The end of the window the batch comes from: the checkpoint's next `until`.
    until: OffsetDateTime,
    /// How long to wait before the next poll (`None`: poll at once).
    wait: Option<Duration>,
}

/// The events of a list as they appear, oldest first, each once; made by an
/// event list operation's `.follow()`. See the crate's README ("Follow events").
pub struct Follow<P: Paged> {
    window_pager: WindowPager,
    checkpoint: Checkpoint,
    /// The builder's `max_date`: the stream ends once a window reaches it.
    end: Option<OffsetDateTime>,
    interval: Duration,
    overlap: Duration,
    catch_up_window: Duration,
    state: State<P>,
    /// Events of the last window not yet yielded, oldest first.
    batch: VecDeque<(String, OffsetDateTime, P::Item)>,
    /// Set while `batch` is being yielded.
    after_batch: Option<AfterBatch>,
    /// Ids in `checkpoint.recent`, for lookup.
    seen: HashSet<String>,
}

impl<P: Paged> Unpin for Follow<P> {}

impl<P: Paged> Follow<P> {
    /// Made by generated code: `window_pager(min, max)` builds the pager of
    /// one window; `start` is the builder's `min_date` (now when `None`),
    /// `end` its `max_date`.
    #[doc(hidden)]
    pub fn new(
        window_pager: impl Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error>
        + Send
        + Sync
        + 'static,
        start: Option<OffsetDateTime>,
        end: Option<OffsetDateTime>,
    ) -> Follow<P> {
        let since = start.unwrap_or_else(OffsetDateTime::now_utc);
        Follow {
            window_pager: Arc::new(window_pager),
            checkpoint: Checkpoint::starting_at(since),
            end,
            interval: DEFAULT_POLL_INTERVAL,
            overlap: DEFAULT_OVERLAP,
            catch_up_window: DEFAULT_CATCH_UP_WINDOW,
            state: State::Ready,
            batch: VecDeque::new(),
            after_batch: None,
            seen: HashSet::new(),
        }
    }

    /// Goes on from a checkpoint of an earlier stream of the same list
    /// (instead of from `min_date`). Set it before polling the stream.
    pub fn from_checkpoint(mut self, checkpoint: Checkpoint) -> Self {
        self.seen = checkpoint.recent.iter().map(|s| s.id.clone()).collect();
        self.checkpoint = checkpoint;
        self.restart();
        self
    }

    /// How long to wait between polls once up to date (default 30 seconds,
    /// at least one second).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.interval = interval.max(Duration::from_secs(1));
        self
    }

    /// How much of the previous window each poll reads again (default two
    /// minutes): it must exceed the delay with which Atlas makes an event
    /// visible after its `created` time, plus the clock skew.
    pub fn overlap(mut self, overlap: Duration) -> Self {
        self.overlap = overlap;
        self
    }

    /// The longest window one poll reads while catching up (default one
    /// hour, at least one second): the events of one window are held in
    /// memory before they are yielded.
    pub fn catch_up_window(mut self, window: Duration) -> Self {
        self.catch_up_window = window.max(Duration::from_secs(1));
        self
    }

    /// Every event together with its JSON exactly as Atlas sent it. Events
    /// of a window read but not yet yielded are read again (from the checkpoint).
    pub fn with_json(self) -> Follow<JsonPage<P>> {
        Follow {
            window_pager: self.window_pager,
            seen: self.seen,
            checkpoint: self.checkpoint,
            end: self.end,
            interval: self.interval,
            overlap: self.overlap,
            catch_up_window: self.catch_up_window,
            state: State::Ready,
            batch: VecDeque::new(),
            after_batch: None,
        }
    }

    /// Where the stream stands: every event yielded so far is in it.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// How many events of the window being yielded are still to come
    /// without another request (0 at the end of each poll's batch: a good
    /// moment to save the checkpoint).
    pub fn buffered(&self) -> usize {
        self.batch.len()
    }

    /// Drops a poll in progress and its unyielded events (the next poll reads them again).
    fn restart(&mut self) {
        self.state = State::Ready;
        self.batch.clear();
        self.after_batch = None;
    }

    /// The window the next poll asks for and whether it reaches now (or
    /// `max_date`), or `None` when `max_date` is passed.
    fn next_window(&self, now: OffsetDateTime) -> Option<(OffsetDateTime, OffsetDateTime, bool)> {
        let until = self.checkpoint.until;
        if self.end.is_some_and(|end| until >= end) {
            return None;
        }
        let min = earlier(until, self.overlap);
        let mut max = later(until, self.catch_up_window);
        let mut caught_up = false;
        if now <= max {
            max = now;
            caught_up = true;
        }
        if let Some(end) = self.end
            && end <= max
        {
            max = end;
            caught_up = true;
        }
        Some((min, max.max(min), caught_up))
    }

    /// Starts the poll of the next window.
    fn start_poll(&mut self) -> Result<(), Error> {
        let now = OffsetDateTime::now_utc();
        let Some((min, max, caught_up)) = self.next_window(now) else {
            self.state = State::Done;
            return Ok(());
        };
        let pages = (self.window_pager)(min, max)?.pages::<P>();
        self.state = State::Polling(Box::new(Polling {
            pages,
            min,
            max,
            caught_up,
            received: Vec::new(),
            asked_wait: None,
        }));
        Ok(())
    }

    /// Turns the items of a completely read window into the batch to yield.
    fn finish_poll(&mut self, polling: Polling<P>) {
        let Polling {
            min,
            max,
            caught_up,
            received,
            asked_wait,
            ..
        } = polling;
        // Atlas lists newest first; reversed, a stable sort by `created`
        // keeps events of one instant oldest first too.
        let mut batch: Vec<(String, OffsetDateTime, P::Item)> = Vec::new();
        let mut in_window = HashSet::new();
        for (index, item) in received.into_iter().rev().enumerate() {
            let created = P::created(&item);
            // Outside the window asked for: a proxy that drops the query, or a
            // server that ignores it. Earlier ones were yielded, later ones will be.
            if created.is_some_and(|c| c < min || c > max) {
                continue;
            }
            let id = identity::<P>(&item).unwrap_or_else(|| format!("#{index}"));
            if self.seen.contains(&id) || !in_window.insert(id.clone()) {
                continue;
            }
            batch.push((id, created.unwrap_or(max), item));
        }
        batch.sort_by_key(|(_, created, _)| *created);
        self.batch = batch.into();
        // Up to date: wait the interval, or longer if the rate limit asks;
        // behind: go on at once unless the rate limit asks to wait.
        let wait = if caught_up {
            Some(asked_wait.map_or(self.interval, |w| w.max(self.interval)))
        } else {
            asked_wait
        };
        self.after_batch = Some(AfterBatch { until: max, wait });
        self.state = State::Yielding;
    }

    /// The batch is yielded: the checkpoint moves to the window's end, ids
    /// older than the next window's start are forgotten, and the next poll
    /// is due at once or after a wait.
    fn end_batch(&mut self) {
        let Some(after) = self.after_batch.take() else {
            return;
        };
        self.checkpoint.until = self.checkpoint.until.max(after.until);
        let horizon = earlier(self.checkpoint.until, self.overlap);
        self.checkpoint
            .recent
            .retain(|seen| seen.created >= horizon);
        self.seen = self
            .checkpoint
            .recent
            .iter()
            .map(|s| s.id.clone())
            .collect();
        self.state = match after.wait {
            // Past `max_date`: nothing to wait for.
            _ if self.end.is_some_and(|end| self.checkpoint.until >= end) => State::Done,
            Some(wait) => State::Waiting(Box::pin(tokio::time::sleep(wait))),
            None => State::Ready,
        };
    }

    /// Records a yielded event in the checkpoint.
    fn record(&mut self, id: String, created: OffsetDateTime) {
        self.seen.insert(id.clone());
        self.checkpoint.recent.push(Seen { id, created });
    }

    /// Waits before trying a failed poll again.
    fn wait_after_error(&mut self, asked: Option<Duration>) {
        let wait = asked.map_or(self.interval, |w| w.max(self.interval));
        self.state = State::Waiting(Box::pin(tokio::time::sleep(wait)));
    }
}

/// `at` less `span`, saturating at the earliest representable time.
fn earlier(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_sub(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}

/// `at` plus `span`, saturating at the latest representable time.
fn later(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_add(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}

/// An item's identity: its id, or a fingerprint of its JSON.
fn identity<P: Paged>(item: &P::Item) -> Option<String> {
    match P::key(item) {
        Some(key) => Some(key.to_owned()),
        None => P::fingerprint(item).map(|f| format!("#{f:016x}")),
    }
}

impl<P: Paged> Stream for Follow<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.state, State::Ready) {
                State::Done => {
                    this.state = State::Done;
                    return Poll::Ready(None);
                }
                State::Ready => {
                    if let Err(error) = this.start_poll() {
                        // A parameter error will not go away: end after saying it.
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                State::Waiting(mut sleep) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        this.state = State::Waiting(sleep);
                        return Poll::Pending;
                    }
                }
                State::Yielding => {
                    let Some((id, created, item)) = this.batch.pop_front() else {
                        this.end_batch();
                        continue;
                    };
                    this.state = State::Yielding;
                    this.record(id, created);
                    if this.batch.is_empty() {
                        // The checkpoint after the last event already covers the window.
                        this.end_batch();
                    }
                    return Poll::Ready(Some(Ok(item)));
                }
                State::Polling(mut polling) => match Pin::new(&mut polling.pages).poll_next(cx) {
                    Poll::Pending => {
                        this.state = State::Polling(polling);
                        return Poll::Pending;
                    }
                    Poll::Ready(Some(Ok(page))) => {
                        let limit = page.rate_limit;
                        if limit.remaining == Some(0) {
                            polling.asked_wait = polling.asked_wait.max(limit.retry_after);
                        }
                        polling.received.extend(page.items);
                        this.state = State::Polling(polling);
                    }
                    Poll::Ready(Some(Err(error))) => {
                        // What this window read is dropped: the retry reads it again.
                        this.wait_after_error(error.retry_after());
                        return Poll::Ready(Some(Err(error)));
                    }
                    Poll::Ready(None) => this.finish_poll(*polling),
                },
            }
        }
    }
}
