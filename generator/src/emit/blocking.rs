//! Emits `blocking.rs` (behind the generated crate's `blocking` feature): a client with the
//! same methods and errors as the async one, for programs without an async runtime. Each
//! method returns a blocking request builder (`blocking::calls`, also made here) with the
//! async builder's setters, whose `send` runs the call on a private single-thread runtime
//! until it completes. Streams that calls return (downloads, event streams) are read
//! through the client's `iter` (an iterator) or `block_on`, since their bodies arrive only
//! while its runtime runs. The builder of a paginated operation also has `all()`, and the
//! client `{method}_all(..)`, its short form.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::signature::{
    block_count, block_items, call_values, client_item_count, method_block, output_type,
    setter_name, CallValue,
};
use super::tokens::{ident, type_tokens};
use crate::ir::{Api, Operation, Pagination};

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

            /// Reads a stream that a method returned (a download's
            /// [`ByteStream`](crate::runtime::ByteStream), an
            /// [`EventStream`](crate::runtime::EventStream)) as an iterator: its body is
            /// read only while this client's runtime runs, so read it through here.
            pub fn iter<S>(&self, stream: S) -> StreamIter<S>
            where
                S: crate::runtime::Stream + ::std::marker::Unpin,
            {
                StreamIter { stream, runtime: ::std::sync::Arc::clone(&self.runtime) }
            }

            /// Runs a future on this client's runtime until it completes, for the
            /// streams' async helpers (`client.block_on(download.save_to_file(path))`).
            pub fn block_on<F: ::std::future::Future>(&self, future: F) -> F::Output {
                self.runtime.block_on(future)
            }
        }

        /// A stream read item by item on the blocking client's runtime
        /// ([`Client::iter`]).
        #[derive(Debug)]
        pub struct StreamIter<S> {
            stream: S,
            runtime: ::std::sync::Arc<::tokio::runtime::Runtime>,
        }

        impl<S> ::std::iter::Iterator for StreamIter<S>
        where
            S: crate::runtime::Stream + ::std::marker::Unpin,
        {
            type Item = S::Item;

            fn next(&mut self) -> ::std::option::Option<S::Item> {
                let stream = &mut self.stream;
                self.runtime.block_on(::std::future::poll_fn(|cx| {
                    crate::runtime::Stream::poll_next(::std::pin::Pin::new(&mut *stream), cx)
                }))
            }
        }
    }
}

