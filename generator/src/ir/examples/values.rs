//! Values built from schemas: a schema's best value (the first of its `example`,
//! `default`, first `enum` value and a value for its `format` that fits the schema), else
//! a minimal one from its shape (required properties only, bounds respected, a string
//! matching the `pattern`, arrays of one item or `minItems`, `$ref` and `allOf` followed,
//! of the alternatives of `oneOf`/`anyOf` whose value fits the union the one with the
//! fewest fields, recursion cut).

use indexmap::IndexMap;
use openapiv3::{
    IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::{Map, Value};

use super::pattern::{Match, Patterns};
use super::{Candidate, ExampleSource};

/// Longest chain of nested schemas a built value follows.
const MAX_DEPTH: usize = 24;

/// Most alternatives of one union built (each may nest further unions).
const MAX_ALTERNATIVES: usize = 8;

/// Builds values from the schemas of one spec.
pub(super) struct SchemaValues<'a> {
    spec: &'a OpenAPI,
    /// The spec's patterns, compiled once.
    pub(super) patterns: &'a Patterns,
    /// Whether schemas' `example` and `default` are used (off for the minimal candidate,
    /// which is built from the schemas' shapes alone).
    use_examples: bool,
}

impl<'a> SchemaValues<'a> {
    /// Values for `spec`'s schemas, examples and defaults used.
    pub(super) fn new(spec: &'a OpenAPI, patterns: &'a Patterns) -> Self {
        Self {
            spec,
            patterns,
            use_examples: true,
        }
    }

