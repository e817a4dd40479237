//! Finding pagination in the lowered operations: which paging pattern an operation's
//! parameters, success body and headers show (`Link: rel="next"`, a cursor parameter with
//! a next cursor in the body, `has_more` with the last item's id, an offset with a page
//! size, a page number with a page size), and the shared resolution of parameter names
//! and JSON pointers that `x-pagination` (in [`super::extensions`]) uses too.
//!
//! Detection is conservative: a pattern is found only when every part of it is present
//! by a well-known name with the expected type, and the items are the one array of the
//! success body (or the body itself). Anything ambiguous is left alone; `x-pagination`
//! states what detection does not find, or switches it off.
//!
//! A success body that is a union whose every alternative is an array (GitHub's
//! stargazers: users, or under another media type users with the time they starred) pages
//! too: its items are an *item union* made here ([`ItemUnions`]), named after the body
//! union with `Item` appended (`{BodyUnion}Item`, numbered on a clash), with one variant
//! per distinct item type, tried most specific first like any untagged union.

use std::collections::BTreeMap;

use super::names::Scope;
use super::schema::{specificity, variant_name};
use super::{
    BodyMedia, CursorLocation, Field, ItemArm, ItemId, Operation, PagingOrigin, PagingParam,
    PagingPattern, ParamLocation, PathStep, ResponseBody, TypeDef, TypeId, TypeKind, TypeRef,
    Union, UnionVariant,
};

/// Query parameters that carry a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "page_cursor",
    "pageCursor",
    "marker",
];

/// Body fields (up to two levels deep) that carry the next cursor.
const NEXT_CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next_page",
    "nextPage",
    "continuation_token",
    "continuationToken",
    "next_marker",
    "nextMarker",
    "cursor",
];

/// Query parameters that carry an item offset.
const OFFSET_PARAMS: &[&str] = &["offset", "startAt", "start_at", "skip"];

/// Query parameters that carry a page size (with an offset or a page number).
const SIZE_PARAMS: &[&str] = &[
    "limit",
    "maxResults",
    "max_results",
    "per_page",
    "perPage",
    "page_size",
    "pageSize",
    "size",
];

/// Query parameters that carry a page number.
const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];

/// Body fields (top level) that carry the total number of items.
const TOTAL_FIELDS: &[&str] = &[
    "total",
    "total_count",
    "totalCount",
    "total_results",
    "totalResults",
    "total_size",
    "totalSize",
];

/// What paging an operation shows, or `None`.
pub(super) struct Found {
    pub pattern: PagingPattern,
    pub items: Vec<PathStep>,
    pub item: Items,
    pub origin: PagingOrigin,
}

/// What one page's items are.
#[derive(Debug, Clone)]
pub(super) enum Items {
    /// Items of one type.
    One(TypeRef),
    /// The body is a union whose every alternative is an array.
    OfUnion(ArrayUnion),
}

/// A union (untagged) whose every alternative is an array: the union, and for each of its
/// variants, the type of the items.
#[derive(Debug, Clone)]
pub(super) struct ArrayUnion {
    union: TypeId,
    arms: Vec<(String, TypeRef)>,
}

