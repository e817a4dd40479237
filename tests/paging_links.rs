//! `Link`-header paging found in a spec, end to end (GitHub's pattern): the client
//! generated from `tests/fixtures/paging.yaml` against scripted servers on 127.0.0.1. The
//! tests pin down that the `rel="next"` URL is followed until there is none, that a success
//! enum pages through its 200 variant and ends at a 204, that a body that is one of two
//! arrays (GitHub's stargazers) yields its items as the item union, each page in the shape
//! the server chose, and the errors that end a stream
//! instead of a loop: a repeated next URL, and a next URL on another host (refused, nothing
//! sent there). The other patterns are in `tests/paging_patterns.rs`.

include!(concat!(env!("OUT_DIR"), "/fixture_paging.rs"));

use std::sync::{Arc, OnceLock};

use gong_standin::http::{Reply, Request, Server};
use serde_json::json;

use runtime::{PageKey, PagingError};

mod support {
    pub mod paging_patterns;
}
use support::paging_patterns::{client, drain, expected, ids, paging_error, query, serve, things};

// ---------------------------------------------------------------------------
// Link: rel="next" (GET /repos)
// ---------------------------------------------------------------------------

/// A server whose handler knows its own URL (for absolute `Link` URLs).
async fn serve_linked(handler: impl Fn(&Request, &str) -> Reply + Send + Sync + 'static) -> Server {
    let own = Arc::new(OnceLock::<String>::new());
    let seen = Arc::clone(&own);
    let server =
        serve(move |request: &Request, _| handler(request, seen.get().map_or("", String::as_str)))
            .await;
    let _ = own.set(server.url());
    server
}

#[tokio::test]
async fn link_header_next_url_is_followed_until_there_is_none() {
    let server = serve_linked(|request: &Request, own: &str| {
        let page: usize = query(request, "page").map_or(1, |s| s.parse().unwrap_or(99));
        let reply = Reply::json(200, &json!(things("g", (page - 1) * 2..page * 2)));
        let last = format!("<{own}/repos?page=3&per_page=2>; rel=\"last\"");
        match page {
            // Absolute, with other links and `rel` values around it.
            1 => reply.with_header(
                "link",
                &format!("<{own}/repos?page=2&per_page=2&sort=full_name>; rel=\"next\", {last}"),
            ),
            // Relative to the base URL.
            2 => reply.with_header(
                "link",
                &format!("</repos?page=3&per_page=2&sort=full_name>; rel=\"next\", {last}"),
            ),
            _ => reply.with_header("link", &format!("<{own}/repos?page=1>; rel=\"first\"")),
        }
    })
    .await;
    let client = client(&server);
    let all = client
        .list_repos()
        .sort("full_name")
        .per_page(2)
        .all()
        .await
        .expect("every repository");
    assert_eq!(ids(&all), expected("g", 6));
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/repos?sort=full_name&per_page=2",
            "/repos?page=2&per_page=2&sort=full_name",
            "/repos?page=3&per_page=2&sort=full_name",
        ]
    );
}

/// Things wrapped with the time they were starred: `StarredThing`s.
fn starred_things(prefix: &str, range: std::ops::Range<usize>) -> Vec<serde_json::Value> {
    things(prefix, range)
        .into_iter()
        .map(|thing| json!({"starred_at": "2026-12-01T09:00:00Z", "thing": thing}))
        .collect()
}

#[tokio::test]
async fn link_paging_over_a_union_of_arrays_yields_each_pages_items_in_its_shape() {
    // GET /stargazers answers an array of things or an array of starred things (the body
    // is an anyOf of the two arrays): page 1 is things, page 2 starred things, page 3 an
    // empty array without a next link.
    let server =
        serve_linked(
            |request: &Request, own: &str| match query(request, "page").as_deref() {
                None => Reply::json(200, &json!(things("s", 0..2))).with_header(
                    "link",
                    &format!("<{own}/stargazers?page=2&per_page=2>; rel=\"next\""),
                ),
                Some("2") => Reply::json(200, &json!(starred_things("s", 2..4))).with_header(
                    "link",
                    &format!("<{own}/stargazers?page=3&per_page=2>; rel=\"next\""),
                ),
                _ => Reply::json(200, &json!([])),
            },
        )
        .await;
    let client = client(&server);
    let all: Vec<types::ListStargazersResponseItem> = client
        .list_stargazers()
        .per_page(2)
        .all()
        .await
        .expect("every stargazer");
    let seen: Vec<String> = all
        .iter()
        .map(|item| match item {
            types::ListStargazersResponseItem::Thing(thing) => format!("thing {}", thing.id),
            types::ListStargazersResponseItem::StarredThing(starred) => {
                format!("starred {} at {}", starred.thing.id, starred.starred_at)
            }
        })
        .collect();
    assert_eq!(
        seen,
        [
            "thing s0",
            "thing s1",
            "starred s2 at 2026-12-01T09:00:00Z",
            "starred s3 at 2026-12-01T09:00:00Z",
        ]
    );
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/stargazers?per_page=2",
            "/stargazers?page=2&per_page=2",
            "/stargazers?page=3&per_page=2",
        ]
    );
    // The short form pages the same way, from the server's first page.
    let again = client.list_stargazers_all().await.expect("every stargazer");
    assert_eq!(again, all);
}

