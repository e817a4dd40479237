//! Settings: what to generate beyond what the spec says, for specs you do not own.
//!
//! One [`Settings`] value serves the library, build scripts and the command line (which
//! reads a config file with [`Settings::from_toml_file`] and adds its flags). Besides the
//! crate's name, version and overlays it holds:
//!
//! - **Operation filters**: include or exclude operations by tag, by path pattern (a glob
//!   over the path template: `*` matches within one segment, `**` any number of segments,
//!   so `/repos/**` is every path under `/repos`) or by operationId. With no include
//!   filter every operation is included; with some, an operation is included when it
//!   matches any of them. Excludes apply after includes: an operation matching any
//!   exclude is dropped, whatever includes it. Types reachable only from dropped
//!   operations are not generated; a type some kept operation reaches stays, and so does
//!   a type no operation reaches (plain components). Dropped operations are lowered only
//!   to learn which types they reach: their warnings are not reported, and one the
//!   generator cannot read is no error (excluding it is a way past it).
//! - **Replacements** (`replace`): a schema becomes `pub type Name = <path>;` for a Rust type
//!   of yours (it must parse as a Rust type), so every reference keeps working.
//! - **Extra derives** (`derives`): paths added to every generated model struct and enum's
//!   `#[derive(...)]` (those a type derives already are not repeated).
//! - **Renames**: a type (by schema name, or by the generated type name) or an operation
//!   (by operationId; its method, and the names made from it) gets the name given.
//!
//! - **Smoke tests** (`smoke-tests`): the generated crate gets a `smoke` module calling
//!   every operation with arguments built from the spec's examples.
//! - **Types crate** (`types-crate`): whether the crate form puts the `types` module in a
//!   crate of its own ([`TypesCrate`]; by default, for large APIs only).
//!
//! A tag, path pattern, operationId or schema name that matches nothing in the spec is an
//! error, located in the config file when it came from there, else naming the flag; so is
//! a rename to a name already taken. The file format is in [`file`](mod@file); applying the settings
//! while lowering is `settings::apply`, with the reachability of types in `settings::reach`.

pub(crate) mod apply;
pub mod file;
pub(crate) mod reach;

use std::path::PathBuf;

/// What to generate, beyond what the spec says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The crate's package name. Default: the spec's `x-rust-crate.name`, else derived
    /// from `info.title`.
    pub crate_name: Option<String>,
    /// The crate's version. Default: the spec's `x-rust-crate.version`, else `0.1.0`.
    pub crate_version: Option<String>,
    /// OpenAPI Overlay documents applied to the spec, in order, before anything else reads
    /// it.
    pub overlays: Vec<PathBuf>,
    /// Which operations are generated.
    pub operations: OperationFilter,
    /// Schemas replaced by Rust types of the user's: schema name, and the type's path.
    pub replace: Vec<Entry<(String, String)>>,
    /// Paths added to every generated model's `#[derive(...)]`.
    pub derives: Vec<Entry<String>>,
    /// Type renames: schema or type name, and the new Rust type name.
    pub rename_types: Vec<Entry<(String, String)>>,
    /// Operation renames: operationId, and the new method name.
    pub rename_operations: Vec<Entry<(String, String)>>,
    /// Whether the generated crate gets the `smoke` module: every operation called with
    /// arguments built from the spec's examples (`smoke-tests = true`, `--smoke-tests`).
    pub smoke_tests: bool,
    /// Whether the crate form puts the models in a crate of their own (`types-crate`,
    /// `--types-crate`).
    pub types_crate: TypesCrate,
}

/// Where the crate form of a generated client puts its `types` module.
///
/// A separate crate (`{name}-types`, in `types/` beside `runtime/`, re-exported as the
/// client's `types` module, so every path stays the same) splits the build of a large API
/// in two: rustc holds the models and the operations one after the other, not together,
/// which lowers the build's peak memory by about a quarter for GitHub's 2,600 models, for
/// a few seconds more in all. The single-file form (`include!`) always has one module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TypesCrate {
    /// A crate of their own when the API has at least
    /// [`TypesCrate::AUTO_THRESHOLD`] models (structs, enums and aliases), else a module.
    #[default]
    Auto,
    /// Always a crate of their own.
    Separate,
    /// Always a module of the client crate.
    Inline,
}

impl TypesCrate {
    /// From this many models on, [`TypesCrate::Auto`] puts them in a crate of their own.
    pub const AUTO_THRESHOLD: usize = 1000;

    /// The setting's value as written in the settings file and the flag.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Separate => "separate",
            Self::Inline => "inline",
        }
    }

    /// Parses `auto`, `separate` or `inline`.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(Self::Auto),
            "separate" => Ok(Self::Separate),
            "inline" => Ok(Self::Inline),
            other => Err(format!(
                "unknown types-crate value {other:?} (expected \"auto\", \"separate\" or \"inline\")"
            )),
        }
    }

    /// Whether an API with `models` models gets its types in a crate of their own.
    pub fn separate(self, models: usize) -> bool {
        match self {
            Self::Auto => models >= Self::AUTO_THRESHOLD,
            Self::Separate => true,
            Self::Inline => false,
        }
    }
}

