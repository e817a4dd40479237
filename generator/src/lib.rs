//! apigen: generates a typed Rust client crate (async, with a blocking form behind a cargo
//! feature) from an OpenAPI 3.0 or 3.1 description.
//!
//! The public API is small: [`generate`] (or [`generate_str`]) a spec with [`Settings`]
//! into a [`Generated`] client, rendered as a crate ([`Generated::crate_files`], written by
//! [`output`]) or as one file for `include!` ([`Generated::single_file`]); [`Builder`] does
//! all of it from a build script; errors are [`Error`]s and warnings [`Diagnostic`]s, each
//! with its file, line and JSON pointer. [`cli`] is the `apigen` command.
//!
//! Behind it, the stages are modules of their own, private to the crate:
//!
//! 1. `load`: read YAML or JSON (syntax errors keep line and column), apply the overlay
//!    documents the settings name, resolve references (to other files, and to anywhere in
//!    the document), repair what real specs get wrong and rewrite 3.1 into 3.0 forms (each
//!    repair a warning with its pointer), and type it with `openapiv3` (shape errors keep
//!    the JSON pointer). Later stages locate pointers through its `Locations` interface.
//! 2. `ir::lower`: validate and build the documented intermediate representation (named
//!    types and operations), applying the settings (filters, replacements, renames).
//! 3. `emit`: describe each module of the generated crate: its doc and its items, made on
//!    demand as token streams with `quote`; the runtime is copied as it is written.
//! 4. `format`: make a module's items in groups on worker threads, parse each group with
//!    `syn`, print it with `prettyplease`, and add the `@generated` header.
//! 5. [`output`]: write the crate (only files whose bytes changed), or check it is fresh.
//!
//! ```no_run
//! let generated = apigen::generate(std::path::Path::new("spec/api.yaml"), &apigen::Settings::default())?;
//! for warning in &generated.diagnostics {
//!     eprintln!("{warning}");
//! }
//! apigen::output::write_crate(std::path::Path::new("generated"), &generated.crate_files()?)?;
//! # Ok::<(), apigen::Error>(())
//! ```

pub mod builder;
#[cfg(feature = "cli")]
pub mod cli;
mod emit;
mod error;
mod format;
mod ir;
mod load;
pub mod output;
pub mod settings;

/// The stages one at a time, for the stage benchmarks (`benches/stages.rs`,
/// `examples/stages.rs`) and the overlay semantics tests: not part of the API, and free
/// to change with the stages.
#[doc(hidden)]
pub mod stages {
    pub use crate::ir::Api;
    pub use crate::load::overlay::Overlay;
    pub use crate::load::Source;

