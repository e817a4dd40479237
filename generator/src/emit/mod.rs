//! Emission: the IR becomes token streams, one per module of the generated crate.
//!
//! Nothing here reads the spec; everything comes from [`crate::ir`]. Emitted code names
//! every outside item by its full path (`::std::string::String`, `crate::types::User`) so
//! spec names like `String`, `Option` or `Result` cannot shadow anything.

mod client;
pub mod docs;
mod errors;
pub mod manifest;
mod pagination;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, TypeRef};

/// The runtime module's source, copied into every generated crate.
pub const RUNTIME_SOURCE: &str = include_str!("../../runtime/runtime.rs");

/// One module of the generated crate.
pub struct Module {
    /// Its name (and file stem).
    pub name: &'static str,
    /// Its doc text.
    pub doc: String,
    /// Its items.
    pub items: TokenStream,
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
    let runtime: syn::File = syn::parse_str(RUNTIME_SOURCE)?;
    let runtime_items = &runtime.items;
    let modules = vec![
        Module {
            name: "types",
            doc: "Types of the API's request and response bodies, one per schema.".into(),
            items: types::emit(api),
        },
        Module {
            name: "errors",
            doc: "One enum per operation listing the error statuses its spec declares.".into(),
            items: errors::emit(api),
        },
        Module {
            name: "client",
            doc: "The API client: one async method per operation.".into(),
            items: client::emit(api),
        },
        Module {
            name: "runtime",
            doc: "Spec-independent support code: credentials, requests, responses, errors.".into(),
            items: quote!(#(#runtime_items)*),
        },
    ];
    let root_items = quote! {
        pub use client::Client;
        pub use runtime::{BuildError, ClientConfig, Credentials, Error, Response};
    };
    Ok(Emitted {
        crate_doc: docs::crate_doc(api),
        modules,
        root_items,
    })
}

/// An identifier from an IR name (already valid, see [`crate::ir::names`]).
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a type reference.
pub(crate) fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Array(item) => {
            let item = type_tokens(api, item);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Set(item) => {
            let item = type_tokens(api, item);
            quote!(::std::collections::BTreeSet<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(api, value);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
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
