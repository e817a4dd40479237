//! What each kind of OpenAPI object holds, as the walk needs to know it: which fields must
//! be text or booleans, which hold lists or maps of text, and which hold other objects (and
//! of which kind). A repair of a kind of field is written once and applies wherever an
//! object of that kind stands (paths, callbacks, webhooks, components, ...), because the
//! walk reaches every object through this table.

/// A kind of OpenAPI object (3.0 and 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Node {
    Document,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Tag,
    ExternalDocs,
    Components,
    /// `paths` and `webhooks`: every entry (other than extensions) is a path item.
    PathItems,
    /// A callback in `components`: every entry is a path item; it may be a reference.
    Callback,
    /// A callback of an operation: the same, but `openapiv3` cannot type a reference
    /// there (see [`super::walk`]).
    OperationCallback,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    /// An operation's `responses`: every entry (other than extensions) is a response.
    Responses,
    Response,
    MediaType,
    Encoding,
    Example,
    Link,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    /// A security requirement: every entry is a list of scope names.
    SecurityRequirement,
    Schema,
    Discriminator,
}

/// What one field of an object holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    /// A string.
    Text,
    /// A list of strings.
    TextList,
    /// A map from names to strings.
    TextMap,
    /// A boolean.
    Flag,
    /// `additionalProperties`: a boolean or a schema.
    FlagOrSchema,
    /// One object of a kind.
    One(Node),
    /// A list of objects of a kind.
    List(Node),
    /// A map from names to objects of a kind.
    Map(Node),
}

/// The fields of a kind of object.
pub(super) struct Shape {
    /// Named fields and what they hold (unlisted fields are not looked at).
    pub fields: &'static [(&'static str, Field)],
    /// What every entry holds, for objects that are maps (extension keys excepted).
    pub entries: Option<Field>,
    /// Whether the object may be a `{$ref}` instead.
    pub may_be_reference: bool,
}

impl Shape {
    /// What `key` holds in an object of this shape, if the walk looks at it.
    pub fn field(&self, key: &str) -> Option<Field> {
        self.fields
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, field)| *field)
            .or_else(|| self.entries.filter(|_| !key.starts_with("x-")))
    }
}

const fn fields(fields: &'static [(&'static str, Field)], may_be_reference: bool) -> Shape {
    Shape {
        fields,
        entries: None,
        may_be_reference,
    }
}

const fn entries(entries: Field, may_be_reference: bool) -> Shape {
    Shape {
        fields: &[],
        entries: Some(entries),
        may_be_reference,
    }
}

use Field::{Flag, FlagOrSchema, List, Map, One, Text, TextList, TextMap};

const SCHEMA: Field = One(Node::Schema);
const CONTENT: Field = Map(Node::MediaType);
const EXAMPLES: Field = Map(Node::Example);
const EXTERNAL_DOCS: Field = One(Node::ExternalDocs);
const SERVERS: Field = List(Node::Server);
const PARAMETERS: Field = List(Node::Parameter);
const SECURITY: Field = List(Node::SecurityRequirement);

