// Part of the runtime every generated client carries: building requests (path segments,
// query and header parameters, bodies).

use super::{HeaderMap, Method, Multipart, RequestError, Url};

/// A request being assembled by a generated method.
#[derive(Debug)]
#[doc(hidden)]
pub struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<(&'static str, Vec<u8>)>,
    body_with_type: Option<String>,
    /// A multipart body with parts read only when it is sent (files, streams).
    multipart: Option<(String, Multipart)>,
    /// Which statuses' bodies are streamed rather than read whole.
    streamed: Option<fn(u16) -> bool>,
    operation_id: &'static str,
    template: &'static str,
    /// The first parameter or body that could not be encoded; the call fails with it
    /// before anything is sent.
    error: Option<RequestError>,
}

impl Request {
    /// A request with no parameters or body yet.
    pub fn new(method: Method, url: Url, operation_id: &'static str, template: &'static str) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            body_with_type: None,
            multipart: None,
            streamed: None,
            operation_id,
            template,
            error: None,
        }
    }

    /// Sends the request to `url` instead (the next page's URL from a `Link` header),
    /// which replaces the path and the query; refused unless `url` has the scheme, host
    /// and port of `base`, so credentials go nowhere else.
    pub fn set_url(&mut self, url: Url, base: &Url) {
        if same_origin(&url, base) {
            self.url = url;
        } else {
            self.fail(RequestError(format!(
                "refusing to send a request to {}, which is not the client's base URL",
                url.origin().ascii_serialization()
            )));
        }
    }

    /// Records a failure to encode a parameter or the body (the first one is kept).
    pub fn fail(&mut self, error: RequestError) {
        self.error.get_or_insert(error);
    }

    /// The first encoding failure, taken out of the request.
    pub fn take_error(&mut self) -> Option<RequestError> {
        self.error.take()
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The headers set so far: header parameters and `Accept`, not credentials (those are
    /// added when the request is sent).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body and its `Content-Type`, if set.
    pub fn body(&self) -> Option<(&str, &[u8])> {
        let (media, bytes) = self.body.as_ref()?;
        let content_type = self.body_with_type.as_deref().unwrap_or(media);
        Some((content_type, bytes.as_slice()))
    }

    /// The body as it is sent: its `Content-Type` and a fresh body (a multipart body with
    /// file or stream parts reads them as it is sent, again for each attempt).
    pub fn send_body(&self) -> Option<(String, reqwest::Body)> {
        if let Some((content_type, multipart)) = &self.multipart {
            return Some((content_type.clone(), multipart.streaming_body(content_type)));
        }
        let (content_type, bytes) = self.body()?;
        Some((content_type.to_owned(), reqwest::Body::from(bytes.to_vec())))
    }

    /// Streams the body of responses whose status `streamed` accepts, instead of reading it
    /// whole (the generated method says which statuses its spec streams).
    pub fn stream_body_when(&mut self, streamed: fn(u16) -> bool) {
        self.streamed = Some(streamed);
    }

    /// Whether a response with this status keeps its body unread.
    pub fn streams_body(&self, status: u16) -> bool {
        self.streamed.is_some_and(|streamed| streamed(status))
    }

    /// Whether any response of this request may be streamed.
    pub fn streams_any_body(&self) -> bool {
        self.streamed.is_some()
    }

    /// The operation's id in the spec.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The path template, like `/v2/users/{id}` (logged instead of the filled path).
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// Appends a query parameter in the given style, its name and values percent-encoded
    /// as RFC 3986 has it (a space is `%20`). Absent optional values send nothing.
    pub fn query<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V, style: Style) {
        match to_value(name, value) {
            Ok(value) => self.query_value(name, &value, style, Escape::Query),
            Err(error) => self.fail(error),
        }
    }

    /// [`Request::query`] for a parameter with `allowReserved: true`: the reserved
    /// characters `:/?#[]@!$&'()*+,;=` of its values are sent as they are.
    pub fn query_allow_reserved<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V, style: Style) {
        match to_value(name, value) {
            Ok(value) => self.query_value(name, &value, style, Escape::QueryAllowReserved),
            Err(error) => self.fail(error),
        }
    }

    fn query_value(&mut self, name: &str, value: &serde_json::Value, style: Style, escape: Escape) {
        let pairs = style_pairs(name, value, style, escape);
        if !pairs.is_empty() {
            let added: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let query = match self.url.query().filter(|q| !q.is_empty()) {
                Some(existing) => format!("{existing}&{}", added.join("&")),
                None => added.join("&"),
            };
            self.url.set_query(Some(&query));
        }
    }

    /// Sets a header parameter (simple style). Absent optional values send nothing.
    pub fn header<V: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &V, explode: bool) {
        match to_value(name, value) {
            Ok(value) => self.header_value(name, &value, explode),
            Err(error) => self.fail(error),
        }
    }

    fn header_value(&mut self, name: &'static str, value: &serde_json::Value, explode: bool) {
        let Some(text) = simple_text(value, explode) else {
            return;
        };
        match reqwest::header::HeaderValue::from_str(&text) {
            Ok(value) => {
                self.headers.insert(name, value);
            }
            Err(_) => self.fail(RequestError(format!(
                "header parameter `{name}` is not a valid header value"
            ))),
        }
    }

    /// Adds a cookie parameter to the `Cookie` header. Absent optional values send nothing.
    pub fn cookie<V: serde::Serialize + ?Sized>(&mut self, name: &str, value: &V) {
        match to_value(name, value) {
            Ok(value) => self.cookie_value(name, &value),
            Err(error) => self.fail(error),
        }
    }

    fn cookie_value(&mut self, name: &str, value: &serde_json::Value) {
        let Some(text) = simple_text(value, false) else {
            return;
        };
        let pair = format!("{name}={}", form_encode(&text));
        let joined = match self.headers.get(reqwest::header::COOKIE).and_then(|v| v.to_str().ok()) {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        match reqwest::header::HeaderValue::from_str(&joined) {
            Ok(value) => {
                self.headers.insert(reqwest::header::COOKIE, value);
            }
            Err(_) => self.fail(RequestError(format!("cookie parameter `{name}` is not valid"))),
        }
    }

    /// Sets the `Accept` header: the media types the operation's responses are read in
    /// (the generator writes only valid header values; anything else leaves the HTTP
    /// client's `*/*`).
    pub fn accept(&mut self, media: &'static str) {
        if let Ok(value) = reqwest::header::HeaderValue::from_str(media) {
            self.headers.insert(reqwest::header::ACCEPT, value);
        }
    }

    /// Sets a JSON body.
    pub fn json<B: serde::Serialize + ?Sized>(&mut self, body: &B) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(("application/json", bytes)),
            Err(e) => self.fail(RequestError(format!("request body cannot be encoded: {e}"))),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from a struct or map.
    pub fn form<B: serde::Serialize + ?Sized>(&mut self, body: &B) {
        match to_value("body", body) {
            Ok(value) => {
                let encoded: Vec<String> = style_pairs("body", &value, Style::Form, Escape::Form)
                    .into_iter()
                    .map(|(key, text)| format!("{key}={text}"))
                    .collect();
                self.body = Some((
                    "application/x-www-form-urlencoded",
                    encoded.join("&").into_bytes(),
                ));
            }
            Err(error) => self.fail(error),
        }
    }

    /// Sets a `multipart/form-data` body: encoded now when every part is in memory, else
    /// read part by part as it is sent.
    pub fn multipart(&mut self, body: &Multipart) {
        let boundary = body.boundary();
        let content_type = format!("multipart/form-data; boundary={boundary}");
        match body.encode_in_memory(&boundary) {
            Some(bytes) => {
                self.body_with_type = Some(content_type);
                self.body = Some(("multipart/form-data", bytes));
            }
            None => self.multipart = Some((content_type, body.clone())),
        }
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

/// How a query, header or form parameter is written (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub enum Style {
    /// `form`, exploded (the default): arrays repeat the name, objects send their fields.
    Form,
    /// `form` with `explode: false`: values joined with commas.
    FormUnexploded,
    /// `deepObject`: `name[field]=value`.
    DeepObject,
    /// `spaceDelimited`: array values joined with spaces.
    SpaceDelimited,
    /// `pipeDelimited`: array values joined with `|`.
    PipeDelimited,
}

fn to_value<V: serde::Serialize + ?Sized>(name: &str, value: &V) -> Result<serde_json::Value, RequestError> {
    serde_json::to_value(value)
        .map_err(|e| RequestError(format!("parameter `{name}` cannot be encoded: {e}")))
}

/// The text of a scalar (strings as they are, no quotes); `None` for null.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => {
            Some(items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","))
        }
        other => Some(other.to_string()),
    }
}

