//! What following a whole organization costs, measured against the in-process fake Atlas of the
//! generated crate's `test-util` feature, in tokio's paused time on a current-thread runtime (so
//! hours of polling pass in seconds, and every wait the follow makes is real in its clock):
//!
//! 1. **Polling an organization of 1,000 projects** (940 quiet, 50 active, 10 busy, one of them
//!    with a burst, plus the organization's own events): caught up from 6 hours back, then
//!    followed for 2 hours (`poll_interval` 30 s), with the default quiet interval (5 minutes) and
//!    with `quiet_interval(30 s)`, without latency and with 250 ms per answer, at concurrency 4
//!    (the default) and 16. Per 30-second round: requests (from the fake's request log), process
//!    CPU time, the follow's heap and the checkpoint's serialized size; and each event's delay
//!    (the follow's clock when it is yielded less its `created`).
//! 2. **Catching up on 16 months of history**: 9,364 events clustered in time plus 20,000 in one
//!    hour (700 of them inside one second), for the single-scope follow of the organization's
//!    events and for the organization follow of the same organization with 4 projects: requests
//!    made against the pages of 500 needed, and the time it takes in the follow's clock. Then
//!    100 projects of 400 and of 1,000 events: the heap the organization follow holds while and
//!    after catching up.
//!
//! Everything is deterministic (a small LCG; the event JSON is the synthetic fixtures of
//! `tests/fixtures/events/synthetic/`, each with its own id and `created`). How each figure is
//! measured is in BENCHMARKS.md ("Following an organization") and at the functions below.
//!
//! ```sh
//! cargo run --release -p atlas-events-org-follow-bench            # 2 hours of polling, ~1 min
//! cargo run --release -p atlas-events-org-follow-bench -- 1       # 1 hour
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt as _;
use mongodb_atlas_events::test_util::{FakeAtlas, Request, TOKEN, object_id};
use mongodb_atlas_events::{OrgError, OrgItem, OrganizationFollow, OrganizationItem};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

// ---------------------------------------------------------------------------------------------
// Measuring: heap, CPU, resident memory.

/// Passes every allocation to the system allocator and counts the bytes asked for: `LIVE` now
/// held, `PEAK` the most held since [`reset_peak`].
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call goes to the system allocator with the caller's arguments, unchanged; only
// two counters are kept beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is System's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, that is from System, with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from System with `layout`; the caller upholds the rest.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Heap bytes held now.
fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The most heap bytes held since the last reset.
fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

fn reset_peak() {
    PEAK.store(live(), Ordering::Relaxed);
}

/// CPU time of the whole process (user and system, every thread) so far.
fn cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of libc.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Peak resident set size of this process in KiB (`VmHWM` of `/proc/self/status`).
fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Input: deterministic events.

const ORG: &str = "5e8d7c6b5a4f3e2d1c0b9a87";
/// The poll interval, and the length of a round.
const ROUND: Duration = Duration::from_secs(30);
/// How far back the organization follow starts (its catch-up).
const HISTORY: Duration = Duration::from_secs(6 * 3600);
/// A month, as the catch-up's 16 months count them.
const MONTH: Duration = Duration::from_secs(30 * 86_400);
/// Projects in the polled organization.
const PROJECTS: u64 = 1_000;
/// The busy project with a burst: its number, its burst's events and how long the burst lasts.
const BURST_PROJECT: u64 = 100;
const BURST_EVENTS: usize = 3_000;
const BURST_SPAN: Duration = Duration::from_secs(120);

/// The fake's clock at the start of each run.
fn t0() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_796_083_200).expect("2026-12-01T00:00:00Z")
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).expect("a formattable time")
}

fn seconds(d: Duration) -> time::Duration {
    time::Duration::try_from(d).expect("a short duration")
}

/// A 64-bit LCG (Knuth's MMIX constants); the high 31 bits of each step.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() as f64 + 0.5) / (1u64 << 31) as f64
    }

    /// The times of a Poisson process of mean gap `mean` in `[from, to)`, whole seconds.
    fn poisson(
        &mut self,
        from: OffsetDateTime,
        to: OffsetDateTime,
        mean: f64,
    ) -> Vec<OffsetDateTime> {
        let span = (to - from).as_seconds_f64();
        let mut times = Vec::new();
        let mut at = -mean * self.unit().ln();
        while at < span {
            times.push(from + time::Duration::seconds(at as i64));
            at += -mean * self.unit().ln();
        }
        times
    }
}

/// Times clustered as real organizations' are: a quarter spread evenly over `span` before `end`,
/// the rest on six busy days (the runtime's follow tests use the same shape).
fn clustered_times(
    seed: u64,
    count: usize,
    end: OffsetDateTime,
    span: Duration,
) -> Vec<OffsetDateTime> {
    let mut lcg = Lcg(seed);
    let span = span.as_secs();
    let busy: Vec<u64> = (0..6).map(|_| lcg.below(span)).collect();
    (0..count)
        .map(|_| {
            let back = if lcg.below(4) == 0 {
                lcg.below(span)
            } else {
                let day = busy[lcg.below(busy.len() as u64) as usize];
                day.saturating_sub(lcg.below(86_400))
            };
            end - time::Duration::seconds(back as i64 + 1)
        })
        .collect()
}

