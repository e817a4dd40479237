//! A local stand-in for Gong's four Users endpoints, so tests and examples run without a
//! Gong account.
//!
//! [`StandIn::start`] serves, on 127.0.0.1, the fixture users of [`crate::fixtures`]:
//!
//! - `GET /v2/users?cursor=&includeAvatars=`: pages of [`Config::page_size`] users.
//! - `POST /v2/users/extensive` with `{cursor?, filter: {createdFromDateTime?,
//!   createdToDateTime?, userIds?, includeAvatars?}}`: the same, filtered (404 when
//!   nothing matches). A cursor in the query string is ignored, as Gong does.
//! - `GET /v2/users/{id}` and `GET /v2/users/{id}/settings-history`: 404 for unknown ids.
//!
//! Like Gong it checks `Authorization: Basic base64(key:secret)` (401, but 403 on
//! `GET /v2/users`), limits calls per second (429 with `Retry-After: 1`), puts a unique
//! `requestId` in every body, and answers errors with `{requestId, errors: [...]}`.
//! Success bodies also carry fields the spec does not know (`stand_in`, and the
//! fixtures' `department` and `extraSetting`), to check that clients ignore them.
//! Bearer tokens are not accepted.

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::fixtures::{self, FixtureUser, Instant};
use crate::http::{Reply, Request, Server};

/// The access key [`Config::default`] expects.
pub const DEFAULT_ACCESS_KEY: &str = "standin-key";
/// The access key secret [`Config::default`] expects.
pub const DEFAULT_ACCESS_KEY_SECRET: &str = "standin-secret";

/// How the stand-in behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The access key callers must send (the Basic user name).
    pub access_key: String,
    /// The access key secret callers must send (the Basic password).
    pub access_key_secret: String,
    /// At most this many calls per sliding one-second window, counting every request
    /// (as Gong's per-company limit does); `None` means no limit. Default `Some(3)`.
    pub calls_per_second: Option<u32>,
    /// How many regular users to generate (the three avatars come on top). Default 250.
    pub users: usize,
    /// Users per page of the list endpoints (0 is treated as 1). Default 100.
    pub page_size: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            access_key: DEFAULT_ACCESS_KEY.into(),
            access_key_secret: DEFAULT_ACCESS_KEY_SECRET.into(),
            calls_per_second: Some(3),
            users: 250,
            page_size: 100,
        }
    }
}

/// A running stand-in. It stops when dropped.
pub struct StandIn {
    server: Server,
    state: Arc<State>,
}

impl StandIn {
    /// Starts a stand-in on a free port of 127.0.0.1 (must run inside a tokio runtime).
    pub async fn start(config: Config) -> std::io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a stand-in on a chosen address.
    pub async fn start_on(addr: SocketAddr, config: Config) -> std::io::Result<Self> {
        let state = Arc::new(State {
            users: fixtures::users(config.users),
            expected_credentials: format!("{}:{}", config.access_key, config.access_key_secret),
            config,
            next_request_id: AtomicU64::new(1),
            window: Mutex::new(VecDeque::new()),
            rate_limited: AtomicUsize::new(0),
        });
        let handler_state = Arc::clone(&state);
        let server = Server::start_on(
            addr,
            Arc::new(move |request: &Request, _index: usize| handler_state.handle(request)),
        )
        .await?;
        Ok(Self { server, state })
    }

    /// `http://127.0.0.1:PORT`: the base URL to give a client.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.state.config
    }

    /// Every request received so far, in order (including rejected ones).
    pub fn requests(&self) -> Vec<Request> {
        self.server.requests()
    }

    /// How many requests it has answered with 429.
    pub fn rate_limited_count(&self) -> usize {
        self.state.rate_limited.load(Ordering::SeqCst)
    }
}

/// State shared between the stand-in and its request handler.
struct State {
    config: Config,
    users: Vec<FixtureUser>,
    expected_credentials: String,
    next_request_id: AtomicU64,
    /// When each call admitted in the last second arrived.
    window: Mutex<VecDeque<std::time::Instant>>,
    rate_limited: AtomicUsize,
}

/// An error answer: the status and one message for `errors`.
struct Failure {
    status: u16,
    message: String,
    headers: Vec<(&'static str, String)>,
}

fn fail(status: u16, message: impl Into<String>) -> Failure {
    Failure {
        status,
        message: message.into(),
        headers: Vec::new(),
    }
}

/// The four operations, as routed from method and path.
enum Route {
    ListUsers,
    ListMultipleUsers,
    GetUser(String),
    GetUserHistory(String),
}

/// Which users a list call asks for, and the text its cursors are bound to.
struct Selection<'a> {
    users: Vec<&'a FixtureUser>,
    signature: String,
}