/// The `simple` style text of a value (headers, cookies, path segments).
fn simple_text(value: &serde_json::Value, explode: bool) -> Option<String> {
    match value {
        serde_json::Value::Object(fields) => {
            let parts: Vec<String> = fields
                .iter()
                .filter_map(|(k, v)| {
                    let v = scalar_text(v)?;
                    Some(if explode { format!("{k}={v}") } else { format!("{k},{v}") })
                })
                .collect();
            Some(parts.join(","))
        }
        other => scalar_text(other),
    }
}

/// The pairs a value sends in a query string or form body, percent-encoded, with the
/// style's separators left literal (so a comma inside a value stays apart from the commas
/// between values).
fn style_pairs(name: &str, value: &serde_json::Value, style: Style, escape: Escape) -> Vec<(String, String)> {
    use serde_json::Value;
    let key = key_encode(name, escape);
    let encoded = |value: &Value| scalar_text(value).map(|text| escape.value(&text));
    match (value, style) {
        (Value::Null, _) => Vec::new(),
        (Value::Array(items), Style::Form | Style::DeepObject) => items
            .iter()
            .filter_map(|item| Some((key.clone(), encoded(item)?)))
            .collect(),
        (Value::Array(items), _) => {
            let separator = match style {
                Style::SpaceDelimited => "%20",
                Style::PipeDelimited => "|",
                _ => ",",
            };
            let texts: Vec<String> = items.iter().filter_map(encoded).collect();
            vec![(key, texts.join(separator))]
        }
        (Value::Object(fields), Style::DeepObject) => {
            let mut pairs = Vec::new();
            for (field_name, field) in fields {
                pairs.extend(style_pairs(&format!("{name}[{field_name}]"), field, Style::DeepObject, escape));
            }
            pairs
        }
        (Value::Object(fields), Style::Form) => fields
            .iter()
            .flat_map(|(field_name, field)| style_pairs(field_name, field, Style::Form, escape))
            .collect(),
        (Value::Object(fields), _) => {
            let texts: Vec<String> = fields
                .iter()
                .filter_map(|(k, v)| Some(format!("{},{}", escape.value(k), encoded(v)?)))
                .collect();
            vec![(key, texts.join(","))]
        }
        (scalar, _) => encoded(scalar).map(|text| vec![(key, text)]).unwrap_or_default(),
    }
}

