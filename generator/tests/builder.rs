//! `apigen::Builder` as a build script uses it, against a scratch `OUT_DIR`: the file it
//! writes, the cargo directives it prints (captured through `Builder::cargo_output`), the
//! error for a bad spec, and the checked-in crate it writes and checks.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use apigen::{Builder, ErrorKind, Settings};

/// Relative to this package's directory, where cargo runs its tests (and build scripts).
const GONG: &str = "../spec/gong-users.yaml";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigen-builder-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The directives a build script should print for `spec`, from the library's own account
/// of what it read and what it worked around.
fn expected_directives(spec: &str) -> String {
    let generated =
        apigen::generate(Path::new(spec), &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut expected = String::new();
    for input in generated.inputs() {
        expected.push_str(&format!("cargo:rerun-if-changed={}\n", input.display()));
    }
    for warning in &generated.diagnostics {
        expected.push_str(&format!(
            "cargo:warning={}: {}\n",
            warning.location, warning.message
        ));
    }
    expected
}

#[test]
fn writes_the_client_into_out_dir_and_prints_what_cargo_must_watch() {
    let out_dir = scratch("out");
    let mut cargo = Vec::new();
    let path = Builder::new(GONG)
        .out_dir(&out_dir)
        .cargo_output(&mut cargo)
        .generate_into_out_dir()
        .unwrap_or_else(|e| panic!("{e}"));
    // The default name comes from the crate name (the spec's x-rust-crate: gong-users).
    assert_eq!(path, out_dir.join("gong_users.rs"));
    let written = std::fs::read_to_string(&path).unwrap();
    let generated = apigen::generate(Path::new(GONG), &Settings::default()).unwrap();
    assert_eq!(written, generated.single_file().unwrap());
    assert!(written.contains("pub mod runtime"), "not the whole client");

    let cargo = text(&cargo);
    assert!(
        cargo.starts_with(&format!("cargo:rerun-if-changed={GONG}\n")),
        "{cargo}"
    );
    assert_eq!(cargo, expected_directives(GONG));
    assert!(cargo.lines().all(|l| l.starts_with("cargo:")), "{cargo}");
}

#[test]
fn an_unchanged_client_is_not_rewritten_and_the_file_name_is_the_callers() {
    let out_dir = scratch("unchanged");
    let build = || {
        Builder::new(GONG)
            .file_name("api.rs")
            .out_dir(&out_dir)
            .cargo_output(std::io::sink())
            .generate_into_out_dir()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let path = build();
    assert_eq!(path, out_dir.join("api.rs"));
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(long_ago).unwrap();
    drop(file);
    assert_eq!(build(), path);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert_eq!(modified, long_ago, "an unchanged client was written again");
    assert!(!out_dir.join("gong_users.rs").exists());
}

#[test]
fn warnings_become_cargo_warnings() {
    let spec = "tests/warn/tolerated.yaml";
    let mut cargo = Vec::new();
    Builder::new(spec)
        .out_dir(scratch("warn"))
        .cargo_output(&mut cargo)
        .generate_into_out_dir()
        .unwrap_or_else(|e| panic!("{e}"));
    let cargo = text(&cargo);
    let warnings: Vec<&str> = cargo
        .lines()
        .filter(|l| l.starts_with("cargo:warning="))
        .collect();
    assert!(!warnings.is_empty(), "{spec} should warn:\n{cargo}");
    for warning in &warnings {
        // Located like the command's warnings, without a second `warning:` (cargo adds one).
        let text = warning.trim_start_matches("cargo:warning=");
        assert!(text.starts_with(&format!("{spec}:")), "{warning}");
        assert!(!text.starts_with("warning"), "{warning}");
    }
    assert_eq!(cargo, expected_directives(spec));
}

#[test]
fn a_bad_spec_is_a_located_error_and_writes_nothing() {
    let out_dir = scratch("bad");
    let mut cargo = Vec::new();
    let error = Builder::new("tests/bad/missing_ref.yaml")
        .out_dir(&out_dir)
        .cargo_output(&mut cargo)
        .generate_into_out_dir()
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::BadReference);
    // The same message the command prints, pinned by the CLI tests.
    let pinned = std::fs::read_to_string("tests/bad/missing_ref.stderr").unwrap();
    assert_eq!(error.to_string(), pinned.trim_end());
    assert_eq!(error.location.line, Some(20));
    assert!(!out_dir.exists(), "wrote into OUT_DIR despite the error");
    assert_eq!(text(&cargo), "");
}

#[test]
fn a_bad_file_name_fails_before_generating() {
    let mut cargo = Vec::new();
    let error = Builder::new(GONG)
        .file_name("../escape.rs")
        .out_dir(scratch("bad-name"))
        .cargo_output(&mut cargo)
        .generate_into_out_dir()
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Settings);
    assert!(error.to_string().contains("\"../escape.rs\""), "{error}");
    assert_eq!(text(&cargo), "", "generated despite the bad setting");
}

#[test]
fn the_same_builder_writes_and_checks_a_crate_generating_once() {
    let root = scratch("crate");
    let crate_dir = root.join("api");
    let mut cargo = Vec::new();
    let mut builder = Builder::new(GONG)
        .crate_name("my-api")
        .out_dir(root.join("out"))
        .cargo_output(&mut cargo);
    // Into OUT_DIR first, named after the crate name the settings give.
    let single = builder
        .generate_into_out_dir()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(single, root.join("out/my_api.rs"));

    let error = builder.check_crate(&crate_dir).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Output);
    let message = error.to_string();
    assert!(message.contains("Cargo.toml"), "{message}");
    assert!(
        message.contains(&format!(
            "`apigen generate {GONG} --out {} --crate-name my-api`",
            crate_dir.display()
        )),
        "{message}"
    );

    let written = builder
        .write_crate(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-api\""), "{manifest}");
    assert!(
        written.contains(&crate_dir.join("src/lib.rs")),
        "{written:?}"
    );
    assert!(written.contains(&crate_dir.join("runtime/src/lib.rs")));
    assert_eq!(builder.check_crate(&crate_dir), Ok(()));
    assert_eq!(builder.write_crate(&crate_dir), Ok(vec![]));

    let lib = crate_dir.join("src/lib.rs");
    std::fs::write(&lib, "// edited by hand\n").unwrap();
    assert_eq!(builder.stale_files(&crate_dir), Ok(vec![lib.clone()]));
    let error = builder.check_crate(&crate_dir).unwrap_err();
    assert!(
        error.message.contains(&format!("{}", lib.display())),
        "{error}"
    );
    assert_eq!(
        error.message,
        format!(
            "stale: these files differ from what {GONG} generates: {}; refresh them with `{}`",
            lib.display(),
            builder.refresh_command(&crate_dir)
        )
    );
    assert_eq!(builder.write_crate(&crate_dir), Ok(vec![lib]));
    drop(builder);

    // One generation for all of the calls: the directives were printed once.
    assert_eq!(text(&cargo), expected_directives(GONG));
}

#[test]
fn the_readme_lists_the_dependencies_an_including_crate_needs() {
    let readme = std::fs::read_to_string("../README.md").unwrap();
    let start = readme
        .find("\n## Your own spec\n")
        .expect("README has a section \"Your own spec\"");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    for line in apigen::DEPENDENCIES.lines() {
        assert!(
            section.contains(&format!("\n{line}\n")),
            "README's \"Your own spec\" lacks `{line}`"
        );
    }
}
