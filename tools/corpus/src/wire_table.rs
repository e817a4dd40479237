//! The wire run's results: each call's outcome paired with the request the proxy saw
//! (correlation), classified (decoded, declared error, rejected by Prism, decode
//! failure, other, skipped), and rendered as the markdown table with its details.

use crate::decode_why::{self, Reason, Why};
use crate::proxy::Record;
use crate::runner::Outcome;

/// What became of one operation in one mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A 2xx answer that decoded.
    Decoded,
    /// A declared error status whose body decoded.
    DeclaredError,
    /// Prism found the request invalid (`sl-violations`).
    Rejected {
        /// The violations' messages, and the request as sent.
        violations: String,
        /// The reviewed list's reason, when the rejection is listed.
        listed: Option<String>,
    },
    /// The answer did not decode.
    DecodeFailure {
        /// The response status.
        status: u16,
        /// The decoder's message.
        message: String,
        /// The JSON pointer of the response schema.
        pointer: String,
        /// What Prism itself found wrong with its answer (its `sl-violations` about the
        /// response), when it did: then the answer breaks the spec, and the failure is
        /// not the client's.
        answer_invalid: Option<String>,
        /// Why the decoding policy refuses the value, and the value as sent.
        why: Why,
        /// The JSON pointer of the failing spot in the spec: the schema the field path
        /// leads to (for a missing property, the property's own), when it can be found.
        spot: Option<String>,
    },
    /// An undeclared status, a transport failure, or an outcome the runner did not know.
    Other {
        /// What happened.
        what: String,
    },
    /// The smoke module did not call it.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// One operation's result in one mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The operation's id (or `method /path`).
    pub operation: String,
    /// `METHOD /path`.
    pub endpoint: String,
    /// What became of it.
    pub class: Class,
}

/// One spec in one mode.
#[derive(Debug, Clone, Default)]
pub struct ModeResult {
    /// The spec's file name.
    pub spec: String,
    /// `static` or `dynamic`.
    pub mode: &'static str,
    /// Operations the client has.
    pub operations: usize,
    /// Every operation's result, in spec order.
    pub entries: Vec<Entry>,
    /// Why the spec was not run in this mode (listed or not), if it was not.
    pub not_run: Option<NotRun>,
    /// How often Prism died during the calls and was started again.
    pub restarts: usize,
}

/// Why a spec was not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotRun {
    /// What stopped it.
    pub reason: String,
    /// Whether that is a reviewed limit (then it does not fail the run).
    pub listed: bool,
}

impl ModeResult {
    fn count(&self, wanted: fn(&Class) -> bool) -> usize {
        self.entries.iter().filter(|e| wanted(&e.class)).count()
    }

    /// Whether this result fails the run: in dynamic mode, a rejection not listed, a
    /// decode failure or another unexpected answer; in either mode, a spec that could not
    /// be run without a listed reason.
    pub fn fails(&self) -> bool {
        if self.not_run.as_ref().is_some_and(|n| !n.listed) {
            return true;
        }
        self.mode == "dynamic"
            && self.entries.iter().any(|e| match &e.class {
                Class::Rejected { listed, .. } => listed.is_none(),
                Class::DecodeFailure { answer_invalid, .. } => answer_invalid.is_none(),
                Class::Other { .. } => true,
                _ => false,
            })
    }
}

/// Pairs each outcome with the request the proxy recorded for it. Calls are made one at a
/// time in spec order and each operation has its own method and path, so each outcome
/// takes the next record (searching forward) whose method is its method and whose path
/// fits its template; a call refused before sending finds none.
pub fn correlate(outcomes: Vec<Outcome>, records: &[Record]) -> Vec<(Outcome, Option<Record>)> {
    let mut next = 0;
    outcomes
        .into_iter()
        .map(|outcome| {
            if outcome.kind == "skipped" {
                return (outcome, None);
            }
            let found = records[next.min(records.len())..]
                .iter()
                .position(|r| {
                    r.method.eq_ignore_ascii_case(&outcome.method)
                        && path_fits(&outcome.path, &r.target)
                })
                .map(|offset| next + offset);
            match found {
                Some(index) => {
                    next = index + 1;
                    (outcome, Some(records[index].clone()))
                }
                None => (outcome, None),
            }
        })
        .collect()
}

