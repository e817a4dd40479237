//! References to other files: `$ref: "../schemas/user.yaml#/User"`, `$ref: "user.json"`.
//!
//! A file is read once (YAML or JSON, like the spec), from the folder of the file that
//! refers to it, at any depth; nothing is fetched from the network. A node taken from a
//! file has its own references rewritten to absolute form first (`/abs/user.yaml#/Group`
//! for a `#/Group` inside `user.yaml`), so they mean the same wherever the node lands.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, ErrorKind, Location};

/// A file read because the spec (or a file it reads) refers to it.
#[derive(Debug, Clone)]
pub struct Referenced {
    /// Its path, absolute.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// Whether the text is JSON (otherwise YAML).
    pub is_json: bool,
    /// Its parsed tree.
    pub doc: Value,
    /// Pointers of keys its YAML repeats (the last value is used).
    pub duplicates: Vec<String>,
}

/// The files read so far, by absolute path.
#[derive(Debug, Default)]
pub struct Files {
    /// In the order they were read.
    pub list: Vec<Referenced>,
    by_path: HashMap<PathBuf, usize>,
}

impl Files {
    /// The index of the file at `path` (absolute), reading it on first use.
    pub fn load(&mut self, path: &Path) -> Result<usize, LoadError> {
        if let Some(&index) = self.by_path.get(path) {
            return Ok(index);
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| LoadError::Read(format!("cannot read {}: {e}", path.display())))?;
        let (doc, is_json, duplicates) = parse(path, &text).map_err(LoadError::Syntax)?;
        self.list.push(Referenced {
            path: path.to_path_buf(),
            text,
            is_json,
            doc,
            duplicates,
        });
        self.by_path.insert(path.to_path_buf(), self.list.len() - 1);
        Ok(self.list.len() - 1)
    }
}

/// Why a file could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// It could not be read.
    Read(String),
    /// It is not valid YAML or JSON (located in it).
    Syntax(Error),
}

/// Parses spec text (JSON when it starts with `{`, else YAML): the tree, whether it is
/// JSON, and the pointers of duplicated YAML keys. A syntax error keeps its line.
pub fn parse(path: &Path, text: &str) -> Result<(Value, bool, Vec<String>), Error> {
    let is_json = text.trim_start().starts_with('{');
    if is_json {
        let doc = serde_json::from_str(text)
            .map_err(|e| syntax_error(path, Some((e.line(), e.column())), &e.to_string()))?;
        Ok((doc, true, Vec::new()))
    } else {
        let (doc, duplicates) = crate::load::yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            syntax_error(path, at, &e.to_string())
        })?;
        Ok((doc, false, duplicates))
    }
}

fn syntax_error(path: &Path, at: Option<(usize, usize)>, message: &str) -> Error {
    let location = Location {
        file: path.to_path_buf(),
        line: at.map(|(l, _)| l),
        column: at.map(|(_, c)| c),
        pointer: String::new(),
    };
    Error::new(
        ErrorKind::Syntax,
        location,
        format!("not valid YAML or JSON: {message}"),
    )
}

/// `path` made absolute (against the working directory) and free of `.` and `..`, without
/// touching the file system, so a file has one name however it is reached.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// A reference split into its file (absolute, resolved from `base`, the file it is written
/// in) and its fragment (`#/a/b`, or `#` for the whole file). `None` for a URL.
pub fn split(reference: &str, base: &Path) -> Option<(PathBuf, String)> {
    if reference.contains("://") {
        return None;
    }
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let path = if file.is_empty() {
        base.to_path_buf()
    } else {
        absolute(&base.parent().unwrap_or(Path::new(".")).join(file))
    };
    Some((path, format!("#{fragment}")))
}

/// Rewrites every reference inside `node`, which was written in the file `base`, to
/// absolute form (`/abs/file.yaml#/pointer`); URLs stay as they are. A walk with an
/// explicit stack.
pub fn absolutize(node: &mut Value, base: &Path) {
    let mut stack = vec![node];
    while let Some(value) = stack.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get_mut("$ref") {
                    if let Some((path, fragment)) = split(reference, base) {
                        *reference = format!("{}{fragment}", path.display());
                    }
                }
                stack.extend(map.values_mut());
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_resolve_from_the_file_they_are_in() {
        let base = Path::new("/spec/paths/users.yaml");
        assert_eq!(
            split("../schemas/user.yaml#/User", base),
            Some((PathBuf::from("/spec/schemas/user.yaml"), "#/User".into()))
        );
        assert_eq!(
            split("#/Local", base),
            Some((PathBuf::from("/spec/paths/users.yaml"), "#/Local".into()))
        );
        assert_eq!(
            split("./common.json", base),
            Some((PathBuf::from("/spec/paths/common.json"), "#".into()))
        );
        assert_eq!(split("https://example.com/s.yaml#/A", base), None);
    }

    #[test]
    fn a_moved_node_keeps_what_its_references_mean() {
        let mut node = json!({
            "properties": {
                "group": {"$ref": "#/Group"},
                "tags": {"items": {"$ref": "../common/tag.yaml#/Tag"}},
                "remote": {"$ref": "https://example.com/x.yaml"}
            }
        });
        absolutize(&mut node, Path::new("/spec/schemas/user.yaml"));
        assert_eq!(
            node["properties"]["group"]["$ref"],
            "/spec/schemas/user.yaml#/Group"
        );
        assert_eq!(
            node["properties"]["tags"]["items"]["$ref"],
            "/spec/common/tag.yaml#/Tag"
        );
        assert_eq!(
            node["properties"]["remote"]["$ref"],
            "https://example.com/x.yaml"
        );
    }
}