/// The blocking method: the async method's builder, wrapped with the runtime.
fn method(api: &Api, op: &Operation, builder: &Ident) -> TokenStream {
    let name = ident(&op.method_name);
    // A pointer to the async method's documentation rather than a copy of it.
    let doc = doc_attrs(Some(&format!(
        "Blocking form of [`crate::Client::{m}`]: sends `{} {}` when the returned \
         [`calls::{builder}`] is sent.",
        op.method.as_str(),
        op.path.raw,
        m = op.method_name
    )));
    let values = call_values(api, op);
    let required: Vec<&CallValue> = values.iter().filter(|v| !v.optional).collect();
    let args = required.iter().map(|v| {
        let (name, ty) = (&v.name, &v.ty);
        quote!(#name: #ty)
    });
    let names = required.iter().map(|v| &v.name);
    let (generics, receiver, lifetime) = if required.iter().any(|v| v.borrows) {
        (quote!(<'a>), quote!(&'a self), quote!('a))
    } else {
        (TokenStream::new(), quote!(&self), quote!('_))
    };
    let all = op
        .pagination
        .as_ref()
        .map(|paging| all_method(api, op, paging, &required, &generics, &receiver));
    quote! {
        #doc
        #[inline]
        pub fn #name #generics(#receiver, #(#args),*) -> crate::blocking::calls::#builder<#lifetime> {
            crate::blocking::calls::#builder {
                inner: self.inner.#name(#(#names),*),
                runtime: &self.runtime,
            }
        }

        #all
    }
}

/// `{method}_all`: the short form of the blocking builder's `all()`, taking the method's
/// required arguments.
fn all_method(
    api: &Api,
    op: &Operation,
    paging: &Pagination,
    required: &[&CallValue],
    generics: &TokenStream,
    receiver: &TokenStream,
) -> TokenStream {
    let method = ident(&op.method_name);
    let all = ident(&paging.all_method);
    let result = all_result(api, op, paging);
    let args = required.iter().map(|v| {
        let (name, ty) = (&v.name, &v.ty);
        quote!(#name: #ty)
    });
    let names = required.iter().map(|v| &v.name);
    let doc = format!(
        " Like [`crate::Client::{}`]: every item across all pages, `self.{}(..).all()`.",
        paging.all_method, op.method_name
    );
    quote! {
        #[doc = #doc]
        #[inline]
        pub fn #all #generics(#receiver, #(#args),*) -> #result {
            self.#method(#(#names),*).all()
        }
    }
}

/// `Result<Vec<Item>, Error<E>>` of a paginated operation.
fn all_result(api: &Api, op: &Operation, paging: &Pagination) -> TokenStream {
    let item = type_tokens(api, &paging.item_type);
    let error = ident(&op.error_type);
    quote! {
        ::std::result::Result<
            ::std::vec::Vec<#item>,
            crate::runtime::Error<crate::errors::#error>,
        >
    }
}

/// How many items [`calls_item`] makes: one per block of operations.
pub fn calls_count(api: &Api) -> usize {
    block_count(api)
}

/// Item `k` of `blocking::calls`: the blocking builders of the `k`-th block of operations.
pub fn calls_item(api: &Api, index: usize) -> TokenStream {
    let builders = block_items(api, index, builder);
    quote!(#(#builders)*)
}

/// The blocking request builder of `op`: the async builder and the runtime to wait on,
/// with the same setters and a `send` that waits for the result.
fn builder(api: &Api, op: &Operation, name: &Ident) -> TokenStream {
    let doc = doc_attrs(Some(&format!(
        "The call of [`blocking::Client::{m}`](crate::blocking::Client::{m}): `{} {}`.\n\n\
         Set optional values with its methods, then [`send`](Self::send) it.",
        op.method.as_str(),
        op.path.raw,
        m = op.method_name,
    )));
    let values = call_values(api, op);
    let setters = values.iter().filter(|v| v.optional).map(|v| {
        let (value, ty) = (&v.name, &v.ty);
        let setter = setter_name(&values, v);
        let doc = doc_attrs(Some(&v.setter_doc()));
        quote! {
            #doc
            #[inline]
            pub fn #setter(self, #value: #ty) -> Self {
                Self { inner: self.inner.#setter(#value), runtime: self.runtime }
            }
        }
    });
    let output = output_type(api, op);
    let all = op.pagination.as_ref().map(|paging| {
        let result = all_result(api, op, paging);
        let doc = format!(
            " Every item across all pages, collected: waits for \
             [`crate::calls::{name}::all`] (a value set on the paging parameter is where \
             the first page starts)."
        );
        quote! {
            #[doc = #doc]
            pub fn all(self) -> #result {
                self.runtime.block_on(self.inner.all())
            }
        }
    });
    let generics = if values.iter().any(|v| v.optional && v.borrows) {
        quote!(impl<'a> #name<'a>)
    } else {
        quote!(impl #name<'_>)
    };
    quote! {
        #doc
        #[must_use = "a request builder sends nothing until it is sent"]
        pub struct #name<'a> {
            pub(crate) inner: crate::calls::#name<'a>,
            pub(crate) runtime: &'a ::tokio::runtime::Runtime,
        }

        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        #generics {
            #(#setters)*

            /// Sends the request and waits for its result.
            pub fn send(self) -> #output {
                self.runtime.block_on(self.inner.send())
            }

            #all
        }
    }
}
