//! What `apigen generate` reports about paging: one summary line (operations per
//! pattern) and, with `--report-paging`, one line per paginated operation (its pattern,
//! the parameters and body fields it uses, and whether it was detected or stated by
//! `x-pagination`). The corpus command uses the counts.

use crate::ir::{self, PagingOrigin, PagingParam, PagingPattern};
use crate::Generated;

/// The patterns in report order.
const PATTERNS: [&str; 5] = ["link", "cursor", "has-more", "offset", "page"];

impl Generated {
    /// How many operations page, per pattern (every pattern, in report order), and how many
    /// of them `x-pagination` states.
    pub fn paging_counts(&self) -> (Vec<(&'static str, usize)>, usize) {
        let paged: Vec<&ir::Pagination> = self
            .api
            .operations
            .iter()
            .filter_map(|op| op.pagination.as_ref())
            .collect();
        let counts = PATTERNS
            .iter()
            .map(|name| {
                let count = paged.iter().filter(|p| p.pattern.name() == *name).count();
                (*name, count)
            })
            .collect();
        let stated = paged
            .iter()
            .filter(|p| p.origin == PagingOrigin::Extension)
            .count();
        (counts, stated)
    }

    /// One line: `paging: 41 operations (link 38, cursor 3)`, patterns with none left out.
    pub fn paging_summary(&self) -> String {
        let (counts, stated) = self.paging_counts();
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        let parts: Vec<String> = counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(name, n)| format!("{name} {n}"))
            .collect();
        let mut line = format!(
            "paging: {total} operation{}",
            if total == 1 { "" } else { "s" }
        );
        if !parts.is_empty() {
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        if stated > 0 {
            line.push_str(&format!("; {stated} from x-pagination"));
        }
        line
    }

    /// One line per paginated operation, in spec order: operationId, method and path,
    /// pattern, parameters, body paths, and where it came from.
    pub fn paging_details(&self) -> Vec<String> {
        let api = &self.api;
        api.operations
            .iter()
            .filter_map(|op| {
                let paging = op.pagination.as_ref()?;
                let path = |steps: &[ir::PathStep]| ir::paging::describe(&api.types, op, steps);
                let param = |p: &PagingParam| match p.location {
                    ir::CursorLocation::Query => format!("query `{}`", p.wire_name),
                    ir::CursorLocation::Body => format!("request body `{}`", p.wire_name),
                };
                let mut parts = Vec::new();
                match &paging.pattern {
                    PagingPattern::Cursor {
                        param: p,
                        next_cursor,
                    } => {
                        parts.push(format!("cursor {}", param(p)));
                        parts.push(format!("next cursor {}", path(next_cursor)));
                    }
                    PagingPattern::HasMore {
                        param: p,
                        has_more,
                        item_id,
                    } => {
                        let id = match item_id {
                            ir::ItemId::Field(step) => step.field.clone(),
                            ir::ItemId::Property(name) => name.clone(),
                        };
                        parts.push(format!("last item's `{id}` as {}", param(p)));
                        parts.push(format!("has_more {}", path(has_more)));
                    }
                    PagingPattern::Offset {
                        offset,
                        limit,
                        total,
                    } => {
                        parts.push(format!("offset {}", param(offset)));
                        if let Some(limit) = limit {
                            parts.push(format!("page size {}", param(limit)));
                        }
                        if let Some(total) = total {
                            parts.push(format!("total {}", path(total)));
                        }
                    }
                    PagingPattern::Page { page, per_page } => {
                        parts.push(format!("page {}", param(page)));
                        if let Some(per_page) = per_page {
                            parts.push(format!("page size {}", param(per_page)));
                        }
                    }
                    PagingPattern::Link { page } => {
                        parts.push("next URL from the `Link` header".to_string());
                        if let Some(page) = page {
                            parts.push(format!("page {}", param(page)));
                        }
                    }
                }
                parts.push(format!("items {}", path(&paging.items)));
                let origin = match &paging.origin {
                    PagingOrigin::Detected(evidence) => format!("detected: {evidence}"),
                    PagingOrigin::Extension => "from x-pagination".to_string(),
                };
                Some(format!(
                    "{} ({} {}): {}; {}; {origin}",
                    op.operation_id,
                    op.method.as_str(),
                    op.path.raw,
                    paging.pattern.name(),
                    parts.join(", ")
                ))
            })
            .collect()
    }
}
