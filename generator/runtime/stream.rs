// Part of the runtime every generated client carries: response bodies read as they arrive
// (byte streams, for binary downloads), and the error such a stream, or an event stream,
// can end with.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use bytes::Bytes;

use super::Event;

type Chunks = Pin<Box<dyn futures_core::Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A response body read chunk by chunk as it arrives, never held whole by the client: a
/// [`Stream`](futures_core::Stream) of [`Bytes`]. Binary downloads (`application/octet-stream`,
/// `image/*`, `*/*`, ...) return one.
///
/// There is no deadline for the whole body: a gap of more than the client's
/// `request_timeout` between two reads ends the stream with a [`StreamError::Transport`]
/// whose [`StreamError::is_timeout`] is true. Nothing is retried once the body has started.
pub struct ByteStream {
    chunks: Option<Chunks>,
    buffered: Option<Bytes>,
    content_length: Option<u64>,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl ByteStream {
    /// The body of `response`, read as it arrives.
    #[doc(hidden)]
    pub fn from_response(response: reqwest::Response) -> Self {
        Self {
            content_length: response.content_length(),
            chunks: Some(Box::pin(response.bytes_stream())),
            buffered: None,
        }
    }

    /// A stream of one chunk already in memory (for tests, or to parse events from bytes
    /// at hand with [`super::EventStream::json`] or [`super::EventStream::text`]).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        Self {
            content_length: Some(bytes.len() as u64),
            chunks: None,
            // An empty body yields no chunk at all.
            buffered: (!bytes.is_empty()).then_some(bytes),
        }
    }

    /// The body's length, when the server declared it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn next(&mut self) -> Option<Result<Bytes, StreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next_chunk(cx)).await
    }

    /// Reads the rest of the body into memory (the caller's choice: the client never does).
    pub async fn bytes(mut self) -> Result<Bytes, StreamError> {
        let mut all = Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(all))
    }

    /// Writes the rest of the body to `sink` as it arrives; returns how many bytes were
    /// written. The sink is flushed at the end.
    pub async fn write_to<W>(mut self, sink: &mut W) -> Result<u64, StreamError>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            sink.write_all(&chunk).await.map_err(StreamError::Io)?;
            written += chunk.len() as u64;
        }
        sink.flush().await.map_err(StreamError::Io)?;
        Ok(written)
    }

    /// Writes the rest of the body to a new file at `path` (replacing one that is there);
    /// returns how many bytes were written.
    pub async fn save_to_file(self, path: impl AsRef<std::path::Path>) -> Result<u64, StreamError> {
        let mut file = tokio::fs::File::create(path).await.map_err(StreamError::Io)?;
        self.write_to(&mut file).await
    }

    fn poll_next_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, StreamError>>> {
        if let Some(bytes) = self.buffered.take() {
            return Poll::Ready(Some(Ok(bytes)));
        }
        let Some(chunks) = self.chunks.as_mut() else {
            return Poll::Ready(None);
        };
        match chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => Poll::Ready(Some(Ok(chunk))),
            Poll::Ready(Some(Err(error))) => {
                // A failed body ends the stream.
                self.chunks = None;
                Poll::Ready(Some(Err(StreamError::Transport(error))))
            }
            Poll::Ready(None) => {
                self.chunks = None;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_next_chunk(cx)
    }
}

/// Why a [`ByteStream`] or an [`super::EventStream`] stopped early, or why one event could
/// not be decoded.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The body could not be read: the connection was reset or closed early, or no data
    /// arrived for the client's `request_timeout` ([`StreamError::is_timeout`]). Ends the
    /// stream.
    Transport(reqwest::Error),
    /// An event, or one line of the stream, grew past the stream's size limit
    /// ([`super::EventStream::with_max_event_bytes`]). Ends the stream.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// An event's data does not decode as the schema's type. The event is kept, with its
    /// data as received; the stream goes on.
    InvalidEvent {
        /// What did not parse.
        source: serde_json::Error,
        /// The event, its data as received.
        event: Event<String>,
    },
    /// Writing the body out ([`ByteStream::write_to`], [`ByteStream::save_to_file`])
    /// failed.
    Io(std::io::Error),
}

impl StreamError {
    /// Whether the stream stopped because no data arrived in time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Transport(error) if error.is_timeout())
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(error) if error.is_timeout() => {
                write!(f, "response body stalled: read timeout fired: {error}")
            }
            Self::Transport(error) => write!(f, "response body could not be read: {error}"),
            Self::TooLarge { limit } => {
                write!(f, "an event of the stream is larger than its limit of {limit} bytes")
            }
            Self::InvalidEvent { source, event } => write!(
                f,
                "event data does not match the spec ({source}); data: {}",
                super::excerpt(event.data.as_bytes())
            ),
            Self::Io(error) => write!(f, "writing the response body failed: {error}"),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(error) => Some(error),
            Self::InvalidEvent { source, .. } => Some(source),
            Self::Io(error) => Some(error),
            Self::TooLarge { .. } => None,
        }
    }
}
