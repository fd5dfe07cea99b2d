//! Following an organization: its own events and those of every project in
//! it, in one stream, each event once, with one checkpoint.
//!
//! The rules (the crate's README repeats them):
//!
//! - **Scopes.** The organization's events and each project's are read by a
//!   reader of their own, with the rules of a single follow (`reader.rs`):
//!   history in about one request per page of 500, a quiet scope one request
//!   a poll. Each scope's events come oldest first; scopes interleave.
//! - **Projects** are listed with `GET /orgs/{orgId}/groups` when the stream
//!   starts and every [`OrgFollow::discovery_interval`] (default 5 minutes).
//!   Projects listed at the first listing are read from the stream's start
//!   (or their checkpoint entry); a project found later from its `created`
//!   time less the overlap, or the stream's start if that is later, so its
//!   first events are not lost. A project no longer listed, or whose events
//!   answer 403 or 404, is dropped with a [`Notice`]; the others go on. Its
//!   checkpoint entry is kept: listed again, it resumes from it.
//! - **Requests.** At most [`OrgFollow::concurrency`] requests are in flight
//!   (default 4). A `429` is not retried on the spot: its scope waits for
//!   `Retry-After` (or the poll interval) while the others go on, and
//!   `RateLimit-Remaining: 0` makes the scope's next request wait for
//!   `Retry-After`. `429`s from three or more scopes within a minute mean a
//!   bucket they share (the user's or the IP's): the whole follow pauses for
//!   the longest `Retry-After` and halves its concurrency, which grows back
//!   by one each minute without a `429`.
//! - **Quiet projects** are polled less often: the wait doubles after each
//!   poll that finds nothing, up to [`OrgFollow::quiet_interval`] (default 5
//!   minutes), and returns to the poll interval with the first event. So a
//!   quiet project's next event is seen at most the quiet interval late.
//! - **Shards.** With [`OrgFollow::shard`], only the projects of one shard
//!   are followed (a stable split by project id, rendezvous hashing), and the
//!   organization's own events only by the first shard.
//! - **The checkpoint** ([`OrgCheckpoint`]) holds each scope's checkpoint; it
//!   is valid after every item. Restarted from it, every scope yields each of
//!   its events exactly once.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use futures_util::StreamExt as _;
use futures_util::stream::FuturesUnordered;
use time::OffsetDateTime;

use super::client::RateLimits;
use super::follow::{Checkpoint, DEFAULT_OVERLAP, DEFAULT_POLL_INTERVAL, fetch};
use super::paging::{KeepType, Paged, PagerParts};
use super::reader::{Ask, Fetched, Reader, Step, Timing, earlier, later};
use super::{Client, Error};

/// Default wait between listings of the organization's projects.
const DEFAULT_DISCOVERY_INTERVAL: Duration = Duration::from_secs(300);
/// Default longest wait between polls of a quiet scope.
const DEFAULT_QUIET_INTERVAL: Duration = Duration::from_secs(300);
/// Default most requests in flight.
const DEFAULT_CONCURRENCY: usize = 4;
/// `429`s from this many scopes within [`SHARED_LIMIT_SPAN`] slow the whole follow.
const SHARED_LIMIT_SCOPES: usize = 3;
/// See [`SHARED_LIMIT_SCOPES`]; also how long without a `429` halves the spacing of
/// requests, or grows the concurrency by one.
const SHARED_LIMIT_SPAN: Duration = Duration::from_secs(60);
/// The least spacing of requests after a shared rate limit.
const MIN_SPACING: Duration = Duration::from_secs(1);

/// Where an item came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// The organization's own events (its id).
    Organization(String),
    /// A project's events (its id).
    Project(String),
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Organization(id) => write!(f, "organization {id}"),
            Scope::Project(id) => write!(f, "project {id}"),
        }
    }
}

/// One item of an organization's follow.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum OrgItem<O, G> {
    /// An event of the organization itself.
    Organization(O),
    /// An event of a project.
    Project {
        /// The project's id.
        project: String,
        /// The event.
        event: G,
    },
    /// A change in what is followed.
    Notice(Notice),
}

impl<O, G> OrgItem<O, G> {
    /// The scope of an event; `None` for a notice.
    pub fn scope(&self, org: &str) -> Option<Scope> {
        match self {
            OrgItem::Organization(_) => Some(Scope::Organization(org.to_owned())),
            OrgItem::Project { project, .. } => Some(Scope::Project(project.clone())),
            OrgItem::Notice(_) => None,
        }
    }
}

