//! Emits `types.rs`: a struct, enum, union or alias per named type, each with serde impls
//! written out (structs stream through the runtime's `ReadObject`/`ObjectWriter`: a match
//! arm and a line per field calling helpers shared by every struct, which compiles far
//! faster than serde's derive and decodes as fast). The settings' extra
//! derives and replacements ([`crate::ir::Customisation`]) are applied here.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::{ident, type_tokens};
use crate::ir::{Api, EnumVariant, Field, TypeId, TypeKind, TypeRef, Union};

/// How many items [`item`] makes: one per named type.
pub fn count(api: &Api) -> usize {
    api.types.len()
}

/// The named type `index`, in IR order.
pub fn item(api: &Api, index: usize) -> TokenStream {
    {
        let (i, def) = (index, &api.types[index]);
        let id = TypeId(i);
        let doc = doc_attrs(def.doc.as_deref());
        let name = ident(&def.name);
        if let Some(path) = api.customisation.replaced.get(&id) {
            // Checked to parse as a type when lowering.
            let target: TokenStream = path.parse().unwrap_or_else(|_| quote!(::serde_json::Value));
            return quote! { #doc pub type #name = #target; };
        }
        match &def.kind {
            TypeKind::Struct(fields) => emit_struct(api, id, &name, &doc, fields),
            TypeKind::Enum(variants) => emit_enum(api, &name, &doc, variants),
            TypeKind::Union(union) => emit_union(api, id, &name, &doc, union),
            TypeKind::Alias(TypeRef::Named(target)) if *target == id => {
                quote! { #doc pub type #name = ::serde_json::Value; }
            }
            TypeKind::Alias(target) if api.recursion.is_alias_cycle(id) => {
                // A recursive alias (`A = Map<String, A>`) needs a nominal type.
                let target = type_tokens(api, target);
                let extra = extra_derives(api, PLAIN_DERIVES);
                quote! {
                    #doc
                    #[derive(Clone, Debug, PartialEq #extra)]
                    pub struct #name(pub #target);

                    impl ::serde::Serialize for #name {
                        fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                            ::serde::Serialize::serialize(&self.0, serializer)
                        }
                    }

                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            ::serde::Deserialize::deserialize(deserializer).map(Self)
                        }
                    }
                }
            }
            TypeKind::Alias(target) => {
                let target = type_tokens(api, target);
                quote! { #doc pub type #name = #target; }
            }
        }
    }
}

