// Part of the runtime every generated client carries: `text/event-stream` responses
// (server-sent events) as a stream of typed events, parsed incrementally from the body's
// chunks by the WHATWG HTML standard's rules ("Server-sent events", "Parsing an event
// stream").

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::{ByteStream, StreamError};

/// One server-sent event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event type (the `event:` field; `message` when there is none).
    pub event: String,
    /// The data (the `data:` lines joined with `\n`), decoded.
    pub data: T,
    /// The last event id the stream set (`id:`, kept from earlier events as the standard
    /// says), if any.
    pub id: Option<String>,
    /// The reconnection time this event's own `retry:` field set, if it had one (the
    /// stream's latest is [`EventStream::retry`]).
    pub retry: Option<Duration>,
}

/// The default of [`EventStream::with_max_event_bytes`]: 8 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 8 * 1024 * 1024;

/// How an event's data becomes a `T`.
type DecodeData<T> = fn(&str) -> Result<T, serde_json::Error>;

/// A `text/event-stream` response body as a [`Stream`](futures_core::Stream) of
/// [`Event`]s, parsed as the body arrives (the client never holds it whole).
///
/// - The data of an operation whose event schema is an object, array or map (a named
///   type) is decoded as JSON into that type; otherwise it is the text as sent
///   (`EventStream<String>`).
/// - A JSON stream ends, without an item, at an event whose data is exactly `[DONE]`
///   (the sentinel OpenAI's streaming endpoints send last, which is not JSON). A text
///   stream yields `[DONE]` like any other data.
/// - Data that does not decode gives [`StreamError::InvalidEvent`] with the event as
///   received; the stream goes on. A transport failure or an event larger than the limit
///   ([`EventStream::with_max_event_bytes`]) ends it.
/// - Comments (lines starting with `:`, often sent as keep-alives), events without data
///   and unknown fields give no item; an event cut off by the end of the body (no blank
///   line after it) is dropped, as the standard says.
pub struct EventStream<T> {
    body: ByteStream,
    parser: Parser,
    decode: DecodeData<T>,
    ends_at_done: bool,
    finished: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("body", &self.body)
            .field("last_event_id", &self.parser.last_id)
            .field("retry", &self.parser.reconnection)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T: serde::de::DeserializeOwned> EventStream<T> {
    /// Events whose data is JSON of type `T`; `[DONE]` ends the stream.
    pub fn json(body: ByteStream) -> Self {
        Self::new(body, |data| serde_json::from_str(data), true)
    }

    /// [`EventStream::json`] decoding each event strictly (`ClientConfig::strict_decoding`).
    #[doc(hidden)]
    pub fn json_strict(body: ByteStream) -> Self {
        Self::new(
            body,
            |data| super::decode_strictly(|| serde_json::from_str(data)),
            true,
        )
    }
}

impl EventStream<String> {
    /// Events whose data is kept as text.
    pub fn text(body: ByteStream) -> Self {
        Self::new(body, |data| Ok(data.to_owned()), false)
    }
}

impl<T> EventStream<T> {
    fn new(body: ByteStream, decode: DecodeData<T>, ends_at_done: bool) -> Self {
        Self {
            body,
            parser: Parser::new(DEFAULT_MAX_EVENT_BYTES),
            decode,
            ends_at_done,
            finished: false,
        }
    }

    /// Sets the size limit of one event (its data and fields) and of any one line, in
    /// bytes; a larger one ends the stream with [`StreamError::TooLarge`]. Memory use stays
    /// within about this limit however long the stream runs.
    pub fn with_max_event_bytes(mut self, limit: usize) -> Self {
        self.parser.limit = limit;
        self
    }

    /// The last event id the server set (`id:`), to resume with a `Last-Event-ID` header.
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_id.as_deref().filter(|id| !id.is_empty())
    }

