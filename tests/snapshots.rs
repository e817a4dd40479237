//! Snapshot tests: each fixture spec's generated client, as one file, against the copy
//! committed in `tests/snapshots/`. `tests/compile.rs` then compiles every snapshot with
//! warnings denied, so a snapshot is both reviewed text and proven-compiling code.
//!
//! Besides the fixtures, a few cases generate a fixture with [`apigen::Settings`]
//! ([`settings_cases`]): each setting shown on `tests/fixtures/settings/`.
//!
//! After an intended change, refresh with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`
//! and read the diff before committing it.

use std::path::{Path, PathBuf};

const UPDATE_VAR: &str = "UPDATE_SNAPSHOTS";

/// Fixtures: the project's spec, two real specs vendored in `corpus/` (sources and
/// licences in `corpus/MANIFEST.md`), and the small one-construct specs in `tests/fixtures/`.
fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let mut list = vec![
        root.join("spec/gong-users.yaml"),
        corpus.join("oai-petstore.yaml"),
        corpus.join("progenitor-keeper.json"),
        // A spec split over files (its bundle must give the same client, see
        // generator/tests/multi_file.rs).
        root.join("tests/fixtures/multi_file/multi_file.yaml"),
    ];
    let mut local: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    local.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("yaml" | "json")
        )
    });
    local.sort();
    list.extend(local);
    list
}

/// Settings cases: the spec, the settings, and the snapshot's name. The settings file
/// shows every section; the builder case shows an include by path and a rename of a type
/// named from its context.
fn settings_cases() -> Vec<(PathBuf, apigen::Settings, &'static str)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings");
    let spec = dir.join("store.yaml");
    let from_file = apigen::Settings::from_toml_file(&dir.join("apigen.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let orders_only = apigen::Settings::default()
        .with_include_path("/orders/**")
        .with_rename_type("GetOrderHistoryResponse", "History");
    vec![
        (spec.clone(), from_file, "settings_store"),
        (spec, orders_only, "settings_orders_only"),
    ]
}

/// Every snapshot: (spec, settings, snapshot file stem).
fn cases() -> Vec<(PathBuf, apigen::Settings, String)> {
    let mut cases: Vec<_> = fixtures()
        .into_iter()
        .map(|spec| {
            let stem = spec
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .replace(['-', '.'], "_");
            (spec, apigen::Settings::default(), stem)
        })
        .collect();
    for (spec, settings, name) in settings_cases() {
        cases.push((spec, settings, name.to_string()));
    }
    cases
}

fn snapshot_text(spec: &Path, settings: &apigen::Settings) -> String {
    let generated = apigen::generate(spec, settings).unwrap_or_else(|e| panic!("{e}"));
    let code = generated.single_file().unwrap_or_else(|e| panic!("{e}"));
    let name = spec
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    format!(
        "// Snapshot of the client generated from {name}; tests/compile.rs builds it with warnings denied.\n\
         #![deny(warnings)]\n\
         // Unused public items of a library are not dead code; this file is built as a binary.\n\
         #![allow(dead_code)]\n\n{code}\nfn main() {{}}\n"
    )
}

#[test]
fn snapshots_match_generated_output() {
    let update = std::env::var_os(UPDATE_VAR).is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut stale = Vec::new();
    for (spec, settings, stem) in cases() {
        assert!(spec.exists(), "fixture {} is missing", spec.display());
        let path = dir.join(format!("{stem}.rs"));
        let expected = snapshot_text(&spec, &settings);
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        if actual != expected {
            if update {
                std::fs::write(&path, &expected)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ from the generator's output: {stale:?}\n\
         if the change is intended, run `{UPDATE_VAR}=1 cargo test --test snapshots` and read the diff"
    );
}

#[test]
fn generation_is_deterministic() {
    for (spec, settings, _) in cases() {
        let first = snapshot_text(&spec, &settings);
        for _ in 0..3 {
            assert_eq!(
                first,
                snapshot_text(&spec, &settings),
                "{} differs between runs",
                spec.display()
            );
        }
    }
}
