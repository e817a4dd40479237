//! Helpers shared by `tests/paging_cursors.rs` and `tests/paging_limits_errors.rs`: the
//! Gong stand-in with its default configuration, a client for it as users build it, the
//! fixture users it serves, and ways to read what it was sent.
//!
//! Each of those test binaries compiles this file on its own, as
//! `mod support { pub mod paging; }`, so it holds only helpers that both of them use;
//! a helper only one of them needs stays in that file. That way no `dead_code`
//! allowance is needed.

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use gong_standin::fixtures::{self, FixtureUser};
use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use gong_standin::http::Request;
use gong_users_dev::types::UserMetadata;
use gong_users_dev::{Client, Credentials};

/// The number of regular users the default stand-in serves.
pub const USERS: usize = 250;

/// Starts a stand-in with its default configuration (3 calls/s, 250 users, pages of 100).
pub async fn stand_in() -> StandIn {
    StandIn::start(Config::default())
        .await
        .expect("start the Gong stand-in")
}

/// The stand-in's credentials.
pub fn credentials() -> Credentials {
    Credentials::basic(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
}

/// A client as users build it: `Client::new`, with the spec's 3 calls/s limiter.
pub fn client(stand_in: &StandIn) -> Client {
    Client::new(&stand_in.url(), credentials()).expect("build a client for the stand-in")
}

/// The fixture users the stand-in serves (regular users first, then the avatars).
pub fn fixture_users() -> Vec<FixtureUser> {
    fixtures::users(USERS)
}

/// The ids of the regular (non-avatar) fixture users, in id order.
pub fn regular_ids() -> Vec<String> {
    fixture_users()
        .into_iter()
        .filter(|u| !u.avatar)
        .map(|u| u.id)
        .collect()
}

/// The ids of `users`, failing on a user without one.
pub fn ids(users: &[UserMetadata]) -> Vec<String> {
    users
        .iter()
        .map(|u| u.id.clone().expect("every listed user has an id"))
        .collect()
}

/// The next item of a stream, without a futures-util dependency.
pub async fn next_item<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// The recorded requests to `GET /v2/users` (the list endpoint, not a single user).
pub fn list_requests(stand_in: &StandIn) -> Vec<Request> {
    stand_in
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path() == "/v2/users")
        .collect()
}
