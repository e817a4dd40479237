//! Property (d): accepted specs yield crates that compile. A fixed sample of crates goes
//! into one scratch workspace, checked by ONE `cargo check` (warnings are failures), and
//! each compiler message is attributed to the crate, and so the spec, that caused it.
//!
//! Like the corpus command (`tools/corpus/src/check.rs`), the workspace reuses this
//! repository's `Cargo.lock`, so nothing new is resolved, and it shares the corpus
//! command's target directory (`target/corpus/target`), so the generated crates'
//! dependencies are checked once for both and kept between runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One generated crate in the scratch workspace.
pub struct Member {
    /// Its package name (also its directory under `crates/`).
    pub name: String,
    /// The spec it came from, as given to the generator.
    pub spec: String,
}

/// The repository root.
fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The scratch workspace's directory.
pub fn workspace_dir() -> PathBuf {
    repository().join("target/property")
}

/// Writes the workspace manifest, the lock file and the crates (replacing earlier ones).
pub fn write_workspace(
    dir: &Path,
    crates: &[(Member, BTreeMap<PathBuf, String>)],
) -> Result<(), String> {
    let crates_dir = dir.join("crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)
            .map_err(|e| format!("{}: {e}", crates_dir.display()))?;
    }
    let members: Vec<String> = crates
        .iter()
        .map(|(member, _)| format!("    \"crates/{}\",", member.name))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::copy(repository().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    for (member, files) in crates {
        let crate_dir = crates_dir.join(&member.name);
        apigen::output::write_crate(&crate_dir, files).map_err(|e| e.to_string())?;
        std::fs::write(crate_dir.join("spec.json"), &member.spec).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Runs one `cargo check` over the workspace (all features, so the blocking client too)
/// and returns the rendered errors and warnings by package name.
pub fn cargo_check(dir: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "check",
            "--workspace",
            "--all-features",
            "--keep-going",
            "--message-format=json",
        ])
        .env(
            "CARGO_TARGET_DIR",
            repository().join("target/corpus/target"),
        )
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let mut messages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let level = message["message"]["level"].as_str().unwrap_or("");
        if level != "error" && level != "warning" {
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
    if !output.status.success() && messages.is_empty() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("cargo check failed:\n{}", tail.join("\n")));
    }
    Ok(messages)
}
