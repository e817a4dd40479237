//! Doc comments for generated items, from the spec's summaries and descriptions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, AuthKind};

/// `#[doc = "..."]` attributes for `text`, one per line (prettyplease prints them as `///`).
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = text.trim().lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `#![doc = "..."]` inner attributes for `text`, one per line (printed as `//!`).
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.trim().lines().map(|line| {
        let line = format!(" {}", line.trim_end());
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// The crate-level doc: title, version, description.
pub fn crate_doc(api: &Api) -> String {
    let mut doc = format!("Client for {} (version {}).", api.title, api.version);
    if let Some(description) = api.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    doc.push_str("\n\nStart with [`Client::new`]; every operation is a method of [`Client`].");
    doc
}

/// The doc of `Client::new`: which credentials the API accepts.
pub fn auth_doc(api: &Api) -> String {
    let mut doc = String::from(
        "Builds a client for `base_url` (with or without a trailing slash) that sends `credentials` on every request.",
    );
    if api.auth.is_empty() {
        return doc;
    }
    doc.push_str("\n\nThe API accepts:");
    for scheme in &api.auth {
        let what = match &scheme.kind {
            AuthKind::Basic => "HTTP Basic: use [`Credentials::basic`](crate::runtime::Credentials::basic)".to_string(),
            AuthKind::Bearer { scopes } if scopes.is_empty() => {
                "a bearer token: use [`Credentials::bearer`](crate::runtime::Credentials::bearer)".to_string()
            }
            AuthKind::Bearer { scopes } => format!(
                "a bearer token with scopes `{}`: use [`Credentials::bearer`](crate::runtime::Credentials::bearer)",
                scopes.join(" ")
            ),
            AuthKind::ApiKey { name, .. } => format!("an API key named `{name}` (not sent automatically yet)"),
        };
        doc.push_str(&format!("\n- `{}`: {what}.", scheme.key));
        if let Some(d) = scheme
            .doc
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            doc.push_str(&format!(" {}", d.replace('\n', " ")));
        }
    }
    doc
}
