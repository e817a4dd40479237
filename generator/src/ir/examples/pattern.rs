//! Strings for a schema's `pattern`: whether a candidate matches it (the `regex` crate,
//! search semantics as JSON Schema has them), and the shortest string that matches it,
//! built from the pattern's syntax tree (`regex-syntax`'s HIR): literals as written, a
//! class as one of its characters, a repetition at its minimum count (more when a
//! `minLength` asks for it), the first branch of an alternation, anchors as nothing.
//! Every built string is checked against the pattern and the lengths before use.
//!
//! Patterns are ECMA-262 in OpenAPI; the few constructs the `regex` crate does not read
//! (lookaround, backreferences) make a pattern unreadable here: candidates are then not
//! checked against it, and no string is built for it.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Largest compiled pattern accepted (bytes of the regex crate's program).
const SIZE_LIMIT: usize = 1 << 20;

/// Longest string built for a pattern.
const MAX_BUILT: usize = 4096;

/// Characters tried first when a class allows several (readable in paths and queries).
const PREFERRED: [char; 6] = ['a', '0', 'A', 'x', '_', '-'];

/// The compiled patterns of one spec (each compiled once; `None`: unreadable).
#[derive(Default)]
pub(super) struct Patterns {
    compiled: RefCell<HashMap<String, Option<Regex>>>,
}

/// Whether a string matches a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Match {
    Yes,
    No,
    /// The pattern cannot be read here.
    Unknown,
}

impl Patterns {
    /// Whether `text` matches `pattern` (anywhere in it, as JSON Schema matches).
    pub(super) fn matches(&self, pattern: &str, text: &str) -> Match {
        let mut compiled = self.compiled.borrow_mut();
        let regex = compiled.entry(pattern.to_string()).or_insert_with(|| {
            RegexBuilder::new(pattern)
                .size_limit(SIZE_LIMIT)
                .build()
                .ok()
        });
        match regex {
            Some(regex) if regex.is_match(text) => Match::Yes,
            Some(_) => Match::No,
            None => Match::Unknown,
        }
    }

    /// The shortest string matching `pattern` within the lengths (in characters), or why
    /// there is none.
    pub(super) fn shortest(
        &self,
        pattern: &str,
        min_length: Option<usize>,
        max_length: Option<usize>,
    ) -> Result<String, String> {
        let hir = regex_syntax::parse(pattern).map_err(|e| {
            format!(
                "the pattern {pattern:?} cannot be read ({})",
                last_line(&e.to_string())
            )
        })?;
        let min = min_length.unwrap_or(0).min(MAX_BUILT);
        let mut text = String::new();
        build(&hir, &mut 0, &mut text)?;
        let short = text.chars().count();
        if short < min {
            let mut extra = min - short;
            text.clear();
            build(&hir, &mut extra, &mut text)?;
        }
        let length = text.chars().count();
        let fits = length >= min && max_length.is_none_or(|max| length <= max);
        if !fits || self.matches(pattern, &text) != Match::Yes {
            return Err(format!(
                "no string matching the pattern {pattern:?} could be built within the lengths"
            ));
        }
        Ok(text)
    }
}

/// Appends the shortest string for `hir` to `out`, repeating more where `extra` (characters
/// still wanted) asks.
fn build(hir: &Hir, extra: &mut usize, out: &mut String) -> Result<(), String> {
    if out.len() > MAX_BUILT {
        return Err("the pattern's shortest string is too long".into());
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Ok(()),
        HirKind::Literal(literal) => {
            let text = std::str::from_utf8(&literal.0)
                .map_err(|_| "the pattern matches bytes that are not text".to_string())?;
            out.push_str(text);
            Ok(())
        }
        HirKind::Class(class) => {
            out.push(class_char(class).ok_or("the pattern has a class that matches nothing")?);
            Ok(())
        }
        HirKind::Repetition(repetition) => {
            let mut count = 0u32;
            while count < repetition.min {
                build(&repetition.sub, extra, out)?;
                count += 1;
            }
            while *extra > 0 && repetition.max.is_none_or(|max| count < max) {
                let before = out.chars().count();
                build(&repetition.sub, &mut 0, out)?;
                let added = out.chars().count() - before;
                if added == 0 {
                    break;
                }
                *extra = extra.saturating_sub(added);
                count += 1;
            }
            Ok(())
        }
        HirKind::Capture(capture) => build(&capture.sub, extra, out),
        HirKind::Concat(parts) => parts.iter().try_for_each(|part| build(part, extra, out)),
        HirKind::Alternation(branches) => match branches.first() {
            Some(first) => build(first, extra, out),
            None => Ok(()),
        },
    }
}

/// A readable character of the class: a preferred one it holds, else its first printable.
fn class_char(class: &Class) -> Option<char> {
    match class {
        Class::Unicode(unicode) => {
            let ranges = unicode.ranges();
            let holds = |c: char| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            PREFERRED.into_iter().find(|c| holds(*c)).or_else(|| {
                ranges
                    .iter()
                    .find_map(|r| (r.start()..=r.end()).find(|c| !c.is_control()))
            })
        }
        Class::Bytes(bytes) => {
            let ranges = bytes.ranges();
            let holds = |c: u8| ranges.iter().any(|r| r.start() <= c && c <= r.end());
            PREFERRED.into_iter().find(|c| holds(*c as u8)).or_else(|| {
                ranges
                    .iter()
                    .find_map(|r| (r.start()..=r.end()).find(|b| b.is_ascii_graphic()))
                    .map(char::from)
            })
        }
    }
}

/// The last line of a multi-line error (regex-syntax ends with the error itself).
fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or(text).trim()
}
