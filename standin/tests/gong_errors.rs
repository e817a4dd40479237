//! The Gong stand-in over real HTTP: how it refuses requests, driven by a tiny raw
//! HTTP/1.1 client on tokio's `TcpStream` (this crate must not depend on the generated
//! client).
//!
//! Every response carries its own `requestId`, and every refusal is an `ErrorResponse`:
//! wrong or missing credentials (401, but 403 on `GET /v2/users`), unknown paths and
//! ids (404), wrong methods (405 with `Allow`), bad cursors and malformed `POST` bodies
//! (400).
//!
//! The data the stand-in serves, its paging, filters and rate limit are guarded by
//! `tests/gong_data.rs`.

use std::collections::HashSet;

use gong_standin::gong::{DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use serde_json::json;

mod support;
use support::{assert_error, basic, call, get, good_auth, post, unlimited};

#[tokio::test]
async fn wrong_or_missing_credentials_get_401_but_403_on_list_users() {
    let stand_in = unlimited().await;
    let wrong_secret = basic(DEFAULT_ACCESS_KEY, "nope");
    let wrong_key = basic("nope", DEFAULT_ACCESS_KEY_SECRET);
    let bad_auths: [Option<&str>; 6] = [
        None,
        Some(&wrong_secret),
        Some(&wrong_key),
        Some("Bearer some-oauth-token"),
        Some("Basic !!!not-base64!!!"),
        Some("Basic"),
    ];
    let body = br#"{"filter":{}}"#;
    for auth in bad_auths {
        let list = call(&stand_in, "GET", "/v2/users", auth, None).await;
        assert_error(&list, 403);
        let extensive = call(&stand_in, "POST", "/v2/users/extensive", auth, Some(body)).await;
        assert_error(&extensive, 401);
        let user = call(&stand_in, "GET", "/v2/users/234599484848400", auth, None).await;
        assert_error(&user, 401);
        let history = call(
            &stand_in,
            "GET",
            "/v2/users/234599484848400/settings-history",
            auth,
            None,
        )
        .await;
        assert_error(&history, 401);
    }
    // The scheme name is case-insensitive.
    let lower = good_auth().replacen("Basic", "basic", 1);
    let ok = call(&stand_in, "GET", "/v2/users", Some(&lower), None).await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn every_response_has_a_unique_request_id() {
    let stand_in = unlimited().await;
    let mut seen = HashSet::new();
    for target in [
        "/v2/users",
        "/v2/users/234599484848401",
        "/v2/users/234599484848401/settings-history",
        "/v2/users/1",
        "/nowhere",
        "/v2/users",
    ] {
        let response = get(&stand_in, target).await;
        let id = response.body["requestId"].as_str().expect("requestId");
        assert!(seen.insert(id.to_string()), "repeated requestId {id}");
    }
    let unauthorized = call(&stand_in, "GET", "/v2/users", None, None).await;
    let id = unauthorized.body["requestId"].as_str().expect("requestId");
    assert!(seen.insert(id.to_string()), "repeated requestId {id}");
}

#[tokio::test]
async fn unknown_users_paths_and_methods() {
    let stand_in = unlimited().await;
    assert_error(&get(&stand_in, "/v2/users/1").await, 404);
    assert_error(&get(&stand_in, "/v2/users/1/settings-history").await, 404);
    assert_error(&get(&stand_in, "/v2/users/1%2F..%2F2").await, 404);
    assert_error(&get(&stand_in, "/v2/users/234599484848400%2F..").await, 404);
    assert_error(&get(&stand_in, "/v2/users/").await, 404);
    assert_error(&get(&stand_in, "/v2/calls").await, 404);
    assert_error(
        &get(&stand_in, "/v2/users/234599484848400/other").await,
        404,
    );
    assert_error(&get(&stand_in, "/").await, 404);
    let wrong_method = call(&stand_in, "DELETE", "/v2/users", Some(&good_auth()), None).await;
    assert_error(&wrong_method, 405);
    let get_extensive = get(&stand_in, "/v2/users/extensive").await;
    assert_error(&get_extensive, 405);
    assert_eq!(
        get_extensive.headers.get("allow").map(String::as_str),
        Some("POST")
    );
    // A percent-encoded id that is known decodes to it.
    let encoded = get(&stand_in, "/v2/users/%32%334599484848400").await;
    assert_eq!(encoded.status, 200);
    assert_eq!(encoded.body["user"]["id"], "234599484848400");
}

#[tokio::test]
async fn bad_cursors_are_400() {
    let stand_in = unlimited().await;
    assert_error(&get(&stand_in, "/v2/users?cursor=garbage").await, 400);
    assert_error(&get(&stand_in, "/v2/users?includeAvatars=maybe").await, 400);
    let first = get(&stand_in, "/v2/users?includeAvatars=true").await;
    let cursor = first.body["records"]["cursor"]
        .as_str()
        .expect("cursor")
        .to_string();
    // The cursor belongs to includeAvatars=true: other inputs changed, so it is refused.
    assert_error(
        &get(&stand_in, &format!("/v2/users?cursor={cursor}")).await,
        400,
    );
    let next = get(
        &stand_in,
        &format!("/v2/users?includeAvatars=true&cursor={cursor}"),
    )
    .await;
    assert_eq!(next.body["records"]["currentPageNumber"], 1);
    // A GET cursor is not a POST cursor, and a POST cursor is bound to its filter.
    let post_body = json!({ "cursor": cursor, "filter": { "includeAvatars": true } });
    assert_error(
        &post(&stand_in, "/v2/users/extensive", &post_body).await,
        400,
    );
    let page = post(&stand_in, "/v2/users/extensive", &json!({ "filter": {} })).await;
    let post_cursor = page.body["records"]["cursor"].clone();
    let other_filter = json!({ "cursor": post_cursor, "filter": { "includeAvatars": true } });
    assert_error(
        &post(&stand_in, "/v2/users/extensive", &other_filter).await,
        400,
    );
}

#[tokio::test]
async fn malformed_post_bodies_are_400() {
    let stand_in = unlimited().await;
    let auth = good_auth();
    for body in [
        &b""[..],
        b"not json",
        b"{\"filter\":",
        b"[]",
        b"{}",
        b"{\"filter\":null}",
        b"{\"filter\":[]}",
        b"{\"filter\":{},\"cursor\":7}",
        b"{\"filter\":{\"createdFromDateTime\":\"yesterday\"}}",
        b"{\"filter\":{\"createdToDateTime\":\"2020-01-01T00:00:00\"}}",
        b"{\"filter\":{\"createdFromDateTime\":20200101}}",
        b"{\"filter\":{\"includeAvatars\":\"yes\"}}",
        b"{\"filter\":{\"userIds\":\"234599484848400\"}}",
        b"{\"filter\":{\"userIds\":[234599484848400]}}",
    ] {
        let response = call(
            &stand_in,
            "POST",
            "/v2/users/extensive",
            Some(&auth),
            Some(body),
        )
        .await;
        assert_error(&response, 400);
    }
    let nobody = json!({ "filter": { "userIds": ["1"] } });
    assert_error(&post(&stand_in, "/v2/users/extensive", &nobody).await, 404);
}
