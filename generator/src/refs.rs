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
//! References to other files and URLs are left alone (the generator reports them). The pass
//! is iterative (a worklist, no recursion over references) and moves each target once.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::{pointer_join, pointer_tokens};

/// What kind of object stands at a place, which decides the component section a
/// reference there must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Document,
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Schema,
    Callback,
    /// A map whose values are all of one kind (`components/schemas`, `properties`...).
    MapOf(Held),
    /// A list whose items are all of one kind (`parameters`, `allOf`...).
    ListOf(Held),
}

/// The kinds a map or list can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Held {
    PathItem,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Schema,
    Callback,
    Encoding,
}

impl Held {
    fn kind(self) -> Option<Kind> {
        Some(match self {
            Held::PathItem => Kind::PathItem,
            Held::Parameter => Kind::Parameter,
            Held::Header => Kind::Header,
            Held::RequestBody => Kind::RequestBody,
            Held::Response => Kind::Response,
            Held::MediaType => Kind::MediaType,
            Held::Schema => Kind::Schema,
            Held::Callback => Kind::Callback,
            Held::Encoding => return None,
        })
    }
}

impl Kind {
    /// The component section a reference in this place must name.
    fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Parameter => "parameters",
            Kind::Header => "headers",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Schema => "schemas",
            _ => return None,
        })
    }

    /// The kind of the child at `key`, if the pass looks there.
    fn child(self, key: &str) -> Option<Kind> {
        const METHODS: &[&str] = &[
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        match self {
            // `components` is entered section by section, see [`component_kind`].
            Kind::Document => {
                matches!(key, "paths" | "webhooks").then_some(Kind::MapOf(Held::PathItem))
            }
            Kind::PathItem => match key {
                "parameters" => Some(Kind::ListOf(Held::Parameter)),
                method if METHODS.contains(&method) => Some(Kind::Operation),
                _ => None,
            },
            Kind::Operation => match key {
                "parameters" => Some(Kind::ListOf(Held::Parameter)),
                "requestBody" => Some(Kind::RequestBody),
                "responses" => Some(Kind::MapOf(Held::Response)),
                "callbacks" => Some(Kind::MapOf(Held::Callback)),
                _ => None,
            },
            Kind::Parameter | Kind::Header => match key {
                "schema" => Some(Kind::Schema),
                "content" => Some(Kind::MapOf(Held::MediaType)),
                _ => None,
            },
            Kind::RequestBody => (key == "content").then_some(Kind::MapOf(Held::MediaType)),
            Kind::Response => match key {
                "headers" => Some(Kind::MapOf(Held::Header)),
                "content" => Some(Kind::MapOf(Held::MediaType)),
                _ => None,
            },
            Kind::MediaType => match key {
                "schema" => Some(Kind::Schema),
                "encoding" => Some(Kind::MapOf(Held::Encoding)),
                _ => None,
            },
            Kind::Schema => match key {
                "properties" | "definitions" | "$defs" | "patternProperties" => {
                    Some(Kind::MapOf(Held::Schema))
                }
                "items" | "additionalProperties" | "not" => Some(Kind::Schema),
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => Some(Kind::ListOf(Held::Schema)),
                _ => None,
            },
            Kind::Callback => Some(Kind::PathItem),
            // Encoding objects are entered by [`push_children`].
            Kind::MapOf(item) | Kind::ListOf(item) => item.kind(),
        }
    }
}

/// The kind of the entries of `components/<section>`.
fn component_kind(section: &str) -> Option<Kind> {
    Some(Kind::MapOf(match section {
        "schemas" => Held::Schema,
        "parameters" => Held::Parameter,
        "headers" => Held::Header,
        "requestBodies" => Held::RequestBody,
        "responses" => Held::Response,
        "callbacks" => Held::Callback,
        "pathItems" => Held::PathItem,
        _ => return None,
    }))
}

/// A subtree moved into `components`: messages about pointers under `to` are about the
/// node the file has at `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// Where the node now is (`#/components/schemas/Tag_allOf_0`).
    pub to: String,
    /// Where it stands in the file (`#/components/schemas/Tag/allOf/0`).
    pub from: String,
}

