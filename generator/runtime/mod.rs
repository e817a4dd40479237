// The runtime every generated client carries, copied verbatim into `src/runtime/`.
//
// It holds everything that does not depend on the spec, so generated methods stay short:
// credentials, configuration, the HTTP core (retries, rate limiting, timeouts, tracing),
// request building, response decoding, the error type, and pagination. Runtime parts must
// not contain inner attributes or `//!` comments: the generator also inlines them as
// `pub mod runtime { pub mod auth { ... } ... }` for build scripts that `include!` a client.

pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode, Url};

pub use self::auth::*;
pub use self::call::*;
pub use self::config::*;
pub use self::encoding::*;
pub use self::error::*;
pub use self::http::*;
pub use self::limit::*;
pub use self::object::*;
pub use self::pages::*;
pub use self::request::*;
pub use self::response::*;
