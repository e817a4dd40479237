// Part of the runtime every generated client carries: streams over cursor-paginated
// operations.

use super::Error;

/// One page as a paginated operation sees it: its items and the cursor of the next page.
#[doc(hidden)]
pub type Page<T> = (Vec<T>, Option<String>);

/// The future that fetches one page.
#[doc(hidden)]
pub type PageFuture<'a, T, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<T>, Error<E>>> + Send + 'a>>;

/// Every item of a cursor-paginated operation, across all pages, as a
/// [`Stream`](futures_core::Stream). Pages are fetched one at a time, as items are
/// consumed, and fetching stops when a page has no next cursor (or repeats the last one).
/// An error ends the stream after it is yielded.
pub struct Pages<'a, T, E> {
    fetch: Box<dyn FnMut(Option<String>) -> PageFuture<'a, T, E> + Send + 'a>,
    buffer: std::collections::VecDeque<T>,
    cursor: Option<String>,
    in_flight: Option<PageFuture<'a, T, E>>,
    done: bool,
}

impl<'a, T, E> Pages<'a, T, E> {
    /// Pages fetched by `fetch`, which gets the cursor (none for the first page).
    #[doc(hidden)]
    pub fn new(fetch: impl FnMut(Option<String>) -> PageFuture<'a, T, E> + Send + 'a) -> Self {
        Self {
            fetch: Box::new(fetch),
            buffer: std::collections::VecDeque::new(),
            cursor: None,
            in_flight: None,
            done: false,
        }
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
            if self.done {
                return Poll::Ready(None);
            }
            if self.in_flight.is_none() {
                let cursor = self.cursor.clone();
                let future = (self.fetch)(cursor);
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
                        Ok((items, next)) => {
                            let next = next.filter(|c| !c.is_empty());
                            if next.is_none() || next == self.cursor {
                                self.done = true;
                            }
                            self.cursor = next;
                            self.buffer.extend(items);
                        }
                    }
                }
            }
        }
    }
}
