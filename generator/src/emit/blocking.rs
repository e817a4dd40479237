//! Emits `blocking.rs` (behind the generated crate's `blocking` feature): a client with the
//! same methods and errors as the async one, each running on a private single-thread
//! runtime until it completes, for programs without an async runtime.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::signature::{client_item_count, method_block, signature, Signature};
use super::tokens::{ident, type_tokens};
use crate::ir::{Api, Operation};

/// How many items [`item`] makes: the same as the async client's.
pub fn count(api: &Api) -> usize {
    client_item_count(api)
}

/// Item 0: the blocking `Client` and its constructors; item `k`: the `k`-th block of
/// methods (the same blocks as the async client's).
pub fn item(api: &Api, index: usize) -> TokenStream {
    if index > 0 {
        return method_block(api, index - 1, method);
    }
    // The runtime is read only by the operation methods.
    let unread = api
        .operations
        .is_empty()
        .then(|| quote!(#[allow(dead_code, reason = "this API has no operations")]));
    quote! {
        /// The blocking client: the same methods and errors as [`crate::Client`], each
        /// waiting for its result on a private single-thread runtime.
        ///
        /// Do not call it from inside an async runtime (that panics, as blocking inside
        /// async code would); use [`crate::Client`] there. Clones share the runtime, the
        /// connection pool and the rate limiter.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::Client,
            #unread
            runtime: ::std::sync::Arc<::tokio::runtime::Runtime>,
        }

        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        impl Client {
            /// Like [`crate::Client::new`].
            pub fn new(
                base_url: &str,
                credentials: crate::runtime::Credentials,
            ) -> ::std::result::Result<Self, crate::runtime::BuildError> {
                Self::with_config(base_url, credentials, crate::Client::default_config())
            }

            /// Like [`crate::Client::with_config`].
            pub fn with_config(
                base_url: &str,
                credentials: crate::runtime::Credentials,
                config: crate::runtime::ClientConfig,
            ) -> ::std::result::Result<Self, crate::runtime::BuildError> {
                let runtime = ::tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| crate::runtime::BuildError::new(::std::format!("cannot start the runtime: {e}")))?;
                let inner = crate::Client::with_config(base_url, credentials, config)?;
                Ok(Self { inner, runtime: ::std::sync::Arc::new(runtime) })
            }

            /// The async client underneath.
            pub fn inner(&self) -> &crate::Client {
                &self.inner
            }
        }
    }
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    // A pointer to the async method's documentation rather than a copy of it.
    let doc = doc_attrs(Some(&format!(
        "Blocking form of [`crate::Client::{m}`]: sends `{} {}`.",
        op.method.as_str(),
        op.path.raw,
        m = op.method_name
    )));
    let Signature {
        args,
        names,
        output,
    } = signature(api, op);
    let all = op.pagination.as_ref().map(|paging| {
        let all = ident(&paging.all_method);
        let item = type_tokens(api, &paging.item_type);
        let error = ident(&op.error_type);
        let driven = paging.driven_params();
        let keep: Vec<usize> = op
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| !driven.contains(&p.name.as_str()))
            .map(|(i, _)| i)
            .chain(op.body.as_ref().map(|_| op.params.len()))
            .collect();
        let all_args = keep.iter().map(|i| &args[*i]);
        let all_names = keep.iter().map(|i| &names[*i]);
        let doc = format!(
            " Like [`crate::Client::{}`]: every item across all pages.",
            paging.all_method
        );
        quote! {
            #[doc = #doc]
            pub fn #all(&self, #(#all_args),*) -> ::std::result::Result<
                ::std::vec::Vec<#item>,
                crate::runtime::Error<crate::errors::#error>,
            > {
                self.runtime.block_on(self.inner.#all(#(#all_names),*))
            }
        }
    });
    quote! {
        #doc
        pub fn #name(&self, #(#args),*) -> #output {
            self.runtime.block_on(self.inner.#name(#(#names),*))
        }

        #all
    }
}
