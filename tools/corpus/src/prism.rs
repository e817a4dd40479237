//! The Prism mock server: installed pinned into `target/prism` with npm (node must be on
//! the machine), started per spec and mode on a free loopback port in a process group of
//! its own, and stopped by killing that group, so nothing is left running.

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

/// How to start one Prism: the command, the spec, the mode and where its output goes.
#[derive(Debug, Clone)]
pub struct PrismCommand {
    /// The `prism` command.
    pub bin: PathBuf,
    /// The spec it serves.
    pub spec: PathBuf,
    /// Dynamic mode (`-d`).
    pub dynamic: bool,
    /// Its output (appended to across restarts).
    pub log: PathBuf,
    /// How long it may take to listen.
    pub timeout: Duration,
}

/// A running Prism; dropping it kills its process group.
pub struct Prism {
    command: PrismCommand,
    child: Child,
    /// Where it listens.
    pub address: SocketAddr,
    /// How often it was started again after it died.
    pub restarts: usize,
}

impl Prism {
    /// Starts `prism mock` on a free port and waits until it accepts connections.
    pub fn start(command: PrismCommand) -> Result<Self, String> {
        let port = free_port()?;
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let _ = std::fs::remove_file(&command.log);
        let child = spawn(&command, port)?;
        let mut prism = Self {
            command,
            child,
            address,
            restarts: 0,
        };
        prism.wait_until_listening()?;
        Ok(prism)
    }

    /// Starts it again on the same port if it has died, or dies within 3 s (Prism crashes
    /// on some requests); returns whether it did.
    pub fn revive(&mut self) -> Result<bool, String> {
        // A crash shows first as a connection closed without an answer: give the process
        // a moment to end.
        let deadline = Instant::now() + Duration::from_secs(3);
        while !matches!(self.child.try_wait(), Ok(Some(_))) {
            if Instant::now() > deadline {
                return Ok(false);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.child = spawn(&self.command, self.address.port())?;
        self.restarts += 1;
        self.wait_until_listening()?;
        Ok(true)
    }

    fn wait_until_listening(&mut self) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let text = std::fs::read_to_string(&self.command.log).unwrap_or_default();
                return Err(format!(
                    "Prism exited ({status}) before listening: {}",
                    last_lines(&text, 5)
                ));
            }
            if started.elapsed() > self.command.timeout {
                return Err(format!(
                    "Prism was not listening after {} s (its output: {})",
                    self.command.timeout.as_secs(),
                    self.command.log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

/// Spawns `prism mock` in a process group of its own, its output appended to the log.
fn spawn(command: &PrismCommand, port: u16) -> Result<Child, String> {
    let log = &command.log;
    let output = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))?;
    let errors = output.try_clone().map_err(|e| e.to_string())?;
    Command::new(&command.bin)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .args(command.dynamic.then_some("-d"))
        .arg(&command.spec)
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors)
        .process_group(0)
        .spawn()
        .map_err(|e| format!("{} could not start: {e}", command.bin.display()))
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
