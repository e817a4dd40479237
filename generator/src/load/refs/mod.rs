//! References to anywhere in the document.
//!
//! A `$ref` may be any JSON pointer into the document: into `paths` (a response, parameter
//! or header of another operation), into a property, item or `allOf` member of another
//! schema, or into a folder OpenAPI does not define (`#/definitions/...`). The rest of the
//! generator resolves references to `#/components/<section>/<name>` only, so this pass,
//! run on the untyped tree after normalising and before typing, gives every other target a
//! component of its own and points each reference to it:
//!
//! - the target moves to `components/<section>` (the section its use calls for: a `$ref`
//!   where a schema stands names a schema), named from its pointer (`Tag/allOf/0` becomes
//!   `Tag_allOf_0`, a name no other component has), and a `$ref` to the new component takes
//!   its place, so both uses share one type;
//! - a path item `$ref` is replaced by a copy of the path item it names (3.0 has no
//!   component section for path items);
//! - [`Moved`] records every move, so messages about the moved node still name the place
//!   it stands in the file.
//!
//! - a reference to another file (`refs::files`) brings the node it names into the document
//!   the same way: a component of its own, named as if it were one (`user.yaml#/User`
//!   becomes `User`, or `user_User` when that name is taken), shared by every use; cycles
//!   across files end in references between those components. A URL is refused.
//!
//! The pass is iterative (rounds over a worklist, no recursion over references) and moves
//! each target once.

mod files;
mod kinds;

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::error::{pointer_join, pointer_tokens};
pub use files::{parse, Referenced};
use kinds::{component_kind, Held, Kind};

/// A subtree moved into `components`: messages about pointers under `to` are about the
/// node that `file` has at `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Where the node now is (`#/components/schemas/Tag_allOf_0`).
    pub to: String,
    /// The file it stands in: `None` for the spec, else an index into
    /// [`Resolved::files`].
    pub file: Option<usize>,
    /// Where it stands in that file (`#/components/schemas/Tag/allOf/0`).
    pub from: String,
}

/// What [`resolve`] did: the nodes it moved and the files it read.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Every move, in order.
    pub moved: Vec<Moved>,
    /// Every other file read, in order.
    pub files: Vec<Referenced>,
}

/// Why [`resolve`] stopped.
#[derive(Debug)]
pub enum Failure {
    /// The reference at this pointer of the document cannot be followed.
    At {
        /// Where the reference is (a document pointer; map it with [`original`]).
        pointer: String,
        /// Why.
        message: String,
    },
    /// A file it refers to is not valid YAML or JSON (located in that file).
    Syntax(crate::Error),
}

/// Resolves every reference in `doc`, the spec read from `spec` (see the module doc):
/// afterwards each one names `#/components/<section>/<name>`, except those to nothing,
/// which the lowering reports. Stops at the first reference that cannot be followed.
pub fn resolve(doc: &mut Value, spec: &Path) -> (Resolved, Option<Failure>) {
    let spec = files::absolute(spec);
    let mut files = files::Files::default();
    let mut moved: Vec<Moved> = Vec::new();
    // Each move as pointers in the document being rewritten: where the node was, where
    // it went (a target written in the file may lie inside a node moved since).
    let mut moves: Vec<(String, String)> = Vec::new();
    // Target (a document pointer, or a file and fragment) to the component it became.
    let mut hoisted: HashMap<String, String> = HashMap::new();
    // Each round finds the references to rewrite, then moves or brings in their targets;
    // a target may hold references of its own, found in the next round. Every round takes
    // at least one target out of the finite document and files, so the rounds end.
    let failure = loop {
        let found = references(doc);
        let mut changed = false;
        let mut failure = None;
        for (at, kind, written) in found {
            let step = if written.starts_with('#') {
                local(
                    doc,
                    &at,
                    kind,
                    &written,
                    &mut moved,
                    &mut moves,
                    &mut hoisted,
                )
            } else {
                let context = External {
                    spec: &spec,
                    files: &mut files,
                };
                context.follow(doc, &at, kind, &written, &mut moved, &mut hoisted)
            };
            match step {
                Ok(step_changed) => changed |= step_changed,
                Err(f) => {
                    failure = Some(f);
                    break;
                }
            }
        }
        if failure.is_some() || !changed {
            break failure;
        }
    };
    let resolved = Resolved {
        moved,
        files: files.list,
    };
    (resolved, failure)
}

