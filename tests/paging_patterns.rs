//! Paging found in a spec, end to end: the client generated from
//! `tests/fixtures/paging.yaml` (one operation per pattern, none marked `x-pagination`
//! except `listRows`) against scripted servers on 127.0.0.1 (`gong-standin`'s HTTP
//! server). The `Link` pattern is in `tests/paging_links.rs`. The tests pin down, for each
//! pattern:
//!
//! * the items, in order, across pages, and the requests sent: the paging parameter per
//!   page, every other argument unchanged (cursor in the query and in the JSON body;
//!   `has_more` with the last id as `starting_after`; `startAt` with `maxResults` and a
//!   total; `page` with `per_page`; the `Link` header's next URL; offset paging stated by
//!   `x-pagination` under other names);
//! * laziness: a page is fetched only when its items are wanted;
//! * the errors that end a stream instead of a loop: a repeated cursor, a repeated `Link`
//!   URL, a server that never ends (the page limit), a `Link` to another host (refused,
//!   nothing sent there), and `has_more` on an empty page.

include!(concat!(env!("OUT_DIR"), "/fixture_paging.rs"));

use gong_standin::http::{Reply, Request, Server};
use serde_json::{json, Value};

use runtime::{PageKey, PagingError};
use types::SearchThingsBody;

mod support {
    pub mod paging_patterns;
}
use support::paging_patterns::{
    client, client_with, drain, expected, ids, next_item, paging_error, query, serve, things,
};

/// Query parameter `name` of each request.
fn per_request(server: &Server, name: &str) -> Vec<Option<String>> {
    server.requests().iter().map(|r| query(r, name)).collect()
}

// ---------------------------------------------------------------------------
// Cursor in the query (GET /things)
// ---------------------------------------------------------------------------

/// Three pages of things: a0..a2, a3..a5, a6; cursors c1 and c2, then none (null).
fn cursor_pages(request: &Request, _: usize) -> Reply {
    let (items, next) = match query(request, "cursor").as_deref() {
        None => (things("a", 0..3), json!("c1")),
        Some("c1") => (things("a", 3..6), json!("c2")),
        Some("c2") => (things("a", 6..7), Value::Null),
        Some(other) => return Reply::json(400, &json!({"unknown cursor": other})),
    };
    Reply::json(200, &json!({"things": items, "next_cursor": next}))
}

#[tokio::test]
async fn cursor_in_the_query_follows_next_cursor_and_keeps_other_arguments() {
    let server = serve(cursor_pages).await;
    let client = client(&server);
    let all = client
        .list_things()
        .kind("red")
        .all()
        .await
        .expect("every thing");
    assert_eq!(ids(&all), expected("a", 7));
    assert_eq!(
        per_request(&server, "cursor"),
        [None, Some("c1".into()), Some("c2".into())]
    );
    assert_eq!(
        per_request(&server, "kind"),
        vec![Some("red".to_string()); 3]
    );
}

#[tokio::test]
async fn a_cursor_set_on_the_builder_is_where_the_first_page_starts() {
    let server = serve(cursor_pages).await;
    let client = client(&server);
    let rest = client
        .list_things()
        .cursor("c1")
        .all()
        .await
        .expect("the things from c1 on");
    assert_eq!(ids(&rest), ["a3", "a4", "a5", "a6"]);
    assert_eq!(
        per_request(&server, "cursor"),
        [Some("c1".into()), Some("c2".into())]
    );
}

