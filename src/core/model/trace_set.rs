//! `TraceSet`: all loaded traces, finished and immutable. Made by a `TraceSetBuilder`; read by
//! every view.

use rustc_hash::FxHashMap;

use crate::core::model::ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceId, TraceIdx};
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
    /// Whether this is the page's copy of a set the engine keeps, holding what the page draws
    /// only: its attribute, link and resource tables are empty, and so are the span columns
    /// [`PAGE_COPY_LEAVES_OUT`] names, the events' names and attribute ranges, and the
    /// callers' views. The engine answers for them (see `core::engine::answers`).
    #[serde(default)]
    pub page_copy: bool,
}

/// The span columns the page's copy of a set has no rows in (see [`TraceSet::page_copy`]).
pub const PAGE_COPY_LEAVES_OUT: [&str; 5] = ["parent_id", "resource", "status_message", "attrs", "links"];

/// The event columns the page's copy of a set has no rows in.
pub const PAGE_COPY_LEAVES_OUT_OF_EVENTS: [&str; 2] = ["name", "attrs"];

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

    /// Makes the page's copy of a set a whole set again, with what the engine kept blank: each
    /// span's parent id is its parent row's (an orphan's is lost), each service one resource
    /// without attributes, no status messages, attributes, links, callers' views or event
    /// names. For the rare load that must start from the page's copy (the engine that kept
    /// the set stopped); the user is told what was lost.
    pub fn fill_in_blank_details(&mut self) {
        if !self.page_copy {
            return;
        }
        let spans = &mut self.spans;
        let n = spans.len();
        spans.parent_id = spans.parent.iter().map(|parent| parent.map(|row| spans.span_id[row.get()])).collect();
        let mut resource_of: FxHashMap<StrIdx, ResourceIdx> = FxHashMap::default();
        let resources = &mut self.resources;
        *resources = Default::default();
        spans.resource = spans
            .service
            .iter()
            .map(|&service| *resource_of.entry(service).or_insert_with(|| resources.push(service, RowRange::default())))
            .collect();
        spans.status_message = vec![StrIdx(0); n];
        spans.attrs = vec![RowRange::default(); n];
        spans.links = vec![RowRange::default(); n];
        spans.callers.clear();
        let events = self.events.len();
        self.events.name = vec![StrIdx(0); events];
        self.events.attrs = vec![RowRange::default(); events];
        self.attrs = Default::default();
        self.links = Default::default();
        self.page_copy = false;
    }

    /// The page's copy of this whole set, as the parts for the page make it, for unit tests
    /// of the model that do not go through the parts.
    #[cfg(test)]
    pub(crate) fn to_page_copy(&self) -> TraceSet {
        let mut set = self.clone();
        set.page_copy = true;
        let spans = &mut set.spans;
        (spans.parent_id, spans.resource, spans.status_message) = Default::default();
        (spans.attrs, spans.links, spans.callers) = Default::default();
        (set.events.name, set.events.attrs) = Default::default();
        (set.attrs, set.links, set.resources) = Default::default();
        set
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
    fn a_page_copy_filled_in_is_a_whole_set_with_the_same_tree() {
        let whole = checkout_sample();
        let mut set = whole.to_page_copy();
        let events = set.events.len();
        let (spans, times, operations) = (set.span_count(), set.events.time_ns.clone(), set.spans.operation.clone());
        assert_eq!(crate::core::model::check_integrity(&set), Ok(()));
        set.fill_in_blank_details();
        assert!(!set.page_copy);
        assert_eq!(crate::core::model::check_integrity(&set), Ok(()));
        assert_eq!((set.span_count(), &set.spans.operation, set.events.len()), (spans, &operations, events));
        assert_eq!(set.events.time_ns, times);
        assert_eq!(set.spans.parent_id, whole.spans.parent_id, "the sample has no orphans");
        let services: std::collections::HashSet<_> = whole.spans.service.iter().collect();
        assert_eq!(set.resources.len(), services.len());
        for i in 0..spans {
            assert_eq!(set.resources.service[set.spans.resource[i].get()], whole.spans.service[i]);
        }
    }
}
