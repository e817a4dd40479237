//! Run-time behaviour of the client generated from `tests/fixtures/objects.yaml`.
//!
//! `build.rs` generates that client into `OUT_DIR`; it is included at the crate root
//! below (its code refers to `crate::types::...`). The tests pin down:
//!
//! * the optional nullable `note`: absent, `null` and a value are three different states
//!   (`None`, `Some(None)`, `Some(Some(_))`), and each is written back as it was read;
//! * the required nullable, recursive `parent` (boxed): `null` and nested nodes, several
//!   levels deep;
//! * `meta`, an object with declared properties and `additionalProperties: true`: unknown
//!   keys are kept in its flattened map and written back;
//! * `Tree`, a recursive map made a newtype, decoding and round-tripping;
//! * the `status` enum with odd values (dash, leading digit, differing only in case), and
//!   unknown values kept;
//! * the inline response of `createNode`, named from its context, with a `labels` map;
//! * `create_node` over real HTTP: the JSON body sent and the 201 body decoded;
//! * `License`, a component declared `nullable: true`: `Repo`'s required `license` and
//!   optional `upstream_license` (wrapped in allOf) reach it by `$ref` and take `null`,
//!   and `get_license`, whose whole body is a `License`, decodes a `null` body over real
//!   HTTP as `None`.

include!(concat!(env!("OUT_DIR"), "/fixture_objects.rs"));

use std::collections::BTreeMap;

use gong_standin::http::{Reply, Request, Server};
use serde_json::json;
use types::{CreateNodeResponse, License, Node, NodeMeta, NodeStatus, Repo, Tree};

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

/// A root node with only its required fields.
fn root(name: &str) -> Node {
    Node {
        name: name.to_string(),
        parent: None,
        children: None,
        note: None,
        status: None,
        meta: None,
    }
}

// ---------------------------------------------------------------------------
// note: optional and nullable
// ---------------------------------------------------------------------------

#[test]
fn note_absent_is_none() {
    let node: Node = decode(&json!({"name": "a", "parent": null})).unwrap();
    assert_eq!(node.note, None);
    assert_eq!(node, root("a"));
}

#[test]
fn note_null_is_some_none() {
    let node: Node = decode(&json!({"name": "a", "parent": null, "note": null})).unwrap();
    assert_eq!(node.note, Some(None));
}

#[test]
fn note_value_is_some_some() {
    let node: Node = decode(&json!({"name": "a", "parent": null, "note": "x"})).unwrap();
    assert_eq!(node.note, Some(Some("x".to_string())));
}

#[test]
fn note_serialization_keeps_absent_null_and_value_apart() {
    let absent = root("a");
    assert_eq!(encode(&absent), json!({"name": "a", "parent": null}));
    assert!(!encode(&absent).as_object().unwrap().contains_key("note"));

    let null = Node {
        note: Some(None),
        ..root("a")
    };
    assert_eq!(
        encode(&null),
        json!({"name": "a", "parent": null, "note": null})
    );

    let value = Node {
        note: Some(Some("x".to_string())),
        ..root("a")
    };
    assert_eq!(
        encode(&value),
        json!({"name": "a", "parent": null, "note": "x"})
    );

    for node in [absent, null, value] {
        let text = serde_json::to_string(&node).unwrap();
        assert_eq!(serde_json::from_str::<Node>(&text).unwrap(), node, "{text}");
    }
}

#[test]
fn note_of_the_wrong_type_is_an_error() {
    let result = decode::<Node>(&json!({"name": "a", "parent": null, "note": 5}));
    assert!(result.is_err(), "{result:?}");
}

// ---------------------------------------------------------------------------
// parent: required, nullable, recursive
// ---------------------------------------------------------------------------

#[test]
fn parent_null_is_none_and_is_written_as_null() {
    let node: Node = decode(&json!({"name": "root", "parent": null})).unwrap();
    assert_eq!(node.parent, None);
    // Required: written even when null.
    assert_eq!(encode(&node), json!({"name": "root", "parent": null}));
}

#[test]
fn name_is_required() {
    let error = decode::<Node>(&json!({"parent": null})).expect_err("name is required");
    assert_eq!(error.to_string(), "missing field `name`");
}

