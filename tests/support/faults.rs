//! Helpers shared by `tests/faults_retries.rs` and `tests/faults_transport.rs`: a
//! stand-in server scripted by request index, a client for it with a given retry policy,
//! the default policy with short backoffs, and the request and reply fixtures both use.
//!
//! Each of those test binaries compiles this file on its own, as
//! `mod support { pub mod faults; }`, so it holds only helpers that both of them use;
//! a helper only one of them needs stays in that file. That way no `dead_code`
//! allowance is needed.

use std::time::Duration;

use gong_standin::http::{Reply, Request, Server};
use gong_users_dev::types::ListMultipleUsersRequest;
use gong_users_dev::{Client, ClientConfig, Credentials, RetryPolicy};
use serde_json::{json, Value};

/// Starts a server whose handler picks the reply from the request's index.
pub async fn serve(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(handler)
        .await
        .expect("start the stand-in server")
}

/// The default retry policy with short backoffs, for tests where timing is not the point.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// A client for `server` without credentials, without a rate limit, with this policy.
pub fn client_with(server: &Server, retry: RetryPolicy) -> Client {
    let config = ClientConfig::default().with_retry(retry);
    Client::with_config(&server.url(), Credentials::None, config)
        .expect("build a client for the stand-in server")
}

/// A `User` body as Gong sends it.
pub fn user_json(id: &str) -> Value {
    json!({
        "requestId": format!("req-{id}"),
        "user": { "id": id, "firstName": "Jo", "lastName": "Doe" }
    })
}

/// A 200 with a `User` body.
pub fn ok_user(id: &str) -> Reply {
    Reply::json(200, &user_json(id))
}

/// The filter-by-ids request used for the POST cases.
pub fn list_request() -> ListMultipleUsersRequest {
    serde_json::from_value(json!({ "filter": { "userIds": ["1"] } })).expect("valid request")
}

/// The `user.id` of a successful `get_user`.
pub fn user_id(response: &gong_users_dev::Response<gong_users_dev::types::User>) -> Option<&str> {
    response.user.as_ref().and_then(|u| u.id.as_deref())
}
