//! The build-script API: one call generates a client into `OUT_DIR` for `include!`, and
//! the same [`Builder`] writes or checks a checked-in crate.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     apigen::Builder::new("spec/api.yaml")      // the spec, relative to the package root
//!         .file_name("api.rs")                    // $OUT_DIR/api.rs (default: <crate name>.rs)
//!         .generate_into_out_dir()                // also prints the cargo directives
//!         .unwrap_or_else(apigen::builder::fail_build);
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: at the crate root (the generated code names its items by `crate::` paths)
//! include!(concat!(env!("OUT_DIR"), "/api.rs"));
//! ```
//!
//! What a run prints for cargo (to stdout, or to the writer given to
//! [`Builder::cargo_output`]), once per generation:
//!
//! - `cargo:rerun-if-changed=PATH` for every file generation read
//!   ([`Generated::inputs`]: the spec, its overlays, the files it refers to), so an
//!   unchanged spec costs nothing on the next build. A change to `build.rs` or to apigen
//!   rebuilds the build script, which then runs again anyway.
//! - `cargo:warning=FILE:LINE at POINTER: MESSAGE` for every construct the generator worked
//!   around ([`Generated::diagnostics`]).
//!
//! A bad spec comes back as an [`Error`] naming the file, line and JSON pointer;
//! [`fail_build`] prints it for cargo and exits 1, without a panic's backtrace.
//!
//! The included file is the whole client, runtime inlined, so the including crate needs
//! the runtime's dependencies ([`crate::DEPENDENCIES`]):
//!
//! ```toml
//! [dependencies]
//! reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "stream"] }
//! serde = "1"
//! serde_json = "1"
//! chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
//! percent-encoding = "2"
//! base64 = "0.22"
//! bytes = "1"
//! futures-core = "0.3"
//! futures-util = { version = "0.3", default-features = false }
//! tokio = { version = "1", default-features = false, features = ["time", "fs", "io-util"] }
//! tracing = { version = "0.1", default-features = false, features = ["std"] }
//! # only if the spec has `format: uuid`:
//! uuid = { version = "1", default-features = false, features = ["serde"] }
//!
//! [build-dependencies]
//! apigen = { path = "../apigen/generator", default-features = false }
//! ```
//!
//! (`default-features = false` leaves out the command line's parser and allocator.)
//!
//! A checked-in crate (what other projects depend on, without apigen in their build) comes
//! from the same builder: [`Builder::write_crate`] writes only the files whose bytes
//! changed, [`Builder::check_crate`] fails naming the stale files and the command that
//! refreshes them. Both reuse the generation of an earlier call on the same builder.
//!
//! ```no_run
//! // build.rs: the client for this package, and a fresh checked-in crate for others
//! use apigen::builder::fail_build;
//!
//! fn main() {
//!     let mut api = apigen::Builder::new("spec/api.yaml").crate_name("my-api");
//!     api.generate_into_out_dir().unwrap_or_else(fail_build); // $OUT_DIR/my_api.rs
//!     for path in api.write_crate("my-api").unwrap_or_else(fail_build) {
//!         println!("cargo:warning=refreshed {}", path.display());
//!     }
//! }
//! ```

// The examples are whole build scripts, so they show their `fn main`.
#![allow(clippy::needless_doctest_main)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};
use crate::{output, Diagnostic, Generated, Settings};

/// Generates a client from a spec in a build script: into `OUT_DIR` for `include!`
/// ([`generate_into_out_dir`](Self::generate_into_out_dir)), or as a crate
/// ([`write_crate`](Self::write_crate), [`check_crate`](Self::check_crate)).
///
/// The spec is generated once, by the first of these calls, which prints the cargo
/// directives (see [the module docs](self)); later calls reuse it.
pub struct Builder<'a> {
    spec: PathBuf,
    /// A settings file (`apigen.toml`) read when generating, under `settings`.
    config: Option<PathBuf>,
    settings: Settings,
    file_name: Option<String>,
    out_dir: Option<PathBuf>,
    cargo: Box<dyn Write + 'a>,
    generated: Option<Generated>,
}

