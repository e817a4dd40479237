//! Why the decoding policy refuses a value: each decode failure the wire check sees,
//! classified from the decoder's message (its kind, its field path) and the value it
//! points at in the body ([`crate::json_spans`]), with a one-line reason that cites the
//! README's decoding policy table (the row each reason quotes is checked to be there).

use crate::json_spans::{self, Located};

/// The classes of decode failure, each a row (or rule) of the decoding policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reason {
    /// `missing field `x``.
    MissingRequired,
    /// `null` in a field the generated struct requires.
    NullInRequiredField,
    /// `null` as an array item or a map value whose schema is not nullable.
    NullItem,
    /// Text where a number or a boolean is declared, that is none.
    TextNotNumber,
    /// A value of another JSON kind than the schema's (a map for an array, a number for a
    /// string).
    WrongType,
    /// A number the declared type cannot hold (out of range, a fraction for an integer).
    NumberNotFitting,
    /// Text that is no date or date-time where one is declared.
    NotADate,
    /// `format: byte` text that is not base64.
    NotBase64,
    /// A value no alternative of a union takes, even bent.
    NoUnionAlternative,
    /// A string enum value not listed, under strict decoding.
    UnlistedEnumStrict,
    /// A value the tolerant mode would take, under strict decoding.
    StrictRefusal,
    /// A body that is not JSON at all.
    NotJson,
    /// A message this classifier does not know.
    Unclassified,
}

impl Reason {
    /// Every class, in the order the lists show them.
    pub const ALL: [Reason; 13] = [
        Reason::MissingRequired,
        Reason::NullInRequiredField,
        Reason::NullItem,
        Reason::WrongType,
        Reason::TextNotNumber,
        Reason::NumberNotFitting,
        Reason::NotADate,
        Reason::NotBase64,
        Reason::NoUnionAlternative,
        Reason::UnlistedEnumStrict,
        Reason::StrictRefusal,
        Reason::NotJson,
        Reason::Unclassified,
    ];

    /// The class's short name.
    pub fn label(self) -> &'static str {
        match self {
            Self::MissingRequired => "required property missing",
            Self::NullInRequiredField => "`null` in a required field not declared nullable",
            Self::NullItem => "`null` as an array item or map value not declared nullable",
            Self::WrongType => "a value of another JSON type than the schema's",
            Self::TextNotNumber => "text that is no number or boolean where one is declared",
            Self::NumberNotFitting => "a number the declared type cannot hold",
            Self::NotADate => "text that is no date or date-time",
            Self::NotBase64 => "`format: byte` text that is not base64",
            Self::NoUnionAlternative => "no union alternative takes the value",
            Self::UnlistedEnumStrict => "a string enum value not listed, under strict decoding",
            Self::StrictRefusal => "a tolerated form, under strict decoding",
            Self::NotJson => "the body is not JSON",
            Self::Unclassified => "unclassified",
        }
    }

    /// Why the policy refuses it, in one line.
    pub fn why(self) -> &'static str {
        match self {
            Self::MissingRequired => {
                "the policy never invents a required value: an error in both modes"
            }
            Self::NullInRequiredField => {
                "the policy reads `null` as absent only in an optional field; a required one \
                 has no absent form: an error in both modes"
            }
            Self::NullItem => {
                "an item or a map value has no absent form, and the schema does not admit \
                 `null` there: an error in both modes"
            }
            Self::WrongType => {
                "the policy bends only numbers, booleans, dates and date-times written as text \
                 (and `null` in optional fields), never an object, array or string of another \
                 kind: an error in both modes"
            }
            Self::TextNotNumber => {
                "the policy reads a number or boolean written as its own text (`\"7\"`, \
                 `\"true\"`), nothing else: an error in both modes"
            }
            Self::NumberNotFitting => {
                "out of range, or a fraction for an integer: reading it would change the value; \
                 an error in both modes"
            }
            Self::NotADate => {
                "the policy reads epoch numbers, a missing offset and a bare date, never other \
                 text: an error in both modes"
            }
            Self::NotBase64 => "the bytes cannot be read without guessing: an error in both modes",
            Self::NoUnionAlternative => {
                "each alternative is tried as sent, then bent by the policy; none takes it: \
                 an error in both modes"
            }
            Self::UnlistedEnumStrict => {
                "kept as `Unknown` by default; strict decoding refuses what the schema does not \
                 list"
            }
            Self::StrictRefusal => {
                "strict decoding (`with_strict_decoding(true)`) refuses every form the tolerant \
                 mode accepts"
            }
            Self::NotJson => "nothing to decode: an error in both modes",
            Self::Unclassified => "a message the classifier does not know: read it",
        }
    }

    /// The first cell of the README's decoding policy row this class is (checked by a test
    /// to be in the table, so reasons and table stay in step).
    pub fn policy_row(self) -> Option<&'static str> {
        Some(match self {
            Self::MissingRequired => "a required field missing",
            Self::NullInRequiredField => "`null` in a required field not declared nullable",
            Self::NullItem => "`null` as an array item or map value not declared nullable",
            Self::WrongType => "a value of another JSON type than the schema's",
            Self::TextNotNumber => "a string that is no number or boolean where one is declared",
            Self::NumberNotFitting | Self::NotADate => {
                "an integer out of range, with a fraction (`4.5`), `\"NaN\"`, text that is no date"
            }
            Self::NotBase64 => "`format: byte` text that is not base64",
            Self::NoUnionAlternative => "a value no alternative of a union takes, even bent",
            Self::UnlistedEnumStrict => "a string enum value the spec does not list",
            Self::StrictRefusal | Self::NotJson | Self::Unclassified => return None,
        })
    }
}

