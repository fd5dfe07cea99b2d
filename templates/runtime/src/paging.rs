//! Paging: turns a list operation into a stream of pages, or of items across
//! pages, that always ends and never yields an item twice.
//!
//! The rules, stated once (the crate's README repeats them):
//!
//! - A page is followed by another when it is full (`itemsPerPage` items) and
//!   either links `rel="next"` or `totalCount` counts more items than the
//!   pages so far held. So a `next` link is followed whatever `totalCount`
//!   says (Atlas documents it as an estimate), and an empty or short page ends
//!   the list.
//! - Where the operation has a `maxDate` parameter the caller did not set,
//!   every page asks for `maxDate` = the time the stream started (this
//!   machine's clock): events created while the stream pages cannot push
//!   older ones onto later pages. Events created after the start are not in
//!   the stream; the next one (with `minDate`) has them.
//! - Items with an id (events) are yielded at most once per stream: an item
//!   whose id was already yielded is skipped, however far it moved. The ids
//!   are kept for the stream's life (12 bytes an ObjectId id, plus the hash
//!   table's spare room).
//! - A page that brings nothing new (every item already yielded, or the same
//!   body as an earlier page, which is what a server or proxy that ignores
//!   `pageNum` sends) but would be followed by another ends the stream with
//!   [`Error::Paging`] (one that ends the list anyway just ends it). A page
//!   that fails after the client's retries ends the stream with its error,
//!   after the items of the pages before it.
//! - Without prefetch one request is in flight, sent when the previous page
//!   is used up. With prefetch, up to [`PREFETCH_PAGES`] requests are in
//!   flight while the consumer works, but only for pages that `totalCount`
//!   or a `next` link vouches for; pages come out in order, and requests for
//!   pages past a page that turned out to be the last are cancelled.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Client, Error, RateLimit, RequestSpec, Response};

/// Most page requests a stream with prefetch has in flight (and pages it
/// holds ahead of the one being consumed).
pub const PREFETCH_PAGES: usize = 4;

/// A list operation's response type (implemented by generated code).
#[doc(hidden)]
pub trait Paged: serde::de::DeserializeOwned + Send + 'static {
    /// The type of one listed item.
    type Item: Send + 'static;
    /// Splits one page into its items and paging facts.
    fn into_page(self) -> PageParts<Self::Item>;
    /// The item's identity (an event's `id`), if it has one.
    fn key(_item: &Self::Item) -> Option<&str> {
        None
    }
    /// The item's type name (an event's `eventTypeName`), if it has one.
    fn type_name(_item: &Self::Item) -> Option<&str> {
        None
    }
    /// When the item happened (an event's `created`), if it says.
    fn created(_item: &Self::Item) -> Option<time::OffsetDateTime> {
        None
    }
    /// A fingerprint of the item's JSON: its identity in a follow stream when it has no key.
    fn fingerprint(_item: &Self::Item) -> Option<u64> {
        None
    }
}

/// A fingerprint of a value's JSON encoding (for [`Paged::fingerprint`]).
#[doc(hidden)]
pub fn json_fingerprint<T: serde::Serialize>(value: &T) -> Option<u64> {
    serde_json::to_vec(value)
        .ok()
        .map(|bytes| fingerprint(&bytes))
}

/// A fingerprint of some bytes: a page's body, an item's JSON. Compared only
/// within one process, so the std hasher's unstable output is fine.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Keeps the items of `items` whose type name `keep` selects, and every item
/// without a type name (it cannot be told); returns how many were left out.
#[doc(hidden)]
pub fn retain_selected<P: Paged>(items: &mut Vec<P::Item>, keep: impl Fn(&str) -> bool) -> usize {
    let before = items.len();
    items.retain(|item| P::type_name(item).is_none_or(&keep));
    before - items.len()
}

/// An item together with its JSON exactly as the server sent it (the bytes
/// of the item inside the page; for `envelope(true)` answers, as re-encoded
/// from the envelope); made by `.stream_with_json()` and `Follow::with_json`.
#[derive(Debug, Clone)]
pub struct WithJson<T> {
    value: T,
    json: Box<serde_json::value::RawValue>,
}

impl<T> WithJson<T> {
    /// The decoded item.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The item's JSON text as received.
    pub fn json(&self) -> &str {
        self.json.get()
    }

    /// The decoded item and its JSON text.
    pub fn into_parts(self) -> (T, Box<serde_json::value::RawValue>) {
        (self.value, self.json)
    }
}

