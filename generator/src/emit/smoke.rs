//! The `smoke` module of a generated crate (setting `smoke-tests`): every operation called
//! through the generated client with the example values [`crate::ir::examples`] built,
//! and each outcome classified.
//!
//! The module's items: `Outcome` and `Kind` (the interface other tools read), their
//! `Display`, `operations()` (each operation's id, method and path template), `run(&client)`
//! (every call, sequentially, in spec order), the helpers `example` (one value from its
//! JSON text) and the result classifiers, then one private function per operation that
//! decodes its values, sends the call and reads a streamed body to its end (bounded).
//! The per-operation functions are boxed futures in one table, so a crate of a thousand
//! operations compiles a thousand small futures, not one huge one.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::signature::{call_values, setter_name, CallValue};
use super::tokens::{ident, Decoding};
use crate::ir::examples::{ArgTarget, OperationExamples};
use crate::ir::{Api, BodyMedia, Operation, TypeRef};

/// The module's doc text.
pub const DOC: &str = "Smoke tests: every operation called with arguments built from the spec's examples (parameter and media-type examples first, then schema examples, defaults, enums, formats, then a minimal value). Run them against a mock server or a test tenant with `smoke::run(&client).await`; the client is used as configured (base URL, credentials).";

/// The module's fixed items (before the per-operation functions).
const FIXED_ITEMS: usize = 2;

/// How many items the module has for `api`.
pub fn count(api: &Api) -> usize {
    FIXED_ITEMS + api.operations.len()
}

/// Item `index` of the module: the fixed items, then one function per operation.
pub fn item(api: &Api, examples: &[OperationExamples], index: usize) -> TokenStream {
    match index {
        0 => interface(),
        1 => table(api),
        _ => {
            let i = index - FIXED_ITEMS;
            match (api.operations.get(i), examples.get(i)) {
                (Some(op), Some(example)) => operation(api, op, i, example),
                (Some(_), None) => skipped_call(i, "no examples were built for it"),
                _ => TokenStream::new(),
            }
        }
    }
}

/// The name of operation `index`'s function.
fn call_name(index: usize) -> proc_macro2::Ident {
    ident(&format!("call_{index}"))
}

