//! Paging, rate limits and errors of the generated Gong users client, end to end.
//!
//! Every test drives `gong_users_dev::Client` over real HTTP against the Gong stand-in
//! of `gong-standin` (250 fixture users in pages of 100, plus 3 avatars; Basic auth;
//! 3 calls per second with 429 + `Retry-After: 1`; unknown fields and an unknown
//! settings value in its bodies). The tests pin down:
//!
//! * paging rides out the server's 429s, and the client's default limiter avoids them;
//! * wrong credentials, unknown ids and ids with slashes give the declared errors,
//!   with the server's `requestId`;
//! * settings values the spec does not know are kept, not rejected;
//! * how long listing every user takes with the default client is reported, not asserted.
//!
//! Where the cursors go, page by page, and that pages are fetched lazily is guarded by
//! `tests/paging_cursors.rs`.

use std::time::Instant;

use chrono::DateTime;
use gong_standin::fixtures::{self, UNKNOWN_SETTING};
use gong_standin::gong::{StandIn, DEFAULT_ACCESS_KEY};
use gong_users_dev::errors::{GetUserError, ListUsersError};
use gong_users_dev::types::{UserMetadata, UserSettingsHistorySetting};
use gong_users_dev::{Client, Credentials, Error};

mod support {
    pub mod paging;
}
use support::paging::{
    client, credentials, fixture_users, ids, list_requests, next_item, regular_ids, stand_in, USERS,
};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A client without the client-side rate limiter, so the stand-in's 429s do happen.
fn unlimited_client(stand_in: &StandIn) -> Client {
    let config = Client::default_config().with_calls_per_second(None);
    Client::with_config(&stand_in.url(), credentials(), config)
        .expect("build an unlimited client for the stand-in")
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
// Rate limits
// ---------------------------------------------------------------------------

/// Lists every user twice in parallel, from two tasks holding clones of `client`.
async fn list_all_twice_in_parallel(client: &Client) -> [Vec<UserMetadata>; 2] {
    let tasks = [client.clone(), client.clone()]
        .map(|client| tokio::spawn(async move { client.list_users_all().await }));
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
        .list_users_all()
        .await
        .expect_err("wrong credentials are refused");
    match api_error(error) {
        (ListUsersError::Forbidden { body }, 403) => assert_request_id(&body.request_id),
        other => panic!("expected ListUsersError::Forbidden with 403, got {other:?}"),
    }
    assert_eq!(stand_in.requests().len(), 2, "a 401/403 is not retried");

    let mut pages = client.list_users_stream();
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
    let users = client.list_users_all().await.expect("list_users_all");
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
