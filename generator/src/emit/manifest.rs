//! The generated crates' `Cargo.toml`s: the client (its runtime crate, the `blocking`
//! feature, what its types need), the runtime (what the runtime code needs) and, when the
//! models are in a crate of their own, the types crate; nothing from the generator. Names and versions are checked by cargo's rules before
//! any file is written, and every value from a spec is quoted by the `toml` crate.

/// The runtime's dependencies after reqwest (the same for both uses).
macro_rules! common_dependencies {
    () => {
        r#"serde = "1"
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
percent-encoding = "2"
base64 = "0.22"
bytes = "1"
futures-core = "0.3"
futures-util = { version = "0.3", default-features = false }
tokio = { version = "1", default-features = false, features = ["time", "fs", "io-util"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#
    };
}

/// Dependencies of the runtime crate, as `Cargo.toml` lines. A project that includes a
/// generated client with `include!` (runtime inlined) needs these.
///
/// TLS is reqwest's: `rustls-tls` here (rustls with ring and the webpki roots). Write
/// `features = ["native-tls"]` for the platform's TLS (OpenSSL on Linux, whose headers the
/// build then needs), or no feature at all for a crate that speaks plain `http://` or sends
/// through a `reqwest::Client` of its own (`ClientConfig::with_http_client`).
pub const DEPENDENCIES: &str = concat!(
    r#"reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "stream"] }
"#,
    common_dependencies!()
);

/// The runtime crate's reqwest: no TLS of its own, which the crate's features choose.
const RUNTIME_REQWEST: &str =
    "reqwest = { version = \"0.12\", default-features = false, features = [\"stream\"] }\n";

/// The runtime crate's features: how it talks HTTPS.
const RUNTIME_FEATURES: &str = r#"[features]
default = ["rustls"]
# HTTPS through rustls (pure Rust, with ring and the webpki roots).
rustls = ["reqwest/rustls-tls"]
# HTTPS through the platform's TLS (OpenSSL on Linux: its headers are needed to build).
native-tls = ["reqwest/native-tls"]
# Neither (`default-features = false`): plain http:// only, unless the client is given a
# reqwest::Client of your own (`ClientConfig::with_http_client`), which brings its TLS.
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
    /// The types crate's package name, when the models are in a crate of their own
    /// (`types/`, beside `runtime/`).
    pub types: Option<&'a str>,
}

fn package_section(package: &Package) -> String {
    format!(
        r#"{header}
[package]
name = {name}
version = {version}
edition = "2021"
description = {description}
publish = false

[lib]
path = "src/lib.rs"
"#,
        header = package.header,
        name = toml_string(package.name),
        version = toml_string(package.version),
        description = toml_string(&one_line(package.description)),
    )
}

/// `text` on one line without control characters: cargo hands the description to rustc
/// in an environment variable, which cannot hold a NUL, and it is one line in listings.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` as a TOML string, quoted and escaped by the `toml` crate (a spec's title can
/// hold quotes, backslashes, line breaks and control characters).
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Rust keywords and the names of the standard crates, which a package (whose library is
/// named after it) cannot take.
const RESERVED_NAMES: &[&str] = &[
    "Self",
    "abstract",
    "alloc",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "core",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "proc_macro",
    "pub",
    "ref",
    "return",
    "self",
    "static",
    "std",
    "struct",
    "super",
    "test",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// Checks a package name by cargo's rules, kept to what every tool accepts: ASCII letters,
/// digits, `-` and `_`, starting with a letter, at most 64 characters (what registries
/// take), and not a keyword
/// or a standard crate's name (the library is named after the package). The error says
/// what is wrong.
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    let problem = if name.is_empty() {
        Some("it is empty".to_string())
    } else if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(format!(
            "{c:?} is not allowed (only ASCII letters, digits, `-` and `_`)"
        ))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must start with a letter".to_string())
    } else if name.len() > 64 {
        Some("it is longer than 64 characters".to_string())
    } else if RESERVED_NAMES.contains(&name.replace('-', "_").as_str()) {
        Some("it is a Rust keyword or a standard crate's name".to_string())
    } else {
        None
    };
    match problem {
        Some(problem) => Err(format!("invalid crate name {name:?}: {problem}")),
        None => Ok(()),
    }
}

/// Checks a package version: a semantic version, as cargo requires.
pub fn validate_crate_version(version: &str) -> Result<(), String> {
    semver::Version::parse(version).map(|_| ()).map_err(|e| {
        format!(
            "invalid crate version {version:?}: {e} (cargo needs a semantic version such as 1.2.3)"
        )
    })
}

/// The client crate's manifest: the runtime crate, and what the types and the blocking
/// client need.
pub fn client_manifest(package: &Package) -> String {
    let uuid = uuid_dependency(package);
    let types = package.types.map_or_else(String::new, |types| {
        format!(
            "{types} = {{ path = \"types\", version = {} }}\n",
            toml_string(package.version)
        )
    });
    let runtime_feature = |feature: &str| toml_string(&format!("{}/{feature}", package.runtime));
    format!(
        r#"{section}
[features]
default = ["rustls"]
# HTTPS through rustls (pure Rust, with ring and the webpki roots).
rustls = [{rustls}]
# HTTPS through the platform's TLS (OpenSSL on Linux: its headers are needed to build).
native-tls = [{native_tls}]
# Neither (`default-features = false`): plain http:// only, unless the client is given a
# reqwest::Client of your own (`ClientConfig::with_http_client`), which brings its TLS.

# A blocking client (`blocking::Client`) for programs without an async runtime.
blocking = ["dep:tokio"]

[dependencies]
{runtime} = {{ path = "runtime", version = {version}, default-features = false }}
{types}serde = "1"
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
tokio = {{ version = "1", default-features = false, features = ["rt"], optional = true }}
{uuid}"#,
        section = package_section(package),
        rustls = runtime_feature("rustls"),
        native_tls = runtime_feature("native-tls"),
        runtime = package.runtime,
        version = toml_string(package.version),
    )
}

/// `uuid`, when the API uses it.
fn uuid_dependency(package: &Package) -> &'static str {
    if package.uses_uuid {
        "uuid = { version = \"1\", default-features = false, features = [\"serde\"] }\n"
    } else {
        ""
    }
}

/// The types crate's manifest: the runtime (for the models' readers and writers, without
/// its TLS features) and what the models name.
pub fn types_manifest(package: &Package) -> String {
    format!(
        r#"{section}
[dependencies]
{runtime} = {{ path = "../runtime", version = {version}, default-features = false }}
serde = "1"
serde_json = "1"
chrono = {{ version = "0.4", default-features = false, features = ["serde", "std"] }}
{uuid}"#,
        section = package_section(package),
        runtime = package.runtime,
        version = toml_string(package.version),
        uuid = uuid_dependency(package),
    )
}

/// The runtime crate's manifest.
pub fn runtime_manifest(package: &Package) -> String {
    format!(
        "{}\n{RUNTIME_FEATURES}\n[dependencies]\n{RUNTIME_REQWEST}{}",
        package_section(package),
        common_dependencies!()
    )
}
