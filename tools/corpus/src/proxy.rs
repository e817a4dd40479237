//! A recording HTTP/1.1 proxy on loopback, between the generated client and Prism: it
//! forwards each request unchanged (one request per connection: it asks both sides to
//! close) and records its method, target, status, `sl-violations` header, the response
//! body (so a decode failure can show the value it refused) and Prism's own error bodies: Prism marks a request it finds invalid with that header when the spec
//! declares a response it can answer with, and otherwise answers with an
//! `application/problem+json` body of its own (`https://stoplight.io/prism/errors#...`:
//! invalid request, security not met, no such route).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a read from either side may stall.
const IO_TIMEOUT: Duration = Duration::from_secs(120);
/// The largest request or response head accepted.
const MAX_HEAD: usize = 256 * 1024;
/// The most of a response body a record keeps.
pub const MAX_KEPT_BODY: usize = 16 << 20;

/// One request seen by the proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The request method, upper case.
    pub method: String,
    /// The request target (path and query).
    pub target: String,
    /// The response status, when one came back.
    pub status: Option<u16>,
    /// The `sl-violations` header's value, when Prism set it.
    pub violations: Option<String>,
    /// The body of an error Prism made itself (a problem JSON whose `type` is one of
    /// Prism's errors), when it answered with one.
    pub prism_error: Option<String>,
    /// The response body as text (chunked framing removed, invalid UTF-8 replaced), up to
    /// [`MAX_KEPT_BODY`] bytes, when a response came back.
    pub body: Option<String>,
    /// What went wrong forwarding, if anything.
    pub error: Option<String>,
}

/// What the proxy calls when the upstream refuses a connection.
pub type Revive = Arc<dyn Fn() + Send + Sync>;

/// A running proxy; [`Proxy::finish`] stops it and returns the records.
pub struct Proxy {
    /// Where clients connect.
    pub address: SocketAddr,
    records: Arc<Mutex<Vec<Record>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Starts a proxy to `upstream` on a free loopback port. When `upstream` refuses a
    /// connection, `revive` is called (to start the server again) and the connection
    /// tried once more.
    pub fn start(upstream: SocketAddr, revive: Revive) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let records = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let records = Arc::clone(&records);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut handlers = Vec::new();
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let records = Arc::clone(&records);
                    let revive = Arc::clone(&revive);
                    handlers.push(std::thread::spawn(move || {
                        let record = forward(stream, upstream, &*revive);
                        if let Ok(mut records) = records.lock() {
                            records.push(record);
                        }
                    }));
                }
                for handler in handlers {
                    let _ = handler.join();
                }
            })
        };
        Ok(Self {
            address,
            records,
            stop,
            acceptor: Some(acceptor),
        })
    }

    /// Stops accepting, waits for the requests in flight, and returns every record in the
    /// order the requests completed.
    pub fn finish(mut self) -> Vec<Record> {
        self.shut_down();
        self.records
            .lock()
            .map(|mut records| std::mem::take(&mut *records))
            .unwrap_or_default()
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the acceptor so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.address, Duration::from_secs(1));
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Forwards one request from `client` to `upstream` and its response back.
fn forward(client: TcpStream, upstream: SocketAddr, revive: &(dyn Fn() + Send + Sync)) -> Record {
    let mut record = Record {
        method: String::new(),
        target: String::new(),
        status: None,
        violations: None,
        prism_error: None,
        body: None,
        error: None,
    };
    if let Err(error) = exchange(client, upstream, revive, &mut record) {
        record.error = Some(error);
    }
    record
}