/// Include and exclude rules for operations (see the [module docs](self) for the rule).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationFilter {
    /// Operations with any of these tags are included.
    pub include_tags: Vec<Entry<String>>,
    /// Operations with any of these tags are excluded.
    pub exclude_tags: Vec<Entry<String>>,
    /// Operations whose path matches any of these globs are included.
    pub include_paths: Vec<Entry<String>>,
    /// Operations whose path matches any of these globs are excluded.
    pub exclude_paths: Vec<Entry<String>>,
    /// Operations with these operationIds are included.
    pub include_operations: Vec<Entry<String>>,
    /// Operations with these operationIds are excluded.
    pub exclude_operations: Vec<Entry<String>>,
}

impl OperationFilter {
    /// Whether any rule is given.
    pub fn is_empty(&self) -> bool {
        self.rules().all(|(_, rules)| rules.is_empty())
    }

    /// Each list with what it is (for messages): `(kind, rules)`.
    pub(crate) fn rules(&self) -> impl Iterator<Item = (RuleKind, &[Entry<String>])> {
        [
            (RuleKind::Tag, &self.include_tags[..]),
            (RuleKind::Tag, &self.exclude_tags[..]),
            (RuleKind::Path, &self.include_paths[..]),
            (RuleKind::Path, &self.exclude_paths[..]),
            (RuleKind::Operation, &self.include_operations[..]),
            (RuleKind::Operation, &self.exclude_operations[..]),
        ]
        .into_iter()
    }
}

/// What an operation filter matches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleKind {
    /// A tag.
    Tag,
    /// A path pattern.
    Path,
    /// An operationId.
    Operation,
}

/// One setting and where it was given, so a message about it can point there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    /// The value.
    pub value: T,
    /// Where it was given.
    pub origin: Origin,
}

impl<T> Entry<T> {
    /// A value given by code (a build script, a test).
    pub fn new(value: T) -> Self {
        Self {
            value,
            origin: Origin::Code,
        }
    }
}

/// Where a setting was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// By code, through [`Settings`]' builder methods or fields.
    Code,
    /// By a command-line flag (its name, like `--include-tag`).
    Flag(&'static str),
    /// In a config file, at a one-based line and column.
    File {
        /// The config file.
        path: PathBuf,
        /// One-based line.
        line: usize,
        /// One-based column.
        column: usize,
    },
}

impl Settings {
    /// Sets the crate's package name.
    pub fn with_crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Sets the crate's version.
    pub fn with_crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    /// Adds an overlay document, applied after those added before it.
    pub fn with_overlay(mut self, overlay: impl Into<PathBuf>) -> Self {
        self.overlays.push(overlay.into());
        self
    }

    /// Includes the operations tagged `tag`.
    pub fn with_include_tag(mut self, tag: impl Into<String>) -> Self {
        self.operations.include_tags.push(Entry::new(tag.into()));
        self
    }

    /// Excludes the operations tagged `tag`.
    pub fn with_exclude_tag(mut self, tag: impl Into<String>) -> Self {
        self.operations.exclude_tags.push(Entry::new(tag.into()));
        self
    }

    /// Includes the operations whose path matches the glob `pattern` (`/repos/**`).
    pub fn with_include_path(mut self, pattern: impl Into<String>) -> Self {
        self.operations
            .include_paths
            .push(Entry::new(pattern.into()));
        self
    }

    /// Excludes the operations whose path matches the glob `pattern`.
    pub fn with_exclude_path(mut self, pattern: impl Into<String>) -> Self {
        self.operations
            .exclude_paths
            .push(Entry::new(pattern.into()));
        self
    }

    /// Includes the operation with this operationId.
    pub fn with_include_operation(mut self, operation_id: impl Into<String>) -> Self {
        let entry = Entry::new(operation_id.into());
        self.operations.include_operations.push(entry);
        self
    }

    /// Excludes the operation with this operationId.
    pub fn with_exclude_operation(mut self, operation_id: impl Into<String>) -> Self {
        let entry = Entry::new(operation_id.into());
        self.operations.exclude_operations.push(entry);
        self
    }

    /// Replaces the schema `schema` by the Rust type `type_path` (`chrono::NaiveTime`).
    pub fn with_replace(mut self, schema: impl Into<String>, type_path: impl Into<String>) -> Self {
        self.replace
            .push(Entry::new((schema.into(), type_path.into())));
        self
    }

    /// Adds `derive` (a path: `Eq`, `schemars::JsonSchema`) to every model's derives.
    pub fn with_derive(mut self, derive: impl Into<String>) -> Self {
        self.derives.push(Entry::new(derive.into()));
        self
    }

    /// Renames the type of schema (or generated type name) `from` to `to`.
    pub fn with_rename_type(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.rename_types.push(Entry::new((from.into(), to.into())));
        self
    }

    /// Renames the method of the operation with operationId `from` to `to`.
    pub fn with_rename_operation(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        let entry = Entry::new((from.into(), to.into()));
        self.rename_operations.push(entry);
        self
    }

    /// Adds the `smoke` module to the generated crate: `smoke::run(&client)` calls every
    /// operation with arguments built from the spec's examples and reports each outcome.
    pub fn with_smoke_tests(mut self) -> Self {
        self.smoke_tests = true;
        self
    }

    /// Sets where the crate form puts the models (see [`TypesCrate`]).
    pub fn with_types_crate(mut self, types_crate: TypesCrate) -> Self {
        self.types_crate = types_crate;
        self
    }

    /// The new method name for the operation `operation_id`, if the settings rename it.
    pub fn operation_rename(&self, operation_id: &str) -> Option<&Entry<(String, String)>> {
        self.rename_operations
            .iter()
            .find(|entry| entry.value.0 == operation_id)
    }
}
