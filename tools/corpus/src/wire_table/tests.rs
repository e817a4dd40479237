//! Correlation, classification and the table, without Prism.

use super::*;

fn outcome(operation: &str, method: &str, path: &str, kind: &str, status: Option<u16>) -> Outcome {
    Outcome {
        operation: operation.to_string(),
        method: method.to_string(),
        path: path.to_string(),
        kind: kind.to_string(),
        status,
        detail: String::new(),
    }
}

fn record(method: &str, target: &str, status: u16, violations: Option<&str>) -> Record {
    Record {
        method: method.to_string(),
        target: target.to_string(),
        status: Some(status),
        violations: violations.map(str::to_string),
        prism_error: None,
        error: None,
    }
}

#[test]
fn templates_fit_paths() {
    assert!(path_fits("/pets/{id}", "/pets/12?x=1"));
    assert!(path_fits("/pets", "/pets"));
    assert!(path_fits("/pets/", "/pets"));
    assert!(!path_fits("/pets/{id}", "/pets"));
    assert!(!path_fits("/pets/{id}", "/cats/12"));
    assert!(path_fits("/files/{name}.json", "/files/a.b.json"));
    assert!(!path_fits("/files/{name}.json", "/files/a.xml"));
    assert!(path_fits("/v{major}.{minor}/x", "/v1.2/x"));
    assert!(!path_fits("/v{major}.{minor}/x", "/v12/x"));
    assert!(!path_fits("/a/{b}", "/a/b/c"));
}

#[test]
fn outcomes_take_their_own_records_and_calls_without_one_take_none() {
    let outcomes = vec![
        outcome("list", "GET", "/pets", "decoded", Some(200)),
        outcome("add", "POST", "/pets", "skipped", None),
        // Refused before sending: no record.
        outcome("get", "GET", "/pets/{id}", "transport", None),
        outcome(
            "delete",
            "DELETE",
            "/pets/{id}",
            "declared_error",
            Some(404),
        ),
    ];
    let records = vec![
        record("GET", "/pets?limit=1", 200, None),
        record("DELETE", "/pets/7", 404, Some("[]")),
    ];
    let pairs = correlate(outcomes, &records);
    assert_eq!(
        pairs[0].1.as_ref().map(|r| r.target.as_str()),
        Some("/pets?limit=1")
    );
    assert_eq!(pairs[1].1, None);
    assert_eq!(pairs[2].1, None);
    assert_eq!(
        pairs[3].1.as_ref().map(|r| r.target.as_str()),
        Some("/pets/7")
    );
}

