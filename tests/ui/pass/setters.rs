//! Optional parameters through the request builder's setters: set or left out, awaited
//! or sent, stored and passed around; the blocking client's builder has the same setters.
#![deny(warnings)]

use gong_users::calls::ListUsers;
use gong_users::errors::ListUsersError;
use gong_users::runtime::Call;
use gong_users::types::UsersMetadata;
use gong_users::{Client, Credentials, Error, Response};

/// Every setter, chained; the builder awaited like the future it turns into.
async fn page_with_avatars(
    client: &Client,
    cursor: &str,
) -> Result<Response<UsersMetadata>, Error<ListUsersError>> {
    client.list_users().include_avatars(true).cursor(cursor).await
}

/// A setter applied only when the caller has a value (forwarding an `Option`), and the
/// builder passed around before it is sent.
fn with_cursor<'a>(call: ListUsers<'a>, cursor: Option<&'a String>) -> ListUsers<'a> {
    match cursor {
        Some(cursor) => call.cursor(cursor),
        None => call,
    }
}

/// `send()` gives the same future `.await` would.
fn first_page(client: &Client) -> Call<'_, UsersMetadata, ListUsersError> {
    with_cursor(client.list_users(), None).send()
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token"))
        .expect("valid base URL");
    let cursor = String::from("eyJhbGciOiJIUzI1NiJ9");

    // Built (and `Send`, as `tokio::spawn` needs) but never polled: no network.
    drop(assert_send(page_with_avatars(&client, &cursor)));
    drop(assert_send(first_page(&client)));
    drop(with_cursor(client.list_users(), Some(&cursor)));

    // The blocking client's builder takes the same setters; `send()` would send it.
    let blocking = gong_users::blocking::Client::new(
        gong_users::Client::DEFAULT_BASE_URL,
        Credentials::bearer("token"),
    )
    .expect("valid base URL");
    let call: gong_users::blocking::calls::ListUsers<'_> =
        blocking.list_users().include_avatars(false).cursor(&cursor);
    drop(call);
}
