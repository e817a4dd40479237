// Part of the runtime every generated client carries: how generated structs read and write
// objects, in place of serde's derive, whose expansion (a field enum, its visitor, a
// sequence and a map visitor per struct) made a large spec's crate several times slower to
// compile.
//
// Reading streams: a struct's `ReadObject::read` is one loop over the map's keys that
// matches each name and hands the value to `read_field`, a helper instantiated per field
// type (not per struct), so nothing is buffered and the cost does not grow with nesting.
// Any self-describing serde format works; only maps are accepted (an array in field order
// is refused). Unknown entries are skipped, or taken by a flattened map (`read_rest`). A
// field's error names its path (`field `owner.login`: ...`); serde_json adds the line and
// column where reading stopped.
//
// Writing streams too: `ObjectWriter` writes each field into the serializer's map, in field
// order, leaving out absent optional fields.
//
// A union buffers its input once (`UnionInput`) to try its alternatives, and reads each
// from the buffered JSON text with serde_json's slice reader, the deserializer responses are
// decoded with: so every struct's reader is compiled once, not a second time for
// `serde_json::Value`'s deserializer.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess};
use serde::ser::{Error as _, SerializeMap};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A generated struct read from a map, one entry at a time.
#[doc(hidden)]
pub trait ReadObject: Sized {
    /// Reads every entry of `map` and builds the struct.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads `T` from a map with `deserializer` (the body of a generated struct's
/// `Deserialize` impl).
#[doc(hidden)]
pub fn read_object<'de, D: Deserializer<'de>, T: ReadObject>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// The one visitor of every generated struct: it accepts maps only.
struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: ReadObject> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// An entry's key, borrowed from the input where the format allows it.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// The next entry's key, `None` after the last.
#[doc(hidden)]
pub fn next_key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// Reads the value of the entry `key` into `slot` (a later duplicate replaces it). An error
/// names the field.
#[doc(hidden)]
pub fn read_field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    key: &str,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    match map.next_value() {
        Ok(value) => {
            *slot = Some(value);
            Ok(())
        }
        Err(error) => Err(field_error(key, error)),
    }
}

/// Skips the value of an entry no field takes.
#[doc(hidden)]
pub fn skip_field<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// Reads the value of an entry no declared field takes into the flattened map `rest`.
#[doc(hidden)]
pub fn read_rest<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    key: Key<'de>,
    rest: &mut BTreeMap<String, V>,
) -> Result<(), A::Error> {
    match map.next_value() {
        Ok(value) => {
            rest.insert(key.0.into_owned(), value);
            Ok(())
        }
        Err(error) => Err(field_error(key.as_str(), error)),
    }
}

/// The error for a struct whose required fields are not all present: `missing field` with
/// the first absent one's name (`fields` pairs each required field's name with whether it
/// was read).
#[doc(hidden)]
#[cold]
#[inline(never)]
pub fn missing<E: serde::de::Error>(fields: &[(&'static str, bool)]) -> E {
    let absent = fields.iter().find(|(_, present)| !present);
    E::missing_field(absent.map_or("?", |(name, _)| name))
}

/// `error` with the field `key` in front of its path: `field `key`: message`, or
/// `field `key.inner`: ...` when it already names a field. A trailing position is dropped:
/// the format puts the position of the whole error back (serde_json does, at the point
/// where reading stopped, which is where the inner error was found). Malformed or
/// truncated JSON is returned as it is, so it stays a syntax or EOF error.
#[cold]
#[inline(never)]
pub(crate) fn field_error<E: serde::de::Error>(key: &str, error: E) -> E {
    let message = error.to_string();
    if is_json_syntax(&message) {
        return error;
    }
    let message = without_position(&message);
    match message.strip_prefix("field `") {
        Some(inner) => E::custom(format_args!("field `{key}.{inner}")),
        None => E::custom(format_args!("field `{key}`: {message}")),
    }
}

/// Whether `message` is one of serde_json's syntax or end-of-input errors (its
/// `Category::Syntax` and `Category::Eof` messages), which are about the text, not a field.
fn is_json_syntax(message: &str) -> bool {
    const SYNTAX: [&str; 16] = [
        "EOF while parsing",
        "expected `",
        "expected ident",
        "expected value",
        "invalid escape",
        "invalid number",
        "number out of range",
        "invalid unicode code point",
        "control character",
        "key must be a string",
        "float key must be finite",
        "lone leading surrogate",
        "trailing comma",
        "trailing characters",
        "unexpected end of hex escape",
        "recursion limit exceeded",
    ];
    SYNTAX.iter().any(|prefix| message.starts_with(prefix))
}

/// `message` without a trailing ` at line L column C`.
fn without_position(message: &str) -> &str {
    let Some((before, position)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let is_number = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    match position.split_once(" column ") {
        Some((line, column)) if is_number(line) && is_number(column) => before,
        _ => message,
    }
}

/// The entries of one object being written from a generated struct, in field order.
#[doc(hidden)]
pub struct ObjectWriter<M: SerializeMap> {
    map: M,
    /// The first field that could not be written; later fields are not written.
    error: Option<M::Error>,
}

// The writes return nothing and keep the first error for `finish`: a `?` after each of a
// struct's fields was an early return per field, and type and borrow checking those was a
// large share of a big crate's compile time.
impl<M: SerializeMap> ObjectWriter<M> {
    /// Starts the object (the beginning of a generated `Serialize` impl).
    pub fn new<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        Ok(Self {
            map: serializer.serialize_map(None)?,
            error: None,
        })
    }

    /// A field written always (`None` of a required nullable field as `null`).
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            if let Err(error) = self.map.serialize_entry(key, value) {
                self.error = Some(M::Error::custom(format_args!("field `{key}`: {error}")));
            }
        }
    }

    /// A field left out when `None` (`Some(None)` of a nullable field is written as `null`).
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// The entries of a flattened map, after the declared fields.
    pub fn flatten<V: Serialize>(&mut self, entries: &BTreeMap<String, V>) {
        for (key, value) in entries {
            self.field(key, value);
        }
    }

    /// Ends the object, or returns the first field that could not be written.
    pub fn finish(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// A union's input, read once so that each alternative can be tried on it.
#[doc(hidden)]
pub struct UnionInput {
    value: serde_json::Value,
    text: Vec<u8>,
}

impl UnionInput {
    /// Reads the whole value from `deserializer`.
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let text = serde_json::to_vec(&value).map_err(serde::de::Error::custom)?;
        Ok(Self { value, text })
    }

    /// The value, to check its JSON kind or read its tag.
    pub fn value(&self) -> &serde_json::Value {
        &self.value
    }

    /// The value of the string property `name`, if there is one (a discriminator's tag).
    pub fn tag(&self, name: &str) -> Option<&str> {
        self.value.get(name).and_then(serde_json::Value::as_str)
    }

    /// The value as a `T`, if it is one.
    pub fn try_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.text).ok()
    }

    /// The value as a `T`; if it is not one, the error without the position inside the
    /// value (the format puts the position of the whole error back).
    pub fn decode<T: serde::de::DeserializeOwned, E: serde::de::Error>(&self) -> Result<T, E> {
        serde_json::from_slice(&self.text).map_err(|error| E::custom(without_position(&error.to_string())))
    }

    /// The value itself (an unknown tag's alternative).
    pub fn into_value(self) -> serde_json::Value {
        self.value
    }
}