/// Finds the paging pattern `op` shows, if any (see the module doc for the rules).
pub(super) fn detect(types: &[TypeDef], op: &Operation) -> Option<Found> {
    let (body, _) = paged_body(op).ok()?;
    let (items, item) = match one_array(types, &body.ty) {
        Some((items, item_type)) => (items, Items::One(item_type)),
        None => (Vec::new(), Items::OfUnion(array_union(types, &body.ty)?)),
    };
    let found = |pattern, mut evidence: String| {
        if matches!(item, Items::OfUnion(_)) {
            evidence.push_str(", body a union of arrays");
        }
        Some(Found {
            pattern,
            items: items.clone(),
            item: item.clone(),
            origin: PagingOrigin::Detected(evidence),
        })
    };
    let query = |names: &[&str], want: fn(&TypeRef) -> bool| {
        let matches: Vec<PagingParam> = names
            .iter()
            .filter_map(|name| query_param(op, name).ok())
            .filter(|p| want(&p.ty))
            .collect();
        (matches.len() == 1)
            .then(|| matches.into_iter().next())
            .flatten()
    };
    let optional = |p: Option<PagingParam>| p.filter(|p| !p.required);
    let integer = |ty: &TypeRef| is_integer(ty);
    let string = |ty: &TypeRef| *ty == TypeRef::String;

    // `Link: <...>; rel="next"` (GitHub).
    if op
        .success
        .headers
        .iter()
        .any(|h| h.wire_name.eq_ignore_ascii_case("link"))
        && op.method == super::HttpMethod::Get
    {
        let page = optional(query(PAGE_PARAMS, integer));
        let evidence = match &page {
            Some(page) => format!("header `Link`, query `{}`", page.wire_name),
            None => "header `Link`".to_string(),
        };
        return found(PagingPattern::Link { page }, evidence);
    }
    if op.method != super::HttpMethod::Get && op.body.is_none() {
        return None;
    }
    // `has_more` + the last item's id as `starting_after` (Stripe).
    if let (Some(param), Some((has_more, TypeRef::Bool))) = (
        optional(query(&["starting_after"], string)),
        field_path(types, &body.ty, &["has_more"])
            .or_else(|| field_path(types, &body.ty, &["hasMore"])),
    ) {
        // A body union of arrays has no `has_more` field, so only one item type is read.
        let item_id = match &item {
            Items::One(item_type) => item_id(types, item_type, "id"),
            Items::OfUnion(_) => None,
        };
        if let Some(item_id) = item_id {
            let evidence = format!("query `{}`, body `has_more`", param.wire_name);
            return found(
                PagingPattern::HasMore {
                    param,
                    has_more,
                    item_id,
                },
                evidence,
            );
        }
    }
    // A cursor parameter and a next cursor in the body.
    let cursor_param = optional(query(CURSOR_PARAMS, string)).or_else(|| {
        let matches: Vec<PagingParam> = CURSOR_PARAMS
            .iter()
            .filter_map(|name| body_param(types, op, name).ok())
            .filter(|p| p.ty == TypeRef::String)
            .collect();
        (matches.len() == 1)
            .then(|| matches.into_iter().next())
            .flatten()
    });
    if let Some(param) = cursor_param {
        if let Some((next_cursor, pointer)) = next_cursor_field(types, &body.ty) {
            let place = match param.location {
                CursorLocation::Query => "query",
                CursorLocation::Body => "request body",
            };
            let evidence = format!("{place} `{}`, body `{pointer}`", param.wire_name);
            return found(PagingPattern::Cursor { param, next_cursor }, evidence);
        }
        // A cursor parameter whose next cursor cannot be found is not guessed at.
        return None;
    }
    if op.method != super::HttpMethod::Get {
        return None;
    }
    let limit = query(SIZE_PARAMS, integer);
    // An item offset with a page size, and the total when the body gives one.
    if let (Some(offset), Some(limit)) = (optional(query(OFFSET_PARAMS, integer)), limit.clone()) {
        let total = TOTAL_FIELDS
            .iter()
            .filter_map(|name| field_path(types, &body.ty, &[name]))
            .find(|(_, ty)| is_integer(ty))
            .map(|(path, _)| path);
        let evidence = format!(
            "query `{}` + `{}`{}",
            offset.wire_name,
            limit.wire_name,
            if total.is_some() { ", body total" } else { "" }
        );
        return found(
            PagingPattern::Offset {
                offset,
                limit: Some(limit),
                total,
            },
            evidence,
        );
    }
    // A page number with a page size.
    if let (Some(page), Some(per_page)) = (optional(query(PAGE_PARAMS, integer)), limit) {
        let evidence = format!("query `{}` + `{}`", page.wire_name, per_page.wire_name);
        return found(
            PagingPattern::Page {
                page,
                per_page: Some(per_page),
            },
            evidence,
        );
    }
    None
}

