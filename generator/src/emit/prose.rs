//! Spec prose made fit for rustdoc: the spec's descriptions are Markdown written for other
//! renderers, and a bare `https://...` in them is a `rustdoc::bare_urls` warning in the
//! generated crate. Bare URLs become autolinks (`<https://...>`); URLs in code spans,
//! fenced code blocks, autolinks and link destinations are left as they are.
//!
//! A leaf: it imports no other `emit` module.

/// `text` with every bare `http://` or `https://` URL written as an autolink.
pub(crate) fn autolink_urls(text: &str) -> String {
    if !text.contains("http://") && !text.contains("https://") {
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
            autolink_line(line, &mut out);
        }
    }
    out
}

/// One line outside code blocks: bare URLs outside code spans become autolinks.
fn autolink_line(line: &str, out: &mut String) {
    let mut in_code = false;
    let mut rest = line;
    while let Some(next) = rest.find(['`', 'h']) {
        let (before, from) = rest.split_at(next);
        out.push_str(before);
        if let Some(after) = from.strip_prefix('`') {
            in_code = !in_code;
            out.push('`');
            rest = after;
            continue;
        }
        let url_len = if in_code || !(from.starts_with("http://") || from.starts_with("https://")) {
            0
        } else {
            url_length(from)
        };
        let preceded = &line[..line.len() - from.len()];
        let linked = preceded.ends_with('<')
            || preceded.ends_with("](")
            || preceded.ends_with('"')
            || preceded.ends_with('\'')
            || preceded.ends_with('=')
            || preceded.trim_end().ends_with("]:");
        if url_len == 0 || linked {
            // Not a URL here, or one already linked: copy it (or the `h`) as it is.
            let keep = if url_len == 0 { 1 } else { url_len };
            out.push_str(&from[..keep]);
            rest = &from[keep..];
        } else {
            out.push('<');
            out.push_str(&from[..url_len]);
            out.push('>');
            rest = &from[url_len..];
        }
    }
    out.push_str(rest);
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

#[cfg(test)]
mod tests {
    use super::autolink_urls;

    #[test]
    fn bare_urls_become_autolinks_without_trailing_punctuation() {
        assert_eq!(
            autolink_urls("See (https://example.com/a?b=c); then https://example.com/x, ok."),
            "See (<https://example.com/a?b=c>); then <https://example.com/x>, ok."
        );
        assert_eq!(
            autolink_urls("at http://example.com/wiki/A_(b)."),
            "at <http://example.com/wiki/A_(b)>."
        );
    }

    #[test]
    fn linked_and_quoted_urls_stay_as_they_are() {
        let text = "[docs](https://example.com/d) <https://example.com/a> `https://example.com/c` \
                    <a href=\"https://example.com/h\">h</a>\n[ref]: https://example.com/r\n\
                    ```\ncurl https://example.com/e\n```\nhttps:// alone, and http";
        assert_eq!(autolink_urls(text), text);
    }

    #[test]
    fn text_without_urls_is_unchanged() {
        let text = "A user, `id` and héllo (with parentheses).\n\nhttp";
        assert_eq!(autolink_urls(text), text);
    }
}
