//! OpenAPI Overlay 1.0 documents (the OAI Overlay Specification): ordered `update` and
//! `remove` actions on the nodes an RFC 9535 JSONPath `target` selects, applied to the
//! spec's untyped tree before anything else reads it.
//!
//! The semantics, from the specification:
//!
//! - Actions are applied in order, each to the result of the ones before it (and the
//!   overlays in the order they are given).
//! - `update` on an object is merged into it: properties of the update are added, objects
//!   in both are merged recursively, arrays in both are concatenated, and any other value
//!   of the update replaces the one in the spec.
//! - `update` on an array appends the update's value to it, as one entry.
//! - `remove: true` removes each selected node from the object or array that holds it
//!   (then `update` has no effect).
//! - A target must select objects or arrays for an update: to change a string, update the
//!   object that holds it. Removing a primitive (an object member or an array item) is
//!   allowed.
//!
//! Errors (a malformed overlay, an invalid JSONPath expression, an update the selected
//! node cannot take) are located in the overlay file, with line and JSON pointer. A target
//! that selects nothing is a warning located there too: the action changes nothing.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{pointer_join, Diagnostic, Error, ErrorKind, Location};

/// The fields an Overlay 1.0 document may have at its top level (besides `x-` extensions).
const OVERLAY_FIELDS: [&str; 4] = ["overlay", "info", "extends", "actions"];

/// The fields an action may have (besides `x-` extensions).
const ACTION_FIELDS: [&str; 4] = ["target", "description", "update", "remove"];

/// A parsed and validated overlay document, ready to apply.
#[derive(Debug)]
pub struct Overlay {
    /// The file it came from.
    path: PathBuf,
    /// Its text, to find the line of a pointer in messages.
    text: String,
    /// Whether the text is JSON (otherwise YAML).
    is_json: bool,
    /// The actions, in order.
    actions: Vec<Action>,
    /// Problems found while reading it (duplicate keys), reported as warnings.
    warnings: Vec<Diagnostic>,
}

/// One action: what it selects and what it does there.
#[derive(Debug)]
struct Action {
    /// The action's pointer in the overlay (`#/actions/2`).
    pointer: String,
    /// The JSONPath expression as written.
    target_text: String,
    /// The parsed expression.
    target: JsonPath,
    /// What to do with each selected node.
    change: Change,
}

/// What an action does to each node its target selects.
#[derive(Debug)]
enum Change {
    /// Merge into an object, or append to an array.
    Update(Value),
    /// Remove from the containing object or array.
    Remove,
}

/// One step of a normalized path, owned so the tree can be changed after the query.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Step {
    Index(usize),
    Key(String),
}

/// A node a target selected: its steps from the root, and its normalized path as
/// RFC 9535 prints it (`$['paths']['/users']`), for messages.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Selected {
    steps: Vec<Step>,
    shown: String,
}

