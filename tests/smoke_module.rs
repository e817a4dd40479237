//! The generated `smoke` module over real HTTP: the client of
//! `tests/fixtures/smoke/smoke.yaml`, generated with `smoke-tests` on (by `build.rs`), runs
//! `smoke::run` against stand-in servers on 127.0.0.1, and each operation's outcome is
//! checked: decoded (a JSON body, an event stream read to its end), a declared error, an
//! undeclared status, a body or event that does not match, no server at all, and the
//! operations skipped when generating (a value that cannot be built) or
//! when running (no example fits the Rust type, the example makes no valid request).
//! The requests must carry the example values, each from the source the spec offers first.

include!(concat!(env!("OUT_DIR"), "/fixture_smoke.rs"));

use gong_standin::http::{Reply, Request, Server};
use serde_json::{json, Value};
use smoke::{Kind, Outcome};

/// A client for `url`, without retries or credentials.
fn client(url: &str) -> Client {
    let config = Client::default_config().with_retry(RetryPolicy::none());
    Client::with_config(url, Credentials::None, config).expect("build the client")
}

/// The outcome of the operation `id`.
fn outcome<'a>(outcomes: &'a [Outcome], id: &str) -> &'a Kind {
    let found = outcomes.iter().find(|o| o.operation == id);
    &found
        .unwrap_or_else(|| panic!("no outcome for {id}: {outcomes:#?}"))
        .kind
}

/// The reason an operation was skipped (fails the test when it was not).
fn skip_reason<'a>(outcomes: &'a [Outcome], id: &str) -> &'a str {
    match outcome(outcomes, id) {
        Kind::Skipped { reason } => reason,
        other => panic!("{id} was not skipped: {other}"),
    }
}

/// Answers each operation differently (see the module docs).
fn route(request: &Request, _: usize) -> Reply {
    match (request.method.as_str(), request.path()) {
        ("GET", "/things/th-1") => Reply::json(200, &json!({"id": "th-1", "size": 2})),
        ("POST", "/things") => Reply::json(409, &json!({"message": "exists"})),
        ("POST", "/widgets") => Reply::body(500, "text/plain", "boom"),
        ("PUT", "/files/example") => Reply::body(204, "text/plain", ""),
        ("GET", "/events") => Reply::body(
            200,
            "text/event-stream",
            "data: {\"id\":\"e1\",\"size\":1}\n\ndata: {\"id\":\"e2\",\"size\":\"big\"}\n\n",
        ),
        _ => Reply::body(418, "text/plain", "not routed"),
    }
}

fn sent<'a>(requests: &'a [Request], method: &str, path: &str) -> &'a Request {
    let found = requests
        .iter()
        .find(|r| r.method == method && r.path() == path);
    found.unwrap_or_else(|| panic!("no {method} {path} among {requests:#?}"))
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON request body")
}

