// The runtime every generated client carries (copied verbatim into `src/runtime.rs`).
//
// It holds what does not depend on the spec: credentials, the HTTP core, the error type,
// the response wrapper and parameter encoding. Generated methods stay short because they
// call into it. It must not contain inner attributes or `//!` comments: the generator
// also inlines it as `pub mod runtime { ... }` for build scripts that `include!` a client.

use std::fmt;
use std::time::Duration;

pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode, Url};

/// A secret string (password, token) that never shows in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself. Call only where it is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// How requests authenticate. The spec's security schemes say which the server accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// No `Authorization` header.
    None,
    /// HTTP Basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name (for example an access key).
        username: String,
        /// The password (for example an access key secret).
        password: Secret,
    },
    /// `Authorization: Bearer <token>`, for example an OAuth 2.0 access token.
    Bearer(Secret),
}

impl Credentials {
    /// HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password: Secret::new(password),
        }
    }

    /// A bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self::Bearer(Secret::new(token))
    }

    /// The `Authorization` header value, marked sensitive so it is never logged.
    pub fn header_value(&self) -> Result<Option<reqwest::header::HeaderValue>, BuildError> {
        use base64::Engine as _;
        let text = match self {
            Self::None => return Ok(None),
            Self::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose()),
        };
        let mut value = reqwest::header::HeaderValue::from_str(&text).map_err(|_| {
            BuildError::new("credentials contain characters not allowed in an HTTP header")
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }
}

/// Settings for a client beyond its base URL and credentials.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// Time allowed to open a connection. Default: 10 seconds.
    pub connect_timeout: Duration,
    /// Time allowed for a whole request, body included. Default: 60 seconds.
    pub request_timeout: Duration,
    /// The `User-Agent` header. Default: the generated crate's name and version.
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// A client could not be built (bad base URL, bad credentials, TLS setup failure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    /// An error with this message.
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

/// The part of a client that does not depend on the spec: HTTP connection pool, base URL
/// and the `Authorization` header. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct Core {
    http: reqwest::Client,
    base_url: Url,
    authorization: Option<reqwest::header::HeaderValue>,
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Core")
            .field("base_url", &self.base_url.as_str())
            .field("authorization", &self.authorization.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Core {
    /// Builds the core. `base_url` may end with a slash or not; it must be http(s).
    pub fn new(
        base_url: &str,
        credentials: &Credentials,
        config: &ClientConfig,
    ) -> Result<Self, BuildError> {
        let trimmed = base_url.trim_end_matches('/');
        let base_url = Url::parse(trimmed)
            .map_err(|e| BuildError::new(format!("invalid base URL {trimmed:?}: {e}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(BuildError::new(format!(
                "invalid base URL {trimmed:?}: it must be an http:// or https:// URL"
            )));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(config.user_agent.as_str())
            .build()
            .map_err(|e| BuildError::new(format!("HTTP client setup failed: {e}")))?;
        Ok(Self {
            http,
            base_url,
            authorization: credentials.header_value()?,
        })
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// Starts a request to `path` (already encoded, starting with `/`) under the base URL.
    pub fn request(&self, method: Method, path: &str) -> Request {
        let mut url = self.base_url.clone();
        let joined = format!("{}{}", url.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        Request {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
        }
    }

    /// Sends a request and reads the whole response.
    pub async fn execute(&self, request: Request) -> Result<RawResponse, reqwest::Error> {
        let mut builder = self
            .http
            .request(request.method, request.url)
            .headers(request.headers);
        if let Some(value) = &self.authorization {
            builder = builder.header(reqwest::header::AUTHORIZATION, value.clone());
        }
        if let Some((content_type, bytes)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let response = builder.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}

/// A request being assembled by a generated method.
#[derive(Debug)]
pub struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    /// Appends a query parameter (form style, exploded: arrays repeat the name).
    pub fn query<V: QueryValue + ?Sized>(&mut self, name: &str, value: &V) {
        let mut pairs = Vec::new();
        value.query_pairs(&mut pairs);
        if !pairs.is_empty() {
            let mut query = self.url.query_pairs_mut();
            for value in pairs {
                query.append_pair(name, &value);
            }
        }
    }

    /// Sets a header parameter. Absent optional values send nothing.
    pub fn header<V: QueryValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) -> Result<(), RequestError> {
        let mut values = Vec::new();
        value.query_pairs(&mut values);
        if values.is_empty() {
            return Ok(());
        }
        let joined = values.join(",");
        let value = reqwest::header::HeaderValue::from_str(&joined).map_err(|_| {
            RequestError(format!("header parameter `{name}` is not a valid header value"))
        })?;
        self.headers.insert(name, value);
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<B: serde::Serialize + ?Sized>(&mut self, body: &B) -> Result<(), RequestError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| RequestError(format!("request body cannot be encoded: {e}")))?;
        self.body = Some(("application/json", bytes));
        Ok(())
    }

    /// Sets a raw body with the given media type.
    pub fn bytes(&mut self, content_type: &'static str, body: Vec<u8>) {
        self.body = Some((content_type, body));
    }

    /// The URL the request goes to.
    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// A value that can be sent as a query or header parameter.
pub trait QueryValue {
    /// Pushes the value's text forms (none for an absent value, several for an array).
    fn query_pairs(&self, out: &mut Vec<String>);
}

macro_rules! query_value_by_display {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn query_pairs(&self, out: &mut Vec<String>) {
                out.push(self.to_string());
            }
        }
    )*};
}