impl fmt::Debug for Builder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("spec", &self.spec)
            .field("settings", &self.settings)
            .field("file_name", &self.file_name)
            .field("out_dir", &self.out_dir)
            .field("generated", &self.generated.is_some())
            .finish_non_exhaustive()
    }
}

impl Builder<'static> {
    /// A builder for the spec at `spec` (YAML or JSON; relative paths are relative to the
    /// package root, where cargo runs build scripts), with default [`Settings`], writing
    /// cargo directives to stdout.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            config: None,
            settings: Settings::default(),
            file_name: None,
            out_dir: None,
            cargo: Box::new(std::io::stdout()),
            generated: None,
        }
    }
}

impl<'a> Builder<'a> {
    /// Replaces the settings (crate name, version, overlays) given so far.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self.generated = None;
        self
    }

    /// Reads settings from a file (`apigen.toml`, see [`Settings::from_toml_file`]) when
    /// generating; what the builder is given in code adds to them (lists are appended,
    /// the crate name and version given in code win). The file is watched like the spec.
    pub fn config(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = Some(path.into());
        self.generated = None;
        self
    }

    /// Applies an OpenAPI Overlay document to the spec, after those added before it.
    pub fn overlay(mut self, overlay: impl Into<PathBuf>) -> Self {
        self.settings = self.settings.with_overlay(overlay);
        self.generated = None;
        self
    }

    /// Sets the crate's package name (default: the spec's `x-rust-crate.name`, else
    /// derived from `info.title`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.settings = self.settings.with_crate_name(name);
        self.generated = None;
        self
    }

    /// Sets the crate's version (default: the spec's `x-rust-crate.version`, else `0.1.0`).
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.settings = self.settings.with_crate_version(version);
        self.generated = None;
        self
    }

    /// Names the file [`generate_into_out_dir`](Self::generate_into_out_dir) writes: a
    /// plain file name, which the `include!` line repeats. Default: the crate name with `-`
    /// as `_`, and `.rs` (`gong-users` gives `gong_users.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Writes into `dir` instead of the `OUT_DIR` cargo gives build scripts (for tests, or
    /// programs that are not build scripts).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Writes the cargo directives to `sink` instead of stdout (for tests).
    pub fn cargo_output<'b>(self, sink: impl Write + 'b) -> Builder<'b>
    where
        'a: 'b,
    {
        Builder {
            spec: self.spec,
            config: self.config,
            settings: self.settings,
            file_name: self.file_name,
            out_dir: self.out_dir,
            cargo: Box::new(sink),
            generated: self.generated,
        }
    }

    /// Generates the client as one file into `OUT_DIR` (or [`out_dir`](Self::out_dir)),
    /// named by [`file_name`](Self::file_name), written only when its bytes change.
    /// Returns its path.
    pub fn generate_into_out_dir(&mut self) -> Result<PathBuf, Error> {
        let dir = resolve_out_dir(self.out_dir.as_deref(), std::env::var_os("OUT_DIR"))?;
        let chosen_name = self.file_name.clone();
        if let Some(name) = &chosen_name {
            check_file_name(name, &self.spec)?;
        }
        let generated = self.generated()?;
        let file_name = chosen_name.unwrap_or_else(|| default_file_name(generated.crate_name()));
        let path = dir.join(file_name);
        output::write_if_changed(&path, &generated.single_file()?)?;
        Ok(path)
    }

    /// Writes the client as a crate into `dir` (its `Cargo.toml`, `src/` and the runtime
    /// crate in `runtime/`), only the files whose bytes change. Returns the paths written.
    pub fn write_crate(&mut self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let files = self.crate_files()?;
        output::write_crate(dir.as_ref(), &files)
    }

    /// The files of the crate in `dir` that are missing or differ from what
    /// [`write_crate`](Self::write_crate) would write.
    pub fn stale_files(&mut self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let files = self.crate_files()?;
        Ok(output::stale_files(dir.as_ref(), &files))
    }

    /// Checks the crate in `dir` is exactly what [`write_crate`](Self::write_crate) would
    /// write; if not, the error names the stale files and the command that refreshes them.
    pub fn check_crate(&mut self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        let stale = self.stale_files(dir)?;
        if stale.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = stale.iter().map(|p| p.display().to_string()).collect();
        Err(Error::file(
            ErrorKind::Output,
            dir,
            format!(
                "stale: these files differ from what {} generates: {}; refresh them with `{}`",
                self.spec.display(),
                names.join(", "),
                self.refresh_command(dir)
            ),
        ))
    }

    /// The `apigen` command that writes this builder's crate into `dir`.
    pub fn refresh_command(&self, dir: &Path) -> String {
        let mut command = format!(
            "apigen generate {} --out {}",
            self.spec.display(),
            dir.display()
        );
        if let Some(config) = &self.config {
            command.push_str(&format!(" --config {}", config.display()));
        }
        if let Some(name) = &self.settings.crate_name {
            command.push_str(&format!(" --crate-name {name}"));
        }
        if let Some(version) = &self.settings.crate_version {
            command.push_str(&format!(" --crate-version {version}"));
        }
        for overlay in &self.settings.overlays {
            command.push_str(&format!(" --overlay {}", overlay.display()));
        }
        if self.settings.smoke_tests {
            command.push_str(" --smoke-tests");
        }
        command
    }

    fn crate_files(&mut self) -> Result<BTreeMap<PathBuf, String>, Error> {
        self.generated()?.crate_files()
    }

    /// The generated client: made (and its directives printed) on the first call.
    fn generated(&mut self) -> Result<&Generated, Error> {
        let generated = match self.generated.take() {
            Some(generated) => generated,
            None => {
                let settings = match &self.config {
                    Some(config) => {
                        writeln!(self.cargo, "cargo:rerun-if-changed={}", config.display())
                            .map_err(|e| cargo_output_error(&self.spec, &e))?;
                        Settings::from_toml_file(config)?.merge(self.settings.clone())
                    }
                    None => self.settings.clone(),
                };
                let generated = crate::generate(&self.spec, &settings)?;
                print_directives(&mut self.cargo, &generated)
                    .map_err(|e| cargo_output_error(&self.spec, &e))?;
                generated
            }
        };
        Ok(self.generated.insert(generated))
    }
}

