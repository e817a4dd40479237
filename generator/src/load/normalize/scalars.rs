//! Repairs of single values: a number or boolean where OpenAPI wants text (`version: 1.0`,
//! `description: 5`, `operationId: 123`), and text or other values where it wants a
//! boolean (`required: "true"`, `explode: "false"`).

use serde_json::Value;

use super::walk::Keep;
use super::Pass;
use crate::error::pointer_join;

impl Pass {
    /// `key` must be text: a number or boolean is read as its text.
    pub(super) fn text(&mut self, value: &mut Value, pointer: &str, key: &str) {
        if let Some(written) = stringify(value) {
            self.repair(
                &pointer_join(pointer, key),
                format!("`{key}` is {written}, not text; read as {value}"),
            );
        }
    }

    /// `key` must be a list of text: numbers and booleans in it are read as text.
    pub(super) fn text_list(&mut self, value: &mut Value, pointer: &str, key: &str) {
        let Some(list) = value.as_array_mut() else {
            return;
        };
        self.texts(list.iter_mut(), pointer, key);
    }

    /// `key` must map names to text: numbers and booleans in it are read as text.
    pub(super) fn text_map(&mut self, value: &mut Value, pointer: &str, key: &str) {
        let Some(map) = value.as_object_mut() else {
            return;
        };
        self.texts(map.values_mut(), pointer, key);
    }

    /// Reads the numbers and booleans among `values` as text; one repair names them all.
    pub(super) fn texts<'v>(
        &mut self,
        values: impl Iterator<Item = &'v mut Value>,
        pointer: &str,
        key: &str,
    ) {
        let changed: Vec<String> = values.filter_map(stringify).collect();
        if !changed.is_empty() {
            self.repair(
                &pointer_join(pointer, key),
                format!(
                    "`{key}` holds values that are not text ({}); read as text",
                    changed.join(", ")
                ),
            );
        }
    }

    /// `key` must be a boolean: "true" and "false" (any case, and "optional") are read as
    /// one; anything else is dropped.
    pub(super) fn flag(&mut self, value: &mut Value, pointer: &str, key: &str) -> Keep {
        if value.is_boolean() {
            return Keep::Yes;
        }
        let fixed = match value.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("true") => Some(true),
            Some("false") | Some("optional") => Some(false),
            _ => None,
        };
        let pointer = pointer_join(pointer, key);
        match fixed {
            Some(b) => {
                self.repair(
                    &pointer,
                    format!("`{key}` is {value} instead of a boolean; read as {b}"),
                );
                *value = Value::Bool(b);
                Keep::Yes
            }
            None => {
                self.repair(
                    &pointer,
                    format!("`{key}` is {value} instead of a boolean; ignored"),
                );
                Keep::Drop
            }
        }
    }
}

/// Turns a number or boolean into its text; returns that text if it changed anything.
fn stringify(value: &mut Value) -> Option<String> {
    match value {
        Value::Number(_) | Value::Bool(_) => {
            let text = value.to_string();
            *value = Value::String(text.clone());
            Some(text)
        }
        _ => None,
    }
}
