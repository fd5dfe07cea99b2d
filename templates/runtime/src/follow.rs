//! Following a list of events as it grows: yields every new event once,
//! oldest first, and keeps a small checkpoint to restart from. How windows
//! are chosen and read is the reader's job (`reader.rs`, where the rules
//! are); this file holds the checkpoint and the stream of one scope.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use time::OffsetDateTime;

use super::client::RateLimits;
use super::paging::{JsonPage, PagerParts};
use super::reader::{Ask, Fetched, Reader, Step, Timing, earlier};
use super::{Client, Error, Paged};

/// How long a follow stream waits between polls that found it up to date.
pub(crate) const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);
/// How much of the previous window each poll reads again.
pub(crate) const DEFAULT_OVERLAP: Duration = Duration::from_secs(120);

/// Where a follow stream stands: every event created before its `from`
/// time has been yielded, and so have the listed recent ones.
///
/// Serialize it (it is small: two times and the ids of the few events
/// yielded at or after `from`) and pass it back with `.from_checkpoint()`
/// to go on where a stream stopped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    /// The end of the last window read completely.
    #[serde(with = "rfc3339")]
    pub(crate) until: OffsetDateTime,
    /// Where the next window starts: every event created before it has been
    /// yielded. Absent in checkpoints of earlier versions, whose next window
    /// started at `until` less the overlap.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "rfc3339::option"
    )]
    pub(crate) from: Option<OffsetDateTime>,
    /// Events yielded whose `created` is at or after `from`.
    #[serde(default)]
    pub(crate) recent: Vec<Seen>,
}

/// One yielded event the checkpoint remembers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Seen {
    /// The event's id (or `#` and a fingerprint of its JSON, for an event without one).
    pub(crate) id: String,
    /// The event's `created` (or the end of its window, for an event without one).
    #[serde(with = "rfc3339")]
    pub(crate) created: OffsetDateTime,
}

pub(crate) mod rfc3339 {
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

    pub mod option {
        use time::OffsetDateTime;

