//! The cheap check of a candidate against its schema before it is used: JSON type, `enum`
//! membership, bounds, lengths, `pattern`, item counts, required properties (and the same
//! for the properties and items present), every `allOf` part, at least one `anyOf`
//! alternative and exactly one `oneOf` alternative. Formats are not checked.
//!
//! Inside a `oneOf`, scalars are compared as a validator of query and path values compares
//! them, from their text: `1` matches both `integer` and `string`, so a value meant for one
//! alternative of `oneOf: [integer, string]` is not `1`.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::pattern::Match;
use super::values::SchemaValues;

/// Deepest nesting checked; deeper values pass.
const MAX_DEPTH: usize = 24;

impl SchemaValues<'_> {
    /// Why `value` does not fit `schema`, if it does not.
    pub(super) fn violation(&self, schema: &ReferenceOr<Schema>, value: &Value) -> Option<String> {
        self.check(schema, value, false, 0).err()
    }

    /// As [`violation`](Self::violation), for a schema already resolved.
    pub(super) fn violation_of(&self, schema: &Schema, value: &Value) -> Option<String> {
        self.check_schema(schema, value, false, 0).err()
    }

    fn check(
        &self,
        schema: &ReferenceOr<Schema>,
        value: &Value,
        loose: bool,
        depth: usize,
    ) -> Result<(), String> {
        match self.resolve(schema, &mut Vec::new()) {
            Ok(resolved) => self.check_schema(resolved, value, loose, depth),
            // A schema that cannot be resolved is reported where values are built.
            Err(_) => Ok(()),
        }
    }

    fn check_boxed(
        &self,
        schema: &ReferenceOr<Box<Schema>>,
        value: &Value,
        loose: bool,
        depth: usize,
    ) -> Result<(), String> {
        match schema {
            ReferenceOr::Item(schema) => self.check_schema(schema, value, loose, depth),
            ReferenceOr::Reference { reference } => self.check(
                &ReferenceOr::Reference {
                    reference: reference.clone(),
                },
                value,
                loose,
                depth,
            ),
        }
    }

    fn check_schema(
        &self,
        schema: &Schema,
        value: &Value,
        loose: bool,
        depth: usize,
    ) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let depth = depth + 1;
        if value.is_null() {
            return match &schema.schema_kind {
                _ if schema.schema_data.nullable => Ok(()),
                SchemaKind::Type(_) => Err("null where the schema is not nullable".into()),
                _ => Ok(()),
            };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let text = scalar_text(value, loose).ok_or("not a string")?;
                if !string.enumeration.is_empty()
                    && !string.enumeration.iter().flatten().any(|e| *e == text)
                {
                    return Err(format!("{text:?} is not one of the enum's values"));
                }
                self.check_text(
                    &text,
                    string.min_length,
                    string.max_length,
                    string.pattern.as_deref(),
                )
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                let number = integer_of(value, loose).ok_or("not an integer")?;
                if !integer.enumeration.is_empty()
                    && !integer.enumeration.iter().flatten().any(|e| *e == number)
                {
                    return Err(format!("{number} is not one of the enum's values"));
                }
                check_bounds(
                    number as f64,
                    integer.minimum.map(|m| m as f64),
                    integer.maximum.map(|m| m as f64),
                    integer.exclusive_minimum,
                    integer.exclusive_maximum,
                )?;
                match integer.multiple_of {
                    Some(step) if step > 0 && number % step != 0 => {
                        Err(format!("{number} is not a multiple of {step}"))
                    }
                    _ => Ok(()),
                }
            }
            SchemaKind::Type(Type::Number(number)) => {
                let x = number_of(value, loose).ok_or("not a number")?;
                if !number.enumeration.is_empty()
                    && !number.enumeration.iter().flatten().any(|e| *e == x)
                {
                    return Err(format!("{x} is not one of the enum's values"));
                }
                check_bounds(
                    x,
                    number.minimum,
                    number.maximum,
                    number.exclusive_minimum,
                    number.exclusive_maximum,
                )
            }
            SchemaKind::Type(Type::Boolean(_)) => match value {
                Value::Bool(_) => Ok(()),
                Value::String(s) if loose && (s == "true" || s == "false") => Ok(()),
                _ => Err("not a boolean".into()),
            },
            SchemaKind::Type(Type::Object(object)) => {
                let fields = value.as_object().ok_or("not an object")?;
                for name in &object.required {
                    if !fields.contains_key(name) {
                        return Err(format!("the required property `{name}` is missing"));
                    }
                }
                for (name, field) in fields {
                    if let Some(property) = object.properties.get(name) {
                        self.check_boxed(property, field, loose, depth)
                            .map_err(|e| format!("property `{name}`: {e}"))?;
                    }
                }
                Ok(())
            }
            SchemaKind::Type(Type::Array(array)) => {
                let items = value.as_array().ok_or("not an array")?;
                check_count(items.len(), array.min_items, array.max_items)?;
                if let Some(schema) = &array.items {
                    for item in items {
                        self.check_boxed(schema, item, loose, depth)?;
                    }
                }
                Ok(())
            }
            SchemaKind::AllOf { all_of } => self.check_all_of(all_of, value, loose, depth),
            SchemaKind::OneOf { one_of } => self.check_one_of(one_of, value, depth),
            SchemaKind::AnyOf { any_of } => self.check_any_of(any_of, value, loose, depth),
            SchemaKind::Not { .. } => Ok(()),
            SchemaKind::Any(any) => {
                if any.typ.as_deref() == Some("null") {
                    return Err("not null".into());
                }
                if !any.enumeration.is_empty() && !any.enumeration.contains(value) {
                    return Err("not one of the enum's values".into());
                }
                if let Some(text) = value.as_str() {
                    self.check_text(text, any.min_length, any.max_length, any.pattern.as_deref())?;
                }
                if let Some(x) = value.as_f64() {
                    check_bounds(
                        x,
                        any.minimum,
                        any.maximum,
                        any.exclusive_minimum.unwrap_or(false),
                        any.exclusive_maximum.unwrap_or(false),
                    )?;
                }
                if let Some(items) = value.as_array() {
                    check_count(items.len(), any.min_items, any.max_items)?;
                }
                if let Some(fields) = value.as_object() {
                    if let Some(name) = any.required.iter().find(|n| !fields.contains_key(*n)) {
                        return Err(format!("the required property `{name}` is missing"));
                    }
                }
                self.check_all_of(&any.all_of, value, loose, depth)?;
                if !any.one_of.is_empty() {
                    self.check_one_of(&any.one_of, value, depth)?;
                }
                if !any.any_of.is_empty() {
                    self.check_any_of(&any.any_of, value, loose, depth)?;
                }
                Ok(())
            }
        }
    }

    fn check_text(
        &self,
        text: &str,
        min_length: Option<usize>,
        max_length: Option<usize>,
        pattern: Option<&str>,
    ) -> Result<(), String> {
        check_count(text.chars().count(), min_length, max_length)
            .map_err(|e| format!("length: {e}"))?;
        match pattern.map(|p| (p, self.patterns.matches(p, text))) {
            Some((pattern, Match::No)) => Err(format!("{text:?} does not match {pattern:?}")),
            _ => Ok(()),
        }
    }

    fn check_all_of(
        &self,
        parts: &[ReferenceOr<Schema>],
        value: &Value,
        loose: bool,
        depth: usize,
    ) -> Result<(), String> {
        parts
            .iter()
            .try_for_each(|part| self.check(part, value, loose, depth))
    }

    fn check_any_of(
        &self,
        alternatives: &[ReferenceOr<Schema>],
        value: &Value,
        loose: bool,
        depth: usize,
    ) -> Result<(), String> {
        if alternatives
            .iter()
            .any(|a| self.check(a, value, loose, depth).is_ok())
        {
            Ok(())
        } else {
            Err("no `anyOf` alternative matches".into())
        }
    }

    fn check_one_of(
        &self,
        alternatives: &[ReferenceOr<Schema>],
        value: &Value,
        depth: usize,
    ) -> Result<(), String> {
        let matching = alternatives
            .iter()
            .filter(|a| self.check(a, value, true, depth).is_ok())
            .count();
        match matching {
            1 => Ok(()),
            0 => Err("no `oneOf` alternative matches".into()),
            n => Err(format!("{n} `oneOf` alternatives match, not exactly one")),
        }
    }
}

