//! The blocking client (`gong_users::blocking`, cargo feature `blocking`) used from plain
//! threads, with no async runtime of the caller's: same methods, same errors, paging.

use std::sync::mpsc;

use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use gong_users::blocking::Client;
use gong_users::errors::GetUserError;
use gong_users::{Credentials, Error};

/// Starts the stand-in on a thread with its own runtime; returns its URL. The thread (and
/// the server) live until the test process ends.
fn stand_in() -> String {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let stand_in = StandIn::start(Config::default())
                .await
                .expect("stand-in starts");
            sender.send(stand_in.url()).expect("send url");
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().expect("stand-in url")
}

fn client(url: &str) -> Client {
    Client::new(
        url,
        Credentials::basic(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET),
    )
    .expect("client")
}

#[test]
fn blocking_get_user_returns_the_typed_body() {
    let url = stand_in();
    let response = client(&url)
        .get_user("234599484848400")
        .send()
        .expect("user");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.body().user.as_ref().and_then(|u| u.id.as_deref()),
        Some("234599484848400")
    );
}

#[test]
fn blocking_errors_are_the_same_typed_errors() {
    let url = stand_in();
    match client(&url).get_user("no-such-user").send() {
        Err(Error::Api {
            status,
            error: GetUserError::NotFound { body },
            ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert!(body.request_id.is_some_and(|id| !id.is_empty()));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let wrong = Client::new(&url, Credentials::basic("wrong", "wrong")).expect("client");
    assert!(matches!(
        wrong.get_user("234599484848400").send(),
        Err(Error::Api {
            error: GetUserError::Unauthorized { .. },
            ..
        })
    ));
}

#[test]
fn blocking_paging_collects_every_user() {
    let url = stand_in();
    let users = client(&url).list_users_all().expect("all users");
    assert_eq!(users.len(), 250);
    let mut ids: Vec<&str> = users.iter().filter_map(|u| u.id.as_deref()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 250, "no duplicates");
}

#[test]
fn blocking_builder_pages_with_its_optional_values_set() {
    let url = stand_in();
    let client = client(&url);
    let with_avatars = client
        .list_users()
        .include_avatars(true)
        .all()
        .expect("all users with avatars");
    let without = client.list_users().all().expect("all users");
    assert_eq!(without.len(), 250);
    assert!(
        with_avatars.len() > without.len(),
        "the stand-in adds its avatar users only when asked: {} vs {}",
        with_avatars.len(),
        without.len()
    );
}

#[test]
fn blocking_client_clones_work_from_several_threads() {
    let url = stand_in();
    let shared = client(&url);
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let c = shared.clone();
            std::thread::spawn(move || match c.get_user_history("234599484848401").send() {
                Ok(response) => response.status().as_u16(),
                Err(error) => panic!("history: {error}"),
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("thread"), 200);
    }
}
