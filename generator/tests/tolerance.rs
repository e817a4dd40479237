//! Tolerance everywhere: each repair of the normalising pass is planted in every kind of
//! place its construct can stand in an OpenAPI 3.0 or 3.1 document, and the spec must
//! still generate (typing, lowering and emitting), with exactly one new warning per
//! planted construct at the planted pointer.
//!
//! The expected warnings come from the list of planted places, never from the output: a
//! location kind the pass does not reach leaves its warning missing (and usually fails
//! typing). A base spec holding every location kind is generated first; its own warnings
//! (a `not` schema) are subtracted, so each warning counted comes from a plant.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

/// The location kinds of the issue: every kind of place a repairable construct can stand.
const LOCATION_KINDS: &[&str] = &[
    "document",
    "info",
    "contact",
    "license",
    "external docs",
    "tag",
    "server",
    "server variable",
    "path item",
    "operation",
    "parameter (path item)",
    "parameter (operation)",
    "parameter (components)",
    "parameter (callback)",
    "parameter (webhook)",
    "parameter (components.pathItems)",
    "header (response)",
    "header (components)",
    "header (encoding)",
    "header (callback response)",
    "encoding (request body)",
    "encoding (components.requestBodies)",
    "request body (inline)",
    "request body (components)",
    "request body (callback)",
    "request body (webhook)",
    "response (inline)",
    "response (components)",
    "response (callback)",
    "response (webhook)",
    "link (response)",
    "link (components)",
    "example (components)",
    "security scheme",
    "path item (callback)",
    "path item (components.callbacks)",
    "path item (webhook)",
    "path item (components.pathItems)",
    "operation (callback)",
    "operation (components.callbacks)",
    "operation (webhook)",
    "operation (components.pathItems)",
    "schema (components.schemas)",
    "schema (property)",
    "schema (items)",
    "schema (additionalProperties)",
    "schema (allOf)",
    "schema (oneOf)",
    "schema (anyOf)",
    "schema (not)",
    "schema (parameter)",
    "schema (header)",
    "schema (request media type)",
    "schema (response media type)",
    "reference (parameter)",
    "reference (header)",
    "reference (response)",
    "reference (request body)",
    "reference (link)",
    "reference (callback)",
    "reference (example)",
];

const ITEM: &str = "/paths/~1items~1{id}";
const GET: &str = "/paths/~1items~1{id}/get";
const CALLBACK: &str = "/paths/~1items~1{id}/get/callbacks/onEvent/{$request.query.q}";
const HOOK: &str = "/components/callbacks/Hook/{$request.body#~1url}";
const WEBHOOK: &str = "/webhooks/created";
const SHARED: &str = "/components/pathItems/Shared";
const MULTIPART: &str = "content/multipart~1form-data";

