//! Lowering schemas to named types and type references.
//!
//! Follows typify's passes: first every component schema gets a [`TypeId`] and a name (so
//! forward and circular references resolve), then each is converted; inline schemas met on
//! the way are named from their context (`{Parent}{Property}`, or their `title`) and added
//! in the order they are met. An inline type identical to an existing type of the same name
//! is reused (specs often repeat a titled body schema); otherwise the name gets a number.
//! A construct not modelled yet becomes `serde_json::Value` with a warning, never an error.
//!
//! Nothing here recurses without a bound. An inline schema is lowered once, however often
//! allOf copies it into other types (so time stays linear in the spec's size), and one met
//! again while it is still being lowered (`Not: {allOf: [{$ref: Expression}, ...]}` inside
//! `Expression`) gets its type reserved at that point and refers to itself: recursion in
//! the spec becomes recursion between types, which the emitter boxes where needed.

use std::collections::HashMap;

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::docs::schema_doc;
use super::names::{self, Scope};
use super::{EnumVariant, Field, TypeDef, TypeId, TypeKind, TypeRef};
use crate::error::{pointer_join, Diagnostic, Error, ErrorKind};
use crate::load::Locations;

mod compose;
mod nullable;

use nullable::nullable_if;

pub(in crate::ir) use compose::{specificity, variant_name};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// The registry of named types being built for one spec.
pub struct TypeSpace<'a> {
    source: &'a dyn Locations,
    components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    types: Vec<Option<TypeDef>>,
    by_component: HashMap<String, TypeId>,
    component_names: Vec<String>,
    /// Names of types reserved but not lowered yet, by id.
    reserved_names: HashMap<usize, String>,
    /// Inline schemas being lowered, innermost last (see [`InProgress`]).
    in_progress: Vec<InProgress>,
    /// Inline schemas already lowered, by address (see [`schema_key`]).
    lowered: HashMap<usize, TypeRef>,
    /// Lowered types by final name, to find an identical earlier inline type quickly.
    by_name: HashMap<String, usize>,
    /// Inline structs, enums and unions by shape, to alias repeats of the same shape.
    by_shape: HashMap<TypeKind, usize>,
    /// Shape aliases: alias id to the id of the type it repeats.
    canonical: HashMap<usize, usize>,
    names: Scope,
    /// Warnings collected while lowering.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> TypeSpace<'a> {
    /// Reserves a type for every component schema, in spec order.
    pub fn new(
        source: &'a dyn Locations,
        components: &'a indexmap::IndexMap<String, ReferenceOr<Schema>>,
    ) -> Self {
        let mut space = Self {
            source,
            components,
            types: Vec::new(),
            by_component: HashMap::new(),
            component_names: Vec::new(),
            reserved_names: HashMap::new(),
            in_progress: Vec::new(),
            lowered: HashMap::new(),
            by_name: HashMap::new(),
            by_shape: HashMap::new(),
            canonical: HashMap::new(),
            names: Scope::default(),
            diagnostics: Vec::new(),
        };
        for key in components.keys() {
            let id = TypeId(space.types.len());
            space.types.push(None);
            let name = space.names.unique(names::type_name(key));
            space.component_names.push(name.clone());
            space.reserved_names.insert(id.0, name);
            space.by_component.insert(key.clone(), id);
        }
        space
    }

    /// Converts every component schema into its reserved type.
    pub fn lower_components(&mut self) -> Result<(), Error> {
        self.refuse_reference_cycles()?;
        let reserved = std::mem::take(&mut self.component_names);
        for ((key, schema), name) in self.components.iter().zip(reserved) {
            let pointer = pointer_join("#/components/schemas", key);
            let id = self.by_component[key];
            let def = match schema {
                ReferenceOr::Reference { reference } => TypeDef {
                    name: name.clone(),
                    doc: None,
                    kind: TypeKind::Alias(self.resolve(reference, &pointer)?),
                },
                ReferenceOr::Item(schema) => {
                    let doc = schema_doc(schema);
                    let kind = match self.shape(schema, &name, &pointer)? {
                        Shape::Kind(kind) => kind,
                        Shape::Ref(ty) => TypeKind::Alias(ty),
                    };
                    TypeDef { name, doc, kind }
                }
            };
            self.by_name.insert(def.name.clone(), id.0);
            self.types[id.0] = Some(def);
        }
        Ok(())
    }

    /// All types, in order. Reserved slots never filled (impossible after
    /// [`Self::lower_components`]) become free-form JSON aliases.
    pub fn finish(self) -> (Vec<TypeDef>, Vec<Diagnostic>) {
        let types = self
            .types
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                t.unwrap_or_else(|| TypeDef {
                    name: format!("Unresolved{i}"),
                    doc: None,
                    kind: TypeKind::Alias(TypeRef::Json),
                })
            })
            .collect();
        (types, self.diagnostics)
    }

    /// The type for a schema used at `pointer`; `hint` names it if it needs a new type.
    pub fn lower(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_item(schema, hint, pointer),
        }
    }

    /// [`Self::lower`] for the boxed schemas `openapiv3` uses in properties and items.
    pub fn lower_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve(reference, pointer),
            ReferenceOr::Item(schema) => self.lower_item(schema, hint, pointer),
        }
    }

    fn lower_item(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Result<TypeRef, Error> {
        let key = schema_key(schema);
        if let Some(ty) = self.lowered.get(&key) {
            return Ok(ty.clone());
        }
        if let Some(depth) = self.in_progress.iter().position(|p| p.key == key) {
            return Ok(TypeRef::Named(self.reserve(depth)));
        }
        let name = schema
            .schema_data
            .title
            .as_deref()
            .map(names::type_name)
            .unwrap_or_else(|| names::type_name(hint));
        self.in_progress.push(InProgress {
            key,
            name: name.clone(),
            reserved: None,
        });
        let shape = self.shape(schema, &name, pointer);
        let reserved = self.in_progress.pop().and_then(|p| p.reserved);
        let doc = schema_doc(schema);
        let ty = match (shape?, reserved) {
            (Shape::Ref(ty), None) => ty,
            (Shape::Kind(kind), None) => TypeRef::Named(self.define(name, doc, kind)),
            (shape, Some(id)) => {
                let kind = match shape {
                    Shape::Kind(kind) => kind,
                    Shape::Ref(ty) => TypeKind::Alias(ty),
                };
                let name = self.reserved_names.remove(&id.0).unwrap_or(name);
                self.by_name.insert(name.clone(), id.0);
                self.types[id.0] = Some(TypeDef { name, doc, kind });
                TypeRef::Named(id)
            }
        };
        self.lowered.insert(key, ty.clone());
        Ok(ty)
    }

    /// The type of the inline schema at `depth` of [`Self::in_progress`], which was met
    /// again inside itself: reserved now (once), filled when its lowering ends.
    fn reserve(&mut self, depth: usize) -> TypeId {
        if let Some(id) = self.in_progress[depth].reserved {
            return id;
        }
        let id = TypeId(self.types.len());
        self.types.push(None);
        let name = self.names.unique(self.in_progress[depth].name.clone());
        self.reserved_names.insert(id.0, name);
        self.in_progress[depth].reserved = Some(id);
        id
    }

    /// Adds an inline type, reusing an identical type of the same name.
    fn define(&mut self, name: String, doc: Option<String>, kind: TypeKind) -> TypeId {
        let same = self.by_name.get(&name).copied().filter(|i| {
            self.types[*i]
                .as_ref()
                .is_some_and(|t| t.kind == kind && t.doc == doc)
        });
        if let Some(i) = same {
            return TypeId(i);
        }
        let name = self.names.unique(name);
        // An inline type shaped exactly like an earlier one becomes an alias of it: the
        // name and docs stay, the code (and its serde impls) is not repeated. Shapes are
        // compared with such aliases resolved, so parents of repeats are repeats too.
        let shape = self.canonical_kind(&kind);
        let kind = match self.by_shape.get(&shape) {
            Some(&earlier) => {
                self.canonical.insert(self.types.len(), earlier);
                TypeKind::Alias(TypeRef::Named(TypeId(earlier)))
            }
            None => {
                self.by_shape.insert(shape, self.types.len());
                kind
            }
        };
        self.by_name.insert(name.clone(), self.types.len());
        self.types.push(Some(TypeDef { name, doc, kind }));
        TypeId(self.types.len() - 1)
    }

    /// `kind` with every reference to a shape alias replaced by the type it aliases.
    fn canonical_kind(&self, kind: &TypeKind) -> TypeKind {
        let mut kind = kind.clone();
        match &mut kind {
            TypeKind::Struct(fields) => {
                for field in fields {
                    self.canonical_ref(&mut field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    self.canonical_ref(&mut variant.ty);
                }
            }
            TypeKind::Alias(ty) => self.canonical_ref(ty),
            TypeKind::Enum(_) => {}
        }
        kind
    }

    fn canonical_ref(&self, ty: &mut TypeRef) {
        match ty {
            TypeRef::Named(id) => {
                if let Some(&earlier) = self.canonical.get(&id.0) {
                    *id = TypeId(earlier);
                }
            }
            TypeRef::Array(inner)
            | TypeRef::Set(inner)
            | TypeRef::Map(inner)
            | TypeRef::Nullable(inner) => self.canonical_ref(inner),
            _ => {}
        }
    }

    fn resolve(&mut self, reference: &str, pointer: &str) -> Result<TypeRef, Error> {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.warn(
                pointer,
                format!(
                    "reference {reference:?} is not to a component schema; using serde_json::Value"
                ),
            );
            return Ok(TypeRef::Json);
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        match self.by_component.get(&key) {
            Some(id) => Ok(TypeRef::Named(*id)),
            None => Err(self.source.error(
                ErrorKind::BadReference,
                pointer,
                format!("$ref {reference:?} points to no schema in #/components/schemas"),
            )),
        }
    }

    fn warn(&mut self, pointer: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            location: self.source.unlocated(pointer),
            message,
        });
    }

    /// Decides what a schema becomes: a reference to an existing type, or a new named type.
    fn shape(&mut self, schema: &Schema, name: &str, pointer: &str) -> Result<Shape, Error> {
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if s.enumeration.iter().any(Option::is_some) {
                    Shape::Kind(enum_kind(s.enumeration.iter().flatten()))
                } else {
                    Shape::Ref(match &s.format {
                        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Bytes,
                        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                        _ => TypeRef::String,
                    })
                }
            }
            SchemaKind::Type(Type::Integer(i)) => Shape::Ref(match &i.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if matches!(f.as_str(), "int8" | "int16") => {
                    TypeRef::I32
                }
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uint64" => TypeRef::U64,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Shape::Ref(match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Ref(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let items_pointer = pointer_join(pointer, "items");
                let item = match &a.items {
                    Some(items) => nullable_if(
                        self.boxed_admits_null(items),
                        self.lower_boxed(items, &format!("{name}Item"), &items_pointer)?,
                    ),
                    None => TypeRef::Json,
                };
                Shape::Ref(collection(item, a.unique_items))
            }
            SchemaKind::Type(Type::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                name,
                pointer,
            )?,
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.additional_properties.is_some() {
                    self.object(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        name,
                        pointer,
                    )?
                } else if let Some(items) = &any.items {
                    let item_pointer = pointer_join(pointer, "items");
                    let item = nullable_if(
                        self.boxed_admits_null(items),
                        self.lower_boxed(items, &format!("{name}Item"), &item_pointer)?,
                    );
                    Shape::Ref(collection(item, any.unique_items.unwrap_or(false)))
                } else if !any.all_of.is_empty() {
                    self.all_of(&any.all_of, name, pointer)?
                } else if !any.one_of.is_empty() {
                    self.union(
                        &any.one_of,
                        schema.schema_data.discriminator.as_ref(),
                        name,
                        &pointer_join(pointer, "oneOf"),
                    )?
                } else if !any.any_of.is_empty() {
                    self.union(
                        &any.any_of,
                        schema.schema_data.discriminator.as_ref(),
                        name,
                        &pointer_join(pointer, "anyOf"),
                    )?
                } else {
                    Shape::Ref(TypeRef::Json)
                }
            }
            SchemaKind::AllOf { all_of } => self.all_of(all_of, name, pointer)?,
            SchemaKind::OneOf { one_of } => self.union(
                one_of,
                schema.schema_data.discriminator.as_ref(),
                name,
                &pointer_join(pointer, "oneOf"),
            )?,
            SchemaKind::AnyOf { any_of } => self.union(
                any_of,
                schema.schema_data.discriminator.as_ref(),
                name,
                &pointer_join(pointer, "anyOf"),
            )?,
            SchemaKind::Not { .. } => {
                self.warn(
                    pointer,
                    "`not` cannot be expressed as a Rust type; this node is serde_json::Value"
                        .into(),
                );
                Shape::Ref(TypeRef::Json)
            }
        };
        Ok(shape)
    }

    fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        name: &str,
        pointer: &str,
    ) -> Result<Shape, Error> {
        if properties.is_empty() {
            return Ok(Shape::Ref(match additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_pointer = pointer_join(pointer, "additionalProperties");
                    let ty = self.lower(value, &format!("{name}Value"), &value_pointer)?;
                    TypeRef::Map(Box::new(nullable_if(self.admits_null(value), ty)))
                }
                _ => TypeRef::Json,
            }));
        }
        let properties: Vec<_> = properties.iter().collect();
        let mut fields = self.fields(&properties, required, name, pointer)?;
        let value = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(value)) => {
                let value_pointer = pointer_join(pointer, "additionalProperties");
                let ty = self.lower(value, &format!("{name}Value"), &value_pointer)?;
                Some(nullable_if(self.admits_null(value), ty))
            }
            _ => None,
        };
        if let Some(value) = value {
            let mut scope = Scope::default();
            for field in &fields {
                scope.unique(field.name.clone());
            }
            fields.push(Field {
                name: scope.unique("additional_properties".into()),
                wire_name: String::new(),
                ty: TypeRef::Map(Box::new(value)),
                required: true,
                nullable: false,
                flatten: true,
                doc: Some("Properties not declared above (`additionalProperties`).".into()),
            });
        }
        Ok(Shape::Kind(TypeKind::Struct(fields)))
    }

    fn fields(
        &mut self,
        properties: &[(&String, &ReferenceOr<Box<Schema>>)],
        required: &[String],
        name: &str,
        pointer: &str,
    ) -> Result<Vec<Field>, Error> {
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(properties.len());
        let properties_pointer = pointer_join(pointer, "properties");
        for &(wire_name, schema) in properties {
            let field_pointer = pointer_join(&properties_pointer, wire_name);
            let hint = format!("{name}{}", names::type_name(wire_name));
            let ty = self.lower_boxed(schema, &hint, &field_pointer)?;
            let inline = schema.as_item();
            // Read at each use: a `$ref` to a nullable component admits `null` here too.
            let nullable = self.boxed_admits_null(schema);
            fields.push(Field {
                name: scope.unique(names::snake_name(wire_name)),
                wire_name: wire_name.clone(),
                ty,
                required: required.contains(wire_name),
                nullable,
                flatten: false,
                doc: inline.and_then(|s| schema_doc(s)),
            });
        }
        Ok(fields)
    }
}

