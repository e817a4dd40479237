//! The Prism mock server: installed pinned into `target/prism` with npm (node must be on
//! the machine), started per spec and mode on a free loopback port in a process group of
//! its own, and stopped by killing that group, so nothing is left running.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism version the wire run is reviewed against.
pub const PRISM_VERSION: &str = "5.16.0";
/// The npm package.
const PRISM_PACKAGE: &str = "@stoplight/prism-cli";

/// Installs Prism into `prefix` unless that version is already there; returns the path of
/// its command.
pub fn install(prefix: &Path) -> Result<PathBuf, String> {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .map_err(|e| format!("node is needed to run Prism and could not run: {e}"))?;
    if !node.status.success() {
        return Err("`node --version` failed: node is needed to run Prism".to_string());
    }
    let bin = prefix.join("node_modules/.bin/prism");
    if installed_version(prefix).as_deref() == Some(PRISM_VERSION) && bin.exists() {
        return Ok(bin);
    }
    std::fs::create_dir_all(prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    eprintln!(
        "== installing {PRISM_PACKAGE}@{PRISM_VERSION} into {}",
        prefix.display()
    );
    let output = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(prefix)
        .args(["--no-audit", "--no-fund", "--loglevel=error"])
        .arg(format!("{PRISM_PACKAGE}@{PRISM_VERSION}"))
        .output()
        .map_err(|e| format!("npm could not run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "npm install {PRISM_PACKAGE}@{PRISM_VERSION} failed: {}",
            last_lines(&String::from_utf8_lossy(&output.stderr), 10)
        ));
    }
    match installed_version(prefix) {
        Some(version) if version == PRISM_VERSION && bin.exists() => Ok(bin),
        other => Err(format!(
            "after npm install, Prism's version is {other:?}, not {PRISM_VERSION}"
        )),
    }
}

/// The version of the Prism package installed under `prefix`, read from its manifest.
fn installed_version(prefix: &Path) -> Option<String> {
    let manifest = prefix.join("node_modules/@stoplight/prism-cli/package.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    manifest["version"].as_str().map(str::to_string)
}

/// A free TCP port on 127.0.0.1 (the operating system's choice, released for the caller).
pub fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A running Prism; dropping it kills its process group.
pub struct Prism {
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
}

impl Prism {
    /// Starts `prism mock` for `spec` (dynamic mode with `-d`) and waits until it accepts
    /// connections, at most `timeout`. Its output goes to `log`.
    pub fn start(
        bin: &Path,
        spec: &Path,
        dynamic: bool,
        log: &Path,
        timeout: Duration,
    ) -> Result<Self, String> {
        let port = free_port()?;
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let output = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let errors = output.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new(bin);
        command
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(dynamic.then_some("-d"))
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .process_group(0);
        let child = command
            .spawn()
            .map_err(|e| format!("{} could not start: {e}", bin.display()))?;
        let mut prism = Self { child, address };
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                return Err(format!(
                    "Prism exited ({status}) before listening: {}",
                    last_lines(&text, 5)
                ));
            }
            if started.elapsed() > timeout {
                return Err(format!(
                    "Prism was not listening after {} s (its output: {})",
                    timeout.as_secs(),
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // The process group has the child's id (`process_group(0)`): node and anything
        // it forked.
        let group = format!("-{}", self.child.id());
        for signal in ["-TERM", "-KILL"] {
            let _ = Command::new("kill")
                .args([signal, "--", &group])
                .stderr(Stdio::null())
                .status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The last `count` non-empty lines of `text`, joined with ` / `.
pub fn last_lines(text: &str, count: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(count)..].join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_lines_keeps_the_end() {
        assert_eq!(last_lines("a\n\nb\nc\n", 2), "b / c");
        assert_eq!(last_lines("a\n", 5), "a");
        assert_eq!(last_lines("", 3), "");
    }

    #[test]
    fn free_ports_can_be_bound() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        TcpListener::bind(("127.0.0.1", port)).unwrap();
    }

    #[test]
    fn the_installed_version_is_read_from_the_manifest() {
        let prefix = std::env::temp_dir().join(format!("corpus-prism-{}", std::process::id()));
        let package = prefix.join("node_modules/@stoplight/prism-cli");
        std::fs::create_dir_all(&package).unwrap();
        assert_eq!(installed_version(&prefix), None);
        std::fs::write(package.join("package.json"), r#"{"version": "5.16.0"}"#).unwrap();
        assert_eq!(installed_version(&prefix).as_deref(), Some("5.16.0"));
        std::fs::remove_dir_all(&prefix).unwrap();
    }
}
