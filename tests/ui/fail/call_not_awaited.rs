//! An operation method returns a request builder that sends nothing until it is awaited;
//! forgetting `.await` is caught by the compiler.
#![deny(unused_must_use)]

use gong_users::{Client, Credentials};

fn main() {
    let client = Client::new(Client::DEFAULT_BASE_URL, Credentials::bearer("token")).unwrap();
    client.get_user("1");
}