/// `count` events in `span` from `start`, the first `same_second` of them at `start` itself.
fn burst_times(
    seed: u64,
    count: usize,
    start: OffsetDateTime,
    span: Duration,
    same_second: usize,
) -> Vec<OffsetDateTime> {
    let mut lcg = Lcg(seed);
    (0..count)
        .map(|n| {
            if n < same_second {
                start
            } else {
                start + time::Duration::seconds(lcg.below(span.as_secs()) as i64)
            }
        })
        .collect()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The synthetic single-event fixtures whose names start with `prefix` (`group-`, `org-`).
fn templates(prefix: &str) -> Vec<Value> {
    let dir = workspace().join("tests/fixtures/events/synthetic");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the synthetic fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(prefix) && n.ends_with(".json") && !n.contains("page")
            })
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(p).expect("a fixture")).expect("JSON")
        })
        .filter(|v: &Value| v.is_object())
        .collect()
}

/// What kind of scope an event comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Quiet,
    Active,
    Busy,
    /// The busy project with a burst (all its events); in the catch-up, the 20,000 of one hour.
    Burst,
    Org,
}

impl Class {
    fn name(self) -> &'static str {
        match self {
            Class::Quiet => "940 quiet projects",
            Class::Active => "50 active projects",
            Class::Busy => "9 other busy projects",
            Class::Burst => "the busy project with a burst",
            Class::Org => "organization",
        }
    }
}

/// One event added to the fake.
struct Known {
    created: OffsetDateTime,
    class: Class,
    /// How many times the follow yielded it.
    yielded: u32,
    /// The fake's clock when the follow first yielded it.
    first_yielded: Option<OffsetDateTime>,
}

/// Makes events from the fixtures and adds them to a fake.
struct Factory<'a> {
    group: &'a [Value],
    org: &'a [Value],
    next: u64,
    /// Every event added: id -> what is known of it.
    events: HashMap<String, Known>,
}

impl<'a> Factory<'a> {
    fn new(group: &'a [Value], org: &'a [Value]) -> Self {
        Factory {
            group,
            org,
            next: 0,
            events: HashMap::new(),
        }
    }

    /// Adds an event of `project` (of the organization when `None`) created at `created`.
    fn add(
        &mut self,
        atlas: &FakeAtlas,
        project: Option<&str>,
        created: OffsetDateTime,
        class: Class,
    ) {
        self.next += 1;
        let templates = if project.is_some() {
            self.group
        } else {
            self.org
        };
        let mut event = templates[self.next as usize % templates.len()].clone();
        let id = object_id(self.next);
        event["id"] = Value::from(id.as_str());
        event["created"] = Value::from(rfc3339(created));
        event["orgId"] = Value::from(ORG);
        match project {
            Some(project) => {
                event["groupId"] = Value::from(project);
                atlas.add_project_event(project, &event.to_string());
            }
            None => atlas.add_org_event(ORG, &event.to_string()),
        }
        self.events.insert(
            id,
            Known {
                created,
                class,
                yielded: 0,
                first_yielded: None,
            },
        );
    }

    /// Notes that the event `id` was yielded at `now`.
    fn yielded(&mut self, id: Option<&str>, now: OffsetDateTime) {
        if let Some(known) = id.and_then(|id| self.events.get_mut(id)) {
            known.yielded += 1;
            known.first_yielded.get_or_insert(now);
        }
    }

    /// Events yielded more than once, and events created in `[from, to]` never yielded.
    fn repeated_and_missing(&self, from: OffsetDateTime, to: OffsetDateTime) -> (usize, usize) {
        let repeated = self.events.values().filter(|k| k.yielded > 1).count();
        let missing = self
            .events
            .values()
            .filter(|k| k.yielded == 0 && k.created >= from && k.created <= to)
            .count();
        (repeated, missing)
    }

    fn add_all(
        &mut self,
        atlas: &FakeAtlas,
        project: Option<&str>,
        times: &[OffsetDateTime],
        class: Class,
    ) {
        for &at in times {
            self.add(atlas, project, at, class);
        }
    }
}

fn project_id(n: u64) -> String {
    format!("6f{n:022x}")
}

/// The polled organization's mix: (class, projects, mean gap between events in seconds).
const MIX: [(Class, u64, f64); 3] = [
    (Class::Quiet, 940, 3.0 * 86_400.0),
    (Class::Active, 50, 300.0),
    (Class::Busy, 10, 10.0),
];
/// The mean gap between the organization's own events, in seconds.
const ORG_GAP: f64 = 120.0;

/// Project `n`'s class: every 100th busy (10), every 20th from the 10th active (50), the rest quiet.
fn class_of(n: u64) -> Class {
    if n.is_multiple_of(100) {
        Class::Busy
    } else if n % 20 == 10 {
        Class::Active
    } else {
        Class::Quiet
    }
}

fn mean_gap(class: Class) -> f64 {
    MIX.iter()
        .find(|(c, _, _)| *c == class)
        .map_or(ORG_GAP, |(_, _, gap)| *gap)
}

