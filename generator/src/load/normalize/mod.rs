//! The normalising pass: repairs a raw document before `openapiv3` types it.
//!
//! Real specs break typed parsers: OpenAPI 3.1 shapes (type arrays with `null`, `const`,
//! `examples` arrays, numeric `exclusiveMinimum`, boolean schemas), upper-case styles,
//! booleans written as text (`required: "false"`), numbers where text is required
//! (`version: 1.0`, `description: 5`), `required: true` on a property, integers out of
//! range, keys beside a `$ref`. Each is rewritten into the 3.0 form the rest of the
//! generator understands, and every repair is reported with its JSON pointer so nothing
//! changes silently.
//!
//! The pass walks the document by the kind of each object ([`shapes`]), so a repair
//! written for a kind of field ([`scalars`], [`walk`], [`schema`]) applies wherever an
//! object holding it can stand: path-item and operation parameters, headers of responses,
//! encodings and components, callbacks, webhooks, links, `components.pathItems`, and
//! schemas at any depth.

mod scalars;
mod schema;
mod shapes;
mod walk;

use serde_json::{Map, Value};

/// A repair made to the document: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// JSON pointer of the repaired node.
    pub pointer: String,
    /// What was wrong and what was done.
    pub message: String,
}

/// Normalises `doc` in place; returns the repairs made. `is_31` selects the 3.1 rewrites
/// (forms that are valid there are rewritten without a warning).
pub fn normalize(doc: &mut Value, is_31: bool) -> Vec<Repair> {
    let mut pass = Pass {
        repairs: Vec::new(),
        is_31,
    };
    if let Some(version) = doc.get_mut("openapi") {
        // `openapi: 3.0` in YAML is a number.
        pass.text(version, "#", "openapi");
        if is_31 {
            *version = Value::String("3.0.3".into());
        }
    }
    if is_31 && doc.get("paths").is_none() {
        if let Some(map) = doc.as_object_mut() {
            map.insert("paths".into(), Value::Object(Map::new()));
        }
    }
    pass.visit(shapes::Node::Document, doc, "#");
    pass.repairs
}

/// The state of one run of the pass.
struct Pass {
    repairs: Vec<Repair>,
    is_31: bool,
}