/// A change in what an organization's follow follows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notice {
    /// The first listing of the organization's projects: this many are
    /// followed (in this shard).
    Projects {
        /// How many projects are followed.
        followed: usize,
    },
    /// A project is followed from now on: found after the first listing, or
    /// back after it was dropped (then `resumed`, from its checkpoint entry).
    Found {
        /// The project's id.
        project: String,
        /// Its name, when listed.
        name: Option<String>,
        /// The time its events are read from.
        from: OffsetDateTime,
        /// Whether it goes on from its entry in the checkpoint.
        resumed: bool,
    },
    /// A project is no longer followed; its checkpoint entry is kept.
    Dropped {
        /// The project's id.
        project: String,
        /// Why.
        reason: DropReason,
    },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Projects { followed } => write!(f, "following {followed} projects"),
            Notice::Found {
                project,
                resumed: true,
                ..
            } => write!(f, "project {project} is back; going on from its checkpoint"),
            Notice::Found { project, from, .. } => {
                let from = super::validate::format_datetime(from);
                write!(f, "found project {project}; reading its events from {from}")
            }
            Notice::Dropped { project, reason } => write!(f, "dropped project {project}: {reason}"),
        }
    }
}

/// Why a project was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DropReason {
    /// The organization no longer lists it (deleted, or moved away).
    NotListed,
    /// Its events answered this status (403, 404).
    Refused(u16),
}

impl fmt::Display for DropReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DropReason::NotListed => f.write_str("the organization no longer lists it"),
            DropReason::Refused(status) => write!(f, "its events answered HTTP {status}"),
        }
    }
}

/// An error of one scope (or of listing the projects: the organization's
/// scope); the follow goes on.
#[derive(Debug)]
pub struct OrgError {
    /// Where it happened.
    pub scope: Scope,
    /// What happened.
    pub error: Error,
}

impl fmt::Display for OrgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.scope, self.error)
    }
}

impl std::error::Error for OrgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// A project as the organization lists it.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInfo {
    pub id: String,
    pub name: Option<String>,
    pub created: Option<OffsetDateTime>,
}

/// One of `count` shards (`index` from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` (from 0) of `count`; `None` unless `index < count`.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// Whether this shard follows `project`.
    pub fn follows(&self, project: &str) -> bool {
        shard_of(project, self.count) == self.index
    }

    /// Whether this shard follows the organization's own events (the first does).
    pub fn follows_organization(&self) -> bool {
        self.index == 0
    }
}

/// The shard (from 0) of `count` that follows `project`: rendezvous hashing
/// (the shard with the highest FNV-1a hash of the id and the shard's number),
/// stable across runs, versions and machines; when `count` changes, only the
/// projects whose highest-scoring shard changed move.
pub fn shard_of(project: &str, count: u32) -> u32 {
    (0..count.max(1))
        .max_by_key(|shard| fnv1a(project.as_bytes(), *shard))
        .unwrap_or(0)
}

/// FNV-1a, 64 bits, over `bytes` and then `salt`: a fixed, documented hash
/// (std's hasher may change between Rust versions; shards must not).
fn fnv1a(bytes: &[u8], salt: u32) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes.iter().chain(&salt.to_be_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Where an organization's follow stands: each scope's checkpoint. Small:
/// two times and a few ids a scope. Serialize it and pass it back with
/// [`OrgFollow::from_checkpoint`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrgCheckpoint {
    /// The organization.
    org: String,
    /// The stream's start: projects without an entry are read from here (or
    /// from their creation, when found later).
    #[serde(with = "super::follow::rfc3339")]
    start: OffsetDateTime,
    /// The organization's own events (absent in shards that do not follow them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<Checkpoint>,
    /// Each project's, also of projects dropped (kept to resume from).
    #[serde(default)]
    projects: BTreeMap<String, Checkpoint>,
}

impl OrgCheckpoint {
    /// The organization followed.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The stream's start.
    pub fn start(&self) -> OffsetDateTime {
        self.start
    }

    /// The checkpoint of the organization's own events.
    pub fn organization(&self) -> Option<&Checkpoint> {
        self.organization.as_ref()
    }

    /// The checkpoint of a project.
    pub fn project(&self, id: &str) -> Option<&Checkpoint> {
        self.projects.get(id)
    }

    /// How many projects have an entry.
    pub fn projects_len(&self) -> usize {
        self.projects.len()
    }
}

/// How far an organization's follow has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Progress {
    /// Scopes followed (the organization and its projects, in this shard).
    pub scopes: usize,
    /// Of those, the ones that have read up to now (or the end) once.
    pub caught_up: usize,
    /// Events yielded so far.
    pub events: u64,
    /// `429` answers so far (each slowed its scope).
    pub rate_limited: u64,
}