/// A decode failure explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    /// Its class.
    pub reason: Reason,
    /// What the message says, without the field path and position (`missing field
    /// `login``).
    pub what: String,
    /// The field path the decoder names (`owner.login`), empty for the body itself.
    pub field_path: String,
    /// The value refused, as sent, when the body shows it.
    pub value: Option<Located>,
}

impl Why {
    /// The field path's segments (none for the body itself).
    pub fn fields(&self) -> Vec<&str> {
        split_fields(&self.field_path)
    }

    /// The property the spec requires and the body lacks, for a missing one.
    pub fn missing_property(&self) -> Option<&str> {
        backticked(self.what.strip_prefix("missing field ")?)
    }
}

/// Explains the decode failure `message`, with the response `body` when there is one.
pub fn explain(message: &str, body: Option<&str>) -> Why {
    let (field_path, what) = split_message(message);
    let fields = split_fields(&field_path);
    let refused = refused_value(&what);
    let value = body.and_then(|body| json_spans::locate(body, message, &fields, &*refused));
    let reason = classify(&what, value.as_ref());
    Why {
        reason,
        what,
        field_path,
        value,
    }
}

/// The class of the message's core `what` (field path and position removed), given the
/// value it is about.
pub fn classify(what: &str, value: Option<&Located>) -> Reason {
    let expected = what.rsplit_once(", expected ").map_or("", |(_, e)| e);
    if what.ends_with("(refused: strict decoding)") {
        Reason::StrictRefusal
    } else if what.starts_with("missing field `") {
        Reason::MissingRequired
    } else if what.starts_with("unknown variant `") {
        Reason::UnlistedEnumStrict
    } else if what.starts_with("the value matches no alternative of `") {
        Reason::NoUnionAlternative
    } else if what.starts_with("invalid type: null") {
        match value {
            Some(located) if !located.is_field => Reason::NullItem,
            _ => Reason::NullInRequiredField,
        }
    } else if what.starts_with("invalid type: string") && is_number_or_boolean(expected) {
        Reason::TextNotNumber
    } else if (what.starts_with("invalid type: floating point") && is_integer(expected))
        || what.starts_with("invalid value: integer")
        || what.starts_with("invalid value: floating point")
    {
        Reason::NumberNotFitting
    } else if what.starts_with("invalid type: ") {
        Reason::WrongType
    } else if CHRONO.iter().any(|m| what.starts_with(m)) {
        Reason::NotADate
    } else if BASE64.iter().any(|m| what.starts_with(m)) {
        Reason::NotBase64
    } else if JSON_SYNTAX.iter().any(|m| what.starts_with(m)) {
        Reason::NotJson
    } else {
        Reason::Unclassified
    }
}

