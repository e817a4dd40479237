//! The generated crate's TLS backends are cargo features: `rustls` by default,
//! `native-tls`, or neither (`--no-default-features`, for users who bring their own
//! `reqwest::Client`). Each combination resolves to the TLS stack it names and no other
//! (`cargo tree`, cheap), and the two that the workspace's own build does not cover
//! compile (`cargo check` in a target folder of their own: its first run downloads
//! what the workspace build did not need, OpenSSL's bindings, and builds the
//! dependencies once more, without TLS and with OpenSSL, whose headers it needs).

use std::path::{Path, PathBuf};
use std::process::Command;

const RUSTLS: &[&str] = &["rustls ", "hyper-rustls ", "ring "];
const NATIVE: &[&str] = &["native-tls ", "hyper-tls ", "openssl "];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The crates `gong-users` depends on with `features` (normal and build edges).
fn tree(features: &[&str]) -> String {
    let output = Command::new(env!("CARGO"))
        .args(["tree", "-e", "normal,build", "-p", "gong-users"])
        .args(["--prefix", "none"])
        .args(features)
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree {features:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn has_crate(tree: &str, name: &str) -> bool {
    tree.lines().any(|line| line.starts_with(name))
}

fn assert_stack(features: &[&str], present: &[&str], absent: &[&str]) {
    let tree = tree(features);
    assert!(has_crate(&tree, "reqwest "), "{features:?}:\n{tree}");
    for name in present {
        assert!(has_crate(&tree, name), "{features:?} lacks {name}:\n{tree}");
    }
    for name in absent {
        assert!(!has_crate(&tree, name), "{features:?} has {name}:\n{tree}");
    }
}

#[test]
fn default_features_use_rustls_only() {
    assert_stack(&[], RUSTLS, NATIVE);
}

#[test]
fn native_tls_feature_uses_native_tls_only() {
    assert_stack(
        &["--no-default-features", "--features", "native-tls"],
        NATIVE,
        RUSTLS,
    );
}

#[test]
fn no_default_features_has_no_tls_stack() {
    let both: Vec<&str> = RUSTLS.iter().chain(NATIVE).copied().collect();
    assert_stack(&["--no-default-features"], &[], &both);
}

/// A target folder beside the workspace's, so these checks never wait for the lock the
/// running `cargo test` holds, and keep their dependencies between runs.
fn check_target_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    target.join("tls-features")
}

fn cargo_check(features: &[&str]) {
    let output = Command::new(env!("CARGO"))
        .args(["check", "-p", "gong-users", "--features", "blocking"])
        .args(features)
        .env("CARGO_TARGET_DIR", check_target_dir())
        .current_dir(root())
        .output()
        .expect("cargo check runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let hint = if stderr.contains("openssl-sys") {
        "\n(native-tls needs OpenSSL's headers and pkg-config: apt-get install libssl-dev pkg-config)"
    } else {
        ""
    };
    assert!(
        output.status.success(),
        "cargo check -p gong-users {features:?} failed:\n{stderr}{hint}"
    );
}

#[test]
fn the_crate_compiles_without_tls_and_with_native_tls() {
    cargo_check(&["--no-default-features"]);
    cargo_check(&["--no-default-features", "--features", "native-tls"]);
}
