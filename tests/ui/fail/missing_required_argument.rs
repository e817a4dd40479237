//! Required parameters stay arguments of the operation method: leaving one out does not
//! compile.
use gong_users::{Client, Credentials};

async fn fetch(client: &Client) {
    let _user = client.get_user().await;
}

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token")).unwrap();
    drop(fetch(&client));
}
