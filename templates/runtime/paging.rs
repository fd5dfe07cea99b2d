//! Paging: turns a list operation into a stream of items across pages,
//! optionally fetching the next page while the current one is consumed.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Client, Error, RequestSpec, Response};

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
}

type PageFuture<P> = Pin<Box<dyn Future<Output = Result<Response<P>, Error>> + Send>>;

/// Streams every item of a list operation, page after page.
///
/// `request_for_page(n)` must build the request for `pageNum=n` with
/// `itemsPerPage=items_per_page`. The stream ends when `totalCount` items
/// (counting pages before `first_page` as full) have been seen, or when a
/// page comes back empty or shorter than `items_per_page`, or, without
/// `totalCount`, has no `next` link. With `prefetch`, the request for the
/// next page is started as soon as the current page arrives (never more than
/// one ahead) and progresses whenever the stream is polled; without it, the
/// next page is requested only once the current one is used up. A page that
/// fails after the client's retries yields its error and ends the stream.
///
/// Atlas lists newest first, so events created while the stream pages push
/// older ones onto later pages: an item whose key the previous page already
/// had is skipped, so a shift smaller than a page yields no duplicate.
#[doc(hidden)]
pub fn paginate<P: Paged>(
    client: Client,
    request_for_page: impl Fn(u32) -> RequestSpec + Send + Sync + 'static,
    items_per_page: u32,
    first_page: u32,
    prefetch: bool,
) -> impl Stream<Item = Result<P::Item, Error>> + Send + 'static {
    let first_page = first_page.max(1);
    let mut stream = PageStream::<P> {
        client,
        request_for_page: Arc::new(request_for_page),
        items_per_page: u64::from(items_per_page.max(1)),
        seen: u64::from(first_page - 1).saturating_mul(u64::from(items_per_page.max(1))),
        next_page: first_page,
        buffer: VecDeque::new(),
        previous_keys: HashSet::new(),
        newest_page_len: 0,
        in_flight: None,
        more: true,
        prefetch,
        error: None,
        failed: false,
    };
    stream.start_next_page();
    stream
}

struct PageStream<P: Paged> {
    client: Client,
    request_for_page: Arc<dyn Fn(u32) -> RequestSpec + Send + Sync>,
    items_per_page: u64,
    /// Items accounted for so far, including the pages skipped by `first_page`.
    seen: u64,
    /// The page number the next request will ask for.
    next_page: u32,
    buffer: VecDeque<P::Item>,
    /// Keys of the items of the newest page received.
    previous_keys: HashSet<String>,
    /// Length of the newest page received: while the buffer holds more than
    /// that, the consumer is still on an older page.
    newest_page_len: usize,
    /// The one page request in flight, if any.
    in_flight: Option<PageFuture<P>>,
    /// Whether another page may exist.
    more: bool,
    prefetch: bool,
    /// A page failure waiting for the buffer to drain.
    error: Option<Error>,
    /// Set once the error was yielded: the stream is over.
    failed: bool,
}

// The only pinned state (the page future) is boxed, so moving the stream is
// fine whatever the item type.
impl<P: Paged> Unpin for PageStream<P> {}

impl<P: Paged> PageStream<P> {
    fn start_next_page(&mut self) {
        if !self.more || self.in_flight.is_some() {
            return;
        }
        let spec = (self.request_for_page)(self.next_page);
        let client = self.client.clone();
        self.in_flight = Some(Box::pin(async move { client.execute::<P>(&spec).await }));
    }

    /// Records a received page and decides whether another may follow.
    fn accept_page(&mut self, page: PageParts<P::Item>) {
        let count = page.items.len() as u64;
        self.seen = self.seen.saturating_add(count);
        let full = count >= self.items_per_page && count > 0;
        self.more = match page.total_count {
            Some(total) => full && self.seen < total,
            None => full && page.has_next_link,
        };
        match self.next_page.checked_add(1) {
            Some(next) => self.next_page = next,
            None => self.more = false,
        }
        let mut keys = HashSet::new();
        let fresh: Vec<P::Item> = page
            .items
            .into_iter()
            .filter(|item| {
                let Some(key) = P::key(item) else { return true };
                keys.insert(key.to_owned());
                !self.previous_keys.contains(key)
            })
            .collect();
        self.previous_keys = keys;
        self.newest_page_len = fresh.len();
        self.buffer.extend(fresh);
    }
}

impl<P: Paged> Stream for PageStream<P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.failed {
                return Poll::Ready(None);
            }
            // Drive the page in flight even while buffered items remain: that
            // is what makes prefetching overlap with consumption.
            if let Some(fut) = this.in_flight.as_mut()
                && let Poll::Ready(result) = fut.as_mut().poll(cx)
            {
                this.in_flight = None;
                match result {
                    Ok(response) => this.accept_page(response.into_body().into_page()),
                    Err(error) => {
                        // Items of the previous page still buffered are
                        // yielded first, so the error comes in page order.
                        this.more = false;
                        this.error = Some(error);
                    }
                }
                continue;
            }
            // Prefetch once the consumer is on the newest page, so no more
            // than one page is ever fetched ahead of it.
            if this.prefetch
                && this.in_flight.is_none()
                && this.more
                && this.error.is_none()
                && this.buffer.len() <= this.newest_page_len
            {
                this.start_next_page();
                // Poll it once right away so its request goes out.
                continue;
            }
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(error) = this.error.take() {
                this.failed = true;
                return Poll::Ready(Some(Err(error)));
            }
            if this.in_flight.is_none() {
                if !this.more {
                    return Poll::Ready(None);
                }
                this.start_next_page();
                continue;
            }
            return Poll::Pending;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let upper = (!self.more && self.in_flight.is_none())
            .then_some(self.buffer.len() + usize::from(self.error.is_some()));
        (self.buffer.len(), upper)
    }
}