    fn schema(&self, reference: &str) -> Option<&'a ReferenceOr<Schema>> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let name = name.replace("~1", "/").replace("~0", "~");
        self.spec.components.as_ref()?.schemas.get(&name)
    }

    /// The schema's best value (example, default, enum, format, else minimal), then its
    /// value from its shape alone when that differs.
    pub(super) fn candidates(
        &self,
        schema: &ReferenceOr<Schema>,
    ) -> Result<Vec<Candidate>, String> {
        let mut seen = Vec::new();
        let best = self.value(schema, &mut seen, 0)?;
        let mut candidates = vec![best];
        // The same built from the schemas' shapes alone (examples and defaults can be
        // wrong; the shapes are what the client's types come from).
        let shapes_only = SchemaValues {
            spec: self.spec,
            patterns: self.patterns,
            use_examples: false,
        };
        let mut seen = Vec::new();
        if let Ok(shaped) = shapes_only.value(schema, &mut seen, 0) {
            if shaped.value != candidates[0].value {
                candidates.push(shaped);
            }
        }
        Ok(candidates)
    }

    /// The schema itself (references followed), with the reference names met pushed on
    /// `seen`; a reference already on it is recursion.
    pub(super) fn resolve<'s>(
        &'s self,
        schema: &'s ReferenceOr<Schema>,
        seen: &mut Vec<String>,
    ) -> Result<&'s Schema, String>
    where
        'a: 's,
    {
        let mut current = schema;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(schema) => return Ok(schema),
                ReferenceOr::Reference { reference } => {
                    if seen.contains(reference) {
                        return Err(format!("{reference} contains itself"));
                    }
                    seen.push(reference.clone());
                    current = self
                        .schema(reference)
                        .ok_or_else(|| format!("$ref {reference:?} points to no schema"))?;
                }
            }
        }
        Err("$ref chain is too long".into())
    }

    /// The best value of a schema: example, default, first enum value, format value, else
    /// minimal.
    fn value(
        &self,
        schema: &ReferenceOr<Schema>,
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Candidate, String> {
        let depth_before = seen.len();
        let resolved = self.resolve(schema, seen)?;
        let data = &resolved.schema_data;
        let examples = self.use_examples;
        // The first of example, default, enum value and format value that fits the
        // schema, else the minimal value.
        let offered = [
            (
                ExampleSource::SchemaExample,
                data.example.clone().filter(|_| examples),
            ),
            (
                ExampleSource::Default,
                data.default.clone().filter(|_| examples),
            ),
            (ExampleSource::Enum, first_enum(&resolved.schema_kind)),
            (ExampleSource::Format, format_value(&resolved.schema_kind)),
        ];
        let fitting = offered.into_iter().find_map(|(source, value)| {
            value
                .filter(|value| self.violation_of(resolved, value).is_none())
                .map(|value| Candidate { source, value })
        });
        let chosen = match fitting {
            Some(candidate) => Ok(candidate),
            None => self.minimal_of(resolved, seen, depth).map(minimal),
        };
        seen.truncate(depth_before);
        chosen
    }

    /// A minimal value of a resolved schema, from its shape (see the [module docs](self)).
    fn minimal_of(
        &self,
        schema: &Schema,
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("the schema nests too deep".into());
        }
        let depth = depth + 1;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => self.text(
                string.pattern.as_deref(),
                string.min_length,
                string.max_length,
            ),
            SchemaKind::Type(Type::Integer(integer)) => Ok(Value::from(integer_within(
                integer.minimum,
                integer.maximum,
                integer.exclusive_minimum,
                integer.exclusive_maximum,
                integer.multiple_of,
            ))),
            SchemaKind::Type(Type::Number(number)) => Ok(number_within(
                number.minimum,
                number.maximum,
                number.exclusive_minimum,
                number.exclusive_maximum,
            )),
            SchemaKind::Type(Type::Boolean(_)) => Ok(Value::Bool(false)),
            SchemaKind::Type(Type::Object(object)) => {
                self.object(&object.properties, &object.required, seen, depth)
            }
            SchemaKind::Type(Type::Array(array)) => {
                self.array(array.items.as_ref(), array.min_items, seen, depth)
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, seen, depth),
            SchemaKind::OneOf { one_of } => self.alternative(schema, one_of, seen, depth),
            SchemaKind::AnyOf { any_of } => self.alternative(schema, any_of, seen, depth),
            SchemaKind::Not { .. } => Err("a `not` schema has no value to build".into()),
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    return self.all_of(&any.all_of, seen, depth);
                }
                if !any.one_of.is_empty() {
                    return self.alternative(schema, &any.one_of, seen, depth);
                }
                if !any.any_of.is_empty() {
                    return self.alternative(schema, &any.any_of, seen, depth);
                }
                if let Some(first) = any.enumeration.first() {
                    return Ok(first.clone());
                }
                match any.typ.as_deref() {
                    Some("string") => {
                        self.text(any.pattern.as_deref(), any.min_length, any.max_length)
                    }
                    Some("integer") => Ok(Value::from(integer_within(
                        any.minimum.map(|m| m.ceil() as i64),
                        any.maximum.map(|m| m.floor() as i64),
                        any.exclusive_minimum.unwrap_or(false),
                        any.exclusive_maximum.unwrap_or(false),
                        None,
                    ))),
                    Some("number") => Ok(number_within(
                        any.minimum,
                        any.maximum,
                        any.exclusive_minimum.unwrap_or(false),
                        any.exclusive_maximum.unwrap_or(false),
                    )),
                    Some("boolean") => Ok(Value::Bool(false)),
                    // 3.1's `type: 'null'` (an alternative of a nullable union).
                    Some("null") => Ok(Value::Null),
                    Some("array") => self.array(any.items.as_ref(), any.min_items, seen, depth),
                    _ if !any.properties.is_empty() || any.typ.as_deref() == Some("object") => {
                        self.object(&any.properties, &any.required, seen, depth)
                    }
                    _ if any.items.is_some() => {
                        self.array(any.items.as_ref(), any.min_items, seen, depth)
                    }
                    // Any value: an empty object.
                    _ => Ok(Value::Object(Map::new())),
                }
            }
        }
    }

    /// An object of the required properties, each at its best value.
    fn object(
        &self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        let mut object = Map::new();
        for name in required {
            let Some(property) = properties.get(name) else {
                // Required but not described: any value will do.
                object.insert(name.clone(), Value::String("example".into()));
                continue;
            };
            let property = unbox(property);
            let value = match self.value(&property, seen, depth) {
                Ok(candidate) => candidate.value,
                // Recursion through a nullable property ends in null.
                Err(reason) => match self.resolve(&property, &mut Vec::new()) {
                    Ok(schema) if schema.schema_data.nullable => Value::Null,
                    _ => return Err(format!("property `{name}`: {reason}")),
                },
            };
            object.insert(name.clone(), value);
        }
        Ok(Value::Object(object))
    }

    fn array(
        &self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        min_items: Option<usize>,
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        // One item at least (a required array sent empty is no value in a query), unless
        // none can be built and none is required.
        let count = min_items.unwrap_or(0).min(16);
        let item = match items {
            Some(items) => match self.value(&unbox(items), seen, depth) {
                Ok(candidate) => candidate.value,
                Err(_) if count == 0 => return Ok(Value::Array(Vec::new())),
                Err(reason) => return Err(reason),
            },
            None => Value::String("example".into()),
        };
        Ok(Value::Array(vec![item; count.max(1)]))
    }

    /// The objects of every part merged (a part that is not an object: the first such).
    fn all_of(
        &self,
        parts: &[ReferenceOr<Schema>],
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        let mut merged = Map::new();
        let mut other = None;
        for part in parts {
            match self.value(part, seen, depth)?.value {
                Value::Object(fields) => {
                    for (key, value) in fields {
                        merged.entry(key).or_insert(value);
                    }
                }
                value => {
                    other.get_or_insert(value);
                }
            }
        }
        Ok(match other {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        })
    }

    /// Of the alternatives whose value (the discriminator's tag set to it) fits the union
    /// (for `oneOf`: matches no other alternative), the one with the fewest fields (the
    /// first among equals; a client's union then has the least room to read it as another
    /// alternative); else the first that can be built.
    fn alternative(
        &self,
        schema: &Schema,
        alternatives: &[ReferenceOr<Schema>],
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        let mut reasons = Vec::new();
        let mut first_built = None;
        let mut best: Option<Value> = None;
        for alternative in alternatives.iter().take(MAX_ALTERNATIVES) {
            match self.value(alternative, seen, depth) {
                Ok(candidate) => {
                    let mut value = candidate.value;
                    if let (Some(discriminator), Value::Object(fields)) =
                        (&schema.schema_data.discriminator, &mut value)
                    {
                        if let Some(tag) = tag_of(discriminator, alternative) {
                            fields.insert(discriminator.property_name.clone(), Value::String(tag));
                        }
                    }
                    // An alternative of any value also takes a string, which an object
                    // alternative does not.
                    let text = Value::String("example".into());
                    let fitting = if self.violation_of(schema, &value).is_none() {
                        Some(value.clone())
                    } else if self.accepts_anything(alternative)
                        && self.violation_of(schema, &text).is_none()
                    {
                        Some(text)
                    } else {
                        None
                    };
                    if let Some(fitting) = fitting {
                        if best
                            .as_ref()
                            .is_none_or(|b| field_count(&fitting) < field_count(b))
                        {
                            best = Some(fitting);
                        }
                    }
                    first_built.get_or_insert(value);
                }
                Err(reason) => reasons.push(reason),
            }
        }
        best.or(first_built)
            .ok_or_else(|| format!("no alternative can be built ({})", reasons.join("; ")))
    }
}

