//! The runners: per spec, a small binary crate beside the generated client (with its
//! `smoke` module) that builds the `Client` for a base URL and dummy credentials, calls
//! `smoke::run` and prints each outcome as a JSON line. All of them are built by one
//! `cargo build` of a scratch workspace (shared dependencies, dev profile), and run with
//! a time limit.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// One outcome printed by a runner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Outcome {
    /// The operation's id (or `method /path`).
    pub operation: String,
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// `decoded`, `declared_error`, `undeclared_status`, `decode_failure`, `transport`,
    /// `skipped`, or `other` (a kind the runner does not know).
    pub kind: String,
    /// The response status, when there was one.
    pub status: Option<u16>,
    /// The message, body or skip reason.
    #[serde(default)]
    pub detail: String,
}

/// The runner's source: `{lib}` is the generated crate's library name.
const RUNNER_MAIN: &str = r#"//! Calls every operation of the generated client against a mock server and prints each
//! outcome as a JSON line (written by `corpus --wire`).

use {lib}::smoke::Kind;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(base_url), Some(auth)) = (args.next(), args.next()) else {
        eprintln!("usage: runner BASE_URL none|basic|bearer [HEADER=VALUE ...]");
        std::process::exit(2);
    };
    let mut headers = reqwest::header::HeaderMap::new();
    for pair in args {
        let Some((name, value)) = pair.split_once('=') else { continue };
        let (Ok(name), Ok(value)) = (
            reqwest::header::HeaderName::from_bytes(name.as_bytes()),
            reqwest::header::HeaderValue::from_str(value),
        ) else {
            eprintln!("bad header {pair:?}");
            std::process::exit(2);
        };
        headers.insert(name, value);
    }
    let credentials = match auth.as_str() {
        "basic" => {lib}::Credentials::basic("wire-user", "wire-password"),
        "bearer" => {lib}::Credentials::bearer("wire-token"),
        _ => {lib}::Credentials::None,
    };
    let http = reqwest::Client::builder()
        .default_headers(headers)
        // A mock's redirect leads nowhere: the answer itself is what is checked.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(60))
        .build();
    let http = match http {
        Ok(http) => http,
        Err(error) => {
            eprintln!("reqwest client: {error}");
            std::process::exit(1);
        }
    };
    let config = {lib}::Client::default_config()
        .with_retry({lib}::RetryPolicy::none())
        .with_calls_per_second(None)
        .with_http_client(http);
    let client = match {lib}::Client::with_config(&base_url, credentials, config) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("client: {error}");
            std::process::exit(1);
        }
    };
    for outcome in {lib}::smoke::run(&client).await {
        let (kind, status, detail) = match outcome.kind {
            Kind::Decoded { status } => ("decoded", Some(status), String::new()),
            Kind::DeclaredError { status } => ("declared_error", Some(status), String::new()),
            Kind::UndeclaredStatus { status, body } => ("undeclared_status", Some(status), body),
            Kind::DecodeFailure { status, message } => ("decode_failure", Some(status), message),
            Kind::Transport { message } => ("transport", None, message),
            Kind::Skipped { reason } => ("skipped", None, reason),
            _ => ("other", None, String::new()),
        };
        let line = serde_json::json!({
            "operation": outcome.operation,
            "method": outcome.method,
            "path": outcome.path,
            "kind": kind,
            "status": status,
            "detail": detail,
        });
        println!("{line}");
    }
}
"#;

/// The runner crate's package name for a generated crate's.
pub fn runner_name(crate_name: &str) -> String {
    format!("wire-{crate_name}")
}

