//! Pages through users with the generated `*_all` and `*_stream` helpers.
#![deny(warnings)]

use std::collections::BTreeSet;
use std::future::Future;

use futures_core::Stream;
use gong_users::errors::{ListMultipleUsersError, ListUsersError};
use gong_users::runtime::Pages;
use gong_users::types::{
    ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates, UserMetadata,
};
use gong_users::{Client, Credentials, Error};

/// Compiles only when `stream` yields users or `list_users` errors.
fn assert_list_users_stream<S>(stream: &S)
where
    S: Stream<Item = Result<UserMetadata, Error<ListUsersError>>> + Unpin,
{
    let _ = stream.size_hint();
}

/// Compiles only when `stream` yields users or `list_multiple_users` errors.
fn assert_list_multiple_users_stream<S>(stream: &S)
where
    S: Stream<Item = Result<UserMetadata, Error<ListMultipleUsersError>>>,
{
    let _ = stream.size_hint();
}

/// Compiles only when `value` may move to another thread (a spawned task).
fn assert_send<T: Send>(value: T) -> T {
    value
}

/// Compiles only when `future` resolves to every user, or a `list_users` error.
fn all_users<F>(future: F) -> F
where
    F: Future<Output = Result<Vec<UserMetadata>, Error<ListUsersError>>> + Send,
{
    future
}

/// The ids of every user, from the stream, consumed without futures-util.
async fn stream_ids(client: &Client) -> Result<Vec<String>, Error<ListUsersError>> {
    let mut pages: Pages<'_, UserMetadata, ListUsersError> = client.list_users_stream();
    let mut ids = Vec::new();
    while let Some(user) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut pages).poll_next(cx)).await
    {
        ids.extend(user?.id);
    }
    Ok(ids)
}

/// Users created in a window, across all pages; the body is only borrowed.
async fn recent_users(
    client: &Client,
    body: &ListMultipleUsersRequest,
) -> Result<Vec<UserMetadata>, Error<ListMultipleUsersError>> {
    client.list_multiple_users_all(body).await
}

fn main() {
    let client = Client::new(
        "https://us-1234.api.gong.io",
        Credentials::basic("key", "secret"),
    )
    .expect("valid base URL");

    // Futures and streams are built but never polled: nothing touches the network.
    let every_user = all_users(client.list_users_all());
    drop(every_user);

    let stream = assert_send(client.list_users_stream());
    assert_list_users_stream(&stream);
    drop(stream);

    // The builder's optional values are still settable before paging.
    let stream = assert_send(client.list_users().include_avatars(true).stream());
    assert_list_users_stream(&stream);
    drop(stream);
    drop(assert_send(client.list_users().include_avatars(true).all()));

    drop(assert_send(stream_ids(&client)));

    let body = ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates {
            user_ids: Some(BTreeSet::from(["234599484848423".to_owned()])),
            ..Default::default()
        },
    };
    let stream = assert_send(client.list_multiple_users_stream(&body));
    assert_list_multiple_users_stream(&stream);
    drop(stream);
    drop(assert_send(recent_users(&client, &body)));

    // The body was only borrowed: it is still ours, without a cursor.
    assert_eq!(body.cursor, None);
    let json = serde_json::to_value(&body).expect("serializable");
    assert_eq!(
        json,
        serde_json::json!({"filter": {"userIds": ["234599484848423"]}})
    );
}