/// One local reference (`#/...`) at `at`: a target outside `components/<section>/<name>`
/// moves there; returns whether the document changed.
fn local(
    doc: &mut Value,
    at: &str,
    kind: Kind,
    written: &str,
    moved: &mut Vec<Moved>,
    moves: &mut Vec<(String, String)>,
    hoisted: &mut HashMap<String, String>,
) -> Result<bool, Failure> {
    let target = current_pointer(moves, written);
    if kind == Kind::PathItem {
        return Ok(inline_path_item(doc, at, &target));
    }
    let Some(section) = kind.section() else {
        return Ok(false);
    };
    let mut changed = false;
    let new_ref = if is_component(&target, section) {
        if target == written {
            return Ok(false);
        }
        target
    } else if let Some(name) = hoisted.get(&target) {
        name.clone()
    } else {
        let Some(node) = pointer_mut(doc, &target).map(std::mem::take) else {
            return Ok(false); // a pointer to nothing: the lowering reports it
        };
        let name = pointer_tokens(&target);
        let component = add_component(doc, section, name_from(&name), node);
        if let Some(slot) = pointer_mut(doc, &target) {
            *slot = reference_to(&component);
        }
        let (file, from) = original(moved, &target);
        moved.push(Moved {
            to: component.clone(),
            file,
            from,
        });
        moves.push((target.clone(), component.clone()));
        hoisted.insert(target, component.clone());
        changed = true;
        component
    };
    Ok(set_reference(doc, at, new_ref) || changed)
}

/// What following a reference to another file needs.
struct External<'a> {
    spec: &'a Path,
    files: &'a mut files::Files,
}

impl External<'_> {
    /// One reference to another file at `at`: the node it names becomes a component (a
    /// path item is copied in place); returns whether the document changed.
    fn follow(
        self,
        doc: &mut Value,
        at: &str,
        kind: Kind,
        written: &str,
        moved: &mut Vec<Moved>,
        hoisted: &mut HashMap<String, String>,
    ) -> Result<bool, Failure> {
        let fail = |message: String| Failure::At {
            pointer: at.to_string(),
            message,
        };
        // References still in the spec's own text resolve from the spec's folder; those
        // in nodes brought in from other files were made absolute on the way.
        let Some((path, fragment)) = files::split(written, self.spec) else {
            return Err(fail(format!(
                "$ref {written:?} is a URL; references are read from files beside the spec, never fetched"
            )));
        };
        if path == self.spec {
            return Ok(set_reference(doc, at, fragment));
        }
        let index = self.files.load(&path).map_err(|error| match error {
            files::LoadError::Read(message) => fail(format!("$ref {written:?}: {message}")),
            files::LoadError::Syntax(error) => Failure::Syntax(error),
        })?;
        let key = format!("{}{fragment}", path.display());
        if let Some(component) = hoisted.get(&key) {
            return Ok(set_reference(doc, at, component.clone()));
        }
        let file = &self.files.list[index];
        let Some(mut node) = pointer_get(&file.doc, &fragment).cloned() else {
            return Err(fail(format!(
                "$ref {written:?} points to nothing in {}",
                path.display()
            )));
        };
        files::absolutize(&mut node, &path);
        if kind == Kind::PathItem {
            return Ok(match pointer_mut(doc, at) {
                Some(slot) => {
                    *slot = node;
                    true
                }
                None => false,
            });
        }
        let Some(section) = kind.section() else {
            return Ok(false);
        };
        let mut tokens = pointer_tokens(&fragment);
        if tokens.is_empty() {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            tokens.push(stem.unwrap_or_default());
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let component = add_component_preferring(doc, section, &tokens, &stem, node);
        moved.push(Moved {
            to: component.clone(),
            file: Some(index),
            from: fragment,
        });
        hoisted.insert(key, component.clone());
        set_reference(doc, at, component);
        Ok(true)
    }
}

/// Points the reference at `at` to `target`; returns whether it changed. (The reference
/// may sit in a node moved this round: then it is found at its new place next round.)
fn set_reference(doc: &mut Value, at: &str, target: String) -> bool {
    match pointer_mut(doc, at) {
        Some(Value::Object(map)) if map.get("$ref").and_then(Value::as_str) != Some(&target) => {
            map.insert("$ref".into(), Value::String(target));
            true
        }
        _ => false,
    }
}

fn reference_to(component: &str) -> Value {
    Value::Object(Map::from_iter([(
        "$ref".to_string(),
        Value::String(component.to_string()),
    )]))
}

/// Where the node the file has at `pointer` is now, after `moves` (in order).
fn current_pointer(moves: &[(String, String)], pointer: &str) -> String {
    let mut pointer = pointer.to_string();
    for (was, now) in moves {
        if let Some(rest) = pointer.strip_prefix(was.as_str()) {
            if rest.is_empty() || rest.starts_with('/') {
                pointer = format!("{now}{rest}");
            }
        }
    }
    pointer
}

