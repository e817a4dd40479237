//! Loading a spec: text → raw JSON tree → overlays applied ([`overlay`]) → references
//! resolved ([`refs`], reading other files) → repaired ([`normalize`]) → typed `openapiv3`
//! document.
//!
//! The only code that knows about files, YAML and JSON syntax ([`yaml`]) and where a
//! pointer stands in them ([`locate`], [`pointer`]). Syntax errors keep the parser's line
//! and column; shape errors keep the JSON pointer of the node that did not fit, and its
//! line. The stages after it read the typed document and locate pointers through the
//! small [`Locations`] interface, never these internals.

pub(crate) mod locate;
pub(crate) mod normalize;
pub(crate) mod overlay;
pub(crate) mod pointer;
pub(crate) mod refs;
mod yaml;

use std::path::{Path, PathBuf};

use crate::error::{pointer_join, Error, ErrorKind, Location};

/// What the stages after loading need from a loaded spec: where a document pointer
/// stands, in the spec or in a file it refers to.
pub(crate) trait Locations {
    /// The spec's file.
    fn spec_path(&self) -> &Path;
    /// The file and pointer of document pointer `pointer`, its line to be found later.
    fn unlocated(&self, pointer: &str) -> Location;
    /// An error about the node at document pointer `pointer`, located in its file.
    fn error(&self, kind: ErrorKind, pointer: &str, message: String) -> Error;
}

impl Locations for Source {
    fn spec_path(&self) -> &Path {
        &self.path
    }

    fn unlocated(&self, pointer: &str) -> Location {
        Source::unlocated(self, pointer)
    }

    fn error(&self, kind: ErrorKind, pointer: &str, message: String) -> Error {
        Source::error(self, kind, pointer, message)
    }
}

/// A spec as read from disk, before typing.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file it came from.
    pub path: PathBuf,
    /// Its full text.
    pub text: String,
    /// Whether the text is JSON (otherwise YAML).
    pub is_json: bool,
    /// The parsed document, untyped, after `load::normalize`.
    pub raw: serde_json::Value,
    /// The `openapi` (or `swagger`) version string as written.
    pub version: Option<String>,
    /// Repairs made while loading (duplicate keys, normalisation), to report as warnings.
    pub repairs: Vec<crate::load::normalize::Repair>,
    /// Reference targets moved into `components` (`load::refs`): locations of pointers
    /// under a moved node are reported where the node stands in its file.
    pub moved: Vec<crate::load::refs::Moved>,
    /// The other files the spec refers to, read in order.
    pub files: Vec<crate::load::refs::Referenced>,
    /// Warnings about those files (keys their YAML repeats), to report with the rest.
    pub notes: Vec<crate::Diagnostic>,
    /// Warnings about the overlays applied (`load::overlay`), located in their files.
    pub overlay_warnings: Vec<crate::Diagnostic>,
}

impl Source {
    /// Reads and parses `path` (YAML, or JSON when the text starts with `{`).
    pub fn read(path: &Path) -> Result<Self, Error> {
        Self::read_with_overlays(path, &[])
    }

