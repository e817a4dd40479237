//! Paging of the generated Gong users client, end to end: cursors and laziness.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the Gong stand-in
//! of `gong-standin` (250 fixture users in pages of 100, plus 3 avatars; Basic auth;
//! 3 calls per second with 429 + `Retry-After: 1`; unknown fields and an unknown
//! settings value in its bodies). The tests pin down:
//!
//! * `*_all` and `*_stream` return every item exactly once and in order, send the
//!   cursor where the spec's `x-pagination` says (query for `GET /v2/users`, JSON body
//!   for `POST /v2/users/extensive`), keep every other input unchanged from page to
//!   page, stop after the last page, and fetch pages lazily.
//!
//! Paging under rate limits, the declared errors and unknown settings values are
//! guarded by `tests/paging_limits_errors.rs`.

use chrono::DateTime;
use gong_standin::fixtures;
use gong_standin::gong::StandIn;
use gong_standin::http::Request;
use gong_users_dev::types::{ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates};
use gong_users_dev::Client;
use serde_json::{json, Value};

mod support {
    pub mod paging;
}
use support::paging::{
    client, fixture_users, ids, list_requests, next_item, regular_ids, stand_in, USERS,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The value of query parameter `name` in a recorded request (the last one if repeated).
fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .query()
        .into_iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The recorded requests to `POST /v2/users/extensive`.
fn extensive_requests(stand_in: &StandIn) -> Vec<Request> {
    stand_in
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path() == "/v2/users/extensive")
        .collect()
}

/// The JSON body of a recorded request.
fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "request body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// The cursors `GET /v2/users` hands out, page by page, found by walking the pages by
/// hand with `list_users` (cursors are deterministic). The last entry is `None`.
async fn list_users_cursors(client: &Client, include_avatars: Option<bool>) -> Vec<Option<String>> {
    let mut cursors = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut call = client.list_users();
        if let Some(cursor) = &cursor {
            call = call.cursor(cursor);
        }
        if let Some(include_avatars) = include_avatars {
            call = call.include_avatars(include_avatars);
        }
        let page = call.await.expect("a page of list_users").into_body();
        cursor = page.records.and_then(|r| r.cursor);
        cursors.push(cursor.clone());
        if cursor.is_none() {
            return cursors;
        }
    }
}

/// The same for `POST /v2/users/extensive` with `body`'s filter.
async fn list_multiple_users_cursors(
    client: &Client,
    body: &ListMultipleUsersRequest,
) -> Vec<Option<String>> {
    let mut request = body.clone();
    request.cursor = None;
    let mut cursors = Vec::new();
    loop {
        let page = client
            .list_multiple_users(&request)
            .await
            .expect("a page of list_multiple_users")
            .into_body();
        request.cursor = page.records.and_then(|r| r.cursor);
        cursors.push(request.cursor.clone());
        if request.cursor.is_none() {
            return cursors;
        }
    }
}

// ---------------------------------------------------------------------------
// GET /v2/users: cursor in the query
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_users_all_returns_every_user_once_in_order_following_query_cursors() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let users = client.list_users_all().await.expect("list_users_all");
    assert_eq!(ids(&users), regular_ids());
    assert_eq!(users.len(), USERS);

    let requests = list_requests(&stand_in);
    assert_eq!(
        stand_in.requests().len(),
        requests.len(),
        "only GET /v2/users may be called"
    );
    assert_eq!(
        requests.len(),
        3,
        "250 users in pages of 100 take exactly 3 requests, none after the last page: {requests:#?}"
    );
    for request in &requests {
        assert_eq!(
            query_param(request, "includeAvatars"),
            None,
            "include_avatars None sends nothing"
        );
        assert!(request.body.is_empty(), "a GET has no body");
    }

    // The cursors the pages returned, walking them by hand on the same stand-in.
    let cursors = list_users_cursors(&client, None).await;
    assert_eq!(cursors.len(), 3, "{cursors:?}");
    assert_eq!(cursors[2], None, "the last page has no cursor");
    assert_eq!(
        query_param(&requests[0], "cursor"),
        None,
        "first page: no cursor"
    );
    assert_eq!(
        query_param(&requests[1], "cursor"),
        cursors[0],
        "2nd request carries page 1's cursor"
    );
    assert_eq!(
        query_param(&requests[2], "cursor"),
        cursors[1],
        "3rd request carries page 2's cursor"
    );
    assert_ne!(cursors[0], cursors[1]);
}

#[tokio::test]
async fn list_users_stream_yields_the_same_users_and_fetches_pages_lazily() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let expected = regular_ids();

    let mut pages = client.list_users_stream();
    assert_eq!(
        stand_in.requests().len(),
        0,
        "building the stream sends nothing"
    );

    let mut seen = Vec::new();
    for _ in 0..100 {
        let user = next_item(&mut pages)
            .await
            .expect("an item")
            .expect("a user");
        seen.push(user.id.expect("an id"));
    }
    assert_eq!(
        stand_in.requests().len(),
        1,
        "the first 100 users come from one page; the second is not fetched yet"
    );
    assert_eq!(seen[..], expected[..100]);

    let user = next_item(&mut pages)
        .await
        .expect("the 101st item")
        .expect("a user");
    seen.push(user.id.expect("an id"));
    assert_eq!(
        stand_in.requests().len(),
        2,
        "the 101st user fetched page 2"
    );

    while let Some(item) = next_item(&mut pages).await {
        seen.push(item.expect("a user").id.expect("an id"));
        assert!(stand_in.requests().len() <= 3);
    }
    assert_eq!(
        seen, expected,
        "the stream yields every user once, in order"
    );
    assert_eq!(stand_in.requests().len(), 3);

    // An ended stream stays ended and sends nothing more.
    assert!(next_item(&mut pages).await.is_none());
    assert!(next_item(&mut pages).await.is_none());
    assert_eq!(
        stand_in.requests().len(),
        3,
        "nothing is fetched after the end"
    );

    // The stream and collect_all agree.
    let collected = client
        .list_users_stream()
        .collect_all()
        .await
        .expect("collect_all");
    assert_eq!(ids(&collected), expected);
}

