//! The span table: one column per field, one row per span, indexed by [`SpanIdx`].
//!
//! Ordering invariant: the rows of a trace are contiguous and in pre-order depth-first order
//! (parents before children, siblings by start time, then span id). So `parent[i] < i`, and the
//! subtree of row `i` is exactly `[i, i + subtree_len[i])`.

use crate::core::model::ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceIdx};
use crate::core::model::tables::CallerView;
use crate::core::model::values::{SpanFlags, SpanKind, StatusCode};

/// The columns of all spans of a `TraceSet`. Every column has `len()` rows.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SpanTable {
    /// The trace the span belongs to.
    #[serde(with = "crate::core::model::packed")]
    pub trace: Vec<TraceIdx>,
    /// The span's id as the source wrote it (left-padded to 8 bytes).
    #[serde(with = "crate::core::model::packed")]
    pub span_id: Vec<SpanId>,
    /// The parent row; `None` for a root (including an orphan whose parent is missing).
    #[serde(with = "crate::core::model::packed")]
    pub parent: Vec<Option<SpanIdx>>,
    /// The parent id the source named, even when that span is missing; `None` for a true root.
    #[serde(with = "crate::core::model::packed")]
    pub parent_id: Vec<Option<SpanId>>,
    /// Distance from the span's root: 0 for roots.
    #[serde(with = "crate::core::model::packed")]
    pub depth: Vec<u32>,
    /// Rows in the subtree, the span itself included (at least 1).
    #[serde(with = "crate::core::model::packed")]
    pub subtree_len: Vec<u32>,
    /// The emitting resource (process).
    #[serde(with = "crate::core::model::packed")]
    pub resource: Vec<ResourceIdx>,
    /// The normalized service name (the resource's, repeated here for fast filtering).
    #[serde(with = "crate::core::model::packed")]
    pub service: Vec<StrIdx>,
    /// The operation (span name).
    #[serde(with = "crate::core::model::packed")]
    pub operation: Vec<StrIdx>,
    /// Server, client, producer, consumer, internal or unspecified.
    #[serde(with = "crate::core::model::packed")]
    pub kind: Vec<SpanKind>,
    /// Unset, ok or error (normalized across formats).
    #[serde(with = "crate::core::model::packed")]
    pub status: Vec<StatusCode>,
    /// The status message; `StrIdx(0)` (empty) when none.
    #[serde(with = "crate::core::model::packed")]
    pub status_message: Vec<StrIdx>,
    /// Start, ns since the epoch (repaired from the parent when missing; see flags).
    #[serde(with = "crate::core::model::packed")]
    pub start_ns: Vec<i64>,
    /// Duration, ns; never negative (repaired to 0; see flags).
    #[serde(with = "crate::core::model::packed")]
    pub duration_ns: Vec<i64>,
    /// The span's attributes, rows of the attribute table.
    #[serde(with = "crate::core::model::packed")]
    pub attrs: Vec<RowRange>,
    /// The span's events/logs, rows of the event table.
    #[serde(with = "crate::core::model::packed")]
    pub events: Vec<RowRange>,
    /// The span's links/references, rows of the link table.
    #[serde(with = "crate::core::model::packed")]
    pub links: Vec<RowRange>,
    /// Error, repaired values, clock skew, orphan ... (see [`SpanFlags`]).
    #[serde(with = "crate::core::model::packed")]
    pub flags: Vec<SpanFlags>,
    /// Zipkin shared spans: the client half's view of the call, by span row (sorted by row;
    /// few spans have one, so it is not a column).
    pub callers: Vec<(SpanIdx, CallerView)>,
}

impl SpanTable {
    /// How many spans.
    pub fn len(&self) -> usize {
        self.span_id.len()
    }

    /// Whether there are no spans.
    pub fn is_empty(&self) -> bool {
        self.span_id.is_empty()
    }

    /// End of the span, ns since the epoch.
    pub fn end_ns(&self, span: SpanIdx) -> i64 {
        self.start_ns[span.get()].saturating_add(self.duration_ns[span.get()])
    }

    /// The client half's view of a Zipkin shared span, if it has one.
    pub fn caller(&self, span: SpanIdx) -> Option<&CallerView> {
        self.callers.binary_search_by_key(&span, |(row, _)| *row).ok().map(|at| &self.callers[at].1)
    }

    /// Whether the span failed.
    pub fn is_error(&self, span: SpanIdx) -> bool {
        self.flags[span.get()].has(SpanFlags::ERROR)
    }

    /// The rows of the span's subtree, itself first.
    pub fn subtree(&self, span: SpanIdx) -> std::ops::Range<usize> {
        span.get()..span.get() + self.subtree_len[span.get()] as usize
    }
}
