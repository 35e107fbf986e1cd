//! The trace table: one row per trace of a `TraceSet`, with the figures a trace list shows,
//! and the import warnings that belong to it.

use crate::core::model::ids::{RowRange, SpanId, SpanIdx, TraceId};
use crate::core::model::values::WarningKind;

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