/// The success body paging reads, a JSON body read whole, and when the success is an enum,
/// the variant that carries it: the one case with a body, when every other case has none
/// (those are read as an empty last page).
pub(super) fn paged_body(op: &Operation) -> Result<(&ResponseBody, Option<String>), String> {
    // A body that may be `null` as a whole has no items to page through.
    let json = |body: &ResponseBody| {
        body.media == BodyMedia::Json && body.stream.is_none() && !body.nullable
    };
    if op.success.enum_name.is_none() {
        return op
            .success
            .body
            .as_ref()
            .filter(|body| json(body))
            .map(|body| (body, None))
            .ok_or_else(|| "the operation's success response has no JSON body".to_string());
    }
    let with_body: Vec<_> = op
        .success
        .cases
        .iter()
        .filter_map(|case| Some((case, case.body.as_ref()?)))
        .collect();
    match with_body.as_slice() {
        [(case, body)] if json(body) => Ok((body, Some(case.variant.clone()))),
        _ => Err(
            "the operation's success statuses differ in their bodies; paging needs one JSON \
             body, the other statuses without one"
                .to_string(),
        ),
    }
}

/// The items of a success body: the body itself when it is an array, else its one
/// top-level array field (none when there are several).
pub(super) fn one_array(types: &[TypeDef], body: &TypeRef) -> Option<(Vec<PathStep>, TypeRef)> {
    if let Some(item) = array_item(types, body) {
        return Some((Vec::new(), item));
    }
    let fields = struct_fields(types, body)?;
    let arrays: Vec<(&Field, TypeRef)> = fields
        .iter()
        .filter(|f| !f.flatten)
        .filter_map(|f| Some((f, array_item(types, &f.ty)?)))
        .collect();
    match arrays.as_slice() {
        [(field, item)] => Some((vec![path_step(field)?], item.clone())),
        _ => None,
    }
}

/// The union `body` is (through aliases), when it has no discriminator and every
/// alternative is an array.
fn array_union(types: &[TypeDef], body: &TypeRef) -> Option<ArrayUnion> {
    let union = union_of(types, body)?;
    let TypeKind::Union(Union {
        variants,
        discriminator: None,
    }) = &types.get(union.0)?.kind
    else {
        return None;
    };
    let arms = variants
        .iter()
        .map(|v| Some((v.name.clone(), array_item(types, &v.ty)?)))
        .collect::<Option<Vec<_>>>()?;
    (!arms.is_empty()).then_some(ArrayUnion { union, arms })
}

/// The union type `ty` names, through aliases.
pub(crate) fn union_of(types: &[TypeDef], ty: &TypeRef) -> Option<TypeId> {
    let mut ty = ty;
    // Bounded: a chain of aliases is at most as long as the list of types.
    for _ in 0..=types.len() {
        let TypeRef::Named(id) = ty else {
            return None;
        };
        match &types.get(id.0)?.kind {
            TypeKind::Union(_) => return Some(*id),
            TypeKind::Alias(inner) => ty = inner,
            TypeKind::Struct(_) | TypeKind::Enum(_) => return None,
        }
    }
    None
}

/// The body union of `op`'s paged success body, when its items are an item union.
pub(crate) fn paged_body_union(types: &[TypeDef], op: &Operation) -> Option<TypeId> {
    let (body, _) = paged_body(op).ok()?;
    union_of(types, &body.ty)
}

/// The item unions made for bodies that are unions of arrays, by body union (operations
/// answering with the same union share one item union), and the type names taken.
#[derive(Debug, Default)]
pub(super) struct ItemUnions {
    made: BTreeMap<TypeId, (TypeId, Vec<ItemArm>)>,
    names: Option<Scope>,
}