fn exchange(
    client: TcpStream,
    upstream: SocketAddr,
    revive: &(dyn Fn() + Send + Sync),
    record: &mut Record,
) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    client.set_read_timeout(Some(IO_TIMEOUT)).map_err(io)?;
    let mut client_reader = BufReader::new(client.try_clone().map_err(io)?);
    let head = read_head(&mut client_reader)?;
    let request = parse_request_head(&head)?;
    record.method = request.method.clone();
    record.target = request.target.clone();
    let connect = || TcpStream::connect_timeout(&upstream, Duration::from_secs(10));
    let mut server = match connect() {
        Ok(server) => server,
        Err(_) => {
            revive();
            connect().map_err(io)?
        }
    };
    server.set_read_timeout(Some(IO_TIMEOUT)).map_err(io)?;
    server
        .write_all(&head_with_close(&request.lines))
        .map_err(io)?;
    copy_body(&mut client_reader, &mut server, &request.lines)?;
    server.flush().map_err(io)?;
    // The upstream was asked to close, so its response ends where its stream ends.
    let mut response = Vec::new();
    let read = server.read_to_end(&mut response);
    if read.is_err() || response.is_empty() {
        // No answer: the server may have died on this request. Have it back before the
        // client hears of it (it is still waiting), so its next request finds it.
        revive();
    }
    read.map_err(io)?;
    let (status, violations) = parse_response_head(&response)?;
    record.status = Some(status);
    record.violations = violations;
    record.prism_error = prism_error(&response);
    record.body = response_body(&response);
    let mut client = client;
    client.write_all(&response).map_err(io)?;
    client.flush().map_err(io)?;
    let _ = client.shutdown(Shutdown::Both);
    Ok(())
}

/// A request's first line and header lines.
struct RequestHead {
    method: String,
    target: String,
    /// Every line of the head, the request line first.
    lines: Vec<String>,
}

/// Reads up to and including the blank line that ends a head.
fn read_head(reader: &mut impl BufRead) -> Result<Vec<u8>, String> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let read = reader
            .read_until(b'\n', &mut head)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return Err("the connection closed inside a request head".to_string());
        }
        let line = &head[before..];
        if line == b"\r\n" || line == b"\n" {
            return Ok(head);
        }
        if head.len() > MAX_HEAD {
            return Err("a request head over 256 KiB".to_string());
        }
    }
}

fn parse_request_head(head: &[u8]) -> Result<RequestHead, String> {
    let text = String::from_utf8_lossy(head);
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let first = lines.first().ok_or("an empty request head")?;
    let mut parts = first.split(' ');
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Err(format!("a malformed request line {first:?}"));
    };
    Ok(RequestHead {
        method: method.to_ascii_uppercase(),
        target: target.to_string(),
        lines: lines.clone(),
    })
}

/// The head to send upstream: the same lines, `Connection: close` instead of any
/// `Connection` header.
fn head_with_close(lines: &[String]) -> Vec<u8> {
    let mut out = String::new();
    for line in lines {
        if header(line).is_some_and(|(name, _)| name.eq_ignore_ascii_case("connection")) {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

/// A header line's name and value.
fn header(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    Some((name.trim(), value.trim()))
}

fn header_value<'a>(lines: &'a [String], name: &str) -> Option<&'a str> {
    lines
        .iter()
        .skip(1)
        .filter_map(|l| header(l))
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// Copies the request body as framed by its head: `Content-Length` bytes, or chunks up to
/// the last one and its trailers.
fn copy_body(
    reader: &mut impl BufRead,
    writer: &mut impl Write,
    lines: &[String],
) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let chunked = header_value(lines, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if !chunked {
        let length: u64 = match header_value(lines, "content-length") {
            Some(value) => value
                .parse()
                .map_err(|_| format!("a bad Content-Length {value:?}"))?,
            None => 0,
        };
        let copied = std::io::copy(&mut reader.take(length), writer).map_err(io)?;
        if copied != length {
            return Err(format!("a request body of {copied} bytes, not {length}"));
        }
        return Ok(());
    }
    loop {
        let mut size_line = String::new();
        if reader.read_line(&mut size_line).map_err(io)? == 0 {
            return Err("the connection closed inside a chunked body".to_string());
        }
        writer.write_all(size_line.as_bytes()).map_err(io)?;
        let size = size_line.trim().split(';').next().unwrap_or("");
        let size = u64::from_str_radix(size.trim(), 16)
            .map_err(|_| format!("a bad chunk size {size:?}"))?;
        if size == 0 {
            // Trailers, up to the blank line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).map_err(io)? == 0 {
                    return Ok(());
                }
                writer.write_all(line.as_bytes()).map_err(io)?;
                if line.trim().is_empty() {
                    return Ok(());
                }
            }
        }
        // The chunk and its CRLF.
        let copied = std::io::copy(&mut reader.take(size + 2), writer).map_err(io)?;
        if copied != size + 2 {
            return Err("the connection closed inside a chunk".to_string());
        }
    }
}

