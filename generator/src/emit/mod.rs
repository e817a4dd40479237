//! Emission: the IR becomes token streams, one module of the generated crate at a time.
//!
//! Nothing here reads the spec; everything comes from [`crate::ir`]. [`module`] describes
//! one [`ModuleKind`] of the generated crate: its doc and its items, made on demand (see
//! [`Items`]), or, for the runtime, the hand-written source copied as it is. Emitted code
//! names outside items by their full path (`::serde::Serialize`, `crate::types::User`); the
//! prelude's `Option`, `String`, `Vec` and `Box` are written short unless the spec names a
//! type like one of them ([`crate::ir::Api::prelude_shadowed`]), so they cannot be shadowed.
//!
//! The emitters (`types`, `errors`, `responses`, `client` with `pagination`, `calls`,
//! `blocking`, and `smoke`, the opt-in smoke-test module) share their token helpers through the leaf module `tokens` and the calls'
//! shape (arguments, setters, builder names) through `signature`, and never import each
//! other otherwise (`client` calls `pagination`, and `calls` takes the body of a builder's
//! `send` from `client`, which keeps request building and response decoding together). `prose` makes the spec's texts fit for rustdoc, `docs` turns texts
//! into doc attributes, and `manifest` writes the `Cargo.toml`s.

mod blocking;
mod calls;
mod client;
pub mod docs;
mod errors;
pub mod manifest;
mod pagination;
mod prose;
mod responses;
mod signature;
pub mod smoke;
mod tokens;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
// `types` names these through `emit`.
pub(crate) use tokens::{ident, std_box, std_option, type_tokens};

/// The runtime module's root, copied into every generated crate.
const RUNTIME_ROOT: &str = include_str!("../../runtime/mod.rs");

/// One part (submodule) of the runtime.
struct RuntimePart {
    name: &'static str,
    doc: &'static str,
    source: &'static str,
    /// Whether it holds only plumbing for generated code (its docs are hidden).
    plumbing: bool,
}