/// `Outcome`, `Kind`, their `Display`, `run`, `example` and the classifiers.
fn interface() -> TokenStream {
    quote! {
        /// What one operation's example call gave.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct Outcome {
            /// The operationId (or `"get /path"` when the spec has none).
            pub operation: &'static str,
            /// The HTTP method, upper case.
            pub method: &'static str,
            /// The path template.
            pub path: &'static str,
            /// What happened.
            pub kind: Kind,
        }

        /// How an example call ended.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Kind {
            /// A success status whose body decoded (a streamed body read to its end, or
            /// to the smoke test's bound).
            Decoded {
                /// The status.
                status: u16,
            },
            /// An error status the operation declares; its body decoded.
            DeclaredError {
                /// The status.
                status: u16,
            },
            /// A status the operation does not declare.
            UndeclaredStatus {
                /// The status.
                status: u16,
                /// The body as text (invalid UTF-8 replaced, cut at 2,000 bytes).
                body: String,
            },
            /// The body does not match the spec; the message names the field path.
            DecodeFailure {
                /// The status.
                status: u16,
                /// What did not match.
                message: String,
            },
            /// No response: connection, timeout, or a body cut short.
            Transport {
                /// What went wrong.
                message: String,
            },
            /// Not called: no example value fits, or no request can be built from them.
            Skipped {
                /// Why.
                reason: String,
            },
        }

        impl ::std::fmt::Display for Kind {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    Self::Decoded { status } => write!(f, "decoded {status}"),
                    Self::DeclaredError { status } => write!(f, "declared error {status}"),
                    Self::UndeclaredStatus { status, body } => {
                        write!(f, "undeclared status {status}: {body}")
                    }
                    Self::DecodeFailure { status, message } => {
                        write!(f, "decode failure on {status}: {message}")
                    }
                    Self::Transport { message } => write!(f, "transport: {message}"),
                    Self::Skipped { reason } => write!(f, "skipped: {reason}"),
                }
            }
        }

        impl ::std::fmt::Display for Outcome {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{} ({} {}): {}", self.operation, self.method, self.path, self.kind)
            }
        }

        /// Every operation, in spec order: (operationId, method, path template).
        pub fn operations() -> &'static [(&'static str, &'static str, &'static str)] {
            &OPERATIONS
        }

        /// Calls every operation with its example values, one after another in spec order,
        /// and says how each call ended.
        pub async fn run(client: &crate::Client) -> ::std::vec::Vec<Outcome> {
            let mut outcomes = ::std::vec::Vec::with_capacity(OPERATIONS.len());
            for (&(operation, method, path), call) in OPERATIONS.iter().zip(CALLS) {
                let kind = call(client).await;
                outcomes.push(Outcome { operation, method, path, kind });
            }
            outcomes
        }

        /// Decodes an example value from its JSON text into the type a call takes.
        pub fn example<T: ::serde::de::DeserializeOwned>(
            json: &str,
        ) -> ::std::result::Result<T, ::std::string::String> {
            ::serde_json::from_str(json).map_err(|error| error.to_string())
        }

        /// The first candidate (JSON texts, best first) that fits `T`, or [`Kind::Skipped`]
        /// saying why none does (`what` names the value).
        pub fn first_fitting<T: ::serde::de::DeserializeOwned>(
            what: &str,
            candidates: &[&str],
        ) -> ::std::result::Result<T, Kind> {
            let mut first_error = None;
            for json in candidates {
                match example(json) {
                    Ok(value) => return Ok(value),
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            Err(Kind::Skipped {
                reason: format!(
                    "no example of {what} fits its type: {}",
                    first_error.unwrap_or_default()
                ),
            })
        }

        /// A `multipart/form-data` body from an example object: a part per field, in order,
        /// the fields named in `files` as file parts, the others as text (a string as
        /// itself, any other value as its JSON).
        pub fn multipart_body(
            value: &::serde_json::Value,
            files: &[&str],
        ) -> crate::runtime::Multipart {
            let mut body = crate::runtime::Multipart::new();
            for (name, field) in value.as_object().into_iter().flatten() {
                let text = match field {
                    ::serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                body = if files.contains(&name.as_str()) {
                    body.file(name.clone(), "example.bin", "application/octet-stream", text.into_bytes())
                } else {
                    body.text(name.clone(), text)
                };
            }
            body
        }

        /// The most of a body kept in [`Kind::UndeclaredStatus`].
        const BODY_EXCERPT: usize = 2000;

        /// The most of a streamed body read, in bytes.
        const BYTES_BOUND: usize = 8 << 20;

        /// The most events of an event stream read.
        const EVENTS_BOUND: usize = 10_000;

        /// How a failed call ended.
        pub fn error_kind<E>(error: crate::runtime::Error<E>) -> Kind {
            use crate::runtime::Error;
            match error {
                Error::Api { status, .. } => Kind::DeclaredError { status: status.as_u16() },
                Error::UnexpectedStatus { status, body, .. } => {
                    let excerpt = &body[..body.len().min(BODY_EXCERPT)];
                    Kind::UndeclaredStatus {
                        status: status.as_u16(),
                        body: ::std::string::String::from_utf8_lossy(excerpt).into_owned(),
                    }
                }
                Error::InvalidBody { status, source, .. } => Kind::DecodeFailure {
                    status: status.as_u16(),
                    message: source.to_string(),
                },
                Error::Timeout { kind, source, .. } => Kind::Transport {
                    message: format!("{kind} fired: {source}"),
                },
                Error::Transport { source, .. } => Kind::Transport { message: source.to_string() },
                Error::InvalidRequest(message) => Kind::Skipped {
                    reason: format!("the example values make no valid request: {message}"),
                },
                _ => Kind::Transport { message: "the call failed".to_string() },
            }
        }

        /// How a streamed body that stopped with `error` ended.
        fn stream_kind(status: u16, error: crate::runtime::StreamError) -> Kind {
            if matches!(error, crate::runtime::StreamError::InvalidEvent { .. }) {
                Kind::DecodeFailure { status, message: error.to_string() }
            } else {
                Kind::Transport { message: error.to_string() }
            }
        }

        /// Reads a streamed body to its end (or 8 MiB): [`Kind::Decoded`] with `status`,
        /// unless reading fails.
        pub async fn drain_bytes(status: u16, mut stream: crate::runtime::ByteStream) -> Kind {
            let mut read = 0;
            while let Some(chunk) = stream.next().await {
                match chunk {
                    Ok(chunk) => read += chunk.len(),
                    Err(error) => return stream_kind(status, error),
                }
                if read >= BYTES_BOUND {
                    break;
                }
            }
            Kind::Decoded { status }
        }

        /// Reads an event stream to its end (or 10,000 events): [`Kind::Decoded`] with
        /// `status`, unless an event does not decode ([`Kind::DecodeFailure`]) or reading
        /// fails.
        pub async fn drain_events<T>(status: u16, mut stream: crate::runtime::EventStream<T>) -> Kind {
            let mut read = 0;
            while let Some(event) = stream.next().await {
                if let Err(error) = event {
                    return stream_kind(status, error);
                }
                read += 1;
                if read >= EVENTS_BOUND {
                    break;
                }
            }
            Kind::Decoded { status }
        }

        /// One operation's example call.
        type Caller = for<'a> fn(
            &'a crate::Client,
        ) -> ::std::pin::Pin<
            ::std::boxed::Box<dyn ::std::future::Future<Output = Kind> + Send + 'a>,
        >;
    }
}

