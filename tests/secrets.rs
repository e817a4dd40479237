//! Secrets stay secret: credentials never show in `Debug` / `Display` output of the client,
//! its settings, its credentials or any error; they are not carried across hosts on
//! redirects; they are not sent over plain http to non-loopback hosts; and the client's
//! trace events carry the operation and path template only.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the scriptable
//! HTTP/1.1 server of `gong-standin` on 127.0.0.1.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use gong_standin::http::{Reply, Request, Server};
use gong_users_dev::{Client, ClientConfig, Credentials, Error, RetryPolicy};
use serde_json::json;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const KEY: &str = "AK";
const SECRET: &str = "sup3r-s3cret-value";
const TOKEN: &str = "t0ken-s3cret-value";

fn basic() -> Credentials {
    Credentials::basic(KEY, SECRET)
}

fn bearer() -> Credentials {
    Credentials::bearer(TOKEN)
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// Starts a server whose handler picks the reply.
async fn serve(handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static) -> Server {
    Server::start(handler)
        .await
        .expect("start the stand-in server")
}

fn user_reply(id: &str) -> Reply {
    Reply::json(
        200,
        &json!({ "requestId": "r-1", "user": { "id": id, "firstName": "Jo" } }),
    )
}

/// Settings for tests: no retries, no rate limit.
fn config() -> ClientConfig {
    ClientConfig::default().with_retry(RetryPolicy::none())
}

/// An address on 127.0.0.1 where nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

/// The `Authorization` header the server received with its first request.
fn authorization_sent(server: &Server) -> String {
    server
        .requests()
        .first()
        .and_then(|r| r.header("authorization").map(str::to_string))
        .expect("the server got an Authorization header")
}

/// `value` in `{:?}`, `{:#?}` and, when given, `{}` form, labelled.
fn renderings(
    label: &str,
    debug: &dyn fmt::Debug,
    display: Option<&dyn fmt::Display>,
) -> Vec<(String, String)> {
    let mut out = vec![
        (format!("{label} {{:?}}"), format!("{debug:?}")),
        (format!("{label} {{:#?}}"), format!("{debug:#?}")),
    ];
    if let Some(display) = display {
        out.push((format!("{label} {{}}"), format!("{display}")));
        out.push((format!("{label} {{:#}}"), format!("{display:#}")));
    }
    out
}

/// Asserts that none of `forbidden` occurs in any rendering.
fn assert_nothing_leaks(renderings: &[(String, String)], forbidden: &[String]) {
    assert!(!renderings.is_empty());
    for (label, text) in renderings {
        assert!(!text.is_empty(), "{label} is empty");
        for secret in forbidden {
            assert!(
                !text.contains(secret.as_str()),
                "{label} leaks {secret:?}:\n{text}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 1. Debug / Display never show a secret
// ---------------------------------------------------------------------------

/// Produces every `Error` variant with `credentials` against local servers and returns
/// the renderings of each (and of the client, its settings and credentials), with the
/// `Authorization` value the server received.
async fn render_everything(credentials: Credentials) -> (Vec<(String, String)>, String) {
    let mut out = Vec::new();
    let mut seen = Vec::new();

    // The client, its settings, its credentials.
    let cfg = config().with_request_timeout(Duration::from_millis(300));
    out.extend(renderings("Credentials", &credentials, None));
    out.extend(renderings("ClientConfig", &cfg, None));

    // Api: a declared status (404).
    let server = serve(|_, _| {
        Reply::json(
            404,
            &json!({ "requestId": "nf-1", "errors": ["User not found"] }),
        )
    })
    .await;
    let client = Client::with_config(&server.url(), credentials.clone(), cfg.clone()).unwrap();
    out.extend(renderings("Client", &client, None));
    let error = client.get_user("1").await.expect_err("404");
    assert!(matches!(error, Error::Api { .. }), "{error:?}");
    seen.push("Api");
    out.extend(renderings("Error::Api", &error, Some(&error)));
    let authorization = authorization_sent(&server);

    // UnexpectedStatus: an undeclared status (503, not retried: RetryPolicy::none()).
    let server = serve(|_, _| Reply::body(503, "text/plain", "unavailable")).await;
    let client = Client::with_config(&server.url(), credentials.clone(), cfg.clone()).unwrap();
    let error = client.get_user("1").await.expect_err("503");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    seen.push("UnexpectedStatus");
    out.extend(renderings("Error::UnexpectedStatus", &error, Some(&error)));
    assert_eq!(authorization_sent(&server), authorization);

    // InvalidBody: a 200 that is not JSON.
    let server = serve(|_, _| Reply::body(200, "text/html", "<p>hello</p>")).await;
    let client = Client::with_config(&server.url(), credentials.clone(), cfg.clone()).unwrap();
    let error = client.get_user("1").await.expect_err("HTML");
    assert!(matches!(error, Error::InvalidBody { .. }), "{error:?}");
    seen.push("InvalidBody");
    out.extend(renderings("Error::InvalidBody", &error, Some(&error)));

    // Timeout: a server that never answers.
    let server = serve(|_, _| Reply::Silence(Duration::from_secs(10))).await;
    let client = Client::with_config(&server.url(), credentials.clone(), cfg.clone()).unwrap();
    let error = client.get_user("1").await.expect_err("silence");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    seen.push("Timeout");
    out.extend(renderings("Error::Timeout", &error, Some(&error)));
    assert_eq!(authorization_sent(&server), authorization);

    // Transport: connection refused.
    let client = Client::with_config(&closed_port_url(), credentials.clone(), cfg.clone()).unwrap();
    let error = client.get_user("1").await.expect_err("refused");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    seen.push("Transport refused");
    out.extend(renderings(
        "Error::Transport (refused)",
        &error,
        Some(&error),
    ));

    // Transport: the body is cut short.
    let server = serve(|_, _| Reply::CloseMidBody {
        status: 200,
        partial_body: b"{\"requestId\":".to_vec(),
    })
    .await;
    let client = Client::with_config(&server.url(), credentials.clone(), cfg.clone()).unwrap();
    let error = client.get_user("1").await.expect_err("cut short");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    seen.push("Transport cut");
    out.extend(renderings(
        "Error::Transport (cut short)",
        &error,
        Some(&error),
    ));

    // InvalidRequest: nothing is sent.
    let error = client.get_user("..").await.expect_err("`..` is refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    seen.push("InvalidRequest");
    out.extend(renderings("Error::InvalidRequest", &error, Some(&error)));

    // BuildError: an invalid base URL, with the credentials.
    let error = Client::with_config("not a url", credentials.clone(), cfg.clone())
        .expect_err("invalid URL");
    seen.push("BuildError URL");
    out.extend(renderings("BuildError (invalid URL)", &error, Some(&error)));

    // BuildError: plain http to a non-loopback host, with the credentials.
    let error = Client::with_config("http://api.example.com", credentials.clone(), cfg.clone())
        .expect_err("plain http with credentials");
    seen.push("BuildError http");
    out.extend(renderings("BuildError (plain http)", &error, Some(&error)));

    assert_eq!(seen.len(), 9);
    (out, authorization)
}

#[tokio::test]
async fn basic_credentials_never_show_in_debug_or_display() {
    let (renderings, authorization) = render_everything(basic()).await;
    let encoded = authorization
        .strip_prefix("Basic ")
        .expect("a Basic header")
        .to_string();
    assert_eq!(
        encoded,
        b64(&format!("{KEY}:{SECRET}")),
        "the header is right"
    );
    let forbidden = vec![
        SECRET.to_string(),
        authorization.clone(),
        encoded.clone(),
        // The base64 of the secret alone, and its unpadded form inside the pair's.
        b64(SECRET),
        encoded.trim_end_matches('=').to_string(),
    ];
    assert_nothing_leaks(&renderings, &forbidden);
    // The user name is not a secret; it is fine (and useful) that Debug shows it.
    let credentials = renderings
        .iter()
        .find(|(label, _)| label == "Credentials {:?}")
        .map(|(_, text)| text.as_str());
    assert_eq!(
        credentials,
        Some(r#"Basic { username: "AK", password: Secret(<redacted>) }"#)
    );
}

#[tokio::test]
async fn bearer_credentials_never_show_in_debug_or_display() {
    let (renderings, authorization) = render_everything(bearer()).await;
    assert_eq!(authorization, format!("Bearer {TOKEN}"));
    let forbidden = vec![TOKEN.to_string(), authorization, b64(TOKEN)];
    assert_nothing_leaks(&renderings, &forbidden);
    let client = renderings
        .iter()
        .find(|(label, _)| label == "Client {:?}")
        .map(|(_, text)| text.as_str())
        .expect("the client was rendered");
    assert!(client.contains("<redacted>"), "{client}");
}

#[test]
fn secret_debug_and_display_are_redacted() {
    let secret = gong_users_dev::runtime::Secret::new(SECRET);
    assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
    assert_eq!(format!("{secret:#?}"), "Secret(<redacted>)");
    assert_eq!(format!("{secret}"), "<redacted>");
    assert_eq!(secret.expose(), SECRET);
    let header = basic().header_value().unwrap().expect("a header");
    assert!(
        header.is_sensitive(),
        "the header value is marked sensitive"
    );
    assert!(!format!("{header:?}").contains(SECRET));
    assert_eq!(format!("{header:?}"), "Sensitive");
}

// ---------------------------------------------------------------------------
// 2. Redirects
// ---------------------------------------------------------------------------

// reqwest (0.12) follows up to 10 redirects and, before following one, removes
// `Authorization` (and `Cookie`, `Proxy-Authorization`, `WWW-Authenticate`) when the next
// URL's host name *or* port differs from the previous one (`redirect::
// remove_sensitive_headers`); it compares host names as text, so `localhost` and
// `127.0.0.1` are different hosts even though they are the same machine. The client
// adds `Authorization` to the first request only; what the redirected request carries is
// what reqwest keeps.

#[tokio::test]
async fn redirect_to_another_host_drops_the_authorization_header() {
    let b = serve(|_, _| user_reply("1")).await;
    let location = format!("http://localhost:{}/v2/users/1", b.addr().port());
    let a = serve(move |_, _| {
        Reply::body(302, "text/plain", "moved").with_header("Location", &location)
    })
    .await;
    let client = Client::with_config(&a.url(), basic(), config()).unwrap();

    let response = client
        .get_user("1")
        .await
        .expect("the redirect is followed");
    assert_eq!(
        response.user.as_ref().and_then(|u| u.id.as_deref()),
        Some("1")
    );

    let to_a = a.requests();
    assert_eq!(to_a.len(), 1);
    assert_eq!(
        to_a[0].header("authorization"),
        Some(format!("Basic {}", b64(&format!("{KEY}:{SECRET}"))).as_str())
    );
    let to_b = b.requests();
    assert_eq!(to_b.len(), 1);
    assert_eq!(to_b[0].path(), "/v2/users/1");
    assert_eq!(
        to_b[0].header("host"),
        Some(format!("localhost:{}", b.addr().port()).as_str())
    );
    assert_eq!(
        to_b[0].header("authorization"),
        None,
        "credentials must not follow a redirect to another host: {:#?}",
        to_b[0]
    );
}

#[tokio::test]
async fn redirect_to_another_port_of_the_same_host_drops_the_authorization_header() {
    let b = serve(|_, _| user_reply("1")).await;
    let location = format!("{}/v2/users/1", b.url());
    let a = serve(move |_, _| {
        Reply::body(302, "text/plain", "moved").with_header("Location", &location)
    })
    .await;
    let client = Client::with_config(&a.url(), bearer(), config()).unwrap();

    client
        .get_user("1")
        .await
        .expect("the redirect is followed");

    assert_eq!(
        a.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let to_b = b.requests();
    assert_eq!(to_b.len(), 1);
    assert_eq!(to_b[0].header("authorization"), None, "{:#?}", to_b[0]);
}

#[tokio::test]
async fn redirect_within_the_same_host_and_port_keeps_the_authorization_header() {
    let a = serve(|request, _| match request.path() {
        "/v2/users/1" => {
            Reply::body(302, "text/plain", "moved").with_header("Location", "/v2/users/2")
        }
        _ => user_reply("2"),
    })
    .await;
    let client = Client::with_config(&a.url(), basic(), config()).unwrap();

    let response = client
        .get_user("1")
        .await
        .expect("the redirect is followed");
    assert_eq!(
        response.user.as_ref().and_then(|u| u.id.as_deref()),
        Some("2")
    );

    let requests = a.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path(), "/v2/users/1");
    assert_eq!(requests[1].path(), "/v2/users/2");
    let expected = format!("Basic {}", b64(&format!("{KEY}:{SECRET}")));
    assert_eq!(requests[0].header("authorization"), Some(expected.as_str()));
    assert_eq!(
        requests[1].header("authorization"),
        Some(expected.as_str()),
        "reqwest keeps Authorization on a same-host, same-port redirect"
    );
}

// ---------------------------------------------------------------------------
// 3. Credentials over plain http
// ---------------------------------------------------------------------------

#[test]
fn plain_http_to_a_remote_host_with_credentials_is_refused() {
    for credentials in [basic(), bearer()] {
        for url in [
            "http://api.example.com",
            "http://us-1234.api.gong.io/",
            "http://10.0.0.1:8080",
            "http://localhost.example.com",
            "HTTP://API.EXAMPLE.COM",
        ] {
            let error = Client::new(url, credentials.clone()).expect_err(url);
            let message = error.to_string();
            assert!(message.contains("https"), "{url}: {message}");
            assert!(message.contains("plain http"), "{url}: {message}");
            assert!(!message.contains(SECRET) && !message.contains(TOKEN));
        }
    }
}

#[test]
fn plain_http_is_allowed_without_credentials_or_when_opted_in() {
    Client::new("http://api.example.com", Credentials::None).expect("no credentials to leak");
    let insecure = Client::default_config().with_allow_insecure_http(true);
    for credentials in [basic(), bearer()] {
        Client::with_config(
            "http://api.example.com",
            credentials.clone(),
            insecure.clone(),
        )
        .expect("allow_insecure_http");
        Client::new("https://api.example.com", credentials).expect("https is always fine");
    }
}

#[test]
fn plain_http_to_loopback_with_credentials_is_allowed() {
    for url in [
        "http://127.0.0.1:1",
        "http://localhost:1",
        "http://127.0.0.2:1",
        "http://[::1]:1",
    ] {
        for credentials in [basic(), bearer()] {
            let client = Client::new(url, credentials).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert!(client.base_url().as_str().starts_with("http://"));
        }
    }
}

// Credentials can also hide in the base URL's user info (`https://key:secret@host`):
// reqwest turns it into an `Authorization: Basic` header on every request (observed: a
// server on 127.0.0.1 receives `Basic base64("AK:sup3r-s3cret-value")` from
// `http://AK:sup3r-s3cret-value@127.0.0.1:PORT` with `Credentials::None`). Such URLs must
// not get around the plain-http rule nor show the secret in `Debug` / `Display`.

#[test]
fn plain_http_with_credentials_in_the_url_user_info_is_refused() {
    // Refusing user info in base URLs altogether would do as well: only the build must
    // fail, without quoting the secret.
    let url = format!("http://{KEY}:{SECRET}@api.example.com");
    match Client::new(&url, Credentials::None) {
        Err(error) => {
            let rendered = renderings("BuildError", &error, Some(&error));
            assert_nothing_leaks(&rendered, &[SECRET.to_string()]);
        }
        Ok(client) => {
            panic!("credentials in the URL would go over plain http to a remote host: {client:?}")
        }
    }
}

#[test]
fn credentials_in_the_url_user_info_never_show() {
    let forbidden = vec![SECRET.to_string(), b64(&format!("{KEY}:{SECRET}"))];
    for url in [
        format!("https://{KEY}:{SECRET}@api.example.com"),
        format!("http://{KEY}:{SECRET}@127.0.0.1:1"),
        // Invalid URLs: the build error quotes them.
        format!("https://{KEY}:{SECRET}@exa mple.com"),
        format!("ftp://{KEY}:{SECRET}@api.example.com"),
    ] {
        let rendered = match Client::new(&url, Credentials::None) {
            Ok(client) => renderings("Client", &client, None),
            Err(error) => renderings("BuildError", &error, Some(&error)),
        };
        assert_nothing_leaks(&rendered, &forbidden);
    }
}

// ---------------------------------------------------------------------------
// 4. Tracing
// ---------------------------------------------------------------------------

/// One recorded event or span, with its fields as text.
#[derive(Clone, Debug)]
struct Recorded {
    kind: &'static str,
    target: String,
    fields: BTreeMap<String, String>,
}

/// A minimal subscriber that records every event and span with all its fields.
#[derive(Clone, Default)]
struct Recorder {
    records: Arc<Mutex<Vec<Recorded>>>,
    next_id: Arc<AtomicU64>,
}

impl Recorder {
    fn records(&self) -> Vec<Recorded> {
        self.records.lock().unwrap().clone()
    }

    fn push(&self, kind: &'static str, target: &str, fields: BTreeMap<String, String>) {
        self.records.lock().unwrap().push(Recorded {
            kind,
            target: target.to_string(),
            fields,
        });
    }
}

struct FieldsAsText<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for FieldsAsText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_bool(&mut self, field: &tracing::field::Field, value: bool) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
    fn record_error(
        &mut self,
        field: &tracing::field::Field,
        value: &(dyn std::error::Error + 'static),
    ) {
        self.0
            .insert(field.name().to_string(), format!("{value} / {value:?}"));
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = BTreeMap::new();
        span.record(&mut FieldsAsText(&mut fields));
        fields.insert("span.name".into(), span.metadata().name().to_string());
        self.push("span", span.metadata().target(), fields);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut fields = BTreeMap::new();
        values.record(&mut FieldsAsText(&mut fields));
        fields.insert("span.id".into(), span.into_u64().to_string());
        self.push("span record", "", fields);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut FieldsAsText(&mut fields));
        fields.insert("level".into(), event.metadata().level().to_string());
        self.push("event", event.metadata().target(), fields);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// What no trace record may contain after a call with `basic()` and the id
/// `1/../secret-id`.
fn forbidden_in_traces(authorization: Option<&str>) -> Vec<String> {
    let mut forbidden = vec![
        SECRET.to_string(),
        b64(&format!("{KEY}:{SECRET}")),
        "secret-id".to_string(),
        "1%2F..%2Fsecret-id".to_string(),
        "/v2/users/1".to_string(),
    ];
    forbidden.extend(authorization.map(str::to_string));
    forbidden
}

fn assert_records_are_clean(records: &[Recorded], forbidden: &[String]) {
    for record in records {
        for (name, value) in &record.fields {
            for secret in forbidden {
                assert!(
                    !value.contains(secret.as_str()) && !name.contains(secret.as_str()),
                    "{} field {name} = {value:?} contains {secret:?}\nall records: {records:#?}",
                    record.kind
                );
            }
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn trace_events_name_the_operation_and_template_but_no_secret_or_id() {
    let server = serve(|_, _| user_reply("1")).await;
    let client = Client::with_config(&server.url(), basic(), config()).unwrap();
    let recorder = Recorder::default();

    let result = {
        let _guard = tracing::subscriber::set_default(recorder.clone());
        client.get_user("1/../secret-id").await
    };
    result.expect("the call succeeds");

    let request = &server.requests()[0];
    assert_eq!(request.path(), "/v2/users/1%2F..%2Fsecret-id");
    let authorization = request.header("authorization").expect("sent").to_string();

    let records = recorder.records();
    let response = records
        .iter()
        .find(|r| {
            r.kind == "event" && r.fields.get("operation").map(String::as_str) == Some("getUser")
        })
        .unwrap_or_else(|| panic!("no getUser event in {records:#?}"));
    let field = |name: &str| response.fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("getUser"));
    assert_eq!(field("path"), Some("/v2/users/{id}"), "the template");
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("attempt"), Some("1"));
    assert_eq!(field("message"), Some("response"));
    assert_eq!(field("level"), Some("DEBUG"));
    let elapsed: u64 = field("elapsed_ms")
        .expect("elapsed_ms recorded")
        .parse()
        .expect("elapsed_ms is a number");
    assert!(elapsed < 5_000, "{elapsed}");

    assert_records_are_clean(&records, &forbidden_in_traces(Some(&authorization)));
}

#[tokio::test(flavor = "current_thread")]
async fn trace_events_of_retries_and_failures_carry_no_secret_or_id() {
    // A 503 (retried once, quickly), then a refused connection.
    let server = serve(|_, _| Reply::body(503, "text/plain", "unavailable")).await;
    let retry = RetryPolicy::default()
        .with_max_attempts(2)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(10));
    let cfg = ClientConfig::default().with_retry(retry);
    let client = Client::with_config(&server.url(), basic(), cfg.clone()).unwrap();
    let refused = Client::with_config(&closed_port_url(), basic(), cfg).unwrap();
    let recorder = Recorder::default();

    let (unavailable, failed) = {
        let _guard = tracing::subscriber::set_default(recorder.clone());
        (
            client.get_user("1/../secret-id").await,
            refused.get_user("1/../secret-id").await,
        )
    };
    assert!(matches!(
        unavailable,
        Err(Error::UnexpectedStatus { attempts: 2, .. })
    ));
    assert!(matches!(failed, Err(Error::Transport { attempts: 2, .. })));
    let authorization = authorization_sent(&server);

    let records = recorder.records();
    let messages: Vec<&str> = records
        .iter()
        .filter(|r| r.target.starts_with("gong_users"))
        .filter_map(|r| r.fields.get("message").map(String::as_str))
        .collect();
    assert_eq!(
        messages,
        [
            "response",
            "retrying",
            "response",
            "request failed",
            "retrying",
            "request failed"
        ],
        "{records:#?}"
    );
    let failure = records
        .iter()
        .find(|r| r.fields.get("message").map(String::as_str) == Some("request failed"))
        .expect("a failure event");
    assert_eq!(
        failure.fields.get("path").map(String::as_str),
        Some("/v2/users/{id}")
    );
    assert!(failure.fields.contains_key("error"), "{failure:#?}");

    assert_records_are_clean(&records, &forbidden_in_traces(Some(&authorization)));
}