impl ItemUnions {
    /// The item type of `items`, and how each body variant's items become it: for a union
    /// of arrays, the item union (added to `types` the first time this body union is met).
    pub(super) fn item_type(
        &mut self,
        types: &mut Vec<TypeDef>,
        items: Items,
    ) -> (TypeRef, Vec<ItemArm>) {
        let union = match items {
            Items::One(item_type) => return (item_type, Vec::new()),
            Items::OfUnion(union) => union,
        };
        if let Some((id, arms)) = self.made.get(&union.union) {
            return (TypeRef::Named(*id), arms.clone());
        }
        // The distinct item types, most specific first (as any untagged union is tried).
        let mut item_types: Vec<TypeRef> = Vec::new();
        for (_, ty) in &union.arms {
            if !item_types.contains(ty) {
                item_types.push(ty.clone());
            }
        }
        let kind_of = |id: TypeId| types.get(id.0).map(|t| &t.kind);
        item_types.sort_by_key(|ty| specificity(ty, &kind_of));
        let name_of = |id: TypeId| {
            types
                .get(id.0)
                .map_or_else(|| "Object".to_string(), |t| t.name.clone())
        };
        let mut variant_names = Scope::with_reserved(&["Unknown"]);
        let variants: Vec<UnionVariant> = item_types
            .into_iter()
            .map(|ty| UnionVariant {
                name: variant_names.unique(variant_name(&ty, &name_of)),
                ty,
            })
            .collect();
        let arms: Vec<ItemArm> = union
            .arms
            .iter()
            .filter_map(|(body_variant, ty)| {
                let item = variants.iter().find(|v| v.ty == *ty)?;
                Some(ItemArm {
                    body_variant: body_variant.clone(),
                    item_variant: item.name.clone(),
                })
            })
            .collect();
        let body_name = types.get(union.union.0).map_or("Page", |t| t.name.as_str());
        let name_hint = format!("{body_name}Item");
        let names = self.names.get_or_insert_with(|| {
            let mut names = Scope::default();
            for def in types.iter() {
                names.take(&def.name);
            }
            names
        });
        let name = names.unique(name_hint);
        let id = TypeId(types.len());
        types.push(TypeDef {
            doc: Some(format!(
                "One item of a page of `{body_name}`, whose alternatives are arrays of \
                 different items: one variant per item type."
            )),
            name,
            kind: TypeKind::Union(Union {
                variants,
                discriminator: None,
            }),
        });
        self.made.insert(union.union, (id, arms.clone()));
        (TypeRef::Named(id), arms)
    }
}

/// The item type of an array type (through aliases; a list response's alias of an array
/// is `Vec` of its items).
pub(super) fn array_item(types: &[TypeDef], ty: &TypeRef) -> Option<TypeRef> {
    match ty {
        TypeRef::Array(item) => Some((**item).clone()),
        TypeRef::Named(id) => match &types.get(id.0)?.kind {
            TypeKind::Alias(inner) => array_item(types, inner),
            _ => None,
        },
        _ => None,
    }
}

/// How to read the item's `name` property, when it is a string: a field of a struct, or
/// the property of a union whose every alternative is a struct with it.
pub(super) fn item_id(types: &[TypeDef], item: &TypeRef, name: &str) -> Option<ItemId> {
    let string_field = |ty: &TypeRef| {
        struct_fields(types, ty)?
            .iter()
            .find(|f| f.wire_name == name && f.ty == TypeRef::String && !f.flatten)
            .and_then(path_step)
    };
    if let Some(step) = string_field(item) {
        return Some(ItemId::Field(step));
    }
    let TypeRef::Named(id) = item else {
        return None;
    };
    match &types.get(id.0)?.kind {
        TypeKind::Alias(inner) => item_id(types, inner, name),
        TypeKind::Union(union)
            if !union.variants.is_empty()
                && union.variants.iter().all(|v| string_field(&v.ty).is_some()) =>
        {
            Some(ItemId::Property(name.to_string()))
        }
        _ => None,
    }
}

/// The one string field named like a next cursor, at the top level of the body or one
/// object below it, with its pointer.
fn next_cursor_field(types: &[TypeDef], body: &TypeRef) -> Option<(Vec<PathStep>, String)> {
    let mut found = Vec::new();
    let top = struct_fields(types, body)?;
    for name in NEXT_CURSOR_FIELDS {
        if let Some((path, TypeRef::String)) = field_path(types, body, &[name]) {
            found.push((path, format!("/{name}")));
        }
        for outer in top.iter().filter(|f| !f.flatten) {
            if let Some((path, TypeRef::String)) =
                field_path(types, body, &[outer.wire_name.as_str(), name])
            {
                found.push((path, format!("/{}/{name}", outer.wire_name)));
            }
        }
    }
    (found.len() == 1)
        .then(|| found.into_iter().next())
        .flatten()
}

