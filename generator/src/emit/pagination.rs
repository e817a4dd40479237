//! Emits the paging methods of cursor-paginated operations (marked `x-pagination`):
//! `{method}_stream` yields every item across pages as a `Stream`, and `{method}_all`
//! collects them. Both call the operation's own method (and set the optional values on its
//! request builder), so retries and rate limiting apply to every page.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::signature::call_with_all;
use super::tokens::{arg_type, ident, type_tokens};
use crate::ir::{Api, BodyMedia, CursorLocation, Operation, PathStep};

/// The two paging methods for `op`, or nothing if it is not paginated.
pub fn methods(api: &Api, op: &Operation, builder: &Ident) -> TokenStream {
    let Some(paging) = &op.pagination else {
        return TokenStream::new();
    };
    let stream = ident(&paging.stream_method);
    let all = ident(&paging.all_method);
    let item = type_tokens(api, &paging.item_type);
    let error = ident(&op.error_type);

    // The paging methods take every argument but the cursor.
    let is_cursor =
        |name: &str| paging.cursor_in == CursorLocation::Query && name == paging.cursor_field;
    let params: Vec<_> = op.params.iter().filter(|p| !is_cursor(&p.name)).collect();
    // The stream borrows its arguments for `'a`; the collecting method needs no name for it.
    let declare = |lifetime: &TokenStream| -> (Vec<TokenStream>, Option<TokenStream>) {
        let params = params
            .iter()
            .map(|p| {
                let name = ident(&p.name);
                let ty = arg_type(api, &p.ty, p.required, lifetime);
                quote!(#name: #ty)
            })
            .collect();
        let body = op.body.as_ref().map(|b| {
            let name = ident(&b.name);
            let ty = arg_type(api, &b.ty, true, lifetime);
            quote!(#name: #ty,)
        });
        (params, body)
    };
    let (decls, body_decl) = declare(&quote!('a));
    let (all_decls, all_body_decl) = declare(&TokenStream::new());
    let names: Vec<_> = params.iter().map(|p| ident(&p.name)).collect();

    let mut call_args: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let name = ident(&p.name);
            if is_cursor(&p.name) {
                quote!(cursor.as_deref())
            } else {
                quote!(#name)
            }
        })
        .collect();
    let (body_setup, body_arg) = match (&op.body, paging.cursor_in) {
        (Some(body), CursorLocation::Body) => {
            let name = ident(&body.name);
            let field = ident(&paging.cursor_field);
            (
                quote! {
                    let mut #name = #name.clone();
                    #name.#field = cursor;
                },
                quote!(&#name),
            )
        }
        (Some(body), CursorLocation::Query) => {
            let name = ident(&body.name);
            (TokenStream::new(), quote!(#name))
        }
        (None, _) => (TokenStream::new(), TokenStream::new()),
    };
    if let Some(body) = &op.body {
        // The paging methods take the body as required; the call's field may be optional.
        let optional = !body.required && matches!(body.media, BodyMedia::Json | BodyMedia::Form);
        call_args.push(if optional {
            quote!(::std::option::Option::Some(#body_arg))
        } else {
            body_arg
        });
    }
    let call = call_with_all(api, op, builder, &quote!(self), &call_args);
    let body_forward = op.body.as_ref().map(|b| {
        let name = ident(&b.name);
        quote!(#name,)
    });
    let next_cursor = chain(&paging.next_cursor, true);
    let items = chain(&paging.items, false);
    let stream_doc = format!(
        " Every item of [`Client::{m}`] across all pages, fetched page by page as the stream is consumed.",
        m = op.method_name
    );
    let all_doc = format!(
        " Every item of [`Client::{m}`] across all pages, collected.",
        m = op.method_name
    );
    let result = pages_result(&item, &error);
    quote! {
        #[doc = #stream_doc]
        ///
        /// The cursor is sent for you and paging stops when a page has no next cursor.
        /// The stream ends after yielding the first error.
        pub fn #stream<'a>(&'a self, #(#decls,)* #body_decl) -> crate::runtime::Pages<'a, #item, crate::errors::#error> {
            crate::runtime::Pages::new(move |cursor: ::std::option::Option<::std::string::String>| {
                ::std::boxed::Box::pin(async move {
                    #body_setup
                    let page = #call.await?.into_body();
                    let next = #next_cursor;
                    let items = #items;
                    ::std::result::Result::Ok((items, next))
                })
            })
        }

        #[doc = #all_doc]
        pub async fn #all(&self, #(#all_decls,)* #all_body_decl) -> #result {
            self.#stream(#(#names,)* #body_forward).collect_all().await
        }
    }
}

fn pages_result(item: &TokenStream, error: &proc_macro2::Ident) -> TokenStream {
    quote!(::std::result::Result<::std::vec::Vec<#item>, crate::runtime::Error<crate::errors::#error>>)
}

/// Follows a field path from `page`: by reference and cloned at the end for the cursor,
/// by value (defaulting to empty) for the items.
fn chain(steps: &[PathStep], by_ref: bool) -> TokenStream {
    let mut expr = if by_ref {
        quote!(::std::option::Option::Some(&page))
    } else {
        quote!(::std::option::Option::Some(page))
    };
    for step in steps {
        let field = ident(&step.field);
        expr = match (step.optional, by_ref) {
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (false, true) => quote!(#expr.map(|v| &v.#field)),
            (true, false) => quote!(#expr.and_then(|v| v.#field)),
            (false, false) => quote!(#expr.map(|v| v.#field)),
        };
    }
    if by_ref {
        quote!(#expr.cloned())
    } else {
        quote!(#expr.unwrap_or_default())
    }
}