/// A `204 No Content` reply, with a `Link` to page 2 that must not be followed.
fn no_content(own: &str) -> Reply {
    Reply::Response {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    }
    .with_header(
        "link",
        &format!("<{own}/contributors?page=2>; rel=\"next\""),
    )
}

#[tokio::test]
async fn link_paging_over_a_success_enum_reads_the_200_pages_and_ends_at_a_204() {
    // GET /contributors answers 200 with a page or 204 without a body (the success is an
    // enum of the two); the 204 is an empty last page, whatever its headers say.
    let server =
        serve_linked(
            |request: &Request, own: &str| match query(request, "page").as_deref() {
                None => Reply::json(200, &json!(things("c", 0..2))).with_header(
                    "link",
                    &format!("<{own}/contributors?page=2&per_page=2>; rel=\"next\""),
                ),
                Some("2") => Reply::json(200, &json!(things("c", 2..4))).with_header(
                    "link",
                    &format!("<{own}/contributors?page=3&per_page=2>; rel=\"next\""),
                ),
                _ => no_content(own),
            },
        )
        .await;
    let client = client(&server);
    let all = client
        .list_contributors()
        .per_page(2)
        .all()
        .await
        .expect("every contributor");
    assert_eq!(ids(&all), expected("c", 4));
    let targets: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/contributors?per_page=2",
            "/contributors?page=2&per_page=2",
            "/contributors?page=3&per_page=2",
        ],
        "nothing is requested after the 204"
    );
}

#[tokio::test]
async fn a_204_first_page_is_an_empty_stream() {
    let server = serve_linked(|_: &Request, own: &str| no_content(own)).await;
    let client = client(&server);
    let (items, error) = drain(client.list_contributors_stream()).await;
    assert!(items.is_empty(), "{items:?}");
    assert!(error.is_none(), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn repeated_link_url_is_an_error() {
    let server = serve_linked(|_: &Request, own: &str| {
        Reply::json(200, &json!(things("g", 0..1)))
            .with_header("link", &format!("<{own}/repos?page=2>; rel=\"next\""))
    })
    .await;
    let client = client(&server);
    let (items, error) = drain(client.list_repos_stream()).await;
    assert_eq!(items.len(), 2, "pages 1 and 2");
    let (kind, pages) = paging_error(error.expect("an error"));
    assert!(
        matches!(&kind, PagingError::Repeated(PageKey::Url(url)) if url.query() == Some("page=2")),
        "{kind:?}"
    );
    assert_eq!(pages, 2);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn link_to_another_host_is_refused_and_nothing_is_sent_there() {
    let elsewhere = serve(|_: &Request, _| Reply::json(200, &json!([]))).await;
    let next = format!("<{}/repos?page=2>; rel=\"next\"", elsewhere.url());
    let server = serve(move |_: &Request, _| {
        Reply::json(200, &json!(things("g", 0..2))).with_header("link", &next)
    })
    .await;
    let client = client(&server);
    let (items, error) = drain(client.list_repos_stream()).await;
    assert_eq!(
        ids(&items),
        expected("g", 2),
        "the first page's items come first"
    );
    let error = error.expect("an error");
    let port = elsewhere.addr().port();
    assert_eq!(
        error.to_string(),
        format!(
            "paging stopped after 1 page: the next page's Link URL is on http://127.0.0.1:{port}, \
             not the client's base URL; not followed"
        )
    );
    assert!(matches!(paging_error(error).0, PagingError::ForeignLink(_)));
    assert!(
        elsewhere.requests().is_empty(),
        "nothing went to the other host"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_call_sent_to_another_host_is_refused_before_sending() {
    // The runtime's own guard under the Link check: a request is never re-aimed off the
    // base URL's scheme, host and port.
    let elsewhere = serve(|_: &Request, _| Reply::json(200, &json!([]))).await;
    let server = serve(|_: &Request, _| Reply::json(200, &json!([]))).await;
    let client = client(&server);
    let url = runtime::Url::parse(&format!("{}/repos?page=2", elsewhere.url())).expect("a URL");
    let error = client
        .list_repos()
        .send()
        .at_url(&url)
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("not the client's base URL")),
        "{error:?}"
    );
    assert!(elsewhere.requests().is_empty());
    assert!(server.requests().is_empty());
    // On the base URL it is sent as given.
    let same = runtime::Url::parse(&format!("{}/repos?page=7", server.url())).expect("a URL");
    client
        .list_repos()
        .sort("x")
        .send()
        .at_url(&same)
        .await
        .expect("sent");
    assert_eq!(server.requests()[0].target, "/repos?page=7");
}
