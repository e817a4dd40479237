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
//! `allOf` followed, the smallest alternative of `oneOf`/`anyOf` that fits, recursion
//! cut). Every candidate is checked against its schema first (`check`: enum, bounds,
//! lengths, `pattern`, exactly one `oneOf` alternative, ...) and passed over when it does
//! not fit; strings for a `pattern` are its shortest match (`pattern`). A parameter never
//! gets a value that sends nothing (null, an empty array; an empty object where any value
//! fits): a required array has an item. A `multipart/form-data` body is an object, a
//! field a part (the `format: binary` ones file parts). An operation that cannot be called this way (a value no
//! candidate exists for) gets a skip reason instead.
//!
//! This is lowering: it reads `openapiv3` and the lowered [`Api`], and emits nothing;
//! `emit::smoke` turns the result into the `smoke` module. This module finds each
//! operation's parameters, body and their own examples; `values` builds values from
//! schemas, `check` checks them, `pattern` reads patterns.

mod check;
mod pattern;
mod values;

use indexmap::IndexMap;
use openapiv3::{
    Example, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody,
};
use serde_json::Value;

use super::{Api, BodyMedia, HttpMethod, Operation, ParamLocation};
use pattern::Patterns;
use values::{minimal, SchemaValues};

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
    /// The parameter at this index of `Operation::params`.
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
    /// For a `multipart/form-data` body (candidates are objects, a field a part): the
    /// fields sent as file parts (`format: binary`); empty otherwise.
    pub file_parts: Vec<String>,
}

/// The example call of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationExamples {
    /// The values to pass, parameters in `Operation::params` order, then the body.
    pub args: Vec<ExampleArg>,
    /// Why the operation cannot be called with examples, if it cannot.
    pub skip: Option<String>,
}

/// The example calls of every operation of `api`, in its order (`api` lowered from `spec`).
pub fn lower(spec: &OpenAPI, api: &Api) -> Vec<OperationExamples> {
    let patterns = Patterns::default();
    let builder = Builder {
        spec,
        values: SchemaValues::new(spec, &patterns),
    };
    api.operations
        .iter()
        .map(|op| builder.operation(op))
        .collect()
}

struct Builder<'a> {
    spec: &'a OpenAPI,
    values: SchemaValues<'a>,
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
                        file_parts: Vec::new(),
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
            self.keep_fitting(&mut candidates, schema);
            if !param.required && candidates.is_empty() {
                continue;
            }
            let from_schema = schema.map(|s| self.values.candidates(s));
            let mut reason = self.extend(&mut candidates, from_schema);
            // A null or an array of nulls or none sends nothing: no value for a parameter
            // (one with content is sent as its JSON text). A schema that allows any value
            // gets a string instead of those or of an empty object.
            let as_json = matches!(data.format, ParameterSchemaOrContent::Content(_));
            let any_value = schema.is_some_and(|s| self.values.accepts_anything(s));
            let sendable = |value: &Value| match value {
                _ if as_json => true,
                Value::Null => false,
                Value::Array(items) => items.iter().any(|item| !item.is_null()),
                Value::Object(fields) => !fields.is_empty() || !any_value,
                _ => true,
            };
            if candidates.iter().any(|c| !sendable(&c.value)) {
                candidates.retain(|c| sendable(&c.value));
                let text = Value::String("example".into());
                let fits = schema.is_none_or(|s| self.values.violation(s, &text).is_none());
                if candidates.is_empty() && fits {
                    candidates.push(minimal(text));
                }
                reason.get_or_insert_with(|| "only null or an empty value fits".into());
            }
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
                file_parts: Vec::new(),
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

    /// Drops the candidates that do not fit `schema` (the spec's own examples can be wrong).
    fn keep_fitting(
        &self,
        candidates: &mut Vec<Candidate>,
        schema: Option<&ReferenceOr<openapiv3::Schema>>,
    ) {
        if let Some(schema) = schema {
            candidates.retain(|c| self.values.violation(schema, &c.value).is_none());
        }
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
            BodyMedia::Multipart => Some("multipart/form-data".to_string()),
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
        let typed = matches!(
            body.media,
            BodyMedia::Json | BodyMedia::Form | BodyMedia::Multipart
        );
        if typed {
            self.keep_fitting(&mut candidates, media.schema.as_ref());
        }
        if typed && !body.required && candidates.is_empty() {
            return Ok(None);
        }
        let reason = self.extend(
            &mut candidates,
            media.schema.as_ref().map(|s| self.values.candidates(s)),
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
        let file_parts = match (&body.media, &media.schema) {
            (BodyMedia::Multipart, Some(schema)) => self.values.file_fields(schema),
            _ => Vec::new(),
        };
        Ok(Some(ExampleArg {
            target: ArgTarget::Body,
            candidates,
            file_parts,
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