/// The organization of 1,000 projects and its events from `from` to `to`; one busy project has a
/// burst at `burst`. Returns each project's class.
fn organization(
    atlas: &FakeAtlas,
    factory: &mut Factory,
    from: OffsetDateTime,
    to: OffsetDateTime,
    burst: OffsetDateTime,
) -> HashMap<String, Class> {
    let mut classes = HashMap::new();
    let mut lcg = Lcg(18);
    let times = lcg.poisson(from, to, ORG_GAP);
    factory.add_all(atlas, None, &times, Class::Org);
    for n in 1..=PROJECTS {
        let id = project_id(n);
        let class = class_of(n);
        atlas.add_project(
            ORG,
            &id,
            &format!("project-{n}"),
            t0() - seconds(12 * MONTH),
        );
        let mut lcg = Lcg(1_000 + n);
        let times = lcg.poisson(from, to, mean_gap(class));
        if n == BURST_PROJECT {
            // All its events, the regular ones too, are counted as the burst's.
            factory.add_all(atlas, Some(&id), &times, Class::Burst);
            let times = burst_times(n, BURST_EVENTS, burst, BURST_SPAN, 0);
            factory.add_all(atlas, Some(&id), &times, Class::Burst);
        } else {
            factory.add_all(atlas, Some(&id), &times, class);
        }
        classes.insert(id, class);
    }
    for (class, count, _) in MIX {
        assert_eq!(
            classes.values().filter(|c| **c == class).count() as u64,
            count
        );
    }
    classes
}

// ---------------------------------------------------------------------------------------------
// The fake's request log, kept apart from the follow's heap.

/// The heap the fake's request log held after its first `n` requests: the `Vec`'s buffer (it
/// doubles from 4 as requests are pushed) and each request's three strings, allocated at their
/// exact length. Subtracted from the heap the process holds, so that the follow's heap is left.
struct LogSize {
    /// Bytes of strings of the first `n` requests, for each `n`.
    strings: Vec<usize>,
}

impl LogSize {
    fn new(requests: &[Request]) -> LogSize {
        let mut strings = Vec::with_capacity(requests.len() + 1);
        let mut sum = 0;
        strings.push(0);
        for r in requests {
            sum += r.method.len() + r.path.len() + r.query.len();
            strings.push(sum);
        }
        LogSize { strings }
    }

    fn bytes(&self, n: usize) -> usize {
        let capacity = if n == 0 {
            0
        } else {
            n.next_power_of_two().max(4)
        };
        capacity * std::mem::size_of::<Request>() + self.strings[n]
    }
}

/// How many of `requests` (in the order answered) were answered at or before `at`.
fn answered_by(requests: &[Request], at: OffsetDateTime) -> usize {
    requests.partition_point(|r| r.at <= at)
}

/// Replays `requests` through `atlas` (same paths and queries) and returns the CPU time it took.
fn replay_cpu(atlas: &FakeAtlas, requests: &[Request]) -> Duration {
    let authorization = format!("Bearer {TOKEN}");
    let before = cpu();
    for r in requests {
        let target = if r.query.is_empty() {
            r.path.clone()
        } else {
            format!("{}?{}", r.path, r.query)
        };
        std::hint::black_box(atlas.handle(&r.method, &target, Some(&authorization)));
    }
    cpu() - before
}

/// The fake's share of the CPU measured while following: the CPU time a fresh fake, filled by
/// `populate` exactly as the one followed was and with its clock at `at` (after every request),
/// takes to answer each part of the requests again. Each request's window is pinned by `maxDate`,
/// so the answers are the same; a fresh fake, because the followed one's heap has grown with the
/// run and answers more slowly (up to 1.5x), and its request log doubles with the replay.
fn fake_cpu(
    populate: &dyn Fn(&FakeAtlas, &mut Factory),
    templates: (&[Value], &[Value]),
    at: OffsetDateTime,
    parts: &[&[Request]],
) -> Vec<Duration> {
    let atlas = FakeAtlas::starting_at(at);
    let mut factory = Factory::new(templates.0, templates.1);
    populate(&atlas, &mut factory);
    drop(factory);
    parts.iter().map(|part| replay_cpu(&atlas, part)).collect()
}

// ---------------------------------------------------------------------------------------------
// 1. Polling an organization of 1,000 projects.

#[derive(Clone, Copy)]
struct PollConfig {
    /// How far back the follow starts.
    history: Duration,
    quiet: Duration,
    latency: Duration,
    concurrency: usize,
}

/// Taken at the end of the catch-up and of each round, in the fake's clock.
struct Sample {
    at: OffsetDateTime,
    /// CPU time since the previous sample, less the measuring done at that sample.
    cpu: Duration,
    live: usize,
    peak: usize,
    checkpoint_bytes: usize,
}

/// Requests of one stretch, by what they read.
#[derive(Default, Clone, Copy)]
struct Kinds {
    listing: usize,
    organization: usize,
    quiet: usize,
    active: usize,
    busy: usize,
}

impl Kinds {
    fn total(&self) -> usize {
        self.listing + self.organization + self.quiet + self.active + self.busy
    }
}

/// One stretch (the catch-up, or a round of 30 s) measured.
struct Stretch {
    requests: Kinds,
    cpu: Duration,
    /// The follow's heap at the end (exact).
    heap: usize,
    /// The most heap the follow held during the stretch: at least `peak_low`, at most `peak_high`
    /// (they differ by what the fake's request log grew during the stretch).
    peak_low: usize,
    peak_high: usize,
    checkpoint_bytes: usize,
}

struct PollRun {
    config: PollConfig,
    catch_up: Stretch,
    catch_up_time: Duration,
    catch_up_events: u64,
    fake_cpu_catch_up: Duration,
    rounds: Vec<Stretch>,
    fake_cpu_rounds: Duration,
    /// Heap freed when the follow and its client were dropped at the end, and the same figure
    /// computed as the process's heap less the fake's (which checks the computation).
    held_measured: usize,
    held_computed: usize,
    /// Mean CPU time of `checkpoint()` and serializing it.
    checkpoint_cpu: Duration,
    /// Delays of the events created from the end of the catch-up to 10 minutes before the end.
    delays: BTreeMap<Class, Vec<Duration>>,
    missing: usize,
    repeated: usize,
    errors: usize,
}

