//! A `reqwest::Client` of the caller's (`ClientConfig::with_http_client`), the way a crate
//! built without a TLS feature talks HTTPS: requests go through it (its default headers,
//! `User-Agent` and redirect policy apply), while what the generated client does itself
//! still holds: credentials on every request, no credentials over plain http to hosts
//! other than loopback, Authorization dropped on redirects to another host, retries,
//! and no secrets in `Debug`.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the scriptable
//! HTTP/1.1 server of `gong-standin` on 127.0.0.1.

use std::time::Duration;

use gong_standin::http::{Reply, Request, Server};
use gong_users_dev::{Client, ClientConfig, Credentials, RetryPolicy};
use serde_json::json;

const SECRET: &str = "sup3r-s3cret-value";

fn basic() -> Credentials {
    Credentials::basic("AK", SECRET)
}

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

/// A client of the caller's, with settings the generated client would not choose.
fn own_client(redirects: reqwest::redirect::Policy) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-supplied-by", "the caller".parse().expect("header value"));
    reqwest::Client::builder()
        .user_agent("my-app/2.0")
        .default_headers(headers)
        .redirect(redirects)
        .build()
        .expect("a plain-http reqwest client builds")
}

fn config_with(client: reqwest::Client) -> ClientConfig {
    ClientConfig::default()
        .with_retry(RetryPolicy::none())
        .with_user_agent("not-used/1.0")
        .with_http_client(client)
}

#[tokio::test]
async fn requests_go_through_the_supplied_client_with_the_credentials_added() {
    let server = serve(|_, _| user_reply("7")).await;
    let client = Client::with_config(
        &server.url(),
        basic(),
        config_with(own_client(reqwest::redirect::Policy::default())),
    )
    .expect("client builds");

    let response = client.get_user("7").await.expect("the call succeeds");
    assert_eq!(
        response.user.as_ref().and_then(|u| u.id.as_deref()),
        Some("7")
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v2/users/7");
    assert_eq!(requests[0].header("x-supplied-by"), Some("the caller"));
    assert_eq!(
        requests[0].header("user-agent"),
        Some("my-app/2.0"),
        "the supplied client's User-Agent applies, not ClientConfig's"
    );
    let authorization = requests[0]
        .header("authorization")
        .expect("credentials are added to requests through a supplied client");
    assert!(authorization.starts_with("Basic "), "{authorization}");
}

#[tokio::test]
async fn retries_apply_to_a_supplied_client() {
    let server = serve(|_, index| {
        if index == 0 {
            Reply::body(503, "text/plain", "busy")
        } else {
            user_reply("1")
        }
    })
    .await;
    let config = ClientConfig::default()
        .with_retry(
            RetryPolicy::default()
                .with_max_attempts(2)
                .with_backoff(Duration::from_millis(10), Duration::from_millis(10)),
        )
        .with_http_client(own_client(reqwest::redirect::Policy::default()));
    let client = Client::with_config(&server.url(), basic(), config).expect("client builds");

    let response = client.get_user("1").await.expect("the retry succeeds");
    assert_eq!(
        response.user.as_ref().and_then(|u| u.id.as_deref()),
        Some("1")
    );
    assert_eq!(server.requests().len(), 2, "one 503, then the retry");
}

#[test]
fn credentials_over_plain_http_to_another_host_are_refused_with_a_supplied_client() {
    let config = config_with(own_client(reqwest::redirect::Policy::default()));
    let error = Client::with_config("http://api.example.test", basic(), config)
        .expect_err("credentials over plain http to a non-loopback host");
    let message = error.to_string();
    assert!(
        message.contains("refusing to send credentials over plain http"),
        "{message}"
    );
    assert!(!message.contains(SECRET), "{message}");
}

#[tokio::test]
async fn a_redirect_to_another_host_drops_authorization_whatever_the_supplied_policy() {
    let b = serve(|_, _| user_reply("1")).await;
    // `localhost` and `127.0.0.1` are different hosts to reqwest.
    let location = format!("http://localhost:{}/v2/users/1", b.addr().port());
    let a = serve(move |_, _| {
        Reply::body(302, "text/plain", "moved").with_header("Location", &location)
    })
    .await;
    let custom = reqwest::redirect::Policy::custom(|attempt| attempt.follow());
    let client = Client::with_config(&a.url(), basic(), config_with(own_client(custom)))
        .expect("client builds");

    client
        .get_user("1")
        .await
        .expect("the redirect is followed");

    assert!(a.requests()[0].header("authorization").is_some());
    let to_b = b.requests();
    assert_eq!(to_b.len(), 1);
    assert_eq!(to_b[0].header("x-supplied-by"), Some("the caller"));
    assert_eq!(
        to_b[0].header("authorization"),
        None,
        "credentials must not follow a redirect to another host: {:#?}",
        to_b[0]
    );
}

#[test]
fn debug_of_a_config_with_a_supplied_client_hides_its_headers() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-api-key", SECRET.parse().expect("header value"));
    let supplied = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client builds");
    let config = ClientConfig::default().with_http_client(supplied);
    assert!(config.http_client().is_some());

    let debug = format!("{config:?}");
    assert!(debug.contains("<supplied reqwest::Client>"), "{debug}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(!format!("{config:#?}").contains(SECRET));
}