impl State {
    fn handle(&self, request: &Request) -> Reply {
        let request_id = format!(
            "standin{:012}",
            self.next_request_id.fetch_add(1, Ordering::SeqCst)
        );
        let (status, mut body, headers) = match self.answer(request) {
            Ok(body) => (200, body, Vec::new()),
            Err(failure) => (
                failure.status,
                json!({ "errors": [failure.message] }),
                failure.headers,
            ),
        };
        if let Value::Object(fields) = &mut body {
            fields.insert("requestId".into(), Value::String(request_id));
            if status == 200 {
                fields.insert("stand_in".into(), Value::Bool(true));
            }
        }
        headers
            .into_iter()
            .fold(Reply::json(status, &body), |reply, (name, value)| {
                reply.with_header(name, &value)
            })
    }

    fn answer(&self, request: &Request) -> Result<Value, Failure> {
        if !self.admit() {
            self.rate_limited.fetch_add(1, Ordering::SeqCst);
            let mut failure = fail(429, "API request limit exceeded");
            failure.headers.push(("retry-after", "1".into()));
            return Err(failure);
        }
        let route = route(&request.method, request.path())?;
        if !self.authorized(request) {
            // Gong answers "Access denied" with 403 on GET /v2/users, 401 elsewhere.
            let status = if matches!(route, Route::ListUsers) {
                403
            } else {
                401
            };
            return Err(fail(
                status,
                "Access denied: send Authorization: Basic base64(accessKey:accessKeySecret)",
            ));
        }
        match route {
            Route::ListUsers => self.list_users(request),
            Route::ListMultipleUsers => self.list_multiple_users(request),
            Route::GetUser(id) => Ok(json!({ "user": self.user(&id)?.record })),
            Route::GetUserHistory(id) => {
                Ok(json!({ "userSettingsHistory": self.user(&id)?.settings_history }))
            }
        }
    }

    /// Whether a call may be served now; records it when so (sliding one-second window).
    fn admit(&self) -> bool {
        let Some(limit) = self.config.calls_per_second else {
            return true;
        };
        let now = std::time::Instant::now();
        let mut window = self.window.lock().unwrap_or_else(|e| e.into_inner());
        while window
            .front()
            .is_some_and(|&t| now.duration_since(t) >= Duration::from_secs(1))
        {
            window.pop_front();
        }
        if window.len() < limit as usize {
            window.push_back(now);
            true
        } else {
            false
        }
    }

    fn authorized(&self, request: &Request) -> bool {
        let Some(header) = request.header("authorization") else {
            return false;
        };
        let Some((scheme, encoded)) = header.trim().split_once(' ') else {
            return false;
        };
        scheme.eq_ignore_ascii_case("basic")
            && STANDARD
                .decode(encoded.trim())
                .is_ok_and(|decoded| decoded == self.expected_credentials.as_bytes())
    }

    fn user(&self, id: &str) -> Result<&FixtureUser, Failure> {
        self.users
            .iter()
            .find(|u| u.id == id)
            .ok_or_else(|| fail(404, format!("User not found: {id:?}")))
    }

    fn list_users(&self, request: &Request) -> Result<Value, Failure> {
        let query = request.query();
        let param = |name: &str| query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v);
        let include_avatars = match param("includeAvatars").map(String::as_str) {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(v) => {
                return Err(fail(
                    400,
                    format!("includeAvatars must be true or false, not {v:?}"),
                ))
            }
        };
        let selection = Selection {
            users: self
                .users
                .iter()
                .filter(|u| include_avatars || !u.avatar)
                .collect(),
            signature: format!("GET /v2/users includeAvatars={include_avatars}"),
        };
        let cursor = param("cursor").filter(|c| !c.is_empty());
        self.page(selection, cursor.map(String::as_str))
    }

    fn list_multiple_users(&self, request: &Request) -> Result<Value, Failure> {
        // Any cursor in the query string is ignored: only the body's counts, as at Gong.
        let body: Value = serde_json::from_slice(&request.body)
            .map_err(|e| fail(400, format!("The request body is not valid JSON: {e}")))?;
        let Value::Object(body) = body else {
            return Err(fail(400, "The request body must be a JSON object"));
        };
        let cursor = match body.get("cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(c)) if c.is_empty() => None,
            Some(Value::String(c)) => Some(c.as_str()),
            Some(_) => return Err(fail(400, "cursor must be a string")),
        };
        let filter = match body.get("filter") {
            Some(Value::Object(filter)) => filter,
            None | Some(Value::Null) => return Err(fail(400, "filter is required")),
            Some(_) => return Err(fail(400, "filter must be an object")),
        };
        let from = date_field(filter, "createdFromDateTime")?;
        let to = date_field(filter, "createdToDateTime")?;
        let include_avatars = match filter.get("includeAvatars") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(fail(400, "filter.includeAvatars must be a boolean")),
        };
        let ids: Option<HashSet<&str>> = match filter.get("userIds") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|item| {
                        item.as_str()
                            .ok_or_else(|| fail(400, "filter.userIds must hold strings"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err(fail(400, "filter.userIds must be an array of strings")),
        };
        let users: Vec<&FixtureUser> = self
            .users
            .iter()
            .filter(|u| include_avatars || !u.avatar)
            .filter(|u| from.is_none_or(|from| u.created >= from))
            .filter(|u| to.is_none_or(|to| u.created < to))
            .filter(|u| ids.as_ref().is_none_or(|ids| ids.contains(u.id.as_str())))
            .collect();
        if users.is_empty() {
            return Err(fail(404, "No users found for the specified filter"));
        }
        let selection = Selection {
            users,
            // serde_json's map is ordered by key, so equal filters print equally.
            signature: format!("POST /v2/users/extensive {}", Value::Object(filter.clone())),
        };
        self.page(selection, cursor)
    }

    /// One page of `selection`, starting where `cursor` says (the first page without one).
    fn page(&self, selection: Selection<'_>, cursor: Option<&str>) -> Result<Value, Failure> {
        let total = selection.users.len();
        let page_size = self.config.page_size.max(1);
        let offset = match cursor {
            None => 0,
            Some(cursor) => decode_cursor(cursor, &selection.signature)
                .filter(|&offset| offset > 0 && offset < total)
                .ok_or_else(|| {
                    fail(
                        400,
                        "Invalid cursor: pass records.cursor of the previous page, with every other input unchanged",
                    )
                })?,
        };
        let end = total.min(offset.saturating_add(page_size));
        let page: Vec<&Value> = selection.users[offset..end]
            .iter()
            .map(|u| &u.record)
            .collect();
        let mut records = json!({
            "totalRecords": total,
            "currentPageSize": page.len(),
            "currentPageNumber": offset / page_size,
        });
        if end < total {
            records["cursor"] = Value::String(encode_cursor(end, &selection.signature));
        }
        Ok(json!({ "records": records, "users": page }))
    }
}

