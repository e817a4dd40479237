//! The Gong stand-in over real HTTP: what it serves, driven by a tiny raw HTTP/1.1
//! client on tokio's `TcpStream` (this crate must not depend on the generated client).
//!
//! It covers the default configuration, the fixture users page by page (with and
//! without avatars), the `POST /v2/users/extensive` filters and cursor, single users
//! and their settings history, the rate limit (429 with `Retry-After`) and small
//! configurations.
//!
//! Expected results are computed here independently of the stand-in: date filters are
//! checked against this file's own RFC 3339 parser applied to the users the stand-in
//! actually lists.
//!
//! How the stand-in refuses requests (credentials, unknown paths and methods, bad
//! cursors, malformed bodies) is guarded by `tests/gong_errors.rs`.

use std::collections::HashSet;

use gong_standin::fixtures::{AVATAR_IDS, UNKNOWN_SETTING};
use gong_standin::gong::{Config, StandIn, DEFAULT_ACCESS_KEY, DEFAULT_ACCESS_KEY_SECRET};
use serde_json::{json, Value};

mod support;
use support::{assert_error, basic, call, get, post, unlimited, Response};

fn users_of(response: &Response) -> Vec<Value> {
    response.body["users"]
        .as_array()
        .cloned()
        .expect("users array")
}

/// Walks `GET /v2/users` to the end; returns every page's body.
async fn walk_get(stand_in: &StandIn, include_avatars: Option<bool>) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut query = Vec::new();
        if let Some(include) = include_avatars {
            query.push(format!("includeAvatars={include}"));
        }
        if let Some(cursor) = &cursor {
            query.push(format!("cursor={cursor}"));
        }
        let response = get(stand_in, &format!("/v2/users?{}", query.join("&"))).await;
        assert_eq!(response.status, 200, "{}", response.body);
        cursor = response.body["records"]["cursor"]
            .as_str()
            .map(String::from);
        pages.push(response.body);
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "paging does not end");
    }
}

/// Walks `POST /v2/users/extensive` to the end with the cursor in the body.
async fn walk_post(stand_in: &StandIn, filter: &Value) -> Vec<Value> {
    let mut pages = Vec::new();
    let mut body = json!({ "filter": filter });
    loop {
        let response = post(stand_in, "/v2/users/extensive", &body).await;
        assert_eq!(response.status, 200, "{}", response.body);
        let cursor = response.body["records"]["cursor"].clone();
        pages.push(response.body);
        if cursor.is_null() {
            return pages;
        }
        body["cursor"] = cursor;
        assert!(pages.len() < 100, "paging does not end");
    }
}

fn ids(users: &[Value]) -> Vec<String> {
    users
        .iter()
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect()
}

fn all_users(pages: &[Value]) -> Vec<Value> {
    pages
        .iter()
        .flat_map(|p| p["users"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// This file's own RFC 3339 reading: (UTC seconds, nanoseconds).
fn instant(text: &str) -> (i64, u32) {
    let n = |range: std::ops::Range<usize>| -> i64 { text[range].parse().expect("digits") };
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let secs_of_day = n(11..13) * 3600 + n(14..16) * 60 + n(17..19);
    let rest = &text[19..];
    let (fraction, zone) = match rest.strip_prefix('.') {
        Some(r) => r.split_at(r.find(|c: char| !c.is_ascii_digit()).expect("zone")),
        None => ("", rest),
    };
    let nanos = format!("{fraction:0<9}")[..9].parse().expect("fraction");
    let offset = if zone == "Z" {
        0
    } else {
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        sign * (zone[1..3].parse::<i64>().expect("hh") * 60
            + zone[4..6].parse::<i64>().expect("mm"))
    };
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    (days * 86_400 + secs_of_day - offset * 60, nanos)
}

/// Writes a (UTC seconds, nanoseconds) instant in another offset, with all nine digits.
fn written_in(instant: (i64, u32), offset_minutes: i64) -> String {
    let local = instant.0 + offset_minutes * 60;
    let z = local.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let t = local.rem_euclid(86_400);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.abs();
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:09}{sign}{:02}:{:02}",
        t / 3600,
        t % 3600 / 60,
        t % 60,
        instant.1,
        abs / 60,
        abs % 60
    )
}

#[test]
fn the_test_date_helpers_agree_with_each_other() {
    let a = instant("2018-02-18T02:30:00-07:00");
    assert_eq!(a, instant("2018-02-18T09:30:00Z"));
    assert_eq!(a, (1_518_946_200, 0));
    assert_eq!(
        instant("2018-02-18T09:30:00.25Z"),
        (1_518_946_200, 250_000_000)
    );
    assert_eq!(written_in(a, 330), "2018-02-18T15:00:00.000000000+05:30");
    assert_eq!(instant(&written_in(a, -480)), a);
}

#[tokio::test]
async fn default_config_and_accessors() {
    let config = Config::default();
    assert_eq!(config.access_key, DEFAULT_ACCESS_KEY);
    assert_eq!(config.access_key_secret, DEFAULT_ACCESS_KEY_SECRET);
    assert_eq!(config.calls_per_second, Some(3));
    assert_eq!((config.users, config.page_size), (250, 100));
    let stand_in = StandIn::start_on("127.0.0.1:0".parse().expect("addr"), config.clone())
        .await
        .expect("start");
    assert_eq!(stand_in.config(), &config);
    assert!(stand_in.url().starts_with("http://127.0.0.1:"));
    assert!(stand_in.requests().is_empty());
    let response = get(&stand_in, "/v2/users/234599484848400").await;
    assert_eq!(response.status, 200);
    let requests = stand_in.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].path(), "/v2/users/234599484848400");
    assert_eq!(stand_in.rate_limited_count(), 0);
}