#[tokio::test]
async fn cursor_stream_fetches_pages_lazily() {
    let server = serve(cursor_pages).await;
    let client = client(&server);
    let mut stream = client.list_things_stream();
    assert!(
        server.requests().is_empty(),
        "building the stream sends nothing"
    );
    for _ in 0..3 {
        next_item(&mut stream)
            .await
            .expect("an item")
            .expect("a thing");
    }
    assert_eq!(server.requests().len(), 1, "page 2 is not fetched yet");
    let fourth = next_item(&mut stream)
        .await
        .expect("an item")
        .expect("a thing");
    assert_eq!(fourth.id, "a3");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn repeated_cursor_ends_the_stream_with_an_error_after_the_items() {
    // Every page hands out the same cursor: following it would loop forever.
    let server = serve(|request: &Request, _| {
        let items = match query(request, "cursor") {
            None => things("a", 0..2),
            Some(_) => things("a", 2..4),
        };
        Reply::json(200, &json!({"things": items, "next_cursor": "same"}))
    })
    .await;
    let client = client(&server);
    let (items, error) = drain(client.list_things_stream()).await;
    assert_eq!(
        ids(&items),
        expected("a", 4),
        "the items received come first"
    );
    let (kind, pages) = paging_error(error.expect("an error, not the end"));
    assert_eq!(kind, PagingError::Repeated(PageKey::Cursor("same".into())));
    assert_eq!(pages, 2);
    assert_eq!(
        server.requests().len(),
        2,
        "the repeated cursor is not sent again"
    );
    let message = client
        .list_things_all()
        .await
        .expect_err("an error")
        .to_string();
    assert_eq!(
        message,
        "paging stopped after 2 pages: the server sent the cursor \"same\" a second time"
    );
}

// ---------------------------------------------------------------------------
// Cursor in the body, next cursor in response_metadata (POST /things/search)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn cursor_in_the_body_keeps_the_rest_of_the_body() {
    let server = serve(|request: &Request, _| {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let (items, meta) = match body.get("cursor").and_then(Value::as_str) {
            None => (things("s", 0..2), json!({"next_cursor": "n1"})),
            Some("n1") => (things("s", 2..4), json!({"next_cursor": ""})),
            Some(other) => return Reply::json(400, &json!({"unknown cursor": other})),
        };
        Reply::json(
            200,
            &json!({"ok": true, "matches": items, "response_metadata": meta}),
        )
    })
    .await;
    let client = client(&server);
    let body = SearchThingsBody {
        query: "blue".into(),
        cursor: None,
    };
    let all = client.search_things_all(&body).await.expect("every match");
    assert_eq!(
        ids(&all),
        expected("s", 4),
        "an empty next cursor ends paging"
    );
    let bodies: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect();
    assert_eq!(
        bodies,
        [
            json!({"query": "blue"}),
            json!({"query": "blue", "cursor": "n1"})
        ]
    );
}

// ---------------------------------------------------------------------------
// has_more + starting_after (GET /charges)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn has_more_sends_the_last_id_as_starting_after() {
    let server = serve(|request: &Request, _| {
        let (items, more) = match query(request, "starting_after").as_deref() {
            None => (things("ch", 0..2), true),
            Some("ch1") => (things("ch", 2..4), true),
            Some("ch3") => (things("ch", 4..5), false),
            Some(other) => return Reply::json(400, &json!({"unknown": other})),
        };
        Reply::json(
            200,
            &json!({"object": "list", "data": items, "has_more": more, "url": "/charges"}),
        )
    })
    .await;
    let client = client(&server);
    let all = client
        .list_charges()
        .limit(2)
        .all()
        .await
        .expect("every charge");
    assert_eq!(ids(&all), expected("ch", 5));
    assert_eq!(
        per_request(&server, "starting_after"),
        [None, Some("ch1".into()), Some("ch3".into())]
    );
    assert_eq!(
        per_request(&server, "limit"),
        vec![Some("2".to_string()); 3]
    );
}

