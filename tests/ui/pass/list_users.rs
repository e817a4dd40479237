//! Lists users page by page, with `list_users` and `list_multiple_users`.
#![deny(warnings)]

use std::collections::BTreeSet;

use gong_users::errors::{ListMultipleUsersError, ListUsersError};
use gong_users::types::{ListMultipleUsersRequest, MultipleUsersRequestWithCreationDates};
use gong_users::{Client, Credentials, Error};

/// Every user's id, following `records.cursor` until the last page.
async fn all_user_ids(client: &Client) -> Result<Vec<String>, Error<ListUsersError>> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut call = client.list_users().include_avatars(false);
        if let Some(cursor) = &cursor {
            call = call.cursor(cursor);
        }
        let page = call.await?;
        let page = page.into_body();
        ids.extend(
            page.users
                .unwrap_or_default()
                .into_iter()
                .filter_map(|u| u.id),
        );
        cursor = page.records.and_then(|records| records.cursor);
        if cursor.is_none() {
            return Ok(ids);
        }
    }
}

/// The first page only: no cursor, no avatars preference.
async fn first_page_size(client: &Client) -> Result<usize, Error<ListUsersError>> {
    let response = client.list_users().await?;
    Ok(response.users.as_ref().map_or(0, Vec::len))
}

fn request_for(ids: &[&str]) -> ListMultipleUsersRequest {
    let user_ids: BTreeSet<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    ListMultipleUsersRequest {
        cursor: None,
        filter: MultipleUsersRequestWithCreationDates {
            user_ids: Some(user_ids),
            include_avatars: Some(true),
            ..Default::default()
        },
    }
}

/// Some users by id, following the cursor in the request body.
async fn some_users(client: &Client, ids: &[&str]) -> Result<usize, Error<ListMultipleUsersError>> {
    let mut request = request_for(ids);
    let mut count = 0;
    loop {
        let page = client.list_multiple_users(&request).await?.into_body();
        count += page.users.map_or(0, |users| users.len());
        match page.records.and_then(|records| records.cursor) {
            Some(next) => request.cursor = Some(next),
            None => return Ok(count),
        }
    }
}

fn main() {
    let client = Client::new("https://us-1234.api.gong.io/", Credentials::bearer("token"))
        .expect("valid base URL");

    // Built but never polled: this program must not touch the network.
    drop(all_user_ids(&client));
    drop(first_page_size(&client));
    drop(some_users(&client, &["234599484848423"]));

    let body = serde_json::to_value(request_for(&["2", "1", "2"])).expect("serializable");
    assert_eq!(
        body,
        serde_json::json!({"filter": {"includeAvatars": true, "userIds": ["1", "2"]}})
    );
}
