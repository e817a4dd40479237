//! Snapshot tests: each fixture spec's generated client, as one file, against the copy
//! committed in `tests/snapshots/`. `tests/compile.rs` then compiles every snapshot with
//! warnings denied, so a snapshot is both reviewed text and proven-compiling code.
//!
//! Besides the fixtures, a few cases generate a fixture with [`apigen::Settings`]
//! ([`settings_cases`]): each setting shown on `tests/fixtures/settings/`. Fixtures with
//! overlays ([`OVERLAY_CASES`]: a spec, the OpenAPI Overlay documents applied to it in
//! order, and the snapshot's name) pin what the overlays change in the client.
//!
//! After an intended change, refresh with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`
//! and read the diff before committing it.

use std::path::{Path, PathBuf};

const UPDATE_VAR: &str = "UPDATE_SNAPSHOTS";

/// Specs generated with overlays: (spec, overlays in order, snapshot name), paths relative
/// to the repository root. A vendor's spec without paging and with a wrong id type, and
/// the overlays that add `x-pagination` and fix the type.
const OVERLAY_CASES: &[(&str, &[&str], &str)] = &[(
    "tests/fixtures/overlays/widgets.yaml",
    &[
        "tests/fixtures/overlays/paging.yaml",
        "tests/fixtures/overlays/fix-types.yaml",
    ],
    "overlay_widgets",
)];

/// One snapshot: the spec, the settings (overlays included), and the snapshot's file stem.
struct Case {
    spec: PathBuf,
    settings: apigen::Settings,
    snapshot: String,
}

/// Every snapshot case: each fixture on its own (named after its file), then the overlay
/// and settings cases.
fn cases() -> Vec<Case> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<Case> = fixtures()
        .into_iter()
        .map(|spec| Case {
            snapshot: spec
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .replace(['-', '.'], "_"),
            spec,
            settings: apigen::Settings::default(),
        })
        .collect();
    cases.extend(OVERLAY_CASES.iter().map(|(spec, overlays, snapshot)| {
        Case {
            spec: root.join(spec),
            settings: overlays
                .iter()
                .fold(apigen::Settings::default(), |settings, overlay| {
                    settings.with_overlay(root.join(overlay))
                }),
            snapshot: snapshot.to_string(),
        }
    }));
    for (spec, settings, snapshot) in settings_cases() {
        cases.push(Case {
            spec,
            settings,
            snapshot: snapshot.to_string(),
        });
    }
    cases
}

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
/// named from its context; the smoke fixture is generated with its `smoke` module.
fn settings_cases() -> Vec<(PathBuf, apigen::Settings, &'static str)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/settings");
    let spec = dir.join("store.yaml");
    let from_file = apigen::Settings::from_toml_file(&dir.join("apigen.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let orders_only = apigen::Settings::default()
        .with_include_path("/orders/**")
        .with_rename_type("GetOrderHistoryResponse", "History");
    let smoke = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/smoke/smoke.yaml");
    let smoke_settings = apigen::Settings::default().with_smoke_tests();
    vec![
        (spec.clone(), from_file, "settings_store"),
        (spec, orders_only, "settings_orders_only"),
        (smoke, smoke_settings, "smoke"),
    ]
}

fn snapshot_text(case: &Case) -> String {
    let overlays = &case.settings.overlays;
    let generated = apigen::generate(&case.spec, &case.settings).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        generated.diagnostics.is_empty() || overlays.is_empty(),
        "{}: the overlays should apply without warnings: {:?}",
        case.snapshot,
        generated.diagnostics
    );
    let code = generated.single_file().unwrap_or_else(|e| panic!("{e}"));
    let file_name = |path: &PathBuf| {
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string()
    };
    let mut name = file_name(&case.spec);
    if !overlays.is_empty() {
        let overlays: Vec<String> = overlays.iter().map(file_name).collect();
        name = format!("{name} with the overlays {}", overlays.join(", "));
    }
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
    for case in cases() {
        for input in std::iter::once(&case.spec).chain(&case.settings.overlays) {
            assert!(input.exists(), "fixture {} is missing", input.display());
        }
        let path = dir.join(format!("{}.rs", case.snapshot));
        let expected = snapshot_text(&case);
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
    for case in cases() {
        let first = snapshot_text(&case);
        for _ in 0..3 {
            assert_eq!(
                first,
                snapshot_text(&case),
                "{} differs between runs",
                case.snapshot
            );
        }
    }
}

/// The widgets overlays do what they say: without them the client has no paging and
/// string ids; with them, `list_widgets_all`/`_stream` and `i64` ids. The overlays are
/// inputs of the generated client (what a build script must watch).
#[test]
fn overlays_change_the_generated_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("tests/fixtures/overlays/widgets.yaml");
    let generate = |settings: &apigen::Settings| {
        apigen::generate(&spec, settings).unwrap_or_else(|e| panic!("{e}"))
    };
    let plain = generate(&apigen::Settings::default());
    let plain_code = plain.single_file().unwrap_or_else(|e| panic!("{e}"));
    assert!(!plain_code.contains("fn list_widgets_stream"));
    assert!(plain_code.contains("pub id: String,"));
    assert_eq!(plain.inputs(), std::slice::from_ref(&spec));

    let paging = root.join("tests/fixtures/overlays/paging.yaml");
    let fix_types = root.join("tests/fixtures/overlays/fix-types.yaml");
    let settings = apigen::Settings::default()
        .with_overlay(&paging)
        .with_overlay(&fix_types);
    let overlaid = generate(&settings);
    let code = overlaid.single_file().unwrap_or_else(|e| panic!("{e}"));
    for expected in [
        "fn list_widgets_stream",
        "fn list_widgets_all",
        "pub id: i64,",
    ] {
        assert!(code.contains(expected), "no {expected:?} in the client");
    }
    // The path parameter's type was fixed too.
    let get_widget = code.split("pub fn get_widget(").nth(1).unwrap_or_default();
    let parameters = get_widget.split(')').next().unwrap_or_default();
    assert!(parameters.contains("id: i64"), "{parameters}");
    assert!(!code.contains("pub id: String,"));
    assert_eq!(overlaid.inputs(), [spec, paging, fix_types]);
}