/// A value of the wrong type deep inside a body is reported with the path of fields that
/// leads to it, read from text as the client reads responses.
#[test]
fn a_wrong_value_deep_inside_names_its_field_path() {
    let text =
        r#"{"name": "leaf", "parent": {"name": "middle", "parent": {"name": 7, "parent": null}}}"#;
    let error = serde_json::from_str::<Node>(text).expect_err("name 7 is not a string");
    assert_eq!(
        error.to_string(),
        "field `parent.parent.name`: invalid type: integer `7`, expected a string at line 1 column 66"
    );
    assert!(error.is_data(), "a wrong value is a data error: {error:?}");
    let text =
        r#"{"name": "a", "parent": null, "children": [{"name": "b", "parent": null, "note": []}]}"#;
    let error = serde_json::from_str::<Node>(text).expect_err("note [] is not a string");
    assert!(
        error
            .to_string()
            .starts_with("field `children.note`: invalid type: sequence"),
        "{error}"
    );
}

/// The line and column are where reading stopped, given once, after the field path: just
/// after the wrong value, or after the closing braces that follow it directly.
#[test]
fn a_wrong_value_names_its_line_and_column() {
    let text = "{\n  \"name\": \"a\",\n  \"parent\": {\n    \"note\": false,\n    \"name\": \"b\",\n    \"parent\": null\n  }\n}";
    let error = serde_json::from_str::<Node>(text).expect_err("note false is not a string");
    assert_eq!((error.line(), error.column()), (4, 17), "{error}");
    assert_eq!(
        error.to_string(),
        "field `parent.note`: invalid type: boolean `false`, expected a string at line 4 column 17"
    );
    // The last entry of two objects: reading stops after their closing braces.
    let text = "{\"name\": \"a\", \"parent\": {\"name\": \"b\", \"parent\": null, \"note\": 1}\n}";
    let error = serde_json::from_str::<Node>(text).expect_err("note 1 is not a string");
    assert_eq!((error.line(), error.column()), (2, 1), "{error}");
}

