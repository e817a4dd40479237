//! Specs split over files: a spec whose path items, parameter, response and schemas live
//! in other files and folders (with a cycle across files) gives the same client as the
//! same API bundled into one file, with no warning; and references that cannot be
//! followed fail with the file and pointer of the reference.

use std::path::{Path, PathBuf};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(relative)
}

/// The single-file client without its `@generated` line, which names the spec file.
fn client_of(spec: &Path) -> (String, Vec<String>, Vec<PathBuf>) {
    let generated =
        apigen::generate(spec, &apigen::Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let code = generated.single_file().unwrap_or_else(|e| panic!("{e}"));
    let body = code
        .split_once('\n')
        .map_or("", |(_, rest)| rest)
        .to_string();
    let warnings = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    (body, warnings, generated.inputs().to_vec())
}

#[test]
fn a_spec_over_seven_files_generates_the_client_of_its_bundle() {
    let (split, split_warnings, inputs) = client_of(&fixture("multi_file/multi_file.yaml"));
    let (bundled, bundled_warnings, _) = client_of(&fixture("multi_file/bundled.yaml"));
    assert!(split_warnings.is_empty(), "{split_warnings:#?}");
    assert!(bundled_warnings.is_empty(), "{bundled_warnings:#?}");
    assert!(
        split == bundled,
        "the clients differ:\n{split}\n---\n{bundled}"
    );
    // Every file read is an input (for build scripts' rerun-if-changed).
    let names: Vec<String> = inputs
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    for file in [
        "multi_file.yaml",
        "users.yaml",
        "user.yaml",
        "common.yaml",
        "errors.yaml",
        "group.yaml",
        "problem.yaml",
    ] {
        assert!(names.iter().any(|n| n == file), "{file} not in {names:?}");
    }
    assert_eq!(inputs.len(), 8, "{inputs:#?}");
}

fn error_of(dir: &Path, files: &[(&str, &str)]) -> String {
    std::fs::create_dir_all(dir).expect("temp dir");
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("temp dir");
        }
        std::fs::write(path, text).expect("write fixture");
    }
    match apigen::generate(&dir.join(files[0].0), &apigen::Settings::default()) {
        Ok(_) => panic!("{} generated", files[0].0),
        Err(error) => error.to_string(),
    }
}

#[test]
fn references_that_cannot_be_followed_are_located_errors() {
    let dir = std::env::temp_dir().join(format!("apigen-multi-file-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let head =
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
    let missing = error_of(
        &dir.join("missing"),
        &[(
            "api.yaml",
            &format!("{head}    A: {{$ref: 'nope/a.yaml#/A'}}\n"),
        )],
    );
    assert!(
        missing.contains(
            "api.yaml:6:5 at #/components/schemas/A: $ref \"nope/a.yaml#/A\": cannot read"
        ),
        "{missing}"
    );
    let url = error_of(
        &dir.join("url"),
        &[(
            "api.yaml",
            &format!("{head}    A: {{$ref: 'https://example.com/a.yaml'}}\n"),
        )],
    );
    assert!(url.contains("is a URL"), "{url}");
    // A problem inside another file names that file, its line and its own pointer.
    let nothing = error_of(
        &dir.join("nothing"),
        &[
            ("api.yaml", &format!("{head}    A: {{$ref: 'b.yaml#/B'}}\n")),
            ("b.yaml", "B:\n  properties:\n    c: {$ref: '#/C'}\n"),
        ],
    );
    assert!(
        nothing.contains("b.yaml:3:5 at #/B/properties/c: $ref")
            && nothing.contains("points to nothing"),
        "{nothing}"
    );
    let syntax = error_of(
        &dir.join("syntax"),
        &[
            ("api.yaml", &format!("{head}    A: {{$ref: 'b.yaml#/B'}}\n")),
            ("b.yaml", "B: [unclosed\n"),
        ],
    );
    assert!(
        syntax.contains("b.yaml:") && syntax.contains("not valid YAML or JSON"),
        "{syntax}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
