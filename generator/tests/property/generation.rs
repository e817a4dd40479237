//! Running the generator on one spec text and checking what must hold for every input:
//! no panic, a located error or a crate, the same bytes on a second run, a valid package
//! name, and Rust files that parse.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Once};
use std::time::Duration;

/// The file name the specs are given in messages.
pub const SPEC_FILE: &str = "property.json";

/// Everything one generation run produced.
#[derive(Debug, PartialEq, Eq)]
pub struct Files {
    /// `crate_files()`, by relative path.
    pub crate_files: BTreeMap<PathBuf, String>,
    /// `single_file()`.
    pub single_file: String,
    /// The warnings, as printed.
    pub warnings: Vec<String>,
}

/// What the generator did with a spec: a crate, or a refusal (the error as printed).
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted(Box<Files>),
    Refused(String),
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_string())
}

thread_local! {
    /// Whether this thread is inside [`generate`], whose panics are reported as failures
    /// with their spec, so the panic hook need not print them (shrinking would print
    /// hundreds).
    static GENERATING: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that is silent inside [`generate`] and prints as before
/// everywhere else.
fn quiet_panics_while_generating() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GENERATING.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// How long one generation may take (the specs are small: a run takes milliseconds).
const TIME_LIMIT: Duration = Duration::from_secs(20);

thread_local! {
    /// Set once a generation started from this thread (one test) ran past [`TIME_LIMIT`]:
    /// its thread cannot be stopped and may be eating memory, so the test stops generating
    /// (see [`hung`]).
    static HUNG: Cell<bool> = const { Cell::new(false) };
}

/// Whether a generation started from this thread has run past the time limit.
pub fn hung() -> bool {
    HUNG.with(Cell::get)
}

/// One run of the generator, in a thread with the default (2 MiB) stack and a time
/// limit; a panic becomes `Err` with its message, and so does a run that does not end.
pub fn generate(text: &str, settings: &apigen::Settings) -> Result<Outcome, String> {
    let (sender, receiver) = mpsc::channel();
    let (text, settings) = (text.to_string(), settings.clone());
    std::thread::Builder::new()
        .name("generate".into())
        .spawn(move || sender.send(generate_here(&text, &settings)))
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            HUNG.with(|hung| hung.set(true));
            Err(format!(
                "the generator did not finish within {} s",
                TIME_LIMIT.as_secs()
            ))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the generator's thread ended without a result".into())
        }
    }
}

/// One run of the generator on this thread; a panic becomes `Err` with its message.
fn generate_here(text: &str, settings: &apigen::Settings) -> Result<Outcome, String> {
    quiet_panics_while_generating();
    let run = || -> Result<Files, apigen::Error> {
        let generated = apigen::generate_str(Path::new(SPEC_FILE), text.to_string(), settings)?;
        Ok(Files {
            crate_files: generated.crate_files()?,
            single_file: generated.single_file()?,
            warnings: generated
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect(),
        })
    };
    GENERATING.with(|g| g.set(true));
    let result = catch_unwind(AssertUnwindSafe(run));
    GENERATING.with(|g| g.set(false));
    match result {
        Ok(Ok(files)) => Ok(Outcome::Accepted(Box::new(files))),
        Ok(Err(error)) => Ok(Outcome::Refused(error.to_string())),
        Err(payload) => Err(format!(
            "the generator panicked: {}",
            panic_message(&*payload)
        )),
    }
}

/// Cargo's rules for a package name (what `cargo` refuses to load).
fn package_name_problem(name: &str) -> Option<&'static str> {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
        "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
        "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do",
        "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
        "gen",
    ];
    if name.is_empty() {
        Some("is empty")
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some("has a character other than ASCII letters, digits, `-` and `_`")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        Some("starts with a digit")
    } else if KEYWORDS.contains(&name) {
        Some("is a Rust keyword")
    } else {
        None
    }
}

/// What must hold of an accepted spec's files, beyond compiling: a loadable manifest
/// with a valid package name, and Rust files that parse.
pub fn check_files(files: &Files) -> Result<(), String> {
    for (manifest, what) in [("Cargo.toml", "client"), ("runtime/Cargo.toml", "runtime")] {
        let text = files
            .crate_files
            .get(Path::new(manifest))
            .ok_or_else(|| format!("no {manifest} among the crate's files"))?;
        let parsed: toml::Table = toml::from_str(text)
            .map_err(|e| format!("the {what} {manifest} is not TOML: {e}\n{text}"))?;
        let name = parsed
            .get("package")
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .ok_or_else(|| format!("the {what} {manifest} has no package.name\n{text}"))?;
        if let Some(problem) = package_name_problem(name) {
            return Err(format!("the {what} package name {name:?} {problem}"));
        }
    }
    let rust_files = files
        .crate_files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
        .map(|(path, text)| (path.display().to_string(), text))
        .chain(std::iter::once((
            "single_file()".to_string(),
            &files.single_file,
        )));
    for (path, text) in rust_files {
        if let Err(error) = syn::parse_file(text) {
            return Err(format!("{path} does not parse: {error}"));
        }
    }
    Ok(())
}

/// Properties (a) to (c) and the cheap part of (d) for one spec text: no panic; a refusal
/// is one located line; a second run gives the same bytes; an accepted spec's files load.
pub fn check(text: &str) -> Result<Outcome, String> {
    let first = generate(text, &apigen::Settings::default())?;
    if let Outcome::Refused(message) = &first {
        let prefix = format!("error: {SPEC_FILE}");
        if !message.starts_with(&prefix) {
            return Err(format!(
                "the error does not start with {prefix:?}: {message}"
            ));
        }
        if message.contains(['\n', '\r']) {
            return Err(format!("the error is not one line: {message:?}"));
        }
    }
    let second = generate(text, &apigen::Settings::default())?;
    if first != second {
        return Err(describe_difference(&first, &second));
    }
    if let Outcome::Accepted(files) = &first {
        check_files(files)?;
    }
    Ok(first)
}

fn describe_difference(first: &Outcome, second: &Outcome) -> String {
    match (first, second) {
        (Outcome::Accepted(a), Outcome::Accepted(b)) => {
            let paths: Vec<String> = a
                .crate_files
                .iter()
                .filter(|(path, text)| b.crate_files.get(*path) != Some(*text))
                .map(|(path, _)| path.display().to_string())
                .chain(
                    b.crate_files
                        .keys()
                        .filter(|path| !a.crate_files.contains_key(*path))
                        .map(|path| path.display().to_string()),
                )
                .chain((a.single_file != b.single_file).then(|| "single_file()".to_string()))
                .chain((a.warnings != b.warnings).then(|| "the warnings".to_string()))
                .collect();
            format!("two runs differ in: {}", paths.join(", "))
        }
        _ => format!("two runs differ: {first:?}\nthen: {second:?}"),
    }
}
