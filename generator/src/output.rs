//! Writing a generated crate to disk, and checking a checked-in one is fresh.
//!
//! Files are written only when their bytes differ, so an unchanged spec touches nothing
//! and triggers no rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// Writes `content` to `path` unless it already holds exactly that. Returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &str) -> Result<bool, Error> {
    if std::fs::read(path).is_ok_and(|old| old == content.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Error::file(
                ErrorKind::Output,
                parent,
                format!("cannot create directory: {e}"),
            )
        })?;
    }
    std::fs::write(path, content)
        .map_err(|e| Error::file(ErrorKind::Output, path, format!("cannot write: {e}")))?;
    Ok(true)
}

/// Writes every file under `dir`; returns the paths that changed.
pub fn write_crate(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Result<Vec<PathBuf>, Error> {
    let mut changed = Vec::new();
    for (relative, content) in files {
        let path = dir.join(relative);
        if write_if_changed(&path, content)? {
            changed.push(path);
        }
    }
    Ok(changed)
}

/// The files under `dir` that are missing or differ from what would be generated.
pub fn stale_files(dir: &Path, files: &BTreeMap<PathBuf, String>) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(relative, content)| {
            std::fs::read(dir.join(relative)).map_or(true, |old| old != content.as_bytes())
        })
        .map(|(relative, _)| dir.join(relative))
        .collect()
}

/// The command that regenerates `out` from `spec`.
pub fn refresh_command(spec: &Path, out: &Path) -> String {
    format!(
        "cargo run -p apigen -- generate {} --out {}",
        spec.display(),
        out.display()
    )
}