    /// The latest reconnection time the server asked for (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.parser.reconnection
    }

    /// The next event, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<Event<T>, StreamError>> {
        std::future::poll_fn(|cx| self.poll_event(cx)).await
    }

    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Event<T>, StreamError>>> {
        loop {
            if let Some(raw) = self.parser.ready.pop_front() {
                if self.ends_at_done && raw.data == "[DONE]" {
                    self.finish();
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(match (self.decode)(&raw.data) {
                    Ok(data) => Ok(Event {
                        event: raw.event,
                        data,
                        id: raw.id,
                        retry: raw.retry,
                    }),
                    Err(source) => Err(StreamError::InvalidEvent { source, event: raw }),
                }));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            match futures_core::Stream::poll_next(Pin::new(&mut self.body), cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(error) = self.parser.feed(&chunk) {
                        self.finish();
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                Poll::Ready(Some(Err(error))) => {
                    self.finish();
                    return Poll::Ready(Some(Err(error)));
                }
                // An event without its blank line is dropped (`finish` clears it).
                Poll::Ready(None) => self.finish(),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn finish(&mut self) {
        self.finished = true;
        self.parser.ready.clear();
        self.parser.line.clear();
        self.parser.data.clear();
    }
}

impl<T> futures_core::Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_event(cx)
    }
}

/// The event stream parser: bytes in, complete events out.
struct Parser {
    /// The current line, not yet ended.
    line: Vec<u8>,
    /// Whether the last byte seen was a CR (so an LF right after it ends nothing).
    after_cr: bool,
    /// Whether the first line is still to come (it may start with a byte order mark).
    first_line: bool,
    /// The data buffer of the event being read.
    data: String,
    /// The event type buffer.
    event: String,
    /// The `retry:` of the event being read.
    event_retry: Option<Duration>,
    /// The last event id buffer (kept across events).
    last_id: Option<String>,
    /// The stream's reconnection time.
    reconnection: Option<Duration>,
    /// Events complete and not yet taken, their data as text.
    ready: VecDeque<Event<String>>,
    /// The size limit of one event or line.
    limit: usize,
}

impl Parser {
    fn new(limit: usize) -> Self {
        Self {
            line: Vec::new(),
            after_cr: false,
            first_line: true,
            data: String::new(),
            event: String::new(),
            event_retry: None,
            last_id: None,
            reconnection: None,
            ready: VecDeque::new(),
            limit,
        }
    }

    /// Reads one chunk: lines end at CRLF, LF or CR, wherever the chunk boundaries fall.
    fn feed(&mut self, mut chunk: &[u8]) -> Result<(), StreamError> {
        while !chunk.is_empty() {
            if self.after_cr && chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
            self.after_cr = false;
            match chunk.iter().position(|b| *b == b'\n' || *b == b'\r') {
                Some(end) => {
                    self.line.extend_from_slice(&chunk[..end]);
                    self.check_size()?;
                    self.after_cr = chunk[end] == b'\r';
                    chunk = &chunk[end + 1..];
                    let line = std::mem::take(&mut self.line);
                    self.line_ended(&line);
                    self.line = line;
                    self.line.clear();
                    self.check_size()?;
                }
                None => {
                    self.line.extend_from_slice(chunk);
                    chunk = &[];
                    self.check_size()?;
                }
            }
        }
        Ok(())
    }

    fn check_size(&self) -> Result<(), StreamError> {
        if self.line.len() + self.data.len() + self.event.len() > self.limit {
            return Err(StreamError::TooLarge { limit: self.limit });
        }
        Ok(())
    }

    fn line_ended(&mut self, line: &[u8]) {
        let mut text = String::from_utf8_lossy(line);
        if std::mem::take(&mut self.first_line) {
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                text = rest.to_owned().into();
            }
        }
        if text.is_empty() {
            self.dispatch();
            return;
        }
        if text.starts_with(':') {
            return; // a comment
        }
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text.as_ref(), ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    let retry = Duration::from_millis(millis);
                    self.event_retry = Some(retry);
                    self.reconnection = Some(retry);
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self) {
        let retry = self.event_retry.take();
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the `\n` after the last data line
        self.ready.push_back(Event {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone().filter(|id| !id.is_empty()),
            retry,
        });
    }
}