    /// [`Source::read`], then applies the overlay documents at `overlays`, in order,
    /// before the document is normalised.
    pub fn read_with_overlays(path: &Path, overlays: &[PathBuf]) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::file(ErrorKind::Io, path, format!("cannot read the spec: {e}")))?;
        Self::parse_with_overlays(path, text, overlays)
    }

    /// Parses spec text already in memory; `path` names it in messages, and references
    /// to other files are read from its folder.
    pub fn parse(path: &Path, text: String) -> Result<Self, Error> {
        Self::parse_with_overlays(path, text, &[])
    }

    /// [`Source::parse`], then applies the overlay documents at `overlays`, in order, to
    /// the spec as written, before its references are resolved and it is normalised.
    pub fn parse_with_overlays(
        path: &Path,
        text: String,
        overlays: &[PathBuf],
    ) -> Result<Self, Error> {
        let (mut raw, is_json, duplicates) = crate::load::refs::parse(path, &text)?;
        let mut repairs: Vec<crate::load::normalize::Repair> = duplicates
            .into_iter()
            .map(|pointer| crate::load::normalize::Repair {
                pointer,
                message: "duplicate key; the last value is used".into(),
            })
            .collect();
        let overlay_warnings = crate::load::overlay::apply_all(overlays, &mut raw)?;
        let version = ["openapi", "swagger"]
            .iter()
            .find_map(|key| raw.get(*key))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        // `openapi: 3.0` in YAML is a number; normalising reads it as text.
        let openapi = raw
            .get("openapi")
            .and(version.as_deref())
            .unwrap_or_default()
            .to_string();
        let mut source = Self {
            path: path.to_path_buf(),
            text,
            is_json,
            raw: serde_json::Value::Null,
            version,
            repairs: Vec::new(),
            moved: Vec::new(),
            files: Vec::new(),
            notes: Vec::new(),
            overlay_warnings,
        };
        if openapi.starts_with("3.0") || openapi.starts_with("3.1") {
            // References first, so nodes from other files are normalised with the rest.
            let (resolved, failure) = crate::load::refs::resolve(&mut raw, path);
            source.moved = resolved.moved;
            source.files = resolved.files;
            if let Some(failure) = failure {
                return Err(match failure {
                    crate::load::refs::Failure::At { pointer, message } => {
                        source.error(ErrorKind::BadReference, &pointer, message)
                    }
                    crate::load::refs::Failure::Syntax(error) => error,
                });
            }
            for file in &source.files {
                for pointer in &file.duplicates {
                    source.notes.push(crate::Diagnostic {
                        location: Location {
                            file: file.path.clone(),
                            line: None,
                            column: None,
                            pointer: pointer.clone(),
                        },
                        message: "duplicate key; the last value is used".into(),
                    });
                }
            }
            repairs.extend(crate::load::normalize::normalize(
                &mut raw,
                openapi.starts_with("3.1"),
            ));
        }
        source.raw = raw;
        source.repairs = repairs;
        Ok(source)
    }

    /// The location of document pointer `pointer`, in the file its node stands in, with
    /// line and column where they can be found.
    pub fn location(&self, pointer: &str) -> Location {
        let mut location = self.unlocated(pointer);
        let (text, is_json) = self.text_of(&location.file);
        let at = crate::load::locate::locate(text, &location.pointer, is_json);
        location.line = at.map(|(l, _)| l);
        location.column = at.map(|(_, c)| c);
        location
    }

    /// The location of document pointer `pointer` without its line, to be filled in later
    /// by [`Source::locate_all`] (which finds many pointers in one pass).
    pub fn unlocated(&self, pointer: &str) -> Location {
        let (file, pointer) = crate::load::refs::original(&self.moved, pointer);
        let file = match file.and_then(|i| self.files.get(i)) {
            Some(referenced) => referenced.path.clone(),
            None => self.path.clone(),
        };
        Location {
            file,
            line: None,
            column: None,
            pointer,
        }
    }

    /// The text of `file` (the spec, or a file it refers to), and whether it is JSON.
    fn text_of(&self, file: &Path) -> (&str, bool) {
        match self.files.iter().find(|f| f.path == file) {
            Some(referenced) => (&referenced.text, referenced.is_json),
            None => (&self.text, self.is_json),
        }
    }

    /// Fills in the line and column of every diagnostic, in one pass over the text where
    /// it can.
    pub fn locate_all(&self, diagnostics: &mut [crate::Diagnostic]) {
        let (in_spec, elsewhere): (Vec<_>, Vec<_>) = diagnostics
            .iter_mut()
            .partition(|d| d.location.file == self.path);
        let pointers: Vec<&str> = in_spec
            .iter()
            .map(|d| d.location.pointer.as_str())
            .collect();
        let found = crate::load::locate::locate_many(&self.text, &pointers, self.is_json);
        for (diagnostic, at) in in_spec.into_iter().zip(found) {
            diagnostic.location.line = at.map(|(l, _)| l);
            diagnostic.location.column = at.map(|(_, c)| c);
        }
        for diagnostic in elsewhere {
            let (text, is_json) = self.text_of(&diagnostic.location.file);
            let at = crate::load::locate::locate(text, &diagnostic.location.pointer, is_json);
            diagnostic.location.line = at.map(|(l, _)| l);
            diagnostic.location.column = at.map(|(_, c)| c);
        }
    }

    /// An error at `pointer` in this file.
    pub fn error(&self, kind: ErrorKind, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(kind, self.location(pointer), message)
    }

    /// Checks the OpenAPI version and types the document.
    pub fn typed(&self) -> Result<openapiv3::OpenAPI, Error> {
        self.check_version()?;
        // The plain deserializer first (path tracking costs a tenth of the time on big
        // specs); only a failure is typed again to find where it failed.
        if let Ok(spec) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&self.raw) {
            return Ok(spec);
        }
        serde_path_to_error::deserialize(&self.raw).map_err(|e| {
            let mut pointer = String::from("#");
            for segment in e.path().iter() {
                use serde_path_to_error::Segment;
                match segment {
                    Segment::Map { key } => pointer = pointer_join(&pointer, key),
                    Segment::Seq { index } => pointer = pointer_join(&pointer, &index.to_string()),
                    Segment::Enum { .. } | Segment::Unknown => {}
                }
            }
            let (pointer, message) =
                pinpoint(&self.raw).unwrap_or((pointer, e.inner().to_string()));
            let message = format!("not a valid OpenAPI document: {message}");
            self.error(ErrorKind::Invalid, &pointer, message)
        })
    }

    fn check_version(&self) -> Result<(), Error> {
        if let Some(swagger) = self.raw.get("swagger") {
            let version = swagger
                .as_str()
                .map_or_else(|| swagger.to_string(), str::to_string);
            return Err(self.error(
                ErrorKind::UnsupportedVersion,
                "#/swagger",
                format!(
                    "unsupported version: this is Swagger {version}; convert it to OpenAPI 3 first \
                     (for example with swagger2openapi)"
                ),
            ));
        }
        let version = self.raw.get("openapi").and(self.version.as_deref());
        let Some(version) = version else {
            return Err(self.error(
                ErrorKind::Invalid,
                "#",
                "not an OpenAPI document: there is no `openapi` version string at the top level",
            ));
        };
        if !(version.starts_with("3.0") || version.starts_with("3.1")) {
            return Err(self.error(
                ErrorKind::UnsupportedVersion,
                "#/openapi",
                format!(
                    "unsupported OpenAPI version {version}: this generator reads 3.0.x and 3.1.x"
                ),
            ));
        }
        Ok(())
    }
}

