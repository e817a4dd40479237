//! Lowering a typed spec into the IR: servers, security schemes, and each operation's
//! parameters, body and responses. Schemas are handed to [`super::schema::TypeSpace`].
//!
//! With `schema`, `security`, `extensions` and `docs`, it reads `openapiv3` types; responses
//! and their headers are in `lower::responses`. Problems that make
//! a correct client impossible (a `$ref` to nothing, a path parameter with no declaration)
//! are errors with a pointer; anything the client can do without (a cookie parameter, an
//! odd media type) is a warning and generation goes on.

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody as OaRequestBody,
};

use super::docs::doc_with_example;
use super::names::{self, Scope};
use super::schema::TypeSpace;
use super::{
    Api, BodyMedia, HttpMethod, Operation, Pagination, PagingOrigin, Param, ParamLocation,
    ParamStyle, PathTemplate, RequestBody, TypeRef,
};
use crate::error::{pointer_join, Diagnostic, Error, ErrorKind};
use crate::load::Locations;
use crate::settings::apply::{self as settings_apply, LoweredOperations};
use crate::settings::Settings;

mod media;
mod responses;

/// Names a generated `Client` (or the blocking `Client`, which has `inner`) already uses,
/// which operations must not take.
const CLIENT_METHODS: &[&str] = &["new", "with_config", "default_config", "base_url", "inner"];

/// Locals of a generated method body, which parameters must not take.
const METHOD_LOCALS: &[&str] = &["path", "request", "response", "self"];

/// Lowers a spec into the IR with the settings applied (operation filters, replacements,
/// derives, renames), returning warnings alongside.
pub fn lower_with(
    source: &dyn Locations,
    spec: &OpenAPI,
    settings: &Settings,
) -> Result<(Api, Vec<Diagnostic>), Error> {
    settings_apply::check_names(source, spec, settings)?;
    let empty_schemas = IndexMap::new();
    let components = spec.components.as_ref();
    let schemas = components.map_or(&empty_schemas, |c| &c.schemas);
    let mut space = TypeSpace::new(source, schemas);
    space.lower_components()?;

    let mut lowerer = Lowerer {
        source,
        spec,
        space,
        method_names: Scope::with_reserved(CLIENT_METHODS),
        error_names: Scope::default(),
        response_names: Scope::default(),
        diagnostics: Vec::new(),
        settings,
        renaming: true,
    };
    let mut operations = Vec::new();
    let mut dropped = Vec::new();
    // Per kept operation: its `x-pagination` and where it stands.
    let mut stated_paging = Vec::new();
    for (path, item) in &spec.paths.paths {
        let path_pointer = pointer_join("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                lowerer.warn(
                    &path_pointer,
                    format!("path item $ref {reference:?} is not supported; skipping this path"),
                );
                continue;
            }
        };
        let template = PathTemplate::parse(path)
            .map_err(|e| source.error(ErrorKind::Invalid, &path_pointer, e.to_string()))?;
        for (method_name, op) in item.iter() {
            let pointer = pointer_join(&path_pointer, method_name);
            if !settings_apply::keeps_operation(&settings.operations, op, method_name, path) {
                dropped.push((
                    template.clone(),
                    method_name,
                    op,
                    &item.parameters[..],
                    pointer,
                ));
                continue;
            }
            let method = http_method(method_name);
            let lowered = lowerer.operation(&template, method, op, &item.parameters, &pointer)?;
            let ext_pointer = pointer_join(&pointer, "x-pagination");
            stated_paging.push(
                op.extensions
                    .get("x-pagination")
                    .cloned()
                    .map(|e| (e, ext_pointer)),
            );
            operations.push(lowered);
        }
    }
    // The kept operations' method names, which the paging methods must not take.
    let mut method_names = std::mem::take(&mut lowerer.method_names);
    let dropped = lowerer.lower_dropped(dropped);
    share_error_types(&mut operations);
    let auth = super::security::auth(spec);
    let Lowerer {
        space,
        mut diagnostics,
        ..
    } = lowerer;
    let (mut types, schema_diagnostics) = space.finish();
    diagnostics.splice(0..0, schema_diagnostics);
    let mut item_unions = super::paging::ItemUnions::default();
    for (op, stated) in operations.iter_mut().zip(stated_paging) {
        op.pagination = paging(
            &mut types,
            &mut item_unions,
            op,
            stated,
            &mut method_names,
            source,
        )?;
    }

    let components: Vec<&String> = schemas.keys().collect();
    let lowered = LoweredOperations {
        kept: operations,
        dropped,
    };
    let (types, operations, customisation) =
        settings_apply::finish(source, settings, &components, types, lowered)?;
    let prelude_shadowed = types
        .iter()
        .any(|t| matches!(t.name.as_str(), "Option" | "String" | "Vec" | "Box"));
    let recursion = super::cycles::Recursion::find(&types);
    let api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        doc: spec.info.description.clone(),
        default_base_url: spec.servers.first().and_then(super::extensions::server_url),
        calls_per_second: super::extensions::rate_limit(source, spec)?,
        auth,
        types,
        prelude_shadowed,
        operations,
        recursion,
        customisation,
    };
    Ok((api, diagnostics))
}

