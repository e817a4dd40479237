//! Run-time behaviour of the client generated from `tests/fixtures/unions.yaml`.
//!
//! `build.rs` generates that client into `OUT_DIR`; it is included at the crate root
//! below (its code refers to `crate::types::...`). The tests pin down:
//!
//! * the discriminated `oneOf` `Shape`: dispatch on the `kind` tag through the explicit
//!   mapping (`round` → `Circle`) and the default mapping by schema name (`Square`), an
//!   unknown tag kept as the exact JSON in `Shape::Unknown`, a known tag with a body that
//!   does not fit its schema refused (never demoted to `Unknown`), and serialization that
//!   writes each variant back;
//! * the untagged `anyOf` `Value`: each JSON kind lands in its own variant and is written
//!   back unchanged, and a value that fits no alternative is refused;
//! * `list_shapes()` over real HTTP, decoding a mixed array element by element.

include!(concat!(env!("OUT_DIR"), "/fixture_unions.rs"));

use gong_standin::http::{Reply, Request, Server};
use serde_json::json;
use types::{
    Circle, ImageSource, ImageSourceVariant1Type, ImageSourceVariant2Type, Shape, Square, Value,
};

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

// ---------------------------------------------------------------------------
// Shape: oneOf with a discriminator
// ---------------------------------------------------------------------------

#[test]
fn shape_explicit_mapping_selects_circle() {
    let shape: Shape = decode(&json!({"kind": "round", "radius": 2})).unwrap();
    assert_eq!(
        shape,
        Shape::Circle(Circle {
            kind: "round".to_string(),
            radius: 2.0,
        })
    );
    // `radius` is a `number` (f64), so it is written back as 2.0: the same number.
    assert_eq!(encode(&shape), json!({"kind": "round", "radius": 2.0}));
}

#[test]
fn shape_default_mapping_by_schema_name_selects_square() {
    let shape: Shape = decode(&json!({"kind": "Square", "side": 3})).unwrap();
    assert_eq!(
        shape,
        Shape::Square(Square {
            kind: "Square".to_string(),
            side: 3.0,
        })
    );
    assert_eq!(encode(&shape), json!({"kind": "Square", "side": 3.0}));
}

#[test]
fn shape_known_variants_round_trip_exactly() {
    for json in [
        json!({"kind": "round", "radius": 2.5}),
        json!({"kind": "Square", "side": 0.125}),
    ] {
        let shape: Shape = decode(&json).unwrap();
        assert!(
            !matches!(shape, Shape::Unknown(_)),
            "{json} decoded as {shape:?}"
        );
        assert_eq!(encode(&shape), json);
        let text = serde_json::to_string(&shape).unwrap();
        assert_eq!(serde_json::from_str::<Shape>(&text).unwrap(), shape);
    }
}

#[test]
fn shape_unknown_tag_keeps_the_json_exactly() {
    let json = json!({
        "kind": "hexagon",
        "side": 1,
        "angles": [120, 120.5],
        "nested": {"a": null, "b": "x"}
    });
    let shape: Shape = decode(&json).unwrap();
    assert_eq!(shape, Shape::Unknown(json.clone()));
    // Written back unchanged (integers stay integers: nothing went through f64).
    assert_eq!(encode(&shape), json);
    assert_eq!(
        serde_json::to_string(&shape).unwrap(),
        serde_json::to_string(&json).unwrap()
    );
}

#[test]
fn shape_tags_are_matched_exactly() {
    // The default mapping is the schema name as written, so a lower-case `square` is a tag
    // this client does not know.
    let json = json!({"kind": "square", "side": 3});
    assert_eq!(
        decode::<Shape>(&json).unwrap(),
        Shape::Unknown(json.clone())
    );
}

#[test]
fn shape_known_tag_with_missing_required_field_is_an_error() {
    for json in [
        json!({"kind": "round"}),
        json!({"kind": "round", "side": 3}),
        json!({"kind": "Square", "radius": 2}),
        json!({"kind": "Square", "side": "three"}),
    ] {
        let result = decode::<Shape>(&json);
        assert!(result.is_err(), "{json} decoded as {result:?}");
    }
}

// ---------------------------------------------------------------------------
// Value: anyOf without a discriminator
// ---------------------------------------------------------------------------

#[test]
fn value_string() {
    let value: Value = decode(&json!("x")).unwrap();
    assert_eq!(value, Value::String("x".to_string()));
    assert_eq!(encode(&value), json!("x"));
}

#[test]
fn value_numeric_string_stays_a_string() {
    let value: Value = decode(&json!("5")).unwrap();
    assert_eq!(value, Value::String("5".to_string()));
    assert_eq!(encode(&value), json!("5"));
}

#[test]
fn value_integer() {
    let value: Value = decode(&json!(5)).unwrap();
    assert_eq!(value, Value::Integer(5));
    assert_eq!(encode(&value), json!(5));
    assert_eq!(serde_json::to_string(&value).unwrap(), "5");
}

#[test]
fn value_boolean() {
    let value: Value = decode(&json!(true)).unwrap();
    assert_eq!(value, Value::Boolean(true));
    assert_eq!(encode(&value), json!(true));
    let value: Value = decode(&json!(false)).unwrap();
    assert_eq!(value, Value::Boolean(false));
    assert_eq!(encode(&value), json!(false));
}