/// The pager of one window of one project's events.
type ProjectPager =
    Arc<dyn Fn(&str, OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error> + Send + Sync>;
/// The pager of one window of the organization's events.
type OrgPager =
    Arc<dyn Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error> + Send + Sync>;
/// Lists the organization's projects.
type Discover = Arc<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<Vec<ProjectInfo>, Error>> + Send>> + Send + Sync,
>;

/// A request that came back.
enum Done<O, G> {
    Org(Result<(Fetched<O>, Ask), Error>),
    Project(String, Result<(Fetched<G>, Ask), Error>),
    Discovery(Result<Vec<ProjectInfo>, Error>),
}

type InFlight<O, G> = Pin<Box<dyn Future<Output = Done<O, G>> + Send>>;

/// What the stream yields.
type Yielded<O, G> = Result<OrgItem<O, G>, OrgError>;

/// A wait on the client's clock.
type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A followed project.
struct Followed<G: Paged> {
    reader: Reader<G>,
    /// Set for a project retried after a refusal: its first answer says it is back.
    silent: bool,
}

/// The events of an organization and of every project in it, each once,
/// each scope's oldest first; made by `Client::follow_organization`. See
/// the module documentation of the rules, and the crate's README ("Follow
/// an organization").
pub struct OrgFollow<O: Paged, G: Paged> {
    client: Client,
    org: String,
    start: OffsetDateTime,
    end: Option<OffsetDateTime>,
    timing: Timing,
    concurrency: usize,
    discovery_interval: Duration,
    shard: Option<Shard>,
    keep: Option<KeepType>,
    org_pager: OrgPager,
    project_pager: ProjectPager,
    discover: Discover,
    /// Set once the stream was first polled (settings are fixed then).
    running: bool,
    /// Loaded from a checkpoint, read when the stream starts.
    resume: Option<OrgCheckpoint>,
    org_reader: Option<Reader<O>>,
    projects: BTreeMap<String, Followed<G>>,
    /// Checkpoints of projects not followed now.
    parked: BTreeMap<String, Checkpoint>,
    /// Projects dropped for a refusal, and its status.
    refused: HashMap<String, u16>,
    /// Idle scopes by the time they are due.
    schedule: BTreeSet<(OffsetDateTime, Scope)>,
    /// Scopes to ask what they want next.
    runnable: VecDeque<Scope>,
    /// Scopes in the middle of a read (a page after the first) that wait
    /// for a slot: served before `blocked`, so that few scopes hold a first
    /// page while they wait, and a read once begun ends soon.
    blocked_reading: VecDeque<Scope>,
    /// Scopes that want a first page and wait for a slot.
    blocked: VecDeque<Scope>,
    /// Scopes with events to yield.
    yielding: VecDeque<Scope>,
    /// Scopes with a request in flight.
    fetching: BTreeSet<Scope>,
    in_flight: FuturesUnordered<InFlight<O::Item, G::Item>>,
    /// Notices and errors to yield.
    out: VecDeque<Yielded<O::Item, G::Item>>,
    /// When the projects are listed next (`None`: a listing is in flight).
    discovery_due: Option<OffsetDateTime>,
    listings: u64,
    /// No request starts before this (a shared rate limit).
    paused_until: Option<OffsetDateTime>,
    /// Recent `429`s: when, and of which scope.
    rate_limited: VecDeque<(OffsetDateTime, Scope)>,
    /// The concurrency now (1 after a shared rate limit, growing back).
    slots: usize,
    /// The least time between two request starts after a shared rate
    /// limit (its `Retry-After`: the bucket's refill), halving back to zero.
    spacing: Duration,
    /// When the concurrency last grew back (or was halved).
    slots_changed: OffsetDateTime,
    sleep: Option<(OffsetDateTime, Sleep)>,
    progress: Progress,
}

impl<O: Paged, G: Paged> Unpin for OrgFollow<O, G> {}

impl<O: Paged, G: Paged> OrgFollow<O, G> {
    /// Made by generated code: the pagers of a window of the organization's
    /// and of a project's events, and the listing of its projects.
    #[doc(hidden)]
    pub fn new(
        client: Client,
        org: String,
        org_pager: impl Fn(OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error>
        + Send
        + Sync
        + 'static,
        project_pager: impl Fn(&str, OffsetDateTime, OffsetDateTime) -> Result<PagerParts, Error>
        + Send
        + Sync
        + 'static,
        discover: impl Fn() -> Pin<Box<dyn Future<Output = Result<Vec<ProjectInfo>, Error>> + Send>>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        let now = client.clock().now();
        OrgFollow {
            client,
            org,
            start: now,
            end: None,
            timing: Timing {
                interval: DEFAULT_POLL_INTERVAL,
                quiet_interval: DEFAULT_QUIET_INTERVAL,
                overlap: DEFAULT_OVERLAP,
            },
            concurrency: DEFAULT_CONCURRENCY,
            discovery_interval: DEFAULT_DISCOVERY_INTERVAL,
            shard: None,
            keep: None,
            org_pager: Arc::new(org_pager),
            project_pager: Arc::new(project_pager),
            discover: Arc::new(discover),
            running: false,
            resume: None,
            org_reader: None,
            projects: BTreeMap::new(),
            parked: BTreeMap::new(),
            refused: HashMap::new(),
            schedule: BTreeSet::new(),
            runnable: VecDeque::new(),
            blocked_reading: VecDeque::new(),
            blocked: VecDeque::new(),
            yielding: VecDeque::new(),
            fetching: BTreeSet::new(),
            in_flight: FuturesUnordered::new(),
            out: VecDeque::new(),
            discovery_due: Some(now),
            listings: 0,
            paused_until: None,
            rate_limited: VecDeque::new(),
            slots: DEFAULT_CONCURRENCY,
            spacing: Duration::ZERO,
            slots_changed: now,
            sleep: None,
            progress: Progress::default(),
        }
    }

    /// Reads the events created at or after `since` (default: now).
    pub fn since(mut self, since: OffsetDateTime) -> Self {
        self.start = since;
        self
    }

    /// Ends once every scope has read up to `until` (default: never).
    pub fn until(mut self, until: OffsetDateTime) -> Self {
        self.end = Some(until);
        self
    }

    /// Goes on from a checkpoint of an earlier stream of the same
    /// organization (its start replaces `since`). Refused with
    /// [`Error::Config`] on the first poll when it is of another organization.
    pub fn from_checkpoint(mut self, checkpoint: OrgCheckpoint) -> Self {
        self.start = checkpoint.start;
        self.resume = Some(checkpoint);
        self
    }

    /// How long to wait between polls of a scope that keeps finding events
    /// (default 30 seconds, at least one second).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.timing.interval = interval.max(Duration::from_secs(1));
        self.timing.quiet_interval = self.timing.quiet_interval.max(self.timing.interval);
        self
    }

    /// The longest wait between polls of a quiet scope (default 5 minutes):
    /// the worst delay with which a quiet project's next event is seen.
    pub fn quiet_interval(mut self, interval: Duration) -> Self {
        self.timing.quiet_interval = interval.max(self.timing.interval);
        self
    }

    /// How much of the previous window each poll reads again (default two
    /// minutes; see `Follow::overlap`).
    pub fn overlap(mut self, overlap: Duration) -> Self {
        self.timing.overlap = overlap;
        self
    }

    /// The most requests in flight at once (default 4, at least 1). Polling
    /// N scopes every interval needs at least `N * latency / interval`.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self.slots = self.concurrency;
        self
    }

    /// How often the organization's projects are listed again (default 5
    /// minutes, at least one second).
    pub fn discovery_interval(mut self, interval: Duration) -> Self {
        self.discovery_interval = interval.max(Duration::from_secs(1));
        self
    }

    /// Follows only the projects of one shard (and the organization's own
    /// events only in the first): N streams, each with a shard of its own
    /// and its own checkpoint, follow one organization between them.
    pub fn shard(mut self, shard: Shard) -> Self {
        self.shard = Some(shard);
        self
    }

    /// Yields only events whose type name `keep` accepts (and every event
    /// without one), in every scope; applied on this side.
    pub fn keep_types(mut self, keep: impl Fn(&str) -> bool + Send + Sync + 'static) -> Self {
        self.keep = Some(Arc::new(keep));
        self
    }

    /// The organization followed.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// Where the stream stands: every item yielded so far is in it.
    pub fn checkpoint(&self) -> OrgCheckpoint {
        if !self.running
            && let Some(resume) = &self.resume
        {
            return resume.clone();
        }
        let mut projects = self.parked.clone();
        for (id, followed) in &self.projects {
            projects.insert(id.clone(), followed.reader.checkpoint().clone());
        }
        OrgCheckpoint {
            org: self.org.clone(),
            start: self.start,
            organization: self
                .org_reader
                .as_ref()
                .map(|r| r.checkpoint().clone())
                .or_else(|| self.resume.as_ref().and_then(|r| r.organization.clone())),
            projects,
        }
    }

    /// Events read and not yet yielded (0: a good moment to save the
    /// checkpoint). (Not `buffered`: `StreamExt::buffered` would be called.)
    pub fn buffered_events(&self) -> usize {
        let org = self.org_reader.as_ref().map_or(0, Reader::buffered);
        org + self
            .projects
            .values()
            .map(|p| p.reader.buffered())
            .sum::<usize>()
    }

    /// How far the stream has come.
    pub fn progress(&self) -> Progress {
        let scopes = usize::from(self.org_reader.is_some()) + self.projects.len();
        let caught_up = usize::from(self.org_reader.as_ref().is_some_and(Reader::caught_up))
            + self
                .projects
                .values()
                .filter(|p| p.reader.caught_up())
                .count();
        Progress {
            scopes,
            caught_up,
            ..self.progress
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.client.clock().now()
    }

    /// Sets up the organization's reader and the saved project checkpoints.
    fn begin(&mut self) -> Result<(), Error> {
        self.running = true;
        let resume = self.resume.take();
        if let Some(resume) = &resume
            && resume.org != self.org
        {
            return Err(Error::config(format!(
                "the checkpoint is of organization {}, not {}",
                resume.org, self.org
            )));
        }
        let (organization, projects) = match resume {
            Some(resume) => (resume.organization, resume.projects),
            None => (None, BTreeMap::new()),
        };
        self.parked = projects;
        if self.shard.is_none_or(|s| s.follows_organization()) {
            let checkpoint = organization.unwrap_or_else(|| Checkpoint::starting_at(self.start));
            let mut reader = Reader::new(checkpoint, self.end, self.timing);
            reader.set_keep(self.keep.clone());
            reader.set_jitter_seed(fnv1a(self.org.as_bytes(), 0));
            self.org_reader = Some(reader);
            self.runnable
                .push_back(Scope::Organization(self.org.clone()));
        } else if let Some(organization) = organization {
            // Kept, so that a shard that stops following it loses nothing.
            self.resume = Some(OrgCheckpoint {
                org: self.org.clone(),
                start: self.start,
                organization: Some(organization),
                projects: BTreeMap::new(),
            });
        }
        Ok(())
    }

    /// Asks a scope what it wants next, and does it.
    fn run(&mut self, scope: Scope, now: OffsetDateTime) {
        let step = match &scope {
            Scope::Organization(_) => match &mut self.org_reader {
                Some(reader) => reader.next_step(now),
                None => return,
            },
            Scope::Project(id) => match self.projects.get_mut(id) {
                Some(followed) => followed.reader.next_step(now),
                None => return,
            },
        };
        match step {
            Step::Ready => self.yielding.push_back(scope),
            Step::Wait(wait) => {
                self.schedule.insert((later(now, wait), scope));
            }
            Step::Done => {}
            Step::Failed(reason) => {
                self.out.push_back(Err(OrgError {
                    scope: scope.clone(),
                    error: Error::Paging {
                        operation: operation_of(&scope),
                        page: 1,
                        reason,
                    },
                }));
                self.runnable.push_back(scope);
            }
            // Launched by `dispatch`, reads under way first.
            Step::Fetch(ask) if ask.continues => self.blocked_reading.push_back(scope),
            Step::Fetch(_) => self.blocked.push_back(scope),
        }
    }

    /// Launches what the free slots allow: reads under way first, then
    /// scopes that want a first page. Whether anything was launched.
    fn dispatch(&mut self, now: OffsetDateTime) -> bool {
        let mut launched = false;
        while self.slot_free(now) {
            let Some(scope) = self
                .blocked_reading
                .pop_front()
                .or_else(|| self.blocked.pop_front())
            else {
                break;
            };
            // Asked again: the scope may have been dropped meanwhile.
            let step = match &scope {
                Scope::Organization(_) => self.org_reader.as_mut().map(|r| r.next_step(now)),
                Scope::Project(id) => self.projects.get_mut(id).map(|p| p.reader.next_step(now)),
            };
            match step {
                Some(Step::Fetch(ask)) => {
                    self.launch(scope, ask);
                    launched = true;
                }
                Some(_) => self.runnable.push_back(scope),
                None => {}
            }
        }
        launched
    }

    fn slot_free(&self, now: OffsetDateTime) -> bool {
        self.in_flight.len() < self.slots && self.paused_until.is_none_or(|until| now >= until)
    }

    fn launch(&mut self, scope: Scope, ask: Ask) {
        let future: InFlight<O::Item, G::Item> = match &scope {
            Scope::Organization(_) => match (self.org_pager)(ask.min, ask.max) {
                Ok(parts) => {
                    let (fetching, _) = fetch::<O>(parts, ask, RateLimits::Return);
                    Box::pin(async move { Done::Org(fetching.await) })
                }
                Err(error) => Box::pin(async move { Done::Org(Err(error)) }),
            },
            Scope::Project(id) => {
                let id = id.clone();
                match (self.project_pager)(&id, ask.min, ask.max) {
                    Ok(parts) => {
                        let (fetching, _) = fetch::<G>(parts, ask, RateLimits::Return);
                        Box::pin(async move { Done::Project(id, fetching.await) })
                    }
                    Err(error) => Box::pin(async move { Done::Project(id, Err(error)) }),
                }
            }
        };
        self.fetching.insert(scope);
        self.in_flight.push(future);
        self.space_requests();
    }

    /// After a shared rate limit, the next request waits `spacing`.
    fn space_requests(&mut self) {
        if !self.spacing.is_zero() {
            let next = later(self.now(), self.spacing);
            self.paused_until = Some(self.paused_until.map_or(next, |p| p.max(next)));
        }
    }

    /// Handles a request that came back.
    fn complete(&mut self, done: Done<O::Item, G::Item>, now: OffsetDateTime) {
        match done {
            Done::Discovery(result) => self.listed(result, now),
            Done::Org(result) => {
                let scope = Scope::Organization(self.org.clone());
                self.fetching.remove(&scope);
                let Some(reader) = self.org_reader.as_mut() else {
                    return;
                };
                let error = match result {
                    Ok((fetched, ask)) => reader
                        .on_page(fetched, now)
                        .err()
                        .map(|reason| paging_error("listOrgEvents", ask, reason)),
                    Err(error) => {
                        reader.on_error(&error, now);
                        Some(error)
                    }
                };
                self.after_answer(scope, error, now);
            }
            Done::Project(id, result) => {
                let scope = Scope::Project(id.clone());
                self.fetching.remove(&scope);
                let Some(followed) = self.projects.get_mut(&id) else {
                    // Dropped while its request was in flight.
                    return;
                };
                let error = match result {
                    Ok((fetched, ask)) => {
                        if followed.silent {
                            followed.silent = false;
                            self.refused.remove(&id);
                            let from = followed.reader.checkpoint().from(self.timing.overlap);
                            self.out.push_back(Ok(OrgItem::Notice(Notice::Found {
                                project: id.clone(),
                                name: None,
                                from,
                                resumed: true,
                            })));
                        }
                        followed
                            .reader
                            .on_page(fetched, now)
                            .err()
                            .map(|reason| paging_error("listGroupEvents", ask, reason))
                    }
                    Err(error) if matches!(error.status(), Some(403 | 404)) => {
                        let status = error.status().unwrap_or_default();
                        self.drop_project(&id, DropReason::Refused(status));
                        return;
                    }
                    Err(error) => {
                        followed.reader.on_error(&error, now);
                        Some(error)
                    }
                };
                self.after_answer(scope, error, now);
            }
        }
    }

    /// After an answer of `scope`: a `429` slows it (and, from several
    /// scopes, everything); other errors are yielded; the scope runs again.
    fn after_answer(&mut self, scope: Scope, error: Option<Error>, now: OffsetDateTime) {
        match error {
            Some(error) if error.status() == Some(429) => {
                self.progress.rate_limited += 1;
                self.note_rate_limit(&scope, error.retry_after(), now);
            }
            Some(error) => self.out.push_back(Err(OrgError {
                scope: scope.clone(),
                error,
            })),
            None => {}
        }
        self.runnable.push_back(scope);
    }

    /// A `429` of `scope`. From several scopes within a minute, a bucket
    /// they share is empty: pause everything for its `Retry-After`, then
    /// send one request at a time, spaced by it (the bucket's refill).
    fn note_rate_limit(&mut self, scope: &Scope, wait: Option<Duration>, now: OffsetDateTime) {
        let horizon = earlier(now, SHARED_LIMIT_SPAN);
        self.rate_limited.retain(|(at, _)| *at >= horizon);
        self.rate_limited.push_back((now, scope.clone()));
        let scopes: BTreeSet<&Scope> = self.rate_limited.iter().map(|(_, s)| s).collect();
        if scopes.len() >= SHARED_LIMIT_SCOPES {
            let wait = wait.unwrap_or(MIN_SPACING).max(MIN_SPACING);
            let until = later(now, wait);
            self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
            self.slots = 1;
            self.spacing = self.spacing.max(wait);
            self.slots_changed = now;
            self.rate_limited.clear();
        }
    }

    /// Each minute without a `429`: the spacing halves, then (once gone)
    /// the concurrency grows by one, back to the configured one.
    fn recover_slots(&mut self, now: OffsetDateTime) {
        let horizon = earlier(now, SHARED_LIMIT_SPAN);
        self.rate_limited.retain(|(at, _)| *at >= horizon);
        if self.rate_limited.is_empty() && now >= later(self.slots_changed, SHARED_LIMIT_SPAN) {
            if !self.spacing.is_zero() {
                self.spacing /= 2;
                if self.spacing < MIN_SPACING / 4 {
                    self.spacing = Duration::ZERO;
                }
                self.slots_changed = now;
            } else if self.slots < self.concurrency {
                self.slots += 1;
                self.slots_changed = now;
            }
        }
        if self.paused_until.is_some_and(|until| now >= until) {
            self.paused_until = None;
        }
    }

    fn drop_project(&mut self, id: &str, reason: DropReason) {
        let Some(followed) = self.projects.remove(id) else {
            return;
        };
        self.parked
            .insert(id.to_owned(), followed.reader.checkpoint().clone());
        let repeated = match reason {
            DropReason::Refused(status) => {
                self.refused.insert(id.to_owned(), status) == Some(status)
            }
            DropReason::NotListed => {
                self.refused.remove(id);
                false
            }
        };
        if !repeated {
            self.out.push_back(Ok(OrgItem::Notice(Notice::Dropped {
                project: id.to_owned(),
                reason,
            })));
        }
        self.yielding
            .retain(|s| *s != Scope::Project(id.to_owned()));
    }

    fn start_listing(&mut self) {
        self.discovery_due = None;
        let listing = (self.discover)();
        self.in_flight
            .push(Box::pin(async move { Done::Discovery(listing.await) }));
    }

    /// The organization's projects, as listed: follow the new ones, drop
    /// the ones gone.
    fn listed(&mut self, result: Result<Vec<ProjectInfo>, Error>, now: OffsetDateTime) {
        self.discovery_due = Some(later(now, self.discovery_interval));
        let listed = match result {
            Ok(listed) => listed,
            Err(error) => {
                self.out.push_back(Err(OrgError {
                    scope: Scope::Organization(self.org.clone()),
                    error,
                }));
                // Tried again sooner than the next listing would be.
                self.discovery_due = Some(later(now, self.timing.interval));
                return;
            }
        };
        let first = self.listings == 0;
        self.listings += 1;
        let listed: BTreeMap<String, ProjectInfo> = listed
            .into_iter()
            .filter(|p| self.shard.is_none_or(|s| s.follows(&p.id)))
            .map(|p| (p.id.clone(), p))
            .collect();
        let gone: Vec<String> = self
            .projects
            .keys()
            .filter(|id| !listed.contains_key(*id))
            .cloned()
            .collect();
        for id in gone {
            self.drop_project(&id, DropReason::NotListed);
        }
        for (id, info) in listed {
            if self.projects.contains_key(&id) {
                continue;
            }
            let (checkpoint, resumed) = match self.parked.remove(&id) {
                Some(checkpoint) => (checkpoint, true),
                None if first => (Checkpoint::starting_at(self.start), false),
                None => {
                    let created = info.created.map(|c| earlier(c, self.timing.overlap));
                    let from = created.map_or(self.start, |c| c.max(self.start));
                    (Checkpoint::starting_at(from), false)
                }
            };
            let silent = self.refused.contains_key(&id);
            if !first && !silent {
                self.out.push_back(Ok(OrgItem::Notice(Notice::Found {
                    project: id.clone(),
                    name: info.name.clone(),
                    from: checkpoint.from(self.timing.overlap),
                    resumed,
                })));
            }
            let mut reader = Reader::new(checkpoint, self.end, self.timing);
            reader.set_keep(self.keep.clone());
            reader.set_jitter_seed(fnv1a(id.as_bytes(), 0));
            self.projects
                .insert(id.clone(), Followed { reader, silent });
            self.runnable.push_back(Scope::Project(id));
        }
        if first {
            self.out.push_back(Ok(OrgItem::Notice(Notice::Projects {
                followed: self.projects.len(),
            })));
        }
    }

    /// The next event of a scope with events ready.
    fn pop_event(&mut self, now: OffsetDateTime) -> Option<OrgItem<O::Item, G::Item>> {
        while let Some(scope) = self.yielding.front().cloned() {
            let item = match &scope {
                Scope::Organization(_) => self
                    .org_reader
                    .as_mut()
                    .and_then(Reader::pop)
                    .map(OrgItem::Organization),
                Scope::Project(id) => {
                    self.projects
                        .get_mut(id)
                        .and_then(|p| p.reader.pop())
                        .map(|event| OrgItem::Project {
                            project: id.clone(),
                            event,
                        })
                }
            };
            if let Some(item) = item {
                self.progress.events += 1;
                return Some(item);
            }
            self.yielding.pop_front();
            self.run(scope, now);
        }
        None
    }

    /// Whether every scope has read up to the end (only with an end).
    fn finished(&self) -> bool {
        self.end.is_some() && self.in_flight.is_empty() && self.out.is_empty() && self.all_read()
    }

    /// Whether the projects were listed and every scope has read up to the end.
    fn all_read(&self) -> bool {
        self.listings > 0
            && self.org_reader.as_ref().is_none_or(Reader::is_done)
            && self.projects.values().all(|p| p.reader.is_done())
    }

    /// Whether the projects are to be listed again: always, unless every
    /// scope has read up to the end.
    fn listing_wanted(&self) -> bool {
        self.end.is_none() || !self.all_read()
    }

    /// The earliest time something is due: a scope, the next listing, the
    /// end of a pause.
    fn next_due(&self) -> Option<OffsetDateTime> {
        let scope = self.schedule.first().map(|(at, _)| *at);
        let waiting = !self.blocked.is_empty() || !self.blocked_reading.is_empty();
        let pause = self.paused_until.filter(|_| waiting);
        // A listing waits for a free slot (a request coming back wakes the
        // stream) and for the end of a pause.
        let listing = self
            .discovery_due
            .filter(|_| self.listing_wanted())
            .filter(|_| self.in_flight.len() < self.slots)
            .map(|due| self.paused_until.map_or(due, |until| due.max(until)));
        [scope, pause, listing].into_iter().flatten().min()
    }
}

fn operation_of(scope: &Scope) -> &'static str {
    match scope {
        Scope::Organization(_) => "listOrgEvents",
        Scope::Project(_) => "listGroupEvents",
    }
}

