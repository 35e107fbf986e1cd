//! `TraceSet`: all loaded traces, finished and immutable. Made by a `TraceSetBuilder`; read by
//! every view.

use crate::core::model::ids::{RowRange, SpanId, SpanIdx, StrIdx, TraceId, TraceIdx};
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

    /// The trace whose id is `id`, if loaded.
    pub fn trace_of_id(&self, id: TraceId) -> Option<TraceIdx> {
        self.traces.trace_id.iter().position(|&trace_id| trace_id == id).map(|t| TraceIdx(t as u32))
    }

    /// The row of the span `id` in trace `trace`, if it has one.
    pub fn span_of_id(&self, trace: TraceIdx, id: SpanId) -> Option<SpanIdx> {
        self.trace_spans(trace).find(|span| self.spans.span_id[span.get()] == id)
    }

    /// Total spans in the set.
    pub fn span_count(&self) -> usize {
        self.spans.len()
    }

    /// Total traces in the set.
    pub fn trace_count(&self) -> usize {
        self.traces.len()
    }

    /// Drops the attribute rows of spans, events, links and resources, keeping everything
    /// else: the page's copy of a set that the engine keeps, and asks the engine for them.
    pub fn forget_attribute_rows(&mut self) {
        self.attrs = AttrTable::default();
        let tables = [&mut self.spans.attrs, &mut self.events.attrs, &mut self.links.attrs, &mut self.resources.attrs];
        for ranges in tables {
            ranges.fill(RowRange::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;

    #[test]
    fn traces_and_spans_are_found_by_their_ids() {
        let set = checkout_sample();
        let trace_id = TraceId::from_hex("7be2a1c3d4e5f60718293a4b5c6d7e8f").unwrap();
        let trace = set.trace_of_id(trace_id).unwrap();
        assert_eq!(trace, TraceIdx(0));
        let row = set.span_of_id(trace, SpanId::from_hex("a1b2c3d4e5f60007").unwrap()).unwrap();
        assert_eq!(set.str(set.spans.operation[row.get()]), "INSERT payments");
        assert_eq!(set.span_of_id(trace, SpanId::from_hex("ffffffffffffffff").unwrap()), None);
        assert_eq!(set.trace_of_id(TraceId::from_hex("1").unwrap()), None);
    }

    #[test]
    fn a_set_without_its_attribute_rows_still_holds_together() {
        let mut set = checkout_sample();
        assert!(!set.attrs.is_empty());
        let (spans, events, operations) = (set.span_count(), set.events.len(), set.spans.operation.clone());
        set.forget_attribute_rows();
        assert!(set.attrs.is_empty());
        assert!(set
            .spans
            .attrs
            .iter()
            .chain(&set.events.attrs)
            .chain(&set.resources.attrs)
            .all(|rows| rows.is_empty()));
        assert_eq!((set.span_count(), set.events.len(), &set.spans.operation), (spans, events, &operations));
        assert_eq!(crate::core::model::check_integrity(&set), Ok(()));
    }
}
