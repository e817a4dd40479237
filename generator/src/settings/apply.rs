//! Applying [`Settings`] while lowering: checking each name against the spec, deciding
//! which operations are kept, and (once every type is lowered) replacing, pruning and
//! renaming types.
//!
//! [`crate::ir::lower`] calls [`check_names`] first, [`keeps_operation`] for each operation
//! (it lowers the dropped ones last, only to learn which types they reach: [`super::reach`]),
//! [`method_name`] for each kept one, and [`finish`] on the lowered types; the emitter reads
//! [`Customisation`] for derives and replacements.

use std::collections::BTreeMap;

use glob::{MatchOptions, Pattern};
use openapiv3::{OpenAPI, ReferenceOr};

use super::reach::{all_refs, reachable, visit_deep, visit_kind, visit_operation};
use super::{Entry, OperationFilter, Origin, RuleKind, Settings};
use crate::error::{Error, ErrorKind, Location};
use crate::ir::names::{self, Scope};
use crate::ir::{Customisation, Operation, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Locations;

/// `*` does not cross a `/`; `**` as a whole segment crosses any number.
const PATH_MATCHING: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// What a filter looks at in one operation.
pub struct OperationFacts<'a> {
    /// The operationId (or the one derived from method and path, see [`operation_id`]).
    pub operation_id: &'a str,
    /// The path template as written.
    pub path: &'a str,
    /// The operation's tags.
    pub tags: &'a [String],
}

/// The operationId of an operation, or `"{method} {path}"` when it has none.
pub fn operation_id(op: &openapiv3::Operation, method: &str, path: &str) -> String {
    match &op.operation_id {
        Some(id) if !id.trim().is_empty() => id.clone(),
        _ => format!("{} {path}", method.to_lowercase()),
    }
}

/// Whether the filter keeps an operation: included (by any include rule, or because there
/// is none), then not excluded by any exclude rule. Patterns are checked by
/// [`check_names`] first; one that does not parse matches nothing here.
pub fn keeps(filter: &OperationFilter, op: &OperationFacts<'_>) -> bool {
    let tag = |rules: &[Entry<String>]| rules.iter().any(|r| op.tags.contains(&r.value));
    let path = |rules: &[Entry<String>]| {
        rules
            .iter()
            .any(|r| Pattern::new(&r.value).is_ok_and(|p| p.matches_with(op.path, PATH_MATCHING)))
    };
    let id = |rules: &[Entry<String>]| rules.iter().any(|r| r.value == op.operation_id);
    let no_include = filter.include_tags.is_empty()
        && filter.include_paths.is_empty()
        && filter.include_operations.is_empty();
    let included = no_include
        || tag(&filter.include_tags)
        || path(&filter.include_paths)
        || id(&filter.include_operations);
    let excluded =
        tag(&filter.exclude_tags) || path(&filter.exclude_paths) || id(&filter.exclude_operations);
    included && !excluded
}

/// [`keeps`] for an operation of the spec, at `path` under `method` (lower case).
pub fn keeps_operation(
    filter: &OperationFilter,
    op: &openapiv3::Operation,
    method: &str,
    path: &str,
) -> bool {
    let operation_id = operation_id(op, method, path);
    let facts = OperationFacts {
        operation_id: &operation_id,
        path,
        tags: &op.tags,
    };
    keeps(filter, &facts)
}

/// An error about one setting: at its line in the config file, or naming the flag or
/// setting it came from.
pub fn setting_error(
    source: &dyn Locations,
    origin: &Origin,
    setting: &str,
    message: String,
) -> Error {
    match origin {
        Origin::File { path, line, column } => Error::new(
            ErrorKind::Settings,
            Location {
                file: path.clone(),
                line: Some(*line),
                column: Some(*column),
                pointer: String::new(),
            },
            message,
        ),
        Origin::Flag(flag) => Error::file(
            ErrorKind::Settings,
            source.spec_path(),
            format!("{message} (from {flag})"),
        ),
        Origin::Code => Error::file(
            ErrorKind::Settings,
            source.spec_path(),
            format!("{message} (the `{setting}` setting)"),
        ),
    }
}

