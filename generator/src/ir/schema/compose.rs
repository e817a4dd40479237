//! Composition: allOf merged into one struct, oneOf/anyOf as unions of their
//! alternatives, and chains of bare `$ref`s between components (followed with a bound,
//! and refused when they close a cycle with no schema in between).

use std::collections::HashSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::{component_key, schema_key, Scope, Shape, TypeSpace};
use crate::error::{pointer_join, Error, ErrorKind};
use crate::ir::{Discriminator, TypeId, TypeKind, TypeRef, Union, UnionVariant};

impl<'a> TypeSpace<'a> {
    /// Fails when component schemas that are bare `$ref`s lead back to themselves through
    /// bare `$ref`s only (`A: {$ref: B}`, `B: {$ref: A}`): no type is in between, so there
    /// is nothing to generate. The message names the cycle. Each component has at most one
    /// such edge, so one walk from each, marking what it met, finds every cycle in linear time.
    pub(super) fn refuse_reference_cycles(&self) -> Result<(), Error> {
        let next = |index: usize| -> Option<usize> {
            match self.components.get_index(index) {
                Some((_, ReferenceOr::Reference { reference })) => {
                    component_key(reference).and_then(|k| self.components.get_index_of(&k))
                }
                _ => None,
            }
        };
        // The walk (by its start) that first met each component.
        let mut met_by: Vec<Option<usize>> = vec![None; self.components.len()];
        for start in 0..self.components.len() {
            let mut current = Some(start);
            while let Some(index) = current {
                match met_by[index] {
                    Some(walk) if walk == start => {
                        let mut cycle = vec![index];
                        let mut member = next(index);
                        while let Some(m) = member.filter(|m| *m != index) {
                            cycle.push(m);
                            member = next(m);
                        }
                        cycle.push(index);
                        let names: Vec<&str> = cycle
                            .iter()
                            .filter_map(|i| self.components.get_index(*i).map(|(k, _)| k.as_str()))
                            .collect();
                        return Err(self.source.error(
                            ErrorKind::BadReference,
                            &pointer_join("#/components/schemas", names[0]),
                            format!(
                                "$ref cycle with no schema in between: {}",
                                names.join(" -> ")
                            ),
                        ));
                    }
                    Some(_) => break,
                    None => met_by[index] = Some(start),
                }
                current = next(index);
            }
        }
        Ok(())
    }

