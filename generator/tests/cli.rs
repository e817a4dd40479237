//! The `apigen` command as scripts use it: `--help`, `--version`, `generate`, `check`, exit
//! codes, and error messages for bad specs (file, line, JSON pointer), pinned in
//! `tests/bad/*.stderr`, and for bad overlays (`--overlay`), in `tests/bad_overlay/*.stderr`.
//! The generated help is pinned byte for byte in `tests/cli/*.stdout`.
//!
//! Refresh the pinned help and messages with `UPDATE_SNAPSHOTS=1 cargo test -p apigen --test cli`
//! and read the diff.

use std::path::{Path, PathBuf};

mod support;
use support::{apigen, scratch, text};

/// Runs `args`, which must succeed with nothing on stderr; returns stdout.
fn stdout_of_success(args: &[&str]) -> String {
    let out = apigen(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stderr), "", "{args:?}");
    text(&out.stdout)
}

const GONG: &str = "../spec/gong-users.yaml";

#[test]
fn help_describes_the_contract() {
    for flag in ["--help", "-h", "help"] {
        let stdout = stdout_of_success(&[flag]);
        assert!(stdout.contains("Usage: apigen"), "{stdout}");
        for command in ["generate", "check"] {
            assert!(stdout.contains(&format!("\n  {command} ")), "{stdout}");
        }
        assert!(stdout.contains("-V, --version"), "{stdout}");
        assert!(stdout.contains("2 usage error"), "{stdout}");
    }
    for command in ["generate", "check"] {
        for args in [[command, "--help"], [command, "-h"], ["help", command]] {
            let stdout = stdout_of_success(&args);
            let usage = format!("Usage: apigen {command} [OPTIONS] --out <DIR> <SPEC>");
            assert!(stdout.contains(&usage), "{args:?}: {stdout}");
            for flag in [
                "--crate-name <NAME>",
                "--crate-version <VERSION>",
                "--overlay <FILE>",
            ] {
                assert!(stdout.contains(flag), "{args:?}: {stdout}");
            }
        }
    }
    // No arguments at all: the top-level help, exit 0.
    assert_eq!(stdout_of_success(&[]), stdout_of_success(&["--help"]));
}

/// The generated help, byte for byte: a change to a flag or a help text shows up here as a
/// diff to read (`UPDATE_SNAPSHOTS=1` accepts it).
#[test]
fn help_matches_the_pinned_text() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let mut mismatched = Vec::new();
    for (args, file) in [
        (&["--help"][..], "help.stdout"),
        (&["generate", "--help"], "generate-help.stdout"),
        (&["check", "--help"], "check-help.stdout"),
    ] {
        let stdout = stdout_of_success(args);
        let pinned = dir.join(file);
        if std::fs::read_to_string(&pinned).ok().as_deref() != Some(stdout.as_str()) {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&pinned, &stdout).unwrap();
            } else {
                mismatched.push(format!(
                    "apigen {}  (tests/cli/{file}):\n{stdout}",
                    args.join(" ")
                ));
            }
        }
    }
    assert!(
        mismatched.is_empty(),
        "help changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn version_prints_the_package_version() {
    let expected = format!("apigen {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        assert_eq!(stdout_of_success(&[flag]), expected, "{flag}");
    }
}