/// Writes the runner crate for the generated crate `crate_name` (in `out/crates/`) into
/// `out/runners/`.
pub fn write_runner(out: &Path, crate_name: &str) -> Result<(), String> {
    let name = runner_name(crate_name);
    let dir = out.join("runners").join(&name);
    let lib = crate_name.replace('-', "_");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{crate_name} = {{ path = \"../../crates/{crate_name}\" }}\n\
         reqwest = {{ version = \"0.12\", default-features = false }}\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n"
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("{}: {e}", dir.display()))?;
    write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
    write_if_changed(
        &dir.join("src/main.rs"),
        &RUNNER_MAIN.replace("{lib}", &lib),
    )
}

/// Writes `text` unless the file already holds it (so cargo sees no change).
fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds every runner in one `cargo build`; returns each runner's executable by
/// generated crate name, or the first compiler error of the runners that failed.
pub fn build(
    out: &Path,
    crate_names: &[String],
) -> Result<BTreeMap<String, Result<PathBuf, String>>, String> {
    let mut members: Vec<String> = crate_names
        .iter()
        .map(|c| format!("    \"runners/{}\",", runner_name(c)))
        .collect();
    members.sort();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\n{}\n]\n",
        members.join("\n")
    );
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    write_if_changed(&out.join("Cargo.toml"), &manifest)?;
    let lock = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.lock");
    if !out.join("Cargo.lock").exists() {
        let _ = std::fs::copy(&lock, out.join("Cargo.lock"));
    }
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--workspace",
            "--bins",
            "--keep-going",
            "--message-format=json",
        ])
        .current_dir(out)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo build could not run: {e}"))?;
    let mut built: BTreeMap<String, Result<PathBuf, String>> = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let package = message["target"]["name"]
            .as_str()
            .unwrap_or_default()
            .replace('_', "-");
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(executable) = message["executable"].as_str() {
                    built.insert(package, Ok(PathBuf::from(executable)));
                }
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
                errors
                    .entry(package)
                    .or_insert_with(|| rendered.lines().take(3).collect::<Vec<_>>().join(" "));
            }
            _ => {}
        }
    }
    let mut results = BTreeMap::new();
    for crate_name in crate_names {
        let runner = runner_name(crate_name);
        let result = match built.remove(&runner) {
            Some(found) => found,
            None => Err(errors
                .get(&runner)
                .or_else(|| errors.get(crate_name))
                .cloned()
                .unwrap_or_else(|| "not built (a dependency failed to build)".to_string())),
        };
        results.insert(crate_name.clone(), result);
    }
    Ok(results)
}

/// Runs a runner against `base_url` with the credentials `auth` and extra headers, at
/// most `limit`; returns its outcomes.
pub fn run(
    executable: &Path,
    base_url: &str,
    auth: &str,
    headers: &[String],
    limit: Duration,
) -> Result<Vec<Outcome>, String> {
    let mut child = Command::new(executable)
        .arg(base_url)
        .arg(auth)
        .args(headers)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{} could not start: {e}", executable.display()))?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut stderr = child.stderr.take().ok_or("no stderr")?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let error_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = reader.join().unwrap_or_default();
    let errors = error_reader.join().unwrap_or_default();
    match status {
        None => Err(format!("the runner took over {} s", limit.as_secs())),
        Some(status) if !status.success() => Err(format!(
            "the runner failed ({status}): {}",
            crate::prism::last_lines(&errors, 5)
        )),
        Some(_) => parse_outcomes(&text),
    }
}

/// Parses a runner's JSON lines.
pub fn parse_outcomes(text: &str) -> Result<Vec<Outcome>, String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            serde_json::from_str(line).map_err(|e| format!("a bad runner line {line:?}: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_lines_are_parsed() {
        let outcomes = parse_outcomes(
            "{\"operation\":\"listPets\",\"method\":\"GET\",\"path\":\"/pets\",\"kind\":\"decoded\",\"status\":200,\"detail\":\"\"}\n\n\
             {\"operation\":\"addPet\",\"method\":\"POST\",\"path\":\"/pets\",\"kind\":\"skipped\",\"status\":null,\"detail\":\"no example\"}\n",
        )
        .unwrap();
        assert_eq!(outcomes.len(), 2);
        assert_eq!(outcomes[0].status, Some(200));
        assert_eq!(outcomes[1].kind, "skipped");
        assert_eq!(outcomes[1].detail, "no example");
        let error = parse_outcomes("not json").unwrap_err();
        assert!(error.contains("a bad runner line \"not json\""), "{error}");
    }

    #[test]
    fn runner_crates_name_the_generated_crate() {
        let out = std::env::temp_dir().join(format!("corpus-runner-{}", std::process::id()));
        write_runner(&out, "corpus-oai-petstore").unwrap();
        let dir = out.join("runners/wire-corpus-oai-petstore");
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(manifest
            .contains("corpus-oai-petstore = { path = \"../../crates/corpus-oai-petstore\" }"));
        let main = std::fs::read_to_string(dir.join("src/main.rs")).unwrap();
        assert!(main.contains("corpus_oai_petstore::smoke::run(&client)"));
        assert!(!main.contains("{lib}"));
        std::fs::remove_dir_all(&out).unwrap();
    }
}
