//! Run-time behaviour of the client generated from `tests/fixtures/formats.yaml`.
//!
//! `build.rs` generates that client into `OUT_DIR`; it is included at the crate root
//! below (its code refers to `crate::types::...`). The tests pin down:
//!
//! * `Event`: string formats decoded into well-known types (`uuid` → `uuid::Uuid`,
//!   `date-time` → a chrono `DateTime` keeping its offset, `date` → `chrono::NaiveDate`,
//!   `byte` → the runtime's `Base64` bytes and back to the same base64 text), integer
//!   formats with their full ranges (`uint64` above `i64::MAX`, `int32` bounds), `float`
//!   as `f32`; invalid values of each format refused;
//! * `get_events` over real HTTP: the date in the path, `since` in RFC 3339 in the query,
//!   and absent optional parameters not sent.

include!(concat!(env!("OUT_DIR"), "/fixture_formats.rs"));

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone as _};
use gong_standin::http::{Reply, Request, Server};
use serde_json::json;
use types::Event;
use uuid::Uuid;

const ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

/// Decodes `json` as a `T`.
fn decode<T: serde::de::DeserializeOwned>(
    json: &serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(json.clone())
}

/// Serializes `value` to JSON.
fn encode<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialize")
}

/// An event with its required fields and `overrides` merged in.
fn event_json(overrides: serde_json::Value) -> serde_json::Value {
    let mut json = json!({"id": ID, "at": "2024-01-02T03:04:05Z"});
    let object = json.as_object_mut().unwrap();
    for (key, value) in overrides.as_object().unwrap() {
        object.insert(key.clone(), value.clone());
    }
    json
}

