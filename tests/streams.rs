//! Streams and files over real HTTP, against the client generated from
//! `tests/fixtures/streams.yaml` and a stand-in server on 127.0.0.1 that sends chunked
//! bodies piece by piece, when the test says so:
//!
//! - `text/event-stream`: typed events parsed across chunk boundaries (mid-line, between
//!   CR and LF, inside a UTF-8 character), comments, `id`, `retry`, `event`, multi-line
//!   data, the `[DONE]` sentinel, a decode error keeping the raw data, the size limit, an
//!   event cut off by the end of the body, text events, and error statuses read whole.
//! - Downloads: the call returns, and the first chunk is read, while the server still
//!   holds the rest (so the client cannot have buffered the body), a streamed status beside
//!   a JSON one, and writing a download to a file.
//! - Multipart uploads: file parts from bytes, a path and a stream, parsed on the server
//!   side (names, file names, content types, bytes).

include!(concat!(env!("OUT_DIR"), "/fixture_streams.rs"));

use std::time::Duration;

use gong_standin::http::{Feed, FeedSender, Reply, Request, Server};

use errors::{CreateCompletionError, DownloadFileError};
use responses::{GetExportResponse, GetReportResponse};
use types::{CompletionChunk, CompletionRequest};

/// A client for `server`, without retries.
fn client(server: &Server) -> Client {
    let config = Client::default_config().with_retry(RetryPolicy::none());
    Client::with_config(&server.url(), Credentials::None, config).expect("build the client")
}

/// A chunked reply of `content_type` whose pieces come from `feed`.
fn chunked(status: u16, content_type: &str, feed: Feed) -> Reply {
    Reply::Chunked {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        feed,
    }
}

/// Starts a server answering every request with a clone of `reply`.
async fn serve(reply: Reply) -> Server {
    Server::start(move |_: &Request, _| reply.clone())
        .await
        .expect("start the stand-in server")
}

