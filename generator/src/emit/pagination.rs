//! Emits the paging of paginated operations (detected, or stated by `x-pagination`): on
//! the operation's request builder, `stream()` yields every item across pages as a
//! `Stream` and `all()` collects them; on the client, `{method}_stream(..)` and
//! `{method}_all(..)` are their short forms (`self.{method}(..).stream()`), taking the
//! method's required arguments.
//!
//! Every page is the builder's own request (with the optional values the caller set),
//! sent again with the paging parameter set from the page key, or sent to the next URL
//! (`Link`), so retries and rate limiting apply to every page. A value the caller set on
//! the paging parameter is where the first page starts. Reading the next key from the page
//! is one runtime function per pattern; the stream itself (laziness, repeated keys, the
//! page limit) is the runtime's `Pages`. The generated code for a page is two plain
//! closures, one that makes the page's call and one that reads the page from its response
//! (`Pages::of_calls` awaits the call between them), and `all()` returns the runtime's
//! future: no paginated operation carries an async state machine of its own, which
//! rustc would type-check and borrow-check once per operation. A body union of arrays
//! becomes the item union (see [`crate::ir::paging`]) by a `match` over the body's
//! variants.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::signature::{call_values, client_field, CallValue};
use super::tokens::{ident, type_tokens};
use crate::ir::{
    Api, CursorLocation, ItemId, Operation, Pagination, PagingParam, PagingPattern, PathStep,
    TypeRef,
};

