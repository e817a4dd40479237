//! What a body's media type means beyond its encoding: which success bodies are streamed
//! (`text/event-stream` as events, binary media as chunks) and which fields a
//! `multipart/form-data` schema declares (binary ones are file parts), for the method's
//! documentation.

use openapiv3::{
    OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::ir::{BodyMedia, BodyStream, TypeRef};

/// The media type of server-sent events.
pub(super) const EVENT_STREAM: &str = "text/event-stream";

/// Whether `essence` (a media type without parameters) is `text/event-stream`.
pub(super) fn is_event_stream(essence: &str) -> bool {
    essence.eq_ignore_ascii_case(EVENT_STREAM)
}

/// How a success body of this media and type is streamed, if it is: events (JSON data for
/// objects, arrays, maps and named types, text otherwise) or raw chunks for every media
/// type that is not JSON, form, multipart or text.
pub(super) fn success_stream(media: &BodyMedia, ty: &TypeRef) -> Option<BodyStream> {
    match media {
        BodyMedia::Text(essence) if is_event_stream(essence) => Some(match ty {
            TypeRef::Named(_) | TypeRef::Array(_) | TypeRef::Set(_) | TypeRef::Map(_) => {
                BodyStream::JsonEvents
            }
            _ => BodyStream::TextEvents,
        }),
        BodyMedia::Bytes(_) => Some(BodyStream::Bytes),
        _ => None,
    }
}

/// A sentence naming the fields a multipart schema declares, file parts marked, such as
/// "Multipart fields: `file` (file part), `note`." (`None` when the schema names none).
pub(super) fn multipart_fields_doc(
    spec: &OpenAPI,
    schema: Option<&ReferenceOr<Schema>>,
) -> Option<String> {
    let schema = resolve_schema(spec, schema?)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    if object.properties.is_empty() {
        return None;
    }
    let fields: Vec<String> = object
        .properties
        .iter()
        .map(|(name, property)| {
            let property = match property {
                ReferenceOr::Item(schema) => Some(schema.as_ref()),
                ReferenceOr::Reference { reference } => resolve_reference(spec, reference),
            };
            match property.map(binary_shape) {
                Some(Binary::One) => format!("`{name}` (file part)"),
                Some(Binary::Many) => format!("`{name}` (file parts, one per file)"),
                _ => format!("`{name}`"),
            }
        })
        .collect();
    Some(format!(
        "Multipart fields: {} (build the body with `runtime::Multipart`: `text` for fields, `file`, `file_path` or `file_stream` for file parts).",
        fields.join(", ")
    ))
}

enum Binary {
    No,
    One,
    Many,
}

fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(s))
            if matches!(s.format, VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    )
}

fn binary_shape(schema: &Schema) -> Binary {
    if is_binary(schema) {
        return Binary::One;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => match array.items.as_ref() {
            Some(ReferenceOr::Item(item)) if is_binary(item) => Binary::Many,
            _ => Binary::No,
        },
        _ => Binary::No,
    }
}

fn resolve_schema<'s>(spec: &'s OpenAPI, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => resolve_reference(spec, reference),
    }
}

/// A `#/components/schemas/` reference, followed a few steps (only for documentation:
/// anything else gives `None`).
fn resolve_reference<'s>(spec: &'s OpenAPI, reference: &str) -> Option<&'s Schema> {
    let mut reference = reference;
    for _ in 0..8 {
        let name = reference.strip_prefix("#/components/schemas/")?;
        match spec.components.as_ref()?.schemas.get(name)? {
            ReferenceOr::Item(schema) => return Some(schema),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
    None
}