#[test]
fn violations_with_errors_are_rejections() {
    let header = r#"[{"location":["request","query","limit"],"severity":"Error","code":"type","message":"must be integer"},{"location":["request"],"severity":"Warning","message":"odd"}]"#;
    let rejected = |violations| rejection(&record("GET", "/", 422, violations));
    assert_eq!(
        rejected(Some(header)).as_deref(),
        Some("request.query.limit: must be integer")
    );
    assert_eq!(
        rejected(Some(r#"[{"severity":"Warning","message":"odd"}]"#)),
        None
    );
    assert_eq!(rejected(None), None);
    let answer_only =
        r#"[{"location":["response","body"],"severity":"Error","message":"must match oneOf"}]"#;
    assert_eq!(rejected(Some(answer_only)), None);
    let mut crashed = record("GET", "/", 0, None);
    crashed.status = None;
    crashed.error = Some("the connection closed".to_string());
    assert_eq!(
        rejection(&crashed).as_deref(),
        Some("NO_ANSWER: Prism gave no answer (the connection closed)")
    );
    assert_eq!(rejected(Some("not json")).as_deref(), Some("not json"));
}

#[test]
fn prism_error_bodies_are_rejections() {
    let mut unauthorized = record("GET", "/", 401, None);
    unauthorized.prism_error = Some(
        r#"{"type":"https://stoplight.io/prism/errors#UNAUTHORIZED","title":"Invalid security scheme used","status":401}"#
            .to_string(),
    );
    assert_eq!(
        rejection(&unauthorized).as_deref(),
        Some("UNAUTHORIZED: Invalid security scheme used")
    );
    let mut invalid = record("GET", "/", 422, None);
    invalid.prism_error = Some(
        r#"{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","validation":[{"location":["query","pagesize"],"severity":"Error","message":"must be integer"}]}"#
            .to_string(),
    );
    assert_eq!(
        rejection(&invalid).as_deref(),
        Some("UNPROCESSABLE_ENTITY: Invalid request (query.pagesize: must be integer)")
    );
}

#[test]
fn field_paths_come_from_decode_messages() {
    assert_eq!(
        field_path("field `parent.owner.login`: invalid type: integer `5`, expected a string"),
        "parent.owner.login"
    );
    assert_eq!(field_path("EOF while parsing"), "(the body)");
}

#[test]
fn calls_are_classified() {
    let never_listed = |_: &str| None;
    let pointer = |status: u16| format!("#/pointer/{status}");
    let decoded = outcome("list", "GET", "/pets", "decoded", Some(200));
    assert_eq!(
        classify(&decoded, None, never_listed, pointer),
        Class::Decoded
    );
    let rejected_record = record(
        "GET",
        "/pets",
        422,
        Some(r#"[{"severity":"Error","message":"bad"}]"#),
    );
    let declared = outcome("list", "GET", "/pets", "declared_error", Some(422));
    assert_eq!(
        classify(
            &declared,
            Some(&rejected_record),
            |op: &str| Some(format!("reason for {op}")),
            pointer
        ),
        Class::Rejected {
            violations: "bad [sent GET /pets]".to_string(),
            listed: Some("reason for list".to_string())
        }
    );
    let mut failure = outcome("get", "GET", "/pets/{id}", "decode_failure", Some(200));
    failure.detail = "field `tag`: invalid type".to_string();
    assert_eq!(
        classify(
            &failure,
            Some(&record("GET", "/pets/1", 200, None)),
            never_listed,
            pointer
        ),
        Class::DecodeFailure {
            status: 200,
            message: "field `tag`: invalid type".to_string(),
            pointer: "#/pointer/200".to_string(),
            answer_invalid: None
        }
    );
    // Prism says its own answer breaks the spec: the failure is noted as not the client's.
    let flagged = record(
        "GET",
        "/pets/1",
        200,
        Some(
            r#"[{"location":["response","body","tag"],"severity":"Error","message":"must be string"}]"#,
        ),
    );
    let class = classify(&failure, Some(&flagged), never_listed, pointer);
    assert_eq!(
        class,
        Class::DecodeFailure {
            status: 200,
            message: "field `tag`: invalid type".to_string(),
            pointer: "#/pointer/200".to_string(),
            answer_invalid: Some("response.body.tag: must be string".to_string())
        }
    );
    assert!(!result("dynamic", vec![entry("get", class)]).fails());
    let mut undeclared = outcome("get", "GET", "/pets/{id}", "undeclared_status", Some(500));
    undeclared.detail = "oops".to_string();
    assert_eq!(
        classify(&undeclared, None, never_listed, pointer),
        Class::Other {
            what: "undeclared status 500: oops".to_string()
        }
    );
    let mut skipped = outcome("up", "POST", "/upload", "skipped", None);
    skipped.detail = "no example for the body".to_string();
    assert_eq!(
        classify(&skipped, None, never_listed, pointer),
        Class::Skipped {
            reason: "no example for the body".to_string()
        }
    );
}

fn entry(operation: &str, class: Class) -> Entry {
    Entry {
        operation: operation.to_string(),
        endpoint: format!("GET /{operation}"),
        class,
    }
}

fn result(mode: &'static str, entries: Vec<Entry>) -> ModeResult {
    ModeResult {
        spec: "pets.yaml".to_string(),
        mode,
        operations: entries.len(),
        entries,
        not_run: None,
        restarts: 0,
    }
}

#[test]
fn only_dynamic_failures_and_unlisted_specs_fail() {
    let failure = Class::DecodeFailure {
        status: 200,
        message: "m".to_string(),
        pointer: "p".to_string(),
        answer_invalid: None,
    };
    assert!(!result("static", vec![entry("a", failure.clone())]).fails());
    assert!(result("dynamic", vec![entry("a", failure)]).fails());
    let unlisted = Class::Rejected {
        violations: "v".to_string(),
        listed: None,
    };
    assert!(result("dynamic", vec![entry("a", unlisted)]).fails());
    let listed = Class::Rejected {
        violations: "v".to_string(),
        listed: Some("Prism limit".to_string()),
    };
    assert!(!result(
        "dynamic",
        vec![entry("a", listed), entry("b", Class::Decoded)]
    )
    .fails());
    let mut not_run = result("static", vec![]);
    not_run.not_run = Some(NotRun {
        reason: "slow".to_string(),
        listed: true,
    });
    assert!(!not_run.fails());
    not_run.not_run = Some(NotRun {
        reason: "crashed".to_string(),
        listed: false,
    });
    assert!(not_run.fails());
}

#[test]
fn the_table_counts_and_details_each_kind() {
    let entries = vec![
        entry("a", Class::Decoded),
        entry("b", Class::DeclaredError),
        entry(
            "c",
            Class::Rejected {
                violations: "request.body: must have id".to_string(),
                listed: None,
            },
        ),
        entry(
            "d",
            Class::DecodeFailure {
                status: 200,
                message: "field `x.y`: invalid type".to_string(),
                pointer: "#/paths/~1d/get/responses/200/content/application~1json/schema"
                    .to_string(),
                answer_invalid: None,
            },
        ),
        entry(
            "e",
            Class::Skipped {
                reason: "multipart".to_string(),
            },
        ),
    ];
    let table = render(&[
        result("static", entries.clone()),
        result("dynamic", entries),
    ]);
    assert!(
        table.contains("| pets.yaml | static | 5 | 4 | 1 | 1 | 1 (0) | 1 | 0 | 1 |"),
        "{table}"
    );
    assert!(
        table.contains("| **total (1 specs)** | dynamic | 5 | 4 | 1 | 1 | 1 (0) | 1 | 0 | 1 |"),
        "{table}"
    );
    assert!(
        table.contains(
            "- `pets.yaml` dynamic `c` (GET /c): request.body: must have id (NOT LISTED)"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "schema `#/paths/~1d/get/responses/200/content/application~1json/schema`, field `x.y`"
        ),
        "{table}"
    );
    // A skip shows once, not once per mode.
    assert_eq!(table.matches("multipart").count(), 1, "{table}");
}
