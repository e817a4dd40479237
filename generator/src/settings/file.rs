//! The settings file (`apigen.toml`): TOML, every key optional, unknown keys refused.
//!
//! ```toml
//! crate-name = "github-client"
//! crate-version = "0.2.0"
//! overlays = ["overlays/paging.yaml"]     # relative to this file
//! smoke-tests = true                      # the generated crate gets a `smoke` module
//! types-crate = "separate"                # models in a crate of their own (auto, inline)
//!
//! [operations]
//! include-tags = ["repos", "issues"]      # also include-paths, include-operations
//! exclude-paths = ["/repos/*/*/hooks/**"] # also exclude-tags, exclude-operations
//! exclude-operations = ["repos/delete"]
//!
//! [types]
//! derives = ["Eq", "Hash"]
//! replace = { Timestamp = "chrono::DateTime<chrono::Utc>" }
//! rename = { "simple-user" = "User" }
//!
//! [methods]
//! rename = { "repos/list-for-org" = "org_repos" }
//! ```
//!
//! Every value keeps its line and column: an error in the file, or a name in it that
//! matches nothing in the spec, is reported at `apigen.toml:LINE:COLUMN`.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Entry, OperationFilter, Origin, Settings, TypesCrate};
use crate::error::{Error, ErrorKind, Location};

/// The file's top level.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct FileSettings {
    crate_name: Option<String>,
    crate_version: Option<String>,
    overlays: Vec<String>,
    smoke_tests: bool,
    types_crate: Option<Spanned<String>>,
    operations: FileOperations,
    types: FileTypes,
    methods: FileMethods,
}

/// `[operations]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct FileOperations {
    include_tags: Vec<Spanned<String>>,
    exclude_tags: Vec<Spanned<String>>,
    include_paths: Vec<Spanned<String>>,
    exclude_paths: Vec<Spanned<String>>,
    include_operations: Vec<Spanned<String>>,
    exclude_operations: Vec<Spanned<String>>,
}

/// `[types]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct FileTypes {
    derives: Vec<Spanned<String>>,
    replace: BTreeMap<Spanned<String>, String>,
    rename: BTreeMap<Spanned<String>, String>,
}

/// `[methods]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct FileMethods {
    rename: BTreeMap<Spanned<String>, String>,
}