/// A page decoded twice: into `P`, and into the JSON text of each listed item.
#[doc(hidden)]
pub struct JsonPage<P> {
    page: P,
    /// The JSON of each item of `results`, in order (`None`: `results` is no list).
    items_json: Option<Vec<Box<serde_json::value::RawValue>>>,
}

impl<'de, P: serde::de::DeserializeOwned> serde::Deserialize<'de> for JsonPage<P> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        use serde_json::value::RawValue;
        #[derive(serde::Deserialize)]
        struct Results<'a> {
            #[serde(borrow)]
            results: Option<&'a RawValue>,
        }
        let body = <Box<RawValue> as serde::Deserialize>::deserialize(deserializer)?;
        let mut de = serde_json::Deserializer::from_str(body.get());
        let page: P = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| D::Error::custom(format!("at `{}`: {}", e.path(), e.inner())))?;
        let results: Results<'_> = serde_json::from_str(body.get()).map_err(D::Error::custom)?;
        let items_json = results
            .results
            .and_then(|list| serde_json::from_str::<Vec<&RawValue>>(list.get()).ok())
            .map(|items| items.into_iter().map(RawValue::to_owned).collect());
        Ok(JsonPage { page, items_json })
    }
}

impl<P: Paged> Paged for JsonPage<P> {
    type Item = WithJson<P::Item>;

    fn into_page(self) -> PageParts<Self::Item> {
        let parts = self.page.into_page();
        let json = self.items_json.unwrap_or_default();
        let mut unreadable = parts.unreadable;
        if unreadable.is_none() && json.len() != parts.items.len() {
            unreadable = Some(format!(
                "the page's `results` decoded into {} items but holds {} JSON values",
                parts.items.len(),
                json.len()
            ));
        }
        let items = if unreadable.is_some() {
            Vec::new()
        } else {
            parts
                .items
                .into_iter()
                .zip(json)
                .map(|(value, json)| WithJson { value, json })
                .collect()
        };
        PageParts {
            items,
            total_count: parts.total_count,
            has_next_link: parts.has_next_link,
            unreadable,
        }
    }

    fn key(item: &Self::Item) -> Option<&str> {
        P::key(&item.value)
    }

    fn type_name(item: &Self::Item) -> Option<&str> {
        P::type_name(&item.value)
    }

    fn created(item: &Self::Item) -> Option<time::OffsetDateTime> {
        P::created(&item.value)
    }

    fn fingerprint(item: &Self::Item) -> Option<u64> {
        Some(fingerprint(item.json().as_bytes()))
    }
}

/// What a list operation's builder hands to a pager: how to ask for page
/// `n`, untyped, so that one builder feeds pagers of its page type and of
/// [`JsonPage`] alike.
#[doc(hidden)]
pub struct PagerParts {
    pub client: Client,
    pub request_for_page: Arc<dyn Fn(u32) -> RequestSpec + Send + Sync>,
    pub paging: Paging,
    /// Which type names to yield (`None`: all); items without one are always yielded.
    pub keep: Option<KeepType>,
}

/// Decides by its type name whether an item is yielded (a list's type selection).
#[doc(hidden)]
pub type KeepType = Arc<dyn Fn(&str) -> bool + Send + Sync>;

impl PagerParts {
    /// The pages, decoded as `P`.
    pub fn pages<P: Paged>(self) -> Pages<P> {
        paginate_parts(self)
    }
}

/// What one page holds, as far as paging is concerned.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct PageParts<T> {
    /// The items of this page, in order.
    pub items: Vec<T>,
    /// `totalCount`, when the server included it.
    pub total_count: Option<u64>,
    /// Whether `links` contains `rel="next"`.
    pub has_next_link: bool,
    /// Why the page has no list of items to read (its `results` absent, `null` or not a
    /// list): paging cannot go on from such a page.
    pub unreadable: Option<String>,
}

/// Why a page's `results` (as kept in its `extra`) is no list of items.
#[doc(hidden)]
pub fn unreadable_items(kept: Option<&serde_json::Value>) -> String {
    match kept {
        None => "the page has no `results`".to_owned(),
        Some(serde_json::Value::Null) => "the page's `results` is null".to_owned(),
        Some(other) => {
            let kind = match other {
                serde_json::Value::Bool(_) => "a boolean",
                serde_json::Value::Number(_) => "a number",
                serde_json::Value::String(_) => "a string",
                serde_json::Value::Array(_) => "a list with items of another type",
                _ => "an object",
            };
            format!("the page's `results` is {kind}, not a list of items")
        }
    }
}