/// What the refused value looks like, by the message: the kind an `invalid type` names, an
/// object without the missing property, a string for text that does not parse.
fn refused_value(what: &str) -> Box<dyn Fn(&str) -> bool> {
    if let Some(missing) = what.strip_prefix("missing field ").and_then(backticked) {
        let missing = missing.to_string();
        return Box::new(move |text| {
            serde_json::from_str::<serde_json::Value>(text)
                .is_ok_and(|v| v.as_object().is_some_and(|o| !o.contains_key(&missing)))
        });
    }
    let found = what
        .strip_prefix("invalid type: ")
        .or_else(|| what.strip_prefix("invalid value: "))
        .unwrap_or("");
    let first_bytes: &'static [u8] = if found.starts_with("null") {
        b"n"
    } else if found.starts_with("string") {
        b"\""
    } else if found.starts_with("integer") || found.starts_with("floating point") {
        b"-0123456789"
    } else if found.starts_with("boolean") {
        b"tf"
    } else if found.starts_with("map") {
        b"{"
    } else if found.starts_with("sequence") {
        b"["
    } else if CHRONO.iter().chain(&BASE64).any(|m| what.starts_with(m)) {
        b"\""
    } else {
        return Box::new(|_| true);
    };
    Box::new(move |text| {
        text.bytes()
            .next()
            .is_some_and(|b| first_bytes.contains(&b))
    })
}

/// chrono's `ParseError` messages (a date or date-time the policy cannot read).
const CHRONO: [&str; 8] = [
    "input is out of range",
    "no possible date and time matching input",
    "input is not enough for unique date and time",
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
    "bad or unsupported format string",
    "unexpected format",
];

/// The base64 crate's `DecodeError` messages.
const BASE64: [&str; 4] = [
    "Invalid symbol",
    "Invalid input length",
    "Invalid last symbol",
    "Invalid padding",
];

/// serde_json's syntax and end-of-input messages (as the runtime lists them).
const JSON_SYNTAX: [&str; 16] = [
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

fn is_integer(expected: &str) -> bool {
    matches!(
        expected,
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128"
    ) || expected.contains("integer")
}

fn is_number_or_boolean(expected: &str) -> bool {
    is_integer(expected)
        || matches!(expected, "f32" | "f64" | "a number" | "a boolean")
        || expected.starts_with("a number")
}

/// The field path (``field `a.b`: ``, repeated as wrappers add it) and the rest without
/// its ` at line L column C`.
fn split_message(message: &str) -> (String, String) {
    let mut rest = message;
    let mut path = String::new();
    while let Some(inner) = rest.strip_prefix("field `") {
        let Some((field, after)) = inner.split_once("`: ") else {
            break;
        };
        path = field.to_string();
        rest = after;
    }
    let core = match rest.rsplit_once(" at line ") {
        Some((before, _)) if json_spans::position(rest).is_some() => before,
        _ => rest,
    };
    (path, core.to_string())
}

fn split_fields(path: &str) -> Vec<&str> {
    if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    }
}

/// The text between the first pair of backticks.
fn backticked(text: &str) -> Option<&str> {
    text.strip_prefix('`')?
        .split_once('`')
        .map(|(inner, _)| inner)
}

#[cfg(test)]
mod tests;
