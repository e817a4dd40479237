//! The normalising pass: repairs a raw document before `openapiv3` types it.
//!
//! Real specs break typed parsers: OpenAPI 3.1 shapes (type arrays with `null`, `const`,
//! `examples` arrays, numeric `exclusiveMinimum`), upper-case parameter styles, schema
//! keywords with the wrong type (`required: true` on a property, `readOnly: "false"`),
//! integers out of range, keys beside a `$ref`. Each is rewritten into the 3.0 form the
//! rest of the generator understands, and every repair is reported with its JSON pointer
//! so nothing changes silently.

use serde_json::{Map, Value};

use crate::error::pointer_join;

/// A repair made to the document: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// JSON pointer of the repaired node.
    pub pointer: String,
    /// What was wrong and what was done.
    pub message: String,
}

/// Normalises `doc` in place; returns the repairs made. `is_31` selects the 3.1 rewrites
/// (which are expected there and so reported only once, at the top).
pub fn normalize(doc: &mut Value, is_31: bool) -> Vec<Repair> {
    let mut pass = Pass {
        repairs: Vec::new(),
        is_31,
    };
    if is_31 {
        if let Some(version) = doc.get_mut("openapi") {
            *version = Value::String("3.0.3".into());
        }
        if doc.get("paths").is_none() {
            if let Some(map) = doc.as_object_mut() {
                map.insert("paths".into(), Value::Object(Map::new()));
            }
        }
    }
    pass.document(doc);
    pass.repairs
}