#[test]
fn event_decodes_every_format_into_its_type() {
    let json = json!({
        "id": ID,
        "at": "2024-01-02T03:04:05+01:00",
        "day": "2024-02-29",
        "payload": "AP8Q/w==",
        "attachment": "raw text",
        "count": -9007199254740993i64,
        "small": -2147483648i32,
        "huge": 9223372036854775808u64,
        "ratio": 0.25,
        "score": 2.5
    });
    let event: Event = decode(&json).unwrap();

    assert_eq!(event.id, Uuid::parse_str(ID).unwrap());
    assert_eq!(event.id.to_string(), ID);

    let offset = FixedOffset::east_opt(3600).unwrap();
    let at: DateTime<FixedOffset> = offset.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    assert_eq!(event.at, at);
    assert_eq!(*event.at.offset(), offset, "the offset is kept");
    assert_eq!(event.at.timestamp(), 1_704_161_045);

    assert_eq!(
        event.day,
        Some(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
    );
    assert_eq!(
        event.payload,
        Some(runtime::Base64(vec![0x00, 0xff, 0x10, 0xff]))
    );
    assert_eq!(event.attachment.as_deref(), Some("raw text"));
    assert_eq!(event.count, Some(-9_007_199_254_740_993));
    assert_eq!(event.small, Some(i32::MIN));
    let huge: u64 = event.huge.unwrap();
    assert!(huge > i64::MAX as u64);
    assert_eq!(huge, 9_223_372_036_854_775_808);
    assert_eq!(event.ratio, Some(0.25f32));
    assert_eq!(event.score, Some(2.5));

    // Written back as it was read.
    assert_eq!(encode(&event), json);
}

#[test]
fn event_with_only_required_fields() {
    let event: Event = decode(&event_json(json!({}))).unwrap();
    assert_eq!(event.day, None);
    assert_eq!(event.payload, None);
    assert_eq!(event.huge, None);
    assert_eq!(event.ratio, None);
    // No default is invented for `score` (its default is documentation).
    assert_eq!(event.score, None);
    assert_eq!(
        event.at,
        DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap()
    );
    assert_eq!(
        encode(&event),
        json!({"id": ID, "at": "2024-01-02T03:04:05Z"})
    );
}

#[test]
fn huge_takes_the_whole_u64_range() {
    for huge in [i64::MAX as u64 + 1, u64::MAX] {
        let event: Event = decode(&event_json(json!({ "huge": huge }))).unwrap();
        assert_eq!(event.huge, Some(huge));
        assert_eq!(encode(&event)["huge"], json!(huge));
    }
    let negative = decode::<Event>(&event_json(json!({"huge": -1})));
    assert!(negative.is_err(), "{negative:?}");
}

#[test]
fn small_is_an_int32() {
    let event: Event = decode(&event_json(json!({"small": i32::MAX}))).unwrap();
    assert_eq!(event.small, Some(i32::MAX));
    let over = decode::<Event>(&event_json(json!({"small": i32::MAX as i64 + 1})));
    assert!(over.is_err(), "{over:?}");
}

#[test]
fn ratio_is_an_f32() {
    let event: Event = decode(&event_json(json!({"ratio": 1.5}))).unwrap();
    let ratio: f32 = event.ratio.unwrap();
    assert_eq!(ratio, 1.5f32);
    // 0.1 is rounded to the nearest f32.
    let event: Event = decode(&event_json(json!({"ratio": 0.1}))).unwrap();
    assert_eq!(event.ratio, Some(0.1f32));
}

#[test]
fn payload_base64_round_trips_to_the_same_text() {
    let cases: [(&str, &[u8]); 4] = [
        ("", b""),
        ("Zg==", b"f"),
        ("AP8Q/w==", &[0x00, 0xff, 0x10, 0xff]),
        ("+/+/", &[0xfb, 0xff, 0xbf]),
    ];
    for (text, bytes) in cases {
        let event: Event = decode(&event_json(json!({ "payload": text }))).unwrap();
        assert_eq!(
            event.payload,
            Some(runtime::Base64(bytes.to_vec())),
            "{text:?}"
        );
        assert_eq!(encode(&event)["payload"], json!(text));
    }
    assert_eq!(
        encode(&runtime::Base64(b"hello".to_vec())),
        json!("aGVsbG8=")
    );
}

#[test]
fn invalid_base64_is_an_error() {
    for text in ["not base64!", "AP8Q/w=", "A", "AP8Q_w=="] {
        let result = decode::<Event>(&event_json(json!({ "payload": text })));
        assert!(result.is_err(), "{text:?} decoded as {result:?}");
    }
    let result = decode::<Event>(&event_json(json!({"payload": 5})));
    assert!(result.is_err(), "{result:?}");
}

#[test]
fn invalid_uuid_is_an_error() {
    for id in [
        "not-a-uuid",
        "67e55044-10b1-426f-9247-bb680e5fe0c",
        "67e55044-10b1-426f-9247-bb680e5fe0cg",
        "",
    ] {
        let result = decode::<Event>(&json!({"id": id, "at": "2024-01-02T03:04:05Z"}));
        assert!(result.is_err(), "{id:?} decoded as {result:?}");
    }
}

/// Strictly: a date-time without an offset and a date with a time part are tolerated by
/// default (`tests/decoding_policy.rs`), so they are refused here with strict decoding.
#[test]
fn invalid_dates_and_times_are_errors() {
    for at in [
        "2024-01-02T03:04:05",
        "2024-01-02 03:04:05",
        "2024-13-02T03:04:05Z",
        "yesterday",
    ] {
        let result = runtime::decode_strictly(|| decode::<Event>(&json!({"id": ID, "at": at})));
        assert!(result.is_err(), "at {at:?} decoded as {result:?}");
    }
    for day in [
        "2023-02-29",
        "2024-01-32",
        "2024-01-02T00:00:00Z",
        "02/01/2024",
    ] {
        let result =
            runtime::decode_strictly(|| decode::<Event>(&event_json(json!({ "day": day }))));
        assert!(result.is_err(), "day {day:?} decoded as {result:?}");
    }
}

#[test]
fn required_fields_are_required() {
    let result = decode::<Event>(&json!({"id": ID}));
    assert!(result.is_err(), "{result:?}");
    let result = decode::<Event>(&json!({"at": "2024-01-02T03:04:05Z"}));
    assert!(result.is_err(), "{result:?}");
}

// ---------------------------------------------------------------------------
// Over real HTTP
// ---------------------------------------------------------------------------

#[tokio::test]
async fn get_events_puts_the_date_in_the_path_and_since_in_rfc3339() {
    let body = json!({
        "id": ID,
        "at": "2024-03-05T10:00:00Z",
        "day": "2024-03-05",
        "payload": "aGk=",
        "huge": u64::MAX
    });
    let server = Server::start(move |_: &Request, _| Reply::json(200, &body))
        .await
        .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let day = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
    let since = DateTime::parse_from_rfc3339("2024-01-02T03:04:05+01:00").unwrap();
    let response = client
        .get_events(&day)
        .since(&since)
        .await
        .expect("get_events");

    let event = response.into_body();
    assert_eq!(event.id, Uuid::parse_str(ID).unwrap());
    assert_eq!(event.day, Some(day));
    assert_eq!(event.payload, Some(runtime::Base64(b"hi".to_vec())));
    assert_eq!(event.huge, Some(u64::MAX));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/events/2024-03-05");
    assert_eq!(
        request.query(),
        vec![("since".to_string(), "2024-01-02T03:04:05+01:00".to_string())]
    );
    let sent = &request.query()[0].1;
    assert_eq!(DateTime::parse_from_rfc3339(sent).unwrap(), since);
    // The `+` of the offset is percent-encoded, so it is not read back as a space.
    assert!(
        request.target.contains("%2B01"),
        "target: {}",
        request.target
    );
}

#[tokio::test]
async fn get_events_sends_limit_and_a_utc_since() {
    let body = json!({"id": ID, "at": "2024-03-05T10:00:00Z"});
    let server = Server::start(move |_: &Request, _| Reply::json(200, &body))
        .await
        .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let day = NaiveDate::from_ymd_opt(1999, 12, 31).unwrap();
    let since = DateTime::parse_from_rfc3339("2024-01-02T03:04:05.250Z").unwrap();
    client
        .get_events(&day)
        .since(&since)
        .limit(5)
        .await
        .expect("get_events");
    client.get_events(&day).await.expect("get_events");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].path(), "/events/1999-12-31");
    let query = requests[0].query();
    assert_eq!(query.len(), 2, "{query:?}");
    assert_eq!(query[0].0, "since");
    assert_eq!(DateTime::parse_from_rfc3339(&query[0].1).unwrap(), since);
    assert_eq!(query[1], ("limit".to_string(), "5".to_string()));
    // Absent optionals send nothing (the spec's default of `limit` is the server's).
    assert_eq!(requests[1].target, "/events/1999-12-31");
}