/// The runtime's parts, copied into every generated crate.
const RUNTIME_PARTS: &[RuntimePart] = &[
    RuntimePart {
        name: "auth",
        doc: "Credentials and secrets.",
        source: include_str!("../../runtime/auth.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "call",
        doc: "The future an operation method returns.",
        source: include_str!("../../runtime/call.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "config",
        doc: "Client settings and their defaults.",
        source: include_str!("../../runtime/config.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "encoding",
        doc: "Serde helpers: base64 bytes.",
        source: include_str!("../../runtime/encoding.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "error",
        doc: "The error type of every call.",
        source: include_str!("../../runtime/error.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "http",
        doc: "Sending requests: retries, rate limiting, timeouts, tracing.",
        source: include_str!("../../runtime/http.rs"),
        plumbing: true,
    },
    RuntimePart {
        name: "leaves",
        doc: "The decoding policy's leaf types: date-times, dates, numbers and booleans as real servers send them.",
        source: include_str!("../../runtime/leaves.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "lenient",
        doc: "The decoding policy: what is tolerated from real servers, and strict decoding.",
        source: include_str!("../../runtime/lenient.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "limit",
        doc: "The client-side rate limiter.",
        source: include_str!("../../runtime/limit.rs"),
        plumbing: true,
    },
    RuntimePart {
        name: "multipart",
        doc: "`multipart/form-data` bodies with file parts: bytes, a file, or a stream.",
        source: include_str!("../../runtime/multipart.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "object",
        doc: "How generated structs read and write JSON objects.",
        source: include_str!("../../runtime/object.rs"),
        plumbing: true,
    },
    RuntimePart {
        name: "pages",
        doc: "Streams over cursor-paginated operations.",
        source: include_str!("../../runtime/pages.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "request",
        doc: "Building requests: path segments, parameters, bodies.",
        source: include_str!("../../runtime/request.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "response",
        doc: "Responses, typed headers, and decoding.",
        source: include_str!("../../runtime/response.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "sse",
        doc: "Server-sent events: `text/event-stream` responses as streams of typed events.",
        source: include_str!("../../runtime/sse.rs"),
        plumbing: false,
    },
    RuntimePart {
        name: "stream",
        doc: "Response bodies read as they arrive, and how such streams fail.",
        source: include_str!("../../runtime/stream.rs"),
        plumbing: false,
    },
];

/// One module of the generated crate.
pub struct Module {
    /// Its name (and file stem).
    pub name: &'static str,
    /// Its doc text.
    pub doc: &'static str,
    /// Its items.
    pub items: Items,
    /// Its submodules (written to `src/{name}/{child}.rs`).
    pub children: Vec<Module>,
    /// Whether its docs are hidden (`#[doc(hidden)]`): the runtime parts that hold only
    /// plumbing for generated code.
    pub hidden: bool,
}

/// Makes item `index` of a module.
pub type ItemFn = fn(&Api, usize) -> TokenStream;

/// A module's items.
#[derive(Clone, Copy)]
pub enum Items {
    /// `count` items, item `i` being `make(api, i)`: made on demand in groups that are
    /// formatted one at a time (on several threads), so a huge module never exists as one
    /// token stream or one `syn` tree.
    Made {
        /// How many.
        count: usize,
        /// The maker.
        make: ItemFn,
    },
    /// Source text used as it is (the runtime, which is written by hand and needs no
    /// formatting).
    Verbatim(&'static str),
}

/// The modules of a generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleKind {
    /// `types`: one type per schema.
    Types,
    /// `errors`: one error enum per operation.
    Errors,
    /// `responses`: success enums and success-header structs.
    Responses,
    /// `client`: the `Client` and one method per operation.
    Client,
    /// `calls`: one request builder per operation (what its method returns).
    Calls,
    /// `runtime`: the spec-independent support code, copied as it is.
    Runtime,
    /// `blocking`: the blocking client, behind the `blocking` feature.
    Blocking,
}

impl ModuleKind {
    /// Every module, in the order the generated crate declares them.
    pub const ALL: [ModuleKind; 7] = [
        Self::Types,
        Self::Errors,
        Self::Responses,
        Self::Client,
        Self::Calls,
        Self::Runtime,
        Self::Blocking,
    ];

    /// The module's name (and file stem).
    pub fn name(self) -> &'static str {
        match self {
            Self::Types => "types",
            Self::Errors => "errors",
            Self::Responses => "responses",
            Self::Client => "client",
            Self::Calls => "calls",
            Self::Runtime => "runtime",
            Self::Blocking => "blocking",
        }
    }

    /// The cargo feature the module needs, if any. Such modules exist only in the crate
    /// form, not in the single file for `include!` (whose crate would not declare the
    /// feature).
    pub fn feature(self) -> Option<&'static str> {
        match self {
            Self::Blocking => Some("blocking"),
            Self::Types
            | Self::Errors
            | Self::Responses
            | Self::Client
            | Self::Calls
            | Self::Runtime => None,
        }
    }

    /// The module's doc text.
    fn doc(self) -> &'static str {
        match self {
            Self::Types => "Types of the API's request and response bodies, one per schema.",
            Self::Errors => "One enum per operation listing the error statuses its spec declares.",
            Self::Responses => "Per-operation success shapes: enums for several success statuses, typed success headers.",
            Self::Client => "The API client: one method per operation.",
            Self::Calls => "One request builder per operation: what its `Client` method returns. Set optional values with its methods, then `.await` it.",
            Self::Runtime => "Spec-independent support code: credentials, configuration, sending with retries and rate limiting, responses, errors, pagination.",
            Self::Blocking => "A blocking client, for programs without an async runtime (cargo feature `blocking`).",
        }
    }
}

/// The lints the generated code allows, as the inner attribute of the crate form's roots
/// (`#![allow(...)]`), or with `inner` false as the outer attribute of each module of the
/// single file. Its docs are the spec's Markdown as written: list items continued without
/// indentation, tabs, quotes continued without `>`, which rustdoc renders as the spec's
/// authors meant (clippy's doc lints ask for the text to be rewritten). Its enums hold the
/// spec's shapes by value, as a union's members or an operation's responses are, however
/// different their sizes (boxing the large ones would change every match on them).
pub fn allowed_lints(inner: bool) -> TokenStream {
    let lints = quote! {
        clippy::doc_lazy_continuation,
        clippy::doc_overindented_list_items,
        clippy::tabs_in_doc_comments,
        clippy::large_enum_variant
    };
    if inner {
        quote!(#![allow(#lints)])
    } else {
        quote!(#[allow(#lints)])
    }
}

/// Re-exports at the crate root.
pub fn root_items() -> TokenStream {
    quote! {
        pub use client::Client;
        pub use runtime::{BuildError, ClientConfig, Credentials, Error, Response, RetryPolicy};
    }
}

/// Describes one module (so a caller can make, format and drop its items before the next).
pub fn module(api: &Api, kind: ModuleKind) -> Module {
    let made = |count: usize, make: ItemFn| Items::Made { count, make };
    let (items, children) = match kind {
        ModuleKind::Types => (made(types::count(api), types::item), Vec::new()),
        ModuleKind::Errors => (made(errors::count(api), errors::item), Vec::new()),
        ModuleKind::Responses => (made(responses::count(api), responses::item), Vec::new()),
        ModuleKind::Client => (made(client::count(api), client::item), Vec::new()),
        ModuleKind::Calls => (made(calls::count(api), calls::item), Vec::new()),
        ModuleKind::Blocking => {
            let calls = Module {
                name: "calls",
                doc: "One blocking request builder per operation: what its `blocking::Client` method returns. Set optional values with its methods, then `send()` it.",
                items: made(blocking::calls_count(api), blocking::calls_item),
                children: Vec::new(),
                hidden: false,
            };
            (made(blocking::count(api), blocking::item), vec![calls])
        }
        ModuleKind::Runtime => {
            let parts = RUNTIME_PARTS
                .iter()
                .map(|part| Module {
                    name: part.name,
                    doc: part.doc,
                    items: Items::Verbatim(part.source),
                    children: Vec::new(),
                    hidden: part.plumbing,
                })
                .collect();
            (Items::Verbatim(RUNTIME_ROOT), parts)
        }
    };
    Module {
        name: kind.name(),
        doc: kind.doc(),
        items,
        children,
        hidden: false,
    }
}

/// The items of a runtime source file, as tokens.
pub fn parse_items(source: &str) -> Result<TokenStream, syn::Error> {
    let file: syn::File = syn::parse_str(source)?;
    let items = &file.items;
    Ok(quote!(#(#items)*))
}
