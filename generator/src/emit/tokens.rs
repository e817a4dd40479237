//! Token helpers the emitters share: identifiers, prelude types by a path that cannot be
//! shadowed, the Rust type of a type reference, argument and header types, and how a
//! response body is decoded.
//!
//! A leaf: it imports no other `emit` module, so the emitters depend on it and never on
//! each other for these.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, BodyMedia, BodyStream, HeaderType, ResponseBody, StatusMatch, TypeRef};

/// An identifier from an IR name (already valid, see [`crate::ir::names`]).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `Option`, by its full path when a generated type shadows the prelude's.
pub(crate) fn std_option(api: &Api) -> TokenStream {
    if api.prelude_shadowed {
        quote!(::std::option::Option)
    } else {
        quote!(Option)
    }
}

/// `String`, likewise.
fn std_string(api: &Api) -> TokenStream {
    if api.prelude_shadowed {
        quote!(::std::string::String)
    } else {
        quote!(String)
    }
}

/// `Vec`, likewise.
fn std_vec(api: &Api) -> TokenStream {
    if api.prelude_shadowed {
        quote!(::std::vec::Vec)
    } else {
        quote!(Vec)
    }
}

/// `Box`, likewise.
pub(crate) fn std_box(api: &Api) -> TokenStream {
    if api.prelude_shadowed {
        quote!(::std::boxed::Box)
    } else {
        quote!(Box)
    }
}

/// The Rust type for a type reference.
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => std_string(api),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U64 => quote!(u64),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::Bytes => quote!(crate::runtime::Base64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Array(item) => {
            let item = type_tokens(api, item);
            let vec = std_vec(api);
            quote!(#vec<#item>)
        }
        TypeRef::Set(item) => {
            let item = type_tokens(api, item);
            quote!(::std::collections::BTreeSet<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(api, value);
            let string = std_string(api);
            quote!(::std::collections::BTreeMap<#string, #value>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(api, inner);
            let option = std_option(api);
            quote!(#option<#inner>)
        }
        TypeRef::Named(id) => {
            let name = ident(&api.types[id.0].name);
            quote!(crate::types::#name)
        }
    }
}

/// Whether a value of this type is cheap to pass by value (`Copy` scalars).
pub(crate) fn is_copy_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// The argument type for a parameter or body: strings borrow as `&str`, `Copy` scalars go by
/// value, everything else by reference (with `lifetime`, which may be empty); optional ones
/// are wrapped in `Option`.
pub(crate) fn arg_type(
    api: &Api,
    ty: &TypeRef,
    required: bool,
    lifetime: &TokenStream,
) -> TokenStream {
    let inner = if *ty == TypeRef::String {
        quote!(&#lifetime str)
    } else if is_copy_scalar(ty) {
        type_tokens(api, ty)
    } else {
        let ty = type_tokens(api, ty);
        quote!(&#lifetime #ty)
    };
    if required {
        inner
    } else {
        let option = std_option(api);
        quote!(#option<#inner>)
    }
}

/// The Rust type of a response header field (inside its `Option`).
pub(crate) fn header_type(api: &Api, ty: &HeaderType) -> TokenStream {
    match ty {
        HeaderType::RetryAfter => quote!(::std::time::Duration),
        HeaderType::Scalar(ty) => type_tokens(api, ty),
    }
}

/// The Rust type a response body decodes to: a stream for streamed success bodies.
pub(crate) fn response_body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body.stream {
        Some(BodyStream::Bytes) => return quote!(crate::runtime::ByteStream),
        Some(BodyStream::JsonEvents) => {
            let data = type_tokens(api, &body.ty);
            return quote!(crate::runtime::EventStream<#data>);
        }
        Some(BodyStream::TextEvents) => {
            let string = std_string(api);
            return quote!(crate::runtime::EventStream<#string>);
        }
        None => {}
    }
    match body.media {
        BodyMedia::Json if body.nullable => {
            let (option, ty) = (std_option(api), type_tokens(api, &body.ty));
            quote!(#option<#ty>)
        }
        BodyMedia::Json => type_tokens(api, &body.ty),
        BodyMedia::Text(_) => std_string(api),
        // Form and multipart responses are kept as the bytes they are (see [`Decoding`]).
        BodyMedia::Form | BodyMedia::Multipart | BodyMedia::Bytes(_) => {
            let vec = std_vec(api);
            quote!(#vec<u8>)
        }
    }
}

/// How a response body is decoded, which picks the runtime's `ok_*` and `api_error_*`
/// method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decoding {
    /// As JSON into the body's type.
    Json,
    /// As text (invalid UTF-8 replaced).
    Text,
    /// Kept as raw bytes.
    Bytes,
    /// Left unread, as a `ByteStream` (success bodies only, like the two below).
    Stream,
    /// Left unread, as an `EventStream` of JSON data.
    Events,
    /// Left unread, as an `EventStream` of text.
    EventText,
}

impl Decoding {
    /// How a body is decoded: streamed when the IR says so, else by its media type.
    pub(crate) fn of(body: &ResponseBody) -> Self {
        match (body.stream, &body.media) {
            (Some(BodyStream::Bytes), _) => Self::Stream,
            (Some(BodyStream::JsonEvents), _) => Self::Events,
            (Some(BodyStream::TextEvents), _) => Self::EventText,
            (None, BodyMedia::Json) => Self::Json,
            (None, BodyMedia::Text(_)) => Self::Text,
            (None, BodyMedia::Form | BodyMedia::Multipart | BodyMedia::Bytes(_)) => Self::Bytes,
        }
    }

    /// Whether the body is left unread for the caller to stream.
    pub(crate) fn is_streamed(self) -> bool {
        matches!(self, Self::Stream | Self::Events | Self::EventText)
    }

    /// The runtime method `{prefix}_{json|text|bytes|stream|events|event_text}{suffix}`,
    /// as an identifier.
    pub(crate) fn method(self, prefix: &str, suffix: &str) -> Ident {
        let kind = match self {
            Self::Json => "json",
            Self::Text => "text",
            Self::Bytes => "bytes",
            Self::Stream => "stream",
            Self::Events => "events",
            Self::EventText => "event_text",
        };
        ident(&format!("{prefix}_{kind}{suffix}"))
    }
}

/// The text used for a status in docs: `404`, `4XX` or `default`.
pub(crate) fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(first) => format!("{first}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}