/// The id of an event item.
fn org_item_id(item: &Result<OrganizationItem, OrgError>) -> Option<&str> {
    match item {
        Ok(OrgItem::Organization(event)) => event.value().id(),
        Ok(OrgItem::Project { event, .. }) => event.value().id(),
        Ok(_) => None,
        Err(error) => {
            eprintln!("  error: {error}");
            None
        }
    }
}

/// Takes the follow's items until `deadline` (tokio's paused clock); returns the errors among them.
async fn drive(
    follow: &mut OrganizationFollow,
    deadline: tokio::time::Instant,
    atlas: &FakeAtlas,
    factory: &mut Factory<'_>,
) -> usize {
    let mut errors = 0;
    while let Ok(item) = tokio::time::timeout_at(deadline, follow.next()).await {
        let item = item.expect("a follow without an end never ends");
        errors += usize::from(item.is_err());
        factory.yielded(org_item_id(&item), atlas.now());
    }
    errors
}

/// Measures where the follow stands: CPU since `since_cpu`, heap, peak heap since the last
/// sample, and the checkpoint's size (its CPU goes to `checkpoint_cpu`, not to the round).
fn sample(
    follow: &OrganizationFollow,
    atlas: &FakeAtlas,
    since_cpu: &mut Duration,
    checkpoint_cpu: &mut Duration,
) -> Sample {
    let spent = cpu() - *since_cpu;
    let (live_now, peak_now) = (live(), peak());
    let measuring = cpu();
    let checkpoint = serde_json::to_string(&follow.checkpoint()).expect("a checkpoint serializes");
    let checkpoint_bytes = checkpoint.len();
    drop(checkpoint);
    *checkpoint_cpu += cpu() - measuring;
    reset_peak();
    *since_cpu = cpu();
    Sample {
        at: atlas.now(),
        cpu: spent,
        live: live_now,
        peak: peak_now,
        checkpoint_bytes,
    }
}

