//! Where a decode error points in a response body: the value it refused, with its JSON
//! pointer in the body.
//!
//! The decoder's ` at line L column C` is where serde_json stopped reading when the error
//! passed through it last: after the refused value, after the `}` of the object holding
//! it, or after the `,` that follows an array item it refused (so at the next item), and,
//! since each generated struct re-wraps a field's error with the field's name (the
//! field path), only as precise as the outermost field in that path. So the value is
//! sought from there: the deepest value around that position whose object keys (array
//! indices left out, as the field path has them) begin the field path is the scope; inside
//! it, the values the whole field path leads to (through array items) are the candidates,
//! then the values below them through map keys (a map's values, which the path does not
//! name), and the first of them, in body order, that fits what the message says was
//! refused (`null`, a map, an object without the missing property) is the one.

/// A value of the body that a decode error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Its JSON pointer in the body (`/0/requester`; empty for the body itself).
    pub pointer: String,
    /// Its text as sent.
    pub text: String,
    /// Whether it is the value of an object member named by the field path's last segment
    /// (a field a generated struct reads), rather than an array item, a map value or the
    /// body itself.
    pub is_field: bool,
}

/// One step from a value to one inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A value's byte span (end exclusive) and the steps to it from the body.
#[derive(Debug, Clone)]
struct Span {
    start: usize,
    end: usize,
    steps: Vec<Step>,
}

impl Span {
    fn keys(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|step| match step {
                Step::Key(key) => Some(key.as_str()),
                Step::Index(_) => None,
            })
            .collect()
    }

    fn contains(&self, other: &Span) -> bool {
        other.steps.starts_with(&self.steps) && self.start <= other.start && other.end <= self.end
    }
}