/// The paging of `op`: what its `x-pagination` states (`false`: none), else what
/// [`super::paging::detect`] finds; the paging methods' names are taken from `names`.
/// Items of a body union of arrays get an item union, added to `types`.
fn paging(
    types: &mut Vec<super::TypeDef>,
    item_unions: &mut super::paging::ItemUnions,
    op: &Operation,
    stated: Option<(serde_json::Value, String)>,
    names: &mut Scope,
    source: &dyn Locations,
) -> Result<Option<Pagination>, Error> {
    let found = match stated {
        Some((ext, pointer)) => super::extensions::pagination(types, op, &ext)
            .map_err(|message| source.error(ErrorKind::Invalid, &pointer, message))?
            .map(|(pattern, items, item_type)| {
                let item = super::paging::Items::One(item_type);
                (pattern, items, item, PagingOrigin::Extension)
            }),
        None => super::paging::detect(types, op)
            .map(|found| (found.pattern, found.items, found.item, found.origin)),
    };
    let Some((pattern, items, item, origin)) = found else {
        return Ok(None);
    };
    let body_variant = super::paging::paged_body(op)
        .ok()
        .and_then(|(_, variant)| variant);
    let (item_type, item_arms) = item_unions.item_type(types, item);
    Ok(Some(Pagination {
        stream_method: names.unique(format!("{}_stream", op.method_name)),
        all_method: names.unique(format!("{}_all", op.method_name)),
        pattern,
        items,
        item_type,
        item_arms,
        body_variant,
        origin,
    }))
}

struct Lowerer<'a> {
    source: &'a dyn Locations,
    spec: &'a OpenAPI,
    space: TypeSpace<'a>,
    method_names: Scope,
    error_names: Scope,
    response_names: Scope,
    diagnostics: Vec<Diagnostic>,
    settings: &'a Settings,
    /// Whether the settings' operation renames apply (not to operations the filter dropped).
    renaming: bool,
}

/// A dropped operation: template, method, operation, path-level parameters, pointer.
type DroppedOperation<'a> = (
    PathTemplate,
    &'a str,
    &'a openapiv3::Operation,
    &'a [ReferenceOr<Parameter>],
    String,
);