    /// allOf: one struct with the properties of every part, in order (later duplicates of a
    /// property are dropped). Parts that are not objects make the node free-form JSON.
    pub(super) fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        name: &str,
        pointer: &str,
    ) -> Result<Shape, Error> {
        // Parts that only annotate (`{description: ...}`) add nothing to the type: the common
        // `allOf: [{$ref: X}, {description: ...}]` is X with a description of its own.
        let typed: Vec<(usize, &ReferenceOr<Schema>)> = parts
            .iter()
            .enumerate()
            .filter(|(_, part)| !part.as_item().is_some_and(is_annotation_only))
            .collect();
        if let [(index, only)] = typed[..] {
            // `allOf: [X]` (often with `nullable` beside it) is X itself.
            return Ok(Shape::Ref(self.lower(
                only,
                name,
                &pointer_join(&pointer_join(pointer, "allOf"), &index.to_string()),
            )?));
        }
        // The properties of every part, first occurrence first, by reference (not copied:
        // the inline schemas keep their addresses, see [`schema_key`]).
        let mut properties: Vec<(&String, &ReferenceOr<Box<Schema>>)> = Vec::new();
        let mut seen_properties: HashSet<&str> = HashSet::new();
        let mut required = Vec::new();
        let mut stack: Vec<&Schema> = Vec::new();
        // A part that includes itself (`A: {allOf: [{$ref: B}]}`, `B: {allOf: [{$ref: A}]}`)
        // is merged once.
        let mut merged: HashSet<usize> = HashSet::new();
        // A stack popped from the end: parts are pushed in reverse so they are handled in
        // order, and a nested allOf is spliced in where it stands.
        for part in parts.iter().rev() {
            stack.push(self.schema_of(part, pointer)?);
        }
        while let Some(schema) = stack.pop() {
            if !merged.insert(schema_key(schema)) {
                continue;
            }
            let mut take = |own| take_properties(own, &mut properties, &mut seen_properties);
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => {
                    take(&o.properties);
                    required.extend(o.required.iter().cloned());
                }
                SchemaKind::Any(any) if any.all_of.is_empty() => {
                    take(&any.properties);
                    required.extend(any.required.iter().cloned());
                }
                SchemaKind::AllOf { all_of } => {
                    for part in all_of.iter().rev() {
                        stack.push(self.schema_of(part, pointer)?);
                    }
                }
                _ => {
                    self.warn(
                        pointer,
                        "allOf with a part that is not an object is not modelled yet; this node is serde_json::Value".into(),
                    );
                    return Ok(Shape::Ref(TypeRef::Json));
                }
            }
        }
        let fields = self.fields(&properties, &required, name, pointer)?;
        Ok(Shape::Kind(TypeKind::Struct(fields)))
    }

    /// The schema a reference finally names (following references to references).
    pub(super) fn schema_of(
        &self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<&'a Schema, Error> {
        let mut current = schema;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(s) => return Ok(s),
                ReferenceOr::Reference { reference } => {
                    let key = component_key(reference);
                    match key.and_then(|k| self.components.get(&k)) {
                        Some(next) => current = next,
                        None => {
                            return Err(self.source.error(
                                ErrorKind::BadReference,
                                pointer,
                                format!("$ref {reference:?} does not point to a schema in #/components/schemas"),
                            ))
                        }
                    }
                }
            }
        }
        Err(self.source.error(
            ErrorKind::BadReference,
            pointer,
            "$ref chain is too long or circular".into(),
        ))
    }

    /// oneOf/anyOf: an enum of the alternatives. `null` alternatives are dropped (the
    /// field's `Option` carries them); a single remaining alternative is that type itself.
    pub(super) fn union(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        name: &str,
        pointer: &str,
    ) -> Result<Shape, Error> {
        // Each alternative's type, and the component it references (for the tag values).
        let mut alternatives: Vec<(TypeRef, Option<String>)> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if part.as_item().is_some_and(is_null_only) {
                continue;
            }
            let part_pointer = pointer_join(pointer, &i.to_string());
            let ty = self.lower(part, &format!("{name}Variant{}", i + 1), &part_pointer)?;
            let component = match part {
                ReferenceOr::Reference { reference } => component_key(reference),
                ReferenceOr::Item(_) => None,
            };
            if !alternatives.iter().any(|(t, _)| *t == ty) {
                alternatives.push((ty, component));
            }
        }
        match alternatives.len() {
            0 => return Ok(Shape::Ref(TypeRef::Json)),
            1 => return Ok(Shape::Ref(alternatives.remove(0).0)),
            _ => {}
        }
        if discriminator.is_none() {
            alternatives.sort_by_key(|(ty, _)| self.specificity(ty));
        }
        let mut scope = Scope::with_reserved(&["Unknown"]);
        let variants: Vec<UnionVariant> = alternatives
            .iter()
            .map(|(ty, _)| UnionVariant {
                name: scope.unique(self.variant_name(ty)),
                ty: ty.clone(),
            })
            .collect();
        let discriminator = discriminator.map(|d| {
            let mut mapping = Vec::new();
            for (i, (_, component)) in alternatives.iter().enumerate() {
                let Some(component) = component else { continue };
                // Explicit mapping entries (to `#/components/schemas/X` or just `X`), else
                // the default tag value: the component's name.
                let explicit: Vec<&String> = d
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        component_key(target).as_deref() == Some(component.as_str())
                            || *target == component
                    })
                    .map(|(value, _)| value)
                    .collect();
                if explicit.is_empty() {
                    mapping.push((component.clone(), i));
                } else {
                    mapping.extend(explicit.into_iter().map(|value| (value.clone(), i)));
                }
            }
            Discriminator {
                property: d.property_name.clone(),
                mapping,
            }
        });
        Ok(Shape::Kind(TypeKind::Union(Union {
            variants,
            discriminator,
        })))
    }

    /// The variant name for an alternative: its type's name, or its kind.
    fn variant_name(&self, ty: &TypeRef) -> String {
        variant_name(ty, &|id| self.type_name_of(id))
    }

    /// The name of a type, lowered or only reserved.
    fn type_name_of(&self, id: TypeId) -> String {
        if let Some(Some(def)) = self.types.get(id.0) {
            return def.name.clone();
        }
        self.reserved_names
            .get(&id.0)
            .cloned()
            .unwrap_or_else(|| "Object".into())
    }

    /// Sort key for untagged alternatives (see [`specificity`]).
    fn specificity(&self, ty: &TypeRef) -> (u8, usize) {
        specificity(ty, &|id| {
            self.types
                .get(id.0)
                .and_then(|t| t.as_ref())
                .map(|t| &t.kind)
        })
    }
}