/// Encodes a query key (never with reserved characters left as they are: they would
/// change the pairs), keeping the brackets of `deepObject` names readable.
fn key_encode(name: &str, escape: Escape) -> String {
    let escape = match escape {
        Escape::Form => Escape::Form,
        Escape::Query | Escape::QueryAllowReserved => Escape::Query,
    };
    escape.value(name).replace("%5B", "[").replace("%5D", "]")
}

/// How the names and values of pairs are percent-encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    /// An `application/x-www-form-urlencoded` body: a space is `+`.
    Form,
    /// A query string (RFC 3986, as RFC 6570's form expansion): everything but the
    /// unreserved characters is percent-encoded, a space as `%20`.
    Query,
    /// A query parameter with `allowReserved`: the reserved characters are kept too.
    QueryAllowReserved,
}

impl Escape {
    fn value(self, text: &str) -> String {
        match self {
            Self::Form => form_encode(text),
            Self::Query => percent_encoding::utf8_percent_encode(text, QUERY).to_string(),
            Self::QueryAllowReserved => {
                percent_encoding::utf8_percent_encode(text, QUERY_ALLOW_RESERVED).to_string()
            }
        }
    }
}

/// Characters a query string leaves as they are: RFC 3986's unreserved ones.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`QUERY`] and the reserved characters (`allowReserved`): gen-delims and sub-delims.
const QUERY_ALLOW_RESERVED: &percent_encoding::AsciiSet = &QUERY
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// Characters `application/x-www-form-urlencoded` leaves as they are.
const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn form_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, FORM)
        .to_string()
        .replace("%20", "+")
}

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters.
const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request path being filled by a generated method: literal parts, and path parameters
/// each encoded as exactly one segment, so no value can change which resource is addressed:
/// `/` and every other reserved character are percent-encoded, and the values `""`, `.` and
/// `..` (which URL normalisation would remove) are refused.
#[derive(Debug)]
#[doc(hidden)]
pub struct Path {
    text: String,
    error: Option<RequestError>,
}

impl Path {
    /// A path starting with `literal` (which starts with `/`).
    pub fn new(literal: &str) -> Self {
        Self {
            text: literal.to_owned(),
            error: None,
        }
    }

    /// Appends literal text.
    pub fn literal(mut self, text: &str) -> Self {
        self.text.push_str(text);
        self
    }

    /// Appends path parameter `name` as one encoded segment.
    pub fn param<V: serde::Serialize + ?Sized>(self, name: &str, value: &V) -> Self {
        match to_value(name, value) {
            Ok(value) => self.param_value(name, &value),
            Err(error) => self.failed(error),
        }
    }

    fn param_value(mut self, name: &str, value: &serde_json::Value) -> Self {
        let text = simple_text(value, false).unwrap_or_default();
        if text.is_empty() || text == "." || text == ".." {
            return self.failed(RequestError(format!(
                "path parameter `{name}` cannot be {text:?}: it would change the request path"
            )));
        }
        self.text
            .extend(percent_encoding::utf8_percent_encode(&text, PATH_SEGMENT));
        self
    }

    fn failed(mut self, error: RequestError) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// The encoded path, or the first parameter that could not be encoded.
    pub fn finish(self) -> Result<String, RequestError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.text),
        }
    }
}

/// Whether `url` has the scheme, host and port of `base`: where the client's credentials
/// may go.
#[doc(hidden)]
pub fn same_origin(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
}
