//! Fault injection, retries: the generated Gong users client against a server that
//! answers with statuses worth retrying.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the scriptable
//! HTTP/1.1 server of `gong-standin` on 127.0.0.1 and pins down the exact outcome: which
//! `Error` variant (or success), how many attempts the error reports, how many requests
//! the server saw, and how long it took where timing is the point. The cases are:
//!
//! * `429` with `Retry-After` (delay-seconds and HTTP date), retried for every method;
//! * the retry budget: `max_attempts` and `max_total_wait`;
//! * `502` / `503` / `504`, retried for idempotent methods only unless opted in, and
//!   declared statuses such as `500` not retried;
//! * what the final error says after retries: the attempts and the last response.
//!
//! Connections cut short, timeouts, undecodable bodies and the client-side rate limiter
//! are guarded by `tests/faults_transport.rs`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use gong_standin::http::Reply;
use gong_users_dev::errors::{GetUserError, ListMultipleUsersError};
use gong_users_dev::types::ErrorResponse;
use gong_users_dev::{Error, RetryPolicy};
use serde_json::{json, Value};

mod support {
    pub mod faults;
}
use support::faults::{client_with, fast_retry, list_request, ok_user, serve, user_id};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

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
// 5. The final error after retries: attempts and the last response
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