#[tokio::test]
async fn list_users_walks_three_pages_of_250_distinct_users() {
    let stand_in = unlimited().await;
    let pages = walk_get(&stand_in, None).await;
    assert_eq!(pages.len(), 3);
    let sizes: Vec<_> = pages
        .iter()
        .map(|p| {
            let r = &p["records"];
            assert_eq!(r["totalRecords"], 250);
            (
                r["currentPageNumber"].as_u64(),
                r["currentPageSize"].as_u64(),
            )
        })
        .collect();
    assert_eq!(
        sizes,
        [
            (Some(0), Some(100)),
            (Some(1), Some(100)),
            (Some(2), Some(50))
        ]
    );
    for page in &pages {
        assert_eq!(page["stand_in"], true);
        assert!(page["requestId"].is_string());
    }
    let users = all_users(&pages);
    let ids = ids(&users);
    assert_eq!(ids.len(), 250);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 250, "duplicates");
    let numeric: Vec<u128> = ids
        .iter()
        .map(|id| id.parse().expect("numeric id"))
        .collect();
    assert!(numeric.windows(2).all(|w| w[0] < w[1]), "not ordered by id");
    assert!(ids.iter().all(|id| id.len() <= 20));
    assert!(AVATAR_IDS.iter().all(|a| !ids.iter().any(|id| id == a)));

    let fields = [
        "id",
        "emailAddress",
        "created",
        "active",
        "emailAliases",
        "trustedEmailAddress",
        "firstName",
        "lastName",
        "title",
        "phoneNumber",
        "extension",
        "personalMeetingUrls",
        "settings",
        "managerId",
        "meetingConsentPageUrl",
        "spokenLanguages",
    ];
    let settings = [
        "webConferencesRecorded",
        "preventWebConferenceRecording",
        "telephonyCallsImported",
        "emailsImported",
        "preventEmailImport",
        "nonRecordedMeetingsImported",
        "gongConnectEnabled",
    ];
    let mut years = HashSet::new();
    let mut offsets = HashSet::new();
    for user in &users {
        for field in fields {
            assert!(!user[field].is_null(), "{field} missing in {user}");
        }
        for setting in settings {
            assert!(
                user["settings"][setting].is_boolean(),
                "{setting} in {user}"
            );
        }
        assert!(user["extension"].is_string());
        assert!(user["department"].is_string(), "extra field");
        assert_eq!(user["settings"]["extraSetting"], true, "extra setting");
        let languages = user["spokenLanguages"].as_array().expect("languages");
        assert_eq!(languages.iter().filter(|l| l["primary"] == true).count(), 1);
        let created = user["created"].as_str().expect("created");
        years.insert(created[..4].to_string());
        let offset = if created.ends_with('Z') {
            "Z"
        } else {
            &created[created.len() - 6..]
        };
        offsets.insert(offset.to_string());
        let manager = user["managerId"].as_str().expect("managerId");
        assert!(ids.iter().any(|id| id == manager), "dangling managerId");
    }
    let expected_years: HashSet<String> = (2018..=2024).map(|y| y.to_string()).collect();
    assert_eq!(years, expected_years);
    assert!(offsets.len() > 3, "creation times use assorted offsets");
}

