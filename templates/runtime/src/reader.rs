//! How a follow stream reads one scope's events (an organization's or a
//! project's): which page of which time window to ask for next, and what
//! to yield from each answer. No I/O here: the driver ([`Follow`] for one
//! scope, [`OrgFollow`] for an organization and its projects) sends the
//! requests this reader asks for, sleeps the waits it asks for and hands
//! back the pages, so every rule below is tested without a server.
//!
//! The rules (the crate's README repeats them):
//!
//! - **Settled history is read in one window, backwards.** Atlas lists
//!   events newest first. Everything created before `now - overlap` is
//!   *settled*: no event of it can still become visible, so pages of a
//!   window `[from, now - overlap]` with both ends pinned never shift. The
//!   reader asks for page 1; if it is not full, that is the whole window.
//!   Otherwise it finds the last page (`totalCount` guesses it; a guess that
//!   is off is corrected by doubling, then bisecting) and yields the pages
//!   from the last one back to page 1, each oldest first, keeping only page 1
//!   and the page being yielded in memory. Reading `N` events of history so
//!   costs at most `2 * ceil(N / page size) + 1` requests, usually
//!   `ceil(N / page size) + 1`, however they cluster in time (down to more
//!   than a page of events inside one second), and an empty scope costs one.
//! - **The live edge is read forwards.** The window `[from, now]` (from is
//!   `now - overlap` of the previous poll) is read page by page and yielded
//!   oldest first once complete, so events that become visible late, within
//!   the overlap, are still found. A quiet scope costs one request a poll.
//!   A live window of more than [`LIVE_WINDOW_PAGES`] pages is not held: it
//!   is read as settled history once it has settled.
//! - **Exactly once.** The checkpoint keeps `from` (every event created
//!   before it has been yielded) and the ids of the events yielded at or
//!   after it; it is valid after every event.
//! - **Nothing outside the window.** Events outside the asked window are
//!   dropped on this side: a proxy that drops the query string cannot replay
//!   old events.
//! - **Answers that contradict themselves stop the window:** a page that
//!   repeats an earlier one (a server or proxy ignoring `pageNum`), a short
//!   page before the last one, pages whose times go backwards. The error is
//!   yielded and the window read again after the poll interval, from the
//!   checkpoint.
//! - **Rate limits.** `RateLimit-Remaining: 0` makes the next request wait
//!   for `Retry-After` (or [`EXHAUSTED_WAIT`]); a failed request waits the
//!   longer of the poll interval and its `Retry-After`.
//!
//! [`Follow`]: super::Follow
//! [`OrgFollow`]: super::OrgFollow

use std::collections::{HashSet, VecDeque};
use std::time::Duration;

use time::OffsetDateTime;

use super::follow::{Checkpoint, Seen};
use super::paging::{KeepType, Paged};
use super::{Error, RateLimit};

/// Most pages of the live edge held in memory; a busier live window is left
/// to settle and then read backwards, a page at a time.
pub(crate) const LIVE_WINDOW_PAGES: u32 = 4;

/// How long the next request waits after `RateLimit-Remaining: 0` without
/// `Retry-After`.
pub(crate) const EXHAUSTED_WAIT: Duration = Duration::from_secs(5);

/// The timing of one scope's reader.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    /// The wait between polls once up to date.
    pub(crate) interval: Duration,
    /// The longest wait between polls of a scope whose polls find nothing
    /// (the wait doubles from `interval` after each empty poll).
    pub(crate) quiet_interval: Duration,
    /// How much of the previous live window each poll reads again.
    pub(crate) overlap: Duration,
}

impl Timing {
    /// The longest wait between two polls that keep up.
    fn longest_wait(&self) -> Duration {
        self.interval.max(self.quiet_interval)
    }
}

/// What the driver does next for this reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Fetch page `page` of the window `[min, max]`.
    Fetch(Ask),
    /// Wait this long, then ask again.
    Wait(Duration),
    /// Events are ready: take them with [`Reader::pop`].
    Ready,
    /// The answers contradict one another (the reason): the window is
    /// dropped and read again after a wait.
    Failed(String),
    /// The follow has read up to its end.
    Done,
}

