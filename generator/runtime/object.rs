// Part of the runtime every generated client carries: how generated structs read and write
// JSON objects. Each struct's serde impls are one short line per field calling these, in
// place of serde's derive, whose expansion (a field enum, its visitor, a sequence and a map
// visitor per struct) made a large spec's crate several times slower to compile.
//
// Reading goes through `serde_json::Value`: the object's entries are collected once, then
// each field takes its entry by name. Unknown entries are ignored; a flattened map takes
// whatever is left. Writing collects each field as a `Value` and writes the object in
// field order.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::ser::SerializeMap as _;
use serde_json::{Map, Value};

/// The entries of one JSON object being read into a generated struct.
#[doc(hidden)]
pub struct ObjectReader {
    entries: Map<String, Value>,
}

/// Reads a JSON object with `deserializer` and builds `T` from its entries with `build`
/// (the body of a generated struct's `Deserialize` impl).
#[doc(hidden)]
pub fn read_object<'de, D, T>(
    deserializer: D,
    build: impl FnOnce(&mut ObjectReader) -> Result<T, serde_json::Error>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let entries = <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
    build(&mut ObjectReader { entries }).map_err(<D::Error as serde::de::Error>::custom)
}

impl ObjectReader {
    /// A field that must be present (and, unless `T` accepts `null`, not `null`).
    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, serde_json::Error> {
        match self.entries.remove(key) {
            Some(value) => decode(key, value),
            None => Err(<serde_json::Error as serde::de::Error>::missing_field(key)),
        }
    }

    /// A field that may be absent or `null`, both read as `None`.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<Option<T>, serde_json::Error> {
        match self.entries.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => decode(key, value).map(Some),
        }
    }

    /// A field that must be present but may be `null` (read as `None`).
    pub fn required_nullable<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.entries.remove(key) {
            None => Err(<serde_json::Error as serde::de::Error>::missing_field(key)),
            Some(Value::Null) => Ok(None),
            Some(value) => decode(key, value).map(Some),
        }
    }

    /// A field that may be absent (`None`) or `null` (`Some(None)`).
    pub fn nullable<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<Option<T>>, serde_json::Error> {
        match self.entries.remove(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(value) => decode(key, value).map(|v| Some(Some(v))),
        }
    }

    /// The entries no field has taken, as a map (a flattened `additionalProperties`); read
    /// it after every declared field.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<T, serde_json::Error> {
        T::deserialize(Value::Object(std::mem::take(&mut self.entries)))
    }
}

/// Decodes one field's value; an error names the field, and nested fields make a path
/// (`field `owner.login`: invalid type: ...`).
fn decode<T: DeserializeOwned>(key: &str, value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(value).map_err(|error| {
        let message = error.to_string();
        match message.strip_prefix("field `") {
            Some(inner) => json_error(format_args!("field `{key}.{inner}")),
            None => json_error(format_args!("field `{key}`: {message}")),
        }
    })
}

/// An error with `message`.
fn json_error(message: impl std::fmt::Display) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

/// The entries of one JSON object being written from a generated struct, in field order.
#[derive(Default)]
#[doc(hidden)]
pub struct ObjectWriter {
    entries: Vec<(Cow<'static, str>, Value)>,
    error: Option<serde_json::Error>,
}

impl ObjectWriter {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// A field written always (`None` of a required nullable field as `null`).
    pub fn field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => self.entries.push((Cow::Borrowed(key), value)),
            Err(error) => self.fail(key, error),
        }
    }

    /// A field left out when `None` (`Some(None)` of a nullable field is written as `null`).
    pub fn optional<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// The entries of a flattened map, after the declared fields.
    pub fn flatten<T: serde::Serialize>(&mut self, value: &T) {
        match serde_json::to_value(value) {
            Ok(Value::Object(entries)) => self
                .entries
                .extend(entries.into_iter().map(|(key, value)| (Cow::Owned(key), value))),
            Ok(_) => self.fail("additional properties", json_error("not a map")),
            Err(error) => self.fail("additional properties", error),
        }
    }

    fn fail(&mut self, key: &str, error: serde_json::Error) {
        if self.error.is_none() {
            self.error = Some(json_error(format_args!("field `{key}`: {error}")));
        }
    }

    /// Writes the object with `serializer` (the end of a generated `Serialize` impl).
    pub fn finish<S: serde::Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(error) = self.error {
            return Err(<S::Error as serde::ser::Error>::custom(error));
        }
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key.as_ref(), value)?;
        }
        map.end()
    }
}
