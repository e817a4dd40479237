//! The intermediate representation: what the client will contain, independent of both
//! OpenAPI's document structure and Rust token syntax.
//!
//! [`lower`] builds it from a typed spec (with [`schema`], [`security`], [`extensions`] and
//! [`docs`], the only code here that reads `openapiv3`; [`paging`] then finds paging in the
//! lowered operations; [`examples`] builds the smoke-test module's example calls), and [`crate::emit`] turns it into
//! tokens. Names in the IR are already valid, unique Rust identifiers, assigned once by
//! [`names`].

pub mod cycles;
pub mod docs;
pub mod examples;
pub mod extensions;
pub mod lower;
pub mod names;
pub mod paging;
pub mod path;
pub mod schema;
pub mod security;

pub use path::PathTemplate;

/// A whole API: becomes one crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub doc: Option<String>,
    /// The first server's URL with its variables at their defaults; becomes
    /// `Client::DEFAULT_BASE_URL`.
    pub default_base_url: Option<String>,
    /// The client-side rate limit the spec declares (`x-rate-limit: {calls-per-second: N}`).
    pub calls_per_second: Option<u32>,
    /// Security schemes the API accepts, in spec order; documented on `Client::new`.
    pub auth: Vec<AuthScheme>,
    /// Every named type, in spec order (components first, then inline types as met).
    pub types: Vec<TypeDef>,
    /// Whether a type is named like a prelude type the generated code uses (`Option`,
    /// `String`, `Vec`, `Box`); the emitter then writes those by their full `::std` path.
    pub prelude_shadowed: bool,
    /// Every operation, in spec order; each becomes a `Client` method.
    pub operations: Vec<Operation>,
    /// Which types take part in recursion (fields to box, aliases to make nominal).
    pub recursion: cycles::Recursion,
    /// What the settings ask of the emitted types.
    pub customisation: Customisation,
}

/// What [`crate::Settings`] ask of the emitted types (checked when lowering).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Customisation {
    /// Paths added to every model struct's and enum's `#[derive(...)]`.
    pub derives: Vec<String>,
    /// Types replaced by a Rust type of the user's: emitted as `pub type Name = <path>;`.
    pub replaced: std::collections::BTreeMap<TypeId, String>,
}

impl Api {
    /// Whether any type, parameter or body uses a type for which `uses` is true (looking
    /// inside arrays, sets and maps).
    pub fn uses(&self, uses: impl Fn(&TypeRef) -> bool) -> bool {
        fn deep(ty: &TypeRef, uses: &dyn Fn(&TypeRef) -> bool) -> bool {
            uses(ty)
                || matches!(ty, TypeRef::Array(inner) | TypeRef::Set(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) if deep(inner, uses))
        }
        let in_types = self.types.iter().any(|t| match &t.kind {
            TypeKind::Struct(fields) => fields.iter().any(|f| deep(&f.ty, &uses)),
            TypeKind::Union(union) => union.variants.iter().any(|v| deep(&v.ty, &uses)),
            TypeKind::Alias(ty) => deep(ty, &uses),
            TypeKind::Enum(_) => false,
        });
        let in_operations = self.operations.iter().any(|op| {
            op.params.iter().any(|p| deep(&p.ty, &uses))
                || op.body.as_ref().is_some_and(|b| deep(&b.ty, &uses))
                || op.success.body.as_ref().is_some_and(|b| deep(&b.ty, &uses))
                || op
                    .errors
                    .iter()
                    .any(|e| e.body.as_ref().is_some_and(|b| deep(&b.ty, &uses)))
        });
        in_types || in_operations
    }
}

/// A security scheme, reduced to what a caller must supply.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub key: String,
    /// What credentials it takes.
    pub kind: AuthKind,
    /// Its description.
    pub doc: Option<String>,
}

/// The kind of credentials a scheme takes.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthKind {
    /// HTTP Basic.
    Basic,
    /// `Authorization: Bearer` (http bearer, OAuth 2.0, OpenID Connect).
    Bearer {
        /// OAuth scopes the spec's security requirements ask for, if any.
        scopes: Vec<String>,
    },
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        /// Where the key goes.
        location: ParamLocation,
        /// The header, parameter or cookie name.
        name: String,
    },
}

/// Index of a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// A named Rust type: becomes a struct, an enum or a type alias in `types.rs`.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// Doc text (description, examples).
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An object: a struct with one field per property, in spec order.
    Struct(Vec<Field>),
    /// A string enum; becomes an enum with an `Unknown(String)` fallback variant, so values
    /// the server adds later still deserialize.
    Enum(Vec<EnumVariant>),
    /// `oneOf`/`anyOf`: an enum with one variant per alternative. With a discriminator it
    /// dispatches on the tag property (and keeps unknown tags as JSON); without one it tries
    /// the alternatives in order, most specific first.
    Union(Union),
    /// Another type under this name: `pub type Name = Target;`.
    Alias(TypeRef),
}

