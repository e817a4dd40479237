//! The generated client against a server on 127.0.0.1: the renamed method, the type the
//! overlay fixed, the extra derives, and the operation the settings left out.

use std::collections::HashSet;

use gong_standin::http::{Reply, Server};

#[tokio::test]
async fn the_client_from_a_split_spec_with_overlay_and_settings_calls_the_server() {
    let server = Server::start(|request, _| {
        assert_eq!(request.path(), "/pets/7");
        Reply::json(200, &serde_json::json!({"name": "Rex", "age": 3}))
    })
    .await
    .expect("server starts");
    let client = downstream::Client::new(&server.url(), downstream::Credentials::None)
        .expect("client builds");
    // `getPet` renamed to `pet` by apigen.toml.
    let pet = client.pet("7").await.expect("the call succeeds").into_body();
    assert_eq!(pet.name, "Rex");
    // The overlay turned the vendor's string age into an integer.
    assert_eq!(pet.age, Some(3_i64));
    // `Eq` and `Hash` were added to the models by apigen.toml.
    let set: HashSet<downstream::types::Pet> = [pet.clone(), pet].into_iter().collect();
    assert_eq!(set.len(), 1);
    assert_eq!(server.requests().len(), 1);
}