impl Pass {
    fn repair(&mut self, pointer: &str, message: impl Into<String>) {
        self.repairs.push(Repair {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(mut doc: Value, is_31: bool) -> (Value, Vec<Repair>) {
        let repairs = normalize(&mut doc, is_31);
        (doc, repairs)
    }

    #[test]
    fn type_arrays_const_and_examples_become_30_forms() {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"A": {
            "type": ["string", "null"], "examples": ["x", "y"],
            "properties": {"k": {"const": "fixed"}, "n": {"type": "integer", "exclusiveMinimum": 0}}
        }}}});
        let (doc, _) = run(doc, true);
        let a = &doc["components"]["schemas"]["A"];
        assert_eq!(a["type"], "string");
        assert_eq!(a["nullable"], true);
        assert_eq!(a["example"], "x");
        assert_eq!(a["properties"]["k"]["enum"], json!(["fixed"]));
        assert_eq!(a["properties"]["n"]["minimum"], 0);
        assert_eq!(a["properties"]["n"]["exclusiveMinimum"], true);
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
    }

    #[test]
    fn tolerance_repairs_are_reported_with_pointers() {
        let doc = json!({"openapi": "3.0.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "query", "style": "FORM", "required": "optional"}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "Object", "properties": {"id": {"type": "integer", "required": true, "maximum": 1e30}},
                "readOnly": "false"
            }}}}}
        }}}});
        let (doc, repairs) = run(doc, false);
        let param = &doc["paths"]["/a"]["get"]["parameters"][0];
        assert_eq!(param["style"], "form");
        let styles = json!({"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {}, "parameters": [
            {"name": "q", "in": "query", "style": "spacedelimited"}, {"name": "r", "in": "query", "style": "fancy"}
        ]}}}});
        let (fixed, style_repairs) = run(styles, false);
        assert_eq!(
            fixed["paths"]["/a"]["get"]["parameters"][0]["style"],
            "spaceDelimited"
        );
        assert!(fixed["paths"]["/a"]["get"]["parameters"][1]
            .get("style")
            .is_none());
        assert_eq!(style_repairs.len(), 2);
        assert_eq!(param["required"], false);
        let schema =
            &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["required"], json!(["id"]));
        assert_eq!(schema["readOnly"], false);
        assert!(schema["properties"]["id"].get("maximum").is_none());
        let pointers: Vec<&str> = repairs.iter().map(|r| r.pointer.as_str()).collect();
        assert!(
            pointers.contains(&"#/paths/~1a/get/parameters/0/style"),
            "{pointers:?}"
        );
        assert!(
            pointers.contains(&"#/paths/~1a/get/parameters/0/required"),
            "{pointers:?}"
        );
        assert!(
            pointers
                .iter()
                .any(|p| p.ends_with("/properties/id/required")),
            "{pointers:?}"
        );
        assert!(
            pointers
                .iter()
                .any(|p| p.ends_with("/properties/id/maximum")),
            "{pointers:?}"
        );
        assert_eq!(repairs.len(), 6, "{repairs:?}");
    }

    #[test]
    fn keys_beside_ref_are_dropped_and_reported_in_30() {
        let doc = json!({"openapi": "3.0.0", "components": {"schemas": {"A": {"type": "object", "properties": {
            "b": {"$ref": "#/components/schemas/B", "description": "d", "readOnly": true},
            "c": {"$ref": "#/components/schemas/B", "description": "d", "nullable": true}
        }}}}});
        let (doc, repairs) = run(doc, false);
        let properties = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(properties["b"], json!({"$ref": "#/components/schemas/B"}));
        assert_eq!(repairs.len(), 1);
        assert!(
            repairs[0].message.contains("description, readOnly"),
            "{repairs:?}"
        );
        // A nullable reference keeps its nullability through allOf.
        assert_eq!(
            properties["c"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true, "description": "d"})
        );
    }

    fn pointers(repairs: &[Repair]) -> Vec<&str> {
        repairs.iter().map(|r| r.pointer.as_str()).collect()
    }

    #[test]
    fn boolean_schemas_become_objects_with_a_warning_where_30_has_none() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Yes": true,
            "No": false,
            "Map": {"type": "object", "additionalProperties": false, "properties": {"p": {"items": true}}}
        }}});
        let (fixed, repairs) = run(doc.clone(), false);
        let schemas = &fixed["components"]["schemas"];
        assert_eq!(schemas["Yes"], json!({}));
        assert_eq!(schemas["No"], json!({}));
        assert_eq!(schemas["Map"]["additionalProperties"], false);
        assert_eq!(schemas["Map"]["properties"]["p"]["items"], json!({}));
        assert_eq!(
            pointers(&repairs),
            [
                "#/components/schemas/Yes",
                "#/components/schemas/No",
                "#/components/schemas/Map/properties/p/items"
            ]
        );
        // 3.1 allows boolean schemas: `true` is exactly `{}`, `false` still loses meaning.
        let (fixed, repairs) = run(doc, true);
        assert_eq!(fixed["components"]["schemas"]["Yes"], json!({}));
        assert_eq!(pointers(&repairs), ["#/components/schemas/No"]);
        assert!(repairs[0].message.contains("`false`"), "{repairs:?}");
    }

    #[test]
    fn styles_are_checked_against_where_they_stand() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/a": {"post": {
            "parameters": [
                {"name": "h", "in": "header", "style": "form"},
                {"name": "p", "in": "path", "required": true, "style": "Label"}
            ],
            "requestBody": {"content": {"multipart/form-data": {"encoding": {"part": {
                "style": "DEEPOBJECT", "headers": {"X-A": {"style": "SIMPLE"}, "X-B": {"style": "matrix"}}
            }}}}},
            "responses": {"200": {"description": "ok", "headers": {"X-C": {"style": "weird"}}}}
        }}}});
        let (fixed, repairs) = run(doc, false);
        let op = &fixed["paths"]["/a"]["post"];
        assert!(op["parameters"][0].get("style").is_none());
        assert_eq!(op["parameters"][1]["style"], "label");
        let part = &op["requestBody"]["content"]["multipart/form-data"]["encoding"]["part"];
        assert_eq!(part["style"], "deepObject");
        assert_eq!(part["headers"]["X-A"]["style"], "simple");
        assert!(part["headers"]["X-B"].get("style").is_none());
        assert!(op["responses"]["200"]["headers"]["X-C"]
            .get("style")
            .is_none());
        let messages: Vec<&str> = repairs.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(repairs.len(), 6, "{messages:#?}");
        assert!(
            messages[0].contains("does not apply to a header parameter"),
            "{messages:#?}"
        );
        assert!(
            messages[5].contains("unknown header style"),
            "{messages:#?}"
        );
    }

    #[test]
    fn numbers_where_text_is_required_are_read_as_text() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": 1.0},
            "tags": [{"name": 7}],
            "paths": {"/a": {"get": {
                "operationId": 123, "tags": [7],
                "parameters": [{"name": 5, "in": "query", "example": 5, "x-n": 5}],
                "responses": {"200": {"description": 200}}
            }}},
            "components": {"schemas": {
                "S": {"type": "string", "enum": [1, "a", null, true], "format": 64},
                "I": {"type": "integer", "enum": [1, 2], "default": 3, "description": false}
            }}
        });
        let (fixed, repairs) = run(doc, false);
        assert_eq!(fixed["info"]["version"], "1.0");
        assert_eq!(fixed["tags"][0]["name"], "7");
        let get = &fixed["paths"]["/a"]["get"];
        assert_eq!(get["operationId"], "123");
        assert_eq!(get["tags"], json!(["7"]));
        // Examples and extensions are values, not text fields: untouched.
        assert_eq!(
            get["parameters"][0],
            json!({"name": "5", "in": "query", "example": 5, "x-n": 5})
        );
        assert_eq!(get["responses"]["200"]["description"], "200");
        let schemas = &fixed["components"]["schemas"];
        assert_eq!(schemas["S"]["enum"], json!(["1", "a", null, "true"]));
        assert_eq!(schemas["S"]["format"], "64");
        assert_eq!(schemas["I"]["enum"], json!([1, 2]));
        assert_eq!(schemas["I"]["default"], 3);
        assert_eq!(schemas["I"]["description"], "false");
        assert_eq!(
            pointers(&repairs),
            [
                "#/info/version",
                "#/tags/0/name",
                "#/paths/~1a/get/operationId",
                "#/paths/~1a/get/tags",
                "#/paths/~1a/get/parameters/0/name",
                "#/paths/~1a/get/responses/200/description",
                "#/components/schemas/S/enum",
                "#/components/schemas/S/format",
                "#/components/schemas/I/description",
            ]
        );
    }

    #[test]
    fn a_referenced_operation_callback_is_read_as_empty() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {},
            "callbacks": {"c": {"$ref": "#/components/callbacks/C"}}}}}});
        let (fixed, repairs) = run(doc, false);
        assert_eq!(fixed["paths"]["/a"]["get"]["callbacks"]["c"], json!({}));
        assert!(repairs.is_empty(), "{repairs:?}");
    }
}