#[tokio::test]
async fn avatars_only_with_include_avatars() {
    let stand_in = unlimited().await;
    let without = ids(&all_users(&walk_get(&stand_in, Some(false)).await));
    assert_eq!(without, ids(&all_users(&walk_get(&stand_in, None).await)));
    let with_pages = walk_get(&stand_in, Some(true)).await;
    assert_eq!(with_pages[0]["records"]["totalRecords"], 253);
    let with = ids(&all_users(&with_pages));
    assert_eq!(with.len(), 253);
    let extra: Vec<&str> = with
        .iter()
        .filter(|id| !without.contains(id))
        .map(String::as_str)
        .collect();
    assert_eq!(extra, AVATAR_IDS.to_vec());
    // A 20-digit avatar id does not fit a u64.
    assert!(AVATAR_IDS.iter().all(|id| id.parse::<u64>().is_err()));
    let avatar = get(&stand_in, &format!("/v2/users/{}", AVATAR_IDS[0])).await;
    assert_eq!(avatar.status, 200);

    let filtered = walk_post(&stand_in, &json!({ "includeAvatars": true })).await;
    assert_eq!(ids(&all_users(&filtered)), with);
    let by_id = json!({ "filter": { "userIds": [AVATAR_IDS[1]] } });
    assert_error(&post(&stand_in, "/v2/users/extensive", &by_id).await, 404);
}

#[tokio::test]
async fn post_date_filter_returns_the_users_created_in_range() {
    let stand_in = unlimited().await;
    let everyone = all_users(&walk_get(&stand_in, Some(true)).await);
    let regular = all_users(&walk_get(&stand_in, None).await);
    let created = |u: &Value| instant(u["created"].as_str().expect("created"));

    // Bounds at two users' exact creation instants, written in other offsets.
    let from = created(&regular[40]);
    let to = created(&regular[180]);
    let filter = json!({
        "createdFromDateTime": written_in(from, -420),
        "createdToDateTime": written_in(to, 545),
    });
    let expected: Vec<String> = ids(&regular
        .iter()
        .filter(|u| from <= created(u) && created(u) < to)
        .cloned()
        .collect::<Vec<_>>());
    assert!(expected.len() > 100, "spans more than a page");
    let pages = walk_post(&stand_in, &filter).await;
    assert_eq!(pages[0]["records"]["totalRecords"], expected.len());
    let got = ids(&all_users(&pages));
    assert_eq!(got, expected);
    assert!(got.contains(&ids(&regular[40..41])[0]), "from is inclusive");
    assert!(
        !got.contains(&ids(&regular[180..181])[0]),
        "to is exclusive"
    );

    // Round bounds, avatars included, and a userIds filter on top.
    let from = instant("2020-01-01T00:00:00+02:00");
    let to = instant("2022-07-01T00:00:00Z");
    let in_range: Vec<Value> = everyone
        .iter()
        .filter(|u| from <= created(u) && created(u) < to)
        .cloned()
        .collect();
    let filter = json!({
        "createdFromDateTime": "2020-01-01T00:00:00+02:00",
        "createdToDateTime": "2022-07-01T00:00:00.000Z",
        "includeAvatars": true,
    });
    assert_eq!(
        ids(&all_users(&walk_post(&stand_in, &filter).await)),
        ids(&in_range)
    );
    assert!(ids(&in_range)
        .iter()
        .any(|id| AVATAR_IDS.contains(&id.as_str())));
    let wanted = ids(&[
        everyone[0].clone(),
        in_range[3].clone(),
        in_range[7].clone(),
    ]);
    let mut by_ids = filter.clone();
    by_ids["userIds"] = json!(wanted);
    let page = post(
        &stand_in,
        "/v2/users/extensive",
        &json!({ "filter": by_ids }),
    )
    .await;
    assert_eq!(ids(&users_of(&page)), wanted[1..].to_vec());
    assert!(page.body["records"]["cursor"].is_null());

    // An empty range matches nothing: 404.
    let empty = json!({ "filter": {
        "createdFromDateTime": everyone[5]["created"],
        "createdToDateTime": everyone[5]["created"],
    }});
    assert_error(&post(&stand_in, "/v2/users/extensive", &empty).await, 404);
}

