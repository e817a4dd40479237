// Part of the runtime every generated client carries: streams over paginated operations.
//
// One engine serves every paging pattern. A generated function gets the key of the page
// to fetch (none for the first page) and makes the operation's call with the paging
// parameter set (or to the next URL); another reads the page's items and the key of the
// next page from the response (`Pages::of_calls` sends the call between them). The engine buffers items, asks for pages only as items are consumed, and
// ends the stream with an error when the server repeats a key or the page limit is hit.

use super::{Call, Error, HeaderMap, PagingError, Response, Url};

/// What identifies the next page.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PageKey {
    /// A cursor to send (a next cursor, or the last item's id).
    Cursor(String),
    /// An item offset or page number to send.
    Number(u64),
    /// The URL of the next request (a `Link: <...>; rel="next"` header).
    Url(Url),
}

impl PageKey {
    /// The cursor, for a cursor key.
    pub fn cursor(&self) -> Option<&str> {
        match self {
            Self::Cursor(cursor) => Some(cursor),
            _ => None,
        }
    }

    /// The number, for an offset or page key.
    pub fn number(&self) -> Option<u64> {
        match self {
            Self::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// The URL, for a next-URL key.
    pub fn url(&self) -> Option<&Url> {
        match self {
            Self::Url(url) => Some(url),
            _ => None,
        }
    }
}

/// One page as a paginated operation sees it: its items and the key of the next page
/// (none after the last page), or why paging cannot go on (the items still count).
#[doc(hidden)]
pub type Page<T> = (Vec<T>, Result<Option<PageKey>, PagingError>);

/// The future that fetches one page.
#[doc(hidden)]
pub type PageFuture<'a, T, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<T>, Error<E>>> + Send + 'a>>;

/// Every item of a paginated operation, across all pages, as a
/// [`Stream`](futures_core::Stream). Pages are fetched one at a time, as items are
/// consumed, and fetching stops after a page with no next page. A server that sends the
/// same cursor or next URL twice, or more pages than [`super::ClientConfig::max_pages`],
/// ends the stream with [`Error::Paging`] after the items received. An error ends the
/// stream after it is yielded.
pub struct Pages<'a, T, E> {
    fetch: Box<dyn FnMut(Option<PageKey>) -> PageFuture<'a, T, E> + Send + 'a>,
    buffer: std::collections::VecDeque<T>,
    next: Option<PageKey>,
    seen: std::collections::HashSet<PageKey>,
    in_flight: Option<PageFuture<'a, T, E>>,
    pages: u32,
    max_pages: u32,
    /// An error to yield once the buffered items are out.
    failed: Option<PagingError>,
    done: bool,
}

impl<'a, T, E> Pages<'a, T, E> {
    /// Pages fetched by `fetch`, which gets the key of the page to fetch (none for the
    /// first page); at most `max_pages` of them.
    #[doc(hidden)]
    pub fn new(
        max_pages: u32,
        fetch: impl FnMut(Option<PageKey>) -> PageFuture<'a, T, E> + Send + 'a,
    ) -> Self {
        Self {
            fetch: Box::new(fetch),
            buffer: std::collections::VecDeque::new(),
            next: None,
            seen: std::collections::HashSet::new(),
            in_flight: None,
            pages: 0,
            max_pages,
            failed: None,
            done: false,
        }
    }

    /// Pages fetched by sending the call `prepare` makes for the key of each page (none
    /// for the first page), read by `read` from the response and what `prepare` passed it
    /// (the key, the page size, the client): the page's items and the next page's key.
    /// The one async step of every paginated operation, so that an operation's `stream()`
    /// is plain functions.
    #[doc(hidden)]
    pub fn of_calls<B: 'a, C: Send + 'a>(
        max_pages: u32,
        mut prepare: impl FnMut(Option<PageKey>) -> (Call<'a, B, E>, C) + Send + 'a,
        read: fn(Response<B>, C) -> Page<T>,
    ) -> Self
    where
        T: 'a,
        E: 'a,
    {
        Self::new(max_pages, move |key| {
            let (call, context) = prepare(key);
            Box::pin(async move { Ok(read(call.await?, context)) })
        })
    }

    /// How many pages have been received so far.
    pub fn pages_fetched(&self) -> u32 {
        self.pages
    }

    /// Collects every item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut self), cx)
        })
        .await
        {
            items.push(item?);
        }
        Ok(items)
    }

    /// Takes in a received page: its items, and the next key unless paging ends here.
    fn receive(&mut self, items: Vec<T>, next: Result<Option<PageKey>, PagingError>) {
        self.pages = self.pages.saturating_add(1);
        self.buffer.extend(items);
        match next {
            Err(kind) => self.failed = Some(kind),
            Ok(None) => self.done = true,
            Ok(Some(key)) if self.seen.contains(&key) => {
                self.failed = Some(PagingError::Repeated(key));
            }
            Ok(Some(_)) if self.pages >= self.max_pages => {
                self.failed = Some(PagingError::PageLimit(self.max_pages));
            }
            Ok(Some(key)) => {
                self.seen.insert(key.clone());
                self.next = Some(key);
            }
        }
    }
}