impl Overlay {
    /// Reads and validates the overlay at `path` (YAML, or JSON when the text starts with
    /// `{`).
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::file(ErrorKind::Io, path, format!("cannot read the overlay: {e}"))
        })?;
        Self::parse(path, text)
    }

    /// Parses and validates overlay text already in memory; `path` names it in messages.
    pub fn parse(path: &Path, text: String) -> Result<Self, Error> {
        let is_json = text.trim_start().starts_with('{');
        let mut overlay = Self {
            path: path.to_path_buf(),
            text,
            is_json,
            actions: Vec::new(),
            warnings: Vec::new(),
        };
        let document = overlay.parse_text()?;
        overlay.actions = overlay.validate(&document)?;
        Ok(overlay)
    }

    /// The text as a JSON tree; duplicate YAML keys become warnings.
    fn parse_text(&mut self) -> Result<Value, Error> {
        let syntax_error = |at: Option<(usize, usize)>, message: String| {
            let location = Location {
                file: self.path.clone(),
                line: at.map(|(l, _)| l),
                column: at.map(|(_, c)| c),
                pointer: String::new(),
            };
            let message = format!("not valid YAML or JSON: {message}");
            Error::new(ErrorKind::Syntax, location, message)
        };
        if self.is_json {
            return serde_json::from_str(&self.text)
                .map_err(|e| syntax_error(Some((e.line(), e.column())), e.to_string()));
        }
        let (document, duplicates) = crate::load::yaml::from_str(&self.text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            syntax_error(at, e.to_string())
        })?;
        for pointer in duplicates {
            let location = self.location(&pointer);
            self.warnings.push(Diagnostic {
                location,
                message: "duplicate key; the last value is used".into(),
            });
        }
        Ok(document)
    }

    /// Checks the document's shape and parses each action's target.
    fn validate(&self, document: &Value) -> Result<Vec<Action>, Error> {
        let Some(root) = document.as_object() else {
            return Err(self.error(
                "#",
                "not an Overlay document: the top level must be an object with `overlay`, \
                 `info` and `actions`",
            ));
        };
        self.refuse_unknown_fields(root, "#", &OVERLAY_FIELDS)?;
        match root.get("overlay") {
            None => {
                return Err(self.error(
                    "#",
                    "not an Overlay document: there is no `overlay` version string at the top \
                     level (write `overlay: 1.0.0`)",
                ))
            }
            Some(Value::String(version)) if is_version_1_0(version) => {}
            Some(other) => {
                return Err(self.error(
                    "#/overlay",
                    format!(
                        "unsupported Overlay version {}: apigen applies Overlay 1.0.x documents",
                        shown_value(other)
                    ),
                ))
            }
        }
        self.check_info(root.get("info"))?;
        if let Some(extends) = root.get("extends") {
            if !extends.is_string() {
                return Err(self.error(
                    "#/extends",
                    "`extends` must be a string (a URI reference to the spec)",
                ));
            }
        }
        let actions = match root.get("actions") {
            None => {
                return Err(self.error(
                    "#",
                    "an overlay needs `actions`: a list of at least one action",
                ))
            }
            Some(Value::Array(actions)) if !actions.is_empty() => actions,
            Some(_) => {
                return Err(self.error(
                    "#/actions",
                    "`actions` must be a list of at least one action",
                ))
            }
        };
        actions
            .iter()
            .enumerate()
            .map(|(i, action)| self.action(&pointer_join("#/actions", &i.to_string()), action))
            .collect()
    }

    /// `info` must be an object with a string `title` and `version`.
    fn check_info(&self, info: Option<&Value>) -> Result<(), Error> {
        let Some(info) = info else {
            return Err(self.error(
                "#",
                "an overlay needs `info` with its `title` and `version`",
            ));
        };
        let Some(fields) = info.as_object() else {
            return Err(self.error(
                "#/info",
                "`info` must be an object with `title` and `version`",
            ));
        };
        self.refuse_unknown_fields(fields, "#/info", &["title", "version"])?;
        for field in ["title", "version"] {
            match fields.get(field) {
                Some(Value::String(_)) => {}
                Some(_) => {
                    return Err(self.error(
                        &pointer_join("#/info", field),
                        format!("`info.{field}` must be a string"),
                    ))
                }
                None => {
                    return Err(self.error("#/info", format!("`info` needs a `{field}` string")))
                }
            }
        }
        Ok(())
    }

    /// One action, validated: its target parsed, and either an update or a removal.
    fn action(&self, pointer: &str, action: &Value) -> Result<Action, Error> {
        let Some(fields) = action.as_object() else {
            return Err(self.error(
                pointer,
                "an action must be an object with `target` and `update` or `remove`",
            ));
        };
        self.refuse_unknown_fields(fields, pointer, &ACTION_FIELDS)?;
        let target_pointer = pointer_join(pointer, "target");
        let target_text = match fields.get("target") {
            Some(Value::String(target)) => target.clone(),
            Some(_) => return Err(self.error(
                &target_pointer,
                "`target` must be a string: a JSONPath expression such as `$.paths['/users'].get`",
            )),
            None => return Err(self.error(
                pointer,
                "an action needs a `target`: a JSONPath expression such as `$.paths['/users'].get`",
            )),
        };
        let target = JsonPath::parse(&target_text).map_err(|e| {
            // The parser gives a byte offset; messages count characters from 1.
            let (before, after) = target_text
                .split_at_checked(e.position())
                .unwrap_or((&target_text, ""));
            let near = if after.is_empty() {
                "at the end".to_string()
            } else {
                format!("at `{after}`")
            };
            self.error(
                &target_pointer,
                format!(
                    "invalid JSONPath `{target_text}`: character {} ({near}): {}",
                    before.chars().count() + 1,
                    e.message()
                ),
            )
        })?;
        if let Some(description) = fields.get("description") {
            if !description.is_string() {
                return Err(self.error(
                    &pointer_join(pointer, "description"),
                    "`description` must be a string",
                ));
            }
        }
        let remove = match fields.get("remove") {
            None => false,
            Some(Value::Bool(remove)) => *remove,
            Some(_) => {
                return Err(self.error(
                    &pointer_join(pointer, "remove"),
                    "`remove` must be true or false",
                ))
            }
        };
        let change = match (remove, fields.get("update")) {
            (true, _) => Change::Remove,
            (false, Some(update)) => Change::Update(update.clone()),
            (false, None) => {
                return Err(self.error(
                    pointer,
                    "an action needs `update` (what to merge or append) or `remove: true`",
                ))
            }
        };
        Ok(Action {
            pointer: pointer.to_string(),
            target_text,
            target,
            change,
        })
    }

    /// Refuses fields the specification does not define (a misspelt `update` would
    /// otherwise be ignored); `x-` extensions are allowed anywhere.
    fn refuse_unknown_fields(
        &self,
        fields: &Map<String, Value>,
        pointer: &str,
        known: &[&str],
    ) -> Result<(), Error> {
        let unknown = fields
            .keys()
            .find(|key| !key.starts_with("x-") && !known.contains(&key.as_str()));
        match unknown {
            Some(key) => Err(self.error(
                &pointer_join(pointer, key),
                format!(
                    "unknown field `{key}` (expected {}, or an `x-` extension)",
                    known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// Applies every action, in order, to `spec`. Returns warnings: problems met while
    /// reading the overlay, and each target that selected nothing.
    pub fn apply(&self, spec: &mut Value) -> Result<Vec<Diagnostic>, Error> {
        let mut warnings = self.warnings.clone();
        for action in &self.actions {
            let selected = select(&action.target, spec);
            if selected.is_empty() {
                warnings.push(Diagnostic {
                    location: self.location(&pointer_join(&action.pointer, "target")),
                    message: format!(
                        "target `{}` selects nothing in the spec; the action changes nothing",
                        action.target_text
                    ),
                });
                continue;
            }
            match &action.change {
                Change::Update(update) => self.update_all(action, update, &selected, spec)?,
                Change::Remove => self.remove_all(action, selected, spec)?,
            }
        }
        Ok(warnings)
    }

    /// Merges `update` into each selected object, or appends it to each selected array.
    fn update_all(
        &self,
        action: &Action,
        update: &Value,
        selected: &[Selected],
        spec: &mut Value,
    ) -> Result<(), Error> {
        for node in selected {
            // An earlier node's update may have replaced this one: it is then gone.
            let Some(target) = resolve_mut(spec, &node.steps) else {
                continue;
            };
            match (target, update) {
                (Value::Object(target), Value::Object(update)) => merge_object(target, update),
                (Value::Array(items), update) => items.push(update.clone()),
                (Value::Object(_), other) => {
                    return Err(self.error(
                        &pointer_join(&action.pointer, "update"),
                        format!(
                            "the target selects an object ({}), so `update` must be an object \
                             of properties to merge into it, not {}",
                            node.shown,
                            kind_of(other)
                        ),
                    ))
                }
                (primitive, _) => {
                    return Err(self.error(
                        &pointer_join(&action.pointer, "target"),
                        format!(
                            "the target selects {} ({}); an update applies to objects and \
                             arrays only: select the object that holds it and update that \
                             property",
                            kind_of(primitive),
                            node.shown
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    /// Removes each selected node from its parent: deepest and last first, so the paths
    /// of the nodes still to remove stay valid.
    fn remove_all(
        &self,
        action: &Action,
        mut selected: Vec<Selected>,
        spec: &mut Value,
    ) -> Result<(), Error> {
        selected.sort();
        selected.dedup();
        for node in selected.iter().rev() {
            let Some((last, parent)) = node.steps.split_last() else {
                return Err(self.error(
                    &pointer_join(&action.pointer, "target"),
                    "the target selects the whole document (`$`), which cannot be removed",
                ));
            };
            match (resolve_mut(spec, parent), last) {
                (Some(Value::Object(members)), Step::Key(key)) => {
                    members.shift_remove(key);
                }
                (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
                    items.remove(*index);
                }
                // Already removed with an ancestor selected by the same target.
                _ => {}
            }
        }
        Ok(())
    }

    /// The location of `pointer` in the overlay file, with its line where it can be found.
    fn location(&self, pointer: &str) -> Location {
        let at = crate::load::locate::locate(&self.text, pointer, self.is_json)
            .or_else(|| self.locate_on_item_line(pointer));
        Location {
            file: self.path.clone(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            pointer: pointer.to_string(),
        }
    }

    /// The line and column of an action's first key written on the item's own line
    /// (`- target: ...`), which [`crate::load::locate`] finds as the item only.
    fn locate_on_item_line(&self, pointer: &str) -> Option<(usize, usize)> {
        if self.is_json {
            return None;
        }
        let (parent, key) = pointer.rsplit_once('/')?;
        let (line, column) = crate::load::locate::locate(&self.text, parent, false)?;
        let item = self.text.lines().nth(line - 1)?.get(column - 1..)?;
        let after_dash = item.strip_prefix('-')?;
        let first_key = after_dash.trim_start();
        let key_column = column + 1 + (after_dash.len() - first_key.len());
        let written = first_key
            .split(':')
            .next()?
            .trim()
            .trim_matches(['\'', '"']);
        (written == key).then_some((line, key_column))
    }

    /// An error at `pointer` in the overlay file.
    fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid, self.location(pointer), message)
    }
}

/// Applies the overlays at `paths`, in order, to `spec`; returns their warnings.
pub fn apply_all(paths: &[PathBuf], spec: &mut Value) -> Result<Vec<Diagnostic>, Error> {
    let mut warnings = Vec::new();
    for path in paths {
        warnings.extend(Overlay::read(path)?.apply(spec)?);
    }
    Ok(warnings)
}

/// Whether `version` is an Overlay 1.0.x version string.
fn is_version_1_0(version: &str) -> bool {
    version
        .strip_prefix("1.0.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// The nodes `target` selects in `spec`, in the query's order, without repeats.
fn select(target: &JsonPath, spec: &Value) -> Vec<Selected> {
    let mut selected: Vec<Selected> = Vec::new();
    let mut seen: HashSet<Vec<Step>> = HashSet::new();
    for node in target.query_located(spec) {
        let steps: Vec<Step> = node
            .location()
            .iter()
            .map(|element| match element.as_index() {
                Some(index) => Step::Index(index),
                None => Step::Key(element.as_name().unwrap_or_default().to_string()),
            })
            .collect();
        if seen.insert(steps.clone()) {
            selected.push(Selected {
                steps,
                shown: node.location().to_string(),
            });
        }
    }
    selected
}

/// The node at `steps` from `root`, if it is (still) there.
fn resolve_mut<'v>(root: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    steps
        .iter()
        .try_fold(root, |node, step| match (node, step) {
            (Value::Object(members), Step::Key(key)) => members.get_mut(key),
            (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
            _ => None,
        })
}

/// Merges `update` into `target`: objects in both merge recursively, arrays in both are
/// concatenated, anything else of the update's replaces (or adds) the property.
fn merge_object(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, new) in update {
        match (target.get_mut(key), new) {
            (Some(Value::Object(old)), Value::Object(new)) => merge_object(old, new),
            (Some(Value::Array(old)), Value::Array(new)) => old.extend(new.iter().cloned()),
            (Some(old), new) => *old = new.clone(),
            (None, new) => {
                target.insert(key.clone(), new.clone());
            }
        }
    }
}

/// What kind of JSON value this is, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short rendering of a value for messages: strings as written, others as JSON.
fn shown_value(value: &Value) -> String {
    match value {
        Value::String(text) => format!("`{text}`"),
        other => format!("`{other}`"),
    }
}