/// A spec holding every location kind, each in a valid form.
fn base(v31: bool) -> Value {
    let string = json!({"type": "string"});
    let operation_in_callback = |parameter: Value| {
        json!({
            "parameters": [parameter],
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "ok", "headers": {"X-Ack": {"schema": string}}}}
        })
    };
    let mut doc = json!({
        "openapi": if v31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": "Tolerance", "version": "1", "contact": {"name": "c"}, "license": {"name": "l"}},
        "servers": [{"url": "http://localhost:{port}", "variables": {"port": {"default": "80"}}}],
        "tags": [{"name": "items", "externalDocs": {"url": "http://localhost/tag"}}],
        "externalDocs": {"url": "http://localhost/docs"},
        "security": [{"key": []}],
        "paths": {"/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": string}],
            "get": {
                "operationId": "getItem",
                "parameters": [
                    {"name": "q", "in": "query", "schema": string},
                    {"name": "X-Mode", "in": "header", "schema": string},
                    {"name": "session", "in": "cookie", "schema": string},
                    {"$ref": "#/components/parameters/Limit"}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {
                            "X-Rate": {"schema": {"type": "integer"}},
                            "X-Trace": {"$ref": "#/components/headers/Trace"}
                        },
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Item"},
                            "examples": {"first": {"$ref": "#/components/examples/One"}}
                        }},
                        "links": {
                            "self": {"operationId": "getItem"},
                            "again": {"$ref": "#/components/links/Again"}
                        }
                    },
                    "404": {"$ref": "#/components/responses/NotFound"}
                },
                "callbacks": {
                    "onEvent": {"{$request.query.q}": {"post": operation_in_callback(
                        json!({"name": "event", "in": "query", "schema": string})
                    )}},
                    "shared": {"$ref": "#/components/callbacks/Hook"}
                }
            },
            "post": {
                "operationId": "postItem",
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object", "properties": {"meta": {"type": "object", "properties": {"a": string}}}},
                    "encoding": {"meta": {"contentType": "application/json", "headers": {"X-Part": {"schema": string}}}}
                }}},
                "responses": {"204": {"description": "done"}}
            },
            "put": {
                "operationId": "putItem",
                "requestBody": {"$ref": "#/components/requestBodies/Body"},
                "responses": {"204": {"description": "done"}}
            }
        }},
        "components": {
            "schemas": {
                "Item": {"type": "object", "properties": {
                    "id": string,
                    "tags": {"type": "array", "items": string},
                    "extra": {"type": "object", "additionalProperties": string},
                    "merged": {"allOf": [{"$ref": "#/components/schemas/Leaf"}, {"type": "object", "properties": {"b": string}}]},
                    "either": {"oneOf": [string, {"type": "integer"}]},
                    "any": {"anyOf": [string, {"type": "boolean"}]},
                    "other": {"not": string}
                }},
                "Spare": {"type": "object", "properties": {"s": string}},
                "Leaf": {"type": "object", "properties": {"v": string}},
                "Word": string
            },
            "parameters": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
            "headers": {"Trace": {"schema": string}},
            "responses": {"NotFound": {
                "description": "missing",
                "headers": {"X-Retry": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"type": "object", "properties": {"message": string}}}}
            }},
            "requestBodies": {
                "Body": {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": string}}}}},
                "Upload": {"content": {"multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": string}},
                    "encoding": {"file": {"contentType": "image/png"}}
                }}}
            },
            "examples": {"One": {"value": 1}},
            "links": {"Again": {"operationId": "getItem"}},
            "callbacks": {"Hook": {"{$request.body#/url}": {"post": operation_in_callback(
                json!({"name": "attempt", "in": "header", "schema": {"type": "integer"}})
            )}}},
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
        }
    });
    if v31 {
        doc["webhooks"] = json!({"created": {"post": operation_in_callback(
            json!({"name": "source", "in": "query", "schema": string})
        )}});
        doc["components"]["pathItems"] = json!({"Shared": {
            "parameters": [{"name": "trace", "in": "header", "schema": string}],
            "get": {"responses": {"200": {"description": "ok"}}}
        }});
    }
    doc
}