/// The variant name for a union alternative: its type's name (`name_of`), or its kind.
pub(in crate::ir) fn variant_name(ty: &TypeRef, name_of: &dyn Fn(TypeId) -> String) -> String {
    match ty {
        TypeRef::Named(id) => name_of(*id),
        TypeRef::String | TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime => "String".into(),
        TypeRef::Bool => "Boolean".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Array(_) | TypeRef::Set(_) => "Array".into(),
        TypeRef::Map(_) | TypeRef::Json => "Object".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Nullable(inner) => variant_name(inner, name_of),
    }
}

/// Sort key for untagged alternatives: structs with more required fields first, then
/// other named types, maps, arrays, booleans, integers before numbers, formatted
/// strings before plain strings, and free-form JSON last. `kind_of` gives a named
/// type's definition (none when not lowered yet).
pub(in crate::ir) fn specificity<'t>(
    ty: &TypeRef,
    kind_of: &dyn Fn(TypeId) -> Option<&'t TypeKind>,
) -> (u8, usize) {
    match ty {
        TypeRef::Named(id) => match kind_of(*id) {
            Some(TypeKind::Struct(fields)) => {
                (0, usize::MAX - fields.iter().filter(|f| f.required).count())
            }
            _ => (1, 0),
        },
        TypeRef::Map(_) => (2, 0),
        TypeRef::Array(_) | TypeRef::Set(_) => (3, 0),
        TypeRef::Bool => (4, 0),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => (5, 0),
        TypeRef::F32 | TypeRef::F64 => (6, 0),
        TypeRef::Uuid | TypeRef::Date | TypeRef::DateTime | TypeRef::Bytes => (7, 0),
        TypeRef::String => (8, 0),
        TypeRef::Json => (9, 0),
        // Tried where its type would be: `null` matches no other alternative's kind.
        TypeRef::Nullable(inner) => specificity(inner, kind_of),
    }
}

/// Appends the properties of `own` not seen before, in order.
fn take_properties<'s>(
    own: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    properties: &mut Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    seen: &mut HashSet<&'s str>,
) {
    for (k, v) in own {
        if seen.insert(k.as_str()) {
            properties.push((k, v));
        }
    }
}

/// A schema that says nothing about the shape of a value: no type, properties, items,
/// enumeration, format or composition (typically only a `description`).
pub(super) fn is_annotation_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            schema.schema_data.discriminator.is_none()
                && any.typ.is_none()
                && any.properties.is_empty()
                && any.required.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.format.is_none()
                && any.one_of.is_empty()
                && any.all_of.is_empty()
                && any.any_of.is_empty()
                && any.not.is_none()
        }
        _ => false,
    }
}

/// A schema that only says "null": a 3.1 `type: 'null'` alternative (`type: ['null']`
/// becomes `nullable` with no type when normalising; the single name stays as written).
pub(super) fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            (schema.schema_data.nullable && any.typ.is_none() || any.typ.as_deref() == Some("null"))
                && any.properties.is_empty()
                && any.items.is_none()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.all_of.is_empty()
        }
        _ => false,
    }
}
