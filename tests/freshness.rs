//! The checked-in crate in `generated/` must be exactly what the generator makes from
//! `spec/gong-users.yaml`, and must not drag the generator into downstream builds.
//!
//! Under `CI`, build.rs does not refresh `generated/`, so a stale checked-in crate fails
//! here with the command that refreshes it.

use std::path::Path;
use std::process::Command;

const SPEC: &str = "spec/gong-users.yaml";
const CRATE_DIR: &str = "generated";

#[test]
fn generated_crate_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = apigen::generate(&root.join(SPEC), &apigen::Settings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let files = generated.crate_files().unwrap_or_else(|e| panic!("{e}"));
    let stale = apigen::output::stale_files(&root.join(CRATE_DIR), &files);
    assert!(
        stale.is_empty(),
        "{CRATE_DIR}/ is stale: {stale:?}\nrefresh it with:\n  {}",
        apigen::output::refresh_command(Path::new(SPEC), Path::new(CRATE_DIR))
    );
}

#[test]
fn downstream_dependency_tree_has_no_generator_crates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "-e",
            "normal,build",
            "-p",
            "gong-users",
            "--prefix",
            "none",
        ])
        .current_dir(root)
        .output()
        .expect("cargo tree runs");
    let tree = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(tree.contains("reqwest"), "unexpected tree:\n{tree}");
    // `syn` itself does appear, as a build dependency of the derive macros under url's IDNA
    // support; what must never appear is the generator or anything only it needs, nor
    // serde's derive, which the generated serde impls do without (it was most of a large
    // generated crate's compile time).
    for forbidden in [
        "apigen ",
        "openapiv3 ",
        "prettyplease ",
        "serde_yaml ",
        "heck ",
        "serde_path_to_error ",
        "mimalloc ",
        "serde_derive ",
    ] {
        assert!(
            !tree.contains(forbidden),
            "gong-users depends on {forbidden}:\n{tree}"
        );
    }
}