/// Every location in the base spec: its kind (one of [`LOCATION_KINDS`]) and pointer.
fn locations(v31: bool) -> Vec<(&'static str, String)> {
    let schemas = "/components/schemas";
    let mut places: Vec<(&str, String)> = vec![
        ("document", String::new()),
        ("info", "/info".into()),
        ("contact", "/info/contact".into()),
        ("license", "/info/license".into()),
        ("external docs", "/externalDocs".into()),
        ("external docs", "/tags/0/externalDocs".into()),
        ("tag", "/tags/0".into()),
        ("server", "/servers/0".into()),
        ("server variable", "/servers/0/variables/port".into()),
        ("path item", ITEM.into()),
        ("operation", GET.into()),
        ("operation", format!("{ITEM}/post")),
        ("operation", format!("{ITEM}/put")),
        ("parameter (path item)", format!("{ITEM}/parameters/0")),
        ("parameter (operation)", format!("{GET}/parameters/0")),
        ("parameter (operation)", format!("{GET}/parameters/1")),
        ("parameter (operation)", format!("{GET}/parameters/2")),
        (
            "parameter (components)",
            "/components/parameters/Limit".into(),
        ),
        (
            "parameter (callback)",
            format!("{CALLBACK}/post/parameters/0"),
        ),
        ("parameter (callback)", format!("{HOOK}/post/parameters/0")),
        (
            "header (response)",
            format!("{GET}/responses/200/headers/X-Rate"),
        ),
        ("header (components)", "/components/headers/Trace".into()),
        (
            "header (components)",
            "/components/responses/NotFound/headers/X-Retry".into(),
        ),
        (
            "header (encoding)",
            format!("{ITEM}/post/requestBody/{MULTIPART}/encoding/meta/headers/X-Part"),
        ),
        (
            "header (callback response)",
            format!("{CALLBACK}/post/responses/200/headers/X-Ack"),
        ),
        (
            "encoding (request body)",
            format!("{ITEM}/post/requestBody/{MULTIPART}/encoding/meta"),
        ),
        (
            "encoding (components.requestBodies)",
            format!("/components/requestBodies/Upload/{MULTIPART}/encoding/file"),
        ),
        ("request body (inline)", format!("{ITEM}/post/requestBody")),
        (
            "request body (components)",
            "/components/requestBodies/Body".into(),
        ),
        (
            "request body (callback)",
            format!("{CALLBACK}/post/requestBody"),
        ),
        (
            "request body (callback)",
            format!("{HOOK}/post/requestBody"),
        ),
        ("response (inline)", format!("{GET}/responses/200")),
        (
            "response (components)",
            "/components/responses/NotFound".into(),
        ),
        (
            "response (callback)",
            format!("{CALLBACK}/post/responses/200"),
        ),
        ("link (response)", format!("{GET}/responses/200/links/self")),
        ("link (components)", "/components/links/Again".into()),
        ("example (components)", "/components/examples/One".into()),
        ("security scheme", "/components/securitySchemes/key".into()),
        ("path item (callback)", CALLBACK.into()),
        ("path item (components.callbacks)", HOOK.into()),
        ("operation (callback)", format!("{CALLBACK}/post")),
        ("operation (components.callbacks)", format!("{HOOK}/post")),
        ("schema (components.schemas)", format!("{schemas}/Spare")),
        ("schema (property)", format!("{schemas}/Item/properties/id")),
        (
            "schema (items)",
            format!("{schemas}/Item/properties/tags/items"),
        ),
        (
            "schema (additionalProperties)",
            format!("{schemas}/Item/properties/extra/additionalProperties"),
        ),
        (
            "schema (allOf)",
            format!("{schemas}/Item/properties/merged/allOf/1"),
        ),
        (
            "schema (oneOf)",
            format!("{schemas}/Item/properties/either/oneOf/1"),
        ),
        (
            "schema (anyOf)",
            format!("{schemas}/Item/properties/any/anyOf/1"),
        ),
        (
            "schema (not)",
            format!("{schemas}/Item/properties/other/not"),
        ),
        ("schema (parameter)", format!("{GET}/parameters/0/schema")),
        (
            "schema (header)",
            format!("{GET}/responses/200/headers/X-Rate/schema"),
        ),
        (
            "schema (request media type)",
            "/components/requestBodies/Body/content/application~1json/schema".into(),
        ),
        (
            "schema (response media type)",
            "/components/responses/NotFound/content/application~1json/schema".into(),
        ),
        ("reference (parameter)", format!("{GET}/parameters/3")),
        (
            "reference (header)",
            format!("{GET}/responses/200/headers/X-Trace"),
        ),
        ("reference (response)", format!("{GET}/responses/404")),
        (
            "reference (request body)",
            format!("{ITEM}/put/requestBody"),
        ),
        (
            "reference (link)",
            format!("{GET}/responses/200/links/again"),
        ),
        ("reference (callback)", format!("{GET}/callbacks/shared")),
        (
            "reference (example)",
            format!("{GET}/responses/200/content/application~1json/examples/first"),
        ),
    ];
    if v31 {
        places.extend([
            ("path item (webhook)", WEBHOOK.to_string()),
            ("operation (webhook)", format!("{WEBHOOK}/post")),
            (
                "parameter (webhook)",
                format!("{WEBHOOK}/post/parameters/0"),
            ),
            (
                "request body (webhook)",
                format!("{WEBHOOK}/post/requestBody"),
            ),
            (
                "response (webhook)",
                format!("{WEBHOOK}/post/responses/200"),
            ),
            ("path item (components.pathItems)", SHARED.to_string()),
            ("operation (components.pathItems)", format!("{SHARED}/get")),
            (
                "parameter (components.pathItems)",
                format!("{SHARED}/parameters/0"),
            ),
        ]);
    }
    places
}

/// One planted construct: an edit of the base spec, and where its warnings must be.
struct Plant {
    /// JSON pointer (RFC 6901, without `#`) of the node edited.
    at: String,
    edit: Edit,
    /// The pointers the warnings must name (with `#`), one warning each; empty when the
    /// construct is valid in this version and is repaired silently.
    warns_at: Vec<String>,
}

