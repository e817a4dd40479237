//! Helpers shared by `tests/gong_errors.rs` and `tests/gong_data.rs`: a tiny raw
//! HTTP/1.1 client on tokio's `TcpStream` (this crate must not depend on the generated
//! client), the stand-in's credentials, a stand-in without a rate limit, and a check of
//! the `ErrorResponse` shape.
//!
//! Both test binaries compile this module on their own via `mod support;`, so it holds
//! only helpers that both of them use; a helper only one of them needs stays in that
//! file. That way no `dead_code` allowance is needed.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response as the raw client read it.
pub struct Response {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
}

/// The right credentials for a default [`Config`].
pub fn good_auth() -> String {
    basic(DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET)
}

pub fn basic(key: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{key}:{secret}")))
}

/// Sends one request on a fresh connection and reads the whole response.
pub async fn call(
    stand_in: &StandIn,
    method: &str,
    target: &str,
    auth: Option<&str>,
    body: Option<&[u8]>,
) -> Response {
    let url = stand_in.url();
    let addr = url.strip_prefix("http://").expect("http URL");
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(auth) = auth {
        head.push_str(&format!("Authorization: {auth}\r\n"));
    }
    let body = body.unwrap_or_default();
    if !body.is_empty() || method == "POST" {
        head.push_str("Content-Type: application/json\r\n");
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = serde_json::from_slice(&raw[split + 4..]).expect("JSON body");
    Response {
        status,
        headers,
        body,
    }
}

pub async fn get(stand_in: &StandIn, target: &str) -> Response {
    call(stand_in, "GET", target, Some(&good_auth()), None).await
}

pub async fn post(stand_in: &StandIn, target: &str, body: &Value) -> Response {
    let bytes = body.to_string().into_bytes();
    call(stand_in, "POST", target, Some(&good_auth()), Some(&bytes)).await
}

/// A stand-in without a rate limit, so tests may call it freely.
pub async fn unlimited() -> StandIn {
    StandIn::start(Config {
        calls_per_second: None,
        ..Config::default()
    })
    .await
    .expect("start")
}

/// Asserts an `ErrorResponse` with the given status.
pub fn assert_error(response: &Response, status: u16) {
    assert_eq!(response.status, status, "{}", response.body);
    assert!(response.body["requestId"]
        .as_str()
        .is_some_and(|id| !id.is_empty()));
    let errors = response.body["errors"].as_array().expect("errors array");
    assert!(!errors.is_empty() && errors.iter().all(Value::is_string));
}
