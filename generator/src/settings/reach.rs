//! Which named types operations reach, through fields, variants and aliases, and a
//! visitor over every type reference of the IR (for pruning and remapping type ids).

use crate::ir::{ErrorCase, HeaderType, Operation, TypeDef, TypeId, TypeKind, TypeRef};

/// Every named type the operations use directly.
pub fn all_refs(kept: &[Operation], dropped: &[Operation]) -> Vec<TypeId> {
    let mut ids = Vec::new();
    for op in kept.iter().chain(dropped) {
        let mut op = op.clone();
        visit_operation(&mut op, &mut |ty| collect_ids(ty, &mut ids));
    }
    ids
}

/// Which types `start` reaches (itself included), through fields, variants and aliases.
pub fn reachable(types: &[TypeDef], start: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut stack = start;
    while let Some(TypeId(index)) = stack.pop() {
        if index >= types.len() || seen[index] {
            continue;
        }
        seen[index] = true;
        let mut kind = types[index].kind.clone();
        visit_kind(&mut kind, &mut |ty| collect_ids(ty, &mut stack));
    }
    seen
}

fn collect_ids(ty: &mut TypeRef, ids: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => ids.push(*id),
        TypeRef::Array(inner)
        | TypeRef::Set(inner)
        | TypeRef::Map(inner)
        | TypeRef::Nullable(inner) => collect_ids(inner, ids),
        _ => {}
    }
}

/// Calls `f` on `ty` and every type inside it (array items, map values).
pub fn visit_deep(ty: &mut TypeRef, f: &dyn Fn(&mut TypeRef)) {
    match ty {
        TypeRef::Array(inner)
        | TypeRef::Set(inner)
        | TypeRef::Map(inner)
        | TypeRef::Nullable(inner) => visit_deep(inner, f),
        _ => f(ty),
    }
}

/// Calls `f` on each type a named type's definition uses.
pub fn visit_kind(kind: &mut TypeKind, f: &mut dyn FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(fields) => fields.iter_mut().for_each(|field| f(&mut field.ty)),
        TypeKind::Union(union) => union.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::Enum(_) => {}
    }
}

/// Calls `f` on each type an operation uses.
pub fn visit_operation(op: &mut Operation, f: &mut dyn FnMut(&mut TypeRef)) {
    op.params.iter_mut().for_each(|p| f(&mut p.ty));
    if let Some(body) = &mut op.body {
        f(&mut body.ty);
    }
    if let Some(body) = &mut op.success.body {
        f(&mut body.ty);
    }
    for case in &mut op.success.cases {
        if let Some(body) = &mut case.body {
            f(&mut body.ty);
        }
    }
    for header in &mut op.success.headers {
        if let HeaderType::Scalar(ty) = &mut header.ty {
            f(ty);
        }
    }
    for ErrorCase { body, headers, .. } in &mut op.errors {
        if let Some(body) = body {
            f(&mut body.ty);
        }
        for header in headers {
            if let HeaderType::Scalar(ty) = &mut header.ty {
                f(ty);
            }
        }
    }
    if let Some(pagination) = &mut op.pagination {
        f(&mut pagination.item_type);
    }
}