/// The directory to write into: the explicit one, else cargo's `OUT_DIR`.
fn resolve_out_dir(explicit: Option<&Path>, env: Option<OsString>) -> Result<PathBuf, Error> {
    match (explicit, env) {
        (Some(dir), _) => Ok(dir.to_path_buf()),
        (None, Some(dir)) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        (None, _) => Err(Error::file(
            ErrorKind::Settings,
            Path::new("OUT_DIR"),
            "not set: cargo sets it for build scripts; elsewhere give the directory with `Builder::out_dir`",
        )),
    }
}

/// `name` must be a plain file name: `include!` finds it directly in `OUT_DIR`.
fn check_file_name(name: &str, spec: &Path) -> Result<(), Error> {
    let plain = Path::new(name).file_name().is_some_and(|n| n == name);
    if plain && !name.contains(['/', '\\']) {
        return Ok(());
    }
    Err(Error::file(
        ErrorKind::Settings,
        spec,
        format!("{name:?} is not a plain file name (the `file_name` setting)"),
    ))
}

/// `gong-users` → `gong_users.rs`.
fn default_file_name(crate_name: &str) -> String {
    format!("{}.rs", crate_name.replace('-', "_"))
}

/// Prints `cargo:rerun-if-changed` for every input and `cargo:warning` for every warning.
fn print_directives(cargo: &mut dyn Write, generated: &Generated) -> std::io::Result<()> {
    for input in generated.inputs() {
        writeln!(cargo, "cargo:rerun-if-changed={}", input.display())?;
    }
    for warning in &generated.diagnostics {
        print_warning(cargo, &warning_text(warning))?;
    }
    cargo.flush()
}

/// A warning without its `warning: ` prefix (cargo adds its own).
fn warning_text(warning: &Diagnostic) -> String {
    format!("{}: {}", warning.location, warning.message)
}

/// `text` as `cargo:warning` lines: cargo reads one directive per line.
fn print_warning(cargo: &mut dyn Write, text: &str) -> std::io::Result<()> {
    for line in text.lines() {
        writeln!(cargo, "cargo:warning={line}")?;
    }
    Ok(())
}

fn cargo_output_error(spec: &Path, error: &std::io::Error) -> Error {
    Error::file(
        ErrorKind::Output,
        spec,
        format!("cannot write the cargo directives: {error}"),
    )
}

