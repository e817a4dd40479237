//! Servers on 127.0.0.1 for testing and trying the generated client without a Gong
//! account.
//!
//! - [`http`]: a small HTTP/1.1 server whose answers a test scripts, down to raw bytes,
//!   dropped connections and silence (for fault injection).

pub mod http;
