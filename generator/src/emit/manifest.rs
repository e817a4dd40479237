//! The generated crates' `Cargo.toml`s: the client (its runtime crate, the `blocking`
//! feature, what its types need) and the runtime (what the runtime code needs), and
//! nothing from the generator.

/// Dependencies of the runtime crate, as `Cargo.toml` lines. A project that includes a
/// generated client with `include!` (runtime inlined) needs these.
pub const DEPENDENCIES: &str = r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde = "1"
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
percent-encoding = "2"
base64 = "0.22"
futures-core = "0.3"
tokio = { version = "1", default-features = false, features = ["time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#;

/// What a manifest says about its package.
pub struct Package<'a> {
    /// The `# @generated` header.
    pub header: &'a str,
    /// Package name.
    pub name: &'a str,
    /// Package version.
    pub version: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// The runtime crate's package name (a path dependency at `runtime/`).
    pub runtime: &'a str,
    /// Whether the client needs `uuid`.
    pub uses_uuid: bool,
}

fn package_section(package: &Package) -> String {
    let description = package
        .description
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
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
"#,
        header = package.header,
        name = package.name,
        version = package.version,
    )
}

/// The client crate's manifest: the runtime crate, and what the types and the blocking
/// client need.
pub fn client_manifest(package: &Package) -> String {
    let uuid = if package.uses_uuid {
        "uuid = { version = \"1\", default-features = false, features = [\"serde\"] }\n"
    } else {
        ""
    };
    format!(
        r#"{section}
[features]
# A blocking client (`blocking::Client`) for programs without an async runtime.
blocking = ["dep:tokio"]

[dependencies]
{runtime} = {{ path = "runtime", version = "{version}" }}
serde = "1"
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
tokio = {{ version = "1", default-features = false, features = ["rt"], optional = true }}
{uuid}"#,
        section = package_section(package),
        runtime = package.runtime,
        version = package.version,
    )
}

/// The runtime crate's manifest.
pub fn runtime_manifest(package: &Package) -> String {
    format!(
        "{}\n[dependencies]\n{DEPENDENCIES}",
        package_section(package)
    )
}