/// Routes a request to an operation; 404 for unknown paths, 405 for wrong methods.
fn route(method: &str, path: &str) -> Result<Route, Failure> {
    let segments: Vec<String> = path.split('/').map(percent_decode).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    let (route, allowed) = match segments.as_slice() {
        ["", "v2", "users"] => (Route::ListUsers, "GET"),
        ["", "v2", "users", "extensive"] => (Route::ListMultipleUsers, "POST"),
        ["", "v2", "users", id] => (Route::GetUser((*id).to_string()), "GET"),
        ["", "v2", "users", id, "settings-history"] => {
            (Route::GetUserHistory((*id).to_string()), "GET")
        }
        _ => return Err(fail(404, format!("No such endpoint: {path}"))),
    };
    if method != allowed {
        let mut failure = fail(
            405,
            format!("{method} is not allowed on {path}; use {allowed}"),
        );
        failure.headers.push(("allow", allowed.into()));
        return Err(failure);
    }
    Ok(route)
}

/// An optional date-time member of the filter; 400 when present but not RFC 3339.
fn date_field(filter: &Map<String, Value>, name: &str) -> Result<Option<Instant>, Failure> {
    match filter.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => fixtures::parse_rfc3339(text).map(Some).ok_or_else(|| {
            fail(
                400,
                format!("filter.{name} is not an ISO-8601 date-time with an offset: {text:?}"),
            )
        }),
        Some(_) => Err(fail(400, format!("filter.{name} must be a string"))),
    }
}

/// A cursor: base64url of `offset:N;sig:HASH`, where HASH binds it to the query.
fn encode_cursor(offset: usize, signature: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset};sig:{:016x}", fnv1a(signature)))
}

/// The offset a cursor encodes, when it was made for this query.
fn decode_cursor(cursor: &str, signature: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (offset, sig) = text.strip_prefix("offset:")?.split_once(";sig:")?;
    let offset: usize = offset.parse().ok()?;
    (u64::from_str_radix(sig, 16).ok()? == fnv1a(signature)).then_some(offset)
}

/// 64-bit FNV-1a: a fixed hash, so cursors stay valid across restarts.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Percent-decodes one path segment (`+` stays a plus, unlike in a query).
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_bound_to_the_query() {
        let cursor = encode_cursor(100, "GET /v2/users includeAvatars=false");
        assert_eq!(
            decode_cursor(&cursor, "GET /v2/users includeAvatars=false"),
            Some(100)
        );
        assert_eq!(
            decode_cursor(&cursor, "GET /v2/users includeAvatars=true"),
            None
        );
        assert_eq!(decode_cursor("not a cursor", "x"), None);
        assert_eq!(decode_cursor("", "x"), None);
    }

    #[test]
    fn decodes_path_segments() {
        assert_eq!(percent_decode("1%2F..%2F2"), "1/../2");
        assert_eq!(percent_decode("a+b%"), "a+b%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert!(matches!(
            route("GET", "/v2/users/1%2F..%2F2"),
            Ok(Route::GetUser(id)) if id == "1/../2"
        ));
        assert!(matches!(route("GET", "/v2/users/extensive"), Err(f) if f.status == 405));
        assert!(matches!(route("GET", "/v2/user"), Err(f) if f.status == 404));
        assert!(matches!(route("GET", "/v2/users/1/2"), Err(f) if f.status == 404));
    }
}