/// One page of a list, as `.pages()` yields it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// The page's number (`pageNum`).
    pub page_num: u32,
    /// The page's items that this stream had not yielded before, in order.
    pub items: Vec<T>,
    /// How many items of the page were left out because an earlier page had
    /// them already.
    pub repeated: usize,
    /// How many new items of the page were left out by the list's type
    /// selection (applied on this side: see `TypeSelection`).
    pub not_selected: usize,
    /// `totalCount` as the server sent it (an estimate, by Atlas's own
    /// documentation), when it did.
    pub total_count: Option<u64>,
    /// Whether the page linked to a next page (`links` with `rel="next"`).
    pub has_next_link: bool,
    /// The rate-limit headers of the page's answer.
    pub rate_limit: RateLimit,
}

/// How generated code asks for paging.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// `itemsPerPage` sent with every request.
    pub items_per_page: u32,
    /// The first `pageNum` to ask for (at least 1).
    pub first_page: u32,
    /// Whether to fetch pages ahead of the consumer.
    pub prefetch: bool,
    /// The operation's `maxDate` parameter, if it has one: pinned to the
    /// stream's start unless the request already sets it.
    pub pin_max_date: Option<&'static str>,
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<(Response<P>, u64), Error>> + Send>>;

enum Slot<P> {
    Pending(PageFuture<P>),
    Arrived(Result<(Response<P>, u64), Error>),
}

/// Streams the pages of a list operation (see the module documentation for
/// the rules). `request_for_page(n)` must build the request for `pageNum=n`
/// with `itemsPerPage` = `paging.items_per_page`. (Generated code goes through
/// [`PagerParts::pages`].)
#[cfg(test)]
pub fn paginate<P: Paged>(
    client: Client,
    request_for_page: impl Fn(u32) -> RequestSpec + Send + Sync + 'static,
    paging: Paging,
) -> Pages<P> {
    paginate_parts(PagerParts {
        client,
        request_for_page: Arc::new(request_for_page),
        paging,
        keep: None,
    })
}

fn paginate_parts<P: Paged>(parts: PagerParts) -> Pages<P> {
    let PagerParts {
        client,
        request_for_page,
        paging,
        keep,
    } = parts;
    let first_page = paging.first_page.max(1);
    let items_per_page = u64::from(paging.items_per_page.max(1));
    let operation = request_for_page(first_page).operation_id;
    let pin = paging.pin_max_date.map(|name| {
        let now = client.clock().now();
        (name, super::validate::format_datetime(&now))
    });
    Pages {
        client,
        request_for_page,
        keep,
        pin,
        operation,
        items_per_page,
        prefetch: paging.prefetch,
        position: u64::from(first_page - 1).saturating_mul(items_per_page),
        next_page: Some(first_page),
        slots: VecDeque::new(),
        ready: VecDeque::new(),
        more: true,
        last_by_total: 0,
        keys: Keys::default(),
        fingerprints: HashSet::new(),
    }
}

/// The pages of a list, in order; made by a list operation's `.pages()`.
pub struct Pages<P: Paged> {
    client: Client,
    request_for_page: Arc<dyn Fn(u32) -> RequestSpec + Send + Sync>,
    /// The type selection applied on this side, if any.
    keep: Option<KeepType>,
    /// `(name, value)` of the pinned `maxDate`.
    pin: Option<(&'static str, String)>,
    operation: &'static str,
    items_per_page: u64,
    prefetch: bool,
    /// Items accounted for: pages before the first one as full, then every
    /// item received (repeated ones too: they took a place on the page).
    position: u64,
    /// The page `slots[0]` asks for (`None` past `u32::MAX`).
    next_page: Option<u32>,
    /// Requests for consecutive pages from `next_page` on, in flight or arrived.
    slots: VecDeque<Slot<P>>,
    /// Pages processed in order and not yet handed over; an error is last.
    ready: VecDeque<Result<Page<P::Item>, Error>>,
    /// Whether the page after the last one processed may exist.
    more: bool,
    /// The last page that the latest `totalCount` vouches for.
    last_by_total: u32,
    /// Keys of every item handed over.
    keys: Keys,
    /// Fingerprints of every page body received.
    fingerprints: HashSet<u64>,
}

// The only pinned state (the page futures) is boxed, so moving the stream is
// fine whatever the item type.
impl<P: Paged> Unpin for Pages<P> {}

impl<P: Paged> Pages<P> {
    /// The items of every page, in order, instead of the pages.
    pub fn items(self) -> Items<P> {
        Items {
            pages: self,
            buffer: VecDeque::new(),
        }
    }

