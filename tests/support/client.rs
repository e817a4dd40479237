//! Helpers shared by `tests/client_responses.rs` and `tests/client_requests.rs`: a
//! stand-in server answering every request alike, a client for it without retries, the
//! one request the server saw, and a user with every field set (as JSON and decoded).
//!
//! Each of those test binaries compiles this file on its own, as
//! `mod support { pub mod client; }`, so it holds only helpers that both of them use;
//! a helper only one of them needs stays in that file. That way no `dead_code`
//! allowance is needed.

use gong_standin::http::{Reply, Request, Server};
use gong_users_dev::types::{Settings, SpokenLanguage, UserMetadata};
use gong_users_dev::{Client, Credentials, RetryPolicy};
use serde_json::{json, Value};

/// Starts a server that answers every request with `reply`.
pub async fn serve(reply: Reply) -> Server {
    Server::start(move |_: &Request, _| reply.clone())
        .await
        .expect("start the stand-in server")
}

/// A client for `server` without credentials.
pub fn client_for(server: &Server) -> Client {
    // These tests decode single responses; retries are covered in tests/faults_retries.rs.
    let config = Client::default_config().with_retry(RetryPolicy::none());
    Client::with_config(&server.url(), Credentials::None, config)
        .expect("build a client for the stand-in server")
}

/// The only request the server received.
pub fn only_request(server: &Server) -> Request {
    let requests = server.requests();
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.into_iter().next().expect("one request")
}

/// A user with every field of `UserMetadata`, `Settings` and `SpokenLanguage` set.
pub fn full_user_json() -> Value {
    json!({
        "id": "234599484848423",
        "emailAddress": "jon.snow@test.com",
        "created": "2018-02-17T02:30:00-08:00",
        "active": true,
        "emailAliases": ["testAlias@test.com", "jon@test.com"],
        "trustedEmailAddress": "trusted@test.com",
        "firstName": "Jon",
        "lastName": "Snow",
        "title": "Enterprise Account Executive",
        "phoneNumber": "+1 123-567-8989",
        "extension": "123",
        "personalMeetingUrls": ["https://zoom.us/j/123"],
        "settings": {
            "webConferencesRecorded": true,
            "preventWebConferenceRecording": false,
            "telephonyCallsImported": true,
            "emailsImported": false,
            "preventEmailImport": true,
            "nonRecordedMeetingsImported": false,
            "gongConnectEnabled": true
        },
        "managerId": "563515258458745",
        "meetingConsentPageUrl": "https://join.gong.io/my-company/jon.snow?tkn=MoNpS9tMNt8BK7EZxQpSJl",
        "spokenLanguages": [
            { "language": "es-ES", "primary": true },
            { "language": "en-US", "primary": false }
        ]
    })
}

/// The `UserMetadata` that `full_user_json` decodes to.
pub fn full_user() -> UserMetadata {
    UserMetadata {
        active: Some(true),
        created: Some(
            chrono::DateTime::parse_from_rfc3339("2018-02-17T02:30:00-08:00").expect("valid date"),
        ),
        email_address: Some("jon.snow@test.com".into()),
        email_aliases: Some(vec!["testAlias@test.com".into(), "jon@test.com".into()]),
        extension: Some("123".into()),
        first_name: Some("Jon".into()),
        id: Some("234599484848423".into()),
        last_name: Some("Snow".into()),
        manager_id: Some("563515258458745".into()),
        meeting_consent_page_url: Some(
            "https://join.gong.io/my-company/jon.snow?tkn=MoNpS9tMNt8BK7EZxQpSJl".into(),
        ),
        personal_meeting_urls: Some(vec!["https://zoom.us/j/123".into()]),
        phone_number: Some("+1 123-567-8989".into()),
        settings: Some(Settings {
            emails_imported: Some(false),
            gong_connect_enabled: Some(true),
            non_recorded_meetings_imported: Some(false),
            prevent_email_import: Some(true),
            prevent_web_conference_recording: Some(false),
            telephony_calls_imported: Some(true),
            web_conferences_recorded: Some(true),
        }),
        spoken_languages: Some(vec![
            SpokenLanguage {
                language: Some("es-ES".into()),
                primary: Some(true),
            },
            SpokenLanguage {
                language: Some("en-US".into()),
                primary: Some(false),
            },
        ]),
        title: Some("Enterprise Account Executive".into()),
        trusted_email_address: Some("trusted@test.com".into()),
    }
}
