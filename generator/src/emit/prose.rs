//! Spec prose made fit for rustdoc. The spec's descriptions are Markdown written for other
//! renderers, and rustdoc lints some of what they contain in the generated crate:
//!
//! - a bare `https://...` (`rustdoc::bare_urls`) becomes an autolink, `<https://...>`;
//! - `<token>`, a tag name HTML does not have (`rustdoc::invalid_html_tags`: unclosed),
//!   becomes `&lt;token>`, which renders as the text it was; real HTML (`<br>`, `<b>`) stays;
//! - `[id]` with no link after it, which rustdoc would try to resolve as an item
//!   (`rustdoc::broken_intra_doc_links`), becomes `\[id\]`, which renders as written;
//!   ``[`Item`]`` (a link the generator writes on purpose) stays.
//!
//! Code spans and fenced code blocks are left as they are. A leaf: it imports no other
//! `emit` module.

/// `text` with bare URLs, unknown tags and stray brackets made safe for rustdoc (see the
/// module doc); text without them comes back unchanged.
pub(crate) fn fit_for_rustdoc(text: &str) -> String {
    if !text.contains(['<', '[', 'h']) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_fence = false;
    for (number, line) in text.split('\n').enumerate() {
        if number > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            fit_line(line, &mut out);
        }
    }
    out
}

/// One line outside code blocks.
fn fit_line(line: &str, out: &mut String) {
    let mut in_code = false;
    let mut rest = line;
    while let Some(next) = rest.find(['`', 'h', '<', '[']) {
        let (before, from) = rest.split_at(next);
        out.push_str(before);
        let preceded = &line[..line.len() - from.len()];
        // How much of `from` is copied as it is, after `insert` is written.
        let (insert, keep) = if let Some(after) = from.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        } else if in_code {
            ("", 1)
        } else if from.starts_with("http://") || from.starts_with("https://") {
            match url_length(from) {
                0 => ("", 1),
                len if already_linked(preceded) => ("", len),
                len => {
                    out.push('<');
                    out.push_str(&from[..len]);
                    out.push('>');
                    rest = &from[len..];
                    continue;
                }
            }
        } else if let Some(tag) = from.strip_prefix('<') {
            match autolink_length(from) {
                Some(len) => ("", len),
                None if opens_unknown_tag(tag) => ("&lt;", 1),
                None => ("<", 1),
            }
        } else if from.starts_with('[') {
            match stray_bracket_length(from, preceded) {
                Some(len) => {
                    out.push_str("\\[");
                    out.push_str(&from[1..len - 1]);
                    out.push_str("\\]");
                    rest = &from[len..];
                    continue;
                }
                None => ("", 1),
            }
        } else {
            ("", 1)
        };
        if insert.is_empty() {
            out.push_str(&from[..keep]);
        } else {
            out.push_str(insert);
        }
        rest = &from[keep..];
    }
    out.push_str(rest);
}

/// Whether a URL after `preceded` is already a link, a link destination, a definition or
/// an attribute value.
fn already_linked(preceded: &str) -> bool {
    preceded.ends_with('<')
        || preceded.ends_with("](")
        || preceded.ends_with('"')
        || preceded.ends_with('\'')
        || preceded.ends_with('=')
        || preceded.trim_end().ends_with("]:")
}

/// The length of the URL at the start of `text`: up to whitespace or a character that
/// cannot be in an autolink, without trailing punctuation and without a closing
/// parenthesis it does not open (GitHub's autolink rules). 0 when only the scheme is left.
fn url_length(text: &str) -> usize {
    let mut end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    loop {
        let url = &text[..end];
        let Some(last) = url.chars().next_back() else {
            break;
        };
        let unbalanced_paren = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(
            last,
            '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~'
        ) || unbalanced_paren
        {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    let scheme = if text.starts_with("https://") { 8 } else { 7 };
    if end <= scheme {
        0
    } else {
        end
    }
}

/// The length of a CommonMark autolink (`<scheme:...>`) at the start of `text`, if there
/// is one.
fn autolink_length(text: &str) -> Option<usize> {
    let inner = &text[1..];
    let colon = inner.find(':')?;
    let scheme = &inner[..colon];
    let scheme_ok = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    let end = inner.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    (scheme_ok && inner[end..].starts_with('>') && end > colon).then_some(end + 2)
}

/// HTML elements spec prose uses on purpose; rustdoc accepts them (closed, or void).
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
];

/// Whether `text` (after a `<`) starts a tag, opening or closing, whose name HTML does not
/// have.
fn opens_unknown_tag(text: &str) -> bool {
    let name = text.strip_prefix('/').unwrap_or(text);
    let len = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(name.len());
    let name = &name[..len];
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !HTML_TAGS.contains(&name.to_ascii_lowercase().as_str())
}

/// The length of `[text]` at the start of `from` when it is not a link (nothing links it:
/// no `(`, `[` or `:` after it, no `]` or `!` before it) and not a link to an item the
/// generator wrote (``[`Item`]``).
fn stray_bracket_length(from: &str, preceded: &str) -> Option<usize> {
    let close = from[1..].find([']', '['])? + 1;
    if !from[close..].starts_with(']') || close == 1 {
        return None;
    }
    let inner = &from[1..close];
    let after = &from[close + 1..];
    let linked = after.starts_with(['(', '[', ':'])
        || preceded.ends_with([']', '!', '\\'])
        || (inner.starts_with('`') && inner.ends_with('`'));
    (!linked).then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::fit_for_rustdoc;

    #[test]
    fn bare_urls_become_autolinks_without_trailing_punctuation() {
        assert_eq!(
            fit_for_rustdoc("See (https://example.com/a?b=c); then https://example.com/x, ok."),
            "See (<https://example.com/a?b=c>); then <https://example.com/x>, ok."
        );
        assert_eq!(
            fit_for_rustdoc("at http://example.com/wiki/A_(b)."),
            "at <http://example.com/wiki/A_(b)>."
        );
    }

    #[test]
    fn unknown_tags_and_stray_brackets_are_escaped() {
        assert_eq!(
            fit_for_rustdoc("Send Bearer <token>, or </Token>; the [id] and a[0]."),
            "Send Bearer &lt;token>, or &lt;/Token>; the \\[id\\] and a\\[0\\]."
        );
    }

    #[test]
    fn links_html_and_code_stay_as_they_are() {
        let text = "[docs](https://example.com/d) <https://example.com/a> `https://example.com/c` \
                    <a href=\"https://example.com/h\">h</a><br/> [`Client::new`] [x][y] ![i](p)\n\
                    [ref]: https://example.com/r\n`<token>` and `[id]`; 1 < 2, a <= b.\n\
                    ```\ncurl https://example.com/e <token> [id]\n```\nhttps:// alone, and http";
        assert_eq!(fit_for_rustdoc(text), text);
    }

    #[test]
    fn text_without_any_is_unchanged() {
        let text = "A user, `id` and héllo (with parentheses).\n\nhttp";
        assert_eq!(fit_for_rustdoc(text), text);
    }
}
