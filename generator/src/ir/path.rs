//! Path templates such as `/v2/users/{id}`, parsed into literal text and parameters.

use std::fmt;

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// The template as written in the spec.
    pub raw: String,
    /// Its parts in order.
    pub parts: Vec<PathPart>,
}

/// A part of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as written.
    Literal(String),
    /// A `{name}` placeholder, filled with an encoded parameter.
    Param(String),
}

/// A template that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError(pub String);

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PathTemplate {
    /// Parses `raw`, which must start with `/` and have balanced, non-empty `{}`.
    pub fn parse(raw: &str) -> Result<Self, PathError> {
        if !raw.starts_with('/') {
            return Err(PathError(format!("path {raw:?} does not start with `/`")));
        }
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| PathError(format!("path {raw:?} has an unclosed `{{`")))?;
            let name = &after[..close];
            if name.is_empty() || name.contains('{') {
                return Err(PathError(format!(
                    "path {raw:?} has an empty or nested `{{}}`"
                )));
            }
            parts.push(PathPart::Param(name.to_string()));
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(PathError(format!("path {raw:?} has an unmatched `}}`")));
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        Ok(Self {
            raw: raw.to_string(),
            parts,
        })
    }

    /// The parameter names in template order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_literals_and_params() {
        let t = PathTemplate::parse("/v2/users/{id}/settings-history").unwrap();
        assert_eq!(
            t.parts,
            vec![
                PathPart::Literal("/v2/users/".into()),
                PathPart::Param("id".into()),
                PathPart::Literal("/settings-history".into()),
            ]
        );
        assert_eq!(t.params().collect::<Vec<_>>(), vec!["id"]);
    }

    #[test]
    fn rejects_bad_templates() {
        assert!(PathTemplate::parse("v2").is_err());
        assert!(PathTemplate::parse("/a/{id").is_err());
        assert!(PathTemplate::parse("/a/{}").is_err());
        assert!(PathTemplate::parse("/a/id}").is_err());
    }
}
