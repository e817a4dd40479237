//! Criterion benchmarks of the generator's in-process stages, so a change shows where
//! generation time goes: loading and typing, lowering to the IR, rendering the crate's
//! files from a generated client (emitting tokens and formatting them), and the whole
//! generation from spec text to the crate's files.
//!
//! ```sh
//! cargo bench -p apigen --bench stages -- --quick        # a few seconds per benchmark
//! cargo bench -p apigen --bench stages -- nexus/lowering # one benchmark
//! ```
//!
//! Specs: the Gong users spec, and a medium corpus spec (`corpus/progenitor-nexus.json`, vendored
//! in this repository, or the file named by `APIGEN_BENCH_MEDIUM`; skipped when absent).
//! `bench/run.sh` is the whole-process benchmark against other generators.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode};

/// The specs to benchmark, by short name.
fn specs() -> Vec<(&'static str, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator lives in the workspace");
    let mut specs = vec![("gong", root.join("spec/gong-users.yaml"))];
    let medium = std::env::var_os("APIGEN_BENCH_MEDIUM")
        .map_or_else(|| root.join("corpus/progenitor-nexus.json"), PathBuf::from);
    if medium.is_file() {
        specs.push(("nexus", medium));
    } else {
        eprintln!(
            "skipping the medium spec: {} is not a file (set APIGEN_BENCH_MEDIUM)",
            medium.display()
        );
    }
    specs
}

fn stages(c: &mut Criterion) {
    let settings = apigen::Settings::default();
    for (name, path) in specs() {
        let text = std::fs::read_to_string(&path).expect("the spec is readable");
        let source = apigen::stages::Source::parse(&path, text.clone()).expect("the spec parses");
        let spec = source.typed().expect("the spec types");

        let mut group = c.benchmark_group(name);
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        group.bench_function("load+typing", |b| {
            b.iter_batched(
                || text.clone(),
                |text| {
                    let source = apigen::stages::Source::parse(&path, text).expect("parses");
                    let spec = source.typed().expect("types");
                    (source, spec)
                },
                BatchSize::LargeInput,
            );
        });
        group.bench_function("lowering", |b| {
            b.iter_with_large_drop(|| {
                apigen::stages::lower(black_box(&source), black_box(&spec)).expect("lowers")
            });
        });
        let generated = apigen::generate_str(&path, text.clone(), &settings).expect("generates");
        group.bench_function("crate_files", |b| {
            b.iter_with_large_drop(|| black_box(&generated).crate_files().expect("formats"));
        });
        group.bench_function("generate+crate_files", |b| {
            b.iter_batched(
                || text.clone(),
                |text| {
                    apigen::generate_str(&path, text, &settings)
                        .expect("generates")
                        .crate_files()
                        .expect("formats")
                },
                BatchSize::LargeInput,
            );
        });
        group.finish();
    }
}

// What `criterion_group!` and `criterion_main!` expand to, without their undocumented
// public function.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    stages(&mut criterion);
    criterion.final_summary();
}
