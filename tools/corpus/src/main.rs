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

mod check;
mod table;

use std::path::{Path, PathBuf};
use std::time::Instant;

use table::Row;

struct Options {
    max_bytes: u64,
    out: PathBuf,
    specs: Vec<PathBuf>,
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!(
                "error: {message}\nusage: corpus [--max-bytes N] [--out DIR] [SPEC or DIR ...]"
            );
            std::process::exit(2);
        }
    };
    std::process::exit(run(&options));
}

fn parse_args() -> Result<Options, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut options = Options {
        max_bytes: u64::MAX,
        out: root.join("target/corpus"),
        specs: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    let mut inputs = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-bytes" => {
                let value = args.next().ok_or("--max-bytes needs a value")?;
                options.max_bytes = value
                    .parse()
                    .map_err(|_| format!("bad --max-bytes {value:?}"))?;
            }
            "--out" => options.out = PathBuf::from(args.next().ok_or("--out needs a value")?),
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other => inputs.push(PathBuf::from(other)),
        }
    }
    if inputs.is_empty() {
        let corpus = root.join("corpus");
        let corpus = corpus.canonicalize().unwrap_or(corpus);
        inputs = vec![corpus.clone(), corpus.join("non-3.0")];
    }
    for input in inputs {
        if !input.exists() {
            return Err(format!("{}: no such spec file or folder", input.display()));
        }
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(&input)
                .map_err(|e| format!("{}: {e}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
                })
                .collect();
            found.sort();
            options.specs.extend(found);
        } else {
            options.specs.push(input);
        }
    }
    options.specs.retain(|p| {
        std::fs::metadata(p)
            .map(|m| m.len() <= options.max_bytes)
            .unwrap_or(false)
    });
    if options.specs.is_empty() {
        return Err(
            "no spec to run: the folders hold no .yaml, .yml or .json file \
                    (or every spec is over --max-bytes)"
                .to_string(),
        );
    }
    Ok(options)
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

fn generate(spec: &Path, out: &Path) -> Row {
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec")
        .to_string();
    let stem = spec.file_stem().and_then(|n| n.to_str()).unwrap_or("spec");
    let crate_name = format!(
        "corpus-{}",
        stem.to_ascii_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
    );
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
