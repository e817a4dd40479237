//! What kind of object stands at each place of a document, as far as references care:
//! it decides which component section a `$ref` there must name, and where the walk goes.

/// What kind of object stands at a place, which decides the component section a
/// reference there must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Document,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Schema,
    Callback,
    /// A map whose values are all of one kind (`components/schemas`, `properties`...).
    MapOf(Held),
    /// A list whose items are all of one kind (`parameters`, `allOf`...).
    ListOf(Held),
}

/// The kinds a map or list can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Held {
    PathItem,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Schema,
    Callback,
    Encoding,
}

impl Held {
    pub(super) fn kind(self) -> Option<Kind> {
        Some(match self {
            Held::PathItem => Kind::PathItem,
            Held::Parameter => Kind::Parameter,
            Held::Header => Kind::Header,
            Held::RequestBody => Kind::RequestBody,
            Held::Response => Kind::Response,
            Held::MediaType => Kind::MediaType,
            Held::Schema => Kind::Schema,
            Held::Callback => Kind::Callback,
            Held::Encoding => return None,
        })
    }
}

impl Kind {
    /// The component section a reference in this place must name.
    pub(super) fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Schema => "schemas",
            _ => return None,
        })
    }

    /// The kind of the child at `key`, if the pass looks there.
    pub(super) fn child(self, key: &str) -> Option<Kind> {
        const METHODS: &[&str] = &[
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        match self {
            // `components` is entered section by section, see [`component_kind`].
            Kind::Document => {
                matches!(key, "paths" | "webhooks").then_some(Kind::MapOf(Held::PathItem))
            }
            Kind::PathItem => match key {
                "parameters" => Some(Kind::ListOf(Held::Parameter)),
                method if METHODS.contains(&method) => Some(Kind::Operation),
                _ => None,
            },
            Kind::Operation => match key {
                "parameters" => Some(Kind::ListOf(Held::Parameter)),
                "requestBody" => Some(Kind::RequestBody),
                "responses" => Some(Kind::MapOf(Held::Response)),
                "callbacks" => Some(Kind::MapOf(Held::Callback)),
                _ => None,
            },
            Kind::Parameter | Kind::Header => match key {
                "schema" => Some(Kind::Schema),
                "content" => Some(Kind::MapOf(Held::MediaType)),
                _ => None,
            },
            Kind::RequestBody => (key == "content").then_some(Kind::MapOf(Held::MediaType)),
            Kind::Response => match key {
                "headers" => Some(Kind::MapOf(Held::Header)),
                "content" => Some(Kind::MapOf(Held::MediaType)),
                _ => None,
            },
            Kind::MediaType => match key {
                "schema" => Some(Kind::Schema),
                "encoding" => Some(Kind::MapOf(Held::Encoding)),
                _ => None,
            },
            Kind::Schema => match key {
                "properties" | "definitions" | "$defs" | "patternProperties" => {
                    Some(Kind::MapOf(Held::Schema))
                }
                "items" | "additionalProperties" | "not" => Some(Kind::Schema),
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => Some(Kind::ListOf(Held::Schema)),
                _ => None,
            },
            Kind::Callback => Some(Kind::PathItem),
            // Encoding objects are entered by [`push_children`].
            Kind::MapOf(item) | Kind::ListOf(item) => item.kind(),
        }
    }
}

/// The kind of the entries of `components/<section>`.
pub(super) fn component_kind(section: &str) -> Option<Kind> {
    Some(Kind::MapOf(match section {
        "schemas" => Held::Schema,
        "parameters" => Held::Parameter,
        "headers" => Held::Header,
        "requestBodies" => Held::RequestBody,
        "responses" => Held::Response,
        "callbacks" => Held::Callback,
        "pathItems" => Held::PathItem,
        _ => return None,
    }))
}
