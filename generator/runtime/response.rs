// Part of the runtime every generated client carries: responses, typed headers, and the
// decoding of bodies into successes or declared errors.

use std::fmt;
use std::time::Duration;

use super::{decode_with_policy, ByteStream, Error, EventStream, HeaderMap, StatusCode};

/// A response before it is decoded: read in full, or, for a status whose body the
/// operation streams, with the body still to be read.
#[derive(Debug)]
#[doc(hidden)]
pub struct RawResponse {
    /// Its status.
    pub status: StatusCode,
    /// Its headers.
    pub headers: HeaderMap,
    /// Its body (empty when [`RawResponse::stream`] holds it unread).
    pub body: Vec<u8>,
    /// The response with its body unread, for statuses the request streams (see
    /// `Request::stream_body_when`).
    pub stream: Option<reqwest::Response>,
    /// How many attempts it took (retries included).
    pub attempts: u32,
    /// Whether its body is decoded strictly ([`super::ClientConfig::strict_decoding`]).
    pub strict_decoding: bool,
}

// Errors carry the whole response (status, headers, body) on purpose.
#[allow(clippy::result_large_err)]
impl RawResponse {
    /// Decodes a JSON body.
    pub fn json<T: serde::de::DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        self.json_tolerated().map(|(body, _)| body)
    }

    /// Decodes a JSON body by the client's decoding policy, with how many values were
    /// tolerated. A body that does not decode is kept, whole, in the error.
    fn json_tolerated<T: serde::de::DeserializeOwned, E>(&self) -> Result<(T, u32), Error<E>> {
        let (result, tolerated) =
            decode_with_policy(self.strict_decoding, || serde_json::from_slice(&self.body));
        match result {
            Ok(body) => Ok((body, tolerated)),
            Err(source) => Err(Error::InvalidBody {
                status: self.status,
                headers: self.headers.clone(),
                source,
                body: self.body.clone(),
                attempts: self.attempts,
            }),
        }
    }

    /// A successful response with a JSON body.
    pub fn ok_json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        self.ok_json_map(|body| body)
    }

    /// A successful response with a text body (invalid UTF-8 is replaced, not refused).
    pub fn ok_text<E>(self) -> Result<Response<String>, Error<E>> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Ok(Response::new(self.status, self.headers, text))
    }

    /// A successful response with a body that is not decoded.
    pub fn ok_bytes<E>(self) -> Result<Response<Vec<u8>>, Error<E>> {
        Ok(Response::new(self.status, self.headers, self.body))
    }

    /// The body as a stream of chunks: the unread body, or the one read already.
    fn into_byte_stream(self) -> (StatusCode, HeaderMap, ByteStream) {
        let body = match self.stream {
            Some(response) => ByteStream::from_response(response),
            None => ByteStream::from_bytes(self.body),
        };
        (self.status, self.headers, body)
    }

    /// A successful response whose body is read as it arrives.
    pub fn ok_stream<E>(self) -> Result<Response<ByteStream>, Error<E>> {
        self.ok_stream_map(|body| body)
    }

    /// A successful `text/event-stream` response whose events carry JSON data.
    pub fn ok_events<T: serde::de::DeserializeOwned, E>(
        self,
    ) -> Result<Response<EventStream<T>>, Error<E>> {
        self.ok_events_map(|events| events)
    }

    /// A successful `text/event-stream` response whose events carry text.
    pub fn ok_event_text<E>(self) -> Result<Response<EventStream<String>>, Error<E>> {
        self.ok_event_text_map(|events| events)
    }

    /// A successful streamed response, wrapped by `wrap`.
    pub fn ok_stream_map<U, E>(self, wrap: impl FnOnce(ByteStream) -> U) -> Result<Response<U>, Error<E>> {
        let (status, headers, body) = self.into_byte_stream();
        Ok(Response::new(status, headers, wrap(body)))
    }

    /// A successful JSON event stream, wrapped by `wrap`.
    pub fn ok_events_map<T: serde::de::DeserializeOwned, U, E>(
        self,
        wrap: impl FnOnce(EventStream<T>) -> U,
    ) -> Result<Response<U>, Error<E>> {
        let events = if self.strict_decoding {
            EventStream::json_strict
        } else {
            EventStream::json
        };
        self.ok_stream_map(|body| wrap(events(body)))
    }

    /// A successful text event stream, wrapped by `wrap`.
    pub fn ok_event_text_map<U, E>(
        self,
        wrap: impl FnOnce(EventStream<String>) -> U,
    ) -> Result<Response<U>, Error<E>> {
        self.ok_stream_map(|body| wrap(EventStream::text(body)))
    }

    /// A successful response with a JSON body, wrapped by `wrap` (a variant of the
    /// operation's success enum).
    pub fn ok_json_map<T: serde::de::DeserializeOwned, U, E>(
        self,
        wrap: impl FnOnce(T) -> U,
    ) -> Result<Response<U>, Error<E>> {
        let (body, tolerated) = self.json_tolerated()?;
        let mut response = Response::new(self.status, self.headers, wrap(body));
        response.tolerated = tolerated;
        Ok(response)
    }

    /// A successful response with a text body, wrapped by `wrap`.
    pub fn ok_text_map<U, E>(self, wrap: impl FnOnce(String) -> U) -> Result<Response<U>, Error<E>> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Ok(Response::new(self.status, self.headers, wrap(text)))
    }

    /// A successful response with a raw body, wrapped by `wrap`.
    pub fn ok_bytes_map<U, E>(self, wrap: impl FnOnce(Vec<u8>) -> U) -> Result<Response<U>, Error<E>> {
        Ok(Response::new(self.status, self.headers, wrap(self.body)))
    }

    /// A successful response without a body, as `value`.
    pub fn ok_with<U, E>(self, value: U) -> Result<Response<U>, Error<E>> {
        Ok(Response::new(self.status, self.headers, value))
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
            attempts: self.attempts,
        })
    }

    /// A declared error status with a text body.
    pub fn api_error_text<T, E>(self, make: impl FnOnce(String, &HeaderMap) -> E) -> Result<T, Error<E>> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        let error = make(text, &self.headers);
        Err(Error::Api {
            status: self.status,
            headers: self.headers,
            error,
            attempts: self.attempts,
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
            attempts: self.attempts,
        })
    }

    /// A declared error status whose body is not decoded.
    pub fn api_error<T, E>(self, make: impl FnOnce(&HeaderMap) -> E) -> Result<T, Error<E>> {
        let error = make(&self.headers);
        Err(Error::Api {
            status: self.status,
            headers: self.headers,
            error,
            attempts: self.attempts,
        })
    }

    /// A status the operation does not declare.
    pub fn unexpected<T, E>(self) -> Result<T, Error<E>> {
        Err(Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body,
            attempts: self.attempts,
        })
    }
}

/// A successful response: its decoded body, with the status and headers still reachable.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
    tolerated: u32,
}

impl<T> Response<T> {
    /// Wraps a decoded body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Self {
            status,
            headers,
            body,
            tolerated: 0,
        }
    }

    /// How many values in the body the schema does not allow were tolerated (each is
    /// logged as a `tracing` warning naming its field; `null`s in fields not declared
    /// nullable at debug level). Always 0 with [`super::ClientConfig::strict_decoding`],
    /// where each of them fails the call instead.
    pub fn tolerated(&self) -> u32 {
        self.tolerated
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
#[doc(hidden)]
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
#[doc(hidden)]
pub const EXCERPT_LEN: usize = 200;

/// The start of a body as text, for messages.
#[doc(hidden)]
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_LEN) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.into_owned(),
    }
}

/// Writes an error body for `Display`: compact JSON, cut to [`EXCERPT_LEN`].
#[doc(hidden)]
pub fn display_body<B: serde::Serialize>(f: &mut fmt::Formatter<'_>, body: &B) -> fmt::Result {
    match serde_json::to_vec(body) {
        Ok(bytes) => f.write_str(&excerpt(&bytes)),
        Err(_) => f.write_str("<body>"),
    }
}