/// Fails a build script on `error`: prints it on stderr (which cargo shows when a build
/// script fails) and as a `cargo:warning`, then exits with status 1, without a panic's
/// backtrace. Its type fits `Result::unwrap_or_else`:
///
/// ```no_run
/// let out = apigen::Builder::new("spec/api.yaml")
///     .generate_into_out_dir()
///     .unwrap_or_else(apigen::builder::fail_build);
/// ```
pub fn fail_build<T>(error: Error) -> T {
    report_failure(&error, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(1)
}

/// What [`fail_build`] prints.
fn report_failure(error: &Error, stdout: &mut dyn Write, stderr: &mut dyn Write) {
    // Nothing is left to report a failed write to: the build fails either way.
    let _ = writeln!(stderr, "{error}");
    let _ = print_warning(stdout, &format!("{}: {}", error.location, error.message));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Location;

    #[test]
    fn the_out_dir_is_the_explicit_one_else_cargos() {
        let explicit = resolve_out_dir(Some(Path::new("mine")), Some("cargo's".into()));
        assert_eq!(explicit, Ok(PathBuf::from("mine")));
        let from_cargo = resolve_out_dir(None, Some("target/out".into()));
        assert_eq!(from_cargo, Ok(PathBuf::from("target/out")));
        for env in [None, Some(OsString::new())] {
            let error = resolve_out_dir(None, env).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Settings);
            assert!(error.to_string().contains("OUT_DIR"), "{error}");
            assert!(error.to_string().contains("Builder::out_dir"), "{error}");
        }
    }

    #[test]
    fn file_names_must_be_plain() {
        let spec = Path::new("spec/api.yaml");
        for good in ["api.rs", "gong_users.rs", "client"] {
            assert_eq!(check_file_name(good, spec), Ok(()), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "sub/api.rs",
            "/abs.rs",
            "a\\b.rs",
            "../api.rs",
        ] {
            let error = check_file_name(bad, spec).unwrap_err();
            assert_eq!(error.kind, ErrorKind::Settings, "{bad:?}");
            assert!(error.message.contains("`file_name`"), "{error}");
            assert_eq!(error.location.file, spec);
        }
        assert_eq!(default_file_name("gong-users"), "gong_users.rs");
    }

    #[test]
    fn the_refresh_command_repeats_the_settings() {
        let plain = Builder::new("spec/api.yaml");
        assert_eq!(
            plain.refresh_command(Path::new("api")),
            "apigen generate spec/api.yaml --out api"
        );
        let set = Builder::new("spec/api.yaml")
            .crate_name("my-api")
            .crate_version("2.0.0")
            .overlay("a.yaml")
            .overlay("b.yaml");
        assert_eq!(
            set.refresh_command(Path::new("out")),
            "apigen generate spec/api.yaml --out out --crate-name my-api \
             --crate-version 2.0.0 --overlay a.yaml --overlay b.yaml"
        );
        let replaced = set.settings(Settings::default().with_crate_name("other"));
        assert_eq!(
            replaced.refresh_command(Path::new("out")),
            "apigen generate spec/api.yaml --out out --crate-name other"
        );
    }

    #[test]
    fn a_failure_goes_to_stderr_and_to_one_warning_per_line() {
        let error = Error::new(
            ErrorKind::BadReference,
            Location {
                file: "spec.yaml".into(),
                line: Some(4),
                column: Some(7),
                pointer: "#/paths".into(),
            },
            "first\nsecond",
        );
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        report_failure(&error, &mut stdout, &mut stderr);
        assert_eq!(
            String::from_utf8_lossy(&stderr),
            "error: spec.yaml:4:7 at #/paths: first\nsecond\n"
        );
        assert_eq!(
            String::from_utf8_lossy(&stdout),
            "cargo:warning=spec.yaml:4:7 at #/paths: first\ncargo:warning=second\n"
        );
    }

    #[test]
    fn the_module_docs_list_every_runtime_dependency() {
        let docs = include_str!("builder.rs");
        for line in crate::DEPENDENCIES.lines() {
            assert!(docs.contains(&format!("//! {line}\n")), "missing: {line}");
        }
    }
}
