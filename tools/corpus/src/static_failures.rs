//! The reviewed list of static-mode decode failures (`--write-static-list PATH`): every
//! answer built from a spec's own examples that the generated client does not decode,
//! grouped by why the decoding policy refuses it ([`crate::decode_why`]), with counts, each
//! with its spec, operation, status, response schema, field path, failing spot in the spec
//! and the value as sent. The command writes it; it is never edited by hand.

use std::collections::BTreeMap;

use crate::decode_why::Reason;
use crate::wire_table::{code, Class, ModeResult};

/// The most characters of a refused value a row shows.
const VALUE_LIMIT: usize = 60;

/// One failure's row.
struct Row {
    cells: [String; 7],
    flagged: bool,
}

/// The list in markdown, for the static-mode results among `results`; `command` is the
/// command line that wrote it (named in the file, to regenerate it).
pub fn render(results: &[ModeResult], command: &str) -> String {
    let statics: Vec<&ModeResult> = results.iter().filter(|r| r.mode == "static").collect();
    let mut groups: BTreeMap<Reason, Vec<Row>> = BTreeMap::new();
    for result in &statics {
        for entry in &result.entries {
            let Class::DecodeFailure {
                status,
                pointer,
                answer_invalid,
                why,
                spot,
                ..
            } = &entry.class
            else {
                continue;
            };
            let value = match &why.value {
                Some(value) => format!(
                    "{} at `{}`",
                    code(&cell(&value.text, VALUE_LIMIT)),
                    if value.pointer.is_empty() {
                        "/"
                    } else {
                        &value.pointer
                    }
                ),
                None => "(not in the body)".to_string(),
            };
            let field = if why.field_path.is_empty() {
                "(the body)".to_string()
            } else {
                code(&cell(&why.field_path, 200))
            };
            groups.entry(why.reason).or_default().push(Row {
                cells: [
                    code(&result.spec),
                    format!(
                        "{} ({})",
                        code(&entry.operation),
                        cell(&entry.endpoint, 200)
                    ),
                    status.to_string(),
                    code(&cell(pointer, 300)),
                    field,
                    spot.as_deref()
                        .map_or_else(|| "(not found)".to_string(), |s| code(&cell(s, 300))),
                    value,
                ],
                flagged: answer_invalid.is_some(),
            });
        }
    }
    let mut out =
        String::from("# Static-mode decode failures, and why the decoding policy refuses each\n\n");
    out.push_str(&format!(
        "Written by `{command}`: never edit it by hand, run that again. In static mode Prism \
         answers with the spec's own examples; each answer below did not decode with the \
         generated client (tolerant decoding, the client's default). The reasons cite the \
         README's decoding policy table. \"Prism flags\" says Prism's own check found its \
         answer breaking the spec (its `sl-violations` about the response).\n\n"
    ));
    if statics.is_empty() {
        out.push_str("No spec was run in static mode.\n");
        return out;
    }
    out.push_str("Specs run in static mode: ");
    let runs: Vec<String> = statics
        .iter()
        .map(|r| match &r.not_run {
            Some(not_run) => format!("{} (not run: {})", code(&r.spec), cell(&not_run.reason, 80)),
            None => {
                let failures = r
                    .entries
                    .iter()
                    .filter(|e| matches!(e.class, Class::DecodeFailure { .. }))
                    .count();
                format!(
                    "{} ({failures} of {} operations)",
                    code(&r.spec),
                    r.operations
                )
            }
        })
        .collect();
    out.push_str(&runs.join(", "));
    out.push_str(".\n\n| reason | failures | Prism flags its answer |\n|---|---:|---:|\n");
    let mut total = (0, 0);
    let ordered: Vec<(Reason, &Vec<Row>)> = Reason::ALL
        .iter()
        .filter_map(|reason| groups.get(reason).map(|rows| (*reason, rows)))
        .collect();
    for (reason, rows) in &ordered {
        let flagged = rows.iter().filter(|r| r.flagged).count();
        total = (total.0 + rows.len(), total.1 + flagged);
        out.push_str(&format!(
            "| {} | {} | {flagged} |\n",
            reason.label(),
            rows.len()
        ));
    }
    out.push_str(&format!("| **total** | {} | {} |\n", total.0, total.1));
    for (reason, rows) in &ordered {
        let cited = match reason.policy_row() {
            Some(row) => format!(" (the README's policy row \"{row}\")"),
            None => String::new(),
        };
        out.push_str(&format!(
            "\n## {} ({})\n\nWhy: {}{cited}.\n\n\
             | spec | operation | status | response schema | field path | failing spot in the spec | value at body pointer | Prism flags |\n\
             |---|---|---:|---|---|---|---|---|\n",
            reason.label(),
            rows.len(),
            reason.why()
        ));
        for row in rows.iter() {
            out.push_str(&format!(
                "| {} | {} |\n",
                row.cells.join(" | "),
                if row.flagged { "yes" } else { "no" }
            ));
        }
    }
    out
}

