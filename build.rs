//! Generates the Gong users client from `spec/gong-users.yaml` with `apigen::Builder`, on
//! every build where the spec (or the generator) changed.
//!
//! - `$OUT_DIR/gong_users.rs`, included by `src/lib.rs`: one `cargo build` after a spec
//!   edit gives this package's tests and examples a client that reflects it. A bad spec
//!   fails the build with the file, line and JSON pointer of the problem.
//! - The checked-in crate in `generated/` (what downstream projects depend on) is refreshed
//!   when its bytes differ, with a warning per file. Under CI it is only checked: a stale
//!   `generated/` there is a bug that `tests/freshness.rs` reports with the refresh command.
//! - `$OUT_DIR/fixture_{name}.rs` for the construct fixtures in `tests/fixtures/` that
//!   `tests/construct_*.rs` exercise at run time, and `$OUT_DIR/fixture_smoke.rs` with the
//!   smoke-test module on, for `tests/smoke_module.rs`.

use apigen::builder::fail_build;
use apigen::Builder;

const SPEC: &str = "spec/gong-users.yaml";
const CRATE_DIR: &str = "generated";
/// Fixtures whose generated clients the `tests/construct_*.rs` tests include.
const BEHAVIOUR_FIXTURES: &[&str] = &[
    "unions",
    "objects",
    "operations",
    "formats",
    "streams",
    "paging",
    "decoding_policy",
    "nullable_items",
];

fn main() {
    println!("cargo:rerun-if-env-changed=CI");
    let mut gong = Builder::new(SPEC).file_name("gong_users.rs");
    gong.generate_into_out_dir().unwrap_or_else(fail_build);
    for fixture in BEHAVIOUR_FIXTURES {
        Builder::new(format!("tests/fixtures/{fixture}.yaml"))
            .file_name(format!("fixture_{fixture}.rs"))
            .generate_into_out_dir()
            .unwrap_or_else(fail_build);
    }
    // The smoke-test module's fixture, with the module on (`tests/smoke_module.rs`).
    Builder::new("tests/fixtures/smoke/smoke.yaml")
        .settings(apigen::Settings::default().with_smoke_tests())
        .file_name("fixture_smoke.rs")
        .generate_into_out_dir()
        .unwrap_or_else(fail_build);
    if std::env::var_os("CI").is_some() {
        if let Err(stale) = gong.check_crate(CRATE_DIR) {
            println!(
                "cargo:warning=not refreshed under CI: {}: {}",
                stale.location, stale.message
            );
        }
    } else {
        for path in gong.write_crate(CRATE_DIR).unwrap_or_else(fail_build) {
            println!("cargo:warning=refreshed {} from {SPEC}", path.display());
        }
    }
}