/// Gives every local `$ref` target outside `components/<section>/<name>` a component (see
/// the module doc); returns the moves made.
pub fn hoist(doc: &mut Value) -> Vec<Moved> {
    let mut moved: Vec<Moved> = Vec::new();
    // Each move as pointers in the document being rewritten: where the node was, where
    // it went (a target written in the file may lie inside a node moved since).
    let mut moves: Vec<(String, String)> = Vec::new();
    // Target pointer (as written in the file) to the component it became.
    let mut hoisted: HashMap<String, String> = HashMap::new();
    // Each round finds the references to rewrite, then moves their targets; a moved target
    // may hold references of its own, found in the next round. Every round moves at least
    // one target out of the finite document, so the rounds end.
    loop {
        let found = references(doc);
        let mut changed = false;
        for (at, kind, written) in found {
            let target = current_pointer(&moves, &written);
            if kind == Kind::PathItem {
                changed |= inline_path_item(doc, &at, &target);
                continue;
            }
            let Some(section) = kind.section() else {
                continue;
            };
            let new_ref = if is_component(&target, section) {
                if target == written {
                    continue;
                }
                target
            } else if let Some(name) = hoisted.get(&target) {
                name.clone()
            } else {
                let Some(component) = move_to_components(doc, &target, section) else {
                    continue; // a pointer to nothing: the lowering reports it
                };
                moved.push(Moved {
                    to: component.clone(),
                    from: original_pointer(&moved, &target),
                });
                moves.push((target.clone(), component.clone()));
                hoisted.insert(target, component.clone());
                changed = true;
                component
            };
            // The reference itself may sit in a node moved this round: then it is found
            // at its new place next round.
            if let Some(Value::Object(map)) = pointer_mut(doc, &at) {
                if map.get("$ref").and_then(Value::as_str) != Some(new_ref.as_str()) {
                    map.insert("$ref".into(), Value::String(new_ref));
                    changed = true;
                }
            }
        }
        if !changed {
            return moved;
        }
    }
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

/// `pointer` translated back through `moved`, to where its node stands in the file.
pub fn original_pointer(moved: &[Moved], pointer: &str) -> String {
    let mut pointer = pointer.to_string();
    // Later moves may have moved a node out of an earlier move's target: undo newest first.
    for m in moved.iter().rev() {
        if let Some(rest) = pointer.strip_prefix(&m.to) {
            if rest.is_empty() || rest.starts_with('/') {
                pointer = format!("{}{rest}", m.from);
            }
        }
    }
    pointer
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
                    if !matches!(kind, Kind::MapOf(_) | Kind::ListOf(_)) && target.starts_with('#')
                    {
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

/// The node at `pointer`, mutably.
fn pointer_mut<'v>(doc: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    let mut node = doc;
    for token in pointer_tokens(pointer) {
        node = match node {
            Value::Object(map) => map.get_mut(&token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Moves the node at `target` to a new entry of `components/<section>`, leaving a `$ref`
/// to it in its place; returns the new entry's pointer.
fn move_to_components(doc: &mut Value, target: &str, section: &str) -> Option<String> {
    let tokens = pointer_tokens(target);
    if tokens.is_empty() {
        return None;
    }
    let node = pointer_mut(doc, target)?;
    if !node.is_object() && !node.is_boolean() {
        return None;
    }
    let taken = doc
        .get("components")
        .and_then(|c| c.get(section))
        .and_then(Value::as_object)
        .map(|entries| entries.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default();
    // Named from the pointer, without a leading `components/<section>`, `paths`,
    // `definitions` or `$defs`, or any `properties` (`Pet/properties/owner` is `Pet_owner`,
    // like an inline property's type), in the characters component names may have.
    let meaningful: &[String] = match tokens.as_slice() {
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
    let base = match joined.trim_matches('_') {
        "" => "Referenced".to_string(),
        trimmed => trimmed.to_string(),
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    let component = pointer_join(&pointer_join("#/components", section), &name);
    let node = pointer_mut(doc, target)?;
    let value = std::mem::replace(
        node,
        Value::Object(Map::from_iter([(
            "$ref".to_string(),
            Value::String(component.clone()),
        )])),
    );
    let root = doc.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    let entries = components
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    entries.insert(name, value);
    Some(component)
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
        let moved = hoist(&mut doc);
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
            original_pointer(&moved, "#/components/schemas/Tag_allOf_0/properties/x"),
            "#/components/schemas/Tag/allOf/0/properties/x"
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
        assert!(hoist(&mut doc).is_empty());
        assert_eq!(doc["paths"]["/a"], doc["paths"]["/b"]);
        assert_eq!(doc["components"], before);
    }

    #[test]
    fn cycles_of_references_end() {
        let mut doc = json!({
            "paths": {"/a": {"$ref": "#/paths/~1a"}},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "#/components/schemas/A/properties/b"}}}
            }}
        });
        hoist(&mut doc);
        assert!(
            doc["paths"]["/a"].get("$ref").is_some(),
            "a self-referencing path item stays"
        );
    }
}