/// One page to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ask {
    pub(crate) min: OffsetDateTime,
    pub(crate) max: OffsetDateTime,
    pub(crate) page: u32,
    /// Whether it continues a read (every request of a poll but its first):
    /// a follow of many scopes serves these first.
    pub(crate) continues: bool,
}

/// One page as fetched.
pub(crate) struct Fetched<T> {
    /// Every item of the page, in the order Atlas listed them.
    pub(crate) items: Vec<T>,
    /// Whether the page holds as many items as were asked for.
    pub(crate) full: bool,
    /// `totalCount`, if sent.
    pub(crate) total: Option<u64>,
    /// Whether the page links a next one.
    pub(crate) has_next_link: bool,
    /// A fingerprint of the page's body.
    pub(crate) fingerprint: u64,
    pub(crate) rate_limit: RateLimit,
}

/// An event ready to be yielded: its identity, its time, the item.
struct Ready<T> {
    id: String,
    created: OffsetDateTime,
    item: T,
}

/// A time window and when its reading started.
#[derive(Debug, Clone, Copy)]
struct Window {
    min: OffsetDateTime,
    max: OffsetDateTime,
    /// The clock when the window was chosen.
    started: OffsetDateTime,
}

/// What the checkpoint becomes once the batch being yielded is out.
#[derive(Debug, Clone, Copy, Default)]
struct Advance {
    from: Option<OffsetDateTime>,
    until: Option<OffsetDateTime>,
}

enum Phase<T> {
    /// Between polls: the next starts at `due`.
    Idle { due: OffsetDateTime },
    /// Catching up: page 1 of the window from the checkpoint to now (or
    /// the end). When it is not full it is the whole window, read like a
    /// live one; otherwise settled history, up to `settled`, is read
    /// backwards first.
    Head {
        window: Window,
        settled: OffsetDateTime,
        /// Whether this is the poll's first request.
        first: bool,
    },
    /// Settled history: looking for the last page.
    Probe(Box<Probe<T>>),
    /// Settled history: yielding pages from the last one back to page 1.
    Back(Box<Back<T>>),
    /// The live edge: reading pages forwards.
    Live(Box<Live<T>>),
    /// Past the end.
    Done,
}

struct Probe<T> {
    window: Window,
    first: Vec<T>,
    first_fingerprint: u64,
    /// The last page by `totalCount`, not yet tried.
    guess: Option<u32>,
    /// Whether the page just probed was the guess.
    probed_guess: bool,
    /// The highest page known to be full.
    known_full: u32,
    /// The lowest page known to be empty.
    first_empty: Option<u32>,
    /// The highest full page probed, kept in case it is the last.
    held: Option<(u32, Vec<T>)>,
}

struct Back<T> {
    window: Window,
    /// Page 1, yielded last.
    first: Vec<T>,
    first_fingerprint: u64,
    /// The last page of the window.
    last: u32,
    /// The page to yield next.
    next: u32,
    /// The page `next`, when it is already here.
    in_hand: Option<Vec<T>>,
    /// The newest `created` of the page yielded before: the next page must
    /// not be older.
    newest_yielded: Option<OffsetDateTime>,
}

struct Live<T> {
    window: Window,
    page: u32,
    received: Vec<T>,
    fingerprints: HashSet<u64>,
}

/// Reads one scope. See the module documentation.
pub(crate) struct Reader<P: Paged> {
    checkpoint: Checkpoint,
    /// Ids in `checkpoint.recent`.
    seen: HashSet<String>,
    /// The end of the follow (`max_date`), if any.
    end: Option<OffsetDateTime>,
    timing: Timing,
    /// The wait after the next empty live poll.
    quiet_wait: Duration,
    /// Which type names to yield (a type selection applied on this side).
    keep: Option<KeepType>,
    phase: Phase<P::Item>,
    batch: VecDeque<Ready<P::Item>>,
    /// Applied to the checkpoint once `batch` is out.
    advance: Option<Advance>,
    /// No request before this time (a rate limit asked for it).
    not_before: Option<OffsetDateTime>,
    /// The end of a live window too busy to hold: read as settled history
    /// once it has settled.
    settle_before: Option<OffsetDateTime>,
    /// Whether the reader has read up to the live edge (or its end) once.
    caught_up: bool,
    /// The state of the jitter of quiet waits (0: none).
    jitter: u64,
}

