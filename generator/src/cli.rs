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

use crate::settings::{Entry, Origin, TypesCrate};
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
    Generate(GenerateJob),
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
    /// A settings file (TOML, see the README's "Settings"); the flags below add to it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Generate operations with this tag (repeatable; with no include, all are).
    #[arg(long, value_name = "TAG")]
    pub include_tag: Vec<String>,
    /// Leave out operations with this tag (repeatable; excludes apply after includes).
    #[arg(long, value_name = "TAG")]
    pub exclude_tag: Vec<String>,
    /// Generate operations whose path matches this glob, like /repos/** (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include_path: Vec<String>,
    /// Leave out operations whose path matches this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude_path: Vec<String>,
    /// Generate the operation with this operationId (repeatable).
    #[arg(long, value_name = "ID")]
    pub include_operation: Vec<String>,
    /// Leave out the operation with this operationId (repeatable).
    #[arg(long, value_name = "ID")]
    pub exclude_operation: Vec<String>,
    /// Add a derive to every model struct and enum, like Eq or schemars::JsonSchema (repeatable).
    #[arg(long, value_name = "PATH")]
    pub derive: Vec<String>,
    /// Use a Rust type of yours for a schema, like Timestamp=chrono::NaiveDateTime (repeatable).
    #[arg(long, value_name = "SCHEMA=TYPE", value_parser = name_pair)]
    pub replace: Vec<(String, String)>,
    /// Rename a type, by schema or type name, like simple-user=User (repeatable).
    #[arg(long, value_name = "OLD=NEW", value_parser = name_pair)]
    pub rename_type: Vec<(String, String)>,
    /// Rename an operation's method, by operationId, like repos/list-for-org=org_repos (repeatable).
    #[arg(long, value_name = "OLD=NEW", value_parser = name_pair)]
    pub rename_operation: Vec<(String, String)>,
    /// An OpenAPI Overlay 1.0 document to apply to the spec first (repeatable: applied in order).
    #[arg(long = "overlay", value_name = "FILE")]
    pub overlays: Vec<PathBuf>,
    /// Add the `smoke` module: every operation called with arguments from the spec's examples.
    #[arg(long)]
    pub smoke_tests: bool,
    /// Where the models go: auto (a crate of their own from 1000 models on), separate, inline.
    #[arg(long, value_name = "WHERE", value_parser = TypesCrate::parse)]
    pub types_crate: Option<TypesCrate>,
}

/// What `generate` works on: a [`Job`], and what to report.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct GenerateJob {
    /// The spec, output directory and settings.
    #[command(flatten)]
    pub job: Job,
    /// Print how each paginated operation pages: pattern, parameters, body paths, and
    /// whether it was detected or stated by x-pagination.
    #[arg(long)]
    pub report_paging: bool,
}

/// Parses `NAME=VALUE` (split at the first `=`; neither side empty).
fn name_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() && !value.is_empty() => {
            Ok((name.to_string(), value.to_string()))
        }
        _ => Err(format!("expected NAME=VALUE, got {text:?}")),
    }
}

impl Job {
    /// The generation settings: the `--config` file's (if given), plus the flags.
    pub fn settings(&self) -> Result<Settings, crate::Error> {
        let from_file = match &self.config {
            Some(path) => Settings::from_toml_file(path)?,
            None => Settings::default(),
        };
        Ok(from_file.merge(self.flag_settings()))
    }

    /// The settings the flags alone give, each entry naming its flag.
    fn flag_settings(&self) -> Settings {
        let entries = |values: &[String], flag: &'static str| -> Vec<Entry<String>> {
            let origin = Origin::Flag(flag);
            let entry = |value: &String| Entry {
                value: value.clone(),
                origin: origin.clone(),
            };
            values.iter().map(entry).collect()
        };
        let pairs = |values: &[(String, String)], flag: &'static str| {
            let entry = |value: &(String, String)| Entry {
                value: value.clone(),
                origin: Origin::Flag(flag),
            };
            values.iter().map(entry).collect()
        };
        let mut settings = Settings {
            crate_name: self.crate_name.clone(),
            crate_version: self.crate_version.clone(),
            overlays: self.overlays.clone(),
            replace: pairs(&self.replace, "--replace"),
            derives: entries(&self.derive, "--derive"),
            rename_types: pairs(&self.rename_type, "--rename-type"),
            rename_operations: pairs(&self.rename_operation, "--rename-operation"),
            smoke_tests: self.smoke_tests,
            types_crate: self.types_crate.unwrap_or_default(),
            ..Settings::default()
        };
        let filter = &mut settings.operations;
        filter.include_tags = entries(&self.include_tag, "--include-tag");
        filter.exclude_tags = entries(&self.exclude_tag, "--exclude-tag");
        filter.include_paths = entries(&self.include_path, "--include-path");
        filter.exclude_paths = entries(&self.exclude_path, "--exclude-path");
        filter.include_operations = entries(&self.include_operation, "--include-operation");
        filter.exclude_operations = entries(&self.exclude_operation, "--exclude-operation");
        settings
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

