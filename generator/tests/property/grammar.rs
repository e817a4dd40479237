//! The grammar of random specs: a small syntax tree of OpenAPI constructs ([`Spec`]),
//! its proptest strategy, and its rendering as a JSON document for 3.0.x or 3.1.x.
//!
//! Schemas: scalars with formats, string enums, objects (properties, `required`,
//! `nullable`, `additionalProperties`), arrays, maps, `allOf`/`oneOf`/`anyOf` (with or
//! without a discriminator), `$ref`s to any component including the schema itself (so
//! self and mutual cycles occur, also through `allOf`-wrapped refs with a description),
//! and refs that point to nothing. Paths: literal and parameter segments, operations with
//! hostile or absent operationIds, path/query/header/cookie parameters, request bodies,
//! responses with several statuses, media types and headers. Names and texts come from
//! [`crate::hostile`].

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

use crate::hostile::{name, text};

/// A whole spec.
#[derive(Debug, Clone)]
pub struct Spec {
    version: &'static str,
    title: String,
    description: Option<String>,
    crate_name: Option<String>,
    schemas: Vec<(String, Schema)>,
    paths: Vec<PathItem>,
}

/// A schema, with refs to components by index into the spec's schema list.
#[derive(Debug, Clone)]
pub enum Schema {
    Scalar {
        kind: (&'static str, Option<&'static str>),
        nullable: bool,
        description: Option<String>,
    },
    Enum {
        values: Vec<String>,
        nullable: bool,
    },
    Object {
        properties: Vec<(String, Schema, bool)>,
        additional: Option<Box<Schema>>,
        nullable: bool,
        title: Option<String>,
        description: Option<String>,
    },
    Array(Box<Schema>),
    Map(Box<Schema>),
    AllOf(Vec<Schema>),
    OneOf(Vec<Schema>, Option<String>),
    AnyOf(Vec<Schema>),
    Ref(Target),
    /// `{allOf: [{$ref}], description}`: how specs document a field of a named type.
    WrappedRef(Target, String),
    Any,
}

/// Where a `$ref` points.
#[derive(Debug, Clone)]
pub enum Target {
    Component(Index),
    Nowhere(String),
}