impl<P: Paged> Reader<P> {
    pub(crate) fn new(checkpoint: Checkpoint, end: Option<OffsetDateTime>, timing: Timing) -> Self {
        let seen = checkpoint.recent.iter().map(|s| s.id.clone()).collect();
        let due = checkpoint.until;
        Reader {
            checkpoint,
            seen,
            end,
            quiet_wait: timing.interval,
            timing,
            keep: None,
            phase: Phase::Idle { due },
            batch: VecDeque::new(),
            advance: None,
            not_before: None,
            settle_before: None,
            caught_up: false,
            jitter: 0,
        }
    }

    /// Jitters the waits of quiet polls (longer than the poll interval) by
    /// up to a quarter, from `seed`: scopes that went quiet together do not
    /// poll together every quiet interval.
    pub(crate) fn set_jitter_seed(&mut self, seed: u64) {
        self.jitter = seed | 1;
    }

    /// `wait`, less up to a quarter of it when jitter is on.
    fn jittered(&mut self, wait: Duration) -> Duration {
        if self.jitter == 0 || wait <= self.timing.interval {
            return wait;
        }
        self.jitter = self
            .jitter
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let quarter = (self.jitter >> 40) as f64 / (1u64 << 24) as f64 / 4.0;
        wait.mul_f64(1.0 - quarter)
    }

    /// The same reader for another item type (the stream's `with_json`):
    /// its checkpoint and timing, nothing read yet.
    pub(crate) fn convert<Q: Paged>(self) -> Reader<Q> {
        let mut reader = Reader::new(self.checkpoint, self.end, self.timing);
        reader.keep = self.keep;
        reader
    }

    pub(crate) fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The end of the follow (`max_date`), if any.
    pub(crate) fn end(&self) -> Option<OffsetDateTime> {
        self.end
    }

    pub(crate) fn set_timing(&mut self, timing: Timing) {
        self.timing = timing;
        self.quiet_wait = timing.interval;
    }

    pub(crate) fn timing(&self) -> Timing {
        self.timing
    }

    pub(crate) fn set_keep(&mut self, keep: Option<KeepType>) {
        self.keep = keep;
    }

    /// Whether the reader has read up to the live edge (or its end) once.
    pub(crate) fn caught_up(&self) -> bool {
        self.caught_up || matches!(self.phase, Phase::Done)
    }

    /// Whether the reader has read up to its end.
    pub(crate) fn is_done(&self) -> bool {
        matches!(self.phase, Phase::Done) && self.batch.is_empty()
    }

    /// Events read and not yet yielded.
    pub(crate) fn buffered(&self) -> usize {
        self.batch.len()
    }

    /// What to do next, at `now`.
    pub(crate) fn next_step(&mut self, now: OffsetDateTime) -> Step {
        if !self.batch.is_empty() {
            return Step::Ready;
        }
        if let Some(at) = self.not_before {
            if now < at {
                return Step::Wait(span(now, at));
            }
            self.not_before = None;
        }
        loop {
            match &mut self.phase {
                Phase::Done => return Step::Done,
                Phase::Idle { due } => {
                    if now < *due {
                        return Step::Wait(span(now, *due));
                    }
                    self.phase = self.start_cycle(now);
                }
                Phase::Head { window, first, .. } => {
                    return Step::Fetch(Ask {
                        continues: !*first,
                        ..ask(window, 1)
                    });
                }
                Phase::Probe(probe) => match probe.next_probe() {
                    Some(page) => return Step::Fetch(ask(&probe.window, page)),
                    None => {
                        let Phase::Probe(probe) = std::mem::replace(&mut self.phase, Phase::Done)
                        else {
                            unreachable!("matched above")
                        };
                        self.phase = (*probe).into_back();
                    }
                },
                Phase::Back(back) => {
                    if let Some(items) = back.in_hand.take() {
                        if let Err(reason) = self.yield_back_page(items, true, now) {
                            self.fail(now, None);
                            return Step::Failed(reason);
                        }
                        if !self.batch.is_empty() {
                            return Step::Ready;
                        }
                        continue;
                    }
                    return Step::Fetch(ask(&back.window, back.next));
                }
                Phase::Live(live) => {
                    return Step::Fetch(Ask {
                        continues: live.page > 1,
                        ..ask(&live.window, live.page)
                    });
                }
            }
        }
    }