/// The alternatives of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Union {
    /// The alternatives, in the order they are tried.
    pub variants: Vec<UnionVariant>,
    /// The tag property and its values, when the schema has a discriminator.
    pub discriminator: Option<Discriminator>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
}

/// A union's discriminator: the property that names the alternative.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Discriminator {
    /// The JSON property.
    pub property: String,
    /// Tag values and the index of the variant each selects.
    pub mapping: Vec<(String, usize)>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON property name (a serde rename is emitted only when it differs).
    pub wire_name: String,
    /// Its type, without the `Option` that optionality adds.
    pub ty: TypeRef,
    /// Whether the property is required (otherwise the field is an `Option`).
    pub required: bool,
    /// Whether `null` is allowed. An optional nullable field tells absent (`None`) from
    /// null (`Some(None)`); a required nullable one is an `Option`.
    pub nullable: bool,
    /// The map of `additionalProperties`, flattened into the struct (`wire_name` is empty).
    pub flatten: bool,
    /// Doc text.
    pub doc: Option<String>,
}

/// A string enum value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
}

/// A reference to a type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u64` (format `uint64`).
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `chrono::DateTime<chrono::FixedOffset>` (format `date-time`).
    DateTime,
    /// `chrono::NaiveDate` (format `date`).
    Date,
    /// `uuid::Uuid` (format `uuid`).
    Uuid,
    /// `Vec<u8>`, base64 in JSON (format `byte`).
    Bytes,
    /// `serde_json::Value`: any JSON (free-form objects, constructs not modelled).
    Json,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `std::collections::BTreeSet<T>` (arrays with `uniqueItems` of strings or integers).
    Set(Box<TypeRef>),
    /// `std::collections::BTreeMap<String, T>` (`additionalProperties`).
    Map(Box<TypeRef>),
    /// `Option<T>`: an array item or map value whose schema admits `null` (inline
    /// `nullable`, 3.1's `type: [X, "null"]`, or a `$ref` to a nullable component); only
    /// ever inside [`TypeRef::Array`] and [`TypeRef::Map`] (so never in a set), and as a
    /// variant of the item union paging makes for their items (a field, parameter or body
    /// says it admits `null` with its own `nullable` flag instead). Never around
    /// [`TypeRef::Json`], which holds `null` itself.
    Nullable(Box<TypeRef>),
    /// A named type.
    Named(TypeId),
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// DELETE
    Delete,
    /// OPTIONS
    Options,
    /// HEAD
    Head,
    /// PATCH
    Patch,
    /// TRACE
    Trace,
}

impl HttpMethod {
    /// The method name in upper case, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
            Self::Head => "HEAD",
            Self::Patch => "PATCH",
            Self::Trace => "TRACE",
        }
    }
}

