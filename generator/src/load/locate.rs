//! Finds the line and column of a JSON pointer in the spec's source text.
//!
//! Parsers give positions for syntax errors only; semantic problems are found later, on the
//! parsed tree, and carry a JSON pointer. This module maps such a pointer back to the text so
//! messages can say `file:line:column`. JSON is scanned exactly; YAML is scanned for block
//! style (what hand-written specs use). Where the node cannot be found, the answer is `None`
//! and the message still has the pointer.

use crate::error::pointer_tokens;

/// One-based line and column of the node at `pointer`, if it can be found.
pub fn locate(text: &str, pointer: &str, is_json: bool) -> Option<(usize, usize)> {
    let tokens = pointer_tokens(pointer);
    let offset = if is_json {
        JsonScanner::new(text).find(&tokens)?
    } else {
        yaml_find(text, &tokens)?
    };
    Some(line_column(text, offset))
}

/// How many YAML pointers [`locate_many`] looks up one by one (each is a scan of the
/// text); the rest keep their pointer only. JSON pointers are all found in one pass.
const YAML_LOOKUPS: usize = 200;

/// [`locate`] for many pointers at once: JSON is walked once for all of them.
pub fn locate_many(text: &str, pointers: &[&str], is_json: bool) -> Vec<Option<(usize, usize)>> {
    if !is_json {
        return pointers
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if i < YAML_LOOKUPS {
                    locate(text, p, false)
                } else {
                    None
                }
            })
            .collect();
    }
    let mut trie = Trie::default();
    for (i, pointer) in pointers.iter().enumerate() {
        let mut node = &mut trie;
        for token in pointer_tokens(pointer) {
            node = node.children.entry(token).or_default();
        }
        node.ids.push(i);
    }
    let mut offsets = vec![None; pointers.len()];
    let mut scanner = JsonScanner::new(text);
    scanner.skip_ws();
    scanner.walk(&trie, &mut offsets);
    let mut lines = LineIndex::new(text);
    offsets
        .into_iter()
        .map(|o| o.map(|o| lines.line_column(o)))
        .collect()
}

/// Wanted pointers, token by token.
#[derive(Default)]
struct Trie {
    children: std::collections::HashMap<String, Trie>,
    ids: Vec<usize>,
}

/// Line starts, for turning many offsets into lines without rescanning.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn line_column(&mut self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |t| t.chars().count() + 1);
        (line, column)
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |nl| before.len() - nl - 1)
        + 1;
    (line, column)
}

