// Part of the runtime every generated client carries: client settings and their defaults.

use std::fmt;
use std::time::Duration;

/// Settings for a client beyond its base URL and credentials. Start from
/// [`ClientConfig::default()`] and change what you need with the `with_*` methods.
///
/// | setting | default |
/// |---|---|
/// | connect timeout | 10 s |
/// | request timeout (per attempt, body included) | 60 s |
/// | retries | [`RetryPolicy::default()`]: up to 4 attempts, at most 60 s of waiting |
/// | client-side rate limit | none, unless the spec declares one (`x-rate-limit`) |
/// | credentials over plain `http://` | refused, except to loopback addresses |
/// | pages one `_stream`/`_all` call may fetch | 10,000 ([`ClientConfig::max_pages`]) |
/// | HTTP client | built from the settings above, HTTPS through the crate's TLS feature |
/// | decoding | tolerant: values real servers send that the schema does not allow (a date-time as epoch seconds, `"10.0"` for a number, ...) are accepted, each logged as a `tracing` warning ([`ClientConfig::strict_decoding`]) |
///
/// **Your own `reqwest::Client`** ([`ClientConfig::with_http_client`]): for a crate built
/// without a TLS feature (`default-features = false`), or for proxies, custom roots,
/// client certificates or a shared connection pool. Its own settings then apply to
/// what it does on the wire: connect and request timeouts, `User-Agent`, redirect policy,
/// proxies and TLS, so `connect_timeout`, `request_timeout` and `user_agent` here are not
/// used (set them on its builder). What the generated client does itself still applies:
/// credentials (the `Authorization` header, added to each request), the refusal of
/// credentials over plain `http://` to hosts other than loopback (unless
/// `allow_insecure_http`), retries and the rate limit. Whatever its redirect policy, reqwest
/// removes `Authorization` before following a redirect to another host or port.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for one attempt of a request, from sending to the end of the body.
    pub request_timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// When and how failed requests are retried.
    pub retry: RetryPolicy,
    /// At most this many calls start in any one-second window, across all clones of the
    /// client (`None`: no limit).
    pub calls_per_second: Option<u32>,
    /// Send credentials over plain `http://` to hosts other than loopback addresses.
    pub allow_insecure_http: bool,
    /// At most this many pages per `_stream`/`_all` call: a server that never ends paging
    /// gives [`super::Error::Paging`] instead of an endless stream.
    pub max_pages: u32,
    /// Refuse every value the schema does not allow instead of tolerating it: a response
    /// with one fails with [`super::Error::InvalidBody`] naming the field's path. Off by
    /// default: the tolerated forms (see the `lenient` module and the README's "Decoding
    /// policy") are accepted, counted on [`super::Response::tolerated`] and logged.
    pub strict_decoding: bool,
    /// A `reqwest::Client` of the caller's, used instead of one built from the settings.
    http_client: Option<reqwest::Client>,
}

// By hand: a supplied `reqwest::Client` prints its default headers, which may hold secrets.
impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("connect_timeout", &self.connect_timeout)
            .field("request_timeout", &self.request_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("calls_per_second", &self.calls_per_second)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_pages", &self.max_pages)
            .field("strict_decoding", &self.strict_decoding)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "<supplied reqwest::Client>"),
            )
            .finish()
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryPolicy::default(),
            calls_per_second: None,
            allow_insecure_http: false,
            http_client: None,
            max_pages: 10_000,
            strict_decoding: false,
        }
    }
}

impl ClientConfig {
    /// Sets the connect timeout.
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets the per-attempt request timeout.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Sets the retry policy ([`RetryPolicy::none()`] switches retries off).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets the client-side rate limit (`None` switches it off).
    pub fn with_calls_per_second(mut self, calls: Option<u32>) -> Self {
        self.calls_per_second = calls;
        self
    }

    /// Allows credentials over plain `http://` to any host.
    pub fn with_allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sends requests through `client` (reqwest 0.12) instead of a client built from these
    /// settings: its timeouts, `User-Agent`, redirect policy, proxies and TLS apply, and
    /// `connect_timeout`, `request_timeout` and `user_agent` here do not. Credentials,
    /// the plain-`http://` check, retries and the rate limit still apply (see
    /// [`ClientConfig`]). This is how a crate built without a TLS feature talks HTTPS.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The `reqwest::Client` given to [`ClientConfig::with_http_client`], if any.
    pub fn http_client(&self) -> Option<&reqwest::Client> {
        self.http_client.as_ref()
    }

    /// Sets [`ClientConfig::strict_decoding`]: `true` makes every schema violation in a
    /// response body an error instead of a tolerated value.
    pub fn with_strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// Sets [`ClientConfig::max_pages`] (at least 1).
    pub fn with_max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }
}

/// When failed requests are retried.
///
/// - `429 Too Many Requests` is retried for every method (the server did not act on the
///   request), after the time its `Retry-After` header gives, or the backoff if it has none.
/// - `502`, `503`, `504` and connection failures are retried with capped exponential
///   backoff and jitter, for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE)
///   only, unless [`RetryPolicy::retry_non_idempotent`] is set. A `Retry-After` on them is
///   honoured too.
/// - Retrying stops after `max_attempts` attempts, or when the next wait would take the
///   total time spent waiting past `max_total_wait`; the last response or failure is then
///   returned, with the number of attempts made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: no retries). Default: 4.
    pub max_attempts: u32,
    /// The most time spent waiting between attempts, in all. Default: 60 s.
    pub max_total_wait: Duration,
    /// The backoff before the first retry; it doubles for each further one. Default: 250 ms.
    pub initial_backoff: Duration,
    /// The longest backoff. Default: 8 s.
    pub max_backoff: Duration,
    /// Also retry non-idempotent methods (POST, PATCH) on 502/503/504 and connection
    /// failures. Default: false.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is attempted once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the cap on total waiting.
    pub fn with_max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Sets the first backoff and the largest one.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Retries non-idempotent methods too.
    pub fn with_retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    /// The backoff before retry number `retry` (1 for the first), with jitter: a random
    /// time between half of the capped exponential value and all of it.
    #[doc(hidden)]
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        let capped = self.initial_backoff.saturating_mul(factor).min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(jitter())
    }
}

/// A random number in [0, 1), from the standard library's randomly keyed hasher.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// A client could not be built (bad base URL, credentials or TLS setup).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// An error with this message.
    #[doc(hidden)]
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the client: {}", self.message)
    }
}

impl std::error::Error for BuildError {}