#[test]
fn value_circle() {
    let value: Value = decode(&json!({"kind": "c", "radius": 1})).unwrap();
    assert_eq!(
        value,
        Value::Circle(Circle {
            kind: "c".to_string(),
            radius: 1.0,
        })
    );
    // The same number, written as an f64.
    assert_eq!(encode(&value), json!({"kind": "c", "radius": 1.0}));
    let exact = json!({"kind": "c", "radius": 1.5});
    assert_eq!(encode(&decode::<Value>(&exact).unwrap()), exact);
}

#[test]
fn value_array() {
    let value: Value = decode(&json!(["a", "b"])).unwrap();
    assert_eq!(value, Value::Array(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(encode(&value), json!(["a", "b"]));
    let empty: Value = decode(&json!([])).unwrap();
    assert_eq!(empty, Value::Array(Vec::new()));
    assert_eq!(encode(&empty), json!([]));
}

#[test]
fn value_fitting_no_alternative_is_an_error() {
    for json in [
        json!(5.5),
        json!(null),
        json!({"kind": "c"}),
        json!(["a", "b", 1]),
        json!({"kind": "c", "radius": "1"}),
    ] {
        // Strictly: by default a radius of "1" is tolerated (tests/decoding_policy.rs).
        let result = runtime::decode_strictly(|| decode::<Value>(&json));
        assert!(result.is_err(), "{json} decoded as {result:?}");
    }
}

/// An array is not a `Circle` (an object), and `["a", 1]` is not an array of strings, so
/// it fits no alternative of `Value`.
#[test]
fn value_array_shaped_like_circle_fields_is_an_error() {
    let json = json!(["a", 1]);
    let result = decode::<Value>(&json);
    assert!(result.is_err(), "{json} decoded as {result:?}");
    // Generated structs read JSON objects only (serde's derive would also take an array in
    // field order), and the union tries an alternative only on JSON of its kind.
    let error = decode::<Circle>(&json).expect_err("an array is not a Circle");
    assert!(error.to_string().contains("expected a map"), "{error}");
}

// ---------------------------------------------------------------------------
// Over real HTTP
// ---------------------------------------------------------------------------

#[tokio::test]
async fn list_shapes_decodes_each_element_of_a_mixed_array() {
    let hexagon = json!({"kind": "hexagon", "sides": 6, "tags": ["x"]});
    let body = json!([
        {"kind": "round", "radius": 2},
        {"kind": "Square", "side": 3},
        hexagon,
        {"kind": "round", "radius": 0.5}
    ]);
    let server = Server::start(move |_: &Request, _| Reply::json(200, &body))
        .await
        .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let response = client.list_shapes().await.expect("list_shapes");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.into_body(),
        vec![
            Shape::Circle(Circle {
                kind: "round".to_string(),
                radius: 2.0,
            }),
            Shape::Square(Square {
                kind: "Square".to_string(),
                side: 3.0,
            }),
            Shape::Unknown(hexagon),
            Shape::Circle(Circle {
                kind: "round".to_string(),
                radius: 0.5,
            }),
        ]
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/shapes");
}

#[tokio::test]
async fn list_shapes_with_a_known_tag_and_bad_body_is_invalid_body() {
    let body = json!([{"kind": "Square", "side": 3}, {"kind": "round"}]);
    let server = Server::start(move |_: &Request, _| Reply::json(200, &body))
        .await
        .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let error = client
        .list_shapes()
        .await
        .expect_err("a circle without a radius");
    match error {
        Error::InvalidBody { status, .. } => assert_eq!(status.as_u16(), 200),
        other => panic!("expected InvalidBody, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// ImageSource: untagged oneOf whose alternatives' `type` enums each list one value
// ---------------------------------------------------------------------------

#[test]
fn image_source_picks_the_alternative_whose_enum_lists_the_value() {
    // The `mirror` alternative is tried first (it has more properties) and its `type` enum
    // would keep `url` as `Unknown`; alternatives are tried as sent (strictly) first, so it
    // is passed over for the one that lists `url`, and writing back gives the same JSON.
    let json = json!({"type": "url", "url": "https://example.test/image.raw"});
    let source: ImageSource = decode(&json).unwrap();
    match &source {
        ImageSource::ImageSourceVariant2(inner) => {
            assert_eq!(inner.type_, ImageSourceVariant2Type::Url);
            assert_eq!(inner.url, "https://example.test/image.raw");
        }
        other => panic!("expected the `url` alternative, got {other:?}"),
    }
    assert_eq!(encode(&source), json);

    let mirror = json!({"type": "mirror", "url": "https://mirror.test/", "region": "eu"});
    let source: ImageSource = decode(&mirror).unwrap();
    match &source {
        ImageSource::ImageSourceVariant1(inner) => {
            assert_eq!(inner.type_, ImageSourceVariant1Type::Mirror);
        }
        other => panic!("expected the `mirror` alternative, got {other:?}"),
    }
    assert_eq!(encode(&source), mirror);
}

#[test]
fn image_source_keeps_a_value_no_alternative_lists_unless_strict() {
    let json = json!({"type": "iso", "url": "https://example.test/image.iso"});
    let source: ImageSource = decode(&json).unwrap();
    assert_eq!(
        encode(&source),
        json,
        "kept as an unknown value, written back"
    );

    let strict = runtime::decode_strictly(|| decode::<ImageSource>(&json));
    assert!(
        strict.is_err(),
        "strict decoding refuses an unlisted enum value: {strict:?}"
    );
}