/// Whether a request target (path and query) fits a path template: the same number of
/// segments, literal text equal, each `{name}` standing for any text.
pub fn path_fits(template: &str, target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let templates: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    templates.len() == segments.len()
        && templates
            .iter()
            .zip(&segments)
            .all(|(t, s)| segment_fits(t, s))
}

fn segment_fits(template: &str, segment: &str) -> bool {
    // Literal pieces between `{...}` in order: the first anchored at the start, the last
    // at the end.
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pieces.push(&rest[..open]);
        rest = match rest[open..].find('}') {
            Some(close) => &rest[open + close + 1..],
            None => "",
        };
    }
    pieces.push(rest);
    if pieces.len() == 1 {
        return template == segment;
    }
    let (first, last) = (pieces[0], pieces[pieces.len() - 1]);
    if !segment.starts_with(first) || segment.len() < first.len() + last.len() {
        return false;
    }
    let mut middle = &segment[first.len()..];
    if !middle.ends_with(last) {
        return false;
    }
    middle = &middle[..middle.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match middle.find(piece) {
            Some(at) => middle = &middle[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// Why Prism rejected the recorded request, if it did: the request errors of its
/// `sl-violations` header (warnings alone, or remarks on its own answer, are no
/// rejection), else the title and validation messages of an error body Prism made
/// itself, else, when Prism gave no answer at all, what the proxy saw (Prism crashed on
/// the request).
pub fn rejection(record: &Record) -> Option<String> {
    if let (None, Some(error)) = (record.status, &record.error) {
        return Some(format!("NO_ANSWER: Prism gave no answer ({error})"));
    }
    if let Some(violations) = record.violations.as_deref() {
        let raw = violations.trim();
        let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(raw)
        else {
            return (!raw.is_empty()).then(|| raw.to_string());
        };
        if let Some(errors) = violation_errors(&list, false) {
            return Some(errors);
        }
    }
    let body = record.prism_error.as_deref()?;
    let Ok(problem) = serde_json::from_str::<serde_json::Value>(body) else {
        return Some(short(body, 300));
    };
    if problem["error"]["code"] == "internal_server_error" {
        return Some(
            "INTERNAL_SERVER_ERROR: Prism failed inside (500, its own error body)".to_string(),
        );
    }
    let kind = problem["type"]
        .as_str()
        .and_then(|t| t.rsplit_once('#'))
        .map_or("", |(_, kind)| kind);
    let title = problem["title"].as_str().unwrap_or("Prism error");
    let mut text = format!("{kind}: {title}");
    if let Some(errors) = problem["validation"]
        .as_array()
        .and_then(|l| violation_errors(l, false))
    {
        text.push_str(&format!(" ({errors})"));
    }
    Some(text)
}

/// What Prism found wrong with its own answer: the `response` errors of its
/// `sl-violations` header, if any.
pub fn answer_violations(record: &Record) -> Option<String> {
    let raw = record.violations.as_deref()?;
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(raw) else {
        return None;
    };
    let answer: Vec<serde_json::Value> = list
        .into_iter()
        .filter(|v| v["location"][0] == "response")
        .collect();
    violation_errors(&answer, true)
}

/// The `location: message` of each error-severity violation, `None` when there are none.
fn violation_errors(list: &[serde_json::Value], about_answer: bool) -> Option<String> {
    let errors: Vec<String> = list
        .iter()
        .filter(|v| v["severity"].as_str().is_none_or(|s| s == "Error"))
        // Prism also checks its own answer against the spec (`response...`): that is no
        // verdict on the request; the client's decoding of the answer is what counts.
        .filter(|v| (v["location"][0] == "response") == about_answer)
        .map(|v| {
            let location = v["location"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            let message = v["message"].as_str().unwrap_or("(no message)");
            if location.is_empty() {
                message.to_string()
            } else {
                format!("{location}: {message}")
            }
        })
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// The field path a decode message names (``field `a.b`: ...``), or `(the body)`.
pub fn field_path(message: &str) -> String {
    message
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(path, _)| path.to_string())
        .unwrap_or_else(|| "(the body)".to_string())
}

/// Classifies a call. `listed` gives the reviewed list's reason for a rejection of the
/// operation; `pointer` the response schema's pointer for a status; `spot` the pointer of
/// the schema a field path leads to from a response schema's pointer.
pub fn classify(
    outcome: &Outcome,
    record: Option<&Record>,
    listed: impl Fn(&str) -> Option<String>,
    pointer: impl Fn(u16) -> String,
    spot: impl Fn(&str, &[&str]) -> Option<String>,
) -> Class {
    if outcome.kind == "skipped" {
        return Class::Skipped {
            reason: outcome.detail.clone(),
        };
    }
    if let Some(violations) = record.and_then(rejection) {
        let sent = record.map_or(String::new(), |r| {
            format!(" [sent {} {}]", r.method, r.target)
        });
        return Class::Rejected {
            violations: format!("{violations}{sent}"),
            listed: listed(&outcome.operation),
        };
    }
    let status = outcome.status.unwrap_or(0);
    match outcome.kind.as_str() {
        "decoded" => Class::Decoded,
        "declared_error" => Class::DeclaredError,
        "decode_failure" => {
            let why = decode_why::explain(&outcome.detail, record.and_then(|r| r.body.as_deref()));
            let pointer = pointer(status);
            let spot = failing_spot(&why, &pointer, spot);
            Class::DecodeFailure {
                status,
                message: outcome.detail.clone(),
                pointer,
                answer_invalid: record.and_then(answer_violations),
                why,
                spot,
            }
        }
        "undeclared_status" => Class::Other {
            what: format!(
                "undeclared status {status}: {}",
                short(&outcome.detail, 200)
            ),
        },
        "transport" => Class::Other {
            what: format!("transport: {}", outcome.detail),
        },
        other => Class::Other {
            what: format!("outcome {other:?}: {}", outcome.detail),
        },
    }
}

/// The spec's pointer for where a decode failure is: the schema its field path leads to
/// from the response schema, and for a missing property that property's schema (or the
/// object's `required`, when the property is not declared).
fn failing_spot(
    why: &Why,
    response_schema: &str,
    spot: impl Fn(&str, &[&str]) -> Option<String>,
) -> Option<String> {
    let mut fields = why.fields();
    if why.reason == Reason::MissingRequired {
        if let Some(missing) = why.missing_property() {
            fields.push(missing);
            if let Some(found) = spot(response_schema, &fields) {
                return Some(found);
            }
            fields.pop();
            let object = spot(response_schema, &fields)?;
            let object = object.split(" (").last().unwrap_or(&object);
            return Some(format!("{}/required", object.trim_end_matches(')')));
        }
    }
    spot(response_schema, &fields)
}

/// The table and its details, in markdown.
pub fn render(results: &[ModeResult]) -> String {
    let mut out = String::from(
        "| spec | mode | operations | called | 2xx decoded | declared error | rejected (listed) | decode failure | other | skipped |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for result in results {
        if let Some(not_run) = &result.not_run {
            let label = if not_run.listed {
                "not served (listed)"
            } else {
                "FAILED"
            };
            out.push_str(&format!(
                "| {} | {} | {} | {label}: {} |||||||\n",
                result.spec,
                result.mode,
                result.operations,
                short(&not_run.reason, 100)
            ));
            continue;
        }
        out.push_str(&row(&result.spec, result.mode, &[result]));
    }
    for mode in ["static", "dynamic"] {
        let of_mode: Vec<&ModeResult> = results
            .iter()
            .filter(|r| r.mode == mode && r.not_run.is_none())
            .collect();
        if !of_mode.is_empty() {
            let label = format!("**total ({} specs)**", of_mode.len());
            out.push_str(&row(&label, mode, &of_mode));
        }
    }
    out.push_str(&details(results));
    out
}

fn row(label: &str, mode: &str, results: &[&ModeResult]) -> String {
    let sum = |wanted: fn(&Class) -> bool| results.iter().map(|r| r.count(wanted)).sum::<usize>();
    let operations: usize = results.iter().map(|r| r.operations).sum();
    let rejected = sum(|c| matches!(c, Class::Rejected { .. }));
    let listed = sum(|c| {
        matches!(
            c,
            Class::Rejected {
                listed: Some(_),
                ..
            }
        )
    });
    format!(
        "| {label} | {mode} | {operations} | {} | {} | {} | {rejected} ({listed}) | {} | {} | {} |\n",
        sum(|c| !matches!(c, Class::Skipped { .. })),
        sum(|c| matches!(c, Class::Decoded)),
        sum(|c| matches!(c, Class::DeclaredError)),
        sum(|c| matches!(c, Class::DecodeFailure { .. })),
        sum(|c| matches!(c, Class::Other { .. })),
        sum(|c| matches!(c, Class::Skipped { .. })),
    )
}

fn details(results: &[ModeResult]) -> String {
    let mut rejections = Vec::new();
    let mut failures = Vec::new();
    let mut others = Vec::new();
    let mut skips = Vec::new();
    let mut not_run = Vec::new();
    for result in results {
        let at = |e: &Entry| {
            format!(
                "`{}` {} `{}` ({})",
                result.spec, result.mode, e.operation, e.endpoint
            )
        };
        if result.restarts > 0 {
            not_run.push(format!(
                "- `{}` {}: Prism died {} time(s) during the calls and was started again \
                 (the call it died on is a NO_ANSWER rejection)",
                result.spec, result.mode, result.restarts
            ));
        }
        if let Some(reason) = &result.not_run {
            not_run.push(format!(
                "- `{}` {}: {}{}",
                result.spec,
                result.mode,
                reason.reason,
                if reason.listed { " (listed)" } else { "" }
            ));
        }
        for entry in &result.entries {
            match &entry.class {
                Class::Rejected { violations, listed } => rejections.push(format!(
                    "- {}: {} ({})",
                    at(entry),
                    violations,
                    match listed {
                        Some(reason) => format!("listed: {reason}"),
                        None => "NOT LISTED".to_string(),
                    }
                )),
                Class::DecodeFailure {
                    status,
                    message,
                    pointer,
                    answer_invalid,
                    why,
                    spot,
                } => {
                    failures.push(format!(
                    "- {}: status {status}, schema `{pointer}`, field `{}`: {}; why: {} ({}){}{}{}",
                    at(entry),
                    field_path(message),
                    // The message without its field path (already shown) and position
                    // (the value's body pointer below is more precise).
                    short(&why.what, 300),
                    why.reason.label(),
                    why.reason.why(),
                    match &why.value {
                        Some(value) => format!(
                            "; value {} at body `{}`",
                            code(&short(&value.text, 80)),
                            if value.pointer.is_empty() { "(the body)" } else { &value.pointer }
                        ),
                        None => String::new(),
                    },
                    match spot {
                        Some(spot) => format!("; spec `{spot}`"),
                        None => String::new(),
                    },
                    match answer_invalid {
                        Some(found) => format!(
                            " (Prism's answer breaks the spec, by Prism's own check: {})",
                            short(found, 200)
                        ),
                        None => String::new(),
                    }
                ))
                }
                Class::Other { what } => others.push(format!("- {}: {what}", at(entry))),
                Class::Skipped { reason } => {
                    let line = format!(
                        "- `{}` `{}` ({}): {reason}",
                        result.spec, entry.operation, entry.endpoint
                    );
                    if !skips.contains(&line) {
                        skips.push(line);
                    }
                }
                Class::Decoded | Class::DeclaredError => {}
            }
        }
    }
    let mut out = String::new();
    for (title, lines) in [
        ("Specs not run, and Prism restarts", not_run),
        (
            "Requests rejected by Prism (its sl-violations header, or an error of its own)",
            rejections,
        ),
        ("Decode failures", failures),
        ("Other answers (undeclared status, transport)", others),
        ("Skipped operations (the same in both modes)", skips),
    ] {
        if !lines.is_empty() {
            out.push_str(&format!("\n{title}:\n\n{}\n", lines.join("\n")));
        }
    }
    out
}

/// `text` as a markdown code span (with a wider fence when it holds a backtick).
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// `text` on one line, cut to `limit` characters, with no `|` (it would split a cell).
pub fn short(text: &str, limit: usize) -> String {
    let one_line = text.replace(['\n', '\r'], " ").replace('|', "/");
    match one_line.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests;