/// How many fields an object has (0 for other values).
fn field_count(value: &Value) -> usize {
    value.as_object().map_or(0, Map::len)
}

/// The discriminator value that selects `alternative`: its mapping key, else the name of
/// the schema it refers to.
fn tag_of(
    discriminator: &openapiv3::Discriminator,
    alternative: &ReferenceOr<Schema>,
) -> Option<String> {
    let ReferenceOr::Reference { reference } = alternative else {
        return None;
    };
    let name = reference.rsplit('/').next()?;
    let mapped = discriminator
        .mapping
        .iter()
        .find(|(_, target)| *target == reference || target.as_str() == name);
    Some(mapped.map_or_else(|| name.to_string(), |(tag, _)| tag.clone()))
}

fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item(schema.as_ref().clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// The first `enum` value (a `null` entry skipped).
fn first_enum(kind: &SchemaKind) -> Option<Value> {
    match kind {
        SchemaKind::Type(Type::String(s)) => s
            .enumeration
            .iter()
            .flatten()
            .next()
            .map(|v| Value::from(v.clone())),
        SchemaKind::Type(Type::Integer(i)) => i
            .enumeration
            .iter()
            .flatten()
            .next()
            .map(|v| Value::from(*v)),
        SchemaKind::Type(Type::Number(n)) => n
            .enumeration
            .iter()
            .flatten()
            .next()
            .map(|v| Value::from(*v)),
        SchemaKind::Type(Type::Boolean(b)) => b
            .enumeration
            .iter()
            .flatten()
            .next()
            .map(|v| Value::from(*v)),
        SchemaKind::Any(any) => any.enumeration.iter().find(|v| !v.is_null()).cloned(),
        _ => None,
    }
}

/// A value for a string or number format the client types (or checks) specially.
fn format_value(kind: &SchemaKind) -> Option<Value> {
    let text = |s: &str| Some(Value::String(s.to_string()));
    match kind {
        SchemaKind::Type(Type::String(string)) => match &string.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => text("2024-01-02T03:04:05Z"),
            VariantOrUnknownOrEmpty::Item(StringFormat::Date) => text("2024-01-02"),
            VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => text("ZXhhbXBsZQ=="),
            VariantOrUnknownOrEmpty::Item(StringFormat::Password) => text("example-password"),
            VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                "uuid" => text("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
                "email" | "idn-email" => text("user@example.com"),
                "uri" | "url" | "iri" => text("https://example.com/"),
                "uri-reference" | "iri-reference" => text("/example"),
                "hostname" | "idn-hostname" => text("example.com"),
                "ipv4" => text("192.0.2.1"),
                "ipv6" => text("2001:db8::1"),
                "time" => text("03:04:05Z"),
                "duration" => text("PT1M"),
                _ => None,
            },
            _ => None,
        },
        SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32 | IntegerFormat::Int64) => {
                Some(Value::from(integer_within(
                    integer.minimum,
                    integer.maximum,
                    integer.exclusive_minimum,
                    integer.exclusive_maximum,
                    integer.multiple_of,
                )))
            }
            _ => None,
        },
        SchemaKind::Type(Type::Number(number)) => match &number.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float | NumberFormat::Double) => {
                Some(number_within(
                    number.minimum,
                    number.maximum,
                    number.exclusive_minimum,
                    number.exclusive_maximum,
                ))
            }
            _ => None,
        },
        _ => None,
    }
}

