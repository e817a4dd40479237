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
}