    /// The next event, if one is ready; the checkpoint then counts it.
    pub(crate) fn pop(&mut self) -> Option<P::Item> {
        let ready = self.batch.pop_front()?;
        self.seen.insert(ready.id.clone());
        self.checkpoint.recent.push(Seen {
            id: ready.id,
            created: ready.created,
        });
        if self.batch.is_empty() {
            // A scope keeps no room for its largest batch: a follow of
            // hundreds of projects would hold a page's worth for each.
            self.batch = VecDeque::new();
            self.apply_advance();
        }
        Some(ready.item)
    }

    /// A page asked for with [`Step::Fetch`] arrived at `now`. An `Err` is a
    /// contradiction in the answers: the window is dropped and read again
    /// after a wait.
    pub(crate) fn on_page(
        &mut self,
        fetched: Fetched<P::Item>,
        now: OffsetDateTime,
    ) -> Result<(), String> {
        if fetched.rate_limit.remaining == Some(0) {
            let wait = fetched.rate_limit.retry_after.unwrap_or(EXHAUSTED_WAIT);
            self.not_before = Some(later(now, wait));
        }
        if !fetched.full && fetched.has_next_link {
            // Atlas links a next page only after a full one: this page was
            // cut to another size, so the window's end cannot be told.
            self.fail(now, None);
            return Err(format!(
                "a page of {} events, fewer than asked for, links a next page (does a proxy \
                 drop the query string, `pageNum` and `itemsPerPage` with it?)",
                fetched.items.len()
            ));
        }
        let outcome = match std::mem::replace(&mut self.phase, Phase::Done) {
            Phase::Head {
                window, settled, ..
            } => {
                self.on_head(window, settled, fetched, now);
                Ok(())
            }
            Phase::Probe(probe) => self.on_probe(probe, fetched),
            Phase::Back(back) => {
                if fetched.fingerprint == back.first_fingerprint && back.next != 1 {
                    Err(same_page(back.next))
                } else {
                    let full = fetched.full;
                    self.phase = Phase::Back(back);
                    self.yield_back_page(fetched.items, full, now)
                }
            }
            Phase::Live(live) => self.on_live(live, fetched, now),
            other => {
                // An answer nobody asked for: keep the phase.
                self.phase = other;
                Ok(())
            }
        };
        if outcome.is_err() {
            self.fail(now, None);
        }
        outcome
    }

    /// The request of [`Step::Fetch`] failed (after the client's retries):
    /// the window is dropped and read again after the poll interval, or
    /// the error's `Retry-After` when longer.
    pub(crate) fn on_error(&mut self, error: &Error, now: OffsetDateTime) {
        self.fail(now, error.retry_after());
    }

    /// Drops the window being read; the next poll starts after the interval
    /// (or `retry_after`, when longer) from the checkpoint.
    fn fail(&mut self, now: OffsetDateTime, retry_after: Option<Duration>) {
        let wait = retry_after.map_or(self.timing.interval, |w| w.max(self.timing.interval));
        self.phase = Phase::Idle {
            due: later(now, wait),
        };
    }

