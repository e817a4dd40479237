//! One row per spec, and the markdown tables with totals: the generation and check
//! results, and the paging found per pattern.

use std::path::PathBuf;

/// What `cargo check` said about one generated crate.
#[derive(Debug, Clone, Default)]
pub struct CheckResult {
    /// Compiler errors.
    pub errors: usize,
    /// Compiler warnings (clippy is not run here).
    pub warnings: usize,
    /// The first error, for the table.
    pub first_error: Option<String>,
}

/// One spec's outcome.
#[derive(Debug, Clone)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// The generated crate's package name.
    pub crate_name: String,
    /// Where the crate was written.
    pub crate_dir: Option<PathBuf>,
    /// Operations generated.
    pub operations: usize,
    /// Named types generated.
    pub types: usize,
    /// Lines of generated code (all files).
    pub lines: usize,
    /// Generation time, in process.
    pub millis: f64,
    /// Spec warnings.
    pub warnings: usize,
    /// The generation error, if any.
    pub error: Option<String>,
    /// Whether that error is "unsupported version" (expected for Swagger 2.0).
    pub unsupported: bool,
    /// The check result, once known.
    pub check: Option<CheckResult>,
    /// Paginated operations per pattern (`apigen generate`'s paging summary).
    pub paging: Vec<(&'static str, usize)>,
    /// How many of them `x-pagination` states (the rest are detected).
    pub paging_stated: usize,
}

impl Row {
    /// An empty row.
    pub fn new(spec: String, crate_name: String) -> Self {
        Self {
            spec,
            crate_name,
            crate_dir: None,
            operations: 0,
            types: 0,
            lines: 0,
            millis: 0.0,
            warnings: 0,
            error: None,
            unsupported: false,
            check: None,
            paging: Vec::new(),
            paging_stated: 0,
        }
    }

    /// Whether the spec generated and checked cleanly, or is Swagger 2.0 refused clearly.
    pub fn passed(&self) -> bool {
        if self.unsupported {
            return self
                .error
                .as_deref()
                .is_some_and(|e| e.contains("Swagger 2"));
        }
        self.error.is_none()
            && self
                .check
                .as_ref()
                .is_some_and(|c| c.errors == 0 && c.warnings == 0)
    }
}

/// The table, with a totals line.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| spec | ops | types | lines | gen ms | spec warnings | cargo check | rustc warnings |\n|---|---:|---:|---:|---:|---:|---|---:|\n",
    );
    for row in rows {
        let check = match (&row.error, &row.check) {
            (Some(error), _) if row.unsupported => format!("refused: {}", short(error)),
            (Some(error), _) => format!("GENERATION FAILED: {}", short(error)),
            (None, Some(c)) if c.errors == 0 => "ok".to_string(),
            (None, Some(c)) => format!(
                "{} errors: {}",
                c.errors,
                c.first_error.as_deref().map(short).unwrap_or_default()
            ),
            (None, None) => "not checked".to_string(),
        };
        let rustc_warnings = row.check.as_ref().map_or(0, |c| c.warnings);
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.0} | {} | {} | {} |\n",
            row.spec,
            row.operations,
            row.types,
            row.lines,
            row.millis,
            row.warnings,
            check,
            rustc_warnings
        ));
    }
    let passed = rows.iter().filter(|r| r.passed()).count();
    out.push_str(&format!(
        "| **total: {passed} of {} pass** | {} | {} | {} | {:.0} | {} | | {} |\n",
        rows.len(),
        rows.iter().map(|r| r.operations).sum::<usize>(),
        rows.iter().map(|r| r.types).sum::<usize>(),
        rows.iter().map(|r| r.lines).sum::<usize>(),
        rows.iter().map(|r| r.millis).sum::<f64>(),
        rows.iter().map(|r| r.warnings).sum::<usize>(),
        rows.iter()
            .filter_map(|r| r.check.as_ref())
            .map(|c| c.warnings)
            .sum::<usize>(),
    ));
    out
}

/// The paging table: per generated spec, the operations that page, per pattern, with
/// totals.
pub fn render_paging(rows: &[Row]) -> String {
    let rows: Vec<&Row> = rows.iter().filter(|r| !r.paging.is_empty()).collect();
    let Some(first) = rows.first() else {
        return String::new();
    };
    let names: Vec<&str> = first.paging.iter().map(|(name, _)| *name).collect();
    let mut out = format!(
        "| spec | ops | paged | {} | from x-pagination |\n|---|---:|---:|{}---:|\n",
        names.join(" | "),
        "---:|".repeat(names.len())
    );
    let mut totals = vec![0; names.len()];
    for row in &rows {
        let counts: Vec<usize> = row.paging.iter().map(|(_, n)| *n).collect();
        for (total, n) in totals.iter_mut().zip(&counts) {
            *total += n;
        }
        let cells: Vec<String> = counts.iter().map(usize::to_string).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            row.spec,
            row.operations,
            counts.iter().sum::<usize>(),
            cells.join(" | "),
            row.paging_stated
        ));
    }
    let cells: Vec<String> = totals.iter().map(usize::to_string).collect();
    out.push_str(&format!(
        "| **total** | {} | {} | {} | {} |\n",
        rows.iter().map(|r| r.operations).sum::<usize>(),
        totals.iter().sum::<usize>(),
        cells.join(" | "),
        rows.iter().map(|r| r.paging_stated).sum::<usize>()
    ));
    out
}

fn short(text: &str) -> String {
    let one_line = text.replace('\n', " ").replace('|', "/");
    match one_line.char_indices().nth(110) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}
