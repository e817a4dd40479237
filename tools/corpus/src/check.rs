//! Runs one `cargo check` over every generated crate, in a scratch workspace that reuses
//! this repository's lock file (so no new versions are resolved), and attributes compiler
//! messages to crates.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::table::{CheckResult, Row};

/// Checks the crates of `rows`, returning results by package name.
pub fn check(out: &Path, rows: &[&Row]) -> Result<HashMap<String, CheckResult>, String> {
    let mut results: HashMap<String, CheckResult> = rows
        .iter()
        .map(|r| (r.crate_name.clone(), CheckResult::default()))
        .collect();
    if rows.is_empty() {
        return Ok(results);
    }
    let members: Vec<String> = rows
        .iter()
        .map(|r| format!("    \"crates/{}\",", r.crate_name))
        .collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    if !out.join("Cargo.lock").exists() {
        let _ = std::fs::copy(&lock, out.join("Cargo.lock"));
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            // Every module, the `blocking` client's included.
            "--all-features",
            "--keep-going",
            "--message-format=json",
        ])
        .current_dir(out)
        .output()
        .map_err(|e| e.to_string())?;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let Some(name) = message["target"]["name"].as_str() else {
            continue;
        };
        let Some(result) = results.get_mut(&name.replace('_', "-")) else {
            continue;
        };
        match message["message"]["level"].as_str() {
            Some("error") => {
                result.errors += 1;
                if result.first_error.is_none() {
                    result.first_error = message["message"]["rendered"]
                        .as_str()
                        .map(|r| r.lines().take(2).collect::<Vec<_>>().join(" "));
                }
            }
            Some("warning") => result.warnings += 1,
            _ => {}
        }
    }
    if !output.status.success() && results.values().all(|r| r.errors == 0) {
        return Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .rev()
            .take(15)
            .collect::<Vec<_>>()
            .join("\n"));
    }
    Ok(results)
}
