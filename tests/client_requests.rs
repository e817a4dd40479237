//! Guards what the generated Gong users client puts on the wire, over real HTTP.
//!
//! Every test drives `gong_users_dev::Client` (generated at build time from
//! `spec/gong-users.yaml`) against the scriptable HTTP/1.1 server of
//! `gong-standin` on 127.0.0.1; nothing below the client's own HTTP stack is
//! mocked. The tests pin down:
//!
//! * the exact `Authorization` header for each kind of credentials, sent on every
//!   request, and credentials that would split a header refused at build time;
//! * percent-encoded path parameters (no path traversal), base URL joining, and base
//!   URLs refused at build time;
//! * query strings and JSON request bodies;
//! * a refused connection reported as a transport failure.
//!
//! How responses are decoded and mapped to errors is guarded by
//! `tests/client_responses.rs`.

use gong_standin::http::Reply;
use gong_users_dev::types::{ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates};
use gong_users_dev::{Client, Credentials, Error, RetryPolicy};
use serde_json::{json, Value};

mod support {
    pub mod client;
}
use support::client::{client_for, full_user, full_user_json, only_request, serve};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// An address on 127.0.0.1 where nothing listens.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

/// Decodes standard base64 (with padding), independently of the client's encoder.
fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|&b| b != b'=') {
        let value = ALPHABET
            .iter()
            .position(|&a| a == byte)
            .unwrap_or_else(|| panic!("{:?} is not a base64 character", byte as char));
        bits = (bits << 6) | value as u32;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Authorization
// ---------------------------------------------------------------------------

#[tokio::test]
async fn basic_credentials_send_base64_of_key_and_secret() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = Client::new(&server.url(), Credentials::basic("AK", "S3cr3t:x")).unwrap();
    client.get_user("1").await.expect("200");
    let request = only_request(&server);
    // base64("AK:S3cr3t:x"), worked out by hand: "AK:" -> QUs6, "S3c" -> UzNj,
    // "r3t" -> cjN0, ":x" -> Ong=.
    assert_eq!(
        request.header("authorization"),
        Some("Basic QUs6UzNjcjN0Ong=")
    );
    let encoded = request
        .header("authorization")
        .and_then(|v| v.strip_prefix("Basic "))
        .expect("Basic scheme");
    let decoded = String::from_utf8(decode_base64(encoded)).expect("UTF-8");
    assert_eq!(decoded, "AK:S3cr3t:x");
    // The user name is everything before the first colon; the password keeps its colon.
    assert_eq!(decoded.split_once(':'), Some(("AK", "S3cr3t:x")));
}

#[tokio::test]
async fn bearer_credentials_send_the_token() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = Client::new(&server.url(), Credentials::bearer("tok123")).unwrap();
    client.get_user("1").await.expect("200");
    assert_eq!(
        only_request(&server).header("authorization"),
        Some("Bearer tok123")
    );
}

#[tokio::test]
async fn no_credentials_send_no_authorization_header() {
    let server = serve(Reply::json(200, &json!({}))).await;
    client_for(&server).get_user("1").await.expect("200");
    let request = only_request(&server);
    assert_eq!(request.header("authorization"), None);
    assert!(!request.headers.contains_key("authorization"));
}

#[tokio::test]
async fn credentials_are_sent_on_every_request() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = Client::new(&server.url(), Credentials::bearer("again")).unwrap();
    client.get_user("1").await.expect("200");
    client.list_users().await.expect("200");
    client.get_user_history("1").await.expect("200");
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in requests {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer again"),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn credentials_with_a_newline_are_refused_at_build_time() {
    let error = Client::new(
        "http://127.0.0.1:1",
        Credentials::bearer("tok\r\nX-Evil: 1"),
    )
    .expect_err("a header-splitting token is refused");
    assert!(error.to_string().contains("credentials"), "{error}");
}

// ---------------------------------------------------------------------------
// Paths and base URLs
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_parameter_slashes_are_encoded_not_traversed() {
    let server = serve(Reply::json(200, &json!({}))).await;
    client_for(&server).get_user("1/../2").await.expect("200");
    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/v2/users/1%2F..%2F2");
    assert_ne!(request.target, "/v2/users/2");
    assert_ne!(request.target, "/2");
}