/// Sends `pieces` one by one, 20 ms apart, so the client reads them as separate chunks.
fn send_slowly(sender: FeedSender, pieces: Vec<&'static [u8]>) {
    tokio::spawn(async move {
        for piece in pieces {
            if sender.send(piece.to_vec()).is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
}

fn prompt() -> CompletionRequest {
    CompletionRequest {
        prompt: "hi".into(),
        stream: Some(true),
    }
}

// ---------------------------------------------------------------------------
// Server-sent events
// ---------------------------------------------------------------------------

#[tokio::test]
async fn events_are_parsed_across_chunk_boundaries_into_typed_data() {
    let (sender, feed) = Feed::new();
    let server = serve(chunked(200, "text/event-stream", feed)).await;
    // A BOM first; a comment; a line split mid-field; "é" (two bytes in UTF-8) split
    // between chunks; CRLF split between CR and LF, inside an event (read as two line
    // ends, it would end the event early); CR-only line ends; a retry and an id.
    send_slowly(
        sender,
        vec![
            b"\xef\xbb\xbf: keep-alive\r\n\r\nid: 1\r\nda",
            b"ta: {\"id\":\"a\",\"text\":\"caf\xc3",
            b"\xa9\"}\r",
            b"\n\r\nevent: delta\rretry: 2500\rdata: {\"id\":\"b\",\r",
            b"\ndata: \"text\":\"x\",\"index\":2}\r\r",
            b"data:{\"id\":\"c\",\"text\":\"\"}\n\n",
            b"data: [DONE]\n\n",
            b"data: {\"id\":\"after-done\",\"text\":\"\"}\n\n",
        ],
    );
    let client = client(&server);

    let response = client.create_completion(&prompt()).await.expect("the call");
    assert_eq!(response.status().as_u16(), 200);
    let mut events = response.into_body();

    let first = events.next().await.expect("an event").expect("valid");
    assert_eq!(first.event, "message");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, None);
    assert_eq!(
        first.data,
        CompletionChunk {
            id: "a".into(),
            text: "café".into(),
            index: None
        }
    );

    // Two data lines joined with "\n" (valid JSON either way); the id is kept from before.
    let second = events.next().await.expect("an event").expect("valid");
    assert_eq!(second.event, "delta");
    assert_eq!(second.id.as_deref(), Some("1"));
    assert_eq!(second.retry, Some(Duration::from_millis(2500)));
    assert_eq!(second.data.index, Some(2));
    assert_eq!(second.data.text, "x");

    // No space after the colon is fine too; the event type is back to "message".
    let third = events.next().await.expect("an event").expect("valid");
    assert_eq!(
        (third.event.as_str(), third.data.id.as_str()),
        ("message", "c")
    );
    assert_eq!(events.retry(), Some(Duration::from_millis(2500)));
    assert_eq!(events.last_event_id(), Some("1"));

    // `[DONE]` ends a JSON stream: the event after it is never yielded.
    assert!(events.next().await.is_none());
    assert!(events.next().await.is_none());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("JSON");
    assert_eq!(sent, serde_json::json!({"prompt": "hi", "stream": true}));
}

#[tokio::test]
async fn an_event_that_does_not_decode_keeps_its_raw_data_and_the_stream_goes_on() {
    let feed = Feed::of([
        b"id: 7\nevent: delta\ndata: {\"id\": 5}\n\n".to_vec(),
        b"data: {\"id\":\"ok\",\"text\":\"t\"}\n\n".to_vec(),
    ]);
    let server = serve(chunked(200, "text/event-stream", feed)).await;
    let mut events = client(&server)
        .create_completion(&prompt())
        .await
        .expect("the call")
        .into_body();

    match events.next().await {
        Some(Err(runtime::StreamError::InvalidEvent { event, source })) => {
            assert_eq!(event.data, "{\"id\": 5}");
            assert_eq!(event.event, "delta");
            assert_eq!(event.id.as_deref(), Some("7"));
            assert!(source.to_string().contains("id"), "{source}");
        }
        other => panic!("expected an invalid event, got {other:?}"),
    }
    let next = events.next().await.expect("an event").expect("valid");
    assert_eq!(next.data.id, "ok");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_event_cut_off_by_the_end_of_the_body_is_dropped() {
    let feed = Feed::of([
        b"data: {\"id\":\"a\",\"text\":\"\"}\n\ndata: {\"id\":\"b\",\"text\":\"\"}\n".to_vec(),
    ]);
    let server = serve(chunked(200, "text/event-stream", feed)).await;
    let mut events = client(&server)
        .create_completion(&prompt())
        .await
        .expect("the call")
        .into_body();
    let first = events.next().await.expect("an event").expect("valid");
    assert_eq!(first.data.id, "a");
    assert!(
        events.next().await.is_none(),
        "no blank line after b: not dispatched"
    );
}

#[tokio::test]
async fn an_event_over_the_size_limit_ends_the_stream_with_a_typed_error() {
    let (sender, feed) = Feed::new();
    let server = serve(chunked(200, "text/event-stream", feed)).await;
    let mut events = client(&server)
        .create_completion(&prompt())
        .await
        .expect("the call")
        .into_body()
        .with_max_event_bytes(1024);
    // Data lines that never end an event: 100 lines of 100 bytes.
    let line = format!("data: {}\n", "x".repeat(94));
    tokio::spawn(async move {
        for _ in 0..100 {
            if sender.send(line.clone().into_bytes()).is_err() {
                return;
            }
        }
        // Held open: the limit must fire before the body ends.
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    match tokio::time::timeout(Duration::from_secs(3), events.next()).await {
        Ok(Some(Err(runtime::StreamError::TooLarge { limit }))) => assert_eq!(limit, 1024),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    assert!(
        events.next().await.is_none(),
        "the stream ends after the error"
    );
}

#[tokio::test]
async fn text_events_keep_data_as_text_and_done_is_just_data() {
    let feed = Feed::of([
        b"data: line one\ndata: line two\n\n: ping\n\nevent: end\ndata: [DONE]\n\nid\n\n".to_vec(),
    ]);
    let server = serve(chunked(200, "text/event-stream", feed)).await;
    let mut events = client(&server)
        .tail_logs()
        .await
        .expect("the call")
        .into_body();
    let first = events.next().await.expect("an event").expect("valid");
    assert_eq!(first.data, "line one\nline two");
    let second = events.next().await.expect("an event").expect("valid");
    assert_eq!(
        (second.event.as_str(), second.data.as_str()),
        ("end", "[DONE]")
    );
    // `id` with no value resets the id; no data means no event.
    assert!(events.next().await.is_none());
    assert_eq!(events.last_event_id(), None);
}

#[tokio::test]
async fn an_error_status_of_an_event_stream_operation_is_decoded_whole() {
    let server = serve(Reply::json(
        429,
        &serde_json::json!({"message": "slow down"}),
    ))
    .await;
    match client(&server).create_completion(&prompt()).await {
        Err(Error::Api {
            error: CreateCompletionError::TooManyRequests { body },
            ..
        }) => assert_eq!(body.message.as_deref(), Some("slow down")),
        other => panic!("expected the declared 429, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_download_is_streamed_not_buffered_whole() {
    let (sender, feed) = Feed::new();
    let server = serve(chunked(200, "application/octet-stream", feed)).await;
    let first_piece: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    sender
        .send(first_piece.clone())
        .expect("send the first piece");
    let client = client(&server);

    // The server holds back the rest: a client that read the body whole would hang here.
    let response = tokio::time::timeout(Duration::from_secs(5), client.download_file("f 1"))
        .await
        .expect("the call returns before the body is complete")
        .expect("the call");
    assert_eq!(server.requests()[0].target, "/files/f%201/content");
    let mut body = response.into_body();
    let mut received = Vec::new();
    while received.len() < first_piece.len() {
        let chunk = tokio::time::timeout(Duration::from_secs(5), body.next())
            .await
            .expect("the first piece arrives while the rest is held back")
            .expect("a chunk")
            .expect("readable");
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, first_piece);

    // Now the rest: 4 MiB in 64 KiB pieces, then the end.
    let rest: Vec<u8> = (0..4 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    let pieces: Vec<Vec<u8>> = rest.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    tokio::spawn(async move {
        for piece in pieces {
            if sender.send(piece).is_err() {
                return;
            }
        }
    });
    let tail = body.bytes().await.expect("the rest of the body");
    assert_eq!(tail.len(), rest.len());
    assert!(tail.as_ref() == rest.as_slice());
}

#[tokio::test]
async fn a_download_is_written_to_a_file_as_it_arrives() {
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
    let feed = Feed::of(content.chunks(10_000).map(<[u8]>::to_vec));
    let server = serve(chunked(200, "image/png", feed)).await;
    let dir = std::env::temp_dir().join(format!("apigen-streams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join("avatar.png");

    let response = client(&server).get_avatar("u1").await.expect("the call");
    assert_eq!(
        response.headers().get("content-type").map(|v| v.as_bytes()),
        Some(&b"image/png"[..])
    );
    let written = response
        .into_body()
        .save_to_file(&path)
        .await
        .expect("saved");
    assert_eq!(written, content.len() as u64);
    assert_eq!(std::fs::read(&path).expect("read back"), content);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_download_error_status_is_decoded_whole() {
    let server = serve(Reply::json(404, &serde_json::json!({"message": "gone"}))).await;
    match client(&server).download_file("x").await {
        Err(Error::Api {
            error: DownloadFileError::NotFound { body },
            ..
        }) => assert_eq!(body.message.as_deref(), Some("gone")),
        other => panic!("expected the declared 404, got {other:?}"),
    }
}

#[tokio::test]
async fn streamed_and_json_statuses_of_one_operation_each_decode_their_way() {
    let server = Server::start(|request: &Request, _| match request.path() {
        "/reports/1" => Reply::body(200, "application/pdf", b"%PDF-1.7 tiny".to_vec()),
        "/reports/2" => Reply::json(202, &serde_json::json!({"eta_seconds": 30})),
        "/exports/latest" => Reply::body(201, "application/zip", b"PK\x03\x04".to_vec()),
        _ => Reply::json(404, &serde_json::json!({})),
    })
    .await
    .expect("start the stand-in server");
    let client = client(&server);

    match client.get_report(1).await.expect("200").into_body() {
        GetReportResponse::Status200(pdf) => {
            assert_eq!(
                pdf.bytes().await.expect("the PDF").as_ref(),
                b"%PDF-1.7 tiny"
            );
        }
        other => panic!("expected the PDF, got {other:?}"),
    }
    match client.get_report(2).await.expect("202").into_body() {
        GetReportResponse::Status202(pending) => assert_eq!(pending.eta_seconds, Some(30)),
        other => panic!("expected the JSON, got {other:?}"),
    }
    // 201 falls in the streamed `2XX`.
    match client.get_export().await.expect("201").into_body() {
        GetExportResponse::Success(zip) => {
            assert_eq!(zip.bytes().await.expect("the zip").as_ref(), b"PK\x03\x04");
        }
        other => panic!("expected the zip, got {other:?}"),
    }
}

#[tokio::test]
async fn the_exact_json_status_beside_a_streamed_range_is_read_whole() {
    let server = serve(Reply::json(200, &serde_json::json!({"eta_seconds": 5}))).await;
    match client(&server).get_export().await.expect("200").into_body() {
        GetExportResponse::Status200(pending) => assert_eq!(pending.eta_seconds, Some(5)),
        other => panic!("expected the JSON, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Multipart uploads
// ---------------------------------------------------------------------------

/// One part of a multipart body as the server saw it.
#[derive(Debug, PartialEq)]
struct ReceivedPart {
    headers: Vec<String>,
    data: Vec<u8>,
}

/// Splits a multipart body by the boundary of its content type.
fn parse_multipart(request: &Request) -> Vec<ReceivedPart> {
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = &request.body;
    let closing = format!("\r\n{delimiter}--\r\n");
    assert!(body.ends_with(closing.as_bytes()), "no closing delimiter");
    let mut parts = Vec::new();
    let separator = format!("\r\n{delimiter}\r\n");
    let start = delimiter.len() + 2;
    assert!(body.starts_with(format!("{delimiter}\r\n").as_bytes()));
    let inner = &body[start..body.len() - closing.len()];
    let mut rest = inner;
    loop {
        let (part, next) = match find(rest, separator.as_bytes()) {
            Some(at) => (&rest[..at], Some(&rest[at + separator.len()..])),
            None => (rest, None),
        };
        let head_end = find(part, b"\r\n\r\n").expect("part headers");
        let headers = String::from_utf8_lossy(&part[..head_end])
            .split("\r\n")
            .map(str::to_owned)
            .collect();
        parts.push(ReceivedPart {
            headers,
            data: part[head_end + 4..].to_vec(),
        });
        match next {
            Some(next) => rest = next,
            None => return parts,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn multipart_file_parts_from_bytes_a_path_and_a_stream_reach_the_server() {
    let server = serve(Reply::json(
        201,
        &serde_json::json!({"id": "file-1", "bytes": 3, "filename": "a.bin"}),
    ))
    .await;
    let dir = std::env::temp_dir().join(format!("apigen-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join("report.csv");
    // Larger than one read of the runtime (64 KiB), so the file goes in several chunks.
    let file_content: Vec<u8> = (0..200_000u32)
        .map(|i| b"0123456789,\n"[(i % 12) as usize])
        .collect();
    std::fs::write(&path, &file_content).expect("write the file");
    let in_memory = vec![0u8, 0xff, b'\r', b'\n', b'-', b'-'];
    let streamed: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(b"first ".to_vec()), Ok(b"second".to_vec())];

    let body = runtime::Multipart::new()
        .file(
            "file",
            "a.bin",
            "application/octet-stream",
            in_memory.clone(),
        )
        .file_path("attachments", &path, "text/csv")
        .file_stream(
            "attachments",
            "notes.txt",
            "text/plain",
            StreamOf(streamed.into_iter()),
        )
        .text("purpose", "assistants");
    let response = client(&server)
        .upload_file(&body)
        .await
        .expect("the upload");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.body().filename, "a.bin");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let parts = parse_multipart(&requests[0]);
    assert_eq!(
        parts,
        vec![
            ReceivedPart {
                headers: vec![
                    "Content-Disposition: form-data; name=\"file\"; filename=\"a.bin\"".into(),
                    "Content-Type: application/octet-stream".into(),
                ],
                data: in_memory,
            },
            ReceivedPart {
                headers: vec![
                    "Content-Disposition: form-data; name=\"attachments\"; filename=\"report.csv\""
                        .into(),
                    "Content-Type: text/csv".into(),
                ],
                data: file_content,
            },
            ReceivedPart {
                headers: vec![
                    "Content-Disposition: form-data; name=\"attachments\"; filename=\"notes.txt\""
                        .into(),
                    "Content-Type: text/plain".into(),
                ],
                data: b"first second".to_vec(),
            },
            ReceivedPart {
                headers: vec!["Content-Disposition: form-data; name=\"purpose\"".into()],
                data: b"assistants".to_vec(),
            },
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_multipart_file_that_cannot_be_read_fails_the_call() {
    let server = serve(Reply::json(201, &serde_json::json!({}))).await;
    let body = runtime::Multipart::new()
        .file_path(
            "file",
            "/nonexistent/apigen/streams/missing.bin",
            "application/octet-stream",
        )
        .text("purpose", "x");
    match client(&server).upload_file(&body).await {
        Err(error @ Error::Transport { .. }) => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            assert!(text.contains("missing.bin"), "{text}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A stream over an iterator, always ready (the tests have no stream combinators).
struct StreamOf<I>(I);

impl<I: Iterator + Unpin> futures_core::Stream for StreamOf<I> {
    type Item = I::Item;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<I::Item>> {
        std::task::Poll::Ready(self.get_mut().0.next())
    }
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

/// A client whose request timeout (and so read timeout) is `timeout`.
fn client_with_timeout(server: &Server, timeout: Duration) -> Client {
    let config = Client::default_config()
        .with_retry(RetryPolicy::none())
        .with_request_timeout(timeout);
    Client::with_config(&server.url(), Credentials::None, config).expect("build the client")
}

#[tokio::test]
async fn a_download_longer_than_the_request_timeout_is_not_cut_off() {
    let (sender, feed) = Feed::new();
    let server = serve(chunked(200, "application/octet-stream", feed)).await;
    // 12 pieces 100 ms apart: 1.2 s in all, each gap well under the 400 ms timeout.
    tokio::spawn(async move {
        for i in 0..12u8 {
            if sender.send(vec![i; 1000]).is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let client = client_with_timeout(&server, Duration::from_millis(400));
    let started = std::time::Instant::now();
    let body = client
        .download_file("big")
        .await
        .expect("the call")
        .into_body()
        .bytes()
        .await
        .expect("the whole download");
    assert!(started.elapsed() > Duration::from_millis(400));
    assert_eq!(body.len(), 12_000);
    assert_eq!(body[11_999], 11);
}

#[tokio::test]
async fn a_stalled_download_ends_with_a_read_timeout() {
    let (sender, feed) = Feed::new();
    let server = serve(chunked(200, "application/octet-stream", feed)).await;
    sender.send(b"start".to_vec()).expect("send");
    let client = client_with_timeout(&server, Duration::from_millis(300));
    let mut body = client
        .download_file("slow")
        .await
        .expect("the call")
        .into_body();
    let first = body.next().await.expect("a chunk").expect("readable");
    assert_eq!(first.as_ref(), b"start");
    // Nothing more is sent while the sender lives.
    match tokio::time::timeout(Duration::from_secs(5), body.next()).await {
        Ok(Some(Err(error))) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a read timeout, got {other:?}"),
    }
    drop(sender);
}
