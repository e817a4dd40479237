//! Example arguments for the smoke-test module: per operation, a JSON value for every
//! value its call needs (each required parameter, optional ones the spec gives an example
//! for, and the request body), built from the spec.
//!
//! Each value lists candidates in this order, first wins when it fits the Rust type (the
//! generated module tries them in turn): the parameter's or media type's own
//! `example`/`examples`, then the best the schema offers (its `example`, 3.1 `examples`
//! and `const` having become `example` and `enum` when loading; else `default`, the first
//! `enum` value, a value for the `format`), then a minimal value built from the schema
//! (required properties only, lengths, bounds and item counts respected, `$ref` and
//! `allOf` followed, the first alternative of `oneOf`/`anyOf` that can be built, recursion
//! cut). An operation that cannot be called this way (a multipart body, a value no
//! candidate exists for) gets a skip reason instead.
//!
//! This is lowering: it reads `openapiv3` and the lowered [`Api`], and emits nothing;
//! `emit::smoke` turns the result into the `smoke` module.

use indexmap::IndexMap;
use openapiv3::{
    Example, IntegerFormat, MediaType, NumberFormat, OpenAPI, Parameter, ParameterSchemaOrContent,
    ReferenceOr, RequestBody, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{Map, Value};

use super::{Api, BodyMedia, HttpMethod, Operation, ParamLocation};

/// Where an example value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleSource {
    /// The parameter's `example` or `examples`.
    ParameterExample,
    /// The request body media type's (or a content parameter's) `example` or `examples`.
    MediaTypeExample,
    /// The schema's `example` (or the first of its 3.1 `examples`).
    SchemaExample,
    /// The schema's `default`.
    Default,
    /// The schema's first `enum` value (or its 3.1 `const`).
    Enum,
    /// A value made for the schema's `format` (date-time, uuid, email, int32, ...).
    Format,
    /// A minimal value built from the schema.
    Minimal,
}

impl ExampleSource {
    /// A short name for reports and generated comments.
    pub fn name(self) -> &'static str {
        match self {
            Self::ParameterExample => "parameter example",
            Self::MediaTypeExample => "media type example",
            Self::SchemaExample => "schema example",
            Self::Default => "default",
            Self::Enum => "enum",
            Self::Format => "format",
            Self::Minimal => "minimal",
        }
    }
}

/// One candidate value and its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Where it came from.
    pub source: ExampleSource,
    /// The value, as JSON.
    pub value: Value,
}

/// Which value of a call an example is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgTarget {
    /// The parameter at this index of [`Operation::params`].
    Param(usize),
    /// The request body.
    Body,
}

/// An example value for one value of a call: its candidates, best first (never empty).
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleArg {
    /// The parameter or body.
    pub target: ArgTarget,
    /// Candidates in order of preference, without repeats.
    pub candidates: Vec<Candidate>,
}

/// The example call of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationExamples {
    /// The values to pass, parameters in [`Operation::params`] order, then the body.
    pub args: Vec<ExampleArg>,
    /// Why the operation cannot be called with examples, if it cannot.
    pub skip: Option<String>,
}

/// Longest chain of nested schemas a built value follows.
const MAX_DEPTH: usize = 24;

/// The example calls of every operation of `api`, in its order (`api` lowered from `spec`).
pub fn lower(spec: &OpenAPI, api: &Api) -> Vec<OperationExamples> {
    let builder = Builder {
        spec,
        use_examples: true,
    };
    api.operations
        .iter()
        .map(|op| builder.operation(op))
        .collect()
}

struct Builder<'a> {
    spec: &'a OpenAPI,
    /// Whether schemas' `example` and `default` are used (off for the minimal candidate,
    /// which is built from the schemas' shapes alone).
    use_examples: bool,
}

