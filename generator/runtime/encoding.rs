// Part of the runtime every generated client carries: serde helpers for encodings JSON
// does not have natively (base64 bytes, and null as distinct from absent).

use base64::Engine as _;

/// Bytes sent as a base64 string (OpenAPI `format: byte`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map(Base64)
            .map_err(serde::de::Error::custom)
    }
}

/// `#[serde(deserialize_with = "crate::runtime::required_nullable")]` for a required field
/// that may be `null`: `null` reads as `None`, and a missing field is an error (plain
/// `Option` fields would read it as `None` too).
pub fn required_nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}

/// `#[serde(with = "crate::runtime::nullable")]` for `Option<Option<T>>` fields that may be
/// absent (`None`) or `null` (`Some(None)`); use with `default` and
/// `skip_serializing_if = "Option::is_none"`.
pub mod nullable {
    /// Writes `Some(None)` as `null` and `Some(Some(v))` as `v`.
    pub fn serialize<S, T>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
        T: serde::Serialize,
    {
        match value {
            Some(inner) => serde::Serialize::serialize(inner, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a present field: `null` as `Some(None)`, a value as `Some(Some(v))`.
    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: serde::Deserializer<'de>,
        T: serde::Deserialize<'de>,
    {
        <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
    }
}