/// `text` for a table cell: one line, cut to `limit` characters, `|` escaped.
fn cell(text: &str, limit: usize) -> String {
    let one_line = text.replace(['\n', '\r'], " ");
    let cut = match one_line.char_indices().nth(limit) {
        Some((at, _)) => format!("{}...", &one_line[..at]),
        None => one_line,
    };
    cut.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_why::explain;
    use crate::wire_table::Entry;

    fn failure(operation: &str, message: &str, body: &str, flagged: bool) -> Entry {
        Entry {
            operation: operation.to_string(),
            endpoint: format!("GET /{operation}"),
            class: Class::DecodeFailure {
                status: 200,
                message: message.to_string(),
                pointer: "#/components/schemas/Pet".to_string(),
                answer_invalid: flagged.then(|| "response.body: must have id".to_string()),
                why: explain(message, Some(body)),
                spot: Some("#/components/schemas/Pet/properties/id".to_string()),
            },
        }
    }

    #[test]
    fn failures_are_grouped_by_reason_with_counts_and_only_static_ones_listed() {
        let missing = serde_json::from_str::<gong_users::types::ListMultipleUsersRequest>("{}")
            .unwrap_err()
            .to_string();
        let static_run = ModeResult {
            spec: "pets.yaml".to_string(),
            mode: "static",
            operations: 3,
            entries: vec![
                failure("a", &missing, "{}", true),
                failure("b", &missing, "{}", false),
                failure(
                    "c",
                    "field `tags`: invalid type: null, expected a string at line 1 column 19",
                    r#"{"tags":["a|b",null]}"#,
                    false,
                ),
            ],
            not_run: None,
            restarts: 0,
        };
        let mut dynamic_run = static_run.clone();
        dynamic_run.mode = "dynamic";
        dynamic_run.spec = "other.yaml".to_string();
        let list = render(&[static_run, dynamic_run], "corpus --wire");
        assert!(list.contains("Written by `corpus --wire`"), "{list}");
        assert!(list.contains("`pets.yaml` (3 of 3 operations)"), "{list}");
        assert!(!list.contains("other.yaml"), "{list}");
        assert!(
            list.contains("| required property missing | 2 | 1 |"),
            "{list}"
        );
        assert!(list.contains("| **total** | 3 | 1 |"), "{list}");
        assert!(
            list.contains("\n## required property missing (2)\n\nWhy: the policy never invents"),
            "{list}"
        );
        assert!(
            list.contains("| `pets.yaml` | `a` (GET /a) | 200 | `#/components/schemas/Pet` | (the body) | `#/components/schemas/Pet/properties/id` | `{}` at `/` | yes |"),
            "{list}"
        );
        assert!(
            list.contains("\n## `null` as an array item or map value not declared nullable (1)\n"),
            "{list}"
        );
        assert!(
            list.contains(
                "| `tags` | `#/components/schemas/Pet/properties/id` | `null` at `/tags/1` | no |"
            ),
            "{list}"
        );
        let no_static = render(&[], "corpus --wire --wire-mode dynamic");
        assert!(
            no_static.contains("No spec was run in static mode."),
            "{no_static}"
        );
    }

    #[test]
    fn cells_stay_on_one_line_and_escape_bars() {
        assert_eq!(cell("a|b\nc", 10), "a\\|b c");
        assert_eq!(cell("abcdef", 3), "abc...");
    }
}