/// An operation: becomes one method on `Client` (returning a `runtime::Call`) and one error
/// enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId as written (or derived from method and path when missing).
    pub operation_id: String,
    /// The Rust method name.
    pub method_name: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template.
    pub path: PathTemplate,
    /// Doc text (summary, description).
    pub doc: Option<String>,
    /// Parameters, path parameters first in template order, then the others in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// What a successful response holds.
    pub success: Success,
    /// The name of the operation's error enum.
    pub error_type: String,
    /// When an earlier operation declares exactly the same error cases: its index. The
    /// error type is then an alias of that operation's enum (big APIs repeat the same few
    /// error sets across hundreds of operations).
    pub error_alias_of: Option<usize>,
    /// One entry per declared error status, range or `default`.
    pub errors: Vec<ErrorCase>,
    /// The `Accept` header: the media types its responses are read in (`application/json`
    /// where JSON is declared beside XML), or `None` when no response has content.
    pub accept: Option<String>,
    /// Paging, when the spec shows a pattern or `x-pagination` states one.
    pub pagination: Option<Pagination>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// An operation parameter: becomes a method argument.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust argument name.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Whether it is required (otherwise the argument is an `Option`).
    pub required: bool,
    /// How it is written (query parameters), from `style` and `explode`.
    pub style: ParamStyle,
    /// `explode` (header parameters: objects as `k=v` pairs).
    pub explode: bool,
    /// `allowReserved` (query parameters): reserved characters sent unencoded.
    pub allow_reserved: bool,
    /// Doc text.
    pub doc: Option<String>,
}

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`, exploded (the default).
    Form,
    /// `form` with `explode: false`.
    FormUnexploded,
    /// `deepObject`.
    DeepObject,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyMedia {
    /// `application/json` or `*/*+json`: a typed value.
    Json,
    /// `application/x-www-form-urlencoded`: a typed value sent as form fields.
    Form,
    /// `multipart/form-data`: the runtime's `Multipart` builder.
    Multipart,
    /// `text/*`: a `String` with this media type.
    Text(String),
    /// Anything else: raw bytes with this media type.
    Bytes(String),
}

/// A request body: becomes the `body` argument.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The Rust argument name (`body`, unless a parameter took it).
    pub name: String,
    /// Its type (`Vec<u8>` for raw media).
    pub ty: TypeRef,
    /// Its encoding.
    pub media: BodyMedia,
    /// Whether it is required.
    pub required: bool,
    /// Doc text.
    pub doc: Option<String>,
}

/// The successful outcome of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// One case per declared 2xx status (or `2XX`).
    pub cases: Vec<SuccessCase>,
    /// The body every case shares (`None` when there is none, or when the cases differ and
    /// [`Success::enum_name`] is set).
    pub body: Option<ResponseBody>,
    /// When the cases' bodies differ: the name of the enum (in `responses.rs`) with one
    /// variant per case.
    pub enum_name: Option<String>,
    /// Headers the success responses declare.
    pub headers: Vec<HeaderField>,
    /// The name of the struct (in `responses.rs`) reading those headers, if any.
    pub headers_type: Option<String>,
    /// Doc text (the first response's description).
    pub doc: Option<String>,
}

/// One declared success status.
#[derive(Debug, Clone, PartialEq)]
pub struct SuccessCase {
    /// Which statuses (a code, or the `2XX` range).
    pub status: StatusMatch,
    /// The variant name, when the success is an enum.
    pub variant: String,
    /// The response description.
    pub description: String,
    /// The decoded body, if declared.
    pub body: Option<ResponseBody>,
}

/// A response body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseBody {
    /// Its type (for an event stream: the type of one event's data).
    pub ty: TypeRef,
    /// Its encoding.
    pub media: BodyMedia,
    /// How it is streamed instead of read whole (success bodies only; error bodies are
    /// always read whole).
    pub stream: Option<BodyStream>,
    /// Whether the whole body may be `null` (a JSON schema that admits it, directly or
    /// through a `$ref` to a nullable component): decoded as an `Option` of its type.
    pub nullable: bool,
}

/// How a success body is read as it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStream {
    /// Raw chunks (`runtime::ByteStream`): binary and other non-text media.
    Bytes,
    /// `text/event-stream` events whose data is JSON of the body's type.
    JsonEvents,
    /// `text/event-stream` events whose data is text.
    TextEvents,
}

/// Which statuses an error case covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range like `4XX` (the first digit).
    Range(u16),
    /// `default`: every status not otherwise declared.
    Default,
}

/// A declared error response: becomes a variant of the operation's error enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorCase {
    /// Which statuses.
    pub status: StatusMatch,
    /// The Rust variant name.
    pub variant: String,
    /// The response description.
    pub description: String,
    /// The decoded body, if declared.
    pub body: Option<ResponseBody>,
    /// Declared response headers, each becoming a typed field.
    pub headers: Vec<HeaderField>,
}

/// A declared response header.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderField {
    /// The Rust field name.
    pub name: String,
    /// The header name on the wire.
    pub wire_name: String,
    /// How it is typed.
    pub ty: HeaderType,
    /// Doc text.
    pub doc: Option<String>,
}

/// The Rust type of a response header.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderType {
    /// `Retry-After`, as a `std::time::Duration` (seconds or an HTTP date).
    RetryAfter,
    /// A scalar parsed with `FromStr`.
    Scalar(TypeRef),
}

/// How an operation pages, and the two methods that page through it (`{op}_stream`,
/// `{op}_all`). Found in the spec by [`paging`] or stated by `x-pagination`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The name of the method returning every item as a stream.
    pub stream_method: String,
    /// The name of the method collecting every item into a `Vec`.
    pub all_method: String,
    /// The pattern and what it needs.
    pub pattern: PagingPattern,
    /// Path of Rust field names from the success body to the items array (empty: the
    /// body itself is the array).
    pub items: Vec<PathStep>,
    /// The type of one item.
    pub item_type: TypeRef,
    /// When the success body is a union whose every alternative is an array (items of a
    /// different type per alternative): for each of the body union's variants, the variant
    /// of the item union (`item_type`, made by [`paging`]) its items become. Empty when
    /// the items are one array.
    pub item_arms: Vec<ItemArm>,
    /// When the success is an enum (in `responses.rs`): the variant whose body is the
    /// page; every other variant has no body and is read as an empty last page (GitHub's
    /// `204 No Content` for a repository without contributors).
    pub body_variant: Option<String>,
    /// Whether it was detected or stated, and why.
    pub origin: PagingOrigin,
}

impl Pagination {
    /// The Rust names of the parameters the paging methods set themselves (and so do not
    /// take): the cursor, offset or page number, when it is a parameter.
    pub fn driven_params(&self) -> Vec<&str> {
        let param = match &self.pattern {
            PagingPattern::Cursor { param, .. } | PagingPattern::HasMore { param, .. } => {
                Some(param)
            }
            PagingPattern::Offset { offset, .. } => Some(offset),
            PagingPattern::Page { page, .. } => Some(page),
            PagingPattern::Link { page } => page.as_ref(),
        };
        param
            .filter(|p| p.location == CursorLocation::Query)
            .map(|p| p.name.as_str())
            .into_iter()
            .collect()
    }

    /// Every field path the paging methods read from the success body.
    pub fn body_paths(&self) -> Vec<&[PathStep]> {
        let mut paths = vec![self.items.as_slice()];
        match &self.pattern {
            PagingPattern::Cursor { next_cursor, .. } => paths.push(next_cursor),
            PagingPattern::HasMore { has_more, .. } => paths.push(has_more),
            PagingPattern::Offset {
                total: Some(total), ..
            } => paths.push(total),
            PagingPattern::Offset { total: None, .. }
            | PagingPattern::Page { .. }
            | PagingPattern::Link { .. } => {}
        }
        paths
    }
}

/// How the items of one variant of a body union of arrays become items of the item union.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemArm {
    /// The body union's variant (holding a `Vec`).
    pub body_variant: String,
    /// The item union's variant each of its items becomes.
    pub item_variant: String,
}

/// A paging pattern with the parameters and body fields it uses.
#[derive(Debug, Clone, PartialEq)]
pub enum PagingPattern {
    /// A cursor parameter (query or body), and the next cursor in the response body; paging
    /// stops when there is none.
    Cursor {
        /// Where the cursor is sent.
        param: PagingParam,
        /// Path to the next cursor (a string) in the success body.
        next_cursor: Vec<PathStep>,
    },
    /// `has_more` in the body, and the last item's id sent as the cursor (Stripe's
    /// `starting_after`).
    HasMore {
        /// Where the last item's id is sent.
        param: PagingParam,
        /// Path to the boolean `has_more` in the success body.
        has_more: Vec<PathStep>,
        /// How to read the item's id.
        item_id: ItemId,
    },
    /// An item offset (`offset`, `startAt`), advanced by the items received, with an
    /// optional page size and total.
    Offset {
        /// The offset parameter (an integer).
        offset: PagingParam,
        /// The page size parameter, when there is one (a short page then ends paging).
        limit: Option<PagingParam>,
        /// Path to the total number of items in the success body, when there is one.
        total: Option<Vec<PathStep>>,
    },
    /// A page number (`page`), advanced by one, with an optional page size.
    Page {
        /// The page number parameter (an integer).
        page: PagingParam,
        /// The page size parameter, when there is one.
        per_page: Option<PagingParam>,
    },
    /// The `Link` response header's `rel="next"` URL is the next request.
    Link {
        /// A page number parameter the next URLs carry (not taken by the paging methods).
        page: Option<PagingParam>,
    },
}

impl PagingPattern {
    /// The pattern's name in reports and in `x-pagination`'s `pattern`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Cursor { .. } => "cursor",
            Self::HasMore { .. } => "has-more",
            Self::Offset { .. } => "offset",
            Self::Page { .. } => "page",
            Self::Link { .. } => "link",
        }
    }
}

/// How paging reads an item's id (`has_more` paging continues after the last one).
#[derive(Debug, Clone, PartialEq)]
pub enum ItemId {
    /// A string field of the item struct.
    Field(PathStep),
    /// The string property of this name in the item's JSON, for items that are unions
    /// whose every alternative has it.
    Property(String),
}

/// A parameter (or request body property) that paging sets.
#[derive(Debug, Clone, PartialEq)]
pub struct PagingParam {
    /// The Rust name of the parameter or body field.
    pub name: String,
    /// Its name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: CursorLocation,
    /// Its type (without the `Option`).
    pub ty: TypeRef,
    /// Whether it is required (a required query parameter is passed bare, not in `Some`).
    pub required: bool,
}

/// Where an operation's paging came from.
#[derive(Debug, Clone, PartialEq)]
pub enum PagingOrigin {
    /// Found in the spec by [`paging`]; the text says what matched.
    Detected(String),
    /// Stated by the operation's `x-pagination` extension (or an overlay adding it).
    Extension,
}

/// Where a paging parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorLocation {
    /// A query parameter.
    Query,
    /// A top-level property of the JSON request body.
    Body,
}

/// One step along a path of struct fields.
#[derive(Debug, Clone, PartialEq)]
pub struct PathStep {
    /// The Rust field name.
    pub field: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
    /// Whether it is an `Option` in an `Option` (optional and nullable: absent apart
    /// from `null`); `optional` is then true too.
    pub double_option: bool,
}