struct Pass {
    repairs: Vec<Repair>,
    is_31: bool,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Pass {
    fn repair(&mut self, pointer: &str, message: impl Into<String>) {
        self.repairs.push(Repair {
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    fn document(&mut self, doc: &mut Value) {
        if let Some(servers) = doc.get_mut("servers") {
            self.servers(servers, "#/servers");
        }
        if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                let pointer = pointer_join("#/paths", path);
                self.path_item(item, &pointer);
            }
        }
        let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) else {
            return;
        };
        for (section, entries) in components.iter_mut() {
            let Some(entries) = entries.as_object_mut() else {
                continue;
            };
            let section_pointer = pointer_join("#/components", section);
            for (name, entry) in entries.iter_mut() {
                let pointer = pointer_join(&section_pointer, name);
                match section.as_str() {
                    "schemas" => self.schema(entry, &pointer),
                    "parameters" => self.parameter(entry, &pointer),
                    "requestBodies" => self.content_holder(entry, &pointer),
                    "responses" => self.response(entry, &pointer),
                    "headers" => self.header(entry, &pointer),
                    _ => {}
                }
            }
        }
    }

    /// Server variables' `default` and `enum` values must be strings; numbers are common.
    fn servers(&mut self, servers: &mut Value, pointer: &str) {
        let Some(list) = servers.as_array_mut() else {
            return;
        };
        for (i, server) in list.iter_mut().enumerate() {
            let Some(variables) = server.get_mut("variables").and_then(Value::as_object_mut) else {
                continue;
            };
            let server_pointer = pointer_join(pointer, &i.to_string());
            for (name, variable) in variables.iter_mut() {
                let variable_pointer =
                    pointer_join(&pointer_join(&server_pointer, "variables"), name);
                let mut changed = false;
                if let Some(default) = variable.get_mut("default") {
                    changed |= stringify(default);
                }
                if let Some(values) = variable.get_mut("enum").and_then(Value::as_array_mut) {
                    for value in values {
                        changed |= stringify(value);
                    }
                }
                if changed {
                    self.repair(
                        &variable_pointer,
                        "server variable values must be strings; numbers read as text",
                    );
                }
            }
        }
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        self.ref_siblings(item, pointer);
        let Some(item) = item.as_object_mut() else {
            return;
        };
        if let Some(params) = item.get_mut("parameters").and_then(Value::as_array_mut) {
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(
                    p,
                    &pointer_join(&pointer_join(pointer, "parameters"), &i.to_string()),
                );
            }
        }
        for method in METHODS {
            let Some(op) = item.get_mut(*method) else {
                continue;
            };
            let op_pointer = pointer_join(pointer, method);
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            if !op.contains_key("responses") {
                // Optional in 3.1; required (but often missing) in 3.0.
                op.insert("responses".into(), Value::Object(Map::new()));
                if !self.is_31 {
                    self.repair(
                        &op_pointer,
                        "operation has no `responses`; read as none declared",
                    );
                }
            }
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for (i, p) in params.iter_mut().enumerate() {
                    self.parameter(
                        p,
                        &pointer_join(&pointer_join(&op_pointer, "parameters"), &i.to_string()),
                    );
                }
            }
            if let Some(body) = op.get_mut("requestBody") {
                self.content_holder(body, &pointer_join(&op_pointer, "requestBody"));
            }
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                for (status, response) in responses.iter_mut() {
                    let response_pointer =
                        pointer_join(&pointer_join(&op_pointer, "responses"), status);
                    self.response(response, &response_pointer);
                }
            }
        }
    }

    fn parameter(&mut self, param: &mut Value, pointer: &str) {
        self.ref_siblings(param, pointer);
        let Some(map) = param.as_object_mut() else {
            return;
        };
        const STYLES: &[&str] = &[
            "matrix",
            "label",
            "form",
            "simple",
            "spaceDelimited",
            "pipeDelimited",
            "deepObject",
        ];
        let style = map.get("style").and_then(Value::as_str).map(str::to_string);
        if let Some(text) = style.filter(|s| !STYLES.contains(&s.as_str())) {
            let canonical = STYLES
                .iter()
                .find(|known| known.eq_ignore_ascii_case(&text));
            let message = match canonical {
                Some(known) => {
                    map.insert("style".into(), Value::String((*known).to_string()));
                    format!("parameter style {text:?} is not spelled as OpenAPI does; read as {known:?}")
                }
                None => {
                    map.remove("style");
                    format!("unknown parameter style {text:?}; using the default")
                }
            };
            self.repair(&pointer_join(pointer, "style"), message);
        }
        for key in [
            "required",
            "explode",
            "deprecated",
            "allowEmptyValue",
            "allowReserved",
        ] {
            self.boolean(map, key, pointer);
        }
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &pointer_join(pointer, "schema"));
        }
        self.content_map(map, pointer);
    }

    fn header(&mut self, header: &mut Value, pointer: &str) {
        self.ref_siblings(header, pointer);
        let Some(map) = header.as_object_mut() else {
            return;
        };
        for key in ["required", "explode", "deprecated"] {
            self.boolean(map, key, pointer);
        }
        if let Some(schema) = map.get_mut("schema") {
            self.schema(schema, &pointer_join(pointer, "schema"));
        }
    }

    fn response(&mut self, response: &mut Value, pointer: &str) {
        self.content_holder(response, pointer);
        if let Some(headers) = response.get_mut("headers").and_then(Value::as_object_mut) {
            for (name, header) in headers.iter_mut() {
                self.header(
                    header,
                    &pointer_join(&pointer_join(pointer, "headers"), name),
                );
            }
        }
    }

    /// A request body or response: its `content` map's schemas.
    fn content_holder(&mut self, holder: &mut Value, pointer: &str) {
        self.ref_siblings(holder, pointer);
        if let Some(map) = holder.as_object_mut() {
            self.boolean(map, "required", pointer);
            self.content_map(map, pointer);
        }
    }

    fn content_map(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let Some(content) = map.get_mut("content").and_then(Value::as_object_mut) else {
            return;
        };
        for (media, media_type) in content.iter_mut() {
            if let Some(schema) = media_type.get_mut("schema") {
                let schema_pointer = pointer_join(
                    &pointer_join(&pointer_join(pointer, "content"), media),
                    "schema",
                );
                self.schema(schema, &schema_pointer);
            }
        }
    }

    /// A boolean field written as a string ("true"/"false") or something else.
    fn boolean(&mut self, map: &mut Map<String, Value>, key: &str, pointer: &str) {
        let Some(value) = map.get(key) else { return };
        if value.is_boolean() {
            return;
        }
        let fixed = match value.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("true") => Some(true),
            Some("false") | Some("optional") => Some(false),
            _ => None,
        };
        let message = match fixed {
            Some(b) => format!("`{key}` is {value} instead of a boolean; read as {b}"),
            None => format!("`{key}` is {value} instead of a boolean; ignored"),
        };
        match fixed {
            Some(b) => {
                map.insert(key.into(), Value::Bool(b));
            }
            None => {
                map.remove(key);
            }
        }
        self.repair(&pointer_join(pointer, key), message);
    }

    /// Keys beside a `$ref` are ignored by OpenAPI 3.0 (3.1 allows a few); drop them so the
    /// node types as a reference.
    fn ref_siblings(&mut self, node: &mut Value, pointer: &str) {
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

    /// `{$ref, nullable: true}` (and a description beside it) is the usual 3.0 way to say "a
    /// nullable reference"; it becomes `{allOf: [{$ref}], nullable, description}`, which
    /// keeps both.
    fn nullable_ref(&mut self, schema: &mut Value) {
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        if map.get("nullable") != Some(&Value::Bool(true)) {
            return;
        }
        let Some(reference) = map.remove("$ref") else {
            return;
        };
        let mut reference_only = Map::new();
        reference_only.insert("$ref".into(), reference);
        map.insert(
            "allOf".into(),
            Value::Array(vec![Value::Object(reference_only)]),
        );
        map.retain(|k, _| {
            matches!(
                k.as_str(),
                "allOf"
                    | "nullable"
                    | "description"
                    | "title"
                    | "readOnly"
                    | "writeOnly"
                    | "deprecated"
                    | "example"
                    | "default"
            )
        });
    }

    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        if schema.get("$ref").is_some() {
            self.nullable_ref(schema);
            self.ref_siblings(schema, pointer);
            if schema.get("$ref").is_some() {
                return;
            }
        }
        let Some(map) = schema.as_object_mut() else {
            return;
        };
        self.schema_keywords(map, pointer);
        // Recurse into subschemas.
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = map.get_mut(key).filter(|v| v.is_object()) {
                self.schema(sub, &pointer_join(pointer, key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = map.get_mut(key).and_then(Value::as_array_mut) {
                for (i, sub) in list.iter_mut().enumerate() {
                    self.schema(
                        sub,
                        &pointer_join(&pointer_join(pointer, key), &i.to_string()),
                    );
                }
            }
        }
        let mut required_by_flag = Vec::new();
        if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, sub) in properties.iter_mut() {
                let sub_pointer = pointer_join(&pointer_join(pointer, "properties"), name);
                // Swagger-style `required: true` on the property itself.
                if let Some(flag) = sub.get("required").filter(|v| !v.is_array()).cloned() {
                    if let Some(sub_map) = sub.as_object_mut() {
                        sub_map.remove("required");
                    }
                    if flag == Value::Bool(true) {
                        required_by_flag.push(name.clone());
                    }
                    self.repair(
                        &pointer_join(&sub_pointer, "required"),
                        format!("`required: {flag}` on a property; moved to the parent's `required` list"),
                    );
                }
                self.schema(sub, &sub_pointer);
            }
        }
        if !required_by_flag.is_empty() {
            let list = map
                .entry("required")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Some(list) = list.as_array_mut() {
                list.extend(required_by_flag.into_iter().map(Value::String));
            }
        }
    }

    /// Keyword-level repairs of one schema object.
    fn schema_keywords(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        // 3.1: `type: [T, "null"]`.
        if let Some(Value::Array(types)) = map.get("type").cloned() {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
            match others.as_slice() {
                [single] => {
                    map.insert("type".into(), (*single).clone());
                }
                _ => {
                    map.remove("type");
                    if others.len() > 1 {
                        self.repair(
                            pointer,
                            format!("type list {types:?} has several types; read as any type"),
                        );
                    }
                }
            }
            if nullable {
                map.insert("nullable".into(), Value::Bool(true));
            }
        }
        if let Some(Value::String(t)) = map.get("type") {
            let lower = t.to_ascii_lowercase();
            if *t != lower {
                let message = format!("type {t:?} is not lower-case; read as {lower:?}");
                map.insert("type".into(), Value::String(lower));
                self.repair(&pointer_join(pointer, "type"), message);
            }
        }
        // 3.1: `const` is a one-value enum.
        if let Some(value) = map.remove("const") {
            map.entry("enum").or_insert(Value::Array(vec![value]));
        }
        // 3.1: `examples` array; keep the first as `example`.
        if let Some(Value::Array(examples)) = map.get("examples").cloned() {
            map.remove("examples");
            if let Some(first) = examples.into_iter().next() {
                map.entry("example").or_insert(first);
            }
        }
        // 3.1: numeric exclusive bounds.
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(number) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
                map.insert(bound.into(), number);
                map.insert(exclusive.into(), Value::Bool(true));
            }
        }
        for key in [
            "nullable",
            "readOnly",
            "writeOnly",
            "deprecated",
            "uniqueItems",
            "exclusiveMinimum",
            "exclusiveMaximum",
        ] {
            self.boolean(map, key, pointer);
        }
        // Integer bounds that do not fit 64 bits, and numbers written as strings.
        for key in [
            "minimum",
            "maximum",
            "multipleOf",
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ] {
            let Some(value) = map.get(key) else { continue };
            let fits = match value {
                Value::Number(n) => {
                    let integer_keyword = !matches!(key, "minimum" | "maximum" | "multipleOf");
                    let is_integer_schema =
                        map.get("type").and_then(Value::as_str) == Some("integer");
                    if integer_keyword {
                        n.is_u64()
                    } else if is_integer_schema {
                        n.is_i64()
                            || n.is_u64() && n.as_u64().is_some_and(|u| i64::try_from(u).is_ok())
                    } else {
                        true
                    }
                }
                _ => false,
            };
            if !fits {
                let message = format!("`{key}: {value}` is not a usable number here; ignored");
                map.remove(key);
                self.repair(&pointer_join(pointer, key), message);
            }
        }
        if map.get("format").is_some_and(|f| !f.is_string()) {
            map.remove("format");
            self.repair(
                &pointer_join(pointer, "format"),
                "`format` is not a string; ignored",
            );
        }
        if map.get("enum").is_some_and(|e| !e.is_array()) {
            map.remove("enum");
            self.repair(
                &pointer_join(pointer, "enum"),
                "`enum` is not a list; ignored",
            );
        }
        if map.get("required").is_some_and(|r| !r.is_array()) {
            map.remove("required");
            self.repair(
                &pointer_join(pointer, "required"),
                "`required` on a schema must be a list of names; ignored",
            );
        }
        if let Some(Value::Array(items)) = map.get("items").cloned() {
            let first = items
                .into_iter()
                .next()
                .unwrap_or(Value::Object(Map::new()));
            map.insert("items".into(), first);
            self.repair(
                &pointer_join(pointer, "items"),
                "`items` is a list (tuple form); using its first schema",
            );
        }
    }
}

/// Turns a number or boolean into its text; returns whether it changed anything.
fn stringify(value: &mut Value) -> bool {
    match value {
        Value::Number(_) | Value::Bool(_) => {
            *value = Value::String(value.to_string());
            true
        }
        _ => false,
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