    /// Lowers a typed spec into the IR with default settings, returning warnings alongside.
    pub fn lower(
        source: &Source,
        spec: &openapiv3::OpenAPI,
    ) -> Result<(Api, Vec<crate::Diagnostic>), crate::Error> {
        crate::ir::lower::lower_with(source, spec, &crate::Settings::default())
    }
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::quote;

pub use builder::Builder;
pub use emit::manifest::DEPENDENCIES;
pub use error::{Diagnostic, Error, ErrorKind, Location};
pub use settings::Settings;

/// A generated client, ready to be rendered as a crate or as one file.
pub struct Generated {
    /// The lowered API.
    pub api: ir::Api,
    /// Warnings about the spec; generation went on despite them.
    pub diagnostics: Vec<Diagnostic>,
    spec_name: String,
    crate_name: String,
    crate_version: String,
    inputs: Vec<PathBuf>,
}

/// Adds `module` (and its children, under a directory of its name) to `files`.
fn module_files(
    header: &str,
    dir: &Path,
    module: &emit::Module,
    api: &ir::Api,
    files: &mut BTreeMap<PathBuf, String>,
) -> Result<(), Error> {
    let doc = emit::docs::inner_doc_attrs(module.doc);
    let children = module.children.iter().map(|c| {
        let doc = emit::docs::doc_attrs(Some(c.doc));
        let hidden = hidden_attr(c);
        let name = emit::ident(c.name);
        quote!(#doc #hidden pub mod #name;)
    });
    let head = quote! {
        #doc
        #(#children)*
    };
    files.insert(
        dir.join(format!("{}.rs", module.name)),
        module_text(header, head, module, api)?,
    );
    let child_dir = dir.join(module.name);
    for child in &module.children {
        let path = child_dir.join(format!("{}.rs", child.name));
        let head = emit::docs::inner_doc_attrs(child.doc);
        files.insert(path, module_text(header, head, child, api)?);
    }
    Ok(())
}

/// The text of one module's file: `head`, then its items.
fn module_text(
    header: &str,
    head: proc_macro2::TokenStream,
    module: &emit::Module,
    api: &ir::Api,
) -> Result<String, Error> {
    match module.items {
        emit::Items::Made { count, make } => {
            format::format_items(header, head, count, |i| make(api, i))
        }
        // Hand-written source keeps its own layout: only the header and doc go first.
        emit::Items::Verbatim(source) => Ok(format!("{header}\n//! {}\n\n{source}", module.doc)),
    }
}

/// `#[doc(hidden)]` for a module whose docs are hidden.
fn hidden_attr(module: &emit::Module) -> Option<proc_macro2::TokenStream> {
    module.hidden.then(|| quote!(#[doc(hidden)]))
}

/// The runtime template failed to parse: a generator bug, reported as such.
fn runtime_template_error(error: syn::Error) -> Error {
    Error::new(
        ErrorKind::Internal,
        Location::default(),
        format!("the runtime template does not parse (a generator bug): {error}"),
    )
}

/// A module and its children as inline `pub mod name { ... }` items.
fn inline_module(module: &emit::Module, api: &ir::Api) -> Result<proc_macro2::TokenStream, Error> {
    let name = emit::ident(module.name);
    let doc = emit::docs::doc_attrs(Some(module.doc));
    let hidden = hidden_attr(module);
    let items = match module.items {
        emit::Items::Made { count, make } => (0..count).map(|i| make(api, i)).collect(),
        emit::Items::Verbatim(source) => {
            vec![emit::parse_items(source).map_err(runtime_template_error)?]
        }
    };
    let mut children = Vec::new();
    for child in &module.children {
        children.push(inline_module(child, api)?);
    }
    Ok(quote! {
        #doc
        #hidden
        pub mod #name {
            #(#children)*
            #(#items)*
        }
    })
}

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
    Ok(Generated {
        api,
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

impl Generated {
    /// The crate's files, by path relative to the crate directory: `Cargo.toml`,
    /// `src/lib.rs` and one `src/{module}.rs` per module.
    pub fn crate_files(&self) -> Result<BTreeMap<PathBuf, String>, Error> {
        let rs_header = format::header(&self.spec_name, "//");
        let toml_header = format::header(&self.spec_name, "#");
        let mut files = BTreeMap::new();
        let runtime_package = format!("{}-runtime", self.crate_name);
        let uses_uuid = self.api.uses(|ty| *ty == ir::TypeRef::Uuid);
        let manifest = emit::manifest::client_manifest(&emit::manifest::Package {
            header: &toml_header,
            name: &self.crate_name,
            version: &self.crate_version,
            description: &format!("Generated client for {}.", self.api.title),
            runtime: &runtime_package,
            uses_uuid,
        });
        files.insert(PathBuf::from("Cargo.toml"), manifest);
        let crate_doc = emit::docs::inner_doc_attrs(&emit::docs::crate_doc(&self.api));
        let client_modules = emit::ModuleKind::ALL
            .into_iter()
            .filter(|kind| *kind != emit::ModuleKind::Runtime);
        let mods = client_modules.clone().map(|kind| {
            let name = emit::ident(kind.name());
            let cfg = kind.feature().map(|f| quote!(#[cfg(feature = #f)]));
            quote!(#cfg #[rustfmt::skip] pub mod #name;)
        });
        let runtime_crate = emit::ident(&runtime_package.replace('-', "_"));
        let root_items = emit::root_items();
        let lib = quote! {
            #crate_doc
            #![forbid(unsafe_code)]
            // rustfmt stays off the modules: prettyplease formats them, and `check`
            // compares them byte for byte.
            #(#mods)*
            /// The spec-independent runtime (its own crate, so it is compiled once).
            pub use ::#runtime_crate as runtime;
            #root_items
        };
        files.insert(
            PathBuf::from("src/lib.rs"),
            format::format_file(&rs_header, lib)?,
        );
        // One module at a time: its tokens are dropped once it is formatted.
        for kind in client_modules {
            let module = emit::module(&self.api, kind);
            module_files(&rs_header, Path::new("src"), &module, &self.api, &mut files)?;
        }
        // The runtime crate, beside the client: written as it is.
        let runtime_manifest = emit::manifest::runtime_manifest(&emit::manifest::Package {
            header: &toml_header,
            name: &runtime_package,
            version: &self.crate_version,
            description: &format!("Runtime of the generated client for {}.", self.api.title),
            runtime: &runtime_package,
            uses_uuid: false,
        });
        files.insert(PathBuf::from("runtime/Cargo.toml"), runtime_manifest);
        let runtime = emit::module(&self.api, emit::ModuleKind::Runtime);
        let mut lib = format!(
            "{rs_header}\n//! The runtime of the `{}` crate. {}\n#![forbid(unsafe_code)]\n\n",
            self.crate_name, runtime.doc
        );
        for part in &runtime.children {
            let hidden = if part.hidden { "#[doc(hidden)]\n" } else { "" };
            lib.push_str(&format!(
                "/// {}\n{hidden}#[rustfmt::skip]\npub mod {};\n",
                part.doc, part.name
            ));
        }
        lib.push('\n');
        if let emit::Items::Verbatim(root) = runtime.items {
            lib.push_str(root);
        }
        files.insert(PathBuf::from("runtime/src/lib.rs"), lib);
        for part in &runtime.children {
            let text = module_text(&rs_header, proc_macro2::TokenStream::new(), part, &self.api)?;
            files.insert(PathBuf::from(format!("runtime/src/{}.rs", part.name)), text);
        }
        Ok(files)
    }

    /// The whole client as one file of inline modules, for `include!` at a crate root
    /// (it has no inner attributes). The including crate needs the dependencies in
    /// [`DEPENDENCIES`].
    pub fn single_file(&self) -> Result<String, Error> {
        let mut modules = Vec::new();
        for kind in emit::ModuleKind::ALL {
            if kind.feature().is_none() {
                modules.push(inline_module(&emit::module(&self.api, kind), &self.api)?);
            }
        }
        let root_items = emit::root_items();
        let tokens = quote! {
            #(#modules)*
            #root_items
        };
        format::format_file(&format::header(&self.spec_name, "//"), tokens)
    }

    /// Every file generation read (the spec, the files it refers to, overlays): what a
    /// build script must watch (`cargo:rerun-if-changed`).
    pub fn inputs(&self) -> &[PathBuf] {
        &self.inputs
    }

    /// The crate's package name.
    pub fn crate_name(&self) -> &str {
        &self.crate_name
    }
}
