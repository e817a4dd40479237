//! Run-time behaviour of the client generated from `tests/fixtures/operations.yaml`, over
//! real HTTP against the scriptable server of `gong-standin` on 127.0.0.1.
//!
//! `build.rs` generates that client into `OUT_DIR`; it is included at the crate root
//! below (its code refers to `crate::types::...`). The tests pin down:
//!
//! * what the GET on `/items/{itemId}` (no operationId: `get_items_item_id`) puts on the
//!   wire: an unexploded array (one `fields=a,b` pair), a deepObject filter
//!   (`filter[color]=red&filter[size]=3`), a header parameter and a cookie parameter, and
//!   nothing at all for absent optional parameters;
//! * how its responses are decoded: the `+json` 200 and the `text/plain` 202 into the
//!   success enum, the typed success headers, 304 as its unit variant, 404 and 422 into
//!   their own error variants, and an undeclared status into the `default` response's
//!   variant with the status kept;
//! * request bodies of every kind: JSON (the PUT without operationId), raw bytes in both
//!   directions, `text/plain`, `application/x-www-form-urlencoded` and
//!   `multipart/form-data`.

include!(concat!(env!("OUT_DIR"), "/fixture_operations.rs"));

use gong_standin::http::{Reply, Request, Server};
use serde_json::json;

use errors::GetItemsItemIdError;
use responses::{GetItemsItemIdHeaders, GetItemsItemIdResponse};
use types::{Filter, Item, LoginBody, LoginResponse, Problem, ValidationErrors};

/// Starts a server that answers every request with `reply`.
async fn serve(reply: Reply) -> Server {
    Server::start(move |_: &Request, _| reply.clone())
        .await
        .expect("start the stand-in server")
}

/// A client for `server`, without retries (so each call is exactly one request).
fn client(server: &Server) -> Client {
    let config = Client::default_config().with_retry(RetryPolicy::none());
    Client::with_config(&server.url(), Credentials::None, config).expect("build the client")
}

/// The one request `server` received.
fn only_request(server: &Server) -> Request {
    let mut requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:#?}");
    requests.remove(0)
}

/// Calls the GET on `/items/42` with no optional parameters.
async fn get_item(
    client: &Client,
) -> Result<Response<GetItemsItemIdResponse>, Error<GetItemsItemIdError>> {
    client.get_items_item_id("42").await
}

// ---------------------------------------------------------------------------
// GET /items/{itemId}: parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_unexploded_array_deep_object_header_and_cookie() {
    let server = serve(Reply::json(200, &json!({"id": "42"}))).await;
    let client = client(&server);
    let fields = vec!["a".to_string(), "b".to_string()];
    let filter = Filter {
        color: Some("red".to_string()),
        size: Some(3),
    };
    client
        .get_items_item_id("42")
        .fields(&fields)
        .filter(&filter)
        .x_request_id("req-1")
        .session("abc")
        .await
        .expect("get_items_item_id");

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/items/42");
    assert_eq!(
        request.query(),
        vec![
            ("fields".to_string(), "a,b".to_string()),
            ("filter[color]".to_string(), "red".to_string()),
            ("filter[size]".to_string(), "3".to_string()),
        ]
    );
    assert_eq!(request.header("x-request-id"), Some("req-1"));
    assert_eq!(request.header("cookie"), Some("session=abc"));
    // What each declared response is read as, once each, in spec order.
    assert_eq!(
        request.header("accept"),
        Some("application/vnd.item+json, text/plain, application/json")
    );
}

/// RFC 6570 / OpenAPI `form` with `explode: false`: the separating commas are literal and
/// a comma inside a value is percent-encoded, so `["x,y", "z"]` and `["x", "y", "z"]` stay
/// distinguishable.
#[tokio::test]
async fn get_unexploded_array_keeps_commas_inside_values_apart_from_separators() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client(&server);
    let joined = vec!["x,y".to_string(), "z".to_string()];
    let split = vec!["x".to_string(), "y".to_string(), "z".to_string()];
    client
        .get_items_item_id("42")
        .fields(&joined)
        .await
        .expect("get_items_item_id");
    client
        .get_items_item_id("42")
        .fields(&split)
        .await
        .expect("get_items_item_id");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/items/42?fields=x%2Cy,z");
    assert_eq!(requests[1].target, "/items/42?fields=x,y,z");
}

