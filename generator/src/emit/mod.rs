//! Emission: the IR becomes token streams, one per module of the generated crate.
//!
//! Nothing here reads the spec; everything comes from [`crate::ir`]. Emitted code names
//! outside items by their full path (`::serde::Serialize`, `crate::types::User`); the
//! prelude's `Option`, `String`, `Vec` and `Box` are written short unless the spec names a
//! type like one of them ([`crate::ir::Api::prelude_shadowed`]), so they cannot be shadowed.

mod blocking;
mod client;
pub mod docs;
mod errors;
pub mod manifest;
mod pagination;
mod responses;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, BodyMedia, ResponseBody, TypeRef};

/// The runtime module's root and its parts (name, doc, source), copied into every
/// generated crate.
pub const RUNTIME_ROOT: &str = include_str!("../../runtime/mod.rs");
const RUNTIME_PARTS: &[(&str, &str, &str)] = &[
    (
        "auth",
        "Credentials and secrets.",
        include_str!("../../runtime/auth.rs"),
    ),
    (
        "call",
        "The future an operation method returns.",
        include_str!("../../runtime/call.rs"),
    ),
    (
        "config",
        "Client settings and their defaults.",
        include_str!("../../runtime/config.rs"),
    ),
    (
        "encoding",
        "Serde helpers: base64 bytes.",
        include_str!("../../runtime/encoding.rs"),
    ),
    (
        "error",
        "The error type of every call.",
        include_str!("../../runtime/error.rs"),
    ),
    (
        "http",
        "Sending requests: retries, rate limiting, timeouts, tracing.",
        include_str!("../../runtime/http.rs"),
    ),
    (
        "limit",
        "The client-side rate limiter.",
        include_str!("../../runtime/limit.rs"),
    ),
    (
        "object",
        "How generated structs read and write JSON objects.",
        include_str!("../../runtime/object.rs"),
    ),
    (
        "pages",
        "Streams over cursor-paginated operations.",
        include_str!("../../runtime/pages.rs"),
    ),
    (
        "request",
        "Building requests: path segments, parameters, bodies.",
        include_str!("../../runtime/request.rs"),
    ),
    (
        "response",
        "Responses, typed headers, and decoding.",
        include_str!("../../runtime/response.rs"),
    ),
];

/// One module of the generated crate.
pub struct Module {
    /// Its name (and file stem).
    pub name: &'static str,
    /// Its doc text.
    pub doc: String,
    /// Its items, made on demand in groups that are formatted one at a time (on several
    /// threads), so a huge module never exists as one token stream or one `syn` tree.
    pub items: Items,
    /// Its submodules (written to `src/{name}/{child}.rs`).
    pub children: Vec<Module>,
    /// Source text used as it is (the runtime's parts, which are written by hand and need
    /// no formatting); `items` is then empty.
    pub verbatim: Option<&'static str>,
    /// The cargo feature it needs, if any. Such modules exist only in the crate form, not
    /// in the single file for `include!` (whose crate would not declare the feature).
    pub feature: Option<&'static str>,
}

/// Makes item `index` of a module.
pub type ItemFn = fn(&Api, usize) -> TokenStream;

/// A module's items: already made, or made on demand from the API.
#[derive(Clone)]
pub enum Items {
    /// Tokens made already.
    Ready(Vec<TokenStream>),
    /// `count` items, item `i` being `make(api, i)`.
    Lazy {
        /// How many.
        count: usize,
        /// The maker.
        make: ItemFn,
    },
}

