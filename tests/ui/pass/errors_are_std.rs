//! The client's error type works with `?` into boxed std errors, and the
//! client itself can be shared across tasks and threads.
#![deny(warnings)]

use std::error::Error as StdError;

use gong_users::errors::GetUserError;
use gong_users::types::ErrorResponse;
use gong_users::{Client, Credentials, Error};

type BoxError = Box<dyn StdError + Send + Sync>;

fn report(error: BoxError) -> String {
    error.to_string()
}

/// `?` converts the client's error into a boxed std error.
async fn user_email(client: &Client, id: &str) -> Result<Option<String>, BoxError> {
    let response = client.get_user(id).await?;
    Ok(response
        .into_body()
        .user
        .and_then(|user| user.email_address))
}

fn assert_error<E: StdError + Send + Sync + 'static>() {}
fn assert_client<C: Clone + Send + Sync + std::fmt::Debug + 'static>() {}

fn main() {
    assert_error::<Error<GetUserError>>();
    assert_client::<Client>();

    let error: Error<GetUserError> = Error::Api {
        status: gong_users::runtime::StatusCode::NOT_FOUND,
        headers: gong_users::runtime::HeaderMap::new(),
        error: GetUserError::NotFound {
            body: ErrorResponse {
                errors: Some(vec!["User not found".to_owned()]),
                request_id: Some("4al018gzaztcr8nbukw".to_owned()),
            },
        },
        attempts: 1,
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let message = report(Box::new(error));
    assert!(
        message.starts_with("HTTP 404 Not Found: User not found: "),
        "{message}"
    );

    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token"))
        .expect("valid base URL");
    let shared = client.clone();
    let debug = format!("{shared:?}");
    assert!(
        !debug.contains("token"),
        "credentials leak into Debug: {debug}"
    );
    std::thread::spawn(move || drop(shared))
        .join()
        .expect("thread");
    // Built but never polled: this program must not touch the network.
    drop(user_email(&client, "1"));
}
