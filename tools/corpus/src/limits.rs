//! The reviewed list of known Prism limits (`tools/corpus/prism-limits.toml`): requests
//! Prism rejects although the client sends what the spec asks, and specs Prism is not
//! started for, each with its reason.

use std::path::Path;

use serde::Deserialize;

/// The whole list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Operations whose request Prism rejects wrongly.
    #[serde(default)]
    pub rejected: Vec<Rejection>,
    /// Specs Prism is not started for (too slow to start, or cannot serve them).
    #[serde(default, rename = "not-served")]
    pub not_served: Vec<NotServed>,
}

/// One operation whose request Prism rejects, and why that is Prism's limit.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// The spec's file name.
    pub spec: String,
    /// The operation (its `operationId`, or `method /path` as the smoke module names it).
    pub operation: String,
    /// Why Prism is wrong here.
    pub reason: String,
}

/// A spec Prism is not started for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotServed {
    /// The spec's file name.
    pub spec: String,
    /// Why (e.g. how long Prism takes to start on it).
    pub reason: String,
}

impl Limits {
    /// Reads and checks the list.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the list's text; every entry needs a non-empty reason.
    pub fn parse(text: &str) -> Result<Self, String> {
        let limits: Self = toml::from_str(text).map_err(|e| e.to_string())?;
        let reasons = limits
            .rejected
            .iter()
            .map(|r| (&r.spec, &r.reason))
            .chain(limits.not_served.iter().map(|n| (&n.spec, &n.reason)));
        for (spec, reason) in reasons {
            if reason.trim().is_empty() {
                return Err(format!("the entry for {spec} has no reason"));
            }
        }
        Ok(limits)
    }

    /// The reason a rejection of `operation` of `spec` is listed, if it is.
    pub fn rejection(&self, spec: &str, operation: &str) -> Option<&str> {
        self.rejected
            .iter()
            .find(|r| r.spec == spec && r.operation == operation)
            .map(|r| r.reason.as_str())
    }

    /// The reason `spec` is not served, if it is listed.
    pub fn not_served(&self, spec: &str) -> Option<&str> {
        self.not_served
            .iter()
            .find(|n| n.spec == spec)
            .map(|n| n.reason.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_by_spec_and_operation() {
        let limits = Limits::parse(
            r#"
[[rejected]]
spec = "a.yaml"
operation = "listThings"
reason = "Prism reads one value of a repeated key"

[[not-served]]
spec = "big.json"
reason = "Prism takes minutes to start"
"#,
        )
        .unwrap();
        assert_eq!(
            limits.rejection("a.yaml", "listThings"),
            Some("Prism reads one value of a repeated key")
        );
        assert_eq!(limits.rejection("a.yaml", "getThing"), None);
        assert_eq!(limits.rejection("b.yaml", "listThings"), None);
        assert_eq!(
            limits.not_served("big.json"),
            Some("Prism takes minutes to start")
        );
        assert_eq!(limits.not_served("a.yaml"), None);
    }

    #[test]
    fn entries_without_reason_or_unknown_keys_are_refused() {
        let error =
            Limits::parse("[[rejected]]\nspec = \"a.yaml\"\noperation = \"x\"\nreason = \" \"\n")
                .unwrap_err();
        assert!(error.contains("a.yaml has no reason"), "{error}");
        let error =
            Limits::parse("[[rejected]]\nspec = \"a.yaml\"\noperation = \"x\"\n").unwrap_err();
        assert!(error.contains("reason"), "{error}");
        let error = Limits::parse("[[slow]]\nspec = \"a.yaml\"\n").unwrap_err();
        assert!(error.contains("slow"), "{error}");
    }

    #[test]
    fn the_repository_list_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("prism-limits.toml");
        let limits = Limits::load(&path).unwrap();
        assert!(limits.rejected.iter().all(|r| !r.operation.is_empty()));
    }
}
