//! Repairs of a schema object before its fields are walked: boolean schemas, nullable
//! references and keys beside `$ref`, 3.1 keyword forms (type lists, `const`, `examples`,
//! numeric exclusive bounds), keywords of the wrong type or out of range, string enums
//! written with numbers, and Swagger's `required: true` on a property.

use serde_json::{Map, Value};

use super::Pass;
use crate::error::pointer_join;

impl Pass {
    /// Repairs the schema `schema` at `pointer` as a whole; returns whether its fields are
    /// to be walked (not when it is a reference, or was a boolean).
    pub(super) fn schema_before_fields(&mut self, schema: &mut Value, pointer: &str) -> bool {
        if let Value::Bool(anything) = *schema {
            *schema = Value::Object(Map::new());
            if !anything {
                self.repair(
                    pointer,
                    "boolean schema `false` (no value is valid) cannot be typed; read as any value",
                );
            } else if !self.is_31 {
                self.repair(
                    pointer,
                    "boolean schema `true` is not OpenAPI 3.0; read as `{}` (any value)",
                );
            }
            return false;
        }
        if schema.get("$ref").is_some() {
            nullable_ref(schema);
            self.ref_siblings(schema, pointer);
            if schema.get("$ref").is_some() {
                return false;
            }
        }
        let Some(map) = schema.as_object_mut() else {
            return false;
        };
        self.type_forms(map, pointer);
        self.keyword_types(map, pointer);
        self.property_required_flags(map, pointer);
        true
    }

    /// `type` as 3.0 has it: one lower-case name; and the other 3.1 forms.
    fn type_forms(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        // 3.1: `type: [T, "null"]`.
        if let Some(Value::Array(types)) = map.get("type").cloned() {
            let nullable = types.iter().any(|t| t == "null");
            let others: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
            match others.as_slice() {
                [single] => {
                    map.insert("type".into(), (*single).clone());
                }
                _ => {
                    map.shift_remove("type");
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
        if let Some(value) = map.shift_remove("const") {
            map.entry("enum").or_insert(Value::Array(vec![value]));
        }
        // 3.1: `examples` array; keep the first as `example`.
        if let Some(Value::Array(examples)) = map.get("examples").cloned() {
            map.shift_remove("examples");
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
    }

    /// Keywords whose value has a type (or range) `openapiv3` cannot read.
    fn keyword_types(&mut self, map: &mut Map<String, Value>, pointer: &str) {
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
                map.shift_remove(key);
                self.repair(&pointer_join(pointer, key), message);
            }
        }
        // Numbers and booleans are read as text by the walk; other values cannot be.
        if map
            .get("format")
            .is_some_and(|f| f.is_array() || f.is_object())
        {
            map.shift_remove("format");
            self.repair(
                &pointer_join(pointer, "format"),
                "`format` is not a string; ignored",
            );
        }
        if map.get("enum").is_some_and(|e| !e.is_array()) {
            map.shift_remove("enum");
            self.repair(
                &pointer_join(pointer, "enum"),
                "`enum` is not a list; ignored",
            );
        }
        if map.get("type").and_then(Value::as_str) == Some("string") {
            if let Some(values) = map.get_mut("enum").and_then(Value::as_array_mut) {
                self.texts(values.iter_mut(), pointer, "enum");
            }
        }
        if map.get("required").is_some_and(|r| !r.is_array()) {
            map.shift_remove("required");
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

    /// Swagger-style `required: true` on a property itself moves to the parent's
    /// `required` list.
    fn property_required_flags(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let mut required_by_flag = Vec::new();
        let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) else {
            return;
        };
        for (name, property) in properties.iter_mut() {
            let Some(property) = property.as_object_mut() else {
                continue;
            };
            if property.get("required").is_none_or(Value::is_array) {
                continue;
            }
            let Some(flag) = property.shift_remove("required") else {
                continue;
            };
            if flag == Value::Bool(true) {
                required_by_flag.push(name.clone());
            }
            let property_pointer = pointer_join(&pointer_join(pointer, "properties"), name);
            self.repair(
                &pointer_join(&property_pointer, "required"),
                format!("`required: {flag}` on a property; moved to the parent's `required` list"),
            );
        }
        if required_by_flag.is_empty() {
            return;
        }
        let list = map
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(list) = list.as_array_mut() {
            list.extend(required_by_flag.into_iter().map(Value::String));
        }
    }
}

/// `{$ref, nullable: true}` (and a description beside it) is the usual 3.0 way to say "a
/// nullable reference"; it becomes `{allOf: [{$ref}], nullable, description}`, which keeps
/// both.
fn nullable_ref(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return;
    }
    let Some(reference) = map.shift_remove("$ref") else {
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
