//! Spec-level settings and vendor extensions: the default base URL from `servers`, the
//! client-side rate limit (`x-rate-limit`), and stated pagination (`x-pagination`), which
//! is resolved against the lowered types (with [`super::paging`]'s helpers) so the emitter
//! gets field paths, not pointers.

use openapiv3::OpenAPI;

use super::paging::{
    array_item, body_param, is_integer, item_id, one_array, paged_body, query_param, walk,
};
use super::{Operation, PagingParam, PagingPattern, PathStep, TypeDef, TypeRef};
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

/// What an `x-pagination` extension states: a pattern with its items, or `false` (no
/// paging, whatever detection finds).
pub(super) type StatedPaging = Option<(PagingPattern, Vec<PathStep>, TypeRef)>;

/// Resolves an `x-pagination` extension against the lowered types. The value is `false`
/// (no paging), or an object with `pattern` (`cursor`, the default, `has-more`, `offset`,
/// `page` or `link`), the parameter names and JSON pointers into the success body the
/// pattern needs, and `items` (a pointer; by default the body's one array).
pub(super) fn pagination(
    types: &[TypeDef],
    op: &Operation,
    ext: &serde_json::Value,
) -> Result<StatedPaging, String> {
    let result = stated(types, op, ext);
    result.map_err(|message| format!("x-pagination: {message}"))
}

fn stated(
    types: &[TypeDef],
    op: &Operation,
    ext: &serde_json::Value,
) -> Result<StatedPaging, String> {
    if ext == &serde_json::Value::Bool(false) {
        return Ok(None);
    }
    let Some(object) = ext.as_object() else {
        return Err("must be `false` or an object".into());
    };
    let text = |key: &str| -> Result<Option<&str>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(Some)
                .ok_or_else(|| format!("`{key}` must be a string")),
        }
    };
    let required = |key: &str| -> Result<&str, String> {
        text(key)?.ok_or_else(|| format!("this pattern needs a string `{key}`"))
    };
    let pattern = text("pattern")?.unwrap_or("cursor");
    let known: &[&str] = match pattern {
        "cursor" => &["cursor-param", "cursor-in", "next-cursor"],
        "has-more" => &["cursor-param", "has-more", "item-id"],
        "offset" => &["offset-param", "limit-param", "total"],
        "page" => &["page-param", "per-page-param"],
        "link" => &["page-param"],
        other => {
            return Err(format!(
                "`pattern` must be cursor, has-more, offset, page or link, not {other:?}"
            ))
        }
    };
    if let Some(key) = object
        .keys()
        .find(|k| !known.contains(&k.as_str()) && !matches!(k.as_str(), "pattern" | "items"))
    {
        return Err(format!("unknown key `{key}` for pattern `{pattern}`"));
    }
    let body = &paged_body(op)?.0.ty;
    let (items, item_type) = match text("items")? {
        Some(pointer) => {
            let (steps, ty) = walk(types, body, pointer)?;
            let item = array_item(types, &ty).ok_or("`items` must point to an array")?;
            (steps, item)
        }
        None => one_array(types, body)
            .ok_or("the success body has no single array; say which with `items`")?,
    };
    let integer_query = |key: &str| -> Result<Option<PagingParam>, String> {
        let Some(name) = text(key)? else {
            return Ok(None);
        };
        let param = query_param(op, name)?;
        if !is_integer(&param.ty) {
            return Err(format!("`{key}` {name:?} must be an integer parameter"));
        }
        Ok(Some(param))
    };
    let driven = |param: PagingParam| -> Result<PagingParam, String> {
        if param.required {
            return Err(format!(
                "parameter `{}` is set by paging, so it must be optional",
                param.wire_name
            ));
        }
        Ok(param)
    };
    let pattern = match pattern {
        "cursor" => {
            let name = required("cursor-param")?;
            let param = match text("cursor-in")?.unwrap_or("query") {
                "query" => query_param(op, name)?,
                "body" => body_param(types, op, name)?,
                other => {
                    return Err(format!(
                        "`cursor-in` must be `query` or `body`, not {other:?}"
                    ))
                }
            };
            if param.ty != TypeRef::String {
                return Err(format!("the cursor `{name}` must be a string"));
            }
            let (next_cursor, ty) = walk(types, body, required("next-cursor")?)?;
            if ty != TypeRef::String || next_cursor.is_empty() {
                return Err("`next-cursor` must point to a string".into());
            }
            PagingPattern::Cursor {
                param: driven(param)?,
                next_cursor,
            }
        }
        "has-more" => {
            let param = query_param(op, text("cursor-param")?.unwrap_or("starting_after"))?;
            if param.ty != TypeRef::String {
                return Err(format!("the cursor `{}` must be a string", param.wire_name));
            }
            let (has_more, ty) = walk(types, body, text("has-more")?.unwrap_or("/has_more"))?;
            if ty != TypeRef::Bool || has_more.is_empty() {
                return Err("`has-more` must point to a boolean".into());
            }
            let id = text("item-id")?.unwrap_or("id");
            let item_id = item_id(types, &item_type, id)
                .ok_or_else(|| format!("the items' `{id}` must be a string property"))?;
            PagingPattern::HasMore {
                param: driven(param)?,
                has_more,
                item_id,
            }
        }
        "offset" => {
            let offset = integer_query("offset-param")?
                .ok_or("this pattern needs a string `offset-param`")?;
            let total = match text("total")? {
                Some(pointer) => match walk(types, body, pointer)? {
                    (steps, ty) if is_integer(&ty) && !steps.is_empty() => Some(steps),
                    _ => return Err("`total` must point to an integer".into()),
                },
                None => None,
            };
            PagingPattern::Offset {
                offset: driven(offset)?,
                limit: integer_query("limit-param")?,
                total,
            }
        }
        "page" => {
            let page =
                integer_query("page-param")?.ok_or("this pattern needs a string `page-param`")?;
            PagingPattern::Page {
                page: driven(page)?,
                per_page: integer_query("per-page-param")?,
            }
        }
        _ => PagingPattern::Link {
            page: integer_query("page-param")?.map(driven).transpose()?,
        },
    };
    Ok(Some((pattern, items, item_type)))
}