/// The value of `body` that the decode `message` (ending in ` at line L column C`, about
/// the field path `fields`) refused: the first candidate (see the module) for which
/// `refused` holds of its text, else the first candidate. `None` when the message has no
/// position or the body no value there.
pub fn locate(
    body: &str,
    message: &str,
    fields: &[&str],
    refused: &dyn Fn(&str) -> bool,
) -> Option<Located> {
    let (line, column) = position(message)?;
    let line_start = if line <= 1 {
        0
    } else {
        body.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let at = line_start + column;
    let mut spans = spans(body);
    // Body order, a value before the values inside it.
    spans.sort_by_key(|s| (s.start, s.steps.len()));
    let begins_path = |span: &Span| {
        let keys = span.keys();
        keys.len() <= fields.len() && keys.iter().zip(fields).all(|(k, f)| k == f)
    };
    // The byte before the position (the refused value's last, a `}` or a `,`), or the
    // first one when the decoder refused the body before reading it.
    let offset = at.checked_sub(1).unwrap_or(at);
    let scope = spans
        .iter()
        .filter(|s| s.start <= offset && offset < s.end && begins_path(s))
        .max_by_key(|s| s.steps.len())?;
    // The values the field path leads to, then those below them through map keys (a
    // map's values: the path names no key), each in body order.
    let inside: Vec<&Span> = spans
        .iter()
        .filter(|s| scope.contains(s) && s.keys().starts_with(fields))
        .collect();
    let exact = |s: &&&Span| s.keys().len() == fields.len();
    let is_refused = |s: &&&Span| body.get(s.start..s.end).is_some_and(refused);
    let chosen = inside
        .iter()
        .filter(exact)
        .find(is_refused)
        .or_else(|| inside.iter().find(is_refused))
        .or_else(|| inside.iter().find(exact))
        .copied()
        .unwrap_or(scope);
    let is_field = matches!(
        (chosen.steps.last(), fields.last()),
        (Some(Step::Key(key)), Some(field)) if key == field
    );
    Some(Located {
        pointer: chosen
            .steps
            .iter()
            .map(|step| match step {
                Step::Key(key) => format!("/{}", crate::spec_info::escape(key)),
                Step::Index(index) => format!("/{index}"),
            })
            .collect(),
        text: body.get(chosen.start..chosen.end)?.to_string(),
        is_field,
    })
}

/// The `(line, column)` of a serde_json message's trailing ` at line L column C`.
pub fn position(message: &str) -> Option<(usize, usize)> {
    let (_, at) = message.rsplit_once(" at line ")?;
    let (line, column) = at.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// Every value of `body` that parses, with its span (a value cut short by a syntax error
/// is left out, the values before it kept).
fn spans(body: &str) -> Vec<Span> {
    let mut scanner = Scanner {
        bytes: body.as_bytes(),
        at: 0,
        spans: Vec::new(),
    };
    let mut steps = Vec::new();
    let _ = scanner.value(&mut steps, 0);
    scanner.spans
}

/// Nesting deeper than this is not followed (the decoder's own limit is 128).
const MAX_DEPTH: usize = 256;

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    spans: Vec<Span>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Reads one value at the cursor, recording it and every value inside it.
    fn value(&mut self, steps: &mut Vec<Step>, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let start = self.at;
        match self.peek()? {
            b'{' => self.object(steps, depth)?,
            b'[' => self.array(steps, depth)?,
            b'"' => {
                self.string()?;
            }
            _ => {
                while self.peek().is_some_and(|b| {
                    !matches!(b, b',' | b']' | b'}' | b':') && !b.is_ascii_whitespace()
                }) {
                    self.at += 1;
                }
                if self.at == start {
                    return None;
                }
            }
        }
        self.spans.push(Span {
            start,
            end: self.at,
            steps: steps.clone(),
        });
        Some(())
    }

    fn object(&mut self, steps: &mut Vec<Step>, depth: usize) -> Option<()> {
        self.at += 1;
        self.skip_space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            self.skip_space();
            let key = self.string()?;
            self.skip_space();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            steps.push(Step::Key(key));
            let read = self.value(steps, depth + 1);
            steps.pop();
            read?;
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, steps: &mut Vec<Step>, depth: usize) -> Option<()> {
        self.at += 1;
        self.skip_space();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        for index in 0.. {
            steps.push(Step::Index(index));
            let read = self.value(steps, depth + 1);
            steps.pop();
            read?;
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
        None
    }

    /// Reads a string at the cursor; returns its value (escapes resolved).
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.at;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        serde_json::from_str(text)
            .ok()
            .or_else(|| Some(text.trim_matches('"').to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's own message for decoding `body` as a `T`.
    fn message<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        serde_json::from_str::<T>(body).unwrap_err().to_string()
    }

    #[test]
    fn positions_are_read_from_messages() {
        assert_eq!(
            position("missing field `id` at line 3 column 14"),
            Some((3, 14))
        );
        assert_eq!(position("the value matches nothing"), None);
    }

    #[test]
    fn a_refused_scalar_is_found_with_its_pointer() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Owner {
            id: i64,
        }
        let body = r#"[{"id":1},{"id":"12,"}]"#;
        let found = locate(body, &message::<Vec<Owner>>(body), &["id"], &|_| true).unwrap();
        assert_eq!(found.pointer, "/1/id");
        assert_eq!(found.text, "\"12,\"");
        assert!(found.is_field);
    }

    #[test]
    fn an_object_missing_a_property_is_found_and_multi_line_bodies_work() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Owner {
            login: String,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Repo {
            owner: Owner,
        }
        let body = "{\n  \"owner\": {\"id\": 1}\n}";
        let found = locate(body, &message::<Repo>(body), &["owner"], &|_| true).unwrap();
        assert_eq!(found.pointer, "/owner");
        assert_eq!(found.text, "{\"id\": 1}");
    }

    #[test]
    fn a_value_refused_before_it_is_read_and_null_items_are_found() {
        let body = r#"{"tags":{"a":1}}"#;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Tagged {
            tags: Vec<String>,
        }
        let found = locate(body, &message::<Tagged>(body), &["tags"], &|_| true).unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.text.as_str()),
            ("/tags", "{\"a\":1}")
        );
        let body = r#"{"tags":["a",null]}"#;
        let null = |text: &str| text == "null";
        let found = locate(body, &message::<Tagged>(body), &["tags"], &null).unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.text.as_str()),
            ("/tags/1", "null")
        );
        assert!(!found.is_field);
        // A position that lost its precision (after the whole object): the first value the
        // field path leads to that is what was refused.
        let body = r#"{"tags":["a",null,null],"n":1}"#;
        let found = locate(body, "x at line 1 column 30", &["tags"], &null).unwrap();
        assert_eq!(found.pointer, "/tags/1");
        // Refused in the first item, reported at the start of the second (the `,` read): the
        // array is the scope, and the first item without the property is the value.
        let body = r#"{"budgets":[{"id":1},{"id":2,"sku":"x"}]}"#;
        let lacks_sku = |text: &str| !text.contains("sku");
        let found = locate(body, "x at line 1 column 21", &["budgets"], &lacks_sku).unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.text.as_str()),
            ("/budgets/0", "{\"id\":1}")
        );
        // A map's value: the field path names the map, not the key.
        let body = r#"{"files":{"a":{"size":1},"b":null}}"#;
        let found = locate(body, "x at line 1 column 35", &["files"], &null).unwrap();
        assert_eq!(
            (found.pointer.as_str(), found.is_field),
            ("/files/b", false)
        );
        // Keys that need escaping in a pointer.
        let body = r#"{"a/b":{"c~d":null}}"#;
        let found = locate(body, "x at line 1 column 19", &["a/b", "c~d"], &|_| true).unwrap();
        assert_eq!(found.pointer, "/a~1b/c~0d");
    }
}