impl SchemaValues<'_> {
    /// Whether the schema allows any value (`{}`, a description at most).
    pub(super) fn accepts_anything(&self, schema: &ReferenceOr<Schema>) -> bool {
        match self.resolve(schema, &mut Vec::new()) {
            Ok(Schema {
                schema_kind: SchemaKind::Any(any),
                ..
            }) => *any == openapiv3::AnySchema::default(),
            _ => false,
        }
    }

    /// The properties of an object schema that are binary (`format: binary`, or arrays of
    /// such): a multipart body's file parts.
    pub(super) fn file_fields(&self, schema: &ReferenceOr<Schema>) -> Vec<String> {
        self.file_fields_at(schema, 0)
    }

    fn file_fields_at(&self, schema: &ReferenceOr<Schema>, depth: usize) -> Vec<String> {
        let resolved = match self.resolve(schema, &mut Vec::new()) {
            Ok(resolved) if depth <= MAX_DEPTH => resolved,
            _ => return Vec::new(),
        };
        let mut parts: Vec<&ReferenceOr<Schema>> = Vec::new();
        let mut properties = Vec::new();
        match &resolved.schema_kind {
            SchemaKind::Type(Type::Object(object)) => properties.extend(&object.properties),
            SchemaKind::Any(any) => {
                properties.extend(&any.properties);
                parts.extend(&any.all_of);
            }
            SchemaKind::AllOf { all_of } => parts.extend(all_of),
            _ => {}
        }
        let mut files: Vec<String> = parts
            .into_iter()
            .flat_map(|part| self.file_fields_at(part, depth + 1))
            .collect();
        for (name, property) in properties {
            if self.is_binary(&unbox(property), 0) && !files.contains(name) {
                files.push(name.clone());
            }
        }
        files
    }

    fn is_binary(&self, schema: &ReferenceOr<Schema>, depth: usize) -> bool {
        let Ok(resolved) = self.resolve(schema, &mut Vec::new()) else {
            return false;
        };
        match &resolved.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                matches!(
                    string.format,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                )
            }
            SchemaKind::Type(Type::Array(array)) => {
                depth == 0
                    && array
                        .items
                        .as_ref()
                        .is_some_and(|items| self.is_binary(&unbox(items), depth + 1))
            }
            SchemaKind::Any(any) => any.format.as_deref() == Some("binary"),
            _ => false,
        }
    }

    /// A string for the lengths and pattern: the pattern's shortest match, else `"example"`
    /// fitted to the lengths. A pattern that cannot be read is not followed.
    fn text(
        &self,
        pattern: Option<&str>,
        min_length: Option<usize>,
        max_length: Option<usize>,
    ) -> Result<Value, String> {
        let plain = || Value::String(text_within(min_length, max_length));
        let Some(pattern) = pattern else {
            return Ok(plain());
        };
        match self.patterns.matches(pattern, "") {
            Match::Unknown => Ok(plain()),
            _ => self
                .patterns
                .shortest(pattern, min_length, max_length)
                .map(Value::String),
        }
    }
}