query_value_by_display!(str, String, bool, i32, i64, u32, u64, f32, f64, chrono::NaiveDate);

impl QueryValue for chrono::DateTime<chrono::FixedOffset> {
    fn query_pairs(&self, out: &mut Vec<String>) {
        out.push(self.to_rfc3339());
    }
}

impl<T: QueryValue> QueryValue for std::collections::BTreeSet<T> {
    fn query_pairs(&self, out: &mut Vec<String>) {
        for value in self {
            value.query_pairs(out);
        }
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn query_pairs(&self, out: &mut Vec<String>) {
        (**self).query_pairs(out);
    }
}

impl<T: QueryValue> QueryValue for Option<T> {
    fn query_pairs(&self, out: &mut Vec<String>) {
        if let Some(value) = self {
            value.query_pairs(out);
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn query_pairs(&self, out: &mut Vec<String>) {
        for value in self {
            value.query_pairs(out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn query_pairs(&self, out: &mut Vec<String>) {
        self.as_slice().query_pairs(out);
    }
}

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Encodes a path parameter as exactly one path segment, so no value can change which
/// resource is addressed: `/` and every other reserved character are percent-encoded, and
/// the values `""`, `.` and `..` (which URL normalisation would remove) are refused.
pub fn path_segment(name: &str, value: &dyn fmt::Display) -> Result<String, RequestError> {
    let text = value.to_string();
    if text.is_empty() || text == "." || text == ".." {
        return Err(RequestError(format!(
            "path parameter `{name}` cannot be {text:?}: it would change the request path"
        )));
    }
    Ok(percent_encoding::utf8_percent_encode(&text, PATH_SEGMENT).to_string())
}

/// A response read in full, before it is decoded.
#[derive(Debug)]
pub struct RawResponse {
    /// Its status.
    pub status: StatusCode,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Decodes a JSON body.
    pub fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        serde_json::from_slice(&self.body).map_err(|source| Error::InvalidBody {
            status: self.status,
            source,
            body: self.body.clone(),
        })
    }

    /// A successful response with a JSON body.
    pub fn ok_json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        let body = self.json()?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// A successful response with a body that is not decoded.
    pub fn ok_bytes<E>(self) -> Result<Response<Vec<u8>>, Error<E>> {
        Ok(Response::new(self.status, self.headers, self.body))
    }

    /// A successful response whose body is ignored.
    pub fn ok_empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(Response::new(self.status, self.headers, ()))
    }

    /// A declared error status with a JSON body, built into the operation's error type.
    pub fn api_error_json<T, B, E>(self, make: impl FnOnce(B, &HeaderMap) -> E) -> Result<T, Error<E>>
    where
        B: serde::de::DeserializeOwned,
    {
        let body = self.json()?;
        let error = make(body, &self.headers);
        Err(Error::Api {
            status: self.status,
            headers: self.headers,
            error,
        })
    }

    /// A declared error status with a body kept as raw bytes.
    pub fn api_error_bytes<T, E>(
        self,
        make: impl FnOnce(Vec<u8>, &HeaderMap) -> E,
    ) -> Result<T, Error<E>> {
        let error = make(self.body, &self.headers);
        Err(Error::Api {
            status: self.status,
            headers: self.headers,
            error,
        })
    }

    /// A declared error status whose body is not decoded.
    pub fn api_error<T, E>(self, make: impl FnOnce(&HeaderMap) -> E) -> Result<T, Error<E>> {
        let error = make(&self.headers);
        Err(Error::Api {
            status: self.status,
            headers: self.headers,
            error,
        })
    }

    /// A status the operation does not declare.
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body,
        })
    }
}

/// A successful response: its decoded body, with the status and headers still reachable.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// Wraps a decoded body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// Takes the decoded body.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// Reads a typed response header; absent or unparsable values give `None`.
pub fn header<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// Reads `Retry-After` as a wait: delay-seconds, or an HTTP date (a date in the past
/// gives zero).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate, then the two obsolete forms RFC 9110 (section 5.6.7) says to accept.
    let when = chrono::DateTime::parse_from_rfc2822(text)
        .map(|d| d.timestamp())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%A, %d-%b-%y %H:%M:%S GMT")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%a %b %e %H:%M:%S %Y"))
                .map(|d| d.and_utc().timestamp())
        })
        .ok()?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let wait = u64::try_from(when).unwrap_or(0);
    Some(Duration::from_secs(wait.saturating_sub(now.as_secs())))
}