fn generate(command: &GenerateJob, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let job = &command.job;
    let result = job
        .settings()
        .and_then(|settings| crate::generate(&job.spec, &settings));
    let result = result.and_then(|generated| {
        report_warnings(&generated, stderr);
        let files = generated.crate_files()?;
        let changed = crate::output::write_crate(&job.out, &files)?;
        let mut paging = vec![generated.paging_summary()];
        if command.report_paging {
            paging.extend(
                generated
                    .paging_details()
                    .iter()
                    .map(|line| format!("  {line}")),
            );
        }
        Ok((files.len(), changed.len(), paging))
    });
    match result {
        Ok((total, changed, paging)) => {
            let _ = writeln!(
                stdout,
                "wrote {changed} of {total} files in {} ({} unchanged)",
                job.out.display(),
                total - changed
            );
            for line in paging {
                let _ = writeln!(stdout, "{line}");
            }
            0
        }
        Err(error) => {
            let _ = writeln!(stderr, "{error}");
            1
        }
    }
}

fn check(job: &Job, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let files = match job
        .settings()
        .and_then(|settings| crate::generate(&job.spec, &settings))
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
        let Some(Command::Generate(GenerateJob { job, .. })) = cli.command else {
            panic!("not generate: {cli:?}")
        };
        assert_eq!(job.spec, PathBuf::from("s.yaml"));
        assert_eq!(job.out, PathBuf::from("o"));
        assert_eq!(
            job.settings().unwrap(),
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
            job.settings().map(|settings| settings.overlays),
            Ok(vec![PathBuf::from("b.yaml"), PathBuf::from("a.yaml")])
        );
        assert_eq!(parse::<[&str; 0], &str>([]).unwrap().command, None);
    }

    #[test]
    fn settings_flags_repeat_and_name_themselves() {
        let cli = parse([
            "generate",
            "s.yaml",
            "--out=o",
            "--include-tag",
            "a",
            "--include-tag=b",
            "--exclude-path",
            "/x/**",
            "--derive",
            "Eq",
            "--replace",
            "Time=chrono::NaiveTime",
            "--rename-type",
            "simple-user=User",
            "--rename-operation",
            "a/b=c=d",
        ])
        .unwrap();
        let Some(Command::Generate(GenerateJob { job, .. })) = cli.command else {
            panic!("not generate: {cli:?}")
        };
        let settings = job.settings().unwrap();
        let tags: Vec<_> = settings.operations.include_tags.iter().collect();
        assert_eq!(tags.len(), 2);
        assert_eq!(
            (tags[1].value.as_str(), &tags[1].origin),
            ("b", &Origin::Flag("--include-tag"))
        );
        assert_eq!(settings.operations.exclude_paths[0].value, "/x/**");
        assert_eq!(settings.derives[0].origin, Origin::Flag("--derive"));
        assert_eq!(
            settings.replace[0].value,
            ("Time".into(), "chrono::NaiveTime".into())
        );
        assert_eq!(settings.rename_types[0].value.1, "User");
        // Split at the first `=`.
        assert_eq!(
            settings.rename_operations[0].value,
            ("a/b".into(), "c=d".into())
        );
        for bad in ["=x", "x=", "x"] {
            assert!(name_pair(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_bad_config_file_exits_one_naming_it() {
        let missing =
            std::env::temp_dir().join(format!("apigen-no-such-{}.toml", std::process::id()));
        let missing = missing.to_str().unwrap();
        let (code, stdout, stderr) =
            run_captured(&["check", "s.yaml", "--out", "o", "--config", missing]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(missing), "{stderr}");
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

    #[test]
    fn generate_prints_the_paging_summary_and_with_the_flag_each_operation() {
        // Read when the test runs (cargo sets it then too): a path fixed at compile time
        // goes stale when the same build is reused from a copy of the repository elsewhere.
        let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets it");
        let spec = format!("{manifest_dir}/../tests/fixtures/paging.yaml");
        let spec = spec.as_str();
        let out = std::env::temp_dir().join(format!("apigen-paging-{}", std::process::id()));
        let out_text = out.to_string_lossy().into_owned();
        let (code, stdout, stderr) = run_captured(&["generate", spec, "--out", &out_text]);
        assert_eq!(code, 0, "{stderr}");
        let summary = "paging: 11 operations (link 3, cursor 2, has-more 2, offset 2, page 2); \
                       1 from x-pagination";
        assert_eq!(stdout.lines().nth(1), Some(summary), "{stdout}");
        assert_eq!(
            stdout.lines().count(),
            2,
            "no details without the flag: {stdout}"
        );
        let (code, stdout, _) =
            run_captured(&["generate", spec, "--out", &out_text, "--report-paging"]);
        let _ = std::fs::remove_dir_all(&out);
        assert_eq!(code, 0);
        let details: Vec<&str> = stdout.lines().skip(2).collect();
        assert_eq!(details.len(), 11, "{stdout}");
        assert_eq!(
            details[0],
            "  listThings (GET /things): cursor; cursor query `cursor`, next cursor /next_cursor, \
             items /things; detected: query `cursor`, body `/next_cursor`"
        );
        assert!(details[10].ends_with("; from x-pagination"), "{stdout}");
    }
}
