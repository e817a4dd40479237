//! A user id is a string, even though Gong's ids are numeric.
use gong_users::{Client, Credentials};

async fn fetch(client: &Client) {
    let _user = client.get_user(42).await;
}

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token")).unwrap();
    drop(fetch(&client));
}
