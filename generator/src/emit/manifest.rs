//! The generated crate's `Cargo.toml`: its name, the `blocking` feature, and the runtime
//! dependencies the emitted code and the runtime module use (and nothing from the
//! generator).

/// Dependencies of every generated crate, as `Cargo.toml` lines. A project that includes a
/// generated client with `include!` needs the same ones.
pub const DEPENDENCIES: &str = r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
percent-encoding = "2"
base64 = "0.22"
futures-core = "0.3"
tokio = { version = "1", default-features = false, features = ["time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#;

/// Dependencies only some APIs need: the `uuid` crate, for `format: uuid`.
pub const UUID_DEPENDENCY: &str =
    "uuid = { version = \"1\", default-features = false, features = [\"serde\"] }\n";

/// The manifest text; `extra` holds dependency lines beyond [`DEPENDENCIES`].
pub fn manifest(header: &str, name: &str, version: &str, description: &str, extra: &str) -> String {
    let description = description.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"{header}
[package]
name = "{name}"
version = "{version}"
edition = "2021"
description = "{description}"
publish = false

[lib]
path = "src/lib.rs"

[features]
# A blocking client (`blocking::Client`) for programs without an async runtime.
blocking = ["tokio/rt"]

[dependencies]
{DEPENDENCIES}{extra}"#
    )
}