impl<T, E> Unpin for Pages<'_, T, E> {}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(kind) = self.failed.take() {
                self.done = true;
                let pages = self.pages;
                return Poll::Ready(Some(Err(Error::Paging { kind, pages })));
            }
            if self.done {
                return Poll::Ready(None);
            }
            if self.in_flight.is_none() {
                let key = self.next.take();
                let future = (self.fetch)(key);
                self.in_flight = Some(future);
            }
            let Some(future) = self.in_flight.as_mut() else {
                return Poll::Ready(None);
            };
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    match result {
                        Err(error) => {
                            self.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                        Ok((items, next)) => self.receive(items, next),
                    }
                }
            }
        }
    }
}

/// The next cursor, unless it is absent or empty.
#[doc(hidden)]
pub fn next_cursor(cursor: Option<String>) -> Option<PageKey> {
    cursor.filter(|c| !c.is_empty()).map(PageKey::Cursor)
}

/// The next page of a `has_more` API: the last item's id, when `has_more` is true. A page
/// that says there is more but has no item to continue after is an error.
#[doc(hidden)]
pub fn next_after_last(
    has_more: bool,
    last_id: Option<Option<String>>,
) -> Result<Option<PageKey>, PagingError> {
    if !has_more {
        return Ok(None);
    }
    match last_id {
        Some(Some(id)) if !id.is_empty() => Ok(Some(PageKey::Cursor(id))),
        Some(_) => Err(PagingError::MissingId),
        None => Err(PagingError::EmptyPageWithMore),
    }
}

/// The string property `name` of an item's JSON (the id of an item that is a union of
/// objects, each with the property).
#[doc(hidden)]
pub fn json_property<T: serde::Serialize>(item: &T, name: &str) -> Option<String> {
    match serde_json::to_value(item).ok()?.get(name)? {
        serde_json::Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// The next item offset after a page of `received` items that started at `current`
/// (none: the first page, offset 0). Paging ends on an empty page, a page shorter than
/// `page_size` when it is known, or at `total` when the body gives one.
#[doc(hidden)]
pub fn next_offset(
    current: Option<&PageKey>,
    received: usize,
    page_size: Option<u64>,
    total: Option<u64>,
) -> Option<PageKey> {
    let received = received as u64;
    if received == 0 || page_size.is_some_and(|size| received < size) {
        return None;
    }
    let next = current.and_then(PageKey::number).unwrap_or(0).saturating_add(received);
    match total {
        Some(total) if next >= total => None,
        _ => Some(PageKey::Number(next)),
    }
}

/// The next page number after a page of `received` items numbered `current` (none: the
/// first page, numbered `first`). Paging ends on an empty page, or one shorter than
/// `page_size` when it is known.
#[doc(hidden)]
pub fn next_page_number(
    current: Option<&PageKey>,
    first: u64,
    received: usize,
    page_size: Option<u64>,
) -> Option<PageKey> {
    let received = received as u64;
    if received == 0 || page_size.is_some_and(|size| received < size) {
        return None;
    }
    let page = current.and_then(PageKey::number).unwrap_or(first);
    Some(PageKey::Number(page.saturating_add(1)))
}

/// The `rel="next"` URL of a response's `Link` headers, resolved against `base`. A URL
/// on another scheme, host or port than `base` is refused: the client's credentials go
/// only to its own base URL.
#[doc(hidden)]
pub fn next_link(base: &Url, headers: &HeaderMap) -> Result<Option<PageKey>, PagingError> {
    let Some(target) = headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(link_next)
    else {
        return Ok(None);
    };
    let url = base
        .join(target)
        .map_err(|e| PagingError::InvalidLink(format!("{target:?}: {e}")))?;
    if !super::same_origin(&url, base) {
        return Err(PagingError::ForeignLink(url.origin().ascii_serialization()));
    }
    Ok(Some(PageKey::Url(url)))
}

/// The target of the `rel="next"` link in one `Link` header value (RFC 8288), if any.
fn link_next(value: &str) -> Option<&str> {
    let mut rest = value;
    loop {
        let open = rest.find('<')?;
        let close = open + rest[open..].find('>')?;
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        // The parameters run to the next link (a `,` followed by `<`, outside quotes).
        let mut in_quotes = false;
        let mut end = after.len();
        for (index, c) in after.char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ',' if !in_quotes && after[index + 1..].trim_start().starts_with('<') => {
                    end = index;
                    break;
                }
                _ => {}
            }
        }
        let is_next = after[..end].split(';').any(|param| {
            let Some((name, value)) = param.split_once('=') else {
                return false;
            };
            name.trim().eq_ignore_ascii_case("rel")
                && value
                    .trim()
                    .trim_matches('"')
                    .split_ascii_whitespace()
                    .any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        if is_next {
            return Some(target.trim());
        }
        rest = &after[end..];
    }
}