/// Checks the settings against the spec before lowering: every tag, path pattern and
/// operationId of the filters and renames matches some operation, every path pattern,
/// derive, replacement type and method name parses. Type names are checked by [`finish`],
/// which knows the generated names too.
pub fn check_names(
    source: &dyn Locations,
    spec: &OpenAPI,
    settings: &Settings,
) -> Result<(), Error> {
    let mut facts: Vec<(String, &str, &[String])> = Vec::new();
    for (path, item) in &spec.paths.paths {
        if let ReferenceOr::Item(item) = item {
            for (method, op) in item.iter() {
                facts.push((operation_id(op, method, path), path.as_str(), &op.tags[..]));
            }
        }
    }
    let declared_tags: Vec<&str> = spec.tags.iter().map(|t| t.name.as_str()).collect();
    let settings_names = [
        "operations.include-tags",
        "operations.exclude-tags",
        "operations.include-paths",
        "operations.exclude-paths",
        "operations.include-operations",
        "operations.exclude-operations",
    ];
    for ((kind, rules), setting) in settings.operations.rules().zip(settings_names) {
        for rule in rules {
            let value = rule.value.as_str();
            let problem = match kind {
                RuleKind::Tag => (!declared_tags.contains(&value)
                    && !facts
                        .iter()
                        .any(|(_, _, tags)| tags.iter().any(|t| t == value)))
                .then(|| format!("tag `{value}` is on no operation of the spec")),
                RuleKind::Operation => (!facts.iter().any(|(id, _, _)| id == value))
                    .then(|| format!("operationId `{value}` is not in the spec")),
                RuleKind::Path => match Pattern::new(value) {
                    Err(error) => Some(format!("path pattern `{value}` does not parse: {error}")),
                    Ok(pattern) => (!facts
                        .iter()
                        .any(|(_, path, _)| pattern.matches_with(path, PATH_MATCHING)))
                    .then(|| format!("path pattern `{value}` matches no path of the spec")),
                },
            };
            if let Some(message) = problem {
                return Err(setting_error(source, &rule.origin, setting, message));
            }
        }
    }
    // A rename may not take the name another kept operation gets (whatever the order).
    let natural_name = |id: &String| {
        let renamed = settings.rename_operations.iter().any(|r| &r.value.0 == id);
        (!renamed).then(|| names::snake_name(id))
    };
    let kept_names: Vec<(&String, String)> = facts
        .iter()
        .filter(|(id, path, tags)| {
            let op = OperationFacts {
                operation_id: id,
                path,
                tags,
            };
            keeps(&settings.operations, &op)
        })
        .filter_map(|(id, _, _)| Some((id, natural_name(id)?)))
        .collect();
    for rename in &settings.rename_operations {
        let (from, to) = &rename.value;
        let taken_by = kept_names.iter().find(|(_, name)| name == to);
        let message = if !facts.iter().any(|(id, _, _)| id == from) {
            format!("operationId `{from}` is not in the spec")
        } else if syn::parse_str::<syn::Ident>(to).is_err() {
            format!("`{to}` is not a Rust method name (renaming `{from}`)")
        } else if let Some((other, _)) = taken_by {
            format!("cannot rename `{from}` to `{to}`: the operation `{other}` has that name")
        } else {
            continue;
        };
        return Err(setting_error(
            source,
            &rename.origin,
            "methods.rename",
            message,
        ));
    }
    for derive in &settings.derives {
        if syn::parse_str::<syn::Path>(&derive.value).is_err() {
            let message = format!("derive `{}` is not a Rust path", derive.value);
            return Err(setting_error(
                source,
                &derive.origin,
                "types.derives",
                message,
            ));
        }
    }
    for replace in &settings.replace {
        let (schema, type_path) = &replace.value;
        if syn::parse_str::<syn::Type>(type_path).is_err() {
            let message = format!("`{type_path}` (replacing `{schema}`) is not a Rust type");
            return Err(setting_error(
                source,
                &replace.origin,
                "types.replace",
                message,
            ));
        }
    }
    Ok(())
}

/// The method name of the operation `operation_id`, and the type-name prefix its error and
/// response types are named from: the settings' rename (which must be free in `methods`;
/// `settings` is `None` where renames do not apply), else from the operationId.
pub fn method_name(
    source: &dyn Locations,
    settings: Option<&Settings>,
    methods: &mut Scope,
    operation_id: &str,
) -> Result<(String, String), Error> {
    let Some(rename) = settings.and_then(|s| s.operation_rename(operation_id)) else {
        let name = methods.unique(names::snake_name(operation_id));
        return Ok((name, names::type_prefix(operation_id)));
    };
    let to = &rename.value.1;
    if !methods.take(to) {
        let message =
            format!("cannot rename `{operation_id}` to `{to}`: another method has that name");
        return Err(setting_error(
            source,
            &rename.origin,
            "methods.rename",
            message,
        ));
    }
    Ok((to.clone(), names::type_prefix(to)))
}