    /// Whether nothing more will come out of the stream.
    fn finished(&self) -> bool {
        !self.more && self.slots.is_empty() && self.ready.is_empty()
    }

    /// Starts the page requests that the rules allow; `wanted` says the
    /// consumer is waiting for a page (only then does a stream without
    /// prefetch send one).
    fn start_requests(&mut self, wanted: bool) {
        loop {
            let Some(page) = self
                .next_page
                .and_then(|p| u32::try_from(self.slots.len()).ok()?.checked_add(p))
            else {
                return;
            };
            let held = self.slots.len() + self.ready.len();
            // The page right after the last processed one needs `more`; one
            // further ahead needs prefetch and `totalCount` behind it.
            let vouched = if self.slots.is_empty() {
                self.more
            } else {
                self.prefetch && self.more && page <= self.last_by_total
            };
            let room = if self.prefetch {
                held < PREFETCH_PAGES
            } else {
                wanted && held == 0
            };
            if !(vouched && room) {
                return;
            }
            let mut spec = (self.request_for_page)(page);
            if let Some((name, value)) = &self.pin
                && !spec.query.iter().any(|(key, _)| key == name)
            {
                spec.query.push((name, value.clone()));
            }
            let client = self.client.clone();
            self.slots.push_back(Slot::Pending(Box::pin(async move {
                client
                    .execute_page::<P>(&spec, super::client::RateLimits::Retry)
                    .await
            })));
        }
    }

    /// Moves arrived pages, in page order, from `slots` to `ready`.
    fn process_arrived(&mut self) {
        while let Some(Slot::Arrived(_)) = self.slots.front() {
            let Some(Slot::Arrived(result)) = self.slots.pop_front() else {
                return;
            };
            let page_num = self.next_page.unwrap_or(u32::MAX);
            self.next_page = self.next_page.and_then(|p| p.checked_add(1));
            let page = match result {
                Ok((response, fingerprint)) => self.accept(page_num, response, fingerprint),
                Err(error) => Err(error),
            };
            if page.is_err() {
                self.more = false;
            }
            if !self.more || self.next_page.is_none() {
                // Requests for pages after the last are cancelled.
                self.more = false;
                self.slots.clear();
            }
            self.ready.push_back(page);
        }
    }

    /// Records a received page and decides whether another may follow.
    fn accept(
        &mut self,
        page_num: u32,
        response: Response<P>,
        fingerprint: u64,
    ) -> Result<Page<P::Item>, Error> {
        let rate_limit = response.rate_limit();
        let parts = response.into_body().into_page();
        if let Some(reason) = parts.unreadable {
            // Nothing to yield and nothing to count: going on could skip events silently.
            self.more = false;
            return Err(Error::Paging {
                operation: self.operation,
                page: page_num,
                reason,
            });
        }
        let count = parts.items.len();
        self.position = self.position.saturating_add(count as u64);
        let mut items = Vec::with_capacity(count);
        for item in parts.items {
            let new = match P::key(&item) {
                Some(key) => self.keys.insert(key),
                None => true,
            };
            if new {
                items.push(item);
            }
        }
        let same_body = !self.fingerprints.insert(fingerprint);
        if same_body {
            // An earlier page had exactly these items (keyless ones too).
            items.clear();
        }
        let repeated = count - items.len();
        // Paging progress counts every new item; the type selection only
        // decides what is handed over.
        let progressed = !items.is_empty();
        let not_selected = match &self.keep {
            Some(keep) => retain_selected::<P>(&mut items, |name| keep(name)),
            None => 0,
        };
        // `items_per_page` is at least 1, so a full page is never empty.
        let full = count as u64 >= self.items_per_page;
        let total_says_more = parts.total_count.is_some_and(|t| self.position < t);
        self.more = full && (parts.has_next_link || total_says_more);
        if self.more && !progressed {
            // Asking on would repeat this forever: stop, and say why. (A
            // page of repeats that ends the list anyway just ends it.)
            self.more = false;
            let reason = if same_body {
                "the page is the same as an earlier one (does the server or a proxy ignore \
                 `pageNum`?)"
            } else {
                "every item on the page was already received"
            };
            return Err(Error::Paging {
                operation: self.operation,
                page: page_num,
                reason: reason.to_owned(),
            });
        }
        if let Some(total) = parts.total_count {
            let pages = total.div_ceil(self.items_per_page);
            self.last_by_total = u32::try_from(pages).unwrap_or(u32::MAX);
        }
        Ok(Page {
            page_num,
            items,
            repeated,
            not_selected,
            total_count: parts.total_count,
            has_next_link: parts.has_next_link,
            rate_limit,
        })
    }

