// Part of the runtime every generated client carries: the error type of every call.

use std::fmt;

use super::{excerpt, HeaderMap, StatusCode};

/// A request that cannot be built from the arguments given (for example a path parameter
/// that would change the path, or a header value with a newline).
#[derive(Clone, Debug, PartialEq, Eq)]
#[doc(hidden)]
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

/// Which timeout fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutKind {
    /// The connection could not be opened in time ([`super::ClientConfig::connect_timeout`]).
    Connect,
    /// The response, body included, did not arrive in time
    /// ([`super::ClientConfig::request_timeout`]).
    Request,
}

impl fmt::Display for TimeoutKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connect timeout",
            Self::Request => "request timeout",
        })
    }
}

/// Why a page stream stopped with [`Error::Paging`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingError {
    /// The server sent a cursor, offset or next URL it had sent before: following it
    /// would loop.
    Repeated(super::PageKey),
    /// More pages than [`super::ClientConfig::max_pages`] (the number): the stream stops
    /// rather than run forever.
    PageLimit(u32),
    /// A `Link` header's next URL is on another scheme, host or port (its origin) than
    /// the client's base URL; it is not followed, so credentials stay with the base URL.
    ForeignLink(String),
    /// A `Link` header's next URL does not parse.
    InvalidLink(String),
    /// The page says there is more (`has_more`) but has no items to continue after.
    EmptyPageWithMore,
    /// The page says there is more but its last item has no id to continue after.
    MissingId,
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Repeated(super::PageKey::Cursor(cursor)) => {
                write!(f, "the server sent the cursor {cursor:?} a second time")
            }
            Self::Repeated(super::PageKey::Number(number)) => {
                write!(f, "the server led to offset or page {number} a second time")
            }
            Self::Repeated(super::PageKey::Url(url)) => {
                write!(f, "the server sent the next URL path {:?} a second time", url.path())
            }
            Self::PageLimit(limit) => write!(
                f,
                "more than {limit} pages (ClientConfig::max_pages); the server may never end"
            ),
            Self::ForeignLink(origin) => write!(
                f,
                "the next page's Link URL is on {origin}, not the client's base URL; not followed"
            ),
            Self::InvalidLink(link) => write!(f, "the next page's Link URL is invalid: {link}"),
            Self::EmptyPageWithMore => {
                f.write_str("a page says it has_more but is empty, so there is no item to continue after")
            }
            Self::MissingId => {
                f.write_str("a page says it has_more but its last item has no id to continue after")
            }
        }
    }
}

/// Everything that can go wrong in a call. `E` is the operation's own enum of the error
/// statuses its spec declares, so callers match on statuses, never on body shapes.
/// Variants that follow sending say how many attempts were made (retries included).
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
        /// Attempts made.
        attempts: u32,
    },
    /// The server answered with a status the operation does not declare.
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Vec<u8>,
        /// Attempts made.
        attempts: u32,
    },
    /// The body does not match the schema declared for its status (or is not JSON).
    InvalidBody {
        /// The status.
        status: StatusCode,
        /// The response headers (a `Retry-After` stays readable here).
        headers: HeaderMap,
        /// What did not parse.
        source: serde_json::Error,
        /// The raw body.
        body: Vec<u8>,
        /// Attempts made.
        attempts: u32,
    },
    /// A timeout fired.
    Timeout {
        /// Which one.
        kind: TimeoutKind,
        /// The underlying error.
        source: reqwest::Error,
        /// Attempts made.
        attempts: u32,
    },
    /// The request could not be sent or the response not read (connection refused or
    /// reset, TLS failure, body cut short, ...).
    Transport {
        /// The underlying error.
        source: reqwest::Error,
        /// Attempts made.
        attempts: u32,
    },
    /// The request could not be built from the arguments; nothing was sent.
    InvalidRequest(String),
    /// A page stream stopped: the server's paging would loop, never end, or lead to
    /// another host. The items of the pages before were yielded.
    Paging {
        /// What went wrong.
        kind: PagingError,
        /// Pages received, the one that showed the problem included.
        pages: u32,
    },
}

impl<E> Error<E> {
    /// Classifies a transport failure after `attempts` attempts.
    #[doc(hidden)]
    pub fn from_transport(source: reqwest::Error, attempts: u32) -> Self {
        if source.is_timeout() {
            let kind = if source.is_connect() {
                TimeoutKind::Connect
            } else {
                TimeoutKind::Request
            };
            Self::Timeout {
                kind,
                source,
                attempts,
            }
        } else {
            Self::Transport { source, attempts }
        }
    }

    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::InvalidBody { status, .. } => Some(*status),
            Self::Timeout { .. }
            | Self::Transport { .. }
            | Self::InvalidRequest(_)
            | Self::Paging { .. } => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Self::Api { headers, .. }
            | Self::UnexpectedStatus { headers, .. }
            | Self::InvalidBody { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// How many attempts were made (0 when the request could not be built, and for
    /// [`Error::Paging`], where no request failed).
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Api { attempts, .. }
            | Self::UnexpectedStatus { attempts, .. }
            | Self::InvalidBody { attempts, .. }
            | Self::Timeout { attempts, .. }
            | Self::Transport { attempts, .. } => *attempts,
            Self::InvalidRequest(_) | Self::Paging { .. } => 0,
        }
    }

    /// The raw body of a response that did not decode ([`Error::InvalidBody`], strict
    /// decoding's refusals included) or had an undeclared status, as received.
    pub fn body(&self) -> Option<&[u8]> {
        match self {
            Self::UnexpectedStatus { body, .. } | Self::InvalidBody { body, .. } => Some(body),
            _ => None,
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

/// " after N attempts", for messages, when there was more than one.
fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

impl<E: fmt::Display> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Api {
                status,
                error,
                attempts,
                ..
            } => write!(f, "HTTP {status}{}: {error}", attempts_note(*attempts)),
            Self::UnexpectedStatus {
                status,
                body,
                attempts,
                ..
            } => write!(
                f,
                "undeclared HTTP status {status}{}; body: {}",
                attempts_note(*attempts),
                excerpt(body)
            ),
            Self::InvalidBody {
                status,
                source,
                body,
                attempts,
                ..
            } => write!(
                f,
                "HTTP {status} response body does not match the spec ({source}){}; body: {}",
                attempts_note(*attempts),
                excerpt(body)
            ),
            Self::Timeout {
                kind,
                source,
                attempts,
            } => write!(f, "{kind} fired{}: {source}", attempts_note(*attempts)),
            Self::Transport { source, attempts } => {
                write!(f, "request failed{}: {source}", attempts_note(*attempts))
            }
            Self::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Self::Paging { kind, pages } => {
                let plural = if *pages == 1 { "" } else { "s" };
                write!(f, "paging stopped after {pages} page{plural}: {kind}")
            }
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidBody { source, .. } => Some(source),
            Self::Timeout { source, .. } | Self::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}