async fn poll_organization(
    config: PollConfig,
    hours: u64,
    group: &[Value],
    org: &[Value],
) -> PollRun {
    let start = t0();
    let since = start - seconds(config.history);
    let atlas = FakeAtlas::starting_at(start);
    atlas.latency(config.latency);
    let mut factory = Factory::new(group, org);
    let end_of_events = start + seconds(Duration::from_secs(hours * 3600 + 1800));
    let burst = start + seconds(Duration::from_secs(hours * 3600 / 2));
    let classes = organization(&atlas, &mut factory, since, end_of_events, burst);
    let rounds = (hours * 3600 / ROUND.as_secs()) as usize;
    let mut samples = Vec::with_capacity(rounds + 1);
    let mut checkpoint_cpu = Duration::ZERO;
    let mut errors = 0;

    // Everything allocated from here on, but the fake's request log, is the follow's.
    let base = live();
    let mut since_cpu = cpu();
    let client = atlas.client();
    let mut follow = client
        .follow_organization(ORG)
        .since(since)
        .poll_interval(ROUND)
        .quiet_interval(config.quiet)
        .concurrency(config.concurrency);
    reset_peak();

    // The catch-up: until every scope has read up to now once and nothing is left to yield
    // (looked at every 100 ms of the follow's clock).
    loop {
        let deadline = tokio::time::Instant::now() + Duration::from_millis(100);
        errors += drive(&mut follow, deadline, &atlas, &mut factory).await;
        let progress = follow.progress();
        let buffered = follow.buffered_events();
        if progress.scopes as u64 == PROJECTS + 1
            && progress.caught_up == progress.scopes
            && buffered == 0
        {
            break;
        }
    }
    let catch_up_events = follow.progress().events;
    samples.push(sample(&follow, &atlas, &mut since_cpu, &mut checkpoint_cpu));

    // The rounds. Each ends 137 ms past a whole 30 s from the end of the catch-up: a time at
    // which nothing happens (the follow's waits are whole seconds, answers 250 ms apart).
    let origin = tokio::time::Instant::now() + Duration::from_millis(137);
    for round in 1..=rounds {
        let deadline = origin + ROUND * round as u32;
        errors += drive(&mut follow, deadline, &atlas, &mut factory).await;
        samples.push(sample(&follow, &atlas, &mut since_cpu, &mut checkpoint_cpu));
    }
    let live_end = live();
    drop(follow);
    drop(client);
    let held_measured = live_end.saturating_sub(live());

    let requests = atlas.requests();
    let log = LogSize::new(&requests);
    let caught_up = samples[0].at;
    let split = answered_by(&requests, caught_up);
    // From the start to the last answer of the catch-up.
    let catch_up_time = Duration::try_from(requests[split - 1].at - start).unwrap_or_default();
    let populate = |atlas: &FakeAtlas, factory: &mut Factory| {
        organization(atlas, factory, since, end_of_events, burst);
    };
    let last_at = samples.last().expect("samples").at;
    let parts = [&requests[..split], &requests[split..]];
    let replayed = fake_cpu(&populate, (group, org), last_at, &parts);
    let (fake_cpu_catch_up, fake_cpu_rounds) = (replayed[0], replayed[1]);
    let stretch = |from: Option<&Sample>, to: &Sample| {
        let first = from.map_or(0, |s| answered_by(&requests, s.at));
        let last = answered_by(&requests, to.at);
        let mut kinds = Kinds::default();
        for r in &requests[first..last] {
            let slot = if r.path.ends_with("/groups") {
                &mut kinds.listing
            } else if let Some(rest) = r.path.strip_prefix("/api/atlas/v2/groups/") {
                match classes.get(rest.trim_end_matches("/events")) {
                    Some(Class::Quiet) => &mut kinds.quiet,
                    Some(Class::Active) => &mut kinds.active,
                    _ => &mut kinds.busy,
                }
            } else {
                &mut kinds.organization
            };
            *slot += 1;
        }
        let fake = |n: usize| base + log.bytes(n);
        Stretch {
            requests: kinds,
            cpu: to.cpu,
            heap: to.live.saturating_sub(fake(last)),
            peak_low: to.peak.saturating_sub(fake(last)),
            peak_high: to.peak.saturating_sub(fake(first)),
            checkpoint_bytes: to.checkpoint_bytes,
        }
    };
    let catch_up = stretch(None, &samples[0]);
    let round_stats: Vec<Stretch> = samples
        .windows(2)
        .map(|w| stretch(Some(&w[0]), &w[1]))
        .collect();
    let last = samples.last().expect("samples");
    let held_computed = last.live.saturating_sub(base + log.bytes(requests.len()));

    let counted_until = last.at - time::Duration::minutes(10);
    let (repeated, missing) = factory.repeated_and_missing(caught_up, counted_until);
    let mut delays: BTreeMap<Class, Vec<Duration>> = BTreeMap::new();
    for known in factory.events.values() {
        if let Some(at) = known.first_yielded
            && known.created >= caught_up
            && known.created <= counted_until
        {
            let delay = Duration::try_from(at - known.created).unwrap_or_default();
            delays.entry(known.class).or_default().push(delay);
        }
    }
    for list in delays.values_mut() {
        list.sort();
    }
    PollRun {
        config,
        catch_up,
        catch_up_time,
        catch_up_events,
        fake_cpu_catch_up,
        rounds: round_stats,
        fake_cpu_rounds,
        held_measured,
        held_computed,
        checkpoint_cpu: checkpoint_cpu / samples.len() as u32,
        delays,
        missing,
        repeated,
        errors,
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Catching up.

/// One scope of a catch-up: its events and the requests that read them.
struct ScopeCount {
    name: String,
    events: usize,
    requests: usize,
}

struct CatchUpRun {
    label: &'static str,
    latency: Duration,
    scopes: Vec<ScopeCount>,
    /// `getOrgGroups` requests.
    listings: usize,
    /// The follow's clock from its start to its end.
    time: Duration,
    /// Distinct times at which requests were answered.
    instants: usize,
    cpu: Duration,
    fake_cpu: Duration,
    /// The most heap the follow held (at least; the fake's log adds at most a few KiB).
    peak_heap: usize,
    /// Heap the follow still held when it had ended (freed when dropped).
    held: usize,
    events: usize,
    missing: usize,
    repeated: usize,
    errors: usize,
}

/// The organization's own 16 months: 9,364 events clustered in time and 20,000 in one hour
/// three months ago, 700 of them inside its first second.
fn org_history(atlas: &FakeAtlas, factory: &mut Factory) -> usize {
    let end = t0();
    let clustered = clustered_times(7, 9_364, end, 16 * MONTH);
    factory.add_all(atlas, None, &clustered, Class::Org);
    let burst_start = end - seconds(90 * 86_400 * Duration::from_secs(1));
    let burst = burst_times(9, 20_000, burst_start, Duration::from_secs(3600), 700);
    factory.add_all(atlas, None, &burst, Class::Burst);
    clustered.len() + burst.len()
}

/// The organization's 16 months (when `org_events`) and `projects`, each a name and its events'
/// times; returns the scopes.
fn populate_org(
    atlas: &FakeAtlas,
    factory: &mut Factory,
    org_events: bool,
    projects: &[(String, Vec<OffsetDateTime>)],
) -> Vec<ScopeCount> {
    let mut scopes = vec![ScopeCount {
        name: format!("orgs/{ORG}"),
        events: if org_events {
            org_history(atlas, factory)
        } else {
            0
        },
        requests: 0,
    }];
    for (n, (name, times)) in projects.iter().enumerate() {
        let id = project_id(n as u64 + 1);
        atlas.add_project(ORG, &id, name, t0() - seconds(24 * MONTH));
        factory.add_all(atlas, Some(&id), times, Class::Busy);
        scopes.push(ScopeCount {
            name: format!("groups/{id}"),
            events: times.len(),
            requests: 0,
        });
    }
    scopes
}

/// Requests that listed the events of `scope` (`orgs/<id>`, `groups/<id>`).
fn requests_of(requests: &[Request], scope: &str) -> usize {
    requests.iter().filter(|r| r.lists_events_of(scope)).count()
}

/// What every catch-up measures once its follow has ended.
struct Ended {
    base: usize,
    started_cpu: Duration,
    started: tokio::time::Instant,
    live_end: usize,
    peak: usize,
    errors: usize,
}

fn finish(
    atlas: &FakeAtlas,
    factory: &Factory,
    ended: Ended,
    label: &'static str,
    scopes: Vec<ScopeCount>,
) -> CatchUpRun {
    let cpu_spent = cpu() - ended.started_cpu;
    let time = ended.started.elapsed();
    let held = ended.live_end.saturating_sub(live());
    let requests = atlas.requests();
    let peak_heap = ended
        .peak
        .saturating_sub(ended.base + LogSize::new(&requests).bytes(requests.len()));
    let mut instants: Vec<OffsetDateTime> = requests.iter().map(|r| r.at).collect();
    instants.dedup();
    let scopes: Vec<ScopeCount> = scopes
        .into_iter()
        .map(|s| ScopeCount {
            requests: requests_of(&requests, &s.name),
            ..s
        })
        .collect();
    let listings = requests
        .iter()
        .filter(|r| r.path.ends_with("/groups"))
        .count();
    let (repeated, missing) = factory.repeated_and_missing(OffsetDateTime::UNIX_EPOCH, t0());
    CatchUpRun {
        label,
        latency: Duration::ZERO,
        scopes,
        listings,
        time,
        instants: instants.len(),
        cpu: cpu_spent,
        fake_cpu: Duration::ZERO,
        peak_heap,
        held,
        events: factory.events.values().filter(|k| k.yielded > 0).count(),
        missing,
        repeated,
        errors: ended.errors,
    }
}

/// The single-scope follow of the organization's events, from 16 months back to now.
async fn catch_up_single(latency: Duration, group: &[Value], org: &[Value]) -> CatchUpRun {
    let atlas = FakeAtlas::starting_at(t0());
    atlas.latency(latency);
    let mut factory = Factory::new(group, org);
    let populate = |atlas: &FakeAtlas, factory: &mut Factory| {
        org_history(atlas, factory);
    };
    let events = org_history(&atlas, &mut factory);
    let since = t0() - seconds(16 * MONTH + Duration::from_secs(86_400));
    let base = live();
    let (started_cpu, started) = (cpu(), tokio::time::Instant::now());
    reset_peak();
    let client = atlas.client();
    let mut follow = client
        .list_org_events(ORG)
        .min_date(since)
        .max_date(t0())
        .follow();
    let mut errors = 0;
    while let Some(item) = follow.next().await {
        match item {
            Ok(event) => factory.yielded(event.id(), atlas.now()),
            Err(error) => {
                errors += 1;
                eprintln!("  error: {error}");
            }
        }
    }
    let (live_end, peak) = (live(), peak());
    drop(follow);
    drop(client);
    let ended = Ended {
        base,
        started_cpu,
        started,
        live_end,
        peak,
        errors,
    };
    let scopes = vec![ScopeCount {
        name: format!("orgs/{ORG}"),
        events,
        requests: 0,
    }];
    let label = "single scope (`list_org_events(..).follow()`)";
    let run = finish(&atlas, &factory, ended, label, scopes);
    let replayed = fake_cpu(&populate, (group, org), t0(), &[&atlas.requests()]);
    CatchUpRun {
        latency,
        fake_cpu: replayed[0],
        ..run
    }
}

/// The organization follow from `since` to now of the organization's events (`org_events`) and
/// of projects with the given events (each a `(label, times)`).
async fn catch_up_org(
    latency: Duration,
    label: &'static str,
    since: OffsetDateTime,
    org_events: bool,
    projects: &[(String, Vec<OffsetDateTime>)],
    templates: (&[Value], &[Value]),
) -> CatchUpRun {
    let atlas = FakeAtlas::starting_at(t0());
    atlas.latency(latency);
    let mut factory = Factory::new(templates.0, templates.1);
    let populate = |atlas: &FakeAtlas, factory: &mut Factory| {
        populate_org(atlas, factory, org_events, projects)
    };
    let scopes = populate(&atlas, &mut factory);
    let base = live();
    let (started_cpu, started) = (cpu(), tokio::time::Instant::now());
    reset_peak();
    let client = atlas.client();
    let mut follow = client.follow_organization(ORG).since(since).until(t0());
    let mut errors = 0;
    while let Some(item) = follow.next().await {
        errors += usize::from(item.is_err());
        factory.yielded(org_item_id(&item), atlas.now());
    }
    let (live_end, peak) = (live(), peak());
    drop(follow);
    drop(client);
    let ended = Ended {
        base,
        started_cpu,
        started,
        live_end,
        peak,
        errors,
    };
    let run = finish(&atlas, &factory, ended, label, scopes);
    let populate = |atlas: &FakeAtlas, factory: &mut Factory| {
        populate(atlas, factory);
    };
    let replayed = fake_cpu(&populate, templates, t0(), &[&atlas.requests()]);
    CatchUpRun {
        latency,
        fake_cpu: replayed[0],
        ..run
    }
}

// ---------------------------------------------------------------------------------------------
// Reporting.

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// `d` in seconds (whole), or milliseconds below a second.
fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.0} s")
    } else {
        format!("{:.0} ms", s * 1e3)
    }
}