#[tokio::test]
async fn has_more_on_an_empty_page_is_an_error() {
    let server = serve(|request: &Request, _| {
        let items = match query(request, "starting_after") {
            None => things("ch", 0..2),
            Some(_) => Vec::new(),
        };
        Reply::json(
            200,
            &json!({"object": "list", "data": items, "has_more": true, "url": "/charges"}),
        )
    })
    .await;
    let client = client(&server);
    let (items, error) = drain(client.list_charges_stream()).await;
    assert_eq!(ids(&items), expected("ch", 2));
    let (kind, pages) = paging_error(error.expect("an error"));
    assert_eq!((kind, pages), (PagingError::EmptyPageWithMore, 2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn has_more_reads_the_id_of_union_items_from_their_json() {
    let server = serve(|request: &Request, _| {
        let (data, more) = match query(request, "starting_after").as_deref() {
            None => (
                json!([{"id": "card_1", "brand": "visa"}, {"id": "ba_2", "routing": "110"}]),
                true,
            ),
            Some("ba_2") => (json!([{"id": "card_3", "brand": "amex"}]), false),
            Some(other) => return Reply::json(400, &json!({"unknown": other})),
        };
        Reply::json(200, &json!({"data": data, "has_more": more}))
    })
    .await;
    let client = client(&server);
    let all = client.list_sources_all().await.expect("every source");
    assert_eq!(all.len(), 3);
    assert_eq!(
        per_request(&server, "starting_after"),
        [None, Some("ba_2".into())],
        "the last item of page 1 is a bank account: its id continues"
    );
}

// ---------------------------------------------------------------------------
// startAt + maxResults + total (GET /issues)
// ---------------------------------------------------------------------------

/// 5 issues in pages of at most 2 (whatever `maxResults` says), with the total.
fn issue_pages(request: &Request, _: usize) -> Reply {
    let start: usize = query(request, "startAt").map_or(0, |s| s.parse().unwrap_or(99));
    let end = (start + 2).min(5);
    Reply::json(
        200,
        &json!({"startAt": start, "maxResults": 2, "total": 5, "issues": things("i", start..end)}),
    )
}

#[tokio::test]
async fn offset_advances_by_the_items_received_and_stops_at_the_total() {
    let server = serve(issue_pages).await;
    let client = client(&server);
    let all = client
        .search_issues()
        .jql("project = X")
        .all()
        .await
        .expect("every issue");
    assert_eq!(ids(&all), expected("i", 5));
    assert_eq!(
        per_request(&server, "startAt"),
        [None, Some("2".into()), Some("4".into())],
        "the total (5) ends paging after offset 4, without an empty page"
    );
    assert_eq!(
        per_request(&server, "jql"),
        vec![Some("project = X".to_string()); 3]
    );
}

#[tokio::test]
async fn offset_stops_on_a_page_shorter_than_the_page_size() {
    // No total in the body: a short page ends paging when maxResults is known.
    let server = serve(|request: &Request, _| {
        let start: usize = query(request, "startAt").map_or(0, |s| s.parse().unwrap_or(99));
        let end = (start + 3).min(7);
        Reply::json(200, &json!({"issues": things("i", start..end)}))
    })
    .await;
    let client = client(&server);
    let all = client
        .search_issues()
        .max_results(3)
        .all()
        .await
        .expect("every issue");
    assert_eq!(ids(&all), expected("i", 7));
    assert_eq!(
        per_request(&server, "startAt"),
        [None, Some("3".into()), Some("6".into())]
    );
    assert_eq!(
        per_request(&server, "maxResults"),
        vec![Some("3".to_string()); 3]
    );
}

#[tokio::test]
async fn offset_stated_by_x_pagination_under_other_names() {
    let server = serve(|request: &Request, _| {
        let from: usize = query(request, "from").map_or(0, |s| s.parse().unwrap_or(99));
        let end = (from + 2).min(3);
        Reply::json(
            200,
            &json!({"size": 3, "rows": things("r", from..end), "columns": ["id", "n"]}),
        )
    })
    .await;
    let client = client(&server);
    let all = client.list_rows().count(2).all().await.expect("every row");
    assert_eq!(ids(&all), expected("r", 3));
    assert_eq!(per_request(&server, "from"), [None, Some("2".into())]);
}

// ---------------------------------------------------------------------------
// page + per_page (GET /numbers)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn page_number_advances_by_one_and_stops_on_a_short_or_empty_page() {
    // 5 things in pages of 2.
    let pages = |request: &Request, _: usize| {
        let page: usize = query(request, "page").map_or(1, |s| s.parse().unwrap_or(99));
        let start = (page - 1) * 2;
        Reply::json(200, &json!(things("p", start.min(5)..(start + 2).min(5))))
    };
    let server = serve(pages).await;
    let sized_client = client(&server);
    let all = sized_client
        .list_numbers()
        .per_page(2)
        .all()
        .await
        .expect("every thing");
    assert_eq!(ids(&all), expected("p", 5));
    assert_eq!(
        per_request(&server, "page"),
        [None, Some("2".into()), Some("3".into())],
        "the short third page ends paging"
    );

    // Without a page size, only an empty page ends paging.
    let unsized_server = serve(pages).await;
    let unsized_client = client(&unsized_server);
    let all = unsized_client
        .list_numbers_all()
        .await
        .expect("every thing");
    assert_eq!(ids(&all), expected("p", 5));
    assert_eq!(
        unsized_server.requests().len(),
        4,
        "pages 1-3, then the empty page 4"
    );
}

#[tokio::test]
async fn a_page_set_on_the_builder_is_the_first_page_and_paging_goes_on_from_it() {
    // 5 things in pages of 2: starting at page 2 gives p2..p4 over pages 2 and 3.
    let server = serve(|request: &Request, _| {
        let page: usize = query(request, "page").map_or(1, |s| s.parse().unwrap_or(99));
        let start = (page - 1) * 2;
        Reply::json(200, &json!(things("p", start.min(5)..(start + 2).min(5))))
    })
    .await;
    let client = client(&server);
    let rest = client
        .list_numbers()
        .per_page(2)
        .page(2)
        .all()
        .await
        .expect("pages 2 on");
    assert_eq!(ids(&rest), ["p2", "p3", "p4"]);
    assert_eq!(
        per_request(&server, "page"),
        [Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn parameters_named_like_the_paging_locals_are_sent_as_given() {
    let server = serve(|request: &Request, _| {
        let page: usize = query(request, "page").map_or(1, |s| s.parse().unwrap_or(99));
        Reply::json(200, &json!(things("k", (page - 1) * 2..(page * 2).min(3))))
    })
    .await;
    let client = client(&server);
    let all = client
        .list_collisions()
        .key("k1")
        .call("c1")
        .page_size("s1")
        .items("i1")
        .per_page(2)
        .all()
        .await
        .expect("every thing");
    assert_eq!(ids(&all), expected("k", 3));
    for request in server.requests() {
        let sent: Vec<Option<String>> = ["key", "call", "page_size", "items", "per_page"]
            .iter()
            .map(|name| query(&request, name))
            .collect();
        assert_eq!(
            sent,
            ["k1", "c1", "s1", "i1", "2"].map(|v| Some(v.to_string())),
            "{request:?}"
        );
    }
    assert_eq!(per_request(&server, "page"), [None, Some("2".into())]);
}

#[tokio::test]
async fn a_server_that_never_ends_hits_the_page_limit() {
    let server = serve(|request: &Request, _| {
        let page: usize = query(request, "page").map_or(1, |s| s.parse().unwrap_or(0));
        Reply::json(200, &json!(things("p", page * 10..page * 10 + 2)))
    })
    .await;
    let client = client_with(&server, Client::default_config().with_max_pages(5));
    let (items, error) = drain(client.list_numbers().per_page(2).stream()).await;
    assert_eq!(items.len(), 10, "the items of the 5 pages allowed");
    let error = error.expect("an error, not an endless stream");
    assert_eq!(
        error.to_string(),
        "paging stopped after 5 pages: more than 5 pages (ClientConfig::max_pages); the server may never end"
    );
    assert_eq!(paging_error(error), (PagingError::PageLimit(5), 5));
    assert_eq!(server.requests().len(), 5, "no sixth request");
}
