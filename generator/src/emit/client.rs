//! Emits `client.rs`: the `Client` struct, its constructors, and one method per operation.
//! Each method takes the operation's required values and returns its request builder
//! (`calls.rs`); the builder's `send` is made here: it fills the path, query, headers and
//! body through the runtime and returns a `runtime::Call`, a future that sends the request
//! and maps the status to the success body or the declared error. Paginated operations
//! get their paging methods beside it (made in `pagination.rs`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs::{auth_doc, doc_attrs};
use super::pagination;
use super::signature::{
    call_values, client_field, client_item_count, method_block, setter_name, CallValue,
};
use super::tokens::{header_type, ident, is_copy_scalar, response_body_type, Decoding};
use crate::ir::path::PathPart;
use crate::ir::{
    Api, BodyMedia, ErrorCase, HeaderType, Operation, ParamLocation, ParamStyle, StatusMatch,
};

/// How many items [`item`] makes: the struct, then one `impl` block per group of
/// operations.
pub fn count(api: &Api) -> usize {
    client_item_count(api)
}

/// Item 0: the `Client` struct and its constructors; item `k`: the methods of the `k`-th
/// block of operations.
pub fn item(api: &Api, index: usize) -> TokenStream {
    if index > 0 {
        return method_block(api, index - 1, method);
    }
    let title = doc_attrs(Some(&format!("Client for {}.", api.title)));
    let new_doc = doc_attrs(Some(&auth_doc(api)));
    let default_url = api.default_base_url.as_ref().map(|url| {
        quote! {
            /// The base URL of the spec's first server (with its variables at their defaults).
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let calls_per_second = match api.calls_per_second {
        Some(calls) => {
            let calls = Literal::u32_unsuffixed(calls);
            quote!(::std::option::Option::Some(#calls))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        #title
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(Clone, Debug)]
        pub struct Client {
            pub(crate) core: crate::runtime::Core,
        }

        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        impl Client {
            #default_url

            /// The client-side rate limit the spec declares (`x-rate-limit`), applied by
            /// [`Client::default_config`].
            pub const DEFAULT_CALLS_PER_SECOND: ::std::option::Option<u32> = #calls_per_second;

            /// The settings [`Client::new`] uses: [`ClientConfig::default()`](crate::runtime::ClientConfig)
            /// with the spec's rate limit. Start from these to change a setting.
            pub fn default_config() -> crate::runtime::ClientConfig {
                crate::runtime::ClientConfig::default().with_calls_per_second(Self::DEFAULT_CALLS_PER_SECOND)
            }

            #new_doc
            pub fn new(
                base_url: &str,
                credentials: crate::runtime::Credentials,
            ) -> ::std::result::Result<Self, crate::runtime::BuildError> {
                Self::with_config(base_url, credentials, Self::default_config())
            }

            /// Like [`Client::new`], with timeouts, retries, rate limit and other settings.
            pub fn with_config(
                base_url: &str,
                credentials: crate::runtime::Credentials,
                config: crate::runtime::ClientConfig,
            ) -> ::std::result::Result<Self, crate::runtime::BuildError> {
                let core = crate::runtime::Core::new(base_url, &credentials, &config)?;
                Ok(Self { core })
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &crate::runtime::Url {
                self.core.base_url()
            }
        }
    }
}

/// The operation's method: it takes the required values and returns the request builder
/// (made in `calls.rs`) holding them, every optional value unset.
fn method(api: &Api, op: &Operation, builder: &Ident) -> TokenStream {
    let name = ident(&op.method_name);
    let values = call_values(api, op);
    let doc = doc_attrs(Some(&method_doc(op, &values, builder)));
    let client = client_field(&values);
    let args = values.iter().filter(|v| !v.optional).map(|v| {
        let (name, ty) = (&v.name, &v.ty);
        quote!(#name: #ty)
    });
    let fields = values.iter().map(|v| {
        let name = &v.name;
        if v.optional {
            quote!(#name: ::std::option::Option::None,)
        } else {
            quote!(#name,)
        }
    });
    // `'a` only where an argument borrows too (otherwise it is elided).
    let (generics, receiver, lifetime) = if values.iter().any(|v| !v.optional && v.borrows) {
        (quote!(<'a>), quote!(&'a self), quote!('a))
    } else {
        (TokenStream::new(), quote!(&self), quote!('_))
    };
    let paging = pagination::methods(api, op, builder);
    // `#[inline]`: a crate using the client compiles only the operations it calls, and the
    // client crate itself compiles none of them to machine code.
    quote! {
        #doc
        #[inline]
        pub fn #name #generics(#receiver, #(#args),*) -> crate::calls::#builder<#lifetime> {
            crate::calls::#builder { #client: self, #(#fields)* }
        }

        #paging
    }
}

/// The body of a request builder's `send`: the request built from the locals named like
/// the call's values (and `client`, the client), then the call that decodes its response.
pub(super) fn send_body(api: &Api, op: &Operation, client: &Ident) -> TokenStream {
    let build = build_request(op, client);
    let arms = response_arms(api, op);
    quote! {
        #build
        #client.core.call(request, |response| match response.status.as_u16() {
            #arms
        })
    }
}

fn method_doc(op: &Operation, values: &[CallValue], builder: &Ident) -> String {
    let mut doc = op.doc.clone().unwrap_or_default();
    if !doc.is_empty() {
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("Sends `{} {}`.", op.method.as_str(), op.path.raw));
    let documented: Vec<&CallValue> = values
        .iter()
        .filter(|v| !v.optional && v.doc.is_some())
        .collect();
    if !documented.is_empty() {
        doc.push_str("\n\nArguments:");
        for v in documented {
            let text = v.doc.as_deref().unwrap_or_default().replace('\n', " ");
            doc.push_str(&format!("\n- `{}`: {}", v.name, text.trim()));
        }
    }
    let setters: Vec<String> = values
        .iter()
        .filter(|v| v.optional)
        .map(|v| {
            format!(
                "[`{}`](crate::calls::{builder}::{})",
                v.name,
                setter_name(values, v)
            )
        })
        .collect();
    doc.push_str(&format!(
        "\n\nReturns the request builder [`calls::{builder}`](crate::calls::{builder}): "
    ));
    if setters.is_empty() {
        doc.push_str("`.await` it to send the request.");
    } else {
        doc.push_str(&format!(
            "set the optional values with its methods ({}), then `.await` it.",
            setters.join(", ")
        ));
    }
    doc
}

/// `let request = ...;` with the path filled and every parameter and the body set.
fn build_request(op: &Operation, client: &Ident) -> TokenStream {
    let method = ident(op.method.as_str());
    let operation_id = &op.operation_id;
    let template = &op.path.raw;
    let path = path_expr(op);
    let mut steps = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        let wire = &p.wire_name;
        match p.location {
            ParamLocation::Query => {
                let style = ident(match p.style {
                    ParamStyle::Form => "Form",
                    ParamStyle::FormUnexploded => "FormUnexploded",
                    ParamStyle::DeepObject => "DeepObject",
                    ParamStyle::SpaceDelimited => "SpaceDelimited",
                    ParamStyle::PipeDelimited => "PipeDelimited",
                });
                let query = ident(if p.allow_reserved {
                    "query_allow_reserved"
                } else {
                    "query"
                });
                steps.push(quote!(request.#query(#wire, &#name, crate::runtime::Style::#style);));
            }
            ParamLocation::Header => {
                let explode = p.explode;
                steps.push(quote!(request.header(#wire, &#name, #explode);));
            }
            ParamLocation::Cookie => steps.push(quote!(request.cookie(#wire, &#name);)),
            ParamLocation::Path => {}
        }
    }
    if let Some(body) = &op.body {
        let name = ident(&body.name);
        // `Copy` scalars are passed by value (see `arg_type`); the encoders take a reference.
        let by_ref = if is_copy_scalar(&body.ty) {
            quote!(&#name)
        } else {
            quote!(#name)
        };
        let set = match &body.media {
            BodyMedia::Json => quote!(request.json(#by_ref);),
            BodyMedia::Form => quote!(request.form(#by_ref);),
            BodyMedia::Multipart => quote!(request.multipart(#name);),
            BodyMedia::Text(media) => quote!(request.bytes(#media, #name.as_bytes().to_vec());),
            BodyMedia::Bytes(media) => quote!(request.bytes(#media, #name);),
        };
        steps.push(match (&body.media, body.required) {
            (BodyMedia::Json | BodyMedia::Form, false) => {
                quote!(if let ::std::option::Option::Some(#name) = #name { #set })
            }
            _ => set,
        });
    }
    steps.extend(stream_hook(op));
    if let Some(accept) = &op.accept {
        steps.push(quote!(request.accept(#accept);));
    }
    let mutability = (!steps.is_empty()).then(|| quote!(mut));
    quote! {
        let #mutability request = #client.core.request(crate::runtime::Method::#method, #operation_id, #template, #path);
        #(#steps)*
    }
}

/// The request path: `Path::new` with the first literal part, then the other literal parts
/// and the path parameters (each encoded as exactly one segment).
fn path_expr(op: &Operation) -> TokenStream {
    let mut parts = op.path.parts.iter().peekable();
    let first = match parts.peek() {
        Some(PathPart::Literal(text)) => {
            parts.next();
            text.as_str()
        }
        _ => "",
    };
    let steps = parts.map(|part| match part {
        PathPart::Literal(text) => quote!(.literal(#text)),
        PathPart::Param(wire) => {
            let param = op
                .params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == *wire);
            let name = ident(param.map_or(wire.as_str(), |p| p.name.as_str()));
            quote!(.param(#wire, &#name))
        }
    });
    quote!(crate::runtime::Path::new(#first) #(#steps)*)
}

/// `request.stream_body_when(..)` when some success status streams its body: the
/// patterns of the arms that leave the body unread (disjoint, see [`status_pattern`]).
fn stream_hook(op: &Operation) -> Option<TokenStream> {
    let taken = exact_codes(op);
    let patterns: Vec<TokenStream> = op
        .success
        .cases
        .iter()
        .filter(|case| {
            case.body
                .as_ref()
                .is_some_and(|body| Decoding::of(body).is_streamed())
        })
        .map(|case| status_pattern(case.status, &taken))
        .collect();
    if patterns.is_empty() {
        return None;
    }
    Some(quote!(request.stream_body_when(|status| matches!(status, #(#patterns)|*));))
}

/// Every status code the operation declares exactly (success or error).
fn exact_codes(op: &Operation) -> Vec<u16> {
    let success = op.success.cases.iter().map(|case| case.status);
    let errors = op.errors.iter().map(|case| case.status);
    success
        .chain(errors)
        .filter_map(|status| match status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect()
}

/// The `match` pattern for a status: a code, or a range without the codes in `taken`
/// (which have arms of their own), so no two arms overlap: `2XX` beside `200` and `204` is
/// `201..=203 | 205..=299`.
fn status_pattern(status: StatusMatch, taken: &[u16]) -> TokenStream {
    match status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        StatusMatch::Range(first) => {
            let (low, high) = (first * 100, first * 100 + 99);
            let mut pieces = Vec::new();
            let mut start = low;
            for code in low..=high {
                if taken.contains(&code) {
                    if start < code {
                        pieces.push((start, code - 1));
                    }
                    start = code + 1;
                }
            }
            if start <= high {
                pieces.push((start, high));
            }
            if pieces.is_empty() {
                // Every code of the range has its own arm: this arm is never reached.
                pieces.push((low, high));
            }
            let pieces = pieces.into_iter().map(|(a, b)| {
                let a_lit = Literal::u16_unsuffixed(a);
                let b_lit = Literal::u16_unsuffixed(b);
                if a == b {
                    quote!(#a_lit)
                } else {
                    quote!(#a_lit..=#b_lit)
                }
            });
            quote!(#(#pieces)|*)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The arms that decode each declared success status.
fn success_arms(api: &Api, op: &Operation) -> TokenStream {
    let taken = exact_codes(op);
    let Some(enum_name) = &op.success.enum_name else {
        let ok = match &op.success.body {
            None => quote!(response.ok_empty()),
            Some(body) => {
                let method = Decoding::of(body).method("ok", "");
                quote!(response.#method())
            }
        };
        let patterns: Vec<TokenStream> = if op.success.cases.is_empty() {
            vec![quote!(200..=299)]
        } else {
            op.success
                .cases
                .iter()
                .map(|c| status_pattern(c.status, &taken))
                .collect()
        };
        return quote!(#(#patterns)|* => #ok,);
    };
    let enum_name = ident(enum_name);
    let arms = op.success.cases.iter().map(|case| {
        let pattern = status_pattern(case.status, &taken);
        let variant = ident(&case.variant);
        match &case.body {
            None => quote!(#pattern => response.ok_with(crate::responses::#enum_name::#variant),),
            Some(body) => {
                let method = Decoding::of(body).method("ok", "_map");
                let ty = response_body_type(api, body);
                quote!(#pattern => response.#method(|body: #ty| crate::responses::#enum_name::#variant(body)),)
            }
        }
    });
    quote!(#(#arms)*)
}

fn response_arms(api: &Api, op: &Operation) -> TokenStream {
    let success = success_arms(api, op);
    let codes = op.errors.iter().filter_map(|case| match case.status {
        StatusMatch::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            Some((quote!(#code), case))
        }
        _ => None,
    });
    let taken = exact_codes(op);
    let ranges = op.errors.iter().filter_map(|case| match case.status {
        StatusMatch::Range(_) => Some((status_pattern(case.status, &taken), case)),
        _ => None,
    });
    let fallback = op
        .errors
        .iter()
        .find(|case| case.status == StatusMatch::Default)
        .map(|case| error_arm(api, op, case))
        .unwrap_or_else(|| quote!(response.unexpected()));
    let error_arms = codes.chain(ranges).map(|(pattern, case)| {
        let arm = error_arm(api, op, case);
        quote!(#pattern => #arm,)
    });
    quote! {
        #success
        #(#error_arms)*
        _ => #fallback,
    }
}

/// The expression that builds the declared error for one case.
fn error_arm(api: &Api, op: &Operation, case: &ErrorCase) -> TokenStream {
    let error = ident(&op.error_type);
    let variant = ident(&case.variant);
    let headers_used = !case.headers.is_empty();
    let header_fields = case.headers.iter().map(|h| {
        let name = ident(&h.name);
        let wire = &h.wire_name;
        let value = match &h.ty {
            HeaderType::RetryAfter => quote!(crate::runtime::retry_after(headers)),
            HeaderType::Scalar(_) => {
                let ty = header_type(api, &h.ty);
                quote!(crate::runtime::header::<#ty>(headers, #wire))
            }
        };
        quote!(#name: #value,)
    });
    let headers_param = if headers_used {
        quote!(headers)
    } else {
        quote!(_)
    };
    match &case.body {
        Some(body) => {
            let method = Decoding::of(body).method("api_error", "");
            let ty = response_body_type(api, body);
            quote! {
                response.#method(|body: #ty, #headers_param| crate::errors::#error::#variant { body, #(#header_fields)* })
            }
        }
        None if headers_used => quote! {
            response.api_error(|headers| crate::errors::#error::#variant { #(#header_fields)* })
        },
        None => quote!(response.api_error(|_| crate::errors::#error::#variant)),
    }
}