/// The query parameter `wire_name` of `op`.
pub(super) fn query_param(op: &Operation, wire_name: &str) -> Result<PagingParam, String> {
    op.params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.wire_name == wire_name)
        .map(|p| PagingParam {
            name: p.name.clone(),
            wire_name: p.wire_name.clone(),
            location: CursorLocation::Query,
            ty: p.ty.clone(),
            required: p.required,
        })
        .ok_or_else(|| format!("no query parameter named `{wire_name}`"))
}

/// The optional top-level property `wire_name` of `op`'s JSON request body.
pub(super) fn body_param(
    types: &[TypeDef],
    op: &Operation,
    wire_name: &str,
) -> Result<PagingParam, String> {
    let fields = op
        .body
        .as_ref()
        .filter(|b| b.media == BodyMedia::Json && b.required)
        .and_then(|b| struct_fields(types, &b.ty))
        .ok_or("a cursor in the body needs a required JSON object request body")?;
    fields
        .iter()
        .find(|f| f.wire_name == wire_name && !f.required && !f.nullable && !f.flatten)
        .map(|f| PagingParam {
            name: f.name.clone(),
            wire_name: f.wire_name.clone(),
            location: CursorLocation::Body,
            ty: f.ty.clone(),
            required: false,
        })
        .ok_or_else(|| format!("the request body has no optional property `{wire_name}`"))
}

/// Whether a type is an integer.
pub(super) fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64 | TypeRef::U64)
}

/// Follows property names through struct types: the Rust field path and the type at
/// its end, or `None` where a step is missing or not a plain (at most one `Option`) field.
pub(super) fn field_path(
    types: &[TypeDef],
    root: &TypeRef,
    names: &[&str],
) -> Option<(Vec<PathStep>, TypeRef)> {
    let mut ty = root.clone();
    let mut steps = Vec::new();
    for name in names {
        let field = struct_fields(types, &ty)?
            .iter()
            .find(|f| f.wire_name == *name && !f.flatten)?;
        steps.push(path_step(field)?);
        ty = field.ty.clone();
    }
    Some((steps, ty))
}

/// Follows a JSON pointer of property names through struct types, with a message naming
/// the step that fails. The empty pointer (or `/`) is the body itself.
pub(super) fn walk(
    types: &[TypeDef],
    root: &TypeRef,
    pointer: &str,
) -> Result<(Vec<PathStep>, TypeRef), String> {
    let tokens: Vec<String> = crate::error::pointer_tokens(pointer)
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    let names: Vec<&str> = tokens.iter().map(String::as_str).collect();
    field_path(types, root, &names)
        .ok_or_else(|| format!("{pointer} does not lead through object properties"))
}

/// A field as a path step: an `Option` when optional or nullable, two when both.
fn path_step(field: &Field) -> Option<PathStep> {
    Some(PathStep {
        field: field.name.clone(),
        optional: !field.required || field.nullable,
        double_option: !field.required && field.nullable,
    })
}

/// The JSON pointer of a field path, for reports.
fn pointer_text(types: &[TypeDef], root: &TypeRef, steps: &[PathStep]) -> String {
    let mut ty = root.clone();
    let mut text = String::new();
    for step in steps {
        let Some(field) =
            struct_fields(types, &ty).and_then(|f| f.iter().find(|f| f.name == step.field))
        else {
            break;
        };
        text.push('/');
        text.push_str(&field.wire_name);
        ty = field.ty.clone();
    }
    text
}

/// The fields of a struct type (through aliases).
pub(super) fn struct_fields<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<&'t [Field]> {
    match ty {
        TypeRef::Named(id) => match &types.get(id.0)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            TypeKind::Alias(inner) => struct_fields(types, inner),
            TypeKind::Enum(_) | TypeKind::Union(_) => None,
        },
        _ => None,
    }
}

/// The JSON pointer of a pattern's field path, for reports (see [`crate::Generated`]).
pub(crate) fn describe(types: &[TypeDef], op: &Operation, steps: &[PathStep]) -> String {
    match paged_body(op) {
        Ok((body, _)) if !steps.is_empty() => pointer_text(types, &body.ty, steps),
        _ => "(the body)".to_string(),
    }
}
