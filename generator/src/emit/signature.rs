//! What the async client, its request builders and the blocking client share about
//! operation calls: which values are arguments and which are setters, their types, the
//! builders' names, and how items are grouped into blocks.
//!
//! A call's shape is made to survive the spec's growth: required parameters (and a
//! required body) are the method's arguments, in spec order; everything optional is a
//! setter on the operation's request builder (`calls::GetUser`), so adding an optional
//! parameter to the spec adds a setter and changes no existing call.
//!
//! It imports only `tokens` (and the IR's naming rules), so `client`, `calls` and
//! `blocking` all depend on it and not on each other.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{arg_type, ident, is_copy_scalar, response_body_type};
use crate::ir::names::{type_name, Scope};
use crate::ir::{Api, BodyMedia, Operation, ParamLocation};

/// Operations per block: several blocks keep each formatting step small.
const OPERATIONS_PER_BLOCK: usize = 32;

/// How many blocks of [`OPERATIONS_PER_BLOCK`] operations `api` has.
pub(super) fn block_count(api: &Api) -> usize {
    api.operations.len().div_ceil(OPERATIONS_PER_BLOCK)
}

/// How many items a client module has: the struct, then one `impl` block per
/// [`OPERATIONS_PER_BLOCK`] operations.
pub(super) fn client_item_count(api: &Api) -> usize {
    1 + block_count(api)
}

/// Makes the tokens of one operation, given its builder's name.
pub(super) type OperationFn = fn(&Api, &Operation, &Ident) -> TokenStream;

/// The tokens `each` makes for every operation of block `block`, in order.
pub(super) fn block_items(api: &Api, block: usize, each: OperationFn) -> Vec<TokenStream> {
    let start = block * OPERATIONS_PER_BLOCK;
    let end = (start + OPERATIONS_PER_BLOCK).min(api.operations.len());
    let names = builder_names(api, end);
    api.operations[start..end]
        .iter()
        .zip(&names[start..end])
        .map(|(op, name)| each(api, op, name))
        .collect()
}

/// `impl Client` with the methods (made by `method`) of block `block` of operations.
pub(super) fn method_block(api: &Api, block: usize, method: OperationFn) -> TokenStream {
    let methods = block_items(api, block, method);
    quote! {
        // Errors carry the whole response (status, headers, body) on purpose.
        #[allow(clippy::result_large_err)]
        impl Client {
            #(#methods)*
        }
    }
}

/// The request builders' type names of the first `count` operations: the method name in
/// `PascalCase`, numbered in spec order where two would be equal (`get_user_2` and
/// `get_user2` are both `GetUser2`). They live in modules of their own (`calls`,
/// `blocking::calls`) that name everything else by full path, so only they can collide.
fn builder_names(api: &Api, count: usize) -> Vec<Ident> {
    let mut scope = Scope::default();
    api.operations[..count]
        .iter()
        .map(|op| ident(&scope.unique(type_name(&op.method_name))))
        .collect()
}

/// One value of a call: a parameter or the body.
pub(super) struct CallValue {
    /// Its Rust name: the method's argument, or the builder's field and (usually) setter.
    pub name: Ident,
    /// Its type as an argument or a setter's argument (never `Option`), borrowing for `'a`.
    pub ty: TokenStream,
    /// Whether it is a setter rather than an argument.
    pub optional: bool,
    /// Whether its type borrows (for `'a`).
    pub borrows: bool,
    /// Its doc text, if the spec has one.
    pub doc: Option<String>,
    /// What it is, for a setter without a doc: ``the query parameter `since` ``.
    pub what: String,
}

impl CallValue {
    /// The doc text of its setter: the spec's text, then what it sets.
    pub(super) fn setter_doc(&self) -> String {
        match &self.doc {
            Some(doc) => format!("{doc}\n\nSets {}.", self.what),
            None => format!("Sets {}.", self.what),
        }
    }
}

