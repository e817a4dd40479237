//! Fault injection, transport: the generated Gong users client against a server that
//! breaks connections, stays silent, cannot be reached or sends bodies that do not decode.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the scriptable
//! HTTP/1.1 server of `gong-standin` on 127.0.0.1 and pins down the exact outcome: which
//! `Error` variant (or success), how many attempts the error reports, how many requests
//! the server saw, and how long it took where timing is the point. The cases are:
//!
//! * connections closed mid-body, servers that never answer (request timeout), hosts
//!   that cannot be reached (connect timeout);
//! * bodies that do not decode: truncated JSON, HTML, invalid UTF-8, huge bodies;
//! * the client-side rate limiter shared by clones.
//!
//! Statuses worth retrying (`429`, `502`-`504`), the retry budget and the final error
//! after retries are guarded by `tests/faults_retries.rs`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gong_standin::http::{Reply, Server};
use gong_users_dev::runtime::TimeoutKind;
use gong_users_dev::{Client, ClientConfig, Credentials, Error, RetryPolicy};

mod support {
    pub mod faults;
}
use support::faults::{client_with, fast_retry, list_request, ok_user, serve, user_id};

// ---------------------------------------------------------------------------
// 1. Connection closed mid-body
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
// 2. A server that never answers: request timeout, not retried
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
// 3. A host that cannot be reached: connect timeout
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
// 4. Bodies that do not decode
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
// 5. A 20 MB body
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
// 6. The client-side rate limit, shared by clones
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