/// Where the node at document pointer `pointer` stands in the files: the file (`None`
/// for the spec, else an index into [`Resolved::files`]) and the pointer there.
pub fn original(moved: &[Moved], pointer: &str) -> (Option<usize>, String) {
    // Components are never nested in one another, so at most one move's `to` holds the
    // pointer, and its `from` was itself mapped back when the move was made.
    for m in moved.iter().rev() {
        if let Some(rest) = pointer.strip_prefix(&m.to) {
            if rest.is_empty() || rest.starts_with('/') {
                return (m.file, format!("{}{rest}", m.from));
            }
        }
    }
    (None, pointer.to_string())
}

/// Whether `target` names an entry of `components/<section>` itself.
fn is_component(target: &str, section: &str) -> bool {
    let tokens = pointer_tokens(target);
    tokens.len() == 3 && tokens[0] == "components" && tokens[1] == section
}

/// Every local reference the pass must look at: where it is, the kind of object there,
/// and the pointer it names. A walk with an explicit stack (no recursion).
fn references(doc: &Value) -> Vec<(String, Kind, String)> {
    let mut found = Vec::new();
    let mut stack: Vec<(&Value, Kind, String)> = vec![(doc, Kind::Document, "#".to_string())];
    if let Some(Value::Object(components)) = doc.get("components") {
        for (section, entries) in components {
            if let Some(kind) = component_kind(section) {
                let pointer = pointer_join("#/components", section);
                stack.push((entries, kind, pointer));
            }
        }
    }
    while let Some((node, kind, pointer)) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if !matches!(kind, Kind::MapOf(_) | Kind::ListOf(_)) {
                        found.push((pointer.clone(), kind, target.clone()));
                    }
                }
                push_children(map, kind, &pointer, &mut stack);
            }
            Value::Array(items) => {
                if let Kind::ListOf(item) = kind {
                    if let Some(item_kind) = item.kind() {
                        for (i, value) in items.iter().enumerate() {
                            stack.push((value, item_kind, pointer_join(&pointer, &i.to_string())));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    found
}

fn push_children<'v>(
    map: &'v Map<String, Value>,
    kind: Kind,
    pointer: &str,
    stack: &mut Vec<(&'v Value, Kind, String)>,
) {
    for (key, value) in map {
        let child = match kind {
            Kind::MapOf(Held::Encoding) => {
                // An encoding object: only its headers hold references the pass follows.
                if let Some(headers) = value.get("headers") {
                    let at = pointer_join(&pointer_join(pointer, key), "headers");
                    stack.push((headers, Kind::MapOf(Held::Header), at));
                }
                continue;
            }
            _ => kind.child(key),
        };
        if let Some(child) = child {
            stack.push((value, child, pointer_join(pointer, key)));
        }
    }
}

/// The node at `pointer` (`#/a/b`), mutably: serde_json's RFC 6901 lookup, without the `#`.
fn pointer_mut<'v>(doc: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    doc.pointer_mut(pointer.trim_start_matches('#'))
}

/// The node at `pointer` (`#/a/b`).
fn pointer_get<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    doc.pointer(pointer.trim_start_matches('#'))
}

/// A component name from a target's pointer tokens: without a leading
/// `components/<section>`, `paths`, `definitions` or `$defs`, or any `properties`
/// (`Pet/properties/owner` is `Pet_owner`, like an inline property's type), in the
/// characters component names may have.
fn name_from(tokens: &[String]) -> String {
    let meaningful: &[String] = match tokens {
        [first, _, rest @ ..] if first == "components" && !rest.is_empty() => rest,
        [first, rest @ ..]
            if matches!(first.as_str(), "paths" | "definitions" | "$defs") && !rest.is_empty() =>
        {
            rest
        }
        all => all,
    };
    let kept: Vec<&str> = meaningful
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "properties")
        .collect();
    let joined: String = kept
        .join("_")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match joined.trim_matches('_') {
        "" => "Referenced".to_string(),
        trimmed => trimmed.to_string(),
    }
}

/// The names `components/<section>` has.
fn taken_names(doc: &Value, section: &str) -> Vec<String> {
    doc.get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .map(|entries| entries.keys().cloned().collect())
        .unwrap_or_default()
}

/// Adds `node` to `components/<section>` as `base`, or `base_2`, `base_3`... if taken;
/// returns its pointer.
fn add_component(doc: &mut Value, section: &str, base: String, node: Value) -> String {
    let taken = taken_names(doc, section);
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    insert_component(doc, section, name, node)
}

/// Adds a node from another file: named by its fragment's last token (`User`), else
/// prefixed by the file's stem (`user_User`), else numbered; returns its pointer.
fn add_component_preferring(
    doc: &mut Value,
    section: &str,
    tokens: &[String],
    stem: &str,
    node: Value,
) -> String {
    let last = name_from(&tokens[tokens.len().saturating_sub(1)..]);
    if !taken_names(doc, section).contains(&last) {
        return insert_component(doc, section, last, node);
    }
    let mut prefixed = vec![stem.to_string()];
    prefixed.extend(tokens.iter().cloned());
    add_component(doc, section, name_from(&prefixed), node)
}