    /// Chooses the next window: settled history if there is any beyond
    /// `from`, else the live edge.
    fn start_cycle(&self, now: OffsetDateTime) -> Phase<P::Item> {
        let until = self.checkpoint.until;
        if self.end.is_some_and(|end| until >= end) {
            return Phase::Done;
        }
        let from = self.checkpoint.from(self.timing.overlap);
        let target = self.end.map_or(now, |end| end.min(now));
        let settled = earlier(now, self.timing.overlap).min(target);
        // Polls that keep up read from `now - overlap - wait` on: one live
        // window. Only a scope further behind (a start in the past, an outage)
        // or a live window too busy to hold reads settled history first.
        let behind = earlier(settled, self.timing.longest_wait() * 2);
        if from < settled && (from < behind || self.settle_before.is_some_and(|s| from < s)) {
            // A busy live window left to settle is read as settled history
            // at once; anything else first tries the whole span in one page.
            let max = if self.settle_before.is_some() {
                settled
            } else {
                target
            };
            return Phase::Head {
                window: Window {
                    min: from,
                    max,
                    started: now,
                },
                settled,
                first: true,
            };
        }
        Phase::Live(Box::new(Live {
            window: Window {
                min: from.min(target),
                max: target,
                started: now,
            },
            page: 1,
            received: Vec::new(),
            fingerprints: HashSet::new(),
        }))
    }

    fn on_head(
        &mut self,
        window: Window,
        settled: OffsetDateTime,
        fetched: Fetched<P::Item>,
        now: OffsetDateTime,
    ) {
        if !fetched.full {
            // The whole span in one page: done as a live window is.
            self.settle_before = None;
            let live_edge = window.max > settled || self.end.is_some_and(|end| window.max >= end);
            self.finish_live(window, fetched.items, live_edge, now);
            return;
        }
        if window.max > settled {
            // More than a page: read the settled part backwards, then the rest live.
            self.phase = Phase::Head {
                window: Window {
                    max: settled,
                    ..window
                },
                settled,
                first: false,
            };
            return;
        }
        let per_page = fetched.items.len().max(1) as u64;
        let guess = fetched
            .total
            .map(|total| total.div_ceil(per_page))
            .filter(|&pages| pages > 1)
            .map(|pages| u32::try_from(pages).unwrap_or(u32::MAX));
        self.phase = Phase::Probe(Box::new(Probe {
            window,
            first: fetched.items,
            first_fingerprint: fetched.fingerprint,
            guess,
            probed_guess: false,
            known_full: 1,
            first_empty: None,
            held: None,
        }));
    }

    fn on_probe(
        &mut self,
        mut probe: Box<Probe<P::Item>>,
        fetched: Fetched<P::Item>,
    ) -> Result<(), String> {
        let Some(page) = probe.next_probe() else {
            self.phase = Phase::Probe(probe);
            return Ok(());
        };
        if fetched.fingerprint == probe.first_fingerprint {
            return Err(same_page(page));
        }
        let was_guess = probe.guess.is_some_and(|g| g == page);
        if was_guess {
            probe.guess = None;
        }
        probe.probed_guess = was_guess;
        if fetched.items.is_empty() {
            probe.first_empty = Some(probe.first_empty.map_or(page, |e| e.min(page)));
        } else if fetched.full {
            if page > probe.known_full {
                probe.known_full = page;
                probe.held = Some((page, fetched.items));
            }
        } else {
            // A page neither empty nor full is the last one.
            self.phase = Phase::Back(Box::new(Back {
                window: probe.window,
                first: probe.first,
                first_fingerprint: probe.first_fingerprint,
                last: page,
                next: page,
                in_hand: Some(fetched.items),
                newest_yielded: None,
            }));
            return Ok(());
        }
        if probe.first_empty.is_some_and(|e| e <= probe.known_full) {
            return Err(format!(
                "page {} of the window was empty but a later page was full: the list changed \
                 while it was read",
                probe.first_empty.unwrap_or_default()
            ));
        }
        self.phase = Phase::Probe(probe);
        Ok(())
    }