/// A scalar's text: a string's own; with `loose`, a number's or boolean's too.
fn scalar_text(value: &Value, loose: bool) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) if loose => Some(value.to_string()),
        _ => None,
    }
}

fn integer_of(value: &Value, loose: bool) -> Option<i64> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|x| x.fract() == 0.0).map(|x| x as i64)),
        Value::String(text) if loose => text.parse().ok(),
        _ => None,
    }
}

fn number_of(value: &Value, loose: bool) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(text) if loose => text.parse().ok().filter(|x: &f64| x.is_finite()),
        _ => None,
    }
}

fn check_bounds(
    x: f64,
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
) -> Result<(), String> {
    if let Some(low) = minimum {
        if x < low || (exclusive_minimum && x == low) {
            return Err(format!("{x} is below the minimum {low}"));
        }
    }
    if let Some(high) = maximum {
        if x > high || (exclusive_maximum && x == high) {
            return Err(format!("{x} is above the maximum {high}"));
        }
    }
    Ok(())
}

fn check_count(count: usize, min: Option<usize>, max: Option<usize>) -> Result<(), String> {
    if min.is_some_and(|min| count < min) || max.is_some_and(|max| count > max) {
        return Err(format!("{count} is outside {min:?}..{max:?}"));
    }
    Ok(())
}
