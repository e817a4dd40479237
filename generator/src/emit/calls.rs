//! Emits `calls.rs`: one request builder per operation, which `Client::{operation}`
//! returns. It holds the client, the required values, and an `Option` per optional
//! parameter (and an optional body), set by one `#[inline]` setter each. Awaiting it
//! (`IntoFuture`) or calling `send()` builds the request and gives the `runtime::Call`
//! future (its body is made by `client::send_body`, with the response decoding). The
//! builder of a paginated operation also has `stream()` and `all()` (made by `pagination`).
//! Builders are `Clone`, so one request can be sent again.
//!
//! Every operation gets a builder, even one without optional values, so adding an optional
//! parameter to the spec later adds a setter and breaks no caller.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::client::send_body;
use super::docs::doc_attrs;
use super::pagination;
use super::signature::{
    block_count, block_items, call_values, client_field, output_type, setter_name, success_type,
};
use super::tokens::ident;
use crate::ir::{Api, Operation};

/// How many items [`item`] makes: one per block of operations.
pub fn count(api: &Api) -> usize {
    block_count(api)
}

/// Item `k`: the builders of the `k`-th block of operations.
pub fn item(api: &Api, index: usize) -> TokenStream {
    let builders = block_items(api, index, builder);
    quote!(#(#builders)*)
}

/// The request builder of `op`, named `name`.
fn builder(api: &Api, op: &Operation, name: &Ident) -> TokenStream {
    let method = &op.method_name;
    let doc = doc_attrs(Some(&format!(
        "The call of [`Client::{method}`](crate::Client::{method}): `{} {}`.\n\n\
         Set optional values with its methods, then `.await` it (or [`send`](Self::send) it).",
        op.method.as_str(),
        op.path.raw,
    )));
    let values = call_values(api, op);
    let client = client_field(&values);
    let fields = values.iter().map(|v| {
        let (field, ty) = (&v.name, &v.ty);
        if v.optional {
            quote!(pub(crate) #field: ::std::option::Option<#ty>,)
        } else {
            quote!(pub(crate) #field: #ty,)
        }
    });
    let setters = values.iter().filter(|v| v.optional).map(|v| {
        let (field, ty) = (&v.name, &v.ty);
        let setter = setter_name(&values, v);
        let doc = doc_attrs(Some(&v.setter_doc()));
        quote! {
            #doc
            #[inline]
            pub fn #setter(mut self, #field: #ty) -> Self {
                self.#field = ::std::option::Option::Some(#field);
                self
            }
        }
    });
    let names = values.iter().map(|v| &v.name);
    let success = success_type(api, op);
    let error = ident(&op.error_type);
    let call = quote!(crate::runtime::Call<'a, #success, crate::errors::#error>);
    let output = output_type(api, op);
    let body = send_body(api, op, &client);
    let paging = pagination::builder_methods(api, op);
    quote! {
        #doc
        #[derive(Clone)]
        #[must_use = "a request builder sends nothing until it is awaited"]
        pub struct #name<'a> {
            pub(crate) #client: &'a crate::Client,
            #(#fields)*
        }

        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        impl<'a> #name<'a> {
            #(#setters)*

            /// Builds the request and returns the future that sends it (what `.await` does).
            #[inline]
            pub fn send(self) -> #call {
                let Self { #client, #(#names),* } = self;
                #body
            }

            #paging
        }

        impl<'a> ::std::future::IntoFuture for #name<'a> {
            type Output = #output;
            type IntoFuture = #call;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    }
}