    /// Yields one page of settled history (`items`, of page `back.next`)
    /// and moves to the page before it. An `Err` carries the reason.
    fn yield_back_page(
        &mut self,
        items: Vec<P::Item>,
        full: bool,
        now: OffsetDateTime,
    ) -> Result<(), String> {
        let Phase::Back(back) = &mut self.phase else {
            return Ok(());
        };
        let page = back.next;
        if page < back.last && !full {
            return Err(format!(
                "page {page} of the window is not full though page {} exists: the list changed \
                 while it was read",
                back.last
            ));
        }
        let oldest = items.iter().filter_map(P::created).min();
        let newest = items.iter().filter_map(P::created).max();
        if let (Some(oldest), Some(before)) = (oldest, back.newest_yielded)
            && oldest < before
        {
            return Err(format!(
                "page {page} of the window holds events older than the page after it: the list \
                 changed while it was read"
            ));
        }
        back.newest_yielded = newest.or(back.newest_yielded);
        let window = back.window;
        let advance = if page <= 1 {
            // The whole window is out.
            self.phase = Phase::Idle { due: now };
            self.settle_before = None;
            Advance {
                from: Some(window.max),
                until: Some(window.max),
            }
        } else {
            back.next = page - 1;
            if back.next == 1 {
                back.in_hand = Some(std::mem::take(&mut back.first));
            }
            // Every event older than this page's newest is out; of those of its
            // newest second, the checkpoint keeps the ids.
            Advance {
                from: newest,
                until: None,
            }
        };
        self.fill_batch(items, &window);
        self.set_advance(advance);
        Ok(())
    }

    fn on_live(
        &mut self,
        mut live: Box<Live<P::Item>>,
        fetched: Fetched<P::Item>,
        now: OffsetDateTime,
    ) -> Result<(), String> {
        if !live.fingerprints.insert(fetched.fingerprint) {
            return Err(same_page(live.page));
        }
        live.received.extend(fetched.items);
        if fetched.full {
            if live.page >= LIVE_WINDOW_PAGES {
                // Too busy to hold: read it backwards once it has settled.
                self.settle_before = Some(live.window.max);
                self.phase = Phase::Idle {
                    due: later(live.window.max, self.timing.overlap),
                };
                return Ok(());
            }
            live.page += 1;
            self.phase = Phase::Live(live);
            return Ok(());
        }
        self.finish_live(live.window, live.received, true, now);
        Ok(())
    }

    /// Yields a window read completely, in one page or forwards: the next
    /// one starts at its end less the overlap. At the live edge it comes
    /// after the poll interval (doubled up to the quiet interval while polls
    /// find nothing); short of it (settled history) or at the end, at once.
    fn finish_live(
        &mut self,
        window: Window,
        received: Vec<P::Item>,
        live_edge: bool,
        now: OffsetDateTime,
    ) {
        let before = self.batch.len();
        self.fill_batch(received, &window);
        let found = self.batch.len() > before;
        self.set_advance(Advance {
            from: Some(window.max.min(earlier(window.started, self.timing.overlap))),
            until: Some(window.max),
        });
        if !live_edge {
            self.phase = Phase::Idle { due: now };
            return;
        }
        self.caught_up = true;
        let wait = if found {
            self.quiet_wait = self.timing.interval;
            self.timing.interval
        } else {
            let wait = self.quiet_wait;
            self.quiet_wait = (wait * 2).min(self.timing.quiet_interval.max(self.timing.interval));
            self.jittered(wait)
        };
        let reached_end = self.end.is_some_and(|end| window.max >= end);
        self.phase = Phase::Idle {
            due: if reached_end { now } else { later(now, wait) },
        };
    }

