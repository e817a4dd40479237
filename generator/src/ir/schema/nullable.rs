//! Whether a schema admits `null` where it is used. A type is named once, but `null` is
//! allowed or not per use: a property, an item or a body whose schema is a `$ref` to a
//! component with `nullable: true` (3.0) or `type: [X, "null"]` (3.1, normalised to
//! `nullable`) admits `null` as much as an inline nullable schema does. So nullability is
//! read at each use, through references, single-part `allOf` wrappers and `oneOf`/`anyOf`
//! alternatives, and never changes the named type itself (no type is added for it).

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::{component_key, TypeSpace};

/// How many references and compositions are followed before giving up (answering "no"):
/// enough for real chains, and a bound for cycles (`A: {oneOf: [{$ref: A}]}`).
const MAX_DEPTH: usize = 16;

impl TypeSpace<'_> {
    /// Whether a value of `schema` may be `null`.
    pub fn admits_null(&self, schema: &ReferenceOr<Schema>) -> bool {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_admits_null(reference, 0),
            ReferenceOr::Item(schema) => self.item_admits_null(schema, 0),
        }
    }

    /// [`Self::admits_null`] for the boxed schemas `openapiv3` uses in properties and items.
    pub fn boxed_admits_null(&self, schema: &ReferenceOr<Box<Schema>>) -> bool {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_admits_null(reference, 0),
            ReferenceOr::Item(schema) => self.item_admits_null(schema, 0),
        }
    }

    fn reference_admits_null(&self, reference: &str, depth: usize) -> bool {
        if depth >= MAX_DEPTH {
            return false;
        }
        let target = component_key(reference).and_then(|key| self.components.get(&key));
        match target {
            Some(ReferenceOr::Reference { reference }) => {
                self.reference_admits_null(reference, depth + 1)
            }
            Some(ReferenceOr::Item(schema)) => self.item_admits_null(schema, depth + 1),
            // A reference to nothing is reported where it is lowered.
            None => false,
        }
    }

    fn part_admits_null(&self, part: &ReferenceOr<Schema>, depth: usize) -> bool {
        match part {
            ReferenceOr::Reference { reference } => self.reference_admits_null(reference, depth),
            ReferenceOr::Item(schema) => self.item_admits_null(schema, depth),
        }
    }

    fn item_admits_null(&self, schema: &Schema, depth: usize) -> bool {
        if schema.schema_data.nullable {
            return true;
        }
        if depth >= MAX_DEPTH {
            return false;
        }
        let (all_of, alternatives): (&[ReferenceOr<Schema>], &[ReferenceOr<Schema>]) =
            match &schema.schema_kind {
                SchemaKind::AllOf { all_of } => (all_of, &[]),
                SchemaKind::OneOf { one_of } => (&[], one_of),
                SchemaKind::AnyOf { any_of } => (&[], any_of),
                SchemaKind::Any(any) if any.typ.is_none() && any.properties.is_empty() => {
                    let alternatives = if any.one_of.is_empty() {
                        &any.any_of
                    } else {
                        &any.one_of
                    };
                    (&any.all_of, alternatives)
                }
                _ => (&[], &[]),
            };
        // allOf: every part must admit it (the common `allOf: [{$ref: X}]` is X; a part
        // that only annotates constrains nothing).
        let typed: Vec<&ReferenceOr<Schema>> = all_of
            .iter()
            .filter(|part| {
                !part
                    .as_item()
                    .is_some_and(super::compose::is_annotation_only)
            })
            .collect();
        if !typed.is_empty() && typed.iter().all(|p| self.part_admits_null(p, depth + 1)) {
            return true;
        }
        // oneOf/anyOf: one alternative admitting it is enough (a 3.1 `{type: 'null'}`
        // alternative is `nullable` after normalising).
        alternatives
            .iter()
            .any(|alternative| self.part_admits_null(alternative, depth + 1))
    }
}
