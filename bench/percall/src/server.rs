//! A minimal keep-alive HTTP/1.1 server on 127.0.0.1: every request gets the same 200 JSON
//! answer. One thread per connection, blocking I/O, no allocation per request, so the
//! clients' cost is what the measurement sees.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

/// Starts the server on a free port and returns its address; it serves until the process
/// ends.
pub fn start(body: &[u8]) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(body);
    let reply: &'static [u8] = Vec::leak(reply);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream, reply));
        }
    });
    addr
}

/// Answers each request on `stream` (GETs without a body) until the client closes it.
fn serve(mut stream: TcpStream, reply: &[u8]) {
    let _ = stream.set_nodelay(true);
    let mut buffer = [0u8; 16 * 1024];
    let mut filled = 0;
    loop {
        match stream.read(&mut buffer[filled..]) {
            Ok(0) | Err(_) => return,
            Ok(n) => filled += n,
        }
        // Answer every complete request head in the buffer.
        while let Some(end) = find_head_end(&buffer[..filled]) {
            if stream.write_all(reply).is_err() {
                return;
            }
            buffer.copy_within(end..filled, 0);
            filled -= end;
        }
        if filled == buffer.len() {
            return; // a request head larger than the buffer: not one of ours
        }
    }
}

fn find_head_end(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| at + 4)
}
