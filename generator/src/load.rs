//! Reading a spec file: text → raw JSON tree → typed `openapiv3` document.
//!
//! This is the only module that knows about files, YAML and JSON syntax. Syntax errors keep
//! the parser's line and column; shape errors keep the JSON pointer of the node that did not
//! fit, and the line it is on where [`crate::locate`] can find it.

use std::path::{Path, PathBuf};

use crate::error::{pointer_join, Error, ErrorKind, Location};

/// A spec as read from disk, before typing.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file it came from.
    pub path: PathBuf,
    /// Its full text.
    pub text: String,
    /// Whether the text is JSON (otherwise YAML).
    pub is_json: bool,
    /// The parsed document, untyped, after [`crate::normalize`].
    pub raw: serde_json::Value,
    /// The `openapi` (or `swagger`) version string as written.
    pub version: Option<String>,
    /// Repairs made while loading (duplicate keys, normalisation), to report as warnings.
    pub repairs: Vec<crate::normalize::Repair>,
}

impl Source {
    /// Reads and parses `path` (YAML, or JSON when the text starts with `{`).
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::file(ErrorKind::Io, path, format!("cannot read the spec: {e}")))?;
        Self::parse(path, text)
    }

    /// Parses spec text already in memory; `path` is used in messages only.
    pub fn parse(path: &Path, text: String) -> Result<Self, Error> {
        let is_json = text.trim_start().starts_with('{');
        let mut repairs = Vec::new();
        let mut raw: serde_json::Value = if is_json {
            serde_json::from_str(&text)
                .map_err(|e| syntax_error(path, Some((e.line(), e.column())), &e.to_string()))?
        } else {
            let (raw, duplicates) = crate::yaml::from_str(&text).map_err(|e| {
                let at = e.location().map(|l| (l.line(), l.column()));
                syntax_error(path, at, &e.to_string())
            })?;
            repairs.extend(
                duplicates
                    .into_iter()
                    .map(|pointer| crate::normalize::Repair {
                        pointer,
                        message: "duplicate key; the last value is used".into(),
                    }),
            );
            raw
        };
        let version = ["openapi", "swagger"]
            .iter()
            .find_map(|key| raw.get(*key))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
        // `openapi: 3.0` in YAML is a number; normalising reads it as text.
        let openapi = raw
            .get("openapi")
            .and(version.as_deref())
            .unwrap_or_default();
        if openapi.starts_with("3.0") || openapi.starts_with("3.1") {
            let is_31 = openapi.starts_with("3.1");
            repairs.extend(crate::normalize::normalize(&mut raw, is_31));
        }
        Ok(Self {
            path: path.to_path_buf(),
            text,
            is_json,
            raw,
            version,
            repairs,
        })
    }

    /// The location of `pointer` in this file, with line and column where they can be found.
    pub fn location(&self, pointer: &str) -> Location {
        let at = crate::locate::locate(&self.text, pointer, self.is_json);
        Location {
            file: self.path.clone(),
            line: at.map(|(l, _)| l),
            column: at.map(|(_, c)| c),
            pointer: pointer.to_string(),
        }
    }

    /// The location of `pointer` without its line, to be filled in later by
    /// [`Source::locate_all`] (which finds many pointers in one pass).
    pub fn unlocated(&self, pointer: &str) -> Location {
        Location {
            file: self.path.clone(),
            line: None,
            column: None,
            pointer: pointer.to_string(),
        }
    }

    /// Fills in the line and column of every diagnostic, in one pass over the text where
    /// it can.
    pub fn locate_all(&self, diagnostics: &mut [crate::Diagnostic]) {
        let pointers: Vec<&str> = diagnostics
            .iter()
            .map(|d| d.location.pointer.as_str())
            .collect();
        let found = crate::locate::locate_many(&self.text, &pointers, self.is_json);
        for (diagnostic, at) in diagnostics.iter_mut().zip(found) {
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
