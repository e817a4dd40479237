//! Whether a schema admits `null` where it is used. A type is named once, but `null` is
//! allowed or not per use: a property, an item or a body whose schema is a `$ref` to a
//! component with `nullable: true` (3.0) or `type: [X, "null"]` (3.1, normalised to
//! `nullable`) admits `null` as much as an inline nullable schema does. So nullability is
//! read at each use, through references, single-part `allOf` wrappers and `oneOf`/`anyOf`
//! alternatives, and never changes the named type itself (no type is added for it).
//!
//! A field, parameter or body keeps the answer in its own `nullable` flag; an array item or
//! a map value has no such place, so its type says it: [`TypeRef::Nullable`] (`Vec<Option<T>>`,
//! `BTreeMap<String, Option<T>>`), made by [`nullable_if`].

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::{component_key, TypeSpace};
use crate::ir::TypeRef;

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
        if schema.schema_data.nullable || super::compose::is_null_only(schema) {
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

/// The type of an array item or map value: `ty`, or `Option` of it when its schema admits
/// `null`. Free-form JSON (`serde_json::Value`) holds `null` itself and stays as it is.
pub(super) fn nullable_if(admits_null: bool, ty: TypeRef) -> TypeRef {
    if admits_null && ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::ir::lower::lower_with;
    use crate::ir::{Api, TypeKind, TypeRef};
    use crate::load::Source;
    use crate::settings::Settings;

    fn lowered(text: &str) -> Api {
        let source = Source::parse(Path::new("spec.yaml"), text.to_string()).expect("parses");
        let spec = source.typed().expect("typed");
        lower_with(&source, &spec, &Settings::default())
            .expect("lowers")
            .0
    }

    fn named(api: &Api, name: &str) -> TypeRef {
        let id = api.types.iter().position(|t| t.name == name);
        TypeRef::Named(crate::ir::TypeId(
            id.unwrap_or_else(|| panic!("no type {name}")),
        ))
    }

    fn field(api: &Api, owner: &str, wire_name: &str) -> TypeRef {
        let def = api.types.iter().find(|t| t.name == owner);
        let Some(TypeKind::Struct(fields)) = def.map(|d| &d.kind) else {
            panic!("no struct {owner}");
        };
        let field = fields.iter().find(|f| f.wire_name == wire_name);
        field
            .unwrap_or_else(|| panic!("no field {wire_name}"))
            .ty
            .clone()
    }

    fn array(item: TypeRef) -> TypeRef {
        TypeRef::Array(Box::new(item))
    }

    fn map(value: TypeRef) -> TypeRef {
        TypeRef::Map(Box::new(value))
    }

    fn option(ty: TypeRef) -> TypeRef {
        TypeRef::Nullable(Box::new(ty))
    }

    const SPEC_30: &str = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /labels:
    get:
      operationId: listLabels
      parameters:
        - {name: names, in: query, schema: {type: array, items: {type: string, nullable: true}}}
        - {name: page, in: query, schema: {type: integer}}
        - {name: per_page, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Label'}}
components:
  schemas:
    Label: {type: object, nullable: true, properties: {name: {type: string}}}
    Tag: {type: object, properties: {name: {type: string}}}
    NullableTag: {nullable: true, allOf: [{$ref: '#/components/schemas/Tag'}]}
    Choice:
      oneOf:
        - {type: array, items: {$ref: '#/components/schemas/Label'}}
        - {type: string}
    Holder:
      type: object
      properties:
        labels: {type: array, items: {$ref: '#/components/schemas/Label'}}
        wrapped: {type: array, items: {$ref: '#/components/schemas/NullableTag'}}
        tags: {type: array, items: {$ref: '#/components/schemas/Tag'}}
        words: {type: array, items: {type: string, nullable: true}}
        grid: {type: array, items: {type: array, nullable: true, items: {type: integer, nullable: true}}}
        anything: {type: array, items: {nullable: true}}
        files: {type: object, additionalProperties: {$ref: '#/components/schemas/Label'}}
        counts: {type: object, additionalProperties: {type: integer, nullable: true}}
"##;

    #[test]
    fn items_and_values_admitting_null_are_options_and_others_are_not() {
        let api = lowered(SPEC_30);
        let label = named(&api, "Label");
        let f = |name| field(&api, "Holder", name);
        assert_eq!(f("labels"), array(option(label.clone())));
        assert_eq!(f("wrapped"), array(option(named(&api, "NullableTag"))));
        assert_eq!(f("tags"), array(named(&api, "Tag")));
        assert_eq!(f("words"), array(option(TypeRef::String)));
        assert_eq!(
            f("grid"),
            array(option(array(option(TypeRef::I64)))),
            "nested arrays, each level on its own"
        );
        assert_eq!(
            f("anything"),
            array(TypeRef::Json),
            "JSON holds null itself"
        );
        assert_eq!(f("files"), map(option(label.clone())));
        assert_eq!(f("counts"), map(option(TypeRef::I64)));
        let choice = api.types.iter().find(|t| t.name == "Choice");
        let Some(TypeKind::Union(union)) = choice.map(|t| &t.kind) else {
            panic!("Choice is a union");
        };
        assert!(union
            .variants
            .iter()
            .any(|v| v.ty == array(option(label.clone()))));
    }

    #[test]
    fn parameters_bodies_and_paged_items_keep_the_option() {
        let api = lowered(SPEC_30);
        let op = &api.operations[0];
        let names = op.params.iter().find(|p| p.wire_name == "names");
        assert_eq!(
            names.map(|p| p.ty.clone()),
            Some(array(option(TypeRef::String)))
        );
        let label = named(&api, "Label");
        let body = op.success.body.as_ref().map(|b| b.ty.clone());
        assert_eq!(body, Some(array(option(label.clone()))));
        let paging = op.pagination.as_ref().expect("pages by page number");
        assert_eq!(
            paging.item_type,
            option(label),
            "`_stream`/`_all` yield options"
        );
    }

    #[test]
    fn the_3_1_spellings_admit_null_too() {
        let api = lowered(
            r##"
openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Card: {type: [object, 'null'], properties: {title: {type: string}}}
    Pin: {type: object, properties: {at: {type: string}}}
    Board:
      type: object
      properties:
        cards: {type: array, items: {$ref: '#/components/schemas/Card'}}
        words: {type: array, items: {type: [string, 'null']}}
        counts: {type: object, additionalProperties: {type: [integer, 'null']}}
        plain: {type: array, items: {type: string}}
        pins: {type: array, items: {oneOf: [{$ref: '#/components/schemas/Pin'}, {type: 'null'}]}}
        owners: {type: object, additionalProperties: {anyOf: [{type: 'null'}, {$ref: '#/components/schemas/Pin'}]}}
"##,
        );
        let f = |name| field(&api, "Board", name);
        assert_eq!(f("cards"), array(option(named(&api, "Card"))));
        assert_eq!(f("words"), array(option(TypeRef::String)));
        assert_eq!(f("counts"), map(option(TypeRef::I64)));
        assert_eq!(f("plain"), array(TypeRef::String));
        let pin = named(&api, "Pin");
        assert_eq!(
            f("pins"),
            array(option(pin.clone())),
            "a `type: 'null'` alternative"
        );
        assert_eq!(f("owners"), map(option(pin)));
    }
}