impl Settings {
    /// Reads a settings file (see [the format](self)). Overlay paths are
    /// taken relative to the file's folder.
    pub fn from_toml_file(path: &Path) -> Result<Settings, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| Error::file(ErrorKind::Io, path, format!("cannot read: {error}")))?;
        Settings::from_toml_str(path, &text)
    }

    /// Reads settings from TOML text; `path` names the file in messages and is where
    /// relative overlay paths start.
    pub fn from_toml_str(path: &Path, text: &str) -> Result<Settings, Error> {
        let parsed: FileSettings = toml::from_str(text).map_err(|error| {
            let location = located(path, text, error.span().unwrap_or(0..0));
            Error::new(ErrorKind::Settings, location, error.message().trim_end())
        })?;
        let origin = |span: Range<usize>| {
            let location = located(path, text, span);
            Origin::File {
                path: path.to_path_buf(),
                line: location.line.unwrap_or(1),
                column: location.column.unwrap_or(1),
            }
        };
        let list = |values: Vec<Spanned<String>>| -> Vec<Entry<String>> {
            values
                .into_iter()
                .map(|value| Entry {
                    origin: origin(value.span()),
                    value: value.into_inner(),
                })
                .collect()
        };
        let pairs = |map: BTreeMap<Spanned<String>, String>| -> Vec<Entry<(String, String)>> {
            let mut entries: Vec<_> = map
                .into_iter()
                .map(|(key, to)| (key.span(), key.into_inner(), to))
                .collect();
            // In file order, as written.
            entries.sort_by_key(|(span, _, _)| span.start);
            entries
                .into_iter()
                .map(|(span, from, to)| Entry {
                    origin: origin(span),
                    value: (from, to),
                })
                .collect()
        };
        let folder = path.parent().unwrap_or(Path::new(""));
        let FileSettings {
            crate_name,
            crate_version,
            overlays,
            smoke_tests,
            types_crate,
            operations,
            types,
            methods,
        } = parsed;
        let types_crate = match types_crate {
            None => TypesCrate::default(),
            Some(value) => TypesCrate::parse(value.get_ref()).map_err(|message| {
                Error::new(
                    ErrorKind::Settings,
                    located(path, text, value.span()),
                    message,
                )
            })?,
        };
        Ok(Settings {
            crate_name,
            crate_version,
            overlays: overlays.iter().map(|o| folder.join(o)).collect(),
            operations: OperationFilter {
                include_tags: list(operations.include_tags),
                exclude_tags: list(operations.exclude_tags),
                include_paths: list(operations.include_paths),
                exclude_paths: list(operations.exclude_paths),
                include_operations: list(operations.include_operations),
                exclude_operations: list(operations.exclude_operations),
            },
            replace: pairs(types.replace),
            derives: list(types.derives),
            rename_types: pairs(types.rename),
            rename_operations: pairs(methods.rename),
            smoke_tests,
            types_crate,
        })
    }

    /// Adds `more` (the command line's flags) to these settings: its lists are appended,
    /// its crate name and version win, smoke tests are on when either asks, and its
    /// types-crate choice wins unless it is the default.
    pub fn merge(mut self, more: Settings) -> Settings {
        if more.types_crate != TypesCrate::default() {
            self.types_crate = more.types_crate;
        }
        self.crate_name = more.crate_name.or(self.crate_name);
        self.crate_version = more.crate_version.or(self.crate_version);
        self.overlays.extend(more.overlays);
        self.smoke_tests |= more.smoke_tests;
        let (ours, theirs) = (&mut self.operations, more.operations);
        ours.include_tags.extend(theirs.include_tags);
        ours.exclude_tags.extend(theirs.exclude_tags);
        ours.include_paths.extend(theirs.include_paths);
        ours.exclude_paths.extend(theirs.exclude_paths);
        ours.include_operations.extend(theirs.include_operations);
        ours.exclude_operations.extend(theirs.exclude_operations);
        self.replace.extend(more.replace);
        self.derives.extend(more.derives);
        self.rename_types.extend(more.rename_types);
        self.rename_operations.extend(more.rename_operations);
        self
    }
}

