//! Generation from a spec file or text: load, lower, and the crate's name and version,
//! on a thread with a stack deep enough for any nesting the readers accept.

use std::path::Path;

use crate::assemble::Generated;
use crate::error::{Error, ErrorKind, Location};
use crate::{emit, ir, load, Diagnostic, Settings};

/// Generates a client from the spec at `spec`.
pub fn generate(spec: &Path, settings: &Settings) -> Result<Generated, Error> {
    on_deep_stack(|| {
        let source = load::Source::read_with_overlays(spec, &settings.overlays)?;
        generate_source(source, settings)
    })
}

/// Generates a client from spec text already in memory (`path` names it in messages).
pub fn generate_str(path: &Path, text: String, settings: &Settings) -> Result<Generated, Error> {
    on_deep_stack(|| {
        let source = load::Source::parse_with_overlays(path, text, &settings.overlays)?;
        generate_source(source, settings)
    })
}

/// The stack generation runs on. Reading, typing (serde's derived visitors in `openapiv3`)
/// and lowering recurse once per nesting level of the spec; the readers refuse more than
/// 128 levels, and a debug build's typing takes about 30 KiB of stack per schema level, so
/// a thread's default 2 MiB is not enough for the nesting the readers accept. Only the
/// pages a run touches cost memory.
const GENERATION_STACK: usize = 64 << 20;

/// Runs `work` on a thread with [`GENERATION_STACK`] of stack; a panic in it is resumed
/// in the caller, as if `work` had run here.
fn on_deep_stack(
    work: impl FnOnce() -> Result<Generated, Error> + Send,
) -> Result<Generated, Error> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(GENERATION_STACK)
            .spawn_scoped(scope, work)
            .map_err(|error| {
                Error::new(
                    ErrorKind::Internal,
                    Location::default(),
                    format!("cannot start the generation thread: {error}"),
                )
            })?
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

fn generate_source(mut source: load::Source, settings: &Settings) -> Result<Generated, Error> {
    // What overlays added or changed is not in the spec's text: say the message is about
    // the spec as they left it.
    let spec_path = source.path.clone();
    let overlaid = |mut error: Error| {
        if !settings.overlays.is_empty() && error.location.file == spec_path {
            error
                .message
                .push_str(" (in the spec as the overlays left it)");
        }
        error
    };
    let spec = source.typed().map_err(overlaid)?;
    // The untyped tree is not needed past typing; free it before the larger stages.
    source.raw = serde_json::Value::Null;
    let (api, lowering_diagnostics) =
        ir::lower::lower_with(&source, &spec, settings).map_err(overlaid)?;
    let mut diagnostics: Vec<Diagnostic> = source
        .repairs
        .iter()
        .map(|repair| Diagnostic {
            location: source.unlocated(&repair.pointer),
            message: repair.message.clone(),
        })
        .collect();
    diagnostics.extend(lowering_diagnostics);
    diagnostics.extend(source.notes.iter().cloned());
    source.locate_all(&mut diagnostics);
    // Located in the overlay files already: after the spec's own are found in its text.
    diagnostics.extend(source.overlay_warnings.iter().cloned());
    let (crate_name, crate_version) = crate_identity(&source, &spec, &api, settings)?;
    // The file name goes into every file's `@generated` comment: one line, whatever it holds.
    let spec_name: String = source
        .path
        .file_name()
        .map_or_else(
            || source.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    let inputs = std::iter::once(&source.path)
        .chain(&settings.overlays)
        .cloned()
        .chain(source.files.iter().map(|f| f.path.clone()))
        .collect();
    let smoke = settings
        .smoke_tests
        .then(|| ir::examples::lower(&spec, &api));
    Ok(Generated {
        api,
        smoke,
        types_crate: settings.types_crate,
        diagnostics,
        spec_name,
        crate_name,
        crate_version,
        inputs,
    })
}

/// The crate's package name and version: from the settings, else the spec's
/// `x-rust-crate`, else derived from `info.title` (and `0.1.0`). Both are checked by
/// cargo's rules; an error names where the bad value came from.
fn crate_identity(
    source: &load::Source,
    spec: &openapiv3::OpenAPI,
    api: &ir::Api,
    settings: &Settings,
) -> Result<(String, String), Error> {
    let from_extension = |key: &str| {
        spec.extensions
            .get("x-rust-crate")
            .and_then(|e| e.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    // Each value with where it came from: a pointer into the spec, or None for the settings.
    let name = match (&settings.crate_name, from_extension("name")) {
        (Some(name), _) => (name.clone(), None),
        (None, Some(name)) => (name, Some("#/x-rust-crate/name")),
        (None, None) => {
            let mut derived = ir::names::snake_name(&api.title).replace('_', "-");
            derived.truncate(64);
            (
                derived.trim_end_matches('-').to_string(),
                Some("#/info/title"),
            )
        }
    };
    let version = match (&settings.crate_version, from_extension("version")) {
        (Some(version), _) => (version.clone(), None),
        (None, Some(version)) => (version, Some("#/x-rust-crate/version")),
        (None, None) => ("0.1.0".to_string(), None),
    };
    let check = |(value, origin): (String, Option<&str>),
                 setting: &str,
                 valid: fn(&str) -> Result<(), String>| {
        valid(&value)
            .map(|()| value)
            .map_err(|message| match origin {
                Some(pointer) => source.error(ErrorKind::Invalid, pointer, message),
                None => Error::file(
                    ErrorKind::Settings,
                    &source.path,
                    format!("{message} (the `{setting}` setting)"),
                ),
            })
    };
    Ok((
        check(name, "crate-name", emit::manifest::validate_crate_name)?,
        check(
            version,
            "crate-version",
            emit::manifest::validate_crate_version,
        )?,
    ))
}