#[tokio::test]
async fn path_parameter_reserved_characters_are_percent_encoded() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client_for(&server);
    client.get_user("a?b#c%d").await.expect("200");
    client.get_user("x;y=z&w+v").await.expect("200");
    client.get_user("üñ").await.expect("200");
    client.get_user("A-z_0.9~").await.expect("200");
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v2/users/a%3Fb%23c%25d",
            "/v2/users/x%3By%3Dz%26w%2Bv",
            "/v2/users/%C3%BC%C3%B1",
            "/v2/users/A-z_0.9~",
        ]
    );
}

#[tokio::test]
async fn path_parameters_that_would_change_the_path_are_refused_before_sending() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client_for(&server);
    for id in ["..", ".", ""] {
        match client.get_user(id).await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("`id`"), "{id:?}: {message}");
            }
            other => panic!("get_user({id:?}): expected InvalidRequest, got {other:?}"),
        }
        match client.get_user_history(id).await {
            Err(error @ Error::InvalidRequest(_)) => {
                assert_eq!(error.status(), None);
                assert!(error.to_string().starts_with("invalid request"), "{error}");
            }
            other => panic!("get_user_history({id:?}): expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(
        server.requests().is_empty(),
        "no request may reach the server: {:#?}",
        server.requests()
    );
}

#[tokio::test]
async fn get_user_history_encodes_spaces_in_the_id() {
    let server = serve(Reply::json(200, &json!({}))).await;
    client_for(&server)
        .get_user_history("a b")
        .await
        .expect("200");
    assert_eq!(
        only_request(&server).target,
        "/v2/users/a%20b/settings-history"
    );
}

#[tokio::test]
async fn base_url_with_or_without_trailing_slash_and_with_a_prefix() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let url = server.url();
    let bases = [
        url.clone(),
        format!("{url}/"),
        format!("{url}/prefix/"),
        format!("{url}/prefix"),
        format!("{url}/a/b//"),
    ];
    for base in &bases {
        let client = Client::new(base, Credentials::None).expect("valid base URL");
        client.get_user("5").await.expect("200");
        client.list_users().await.expect("200");
    }
    let targets: Vec<String> = server.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        [
            "/v2/users/5",
            "/v2/users",
            "/v2/users/5",
            "/v2/users",
            "/prefix/v2/users/5",
            "/prefix/v2/users",
            "/prefix/v2/users/5",
            "/prefix/v2/users",
            "/a/b/v2/users/5",
            "/a/b/v2/users",
        ]
    );
    let client = Client::new(&format!("{url}/prefix/"), Credentials::None).unwrap();
    assert_eq!(client.base_url().as_str(), format!("{url}/prefix"));
}

#[test]
fn invalid_base_urls_are_build_errors() {
    for base in [
        "not a url",
        "ftp://x",
        "",
        "mailto:someone@example.com",
        "/v2",
    ] {
        match Client::new(base, Credentials::None) {
            Err(error) => {
                let message = error.to_string();
                assert!(
                    message.starts_with("cannot build the client"),
                    "{base:?}: {message}"
                );
                let _: &dyn std::error::Error = &error;
            }
            Ok(client) => panic!("{base:?} was accepted as {client:?}"),
        }
    }
    assert_eq!(Client::DEFAULT_BASE_URL, "https://api.gong.io");
    assert!(Client::new(Client::DEFAULT_BASE_URL, Credentials::None).is_ok());
}

// ---------------------------------------------------------------------------
// Query strings and request bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_users_sends_set_query_parameters_only() {
    let server = serve(Reply::json(
        200,
        &json!({
            "requestId": "l-1",
            "records": { "totalRecords": 263, "currentPageSize": 100, "currentPageNumber": 0, "cursor": "NEXT" },
            "users": [full_user_json()]
        }),
    ))
    .await;
    let client = client_for(&server);
    let page = client
        .list_users()
        .cursor("CUR")
        .include_avatars(true)
        .await
        .expect("200");
    client.list_users().await.expect("200");
    client
        .list_users()
        .include_avatars(false)
        .await
        .expect("200");
    client.list_users().cursor("a b&c=d/+").await.expect("200");

    let requests = server.requests();
    assert_eq!(requests.len(), 4);
    assert!(requests
        .iter()
        .all(|r| r.method == "GET" && r.path() == "/v2/users"));
    assert_eq!(
        requests[0].target,
        "/v2/users?cursor=CUR&includeAvatars=true"
    );
    assert_eq!(requests[1].target, "/v2/users", "no `?` at all");
    assert_eq!(requests[2].target, "/v2/users?includeAvatars=false");
    assert_eq!(
        requests[3].query(),
        [("cursor".to_owned(), "a b&c=d/+".to_owned())]
    );
    assert!(requests.iter().all(|r| r.body.is_empty()));

    let records = page.records.as_ref().expect("records");
    assert_eq!(records.total_records, Some(263));
    assert_eq!(records.current_page_size, Some(100));
    assert_eq!(records.current_page_number, Some(0));
    assert_eq!(records.cursor.as_deref(), Some("NEXT"));
    assert_eq!(page.users.as_deref(), Some(&[full_user()][..]));
}

