//! Settings from the command line and config files, end to end through the `apigen`
//! command: each bad setting fails with exit 1 and one message, located in the config
//! file (line and column) or naming the flag, pinned in `tests/settings/*.stderr`; a good
//! config file generates, and its flags add to it.
//!
//! Refresh the pinned messages with `UPDATE_SNAPSHOTS=1 cargo test -p apigen --test settings`
//! and read the diff.

use std::path::PathBuf;

mod support;
use support::{apigen, scratch, text};

/// The settings fixture (a spec with tags, paths and schemas for every setting).
const STORE: &str = "../tests/fixtures/settings/store.yaml";

/// Bad settings: the pinned file's name, and the arguments after `generate SPEC --out DIR`.
const BAD: &[(&str, &[&str])] = &[
    (
        "unknown_key",
        &["--config", "tests/settings/unknown_key.toml"],
    ),
    (
        "unmatched_tag",
        &["--config", "tests/settings/unmatched_tag.toml"],
    ),
    (
        "bad_type_path",
        &["--config", "tests/settings/bad_type_path.toml"],
    ),
    (
        "unmatched_schema",
        &["--config", "tests/settings/unmatched_schema.toml"],
    ),
    (
        "method_name_taken",
        &["--config", "tests/settings/method_name_taken.toml"],
    ),
    (
        "unmatched_operation_flag",
        &["--exclude-operation", "removePet"],
    ),
    ("unmatched_path_flag", &["--include-path", "/stores/**"]),
    ("bad_path_pattern_flag", &["--exclude-path", "/pets/[id"]),
    ("bad_derive_flag", &["--derive", "Eq + Hash"]),
    (
        "type_name_taken_flag",
        &["--rename-type", "Order=AuditEntry"],
    ),
];

#[test]
fn bad_settings_fail_with_one_located_pinned_line() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/settings");
    let out_dir = scratch("bad");
    let mut mismatched = Vec::new();
    for (name, extra) in BAD {
        let mut args = vec!["generate", STORE, "--out", out_dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = apigen(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.starts_with("error: "), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
        assert!(!out_dir.exists(), "{name}: wrote output");
        let pinned = dir.join(format!("{name}.stderr"));
        if std::fs::read_to_string(&pinned).ok().as_deref() != Some(stderr.as_str()) {
            if update {
                std::fs::write(&pinned, &stderr).unwrap();
            } else {
                mismatched.push(format!("{name}:\n{stderr}"));
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
fn a_type_pagination_reads_cannot_be_replaced() {
    for schema in ["UsersMetadata", "Records"] {
        let replace = format!("{schema}=serde_json::Value");
        let out = apigen(&[
            "check",
            "../spec/gong-users.yaml",
            "--out",
            "unused",
            "--replace",
            &replace,
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let expected = format!(
            "error: ../spec/gong-users.yaml: cannot replace `{schema}`: operation `listUsers` \
             pages through its fields (x-pagination) (from --replace)\n"
        );
        assert_eq!(stderr, expected);
    }
}

#[test]
fn config_file_and_flags_generate_together() {
    let out_dir = scratch("good");
    let out = out_dir.to_str().unwrap();
    let config = "../tests/fixtures/settings/apigen.toml";
    let generate = apigen(&[
        "generate",
        STORE,
        "--out",
        out,
        "--config",
        config,
        "--derive",
        "PartialOrd",
        "--rename-operation",
        "getPet=pet",
    ]);
    assert!(generate.status.success(), "{}", text(&generate.stderr));
    let types = std::fs::read_to_string(out_dir.join("src/types.rs")).unwrap();
    let client = std::fs::read_to_string(out_dir.join("src/client.rs")).unwrap();
    // The file's settings...
    assert!(
        types.contains("pub type Timestamp = chrono::NaiveDateTime;"),
        "{types}"
    );
    assert!(types.contains("pub struct Pet {"), "{types}");
    assert!(!types.contains("AdminReport"), "{types}");
    assert!(types.contains("pub struct AuditEntry {"), "{types}");
    assert!(has_method(&client, "all_pets"), "{client}");
    assert!(!has_method(&client, "delete_pet"), "{client}");
    // ... and the flags' on top.
    assert!(
        types.contains("#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd)]"),
        "{types}"
    );
    assert!(has_method(&client, "pet"), "{client}");
    let manifest = std::fs::read_to_string(out_dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"store-client\""), "{manifest}");
    // `check` reads the same settings: fresh with them, stale without.
    let check = apigen(&[
        "check",
        STORE,
        "--out",
        out,
        "--config",
        config,
        "--derive",
        "PartialOrd",
        "--rename-operation",
        "getPet=pet",
    ]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let stale = apigen(&["check", STORE, "--out", out, "--config", config]);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stderr));
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn a_pair_flag_without_equals_is_a_usage_error() {
    let out = apigen(&["generate", STORE, "--out", "o", "--replace", "Timestamp"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("expected NAME=VALUE"), "{stderr}");
}

/// Whether the client source declares the method `name` (with or without generics:
/// `pub fn pet(` or `pub fn pet<'a>(`).
fn has_method(client: &str, name: &str) -> bool {
    client.contains(&format!("pub fn {name}(")) || client.contains(&format!("pub fn {name}<"))
}