/// The one-based line and column of a byte span's start in `text`.
fn located(path: &Path, text: &str, span: Range<usize>) -> Location {
    let start = span.start.min(text.len());
    let before = text.get(..start).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: path.to_path_buf(),
        line: Some(line),
        column: Some(column),
        pointer: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"crate-name = "github-client"
overlays = ["overlays/paging.yaml"]
[operations]
include-tags = ["repos", "issues"]
exclude-operations = ["repos/delete"]
exclude-paths = ["/repos/*/hooks/**"]
[types]
derives = ["Eq", "Hash"]
replace = { Timestamp = "chrono::DateTime<chrono::Utc>" }
rename = { "simple-user" = "User" }
[methods]
rename = { "repos/list-for-org" = "org_repos" }
"#;

    fn at(line: usize, column: usize) -> Origin {
        Origin::File {
            path: "cfg/apigen.toml".into(),
            line,
            column,
        }
    }

    #[test]
    fn reads_every_section_with_where_each_entry_is() {
        let settings = Settings::from_toml_str(Path::new("cfg/apigen.toml"), EXAMPLE).unwrap();
        assert_eq!(settings.crate_name.as_deref(), Some("github-client"));
        assert_eq!(settings.crate_version, None);
        assert_eq!(
            settings.overlays,
            vec![Path::new("cfg/overlays/paging.yaml").to_path_buf()]
        );
        let tags: Vec<_> = settings.operations.include_tags.iter().collect();
        assert_eq!(tags.len(), 2);
        assert_eq!(
            (tags[1].value.as_str(), &tags[1].origin),
            ("issues", &at(4, 26))
        );
        assert_eq!(settings.operations.exclude_operations[0].origin, at(5, 23));
        assert_eq!(
            settings.operations.exclude_paths[0].value,
            "/repos/*/hooks/**"
        );
        assert_eq!(settings.derives.len(), 2);
        assert_eq!(
            settings.replace[0].value,
            ("Timestamp".into(), "chrono::DateTime<chrono::Utc>".into())
        );
        assert_eq!(settings.replace[0].origin, at(9, 13));
        assert_eq!(settings.rename_types[0].value.1, "User");
        assert_eq!(
            settings.rename_operations[0].value,
            ("repos/list-for-org".into(), "org_repos".into())
        );
        assert_eq!(settings.rename_operations[0].origin, at(12, 12));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located_errors() {
        let path = Path::new("apigen.toml");
        let unknown = Settings::from_toml_str(path, "[types]\nderive = [\"Eq\"]\n").unwrap_err();
        assert_eq!(unknown.kind, ErrorKind::Settings);
        assert_eq!(
            (unknown.location.line, unknown.location.column),
            (Some(2), Some(1))
        );
        assert!(
            unknown.message.contains("unknown field `derive`"),
            "{unknown}"
        );
        let top = Settings::from_toml_str(path, "crate_name = \"x\"\n").unwrap_err();
        assert!(top.message.contains("unknown field `crate_name`"), "{top}");
        let wrong = Settings::from_toml_str(path, "\n[operations]\ninclude-tags = \"repos\"\n")
            .unwrap_err();
        assert_eq!(wrong.location.line, Some(3), "{wrong}");
        let syntax = Settings::from_toml_str(path, "crate-name = \n").unwrap_err();
        assert_eq!(syntax.location.line, Some(1), "{syntax}");
        assert!(!syntax.to_string().contains('\n'), "{syntax}");
    }

    #[test]
    fn flags_add_to_the_file() {
        let path = Path::new("apigen.toml");
        let file =
            Settings::from_toml_str(path, "crate-name = \"a\"\n[types]\nderives = [\"Eq\"]\n")
                .unwrap();
        let merged = file.merge(Settings::default().with_derive("Hash").with_crate_name("b"));
        assert_eq!(merged.crate_name.as_deref(), Some("b"));
        let derives: Vec<_> = merged.derives.iter().map(|d| d.value.as_str()).collect();
        assert_eq!(derives, ["Eq", "Hash"]);
        assert_eq!(merged.derives[1].origin, Origin::Code);
    }

    #[test]
    fn types_crate_is_read_checked_and_a_flag_other_than_auto_wins() {
        let path = Path::new("apigen.toml");
        let read = |text: &str| Settings::from_toml_str(path, text);
        assert_eq!(read("").unwrap().types_crate, TypesCrate::Auto);
        let separate = read("types-crate = \"separate\"\n").unwrap();
        assert_eq!(separate.types_crate, TypesCrate::Separate);
        let inline = read("types-crate = \"inline\"\n").unwrap().types_crate;
        assert_eq!(inline, TypesCrate::Inline);
        let bad = read("crate-name = \"x\"\ntypes-crate = \"split\"\n").unwrap_err();
        assert_eq!(bad.kind, ErrorKind::Settings);
        assert_eq!(
            (bad.location.line, bad.location.column),
            (Some(2), Some(15))
        );
        assert!(
            bad.message.contains("unknown types-crate value \"split\""),
            "{bad}"
        );
        // A flag's choice wins over the file's; the default (no flag) leaves the file's.
        let flagged = Settings::default().with_types_crate(TypesCrate::Inline);
        assert_eq!(
            separate.clone().merge(flagged).types_crate,
            TypesCrate::Inline
        );
        let unflagged = separate.merge(Settings::default()).types_crate;
        assert_eq!(unflagged, TypesCrate::Separate);
    }

    #[test]
    fn auto_separates_the_types_from_the_threshold_on() {
        let threshold = TypesCrate::AUTO_THRESHOLD;
        assert!(!TypesCrate::Auto.separate(threshold - 1));
        assert!(TypesCrate::Auto.separate(threshold));
        assert!(TypesCrate::Separate.separate(0));
        assert!(!TypesCrate::Inline.separate(threshold * 10));
    }

    #[test]
    fn a_missing_file_is_an_io_error_naming_it() {
        let error = Settings::from_toml_file(Path::new("no/such/apigen.toml")).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Io);
        assert!(error.to_string().contains("no/such/apigen.toml"), "{error}");
    }
}
