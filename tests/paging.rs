//! Paging, rate limits and errors of the generated Gong users client, end to end.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the Gong stand-in
//! of `gong-standin` (250 fixture users in pages of 100, plus 3 avatars; Basic auth;
//! 3 calls per second with 429 + `Retry-After: 1`; unknown fields and an unknown
//! settings value in its bodies). The tests pin down:
//!
//! * `*_all` and `*_stream` return every item exactly once and in order, send the
//!   cursor where the spec's `x-pagination` says (query for `GET /v2/users`, JSON body
//!   for `POST /v2/users/extensive`), keep every other input unchanged from page to
//!   page, stop after the last page, and fetch pages lazily;
//! * paging rides out the server's 429s, and the client's default limiter avoids them;
//! * wrong credentials, unknown ids and ids with slashes give the declared errors,
//!   with the server's `requestId`;
//! * settings values the spec does not know are kept, not rejected.

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Instant;

use chrono::DateTime;
use futures_core::Stream;
use gong_standin::fixtures::{self, FixtureUser, UNKNOWN_SETTING};
use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use gong_standin::http::Request;
use gong_users_dev::errors::{GetUserError, ListUsersError};
use gong_users_dev::types::{
    ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates, UserMetadata,
    UserSettingsHistorySetting,
};
use gong_users_dev::{Client, Credentials, Error};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// The number of regular users the default stand-in serves.
const USERS: usize = 250;

/// Starts a stand-in with its default configuration (3 calls/s, 250 users, pages of 100).
async fn stand_in() -> StandIn {
    StandIn::start(Config::default())
        .await
        .expect("start the Gong stand-in")
}

