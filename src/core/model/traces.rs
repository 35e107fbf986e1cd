//! The trace table: one row per trace of a `TraceSet`, with the figures a trace list shows,
//! and the import warnings that belong to it.

use std::collections::BTreeMap;

use crate::core::model::ids::{RowRange, SpanId, SpanIdx, TraceId};
use crate::core::model::values::WarningKind;

/// How many of `warnings` there are of each kind, in the kinds' order.
pub fn warning_counts(warnings: &[Warning]) -> BTreeMap<WarningKind, usize> {
    let mut by_kind = BTreeMap::new();
    for warning in warnings {
        *by_kind.entry(warning.kind).or_default() += 1;
    }
    by_kind
}

/// What a list of import warnings holds, in one line: "700 import warnings: 650 spans without
/// their parent, 50 clock skews" (the kinds most frequent first). Tens of thousands of warnings
/// read at a glance: they are often one cause repeated, such as a file whose spans repeat the
/// ids of a trace already loaded.
pub fn warnings_summary(warnings: &[Warning]) -> String {
    let mut by_kind: Vec<(WarningKind, usize)> = warning_counts(warnings).into_iter().collect();
    by_kind.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = crate::core::format::count_noun(warnings.len(), "import warning", "import warnings");
    if by_kind.is_empty() {
        return total;
    }
    let kinds: Vec<String> = by_kind.iter().map(|&(kind, count)| kind.counted(count)).collect();
    format!("{total}: {}", kinds.join(", "))
}

/// One import warning: what was doubtful or repaired, and where.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// What kind of problem.
    pub kind: WarningKind,
    /// The span it concerns, when it concerns one.
    pub span: Option<SpanIdx>,
    /// That span's id (kept even when the row is not resolved).
    pub span_id: Option<SpanId>,
    /// A sentence for the user: what was found and what was done.
    pub message: String,
}

/// The columns of all traces of a `TraceSet`, indexed by `TraceIdx`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TraceTable {
    /// The trace id.
    pub trace_id: Vec<TraceId>,
    /// The trace's span rows (contiguous, pre-order).
    pub spans: Vec<RowRange>,
    /// The trace's roots, rows of `TraceSet::roots` (more than one when parents are missing).
    pub roots: Vec<RowRange>,
    /// Earliest span start, ns since the epoch.
    pub start_ns: Vec<i64>,
    /// Latest span end, ns since the epoch.
    pub end_ns: Vec<i64>,
    /// Distinct services.
    pub service_count: Vec<u32>,
    /// Spans with error status.
    pub error_count: Vec<u32>,
    /// Deepest span's depth (0 when every span is a root).
    pub max_depth: Vec<u32>,
    /// The trace's warnings, rows of `TraceSet::warnings`.
    pub warnings: Vec<RowRange>,
    /// Whether spans are missing (a parent not found, or a cycle broken).
    pub incomplete: Vec<bool>,
}

impl TraceTable {
    /// How many traces.
    pub fn len(&self) -> usize {
        self.trace_id.len()
    }

    /// Whether there are no traces.
    pub fn is_empty(&self) -> bool {
        self.trace_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(kind: WarningKind) -> Warning {
        Warning { kind, span: None, span_id: None, message: String::new() }
    }

    #[test]
    fn a_summary_counts_each_kind_most_frequent_first() {
        let mut warnings = vec![warning(WarningKind::ClockSkew)];
        warnings.extend((0..650).map(|_| warning(WarningKind::MissingParent)));
        warnings.push(warning(WarningKind::ClockSkew));
        warnings.push(warning(WarningKind::DuplicateSpanId));
        assert_eq!(
            warnings_summary(&warnings),
            "653 import warnings: 650 spans without their parent, 2 clock skews, 1 id carried by different spans"
        );
    }

    #[test]
    fn a_summary_of_one_kind_or_none() {
        let shared: Vec<Warning> = (0..110_000).map(|_| warning(WarningKind::DuplicateSpanId)).collect();
        assert_eq!(warnings_summary(&shared), "110,000 import warnings: 110,000 ids carried by different spans");
        assert_eq!(
            warnings_summary(&[warning(WarningKind::SourceReported)]),
            "1 import warning: 1 note from the source"
        );
        assert_eq!(warnings_summary(&[]), "0 import warnings");
    }
}