/// A path and its operations.
#[derive(Debug, Clone)]
pub struct PathItem {
    segments: Vec<(bool, String)>,
    declare_path_parameters: bool,
    operations: Vec<Operation>,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    method: &'static str,
    id: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    parameters: Vec<Parameter>,
    body: Option<(&'static str, Schema)>,
    responses: Vec<(&'static str, Response)>,
}

/// A non-path parameter, or a `$ref` to a parameter that does not exist.
#[derive(Debug, Clone)]
pub enum Parameter {
    Inline {
        name: String,
        location: &'static str,
        required: bool,
        schema: Schema,
        description: Option<String>,
    },
    Nowhere(String),
}

/// A response: description, optional body, headers.
#[derive(Debug, Clone)]
pub struct Response {
    description: String,
    body: Option<(&'static str, Schema)>,
    headers: Vec<(String, Schema)>,
}

const SCALARS: &[(&str, Option<&str>)] = &[
    ("string", None),
    ("string", Some("date-time")),
    ("string", Some("date")),
    ("string", Some("uuid")),
    ("string", Some("byte")),
    ("string", Some("binary")),
    ("string", Some("email")),
    ("string", Some("😀")),
    ("integer", None),
    ("integer", Some("int32")),
    ("integer", Some("int64")),
    ("integer", Some("uint64")),
    ("number", None),
    ("number", Some("float")),
    ("number", Some("double")),
    ("boolean", None),
];

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json",
    "application/problem+json",
    "application/vnd.x+json; charset=utf-8",
    "text/plain",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "*/*",
];

const STATUSES: &[&str] = &[
    "200", "200", "201", "202", "204", "301", "400", "401", "404", "409", "422", "429", "500",
    "503", "default", "2XX", "4XX", "5XX",
];

const METHODS: &[&str] = &[
    "get", "get", "post", "put", "patch", "delete", "head", "options", "trace",
];

fn optional_text() -> BoxedStrategy<Option<String>> {
    prop::option::weighted(0.6, text()).boxed()
}

fn target() -> BoxedStrategy<Target> {
    prop_oneof![
        60 => any::<Index>().prop_map(Target::Component),
        1 => name().prop_map(Target::Nowhere),
    ]
    .boxed()
}

fn leaf_schema() -> BoxedStrategy<Schema> {
    prop_oneof![
        4 => (prop::sample::select(SCALARS), any::<bool>(), optional_text()).prop_map(
            |(kind, nullable, description)| Schema::Scalar { kind, nullable, description }
        ),
        1 => (prop::collection::vec(name(), 0..5), any::<bool>())
            .prop_map(|(values, nullable)| Schema::Enum { values, nullable }),
        3 => target().prop_map(Schema::Ref),
        2 => (target(), text()).prop_map(|(t, d)| Schema::WrappedRef(t, d)),
        1 => Just(Schema::Any),
    ]
    .boxed()
}

/// A schema of bounded depth.
pub fn schema() -> BoxedStrategy<Schema> {
    leaf_schema()
        .prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                4 => (
                    prop::collection::vec((name(), inner.clone(), any::<bool>()), 0..5),
                    prop::option::weighted(0.2, inner.clone().prop_map(Box::new)),
                    any::<bool>(),
                    prop::option::weighted(0.2, text()),
                    optional_text(),
                )
                    .prop_map(|(properties, additional, nullable, title, description)| {
                        Schema::Object { properties, additional, nullable, title, description }
                    }),
                2 => inner.clone().prop_map(|s| Schema::Array(Box::new(s))),
                1 => inner.clone().prop_map(|s| Schema::Map(Box::new(s))),
                2 => prop::collection::vec(inner.clone(), 1..4).prop_map(Schema::AllOf),
                2 => (
                    prop::collection::vec(inner.clone(), 1..4),
                    prop::option::weighted(0.3, name()),
                )
                    .prop_map(|(alternatives, tag)| Schema::OneOf(alternatives, tag)),
                1 => prop::collection::vec(inner, 1..4).prop_map(Schema::AnyOf),
            ]
        })
        .boxed()
}

fn parameter() -> BoxedStrategy<Parameter> {
    prop_oneof![
        60 => (
            name(),
            prop::sample::select(&["query", "query", "header", "cookie"][..]),
            any::<bool>(),
            leaf_schema(),
            optional_text(),
        )
            .prop_map(|(name, location, required, schema, description)| {
                Parameter::Inline { name, location, required, schema, description }
            }),
        1 => name().prop_map(Parameter::Nowhere),
    ]
    .boxed()
}

fn response() -> BoxedStrategy<Response> {
    (
        text(),
        prop::option::weighted(0.7, (prop::sample::select(MEDIA_TYPES), schema())),
        prop::collection::vec((name(), leaf_schema()), 0..3),
    )
        .prop_map(|(description, body, headers)| Response {
            description,
            body,
            headers,
        })
        .boxed()
}

fn operation() -> BoxedStrategy<Operation> {
    (
        prop::sample::select(METHODS),
        prop::option::weighted(0.8, name()),
        optional_text(),
        optional_text(),
        prop::collection::vec(parameter(), 0..4),
        prop::option::weighted(0.4, (prop::sample::select(MEDIA_TYPES), schema())),
        prop::collection::vec((prop::sample::select(STATUSES), response()), 1..4),
    )
        .prop_map(
            |(method, id, summary, description, parameters, body, responses)| Operation {
                method,
                id,
                summary,
                description,
                parameters,
                body,
                responses,
            },
        )
        .boxed()
}

fn path_item() -> BoxedStrategy<PathItem> {
    (
        prop::collection::vec((prop::bool::weighted(0.4), name()), 0..4),
        prop::bool::weighted(0.95),
        prop::collection::vec(operation(), 1..3),
    )
        .prop_map(|(segments, declare_path_parameters, operations)| PathItem {
            segments,
            declare_path_parameters,
            operations,
        })
        .boxed()
}

