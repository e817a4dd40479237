//! Emits `types.rs`: a struct, enum or alias per named type, with serde attributes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::{ident, type_tokens};
use crate::ir::{Api, EnumVariant, Field, TypeId, TypeKind, TypeRef};

/// All named types, in IR order.
pub fn emit(api: &Api) -> TokenStream {
    let items = api.types.iter().enumerate().map(|(i, def)| {
        let doc = doc_attrs(def.doc.as_deref());
        let name = ident(&def.name);
        match &def.kind {
            TypeKind::Struct(fields) => emit_struct(api, TypeId(i), &name, &doc, fields),
            TypeKind::Enum(variants) => emit_enum(&name, &doc, variants),
            TypeKind::Alias(target) => {
                let target = type_tokens(api, target);
                quote! { #doc pub type #name = #target; }
            }
        }
    });
    quote!(#(#items)*)
}

fn emit_struct(
    api: &Api,
    id: TypeId,
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    fields: &[Field],
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.required);
    let default = all_optional.then(|| quote!(Default,));
    let fields = fields.iter().map(|field| {
        let doc = doc_attrs(field.doc.as_deref());
        let name = ident(&field.name);
        let mut ty = type_tokens(api, &field.ty);
        if reaches(api, &field.ty, id, &mut Vec::new()) {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let rename = (field.name != field.wire_name).then(|| {
            let wire = &field.wire_name;
            quote!(rename = #wire,)
        });
        if field.required {
            let serde = rename.map(|r| quote!(#[serde(#r)]));
            quote! { #doc #serde pub #name: #ty, }
        } else {
            quote! {
                #doc
                #[serde(#rename default, skip_serializing_if = "::std::option::Option::is_none")]
                pub #name: ::std::option::Option<#ty>,
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// Whether a field of this type holds `target` inline (not behind a `Vec` or map), which
/// would make the struct infinitely large without a `Box`.
fn reaches(api: &Api, ty: &TypeRef, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
    let TypeRef::Named(id) = ty else {
        return false;
    };
    if *id == target {
        return true;
    }
    if seen.contains(id) {
        return false;
    }
    seen.push(*id);
    match &api.types[id.0].kind {
        TypeKind::Struct(fields) => fields.iter().any(|f| reaches(api, &f.ty, target, seen)),
        TypeKind::Alias(inner) => reaches(api, inner, target, seen),
        TypeKind::Enum(_) => false,
    }
}

fn emit_enum(
    name: &proc_macro2::Ident,
    doc: &TokenStream,
    variants: &[EnumVariant],
) -> TokenStream {
    let decls = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = format!(" `{}`", v.value);
        quote! { #[doc = #doc] #variant, }
    });
    let to_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from_str = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#decls)*
            /// A value this client does not know (the server may add values at any time).
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
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
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(&*value))
            }
        }

        impl crate::runtime::QueryValue for #name {
            fn query_pairs(&self, out: &mut ::std::vec::Vec<::std::string::String>) {
                out.push(self.as_str().to_owned());
            }
        }
    }
}
