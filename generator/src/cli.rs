//! The command line: `generate` and `check`, parsed by clap's derive API (which also
//! generates `--help` on every level and `--version`). Parsing and running are plain
//! functions over argument strings and writers, so tests call them without a process.
//!
//! Help and version go to stdout. With no arguments at all the command prints the
//! top-level help and exits 0, like `apigen --help`.
//!
//! Exit codes: 0 success (help and version included); 1 a bad spec, a failed write, or
//! (for `check`) stale output; 2 a usage error, reported on stderr as `error: ...` by clap.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::Settings;

/// The exit code for a usage error (what clap uses too).
const USAGE_ERROR: i32 = 2;

/// Shown after every level's help.
const EXIT_STATUS_HELP: &str = "\
Exit status: 0 success; 1 bad spec, write failure or stale output; 2 usage error.
Warnings about the spec (constructs worked around) go to stderr with their location.";

/// apigen: generate a typed async Rust client crate from an OpenAPI 3.0 or 3.1 description
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "apigen", version, after_help = EXIT_STATUS_HELP)]
pub struct Cli {
    /// What to do; `None` when no arguments were given (the help is printed then).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A subcommand.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Write the crate into DIR (only files whose contents change are written)
    #[command(after_help = EXIT_STATUS_HELP)]
    Generate(Job),
    /// Check DIR is what `generate` would write; if not, exit 1 naming the stale files and the fix
    #[command(after_help = EXIT_STATUS_HELP)]
    Check(Job),
}

/// The spec and output directory a command works on.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Job {
    /// The OpenAPI description, YAML or JSON.
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
    /// The crate directory.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Package name (default: the spec's x-rust-crate.name, else from info.title).
    #[arg(long, value_name = "NAME")]
    pub crate_name: Option<String>,
    /// Package version (default: x-rust-crate.version, else 0.1.0).
    #[arg(long, value_name = "VERSION")]
    pub crate_version: Option<String>,
    /// An OpenAPI Overlay 1.0 document to apply to the spec first (repeatable: applied in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
}

impl Job {
    /// The generation settings the flags ask for.
    pub fn settings(&self) -> Settings {
        Settings {
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            overlays: self.overlays.clone(),
        }
    }
}

/// Parses arguments (without the program name). Help, version and usage errors come back
/// as clap errors: [`clap::Error::exit_code`] tells them apart (0 for help and version).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let program = std::iter::once(OsString::from("apigen"));
    Cli::try_parse_from(program.chain(args.into_iter().map(Into::into)))
}

/// The top-level help, as `apigen --help` prints it.
pub fn top_level_help() -> String {
    Cli::command().render_help().to_string()
}

/// Runs a command line (without the program name), writing to `stdout`/`stderr`; returns
/// the exit code.
pub fn run<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match parse(args) {
        Ok(cli) => cli,
        Err(error) => return report_parse_outcome(&error, stdout, stderr),
    };
    match cli.command {
        None => {
            let _ = write!(stdout, "{}", top_level_help());
            0
        }
        Some(Command::Generate(job)) => generate(&job, stdout, stderr),
        Some(Command::Check(job)) => check(&job, stdout, stderr),
    }
}

/// Prints what clap returned instead of a command line: help or version on stdout (exit
/// 0), anything else is a usage error on stderr (exit 2). Plain text, no colours: the
/// writers may be files or pipes.
fn report_parse_outcome(
    error: &clap::Error,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let text = error.render().to_string();
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = write!(stdout, "{text}");
            0
        }
        _ => {
            let _ = write!(stderr, "{text}");
            USAGE_ERROR
        }
    }
}