/// A response's status and `sl-violations` header.
fn parse_response_head(response: &[u8]) -> Result<(u16, Option<String>), String> {
    let end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let text = String::from_utf8_lossy(&response[..end]);
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let first = lines.first().ok_or("an empty response")?;
    let status = first
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("a malformed status line {first:?}"))?;
    Ok((
        status,
        header_value(&lines, "sl-violations").map(str::to_string),
    ))
}

/// Prism's answer when it fails inside (a `TypeError` on a media type it cannot parse, for
/// one): its HTTP server's generic 500 body, never a value generated from a spec.
const PRISM_INTERNAL_ERROR: &str =
    "{\"error\":{\"code\":\"internal_server_error\",\"message\":\"Internal Server Error\"}}";

/// The body of an error Prism made itself: a problem JSON whose `type` names one of
/// Prism's errors, or its internal-error 500 (its framing is `Content-Length`, or chunked).
fn prism_error(response: &[u8]) -> Option<String> {
    let end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let problem = head.contains("application/problem+json");
    let internal = head.starts_with("http/1.1 500 ");
    if !problem && !internal {
        return None;
    }
    let raw = &response[end + 4..];
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(raw)
    } else {
        raw.to_vec()
    };
    let text = String::from_utf8_lossy(&body).into_owned();
    let prisms = if problem {
        text.contains("stoplight.io/prism/errors#")
    } else {
        text.trim() == PRISM_INTERNAL_ERROR
    };
    prisms.then_some(text)
}

/// A response's body as text: after the head, without chunked framing, cut at
/// [`MAX_KEPT_BODY`] bytes.
fn response_body(response: &[u8]) -> Option<String> {
    let end = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
    let raw = &response[end + 4..];
    let mut body = if head.contains("transfer-encoding: chunked") {
        dechunk(raw)
    } else {
        raw.to_vec()
    };
    body.truncate(MAX_KEPT_BODY);
    Some(String::from_utf8_lossy(&body).into_owned())
}

