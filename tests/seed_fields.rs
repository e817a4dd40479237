//! Guards `spec/gong-users.yaml` against drifting from its source.
//!
//! The spec is hand-written from Gong's official "Retrieve user
//! (/v2/users/{id})" page of its public API reference, whose text is kept in
//! this repository as a test fixture,
//! `tests/fixtures/gong-seed/retrieve-user.txt` (see the `README.md` beside
//! it for its source). These tests re-read that page and check that:
//!
//! * every field name the page documents is a property of some schema under
//!   `components/schemas` (at any depth, array items included) or the name of
//!   a parameter, so a field dropped or misspelt in the spec fails the build;
//! * every status code the page lists for `GET /v2/users/{id}` is declared
//!   under `paths./v2/users/{id}.get.responses`.
//!
//! The expected names and codes are derived from the page text, never
//! hard-coded. On that page a field is a line holding a bare identifier
//! followed by a line holding its type (`string`, `boolean`, `integer`,
//! `Array of string`, `object (Settings)`, `Array of object (…)`), which may
//! carry a `Required` suffix (`stringRequired`).

use serde_json::Value;
use std::collections::BTreeSet;

const SEED_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/gong-seed/retrieve-user.txt"
);
const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/gong-users.yaml");

/// The fewest field names a working extractor finds on the seed page (it
/// documents about thirty); fewer means the extractor is broken.
const MIN_SEED_FIELDS: usize = 25;

fn read_file(path: &str, what: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read the {what} at {path}: {err}"))
}

fn seed_lines() -> Vec<String> {
    read_file(SEED_PATH, "seed page")
        .lines()
        .map(|line| line.trim().to_owned())
        .collect()
}

fn load_spec() -> Value {
    let text = read_file(SPEC_PATH, "spec");
    serde_yaml::from_str(&text)
        .unwrap_or_else(|err| panic!("{SPEC_PATH} is not a valid YAML document: {err}"))
}

/// A bare identifier such as `emailAddress`: `^[a-z][A-Za-z]*$`.
fn is_identifier(line: &str) -> bool {
    let mut chars = line.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphabetic())
}

/// A type line as the page renders it: `string`, `boolean`, `integer`,
/// `Array of string`, `object (UserMetadata)`, `Array of object
/// (spokenLanguage)`, each optionally followed by `Required`.
fn is_type_line(line: &str) -> bool {
    let line = line.strip_suffix("Required").unwrap_or(line);
    let line = line.strip_prefix("Array of ").unwrap_or(line);
    match line.split_once(" (") {
        Some((base, rest)) => base == "object" && rest.len() > 1 && rest.ends_with(')'),
        None => matches!(line, "string" | "boolean" | "integer" | "number"),
    }
}

/// Every field name the seed page documents, each once.
fn seed_field_names(lines: &[String]) -> BTreeSet<String> {
    lines
        .windows(2)
        .filter(|pair| {
            let (name, kind) = (pair[0].as_str(), pair[1].as_str());
            // A type word such as `string` is itself an identifier; it never names a field.
            is_identifier(name) && name != "object" && !is_type_line(name) && is_type_line(kind)
        })
        .map(|pair| pair[0].clone())
        .collect()
}

/// Adds the name of every property of every schema in `node`, at any depth.
fn collect_property_names(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    // Literal data, not schemas.
                    ("example" | "examples" | "default" | "enum", _) => {}
                    ("properties", Value::Object(properties)) => {
                        for (name, schema) in properties {
                            out.insert(name.clone());
                            collect_property_names(schema, out);
                        }
                    }
                    _ => collect_property_names(value, out),
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_property_names(item, out);
            }
        }
        _ => {}
    }
}

/// Adds the name of every parameter object (one with string `name` and `in`)
/// found in `node`, at any depth.
fn collect_parameter_names(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let (Some(Value::String(name)), Some(Value::String(_))) =
                (map.get("name"), map.get("in"))
            {
                out.insert(name.clone());
            }
            for value in map.values() {
                collect_parameter_names(value, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_parameter_names(item, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_seed_field_is_in_the_spec() {
    let seed_names = seed_field_names(&seed_lines());
    assert!(
        seed_names.len() >= MIN_SEED_FIELDS,
        "found only {} field names in {SEED_PATH} (expected at least {MIN_SEED_FIELDS}); \
         the extractor or the seed page is broken: {seed_names:?}",
        seed_names.len(),
    );

    let spec = load_spec();
    let schemas = spec
        .pointer("/components/schemas")
        .unwrap_or_else(|| panic!("{SPEC_PATH} has no components/schemas"));
    let mut spec_names = BTreeSet::new();
    collect_property_names(schemas, &mut spec_names);
    for section in ["/components/parameters", "/paths"] {
        if let Some(node) = spec.pointer(section) {
            collect_parameter_names(node, &mut spec_names);
        }
    }

    let missing: Vec<&String> = seed_names.difference(&spec_names).collect();
    assert!(
        missing.is_empty(),
        "{} of the {} field names documented in {SEED_PATH} are neither a schema property \
         nor a parameter name in {SPEC_PATH}: {missing:?}",
        missing.len(),
        seed_names.len(),
    );
}

#[test]
fn every_seed_status_code_is_declared_for_get_user() {
    let lines = seed_lines();
    let start = lines
        .iter()
        .position(|line| line == "Responses")
        .unwrap_or_else(|| panic!("no \"Responses\" line in {SEED_PATH}"));
    let seed_codes: BTreeSet<&str> = lines[start + 1..]
        .iter()
        .map(String::as_str)
        .filter(|line| line.len() == 3 && line.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert!(
        seed_codes.iter().any(|code| code.starts_with('2')),
        "found no 2xx status code after \"Responses\" in {SEED_PATH}: {seed_codes:?}",
    );

    let spec = load_spec();
    let responses = spec
        .get("paths")
        .and_then(|paths| paths.get("/v2/users/{id}"))
        .and_then(|path| path.get("get"))
        .and_then(|operation| operation.get("responses"))
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("{SPEC_PATH} has no paths./v2/users/{{id}}.get.responses"));

    let missing: Vec<&str> = seed_codes
        .iter()
        .copied()
        .filter(|code| !responses.contains_key(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "status codes listed in {SEED_PATH} for GET /v2/users/{{id}} but missing from \
         {SPEC_PATH}: {missing:?} (the spec declares {:?})",
        responses.keys().collect::<Vec<_>>(),
    );
}