#[tokio::test]
async fn every_operation_is_called_with_its_examples_and_classified() {
    let server = Server::start(route).await.expect("start the server");
    let outcomes = smoke::run(&client(&server.url())).await;

    // Every operation, in spec order, with its method and path template.
    let listed: Vec<(&str, &str, &str)> = outcomes
        .iter()
        .map(|o| (o.operation, o.method, o.path))
        .collect();
    assert_eq!(listed, smoke::operations());
    let ids: Vec<&str> = listed.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(
        ids,
        [
            "getThing",
            "createThing",
            "createWidget",
            "countThings",
            "getFile",
            "uploadFile",
            "listEvents",
            "createChain"
        ]
    );
    assert_eq!(listed[0], ("getThing", "GET", "/things/{thingId}"));

    assert_eq!(
        outcome(&outcomes, "getThing"),
        &Kind::Decoded { status: 200 }
    );
    assert_eq!(
        outcome(&outcomes, "createThing"),
        &Kind::DeclaredError { status: 409 }
    );
    assert_eq!(
        outcome(&outcomes, "createWidget"),
        &Kind::UndeclaredStatus {
            status: 500,
            body: "boom".into()
        }
    );
    match outcome(&outcomes, "listEvents") {
        Kind::DecodeFailure { status, message } => {
            assert_eq!(*status, 200);
            assert!(message.contains("size"), "{message}");
        }
        other => panic!("listEvents: {other}"),
    }
    let count = skip_reason(&outcomes, "countThings");
    assert!(
        count.contains("the query parameter `count`") && count.contains("fits its type"),
        "{count}"
    );
    let file = skip_reason(&outcomes, "getFile");
    assert!(file.contains("no valid request"), "{file}");
    assert_eq!(
        outcome(&outcomes, "uploadFile"),
        &Kind::Decoded { status: 204 }
    );
    let chain = skip_reason(&outcomes, "createChain");
    assert!(chain.contains("Chain contains itself"), "{chain}");

    // What was sent: only the operations that were called, with their example values.
    let requests = server.requests();
    // The multipart body: a part per required field, the binary one a file part.
    let upload = sent(&requests, "PUT", "/files/example");
    let content_type = upload.header("content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&upload.body);
    assert!(
        body.contains("name=\"file\"; filename=\"example.bin\"")
            && body.contains("name=\"note\"\r\n\r\nexample\r\n"),
        "{body}"
    );
    assert_eq!(requests.len(), 5, "{requests:#?}");
    let get = sent(&requests, "GET", "/things/th-1");
    let query: Vec<(String, String)> = get.query();
    let expected = [
        ("limit", "5"),                    // the parameter's first example
        ("since", "2024-01-02T03:04:05Z"), // the format's value
        ("sort", "asc"),                   // the first enum value
        ("page_size", "20"),               // the default
        ("q", "examplexxx"),               // minimal, at minLength
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(query, expected, "verbose has no example, so it is not sent");
    assert_eq!(
        get.header("x-trace"),
        Some("trace-7"),
        "the schema's example"
    );
    assert_eq!(
        json_body(sent(&requests, "POST", "/things")),
        json!({"id": "th-9", "size": 3}),
        "the media type's example"
    );
    assert_eq!(
        json_body(sent(&requests, "POST", "/widgets")),
        json!({
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "tags": ["exa", "exa"],
            "weight": 8,
            "shape": {"kind": "round", "radius": 1.0},
            "meta": {"name": "exam", "rank": 3.0},
            "created": "2024-01-02"
        }),
        "a minimal value built from the schema"
    );
    sent(&requests, "GET", "/events");
}

#[tokio::test]
async fn bodies_that_do_not_match_and_missing_servers_are_told_apart() {
    // Every call answered with a body whose `id` is a number.
    let server = Server::start(|_: &Request, _| Reply::json(200, &json!({"id": 5, "size": 1})))
        .await
        .expect("start the server");
    let outcomes = smoke::run(&client(&server.url())).await;
    match outcome(&outcomes, "getThing") {
        Kind::DecodeFailure { status, message } => {
            assert_eq!(*status, 200);
            assert!(message.contains("`id`"), "the field path: {message}");
        }
        other => panic!("getThing: {other}"),
    }
    // A 200 where the operation declares only 204: not declared.
    assert!(matches!(
        outcome(&outcomes, "createWidget"),
        Kind::UndeclaredStatus { status: 200, .. }
    ));

    // Nothing listens on the port of a server that has stopped.
    let url = server.url();
    drop(server);
    let outcomes = smoke::run(&client(&url)).await;
    for id in [
        "getThing",
        "createThing",
        "createWidget",
        "uploadFile",
        "listEvents",
    ] {
        assert!(
            matches!(outcome(&outcomes, id), Kind::Transport { .. }),
            "{id}: {}",
            outcome(&outcomes, id)
        );
    }
    assert!(matches!(
        outcome(&outcomes, "createChain"),
        Kind::Skipped { .. }
    ));
    let shown = outcomes[0].to_string();
    assert!(
        shown.starts_with("getThing (GET /things/{thingId}): transport: "),
        "{shown}"
    );
}
