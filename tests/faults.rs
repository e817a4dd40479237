//! Fault injection: the generated Gong users client against a server that misbehaves.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the scriptable
//! HTTP/1.1 server of `gong-standin` on 127.0.0.1 and pins down the exact outcome: which
//! `Error` variant (or success), how many attempts the error reports, how many requests
//! the server saw, and how long it took where timing is the point. The cases are:
//!
//! * `429` with `Retry-After` (delay-seconds and HTTP date), retried for every method;
//! * the retry budget: `max_attempts` and `max_total_wait`;
//! * `502` / `503` / `504`, retried for idempotent methods only unless opted in;
//! * connections closed mid-body, servers that never answer (request timeout), hosts
//!   that cannot be reached (connect timeout);
//! * bodies that do not decode: truncated JSON, HTML, invalid UTF-8, huge bodies;
//! * the client-side rate limiter shared by clones;
//! * what the final error says after retries.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gong_standin::http::{Reply, Request, Server};
use gong_users_dev::errors::{GetUserError, ListMultipleUsersError};
use gong_users_dev::runtime::TimeoutKind;
use gong_users_dev::types::{ErrorResponse, ListMultipleUsersRequest};
use gong_users_dev::{Client, ClientConfig, Credentials, Error, RetryPolicy};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Starts a server whose handler picks the reply from the request's index.
async fn serve(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(handler)
        .await
        .expect("start the stand-in server")
}

/// The default retry policy with short backoffs, for tests where timing is not the point.
fn fast_retry() -> RetryPolicy {
    RetryPolicy::default().with_backoff(Duration::from_millis(10), Duration::from_millis(40))
}

/// A client for `server` without credentials, without a rate limit, with this policy.
fn client_with(server: &Server, retry: RetryPolicy) -> Client {
    let config = ClientConfig::default().with_retry(retry);
    Client::with_config(&server.url(), Credentials::None, config)
        .expect("build a client for the stand-in server")
}

/// A `User` body as Gong sends it.
fn user_json(id: &str) -> Value {
    json!({
        "requestId": format!("req-{id}"),
        "user": { "id": id, "firstName": "Jo", "lastName": "Doe" }
    })
}