/// The client's short forms `{method}_stream` and `{method}_all` for `op`, or nothing if
/// it is not paginated.
pub fn methods(api: &Api, op: &Operation, builder: &Ident) -> TokenStream {
    let Some(paging) = &op.pagination else {
        return TokenStream::new();
    };
    let method = ident(&op.method_name);
    let stream = ident(&paging.stream_method);
    let all = ident(&paging.all_method);
    let item = type_tokens(api, &paging.item_type);
    let error = ident(&op.error_type);
    let values = call_values(api, op);
    let required: Vec<&CallValue> = values.iter().filter(|v| !v.optional).collect();
    let args: Vec<TokenStream> = required
        .iter()
        .map(|v| {
            let (name, ty) = (&v.name, &v.ty);
            quote!(#name: #ty)
        })
        .collect();
    let names: Vec<&Ident> = required.iter().map(|v| &v.name).collect();
    // `'a` only where an argument borrows too; the stream borrows the client either way.
    let (generics, receiver, lifetime) = if required.iter().any(|v| v.borrows) {
        (quote!(<'a>), quote!(&'a self), quote!('a))
    } else {
        (TokenStream::new(), quote!(&self), quote!('_))
    };
    let stream_doc = format!(
        " Every item of [`Client::{m}`] across all pages, as a stream: \
         `self.{m}(..).stream()` (see [`calls::{builder}::stream`](crate::calls::{builder}::stream)).\n\n\
         For optional values, set them on the builder and call `stream()` on it.",
        m = op.method_name
    );
    let all_doc = format!(
        " Every item of [`Client::{m}`] across all pages, collected: \
         `self.{m}(..).all().await` (see [`calls::{builder}::all`](crate::calls::{builder}::all)).",
        m = op.method_name
    );
    let result = pages_result(&item, &error);
    quote! {
        #[doc = #stream_doc]
        #[inline]
        pub fn #stream #generics(#receiver, #(#args),*) -> crate::runtime::Pages<#lifetime, #item, crate::errors::#error> {
            self.#method(#(#names),*).stream()
        }

        #[doc = #all_doc]
        #[inline]
        pub fn #all #generics(#receiver, #(#args),*) -> impl ::std::future::Future<Output = #result> + #lifetime {
            self.#method(#(#names),*).all()
        }
    }
}

/// The request builder's `stream()` and `all()` for `op`, or nothing if it is not
/// paginated (they go in the builder's `impl<'a>` block).
pub fn builder_methods(api: &Api, op: &Operation) -> TokenStream {
    let Some(paging) = &op.pagination else {
        return TokenStream::new();
    };
    let item = type_tokens(api, &paging.item_type);
    let error = ident(&op.error_type);
    let values = call_values(api, op);
    let client = client_field(&values);
    let body = op.body.as_ref().map(|b| b.name.as_str());
    let start =
        first_key(paging, &values, body).map(|start| quote!(let key = key.or_else(|| #start);));
    let drive = drive(paging, &values, body);
    let (send, context) = page_call(paging, &values, &client);
    let read = read_page(api, op, paging);
    // Plain functions: the runtime's `of_calls` sends each page's call and awaits it.
    let pages = quote! {
        crate::runtime::Pages::of_calls(
            template.#client.core.max_pages(),
            move |key: ::std::option::Option<crate::runtime::PageKey>| {
                let call = ::std::clone::Clone::clone(&template);
                #start
                #drive
                #send
                (sent, #context)
            },
            |response, #context| #read,
        )
    };
    let how_doc = format!(" {}", how(&paging.pattern));
    let result = pages_result(&item, &error);
    quote! {
        /// Every item across all pages, fetched page by page as the stream is consumed.
        /// Each page is this request, with the values set on it, and the paging
        /// parameter (or the URL) set for that page; a value set on the paging parameter
        /// is where the first page starts.
        ///
        #[doc = #how_doc]
        /// A server that repeats a cursor or next URL, or sends more pages than
        /// `ClientConfig::max_pages`, ends the stream with `Error::Paging`.
        /// The stream ends after yielding the first error.
        #[inline]
        pub fn stream(self) -> crate::runtime::Pages<'a, #item, crate::errors::#error> {
            let template = self;
            #pages
        }

        /// Every item across all pages, collected (see [`stream`](Self::stream)).
        #[inline]
        pub fn all(self) -> impl ::std::future::Future<Output = #result> + 'a {
            self.stream().collect_all()
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

/// The parameter (or body property) paging sets, if the pattern has one it sends.
fn driven_param(pattern: &PagingPattern) -> Option<&PagingParam> {
    match pattern {
        PagingPattern::Cursor { param, .. } | PagingPattern::HasMore { param, .. } => Some(param),
        PagingPattern::Offset { offset, .. } => Some(offset),
        PagingPattern::Page { page, .. } => Some(page),
        // The next URLs carry the page number; the first page is the caller's or the
        // server's default.
        PagingPattern::Link { .. } => None,
    }
}

/// Whether the pattern's key is a number (an offset or page) rather than a cursor.
fn numbered(pattern: &PagingPattern) -> bool {
    matches!(
        pattern,
        PagingPattern::Offset { .. } | PagingPattern::Page { .. }
    )
}

/// The builder's value named `name`.
fn value<'v>(values: &'v [CallValue], name: &str) -> Option<&'v CallValue> {
    values.iter().find(|v| v.name == name)
}

/// The call's body value, when the paging parameter is a property of the body.
fn body_value<'v>(values: &'v [CallValue], op_body: Option<&str>) -> Option<&'v CallValue> {
    op_body.and_then(|name| value(values, name))
}

/// The first page's key (an `Option<PageKey>` read from `call`): the value the caller set
/// on the paging parameter, none when unset (or, for a cursor, empty). Nothing when the
/// pattern sends no paging parameter.
fn first_key(paging: &Pagination, values: &[CallValue], body: Option<&str>) -> Option<TokenStream> {
    let param = driven_param(&paging.pattern)?;
    let name = ident(&param.name);
    if param.location == CursorLocation::Body {
        let body = &body_value(values, body)?.name;
        let read = if body_is_optional(values, body) {
            quote!(call.#body.and_then(|body| body.#name.clone()))
        } else {
            quote!(call.#body.#name.clone())
        };
        return Some(
            quote!(#read.filter(|cursor| !cursor.is_empty()).map(crate::runtime::PageKey::Cursor)),
        );
    }
    let value = value(values, &param.name)?;
    let read = if value.optional {
        quote!(call.#name)
    } else {
        quote!(::std::option::Option::Some(call.#name))
    };
    Some(if numbered(&paging.pattern) {
        quote! {
            #read
                .and_then(|number| u64::try_from(number).ok())
                .map(crate::runtime::PageKey::Number)
        }
    } else {
        quote! {
            #read
                .filter(|cursor| !cursor.is_empty())
                .map(|cursor| crate::runtime::PageKey::Cursor(cursor.to_string()))
        }
    })
}

fn body_is_optional(values: &[CallValue], body: &Ident) -> bool {
    values.iter().any(|v| v.name == *body && v.optional)
}

/// Sets the paging parameter of `call` (made mutable here) from `key`, when there is one;
/// nothing for `Link`, whose later pages go to the next URL.
fn drive(paging: &Pagination, values: &[CallValue], body: Option<&str>) -> TokenStream {
    let Some(param) = driven_param(&paging.pattern) else {
        return TokenStream::new();
    };
    let name = ident(&param.name);
    if param.location == CursorLocation::Body {
        let Some(body) = body_value(values, body) else {
            return TokenStream::new();
        };
        let body = &body.name;
        let cursor = quote! {
            key.as_ref()
                .and_then(crate::runtime::PageKey::cursor)
                .map(::std::string::ToString::to_string)
        };
        // A copy of the body with the page's cursor, borrowed by this page's call.
        return if body_is_optional(values, body) {
            quote! {
                let mut call = call;
                let request_body = call.#body.cloned().map(|mut body| {
                    body.#name = #cursor;
                    body
                });
                call.#body = request_body.as_ref();
            }
        } else {
            quote! {
                let mut call = call;
                let mut request_body = ::std::clone::Clone::clone(call.#body);
                request_body.#name = #cursor;
                call.#body = &request_body;
            }
        };
    }
    let Some(value) = value(values, &param.name) else {
        return TokenStream::new();
    };
    let from_key = if numbered(&paging.pattern) {
        quote! {
            key.as_ref()
                .and_then(crate::runtime::PageKey::number)
                .and_then(|number| ::std::convert::TryFrom::try_from(number).ok())
        }
    } else {
        quote!(key.as_ref().and_then(crate::runtime::PageKey::cursor))
    };
    let set = if value.optional {
        quote!(::std::option::Option::Some(page_value))
    } else {
        quote!(page_value)
    };
    quote! {
        let mut call = call;
        if let ::std::option::Option::Some(page_value) = #from_key {
            call.#name = #set;
        }
    }
}

/// Binds `sent`, the page's call (to the next URL for `Link`), and returns it with the
/// pattern of what reading the page needs besides the response (the context passed from
/// the page's call to [`read_page`]): the page's key and the page size the caller set
/// (offset and page numbers, read from `call` before it is sent), the client (`Link`: the
/// base URL), or nothing. The client is `template`'s, borrowed for the stream's lifetime.
fn page_call(
    paging: &Pagination,
    values: &[CallValue],
    client: &Ident,
) -> (TokenStream, TokenStream) {
    match &paging.pattern {
        PagingPattern::Link { .. } => (
            quote! {
                let client = template.#client;
                let sent = match key.as_ref().and_then(crate::runtime::PageKey::url) {
                    ::std::option::Option::Some(url) => call.send().at_url(url),
                    ::std::option::Option::None => call.send(),
                };
            },
            quote!(client),
        ),
        PagingPattern::Offset { limit: size, .. } | PagingPattern::Page { per_page: size, .. } => {
            let page_size = page_size(size.as_ref(), values);
            (
                quote! {
                    let page_size = #page_size;
                    let sent = call.send();
                },
                quote!((key, page_size)),
            )
        }
        // The page's cursor is borrowed from its key (or sent in a copy of the body made
        // for the page): the sent call, which borrows only the client, is given the
        // client's lifetime again.
        PagingPattern::Cursor { .. } | PagingPattern::HasMore { .. } => (
            quote! {
                let client = template.#client;
                let sent = call.send().on_core(&client.core);
            },
            quote!(()),
        ),
    }
}

/// Reads a page from `response` (a `runtime::Response` of the success body) and the
/// names `page_call` bound: a block whose value is the page's items and the next key.
fn read_page(api: &Api, op: &Operation, paging: &Pagination) -> TokenStream {
    let items = page_items(api, op, paging);
    let receive = bind_page(op, paging);
    match &paging.pattern {
        PagingPattern::Link { .. } => quote! {{
            let next = crate::runtime::next_link(client.core.base_url(), response.headers());
            #receive
            (#items, next)
        }},
        PagingPattern::Cursor { next_cursor, .. } => {
            let next_cursor = chain(next_cursor, true);
            quote! {{
                #receive
                let next = ::std::result::Result::Ok(crate::runtime::next_cursor(#next_cursor));
                (#items, next)
            }}
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
            quote! {{
                #receive
                let has_more = #has_more.unwrap_or(false);
                let items = #items;
                let next = crate::runtime::next_after_last(has_more, items.last().map(|item| #id));
                (items, next)
            }}
        }
        PagingPattern::Offset { total, .. } => {
            let total = match total {
                Some(total) => {
                    let total = chain(total, true);
                    quote!(#total.and_then(|total| u64::try_from(total).ok()))
                }
                None => quote!(::std::option::Option::None),
            };
            quote! {{
                #receive
                let total = #total;
                let items = #items;
                let next = ::std::result::Result::Ok(
                    crate::runtime::next_offset(key.as_ref(), items.len(), page_size, total),
                );
                (items, next)
            }}
        }
        PagingPattern::Page { .. } => quote! {{
            #receive
            let items = #items;
            let next = ::std::result::Result::Ok(
                crate::runtime::next_page_number(key.as_ref(), 1, items.len(), page_size),
            );
            (items, next)
        }},
    }
}

/// Binds `page`, the success body of `response` (a `runtime::Response`). When the
/// success is an enum, the page is its variant with the body, and any other (bodiless)
/// variant ends paging with an empty last page.
fn bind_page(op: &Operation, paging: &Pagination) -> TokenStream {
    let (Some(variant), Some(success)) = (&paging.body_variant, &op.success.enum_name) else {
        return quote!(let page = response.into_body(););
    };
    let (variant, success) = (ident(variant), ident(success));
    quote! {
        let crate::responses::#success::#variant(page) = response.into_body() else {
            return (
                ::std::vec::Vec::new(),
                ::std::result::Result::Ok(::std::option::Option::None),
            );
        };
    }
}

/// The items of `page` as a `Vec` of the item type: the items array, or for a body union
/// of arrays, each variant's items wrapped in the item union's variant for their type.
fn page_items(api: &Api, op: &Operation, paging: &Pagination) -> TokenStream {
    let items = chain(&paging.items, false);
    let body_union = crate::ir::paging::paged_body_union(&api.types, op);
    let (Some(body_union), false) = (body_union, paging.item_arms.is_empty()) else {
        return items;
    };
    let body_union = type_tokens(api, &TypeRef::Named(body_union));
    let item_union = type_tokens(api, &paging.item_type);
    let arms = paging.item_arms.iter().map(|arm| {
        let (body_variant, item_variant) = (ident(&arm.body_variant), ident(&arm.item_variant));
        quote! {
            #body_union::#body_variant(items) => items
                .into_iter()
                .map(#item_union::#item_variant)
                .collect::<::std::vec::Vec<_>>(),
        }
    });
    // The body union is `#[non_exhaustive]`: when the models are in a crate of their own
    // the match needs a wildcard, which cannot be reached (that crate is generated from
    // the same spec) and is unreachable by rustc's count when they are not.
    quote! {
        match #items {
            #(#arms)*
            #[allow(unreachable_patterns)]
            _ => ::std::unreachable!("a body union variant the paging code does not know"),
        }
    }
}

/// The page size the caller asked for, read from `call`, as an `Option<u64>` (none when
/// not set).
fn page_size(param: Option<&PagingParam>, values: &[CallValue]) -> TokenStream {
    let none = quote!(::std::option::Option::None);
    let Some(param) = param.filter(|p| p.location == CursorLocation::Query) else {
        return none;
    };
    let Some(value) = value(values, &param.name) else {
        return none;
    };
    let name = &value.name;
    if value.optional {
        quote!(call.#name.and_then(|size| u64::try_from(size).ok()))
    } else {
        quote!(u64::try_from(call.#name).ok())
    }
}

fn pages_result(item: &TokenStream, error: &Ident) -> TokenStream {
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
