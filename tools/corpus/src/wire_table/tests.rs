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
        body: None,
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
    let no_spot = |_: &str, _: &[&str]| None;
    let decoded = outcome("list", "GET", "/pets", "decoded", Some(200));
    assert_eq!(
        classify(&decoded, None, never_listed, pointer, no_spot),
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
            pointer,
            no_spot
        ),
        Class::Rejected {
            violations: "bad [sent GET /pets]".to_string(),
            listed: Some("reason for list".to_string())
        }
    );
    let mut failure = outcome("get", "GET", "/pets/{id}", "decode_failure", Some(200));
    failure.detail =
        "field `tag`: invalid type: integer `5`, expected a string at line 1 column 10".to_string();
    let mut answer = record("GET", "/pets/1", 200, None);
    answer.body = Some(r#"{"tag": 5}"#.to_string());
    // The spot is looked up from the response schema and the field path.
    let spot = |schema: &str, fields: &[&str]| Some(format!("{schema}/{}", fields.join("/")));
    let Class::DecodeFailure {
        status,
        pointer: schema,
        answer_invalid,
        why,
        spot,
        ..
    } = classify(&failure, Some(&answer), never_listed, pointer, spot)
    else {
        panic!("not a decode failure");
    };
    assert_eq!((status, schema.as_str()), (200, "#/pointer/200"));
    assert_eq!(answer_invalid, None);
    assert_eq!(why.reason, crate::decode_why::Reason::WrongType);
    assert_eq!(
        why.value.map(|v| (v.pointer, v.text)),
        Some(("/tag".to_string(), "5".to_string()))
    );
    assert_eq!(spot.as_deref(), Some("#/pointer/200/tag"));
    // A missing property's spot is the property, else the object's `required`.
    failure.detail = "field `owner`: missing field `login` at line 1 column 9".to_string();
    let found = |_: &str, fields: &[&str]| Some(format!("#/S/{}", fields.join("/")));
    let Class::DecodeFailure { spot, .. } = classify(&failure, None, never_listed, pointer, found)
    else {
        panic!("not a decode failure");
    };
    assert_eq!(spot.as_deref(), Some("#/S/owner/login"));
    let undeclared = |_: &str, fields: &[&str]| {
        (fields.len() < 2).then(|| format!("#/S/{} (#/components/schemas/User)", fields.join("/")))
    };
    let Class::DecodeFailure { spot, .. } =
        classify(&failure, None, never_listed, pointer, undeclared)
    else {
        panic!("not a decode failure");
    };
    assert_eq!(spot.as_deref(), Some("#/components/schemas/User/required"));
    // Prism says its own answer breaks the spec: the failure is noted as not the client's.
    let flagged = record(
        "GET",
        "/pets/1",
        200,
        Some(
            r#"[{"location":["response","body","tag"],"severity":"Error","message":"must be string"}]"#,
        ),
    );
    let class = classify(&failure, Some(&flagged), never_listed, pointer, no_spot);
    assert!(
        matches!(&class, Class::DecodeFailure { answer_invalid: Some(found), .. } if found == "response.body.tag: must be string"),
        "{class:?}"
    );
    assert!(!result("dynamic", vec![entry("get", class)]).fails());
    let mut undeclared = outcome("get", "GET", "/pets/{id}", "undeclared_status", Some(500));
    undeclared.detail = "oops".to_string();
    assert_eq!(
        classify(&undeclared, None, never_listed, pointer, no_spot),
        Class::Other {
            what: "undeclared status 500: oops".to_string()
        }
    );
    let mut skipped = outcome("up", "POST", "/upload", "skipped", None);
    skipped.detail = "no example for the body".to_string();
    assert_eq!(
        classify(&skipped, None, never_listed, pointer, no_spot),
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
        why: crate::decode_why::explain("m", None),
        spot: None,
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
                message: "field `x.y`: missing field `z` at line 1 column 12".to_string(),
                pointer: "#/paths/~1d/get/responses/200/content/application~1json/schema"
                    .to_string(),
                answer_invalid: None,
                why: crate::decode_why::explain(
                    "field `x.y`: missing field `z` at line 1 column 12",
                    Some(r#"{"x":{"y":{}}}"#),
                ),
                spot: Some("#/components/schemas/Y/properties/z".to_string()),
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
    assert!(
        table.contains(
            "; why: required property missing (the policy never invents a required value: an error in both modes); \
             value `{}` at body `/x/y`; spec `#/components/schemas/Y/properties/z`"
        ),
        "{table}"
    );
    // A skip shows once, not once per mode.
    assert_eq!(table.matches("multipart").count(), 1, "{table}");
}