enum Edit {
    /// Sets a field of the node.
    Set(&'static str, Value),
    /// Replaces the node.
    Replace(Value),
    /// Removes a field of the node.
    Remove(&'static str),
}

/// Sets field `key` of the node at `at`; the warning names the field.
fn set(at: &str, key: &'static str, value: Value) -> Plant {
    Plant {
        at: at.into(),
        warns_at: vec![format!("#{at}/{key}")],
        edit: Edit::Set(key, value),
    }
}

/// The default style of the parameter `node`, upper-cased as real specs write it.
fn upper_case_style(node: Option<&Value>) -> Value {
    match node.and_then(|n| n["in"].as_str()) {
        Some("query" | "cookie") => json!("FORM"),
        _ => json!("SIMPLE"),
    }
}

/// A schema of a parameter or header: a single value, not an object.
fn is_value_schema(kind: &str) -> bool {
    matches!(kind, "schema (parameter)" | "schema (header)")
}

/// The planting rounds; the plants of one round do not overlap.
fn rounds(doc: &Value, v31: bool) -> Vec<(&'static str, Vec<Plant>)> {
    let mut scalars = Vec::new();
    let mut boolean_schemas = Vec::new();
    let mut schema_keywords = Vec::new();
    let mut schema_references = Vec::new();
    let mut missing_responses = Vec::new();
    for (i, (kind, at)) in locations(v31).into_iter().enumerate() {
        let at = at.as_str();
        let family = kind.split(" (").next().unwrap_or(kind);
        match family {
            // `openapi: 3.0` as YAML writes it: a number.
            "document" => scalars.push(set(at, "openapi", json!(if v31 { 3.1 } else { 3.0 }))),
            "info" => scalars.push(set(at, "version", json!(1.0))),
            "contact" | "license" => scalars.push(set(at, "name", json!(5))),
            "external docs" | "tag" | "server" | "link" | "security scheme" => {
                scalars.push(set(at, "description", json!(5)))
            }
            "server variable" => {
                scalars.push(set(at, "default", json!(80)));
                scalars.push(set(at, "enum", json!([80, 8080])));
            }
            "path item" | "example" => scalars.push(set(at, "summary", json!(5))),
            "operation" => {
                scalars.push(set(at, "operationId", json!(1000 + i)));
                scalars.push(set(at, "deprecated", json!("false")));
                missing_responses.push(Plant {
                    at: at.into(),
                    edit: Edit::Remove("responses"),
                    // Optional in 3.1.
                    warns_at: if v31 { vec![] } else { vec![format!("#{at}")] },
                });
            }
            "parameter" => {
                scalars.push(set(at, "style", upper_case_style(doc.pointer(at))));
                scalars.push(set(at, "explode", json!("true")));
                scalars.push(set(at, "description", json!(5)));
            }
            "header" => {
                scalars.push(set(at, "style", json!("SIMPLE")));
                scalars.push(set(at, "required", json!("false")));
                scalars.push(set(at, "description", json!(5)));
            }
            "encoding" => {
                scalars.push(set(at, "style", json!("FORM")));
                scalars.push(set(at, "explode", json!("true")));
                scalars.push(set(at, "contentType", json!(5)));
            }
            "request body" => {
                scalars.push(set(at, "required", json!("true")));
                scalars.push(set(at, "description", json!(5)));
            }
            "response" => scalars.push(set(at, "description", json!(200))),
            "reference" => scalars.push(Plant {
                at: at.into(),
                edit: Edit::Set("x-note", json!("beside the ref")),
                warns_at: vec![format!("#{at}")],
            }),
            "schema" => {
                // `true` is a valid 3.1 schema, repaired silently there; `false` always
                // warns, as it is typed as any value. `additionalProperties` may be a
                // boolean in every version.
                let mut warns_at = Vec::new();
                if kind != "schema (additionalProperties)" {
                    warns_at.push(format!("#{at}"));
                }
                // Lowering's consequence: a response header whose schema is not an inline
                // scalar (any value, or a reference) says so at the header.
                let header_consequence = (kind == "schema (header)")
                    .then(|| format!("#{}", at.trim_end_matches("/schema")));
                warns_at.extend(header_consequence.clone());
                boolean_schemas.push(Plant {
                    at: at.into(),
                    edit: Edit::Replace(json!(!v31)),
                    warns_at,
                });
                let (keywords, fields): (Value, &[&str]) = if is_value_schema(kind) {
                    (
                        json!({"type": "Integer", "description": 5, "format": 64, "readOnly": "false"}),
                        &["type", "description", "format", "readOnly"],
                    )
                } else {
                    (
                        json!({"type": "OBJECT", "title": 1.0, "readOnly": "false", "properties": {
                            "p": {"type": "string", "required": true, "enum": [1, true], "pattern": 5}
                        }}),
                        &[
                            "type",
                            "title",
                            "readOnly",
                            "properties/p/required",
                            "properties/p/enum",
                            "properties/p/pattern",
                        ],
                    )
                };
                schema_keywords.push(Plant {
                    at: at.into(),
                    edit: Edit::Replace(keywords),
                    warns_at: fields.iter().map(|f| format!("#{at}/{f}")).collect(),
                });
                let target = if is_value_schema(kind) {
                    "Word"
                } else {
                    "Leaf"
                };
                schema_references.push(Plant {
                    at: at.into(),
                    edit: Edit::Replace(
                        json!({"$ref": format!("#/components/schemas/{target}"), "x-note": "n"}),
                    ),
                    warns_at: [format!("#{at}")]
                        .into_iter()
                        .chain(header_consequence)
                        .collect(),
                });
            }
            other => panic!("no construct planted for location kind {other:?}"),
        }
    }
    vec![
        (
            "numbers as text, text as booleans, styles, keys beside $ref",
            scalars,
        ),
        ("boolean schemas", boolean_schemas),
        ("schema keywords", schema_keywords),
        ("schema references with keys beside them", schema_references),
        ("operations without responses", missing_responses),
    ]
}

/// Applies `plants` to `doc`.
fn plant(doc: &mut Value, plants: &[Plant]) {
    for plant in plants {
        let Some(node) = doc.pointer_mut(&plant.at) else {
            panic!("no node at {} in the base spec", plant.at);
        };
        match (&plant.edit, node) {
            (Edit::Replace(value), node) => *node = value.clone(),
            (Edit::Set(key, value), Value::Object(map)) => {
                map.insert((*key).into(), value.clone());
            }
            (Edit::Remove(key), Value::Object(map)) => {
                map.shift_remove(*key);
            }
            (_, other) => panic!("{} is not an object: {other}", plant.at),
        }
    }
}

/// Generates `doc` (typing, lowering and emitting the whole client); returns how many
/// warnings name each pointer.
fn warnings(doc: &Value, what: &str) -> BTreeMap<String, usize> {
    let text = doc.to_string();
    let settings = apigen::Settings::default();
    let generated = match apigen::generate_str(Path::new("tolerance.json"), text, &settings) {
        Ok(generated) => generated,
        Err(e) => panic!("{what}: generation failed: {e}"),
    };
    if let Err(e) = generated.single_file() {
        panic!("{what}: emitting failed: {e}");
    }
    let mut counts = BTreeMap::new();
    for diagnostic in &generated.diagnostics {
        *counts
            .entry(diagnostic.location.pointer.clone())
            .or_insert(0) += 1;
    }
    counts
}

fn check_every_location_kind(v31: bool) {
    let version = if v31 { "3.1" } else { "3.0" };
    let base = base(v31);
    let base_warnings = warnings(&base, &format!("{version} base spec"));
    for (round, plants) in rounds(&base, v31) {
        let what = format!("{version}, {round}");
        assert!(!plants.is_empty(), "{what}: nothing planted");
        let mut doc = base.clone();
        plant(&mut doc, &plants);
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        for warns_at in plants.iter().flat_map(|p| p.warns_at.iter()) {
            *expected.entry(warns_at.clone()).or_insert(0) += 1;
        }
        let mut new = warnings(&doc, &what);
        for (pointer, count) in &base_warnings {
            if let Some(n) = new.get_mut(pointer) {
                *n = n.saturating_sub(*count);
            }
        }
        new.retain(|_, n| *n > 0);
        let differing = |a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>| {
            a.iter()
                .filter(|(p, n)| b.get(*p) != Some(*n))
                .map(|(p, n)| format!("{p} ({n})"))
                .collect::<Vec<_>>()
        };
        let missing = differing(&expected, &new);
        assert!(missing.is_empty(), "{what}: warnings missing: {missing:#?}");
        let unexpected = differing(&new, &expected);
        assert!(
            unexpected.is_empty(),
            "{what}: unexpected warnings: {unexpected:#?}"
        );
        assert!(!new.is_empty() || expected.is_empty(), "{what}");
    }
}

#[test]
fn every_location_kind_has_a_place_in_the_spec() {
    let kinds: Vec<&str> = locations(true).iter().map(|(kind, _)| *kind).collect();
    for kind in LOCATION_KINDS {
        assert!(
            kinds.contains(kind),
            "location kind {kind:?} has no place in the spec"
        );
    }
    for kind in &kinds {
        assert!(
            LOCATION_KINDS.contains(kind),
            "{kind:?} is not a listed kind"
        );
    }
}

#[test]
fn repairs_reach_every_location_kind_in_openapi_30() {
    check_every_location_kind(false);
}

#[test]
fn repairs_reach_every_location_kind_in_openapi_31() {
    check_every_location_kind(true);
}
