//! Emits `responses.rs`: per-operation success shapes that need a type of their own: an
//! enum when an operation's success statuses carry different bodies (only `Debug` when one
//! of them is a stream), and a struct that reads the headers its success responses declare.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::tokens::{header_type, ident, response_body_type, status_label, std_option, Decoding};
use crate::ir::{Api, HeaderType, Operation};

/// Every operation's success enum and headers struct.
pub fn count(api: &Api) -> usize {
    api.operations.len()
}

/// Operation `index`'s success enum and headers struct (often nothing).
pub fn item(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    let success_enum = success_enum(api, op);
    let headers = headers_struct(api, op);
    quote!(#success_enum #headers)
}

fn success_enum(api: &Api, op: &Operation) -> TokenStream {
    let Some(name) = &op.success.enum_name else {
        return TokenStream::new();
    };
    let name = ident(name);
    let doc = format!(
        " The success statuses of [`Client::{m}`](crate::Client::{m}), each with its body.",
        m = op.method_name
    );
    let variants = op.success.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let doc = doc_attrs(Some(&format!(
            "`{}`: {}",
            status_label(case.status),
            case.description.trim()
        )));
        match &case.body {
            Some(body) => {
                let ty = response_body_type(api, body);
                quote!(#doc #variant(#ty),)
            }
            None => quote!(#doc #variant,),
        }
    });
    // A streamed body can be neither cloned nor compared.
    let streamed = op
        .success
        .cases
        .iter()
        .filter_map(|case| case.body.as_ref())
        .any(|body| Decoding::of(body).is_streamed());
    let derives = if streamed {
        quote!(#[derive(Debug)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    quote! {
        #[doc = #doc]
        #derives
        pub enum #name {
            #(#variants)*
        }
    }
}

fn headers_struct(api: &Api, op: &Operation) -> TokenStream {
    let Some(name) = &op.success.headers_type else {
        return TokenStream::new();
    };
    let name = ident(name);
    let doc = format!(
        " The headers the success responses of [`Client::{m}`](crate::Client::{m}) declare; read them with `{name}::from_headers(response.headers())`.",
        m = op.method_name
    );
    let fields = op.success.headers.iter().map(|h| {
        let field = ident(&h.name);
        let ty = header_type(api, &h.ty);
        let doc = doc_attrs(Some(&format!(
            "The `{}` header{}",
            h.wire_name,
            h.doc
                .as_deref()
                .map(|d| format!(": {}", d.trim()))
                .unwrap_or_default()
        )));
        let option = std_option(api);
        quote!(#doc pub #field: #option<#ty>,)
    });
    let reads = op.success.headers.iter().map(|h| {
        let field = ident(&h.name);
        let wire = &h.wire_name;
        let value = match &h.ty {
            HeaderType::RetryAfter => quote!(crate::runtime::retry_after(headers)),
            HeaderType::Scalar(_) => quote!(crate::runtime::header(headers, #wire)),
        };
        quote!(#field: #value,)
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// Reads the declared headers; absent or unparsable ones are `None`.
            #[inline]
            pub fn from_headers(headers: &crate::runtime::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}