/// A chunked body's data (what can be read of it).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut data = Vec::new();
    while let Some(line_end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&raw[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim().to_string();
        let Ok(size) = usize::from_str_radix(&size_text, 16) else {
            break;
        };
        let start = line_end + 2;
        if size == 0 || raw.len() < start + size {
            break;
        }
        data.extend_from_slice(&raw[start..start + size]);
        raw = &raw[(start + size + 2).min(raw.len())..];
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-connection-at-a-time server that answers `answer` and keeps each request.
    fn server(answer: &'static str) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let head = read_head(&mut reader).unwrap();
                let lines = parse_request_head(&head).unwrap().lines;
                let mut body = Vec::new();
                copy_body(&mut reader, &mut body, &lines).unwrap();
                kept.lock().unwrap().push(format!(
                    "{}{}",
                    String::from_utf8_lossy(&head),
                    String::from_utf8_lossy(&body)
                ));
                stream.write_all(answer.as_bytes()).unwrap();
            }
        });
        (address, seen)
    }

    fn send(address: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn requests_are_forwarded_and_recorded_with_violations() {
        let (upstream, seen) = server(
            "HTTP/1.1 422 Unprocessable Entity\r\nsl-violations: [{\"message\":\"bad\"}]\r\n\
             Content-Length: 2\r\n\r\n{}",
        );
        let proxy = Proxy::start(upstream, Arc::new(|| {})).unwrap();
        let response = send(
            proxy.address,
            "POST /pets?x=1 HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\
             Content-Length: 5\r\n\r\nhello",
        );
        assert!(response.starts_with("HTTP/1.1 422"), "{response}");
        assert!(response.ends_with("{}"), "{response}");
        let records = proxy.finish();
        assert_eq!(
            records,
            vec![Record {
                method: "POST".to_string(),
                target: "/pets?x=1".to_string(),
                status: Some(422),
                violations: Some("[{\"message\":\"bad\"}]".to_string()),
                prism_error: None,
                body: Some("{}".to_string()),
                error: None,
            }]
        );
        let seen = seen.lock().unwrap();
        assert!(seen[0].contains("Connection: close\r\n"), "{}", seen[0]);
        assert!(!seen[0].contains("keep-alive"), "{}", seen[0]);
        assert!(seen[0].ends_with("\r\n\r\nhello"), "{}", seen[0]);
    }

    #[test]
    fn chunked_bodies_pass_whole() {
        let (upstream, seen) = server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        let proxy = Proxy::start(upstream, Arc::new(|| {})).unwrap();
        let response = send(
            proxy.address,
            "PUT /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
        );
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        let records = proxy.finish();
        assert_eq!(records[0].status, Some(200));
        assert_eq!(records[0].violations, None);
        assert!(seen.lock().unwrap()[0].ends_with("3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"));
    }

    #[test]
    fn an_unreachable_upstream_is_recorded_as_an_error() {
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let revived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&revived);
        let revive: Revive = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let proxy = Proxy::start(closed, revive).unwrap();
        send(proxy.address, "GET /x HTTP/1.1\r\n\r\n");
        let records = proxy.finish();
        assert_eq!(records[0].method, "GET");
        assert_eq!(records[0].status, None);
        assert!(records[0].error.is_some());
        // Before connecting again (the request was never sent, so no second call).
        assert_eq!(revived.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn prism_error_bodies_are_kept_and_others_are_not() {
        let problem = "{\"type\":\"https://stoplight.io/prism/errors#UNAUTHORIZED\",\"title\":\"Invalid security scheme used\"}";
        let response = format!(
            "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/problem+json\r\n\
             Content-Length: {}\r\n\r\n{problem}",
            problem.len()
        );
        assert_eq!(prism_error(response.as_bytes()).as_deref(), Some(problem));
        let chunked = format!(
            "HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{problem}\r\n0\r\n\r\n",
            problem.len()
        );
        assert_eq!(prism_error(chunked.as_bytes()).as_deref(), Some(problem));
        // The spec's own problem JSON is an answer, not Prism's error.
        let own = "HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\n\r\n{\"type\":\"about:blank\"}";
        assert_eq!(prism_error(own.as_bytes()), None);
        let json = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{problem}");
        assert_eq!(prism_error(json.as_bytes()), None);
        // Prism's internal error is its own; a spec's 500 answer is not.
        let internal = format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json; charset=utf-8\r\n\
             Content-Length: {}\r\n\r\n{PRISM_INTERNAL_ERROR}",
            PRISM_INTERNAL_ERROR.len()
        );
        assert_eq!(
            prism_error(internal.as_bytes()).as_deref(),
            Some(PRISM_INTERNAL_ERROR)
        );
        let spec_500 = "HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n\r\n{\"message\":\"down\"}";
        assert_eq!(prism_error(spec_500.as_bytes()), None);
    }

    #[test]
    fn a_server_dying_on_a_request_is_revived_before_the_client_hears() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            read_head(&mut reader).unwrap();
            // Closed without an answer, as a crashing server does.
        });
        let revived = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&revived);
        let revive: Revive = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let proxy = Proxy::start(address, revive).unwrap();
        let response = send(proxy.address, "GET /crash HTTP/1.1\r\n\r\n");
        assert_eq!(response, "");
        assert_eq!(revived.load(Ordering::SeqCst), 1);
        let records = proxy.finish();
        assert_eq!(records[0].target, "/crash");
        assert_eq!(records[0].status, None);
        assert!(records[0].error.is_some());
    }

    #[test]
    fn response_bodies_are_kept_without_framing() {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"id\":12}";
        assert_eq!(response_body(plain).as_deref(), Some("{\"id\":12}"));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n[1,2\r\n1\r\n]\r\n0\r\n\r\n";
        assert_eq!(response_body(chunked).as_deref(), Some("[1,2]"));
        assert_eq!(response_body(b"HTTP/1.1 200 OK\r\n"), None);
    }

    #[test]
    fn response_heads_give_status_and_violations() {
        let (status, violations) =
            parse_response_head(b"HTTP/1.1 401 Unauthorized\r\nSL-Violations: [1]\r\n\r\nbody")
                .unwrap();
        assert_eq!((status, violations.as_deref()), (401, Some("[1]")));
        assert!(parse_response_head(b"garbage").is_err());
    }
}