/// An inline schema whose lowering has begun and not ended.
struct InProgress {
    /// Its [`schema_key`].
    key: usize,
    /// The name it gets.
    name: String,
    /// The type reserved for it when it was met again inside itself.
    reserved: Option<TypeId>,
}

/// An inline schema's identity while lowering: its address in the typed spec, which is
/// borrowed unchanged for the whole of lowering (schemas are never copied on the way).
fn schema_key(schema: &Schema) -> usize {
    std::ptr::from_ref(schema) as usize
}

/// What a schema lowers to.
enum Shape {
    /// An existing or built-in type.
    Ref(TypeRef),
    /// A new named type.
    Kind(TypeKind),
}

/// The component name a `#/components/schemas/...` reference names.
fn component_key(reference: &str) -> Option<String> {
    let key = reference.strip_prefix(SCHEMA_PREFIX)?;
    Some(key.replace("~1", "/").replace("~0", "~"))
}

fn collection(item: TypeRef, unique: bool) -> TypeRef {
    let orderable = matches!(item, TypeRef::String | TypeRef::I32 | TypeRef::I64);
    if unique && orderable {
        TypeRef::Set(Box::new(item))
    } else {
        TypeRef::Array(Box::new(item))
    }
}

fn enum_kind<'s>(values: impl Iterator<Item = &'s String>) -> TypeKind {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut variants: Vec<EnumVariant> = Vec::new();
    for value in values {
        if variants.iter().any(|v| v.value == *value) {
            continue;
        }
        variants.push(EnumVariant {
            name: scope.unique(names::type_name(value)),
            value: value.clone(),
        });
    }
    TypeKind::Enum(variants)
}