#[tokio::test]
async fn post_ignores_a_cursor_in_the_query_string() {
    let stand_in = unlimited().await;
    let first = post(&stand_in, "/v2/users/extensive", &json!({ "filter": {} })).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["records"]["totalRecords"], 250);
    let cursor = first.body["records"]["cursor"]
        .as_str()
        .expect("cursor")
        .to_string();
    let in_query = post(
        &stand_in,
        &format!("/v2/users/extensive?cursor={cursor}"),
        &json!({ "filter": {} }),
    )
    .await;
    assert_eq!(in_query.body["records"]["currentPageNumber"], 0);
    assert_eq!(ids(&users_of(&in_query)), ids(&users_of(&first)));
    let in_body = post(
        &stand_in,
        "/v2/users/extensive",
        &json!({ "cursor": cursor, "filter": {} }),
    )
    .await;
    assert_eq!(in_body.body["records"]["currentPageNumber"], 1);
    assert_ne!(ids(&users_of(&in_body)), ids(&users_of(&first)));
}

#[tokio::test]
async fn get_user_and_settings_history() {
    let stand_in = unlimited().await;
    let listed = users_of(&get(&stand_in, "/v2/users").await);
    let response = get(&stand_in, "/v2/users/234599484848417").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body["stand_in"], true);
    assert_eq!(response.body["user"], listed[17]);

    let history = get(&stand_in, "/v2/users/234599484848417/settings-history").await;
    assert_eq!(history.status, 200);
    let entries = history.body["userSettingsHistory"]
        .as_array()
        .expect("history");
    assert!(entries.len() >= 3);
    for entry in entries {
        assert!(entry["setting"].is_string() && entry["value"].is_boolean());
        instant(entry["time"].as_str().expect("time"));
    }
    let spec_enum = [
        "webConferencesRecorded",
        "preventWebConferenceRecording",
        "emailsImported",
        "preventEmailImport",
        "active",
        "nonRecordedMeetingsImported",
        "gongConnectEnabled",
        "callsImported",
        "interviewsRecorded",
        "preventInterviewRecording",
    ];
    let unknown: Vec<&Value> = entries
        .iter()
        .filter(|e| !spec_enum.iter().any(|s| e["setting"] == *s))
        .collect();
    assert!(unknown.iter().any(|e| e["setting"] == UNKNOWN_SETTING));
}

#[tokio::test]
async fn over_three_calls_a_second_get_429_with_retry_after() {
    let stand_in = StandIn::start(Config::default()).await.expect("start");
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = get(&stand_in, "/v2/users/234599484848400").await;
        if response.status == 429 {
            assert_error(&response, 429);
            assert_eq!(
                response.headers.get("retry-after").map(String::as_str),
                Some("1")
            );
        }
        statuses.push(response.status);
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429]);
    // Unauthenticated calls count too, and get 429 rather than 403 when over the limit.
    let anonymous = call(&stand_in, "GET", "/v2/users", None, None).await;
    assert_error(&anonymous, 429);
    assert_eq!(stand_in.rate_limited_count(), 4);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let after = get(&stand_in, "/v2/users/234599484848400").await;
    assert_eq!(after.status, 200);
    assert_eq!(stand_in.requests().len(), 8);
}

#[tokio::test]
async fn small_configurations_page_as_configured() {
    let stand_in = StandIn::start(Config {
        calls_per_second: None,
        users: 7,
        page_size: 3,
        ..Config::default()
    })
    .await
    .expect("start");
    let pages = walk_get(&stand_in, None).await;
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p["users"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [3, 3, 1]);
    let with = walk_get(&stand_in, Some(true)).await;
    assert_eq!(with.len(), 4);

    let empty = StandIn::start(Config {
        calls_per_second: None,
        users: 0,
        access_key: "k".into(),
        access_key_secret: "s".into(),
        ..Config::default()
    })
    .await
    .expect("start");
    let response = call(&empty, "GET", "/v2/users", Some(&basic("k", "s")), None).await;
    assert_eq!(response.status, 200);
    assert_eq!(response.body["records"]["totalRecords"], 0);
    assert!(response.body["records"]["cursor"].is_null());
    let none = call(
        &empty,
        "POST",
        "/v2/users/extensive",
        Some(&basic("k", "s")),
        Some(b"{\"filter\":{}}"),
    )
    .await;
    assert_error(&none, 404);
}