/// `OPERATIONS` and `CALLS`: each operation's id, method and path, and its function.
fn table(api: &Api) -> TokenStream {
    let len = api.operations.len();
    let count = Literal::usize_unsuffixed(len);
    let rows = api.operations.iter().map(|op| {
        let id = Literal::string(&op.operation_id);
        let method = Literal::string(op.method.as_str());
        let path = Literal::string(&op.path.raw);
        quote!((#id, #method, #path))
    });
    let calls = (0..len).map(call_name);
    quote! {
        /// Each operation's id, method and path template, in spec order.
        static OPERATIONS: [(&str, &str, &str); #count] = [#(#rows),*];
        /// Each operation's example call, in the order of [`OPERATIONS`].
        static CALLS: [Caller; #count] = [#(#calls),*];
    }
}

/// An operation that is not called, with the reason.
fn skipped_call(index: usize, reason: &str) -> TokenStream {
    let name = call_name(index);
    let reason = Literal::string(reason);
    quote! {
        fn #name(
            _client: &crate::Client,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Kind> + Send + '_>> {
            ::std::boxed::Box::pin(async { Kind::Skipped { reason: #reason.to_string() } })
        }
    }
}

/// How a value is decoded and passed: the owned type to decode into, and the expression
/// passing the decoded `value` (by reference, by value, or as bytes).
fn decoded_value(api: &Api, op: &Operation, target: ArgTarget) -> Option<(TokenStream, Pass)> {
    match target {
        ArgTarget::Param(index) => {
            let param = op.params.get(index)?;
            let pass = if super::tokens::is_copy_scalar(&param.ty) {
                Pass::Value
            } else {
                Pass::Reference
            };
            Some((super::tokens::type_tokens(api, &param.ty), pass))
        }
        ArgTarget::Body => {
            let body = op.body.as_ref()?;
            match &body.media {
                BodyMedia::Json | BodyMedia::Form => {
                    let pass = if super::tokens::is_copy_scalar(&body.ty) {
                        Pass::Value
                    } else {
                        Pass::Reference
                    };
                    Some((super::tokens::type_tokens(api, &body.ty), pass))
                }
                BodyMedia::Text(_) => Some((
                    super::tokens::type_tokens(api, &TypeRef::String),
                    Pass::Reference,
                )),
                BodyMedia::Bytes(_) => Some((
                    super::tokens::type_tokens(api, &TypeRef::String),
                    Pass::Bytes,
                )),
                BodyMedia::Multipart => Some((quote!(::serde_json::Value), Pass::Multipart)),
            }
        }
    }
}

/// How a decoded value is passed to the call.
#[derive(Clone, Copy)]
enum Pass {
    /// `value` (a `Copy` scalar).
    Value,
    /// `&value`.
    Reference,
    /// `value.into_bytes()` (a raw body, decoded as text).
    Bytes,
    /// `&multipart_body(&value, file parts)` (a multipart body, decoded as a JSON object).
    Multipart,
}

/// The function calling `op` with its examples.
fn operation(api: &Api, op: &Operation, index: usize, examples: &OperationExamples) -> TokenStream {
    if let Some(reason) = &examples.skip {
        return skipped_call(index, reason);
    }
    let values = call_values(api, op);
    let value_of = |target: ArgTarget| -> Option<&CallValue> {
        match target {
            ArgTarget::Param(i) => values.get(i),
            ArgTarget::Body => values.get(op.params.len()),
        }
    };
    let mut decode = Vec::new();
    let mut notes = Vec::new();
    let mut passed: Vec<(usize, TokenStream)> = Vec::new();
    for (n, arg) in examples.args.iter().enumerate() {
        let (Some(value), Some((ty, pass))) =
            (value_of(arg.target), decoded_value(api, op, arg.target))
        else {
            return skipped_call(index, "a value has no place in the call");
        };
        let local = ident(&format!("value_{n}"));
        let what = Literal::string(&value.what);
        let candidates = arg
            .candidates
            .iter()
            .map(|c| Literal::string(&c.value.to_string()));
        let sources = arg
            .candidates
            .iter()
            .map(|c| c.source.name())
            .collect::<Vec<_>>()
            .join(", ");
        notes.push(format!("{}: {sources}", value.what));
        decode.push(quote! {
            let #local: #ty = match first_fitting(#what, &[#(#candidates),*]) {
                Ok(value) => value,
                Err(skipped) => return skipped,
            };
        });
        let expression = match pass {
            Pass::Value => quote!(#local),
            Pass::Reference => quote!(&#local),
            Pass::Bytes => quote!(#local.into_bytes()),
            Pass::Multipart => {
                let files = arg.file_parts.iter().map(|name| Literal::string(name));
                decode.push(quote! {
                    let #local = multipart_body(&#local, &[#(#files),*]);
                });
                quote!(&#local)
            }
        };
        let position = values
            .iter()
            .position(|v| std::ptr::eq(v, value))
            .unwrap_or(usize::MAX);
        passed.push((position, expression));
    }
    // Required values are arguments in call order; optional ones are setters.
    let mut arguments = Vec::new();
    for (position, value) in values.iter().enumerate() {
        if value.optional {
            continue;
        }
        match passed.iter().find(|(p, _)| *p == position) {
            Some((_, expression)) => arguments.push(expression.clone()),
            None => return skipped_call(index, "a required value has no example"),
        }
    }
    let setters = passed.iter().filter_map(|(position, expression)| {
        let value = values.get(*position)?;
        value.optional.then(|| {
            let setter = setter_name(&values, value);
            quote!(.#setter(#expression))
        })
    });
    let method = ident(&op.method_name);
    let success = success_kind(op);
    let name = call_name(index);
    let mut doc = format!(
        "`{} {}` ({}).",
        op.method.as_str(),
        op.path.raw,
        op.operation_id
    );
    if !notes.is_empty() {
        doc.push_str(&format!(" Values, by source tried: {}.", notes.join("; ")));
    }
    let doc = super::docs::doc_attrs(Some(&doc));
    quote! {
        #doc
        fn #name(
            client: &crate::Client,
        ) -> ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Kind> + Send + '_>> {
            ::std::boxed::Box::pin(async move {
                #(#decode)*
                match client.#method(#(#arguments),*)#(#setters)*.await {
                    Ok(response) => {
                        let status = response.status().as_u16();
                        #success
                    }
                    Err(error) => error_kind(error),
                }
            })
        }
    }
}

/// What a success response gives: `Decoded`, after reading a streamed body to its end.
fn success_kind(op: &Operation) -> TokenStream {
    if let Some(name) = &op.success.enum_name {
        let enum_name = ident(name);
        let mut arms = Vec::new();
        let mut all_streamed = true;
        for case in &op.success.cases {
            let streamed = case.body.as_ref().map(Decoding::of);
            let variant = ident(&case.variant);
            match streamed {
                Some(Decoding::Stream) => arms.push(quote! {
                    crate::responses::#enum_name::#variant(stream) => drain_bytes(status, stream).await,
                }),
                Some(Decoding::Events | Decoding::EventText) => arms.push(quote! {
                    crate::responses::#enum_name::#variant(stream) => drain_events(status, stream).await,
                }),
                _ => all_streamed = false,
            }
        }
        if arms.is_empty() {
            return quote!(Kind::Decoded { status });
        }
        if !all_streamed {
            arms.push(quote!(_ => Kind::Decoded { status },));
        }
        return quote! {
            match response.into_body() {
                #(#arms)*
            }
        };
    }
    match op.success.body.as_ref().map(Decoding::of) {
        Some(Decoding::Stream) => quote!(drain_bytes(status, response.into_body()).await),
        Some(Decoding::Events | Decoding::EventText) => {
            quote!(drain_events(status, response.into_body()).await)
        }
        _ => quote!(Kind::Decoded { status }),
    }
}
