//! Helpers shared by `tests/paging_patterns.rs` and `tests/paging_links.rs`: scripted
//! servers, a client of the paging fixture without retries or rate limit, fixture items,
//! and ways to read what a stream yielded and what the server was sent.
//!
//! Each of those test binaries compiles this file on its own, as
//! `mod support { pub mod paging_patterns; }`, so it holds only helpers that both of them
//! use; a helper only one of them needs stays in that file. That way no `dead_code`
//! allowance is needed.

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use gong_standin::http::{Reply, Request, Server};
use serde_json::{json, Value};

use crate::runtime::PagingError;
use crate::types::Thing;
use crate::{Client, ClientConfig, Credentials, Error, RetryPolicy};

/// Starts a server answering with `handler`.
pub async fn serve(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(handler)
        .await
        .expect("start the scripted server")
}

/// A client for `server` without retries or rate limit (each page is one request).
pub fn client(server: &Server) -> Client {
    client_with(server, Client::default_config())
}

pub fn client_with(server: &Server, config: ClientConfig) -> Client {
    let config = config
        .with_retry(RetryPolicy::none())
        .with_calls_per_second(None);
    Client::with_config(&server.url(), Credentials::None, config).expect("build the client")
}

/// `count` things with ids `prefix0`, `prefix1`, ... as JSON.
pub fn things(prefix: &str, range: std::ops::Range<usize>) -> Vec<Value> {
    range
        .map(|i| json!({"id": format!("{prefix}{i}"), "n": i}))
        .collect()
}

/// The ids of `items`.
pub fn ids(items: &[Thing]) -> Vec<String> {
    items.iter().map(|t| t.id.clone()).collect()
}

/// The expected ids `prefix0..prefix{end}`.
pub fn expected(prefix: &str, end: usize) -> Vec<String> {
    (0..end).map(|i| format!("{prefix}{i}")).collect()
}

/// The value of query parameter `name` (the last if repeated).
pub fn query(request: &Request, name: &str) -> Option<String> {
    request
        .query()
        .into_iter()
        .rfind(|(k, _)| k == name)
        .map(|(_, v)| v)
}

pub async fn next_item<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// The paging error a stream ended with (after its items), or a panic naming what came.
pub fn paging_error<E: std::fmt::Debug>(error: Error<E>) -> (PagingError, u32) {
    match error {
        Error::Paging { kind, pages } => (kind, pages),
        other => panic!("expected Error::Paging, got {other:?}"),
    }
}

/// Drains a stream: the items before the first error, and that error.
pub async fn drain<S, E>(mut stream: S) -> (Vec<Thing>, Option<Error<E>>)
where
    S: Stream<Item = Result<Thing, Error<E>>> + Unpin,
{
    let mut items = Vec::new();
    while let Some(item) = next_item(&mut stream).await {
        match item {
            Ok(item) => items.push(item),
            Err(error) => {
                assert!(
                    next_item(&mut stream).await.is_none(),
                    "the stream ends after its error"
                );
                return (items, Some(error));
            }
        }
    }
    (items, None)
}