fn generate(job: &Job, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let result = crate::generate(&job.spec, &job.settings()).and_then(|generated| {
        report_warnings(&generated, stderr);
        let files = generated.crate_files()?;
        let changed = crate::output::write_crate(&job.out, &files)?;
        Ok((files.len(), changed.len()))
    });
    match result {
        Ok((total, changed)) => {
            let _ = writeln!(
                stdout,
                "wrote {changed} of {total} files in {} ({} unchanged)",
                job.out.display(),
                total - changed
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
    let files = match crate::generate(&job.spec, &job.settings())
        .and_then(|generated| generated.crate_files())
    {
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
    let mut refresh = crate::output::refresh_command(&job.spec, &job.out);
    for overlay in &job.overlays {
        refresh.push_str(&format!(" --overlay {}", overlay.display()));
    }
    let _ = writeln!(stderr, "refresh them with:\n  {refresh}");
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

    /// Runs `args` in-process: (exit code, stdout, stderr).
    fn run_captured(args: &[&str]) -> (i32, String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run(args, &mut out, &mut err);
        (
            code,
            String::from_utf8_lossy(&out).into_owned(),
            String::from_utf8_lossy(&err).into_owned(),
        )
    }

    #[test]
    fn parses_generate_and_check() {
        let cli = parse([
            "generate",
            "s.yaml",
            "--out",
            "o",
            "--crate-name",
            "x",
            "--crate-version",
            "1.2.3",
        ])
        .unwrap();
        let Some(Command::Generate(job)) = cli.command else {
            panic!("not generate: {cli:?}")
        };
        assert_eq!(job.spec, PathBuf::from("s.yaml"));
        assert_eq!(job.out, PathBuf::from("o"));
        assert_eq!(
            job.settings(),
            Settings::default()
                .with_crate_name("x")
                .with_crate_version("1.2.3")
        );
        // Flags may come before the spec, and `--flag=value` works too.
        let check = parse(["check", "--out=o", "s"]).unwrap();
        let Some(Command::Check(job)) = check.command else {
            panic!("not check: {check:?}")
        };
        assert_eq!((job.spec, job.out), ("s".into(), "o".into()));
        assert_eq!(job.crate_name, None);
        assert_eq!(job.overlays, Vec::<PathBuf>::new());
        // --overlay repeats, and the overlays keep their order.
        let overlaid = parse([
            "check",
            "s",
            "--overlay",
            "b.yaml",
            "--out",
            "o",
            "--overlay=a.yaml",
        ]);
        let Ok(Cli {
            command: Some(Command::Check(job)),
        }) = overlaid
        else {
            panic!("not check: {overlaid:?}")
        };
        assert_eq!(
            job.settings(),
            Settings::default()
                .with_overlay("b.yaml")
                .with_overlay("a.yaml")
        );
        assert_eq!(parse::<[&str; 0], &str>([]).unwrap().command, None);
    }

    #[test]
    fn no_arguments_print_the_help_and_exit_zero() {
        let (code, stdout, stderr) = run_captured(&[]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, top_level_help());
        assert!(stdout.contains("Usage: apigen"), "{stdout}");
        assert_eq!(stderr, "");
    }

    #[test]
    fn help_and_version_go_to_stdout_with_exit_zero() {
        for flags in [&["--help"][..], &["-h"], &["help"]] {
            let (code, stdout, stderr) = run_captured(flags);
            assert_eq!((code, stderr.as_str()), (0, ""), "{flags:?}");
            assert_eq!(stdout, top_level_help(), "{flags:?}");
        }
        for flags in [
            &["generate", "--help"][..],
            &["help", "check"],
            &["check", "-h"],
        ] {
            let (code, stdout, stderr) = run_captured(flags);
            assert_eq!((code, stderr.as_str()), (0, ""), "{flags:?}");
            assert!(stdout.contains("--out <DIR>"), "{flags:?}: {stdout}");
            assert!(stdout.contains("Exit status: 0 success"), "{stdout}");
        }
        for flag in ["--version", "-V"] {
            let (code, stdout, stderr) = run_captured(&[flag]);
            assert_eq!((code, stderr.as_str()), (0, ""), "{flag}");
            assert_eq!(stdout, format!("apigen {}\n", env!("CARGO_PKG_VERSION")));
        }
    }

    #[test]
    fn usage_errors_exit_two() {
        for (bad, names) in [
            (&["frob"][..], "frob"),
            (&["generate", "s"], "--out <DIR>"),
            (&["generate", "--out"], "--out <DIR>"),
            (&["generate", "--out", "o"], "<SPEC>"),
            (&["check", "s", "--out", "o", "--zzz"], "--zzz"),
            (&["check", "s", "t", "--out", "o"], "'t'"),
            (&["--out", "o"], "--out"),
        ] {
            let (code, stdout, stderr) = run_captured(bad);
            assert_eq!(code, 2, "{bad:?}");
            assert_eq!(stdout, "", "{bad:?}");
            assert!(stderr.starts_with("error: "), "{bad:?}: {stderr}");
            assert!(
                stderr.contains(names),
                "{bad:?} should name {names}: {stderr}"
            );
            assert!(!stderr.contains('\x1b'), "colours in {stderr:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn arguments_that_are_not_utf8_are_paths_or_usage_errors() {
        use std::os::unix::ffi::OsStringExt;
        let odd = OsString::from_vec(b"spec-\xff.yaml".to_vec());
        let cli = parse([
            OsString::from("check"),
            odd.clone(),
            "--out".into(),
            "o".into(),
        ]);
        let Ok(Cli {
            command: Some(Command::Check(job)),
        }) = cli
        else {
            panic!("not check: {cli:?}")
        };
        assert_eq!(job.spec.as_os_str(), odd.as_os_str());
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = [
            OsString::from("check"),
            "s".into(),
            "--out".into(),
            "o".into(),
            "--crate-name".into(),
            odd,
        ];
        assert_eq!(run(args, &mut out, &mut err), 2);
        assert!(String::from_utf8_lossy(&err).starts_with("error: "));
    }

    #[test]
    fn a_missing_spec_exits_one_naming_it() {
        let missing =
            std::env::temp_dir().join(format!("apigen-no-such-{}.yaml", std::process::id()));
        let missing = missing.to_str().unwrap();
        for command in ["generate", "check"] {
            let (code, stdout, stderr) = run_captured(&[command, missing, "--out", "unused"]);
            assert_eq!(code, 1, "{command}: {stderr}");
            assert_eq!(stdout, "");
            assert!(stderr.starts_with("error: "), "{stderr}");
            assert!(stderr.contains(missing), "{stderr}");
        }
    }
}