/// Every value of `op`'s call in today's order: parameters (path first), then the body.
pub(super) fn call_values(api: &Api, op: &Operation) -> Vec<CallValue> {
    let lifetime = quote!('a);
    let mut values: Vec<CallValue> = op
        .params
        .iter()
        .map(|p| CallValue {
            name: ident(&p.name),
            ty: arg_type(api, &p.ty, true, &lifetime),
            optional: !p.required,
            borrows: !is_copy_scalar(&p.ty),
            doc: p.doc.clone(),
            what: format!(
                "the {} parameter `{}`",
                location_word(p.location),
                p.wire_name
            ),
        })
        .collect();
    if let Some(body) = &op.body {
        // Only typed bodies can be left out; raw ones are always sent.
        let (ty, optional, borrows) = match body.media {
            BodyMedia::Json | BodyMedia::Form => (
                arg_type(api, &body.ty, true, &lifetime),
                !body.required,
                !is_copy_scalar(&body.ty),
            ),
            BodyMedia::Multipart => (quote!(&'a crate::runtime::Multipart), false, true),
            BodyMedia::Text(_) => (quote!(&'a str), false, true),
            BodyMedia::Bytes(_) => (quote!(::std::vec::Vec<u8>), false, false),
        };
        values.push(CallValue {
            name: ident(&body.name),
            ty,
            optional,
            borrows,
            doc: body.doc.clone(),
            what: "the request body".to_string(),
        });
    }
    values
}

/// How a parameter's location reads in a doc.
fn location_word(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The request builders' own methods (`send`, and `stream` and `all` of paginated
/// operations), which no setter may be named. They are kept from setters of every
/// operation, so a spec change that makes an operation paginated renames no setter.
const BUILDER_METHODS: [&str; 3] = ["send", "stream", "all"];

/// The setter for an optional value: its own name, except a builder method's name (`send`),
/// which becomes `send_param` (numbered if a value has that name too).
pub(super) fn setter_name(values: &[CallValue], value: &CallValue) -> Ident {
    match BUILDER_METHODS.iter().find(|method| value.name == **method) {
        Some(method) => free_name(values, &format!("{method}_param")),
        None => value.name.clone(),
    }
}

/// The builder's field holding the client: `client`, or a name no value has.
pub(super) fn client_field(values: &[CallValue]) -> Ident {
    free_name(values, "client")
}

/// `base`, or `base2`, `base3`, ... : the first that no value of the call is named.
fn free_name(values: &[CallValue], base: &str) -> Ident {
    let taken = |name: &str| values.iter().any(|v| v.name == name);
    if !taken(base) {
        return ident(base);
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}{n}");
        if !taken(&candidate) {
            return ident(&candidate);
        }
        n += 1;
    }
}

/// `Result<Response<T>, Error<E>>` of `op`.
pub(super) fn output_type(api: &Api, op: &Operation) -> TokenStream {
    let success = success_type(api, op);
    let error = ident(&op.error_type);
    quote! {
        ::std::result::Result<
            crate::runtime::Response<#success>,
            crate::runtime::Error<crate::errors::#error>,
        >
    }
}

/// The type of a successful response's body: the operation's success enum, the one
/// success body's type, or `()`.
pub(super) fn success_type(api: &Api, op: &Operation) -> TokenStream {
    if let Some(name) = &op.success.enum_name {
        let name = ident(name);
        return quote!(crate::responses::#name);
    }
    match &op.success.body {
        None => quote!(()),
        Some(body) => response_body_type(api, body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(name: &str) -> CallValue {
        CallValue {
            name: ident(name),
            ty: quote!(bool),
            optional: true,
            borrows: false,
            doc: None,
            what: String::new(),
        }
    }

    #[test]
    fn a_value_named_send_gets_a_setter_that_does_not_hide_send() {
        let values = vec![value("send"), value("send_param"), value("limit")];
        assert_eq!(setter_name(&values, &values[0]), "send_param2");
        assert_eq!(setter_name(&values, &values[1]), "send_param");
        assert_eq!(setter_name(&values, &values[2]), "limit");
    }

    #[test]
    fn values_named_like_the_paging_methods_get_setters_that_do_not_hide_them() {
        let values = vec![value("stream"), value("all"), value("all_param")];
        assert_eq!(setter_name(&values, &values[0]), "stream_param");
        assert_eq!(setter_name(&values, &values[1]), "all_param2");
        assert_eq!(setter_name(&values, &values[2]), "all_param");
    }

    #[test]
    fn the_client_field_avoids_the_values_names() {
        assert_eq!(client_field(&[value("limit")]), "client");
        let values = vec![value("client"), value("client2")];
        assert_eq!(client_field(&values), "client3");
    }
}