/// The shape of `node`.
pub(super) fn shape(node: Node) -> Shape {
    match node {
        Node::Document => fields(
            &[
                ("info", One(Node::Info)),
                ("servers", SERVERS),
                ("paths", One(Node::PathItems)),
                ("webhooks", One(Node::PathItems)),
                ("components", One(Node::Components)),
                ("security", SECURITY),
                ("tags", List(Node::Tag)),
                ("externalDocs", EXTERNAL_DOCS),
            ],
            false,
        ),
        Node::Info => fields(
            &[
                ("title", Text),
                ("summary", Text),
                ("description", Text),
                ("termsOfService", Text),
                ("version", Text),
                ("contact", One(Node::Contact)),
                ("license", One(Node::License)),
            ],
            false,
        ),
        Node::Contact => fields(&[("name", Text), ("url", Text), ("email", Text)], false),
        Node::License => fields(
            &[("name", Text), ("identifier", Text), ("url", Text)],
            false,
        ),
        Node::Server => fields(
            &[
                ("url", Text),
                ("description", Text),
                ("variables", Map(Node::ServerVariable)),
            ],
            false,
        ),
        Node::ServerVariable => fields(
            &[("enum", TextList), ("default", Text), ("description", Text)],
            false,
        ),
        Node::Tag => fields(
            &[
                ("name", Text),
                ("description", Text),
                ("externalDocs", EXTERNAL_DOCS),
            ],
            false,
        ),
        Node::ExternalDocs => fields(&[("description", Text), ("url", Text)], false),
        Node::Components => fields(
            &[
                ("schemas", Map(Node::Schema)),
                ("responses", Map(Node::Response)),
                ("parameters", Map(Node::Parameter)),
                ("examples", EXAMPLES),
                ("requestBodies", Map(Node::RequestBody)),
                ("headers", Map(Node::Header)),
                ("securitySchemes", Map(Node::SecurityScheme)),
                ("links", Map(Node::Link)),
                ("callbacks", Map(Node::Callback)),
                ("pathItems", Map(Node::PathItem)),
            ],
            false,
        ),
        Node::PathItems => entries(One(Node::PathItem), false),
        Node::Callback | Node::OperationCallback => entries(One(Node::PathItem), true),
        Node::PathItem => fields(
            &[
                ("summary", Text),
                ("description", Text),
                ("servers", SERVERS),
                ("parameters", PARAMETERS),
                ("get", One(Node::Operation)),
                ("put", One(Node::Operation)),
                ("post", One(Node::Operation)),
                ("delete", One(Node::Operation)),
                ("options", One(Node::Operation)),
                ("head", One(Node::Operation)),
                ("patch", One(Node::Operation)),
                ("trace", One(Node::Operation)),
            ],
            true,
        ),
        Node::Operation => fields(
            &[
                ("tags", TextList),
                ("summary", Text),
                ("description", Text),
                ("externalDocs", EXTERNAL_DOCS),
                ("operationId", Text),
                ("parameters", PARAMETERS),
                ("requestBody", One(Node::RequestBody)),
                ("responses", One(Node::Responses)),
                ("callbacks", Map(Node::OperationCallback)),
                ("deprecated", Flag),
                ("security", SECURITY),
                ("servers", SERVERS),
            ],
            false,
        ),
        Node::Parameter => fields(
            &[
                ("name", Text),
                ("description", Text),
                ("required", Flag),
                ("deprecated", Flag),
                ("allowEmptyValue", Flag),
                ("explode", Flag),
                ("allowReserved", Flag),
                ("schema", SCHEMA),
                ("content", CONTENT),
                ("examples", EXAMPLES),
            ],
            true,
        ),
        Node::Header => fields(
            &[
                ("description", Text),
                ("required", Flag),
                ("deprecated", Flag),
                ("explode", Flag),
                ("schema", SCHEMA),
                ("content", CONTENT),
                ("examples", EXAMPLES),
            ],
            true,
        ),
        Node::RequestBody => fields(
            &[
                ("description", Text),
                ("required", Flag),
                ("content", CONTENT),
            ],
            true,
        ),
        Node::Responses => entries(One(Node::Response), false),
        Node::Response => fields(
            &[
                ("description", Text),
                ("headers", Map(Node::Header)),
                ("content", CONTENT),
                ("links", Map(Node::Link)),
            ],
            true,
        ),
        Node::MediaType => fields(
            &[
                ("schema", SCHEMA),
                ("examples", EXAMPLES),
                ("encoding", Map(Node::Encoding)),
            ],
            false,
        ),
        Node::Encoding => fields(
            &[
                ("contentType", Text),
                ("headers", Map(Node::Header)),
                ("explode", Flag),
                ("allowReserved", Flag),
            ],
            false,
        ),
        Node::Example => fields(
            &[
                ("summary", Text),
                ("description", Text),
                ("externalValue", Text),
            ],
            true,
        ),
        Node::Link => fields(
            &[
                ("operationRef", Text),
                ("operationId", Text),
                ("description", Text),
                ("server", One(Node::Server)),
            ],
            true,
        ),
        Node::SecurityScheme => fields(
            &[
                ("type", Text),
                ("description", Text),
                ("name", Text),
                ("in", Text),
                ("scheme", Text),
                ("bearerFormat", Text),
                ("flows", One(Node::OAuthFlows)),
                ("openIdConnectUrl", Text),
            ],
            true,
        ),
        Node::OAuthFlows => fields(
            &[
                ("implicit", One(Node::OAuthFlow)),
                ("password", One(Node::OAuthFlow)),
                ("clientCredentials", One(Node::OAuthFlow)),
                ("authorizationCode", One(Node::OAuthFlow)),
            ],
            false,
        ),
        Node::OAuthFlow => fields(
            &[
                ("authorizationUrl", Text),
                ("tokenUrl", Text),
                ("refreshUrl", Text),
                ("scopes", TextMap),
            ],
            false,
        ),
        Node::SecurityRequirement => entries(TextList, false),
        Node::Schema => fields(
            &[
                ("title", Text),
                ("description", Text),
                ("format", Text),
                ("pattern", Text),
                ("required", TextList),
                ("nullable", Flag),
                ("readOnly", Flag),
                ("writeOnly", Flag),
                ("deprecated", Flag),
                ("uniqueItems", Flag),
                ("exclusiveMinimum", Flag),
                ("exclusiveMaximum", Flag),
                ("properties", Map(Node::Schema)),
                ("additionalProperties", FlagOrSchema),
                ("items", SCHEMA),
                ("allOf", List(Node::Schema)),
                ("oneOf", List(Node::Schema)),
                ("anyOf", List(Node::Schema)),
                ("not", SCHEMA),
                ("discriminator", One(Node::Discriminator)),
                ("externalDocs", EXTERNAL_DOCS),
            ],
            true,
        ),
        Node::Discriminator => fields(&[("propertyName", Text), ("mapping", TextMap)], false),
    }
}