fn hours_or_secs(d: Duration) -> String {
    if d.as_secs() >= 3600 && d.as_secs().is_multiple_of(3600) {
        format!("{} h", d.as_secs() / 3600)
    } else {
        secs(d)
    }
}

/// The first columns of a polling row.
fn label(c: &PollConfig) -> String {
    format!(
        "{} | {} | {} | {}",
        hours_or_secs(c.history),
        secs(c.quiet),
        secs(c.latency),
        c.concurrency
    )
}

const POLL_COLUMNS: &str = "| history | quiet interval | latency | concurrency |";
const POLL_RULE: &str = "|---|---|---|---:|";

fn median(mut values: Vec<usize>) -> usize {
    values.sort_unstable();
    values[values.len() / 2]
}

fn poll_tables(runs: &[PollRun], hours: u64) -> String {
    let mut out = String::new();
    let rounds = runs[0].rounds.len();
    let _ = writeln!(
        out,
        "\n#### Polling: per round of 30 s, {hours} h after the catch-up ({rounds} rounds)\n"
    );
    let _ = writeln!(
        out,
        "{POLL_COLUMNS} requests per round: mean | median | max | CPU per round (of it the fake) | follow heap at round ends (max) | peak follow heap | checkpoint (max) |"
    );
    let _ = writeln!(out, "{POLL_RULE}---:|---:|---:|---:|---:|---:|---:|");
    for run in runs {
        let totals: Vec<usize> = run.rounds.iter().map(|r| r.requests.total()).collect();
        let n = run.rounds.len() as u32;
        let cpu: Duration = run.rounds.iter().map(|r| r.cpu).sum();
        let max = |f: fn(&Stretch) -> usize| run.rounds.iter().map(f).max().unwrap_or(0);
        let _ = writeln!(
            out,
            "| {} | {:.1} | {} | {} | {} ({}) | {} | {}-{} | {} B |",
            label(&run.config),
            totals.iter().sum::<usize>() as f64 / totals.len() as f64,
            median(totals.clone()),
            totals.iter().max().unwrap_or(&0),
            ms(cpu / n),
            ms(run.fake_cpu_rounds / n),
            mib(max(|r| r.heap)),
            mib(max(|r| r.peak_low)),
            mib(max(|r| r.peak_high)),
            max(|r| r.checkpoint_bytes),
        );
    }
    let _ = writeln!(
        out,
        "\n#### Polling: requests per round by scope (mean), and listings of the projects in all\n"
    );
    let _ = writeln!(
        out,
        "{POLL_COLUMNS} organization | 940 quiet projects | 50 active | 10 busy | `getOrgGroups` requests in {rounds} rounds |"
    );
    let _ = writeln!(out, "{POLL_RULE}---:|---:|---:|---:|---:|");
    for run in runs {
        let n = run.rounds.len() as f64;
        let sum = |f: fn(&Kinds) -> usize| run.rounds.iter().map(|r| f(&r.requests)).sum::<usize>();
        let _ = writeln!(
            out,
            "| {} | {:.2} | {:.1} | {:.1} | {:.1} | {} |",
            label(&run.config),
            sum(|k| k.organization) as f64 / n,
            sum(|k| k.quiet) as f64 / n,
            sum(|k| k.active) as f64 / n,
            sum(|k| k.busy) as f64 / n,
            sum(|k| k.listing),
        );
    }
    let _ = writeln!(
        out,
        "\n#### Polling: delay from an event's `created` to the follow yielding it (median / max, events)\n"
    );
    let classes = [
        Class::Quiet,
        Class::Active,
        Class::Busy,
        Class::Burst,
        Class::Org,
    ];
    let _ = write!(out, "{POLL_COLUMNS}");
    for class in classes {
        let _ = write!(out, " {} |", class.name());
    }
    let _ = writeln!(out, "\n{POLL_RULE}---:|---:|---:|---:|---:|");
    for run in runs {
        let _ = write!(out, "| {} |", label(&run.config));
        for class in classes {
            match run.delays.get(&class) {
                Some(d) if !d.is_empty() => {
                    let _ = write!(
                        out,
                        " {} / **{}** ({}) |",
                        secs(d[d.len() / 2]),
                        secs(d[d.len() - 1]),
                        d.len()
                    );
                }
                _ => {
                    let _ = write!(out, " - |");
                }
            }
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "\n#### Polling: the catch-up before the rounds\n");
    let _ = writeln!(
        out,
        "{POLL_COLUMNS} requests | events | follow's clock | CPU (of it the fake) | peak follow heap | follow heap after | checkpoint |"
    );
    let _ = writeln!(out, "{POLL_RULE}---:|---:|---:|---:|---:|---:|---:|");
    for run in runs {
        let c = &run.catch_up;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} ({}) | {}-{} | {} | {} B |",
            label(&run.config),
            c.requests.total(),
            run.catch_up_events,
            secs(run.catch_up_time),
            ms(c.cpu),
            ms(run.fake_cpu_catch_up),
            mib(c.peak_low),
            mib(c.peak_high),
            mib(c.heap),
            c.checkpoint_bytes,
        );
    }
    let _ = writeln!(out, "\n#### Polling: checks\n");
    let _ = writeln!(
        out,
        "{POLL_COLUMNS} follow heap at the end: computed / freed when dropped | `checkpoint()` and serializing it, CPU | errors | events missed | yielded twice | requests in rounds 1-30 |"
    );
    let _ = writeln!(out, "{POLL_RULE}---:|---:|---:|---:|---:|---|");
    for run in runs {
        let first: Vec<String> = run
            .rounds
            .iter()
            .take(30)
            .map(|r| r.requests.total().to_string())
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} / {} | {} | {} | {} | {} | {} |",
            label(&run.config),
            mib(run.held_computed),
            mib(run.held_measured),
            ms(run.checkpoint_cpu),
            run.errors,
            run.missing,
            run.repeated,
            first.join(" "),
        );
    }
    out
}

