//! Emits `errors.rs`: for each operation, an enum with one variant per declared error
//! status, carrying the decoded body and the declared headers as typed fields.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::tokens::{header_type, ident, response_body_type, status_label, std_option, Decoding};
use crate::ir::{Api, ErrorCase, Operation};

/// All error enums, in operation order.
pub fn count(api: &Api) -> usize {
    api.operations.len()
}

/// The error enum of operation `index`, or an alias of an identical earlier one.
pub fn item(api: &Api, index: usize) -> TokenStream {
    let op = &api.operations[index];
    match op.error_alias_of.and_then(|j| api.operations.get(j)) {
        Some(first) => {
            let name = ident(&op.error_type);
            let target = ident(&first.error_type);
            let doc = format!(
                " Error statuses declared by [`Client::{m}`](crate::Client::{m}): the same as [`{t}`].",
                m = op.method_name,
                t = first.error_type
            );
            quote! {
                #[doc = #doc]
                pub type #name = crate::errors::#target;
            }
        }
        None => emit_enum(api, op),
    }
}

fn emit_enum(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.error_type);
    let doc = format!(
        " Error statuses declared by [`Client::{}`](crate::Client::{}).",
        op.method_name, op.method_name
    );
    let variants = op.errors.iter().map(|case| variant_decl(api, case));
    let displays = op.errors.iter().map(variant_display);
    let (formatter, body) = if op.errors.is_empty() {
        (quote!(_), quote!(match *self {}))
    } else {
        (quote!(f), quote!(match self { #(#displays)* }))
    };
    quote! {
        #[doc = #doc]
        ///
        /// Returned inside [`Error::Api`](crate::runtime::Error::Api), which also holds the
        /// status and headers.
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }

        // Inline, as a derive's methods: compiled where it is used, not for every operation.
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, #formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

fn variant_decl(api: &Api, case: &ErrorCase) -> TokenStream {
    let variant = ident(&case.variant);
    let doc = doc_attrs(Some(&format!(
        "`{}`: {}",
        status_label(case.status),
        case.description.trim()
    )));
    let body = case.body.as_ref().map(|body| {
        let ty = response_body_type(api, body);
        quote! {
            /// The decoded response body.
            body: #ty,
        }
    });
    let headers = case.headers.iter().map(|header| {
        let name = ident(&header.name);
        let ty = header_type(api, &header.ty);
        let doc = doc_attrs(Some(&format!(
            "The `{}` header{}",
            header.wire_name,
            header
                .doc
                .as_deref()
                .map(|d| format!(": {}", d.trim()))
                .unwrap_or_default()
        )));
        let option = std_option(api);
        quote! { #doc #name: #option<#ty>, }
    });
    if case.body.is_none() && case.headers.is_empty() {
        quote! { #doc #variant, }
    } else {
        quote! { #doc #variant { #body #(#headers)* }, }
    }
}

fn variant_display(case: &ErrorCase) -> TokenStream {
    let variant = ident(&case.variant);
    let description = case.description.trim();
    match &case.body {
        None if case.headers.is_empty() => quote!(Self::#variant => f.write_str(#description),),
        None => quote!(Self::#variant { .. } => f.write_str(#description),),
        Some(body) => {
            let show = match Decoding::of(body) {
                Decoding::Json => quote!(crate::runtime::display_body(f, body)),
                Decoding::Text => quote!(f.write_str(&crate::runtime::excerpt(body.as_bytes()))),
                // Error bodies are never streamed: they are read whole.
                Decoding::Bytes | Decoding::Stream | Decoding::Events | Decoding::EventText => {
                    quote!(f.write_str(&crate::runtime::excerpt(body)))
                }
            };
            let with_colon = format!("{description}: ");
            quote! {
                Self::#variant { body, .. } => {
                    f.write_str(#with_colon)?;
                    #show
                }
            }
        }
    }
}
