//! The walk: visits every object of a document by its kind (see [`super::shapes`]) and
//! applies each field's repair, so every repair reaches every place its construct can
//! stand: parameters and headers at every level, encodings, callbacks, webhooks, links,
//! components (3.1 `pathItems` included) and schemas at any depth.

use serde_json::{Map, Value};

use super::shapes::{shape, Field, Node};
use super::Pass;
use crate::error::pointer_join;

/// What to do with a field after its repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keep {
    Yes,
    /// Drop it: its value cannot be read (the repair has said so).
    Drop,
}

impl Pass {
    /// Repairs `value`, an object of kind `node` at `pointer`, and everything inside it.
    pub(super) fn visit(&mut self, node: Node, value: &mut Value, pointer: &str) {
        let shape = shape(node);
        if node == Node::Schema {
            if !self.schema_before_fields(value, pointer) {
                return;
            }
        } else if shape.may_be_reference && value.get("$ref").is_some() {
            self.ref_siblings(value, pointer);
            if node == Node::OperationCallback {
                // Valid OpenAPI, but `openapiv3` types an operation's callbacks only
                // inline; the generator makes nothing of callbacks, so the reference is
                // read as an empty callback (the referenced one is walked in components).
                *value = Value::Object(Map::new());
            }
            return;
        }
        let Some(map) = value.as_object_mut() else {
            return;
        };
        match node {
            Node::Operation => self.operation_responses(map, pointer),
            Node::Parameter => {
                let location = map.get("in").and_then(Value::as_str).unwrap_or_default();
                let (what, styles) = match location {
                    "query" => ("query parameter", QUERY_STYLES),
                    "path" => ("path parameter", PATH_STYLES),
                    "header" => ("header parameter", HEADER_STYLES),
                    "cookie" => ("cookie parameter", COOKIE_STYLES),
                    _ => ("parameter", ALL_STYLES),
                };
                self.style(map, pointer, what, styles);
            }
            Node::Header => self.style(map, pointer, "header", HEADER_STYLES),
            Node::Encoding => self.style(map, pointer, "encoding", QUERY_STYLES),
            _ => {}
        }
        let mut dropped = Vec::new();
        for (key, field_value) in map.iter_mut() {
            let Some(field) = shape.field(key) else {
                continue;
            };
            if self.field(field, field_value, pointer, key) == Keep::Drop {
                dropped.push(key.clone());
            }
        }
        for key in dropped {
            map.shift_remove(&key);
        }
    }

    /// Repairs one field, `key` of the object at `pointer`.
    fn field(&mut self, field: Field, value: &mut Value, pointer: &str, key: &str) -> Keep {
        match field {
            Field::Text => self.text(value, pointer, key),
            Field::TextList => self.text_list(value, pointer, key),
            Field::TextMap => self.text_map(value, pointer, key),
            Field::Flag => return self.flag(value, pointer, key),
            Field::FlagOrSchema => match value {
                Value::Bool(_) => {}
                Value::Object(_) => self.visit(Node::Schema, value, &pointer_join(pointer, key)),
                _ => return self.flag(value, pointer, key),
            },
            Field::One(node) => self.visit(node, value, &pointer_join(pointer, key)),
            Field::List(node) => {
                if let Some(list) = value.as_array_mut() {
                    let list_pointer = pointer_join(pointer, key);
                    for (i, item) in list.iter_mut().enumerate() {
                        self.visit(node, item, &pointer_join(&list_pointer, &i.to_string()));
                    }
                }
            }
            Field::Map(node) => {
                if let Some(entries) = value.as_object_mut() {
                    let map_pointer = pointer_join(pointer, key);
                    for (name, item) in entries.iter_mut() {
                        self.visit(node, item, &pointer_join(&map_pointer, name));
                    }
                }
            }
        }
        Keep::Yes
    }

    /// Required in 3.0 (but often missing), optional in 3.1: an operation's `responses`.
    fn operation_responses(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if map.contains_key("responses") {
            return;
        }
        map.insert("responses".into(), Value::Object(Map::new()));
        if !self.is_31 {
            self.repair(
                pointer,
                "operation has no `responses`; read as none declared",
            );
        }
    }

    /// `style` of a parameter, header or encoding: spelled as OpenAPI does, and one that
    /// applies where it stands (else the default style is used).
    fn style(&mut self, map: &mut Map<String, Value>, pointer: &str, what: &str, allowed: &[&str]) {
        let Some(style) = map.get("style") else {
            return;
        };
        let text = style
            .as_str()
            .map_or_else(|| style.to_string(), str::to_string);
        if style.is_string() && allowed.contains(&text.as_str()) {
            return;
        }
        let same_but_case = |known: &str| known.eq_ignore_ascii_case(&text);
        let message = if let Some(known) = allowed.iter().find(|known| same_but_case(known)) {
            map.insert("style".into(), Value::String((*known).to_string()));
            format!("{what} style {text:?} is not spelled as OpenAPI does; read as {known:?}")
        } else if ALL_STYLES.iter().any(|known| same_but_case(known)) {
            map.shift_remove("style");
            format!("style {text:?} does not apply to a {what}; using the default")
        } else {
            map.shift_remove("style");
            format!("unknown {what} style {text:?}; using the default")
        };
        self.repair(&pointer_join(pointer, "style"), message);
    }

    /// Keys beside a `$ref` are ignored by OpenAPI 3.0 (3.1 allows a summary and a
    /// description); drop them so the node types as a reference.
    pub(super) fn ref_siblings(&mut self, node: &mut Value, pointer: &str) {
        let Some(map) = node.as_object_mut() else {
            return;
        };
        if !map.contains_key("$ref") || map.len() == 1 {
            return;
        }
        let dropped: Vec<String> = map.keys().filter(|k| *k != "$ref").cloned().collect();
        map.retain(|k, _| k == "$ref");
        let documentation_only = dropped
            .iter()
            .all(|k| matches!(k.as_str(), "description" | "summary"));
        if !(self.is_31 && documentation_only) {
            self.repair(
                pointer,
                format!("keys beside `$ref` are ignored: {}", dropped.join(", ")),
            );
        }
    }
}

const QUERY_STYLES: &[&str] = &["form", "spaceDelimited", "pipeDelimited", "deepObject"];
const PATH_STYLES: &[&str] = &["matrix", "label", "simple"];
const HEADER_STYLES: &[&str] = &["simple"];
const COOKIE_STYLES: &[&str] = &["form"];
const ALL_STYLES: &[&str] = &[
    "matrix",
    "label",
    "form",
    "simple",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
];