fn emit_struct(
    api: &Api,
    id: TypeId,
    name: &Ident,
    doc: &TokenStream,
    fields: &[Field],
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required || f.flatten);
    let default = all_optional.then(|| quote!(, Default));
    let extra = if all_optional {
        extra_derives(api, &["Clone", "Debug", "PartialEq", "Default"])
    } else {
        extra_derives(api, PLAIN_DERIVES)
    };
    let option = super::std_option(api);
    let mut decls = Vec::with_capacity(fields.len());
    let mut writes = Vec::with_capacity(fields.len());
    // The values read so far, one tuple (a local per field made each `?` drop them all,
    // which grew quadratically with the fields when type checking large structs).
    let mut slots = Vec::with_capacity(fields.len());
    let mut names_of_slots = Vec::with_capacity(fields.len());
    // Each slot's type, written out so type checking need not infer it from the struct.
    let mut slot_types = Vec::with_capacity(fields.len());
    let mut arms = Vec::with_capacity(fields.len());
    let mut builds = Vec::with_capacity(fields.len());
    // The required fields' slots, checked all at once after the loop: one `match` with one
    // error path (a `?` per field made an error path per field, each dropping every value
    // read so far, which grew quadratically with the fields).
    let mut required_slots = Vec::new();
    let mut required_wires = Vec::new();
    // Entries no field takes are skipped, or go into the flattened map.
    let mut unknown = quote!(crate::runtime::skip_field(&mut map));
    let mut flattened = false;
    for field in fields {
        let doc = doc_attrs(field.doc.as_deref());
        let gap = doc_gap(&doc);
        let name = ident(&field.name);
        // The value read so far; prefixed, so no field is named like `map` or `key`.
        let slot = ident(&format!("field_{}", field.name));
        let index = syn::Index::from(slots.len());
        let wire = &field.wire_name;
        let mut ty = type_tokens(api, &field.ty);
        if api.recursion.needs_box(id, &field.ty) {
            let boxed = super::std_box(api);
            ty = quote!(#boxed<#ty>);
        }
        if field.flatten {
            decls.push(quote! { #doc pub #name: #ty, });
            writes.push(quote! { object.flatten(&self.#name); });
            slots.push(quote!(::std::collections::BTreeMap::new()));
            slot_types.push(ty.clone());
            names_of_slots.push(slot.clone());
            unknown = quote!(crate::runtime::read_rest(&mut map, key, &mut slots.#index));
            flattened = true;
            builds.push(quote! { #name: #slot, });
            continue;
        }
        // The slot holds the field's value once read: `Option<T>` for a nullable field
        // (`null` is `None`); an optional field's slot is the field itself (absent and a
        // tolerated `null` both leave it `None`).
        let read = if field.nullable {
            quote!(#option<#ty>)
        } else {
            ty.clone()
        };
        let (decl, write, build) = match (field.required, field.nullable) {
            (true, false) => (
                quote! { #doc pub #name: #ty, },
                quote!(field),
                quote!(#slot),
            ),
            (true, true) => (
                quote! {
                    #doc
                    #gap
                    /// Required, but may be `null` (`None`).
                    pub #name: #option<#ty>,
                },
                quote!(field),
                quote!(#slot),
            ),
            (false, false) => (
                quote! { #doc pub #name: #option<#ty>, },
                quote!(optional),
                quote!(#slot),
            ),
            (false, true) => (
                quote! {
                    #doc
                    #gap
                    /// `None`: absent; `Some(None)`: `null`.
                    pub #name: #option<#option<#ty>>,
                },
                quote!(optional),
                quote!(#slot),
            ),
        };
        if field.required {
            required_slots.push(slot.clone());
            required_wires.push(wire);
        }
        slot_types.push(quote!(#option<#read>));
        decls.push(decl);
        writes.push(quote! { object.#write(#wire, &self.#name); });
        slots.push(quote!(#option::None));
        names_of_slots.push(slot.clone());
        let read = field_reader(api, id, field, &quote!(slots.#index));
        arms.push(quote! { #wire => #read, });
        builds.push(quote! { #name: #build, });
    }
    // Each entry goes to the field of its name, else to `unknown`, and the one `?` after the
    // `match` returns any error (a `?` per arm made an error path per field); with no declared fields,
    // straight to `unknown` (a `match` of one arm would be a lint in the generated crate).
    let next = quote!(crate::runtime::next_key(&mut map)?);
    let entries = match (arms.is_empty(), flattened) {
        (false, _) => quote! {
            while let ::std::option::Option::Some(key) = #next {
                match key.as_str() {
                    #(#arms)*
                    _ => #unknown,
                }?;
            }
        },
        (true, true) => quote! {
            while let ::std::option::Option::Some(key) = #next {
                #unknown?;
            }
        },
        (true, false) => quote! {
            while #next.is_some() {
                #unknown?;
            }
        },
    };
    let (open_slots, close_slots) = if slots.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote!(let mut slots: (#(#slot_types,)*) = (#(#slots,)*);),
            quote!(let (#(#names_of_slots,)*) = slots;),
        )
    };
    let build = quote! {
        ::std::result::Result::Ok(Self {
            #(#builds)*
        })
    };
    let build = if required_slots.is_empty() {
        build
    } else {
        quote! {
            match (#(#required_slots,)*) {
                (#(::std::option::Option::Some(#required_slots),)*) => #build,
                (#(#required_slots,)*) => ::std::result::Result::Err(crate::runtime::missing(&[
                    #((#required_wires, #required_slots.is_some()),)*
                ])),
            }
        }
    };
    let writer = if writes.is_empty() {
        quote!(let object)
    } else {
        quote!(let mut object)
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq #default #extra)]
        pub struct #name {
            #(#decls)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #writer = crate::runtime::ObjectWriter::new(serializer)?;
                #(#writes)*
                object.finish()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::runtime::read_object(deserializer)
            }
        }

        impl crate::runtime::ReadObject for #name {
            // The slots' tuple type is written out (cheaper to check than inferred).
            #[allow(clippy::type_complexity)]
            fn read<'de, A: ::serde::de::MapAccess<'de>>(mut map: A) -> ::std::result::Result<Self, A::Error> {
                #open_slots
                #entries
                #close_slots
                #build
            }
        }
    }
}

/// The call that reads `field`'s value into `slot`: with serde's own impls when its type
/// has nothing the decoding policy tolerates (`read_field`), else with the runtime's
/// lenient readers (`read_lenient`); an optional field not declared nullable reads `null`
/// as a tolerated absence (`read_optional`, `read_optional_lenient`). See
/// `runtime/lenient.rs` (its leaves in `runtime/leaves.rs`) and the README's "Decoding policy".
fn field_reader(api: &Api, owner: TypeId, field: &Field, slot: &TokenStream) -> TokenStream {
    let wire = &field.wire_name;
    let owner = &api.types[owner.0].name;
    match (
        field.required || field.nullable,
        has_tolerated_leaf(api, &field.ty, 0),
    ) {
        (true, false) => quote!(crate::runtime::read_field(&mut map, #wire, &mut #slot)),
        (true, true) => quote!(crate::runtime::read_lenient(&mut map, #wire, #owner, &mut #slot)),
        (false, false) => {
            quote!(crate::runtime::read_optional(&mut map, #wire, #owner, &mut #slot))
        }
        (false, true) => {
            quote!(crate::runtime::read_optional_lenient(&mut map, #wire, #owner, &mut #slot))
        }
    }
}

/// Whether values of `ty` hold a date-time, date, number or boolean directly (through
/// arrays, sets, maps and plain aliases, not through other structs, which read their own
/// fields), so that the runtime's `Lenient` impls cover it. A replaced type is the user's
/// and is read with its own impl.
fn has_tolerated_leaf(api: &Api, ty: &TypeRef, depth: usize) -> bool {
    match ty {
        TypeRef::DateTime
        | TypeRef::Date
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::U64
        | TypeRef::F32
        | TypeRef::F64 => true,
        TypeRef::String | TypeRef::Uuid | TypeRef::Bytes | TypeRef::Json => false,
        TypeRef::Array(item)
        | TypeRef::Set(item)
        | TypeRef::Map(item)
        | TypeRef::Nullable(item) => has_tolerated_leaf(api, item, depth),
        TypeRef::Named(id) => {
            // Aliases of aliases are short; the bound only guards against a cycle.
            let plain_alias = depth < 32
                && !api.customisation.replaced.contains_key(id)
                && !api.recursion.is_alias_cycle(*id);
            match &api.types[id.0].kind {
                TypeKind::Alias(target) if plain_alias => {
                    has_tolerated_leaf(api, target, depth + 1)
                }
                _ => false,
            }
        }
    }
}

fn emit_enum(api: &Api, name: &Ident, doc: &TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let extra = extra_derives(
        api,
        &[
            "Clone",
            "Debug",
            "PartialEq",
            "Eq",
            "Hash",
            "PartialOrd",
            "Ord",
        ],
    );
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(Some(&format!("`{}`", v.value)));
        quote! { #doc #variant, }
    });
    let to_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let values = variants.iter().map(|v| &v.value);
    let from_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord #extra)]
        // A later version of the spec may add values: callers' matches need a `_` arm.
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// A value this client does not know (the server may add values at any time).
            Unknown(::std::string::String),
        }

        // `#[inline]` on these non-generic methods, as on a derive's: compiled by the crates
        // that call them, not for every enum of a large spec when the client is built.
        impl #name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            #[inline]
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                match Self::from(value.as_str()) {
                    Self::Unknown(value) => crate::runtime::unknown_enum_value(value, &[#(#values),*]).map(Self::Unknown),
                    known => ::std::result::Result::Ok(known),
                }
            }
        }
    }
}

/// A condition on `value` (the union's input as a `serde_json::Value`) that holds for JSON
/// this type can be.
fn json_kind_check(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Struct(_) => quote!(value.is_object()),
            TypeKind::Enum(_) => quote!(value.is_string()),
            TypeKind::Alias(inner) if !matches!(inner, TypeRef::Named(i) if i == id) => {
                json_kind_check(api, inner)
            }
            _ => quote!(true),
        },
        TypeRef::Array(_) | TypeRef::Set(_) => quote!(value.is_array()),
        TypeRef::Map(_) => quote!(value.is_object()),
        TypeRef::Nullable(inner) => {
            let inner = json_kind_check(api, inner);
            quote!((value.is_null() || #inner))
        }
        TypeRef::Json => quote!(true),
        TypeRef::Bool => quote!(value.is_boolean()),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => quote!(value.is_i64() || value.is_u64()),
        TypeRef::F32 | TypeRef::F64 => quote!(value.is_number()),
        TypeRef::String | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime | TypeRef::Bytes => {
            quote!(value.is_string())
        }
    }
}

fn emit_union(
    api: &Api,
    id: TypeId,
    name: &Ident,
    doc: &TokenStream,
    union: &Union,
) -> TokenStream {
    let gap = doc_gap(doc);
    let extra = extra_derives(api, PLAIN_DERIVES);
    let variant_types: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|v| {
            let ty = type_tokens(api, &v.ty);
            if api.recursion.needs_box(id, &v.ty) {
                let boxed = super::std_box(api);
                quote!(#boxed<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let names: Vec<Ident> = union.variants.iter().map(|v| ident(&v.name)).collect();
    let Some(discriminator) = &union.discriminator else {
        // Each alternative is tried only on JSON of its kind: serde's derived structs would
        // also accept an array in field order, which must not pass for an object.
        let checks: Vec<TokenStream> = union
            .variants
            .iter()
            .map(|v| json_kind_check(api, &v.ty))
            .collect();
        // `value` only where some alternative checks its kind (else it would be unused).
        let reads_kind = checks.iter().any(|check| check.to_string() != "true");
        let value = reads_kind.then(|| quote!(let value = input.value();));
        let attempts = checks.iter().zip(&names).map(|(check, variant)| {
            quote! {
                if #check {
                    if let ::std::option::Option::Some(inner) = input.try_as() {
                        return ::std::option::Option::Some(Self::#variant(inner));
                    }
                }
            }
        });
        let no_match = format!("the value matches no alternative of `{name}`");
        return quote! {
            #doc
            #gap
            /// The alternatives are tried in order; the first that fits is used.
            #[derive(Clone, Debug, PartialEq #extra)]
            // A later version of the spec may add alternatives: callers' matches need a `_` arm.
            #[non_exhaustive]
            pub enum #name {
                #( #names(#variant_types), )*
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self {
                        #( Self::#names(value) => ::serde::Serialize::serialize(value, serializer), )*
                    }
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let input = crate::runtime::UnionInput::read(deserializer)?;
                    #value
                    // Strictly first, so a value that fits an alternative as sent is not
                    // taken by an earlier one that the decoding policy bends it into.
                    let fits = || -> ::std::option::Option<Self> {
                        #(#attempts)*
                        ::std::option::Option::None
                    };
                    crate::runtime::strictly_first(fits).ok_or_else(|| ::serde::de::Error::custom(#no_match))
                }
            }
        };
    };
    let property = &discriminator.property;
    let arms = discriminator.mapping.iter().map(|(value, index)| {
        let variant = &names[*index];
        quote! {
            ::std::option::Option::Some(#value) => input.decode().map(Self::#variant),
        }
    });
    let tag_doc = doc_attrs(Some(&format!(
        "Chosen by the `{property}` property; an unknown value is kept as JSON."
    )));
    quote! {
        #doc
        #gap
        #tag_doc
        #[derive(Clone, Debug, PartialEq #extra)]
        // A later version of the spec may add alternatives: callers' matches need a `_` arm.
        #[non_exhaustive]
        pub enum #name {
            #( #names(#variant_types), )*
            /// A tag value this client does not know.
            Unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( Self::#names(value) => ::serde::Serialize::serialize(value, serializer), )*
                    Self::Unknown(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let input = crate::runtime::UnionInput::read(deserializer)?;
                match input.tag(#property) {
                    #(#arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown(input.into_value())),
                }
            }
        }
    }
}

/// What structs, unions and newtypes derive besides what the settings add.
const PLAIN_DERIVES: &[&str] = &["Clone", "Debug", "PartialEq"];

/// `, A, B` for the settings' extra derives, leaving out those named like one in `already`
/// (a second derive of a trait would not compile). Each was checked to be a path.
fn extra_derives(api: &Api, already: &[&str]) -> TokenStream {
    let extra = api.customisation.derives.iter().filter_map(|derive| {
        let path = syn::parse_str::<syn::Path>(derive).ok()?;
        let last = path.segments.last()?.ident.to_string();
        (!already.contains(&last.as_str())).then(|| quote!(, #path))
    });
    quote!(#(#extra)*)
}

/// The empty doc line between an item's own doc (`doc`, from the spec) and a note the
/// generator adds; nothing when the spec gave no doc, so the note is not led by a blank line.
fn doc_gap(doc: &TokenStream) -> TokenStream {
    if doc.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[doc = ""])
    }
}