/// Malformed or truncated JSON inside a field stays a syntax or EOF error (the client's
/// `InvalidBody` callers can tell them apart), with its own position.
#[test]
fn broken_json_inside_a_field_stays_a_syntax_error() {
    let error = serde_json::from_str::<Node>(r#"{"name": "a", "parent": {"name": tru}}"#)
        .expect_err("tru is not JSON");
    assert!(error.is_syntax(), "{error:?}");
    assert_eq!(error.to_string(), "expected ident at line 1 column 37");
    let error = serde_json::from_str::<Node>(r#"{"name": "a", "parent": {"name": "b"#)
        .expect_err("truncated");
    assert!(error.is_eof(), "{error:?}");
}

/// Unknown entries are skipped whatever they hold, at any depth; a later duplicate key
/// replaces an earlier one (as a JSON object read into a map would).
#[test]
fn unknown_entries_are_skipped_and_duplicates_replace() {
    let text = r#"{"extra": {"deep": [1, {"x": null}], "s": "}"}, "name": "first",
        "parent": {"name": "p", "parent": null, "more": [[], {}]}, "name": "second"}"#;
    let node: Node = serde_json::from_str(text).unwrap();
    assert_eq!(node.name, "second");
    assert_eq!(node.parent.as_deref().map(|p| p.name.as_str()), Some("p"));
}

/// Keys the reader cannot lend (escaped, or read from an `io::Read`) match all the same.
#[test]
fn escaped_keys_and_readers_decode_the_same() {
    let text = r#"{"na\u006de": "a", "parent": {"name": "b", "parent": null}, "note": null}"#;
    let from_text: Node = serde_json::from_str(text).unwrap();
    let from_reader: Node = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(from_text.name, "a");
    assert_eq!(from_text.note, Some(None));
    assert_eq!(from_text, from_reader);
}

/// The models are serde models, not JSON ones: a node goes through YAML and back with
/// absent and `null` kept apart, the flattened map's extra keys kept, and a wrong value's
/// error naming its field path.
#[test]
fn a_node_round_trips_through_yaml() {
    let mut extra = BTreeMap::new();
    extra.insert("since".to_string(), json!(2020));
    extra.insert("tags".to_string(), json!(["x", "y"]));
    let node = Node {
        note: Some(None),
        status: Some(NodeStatus::from("later")),
        children: Some(vec![root("kid")]),
        meta: Some(NodeMeta {
            owner: Some("ann".into()),
            additional_properties: extra,
        }),
        parent: Some(Box::new(Node {
            note: Some(Some("n".into())),
            ..root("up")
        })),
        ..root("a")
    };
    let yaml = serde_yaml::to_string(&node).unwrap();
    assert!(yaml.contains("note: null"), "{yaml}");
    assert!(yaml.contains("since: 2020"), "{yaml}");
    let back: Node = serde_yaml::from_str(&yaml).unwrap();
    assert_eq!(back, node);

    let error = serde_yaml::from_str::<Node>("name: a\nparent:\n  name: [1]\n  parent: null\n")
        .expect_err("a list is not a name");
    // serde_yaml puts its own path and position in the inner message too.
    let message = error.to_string();
    assert!(message.starts_with("field `parent"), "{message}");
    assert!(
        message.contains("invalid type: sequence, expected a string"),
        "{message}"
    );
}

/// Fields are written in the order the schema declares them (not sorted), skipping absent
/// optional ones.
#[test]
fn fields_are_written_in_declaration_order() {
    let node = Node {
        note: Some(Some("n".into())),
        status: Some(NodeStatus::Active),
        ..root("z")
    };
    let text = serde_json::to_string(&node).unwrap();
    assert_eq!(
        text,
        r#"{"name":"z","parent":null,"note":"n","status":"active"}"#
    );
}

/// `parent` is in `required`: it may be `null`, but it may not be left out.
#[test]
fn parent_is_required() {
    let error = decode::<Node>(&json!({"name": "orphan"})).expect_err("parent is required");
    assert_eq!(error.to_string(), "missing field `parent`");
}

#[test]
fn parent_decodes_recursively_three_levels_deep() {
    let json = json!({
        "name": "leaf",
        "parent": {
            "name": "middle",
            "note": null,
            "parent": {
                "name": "top",
                "status": "active",
                "parent": null
            }
        }
    });
    let node: Node = decode(&json).unwrap();
    let expected = Node {
        parent: Some(Box::new(Node {
            note: Some(None),
            parent: Some(Box::new(Node {
                status: Some(NodeStatus::Active),
                ..root("top")
            })),
            ..root("middle")
        })),
        ..root("leaf")
    };
    assert_eq!(node, expected);

    let middle = node.parent.as_deref().expect("a parent");
    assert_eq!(middle.name, "middle");
    let top = middle.parent.as_deref().expect("a grandparent");
    assert_eq!(top.name, "top");
    assert_eq!(top.parent, None);

    assert_eq!(encode(&node), json);
}

#[test]
fn children_decode_recursively() {
    let json = json!({
        "name": "root",
        "parent": null,
        "children": [
            {"name": "a", "parent": null, "children": []},
            {"name": "b", "parent": null, "children": [{"name": "b1", "parent": null}]}
        ]
    });
    let node: Node = decode(&json).unwrap();
    let expected = Node {
        children: Some(vec![
            Node {
                children: Some(Vec::new()),
                ..root("a")
            },
            Node {
                children: Some(vec![root("b1")]),
                ..root("b")
            },
        ]),
        ..root("root")
    };
    assert_eq!(node, expected);
    assert_eq!(encode(&node), json);
}

// ---------------------------------------------------------------------------
// meta: declared properties plus additionalProperties
// ---------------------------------------------------------------------------

#[test]
fn meta_keeps_unknown_keys_in_its_map_and_writes_them_back() {
    let json = json!({
        "name": "a",
        "parent": null,
        "meta": {
            "owner": "ann",
            "color": "red",
            "weight": 3,
            "tags": ["x", "y"],
            "nested": {"deep": null}
        }
    });
    let node: Node = decode(&json).unwrap();
    let meta = node.meta.clone().expect("meta");
    assert_eq!(meta.owner.as_deref(), Some("ann"));
    let expected: BTreeMap<String, serde_json::Value> = [
        ("color".to_string(), json!("red")),
        ("weight".to_string(), json!(3)),
        ("tags".to_string(), json!(["x", "y"])),
        ("nested".to_string(), json!({"deep": null})),
    ]
    .into_iter()
    .collect();
    assert_eq!(meta.additional_properties, expected);
    assert!(!meta.additional_properties.contains_key("owner"));

    assert_eq!(encode(&node), json);
}

#[test]
fn meta_without_owner_and_with_only_extra_keys() {
    let meta: NodeMeta = decode(&json!({"x": 1})).unwrap();
    assert_eq!(meta.owner, None);
    assert_eq!(meta.additional_properties.len(), 1);
    assert_eq!(meta.additional_properties["x"], json!(1));
    assert_eq!(encode(&meta), json!({"x": 1}));

    let empty = NodeMeta::default();
    assert_eq!(encode(&empty), json!({}));
}

#[test]
fn meta_built_in_code_serializes_its_extra_keys() {
    let mut meta = NodeMeta {
        owner: Some("bo".to_string()),
        ..NodeMeta::default()
    };
    meta.additional_properties
        .insert("since".to_string(), json!(2020));
    assert_eq!(encode(&meta), json!({"owner": "bo", "since": 2020}));
}

// ---------------------------------------------------------------------------
// Tree: a recursive map as a newtype
// ---------------------------------------------------------------------------

#[test]
fn tree_decodes_nested_levels_and_round_trips() {
    let json = json!({
        "a": {"b": {"c": {}}, "d": {}},
        "e": {}
    });
    let tree: Tree = decode(&json).unwrap();
    let leaf = || Tree(BTreeMap::new());
    let expected = Tree(
        [
            (
                "a".to_string(),
                Tree(
                    [
                        (
                            "b".to_string(),
                            Tree([("c".to_string(), leaf())].into_iter().collect()),
                        ),
                        ("d".to_string(), leaf()),
                    ]
                    .into_iter()
                    .collect(),
                ),
            ),
            ("e".to_string(), leaf()),
        ]
        .into_iter()
        .collect(),
    );
    assert_eq!(tree, expected);
    assert_eq!(tree.0["a"].0["b"].0["c"], leaf());
    assert_eq!(encode(&tree), json);
    assert_eq!(encode(&leaf()), json!({}));
}

#[test]
fn tree_with_a_non_object_value_is_an_error() {
    let result = decode::<Tree>(&json!({"a": {"b": 1}}));
    assert!(result.is_err(), "{result:?}");
}

// ---------------------------------------------------------------------------
// status: enum with odd values
// ---------------------------------------------------------------------------

#[test]
fn status_odd_values_map_to_their_variants_and_back() {
    let cases = [
        ("active", NodeStatus::Active),
        ("in-review", NodeStatus::InReview),
        ("2fa_required", NodeStatus::X2faRequired),
        ("ACTIVE", NodeStatus::Active2),
    ];
    for (wire, variant) in cases {
        let decoded: NodeStatus = decode(&json!(wire)).unwrap();
        assert_eq!(decoded, variant, "{wire}");
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(decoded.to_string(), wire);
        assert_eq!(NodeStatus::from(wire), variant);
        assert_eq!(encode(&decoded), json!(wire));
    }
    // `active` and `ACTIVE` stay apart.
    assert_ne!(NodeStatus::Active, NodeStatus::Active2);
}

#[test]
fn status_unknown_value_is_kept() {
    for wire in ["archived", "Active", "in_review", ""] {
        let decoded: NodeStatus = decode(&json!(wire)).unwrap();
        assert_eq!(decoded, NodeStatus::Unknown(wire.to_string()), "{wire:?}");
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(encode(&decoded), json!(wire));
    }
}

#[test]
fn status_inside_a_node() {
    let json = json!({"name": "a", "parent": null, "status": "in-review"});
    let node: Node = decode(&json).unwrap();
    assert_eq!(node.status, Some(NodeStatus::InReview));
    assert_eq!(encode(&node), json);
    let result = decode::<Node>(&json!({"name": "a", "parent": null, "status": 1}));
    assert!(result.is_err(), "{result:?}");
}

// ---------------------------------------------------------------------------
// The inline response of createNode
// ---------------------------------------------------------------------------

#[test]
fn create_node_response_with_labels_map() {
    let json = json!({
        "node": {"name": "n", "parent": null},
        "labels": {"env": "prod", "team": "core"}
    });
    let response: CreateNodeResponse = decode(&json).unwrap();
    let labels: BTreeMap<String, String> = [
        ("env".to_string(), "prod".to_string()),
        ("team".to_string(), "core".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        response,
        CreateNodeResponse {
            node: Some(root("n")),
            labels: Some(labels),
        }
    );
    assert_eq!(encode(&response), json);

    let empty: CreateNodeResponse = decode(&json!({})).unwrap();
    assert_eq!(empty, CreateNodeResponse::default());
    assert_eq!(encode(&empty), json!({}));

    let bad = decode::<CreateNodeResponse>(&json!({"labels": {"n": 1}}));
    assert!(bad.is_err(), "labels values are strings: {bad:?}");
}

// ---------------------------------------------------------------------------
// Over real HTTP
// ---------------------------------------------------------------------------

#[tokio::test]
async fn create_node_sends_the_json_body_and_decodes_the_201() {
    let reply = json!({
        "node": {
            "name": "child",
            "parent": {"name": "root", "parent": null},
            "note": null,
            "status": "2fa_required",
            "meta": {"owner": "ann", "extra": true}
        },
        "labels": {"created-by": "test"}
    });
    let reply_body = reply.clone();
    let server = Server::start(move |_: &Request, _| Reply::json(201, &reply_body))
        .await
        .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let mut extra = BTreeMap::new();
    extra.insert("rank".to_string(), json!(2));
    let node = Node {
        name: "child".to_string(),
        parent: Some(Box::new(root("root"))),
        children: None,
        note: Some(None),
        status: Some(NodeStatus::InReview),
        meta: Some(NodeMeta {
            owner: None,
            additional_properties: extra,
        }),
    };
    let response = client.create_node(&node).await.expect("create_node");
    assert_eq!(response.status().as_u16(), 201);

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/nodes");
    assert_eq!(request.header("content-type"), Some("application/json"));
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("a JSON body");
    // Absent options (`children`, `meta.owner`, the parent's `note`, ...) are omitted; the
    // explicit null `note` and the required null `parent` are written.
    assert_eq!(
        sent,
        json!({
            "name": "child",
            "parent": {"name": "root", "parent": null},
            "note": null,
            "status": "in-review",
            "meta": {"rank": 2}
        })
    );

    let body = response.into_body();
    let mut meta_extra = BTreeMap::new();
    meta_extra.insert("extra".to_string(), json!(true));
    let expected = CreateNodeResponse {
        node: Some(Node {
            name: "child".to_string(),
            parent: Some(Box::new(root("root"))),
            children: None,
            note: Some(None),
            status: Some(NodeStatus::X2faRequired),
            meta: Some(NodeMeta {
                owner: Some("ann".to_string()),
                additional_properties: meta_extra,
            }),
        }),
        labels: Some(
            [("created-by".to_string(), "test".to_string())]
                .into_iter()
                .collect(),
        ),
    };
    assert_eq!(body, expected);
    assert_eq!(encode(&body), reply);
}

// ---------------------------------------------------------------------------
// License: a nullable component reached by `$ref`
// ---------------------------------------------------------------------------

#[test]
fn a_required_ref_to_a_nullable_component_takes_null() {
    let repo: Repo = decode(&json!({"name": "r", "license": null})).unwrap();
    assert_eq!(repo.license, None);
    assert_eq!(repo.upstream_license, None);
    assert_eq!(encode(&repo), json!({"name": "r", "license": null}));
}

#[test]
fn a_required_ref_to_a_nullable_component_is_still_required() {
    let error = decode::<Repo>(&json!({"name": "r"})).unwrap_err();
    assert!(error.to_string().contains("license"), "{error}");
}

#[test]
fn an_optional_allof_wrapped_ref_to_a_nullable_component_keeps_absent_and_null_apart() {
    let null: Repo =
        decode(&json!({"name": "r", "license": null, "upstream_license": null})).unwrap();
    assert_eq!(null.upstream_license, Some(None));
    let value: Repo = decode(&json!({
        "name": "r",
        "license": {"key": "mit"},
        "upstream_license": {"key": "apache-2.0"}
    }))
    .unwrap();
    assert_eq!(
        value.license,
        Some(License {
            key: "mit".to_string()
        })
    );
    assert_eq!(
        value.upstream_license,
        Some(Some(License {
            key: "apache-2.0".to_string()
        }))
    );
    assert_eq!(
        encode(&null),
        json!({"name": "r", "license": null, "upstream_license": null})
    );
}

#[tokio::test]
async fn a_whole_body_of_a_nullable_component_decodes_null_and_a_value() {
    let server = Server::start(|request: &Request, _| {
        if request.target.ends_with("/none") {
            Reply::json(200, &json!(null))
        } else {
            Reply::json(200, &json!({"key": "mit"}))
        }
    })
    .await
    .expect("start the stand-in server");
    let client = Client::new(&server.url(), Credentials::None).expect("build the client");

    let none = client
        .get_license("none")
        .await
        .expect("a null body decodes");
    assert_eq!(none.into_body(), None);
    let some = client.get_license("mit").await.expect("a licence decodes");
    assert_eq!(
        some.into_body(),
        Some(License {
            key: "mit".to_string()
        })
    );
}