    /// Puts the new events of `items` (listed newest first) that lie in the
    /// window and are selected into the batch, oldest first.
    fn fill_batch(&mut self, items: Vec<P::Item>, window: &Window) {
        let mut fresh: Vec<Ready<P::Item>> = Vec::new();
        let mut in_page = HashSet::new();
        for (index, item) in items.into_iter().rev().enumerate() {
            let created = P::created(&item);
            // Outside the window asked for: a proxy that drops the query, or a
            // server that ignores it. Earlier ones were yielded, later ones will be.
            if created.is_some_and(|c| c < window.min || c > window.max) {
                continue;
            }
            if let (Some(keep), Some(name)) = (&self.keep, P::type_name(&item))
                && !keep(name)
            {
                continue;
            }
            let id = identity::<P>(&item).unwrap_or_else(|| format!("#{index}"));
            if self.seen.contains(&id) || !in_page.insert(id.clone()) {
                continue;
            }
            fresh.push(Ready {
                id,
                created: created.unwrap_or(window.max),
                item,
            });
        }
        // Reversed (oldest first), a stable sort keeps events of one instant
        // in the reverse of the order Atlas listed them.
        fresh.sort_by_key(|ready| ready.created);
        self.batch.extend(fresh);
    }

    fn set_advance(&mut self, advance: Advance) {
        self.advance = Some(advance);
        if self.batch.is_empty() {
            self.apply_advance();
        }
    }

    fn apply_advance(&mut self) {
        let Some(advance) = self.advance.take() else {
            return;
        };
        if let Some(until) = advance.until {
            self.checkpoint.until = self.checkpoint.until.max(until);
        }
        if let Some(from) = advance.from {
            let from = from.max(self.checkpoint.from(self.timing.overlap));
            self.checkpoint.from = Some(from);
            self.checkpoint.recent.retain(|seen| seen.created >= from);
            self.checkpoint.recent.shrink_to_fit();
            self.seen = self
                .checkpoint
                .recent
                .iter()
                .map(|s| s.id.clone())
                .collect();
        }
    }
}

impl<T> Probe<T> {
    /// The next page to probe, or `None` once the last page is known.
    fn next_probe(&self) -> Option<u32> {
        if let Some(empty) = self.first_empty {
            if empty <= self.known_full + 1 {
                return None;
            }
            return Some(self.known_full + (empty - self.known_full) / 2);
        }
        if let Some(guess) = self.guess.filter(|&g| g > self.known_full) {
            return Some(guess);
        }
        let next = if self.probed_guess {
            // The guess was full: the last page is likely the next one.
            self.known_full.saturating_add(1)
        } else {
            self.known_full.saturating_mul(2)
        };
        (next > self.known_full).then_some(next)
    }

    /// The pages from the last one back to page 1.
    fn into_back(self) -> Phase<T> {
        let last = self.known_full;
        let (first, in_hand) = match self.held {
            _ if last == 1 => (Vec::new(), Some(self.first)),
            Some((page, items)) if page == last => (self.first, Some(items)),
            _ => (self.first, None),
        };
        Phase::Back(Box::new(Back {
            window: self.window,
            first,
            first_fingerprint: self.first_fingerprint,
            last,
            next: last,
            in_hand,
            newest_yielded: None,
        }))
    }
}

fn same_page(page: u32) -> String {
    format!(
        "page {page} of the window is the same as page 1 (does the server or a proxy ignore \
         `pageNum`?)"
    )
}

/// Page `page` of `window`, continuing a read (the first request of a poll
/// says otherwise).
fn ask(window: &Window, page: u32) -> Ask {
    Ask {
        min: window.min,
        max: window.max,
        page,
        continues: true,
    }
}

/// An item's identity: its id, or a fingerprint of its JSON.
fn identity<P: Paged>(item: &P::Item) -> Option<String> {
    match P::key(item) {
        Some(key) => Some(key.to_owned()),
        None => P::fingerprint(item).map(|f| format!("#{f:016x}")),
    }
}

/// The time from `now` to `at` (zero if `at` is past).
fn span(now: OffsetDateTime, at: OffsetDateTime) -> Duration {
    Duration::try_from(at - now).unwrap_or(Duration::ZERO)
}

/// `at` less `span`, saturating at the earliest representable time.
pub(crate) fn earlier(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_sub(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}

/// `at` plus `span`, saturating at the latest representable time.
pub(crate) fn later(at: OffsetDateTime, span: Duration) -> OffsetDateTime {
    at.saturating_add(time::Duration::try_from(span).unwrap_or(time::Duration::MAX))
}