/// A whole spec.
pub fn spec() -> BoxedStrategy<Spec> {
    (
        prop::sample::select(&["3.0.0", "3.0.3", "3.1.0", "3.1.1"][..]),
        text(),
        optional_text(),
        prop::option::weighted(0.1, name()),
        prop::collection::vec((name(), schema()), 1..7),
        prop::collection::vec(path_item(), 0..4),
    )
        .prop_map(
            |(version, title, description, crate_name, schemas, paths)| Spec {
                version,
                title,
                description,
                crate_name,
                schemas,
                paths,
            },
        )
        .boxed()
}

/// Renders a tree as JSON, for one OpenAPI version.
struct Render<'a> {
    is_31: bool,
    schema_names: Vec<&'a str>,
}

impl Render<'_> {
    fn reference(&self, target: &Target) -> Value {
        let name = match target {
            Target::Component(index) if !self.schema_names.is_empty() => {
                self.schema_names[index.index(self.schema_names.len())]
            }
            Target::Component(_) => "Missing",
            Target::Nowhere(name) => name,
        };
        let token = name.replace('~', "~0").replace('/', "~1");
        json!({ "$ref": format!("#/components/schemas/{token}") })
    }

    /// `type`, made nullable by the version's rule.
    fn typed(&self, object: &mut Map<String, Value>, ty: &str, nullable: bool) {
        if nullable && self.is_31 {
            object.insert("type".into(), json!([ty, "null"]));
        } else {
            object.insert("type".into(), json!(ty));
            if nullable {
                object.insert("nullable".into(), json!(true));
            }
        }
    }

    fn schema(&self, schema: &Schema) -> Value {
        let mut object = Map::new();
        match schema {
            Schema::Scalar {
                kind,
                nullable,
                description,
            } => {
                self.typed(&mut object, kind.0, *nullable);
                if let Some(format) = kind.1 {
                    object.insert("format".into(), json!(format));
                }
                if let Some(description) = description {
                    object.insert("description".into(), json!(description));
                }
            }
            Schema::Enum { values, nullable } => {
                self.typed(&mut object, "string", *nullable);
                object.insert("enum".into(), json!(values));
            }
            Schema::Object {
                properties,
                additional,
                nullable,
                title,
                description,
            } => {
                self.typed(&mut object, "object", *nullable);
                if let Some(title) = title {
                    object.insert("title".into(), json!(title));
                }
                if let Some(description) = description {
                    object.insert("description".into(), json!(description));
                }
                let mut fields = Map::new();
                let mut required = Vec::new();
                for (name, schema, is_required) in properties {
                    fields.insert(name.clone(), self.schema(schema));
                    if *is_required {
                        required.push(name.clone());
                    }
                }
                object.insert("properties".into(), Value::Object(fields));
                if !required.is_empty() {
                    object.insert("required".into(), json!(required));
                }
                if let Some(additional) = additional {
                    object.insert("additionalProperties".into(), self.schema(additional));
                }
            }
            Schema::Array(items) => {
                object.insert("type".into(), json!("array"));
                object.insert("items".into(), self.schema(items));
            }
            Schema::Map(values) => {
                object.insert("type".into(), json!("object"));
                object.insert("additionalProperties".into(), self.schema(values));
            }
            Schema::AllOf(parts) => {
                object.insert("allOf".into(), self.schemas(parts));
            }
            Schema::OneOf(alternatives, tag) => {
                object.insert("oneOf".into(), self.schemas(alternatives));
                if let Some(tag) = tag {
                    object.insert("discriminator".into(), json!({ "propertyName": tag }));
                }
            }
            Schema::AnyOf(alternatives) => {
                object.insert("anyOf".into(), self.schemas(alternatives));
            }
            Schema::Ref(target) => return self.reference(target),
            Schema::WrappedRef(target, description) => {
                object.insert("allOf".into(), json!([self.reference(target)]));
                object.insert("description".into(), json!(description));
            }
            Schema::Any => {}
        }
        Value::Object(object)
    }

    fn schemas(&self, schemas: &[Schema]) -> Value {
        Value::Array(schemas.iter().map(|s| self.schema(s)).collect())
    }

    fn content(&self, body: &(&str, Schema)) -> Value {
        json!({ body.0: { "schema": self.schema(&body.1) } })
    }

    fn operation(&self, operation: &Operation, path_parameters: &[Value]) -> Value {
        let mut object = Map::new();
        if let Some(id) = &operation.id {
            object.insert("operationId".into(), json!(id));
        }
        if let Some(summary) = &operation.summary {
            object.insert("summary".into(), json!(summary));
        }
        if let Some(description) = &operation.description {
            object.insert("description".into(), json!(description));
        }
        let mut parameters = path_parameters.to_vec();
        for parameter in &operation.parameters {
            parameters.push(match parameter {
                Parameter::Inline {
                    name,
                    location,
                    required,
                    schema,
                    description,
                } => json!({
                    "name": name,
                    "in": location,
                    "required": required,
                    "schema": self.schema(schema),
                    "description": description,
                }),
                Parameter::Nowhere(name) => {
                    let token = name.replace('~', "~0").replace('/', "~1");
                    json!({ "$ref": format!("#/components/parameters/{token}") })
                }
            });
        }
        if !parameters.is_empty() {
            object.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = &operation.body {
            object.insert(
                "requestBody".into(),
                json!({ "required": true, "content": self.content(body) }),
            );
        }
        let mut responses = Map::new();
        for (status, response) in &operation.responses {
            let mut rendered = Map::new();
            rendered.insert("description".into(), json!(response.description));
            if let Some(body) = &response.body {
                rendered.insert("content".into(), self.content(body));
            }
            if !response.headers.is_empty() {
                let headers: Map<String, Value> = response
                    .headers
                    .iter()
                    .map(|(name, schema)| (name.clone(), json!({ "schema": self.schema(schema) })))
                    .collect();
                rendered.insert("headers".into(), Value::Object(headers));
            }
            responses.insert(status.to_string(), Value::Object(rendered));
        }
        object.insert("responses".into(), Value::Object(responses));
        Value::Object(object)
    }

    fn path_item(&self, item: &PathItem) -> (String, Value) {
        let mut path = String::new();
        let mut parameters = Vec::new();
        for (is_parameter, segment) in &item.segments {
            path.push('/');
            if *is_parameter {
                path.push_str(&format!("{{{segment}}}"));
                parameters.push(json!({
                    "name": segment,
                    "in": "path",
                    "required": true,
                    "schema": { "type": "string" },
                }));
            } else {
                path.push_str(segment);
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        if !item.declare_path_parameters {
            parameters.clear();
        }
        let operations: Map<String, Value> = item
            .operations
            .iter()
            .map(|op| (op.method.to_string(), self.operation(op, &parameters)))
            .collect();
        (path, Value::Object(operations))
    }
}

impl Spec {
    /// The spec as a JSON document.
    pub fn to_json(&self) -> Value {
        let render = Render {
            is_31: self.version.starts_with("3.1"),
            schema_names: self.schemas.iter().map(|(name, _)| name.as_str()).collect(),
        };
        let mut info = Map::new();
        info.insert("title".into(), json!(self.title));
        info.insert("version".into(), json!("1.0.0"));
        if let Some(description) = &self.description {
            info.insert("description".into(), json!(description));
        }
        let schemas: Map<String, Value> = self
            .schemas
            .iter()
            .map(|(name, schema)| (name.clone(), render.schema(schema)))
            .collect();
        let paths: Map<String, Value> = self.paths.iter().map(|p| render.path_item(p)).collect();
        let mut document = Map::new();
        document.insert("openapi".into(), json!(self.version));
        document.insert("info".into(), Value::Object(info));
        if let Some(name) = &self.crate_name {
            document.insert("x-rust-crate".into(), json!({ "name": name }));
        }
        document.insert("paths".into(), Value::Object(paths));
        document.insert("components".into(), json!({ "schemas": schemas }));
        Value::Object(document)
    }

    /// The spec as JSON text, as the generator reads it.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default()
    }
}
