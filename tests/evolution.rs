//! Calls survive the spec's growth: a caller written against one version of a spec
//! compiles, unchanged, against the client of the next version.
//!
//! `tests/fixtures/evolution/v1.yaml` is a small API; `v2.yaml` is the same API grown in
//! each way the README promises callers survive (an optional query parameter, optional
//! header parameters, the first optional parameter of an operation, response fields, an
//! enum value, a property of an all-optional request body, new operations, one of them
//! paged with a union of arrays as its body).
//! `caller.rs` uses v1's client the way a program would (setters, awaiting builders,
//! reading response fields, matching enums and errors, the blocking client).
//! v2's client has its models in a crate of their own (`TypesCrate::Separate`, what
//! large APIs get by default), so the test also shows that callers do not notice that
//! layout, and that the client crate compiles against a types crate without a warning.
//!
//! The test generates both clients into one scratch workspace (`target/evolution`, with
//! this repository's `Cargo.lock` and the corpus command's target directory, like
//! `generator/tests/property.rs`), adds a crate per (caller, client version) whose library
//! *is* the caller file (by path, so the very same file), and runs one `cargo check` with
//! warnings denied. `caller.rs` must compile against both versions. So that the harness is
//! shown to really compile each caller against its version, `caller_v2_only.rs` (a setter
//! only v2 has) must compile against v2 and fail against v1, naming the missing method.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures' folder.
fn fixtures() -> PathBuf {
    repository().join("tests/fixtures/evolution")
}

/// A crate of the scratch workspace compiling `caller` against the client of `version`.
struct CallerCrate {
    /// Its package name.
    name: &'static str,
    /// The caller file, in `tests/fixtures/evolution/`.
    caller: &'static str,
    /// `v1` or `v2`.
    version: &'static str,
}

const CALLERS: [CallerCrate; 4] = [
    CallerCrate {
        name: "caller-on-v1",
        caller: "caller.rs",
        version: "v1",
    },
    CallerCrate {
        name: "caller-on-v2",
        caller: "caller.rs",
        version: "v2",
    },
    CallerCrate {
        name: "v2-only-on-v1",
        caller: "caller_v2_only.rs",
        version: "v1",
    },
    CallerCrate {
        name: "v2-only-on-v2",
        caller: "caller_v2_only.rs",
        version: "v2",
    },
];

/// Writes the scratch workspace: both clients (packages `widgets-v1`, `widgets-v2`) and
/// the caller crates, each depending on its client as `widgets`.
fn write_workspace(dir: &Path) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove the old scratch workspace");
    }
    let mut members = Vec::new();
    for version in ["v1", "v2"] {
        let spec = fixtures().join(format!("{version}.yaml"));
        let mut settings =
            apigen::Settings::default().with_crate_name(format!("widgets-{version}"));
        if version == "v2" {
            settings = settings.with_types_crate(apigen::TypesCrate::Separate);
        }
        let generated = apigen::generate(&spec, &settings)
            .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
        let files = generated.crate_files().expect("crate files");
        apigen::output::write_crate(&dir.join(version), &files).expect("write the client");
        members.push(version.to_string());
    }
    for caller in &CALLERS {
        let crate_dir = dir.join(caller.name);
        std::fs::create_dir_all(&crate_dir).expect("caller folder");
        let source = fixtures().join(caller.caller);
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [lib]\npath = {source:?}\n\n\
             [dependencies]\nwidgets = {{ path = \"../{version}\", package = \"widgets-{version}\", features = [\"blocking\"] }}\n",
            name = caller.name,
            source = source.display().to_string(),
            version = caller.version,
        );
        std::fs::write(crate_dir.join("Cargo.toml"), manifest).expect("caller manifest");
        members.push(caller.name.to_string());
    }
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("workspace manifest");
    std::fs::copy(repository().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
}

/// One `cargo check` of the workspace (every crate, even after errors): the errors and
/// warnings by package name, and whether cargo itself failed without any.
fn cargo_check(dir: &Path) -> (BTreeMap<String, Vec<String>>, Option<String>) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
        ])
        .env(
            "CARGO_TARGET_DIR",
            repository().join("target/corpus/target"),
        )
        .current_dir(dir)
        .output()
        .expect("run cargo");
    let mut messages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let level = message["message"]["level"].as_str().unwrap_or("");
        if message["reason"] != "compiler-message" || !matches!(level, "error" | "warning") {
            continue;
        }
        let package = message["target"]["name"]
            .as_str()
            .unwrap_or("(unknown)")
            .replace('_', "-");
        let rendered = message["message"]["rendered"].as_str().unwrap_or("");
        messages
            .entry(package)
            .or_default()
            .push(rendered.to_string());
    }
    let failed_silently = (!output.status.success() && messages.is_empty())
        .then(|| String::from_utf8_lossy(&output.stderr).into_owned());
    (messages, failed_silently)
}

#[test]
fn a_caller_of_v1_compiles_unchanged_against_v2() {
    let dir = repository().join("target/evolution");
    write_workspace(&dir);
    let (mut messages, failed_silently) = cargo_check(&dir);
    if let Some(stderr) = failed_silently {
        panic!("cargo check failed without compiler messages:\n{stderr}");
    }

    // The harness really compiles each caller against its own version: v2's setter is
    // missing from v1's builder.
    let v2_only_on_v1 = messages.remove("v2-only-on-v1").unwrap_or_default();
    assert!(
        v2_only_on_v1
            .iter()
            .any(|m| m.contains("no method named `include_archived` found")),
        "the v2-only caller must fail against v1 for the missing setter, got:\n{}",
        v2_only_on_v1.join("\n")
    );

    // Everything else compiles without a warning: both clients, the v1 caller against
    // both versions, and the v2-only caller against v2.
    let rest: Vec<String> = messages
        .iter()
        .map(|(package, list)| format!("--- {package}:\n{}", list.join("\n")))
        .collect();
    assert!(rest.is_empty(), "{}", rest.join("\n"));
}
