// Part of the runtime every generated client carries: the HTTP core that sends requests,
// with retries, rate limiting, timeouts and tracing.

use std::fmt;
use std::time::Duration;

use super::{
    retry_after, BuildError, ClientConfig, Credentials, Error, HeaderMap, Method, RateLimiter,
    Path, RawResponse, Request, RetryPolicy, StatusCode, Url,
};

/// The part of a client that does not depend on the spec: connection pool, base URL,
/// `Authorization` header, retry policy and rate limiter. Cheap to clone; clones share the
/// pool and the rate limiter.
#[derive(Clone)]
#[doc(hidden)]
pub struct Core {
    http: reqwest::Client,
    base_url: Url,
    authorization: Option<reqwest::header::HeaderValue>,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    max_pages: u32,
    strict_decoding: bool,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.base_url.as_str())
            .field(
                "authorization",
                &self.authorization.as_ref().map(|_| "<redacted>"),
            )
            .field("retry", &self.retry)
            .field("limiter", &self.limiter)
            .finish()
    }
}

// Errors carry the whole response (status, headers, body) on purpose.
#[allow(clippy::result_large_err)]
impl Core {
    /// Builds the core. `base_url` may end with a slash or not; it must be `https://`, or
    /// `http://` when there are no credentials, the host is a loopback address, or
    /// `config.allow_insecure_http` is set.
    pub fn new(
        base_url: &str,
        credentials: &Credentials,
        config: &ClientConfig,
    ) -> Result<Self, BuildError> {
        let trimmed = base_url.trim_end_matches('/');
        let shown = hide_user_info(trimmed);
        let base_url = Url::parse(trimmed)
            .map_err(|e| BuildError::new(format!("invalid base URL {shown:?}: {e}")))?;
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(BuildError::new(format!(
                "invalid base URL {shown:?}: pass credentials as Credentials, not in the URL"
            )));
        }
        let trimmed = shown.as_str();
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(BuildError::new(format!(
                "invalid base URL {trimmed:?}: it must be an http:// or https:// URL"
            )));
        }
        let loopback = match base_url.host_str() {
            Some("localhost") => true,
            Some(host) => host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()),
            None => false,
        };
        if base_url.scheme() == "http"
            && *credentials != Credentials::None
            && !loopback
            && !config.allow_insecure_http
        {
            return Err(BuildError::new(format!(
                "refusing to send credentials over plain http to {trimmed:?}; use https, or set \
                 ClientConfig::allow_insecure_http"
            )));
        }
        let http = match config.http_client() {
            // The caller's client, with its own timeouts, redirect policy and TLS; the checks
            // above and the credentials, retries and rate limit below apply all the same.
            Some(client) => client.clone(),
            // Without a TLS feature this client speaks plain http only; an https:// request
            // then fails with reqwest's "scheme is not http" error.
            None => reqwest::Client::builder()
                .connect_timeout(config.connect_timeout)
                .timeout(config.request_timeout)
                // What bounds a streamed body, which has no overall deadline (see `send_once`).
                .read_timeout(config.request_timeout)
                .user_agent(config.user_agent.as_str())
                .build()
                .map_err(|e| BuildError::new(format!("HTTP client setup failed: {e}")))?,
        };
        Ok(Self {
            http,
            base_url,
            authorization: credentials.header_value()?,
            retry: config.retry.clone(),
            limiter: config.calls_per_second.map(RateLimiter::per_second),
            max_pages: config.max_pages,
            strict_decoding: config.strict_decoding,
        })
    }

    /// At most this many pages per page stream ([`ClientConfig::max_pages`]).
    pub fn max_pages(&self) -> u32 {
        self.max_pages
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Starts a request for operation `operation_id` to `path` (filled from `template`)
    /// under the base URL. A path parameter that could not be encoded makes the call fail
    /// before anything is sent.
    pub fn request(
        &self,
        method: Method,
        operation_id: &'static str,
        template: &'static str,
        path: Path,
    ) -> Request {
        let mut url = self.base_url.clone();
        let (path, error) = match path.finish() {
            Ok(path) => (path, None),
            Err(error) => (String::new(), Some(error)),
        };
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        let mut request = Request::new(method, url, operation_id, template);
        if let Some(error) = error {
            request.fail(error);
        }
        request
    }

    /// Sends a request, retrying as the [`RetryPolicy`] says, and reads the whole response.
    /// A transport failure says how many attempts were made; `?` turns it into an
    /// [`Error`]. (Not generic, so this loop is compiled once for all operations.)
    pub async fn execute(&self, request: Request) -> Result<RawResponse, TransportFailure> {
        let idempotent = matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
        );
        let may_retry = idempotent || self.retry.retry_non_idempotent;
        let mut waited = Duration::ZERO;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Some(limiter) = &self.limiter {
                limiter.acquire().await;
            }
            let started = tokio::time::Instant::now();
            let result = self.send_once(&request).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let wait = match &result {
                Ok(response) => {
                    tracing::debug!(
                        operation = request.operation_id(),
                        method = %request.method(),
                        path = request.template(),
                        status = response.status.as_u16(),
                        attempt,
                        elapsed_ms,
                        "response"
                    );
                    self.wait_after_status(response.status, &response.headers, attempt, may_retry)
                }
                Err(error) => {
                    tracing::debug!(
                        operation = request.operation_id(),
                        method = %request.method(),
                        path = request.template(),
                        attempt,
                        elapsed_ms,
                        error = %describe_without_url(error),
                        "request failed"
                    );
                    // Connection failures, bodies cut short (reqwest reports those as decode
                    // errors) and connect timeouts are retried; a request timeout is not.
                    let retryable = error.is_connect()
                        || error.is_body()
                        || error.is_decode()
                        || error.is_request();
                    let request_timeout = error.is_timeout() && !error.is_connect();
                    (retryable && !request_timeout && may_retry).then(|| self.retry.backoff(attempt))
                }
            };
            match wait {
                Some(wait)
                    if attempt < self.retry.max_attempts
                        && waited + wait <= self.retry.max_total_wait =>
                {
                    tracing::debug!(
                        operation = request.operation_id(),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    waited += wait;
                }
                _ => {
                    return match result {
                        Ok(mut response) => {
                            response.attempts = attempt;
                            Ok(response)
                        }
                        Err(source) => Err(TransportFailure {
                            source,
                            attempts: attempt,
                        }),
                    }
                }
            }
        }
    }

    /// How long to wait before retrying after this status, if it is retried at all.
    fn wait_after_status(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        attempt: u32,
        may_retry: bool,
    ) -> Option<Duration> {
        let retried = status == StatusCode::TOO_MANY_REQUESTS
            || (may_retry
                && matches!(
                    status,
                    StatusCode::BAD_GATEWAY
                        | StatusCode::SERVICE_UNAVAILABLE
                        | StatusCode::GATEWAY_TIMEOUT
                ));
        retried.then(|| retry_after(headers).unwrap_or_else(|| self.retry.backoff(attempt)))
    }

    async fn send_once(&self, request: &Request) -> Result<RawResponse, reqwest::Error> {
        let mut builder = self
            .http
            .request(request.method().clone(), request.url().clone());
        if !request.headers().is_empty() {
            builder = builder.headers(request.headers().clone());
        }
        if let Some(value) = &self.authorization {
            builder = builder.header(reqwest::header::AUTHORIZATION, value.clone());
        }
        if let Some((content_type, body)) = request.send_body() {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        if request.streams_any_body() {
            // A download or event stream may run for hours: no overall deadline, only the
            // read timeout between chunks.
            builder = builder.timeout(STREAMED_DEADLINE);
        }
        let mut response = builder.send().await?;
        let status = response.status();
        // Taken, not cloned: the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        if request.streams_body(status.as_u16()) {
            return Ok(RawResponse {
                status,
                headers,
                body: Vec::new(),
                stream: Some(response),
                attempts: 1,
                strict_decoding: self.strict_decoding,
            });
        }
        // Without a copy when the body came in one piece that nothing else shares.
        let body = Vec::from(response.bytes().await?);
        Ok(RawResponse {
            status,
            headers,
            body,
            stream: None,
            attempts: 1,
            strict_decoding: self.strict_decoding,
        })
    }
}

/// The overall deadline of a request whose response may be streamed: in effect none (a
/// century), so only the read timeout between chunks applies.
const STREAMED_DEADLINE: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// A request that failed without a response, after `attempts` attempts.
#[derive(Debug)]
#[doc(hidden)]
pub struct TransportFailure {
    /// The last failure.
    pub source: reqwest::Error,
    /// Attempts made.
    pub attempts: u32,
}

impl<E> From<TransportFailure> for Error<E> {
    fn from(failure: TransportFailure) -> Self {
        Error::from_transport(failure.source, failure.attempts)
    }
}

/// `scheme://<user info>@host...` for messages, so credentials in a URL never show.
fn hide_user_info(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start && !url[start + 3..at].contains('/') => {
            format!("{}<user info>{}", &url[..start + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// An error's causes without its URL (which holds the filled path), for logs.
fn describe_without_url(error: &reqwest::Error) -> String {
    let mut text = String::from(if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "connect error"
    } else if error.is_body() || error.is_decode() {
        "body error"
    } else {
        "request error"
    });
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