impl<'a> Lowerer<'a> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.diagnostics.push(Diagnostic {
            location: self.source.unlocated(pointer),
            message,
        });
    }

    /// Lowers the dropped operations after the kept ones (no kept name depends on them), to
    /// learn which types they reach; their warnings and errors are dropped with them.
    fn lower_dropped(&mut self, dropped: Vec<DroppedOperation<'a>>) -> Vec<Operation> {
        let warnings = (self.diagnostics.len(), self.space.diagnostics.len());
        self.renaming = false;
        self.method_names = Scope::with_reserved(CLIENT_METHODS);
        let mut lowered = Vec::new();
        for (template, method_name, op, path_params, pointer) in dropped {
            let method = http_method(method_name);
            if let Ok(op) = self.operation(&template, method, op, path_params, &pointer) {
                lowered.push(op);
            }
        }
        self.diagnostics.truncate(warnings.0);
        self.space.diagnostics.truncate(warnings.1);
        lowered
    }

    fn operation(
        &mut self,
        template: &PathTemplate,
        method: HttpMethod,
        op: &'a openapiv3::Operation,
        path_params: &'a [ReferenceOr<Parameter>],
        pointer: &str,
    ) -> Result<Operation, Error> {
        let operation_id = settings_apply::operation_id(op, method.as_str(), &template.raw);
        let settings = self.renaming.then_some(self.settings);
        let (method_name, type_prefix) = settings_apply::method_name(
            self.source,
            settings,
            &mut self.method_names,
            &operation_id,
        )?;
        let doc = join_docs(op.summary.as_deref(), op.description.as_deref());

        let mut scope = Scope::with_reserved(METHOD_LOCALS);
        let params = self.params(template, op, path_params, &type_prefix, &mut scope, pointer)?;
        let body = match &op.request_body {
            Some(body) => {
                self.request_body(body, &type_prefix, &pointer_join(pointer, "requestBody"))?
            }
            None => None,
        };
        let body = body.map(|body| RequestBody {
            name: scope.unique("body".into()),
            ..body
        });
        let (success, errors, accept) =
            self.responses(op, &type_prefix, &pointer_join(pointer, "responses"))?;
        Ok(Operation {
            operation_id,
            method_name,
            method,
            path: template.clone(),
            doc,
            params,
            body,
            success,
            error_type: self.error_names.unique(format!("{type_prefix}Error")),
            error_alias_of: None,
            errors,
            accept,
            pagination: None,
        })
    }

    fn params(
        &mut self,
        template: &PathTemplate,
        op: &'a openapiv3::Operation,
        path_level: &'a [ReferenceOr<Parameter>],
        type_prefix: &str,
        scope: &mut Scope,
        pointer: &str,
    ) -> Result<Vec<Param>, Error> {
        // Operation parameters override path-level ones with the same name and location.
        let mut declared: Vec<(&Parameter, String)> = Vec::new();
        let op_params = op.parameters.iter().enumerate().map(|(i, p)| {
            (
                p,
                pointer_join(&pointer_join(pointer, "parameters"), &i.to_string()),
            )
        });
        let item_pointer = pointer
            .rsplit_once('/')
            .map_or("#", |(parent, _)| parent)
            .to_string();
        let path_params = path_level.iter().enumerate().map(|(i, p)| {
            (
                p,
                pointer_join(&pointer_join(&item_pointer, "parameters"), &i.to_string()),
            )
        });
        for (param, param_pointer) in op_params.chain(path_params) {
            let param = self.resolve_parameter(param, &param_pointer)?;
            let data = param.parameter_data_ref();
            let clash = declared.iter().any(|(p, _)| {
                p.parameter_data_ref().name == data.name && location(p) == location(param)
            });
            if !clash {
                declared.push((param, param_pointer));
            }
        }

        let mut params = Vec::new();
        for name in template.params() {
            let found = declared.iter().find(|(p, _)| {
                location(p) == ParamLocation::Path && p.parameter_data_ref().name == name
            });
            let Some((param, param_pointer)) = found else {
                self.warn(
                    pointer,
                    format!("path parameter `{{{name}}}` is in the path but not declared; sent as a string"),
                );
                params.push(Param {
                    name: scope.unique(names::snake_name(name)),
                    wire_name: name.to_string(),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    style: ParamStyle::Form,
                    explode: false,
                    allow_reserved: false,
                    doc: None,
                });
                continue;
            };
            let mut lowered = self.param(param, type_prefix, scope, param_pointer)?;
            lowered.required = true;
            params.push(lowered);
        }
        for (param, param_pointer) in &declared {
            if location(param) == ParamLocation::Path {
                let name = &param.parameter_data_ref().name;
                if !template.params().any(|p| p == name) {
                    self.warn(
                        param_pointer,
                        format!("path parameter `{name}` does not appear in the path; ignored"),
                    );
                }
                continue;
            }
            params.push(self.param(param, type_prefix, scope, param_pointer)?);
        }
        Ok(params)
    }

    fn param(
        &mut self,
        param: &Parameter,
        type_prefix: &str,
        scope: &mut Scope,
        pointer: &str,
    ) -> Result<Param, Error> {
        let data = param.parameter_data_ref();
        let hint = format!("{type_prefix}{}", names::type_name(&data.name));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                self.space
                    .lower(schema, &hint, &pointer_join(pointer, "schema"))?
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::Json,
        };
        let (style, explode) = style_of(param);
        Ok(Param {
            name: scope.unique(names::snake_name(&data.name)),
            wire_name: data.name.clone(),
            location: location(param),
            ty,
            required: data.required,
            style,
            explode,
            allow_reserved: matches!(
                param,
                Parameter::Query {
                    allow_reserved: true,
                    ..
                }
            ),
            doc: doc_with_example(data.description.as_deref(), data.example.as_ref()),
        })
    }

    fn resolve_parameter(
        &self,
        param: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<&'a Parameter, Error> {
        let map = self.spec.components.as_ref().map(|c| &c.parameters);
        resolve(self.source, map, "#/components/parameters/", param, pointer)
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<OaRequestBody>,
        type_prefix: &str,
        pointer: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let map = self.spec.components.as_ref().map(|c| &c.request_bodies);
        let body = resolve(
            self.source,
            map,
            "#/components/requestBodies/",
            body,
            pointer,
        )?;
        let Some(Content { media, ty, .. }) =
            self.content(&body.content, &format!("{type_prefix}Body"), pointer)?
        else {
            return Ok(None);
        };
        let fields_doc = (media == BodyMedia::Multipart)
            .then(|| {
                let declared = body
                    .content
                    .iter()
                    .find(|(name, _)| media_essence(name) == "multipart/form-data")?;
                media::multipart_fields_doc(self.spec, declared.1.schema.as_ref())
            })
            .flatten();
        let doc = match (body.description.as_deref(), fields_doc) {
            (Some(text), Some(fields)) => Some(format!("{} {fields}", text.trim())),
            (None, Some(fields)) => Some(fields),
            (text, None) => text.map(str::to_owned),
        };
        Ok(Some(RequestBody {
            name: String::new(),
            ty,
            media,
            required: body.required,
            doc,
        }))
    }

    /// Picks a content map's media type: JSON first, then form, multipart, text, and
    /// anything else as raw bytes.
    fn content(
        &mut self,
        content: &IndexMap<String, openapiv3::MediaType>,
        hint: &str,
        pointer: &str,
    ) -> Result<Option<Content>, Error> {
        let rank = |media: &str| -> u8 {
            let essence = media_essence(media);
            if is_json(&essence) {
                0
            } else if essence == "application/x-www-form-urlencoded" {
                1
            } else if essence == "multipart/form-data" {
                2
            } else if essence.starts_with("text/") {
                3
            } else {
                4
            }
        };
        let Some((media, media_type)) = content.iter().min_by_key(|(media, _)| rank(media)) else {
            return Ok(None);
        };
        let schema_pointer = pointer_join(
            &pointer_join(&pointer_join(pointer, "content"), media),
            "schema",
        );
        let typed = |this: &mut Self| -> Result<TypeRef, Error> {
            match &media_type.schema {
                Some(schema) => this.space.lower(schema, hint, &schema_pointer),
                None => Ok(TypeRef::Json),
            }
        };
        let essence = media.split(';').next().unwrap_or("").trim().to_string();
        let (body_media, ty) = match rank(media) {
            0 => (BodyMedia::Json, typed(self)?),
            1 => (BodyMedia::Form, typed(self)?),
            2 => (BodyMedia::Multipart, TypeRef::Json),
            // An event stream's schema is the type of one event's data.
            3 if media::is_event_stream(&essence) => {
                (BodyMedia::Text(essence.clone()), typed(self)?)
            }
            3 => (BodyMedia::Text(essence.clone()), TypeRef::String),
            _ => (BodyMedia::Bytes(essence.clone()), TypeRef::Json),
        };
        // Only a JSON body can be `null` as a whole (a nullable component by `$ref` too).
        let nullable = body_media == BodyMedia::Json
            && media_type
                .schema
                .as_ref()
                .is_some_and(|schema| self.space.admits_null(schema));
        Ok(Some(Content {
            media: body_media,
            ty,
            nullable,
            declared: essence,
        }))
    }
}

