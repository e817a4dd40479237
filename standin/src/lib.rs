//! Servers on 127.0.0.1 for testing and trying the generated client without a Gong
//! account.
//!
//! - [`http`]: a small HTTP/1.1 server whose answers a test scripts, down to raw bytes,
//!   dropped connections and silence (for fault injection).
//! - [`gong`]: a stand-in for Gong's four Users endpoints (Basic auth, paging cursors,
//!   date filters, 429 rate limiting), serving deterministic [`fixtures`] users.

pub mod fixtures;
pub mod gong;
pub mod http;