/// A minimal JSON scanner that walks to the value at a path and returns its byte offset.
struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> JsonScanner<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn find(mut self, tokens: &[String]) -> Option<usize> {
        self.skip_ws();
        for token in tokens {
            match self.peek()? {
                b'{' => {
                    self.pos += 1;
                    loop {
                        self.skip_ws();
                        if self.peek()? == b'}' {
                            return None;
                        }
                        let key = self.string()?;
                        self.skip_ws();
                        self.eat(b':')?;
                        self.skip_ws();
                        if key == *token {
                            break;
                        }
                        self.skip_value()?;
                        self.skip_ws();
                        if self.peek()? == b',' {
                            self.pos += 1;
                        }
                    }
                }
                b'[' => {
                    let index: usize = token.parse().ok()?;
                    self.pos += 1;
                    for _ in 0..index {
                        self.skip_ws();
                        self.skip_value()?;
                        self.skip_ws();
                        self.eat(b',')?;
                    }
                    self.skip_ws();
                }
                _ => return None,
            }
        }
        Some(self.pos)
    }

    /// Walks the value here, recording the offsets of the wanted nodes in `trie` and
    /// skipping every subtree nothing is wanted in.
    fn walk(&mut self, trie: &Trie, offsets: &mut [Option<usize>]) -> Option<()> {
        for id in &trie.ids {
            offsets[*id] = Some(self.pos);
        }
        if trie.children.is_empty() {
            return self.skip_value();
        }
        match self.peek()? {
            b'{' => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    if self.peek()? == b'}' {
                        self.pos += 1;
                        return Some(());
                    }
                    let key = self.string()?;
                    self.skip_ws();
                    self.eat(b':')?;
                    self.skip_ws();
                    match trie.children.get(&key) {
                        Some(child) => self.walk(child, offsets)?,
                        None => self.skip_value()?,
                    }
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    if self.peek()? == b']' {
                        self.pos += 1;
                        return Some(());
                    }
                    match trie.children.get(&index.to_string()) {
                        Some(child) => self.walk(child, offsets)?,
                        None => self.skip_value()?,
                    }
                    index += 1;
                    self.skip_ws();
                    if self.peek()? == b',' {
                        self.pos += 1;
                    }
                }
            }
            _ => self.skip_value(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Reads a string literal, returning its (unescaped for the common cases) content.
    fn string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let start = self.pos;
        while self.peek()? != b'"' {
            if self.peek()? == b'\\' {
                self.pos += 1;
            }
            self.pos += 1;
        }
        let raw = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
        self.pos += 1;
        Some(
            raw.replace("\\/", "/")
                .replace("\\\"", "\"")
                .replace("\\\\", "\\"),
        )
    }

    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while !matches!(self.peek()?, b',' | b'}' | b']') {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

/// Walks block-style YAML by indentation. Returns the byte offset of the key (or list item)
/// named by the last token.
fn yaml_find(text: &str, tokens: &[String]) -> Option<usize> {
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let mut range = 0..lines.len();
    let mut parent_indent: isize = -1;
    let mut found = 0;
    for token in tokens {
        let (index, indent) = yaml_child(&lines, range.clone(), parent_indent, token)?;
        found = lines[index].0 + indent;
        // The child's block runs until the next line indented at or below the child.
        let end = (index + 1..range.end)
            .find(|&i| {
                let (_, line) = lines[i];
                !is_blank(line) && indent_of(line) <= indent
            })
            .unwrap_or(range.end);
        range = index..end;
        parent_indent = indent as isize;
    }
    Some(found)
}

/// Finds the child `token` of the block in `range` whose own lines are indented more than
/// `parent_indent`: a `key:` line, or the n-th `- ` item.
fn yaml_child(
    lines: &[(usize, &str)],
    range: std::ops::Range<usize>,
    parent_indent: isize,
    token: &str,
) -> Option<(usize, usize)> {
    let mut child_indent: Option<usize> = None;
    let mut item = 0usize;
    let wanted_item: Option<usize> = token.parse().ok();
    for i in range {
        let (_, line) = lines[i];
        if is_blank(line) {
            continue;
        }
        let indent = indent_of(line);
        if (indent as isize) <= parent_indent {
            continue;
        }
        let content = &line[indent..];
        // A list item nested directly under its key may sit at the key's own indent.
        let level = *child_indent.get_or_insert(indent);
        if indent != level {
            // "- key: v" puts the first key of an item on the dash line; others line up after it.
            continue;
        }
        if content.starts_with("- ") || content == "-" {
            if wanted_item == Some(item) {
                return Some((i, indent));
            }
            item += 1;
            continue;
        }
        let key = yaml_key(content)?;
        if key == token {
            return Some((i, indent));
        }
    }
    None
}

fn yaml_key(content: &str) -> Option<String> {
    let content = content.trim_end();
    let (key, _) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find('"')?;
        return Some(quoted[..end].to_string());
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        return Some(quoted[..end].to_string());
    } else {
        content.split_once(':')?
    };
    Some(key.trim().to_string())
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut offset = 0;
    text.split('\n')
        .map(|line| {
            let start = offset;
            offset += line.len() + 1;
            (start, line.trim_end_matches('\r'))
        })
        .collect()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      parameters:\n        - name: a\n          in: query\n        - name: b\n      responses:\n        '404':\n          description: x\n";

    #[test]
    fn finds_yaml_keys_by_indentation() {
        assert_eq!(
            locate(YAML, "#/paths/~1pets~1{id}/get/responses/404", false),
            Some((10, 9))
        );
        assert_eq!(
            locate(YAML, "#/paths/~1pets~1{id}/get/parameters/1", false),
            Some((8, 9))
        );
        assert_eq!(locate(YAML, "#/paths/~1nope", false), None);
    }

    #[test]
    fn finds_many_json_pointers_in_one_pass() {
        let json = "{\n \"a\": {\"x\": [1, {\"y\": 2}]},\n \"b/c\": {\n  \"d\": true\n }\n}";
        let pointers = ["#/b~1c/d", "#/a/x/1/y", "#/a/z", "#/a", "#/b~1c/d"];
        let found = locate_many(json, &pointers, true);
        let one_by_one: Vec<_> = pointers.iter().map(|p| locate(json, p, true)).collect();
        assert_eq!(found, one_by_one);
        assert_eq!(found[1], Some((2, 23)));
    }

    #[test]
    fn finds_json_values_exactly() {
        let json = "{\n \"a\": {\"x\": [1, {\"y\": 2}]},\n \"b/c\": {\n  \"d\": true\n }\n}";
        assert_eq!(locate(json, "#/b~1c/d", true), Some((4, 8)));
        assert_eq!(locate(json, "#/a/x/1/y", true), Some((2, 23)));
        assert_eq!(locate(json, "#/a/z", true), None);
    }
}