        pub fn serialize<S: serde::Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: serde::Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}

impl Checkpoint {
    /// A checkpoint from which a stream yields the events created at or
    /// after `since`.
    pub fn starting_at(since: OffsetDateTime) -> Checkpoint {
        Checkpoint {
            until: since,
            from: Some(since),
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

    /// Where the next window starts (for a checkpoint of an earlier
    /// version, which does not say: `until` less `overlap`).
    pub(crate) fn from(&self, overlap: Duration) -> OffsetDateTime {
        self.from.unwrap_or_else(|| earlier(self.until, overlap))
    }
}

/// Builds the pager of one window `[min_date, max_date]` of the followed list.
type WindowPager =
    Arc<dyn Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error> + Send + Sync>;

/// One page request in flight.
pub(crate) type Fetching<T> =
    Pin<Box<dyn Future<Output = Result<(Fetched<T>, Ask), Error>> + Send>>;

enum State<T> {
    /// Asking the reader what to do.
    Ready,
    Fetching(Fetching<T>),
    Waiting(Pin<Box<dyn Future<Output = ()> + Send>>),
    Done,
}

/// The events of a list as they appear, oldest first, each once; made by an
/// event list operation's `.follow()`. See the crate's README ("Follow events").
pub struct Follow<P: Paged> {
    client: Client,
    window_pager: WindowPager,
    reader: Reader<P>,
    state: State<P::Item>,
    /// The operation followed (for errors), once a request has been built.
    operation: &'static str,
}

impl<P: Paged> Unpin for Follow<P> {}

impl<P: Paged> Follow<P> {
    /// Made by generated code: `window_pager(min, max)` builds the pager of
    /// one window; `start` is the builder's `min_date` (now when `None`),
    /// `end` its `max_date`.
    #[doc(hidden)]
    pub fn new(
        client: Client,
        window_pager: impl Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error>
        + Send
        + Sync
        + 'static,
        start: Option<OffsetDateTime>,
        end: Option<OffsetDateTime>,
    ) -> Follow<P> {
        let since = start.unwrap_or_else(|| client.clock().now());
        let timing = Timing {
            interval: DEFAULT_POLL_INTERVAL,
            quiet_interval: DEFAULT_POLL_INTERVAL,
            overlap: DEFAULT_OVERLAP,
        };
        Follow {
            client,
            window_pager: Arc::new(window_pager),
            reader: Reader::new(Checkpoint::starting_at(since), end, timing),
            state: State::Ready,
            operation: "follow",
        }
    }

    /// Goes on from a checkpoint of an earlier stream of the same list
    /// (instead of from `min_date`). Set it before polling the stream.
    pub fn from_checkpoint(mut self, checkpoint: Checkpoint) -> Self {
        let timing = self.reader.timing();
        self.reader = Reader::new(checkpoint, self.reader_end(), timing);
        self.state = State::Ready;
        self
    }

    /// How long to wait between polls once up to date (default 30 seconds,
    /// at least one second).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        let mut timing = self.reader.timing();
        timing.interval = interval.max(Duration::from_secs(1));
        timing.quiet_interval = timing.quiet_interval.max(timing.interval);
        self.reader.set_timing(timing);
        self
    }

    /// The longest wait between polls while polls find nothing (default:
    /// the poll interval, so every poll comes after the interval). Set
    /// longer, the wait doubles after each empty poll up to it, and resets
    /// with the first event: fewer requests for a quiet list, at the cost
    /// of seeing its next event up to this late.
    pub fn quiet_interval(mut self, interval: Duration) -> Self {
        let mut timing = self.reader.timing();
        timing.quiet_interval = interval.max(timing.interval);
        self.reader.set_timing(timing);
        self
    }

    /// How much of the previous window each poll reads again (default two
    /// minutes): it must exceed the delay with which Atlas makes an event
    /// visible after its `created` time, plus the clock skew. History older
    /// than this is read in one window, backwards (see the README).
    pub fn overlap(mut self, overlap: Duration) -> Self {
        let mut timing = self.reader.timing();
        timing.overlap = overlap;
        self.reader.set_timing(timing);
        self
    }

    /// Every event together with its JSON exactly as Atlas sent it. Events
    /// of a window read but not yet yielded are read again (from the checkpoint).
    pub fn with_json(self) -> Follow<JsonPage<P>> {
        Follow {
            client: self.client,
            window_pager: self.window_pager,
            reader: self.reader.convert(),
            state: State::Ready,
            operation: self.operation,
        }
    }

    /// Where the stream stands: every event yielded so far is in it.
    pub fn checkpoint(&self) -> &Checkpoint {
        self.reader.checkpoint()
    }

    /// How many events of the window being yielded are still to come
    /// without another request (0 at the end of each batch: a good
    /// moment to save the checkpoint). (Not `buffered`: with
    /// `futures_util::StreamExt` in scope, `StreamExt::buffered` would be
    /// called.)
    pub fn buffered_events(&self) -> usize {
        self.reader.buffered()
    }

    fn reader_end(&self) -> Option<OffsetDateTime> {
        self.reader.end()
    }

    /// Starts the request the reader asked for.
    fn start_fetch(&mut self, ask: Ask) -> Result<(), Error> {
        let parts = (self.window_pager)(ask.min, ask.max)?;
        self.reader.set_keep(parts.keep.clone());
        let (fetching, operation) = fetch::<P>(parts, ask, RateLimits::Retry);
        self.operation = operation;
        self.state = State::Fetching(fetching);
        Ok(())
    }
}

/// Fetches page `ask.page` of the window of `parts`; also returns the
/// operation's id.
pub(crate) fn fetch<P: Paged>(
    parts: PagerParts,
    ask: Ask,
    rate_limits: RateLimits,
) -> (Fetching<P::Item>, &'static str) {
    let spec = (parts.request_for_page)(ask.page);
    let operation = spec.operation_id;
    let per_page = u64::from(parts.paging.items_per_page.max(1));
    let client = parts.client;
    let fetching = Box::pin(async move {
        let (response, fingerprint) = client.execute_page::<P>(&spec, rate_limits).await?;
        let rate_limit = response.rate_limit();
        let page = response.into_body().into_page();
        if let Some(reason) = page.unreadable {
            return Err(Error::Paging {
                operation,
                page: ask.page,
                reason,
            });
        }
        let full = page.items.len() as u64 >= per_page;
        let fetched = Fetched {
            items: page.items,
            full,
            total: page.total_count,
            has_next_link: page.has_next_link,
            fingerprint,
            rate_limit,
        };
        Ok((fetched, ask))
    });
    (fetching, operation)
}

impl<P: Paged> Stream for Follow<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.reader.pop() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::mem::replace(&mut this.state, State::Ready) {
                State::Done => {
                    this.state = State::Done;
                    return Poll::Ready(None);
                }
                State::Waiting(mut sleep) => {
                    if sleep.as_mut().poll(cx).is_pending() {
                        this.state = State::Waiting(sleep);
                        return Poll::Pending;
                    }
                }
                State::Fetching(mut fetching) => match fetching.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::Fetching(fetching);
                        return Poll::Pending;
                    }
                    Poll::Ready(Ok((fetched, ask))) => {
                        let now = this.client.clock().now();
                        if let Err(reason) = this.reader.on_page(fetched, now) {
                            return Poll::Ready(Some(Err(Error::Paging {
                                operation: this.operation,
                                page: ask.page,
                                reason,
                            })));
                        }
                    }
                    Poll::Ready(Err(error)) => {
                        // What this window read is dropped: the retry reads it again.
                        this.reader.on_error(&error, this.client.clock().now());
                        return Poll::Ready(Some(Err(error)));
                    }
                },
                State::Ready => match this.reader.next_step(this.client.clock().now()) {
                    Step::Ready => {}
                    Step::Done => {
                        this.state = State::Done;
                        return Poll::Ready(None);
                    }
                    Step::Wait(wait) => {
                        this.state = State::Waiting(this.client.clock().sleep(wait));
                    }
                    Step::Failed(reason) => {
                        return Poll::Ready(Some(Err(Error::Paging {
                            operation: this.operation,
                            page: 1,
                            reason,
                        })));
                    }
                    Step::Fetch(ask) => {
                        if let Err(error) = this.start_fetch(ask) {
                            // A parameter error will not go away: end after saying it.
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(error)));
                        }
                    }
                },
            }
        }
    }
}