/// The stand-in's credentials.
fn credentials() -> Credentials {
    Credentials::basic(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
}

/// A client as users build it: `Client::new`, with the spec's 3 calls/s limiter.
fn client(stand_in: &StandIn) -> Client {
    Client::new(&stand_in.url(), credentials()).expect("build a client for the stand-in")
}

/// A client without the client-side rate limiter, so the stand-in's 429s do happen.
fn unlimited_client(stand_in: &StandIn) -> Client {
    let config = Client::default_config().with_calls_per_second(None);
    Client::with_config(&stand_in.url(), credentials(), config)
        .expect("build an unlimited client for the stand-in")
}

/// The fixture users the stand-in serves (regular users first, then the avatars).
fn fixture_users() -> Vec<FixtureUser> {
    fixtures::users(USERS)
}

/// The ids of the regular (non-avatar) fixture users, in id order.
fn regular_ids() -> Vec<String> {
    fixture_users()
        .into_iter()
        .filter(|u| !u.avatar)
        .map(|u| u.id)
        .collect()
}

/// The ids of `users`, failing on a user without one.
fn ids(users: &[UserMetadata]) -> Vec<String> {
    users
        .iter()
        .map(|u| u.id.clone().expect("every listed user has an id"))
        .collect()
}

/// The next item of a stream, without a futures-util dependency.
async fn next_item<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// The value of query parameter `name` in a recorded request (the last one if repeated).
fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .query()
        .into_iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The recorded requests to `GET /v2/users` (the list endpoint, not a single user).
fn list_requests(stand_in: &StandIn) -> Vec<Request> {
    stand_in
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path() == "/v2/users")
        .collect()
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
        let page = client
            .list_users(cursor.as_deref(), include_avatars)
            .await
            .expect("a page of list_users")
            .into_body();
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

/// The declared error and status inside an `Error::Api`, or a panic naming what came.
fn api_error<E: std::fmt::Debug>(error: Error<E>) -> (E, u16) {
    match error {
        Error::Api { error, status, .. } => (error, status.as_u16()),
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// Asserts that an error body carries a non-empty `requestId`.
fn assert_request_id(request_id: &Option<String>) {
    let id = request_id
        .as_deref()
        .expect("the error body carries a requestId");
    assert!(!id.is_empty(), "requestId is empty");
}

// ---------------------------------------------------------------------------
// GET /v2/users: cursor in the query
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_users_all_returns_every_user_once_in_order_following_query_cursors() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let users = client.list_users_all(None).await.expect("list_users_all");
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

    let mut pages = client.list_users_stream(None);
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
        .list_users_stream(None)
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
        .list_users_all(Some(true))
        .await
        .expect("list_users_all(Some(true))");
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

// ---------------------------------------------------------------------------
// Rate limits
// ---------------------------------------------------------------------------

/// Lists every user twice in parallel, from two tasks holding clones of `client`.
async fn list_all_twice_in_parallel(client: &Client) -> [Vec<UserMetadata>; 2] {
    let tasks = [client.clone(), client.clone()]
        .map(|client| tokio::spawn(async move { client.list_users_all(None).await }));
    let [a, b] = tasks;
    let a = a
        .await
        .expect("task 1 did not panic")
        .expect("task 1 pages");
    let b = b
        .await
        .expect("task 2 did not panic")
        .expect("task 2 pages");
    [a, b]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_rides_out_the_servers_429s_without_a_client_limit() {
    let stand_in = stand_in().await;
    assert_eq!(stand_in.config().calls_per_second, Some(3));
    let client = unlimited_client(&stand_in);

    let [a, b] = list_all_twice_in_parallel(&client).await;
    let expected = regular_ids();
    assert_eq!(ids(&a), expected);
    assert_eq!(ids(&b), expected);
    assert!(
        stand_in.rate_limited_count() > 0,
        "6 calls at once against 3 calls/s must have been answered 429 at least once"
    );
    let requests = list_requests(&stand_in);
    assert_eq!(
        requests.len(),
        6 + stand_in.rate_limited_count(),
        "6 pages plus one retry per 429"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_client_limiter_avoids_429s() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let [a, b] = list_all_twice_in_parallel(&client).await;
    let expected = regular_ids();
    assert_eq!(ids(&a), expected);
    assert_eq!(ids(&b), expected);
    assert_eq!(
        stand_in.rate_limited_count(),
        0,
        "the spec's 3 calls/s limiter keeps the client under the server's limit"
    );
    assert_eq!(list_requests(&stand_in).len(), 6);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[tokio::test]
async fn wrong_credentials_give_the_declared_errors_with_a_request_id() {
    let stand_in = stand_in().await;
    let client = Client::new(
        &stand_in.url(),
        Credentials::basic(DEFAULT_ACCESS_KEY, "not-the-secret"),
    )
    .expect("build a client");
    let some_id = regular_ids().swap_remove(0);

    let error = client
        .get_user(&some_id)
        .await
        .expect_err("wrong credentials are refused");
    match api_error(error) {
        (GetUserError::Unauthorized { body }, 401) => assert_request_id(&body.request_id),
        other => panic!("expected GetUserError::Unauthorized with 401, got {other:?}"),
    }

    let error = client
        .list_users_all(None)
        .await
        .expect_err("wrong credentials are refused");
    match api_error(error) {
        (ListUsersError::Forbidden { body }, 403) => assert_request_id(&body.request_id),
        other => panic!("expected ListUsersError::Forbidden with 403, got {other:?}"),
    }
    assert_eq!(stand_in.requests().len(), 2, "a 401/403 is not retried");

    let mut pages = client.list_users_stream(None);
    let first = next_item(&mut pages)
        .await
        .expect("the stream yields the error");
    match api_error(first.expect_err("an error, not a user")) {
        (ListUsersError::Forbidden { body }, 403) => assert_request_id(&body.request_id),
        other => panic!("expected ListUsersError::Forbidden with 403, got {other:?}"),
    }
    assert!(
        next_item(&mut pages).await.is_none(),
        "the stream ends after its error"
    );
    assert!(next_item(&mut pages).await.is_none());
    assert_eq!(
        stand_in.requests().len(),
        3,
        "the stream sent one request and stopped"
    );
}

#[tokio::test]
async fn get_user_decodes_the_fixture_and_maps_unknown_ids_to_not_found() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let fixture = fixture_users().swap_remove(7);
    let record = &fixture.record;

    let response = client.get_user(&fixture.id).await.expect("get_user");
    assert_eq!(response.status().as_u16(), 200);
    let user = response.into_body().user.expect("the body has a user");
    let text = |name: &str| record[name].as_str().map(str::to_owned);
    assert_eq!(user.id, Some(fixture.id.clone()));
    assert_eq!(user.email_address, text("emailAddress"));
    assert_eq!(user.first_name, text("firstName"));
    assert_eq!(user.last_name, text("lastName"));
    assert_eq!(user.title, text("title"));
    assert_eq!(user.manager_id, text("managerId"));
    assert_eq!(user.phone_number, text("phoneNumber"));
    assert_eq!(user.extension, text("extension"));
    assert_eq!(user.active, record["active"].as_bool());
    let created = user.created.expect("created");
    assert_eq!(created.timestamp(), fixture.created.secs);
    assert_eq!(created.timestamp_subsec_nanos(), fixture.created.nanos);
    let created_text = record["created"].as_str().expect("created text");
    let fixture_created = DateTime::parse_from_rfc3339(created_text).expect("chrono parses");
    assert_eq!(created, fixture_created);
    assert_eq!(
        created.offset(),
        fixture_created.offset(),
        "the offset is kept"
    );
    let settings = user.settings.clone().expect("settings");
    assert_eq!(
        settings.web_conferences_recorded,
        record["settings"]["webConferencesRecorded"].as_bool()
    );
    assert_eq!(
        settings.emails_imported,
        record["settings"]["emailsImported"].as_bool()
    );
    assert_eq!(
        settings.gong_connect_enabled,
        record["settings"]["gongConnectEnabled"].as_bool()
    );
    let languages = user.spoken_languages.clone().expect("spoken languages");
    assert_eq!(
        languages.len(),
        record["spokenLanguages"].as_array().map_or(0, Vec::len)
    );
    // Every typed field equals the fixture record decoded on its own (extra fields such
    // as `department` and `settings.extraSetting` are ignored on both sides).
    let decoded: UserMetadata =
        serde_json::from_value(record.clone()).expect("the fixture decodes");
    assert_eq!(user, decoded);

    let error = client
        .get_user("999999999999999")
        .await
        .expect_err("an unknown id");
    match api_error(error) {
        (GetUserError::NotFound { body }, 404) => assert_request_id(&body.request_id),
        other => panic!("expected GetUserError::NotFound with 404, got {other:?}"),
    }

    let error = client
        .get_user("1/../2")
        .await
        .expect_err("an id with slashes is one unknown id");
    match api_error(error) {
        (GetUserError::NotFound { body }, 404) => assert_request_id(&body.request_id),
        other => panic!("expected GetUserError::NotFound with 404, got {other:?}"),
    }
    let last = stand_in.requests().pop().expect("a request");
    assert_eq!(
        last.target, "/v2/users/1%2F..%2F2",
        "the id is sent encoded as one segment"
    );
}

#[tokio::test]
async fn get_user_history_keeps_an_unknown_setting_next_to_known_ones() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);
    let fixture = fixture_users().swap_remove(4);

    let history = client
        .get_user_history(&fixture.id)
        .await
        .expect("get_user_history")
        .into_body()
        .user_settings_history
        .expect("a history");
    let settings: Vec<UserSettingsHistorySetting> = history
        .iter()
        .map(|entry| entry.setting.clone().expect("a setting"))
        .collect();
    assert!(
        settings.contains(&UserSettingsHistorySetting::Unknown(UNKNOWN_SETTING.into())),
        "{settings:?}"
    );
    assert!(settings.contains(&UserSettingsHistorySetting::WebConferencesRecorded));
    assert!(settings.contains(&UserSettingsHistorySetting::EmailsImported));

    // Entry by entry, as the fixture has it.
    assert_eq!(history.len(), fixture.settings_history.len());
    for (entry, expected) in history.iter().zip(&fixture.settings_history) {
        let setting = expected["setting"].as_str().expect("a setting");
        assert_eq!(entry.setting.as_ref().map(|s| s.as_str()), Some(setting));
        assert_eq!(entry.value, expected["value"].as_bool());
        let time = expected["time"].as_str().expect("a time");
        let instant = fixtures::parse_rfc3339(time).expect("the fixture time parses");
        assert_eq!(entry.time.map(|t| t.timestamp()), Some(instant.secs));
    }
    let unknown = history
        .iter()
        .find(|e| e.setting == Some(UserSettingsHistorySetting::Unknown(UNKNOWN_SETTING.into())))
        .expect("the unknown entry");
    assert_eq!(
        unknown.setting.as_ref().map(ToString::to_string).as_deref(),
        Some(UNKNOWN_SETTING),
        "an unknown value keeps its text"
    );
}

// ---------------------------------------------------------------------------
// Timing
// ---------------------------------------------------------------------------

#[tokio::test]
async fn timing_of_list_users_all_with_the_default_client() {
    let stand_in = stand_in().await;
    let client = client(&stand_in);

    let started = Instant::now();
    let users = client.list_users_all(None).await.expect("list_users_all");
    let elapsed = started.elapsed();
    assert_eq!(users.len(), USERS);
    eprintln!(
        "list_users_all: {} users in {} requests took {:.1} ms (default client, 3 calls/s limiter on; {} 429s)",
        users.len(),
        stand_in.requests().len(),
        elapsed.as_secs_f64() * 1000.0,
        stand_in.rate_limited_count()
    );
}
