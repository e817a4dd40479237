// Part of the runtime every generated client carries: building requests (path segments,
// query and header parameters, bodies).

use std::fmt;

use super::{HeaderMap, Method, RequestError, Url};

/// A request being assembled by a generated method.
#[derive(Debug)]
pub struct Request {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<(&'static str, Vec<u8>)>,
    operation_id: &'static str,
    template: &'static str,
}

impl Request {
    /// A request with no parameters or body yet.
    pub fn new(method: Method, url: Url, operation_id: &'static str, template: &'static str) -> Self {
        Self {
            method,
            url,
            headers: HeaderMap::new(),
            body: None,
            operation_id,
            template,
        }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The headers set so far (parameters, not credentials).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body and its media type, if set.
    pub fn body(&self) -> Option<(&'static str, &[u8])> {
        self.body.as_ref().map(|(media, bytes)| (*media, bytes.as_slice()))
    }

    /// The operation's id in the spec.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The path template, like `/v2/users/{id}` (logged instead of the filled path).
    pub fn template(&self) -> &'static str {
        self.template
    }

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