#[tokio::test]
async fn get_with_absent_optionals_sends_no_parameters() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client(&server);
    get_item(&client).await.expect("get_items_item_id");

    let request = only_request(&server);
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/items/42");
    assert_eq!(request.header("x-request-id"), None);
    assert_eq!(request.header("cookie"), None);
}

#[tokio::test]
async fn get_with_a_partial_filter_sends_only_its_set_fields() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client(&server);
    let filter = Filter {
        color: None,
        size: Some(10),
    };
    let fields = vec!["only".to_string()];
    client
        .get_items_item_id("42")
        .fields(&fields)
        .filter(&filter)
        .await
        .expect("get_items_item_id");

    let request = only_request(&server);
    assert_eq!(
        request.query(),
        vec![
            ("fields".to_string(), "only".to_string()),
            ("filter[size]".to_string(), "10".to_string()),
        ]
    );
}

#[tokio::test]
async fn get_encodes_the_item_id_as_one_path_segment() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client(&server);
    client
        .get_items_item_id("a b/c?d")
        .await
        .expect("get_items_item_id");

    let request = only_request(&server);
    assert_eq!(request.target, "/items/a%20b%2Fc%3Fd");
}

// ---------------------------------------------------------------------------
// GET /items/{itemId}: responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_200_vendor_json_decodes_to_the_200_variant_with_typed_headers() {
    let reply = Reply::body(
        200,
        "application/vnd.item+json",
        json!({"id": "42", "name": "widget"}).to_string(),
    )
    .with_header("X-Rate-Remaining", "7")
    .with_header("ETag", "\"v1\"");
    let server = serve(reply).await;
    let client = client(&server);

    let response = get_item(&client).await.expect("a 200");
    assert_eq!(response.status().as_u16(), 200);
    let headers = GetItemsItemIdHeaders::from_headers(response.headers());
    assert_eq!(
        headers,
        GetItemsItemIdHeaders {
            x_rate_remaining: Some(7),
            e_tag: Some("\"v1\"".to_string()),
        }
    );
    assert_eq!(
        response.into_body(),
        GetItemsItemIdResponse::Status200(Item {
            id: Some("42".to_string()),
            name: Some("widget".to_string()),
        })
    );
}

#[tokio::test]
async fn typed_headers_absent_or_unparsable_are_none() {
    let server = serve(
        Reply::body(200, "application/vnd.item+json", "{}").with_header("X-Rate-Remaining", "many"),
    )
    .await;
    let client = client(&server);

    let response = get_item(&client).await.expect("a 200");
    assert_eq!(
        GetItemsItemIdHeaders::from_headers(response.headers()),
        GetItemsItemIdHeaders::default()
    );
    assert_eq!(
        response.into_body(),
        GetItemsItemIdResponse::Status200(Item::default())
    );
}

#[tokio::test]
async fn get_202_text_decodes_to_the_text_variant() {
    let server = serve(Reply::body(202, "text/plain", "still being prepared")).await;
    let client = client(&server);

    let response = get_item(&client).await.expect("a 202");
    assert_eq!(response.status().as_u16(), 202);
    assert_eq!(
        response.into_body(),
        GetItemsItemIdResponse::Status202("still being prepared".to_string())
    );
}

#[tokio::test]
async fn get_304_gives_the_not_modified_unit_variant() {
    let server = serve(Reply::Response {
        status: 304,
        headers: vec![("ETag".to_string(), "\"v1\"".to_string())],
        body: Vec::new(),
    })
    .await;
    let client = client(&server);

    match get_item(&client).await {
        Err(Error::Api {
            status,
            error,
            attempts,
            ..
        }) => {
            assert_eq!(status.as_u16(), 304);
            assert_eq!(error, GetItemsItemIdError::NotModified);
            assert_eq!(attempts, 1);
        }
        other => panic!("expected Error::Api with NotModified, got {other:?}"),
    }
}