/// How many bytes of a body an error message quotes.
pub const EXCERPT_LEN: usize = 200;

/// The start of a body as text, for messages.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_LEN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.into_owned(),
    }
}

/// A request that cannot be built from the arguments given (for example a path parameter
/// that would change the path, or a header value with a newline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError(pub String);

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestError {}

impl<E> From<RequestError> for Error<E> {
    fn from(error: RequestError) -> Self {
        Self::InvalidRequest(error.0)
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        Self::Transport(error)
    }
}

/// Everything that can go wrong in a call. `E` is the operation's own enum of the error
/// statuses its spec declares, so callers match on statuses, never on body shapes.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The server answered with an error status the operation declares.
    Api {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The declared error, with its decoded body.
        error: E,
    },
    /// The server answered with a status the operation does not declare.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The body does not match the schema declared for its status.
    InvalidBody {
        /// The status.
        status: StatusCode,
        /// What did not parse.
        source: serde_json::Error,
        /// The raw body.
        body: Vec<u8>,
    },
    /// The request could not be sent or the response not read.
    Transport(reqwest::Error),
    /// The request could not be built from the arguments.
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::InvalidBody { status, .. } => Some(*status),
            Self::Transport(e) => e.status(),
            Self::InvalidRequest(_) => None,
        }
    }

    /// The declared error, when the status was one the operation declares.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Self::Api { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api { status, error, .. } => write!(f, "HTTP {status}: {error}"),
            Self::UnexpectedStatus { status, body, .. } => {
                write!(f, "undeclared HTTP status {status}; body: {}", excerpt(body))
            }
            Self::InvalidBody { status, source, body } => write!(
                f,
                "HTTP {status} response body does not match the spec ({source}); body: {}",
                excerpt(body)
            ),
            Self::Transport(e) => write!(f, "request failed: {e}"),
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidBody { source, .. } => Some(source),
            Self::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// Writes an error body for `Display`: compact JSON, cut to [`EXCERPT_LEN`].
pub fn display_body<B: serde::Serialize>(f: &mut fmt::Formatter<'_>, body: &B) -> fmt::Result {
    match serde_json::to_vec(body) {
        Ok(bytes) => f.write_str(&excerpt(&bytes)),
        Err(_) => f.write_str("<body>"),
    }
}

/// One page as a paginated operation sees it: its items and the cursor of the next page.
pub type Page<T> = (Vec<T>, Option<String>);

/// The future that fetches one page.
pub type PageFuture<'a, T, E> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<Page<T>, Error<E>>> + Send + 'a>>;

/// Every item of a cursor-paginated operation, across all pages, as a
/// [`Stream`](futures_core::Stream). Pages are fetched one at a time, as items are
/// consumed, and fetching stops when a page has no next cursor (or repeats the last one).
/// An error ends the stream after it is yielded.
pub struct Pages<'a, T, E> {
    fetch: Box<dyn FnMut(Option<String>) -> PageFuture<'a, T, E> + Send + 'a>,
    buffer: std::collections::VecDeque<T>,
    cursor: Option<String>,
    in_flight: Option<PageFuture<'a, T, E>>,
    done: bool,
}

impl<'a, T, E> Pages<'a, T, E> {
    /// Pages fetched by `fetch`, which gets the cursor (none for the first page).
    pub fn new(fetch: impl FnMut(Option<String>) -> PageFuture<'a, T, E> + Send + 'a) -> Self {
        Self {
            fetch: Box::new(fetch),
            buffer: std::collections::VecDeque::new(),
            cursor: None,
            in_flight: None,
            done: false,
        }
    }

    /// Collects every item of every page.
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error<E>> {
        let mut items = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut self), cx)
        })
        .await
        {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, E> Unpin for Pages<'_, T, E> {}

impl<T, E> futures_core::Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done {
                return Poll::Ready(None);
            }
            if self.in_flight.is_none() {
                let cursor = self.cursor.clone();
                let future = (self.fetch)(cursor);
                self.in_flight = Some(future);
            }
            let Some(future) = self.in_flight.as_mut() else {
                return Poll::Ready(None);
            };
            match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.in_flight = None;
                    match result {
                        Err(error) => {
                            self.done = true;
                            return Poll::Ready(Some(Err(error)));
                        }
                        Ok((items, next)) => {
                            let next = next.filter(|c| !c.is_empty());
                            if next.is_none() || next == self.cursor {
                                self.done = true;
                            }
                            self.cursor = next;
                            self.buffer.extend(items);
                        }
                    }
                }
            }
        }
    }
}
