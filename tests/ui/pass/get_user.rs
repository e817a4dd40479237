//! Fetches one user, reads optional fields of the body, and handles every
//! kind of error the call can return.
#![deny(warnings)]

use gong_users::errors::GetUserError;
use gong_users::types::UserMetadata;
use gong_users::{Client, Credentials, Error};

/// What a caller does with the result of `get_user`.
async fn show_user(client: &Client, id: &str) -> Result<String, String> {
    match client.get_user(id).await {
        Ok(response) => {
            let status: gong_users::runtime::StatusCode = response.status();
            assert!(status.is_success());
            let user: &Option<UserMetadata> = &response.body().user;
            Ok(match user {
                Some(user) => describe(user),
                None => "no user in the response".to_owned(),
            })
        }
        Err(Error::Api {
            error: GetUserError::NotFound { body },
            ..
        }) => Err(format!("no such user (request {:?})", body.request_id)),
        Err(Error::Api {
            error: GetUserError::TooManyRequests { retry_after, .. },
            ..
        }) => {
            let wait: Option<std::time::Duration> = retry_after;
            Err(format!(
                "rate limited; retry in {}s",
                wait.map_or(1, |d| d.as_secs())
            ))
        }
        Err(Error::Api { status, error, .. }) => Err(format!("HTTP {status}: {error}")),
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            Err(format!("undeclared status {status} ({} bytes)", body.len()))
        }
        Err(Error::InvalidBody { source, .. }) => Err(format!("bad body: {source}")),
        Err(Error::Timeout { kind, attempts, .. }) => Err(format!("{kind} after {attempts} attempts")),
        Err(Error::Transport { source, .. }) => Err(format!("transport: {source}")),
        Err(other) => Err(other.to_string()),
    }
}

fn describe(user: &UserMetadata) -> String {
    let email: &str = user.email_address.as_deref().unwrap_or("<no email>");
    let recorded: bool = user
        .settings
        .as_ref()
        .and_then(|settings| settings.web_conferences_recorded)
        .unwrap_or(false);
    let created: Option<chrono::DateTime<chrono::FixedOffset>> = user.created;
    let year = created.map(|created| chrono::Datelike::year(&created.with_timezone(&chrono::Utc)));
    format!("{email} recorded={recorded} created_year={year:?}")
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

fn main() {
    let client = Client::new(
        Client::DEFAULT_BASE_URL,
        Credentials::basic("access-key", "access-key-secret"),
    )
    .expect("the default base URL is valid");
    assert_eq!(client.base_url().as_str(), "https://api.gong.io/");

    // The future is built (so it type-checks and is `Send`, as `tokio::spawn`
    // needs) but never polled: this program must not touch the network.
    drop(assert_send(show_user(&client, "1")));

    let user = UserMetadata {
        email_address: Some("jon@example.com".to_owned()),
        created: chrono::DateTime::parse_from_rfc3339("2018-02-17T02:30:00-08:00").ok(),
        ..Default::default()
    };
    assert_eq!(
        describe(&user),
        "jon@example.com recorded=false created_year=Some(2018)"
    );
}
