//! Generates the Gong users client from `spec/gong-users.yaml` on every build where the
//! spec (or the generator) changed.
//!
//! - The client this package's tests and examples use is written to `OUT_DIR` and
//!   included by `src/lib.rs`, so one `cargo build` after a spec edit yields a client that
//!   reflects it.
//! - The checked-in crate in `generated/` (what downstream projects depend on) is refreshed
//!   when its bytes differ, with a warning. Under CI it is only checked: a stale
//!   `generated/` there is a bug that `tests/freshness.rs` reports with the refresh command.
//! - A bad spec fails the build with the file, line and JSON pointer of the problem.
//! - The construct fixtures that `tests/construct_*.rs` exercise at run time are generated
//!   into `OUT_DIR` too, from `tests/fixtures/`.

use std::path::Path;

const SPEC: &str = "spec/gong-users.yaml";
const CRATE_DIR: &str = "generated";
/// Fixtures whose generated clients the `tests/construct_*.rs` tests include.
const BEHAVIOUR_FIXTURES: &[&str] = &["unions", "objects", "operations", "formats"];

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CI");
    for fixture in BEHAVIOUR_FIXTURES {
        println!("cargo:rerun-if-changed=tests/fixtures/{fixture}.yaml");
    }
    if let Err(error) = run() {
        eprintln!("{error}");
        println!("cargo:warning={error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), apigen::Error> {
    let generated = apigen::generate(Path::new(SPEC), &apigen::Settings::default())?;
    for warning in &generated.diagnostics {
        println!("cargo:warning={warning}");
    }
    let out_dir = std::env::var_os("OUT_DIR").unwrap_or_default();
    let single = Path::new(&out_dir).join("gong_users.rs");
    apigen::output::write_if_changed(&single, &generated.single_file()?)?;
    for fixture in BEHAVIOUR_FIXTURES {
        let spec = format!("tests/fixtures/{fixture}.yaml");
        let client = apigen::generate(Path::new(&spec), &apigen::Settings::default())?;
        let path = Path::new(&out_dir).join(format!("fixture_{fixture}.rs"));
        apigen::output::write_if_changed(&path, &client.single_file()?)?;
    }

    let files = generated.crate_files()?;
    let stale = apigen::output::stale_files(Path::new(CRATE_DIR), &files);
    if stale.is_empty() {
        return Ok(());
    }
    let command = apigen::output::refresh_command(Path::new(SPEC), Path::new(CRATE_DIR));
    if std::env::var_os("CI").is_some() {
        println!("cargo:warning={CRATE_DIR}/ is stale (not refreshed under CI); run `{command}`");
    } else {
        apigen::output::write_crate(Path::new(CRATE_DIR), &files)?;
        for path in stale {
            println!("cargo:warning=refreshed {} from {SPEC}", path.display());
        }
    }
    Ok(())
}