#[tokio::test]
async fn list_multiple_users_posts_json_with_only_the_set_fields() {
    let server = serve(Reply::json(
        200,
        &json!({ "requestId": "m-1", "users": [] }),
    ))
    .await;
    let client = client_for(&server);

    let full = ListMultipleUsersRequest {
        cursor: Some("CUR".into()),
        filter: MultipleUsersRequestWithCreationDates {
            created_from_date_time: Some(
                chrono::DateTime::parse_from_rfc3339("2018-02-17T02:30:00-08:00").unwrap(),
            ),
            created_to_date_time: Some(
                chrono::DateTime::parse_from_rfc3339("2018-02-19T10:30:00Z").unwrap(),
            ),
            include_avatars: Some(false),
            user_ids: Some(["234599484848423".to_owned(), "11".to_owned()].into()),
        },
    };
    let partial = ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates {
            created_from_date_time: Some(
                chrono::DateTime::parse_from_rfc3339("2018-02-18T08:00:00+00:00").unwrap(),
            ),
            ..Default::default()
        },
    };
    let empty = ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates::default(),
    };
    let page = client.list_multiple_users(&full).await.expect("200");
    assert_eq!(page.request_id.as_deref(), Some("m-1"));
    assert_eq!(page.users.as_deref(), Some(&[][..]));
    client.list_multiple_users(&partial).await.expect("200");
    client.list_multiple_users(&empty).await.expect("200");

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.method, "POST");
        assert_eq!(request.target, "/v2/users/extensive");
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(
            request.header("content-length"),
            Some(request.body.len().to_string().as_str())
        );
    }
    let bodies: Vec<Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("the request body is JSON"))
        .collect();
    assert_eq!(
        bodies[0],
        json!({
            "cursor": "CUR",
            "filter": {
                "createdFromDateTime": "2018-02-17T02:30:00-08:00",
                "createdToDateTime": "2018-02-19T10:30:00Z",
                "includeAvatars": false,
                "userIds": ["11", "234599484848423"]
            }
        })
    );
    assert_eq!(
        bodies[1],
        json!({ "filter": { "createdFromDateTime": "2018-02-18T08:00:00Z" } })
    );
    assert_eq!(bodies[2], json!({ "filter": {} }));
    // The date-times on the wire are RFC 3339 (a zero offset is written `Z`) and
    // denote exactly the instants and offsets given.
    for (field, given) in [
        ("createdFromDateTime", full.filter.created_from_date_time),
        ("createdToDateTime", full.filter.created_to_date_time),
    ] {
        let sent = bodies[0]["filter"][field].as_str().expect("a string");
        let parsed = chrono::DateTime::parse_from_rfc3339(sent).expect("RFC 3339");
        assert_eq!(Some(parsed), given, "{field}");
        assert_eq!(
            Some(parsed.offset()),
            given.as_ref().map(|g| g.offset()),
            "{field}"
        );
    }
}

// ---------------------------------------------------------------------------
// Transport failures
// ---------------------------------------------------------------------------

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let client = Client::new(&closed_port_url(), Credentials::None).unwrap();
    let error = client.get_user("1").await.expect_err("nothing listens");
    assert_eq!(error.status(), None);
    assert!(std::error::Error::source(&error).is_some());
    assert!(error.to_string().starts_with("request failed"), "{error}");
    match error {
        Error::Transport { source, attempts } => {
            assert!(source.is_connect(), "{source:?}");
            // The default policy retries connection failures of a GET.
            assert_eq!(attempts, RetryPolicy::default().max_attempts);
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}