#[test]
fn usage_errors_exit_two() {
    for (args, names) in [
        // An unknown subcommand.
        (&["frob", GONG][..], "unrecognized subcommand 'frob'"),
        // A missing --out (required).
        (&["generate", GONG], "--out <DIR>"),
        (&["check", GONG], "--out <DIR>"),
        // --out without its value.
        (&["generate", GONG, "--out"], "--out <DIR>"),
        // An unknown flag.
        (
            &["generate", GONG, "--out", "o", "--zzz"],
            "unexpected argument '--zzz'",
        ),
        (&["--zzz"], "unexpected argument '--zzz'"),
        // A missing spec, and one too many.
        (&["check", "--out", "o"], "<SPEC>"),
        (&["check", GONG, GONG, "--out", "o"], "unexpected argument"),
    ] {
        let out = apigen(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(text(&out.stdout), "", "{args:?}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(
            stderr.contains(names),
            "{args:?} should say {names}: {stderr}"
        );
        assert!(stderr.contains("try '--help'"), "{args:?}: {stderr}");
    }
}

#[test]
fn generate_then_check_is_fresh_and_edits_are_reported_stale() {
    let out_dir = scratch("fresh");
    let out = out_dir.to_str().unwrap();
    let generate = apigen(&["generate", GONG, "--out", out]);
    assert!(generate.status.success(), "{}", text(&generate.stderr));
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/types.rs",
        "src/errors.rs",
        "src/client.rs",
        "runtime/Cargo.toml",
        "runtime/src/lib.rs",
        "runtime/src/http.rs",
    ] {
        assert!(out_dir.join(file).is_file(), "{file} missing");
    }
    let check = apigen(&["check", GONG, "--out", out]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("is fresh"));

    // A second generate writes nothing.
    let again = apigen(&["generate", GONG, "--out", out]);
    let stdout = text(&again.stdout);
    assert!(stdout.starts_with("wrote 0 of "), "{stdout}");
    assert!(!stdout.contains("(0 unchanged)"), "{stdout}");

    // A hand edit makes check fail, naming the file and the refresh command.
    let types = out_dir.join("src/types.rs");
    let edited = std::fs::read_to_string(&types).unwrap() + "\n// edited\n";
    std::fs::write(&types, edited).unwrap();
    let stale = apigen(&["check", GONG, "--out", out]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(stderr.contains("src/types.rs"), "{stderr}");
    assert!(!stderr.contains("src/client.rs"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cargo run -p apigen -- generate {GONG} --out {out}"
        )),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn types_crate_separate_puts_the_models_in_a_crate_beside_the_client() {
    let out_dir = scratch("types-crate");
    let out = out_dir.to_str().unwrap();
    // Gong's few models stay a module by default.
    stdout_of_success(&["generate", GONG, "--out", out]);
    assert!(out_dir.join("src/types.rs").is_file());
    assert!(!out_dir.join("types").exists());
    let _ = std::fs::remove_dir_all(&out_dir);

    stdout_of_success(&["generate", GONG, "--out", out, "--types-crate", "separate"]);
    let read = |file: &str| {
        std::fs::read_to_string(out_dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    assert!(!out_dir.join("src/types.rs").exists());
    assert!(read("types/src/types.rs").contains("pub struct User {"));
    let types_lib = read("types/src/lib.rs");
    assert!(types_lib.contains("pub mod types;"), "{types_lib}");
    assert!(
        types_lib.contains("pub use ::gong_users_runtime as runtime;"),
        "{types_lib}"
    );
    let types_manifest = read("types/Cargo.toml");
    assert!(
        types_manifest.contains("name = \"gong-users-types\""),
        "{types_manifest}"
    );
    assert!(
        types_manifest.contains("gong-users-runtime = { path = \"../runtime\""),
        "{types_manifest}"
    );
    // The client re-exports the types crate's module, so every path stays the same.
    let lib = read("src/lib.rs");
    assert!(lib.contains("pub use ::gong_users_types::types;"), "{lib}");
    assert!(!lib.contains("pub mod types;"), "{lib}");
    let manifest = read("Cargo.toml");
    assert!(
        manifest.contains("gong-users-types = { path = \"types\""),
        "{manifest}"
    );
    // `check` knows the layout: fresh as written, stale after an edit of the types crate.
    let check = apigen(&["check", GONG, "--out", out, "--types-crate", "separate"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let inline = apigen(&["check", GONG, "--out", out]);
    assert_eq!(inline.status.code(), Some(1), "{}", text(&inline.stderr));
    let bad = apigen(&["generate", GONG, "--out", out, "--types-crate", "split"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(text(&bad.stderr).contains("unknown types-crate value"));
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn bad_specs_fail_with_location_and_pinned_message() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    specs.sort();
    assert!(specs.len() >= 8, "bad spec fixtures missing");
    let mut mismatched = Vec::new();
    for spec in specs {
        let relative = format!("tests/bad/{}", spec.file_name().unwrap().to_str().unwrap());
        let out = apigen(&[
            "generate",
            &relative,
            "--out",
            scratch("bad").to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{relative} should fail with exit 1"
        );
        let stderr = text(&out.stderr);
        assert!(
            stderr.starts_with(&format!("error: {relative}")),
            "{relative}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{relative}: {stderr}");
        let pinned = spec.with_extension("stderr");
        if std::fs::read_to_string(&pinned).ok().as_deref() != Some(stderr.as_str()) {
            if update {
                std::fs::write(&pinned, &stderr).unwrap();
            } else {
                mismatched.push(format!("{relative}:\n{stderr}"));
            }
        }
    }
    assert!(
        mismatched.is_empty(),
        "messages changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn tolerated_mistakes_warn_with_pointers_and_generate() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/warn");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 2, "warning fixtures missing");
    let mut mismatched = Vec::new();
    for spec in specs {
        let relative = format!("tests/warn/{}", spec.file_name().unwrap().to_str().unwrap());
        let out = apigen(&[
            "generate",
            &relative,
            "--out",
            scratch("warn").to_str().unwrap(),
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{relative} should generate: {stderr}"
        );
        assert!(!stderr.is_empty(), "{relative} should warn");
        for line in stderr.lines() {
            assert!(line.starts_with(&format!("warning: {relative}:")), "{line}");
            assert!(line.contains(" at #/"), "no pointer: {line}");
        }
        let pinned = spec.with_extension("stderr");
        if std::fs::read_to_string(&pinned).ok().as_deref() != Some(stderr.as_str()) {
            if update {
                std::fs::write(&pinned, &stderr).unwrap();
            } else {
                mismatched.push(format!("{relative}:\n{stderr}"));
            }
        }
    }
    assert!(
        mismatched.is_empty(),
        "warnings changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn crate_names_and_versions_cargo_refuses_are_errors_not_panics() {
    let out_dir = scratch("names");
    let out = out_dir.to_str().expect("utf-8 temp dir");
    for (flag, value, expected) in [
        (
            "--crate-name",
            "my.api",
            "invalid crate name \"my.api\": '.' is not allowed",
        ),
        (
            "--crate-name",
            "bad name!",
            "invalid crate name \"bad name!\": ' ' is not allowed",
        ),
        ("--crate-name", "9lives", "it must start with a letter"),
        (
            "--crate-name",
            "async",
            "it is a Rust keyword or a standard crate's name",
        ),
        (
            "--crate-version",
            "not a version",
            "invalid crate version \"not a version\"",
        ),
    ] {
        let result = apigen(&[
            "generate",
            "../spec/gong-users.yaml",
            "--out",
            out,
            flag,
            value,
        ]);
        let stderr = text(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{flag} {value}: {stderr}");
        assert!(
            stderr.starts_with("error: ../spec/gong-users.yaml: ") && stderr.contains(expected),
            "{flag} {value}: {stderr}"
        );
        assert!(!out_dir.exists(), "nothing is written for {flag} {value}");
    }
}

/// Overlays with mistakes: each `tests/bad_overlay/*.yaml` but `spec.yaml` is applied to
/// `tests/bad_overlay/spec.yaml`, and what the command prints on stderr is pinned beside it
/// (`.stderr`). Those named `warn_*` generate (exit 0) with located warnings; the others
/// fail (exit 1) with one located error, in the overlay file unless the overlay left the
/// spec invalid.
#[test]
fn bad_overlays_fail_with_location_and_pinned_message() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_overlay");
    let spec = "tests/bad_overlay/spec.yaml";
    let mut overlays: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".yaml") && name != "spec.yaml")
        .collect();
    overlays.sort();
    assert!(overlays.len() >= 8, "bad overlay fixtures missing");
    let mut mismatched = Vec::new();
    for name in overlays {
        let relative = format!("tests/bad_overlay/{name}");
        let out_dir = scratch("bad-overlay");
        let out = apigen(&[
            "generate",
            spec,
            "--overlay",
            &relative,
            "--out",
            out_dir.to_str().unwrap(),
        ]);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{relative}: {stderr}");
        if name.starts_with("warn_") {
            assert_eq!(out.status.code(), Some(0), "{relative}: {stderr}");
            assert!(!stderr.is_empty(), "{relative} should warn");
            for line in stderr.lines() {
                let located = format!("warning: {relative}:");
                assert!(line.starts_with(&located), "{line}");
                assert!(line.contains(" at #/actions/"), "no pointer: {line}");
            }
        } else {
            assert_eq!(out.status.code(), Some(1), "{relative}: {stderr}");
            assert_eq!(stderr.lines().count(), 1, "{relative}: {stderr}");
            assert!(
                stderr.starts_with(&format!("error: {relative}:"))
                    || stderr.ends_with("(in the spec as the overlays left it)\n"),
                "{relative}: {stderr}"
            );
            assert!(!out_dir.exists(), "{relative}: nothing is written");
        }
        let _ = std::fs::remove_dir_all(&out_dir);
        let pinned = dir.join(&name).with_extension("stderr");
        if std::fs::read_to_string(&pinned).ok().as_deref() != Some(stderr.as_str()) {
            if update {
                std::fs::write(&pinned, &stderr).unwrap();
            } else {
                mismatched.push(format!("{relative}:\n{stderr}"));
            }
        }
    }
    assert!(
        mismatched.is_empty(),
        "messages changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        mismatched.join("\n")
    );
}

/// `--overlay` on both commands: the overlays change what is generated (so `check` without
/// them finds the crate stale, and names them in the refresh command when given), and a
/// missing overlay file is an error naming it.
#[test]
fn overlays_apply_to_generate_and_check() {
    let spec = "../tests/fixtures/overlays/widgets.yaml";
    let paging = "../tests/fixtures/overlays/paging.yaml";
    let fix_types = "../tests/fixtures/overlays/fix-types.yaml";
    let out_dir = scratch("overlays");
    let out = out_dir.to_str().unwrap();
    let overlaid = ["--overlay", paging, "--overlay", fix_types, "--out", out];
    let generate: Vec<&str> = [&["generate", spec][..], &overlaid].concat();
    let stdout = stdout_of_success(&generate);
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let client = std::fs::read_to_string(out_dir.join("src/client.rs")).unwrap();
    assert!(
        client.contains("fn list_widgets_stream"),
        "paging was not added"
    );
    let check: Vec<&str> = [&["check", spec][..], &overlaid].concat();
    assert!(stdout_of_success(&check).contains("is fresh"));

    // Without the type fix, the crate is stale; the refresh command keeps the overlays given.
    let stale = apigen(&["check", spec, "--overlay", paging, "--out", out]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(stderr.contains("src/types.rs"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cargo run -p apigen -- generate {spec} --out {out} --overlay {paging}\n"
        )),
        "{stderr}"
    );

    let missing = "tests/bad_overlay/no-such-overlay.yaml";
    for command in ["generate", "check"] {
        let result = apigen(&[command, spec, "--overlay", missing, "--out", out]);
        let stderr = text(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{command}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {missing}: cannot read the overlay: ")),
            "{command}: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&out_dir);
}