fn paging_error(operation: &'static str, ask: Ask, reason: String) -> Error {
    Error::Paging {
        operation,
        page: ask.page,
        reason,
    }
}

impl<O: Paged, G: Paged> Stream for OrgFollow<O, G> {
    type Item = Result<OrgItem<O::Item, G::Item>, OrgError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if !this.running
            && let Err(error) = this.begin()
        {
            this.end = Some(OffsetDateTime::UNIX_EPOCH);
            this.listings = 1;
            return Poll::Ready(Some(Err(OrgError {
                scope: Scope::Organization(this.org.clone()),
                error,
            })));
        }
        loop {
            let now = this.now();
            if let Some(item) = this.pop_event(now) {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(item) = this.out.pop_front() {
                return Poll::Ready(Some(item));
            }
            if let Poll::Ready(Some(done)) = this.in_flight.poll_next_unpin(cx) {
                this.complete(done, now);
                continue;
            }
            this.recover_slots(now);
            // Due scopes run; blocked ones get the free slots first.
            while let Some((at, _)) = this.schedule.first() {
                if *at > now {
                    break;
                }
                if let Some((_, scope)) = this.schedule.pop_first() {
                    this.runnable.push_back(scope);
                }
            }
            let mut progressed = false;
            // A listing that is due goes first: behind a full queue it would
            // never start, and new or deleted projects would go unnoticed.
            let listing_due =
                this.discovery_due.is_some_and(|due| due <= now) && this.listing_wanted();
            if listing_due && this.slot_free(now) {
                this.start_listing();
                progressed = true;
            }
            while let Some(scope) = this.runnable.pop_front() {
                progressed = true;
                if !this.fetching.contains(&scope) {
                    this.run(scope, now);
                }
            }
            progressed |= this.dispatch(now);
            if progressed || !this.yielding.is_empty() || !this.out.is_empty() {
                continue;
            }
            if this.finished() {
                return Poll::Ready(None);
            }
            let Some(due) = this.next_due() else {
                return Poll::Pending;
            };
            if this.sleep.as_ref().is_none_or(|(at, _)| *at != due) {
                let wait = Duration::try_from(due - now).unwrap_or(Duration::ZERO);
                this.sleep = Some((due, this.client.clock().sleep(wait)));
            }
            if let Some((_, sleep)) = &mut this.sleep
                && sleep.as_mut().poll(cx).is_ready()
            {
                this.sleep = None;
                continue;
            }
            return Poll::Pending;
        }
    }
}
