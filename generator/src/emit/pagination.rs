//! Emits the paging methods of paginated operations (detected, or stated by
//! `x-pagination`): `{method}_stream` yields every item across pages as a `Stream`, and
//! `{method}_all` collects them. Both take the operation's arguments except the one paging
//! sets, and fetch each page by calling the operation's own method (so retries and rate
//! limiting apply to every page) with the paging parameter set from the page key, or with
//! the request sent to the next URL (`Link`). Reading the next key from the page is one
//! runtime function per pattern; the stream itself (laziness, repeated keys, the page
//! limit) is the runtime's `Pages`.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{arg_type, ident, type_tokens};
use crate::ir::{
    Api, CursorLocation, ItemId, Operation, Pagination, PagingParam, PagingPattern, PathStep,
};

/// The two paging methods for `op`, or nothing if it is not paginated.
pub fn methods(api: &Api, op: &Operation) -> TokenStream {
    let Some(paging) = &op.pagination else {
        return TokenStream::new();
    };
    let method = ident(&op.method_name);
    let stream = ident(&paging.stream_method);
    let all = ident(&paging.all_method);
    let item = type_tokens(api, &paging.item_type);
    let error = ident(&op.error_type);

    // The paging methods take every argument but the one paging sets.
    let driven = paging.driven_params();
    let params: Vec<_> = op
        .params
        .iter()
        .filter(|p| !driven.contains(&p.name.as_str()))
        .collect();
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
            let ty = arg_type(api, &b.ty, b.required, lifetime);
            quote!(#name: #ty,)
        });
        (params, body)
    };
    let (decls, body_decl) = declare(&quote!('a));
    let (all_decls, all_body_decl) = declare(&TokenStream::new());
    let names: Vec<_> = params.iter().map(|p| ident(&p.name)).collect();

    // The page key's local: the closure's argument, named apart from every parameter (the
    // arguments are all read before any other local is bound, so only it can clash).
    let mut key_name = "key".to_string();
    while op.params.iter().any(|p| p.name == key_name)
        || op.body.as_ref().is_some_and(|b| b.name == key_name)
    {
        key_name.push('_');
    }
    let key = ident(&key_name);
    let call_args = op.params.iter().map(|p| {
        let name = ident(&p.name);
        if driven.contains(&p.name.as_str()) {
            driven_arg(&paging.pattern, &key)
        } else {
            quote!(#name)
        }
    });
    let body_param = body_cursor(&paging.pattern);
    let (body_setup, body_arg) = match (&op.body, body_param) {
        (Some(body), Some(param)) => {
            let name = ident(&body.name);
            let field = ident(&param.name);
            (
                quote! {
                    let mut #name = #name.clone();
                    #name.#field = #key
                        .as_ref()
                        .and_then(crate::runtime::PageKey::cursor)
                        .map(::std::string::ToString::to_string);
                },
                quote!(&#name),
            )
        }
        (Some(body), None) => {
            let name = ident(&body.name);
            (TokenStream::new(), quote!(#name))
        }
        (None, _) => (TokenStream::new(), TokenStream::new()),
    };
    let body_forward = op.body.as_ref().map(|b| {
        let name = ident(&b.name);
        quote!(#name,)
    });
    let fetch = fetch_page(paging, &method, call_args.collect(), &body_arg, &key);
    let stream_doc = format!(
        " Every item of [`Client::{m}`] across all pages, fetched page by page as the stream is consumed.",
        m = op.method_name
    );
    let how_doc = format!(" {}", how(&paging.pattern));
    let all_doc = format!(
        " Every item of [`Client::{m}`] across all pages, collected.",
        m = op.method_name
    );
    let result = pages_result(&item, &error);
    quote! {
        #[doc = #stream_doc]
        ///
        #[doc = #how_doc]
        /// A server that repeats a cursor or next URL, or sends more pages than
        /// `ClientConfig::max_pages`, ends the stream with `Error::Paging`.
        /// The stream ends after yielding the first error.
        pub fn #stream<'a>(&'a self, #(#decls,)* #body_decl) -> crate::runtime::Pages<'a, #item, crate::errors::#error> {
            crate::runtime::Pages::new(self.core.max_pages(), move |#key: ::std::option::Option<crate::runtime::PageKey>| {
                ::std::boxed::Box::pin(async move {
                    #body_setup
                    #fetch
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

/// What the stream's documentation says about how it pages.
fn how(pattern: &PagingPattern) -> &'static str {
    match pattern {
        PagingPattern::Cursor { .. } => {
            "The cursor is sent for you and paging stops when a page has no next cursor."
        }
        PagingPattern::HasMore { .. } => {
            "Each page after the first starts after the previous page's last item; paging stops when a page says it has no more."
        }
        PagingPattern::Offset { .. } => {
            "The offset advances by the items received; paging stops on an empty or short page, or at the total."
        }
        PagingPattern::Page { .. } => {
            "The page number advances by one; paging stops on an empty or short page."
        }
        PagingPattern::Link { .. } => {
            "Each page after the first is the `Link` header's `rel=\"next\"` URL, followed only on the client's base URL; paging stops when there is none."
        }
    }
}

/// The request body property paging sets, if it is one.
fn body_cursor(pattern: &PagingPattern) -> Option<&PagingParam> {
    match pattern {
        PagingPattern::Cursor { param, .. } if param.location == CursorLocation::Body => {
            Some(param)
        }
        _ => None,
    }
}

/// The argument for the query parameter paging sets, from the page key (`key`).
fn driven_arg(pattern: &PagingPattern, key: &proc_macro2::Ident) -> TokenStream {
    match pattern {
        PagingPattern::Cursor { .. } | PagingPattern::HasMore { .. } => {
            quote!(#key.as_ref().and_then(crate::runtime::PageKey::cursor))
        }
        PagingPattern::Offset { .. } | PagingPattern::Page { .. } => quote! {
            #key.as_ref()
                .and_then(crate::runtime::PageKey::number)
                .and_then(|number| ::std::convert::TryFrom::try_from(number).ok())
        },
        // The next URLs carry the page number; the first page is the server's default.
        PagingPattern::Link { .. } => quote!(::std::option::Option::None),
    }
}

/// Sends the page's request and binds `items` and `next` (the next page's key). The call
/// and the page size are read from the arguments first, together, so that no local
/// bound here can hide a parameter of the same name.
fn fetch_page(
    paging: &Pagination,
    method: &proc_macro2::Ident,
    call_args: Vec<TokenStream>,
    body_arg: &TokenStream,
    key: &proc_macro2::Ident,
) -> TokenStream {
    let items = chain(&paging.items, false);
    let call = quote!(self.#method(#(#call_args,)* #body_arg));
    let call = match &paging.pattern {
        PagingPattern::Offset { limit: size, .. } | PagingPattern::Page { per_page: size, .. } => {
            let size = page_size(size.as_ref());
            quote!(let (call, page_size) = (#call, #size);)
        }
        _ => quote!(let call = #call;),
    };
    let decode = quote! {
        let page = call.await?.into_body();
        let items = #items;
    };
    match &paging.pattern {
        PagingPattern::Link { .. } => quote! {
            #call
            let call = match #key.as_ref().and_then(crate::runtime::PageKey::url) {
                ::std::option::Option::Some(url) => call.at_url(url),
                ::std::option::Option::None => call,
            };
            let response = call.await?;
            let next = crate::runtime::next_link(self.core.base_url(), response.headers());
            let page = response.into_body();
            let items = #items;
        },
        PagingPattern::Cursor { next_cursor, .. } => {
            let next_cursor = chain(next_cursor, true);
            quote! {
                #call
                let page = call.await?.into_body();
                let next = ::std::result::Result::Ok(crate::runtime::next_cursor(#next_cursor));
                let items = #items;
            }
        }
        PagingPattern::HasMore {
            has_more, item_id, ..
        } => {
            let has_more = chain(has_more, true);
            let id = match item_id {
                ItemId::Field(step) => {
                    let field = ident(&step.field);
                    if step.double_option {
                        quote!(item.#field.clone().flatten())
                    } else if step.optional {
                        quote!(item.#field.clone())
                    } else {
                        quote!(::std::option::Option::Some(item.#field.clone()))
                    }
                }
                ItemId::Property(name) => quote!(crate::runtime::json_property(item, #name)),
            };
            quote! {
                #call
                let page = call.await?.into_body();
                let has_more = #has_more.unwrap_or(false);
                let items = #items;
                let next = crate::runtime::next_after_last(has_more, items.last().map(|item| #id));
            }
        }
        PagingPattern::Offset { total, .. } => {
            let total = match total {
                Some(total) => {
                    let total = chain(total, true);
                    quote!(#total.and_then(|total| u64::try_from(total).ok()))
                }
                None => quote!(::std::option::Option::None),
            };
            quote! {
                #call
                let page = call.await?.into_body();
                let total = #total;
                let items = #items;
                let next = ::std::result::Result::Ok(
                    crate::runtime::next_offset(#key.as_ref(), items.len(), page_size, total),
                );
            }
        }
        PagingPattern::Page { .. } => {
            quote! {
                #call
                #decode
                let next = ::std::result::Result::Ok(
                    crate::runtime::next_page_number(#key.as_ref(), 1, items.len(), page_size),
                );
            }
        }
    }
}

/// The page size the caller asked for, as an `Option<u64>` (none when not set).
fn page_size(param: Option<&PagingParam>) -> TokenStream {
    match param {
        Some(param) if param.location == CursorLocation::Query => {
            let name = ident(&param.name);
            if param.required {
                quote!(u64::try_from(#name).ok())
            } else {
                quote!(#name.and_then(|size| u64::try_from(size).ok()))
            }
        }
        _ => quote!(::std::option::Option::None),
    }
}

fn pages_result(item: &TokenStream, error: &proc_macro2::Ident) -> TokenStream {
    quote!(::std::result::Result<::std::vec::Vec<#item>, crate::runtime::Error<crate::errors::#error>>)
}

/// Follows a field path from `page`: by reference and cloned at the end (for the cursor,
/// `has_more` and the total), by value (defaulting to empty) for the items.
fn chain(steps: &[PathStep], by_ref: bool) -> TokenStream {
    if steps.is_empty() && !by_ref {
        return quote!(page);
    }
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
        // Absent and `null` both mean none here.
        if step.double_option {
            expr = if by_ref {
                quote!(#expr.and_then(|v| v.as_ref()))
            } else {
                quote!(#expr.flatten())
            };
        }
    }
    if by_ref {
        quote!(#expr.cloned())
    } else {
        quote!(#expr.unwrap_or_default())
    }
}
