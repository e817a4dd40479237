// The runtime every generated client carries, copied verbatim: into its own crate beside
// the client (`runtime/src/`), or inline as the `runtime` module of the single file.
//
// It holds everything that does not depend on the spec, so generated methods stay short:
// credentials, configuration, the HTTP core (retries, rate limiting, timeouts, tracing),
// request building, response decoding, the error type, and pagination. Runtime parts must
// not contain inner attributes or `//!` comments: the generator also inlines them as
// `pub mod runtime { pub mod auth { ... } ... }` for build scripts that `include!` a client.
//
// What generated code calls but a user never names (the HTTP core, request and path
// building, raw responses, object reading and writing, decoding helpers) is public, since
// the generated crate calls it from outside the runtime, and `#[doc(hidden)]`, so the
// documented API is what users name: the configuration, credentials, errors, responses,
// calls and page streams.

pub use futures_core::Stream;
pub use reqwest::header::HeaderMap;
#[doc(hidden)]
pub use reqwest::Method;
pub use reqwest::{StatusCode, Url};

pub use self::auth::*;
pub use self::call::*;
pub use self::config::*;
pub use self::encoding::*;
pub use self::error::*;
pub use self::http::*;
pub use self::lenient::*;
pub use self::limit::*;
pub use self::multipart::*;
pub use self::object::*;
pub use self::pages::*;
pub use self::request::*;
pub use self::response::*;
pub use self::sse::*;
pub use self::stream::*;
