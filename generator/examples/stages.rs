//! Times each stage of the generator once, in process, on one spec, and prints a markdown
//! table: where does generation time (and memory) go?
//!
//! ```sh
//! cargo run --release -p apigen --example stages -- ../shared/corpus/github.json
//! cargo run --release -p apigen --example stages -- spec/gong-users.yaml --end-to-end
//! ```
//!
//! Stages: read the file; parse it (YAML/JSON into a JSON tree); type it (`openapiv3`);
//! lower to the IR; emit token streams; format every module as the crate form does (`syn`
//! parse, then `prettyplease`). "peak RSS" is the process's high-water mark (`VmHWM`) after
//! the stage, so a jump shows which stage raised it. With `--end-to-end` it also times
//! `apigen::generate_str(..).crate_files()` as one call, as a cross-check on the sum.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use quote::quote;

/// One formatted module: its name, `syn` time, `prettyplease` time and output lines.
struct Formatted {
    name: String,
    parse: Duration,
    print: Duration,
    lines: usize,
}

fn main() {
    let mut spec = None;
    let mut end_to_end = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--end-to-end" => end_to_end = true,
            "-h" | "--help" => {
                println!("usage: stages SPEC [--end-to-end]");
                return;
            }
            _ if spec.is_none() => spec = Some(PathBuf::from(arg)),
            _ => fail("usage: stages SPEC [--end-to-end]"),
        }
    }
    let Some(spec) = spec else {
        fail("usage: stages SPEC [--end-to-end]")
    };
    if let Err(e) = run(&spec, end_to_end) {
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

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Formats one module's tokens like `apigen::format::format_file`, timing the two halves.
fn format_timed(name: String, tokens: TokenStream) -> Result<Formatted, syn::Error> {
    let (file, parse) = time(|| syn::parse2::<syn::File>(tokens));
    let file = file?;
    let (text, print) = time(|| prettyplease::unparse(&file));
    Ok(Formatted {
        name,
        parse,
        print,
        lines: text.lines().count(),
    })
}

fn run(spec: &Path, end_to_end: bool) -> Result<(), Box<dyn std::error::Error>> {
    let (text, read) = time(|| std::fs::read_to_string(spec));
    let text = text?;
    let bytes = text.len();
    let (source, parse) = time(|| apigen::load::Source::parse(spec, text.clone()));
    let source = source?;
    let rss_parse = peak_rss_mb();
    let (typed, typing) = time(|| source.typed());
    let typed = typed?;
    let rss_typed = peak_rss_mb();
    let (lowered, lower) = time(|| apigen::ir::lower::lower(&source, &typed));
    let (api, diagnostics) = lowered?;
    let rss_lower = peak_rss_mb();
    let (emitted, emit) = time(|| apigen::emit::emit(&api));
    let emitted = emitted?;
    let rss_emit = peak_rss_mb();

    // The crate form: one file per module and per child module.
    let mut formatted = Vec::new();
    for module in &emitted.modules {
        let items = module.items.all(&api);
        let children = module.children.iter().map(|c| {
            let name = quote::format_ident!("{}", c.name);
            quote!(pub mod #name;)
        });
        formatted.push(format_timed(
            module.name.to_string(),
            quote!(#(#children)* #(#items)*),
        )?);
        for child in &module.children {
            formatted.push(format_timed(
                format!("{}/{}", module.name, child.name),
                child.items.all(&api).into_iter().collect(),
            )?);
        }
    }
    let syn_total: Duration = formatted.iter().map(|f| f.parse).sum();
    let print_total: Duration = formatted.iter().map(|f| f.print).sum();
    let lines: usize = formatted.iter().map(|f| f.lines).sum();
    let total = read + parse + typing + lower + emit + syn_total + print_total;

    println!(
        "Stages of `{}` ({}, {} operations, {} types, {} warnings, {} formatted lines), one run each:",
        spec.display(),
        if bytes >= 100_000 {
            format!("{:.1} MB", bytes as f64 / 1e6)
        } else {
            format!("{:.0} kB", bytes as f64 / 1e3)
        },
        api.operations.len(),
        api.types.len(),
        diagnostics.len(),
        lines,
    );
    println!();
    let rss_format = peak_rss_mb();
    let note_parse = if source.is_json {
        "serde_json into a JSON tree"
    } else {
        "serde_yaml into a JSON tree"
    };
    let rows = [
        ("read", read, None, "read the file"),
        ("parse", parse, rss_parse, note_parse),
        ("typing", typing, rss_typed, "openapiv3 typing of the tree"),
        (
            "lowering",
            lower,
            rss_lower,
            "ir::lower: $ref resolution, names, IR",
        ),
        ("emit", emit, rss_emit, "quote: IR to token streams"),
        (
            "format: syn",
            syn_total,
            None,
            "syn::parse2 of every module",
        ),
        (
            "format: prettyplease",
            print_total,
            rss_format,
            "prettyplease::unparse of every module",
        ),
    ];
    let rss = |r: Option<f64>| r.map_or_else(|| "n/a".to_string(), |mb| format!("{mb:.0}"));
    println!("| stage | ms | share | peak RSS after (MB) | what |");
    println!("|---|---:|---:|---:|---|");
    for (stage, took, peak, note) in rows {
        println!(
            "| {stage} | {:.1} | {:.0}% | {} | {note} |",
            ms(took),
            100.0 * took.as_secs_f64() / total.as_secs_f64().max(1e-9),
            rss(peak),
        );
    }
    println!(
        "| **total** | **{:.1}** | 100% | {} | |",
        ms(total),
        rss(rss_format)
    );
    println!();
    println!("| module | syn ms | prettyplease ms | lines |");
    println!("|---|---:|---:|---:|");
    for f in &formatted {
        println!(
            "| {} | {:.1} | {:.1} | {} |",
            f.name,
            ms(f.parse),
            ms(f.print),
            f.lines
        );
    }

    if end_to_end {
        drop((emitted, api, typed, source));
        let settings = apigen::Settings::default();
        let (generated, generate) = time(|| apigen::generate_str(spec, text, &settings));
        let generated = generated?;
        let (files, crate_files) = time(|| generated.crate_files());
        let files = files?;
        println!();
        println!(
            "End to end: generate_str {:.1} ms + crate_files {:.1} ms = {:.1} ms ({} files)",
            ms(generate),
            ms(crate_files),
            ms(generate + crate_files),
            files.len(),
        );
    }
    Ok(())
}