#[tokio::test]
async fn list_users_all_with_avatars_includes_the_three_avatars() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let users = client
        .list_users()
        .include_avatars(true)
        .all()
        .await
        .expect("list_users().include_avatars(true).all()");
    let expected: Vec<String> = fixture_users().into_iter().map(|u| u.id).collect();
    assert_eq!(expected.len(), USERS + fixtures::AVATAR_IDS.len());
    assert_eq!(ids(&users), expected);
    for avatar in fixtures::AVATAR_IDS {
        assert!(
            users.iter().any(|u| u.id.as_deref() == Some(avatar)),
            "{avatar}"
        );
    }

    let requests = list_requests(&stand_in);
    assert_eq!(requests.len(), 3, "253 users in pages of 100");
    for request in &requests {
        assert_eq!(
            query_param(request, "includeAvatars").as_deref(),
            Some("true"),
            "includeAvatars is sent unchanged on every page"
        );
    }
    assert_eq!(query_param(&requests[0], "cursor"), None);
    assert!(query_param(&requests[1], "cursor").is_some());
    assert!(query_param(&requests[2], "cursor").is_some());
}

// ---------------------------------------------------------------------------
// POST /v2/users/extensive: cursor in the body
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_multiple_users_all_pages_with_the_cursor_in_the_body_and_the_filter_unchanged() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    // A window of creation times, written with two different UTC offsets. The bounds are
    // exact creation instants of two users: the first is included, the second is not.
    let users = fixture_users();
    let from_text = fixtures::format_rfc3339(users[37].created, 330);
    let to_text = fixtures::format_rfc3339(users[181].created, -480);
    let from = fixtures::parse_rfc3339(&from_text).expect("from parses");
    let to = fixtures::parse_rfc3339(&to_text).expect("to parses");
    let expected: Vec<String> = users
        .iter()
        .filter(|u| !u.avatar && u.created >= from && u.created < to)
        .map(|u| u.id.clone())
        .collect();
    assert!(
        expected.len() > 100 && expected.len() < USERS,
        "the filter must select a strict subset spanning pages: {}",
        expected.len()
    );
    assert!(expected.contains(&users[37].id));
    assert!(!expected.contains(&users[181].id));

    let body = ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates {
            created_from_date_time: Some(
                DateTime::parse_from_rfc3339(&from_text).expect("chrono parses from"),
            ),
            created_to_date_time: Some(
                DateTime::parse_from_rfc3339(&to_text).expect("chrono parses to"),
            ),
            ..Default::default()
        },
    };
    let found = client
        .list_multiple_users_all(&body)
        .await
        .expect("list_multiple_users_all");
    assert_eq!(
        ids(&found),
        expected,
        "exactly the filtered users, in order"
    );
    assert_eq!(body.cursor, None, "the caller's body is not modified");

    let requests = extensive_requests(&stand_in);
    assert_eq!(stand_in.requests().len(), requests.len());
    assert_eq!(
        requests.len(),
        expected.len().div_ceil(100),
        "one request per page, none after the last: {requests:#?}"
    );
    let sent_filter = serde_json::to_value(&body.filter).expect("filter serializes");
    assert_eq!(
        sent_filter.as_object().map(|f| f.len()),
        Some(2),
        "only the two dates are set: {sent_filter}"
    );
    let cursors = list_multiple_users_cursors(&client, &body).await;
    assert_eq!(cursors.len(), requests.len());
    assert_eq!(cursors.last(), Some(&None));
    for (n, request) in requests.iter().enumerate() {
        assert!(
            request.query().is_empty(),
            "request {n}: the cursor never goes in the query: {}",
            request.target
        );
        let json = json_body(request);
        assert_eq!(
            json["filter"], sent_filter,
            "request {n}: the filter is sent unchanged on every page"
        );
        let expected_cursor = match n {
            0 => None,
            _ => cursors[n - 1].clone(),
        };
        assert_eq!(
            json.get("cursor")
                .and_then(Value::as_str)
                .map(str::to_owned),
            expected_cursor,
            "request {n}: the body carries the previous page's cursor"
        );
        let keys: Vec<&String> = json.as_object().expect("an object").keys().collect();
        let expected_keys: &[&str] = if n == 0 {
            &["filter"]
        } else {
            &["cursor", "filter"]
        };
        assert_eq!(keys, expected_keys, "request {n}: {json}");
    }
}

#[tokio::test]
async fn list_multiple_users_all_with_an_empty_filter_returns_every_user() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let body: ListMultipleUsersRequest =
        serde_json::from_value(json!({ "filter": {} })).expect("an empty filter is valid");
    let found = client
        .list_multiple_users_all(&body)
        .await
        .expect("list_multiple_users_all");
    assert_eq!(ids(&found), regular_ids());

    let requests = extensive_requests(&stand_in);
    assert_eq!(requests.len(), 3);
    for (n, request) in requests.iter().enumerate() {
        let json = json_body(request);
        assert_eq!(json["filter"], json!({}), "request {n}");
        assert_eq!(json.get("cursor").is_some(), n > 0, "request {n}: {json}");
        assert!(
            request.query().is_empty(),
            "request {n}: {}",
            request.target
        );
    }
}