fn insert_component(doc: &mut Value, section: &str, name: String, node: Value) -> String {
    let component = pointer_join(&pointer_join("#/components", section), &name);
    if !doc.is_object() {
        return component;
    }
    let root = doc.as_object_mut();
    let entries = root
        .map(|root| {
            root.entry("components")
                .or_insert_with(|| Value::Object(Map::new()))
        })
        .and_then(Value::as_object_mut)
        .map(|components| {
            components
                .entry(section)
                .or_insert_with(|| Value::Object(Map::new()))
        })
        .and_then(Value::as_object_mut);
    if let Some(entries) = entries {
        entries.insert(name, node);
    }
    component
}

/// Replaces the path item `$ref` at `at` by a copy of the path item it names (following
/// at most 16 path item references); returns whether it did.
fn inline_path_item(doc: &mut Value, at: &str, target: &str) -> bool {
    let mut target = target.to_string();
    for _ in 0..16 {
        let Some(node) = pointer_mut(doc, &target) else {
            return false;
        };
        match node.get("$ref").and_then(Value::as_str) {
            Some(next) if next.starts_with('#') => target = next.to_string(),
            Some(_) => return false,
            None => {
                let copy = node.clone();
                return match pointer_mut(doc, at) {
                    Some(slot) => {
                        *slot = copy;
                        true
                    }
                    None => false,
                };
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn targets_outside_components_become_components() {
        let mut doc = json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/paths/~1b/get/parameters/0"}],
                "responses": {"200": {"$ref": "#/paths/~1b/get/responses/200"}}
            }}, "/b": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Tag/allOf/0"}
                }}}}
            }}},
            "components": {"schemas": {
                "Tag": {"allOf": [{"type": "object", "properties": {"x": {"type": "string"}}}]},
                "Pet": {"properties": {"owner": {"$ref": "#/definitions/Owner"}}}
            }},
            "definitions": {"Owner": {"type": "object"}}
        });
        let (resolved, failure) = resolve(&mut doc, Path::new("/spec/api.yaml"));
        assert!(failure.is_none());
        let moved = resolved.moved;
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Tag"]["allOf"][0]["$ref"],
            "#/components/schemas/Tag_allOf_0"
        );
        assert_eq!(schemas["Tag_allOf_0"]["type"], "object");
        assert_eq!(
            schemas["Pet"]["properties"]["owner"]["$ref"],
            "#/components/schemas/Owner"
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["$ref"],
            "#/components/responses/b_get_responses_200"
        );
        assert_eq!(
            doc["components"]["parameters"]["b_get_parameters_0"]["name"],
            "q"
        );
        // The moved response's schema ref was rewritten inside its new home too.
        assert_eq!(
            doc["components"]["responses"]["b_get_responses_200"]["content"]["application/json"]
                ["schema"]["$ref"],
            "#/components/schemas/Tag_allOf_0"
        );
        assert_eq!(
            original(&moved, "#/components/schemas/Tag_allOf_0/properties/x"),
            (
                None,
                "#/components/schemas/Tag/allOf/0/properties/x".to_string()
            )
        );
    }

    #[test]
    fn path_item_refs_are_inlined_and_component_refs_left_alone() {
        let mut doc = json!({
            "paths": {
                "/a": {"$ref": "#/paths/~1b"},
                "/b": {"get": {"responses": {"200": {"$ref": "#/components/responses/Ok"}}}}
            },
            "components": {"responses": {"Ok": {"description": "ok"}}}
        });
        let before = doc["components"].clone();
        let (resolved, failure) = resolve(&mut doc, Path::new("/spec/api.yaml"));
        assert!(resolved.moved.is_empty() && failure.is_none());
        assert_eq!(doc["paths"]["/a"], doc["paths"]["/b"]);
        assert_eq!(doc["components"], before);
    }

    #[test]
    fn urls_are_refused_where_they_stand() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "https://example.com/b.yaml#/B"}}}
        }}});
        let (_, failure) = resolve(&mut doc, Path::new("/spec/api.yaml"));
        match failure {
            Some(Failure::At { pointer, message }) => {
                assert_eq!(pointer, "#/components/schemas/A/properties/b");
                assert!(message.contains("is a URL"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cycles_of_references_end() {
        let mut doc = json!({
            "paths": {"/a": {"$ref": "#/paths/~1a"}},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/A/properties/b"}}}
            }}
        });
        let (_, failure) = resolve(&mut doc, Path::new("/spec/api.yaml"));
        assert!(failure.is_none());
        assert!(
            doc["paths"]["/a"].get("$ref").is_some(),
            "a self-referencing path item stays"
        );
    }
}
