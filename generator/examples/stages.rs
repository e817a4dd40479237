//! Times each stage of the generator once, in process, on one spec, and prints a markdown
//! table: where do generation time and memory go?
//!
//! ```sh
//! cargo run --release -p apigen --example stages -- corpus/github.json   # vendored; any spec works
//! ```
//!
//! Stages: read the file; parse it (YAML/JSON into a JSON tree, `load::Source::parse`);
//! type it (`Source::typed`, `openapiv3`); lower it to the IR (`ir::lower::lower`); then
//! `generate_str` as a whole (the three stages again, plus locating warnings), whose
//! remainder is shown as "other"; `Generated::crate_files` (emitting tokens and formatting
//! them with `syn` + `prettyplease`); and writing the crate to a temporary directory.
//! "peak RSS" is the process's high-water mark (`VmHWM`) after the stage, so a jump shows
//! which stage raised it. Only public, stable entry points are used, so the example keeps
//! working while the stages' insides change.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const USAGE: &str = "usage: stages SPEC";

fn main() {
    let mut args = std::env::args().skip(1);
    let spec = match (args.next(), args.next()) {
        (Some(arg), None) if arg == "-h" || arg == "--help" => {
            println!("{USAGE}");
            return;
        }
        (Some(spec), None) => PathBuf::from(spec),
        _ => fail(USAGE),
    };
    if let Err(e) = run(&spec) {
        fail(&e.to_string());
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}

/// The process's peak resident set size in MB, where Linux tells it.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// One row of the table.
struct Stage {
    name: &'static str,
    took: Duration,
    peak: Option<f64>,
    what: &'static str,
}

fn run(spec: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut stages = Vec::new();
    let mut stage = |name, took, what| {
        stages.push(Stage {
            name,
            took,
            peak: peak_rss_mb(),
            what,
        });
    };

    let (text, read) = time(|| std::fs::read_to_string(spec));
    let text = text?;
    stage("read", read, "read the file");
    let (source, parse) = time(|| apigen::stages::Source::parse(spec, text.clone()));
    let source = source?;
    let parse_what = if source.is_json {
        "serde_json into a JSON tree"
    } else {
        "serde_yaml into a JSON tree"
    };
    stage("parse", parse, parse_what);
    let (typed, typing) = time(|| source.typed());
    let typed = typed?;
    stage("typing", typing, "openapiv3 typing of the tree");
    let (lowered, lowering) = time(|| apigen::stages::lower(&source, &typed));
    let (api, _) = lowered?;
    stage(
        "lowering",
        lowering,
        "ir::lower: $ref resolution, names, IR",
    );
    let (operations, types) = (api.operations.len(), api.types.len());
    drop((api, typed, source));

    let settings = apigen::Settings::default();
    let (generated, generate) = time(|| apigen::generate_str(spec, text, &settings));
    let generated = generated?;
    let other = generate.saturating_sub(parse + typing + lowering);
    stage(
        "other",
        other,
        "generate_str less the three stages above: locating warnings, settings",
    );
    let (files, crate_files) = time(|| generated.crate_files());
    let files = files?;
    stage(
        "emit + format",
        crate_files,
        "Generated::crate_files: tokens, syn, prettyplease",
    );
    let dir = std::env::temp_dir().join(format!("apigen-stages-{}", std::process::id()));
    let (written, write) = time(|| apigen::output::write_crate(&dir, &files));
    let _ = std::fs::remove_dir_all(&dir);
    written?;
    stage(
        "write",
        write,
        "output::write_crate into an empty directory",
    );

    let total: Duration = stages.iter().map(|s| s.took).sum();
    let mb = |r: Option<f64>| r.map_or_else(|| "n/a".to_string(), |mb| format!("{mb:.0}"));
    let bytes = std::fs::metadata(spec).map_or(0, |m| m.len());
    let size = if bytes >= 100_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.0} kB", bytes as f64 / 1e3)
    };
    let lines = |f: &(&PathBuf, &String)| f.1.lines().count();
    println!(
        "Stages of `{}` ({size}, {operations} operations, {types} types, {} warnings, {} generated lines), one run each:",
        spec.display(),
        generated.diagnostics.len(),
        files.iter().map(|f| lines(&f)).sum::<usize>(),
    );
    println!();
    println!("| stage | ms | share | peak RSS after (MB) | what |");
    println!("|---|---:|---:|---:|---|");
    for s in &stages {
        println!(
            "| {} | {:.1} | {:.0}% | {} | {} |",
            s.name,
            s.took.as_secs_f64() * 1000.0,
            100.0 * s.took.as_secs_f64() / total.as_secs_f64().max(1e-9),
            mb(s.peak),
            s.what,
        );
    }
    println!(
        "| **total** | **{:.1}** | 100% | {} | |",
        total.as_secs_f64() * 1000.0,
        mb(peak_rss_mb())
    );
    println!();
    println!("| generated file | lines |");
    println!("|---|---:|");
    for file in &files {
        println!("| {} | {} |", file.0.display(), lines(&file));
    }
    Ok(())
}
