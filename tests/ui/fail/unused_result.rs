//! Dropping the result of a call hides its errors; the compiler says so.
#![deny(unused_must_use)]

use gong_users::{Client, Credentials};

async fn fire_and_forget(client: &Client) {
    client.get_user("1").await;
}

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token")).unwrap();
    drop(fire_and_forget(&client));
}