/// `"example"`, cut or padded to fit the length bounds.
fn text_within(min_length: Option<usize>, max_length: Option<usize>) -> String {
    let mut text = String::from("example");
    let min = min_length.unwrap_or(0).min(1024);
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max_length {
        text.truncate(max.max(min));
    }
    text
}

/// 1, or the nearest value within the bounds (a multiple of `multiple_of` when given).
fn integer_within(
    minimum: Option<i64>,
    maximum: Option<i64>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
    multiple_of: Option<i64>,
) -> i64 {
    let low = minimum.map(|m| {
        if exclusive_minimum {
            m.saturating_add(1)
        } else {
            m
        }
    });
    let high = maximum.map(|m| {
        if exclusive_maximum {
            m.saturating_sub(1)
        } else {
            m
        }
    });
    let mut value = 1i64;
    if let Some(low) = low {
        value = value.max(low);
    }
    if let Some(high) = high {
        value = value.min(high);
    }
    if let Some(step) = multiple_of.filter(|s| *s > 0) {
        let rounded = value
            .div_euclid(step)
            .saturating_add(i64::from(value.rem_euclid(step) != 0))
            .saturating_mul(step);
        if high.is_none_or(|h| rounded <= h) {
            value = rounded;
        }
    }
    value
}

/// 1, or the nearest number within the bounds.
fn number_within(
    minimum: Option<f64>,
    maximum: Option<f64>,
    exclusive_minimum: bool,
    exclusive_maximum: bool,
) -> Value {
    let mut value = 1.0f64;
    if let Some(low) = minimum {
        let low = if exclusive_minimum { low + 1.0 } else { low };
        value = value.max(low);
    }
    if let Some(high) = maximum {
        let high = if exclusive_maximum { high - 1.0 } else { high };
        if value > high {
            value = if exclusive_maximum {
                (high + 1.0 + minimum.unwrap_or(high)) / 2.0
            } else {
                high
            };
        }
    }
    serde_json::Number::from_f64(value).map_or(Value::from(1), Value::Number)
}

/// A candidate built from the schema's shape.
pub(super) fn minimal(value: Value) -> Candidate {
    Candidate {
        source: ExampleSource::Minimal,
        value,
    }
}