    /// Starts what may be started, polls every request in flight and
    /// processes what arrived, until nothing changes.
    fn drive(&mut self, cx: &mut Context<'_>, wanted: bool) {
        loop {
            self.start_requests(wanted && self.ready.is_empty());
            let mut arrived = false;
            for slot in &mut self.slots {
                if let Slot::Pending(future) = slot
                    && let Poll::Ready(result) = future.as_mut().poll(cx)
                {
                    *slot = Slot::Arrived(result);
                    arrived = true;
                }
            }
            self.process_arrived();
            if !arrived {
                return;
            }
        }
    }
}

impl<P: Paged> Stream for Pages<P> {
    type Item = Result<Page<P::Item>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.drive(cx, true);
        match this.ready.pop_front() {
            Some(page) => Poll::Ready(Some(page)),
            None if this.finished() => Poll::Ready(None),
            None => Poll::Pending,
        }
    }
}

/// The keys of every item a stream handed over. Event ids are ObjectIds (24
/// lowercase hex digits), kept as their 12 bytes: about 15 bytes an event
/// instead of about 75, so an export of millions of events stays small.
#[derive(Default)]
struct Keys {
    object_ids: HashSet<[u8; 12]>,
    other: HashSet<Box<str>>,
}

impl Keys {
    /// Records `key`; whether it is new.
    fn insert(&mut self, key: &str) -> bool {
        match object_id(key) {
            Some(bytes) => self.object_ids.insert(bytes),
            None => self.other.insert(key.into()),
        }
    }
}

/// The 12 bytes of an ObjectId written as 24 lowercase hex digits (any
/// other spelling is kept as text, so two spellings stay two keys).
fn object_id(key: &str) -> Option<[u8; 12]> {
    let digits = key.as_bytes();
    if digits.len() != 24 {
        return None;
    }
    let nibble = |d: u8| match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        _ => None,
    };
    let mut bytes = [0u8; 12];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(bytes)
}

/// The items of a list, page after page; made by a list operation's `.stream()`.
pub struct Items<P: Paged> {
    pages: Pages<P>,
    /// Items of the page being consumed.
    buffer: VecDeque<P::Item>,
}

impl<P: Paged> Unpin for Items<P> {}

impl<P: Paged> Stream for Items<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            // Drive the requests in flight even while buffered items remain:
            // that is what makes prefetching overlap with consumption.
            this.pages.drive(cx, this.buffer.is_empty());
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match this.pages.ready.pop_front() {
                Some(Ok(page)) => this.buffer.extend(page.items),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None if this.pages.finished() => return Poll::Ready(None),
                None => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod keys_tests {
    use super::{Keys, object_id};

    #[test]
    fn object_ids_are_kept_as_bytes_and_other_keys_as_text() {
        assert_eq!(
            object_id("5f2a9c1e7b3d4a6e8c0b1d2f"),
            Some([
                0x5f, 0x2a, 0x9c, 0x1e, 0x7b, 0x3d, 0x4a, 0x6e, 0x8c, 0x0b, 0x1d, 0x2f
            ])
        );
        // Another spelling of the same digits is another key, as the text is another id.
        assert_eq!(object_id("5F2A9C1E7B3D4A6E8C0B1D2F"), None);
        assert_eq!(object_id("5f2a9c1e7b3d4a6e8c0b1d2"), None);
        assert_eq!(object_id("5f2a9c1e7b3d4a6e8c0b1d2g"), None);
        let mut keys = Keys::default();
        assert!(keys.insert("5f2a9c1e7b3d4a6e8c0b1d2f"));
        assert!(!keys.insert("5f2a9c1e7b3d4a6e8c0b1d2f"));
        assert!(keys.insert("5F2A9C1E7B3D4A6E8C0B1D2F"));
        assert!(!keys.insert("5F2A9C1E7B3D4A6E8C0B1D2F"));
        assert!(keys.insert("evt-1"));
        assert_eq!((keys.object_ids.len(), keys.other.len()), (1, 2));
    }
}
