//! Guards how the generated Gong users client reads responses, over real HTTP.
//!
//! Every test drives `gong_users_dev::Client` (generated at build time from
//! `spec/gong-users.yaml`) against the scriptable HTTP/1.1 server of
//! `gong-standin` on 127.0.0.1; nothing below the client's own HTTP stack is
//! mocked. The tests pin down:
//!
//! * decoding of successful bodies (typed values, date-times, nested objects,
//!   unknown fields ignored, unknown enum values kept), with the status and
//!   headers still reachable through `Response`;
//! * the mapping of every declared error status to its own variant of the
//!   operation's error enum (by status, never by body shape), `Retry-After`
//!   handling, undeclared statuses, undecodable bodies and the `Display` /
//!   `std::error::Error` surface of `Error`.
//!
//! What the client sends, and how it reports a failed connection, is guarded by
//! `tests/client_requests.rs`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use gong_standin::http::Reply;
use gong_users_dev::errors::{GetUserError, GetUserHistoryError, ListMultipleUsersError};
use gong_users_dev::types::{
    ErrorResponse, ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates,
    UserSettingsHistorySetting,
};
use gong_users_dev::Error;
use serde_json::{json, Value};

mod support {
    pub mod client;
}
use support::client::{client_for, full_user, full_user_json, only_request, serve};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// An `ErrorResponse` body as Gong sends it.
fn error_json(request_id: &str, message: &str) -> Value {
    json!({ "requestId": request_id, "errors": [message] })
}

/// The `ErrorResponse` that `error_json` decodes to.
fn error_body(request_id: &str, message: &str) -> ErrorResponse {
    ErrorResponse {
        errors: Some(vec![message.to_owned()]),
        request_id: Some(request_id.to_owned()),
    }
}

/// Calls `get_user("42")` against a server answering with `reply`.
async fn get_user_with(
    reply: Reply,
) -> Result<gong_users_dev::Response<gong_users_dev::types::User>, Error<GetUserError>> {
    let server = serve(reply).await;
    client_for(&server).get_user("42").await
}

// ---------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_user_200_decodes_every_field_with_status_and_headers() {
    let reply = Reply::json(
        200,
        &json!({ "requestId": "4al018gzaztcr8nbukw", "user": full_user_json() }),
    )
    .with_header("x-gong-trace", "trace-77");
    let response = get_user_with(reply).await.expect("a 200 decodes");

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("x-gong-trace")
            .and_then(|v| v.to_str().ok()),
        Some("trace-77")
    );
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );

    // Deref reaches the body's fields directly.
    assert_eq!(response.request_id.as_deref(), Some("4al018gzaztcr8nbukw"));
    let user = response.body().user.as_ref().expect("user present");
    assert_eq!(user, &full_user());

    // Typed values, checked one by one.
    let created: chrono::DateTime<chrono::FixedOffset> = user.created.expect("created present");
    let expected = chrono::DateTime::parse_from_rfc3339("2018-02-17T02:30:00-08:00").unwrap();
    assert_eq!(created, expected);
    assert_eq!(created.to_rfc3339(), "2018-02-17T02:30:00-08:00");
    assert_eq!(created.offset().local_minus_utc(), -8 * 3600);
    assert_eq!(created.timestamp(), 1_518_863_400);
    assert_eq!(user.active, Some(true));
    assert_eq!(
        user.settings.as_ref().and_then(|s| s.prevent_email_import),
        Some(true)
    );
    assert_eq!(
        user.settings.as_ref().and_then(|s| s.emails_imported),
        Some(false)
    );
    let languages = user.spoken_languages.as_ref().expect("spoken languages");
    assert_eq!(languages.len(), 2);
    assert_eq!(languages[0].language.as_deref(), Some("es-ES"));
    assert_eq!(languages[0].primary, Some(true));

    let body = response.into_body();
    assert_eq!(body.user, Some(full_user()));
}