/// The lowered operations, split by the filter.
pub struct LoweredOperations {
    /// Operations the client gets.
    pub kept: Vec<Operation>,
    /// Operations the filter dropped (lowered only to see which types they reach).
    pub dropped: Vec<Operation>,
}

/// Applies the type settings to the lowered types: replacements, then pruning of types only
/// dropped operations reach (ids remapped in the kept types and operations), then renames.
/// `components` are the component schema keys, whose types are the first ids in order.
pub fn finish(
    source: &dyn Locations,
    settings: &Settings,
    components: &[&String],
    types: Vec<TypeDef>,
    operations: LoweredOperations,
) -> Result<(Vec<TypeDef>, Vec<Operation>, Customisation), Error> {
    let find = |types: &[TypeDef], name: &str| {
        components
            .iter()
            .position(|key| key.as_str() == name)
            .or_else(|| types.iter().position(|t| t.name == name))
    };
    let by_any = reachable(&types, all_refs(&operations.kept, &operations.dropped));
    let mut types = types;
    let mut replaced = BTreeMap::new();
    for replace in &settings.replace {
        let (schema, type_path) = &replace.value;
        let Some(index) = find(&types, schema) else {
            let message = format!("schema `{schema}` is not in the spec");
            return Err(setting_error(
                source,
                &replace.origin,
                "types.replace",
                message,
            ));
        };
        if let Some(op) = operations
            .kept
            .iter()
            .find(|op| pages_through(&types, op, index))
        {
            let origin = match op.pagination.as_ref().map(|p| &p.origin) {
                Some(crate::ir::PagingOrigin::Extension) => "x-pagination",
                _ => "detected paging",
            };
            let message = format!(
                "cannot replace `{schema}`: operation `{}` pages through its fields ({origin})",
                op.operation_id
            );
            return Err(setting_error(
                source,
                &replace.origin,
                "types.replace",
                message,
            ));
        }
        types[index].kind = TypeKind::Alias(TypeRef::Json);
        replaced.insert(index, type_path.clone());
    }
    // Kept: what kept operations reach, and what no operation reached at all.
    let mut roots = reachable(&types, all_refs(&operations.kept, &[]));
    for (root, reached) in roots.iter_mut().zip(&by_any) {
        *root |= !reached;
    }
    let start: Vec<TypeId> = (0..types.len()).filter(|&i| roots[i]).map(TypeId).collect();
    let keep = reachable(&types, start);
    let renames = rename_plan(source, settings, &types, &find)?;
    let mut new_ids = vec![None; types.len()];
    let mut kept_types = Vec::new();
    for (index, mut def) in types.into_iter().enumerate() {
        if keep[index] {
            new_ids[index] = Some(TypeId(kept_types.len()));
            if let Some(name) = renames.get(&index) {
                def.name = name.clone();
            }
            kept_types.push(def);
        }
    }
    let remap = |ty: &mut TypeRef| {
        if let TypeRef::Named(id) = ty {
            match new_ids.get(id.0).copied().flatten() {
                Some(new) => *id = new,
                None => *ty = TypeRef::Json,
            }
        }
    };
    for def in &mut kept_types {
        visit_kind(&mut def.kind, &mut |ty| visit_deep(ty, &remap));
    }
    let mut kept = operations.kept;
    for op in &mut kept {
        visit_operation(op, &mut |ty| visit_deep(ty, &remap));
    }
    let customisation = Customisation {
        derives: settings.derives.iter().map(|d| d.value.clone()).collect(),
        replaced: replaced
            .into_iter()
            .filter_map(|(index, path)| new_ids[index].map(|id| (id, path)))
            .collect(),
    };
    Ok((kept_types, kept, customisation))
}

