//! YAML to a JSON tree, reporting duplicate mapping keys instead of hiding them.
//!
//! Deserializing YAML straight into `serde_json::Value` silently keeps the last of two equal
//! keys. Duplicate keys are invalid YAML, but real specs have them, so this loader keeps the
//! last value (as most YAML tools do) and reports each duplicate with its JSON pointer.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::pointer_join;

/// Parses YAML text; returns the tree and the pointers of duplicated keys.
pub fn from_str(text: &str) -> Result<(Value, Vec<String>), serde_yaml::Error> {
    let duplicates = RefCell::new(Vec::new());
    let node = Node {
        pointer: "#".to_string(),
        duplicates: &duplicates,
    };
    let value = node.deserialize(serde_yaml::Deserializer::from_str(text))?;
    Ok((value, duplicates.into_inner()))
}

/// A node being read, and where it is.
struct Node<'a> {
    pointer: String,
    duplicates: &'a RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    // Integers beyond 64 bits (real specs have them as bounds) become floats, as JSON
    // parsers read them; the normalising pass then reports any that do not fit.
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Number::from_f64(v as f64).map_or(Value::Null, Value::Number))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let child = Node {
                pointer: pointer_join(&self.pointer, &items.len().to_string()),
                duplicates: self.duplicates,
            };
            match seq.next_element_seed(child)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let key_node = || Node {
            pointer: self.pointer.clone(),
            duplicates: self.duplicates,
        };
        while let Some(key) = map.next_key_seed(key_node())? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let pointer = pointer_join(&self.pointer, &key);
            let value = map.next_value_seed(Node {
                pointer: pointer.clone(),
                duplicates: self.duplicates,
            })?;
            if object.insert(key, value).is_some() {
                self.duplicates.borrow_mut().push(pointer);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_keep_the_last_and_are_reported() {
        let (value, duplicates) = from_str("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n200: x\n").unwrap();
        assert_eq!(value["a"], 4);
        assert_eq!(value["b"]["c"], 3);
        assert_eq!(value["200"], "x");
        assert_eq!(duplicates, vec!["#/b/c".to_string(), "#/a".to_string()]);
    }
}
