//! What the async and the blocking client share about operation methods: their signature
//! (arguments and result type) and how they are grouped into `impl Client` blocks.
//!
//! It imports only `tokens`, so `client` and `blocking` both depend on it and not
//! on each other.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{arg_type, ident, response_body_type};
use crate::ir::{Api, BodyMedia, Operation};

/// Operation methods per `impl Client` block: several blocks keep each formatting step small.
const METHODS_PER_IMPL: usize = 32;

/// How many items a client module has: the struct, then one `impl` block per
/// [`METHODS_PER_IMPL`] operations.
pub(super) fn client_item_count(api: &Api) -> usize {
    1 + api.operations.len().div_ceil(METHODS_PER_IMPL)
}

/// `impl Client` with the methods (made by `method`) of block `block` of operations.
pub(super) fn method_block(
    api: &Api,
    block: usize,
    method: fn(&Api, &Operation) -> TokenStream,
) -> TokenStream {
    let start = block * METHODS_PER_IMPL;
    let end = (start + METHODS_PER_IMPL).min(api.operations.len());
    let methods = api.operations[start..end].iter().map(|op| method(api, op));
    quote! {
        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        impl Client {
            #(#methods)*
        }
    }
}

/// The pieces of an operation method's signature.
pub(super) struct Signature {
    /// `name: Type` for each argument, body last.
    pub args: Vec<TokenStream>,
    /// The argument names, in the same order.
    pub names: Vec<Ident>,
    /// `Result<Response<T>, Error<E>>`.
    pub output: TokenStream,
}

/// The signature of `op`'s method.
pub(super) fn signature(api: &Api, op: &Operation) -> Signature {
    let mut args = Vec::new();
    let mut names = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let ty = arg_type(api, &p.ty, p.required, &TokenStream::new());
        args.push(quote!(#name: #ty));
        names.push(name);
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        let ty = match body.media {
            BodyMedia::Json | BodyMedia::Form => {
                arg_type(api, &body.ty, body.required, &TokenStream::new())
            }
            BodyMedia::Multipart => quote!(&crate::runtime::Multipart),
            BodyMedia::Text(_) => quote!(&str),
            BodyMedia::Bytes(_) => quote!(::std::vec::Vec<u8>),
        };
        args.push(quote!(#name: #ty));
        names.push(name);
    }
    let success = success_type(api, op);
    let error = ident(&op.error_type);
    let output = quote! {
        ::std::result::Result<
            crate::runtime::Response<#success>,
            crate::runtime::Error<crate::errors::#error>,
        >
    };
    Signature {
        args,
        names,
        output,
    }
}

/// The type of a successful response's body: the operation's success enum, the one
/// success body's type, or `()`.
pub(super) fn success_type(api: &Api, op: &Operation) -> TokenStream {
    if let Some(name) = &op.success.enum_name {
        let name = ident(name);
        return quote!(crate::responses::#name);
    }
    match &op.success.body {
        None => quote!(()),
        Some(body) => response_body_type(api, body),
    }
}