impl Items {
    /// How many items there are.
    pub fn len(&self) -> usize {
        match self {
            Self::Ready(items) => items.len(),
            Self::Lazy { count, .. } => *count,
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `index`.
    pub fn get(&self, api: &Api, index: usize) -> TokenStream {
        match self {
            Self::Ready(items) => items.get(index).cloned().unwrap_or_default(),
            Self::Lazy { make, .. } => make(api, index),
        }
    }

    /// Every item, made now.
    pub fn all(&self, api: &Api) -> Vec<TokenStream> {
        (0..self.len()).map(|i| self.get(api, i)).collect()
    }
}

/// The generated crate before formatting.
pub struct Emitted {
    /// The crate-level doc text.
    pub crate_doc: String,
    /// The modules in order.
    pub modules: Vec<Module>,
    /// Items at the crate root after the module declarations (re-exports).
    pub root_items: TokenStream,
}

/// Emits the whole crate.
pub fn emit(api: &Api) -> Result<Emitted, syn::Error> {
    let mut modules = Vec::new();
    for name in MODULES {
        modules.push(module(api, name)?);
    }
    Ok(Emitted {
        crate_doc: docs::crate_doc(api),
        modules,
        root_items: root_items(),
    })
}

/// The generated crate's modules, in order.
pub const MODULES: &[&str] = &[
    "types",
    "errors",
    "responses",
    "client",
    "runtime",
    "blocking",
];

/// The cargo feature a module needs, if any (see [`Module::feature`]).
pub fn module_feature(name: &str) -> Option<&'static str> {
    (name == "blocking").then_some("blocking")
}

/// Re-exports at the crate root.
pub fn root_items() -> TokenStream {
    quote! {
        pub use client::Client;
        pub use runtime::{BuildError, ClientConfig, Credentials, Error, Response, RetryPolicy};
    }
}

/// Emits one module of [`MODULES`] (so a caller can format and drop it before the next).
pub fn module(api: &Api, name: &str) -> Result<Module, syn::Error> {
    let lazy = |count: usize, make: ItemFn| Items::Lazy { count, make };
    let (name, doc, items, children): (&'static str, &str, Items, Vec<Module>) = match name {
        "types" => ("types", "Types of the API's request and response bodies, one per schema.", lazy(types::count(api), types::item), Vec::new()),
        "errors" => ("errors", "One enum per operation listing the error statuses its spec declares.", lazy(errors::count(api), errors::item), Vec::new()),
        "responses" => (
            "responses",
            "Per-operation success shapes: enums for several success statuses, typed success headers.",
            lazy(responses::count(api), responses::item),
            Vec::new(),
        ),
        "client" => ("client", "The API client: one method per operation.", lazy(client::count(api), client::item), Vec::new()),
        "runtime" => {
            let mut parts = Vec::new();
            for (part, doc, source) in RUNTIME_PARTS {
                parts.push(Module {
                    name: part,
                    doc: (*doc).into(),
                    items: Items::Ready(Vec::new()),
                    children: Vec::new(),
                    verbatim: Some(source),
                    feature: None,
                });
            }
            (
                "runtime",
                "Spec-independent support code: credentials, configuration, sending with retries and rate limiting, responses, errors, pagination.",
                Items::Ready(vec![parse_items(RUNTIME_ROOT)?]),
                parts,
            )
        }
        _ => (
            "blocking",
            "A blocking client, for programs without an async runtime (cargo feature `blocking`).",
            lazy(blocking::count(api), blocking::item),
            Vec::new(),
        ),
    };
    Ok(Module {
        name,
        doc: doc.into(),
        items,
        children,
        verbatim: None,
        feature: module_feature(name),
    })
}

/// The items of a runtime source file, as tokens.
pub fn parse_items(source: &str) -> Result<TokenStream, syn::Error> {
    let file: syn::File = syn::parse_str(source)?;
    let items = &file.items;
    Ok(quote!(#(#items)*))
}

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
pub(crate) fn std_string(api: &Api) -> TokenStream {
    if api.prelude_shadowed {
        quote!(::std::string::String)
    } else {
        quote!(String)
    }
}

/// `Vec`, likewise.
pub(crate) fn std_vec(api: &Api) -> TokenStream {
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

/// The Rust type a response body decodes to.
pub(crate) fn response_body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body.media {
        BodyMedia::Json | BodyMedia::Form => type_tokens(api, &body.ty),
        BodyMedia::Text(_) => std_string(api),
        BodyMedia::Multipart | BodyMedia::Bytes(_) => {
            let vec = std_vec(api);
            quote!(#vec<u8>)
        }
    }
}

/// How a response body is decoded: `"json"`, `"text"` or `"bytes"` (the suffix of the
/// runtime's `ok_*` and `api_error_*` methods).
pub(crate) fn decoding(media: &BodyMedia) -> &'static str {
    match media {
        BodyMedia::Json => "json",
        BodyMedia::Text(_) => "text",
        BodyMedia::Form | BodyMedia::Multipart | BodyMedia::Bytes(_) => "bytes",
    }
}