/// Finds the deepest node that fails to type, where `openapiv3`'s flattened structs hide
/// the path from serde: each path item, operation, parameter, body and response, and each
/// component, is typed on its own. Returns its pointer and serde's message.
fn pinpoint(raw: &serde_json::Value) -> Option<(String, String)> {
    use openapiv3::{
        Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Responses,
        Schema, SecurityScheme,
    };
    use serde_json::Value;

    fn fails<T: serde::de::DeserializeOwned>(value: &Value) -> Option<String> {
        serde_json::from_value::<T>(value.clone())
            .err()
            .map(|e| e.to_string())
    }
    fn entries<'v>(value: &'v Value, key: &str) -> Vec<(&'v String, &'v Value)> {
        value
            .get(key)
            .and_then(Value::as_object)
            .map(|m| m.iter().collect())
            .unwrap_or_default()
    }
    fn list(value: &Value, key: &str) -> Vec<(String, Value)> {
        value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    let mut found: Option<(String, String)> = None;
    let mut note = |pointer: String, message: Option<String>| {
        if let Some(message) = message {
            found = Some((pointer, message));
        }
    };
    for (path, item) in entries(raw, "paths") {
        let item_pointer = pointer_join("#/paths", path);
        note(item_pointer.clone(), fails::<PathItem>(item));
        for (i, param) in list(item, "parameters") {
            note(
                pointer_join(&pointer_join(&item_pointer, "parameters"), &i),
                fails::<ReferenceOr<Parameter>>(&param),
            );
        }
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(op) = item.get(method) else { continue };
            let op_pointer = pointer_join(&item_pointer, method);
            note(op_pointer.clone(), fails::<Operation>(op));
            for (i, param) in list(op, "parameters") {
                note(
                    pointer_join(&pointer_join(&op_pointer, "parameters"), &i),
                    fails::<ReferenceOr<Parameter>>(&param),
                );
            }
            if let Some(body) = op.get("requestBody") {
                note(
                    pointer_join(&op_pointer, "requestBody"),
                    fails::<ReferenceOr<RequestBody>>(body),
                );
            }
            if let Some(responses) = op.get("responses") {
                let responses_pointer = pointer_join(&op_pointer, "responses");
                note(responses_pointer.clone(), fails::<Responses>(responses));
                for (status, response) in entries(op, "responses") {
                    note(
                        pointer_join(&responses_pointer, status),
                        fails::<ReferenceOr<Response>>(response),
                    );
                }
            }
        }
    }
    if let Some(components) = raw.get("components") {
        type Check = fn(&Value) -> Option<String>;
        let sections: [(&str, Check); 6] = [
            ("schemas", fails::<ReferenceOr<Schema>>),
            ("responses", fails::<ReferenceOr<Response>>),
            ("parameters", fails::<ReferenceOr<Parameter>>),
            ("requestBodies", fails::<ReferenceOr<RequestBody>>),
            ("headers", fails::<ReferenceOr<Header>>),
            ("securitySchemes", fails::<ReferenceOr<SecurityScheme>>),
        ];
        for (section, check) in sections {
            for (name, value) in entries(components, section) {
                note(
                    pointer_join(&pointer_join("#/components", section), name),
                    check(value),
                );
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_has_line() {
        let err = Source::parse(Path::new("x.yaml"), "a: [1\nb: 2\n".into()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert!(err.location.line.is_some(), "{err}");
    }

    #[test]
    fn swagger_two_gets_a_clear_error() {
        let src = Source::parse(Path::new("s.yaml"), "swagger: '2.0'\n".into()).unwrap();
        let err = src.typed().unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnsupportedVersion);
        assert!(err.to_string().contains("convert it to OpenAPI 3"), "{err}");
        assert_eq!(err.location.line, Some(1));
    }

    #[test]
    fn shape_error_names_pointer() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let err = Source::parse(Path::new("s.yaml"), text.into())
            .unwrap()
            .typed()
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(err.location.pointer.starts_with("#/paths/~1a/get"), "{err}");
    }
}
