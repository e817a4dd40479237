// Part of the runtime every generated client carries: `multipart/form-data` bodies, whose
// file parts are bytes in memory, a file read as the body is sent, or a stream.

/// An error from a stream given as a multipart part.
pub type PartStreamError = Box<dyn std::error::Error + Send + Sync>;

type PartChunks = std::pin::Pin<
    Box<dyn futures_core::Stream<Item = Result<bytes::Bytes, PartStreamError>> + Send>,
>;

/// A `multipart/form-data` body, built part by part (the spec's schema names the parts;
/// fields of `format: binary` are file parts). A file part's content is bytes in memory
/// ([`Multipart::file`]), a file read as the body is sent ([`Multipart::file_path`]), or a
/// stream ([`Multipart::file_stream`]). Parts are sent in the order they were added.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone, Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: PartData,
}

#[derive(Clone)]
enum PartData {
    Bytes(bytes::Bytes),
    /// Opened and read when the body is sent (each attempt reads it again).
    Path(std::path::PathBuf),
    /// Taken when the body is first sent: a request carrying one is sent once.
    Stream(std::sync::Arc<std::sync::Mutex<Option<PartChunks>>>),
}

impl std::fmt::Debug for PartData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Self::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Self::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// How many bytes of a file part are read at a time.
const FILE_CHUNK: usize = 64 * 1024;

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: PartData::Bytes(bytes::Bytes::from(value.into())),
        });
        self
    }

    /// Adds a file part from bytes in memory.
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<bytes::Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: PartData::Bytes(data.into()),
        });
        self
    }

    /// Adds a file part read from `path` as the body is sent (never whole in memory),
    /// named by the path's last component. A file that cannot be read fails the call with
    /// [`super::Error::Transport`].
    pub fn file_path(
        mut self,
        name: impl Into<String>,
        path: impl Into<std::path::PathBuf>,
        content_type: impl Into<String>,
    ) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name),
            content_type: Some(content_type.into()),
            data: PartData::Path(path),
        });
        self
    }

    /// Adds a file part whose content is a stream of chunks, sent as they come. A stream
    /// can be sent once: a retry after it was sent fails with [`super::Error::Transport`].
    pub fn file_stream<S, B, E>(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        stream: S,
    ) -> Self
    where
        S: futures_core::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<bytes::Bytes>,
        E: Into<PartStreamError>,
    {
        use futures_util::StreamExt;
        let chunks: PartChunks = Box::pin(stream.map(|item| item.map(Into::into).map_err(Into::into)));
        self.parts.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: PartData::Stream(std::sync::Arc::new(std::sync::Mutex::new(Some(chunks)))),
        });
        self
    }

    /// A part's headers, after its boundary line.
    fn part_head(boundary: &str, part: &Part) -> Vec<u8> {
        let name = part.name.replace('"', "%22");
        let mut head = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
        if let Some(file_name) = &part.file_name {
            head.push_str(&format!("; filename=\"{}\"", file_name.replace('"', "%22")));
        }
        head.push_str("\r\n");
        if let Some(content_type) = &part.content_type {
            head.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        head.push_str("\r\n");
        head.into_bytes()
    }

    /// The whole body, when every part is in memory.
    pub(super) fn encode_in_memory(&self, boundary: &str) -> Option<Vec<u8>> {
        let mut body = Vec::new();
        for part in &self.parts {
            let PartData::Bytes(data) = &part.data else {
                return None;
            };
            body.extend_from_slice(&Self::part_head(boundary, part));
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        Some(body)
    }

    /// The body read part by part as it is sent.
    pub(super) fn streaming_body(&self, content_type: &str) -> reqwest::Body {
        use futures_util::StreamExt;
        let boundary = content_type.rsplit("boundary=").next().unwrap_or_default().to_owned();
        let mut pieces: Vec<PartChunks> = Vec::new();
        let once = |bytes: Vec<u8>| -> PartChunks {
            Box::pin(futures_util::stream::once(std::future::ready(Ok(bytes::Bytes::from(bytes)))))
        };
        for part in &self.parts {
            pieces.push(once(Self::part_head(&boundary, part)));
            pieces.push(match &part.data {
                PartData::Bytes(data) => {
                    let data = data.clone();
                    Box::pin(futures_util::stream::once(std::future::ready(Ok(data))))
                }
                PartData::Path(path) => file_chunks(path.clone()),
                PartData::Stream(shared) => {
                    let taken = shared.lock().ok().and_then(|mut stream| stream.take());
                    taken.unwrap_or_else(|| {
                        let error: PartStreamError =
                            "a multipart stream part was sent already and cannot be sent again".into();
                        Box::pin(futures_util::stream::once(std::future::ready(Err(error))))
                    })
                }
            });
            pieces.push(once(b"\r\n".to_vec()));
        }
        pieces.push(once(format!("--{boundary}--\r\n").into_bytes()));
        reqwest::Body::wrap_stream(futures_util::stream::iter(pieces).flatten())
    }

    /// A boundary that occurs in no part held in memory; parts read later (files, streams)
    /// are not seen, so the boundary has 128 random bits.
    pub(super) fn boundary(&self) -> String {
        use std::hash::{BuildHasher, Hasher};
        loop {
            let random = |salt: u64| {
                let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
                hasher.write_u64(salt);
                hasher.finish()
            };
            let candidate = format!("apigen-{:016x}{:016x}", random(1), random(2));
            let needle = candidate.as_bytes();
            let clash = self.parts.iter().any(|p| match &p.data {
                PartData::Bytes(data) => data.windows(needle.len()).any(|w| w == needle),
                PartData::Path(_) | PartData::Stream(_) => false,
            });
            if !clash {
                return candidate;
            }
        }
    }
}

/// The content of the file at `path`, opened when first polled and read in chunks.
fn file_chunks(path: std::path::PathBuf) -> PartChunks {
    use tokio::io::AsyncReadExt;
    enum File {
        Closed(std::path::PathBuf),
        Open(tokio::fs::File),
        Done,
    }
    Box::pin(futures_util::stream::unfold(File::Closed(path), |state| async move {
        let mut file = match state {
            File::Done => return None,
            File::Open(file) => file,
            File::Closed(path) => match tokio::fs::File::open(&path).await {
                Ok(file) => file,
                Err(e) => {
                    let error: PartStreamError =
                        format!("cannot read multipart file {}: {e}", path.display()).into();
                    return Some((Err(error), File::Done));
                }
            },
        };
        let mut buffer = Vec::with_capacity(FILE_CHUNK);
        match (&mut file).take(FILE_CHUNK as u64).read_to_end(&mut buffer).await {
            Ok(0) => None,
            Ok(_) => Some((Ok(bytes::Bytes::from(buffer)), File::Open(file))),
            Err(e) => Some((Err(PartStreamError::from(e)), File::Done)),
        }
    }))
}