#[tokio::test]
async fn get_404_gives_not_found_with_the_problem_body() {
    let server = serve(Reply::json(
        404,
        &json!({"title": "no such item", "status": 404}),
    ))
    .await;
    let client = client(&server);

    let error = get_item(&client).await.expect_err("a 404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    match error {
        Error::Api { status, error, .. } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(
                error,
                GetItemsItemIdError::NotFound {
                    body: Problem {
                        title: Some("no such item".to_string()),
                        status: Some(404),
                    },
                }
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn get_422_gives_its_own_variant() {
    let server = serve(Reply::json(
        422,
        &json!({"errors": ["name is empty", "id is taken"]}),
    ))
    .await;
    let client = client(&server);

    match get_item(&client).await {
        Err(Error::Api { status, error, .. }) => {
            assert_eq!(status.as_u16(), 422);
            assert_eq!(
                error,
                GetItemsItemIdError::UnprocessableEntity {
                    body: ValidationErrors {
                        errors: Some(vec!["name is empty".to_string(), "id is taken".to_string()]),
                    },
                }
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn get_undeclared_418_goes_to_the_default_variant_with_its_status() {
    let server = serve(Reply::json(
        418,
        &json!({"title": "I'm a teapot", "status": 418}),
    ))
    .await;
    let client = client(&server);

    match get_item(&client).await {
        Err(Error::Api { status, error, .. }) => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(
                error,
                GetItemsItemIdError::Other {
                    body: Problem {
                        title: Some("I'm a teapot".to_string()),
                        status: Some(418),
                    },
                }
            );
        }
        other => panic!("expected Error::Api with Other, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn put_sends_the_item_as_json() {
    let server = serve(Reply::Response {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await;
    let client = client(&server);
    let item = Item {
        id: Some("42".to_string()),
        name: None,
    };

    let response = client
        .put_items_item_id("42", &item)
        .await
        .expect("put_items_item_id");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(*response.body(), ());

    let request = only_request(&server);
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/items/42");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    assert_eq!(sent, json!({"id": "42"}));
}

#[tokio::test]
async fn upload_raw_sends_and_decodes_bytes_exactly() {
    // Not UTF-8: any text conversion on either side would change these bytes.
    let bytes: Vec<u8> = vec![0xff, 0x00, 0xfe, 0x80, 0xc3, 0x28, b'\r', b'\n', 0x7f, 0xc0];
    assert!(std::str::from_utf8(&bytes).is_err());
    let server = Server::start(|request: &Request, _| {
        let mut echoed = request.body.clone();
        echoed.reverse();
        Reply::body(200, "application/octet-stream", echoed)
    })
    .await
    .expect("start the stand-in server");
    let client = client(&server);

    let response = client
        .upload_raw("42", bytes.clone())
        .await
        .expect("upload_raw");
    let mut expected = bytes.clone();
    expected.reverse();
    // A binary download is a byte stream; read it whole here.
    let received = response.into_body().bytes().await.expect("read the body");
    assert_eq!(received.to_vec(), expected);

    let request = only_request(&server);
    assert_eq!(request.method, "PUT");
    assert_eq!(request.target, "/items/42/raw");
    assert_eq!(
        request.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(request.header("accept"), Some("application/octet-stream"));
    assert_eq!(request.body, bytes);
}

#[tokio::test]
async fn add_note_sends_text_plain() {
    let server = serve(Reply::Response {
        status: 201,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await;
    let client = client(&server);
    let note = "line one\nligne deux: caf\u{e9} & \"quotes\"";

    client.add_note(note).await.expect("add_note");

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/notes");
    assert_eq!(request.header("content-type"), Some("text/plain"));
    // No response declares content: the HTTP client's own `*/*`.
    assert_eq!(request.header("accept"), Some("*/*"));
    assert_eq!(request.body, note.as_bytes());
}

/// The `&`-separated pairs of a form body, sorted (field order carries no meaning).
fn sorted_pairs(body: &[u8]) -> Vec<String> {
    let text = std::str::from_utf8(body).expect("a form body is ASCII");
    let mut pairs: Vec<String> = text.split('&').map(str::to_string).collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn login_sends_a_form_body_with_exact_encoding() {
    let server = serve(Reply::json(200, &json!({"token": "t0k"}))).await;
    let client = client(&server);
    let body = LoginBody {
        user: "a b&c=d+\u{e9}".to_string(),
        remember: Some(true),
    };

    let response = client.login(&body).await.expect("login");
    assert_eq!(
        response.into_body(),
        LoginResponse {
            token: Some("t0k".to_string()),
        }
    );

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/login");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // XML is declared first, but the client reads the JSON alternative.
    assert_eq!(request.header("accept"), Some("application/json"));
    // Space as `+`; `&`, `=`, `+` and non-ASCII percent-encoded.
    assert_eq!(
        sorted_pairs(&request.body),
        vec!["remember=true", "user=a+b%26c%3Dd%2B%C3%A9"]
    );
}

#[tokio::test]
async fn login_without_the_optional_field_sends_only_the_user() {
    let server = serve(Reply::json(200, &json!({}))).await;
    let client = client(&server);
    let body = LoginBody {
        user: "a b".to_string(),
        remember: None,
    };

    let response = client.login(&body).await.expect("login");
    assert_eq!(response.into_body(), LoginResponse::default());

    let request = only_request(&server);
    assert_eq!(request.body, b"user=a+b");
}

#[tokio::test]
async fn upload_sends_multipart_form_data() {
    let server = serve(Reply::Response {
        status: 201,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await;
    let client = client(&server);
    let file: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x00, 0xff, b'\r', b'\n', 0x1a];
    let body = runtime::Multipart::new().text("note", "hello world").file(
        "file",
        "pic.png",
        "image/png",
        file.clone(),
    );

    let response = client.upload(&body).await.expect("upload");
    assert_eq!(response.status().as_u16(), 201);

    let request = only_request(&server);
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/upload");
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart with a boundary: {content_type}"));
    assert!(!boundary.is_empty());

    let mut expected = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"note\"\r\n\
         \r\n\
         hello world\r\n\
         --{boundary}\r\n\
         Content-Disposition: form-data; name=\"file\"; filename=\"pic.png\"\r\n\
         Content-Type: image/png\r\n\
         \r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&file);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(
        request.body,
        expected,
        "got:\n{}",
        String::from_utf8_lossy(&request.body)
    );
}

// ---------------------------------------------------------------------------
// GET /search: query encoding
// ---------------------------------------------------------------------------

/// RFC 3986 / RFC 6570 form expansion: a space in a name or a value is `%20` (not the
/// `+` of form bodies), reserved characters are percent-encoded, the unreserved `-._~`
/// are not, and the separating comma of an unexploded array stays literal.
#[tokio::test]
async fn search_percent_encodes_query_names_and_values_with_pct_20() {
    let server = serve(Reply::Response {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await;
    let client = client(&server);
    let tags = vec!["a b".to_string(), "c+d&e".to_string()];
    client
        .search()
        .string_with_num("1 2/3?~x")
        .tags(&tags)
        .await
        .expect("search");

    let request = only_request(&server);
    assert_eq!(
        request.target,
        "/search?string%20with%20num=1%202%2F3%3F~x&tags=a%20b,c%2Bd%26e"
    );
}

/// `allowReserved: true`: the reserved characters of the value are sent as they are
/// (except `#`, which a URL cannot hold outside its fragment, and `'`, which the URL
/// standard escapes in the query of an `http` URL); a space still is `%20`.
#[tokio::test]
async fn search_with_allow_reserved_keeps_reserved_characters() {
    let server = serve(Reply::Response {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    })
    .await;
    let client = client(&server);
    client
        .search()
        .redirect("/a b/c?d=e&f[0]:g@h!$'()*+,;")
        .await
        .expect("search");

    let request = only_request(&server);
    assert_eq!(
        request.target,
        "/search?redirect=/a%20b/c?d=e&f[0]:g@h!$%27()*+,;"
    );
}