impl<'a> Builder<'a> {
    fn operation(&self, op: &Operation) -> OperationExamples {
        let Some(spec_op) = self.find_operation(op) else {
            return skipped(format!(
                "{} {} is not in the spec as written",
                op.method.as_str(),
                op.path.raw
            ));
        };
        let declared = self.declared_params(op, spec_op);
        let mut args = Vec::new();
        for (index, param) in op.params.iter().enumerate() {
            let spec_param = declared.iter().find(|p| {
                let data = p.parameter_data_ref();
                data.name == param.wire_name && location(p) == param.location
            });
            let Some(spec_param) = spec_param else {
                // A path parameter the spec does not declare: a string.
                if param.required {
                    let value = Value::String("example".into());
                    args.push(ExampleArg {
                        target: ArgTarget::Param(index),
                        candidates: vec![minimal(value)],
                    });
                }
                continue;
            };
            let data = spec_param.parameter_data_ref();
            let mut candidates = Vec::new();
            let own = self.examples(data.example.as_ref(), &data.examples);
            candidates.extend(own.into_iter().map(|value| Candidate {
                source: ExampleSource::ParameterExample,
                value,
            }));
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => Some(schema),
                ParameterSchemaOrContent::Content(content) => {
                    content.values().next().and_then(|media| {
                        candidates.extend(self.media_examples(media));
                        media.schema.as_ref()
                    })
                }
            };
            if !param.required && candidates.is_empty() {
                continue;
            }
            let from_schema = schema.map(|s| self.schema_candidates(s));
            let reason = self.extend(&mut candidates, from_schema);
            if candidates.is_empty() {
                return skipped(format!(
                    "no value for the parameter `{}`: {}",
                    param.wire_name,
                    reason.unwrap_or_else(|| "no example and no schema".into())
                ));
            }
            args.push(ExampleArg {
                target: ArgTarget::Param(index),
                candidates,
            });
        }
        if let Some(body) = &op.body {
            match self.body(op, spec_op, body) {
                Ok(Some(arg)) => args.push(arg),
                Ok(None) => {}
                Err(reason) => return skipped(reason),
            }
        }
        OperationExamples { args, skip: None }
    }

    /// Adds the schema's candidates (not already present); returns why there are none.
    fn extend(
        &self,
        candidates: &mut Vec<Candidate>,
        from_schema: Option<Result<Vec<Candidate>, String>>,
    ) -> Option<String> {
        match from_schema {
            Some(Ok(more)) => {
                for candidate in more {
                    if !candidates.iter().any(|c| c.value == candidate.value) {
                        candidates.push(candidate);
                    }
                }
                None
            }
            Some(Err(reason)) => Some(reason),
            None => None,
        }
    }

    fn body(
        &self,
        op: &Operation,
        spec_op: &openapiv3::Operation,
        body: &super::RequestBody,
    ) -> Result<Option<ExampleArg>, String> {
        let media_essence = match &body.media {
            BodyMedia::Multipart => {
                return Err("a multipart/form-data body is not built from examples".into())
            }
            BodyMedia::Json => None,
            BodyMedia::Form => Some("application/x-www-form-urlencoded".to_string()),
            BodyMedia::Text(essence) | BodyMedia::Bytes(essence) => Some(essence.clone()),
        };
        let spec_body = spec_op
            .request_body
            .as_ref()
            .and_then(|b| self.request_body(b))
            .ok_or_else(|| format!("the request body of {} is not in the spec", op.path.raw))?;
        let media = spec_body.content.iter().find(|(name, _)| {
            let essence = essence(name);
            match &media_essence {
                None => essence == "application/json" || essence.ends_with("+json"),
                Some(wanted) => essence == wanted.to_ascii_lowercase(),
            }
        });
        let Some((_, media)) = media else {
            return Err("the request body's media type is not in the spec".into());
        };
        let mut candidates = self.media_examples(media);
        // Typed bodies are optional when the spec says so: sent only with an example.
        let typed = matches!(body.media, BodyMedia::Json | BodyMedia::Form);
        if typed && !body.required && candidates.is_empty() {
            return Ok(None);
        }
        let reason = self.extend(
            &mut candidates,
            media.schema.as_ref().map(|s| self.schema_candidates(s)),
        );
        if !typed {
            // Text and raw bodies are text: a non-string example is sent as its JSON.
            for candidate in &mut candidates {
                if !candidate.value.is_string() {
                    candidate.value = Value::String(candidate.value.to_string());
                }
            }
            if candidates.is_empty() {
                candidates.push(minimal(Value::String("example".into())));
            }
        }
        if candidates.is_empty() {
            return Err(format!(
                "no value for the request body: {}",
                reason.unwrap_or_else(|| "no example and no schema".into())
            ));
        }
        Ok(Some(ExampleArg {
            target: ArgTarget::Body,
            candidates,
        }))
    }

    /// The spec's operation at the IR operation's path and method.
    fn find_operation(&self, op: &Operation) -> Option<&'a openapiv3::Operation> {
        let item = match self.spec.paths.paths.get(&op.path.raw)? {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => return None,
        };
        let found = match op.method {
            HttpMethod::Get => &item.get,
            HttpMethod::Put => &item.put,
            HttpMethod::Post => &item.post,
            HttpMethod::Delete => &item.delete,
            HttpMethod::Options => &item.options,
            HttpMethod::Head => &item.head,
            HttpMethod::Patch => &item.patch,
            HttpMethod::Trace => &item.trace,
        };
        found.as_ref()
    }

    /// The operation's parameters, then the path item's (operation ones win), resolved.
    fn declared_params(
        &self,
        op: &Operation,
        spec_op: &'a openapiv3::Operation,
    ) -> Vec<&'a Parameter> {
        let path_level = match self.spec.paths.paths.get(&op.path.raw) {
            Some(ReferenceOr::Item(item)) => &item.parameters[..],
            _ => &[],
        };
        spec_op
            .parameters
            .iter()
            .chain(path_level)
            .filter_map(|p| self.parameter(p))
            .collect()
    }

    fn parameter(&self, param: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        let map = self.spec.components.as_ref().map(|c| &c.parameters);
        follow(map, "#/components/parameters/", param)
    }

    fn request_body(&self, body: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        let map = self.spec.components.as_ref().map(|c| &c.request_bodies);
        follow(map, "#/components/requestBodies/", body)
    }

    fn example(&self, example: &'a ReferenceOr<Example>) -> Option<&'a Example> {
        let map = self.spec.components.as_ref().map(|c| &c.examples);
        follow(map, "#/components/examples/", example)
    }

    /// `example`, then each of `examples` with an inline value, in order.
    fn examples(
        &self,
        example: Option<&Value>,
        examples: &'a IndexMap<String, ReferenceOr<Example>>,
    ) -> Vec<Value> {
        let mut values: Vec<Value> = example.cloned().into_iter().collect();
        for named in examples.values() {
            if let Some(value) = self.example(named).and_then(|e| e.value.clone()) {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        values
    }

    fn media_examples(&self, media: &'a MediaType) -> Vec<Candidate> {
        self.examples(media.example.as_ref(), &media.examples)
            .into_iter()
            .map(|value| Candidate {
                source: ExampleSource::MediaTypeExample,
                value,
            })
            .collect()
    }

    fn schema(&self, reference: &str) -> Option<&'a ReferenceOr<Schema>> {
        let name = reference.strip_prefix("#/components/schemas/")?;
        let name = name.replace("~1", "/").replace("~0", "~");
        self.spec.components.as_ref()?.schemas.get(&name)
    }

    /// The schema's best value (example, default, enum, format), then its minimal value.
    pub(crate) fn schema_candidates(
        &self,
        schema: &ReferenceOr<Schema>,
    ) -> Result<Vec<Candidate>, String> {
        let mut seen = Vec::new();
        let best = self.value(schema, &mut seen, 0)?;
        let mut candidates = vec![best];
        if candidates[0].source != ExampleSource::Minimal {
            let shapes_only = Builder {
                spec: self.spec,
                use_examples: false,
            };
            let mut seen = Vec::new();
            if let Ok(value) = shapes_only.minimal(schema, &mut seen, 0) {
                if value != candidates[0].value {
                    candidates.push(minimal(value));
                }
            }
        }
        Ok(candidates)
    }

    /// The schema itself (references followed), with the reference names met pushed on
    /// `seen`; a reference already on it is recursion.
    fn resolve<'s>(
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
        let chosen = if let Some(example) = data.example.as_ref().filter(|_| examples) {
            Ok(Candidate {
                source: ExampleSource::SchemaExample,
                value: example.clone(),
            })
        } else if let Some(default) = data.default.as_ref().filter(|_| examples) {
            Ok(Candidate {
                source: ExampleSource::Default,
                value: default.clone(),
            })
        } else if let Some(value) = first_enum(&resolved.schema_kind) {
            Ok(Candidate {
                source: ExampleSource::Enum,
                value,
            })
        } else if let Some(value) = format_value(&resolved.schema_kind) {
            Ok(Candidate {
                source: ExampleSource::Format,
                value,
            })
        } else {
            self.minimal_of(resolved, seen, depth).map(minimal)
        };
        seen.truncate(depth_before);
        chosen
    }

    /// A minimal value of a schema (see the [module docs](self)).
    fn minimal(
        &self,
        schema: &ReferenceOr<Schema>,
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        let depth_before = seen.len();
        let resolved = self.resolve(schema, seen)?;
        let value = self.minimal_of(resolved, seen, depth);
        seen.truncate(depth_before);
        value
    }

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
            SchemaKind::Type(Type::String(string)) => Ok(Value::String(text_within(
                string.min_length,
                string.max_length,
            ))),
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
                match any.typ.as_deref() {
                    Some("string") => {
                        Ok(Value::String(text_within(any.min_length, any.max_length)))
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
                Err(reason) => match self.resolve(&property, &mut seen.clone()) {
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
        let count = min_items.unwrap_or(0).min(16);
        if count == 0 {
            return Ok(Value::Array(Vec::new()));
        }
        let item = match items {
            Some(items) => self.value(&unbox(items), seen, depth)?.value,
            None => Value::String("example".into()),
        };
        Ok(Value::Array(vec![item; count]))
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

    /// The first alternative that can be built, with the discriminator's tag set to it.
    fn alternative(
        &self,
        schema: &Schema,
        alternatives: &[ReferenceOr<Schema>],
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<Value, String> {
        let mut reasons = Vec::new();
        for alternative in alternatives {
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
                    return Ok(value);
                }
                Err(reason) => reasons.push(reason),
            }
        }
        Err(format!(
            "no alternative can be built ({})",
            reasons.join("; ")
        ))
    }
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

fn minimal(value: Value) -> Candidate {
    Candidate {
        source: ExampleSource::Minimal,
        value,
    }
}

fn skipped(reason: String) -> OperationExamples {
    OperationExamples {
        args: Vec::new(),
        skip: Some(reason),
    }
}

fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn location(param: &Parameter) -> ParamLocation {
    match param {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// Follows `$ref`s into a components map (a few steps at most).
fn follow<'a, T>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    item: &'a ReferenceOr<T>,
) -> Option<&'a T> {
    let mut current = item;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                let key = reference.strip_prefix(prefix)?;
                let key = key.replace("~1", "/").replace("~0", "~");
                current = map?.get(&key)?;
            }
        }
    }
    None
}