#[tokio::test]
async fn get_user_200_ignores_unknown_fields_at_every_level() {
    let mut user = full_user_json();
    user["brandNewUserField"] = json!({ "deep": [1, 2, 3] });
    user["settings"]["brandNewSetting"] = json!(true);
    user["spokenLanguages"][0]["dialect"] = json!("castellano");
    let body = json!({
        "requestId": "r-unknown",
        "user": user,
        "brandNewTopLevel": "ignored",
        "pagination": null
    });
    let response = get_user_with(Reply::json(200, &body))
        .await
        .expect("unknown fields are ignored");
    assert_eq!(response.request_id.as_deref(), Some("r-unknown"));
    assert_eq!(response.user, Some(full_user()));
}

#[tokio::test]
async fn get_user_200_with_empty_object_decodes_to_all_none() {
    let response = get_user_with(Reply::json(200, &json!({})))
        .await
        .expect("every field is optional");
    assert_eq!(response.request_id, None);
    assert_eq!(response.user, None);
}

#[tokio::test]
async fn get_user_history_keeps_unknown_setting_values_and_maps_known_ones() {
    let server = serve(Reply::json(
        200,
        &json!({
            "requestId": "hist-1",
            "userSettingsHistory": [
                { "setting": "brandNewSetting", "value": true, "time": "2018-02-19T02:30:00-08:00" },
                { "setting": "emailsImported", "value": false, "time": "2018-02-18T08:00:00Z" },
                { "setting": "preventInterviewRecording" }
            ]
        }),
    ))
    .await;
    let response = client_for(&server)
        .get_user_history("234599484848423")
        .await
        .expect("history decodes");
    assert_eq!(
        only_request(&server).target,
        "/v2/users/234599484848423/settings-history"
    );

    let history = response.user_settings_history.as_ref().expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(
        history[0].setting,
        Some(UserSettingsHistorySetting::Unknown(
            "brandNewSetting".into()
        ))
    );
    assert_eq!(history[0].value, Some(true));
    assert_eq!(
        history[0].time,
        Some(chrono::DateTime::parse_from_rfc3339("2018-02-19T02:30:00-08:00").unwrap())
    );
    assert_eq!(
        history[1].setting,
        Some(UserSettingsHistorySetting::EmailsImported)
    );
    assert_eq!(history[1].value, Some(false));
    assert_eq!(
        history[1].time.map(|t| t.to_rfc3339()),
        Some("2018-02-18T08:00:00+00:00".to_owned())
    );
    assert_eq!(
        history[2].setting,
        Some(UserSettingsHistorySetting::PreventInterviewRecording)
    );
    assert_eq!(history[2].value, None);
    assert_eq!(history[2].time, None);
    // The unknown value survives a round trip unchanged.
    assert_eq!(
        serde_json::to_value(&history[0].setting).unwrap(),
        json!("brandNewSetting")
    );
}

