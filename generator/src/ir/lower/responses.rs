//! Each operation's responses: success cases (one or several statuses, typed headers)
//! and error cases, matched exact statuses first, then ranges, then `default`.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ParameterSchemaOrContent, ReferenceOr, Response as OaResponse, StatusCode,
};

use super::{media, resolve, Content, Lowerer};
use crate::error::{pointer_join, Error};
use crate::ir::names::{self, Scope};
use crate::ir::{
    ErrorCase, HeaderField, HeaderType, ResponseBody, StatusMatch, Success, SuccessCase, TypeRef,
};

impl<'a> Lowerer<'a> {
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_prefix: &str,
        pointer: &str,
    ) -> Result<(Success, Vec<ErrorCase>, Option<String>), Error> {
        let mut cases: Vec<SuccessCase> = Vec::new();
        let mut success_headers: Vec<HeaderField> = Vec::new();
        let mut success_doc = None;
        let mut errors = Vec::new();
        let mut variants = Scope::default();
        let no_content = IndexMap::new();
        // The media types the client reads, one per response with content, for `Accept`.
        let mut accepted: Vec<String> = Vec::new();
        let mut accept = |content: &Option<Content>| {
            if let Some(content) = content {
                if !accepted.contains(&content.declared) {
                    accepted.push(content.declared.clone());
                }
            }
        };
        let mut entries: Vec<(StatusMatch, &ReferenceOr<OaResponse>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => StatusMatch::Code(*c),
                    StatusCode::Range(r) => StatusMatch::Range(*r),
                };
                (status, r, pointer_join(pointer, &code.to_string()))
            })
            .collect();
        if let Some(default) = &op.responses.default {
            entries.push((
                StatusMatch::Default,
                default,
                pointer_join(pointer, "default"),
            ));
        }
        // Exact statuses before ranges before `default` (each group in spec order): the
        // emitted match arms are tried in this order, so a range listed first in the spec
        // (`2XX` before `204`) must not hide the exact status.
        entries.sort_by_key(|(status, _, _)| match status {
            StatusMatch::Code(_) => 0,
            StatusMatch::Range(_) => 1,
            StatusMatch::Default => 2,
        });
        for (status, response, response_pointer) in entries {
            let map = self.spec.components.as_ref().map(|c| &c.responses);
            let response = resolve(
                self.source,
                map,
                "#/components/responses/",
                response,
                &response_pointer,
            )?;
            let content = self
                .content_with_body(status, response, &response_pointer)
                .unwrap_or(&no_content);
            let is_success = match status {
                StatusMatch::Code(c) => (200..300).contains(&c),
                StatusMatch::Range(r) => r == 2,
                StatusMatch::Default => false,
            };
            if is_success {
                let variant = variants.unique(match status {
                    StatusMatch::Code(c) => names::status_variant(c),
                    _ => "Success".to_string(),
                });
                let hint = if cases.is_empty() {
                    format!("{type_prefix}Response")
                } else {
                    format!("{type_prefix}{variant}Response")
                };
                let body = self.content(content, &hint, &response_pointer)?;
                accept(&body);
                for header in self.headers(response, &response_pointer)? {
                    if !success_headers
                        .iter()
                        .any(|h| h.wire_name.eq_ignore_ascii_case(&header.wire_name))
                    {
                        success_headers.push(header);
                    }
                }
                success_doc.get_or_insert_with(|| response.description.clone());
                cases.push(SuccessCase {
                    status,
                    variant,
                    description: response.description.clone(),
                    body: body.map(|content| ResponseBody {
                        stream: media::success_stream(&content.media, &content.ty),
                        ty: content.ty,
                        media: content.media,
                        nullable: content.nullable,
                    }),
                });
                continue;
            }
            let variant_base = match status {
                StatusMatch::Code(c) => names::status_variant(c),
                StatusMatch::Range(r) => format!("Status{r}xx"),
                StatusMatch::Default => "Other".to_string(),
            };
            let variant = variants.unique(variant_base);
            let body = self.content(
                content,
                &format!("{type_prefix}{variant}Body"),
                &response_pointer,
            )?;
            accept(&body);
            let headers = self.headers(response, &response_pointer)?;
            errors.push(ErrorCase {
                status,
                variant,
                description: response.description.clone(),
                body: body.map(|content| ResponseBody {
                    ty: content.ty,
                    media: content.media,
                    stream: None,
                    nullable: content.nullable,
                }),
                headers,
            });
        }
        // One body type for all cases, or an enum when they differ (a body on one and none
        // on another counts as differing).
        let first = cases.first().and_then(|c| c.body.clone());
        let same = cases.iter().all(|c| c.body == first);
        let success = Success {
            body: if same { first } else { None },
            enum_name: (!same)
                .then(|| self.response_names.unique(format!("{type_prefix}Response"))),
            headers_type: (!success_headers.is_empty())
                .then(|| self.response_names.unique(format!("{type_prefix}Headers"))),
            headers: success_headers,
            cases,
            doc: success_doc,
        };
        Ok((success, errors, accept_header(&accepted)))
    }

    /// The content a response is read with: `None` for 204, 205 and 304, which never carry
    /// a body (RFC 9110, sections 15.3.5, 15.3.6 and 15.4.5), with a warning when the spec
    /// declares one anyway (the client would wait for a body that cannot come).
    fn content_with_body(
        &mut self,
        status: StatusMatch,
        response: &'a OaResponse,
        pointer: &str,
    ) -> Option<&'a IndexMap<String, MediaType>> {
        match status {
            StatusMatch::Code(code @ (204 | 205 | 304)) if !response.content.is_empty() => {
                self.warn(
                    &pointer_join(pointer, "content"),
                    format!(
                        "a {code} response has no body in HTTP; its declared content is ignored"
                    ),
                );
                None
            }
            _ => Some(&response.content),
        }
    }

    fn headers(
        &mut self,
        response: &'a OaResponse,
        pointer: &str,
    ) -> Result<Vec<HeaderField>, Error> {
        let mut scope = Scope::with_reserved(&["body"]);
        let mut headers = Vec::new();
        for (wire_name, header) in &response.headers {
            let header_pointer = pointer_join(&pointer_join(pointer, "headers"), wire_name);
            let map = self.spec.components.as_ref().map(|c| &c.headers);
            let header = resolve(
                self.source,
                map,
                "#/components/headers/",
                header,
                &header_pointer,
            )?;
            let ty = if wire_name.eq_ignore_ascii_case("retry-after") {
                HeaderType::RetryAfter
            } else {
                let ty = match &header.format {
                    ParameterSchemaOrContent::Schema(schema) => self.space.lower(
                        schema,
                        "Header",
                        &pointer_join(&header_pointer, "schema"),
                    )?,
                    ParameterSchemaOrContent::Content(_) => TypeRef::Json,
                };
                if !matches!(
                    ty,
                    TypeRef::String
                        | TypeRef::Bool
                        | TypeRef::I32
                        | TypeRef::I64
                        | TypeRef::F32
                        | TypeRef::F64
                ) {
                    self.warn(&header_pointer, format!("header `{wire_name}` is not a scalar; it stays reachable as text through the headers map"));
                    continue;
                }
                HeaderType::Scalar(ty)
            };
            headers.push(HeaderField {
                name: scope.unique(names::snake_name(wire_name)),
                wire_name: wire_name.clone(),
                ty,
                doc: header.description.clone(),
            });
        }
        Ok(headers)
    }
}

/// The `Accept` value for the media types an operation's responses are read in, in spec
/// order: none when no response has content (or none is a valid header value), so the
/// HTTP client's `*/*` stays. A declared `*/*` or `image/*` is asked for as written.
fn accept_header(accepted: &[String]) -> Option<String> {
    let valid: Vec<&str> = accepted
        .iter()
        .map(String::as_str)
        .filter(|media| !media.is_empty() && media.bytes().all(|b| b.is_ascii_graphic()))
        .collect();
    (!valid.is_empty()).then(|| valid.join(", "))
}
