//! The classifier on real decode messages: each made by decoding a body with the generated
//! Gong types (the checked-in `gong-users` crate) and its runtime, the way the client
//! decodes a response, so a change to the runtime's wording shows here.

use super::*;
use gong_users::runtime;
use gong_users::types::{
    ListMultipleUsersRequest, Records, UserMetadata, UserSettingsHistorySetting,
};

/// The decode error's message for `body` as a `T`, tolerant (the client's default).
fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
    let (result, _) = runtime::decode_with_policy(false, || serde_json::from_str::<T>(body));
    result.unwrap_err().to_string()
}

/// The same, decoding strictly.
fn refused_strictly<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
    runtime::decode_strictly(|| serde_json::from_str::<T>(body))
        .unwrap_err()
        .to_string()
}

fn explained<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> Why {
    explain(&refused::<T>(body), Some(body))
}

#[test]
fn a_missing_required_property_names_it_and_the_object() {
    let body = r#"{"cursor":"c1"}"#;
    let why = explained::<ListMultipleUsersRequest>(body);
    assert_eq!(why.reason, Reason::MissingRequired);
    assert_eq!(why.missing_property(), Some("filter"));
    assert_eq!(why.field_path, "");
    let value = why.value.unwrap();
    assert_eq!((value.pointer.as_str(), value.text.as_str()), ("", body));
}

#[test]
fn null_in_a_required_field_and_null_items_are_told_apart() {
    let why = explained::<ListMultipleUsersRequest>(r#"{"filter":null}"#);
    assert_eq!(why.reason, Reason::NullInRequiredField);
    assert_eq!(why.field_path, "filter");
    assert_eq!(why.value.unwrap().pointer, "/filter");
    let why = explained::<ListMultipleUsersRequest>(r#"{"filter":{"userIds":["1",null]}}"#);
    assert_eq!(why.reason, Reason::NullItem);
    assert_eq!(why.field_path, "filter.userIds");
    let value = why.value.unwrap();
    assert_eq!(
        (value.pointer.as_str(), value.text.as_str()),
        ("/filter/userIds/1", "null")
    );
    // A null item of an array that is the body itself.
    let why = explained::<Vec<UserMetadata>>(r#"[{"id":"1"},null]"#);
    assert_eq!(why.reason, Reason::NullItem);
    assert_eq!(why.value.unwrap().pointer, "/1");
}

#[test]
fn values_of_another_type_and_text_that_is_no_number() {
    let why = explained::<ListMultipleUsersRequest>(r#"{"filter":["a"]}"#);
    assert_eq!(why.reason, Reason::WrongType, "{}", why.what);
    assert_eq!(why.value.unwrap().text, "[\"a\"]");
    let why = explained::<UserMetadata>(r#"{"id":12}"#);
    assert_eq!(why.reason, Reason::WrongType, "{}", why.what);
    let why = explained::<Records>(r#"{"totalRecords":"12,"}"#);
    assert_eq!(why.reason, Reason::TextNotNumber, "{}", why.what);
    assert_eq!(why.value.unwrap().text, "\"12,\"");
    let why = explained::<UserMetadata>(r#"{"active":"yes"}"#);
    assert_eq!(why.reason, Reason::TextNotNumber, "{}", why.what);
    let why = explained::<Vec<UserMetadata>>(r#"{"id":"1"}"#);
    assert_eq!(why.reason, Reason::WrongType, "{}", why.what);
}

#[test]
fn numbers_that_do_not_fit_and_text_that_is_no_date() {
    let why = explained::<Records>(r#"{"totalRecords":99999999999}"#);
    assert_eq!(why.reason, Reason::NumberNotFitting, "{}", why.what);
    let why = explained::<Records>(r#"{"totalRecords":4.5}"#);
    assert_eq!(why.reason, Reason::NumberNotFitting, "{}", why.what);
    let why = explained::<UserMetadata>(r#"{"created":"yesterday"}"#);
    assert_eq!(why.reason, Reason::NotADate, "{}", why.what);
    assert_eq!(why.value.unwrap().text, "\"yesterday\"");
}

#[test]
fn base64_unions_strict_refusals_and_bodies_that_are_not_json() {
    let message = serde_json::from_str::<runtime::Base64>("\"abc\"")
        .unwrap_err()
        .to_string();
    assert_eq!(classify_message(&message), Reason::NotBase64, "{message}");
    let message = serde_json::from_str::<runtime::Base64>("\"a*c=\"")
        .unwrap_err()
        .to_string();
    assert_eq!(classify_message(&message), Reason::NotBase64, "{message}");
    let message = refused_strictly::<UserSettingsHistorySetting>("\"renamed\"");
    assert_eq!(
        classify_message(&message),
        Reason::UnlistedEnumStrict,
        "{message}"
    );
    // Tolerated by default, refused strictly.
    assert!(
        runtime::decode_with_policy(false, || serde_json::from_str::<UserMetadata>(
            r#"{"created":1700000000}"#
        ))
        .0
        .is_ok()
    );
    let message = refused_strictly::<UserMetadata>(r#"{"created":1700000000}"#);
    assert_eq!(
        classify_message(&message),
        Reason::StrictRefusal,
        "{message}"
    );
    let message = refused::<UserMetadata>("<html>");
    assert_eq!(classify_message(&message), Reason::NotJson, "{message}");
    assert_eq!(
        classify_message("something new at line 1 column 2"),
        Reason::Unclassified
    );
    let message = union_refusal();
    assert_eq!(
        classify_message(&message),
        Reason::NoUnionAlternative,
        "{message}"
    );
}

fn classify_message(message: &str) -> Reason {
    explain(message, None).reason
}

/// The message a generated union gives for a value no alternative takes, as the
/// generator writes it into the union's reader (generated from a two-alternative spec).
fn union_refusal() -> String {
    let spec = "openapi: 3.0.3\ninfo: {title: u, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                Either:\n      oneOf:\n        - {type: object, required: [a], properties: {a: {type: string}}}\n        \
                - {type: object, required: [b], properties: {b: {type: integer}}}\n";
    let generated = apigen::generate_str(
        std::path::Path::new("union.yaml"),
        spec.to_string(),
        &apigen::Settings::default(),
    )
    .unwrap();
    let code = generated.single_file().unwrap();
    let start = code
        .find("the value matches no alternative of `")
        .expect("the union's refusal in the generated code");
    let end = start + code[start..].find('"').unwrap();
    format!("field `value`: {} at line 1 column 12", &code[start..end])
}

#[test]
fn every_policy_row_a_reason_cites_is_in_the_readme_table() {
    let readme = std::fs::read_to_string(crate::cli::repository_root().join("README.md")).unwrap();
    let table: Vec<&str> = readme
        .split("**Decoding policy.**")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("| "))
        .collect();
    assert!(table.len() > 10, "the policy table");
    for reason in Reason::ALL {
        if let Some(row) = reason.policy_row() {
            assert!(
                table
                    .iter()
                    .any(|line| line.starts_with(&format!("| {row}"))),
                "{reason:?}: no README policy row {row:?}"
            );
        }
        assert!(!reason.label().is_empty() && !reason.why().is_empty());
    }
}

#[test]
fn messages_split_into_field_path_and_what() {
    let (path, what) =
        split_message("field `a.b`: invalid type: null, expected a string at line 1 column 9");
    assert_eq!(
        (path.as_str(), what.as_str()),
        ("a.b", "invalid type: null, expected a string")
    );
    let (path, what) = split_message("missing field `id`");
    assert_eq!((path.as_str(), what.as_str()), ("", "missing field `id`"));
}