// ---------------------------------------------------------------------------
// Declared error statuses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_user_maps_each_declared_error_status_to_its_variant() {
    for status in [400u16, 401, 404, 429, 500] {
        let request_id = format!("req-{status}");
        let message = format!("failure {status}");
        let reply = Reply::json(status, &error_json(&request_id, &message));
        let error = get_user_with(reply)
            .await
            .expect_err("an error status is an error");
        let expected_body = error_body(&request_id, &message);
        match error {
            Error::Api {
                status: got,
                error,
                headers,
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(
                    headers.get("content-type").and_then(|v| v.to_str().ok()),
                    Some("application/json")
                );
                let body = match (status, error) {
                    (400, GetUserError::BadRequest { body }) => body,
                    (401, GetUserError::Unauthorized { body }) => body,
                    (404, GetUserError::NotFound { body }) => body,
                    (429, GetUserError::TooManyRequests { body, .. }) => body,
                    (500, GetUserError::InternalServerError { body }) => body,
                    (status, other) => panic!("status {status} mapped to {other:?}"),
                };
                assert_eq!(body, expected_body);
                assert_eq!(body.request_id.as_deref(), Some(request_id.as_str()));
                assert_eq!(body.errors, Some(vec![message.clone()]));
            }
            other => panic!("status {status}: expected Error::Api, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn error_variant_is_chosen_by_status_not_by_body_shape() {
    let same = error_json("same-body", "identical");
    let bad_request = get_user_with(Reply::json(400, &same))
        .await
        .expect_err("400 is an error");
    let not_found = get_user_with(Reply::json(404, &same))
        .await
        .expect_err("404 is an error");
    assert_eq!(
        bad_request.api_error(),
        Some(&GetUserError::BadRequest {
            body: error_body("same-body", "identical")
        })
    );
    assert_eq!(
        not_found.api_error(),
        Some(&GetUserError::NotFound {
            body: error_body("same-body", "identical")
        })
    );
}

#[tokio::test]
async fn get_user_history_and_list_multiple_users_have_their_own_error_enums() {
    let server = serve(Reply::json(401, &error_json("h-401", "bad token"))).await;
    let error = client_for(&server)
        .get_user_history("7")
        .await
        .expect_err("401 is an error");
    assert_eq!(
        error.api_error(),
        Some(&GetUserHistoryError::Unauthorized {
            body: error_body("h-401", "bad token")
        })
    );

    let server = serve(Reply::json(404, &error_json("m-404", "none"))).await;
    let request = ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates::default(),
    };
    let error = client_for(&server)
        .list_multiple_users(&request)
        .await
        .expect_err("404 is an error");
    assert_eq!(
        error.api_error(),
        Some(&ListMultipleUsersError::NotFound {
            body: error_body("m-404", "none")
        })
    );
}

// ---------------------------------------------------------------------------
// Retry-After
// ---------------------------------------------------------------------------

/// `retry_after` of a 429 answered with the given `Retry-After` header (or none).
async fn retry_after_for(header: Option<&str>) -> Option<Duration> {
    let mut reply = Reply::json(429, &error_json("rl", "API request limit exceeded"));
    if let Some(value) = header {
        reply = reply.with_header("Retry-After", value);
    }
    match get_user_with(reply).await.expect_err("429 is an error") {
        Error::Api {
            status,
            error: GetUserError::TooManyRequests { body, retry_after },
            ..
        } => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body, error_body("rl", "API request limit exceeded"));
            retry_after
        }
        other => panic!("expected TooManyRequests, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_after_in_seconds_is_a_duration() {
    assert_eq!(
        retry_after_for(Some("7")).await,
        Some(Duration::from_secs(7))
    );
    assert_eq!(retry_after_for(Some("0")).await, Some(Duration::ZERO));
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_is_zero() {
    assert_eq!(
        retry_after_for(Some("Wed, 21 Oct 2015 07:28:00 GMT")).await,
        Some(Duration::ZERO)
    );
}

#[tokio::test]
async fn retry_after_http_date_in_the_future_is_the_remaining_wait() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    let when = chrono::DateTime::from_timestamp(i64::try_from(now + 120).unwrap(), 0)
        .expect("valid timestamp");
    let header = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let wait = retry_after_for(Some(header.as_str()))
        .await
        .expect("an HTTP date is understood");
    assert!(
        (Duration::from_secs(110)..=Duration::from_secs(120)).contains(&wait),
        "Retry-After {header:?} gave {wait:?}"
    );
}

/// RFC 9110 section 5.6.7: recipients of an HTTP-date MUST accept the obsolete RFC 850
/// and asctime forms too.
#[tokio::test]
async fn retry_after_accepts_obsolete_http_date_formats() {
    for past in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
        assert_eq!(
            retry_after_for(Some(past)).await,
            Some(Duration::ZERO),
            "Retry-After: {past}"
        );
    }
}

#[tokio::test]
async fn retry_after_absent_or_unparsable_is_none() {
    assert_eq!(retry_after_for(None).await, None);
    assert_eq!(retry_after_for(Some("soon")).await, None);
}