/// The media type a content map is read in, and what it holds.
struct Content {
    /// How it is encoded.
    media: BodyMedia,
    /// Its type.
    ty: TypeRef,
    /// Whether its schema admits `null` (JSON only).
    nullable: bool,
    /// The media type as declared, without parameters (what `Accept` asks for).
    declared: String,
}

/// A media type's essence: without parameters, lower-cased.
fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Points each operation whose error cases equal an earlier one's at that operation, so
/// they share one enum.
fn share_error_types(operations: &mut [Operation]) {
    let mut distinct: Vec<usize> = Vec::new();
    for i in 0..operations.len() {
        let same = distinct
            .iter()
            .copied()
            .find(|&j| operations[j].errors == operations[i].errors);
        match same {
            Some(j) => operations[i].error_alias_of = Some(j),
            None => distinct.push(i),
        }
    }
}

fn resolve<'a, T>(
    source: &dyn Locations,
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    item: &'a ReferenceOr<T>,
    pointer: &str,
) -> Result<&'a T, Error> {
    let mut current = item;
    // Follow chains of references, but not forever.
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => {
                let target = reference
                    .strip_prefix(prefix)
                    .map(|k| k.replace("~1", "/").replace("~0", "~"))
                    .and_then(|k| map.and_then(|m| m.get(&k)));
                match target {
                    Some(next) => current = next,
                    None => {
                        return Err(source.error(
                            ErrorKind::BadReference,
                            pointer,
                            format!("$ref {reference:?} points to nothing under {prefix}"),
                        ))
                    }
                }
            }
        }
    }
    Err(source.error(
        ErrorKind::BadReference,
        pointer,
        "$ref chain is too long or circular".into(),
    ))
}

/// A parameter's `style` and `explode`, with the defaults OpenAPI gives each location.
fn style_of(param: &Parameter) -> (ParamStyle, bool) {
    let explode_given = param.parameter_data_ref().explode;
    match param {
        Parameter::Query { style, .. } => {
            let explode = explode_given.unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
            let style = match style {
                openapiv3::QueryStyle::Form if explode => ParamStyle::Form,
                openapiv3::QueryStyle::Form => ParamStyle::FormUnexploded,
                openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            };
            (style, explode)
        }
        _ => (ParamStyle::Form, explode_given.unwrap_or(false)),
    }
}

fn location(param: &Parameter) -> ParamLocation {
    match param {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn http_method(name: &str) -> HttpMethod {
    match name {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

fn is_json(media: &str) -> bool {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn join_docs(summary: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [summary, description]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}