fn catch_up_table(runs: &[CatchUpRun]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n#### Catch-up: requests against pages of 500\n");
    let _ = writeln!(
        out,
        "| follow | latency | scope | events | pages of 500 | requests |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---:|");
    for run in runs {
        let latency = secs(run.latency);
        // Scope by scope when there are few.
        if run.scopes.len() <= 8 {
            for scope in &run.scopes {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} | {} |",
                    run.label,
                    latency,
                    scope.name,
                    scope.events,
                    scope.events.div_ceil(500),
                    scope.requests
                );
            }
        }
        if run.scopes.len() > 1 {
            let events: usize = run.scopes.iter().map(|s| s.events).sum();
            let pages: usize = run.scopes.iter().map(|s| s.events.div_ceil(500)).sum();
            let requests: usize = run.scopes.iter().map(|s| s.requests).sum();
            let _ = writeln!(
                out,
                "| {} | {} | **all {} scopes** (+ `getOrgGroups`) | {} | {} | {} (+ {}) |",
                run.label,
                latency,
                run.scopes.len(),
                events,
                pages,
                requests,
                run.listings
            );
        }
    }
    let _ = writeln!(out, "\n#### Catch-up: time, CPU, memory\n");
    let _ = writeln!(
        out,
        "| follow | latency | events yielded | follow's clock | instants with requests | CPU (of it the fake) | peak follow heap | heap held once ended | missed | twice | errors |"
    );
    let _ = writeln!(
        out,
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for run in runs {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |",
            run.label,
            secs(run.latency),
            run.events,
            secs(run.time),
            run.instants,
            ms(run.cpu),
            ms(run.fake_cpu),
            mib(run.peak_heap),
            mib(run.held),
            run.missing,
            run.repeated,
            run.errors
        );
    }
    out
}

