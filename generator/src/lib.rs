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

mod assemble;
pub mod builder;
#[cfg(feature = "cli")]
pub mod cli;
mod emit;
mod error;
mod format;
mod generate;
mod ir;
mod load;
pub mod output;
mod paging_report;
pub mod settings;

/// The stages one at a time, for the stage benchmarks (`benches/stages.rs`,
/// `examples/stages.rs`) and the overlay semantics tests: not part of the API, and free
/// to change with the stages.
#[doc(hidden)]
pub mod stages {
    pub use crate::ir::examples::{
        ArgTarget, Candidate, ExampleArg, ExampleSource, OperationExamples,
    };
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

pub use assemble::Generated;
pub use builder::Builder;
pub use emit::manifest::DEPENDENCIES;
pub use error::{Diagnostic, Error, ErrorKind, Location};
pub use generate::{generate, generate_str};
pub use settings::{Settings, TypesCrate};
