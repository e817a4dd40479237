//! `cargo run --release -p corpus -- [--max-bytes N] [--out DIR] [SPEC or DIR ...]`
//!
//! Generates a client crate for every spec into a scratch workspace (default
//! `target/corpus`), runs one `cargo check` over all of them, and prints a table: spec,
//! operations, types, generated lines, generation time, spec warnings, check result and
//! rustc warnings, with totals; then a paging table: per spec, the operations that get
//! `_stream`/`_all`, per pattern, and how many `x-pagination` states. Exits 1 if a 3.0/3.1 spec fails to generate or to check,
//! or if the check has warnings; Swagger 2.0 specs must fail with the "unsupported
//! version" error instead.
//!
//! Without arguments it runs the corpus vendored in this repository: `corpus/` and
//! `corpus/non-3.0/` (sources and licences in `corpus/MANIFEST.md`). Other specs run when
//! named as arguments: each argument is a spec file, or a folder whose `.yaml`, `.yml` and
//! `.json` files are all taken (not its subfolders), e.g.
//! `cargo run --release -p corpus -- ~/specs ~/specs/non-3.0 extra.json`. An argument that
//! is neither is an error. `--max-bytes N` leaves out specs larger than N bytes (CI runs
//! the vendored corpus with `--max-bytes 500000`).
//!
//! `--wire [--wire-mode static|dynamic|both]` calls every operation of every spec over
//! HTTP against the Prism mock server instead (module [`wire`]), and says why the decoding
//! policy refuses each answer that does not decode (module [`decode_why`]);
//! `--write-static-list PATH` also writes the static-mode failures grouped by that reason
//! (module [`static_failures`]): see the README's "Real-world specs".

mod check;
mod cli;
mod decode_why;
mod json_spans;
mod limits;
mod prism;
mod proxy;
mod runner;
mod spec_info;
mod static_failures;
mod table;
mod wire;
mod wire_table;

use std::path::Path;
use std::time::Instant;

use cli::Options;
use table::Row;

fn main() {
    let options = match cli::parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}\n{}", cli::USAGE);
            std::process::exit(2);
        }
    };
    let status = match options.wire {
        Some(modes) => wire::run(&options, modes),
        None => run(&options),
    };
    std::process::exit(status);
}

fn run(options: &Options) -> i32 {
    let _ = std::fs::remove_dir_all(options.out.join("crates"));
    let mut rows = Vec::new();
    for spec in &options.specs {
        rows.push(generate(spec, &options.out));
    }
    let members: Vec<&Row> = rows.iter().filter(|r| r.crate_dir.is_some()).collect();
    match check::check(&options.out, &members) {
        Ok(results) => {
            for row in &mut rows {
                if let Some(result) = results.get(&row.crate_name) {
                    row.check = Some(result.clone());
                }
            }
        }
        Err(message) => {
            eprintln!("error: cargo check could not run: {message}");
            return 1;
        }
    }
    let report = format!(
        "{}\nPaging (operations per pattern, detected or from x-pagination):\n\n{}",
        table::render(&rows),
        table::render_paging(&rows)
    );
    println!("{report}");
    let _ = std::fs::write(options.out.join("corpus-table.md"), &report);
    if rows.iter().all(Row::passed) {
        0
    } else {
        1
    }
}

/// Generates one spec's crate into `out/crates/`, filling a row.
fn generate(spec: &Path, out: &Path) -> Row {
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec")
        .to_string();
    let crate_name = crate_name_for(spec);
    let mut row = Row::new(name, crate_name.clone());
    let started = Instant::now();
    let settings = apigen::Settings::default().with_crate_name(&crate_name);
    let generated =
        apigen::generate(spec, &settings).and_then(|g| g.crate_files().map(|files| (g, files)));
    row.millis = started.elapsed().as_secs_f64() * 1000.0;
    match generated {
        Ok((generated, files)) => {
            row.operations = generated.api.operations.len();
            row.types = generated.api.types.len();
            row.warnings = generated.diagnostics.len();
            (row.paging, row.paging_stated) = generated.paging_counts();
            row.lines = files.values().map(|f| f.lines().count()).sum();
            let dir = out.join("crates").join(&crate_name);
            match apigen::output::write_crate(&dir, &files) {
                Ok(_) => row.crate_dir = Some(dir),
                Err(e) => row.error = Some(e.to_string()),
            }
        }
        Err(e) => {
            row.unsupported = e.kind == apigen::ErrorKind::UnsupportedVersion;
            row.error = Some(e.to_string());
        }
    }
    row
}

/// The package name of a spec's generated crate: `corpus-` and the file stem, lower case,
/// with every other character than letters and digits made `-`.
fn crate_name_for(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|n| n.to_str()).unwrap_or("spec");
    format!(
        "corpus-{}",
        stem.to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    )
}
