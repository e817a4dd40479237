//! Optional parameters are setters on the request builder; a misspelled one is a compile
//! error naming the builder, not a silently ignored parameter.
use gong_users::{Client, Credentials};

async fn avatars(client: &Client) {
    let _page = client.list_users().include_avatar(true).await;
}

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token")).unwrap();
    drop(avatars(&client));
}
