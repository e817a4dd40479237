//! Spec-level settings and vendor extensions: the default base URL from `servers`, the
//! client-side rate limit (`x-rate-limit`), and cursor pagination (`x-pagination`), which
//! is resolved against the lowered types so the emitter gets field paths, not pointers.

use openapiv3::OpenAPI;

use super::{
    CursorLocation, Operation, Pagination, ParamLocation, PathStep, TypeDef, TypeKind, TypeRef,
};
use crate::error::{Error, ErrorKind};
use crate::load::Locations;

/// The first server's URL with variables at their defaults, when it is absolute.
pub(super) fn server_url(server: &openapiv3::Server) -> Option<String> {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    (url.starts_with("http://") || url.starts_with("https://"))
        .then(|| url.trim_end_matches('/').to_string())
}

/// Reads the `x-rate-limit` extension: `{calls-per-second: N}` with N a positive integer.
pub(super) fn rate_limit(source: &dyn Locations, spec: &OpenAPI) -> Result<Option<u32>, Error> {
    let Some(ext) = spec.extensions.get("x-rate-limit") else {
        return Ok(None);
    };
    let calls = ext
        .get("calls-per-second")
        .and_then(|v| v.as_u64())
        .and_then(|v| u32::try_from(v).ok())
        .filter(|v| *v > 0);
    match calls {
        Some(calls) => Ok(Some(calls)),
        None => Err(source.error(
            ErrorKind::Invalid,
            "#/x-rate-limit",
            "x-rate-limit needs `calls-per-second`: a positive integer".into(),
        )),
    }
}

/// Resolves an `x-pagination` extension against the lowered types.
pub(super) fn pagination(
    types: &[TypeDef],
    op: &Operation,
    ext: &serde_json::Value,
) -> Result<Pagination, String> {
    let text = |key: &str| -> Result<&str, String> {
        ext.get(key)
            .and_then(|v| v.as_str())
            .ok_or_else(|| format!("x-pagination needs a string `{key}`"))
    };
    let cursor_param = text("cursor-param")?;
    let cursor_in = match text("cursor-in")? {
        "query" => CursorLocation::Query,
        "body" => CursorLocation::Body,
        other => {
            return Err(format!(
                "x-pagination `cursor-in` must be `query` or `body`, not {other:?}"
            ))
        }
    };
    let cursor_field = match cursor_in {
        CursorLocation::Query => op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == cursor_param)
            .map(|p| p.name.clone())
            .ok_or_else(|| format!("x-pagination: no query parameter named `{cursor_param}`"))?,
        CursorLocation::Body => {
            let fields = op
                .body
                .as_ref()
                .and_then(|b| struct_fields(types, &b.ty))
                .ok_or("x-pagination: `cursor-in: body` needs a JSON object request body")?;
            fields
                .iter()
                .find(|f| f.wire_name == cursor_param && !f.required)
                .map(|f| f.name.clone())
                .ok_or_else(|| {
                    format!(
                        "x-pagination: the request body has no optional property `{cursor_param}`"
                    )
                })?
        }
    };
    let body = op
        .success
        .body
        .as_ref()
        .map(|b| &b.ty)
        .ok_or("x-pagination: the operation's success response has no JSON body")?;
    let (next_cursor, cursor_ty) = walk(types, body, text("next-cursor")?)?;
    if cursor_ty != TypeRef::String {
        return Err("x-pagination: `next-cursor` must point to a string".into());
    }
    let (items, items_ty) = walk(types, body, text("items")?)?;
    let item_type = match items_ty {
        TypeRef::Array(item) => *item,
        _ => return Err("x-pagination: `items` must point to an array".into()),
    };
    Ok(Pagination {
        stream_method: String::new(),
        all_method: String::new(),
        cursor_in,
        cursor_field,
        next_cursor,
        items,
        item_type,
    })
}

fn struct_fields<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<&'t [super::Field]> {
    match ty {
        TypeRef::Named(id) => match &types.get(id.0)?.kind {
            TypeKind::Struct(fields) => Some(fields),
            TypeKind::Alias(inner) => struct_fields(types, inner),
            TypeKind::Enum(_) | TypeKind::Union(_) => None,
        },
        _ => None,
    }
}

/// Follows a JSON pointer of property names through struct types.
fn walk(
    types: &[TypeDef],
    root: &TypeRef,
    pointer: &str,
) -> Result<(Vec<PathStep>, TypeRef), String> {
    let mut ty = root.clone();
    let mut steps = Vec::new();
    for token in crate::error::pointer_tokens(pointer) {
        let fields = struct_fields(types, &ty)
            .ok_or_else(|| format!("x-pagination: {pointer} does not lead through objects"))?;
        let field = fields
            .iter()
            .find(|f| f.wire_name == token)
            .ok_or_else(|| format!("x-pagination: no property `{token}` along {pointer}"))?;
        steps.push(PathStep {
            field: field.name.clone(),
            optional: !field.required,
        });
        ty = field.ty.clone();
    }
    if steps.is_empty() {
        return Err(format!("x-pagination: pointer {pointer:?} is empty"));
    }
    Ok((steps, ty))
}
