//! The command line: `generate`, `check` and `--help`. Parsing and running are plain
//! functions over argument strings and writers, so tests call them without a process.
//!
//! Exit codes: 0 success; 1 a bad spec, a failed write, or (for `check`) stale output;
//! 2 a usage error.

use std::io::Write;
use std::path::PathBuf;

use crate::Settings;

/// The `--help` text.
pub const HELP: &str = "\
apigen: generate a typed async Rust client crate from an OpenAPI 3.0 description

Usage:
  apigen generate SPEC --out DIR [--crate-name NAME] [--crate-version VERSION]
  apigen check SPEC --out DIR [--crate-name NAME] [--crate-version VERSION]
  apigen --help

Commands:
  generate   Write the crate (Cargo.toml and src/) into DIR. Only files whose contents
             change are written.
  check      Exit 1, naming the stale files and the command that refreshes them, when
             DIR differs from what `generate` would write. Writes nothing.

Arguments:
  SPEC       The OpenAPI description, YAML or JSON.
  --out DIR  The crate directory.
  --crate-name NAME        Package name (default: the spec's x-rust-crate.name, else
                           from info.title).
  --crate-version VERSION  Package version (default: x-rust-crate.version, else 0.1.0).

Exit status: 0 success; 1 bad spec, write failure or stale output; 2 usage error.
Warnings about the spec (constructs worked around) go to stderr with their location.
";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Print help.
    Help,
    /// Write the crate.
    Generate(Job),
    /// Check the crate is fresh.
    Check(Job),
}

/// The spec and output directory a command works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The spec file.
    pub spec: PathBuf,
    /// The crate directory.
    pub out: PathBuf,
    /// Generation settings.
    pub settings: Settings,
}

/// Parses arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut iter = args.iter();
    let command = match iter.next().map(String::as_str) {
        None | Some("--help" | "-h" | "help") => return Ok(Command::Help),
        Some(c @ ("generate" | "check")) => c.to_string(),
        Some(other) => return Err(format!("unknown command `{other}`")),
    };
    let mut spec = None;
    let mut out = None;
    let mut settings = Settings::default();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match arg.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => settings.crate_name = Some(value("--crate-name")?),
            "--crate-version" => settings.crate_version = Some(value("--crate-version")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            path if spec.is_none() => spec = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    let spec = spec.ok_or("missing SPEC")?;
    let out = out.ok_or("missing `--out DIR`")?;
    let job = Job {
        spec,
        out,
        settings,
    };
    Ok(if command == "generate" {
        Command::Generate(job)
    } else {
        Command::Check(job)
    })
}

/// Runs a command line, writing to `stdout`/`stderr`; returns the exit code.
pub fn run(args: &[String], stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let command = match parse(args) {
        Ok(command) => command,
        Err(message) => {
            let _ = writeln!(stderr, "error: {message}\n\n{HELP}");
            return 2;
        }
    };
    match command {
        Command::Help => {
            let _ = write!(stdout, "{HELP}");
            0
        }
        Command::Generate(job) => generate(&job, stdout, stderr),
        Command::Check(job) => check(&job, stdout, stderr),
    }
}

fn generate(job: &Job, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let result = crate::generate(&job.spec, &job.settings).and_then(|generated| {
        report_warnings(&generated, stderr);
        let files = generated.crate_files()?;
        let changed = crate::output::write_crate(&job.out, &files)?;
        let total = files.len();
        // The process ends right after this: freeing a big spec's IR and output piece by
        // piece would only add to its run time (the operating system reclaims it at once).
        std::mem::forget(files);
        std::mem::forget(generated);
        Ok((total, changed))
    });
    match result {
        Ok((total, changed)) => {
            let _ = writeln!(
                stdout,
                "wrote {} of {total} files in {} ({} unchanged)",
                changed.len(),
                job.out.display(),
                total - changed.len()
            );
            0
        }
        Err(error) => {
            let _ = writeln!(stderr, "{error}");
            1
        }
    }
}

fn check(job: &Job, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let generated = match crate::generate(&job.spec, &job.settings) {
        Ok(generated) => generated,
        Err(error) => {
            let _ = writeln!(stderr, "{error}");
            return 1;
        }
    };
    let files = match generated.crate_files() {
        Ok(files) => files,
        Err(error) => {
            let _ = writeln!(stderr, "{error}");
            return 1;
        }
    };
    let stale = crate::output::stale_files(&job.out, &files);
    if stale.is_empty() {
        let _ = writeln!(
            stdout,
            "{} is fresh ({} files)",
            job.out.display(),
            files.len()
        );
        return 0;
    }
    let _ = writeln!(
        stderr,
        "{} is stale; these files differ from the spec:",
        job.out.display()
    );
    for path in &stale {
        let _ = writeln!(stderr, "  {}", path.display());
    }
    let _ = writeln!(
        stderr,
        "refresh them with:\n  {}",
        crate::output::refresh_command(&job.spec, &job.out)
    );
    1
}

fn report_warnings(generated: &crate::Generated, stderr: &mut dyn Write) {
    for warning in &generated.diagnostics {
        let _ = writeln!(stderr, "{warning}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_generate_and_check() {
        let cmd = parse(&args(&[
            "generate",
            "s.yaml",
            "--out",
            "o",
            "--crate-name",
            "x",
        ]))
        .unwrap();
        let Command::Generate(job) = cmd else {
            panic!("not generate: {cmd:?}")
        };
        assert_eq!(job.spec, PathBuf::from("s.yaml"));
        assert_eq!(job.out, PathBuf::from("o"));
        assert_eq!(job.settings.crate_name.as_deref(), Some("x"));
        assert!(matches!(
            parse(&args(&["check", "s", "--out", "o"])),
            Ok(Command::Check(_))
        ));
        assert_eq!(parse(&args(&[])), Ok(Command::Help));
    }

    #[test]
    fn usage_errors_exit_two() {
        for bad in [
            &["frob"][..],
            &["generate", "s"],
            &["generate", "--out"],
            &["check", "s", "--out", "o", "--zzz"],
        ] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            assert_eq!(run(&args(bad), &mut out, &mut err), 2, "{bad:?}");
            assert!(String::from_utf8_lossy(&err).starts_with("error: "));
        }
    }
}
