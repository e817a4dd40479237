//! `corpus --wire`: every operation of every spec called over HTTP against the Prism mock
//! server, in its static and dynamic modes.
//!
//! Per spec: the client is generated with its `smoke` module into `target/wire/crates/`,
//! with a runner binary beside it (module [`crate::runner`]); all runners are built by one
//! `cargo build`. Per spec and mode: Prism starts on a free loopback port ([`crate::prism`]),
//! a recording proxy sits between the runner and Prism ([`crate::proxy`]) so each call's
//! `sl-violations` is seen, the runner calls every operation, and Prism is stopped. The
//! calls are then paired with the requests and tabulated ([`crate::wire_table`]), with
//! rejections checked against the reviewed list of Prism's limits ([`crate::limits`]).

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::{Options, WireModes};
use crate::limits::Limits;
use crate::prism::{self, Prism, PrismCommand};
use crate::proxy::{Proxy, Record, Revive};
use crate::runner::{self, Outcome};
use crate::spec_info::{Auth, SpecInfo};
use crate::wire_table::{self, Entry, ModeResult, NotRun};

/// How long Prism may take to listen (its start is slow on large specs).
const PRISM_START_LIMIT: Duration = Duration::from_secs(240);
/// How long one runner may take over all its calls.
const RUNNER_LIMIT: Duration = Duration::from_secs(600);

/// A spec ready to run: generated, with its runner written.
struct Prepared {
    /// The spec's file name.
    name: String,
    spec: std::path::PathBuf,
    crate_name: String,
    operations: usize,
    info: SpecInfo,
}

/// Runs the wire check; returns the exit status.
pub fn run(options: &Options, modes: WireModes) -> i32 {
    let root = crate::cli::repository_root();
    let limits = match Limits::load(&root.join("tools/corpus/prism-limits.toml")) {
        Ok(limits) => limits,
        Err(message) => {
            eprintln!("error: the reviewed list of Prism limits: {message}");
            return 1;
        }
    };
    let prism_bin = match prism::install(&root.join("target/prism")) {
        Ok(bin) => bin,
        Err(message) => {
            eprintln!("error: Prism could not be installed: {message}");
            return 1;
        }
    };
    let out = &options.out;
    let mut results = Vec::new();
    let mut prepared = Vec::new();
    let mut refused = Vec::new();
    for spec in &options.specs {
        match prepare(spec, out) {
            Ok(Some(ready)) => prepared.push(ready),
            Ok(None) => refused.push(file_name(spec)),
            Err(reason) => {
                for &dynamic in modes.dynamic_flags() {
                    results.push(not_run(&file_name(spec), dynamic, 0, reason.clone(), false));
                }
            }
        }
    }
    // Specs Prism is not started for need no runner.
    let crate_names: Vec<String> = prepared
        .iter()
        .filter(|p| limits.not_served(&p.name).is_none())
        .map(|p| p.crate_name.clone())
        .collect();
    eprintln!("== building {} runners", crate_names.len());
    let executables = match runner::build(out, &crate_names) {
        Ok(executables) => executables,
        Err(message) => {
            eprintln!("error: {message}");
            return 1;
        }
    };
    let _ = std::fs::create_dir_all(out.join("logs"));
    for spec in &prepared {
        for &dynamic in modes.dynamic_flags() {
            let result = match executables.get(&spec.crate_name) {
                _ if limits.not_served(&spec.name).is_some() => {
                    let reason = limits.not_served(&spec.name).unwrap_or_default();
                    not_run(
                        &spec.name,
                        dynamic,
                        spec.operations,
                        reason.to_string(),
                        true,
                    )
                }
                Some(Ok(executable)) => {
                    run_mode(spec, executable, &prism_bin, dynamic, out, &limits)
                }
                Some(Err(error)) => not_run(
                    &spec.name,
                    dynamic,
                    spec.operations,
                    format!("the runner did not build: {error}"),
                    false,
                ),
                None => not_run(
                    &spec.name,
                    dynamic,
                    spec.operations,
                    "the runner was not built".to_string(),
                    false,
                ),
            };
            results.push(result);
        }
    }
    let mut report = wire_table::render(&results);
    if !refused.is_empty() {
        report.push_str(&format!(
            "\nNot generated (Swagger 2.0, refused as expected): {}\n",
            refused.join(", ")
        ));
    }
    println!("{report}");
    let _ = std::fs::write(out.join("wire-table.md"), &report);
    if let Some(path) = &options.static_list {
        let arguments: Vec<String> = std::env::args().skip(1).collect();
        let command = format!("cargo run --release -p corpus -- {}", arguments.join(" "));
        let list = crate::static_failures::render(&results, &command);
        if let Err(error) = std::fs::write(path, list) {
            eprintln!("error: {}: {error}", path.display());
            return 1;
        }
        eprintln!(
            "== wrote the static-mode decode failures to {}",
            path.display()
        );
    }
    if results.iter().any(ModeResult::fails) {
        1
    } else {
        0
    }
}

fn file_name(spec: &Path) -> String {
    spec.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("spec")
        .to_string()
}

fn not_run(
    spec: &str,
    dynamic: bool,
    operations: usize,
    reason: String,
    listed: bool,
) -> ModeResult {
    ModeResult {
        spec: spec.to_string(),
        mode: mode_name(dynamic),
        operations,
        entries: Vec::new(),
        not_run: Some(NotRun { reason, listed }),
        restarts: 0,
    }
}

