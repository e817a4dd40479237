//! Errors and warnings about a spec, each tied to a place in it.
//!
//! Every problem the generator finds is reported with the spec file, the line and column
//! where they are known, and the JSON pointer of the offending node, so a user can find it
//! in any editor. The generator never panics on spec data: each stage returns
//! [`Error`] or records a [`Diagnostic`] and goes on.

use std::fmt;

pub(crate) use crate::load::pointer::{pointer_join, pointer_tokens};
use std::path::{Path, PathBuf};

/// A place in a spec: file, optional line/column, and a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The spec file (as given by the caller).
    pub file: PathBuf,
    /// One-based line, where known.
    pub line: Option<usize>,
    /// One-based column, where known.
    pub column: Option<usize>,
    /// JSON pointer of the node, like `#/paths/~1pets/get` (empty when the problem is the
    /// whole document or its syntax).
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.pointer.is_empty() {
            write!(f, " at {}", printable_pointer(&self.pointer))?;
        }
        Ok(())
    }
}

/// A pointer as printed in messages: control characters (a spec's keys may hold line
/// breaks) are percent-encoded, as in a pointer's URI fragment form (RFC 6901, section 6),
/// so every message stays on one line.
fn printable_pointer(pointer: &str) -> String {
    let mut printable = String::with_capacity(pointer.len());
    for c in pointer.chars() {
        if c.is_control() {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                printable.push_str(&format!("%{byte:02X}"));
            }
        } else {
            printable.push(c);
        }
    }
    printable
}

/// What went wrong, without the location.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The spec file could not be read.
    Io,
    /// The file is not valid YAML or JSON.
    Syntax,
    /// The document is not a supported OpenAPI version.
    UnsupportedVersion,
    /// The document does not have the shape OpenAPI requires.
    Invalid,
    /// A `$ref` points nowhere or somewhere unsupported.
    BadReference,
    /// The generator produced tokens that are not valid Rust: a generator bug.
    Internal,
    /// Writing or checking the output failed.
    Output,
    /// A setting (crate name, version) is not valid.
    Settings,
}

/// A fatal problem with a spec, or with writing the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The class of problem.
    pub kind: ErrorKind,
    /// Where in the spec it is.
    pub location: Location,
    /// A sentence saying what is wrong.
    pub message: String,
}

impl Error {
    /// An error at `location`.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        Self {
            kind,
            location,
            message: message.into(),
        }
    }

    /// An error that concerns a file as a whole (reading, writing).
    pub fn file(kind: ErrorKind, file: &Path, message: impl Into<String>) -> Self {
        let location = Location {
            file: file.to_path_buf(),
            ..Location::default()
        };
        Self::new(kind, location, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: {}", self.location, self.message)
    }
}

impl std::error::Error for Error {}

/// A problem the generator worked around; generation goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where in the spec it is.
    pub location: Location,
    /// What was wrong and what the generator did instead.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.location, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_and_round_trip() {
        let p = pointer_join(&pointer_join("#", "paths"), "/v2/users/{id}");
        assert_eq!(p, "#/paths/~1v2~1users~1{id}");
        assert_eq!(pointer_tokens(&p), vec!["paths", "/v2/users/{id}"]);
        assert_eq!(pointer_tokens(&pointer_join("#", "a~b")), vec!["a~b"]);
    }

    #[test]
    fn location_display_names_file_line_and_pointer() {
        let loc = Location {
            file: "spec.yaml".into(),
            line: Some(12),
            column: Some(3),
            pointer: "#/paths".into(),
        };
        assert_eq!(loc.to_string(), "spec.yaml:12:3 at #/paths");
    }

    #[test]
    fn location_display_keeps_control_characters_of_keys_off_the_line() {
        let loc = Location {
            file: "spec.json".into(),
            pointer: pointer_join("#/paths", "/a\nb\r\u{85}/é"),
            ..Location::default()
        };
        assert_eq!(loc.to_string(), "spec.json at #/paths/~1a%0Ab%0D%C2%85~1é");
    }
}