/// A `UsersMetadata` body.
fn users_json() -> Value {
    json!({
        "requestId": "req-list",
        "records": { "totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0 },
        "users": [ { "id": "1", "firstName": "Jo" } ]
    })
}

/// An `ErrorResponse` body.
fn error_json(request_id: &str, message: &str) -> Value {
    json!({ "requestId": request_id, "errors": [message] })
}

/// A 429 with a JSON error body and this `Retry-After`.
fn too_many(retry_after: &str) -> Reply {
    Reply::json(429, &error_json("rl-1", "API request limit exceeded"))
        .with_header("Retry-After", retry_after)
}

/// A 200 with a `User` body.
fn ok_user(id: &str) -> Reply {
    Reply::json(200, &user_json(id))
}

/// The filter-by-ids request used for the POST cases.
fn list_request() -> ListMultipleUsersRequest {
    serde_json::from_value(json!({ "filter": { "userIds": ["1"] } })).expect("valid request")
}

/// The `user.id` of a successful `get_user`.
fn user_id(response: &gong_users_dev::Response<gong_users_dev::types::User>) -> Option<&str> {
    response.user.as_ref().and_then(|u| u.id.as_deref())
}

// ---------------------------------------------------------------------------
// 1. 429 with Retry-After is waited out and retried
// ---------------------------------------------------------------------------

#[tokio::test]
async fn retry_after_seconds_is_waited_out_twice_then_success() {
    let server = serve(|_, index| {
        if index < 2 {
            too_many("1")
        } else {
            ok_user("7")
        }
    })
    .await;
    let client = client_with(&server, RetryPolicy::default());

    let started = Instant::now();
    let response = client.get_user("7").await.expect("third attempt succeeds");
    let elapsed = started.elapsed();

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(user_id(&response), Some("7"));
    assert_eq!(server.requests().len(), 3, "two 429s, then the 200");
    assert!(
        elapsed >= Duration::from_secs(2),
        "Retry-After: 1 twice must wait at least 2 s, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_http_date_is_waited_out_then_success() {
    // The date is computed when the 429 is sent: two whole seconds after "now", so the
    // client has between 1 and 2 s to wait (HTTP dates have a resolution of one second).
    let server = serve(|_, index| {
        if index == 0 {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("clock after 1970")
                .as_secs();
            let when = chrono::DateTime::from_timestamp(i64::try_from(now + 2).unwrap(), 0)
                .expect("valid timestamp");
            too_many(&when.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        } else {
            ok_user("8")
        }
    })
    .await;
    let client = client_with(&server, RetryPolicy::default());

    let started = Instant::now();
    let response = client.get_user("8").await.expect("second attempt succeeds");
    let elapsed = started.elapsed();

    assert_eq!(user_id(&response), Some("8"));
    assert_eq!(server.requests().len(), 2);
    let first = server.requests()[0].clone();
    assert_eq!(first.path(), "/v2/users/8");
    assert!(
        elapsed >= Duration::from_secs(1),
        "an HTTP date 1-2 s ahead must be waited for, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// 2. The retry budget: max_attempts and max_total_wait
// ---------------------------------------------------------------------------

#[tokio::test]
async fn endless_429_stops_after_max_attempts_with_the_declared_error() {
    let server = serve(|_, _| too_many("1")).await;
    let client = client_with(&server, RetryPolicy::default().with_max_attempts(3));

    let started = Instant::now();
    let error = client.get_user("1").await.expect_err("429 forever");
    let elapsed = started.elapsed();

    let display = error.to_string();
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    match error {
        Error::Api {
            status,
            error: GetUserError::TooManyRequests { body, retry_after },
            attempts,
            ..
        } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(attempts, 3);
            assert_eq!(retry_after, Some(Duration::from_secs(1)));
            assert_eq!(body.request_id.as_deref(), Some("rl-1"));
        }
        other => panic!("expected Api(TooManyRequests), got {other:?}"),
    }
    assert_eq!(server.requests().len(), 3);
    assert!(display.contains("after 3 attempts"), "{display}");
    assert!(
        elapsed >= Duration::from_secs(2),
        "two waits of 1 s between three attempts, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
}

#[tokio::test]
async fn retry_after_longer_than_max_total_wait_is_not_waited_for() {
    let server = serve(|_, _| too_many("1")).await;
    let policy = RetryPolicy::default().with_max_total_wait(Duration::from_millis(500));
    let client = client_with(&server, policy);

    let started = Instant::now();
    let error = client.get_user("1").await.expect_err("429");
    let elapsed = started.elapsed();

    match &error {
        Error::Api {
            error: GetUserError::TooManyRequests { retry_after, .. },
            attempts,
            ..
        } => {
            assert_eq!(*attempts, 1, "a 1 s wait exceeds the 500 ms budget");
            assert_eq!(*retry_after, Some(Duration::from_secs(1)));
        }
        other => panic!("expected Api(TooManyRequests), got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
    assert!(
        !error.to_string().contains("attempts"),
        "a single attempt is not announced: {error}"
    );
    assert!(
        elapsed < Duration::from_millis(900),
        "nothing is waited for, took {elapsed:?}"
    );
}

// ---------------------------------------------------------------------------
// 3. 503: retried for GET, not for POST unless opted in
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_503_then_200_is_retried() {
    let server = serve(|_, index| {
        if index == 0 {
            Reply::body(503, "text/plain", "down for a moment")
        } else {
            ok_user("3")
        }
    })
    .await;
    let response = client_with(&server, fast_retry())
        .get_user("3")
        .await
        .expect("the retry succeeds");
    assert_eq!(user_id(&response), Some("3"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "GET"));
}

#[tokio::test]
async fn post_503_is_not_retried_by_default() {
    let server = serve(|_, index| {
        if index == 0 {
            Reply::body(503, "text/plain", "down for a moment")
        } else {
            Reply::json(200, &users_json())
        }
    })
    .await;
    let error = client_with(&server, fast_retry())
        .list_multiple_users(&list_request())
        .await
        .expect_err("POST is not idempotent: the 503 is returned");
    match error {
        Error::UnexpectedStatus {
            status,
            body,
            attempts,
            ..
        } => {
            assert_eq!(status.as_u16(), 503);
            assert_eq!(attempts, 1);
            assert_eq!(body, b"down for a moment");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    assert_eq!(requests[0].method, "POST");
}

#[tokio::test]
async fn post_503_is_retried_when_opted_in() {
    let server = serve(|_, index| {
        if index == 0 {
            Reply::body(503, "text/plain", "down for a moment")
        } else {
            Reply::json(200, &users_json())
        }
    })
    .await;
    let response = client_with(&server, fast_retry().with_retry_non_idempotent(true))
        .list_multiple_users(&list_request())
        .await
        .expect("the retry succeeds");
    assert_eq!(response.users.as_ref().map(Vec::len), Some(1));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method == "POST"));
    assert_eq!(
        requests[0].body, requests[1].body,
        "the retry sends the same body"
    );
    let sent: Value = serde_json::from_slice(&requests[1].body).expect("JSON body");
    assert_eq!(sent, json!({ "filter": { "userIds": ["1"] } }));
}

#[tokio::test]
async fn post_429_is_retried_for_every_method() {
    let server = serve(|_, index| {
        if index == 0 {
            too_many("0")
        } else {
            Reply::json(200, &users_json())
        }
    })
    .await;
    client_with(&server, fast_retry())
        .list_multiple_users(&list_request())
        .await
        .expect("a 429 means the server did not act: POST is retried too");
    assert_eq!(server.requests().len(), 2);
}

// ---------------------------------------------------------------------------
// 4. 502 and 504; RetryPolicy::none()
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_502_and_504_are_retried() {
    let server = serve(|_, index| match index {
        0 => Reply::body(502, "text/plain", "bad gateway"),
        1 => Reply::body(504, "text/plain", "gateway timeout"),
        _ => ok_user("4"),
    })
    .await;
    let response = client_with(&server, fast_retry())
        .get_user("4")
        .await
        .expect("third attempt succeeds");
    assert_eq!(user_id(&response), Some("4"));
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn retry_policy_none_does_not_retry_502_503_504_or_429() {
    for status in [502u16, 503, 504] {
        let server = serve(move |_, index| {
            if index == 0 {
                Reply::body(status, "text/plain", "gateway trouble")
            } else {
                ok_user("5")
            }
        })
        .await;
        let error = client_with(&server, RetryPolicy::none())
            .get_user("5")
            .await
            .expect_err("no retries");
        match error {
            Error::UnexpectedStatus {
                status: got,
                attempts,
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(attempts, 1);
            }
            other => panic!("{status}: expected UnexpectedStatus, got {other:?}"),
        }
        assert_eq!(server.requests().len(), 1, "status {status}");
    }

    let server = serve(|_, index| {
        if index == 0 {
            too_many("0")
        } else {
            ok_user("5")
        }
    })
    .await;
    let error = client_with(&server, RetryPolicy::none())
        .get_user("5")
        .await
        .expect_err("no retries");
    assert!(
        matches!(
            error,
            Error::Api {
                error: GetUserError::TooManyRequests { .. },
                attempts: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn declared_500_is_not_retried() {
    let server = serve(|_, index| {
        if index == 0 {
            Reply::json(500, &error_json("e-500", "boom"))
        } else {
            ok_user("6")
        }
    })
    .await;
    let error = client_with(&server, fast_retry())
        .get_user("6")
        .await
        .expect_err("500 is not a retried status");
    match error {
        Error::Api {
            error: GetUserError::InternalServerError { body },
            attempts,
            ..
        } => {
            assert_eq!(attempts, 1);
            assert_eq!(body.request_id.as_deref(), Some("e-500"));
        }
        other => panic!("expected Api(InternalServerError), got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// 5. Connection closed mid-body
// ---------------------------------------------------------------------------

fn cut_short() -> Reply {
    Reply::CloseMidBody {
        status: 200,
        partial_body: br#"{"requestId":"cut","user":{"id":"#.to_vec(),
    }
}

// reqwest reports a body cut short as `Error { kind: Decode, source: Error { kind: Body,
// source: hyper::Error(Body, IncompleteBody) } }` from `Response::bytes`: `is_decode()` is
// true, `is_body()` false. The client gives `Error::Transport`.

#[tokio::test]
async fn connection_closed_mid_body_every_time_is_transport_after_max_attempts() {
    let server = serve(|_, _| cut_short()).await;
    let policy = fast_retry();
    let max_attempts = policy.max_attempts;
    let error = client_with(&server, policy)
        .get_user("9")
        .await
        .expect_err("the body never arrives whole");
    let display = error.to_string();
    match &error {
        Error::Transport { source, attempts } => {
            assert_eq!(
                *attempts, max_attempts,
                "a body cut short is a connection failure, retried for GET: {source:?}"
            );
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(error.status(), None);
    assert_eq!(server.requests().len() as u32, max_attempts);
    assert!(
        display.contains(&format!("after {max_attempts} attempts")),
        "{display}"
    );
}

#[tokio::test]
async fn connection_closed_mid_body_once_then_success() {
    let server = serve(|_, index| {
        if index == 0 {
            cut_short()
        } else {
            ok_user("9")
        }
    })
    .await;
    let response = client_with(&server, fast_retry())
        .get_user("9")
        .await
        .expect("the retry gets the whole body");
    assert_eq!(user_id(&response), Some("9"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_closed_mid_body_without_retries_is_transport_after_one_attempt() {
    let server = serve(|_, _| cut_short()).await;
    let error = client_with(&server, RetryPolicy::none())
        .get_user("9")
        .await
        .expect_err("cut short");
    match &error {
        Error::Transport { attempts, .. } => assert_eq!(*attempts, 1),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_closed_mid_body_is_not_retried_by_default() {
    let server = serve(|_, _| cut_short()).await;
    let error = client_with(&server, fast_retry())
        .list_multiple_users(&list_request())
        .await
        .expect_err("cut short");
    match &error {
        Error::Transport { attempts, .. } => {
            assert_eq!(*attempts, 1, "the server may have acted on the POST")
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// 6. A server that never answers: request timeout, not retried
// ---------------------------------------------------------------------------

#[tokio::test]
async fn silent_server_is_a_request_timeout_and_not_retried() {
    let server = serve(|_, _| Reply::Silence(Duration::from_secs(30))).await;
    let config = ClientConfig::default()
        .with_request_timeout(Duration::from_millis(300))
        .with_retry(fast_retry());
    let client = Client::with_config(&server.url(), Credentials::None, config).unwrap();

    let started = Instant::now();
    let error = client.get_user("1").await.expect_err("no answer");
    let elapsed = started.elapsed();

    let display = error.to_string();
    match &error {
        Error::Timeout {
            kind,
            source,
            attempts,
        } => {
            assert_eq!(*kind, TimeoutKind::Request);
            assert_eq!(*attempts, 1, "request timeouts are not retried");
            assert!(source.is_timeout(), "{source:?}");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
    assert!(display.starts_with("request timeout fired"), "{display}");
    assert!(
        elapsed >= Duration::from_millis(300),
        "the timeout is 300 ms, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// 7. A host that cannot be reached: connect timeout
// ---------------------------------------------------------------------------

/// A listener on 127.0.0.1 that never accepts, with its accept queue filled up: Linux
/// drops further SYNs (the queue is full), so a new connection attempt hangs in the
/// handshake until the client's connect timeout fires. Returns the listener and the
/// connections that fill its queue (both must be kept alive).
async fn full_listener() -> (tokio::net::TcpListener, Vec<tokio::net::TcpStream>) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .expect("bind a free port");
    let listener = socket.listen(1).expect("listen");
    let addr = listener.local_addr().expect("local address");
    let mut fillers = Vec::new();
    loop {
        let attempt = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await;
        match attempt {
            Ok(Ok(stream)) => fillers.push(stream),
            // The handshake hangs: the queue is full.
            Err(_) => break,
            Ok(Err(e)) => panic!("filling the accept queue: {e}"),
        }
        assert!(fillers.len() < 64, "the accept queue never filled up");
    }
    (listener, fillers)
}

#[tokio::test]
async fn unreachable_host_is_a_connect_timeout() {
    // The classic non-routable address (http://10.255.255.1:81) cannot be used here: this
    // sandbox intercepts outgoing connections with a transparent proxy, which answered
    // it with `404` (`server: keryx`), i.e. `InvalidBody`, not a timeout. A local listener
    // whose accept queue is full gives a real, deterministic connect timeout instead.
    let (listener, _fillers) = full_listener().await;
    let url = format!("http://{}", listener.local_addr().unwrap());
    let config = ClientConfig::default()
        .with_connect_timeout(Duration::from_millis(200))
        .with_retry(RetryPolicy::none());
    let client = Client::with_config(&url, Credentials::None, config).unwrap();

    let started = Instant::now();
    let error = client
        .get_user("1")
        .await
        .expect_err("the handshake never completes");
    let elapsed = started.elapsed();

    let display = error.to_string();
    match &error {
        Error::Timeout {
            kind,
            source,
            attempts,
        } => {
            assert_eq!(*kind, TimeoutKind::Connect);
            assert_eq!(*attempts, 1);
            assert!(source.is_connect() && source.is_timeout(), "{source:?}");
        }
        other => panic!("expected Timeout(Connect), got {other:?}"),
    }
    assert!(display.starts_with("connect timeout fired"), "{display}");
    assert!(
        elapsed >= Duration::from_millis(200),
        "the connect timeout is 200 ms, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

#[tokio::test]
async fn connect_timeouts_are_retried_for_get() {
    // A connect timeout is a connection failure: nothing was sent, so the documented rule
    // ("502, 503, 504 and connection failures are retried ... for idempotent methods")
    // applies; only *request* timeouts are exempt.
    let (listener, _fillers) = full_listener().await;
    let url = format!("http://{}", listener.local_addr().unwrap());
    let config = ClientConfig::default()
        .with_connect_timeout(Duration::from_millis(100))
        .with_retry(fast_retry().with_max_attempts(2));
    let client = Client::with_config(&url, Credentials::None, config).unwrap();

    let started = Instant::now();
    let error = client.get_user("1").await.expect_err("never connects");
    let elapsed = started.elapsed();

    match &error {
        Error::Timeout { kind, attempts, .. } => {
            assert_eq!(*kind, TimeoutKind::Connect);
            assert_eq!(*attempts, 2, "a connect timeout of a GET is retried");
        }
        other => panic!("expected Timeout(Connect), got {other:?}"),
    }
    assert!(
        elapsed >= Duration::from_millis(200),
        "two connect timeouts of 100 ms, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
}

// ---------------------------------------------------------------------------
// 8. Bodies that do not decode
// ---------------------------------------------------------------------------

#[tokio::test]
async fn truncated_json_is_invalid_body_keeping_the_whole_body() {
    let text = r#"{"requestId":"t-1","user":{"id":"1","firstName":"Jo"#;
    let server = serve(move |_, _| Reply::body(200, "application/json", text)).await;
    let error = client_with(&server, fast_retry())
        .get_user("1")
        .await
        .expect_err("truncated");
    match error {
        Error::InvalidBody {
            status,
            source,
            body,
            attempts,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert!(source.is_eof(), "{source}");
            assert_eq!(body, text.as_bytes());
            assert_eq!(attempts, 1, "a bad body is not retried");
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn html_instead_of_json_is_invalid_body_keeping_status_and_body() {
    let html = "<!DOCTYPE html><html><body><h1>Oops</h1></body></html>";
    for status in [200u16, 404] {
        let server = serve(move |_, _| Reply::body(status, "text/html", html)).await;
        let error = client_with(&server, fast_retry())
            .get_user("1")
            .await
            .expect_err("HTML");
        let display = error.to_string();
        match &error {
            Error::InvalidBody {
                status: got,
                headers,
                source,
                body,
                attempts,
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(
                    headers.get("content-type").and_then(|v| v.to_str().ok()),
                    Some("text/html")
                );
                assert!(source.is_syntax(), "{source}");
                assert_eq!(body, html.as_bytes());
                assert_eq!(*attempts, 1);
            }
            other => panic!("{status}: expected InvalidBody, got {other:?}"),
        }
        assert!(display.contains(&status.to_string()), "{display}");
        assert!(display.contains(html), "{display}");
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn invalid_utf8_in_a_json_string_is_invalid_body() {
    let bytes: &[u8] = b"{\"requestId\":\"\xff\xfe\"}";
    let as_response = Reply::body(200, "application/json", bytes);
    let mut raw =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n".to_vec();
    raw.extend_from_slice(format!("content-length: {}\r\n\r\n", bytes.len()).as_bytes());
    raw.extend_from_slice(bytes);
    for reply in [as_response, Reply::Raw(raw)] {
        let server = serve(move |_, _| reply.clone()).await;
        let error = client_with(&server, fast_retry())
            .get_user("1")
            .await
            .expect_err("invalid UTF-8");
        // Display and Debug must not panic on the bytes.
        let display = error.to_string();
        let _ = format!("{error:?}");
        match &error {
            Error::InvalidBody {
                status,
                body,
                attempts,
                ..
            } => {
                assert_eq!(status.as_u16(), 200);
                assert_eq!(body, bytes);
                assert_eq!(*attempts, 1);
            }
            other => panic!("expected InvalidBody, got {other:?}"),
        }
        assert!(display.contains('\u{fffd}'), "lossy excerpt: {display}");
        assert_eq!(server.requests().len(), 1);
    }
}

#[tokio::test]
async fn non_json_429_keeps_retry_after_readable() {
    let server =
        serve(|_, _| Reply::body(429, "text/plain", "slow down").with_header("Retry-After", "7"))
            .await;
    let error = client_with(&server, RetryPolicy::none())
        .get_user("1")
        .await
        .expect_err("429");
    let headers = error.headers().expect("a response was received");
    assert_eq!(
        headers.get("retry-after").and_then(|v| v.to_str().ok()),
        Some("7")
    );
    assert_eq!(
        gong_users_dev::runtime::retry_after(headers),
        Some(Duration::from_secs(7))
    );
    match error {
        Error::InvalidBody {
            status,
            body,
            attempts,
            ..
        } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body, b"slow down");
            assert_eq!(attempts, 1);
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// 9. A 20 MB body
// ---------------------------------------------------------------------------

const TWENTY_MB: usize = 20 * 1024 * 1024;

#[tokio::test]
async fn twenty_megabyte_json_string_decodes() {
    let title = "t".repeat(TWENTY_MB);
    let body = format!(r#"{{"requestId":"big","user":{{"id":"20","title":"{title}"}}}}"#);
    drop(title);
    let reply = Arc::new(Reply::body(200, "application/json", body));
    let server = serve(move |_, _| (*reply).clone()).await;
    let response = client_with(&server, fast_retry())
        .get_user("20")
        .await
        .expect("a big body decodes");
    let user = response.user.as_ref().expect("user present");
    assert_eq!(user.id.as_deref(), Some("20"));
    let title = user.title.as_deref().expect("title present");
    assert_eq!(title.len(), TWENTY_MB);
    assert!(title.bytes().all(|b| b == b't'));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn twenty_megabyte_non_json_body_is_invalid_body_with_a_short_message() {
    let reply = Arc::new(Reply::body(200, "text/plain", vec![b'x'; TWENTY_MB]));
    let server = serve(move |_, _| (*reply).clone()).await;
    let error = client_with(&server, fast_retry())
        .get_user("20")
        .await
        .expect_err("not JSON");
    let display = error.to_string();
    assert!(
        display.len() < 1024,
        "the message quotes an excerpt only ({} bytes)",
        display.len()
    );
    assert!(display.ends_with("..."), "the excerpt is marked as cut");
    match &error {
        Error::InvalidBody {
            status,
            body,
            attempts,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body.len(), TWENTY_MB, "the whole body is kept");
            assert!(body.iter().all(|&b| b == b'x'));
            assert_eq!(*attempts, 1);
        }
        other => panic!("expected InvalidBody, got {}", other),
    }
    assert_eq!(server.requests().len(), 1);
}

// ---------------------------------------------------------------------------
// 10. The client-side rate limit, shared by clones
// ---------------------------------------------------------------------------

/// A server answering every request at once with a user, recording arrival times.
async fn timed_server() -> (Server, Arc<Mutex<Vec<Instant>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&arrivals);
    let server = serve(move |_, _| {
        recorded.lock().unwrap().push(Instant::now());
        ok_user("1")
    })
    .await;
    (server, arrivals)
}

/// Makes `calls` concurrent `get_user` calls on clones of `client`; returns the time.
async fn concurrent_calls(client: &Client, calls: usize) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..calls)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.get_user(&i.to_string()).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task ran").expect("call succeeded");
    }
    started.elapsed()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_of_3_per_second_is_shared_by_clones() {
    let (server, arrivals) = timed_server().await;
    let config = ClientConfig::default()
        .with_calls_per_second(Some(3))
        .with_retry(fast_retry());
    assert_eq!(
        Client::default_config().calls_per_second,
        Some(3),
        "the spec declares 3 calls per second"
    );
    let client = Client::with_config(&server.url(), Credentials::None, config).unwrap();

    let elapsed = concurrent_calls(&client, 7).await;

    assert_eq!(server.requests().len(), 7);
    let mut arrivals = arrivals.lock().unwrap().clone();
    arrivals.sort();
    assert_eq!(arrivals.len(), 7);
    // No one-second window holds more than 3 arrivals: every 4th arrival comes at least
    // a second after the one 3 places before it (20 ms of scheduling tolerance).
    for i in 3..arrivals.len() {
        let gap = arrivals[i] - arrivals[i - 3];
        assert!(
            gap >= Duration::from_millis(980),
            "arrivals {} and {i} are only {gap:?} apart",
            i - 3
        );
    }
    assert!(
        elapsed >= Duration::from_secs(2),
        "7 calls at 3/s need two full windows, took {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_rate_limit_7_calls_are_quick() {
    let (server, arrivals) = timed_server().await;
    let config = ClientConfig::default()
        .with_calls_per_second(None)
        .with_retry(fast_retry());
    let client = Client::with_config(&server.url(), Credentials::None, config).unwrap();

    let elapsed = concurrent_calls(&client, 7).await;

    assert_eq!(server.requests().len(), 7);
    assert_eq!(arrivals.lock().unwrap().len(), 7);
    assert!(
        elapsed < Duration::from_millis(500),
        "no limit: 7 calls took {elapsed:?}"
    );
}

// ---------------------------------------------------------------------------
// 11. The final error after retries: attempts and the last response
// ---------------------------------------------------------------------------

#[tokio::test]
async fn final_error_counts_attempts_and_keeps_the_last_response() {
    let server = serve(|_, index| {
        Reply::body(503, "text/plain", format!("upstream down #{index}"))
            .with_header("x-attempt", &index.to_string())
    })
    .await;
    let policy = fast_retry();
    assert_eq!(policy.max_attempts, 4);
    let error = client_with(&server, policy)
        .get_user("11")
        .await
        .expect_err("503 forever");
    let display = error.to_string();
    assert!(display.contains("after 4 attempts"), "{display}");
    assert!(display.contains("upstream down #3"), "{display}");
    assert!(!display.contains("upstream down #2"), "{display}");
    assert_eq!(error.attempts(), 4);
    match error {
        Error::UnexpectedStatus {
            status,
            headers,
            body,
            attempts,
        } => {
            assert_eq!(status.as_u16(), 503);
            assert_eq!(attempts, 4);
            assert_eq!(body, b"upstream down #3", "the last response's body");
            assert_eq!(
                headers.get("x-attempt").and_then(|v| v.to_str().ok()),
                Some("3"),
                "the last response's headers"
            );
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn final_declared_error_after_retries_keeps_the_last_body() {
    let server = serve(|_, index| {
        Reply::json(429, &error_json(&format!("rl-{index}"), "slow down"))
            .with_header("Retry-After", "0")
    })
    .await;
    let error = client_with(&server, fast_retry().with_max_attempts(2))
        .list_multiple_users(&list_request())
        .await
        .expect_err("429 forever");
    assert!(error.to_string().contains("after 2 attempts"), "{error}");
    match error {
        Error::Api {
            error: ListMultipleUsersError::TooManyRequests { body, retry_after },
            attempts,
            ..
        } => {
            assert_eq!(attempts, 2);
            assert_eq!(retry_after, Some(Duration::ZERO));
            assert_eq!(
                body,
                ErrorResponse {
                    errors: Some(vec!["slow down".into()]),
                    request_id: Some("rl-1".into()),
                }
            );
        }
        other => panic!("expected Api(TooManyRequests), got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}