// ---------------------------------------------------------------------------
// Undeclared statuses and undecodable bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn undeclared_statuses_keep_status_headers_and_raw_body() {
    let cases: [(u16, &str, &[u8]); 3] = [
        (418, "text/plain", b"I'm a teapot \xF0\x9F\xAB\x96"),
        (302, "text/html", b"<html>moved, no Location</html>"),
        (
            503,
            "application/json",
            b"{\"requestId\":\"x\",\"errors\":[\"down\"]}",
        ),
    ];
    for (status, content_type, body) in cases {
        let reply = Reply::body(status, content_type, body.to_vec()).with_header("x-marker", "m");
        match get_user_with(reply).await.expect_err("undeclared status") {
            Error::UnexpectedStatus {
                status: got,
                headers,
                body: got_body,
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(
                    got_body, body,
                    "status {status}: raw body kept byte for byte"
                );
                assert_eq!(
                    headers.get("x-marker").and_then(|v| v.to_str().ok()),
                    Some("m")
                );
            }
            other => panic!("status {status}: expected UnexpectedStatus, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn truncated_json_is_invalid_body_with_status_and_full_body() {
    let text = r#"{"requestId":"t-1","user":{"id":"1","firstName":"Jo"#;
    let reply = Reply::body(200, "application/json", text);
    let error = get_user_with(reply).await.expect_err("truncated JSON");
    let display = error.to_string();
    assert!(
        std::error::Error::source(&error).is_some(),
        "InvalidBody exposes the JSON error as its source"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    match error {
        Error::InvalidBody {
            status,
            body,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, text.as_bytes());
            assert!(source.is_eof(), "truncation is reported as EOF: {source}");
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
    assert!(display.contains("200"), "{display}");
    assert!(display.contains(text), "{display}");
}

#[tokio::test]
async fn wrongly_typed_field_is_invalid_body() {
    let mut user = full_user_json();
    user["active"] = json!("yes");
    let sent = json!({ "requestId": "t-2", "user": user }).to_string();
    let reply = Reply::body(200, "application/json", sent.clone());
    let error = get_user_with(reply).await.expect_err("\"yes\" is no bool");
    let display = error.to_string();
    assert!(std::error::Error::source(&error).is_some());
    match &error {
        Error::InvalidBody {
            status,
            body,
            source,
            ..
        } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(body, sent.as_bytes(), "the whole body is kept");
            assert!(source.is_data(), "a type mismatch: {source}");
            assert!(source.to_string().contains("yes"), "{source}");
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
    // The body is longer than the excerpt: Display quotes its start, cut with "...".
    assert!(sent.len() > 200);
    let excerpt: String = sent.chars().take(200).collect();
    assert!(display.contains(&format!("{excerpt}...")), "{display}");
    assert!(!display.contains(&sent), "Display must not quote it all");
}

#[tokio::test]
async fn undecodable_error_body_is_invalid_body_with_its_status() {
    let reply = Reply::body(404, "text/html", "<h1>Not Found</h1>");
    match get_user_with(reply).await.expect_err("HTML 404") {
        Error::InvalidBody { status, body, .. } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(body, b"<h1>Not Found</h1>");
        }
        other => panic!("expected InvalidBody, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// The error type itself
// ---------------------------------------------------------------------------

#[tokio::test]
async fn api_error_display_names_status_and_description() {
    let error = get_user_with(Reply::json(404, &error_json("d-404", "no such user")))
        .await
        .expect_err("404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let display = error.to_string();
    assert!(display.contains("404"), "{display}");
    assert!(display.contains("User not found"), "{display}");
    assert!(display.contains("no such user"), "{display}");
    assert!(display.contains("d-404"), "{display}");
    assert!(std::error::Error::source(&error).is_none());

    // Usable wherever a boxed standard error is expected.
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert_eq!(boxed.to_string(), display);

    let error = get_user_with(Reply::json(500, &error_json("d-500", "boom")))
        .await
        .expect_err("500");
    let display = error.to_string();
    assert!(display.contains("500"), "{display}");
    assert!(
        display.contains("Failed to complete the operation due to an unexpected error"),
        "{display}"
    );
}

#[tokio::test]
async fn unexpected_status_display_names_status_and_quotes_the_body() {
    let error = get_user_with(Reply::body(418, "text/plain", "short and stout"))
        .await
        .expect_err("418");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(418));
    assert_eq!(error.api_error(), None);
    let display = error.to_string();
    assert!(display.contains("418"), "{display}");
    assert!(display.contains("short and stout"), "{display}");
}

#[test]
fn error_implements_std_error_send_sync() {
    fn assert_std_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_std_error::<Error<GetUserError>>();
    assert_std_error::<Error<GetUserHistoryError>>();
    assert_std_error::<Error<ListMultipleUsersError>>();
    assert_std_error::<Error<gong_users_dev::errors::ListUsersError>>();
    assert_std_error::<gong_users_dev::BuildError>();
}