fn mode_name(dynamic: bool) -> &'static str {
    if dynamic {
        "dynamic"
    } else {
        "static"
    }
}

/// Generates the spec's client with its smoke module and writes its runner; `Ok(None)`
/// for a spec refused as Swagger 2.0.
fn prepare(spec: &Path, out: &Path) -> Result<Option<Prepared>, String> {
    let name = file_name(spec);
    let crate_name = crate::crate_name_for(spec);
    let settings = apigen::Settings::default()
        .with_crate_name(&crate_name)
        .with_smoke_tests();
    let generated = match apigen::generate(spec, &settings) {
        Ok(generated) => generated,
        Err(e) if e.kind == apigen::ErrorKind::UnsupportedVersion => return Ok(None),
        Err(e) => return Err(format!("generation failed: {e}")),
    };
    let files = generated
        .crate_files()
        .map_err(|e| format!("generation failed: {e}"))?;
    apigen::output::write_crate(&out.join("crates").join(&crate_name), &files)
        .map_err(|e| format!("writing the crate failed: {e}"))?;
    runner::write_runner(out, &crate_name)?;
    let info = SpecInfo::load(spec)?;
    Ok(Some(Prepared {
        name,
        spec: spec.to_path_buf(),
        crate_name,
        operations: generated.api.operations.len(),
        info,
    }))
}

/// One spec in one mode: Prism up, the runner once per credential kind the operations
/// need, Prism down.
fn run_mode(
    spec: &Prepared,
    executable: &Path,
    prism_bin: &Path,
    dynamic: bool,
    out: &Path,
    limits: &Limits,
) -> ModeResult {
    let mode = mode_name(dynamic);
    if spec.operations == 0 {
        // Prism refuses to start on a spec without operations ("No operations found").
        let reason = "no operations (webhooks only): nothing to call".to_string();
        return not_run(&spec.name, dynamic, 0, reason, true);
    }
    eprintln!("== {} ({mode})", spec.name);
    let command = PrismCommand {
        bin: prism_bin.to_path_buf(),
        spec: spec.spec.clone(),
        dynamic,
        log: out
            .join("logs")
            .join(format!("{}-{mode}.log", spec.crate_name)),
        timeout: PRISM_START_LIMIT,
    };
    let prism = match Prism::start(command) {
        Ok(prism) => Arc::new(Mutex::new(prism)),
        Err(reason) => {
            return not_run(&spec.name, dynamic, spec.operations, reason, false);
        }
    };
    let headers = spec.info.api_key_headers();
    let kinds = spec.info.auth_kinds();
    let mut calls: Vec<(Outcome, Option<Record>)> = Vec::new();
    for (index, &kind) in kinds.iter().enumerate() {
        let run = call_all(executable, &prism, kind, &headers);
        let pairs = match run {
            Ok(pairs) => pairs,
            Err(reason) => {
                return not_run(&spec.name, dynamic, spec.operations, reason, false);
            }
        };
        if index == 0 {
            calls = pairs;
            continue;
        }
        // A later run supplies the calls of operations the first kind does not satisfy.
        let first = kinds[0];
        for (outcome, record) in pairs {
            let accepted = spec.info.accepted_auth(&outcome.method, &outcome.path);
            if Auth::satisfies(&accepted, first) || !Auth::satisfies(&accepted, kind) {
                continue;
            }
            if let Some(slot) = calls
                .iter_mut()
                .find(|(o, _)| o.method == outcome.method && o.path == outcome.path)
            {
                *slot = (outcome, record);
            }
        }
    }
    let restarts = prism.lock().map_or(0, |p| p.restarts);
    drop(prism);
    let entries = calls
        .iter()
        .map(|(outcome, record)| Entry {
            operation: outcome.operation.clone(),
            endpoint: format!("{} {}", outcome.method.to_ascii_uppercase(), outcome.path),
            class: wire_table::classify(
                outcome,
                record.as_ref(),
                |operation| limits.rejection(&spec.name, operation).map(str::to_string),
                |status| {
                    spec.info
                        .response_schema_pointer(&outcome.method, &outcome.path, status)
                },
                |schema, fields| spec.info.field_schema_pointer(schema, fields),
            ),
        })
        .collect();
    ModeResult {
        spec: spec.name.clone(),
        mode,
        operations: spec.operations,
        entries,
        not_run: None,
        restarts,
    }
}

/// Runs the runner once through a fresh recording proxy; returns the calls paired with
/// their requests.
fn call_all(
    executable: &Path,
    prism: &Arc<Mutex<Prism>>,
    auth: Auth,
    headers: &[String],
) -> Result<Vec<(Outcome, Option<Record>)>, String> {
    let address = prism.lock().map_err(|e| e.to_string())?.address;
    let revived = Arc::clone(prism);
    let revive: Revive = Arc::new(move || {
        if let Ok(mut prism) = revived.lock() {
            match prism.revive() {
                Ok(true) => eprintln!("   Prism had died (see its log): started again"),
                Ok(false) => {}
                Err(error) => eprintln!("   Prism had died and did not start again: {error}"),
            }
        }
    });
    let proxy = Proxy::start(address, revive)?;
    let base_url = format!("http://{}", proxy.address);
    let outcomes = runner::run(
        executable,
        &base_url,
        auth.argument(),
        headers,
        RUNNER_LIMIT,
    );
    let records = proxy.finish();
    Ok(wire_table::correlate(outcomes?, &records))
}
