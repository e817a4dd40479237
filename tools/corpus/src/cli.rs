//! The command line: options, and the spec files the arguments name.

use std::path::{Path, PathBuf};

/// The usage line printed with a usage error.
pub const USAGE: &str = "usage: corpus [--max-bytes N] [--out DIR] \
    [--wire [--wire-mode static|dynamic|both] [--write-static-list PATH]] [SPEC or DIR ...]";

/// Which Prism modes a wire run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireModes {
    /// Answers from the spec's examples only.
    Static,
    /// Answers generated from the schemas (`prism mock -d`).
    Dynamic,
    /// Static, then dynamic.
    Both,
}

impl WireModes {
    /// The modes in run order, `true` meaning dynamic.
    pub fn dynamic_flags(self) -> &'static [bool] {
        match self {
            Self::Static => &[false],
            Self::Dynamic => &[true],
            Self::Both => &[false, true],
        }
    }
}

/// What the command was asked to do.
#[derive(Debug)]
pub struct Options {
    /// The scratch folder (`target/corpus`, or `target/wire` with `--wire`).
    pub out: PathBuf,
    /// The spec files, in order.
    pub specs: Vec<PathBuf>,
    /// `Some` for a wire run against Prism.
    pub wire: Option<WireModes>,
    /// Where a wire run writes its list of static-mode decode failures, grouped by why
    /// the decoding policy refuses them (`--write-static-list PATH`).
    pub static_list: Option<PathBuf>,
}

/// The repository's root folder.
pub fn repository_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Parses `args` (without the program name).
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let root = repository_root();
    let mut max_bytes = u64::MAX;
    let mut out = None;
    let mut wire = false;
    let mut modes = WireModes::Both;
    let mut mode_given = false;
    let mut static_list = None;
    let mut inputs = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--max-bytes" => {
                let value = args.next().ok_or("--max-bytes needs a value")?;
                max_bytes = value
                    .parse()
                    .map_err(|_| format!("bad --max-bytes {value:?}"))?;
            }
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a value")?)),
            "--wire" => wire = true,
            "--wire-mode" => {
                let value = args.next().ok_or("--wire-mode needs a value")?;
                modes = match value.as_str() {
                    "static" => WireModes::Static,
                    "dynamic" => WireModes::Dynamic,
                    "both" => WireModes::Both,
                    other => {
                        return Err(format!(
                            "bad --wire-mode {other:?}: static, dynamic or both"
                        ))
                    }
                };
                mode_given = true;
            }
            "--write-static-list" => {
                let value = args.next().ok_or("--write-static-list needs a path")?;
                static_list = Some(PathBuf::from(value));
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}")),
            other => inputs.push(PathBuf::from(other)),
        }
    }
    if mode_given && !wire {
        return Err("--wire-mode goes with --wire".to_string());
    }
    if static_list.is_some() && !wire {
        return Err("--write-static-list goes with --wire".to_string());
    }
    if inputs.is_empty() {
        let corpus = root.join("corpus");
        inputs = vec![corpus.clone(), corpus.join("non-3.0")];
    }
    let specs = spec_files(&inputs, max_bytes)?;
    let scratch = if wire { "target/wire" } else { "target/corpus" };
    Ok(Options {
        out: out.unwrap_or_else(|| root.join(scratch)),
        specs,
        wire: wire.then_some(modes),
        static_list,
    })
}

/// Each input's spec files (a folder's `.yaml`, `.yml` and `.json` files, sorted, not its
/// subfolders), leaving out those over `max_bytes`.
fn spec_files(inputs: &[PathBuf], max_bytes: u64) -> Result<Vec<PathBuf>, String> {
    let mut specs = Vec::new();
    for input in inputs {
        if !input.exists() {
            return Err(format!("{}: no such spec file or folder", input.display()));
        }
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| format!("{}: {e}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    )
                })
                .collect();
            found.sort();
            specs.extend(found);
        } else {
            specs.push(input.clone());
        }
    }
    specs.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= max_bytes));
    if specs.is_empty() {
        return Err(
            "no spec to run: the folders hold no .yaml, .yml or .json file \
                    (or every spec is over --max-bytes)"
                .to_string(),
        );
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn wire_options_are_read() {
        let spec = repository_root().join("spec/gong-users.yaml");
        let spec = spec.to_string_lossy().into_owned();
        let options = parse(&["--wire", "--wire-mode", "dynamic", &spec]).unwrap();
        assert_eq!(options.wire, Some(WireModes::Dynamic));
        assert!(options.out.ends_with("target/wire"));
        assert_eq!(options.specs.len(), 1);
        let options = parse(&["--wire", &spec]).unwrap();
        assert_eq!(options.wire, Some(WireModes::Both));
        assert_eq!(WireModes::Both.dynamic_flags(), &[false, true]);
        assert_eq!(options.static_list, None);
        let options = parse(&["--wire", "--write-static-list", "list.md", &spec]).unwrap();
        assert_eq!(options.static_list, Some(PathBuf::from("list.md")));
        let options = parse(&[&spec]).unwrap();
        assert_eq!(options.wire, None);
        assert!(options.out.ends_with("target/corpus"));
    }

    #[test]
    fn bad_wire_options_are_refused() {
        let spec = repository_root().join("spec/gong-users.yaml");
        let spec = spec.to_string_lossy().into_owned();
        let error = parse(&["--wire", "--wire-mode", "fast", &spec]).unwrap_err();
        assert!(error.contains("bad --wire-mode \"fast\""), "{error}");
        let error = parse(&["--wire-mode", "static", &spec]).unwrap_err();
        assert!(error.contains("goes with --wire"), "{error}");
        let error = parse(&["--write-static-list", "list.md", &spec]).unwrap_err();
        assert!(error.contains("goes with --wire"), "{error}");
        let error = parse(&["--wire", "--write-static-list"]).unwrap_err();
        assert!(error.contains("needs a path"), "{error}");
        let error = parse(&["--max-bytes", "10", &spec]).unwrap_err();
        assert!(error.contains("over --max-bytes"), "{error}");
    }
}
