//! A small HTTP/1.1 server on 127.0.0.1, driven by a handler function.
//!
//! It is deliberately minimal and fully under the test's control: the handler sees each
//! parsed request (chunked request bodies included) and answers with a normal response, a
//! chunked response whose pieces the test sends while the client reads, raw bytes, a
//! connection closed mid-body, or no answer at all. Every request is recorded for assertions. Connections
//! are kept alive, as real servers do, so the client's connection pool is exercised.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method, like `GET`.
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Headers with lower-cased names (a repeated header keeps its last value).
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: Vec<u8>,
}

impl Request {
    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The query parameters, percent-decoded, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        let Some((_, query)) = self.target.split_once('?') else {
            return Vec::new();
        };
        query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect()
    }

    /// A header value by (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How the server answers one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A complete response; `Content-Length` is added.
    Response {
        /// The status code.
        status: u16,
        /// Headers to send.
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// These exact bytes, then the connection is closed.
    Raw(Vec<u8>),
    /// A response whose headers promise more body than is sent; then the connection closes.
    CloseMidBody {
        /// The status code.
        status: u16,
        /// The part of the body sent before closing.
        partial_body: Vec<u8>,
    },
    /// No answer: the connection stays open and silent for this long, then closes.
    Silence(Duration),
    /// A response sent with `Transfer-Encoding: chunked`, one HTTP chunk per piece the
    /// [`Feed`] delivers, each written as soon as it arrives; the body ends when the feed's
    /// sender is dropped.
    Chunked {
        /// The status code.
        status: u16,
        /// Headers to send.
        headers: Vec<(String, String)>,
        /// Where the body's pieces come from.
        feed: Feed,
    },
}

/// The pieces of a [`Reply::Chunked`] body, sent by the test through the [`FeedSender`]
/// while the client reads: the test decides when each piece goes out. A feed serves one
/// response (a second use sends an empty body).
#[derive(Clone, Debug)]
pub struct Feed(Arc<Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>>>>);

/// Sends pieces of a [`Feed`]'s body; dropping it ends the body.
pub type FeedSender = tokio::sync::mpsc::UnboundedSender<Vec<u8>>;

impl Feed {
    /// A feed and the sender that fills it.
    pub fn new() -> (FeedSender, Self) {
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        (sender, Self(Arc::new(Mutex::new(Some(receiver)))))
    }

    /// A feed of these pieces, already sent (the body ends after them).
    pub fn of(pieces: impl IntoIterator<Item = Vec<u8>>) -> Self {
        let (sender, feed) = Self::new();
        for piece in pieces {
            let _ = sender.send(piece);
        }
        feed
    }

    fn take(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>> {
        self.0.lock().ok()?.take()
    }
}

impl PartialEq for Feed {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Feed {}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// A response with a body of the given content type.
    pub fn body(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self::Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
        }
    }

    /// Adds a header to a [`Reply::Response`] (other replies are returned unchanged).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Self::Response { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

/// The handler: sees each request (and how many came before it) and picks the reply.
pub type Handler = Arc<dyn Fn(&Request, usize) -> Reply + Send + Sync>;

/// A running server. It stops when dropped.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server on a free port of 127.0.0.1 (must run inside a tokio runtime).
    pub async fn start(
        handler: impl Fn(&Request, usize) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), Arc::new(handler)).await
    }

    /// Starts a server on a chosen address.
    pub async fn start_on(addr: SocketAddr, handler: Handler) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let handler = Arc::clone(&handler);
                let recorded = Arc::clone(&recorded);
                tokio::spawn(serve_connection(stream, handler, recorded));
            }
        });
        Ok(Self {
            addr,
            requests,
            task,
        })
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_connection(
    mut stream: TcpStream,
    handler: Handler,
    recorded: Arc<Mutex<Vec<Request>>>,
) {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await else {
            return;
        };
        let index = {
            let Ok(mut all) = recorded.lock() else { return };
            all.push(request.clone());
            all.len() - 1
        };
        let close = request
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        match handler(&request, index) {
            Reply::Response {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
                for (name, value) in &headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
                if stream.write_all(head.as_bytes()).await.is_err()
                    || stream.write_all(&body).await.is_err()
                {
                    return;
                }
                if close {
                    return;
                }
            }
            Reply::Raw(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::CloseMidBody {
                status,
                partial_body,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    reason(status),
                    partial_body.len() * 2 + 10
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&partial_body).await;
                let _ = stream.flush().await;
                return;
            }
            Reply::Silence(duration) => {
                tokio::time::sleep(duration).await;
                return;
            }
            Reply::Chunked {
                status,
                headers,
                feed,
            } => {
                if write_chunked(&mut stream, status, &headers, &feed)
                    .await
                    .is_err()
                    || close
                {
                    return;
                }
            }
        }
    }
}

/// Writes a chunked response, each piece of `feed` as it comes.
async fn write_chunked(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    feed: &Feed,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("transfer-encoding: chunked\r\n\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.flush().await?;
    if let Some(mut pieces) = feed.take() {
        while let Some(piece) = pieces.recv().await {
            if piece.is_empty() {
                continue; // an empty chunk would end the body
            }
            stream
                .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                .await?;
            stream.write_all(&piece).await?;
            stream.write_all(b"\r\n").await?;
            stream.flush().await?;
        }
    }
    stream.write_all(b"0\r\n\r\n").await?;
    stream.flush().await
}

/// Reads more bytes into `buffer`; `None` when the connection closed.
async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk).await.ok()?;
    if n == 0 {
        return None;
    }
    buffer.extend_from_slice(&chunk[..n]);
    Some(())
}

/// Reads a `Transfer-Encoding: chunked` body starting at `start` of `buffer`; returns the
/// body and where it ended.
async fn read_chunked_body(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    start: usize,
) -> Option<(Vec<u8>, usize)> {
    let mut body = Vec::new();
    let mut at = start;
    loop {
        let line_end = loop {
            if let Some(end) = find(&buffer[at..], b"\r\n") {
                break at + end;
            }
            read_more(stream, buffer).await?;
        };
        let size_text = String::from_utf8_lossy(&buffer[at..line_end]).into_owned();
        let size_text = size_text.split(';').next().unwrap_or("").trim().to_owned();
        let size = usize::from_str_radix(&size_text, 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // No trailers are sent by the clients under test: just the final CRLF.
            while buffer.len() < at + 2 {
                read_more(stream, buffer).await?;
            }
            return Some((body, at + 2));
        }
        while buffer.len() < at + size + 2 {
            read_more(stream, buffer).await?;
        }
        body.extend_from_slice(&buffer[at..at + size]);
        at += size + 2;
    }
}

/// Reads one request; `None` when the connection closed or sent garbage.
async fn read_request(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Request> {
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: BTreeMap<String, String> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    let chunked = headers
        .get("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"));
    if chunked {
        let (body, end) = read_chunked_body(stream, buffer, body_start).await?;
        buffer.drain(..end);
        return Some(Request {
            method,
            target,
            headers,
            body,
        });
    }
    while buffer.len() < body_start + length {
        let mut chunk = [0u8; 8192];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Request {
        method,
        target,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query() {
        let r = Request {
            method: "GET".into(),
            target: "/a?x=1%2F2&y=a+b&z".into(),
            headers: BTreeMap::new(),
            body: Vec::new(),
        };
        assert_eq!(r.path(), "/a");
        assert_eq!(
            r.query(),
            vec![
                ("x".into(), "1/2".into()),
                ("y".into(), "a b".into()),
                ("z".into(), String::new())
            ]
        );
    }
}