/// Whether the generated pagination of `op` reads fields of type `index` (its success
/// body, or a struct along the path to the next cursor or the items), or, for a body union
/// of arrays, is that union or its item union.
fn pages_through(types: &[TypeDef], op: &Operation, index: usize) -> bool {
    let Some(pagination) = &op.pagination else {
        return false;
    };
    // Items of a body union of arrays: the union's variants are matched into the item union.
    if !pagination.item_arms.is_empty()
        && (crate::ir::paging::paged_body_union(types, op) == Some(TypeId(index))
            || pagination.item_type == TypeRef::Named(TypeId(index)))
    {
        return true;
    }
    let Some(body) = &op.success.body else {
        return false;
    };
    pagination.body_paths().into_iter().any(|steps| {
        let mut ty = &body.ty;
        for step in steps.iter() {
            let TypeRef::Named(TypeId(id)) = ty else {
                return false;
            };
            if *id == index {
                return true;
            }
            let field = match types.get(*id).map(|t| &t.kind) {
                Some(TypeKind::Struct(fields)) => fields.iter().find(|f| f.name == step.field),
                _ => None,
            };
            match field {
                Some(field) => ty = &field.ty,
                None => return false,
            }
        }
        false
    })
}

/// The new name of each renamed type, by index; a name that matches no type, is not a
/// type name, or is taken by another type is an error.
fn rename_plan(
    source: &dyn Locations,
    settings: &Settings,
    types: &[TypeDef],
    find: &dyn Fn(&[TypeDef], &str) -> Option<usize>,
) -> Result<BTreeMap<usize, String>, Error> {
    let mut renames = BTreeMap::new();
    for rename in &settings.rename_types {
        let (from, to) = &rename.value;
        let error = |message| setting_error(source, &rename.origin, "types.rename", message);
        let Some(index) = find(types, from) else {
            return Err(error(format!("schema or type `{from}` is not in the spec")));
        };
        if syn::parse_str::<syn::Ident>(to).is_err() {
            return Err(error(format!(
                "`{to}` is not a Rust type name (renaming `{from}`)"
            )));
        }
        let name_of = |i: usize| renames.get(&i).unwrap_or(&types[i].name);
        if let Some(other) = (0..types.len()).find(|&i| i != index && name_of(i) == to) {
            let other = &types[other].name;
            return Err(error(format!(
                "cannot rename `{from}` to `{to}`: the type `{other}` has that name"
            )));
        }
        renames.insert(index, to.clone());
    }
    Ok(renames)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn facts<'a>(id: &'a str, path: &'a str, tags: &'a [String]) -> OperationFacts<'a> {
        OperationFacts {
            operation_id: id,
            path,
            tags,
        }
    }

    #[test]
    fn includes_then_excludes() {
        let repos = ["repos".to_string()];
        let none: [String; 0] = [];
        let everything = Settings::default();
        assert!(keeps(&everything.operations, &facts("a", "/x", &none)));
        let by_tag = Settings::default().with_include_tag("repos");
        assert!(keeps(&by_tag.operations, &facts("a", "/x", &repos)));
        assert!(!keeps(&by_tag.operations, &facts("a", "/x", &none)));
        // Any include rule includes; an exclude wins over every include.
        let both = by_tag.clone().with_include_operation("b");
        assert!(keeps(&both.operations, &facts("b", "/x", &none)));
        let excluded = both.with_exclude_path("/repos/**");
        assert!(!keeps(
            &excluded.operations,
            &facts("a", "/repos/{owner}", &repos)
        ));
        assert!(keeps(&excluded.operations, &facts("a", "/repos", &repos)));
    }

    #[test]
    fn path_globs_match_segments() {
        let matches = |pattern: &str, path: &str| {
            Pattern::new(pattern).is_ok_and(|p| p.matches_with(path, PATH_MATCHING))
        };
        assert!(matches("/repos/*", "/repos/{owner}"));
        assert!(!matches("/repos/*", "/repos/{owner}/{repo}"));
        assert!(matches("/repos/**", "/repos/{owner}/{repo}/hooks"));
        assert!(matches("/repos/*/*/hooks/**", "/repos/{o}/{r}/hooks/{id}"));
        assert!(!matches("/repos/**", "/users/{id}"));
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      tags: [keep]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Kept'}
  /b:
    get:
      operationId: getB
      tags: [drop]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  only: {$ref: '#/components/schemas/Dropped'}
                  shared: {$ref: '#/components/schemas/Shared'}
components:
  schemas:
    Dropped:
      type: object
      properties:
        shared: {$ref: '#/components/schemas/Shared'}
    Shared: {type: object, properties: {x: {type: string}}}
    Kept:
      type: object
      properties:
        shared: {$ref: '#/components/schemas/Shared'}
    Lonely: {type: object, properties: {y: {type: string}}}
"#;

    fn generate(settings: &Settings) -> Result<crate::Generated, Error> {
        crate::generate_str(Path::new("t.yaml"), SPEC.to_string(), settings)
    }

    #[test]
    fn types_only_dropped_operations_reach_are_not_generated() {
        let generated = generate(&Settings::default().with_exclude_tag("drop")).unwrap();
        let api = &generated.api;
        let names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Shared", "Kept", "Lonely"]);
        let ids: Vec<&str> = api
            .operations
            .iter()
            .map(|o| o.operation_id.as_str())
            .collect();
        assert_eq!(ids, ["getA"]);
        // Ids were remapped: `Kept.shared` and the operation's body name the right types.
        let TypeKind::Struct(fields) = &api.types[1].kind else {
            panic!("Kept is a struct: {:?}", api.types[1])
        };
        assert_eq!(fields[0].ty, TypeRef::Named(TypeId(0)));
        let body = api.operations[0].success.body.as_ref().map(|b| &b.ty);
        assert_eq!(body, Some(&TypeRef::Named(TypeId(1))));
        // Without the filter every type stays.
        assert_eq!(generate(&Settings::default()).unwrap().api.types.len(), 5);
    }

    #[test]
    fn an_excluded_operation_the_generator_cannot_read_is_no_error() {
        let broken = SPEC.replace(
            "schema:\n                type: object",
            "schema: {$ref: '#/components/schemas/Nowhere'}\n              x-was:\n                type: object",
        );
        assert_ne!(broken, SPEC);
        let path = Path::new("t.yaml");
        let plain = crate::generate_str(path, broken.clone(), &Settings::default());
        assert!(plain.is_err(), "the broken operation fails on its own");
        let without = Settings::default().with_exclude_operation("getB");
        let generated = crate::generate_str(path, broken, &without).unwrap();
        assert_eq!(generated.api.operations.len(), 1);
        assert!(
            generated.diagnostics.is_empty(),
            "{:?}",
            generated.diagnostics
        );
    }

    #[test]
    fn replacements_renames_and_derives_reach_the_api() {
        let settings = Settings::default()
            .with_replace("Shared", "std::collections::BTreeMap<String, i64>")
            .with_rename_type("Kept", "Holder")
            .with_rename_operation("getA", "fetch_a")
            .with_derive("Eq");
        let api = generate(&settings).unwrap().api;
        let shared = api.types.iter().position(|t| t.name == "Shared").unwrap();
        assert_eq!(
            api.customisation
                .replaced
                .get(&TypeId(shared))
                .map(String::as_str),
            Some("std::collections::BTreeMap<String, i64>")
        );
        assert!(api.types.iter().any(|t| t.name == "Holder"));
        assert_eq!(api.operations[0].method_name, "fetch_a");
        assert_eq!(api.operations[0].error_type, "FetchAError");
        assert_eq!(api.customisation.derives, ["Eq"]);
    }

    #[test]
    fn names_that_match_nothing_and_bad_values_are_errors_naming_the_setting() {
        for (settings, expected) in [
            (Settings::default().with_include_tag("nope"), "tag `nope`"),
            (
                Settings::default().with_exclude_operation("getC"),
                "operationId `getC`",
            ),
            (
                Settings::default().with_include_path("/c/**"),
                "path pattern `/c/**`",
            ),
            (
                Settings::default().with_replace("Nope", "u8"),
                "schema `Nope`",
            ),
            (Settings::default().with_replace("Kept", "Vec<"), "`Vec<`"),
            (
                Settings::default().with_rename_type("Kept", "Shared"),
                "the type `Shared`",
            ),
            (
                Settings::default().with_rename_type("Kept", "not ok"),
                "`not ok`",
            ),
            (
                Settings::default().with_rename_operation("getA", "new"),
                "another method",
            ),
            (
                Settings::default().with_rename_operation("getA", "get_b"),
                "`getB`",
            ),
            (Settings::default().with_derive("Eq,"), "derive `Eq,`"),
        ] {
            let error = match generate(&settings) {
                Ok(_) => panic!("{settings:?} should fail"),
                Err(error) => error,
            };
            assert_eq!(error.kind, ErrorKind::Settings, "{error}");
            assert!(error.message.contains(expected), "{expected}: {error}");
            assert!(error.message.contains("setting)"), "{error}");
        }
    }
}