/// `count` projects, each with `events` events spread over the last day.
fn projects_of(count: u64, events: usize) -> Vec<(String, Vec<OffsetDateTime>)> {
    let day = t0() - time::Duration::days(1);
    (0..count)
        .map(|n| {
            let mut lcg = Lcg(500 + n);
            let times = (0..events)
                .map(|_| day + time::Duration::seconds(lcg.below(86_400) as i64))
                .collect();
            (format!("project-{n}"), times)
        })
        .collect()
}

fn main() {
    let hours: u64 = std::env::args()
        .nth(1)
        .map(|h| h.parse().expect("hours of polling, a whole number"))
        .unwrap_or(2);
    let group = templates("group-");
    let org = templates("org-");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a paused current-thread runtime");
    let wall = std::time::Instant::now();

    let default_quiet = Duration::from_secs(300);
    let latency = Duration::from_millis(250);
    let poll = |history, quiet, latency, concurrency| PollConfig {
        history,
        quiet,
        latency,
        concurrency,
    };
    let configs = [
        poll(HISTORY, default_quiet, Duration::ZERO, 4),
        poll(HISTORY, ROUND, Duration::ZERO, 4),
        poll(HISTORY, default_quiet, latency, 4),
        poll(HISTORY, ROUND, latency, 4),
        poll(HISTORY, ROUND, latency, 16),
        poll(Duration::from_secs(60), default_quiet, Duration::ZERO, 4),
    ];
    let mut polls = Vec::new();
    for config in configs {
        polls.push(runtime.block_on(poll_organization(config, hours, &group, &org)));
        eprintln!("polling run {} done at {:.1?}", polls.len(), wall.elapsed());
    }

    let mut catch_ups = Vec::new();
    let since = t0() - seconds(16 * MONTH + Duration::from_secs(86_400));
    let templates = (group.as_slice(), org.as_slice());
    for latency in [Duration::ZERO, latency] {
        catch_ups.push(runtime.block_on(catch_up_single(latency, &group, &org)));
        let projects = vec![
            (
                "5,000 clustered".to_owned(),
                clustered_times(11, 5_000, t0(), 16 * MONTH),
            ),
            (
                "499 clustered".to_owned(),
                clustered_times(12, 499, t0(), 16 * MONTH),
            ),
            (
                "501 clustered".to_owned(),
                clustered_times(13, 501, t0(), 16 * MONTH),
            ),
            ("empty".to_owned(), Vec::new()),
        ];
        let label = "organization, 4 projects";
        let run = catch_up_org(latency, label, since, true, &projects, templates);
        catch_ups.push(runtime.block_on(run));
        eprintln!("catch-up runs done at {:.1?}", wall.elapsed());
    }
    // Many scopes of one page, and of two: what the follow holds while and after reading them.
    let day = t0() - time::Duration::days(1);
    for (events, label) in [
        (400, "organization, 100 projects of 400 events"),
        (1_000, "organization, 100 projects of 1,000 events"),
    ] {
        let projects = projects_of(100, events);
        let run = catch_up_org(Duration::ZERO, label, day, false, &projects, templates);
        catch_ups.push(runtime.block_on(run));
    }
    eprintln!("all done at {:.1?}", wall.elapsed());

    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_default();
    println!(
        "Machine: {} cores ({cpu_model}). Sizes: `WithJson<GroupEvent>` {} B, `OrgEvent` {} B. \
         Whole run: {:.1?} wall, peak resident memory (VmHWM) {} MiB.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::mem::size_of::<mongodb_atlas_events::WithJson<mongodb_atlas_events::GroupEvent>>(),
        std::mem::size_of::<mongodb_atlas_events::OrgEvent>(),
        wall.elapsed(),
        vm_hwm_kib().unwrap_or(0) / 1024
    );
    print!("{}", poll_tables(&polls, hours));
    print!("{}", catch_up_table(&catch_ups));
}
