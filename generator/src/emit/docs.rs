//! Doc comments for generated items, from the spec's summaries and descriptions: every
//! text from a spec passes through [`doc_text`] before it reaches a comment.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, AuthKind};

/// `#[doc = "..."]` attributes for `text`, one per line (prettyplease prints them as `///`),
/// made safe by [`doc_text`].
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else {
        return TokenStream::new();
    };
    let lines = doc_text(text).into_iter().map(|line| {
        let line = format!(" {line}");
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// `#![doc = "..."]` inner attributes for `text`, one per line (printed as `//!`), made
/// safe by [`doc_text`].
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_text(text).into_iter().map(|line| {
        let line = format!(" {line}");
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// Text from a spec (any Unicode) as doc comment lines that rustc and rustdoc accept and
/// that never become code:
///
/// - every line break (CR, CRLF, NEL, U+2028, U+2029) ends a line: a bare CR is an error in
///   a doc comment;
/// - other control characters become U+FFFD, visibly;
/// - `*/` becomes `*\/` (the same when rendered), so the text is safe in any comment;
/// - what rustdoc lints (bare URLs, unknown tags, stray brackets) is made fit for it by
///   `emit::prose::fit_for_rustdoc`;
/// - a fenced code block without a language, or marked `rust`, is marked `text`, and an
///   unclosed fence is closed: rustdoc would otherwise compile it as a doctest;
/// - outside fences, indentation is capped at three spaces, since four make an indented
///   code block, which rustdoc also compiles.
///
/// Bidirectional-text controls (U+202A..U+202E, U+2066..U+2069), which rustc refuses in
/// comments (`text_direction_codepoint_in_comment`), become U+FFFD too. Leading and
/// trailing blank lines and trailing spaces go.
pub fn doc_text(text: &str) -> Vec<String> {
    let normalised: String = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => '\n',
            '\t' | '\n' => c,
            c if c.is_control() || is_bidi_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    let normalised = super::prose::fit_for_rustdoc(&normalised.replace("*/", "*\\/"));
    let mut lines = Vec::new();
    let mut fence: Option<String> = None;
    for line in normalised.trim().lines() {
        let line = line.trim_end();
        let content = line.trim_start();
        let marker: String = content
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence = marker.len() >= 3 && marker.chars().all(|c| marker.starts_with(c));
        match &fence {
            Some(open)
                if is_fence && marker.starts_with(open.as_str()) && content.trim() == marker =>
            {
                fence = None;
                lines.push(content.to_string());
            }
            Some(_) => lines.push(line.to_string()),
            None if is_fence => {
                let info = content[marker.len()..].trim();
                let language = info.split([' ', ',']).next().unwrap_or("");
                let safe = if language.is_empty() || language == "rust" {
                    format!("{marker}text")
                } else {
                    format!("{marker}{info}")
                };
                fence = Some(marker);
                lines.push(safe);
            }
            None => {
                // Markdown counts a tab as four columns.
                let indent: usize = line[..line.len() - content.len()]
                    .chars()
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum();
                lines.push(format!("{}{content}", " ".repeat(indent.min(3))));
            }
        }
    }
    if let Some(open) = fence {
        lines.push(open);
    }
    lines
}

/// The crate-level doc: title, version, description.
pub fn crate_doc(api: &Api) -> String {
    let mut doc = format!("Client for {} (version {}).", api.title, api.version);
    if let Some(description) = api.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        doc.push_str("\n\n");
        doc.push_str(description);
    }
    doc.push_str("\n\nStart with [`Client::new`]; every operation is a method of [`Client`].");
    doc
}

/// The doc of `Client::new`: which credentials the API accepts.
pub fn auth_doc(api: &Api) -> String {
    let mut doc = String::from(
        "Builds a client for `base_url` (with or without a trailing slash) that sends `credentials` on every request.",
    );
    if api.auth.is_empty() {
        return doc;
    }
    doc.push_str("\n\nThe API accepts:");
    for scheme in &api.auth {
        let what = match &scheme.kind {
            AuthKind::Basic => "HTTP Basic: use [`Credentials::basic`](crate::runtime::Credentials::basic)".to_string(),
            AuthKind::Bearer { scopes } if scopes.is_empty() => {
                "a bearer token: use [`Credentials::bearer`](crate::runtime::Credentials::bearer)".to_string()
            }
            AuthKind::Bearer { scopes } => format!(
                "a bearer token with scopes `{}`: use [`Credentials::bearer`](crate::runtime::Credentials::bearer)",
                scopes.join(" ")
            ),
            AuthKind::ApiKey { name, .. } => format!("an API key named `{name}` (not sent automatically yet)"),
        };
        doc.push_str(&format!("\n- `{}`: {what}.", scheme.key));
        if let Some(d) = scheme
            .doc
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            doc.push_str(&format!(" {}", d.replace('\n', " ")));
        }
    }
    doc
}

/// The characters rustc's `text_direction_codepoint_in_comment` lint refuses.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::doc_text;

    #[test]
    fn every_line_break_ends_a_line_and_controls_are_visible() {
        let lines = doc_text("one\rtwo\r\nthree\u{2028}four\u{85}five\u{0}\u{1b}[0m six\t*/");
        assert_eq!(
            lines,
            [
                "one",
                "two",
                "three",
                "four",
                "five\u{FFFD}\u{FFFD}[0m six\t*\\/"
            ]
        );
        assert!(lines.iter().all(|l| !l.contains('\r')));
        assert_eq!(doc_text("a\u{202E}b\u{2067}c"), ["a\u{FFFD}b\u{FFFD}c"]);
    }

    #[test]
    fn fences_never_become_doctests() {
        assert_eq!(
            doc_text(
                "Example:\n```\nlet x = 1;\n```\nand\n~~~rust\nfn f() {}\n~~~\n```json\n{}\n```"
            ),
            [
                "Example:",
                "```text",
                "let x = 1;",
                "```",
                "and",
                "~~~text",
                "fn f() {}",
                "~~~",
                "```json",
                "{}",
                "```"
            ]
        );
        // An unclosed fence is closed; a shorter fence inside does not close it.
        assert_eq!(
            doc_text("````\n```\nstill code"),
            ["````text", "```", "still code", "````"]
        );
    }

    #[test]
    fn indentation_never_makes_a_code_block() {
        assert_eq!(
            doc_text("List:\n\n        indented\n\t\ttabbed\n  - item"),
            ["List:", "", "   indented", "   tabbed", "  - item"]
        );
    }
}
