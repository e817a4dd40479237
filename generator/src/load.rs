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
    /// The parsed document, untyped.
    pub raw: serde_json::Value,
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
        let raw = if is_json {
            serde_json::from_str(&text).map_err(|e| {
                syntax_error(path, Some((e.line(), e.column())), &e.to_string())
            })?
        } else {
            serde_yaml::from_str(&text).map_err(|e| {
                let at = e.location().map(|l| (l.line(), l.column()));
                syntax_error(path, at, &e.to_string())
            })?
        };
        Ok(Self {
            path: path.to_path_buf(),
            text,
            is_json,
            raw,
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

    /// An error at `pointer` in this file.
    pub fn error(&self, kind: ErrorKind, pointer: &str, message: impl Into<String>) -> Error {
        Error::new(kind, self.location(pointer), message)
    }

    /// Checks the OpenAPI version and types the document.
    pub fn typed(&self) -> Result<openapiv3::OpenAPI, Error> {
        self.check_version()?;
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
            let message = format!("not a valid OpenAPI document: {}", e.inner());
            self.error(ErrorKind::Invalid, &pointer, message)
        })
    }

    fn check_version(&self) -> Result<(), Error> {
        if let Some(swagger) = self.raw.get("swagger") {
            let version = swagger.as_str().map_or_else(|| swagger.to_string(), str::to_string);
            return Err(self.error(
                ErrorKind::UnsupportedVersion,
                "#/swagger",
                format!(
                    "unsupported version: this is Swagger {version}; convert it to OpenAPI 3 first \
                     (for example with swagger2openapi)"
                ),
            ));
        }
        let Some(version) = self.raw.get("openapi").and_then(|v| v.as_str()) else {
            return Err(self.error(
                ErrorKind::Invalid,
                "#",
                "not an OpenAPI document: there is no `openapi` version string at the top level",
            ));
        };
        if !version.starts_with("3.0") {
            return Err(self.error(
                ErrorKind::UnsupportedVersion,
                "#/openapi",
                format!("unsupported OpenAPI version {version}: this generator reads 3.0.x"),
            ));
        }
        Ok(())
    }
}

fn syntax_error(path: &Path, at: Option<(usize, usize)>, message: &str) -> Error {
    let location = Location {
        file: path.to_path_buf(),
        line: at.map(|(l, _)| l),
        column: at.map(|(_, c)| c),
        pointer: String::new(),
    };
    Error::new(ErrorKind::Syntax, location, format!("not valid YAML or JSON: {message}"))
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
        let err = Source::parse(Path::new("s.yaml"), text.into()).unwrap().typed().unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid);
        assert!(err.location.pointer.starts_with("#/paths/~1a/get"), "{err}");
    }
}
