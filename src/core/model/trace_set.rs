//! `TraceSet`: all loaded traces, finished and immutable. Made by a `TraceSetBuilder`; read by
//! every view.

use crate::core::model::ids::{SpanIdx, StrIdx, TraceIdx};
use crate::core::model::spans::SpanTable;
use crate::core::model::strings::StringTable;
use crate::core::model::tables::{AttrTable, EventTable, LinkTable, ResourceTable};
use crate::core::model::traces::{TraceTable, Warning};

/// All loaded traces as tables (see `docs/trace-model.md` for every column and invariant).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TraceSet {
    /// Every string the tables name.
    pub strings: StringTable,
    /// One row per span, pre-order per trace.
    pub spans: SpanTable,
    /// One row per trace.
    pub traces: TraceTable,
    /// Root rows of all traces; each trace's are `traces.roots[t]`.
    pub roots: Vec<SpanIdx>,
    /// Attributes of spans, events, links and resources.
    pub attrs: AttrTable,
    /// Events and logs.
    pub events: EventTable,
    /// Links and extra references.
    pub links: LinkTable,
    /// Resources (processes).
    pub resources: ResourceTable,
    /// Import warnings of all traces; each trace's are `traces.warnings[t]`.
    pub warnings: Vec<Warning>,
}

impl TraceSet {
    /// The text of an interned string.
    pub fn str(&self, index: StrIdx) -> &str {
        self.strings.get(index)
    }

    /// The roots of trace `trace`.
    pub fn trace_roots(&self, trace: TraceIdx) -> &[SpanIdx] {
        &self.roots[self.traces.roots[trace.get()].as_range()]
    }

    /// The warnings of trace `trace`.
    pub fn trace_warnings(&self, trace: TraceIdx) -> &[Warning] {
        &self.warnings[self.traces.warnings[trace.get()].as_range()]
    }

    /// The span rows of trace `trace`.
    pub fn trace_spans(&self, trace: TraceIdx) -> impl Iterator<Item = SpanIdx> {
        self.traces.spans[trace.get()].as_range().map(|i| SpanIdx(i as u32))
    }

    /// Total spans in the set.
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// Total traces in the set.
    pub fn trace_count(&self) -> usize {
        self.traces.len()
    }
}
