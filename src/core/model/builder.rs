//! `TraceSetBuilder`: importers push spans in any order; `finish` groups them into traces,
//! merges identical duplicates, links parents, repairs what it must (each repair a warning),
//! orders every trace in pre-order and writes the finished columns.
//!
//! The builder is kept apart from the finished `TraceSet`: the set is immutable once built.

mod append;
mod sent;

pub use sent::BuilderRows;

use rustc_hash::FxHashMap;

use crate::core::model::ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceId, TraceIdx};
use crate::core::model::strings::StringTable;
use crate::core::model::tables::{AttrTable, CallerView, EventTable, LinkTable, ResourceTable};
use crate::core::model::trace_set::TraceSet;
use crate::core::model::traces::Warning;
use crate::core::model::tree::{order_trace, OrderedRow, OrderedTrace, SideTables, CALL_ROWS};
use crate::core::model::values::{AttrValue, SpanFlags, SpanKind, StatusCode, WarningKind};

/// One span as an importer hands it over, before the tree is known.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct RawSpan {
    /// The trace it belongs to.
    pub trace_id: TraceId,
    /// Its id.
    pub span_id: SpanId,
    /// The parent's id; `None` for a root.
    pub parent_id: Option<SpanId>,
    /// Who emitted it.
    pub resource: ResourceIdx,
    /// The normalized service name.
    pub service: StrIdx,
    /// The operation name.
    pub operation: StrIdx,
    /// Span kind.
    pub kind: SpanKind,
    /// Normalized status.
    pub status: StatusCode,
    /// Status message, `StrIdx(0)` when none.
    pub status_message: StrIdx,
    /// Start, ns since the epoch; `None` or `Some(0)` when the source had none.
    pub start_ns: Option<i64>,
    /// Duration, ns; `None` when the source had none.
    pub duration_ns: Option<i64>,
    /// Attribute rows.
    pub attrs: RowRange,
    /// Event rows.
    pub events: RowRange,
    /// Link rows.
    pub links: RowRange,
    /// Flags known at import (error, merged client half).
    pub flags: SpanFlags,
    /// Zipkin: the client half's view of this call.
    pub caller: Option<Box<CallerView>>,
}

/// The end of every table at one moment (see [`TraceSetBuilder::checkpoint`]).
#[derive(Clone, Copy, Debug)]
pub struct Checkpoint {
    spans: usize,
    attrs: usize,
    events: usize,
    links: usize,
    resources: usize,
    warnings: usize,
}

/// A warning recorded while importing, before rows are known.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct PendingWarning {
    pub(crate) trace_id: TraceId,
    pub(crate) span_id: Option<SpanId>,
    pub(crate) kind: WarningKind,
    pub(crate) message: String,
}

/// Collects spans from one or more importers and builds the finished [`TraceSet`].
#[derive(Debug, Default)]
pub struct TraceSetBuilder {
    /// Strings, shared with the finished set.
    pub strings: StringTable,
    /// Attributes of spans, events, links and resources.
    pub attrs: AttrTable,
    /// Events and logs.
    pub events: EventTable,
    /// Links.
    pub links: LinkTable,
    /// Resources.
    pub resources: ResourceTable,
    spans: Vec<RawSpan>,
    warnings: Vec<PendingWarning>,
}

impl TraceSetBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves room for about `spans` more spans with `attrs` attributes and `events` events,
    /// so big imports do not copy their tables over and over while they grow.
    pub fn reserve(&mut self, spans: usize, attrs: usize, events: usize) {
        // Unique values (URLs, statements, ids) are about one string per span.
        self.strings.reserve(spans, spans * 64);
        self.spans.reserve(spans);
        self.attrs.key.reserve(attrs);
        self.attrs.value.reserve(attrs);
        self.events.time_ns.reserve(events);
        self.events.name.reserve(events);
        self.events.attrs.reserve(events);
    }

    /// Interns a string.
    pub fn intern(&mut self, text: &str) -> StrIdx {
        self.strings.intern(text)
    }

    /// Appends an attribute; returns its row (use [`Self::attr_rows_since`] for ranges).
    pub fn push_attr(&mut self, key: &str, value: AttrValue) {
        let key = self.strings.intern(key);
        self.attrs.push(key, value);
    }

    /// The range of attribute rows pushed since row `start`.
    pub fn attr_rows_since(&self, start: usize) -> RowRange {
        RowRange::new(start, self.attrs.len())
    }

    /// Adds a span.
    pub fn push_span(&mut self, span: RawSpan) {
        self.spans.push(span);
    }

    /// Spans pushed so far (duplicates included).
    pub fn pushed_span_count(&self) -> usize {
        self.spans.len()
    }

    /// Which strings the page's copy of a set the engine keeps names, by index: services and
    /// operations. The rest (attributes, status messages, event names, callers' services) stay
    /// in the engine with what names them (the set is finished without new strings).
    pub fn page_strings(&self) -> Vec<bool> {
        let mut named = vec![false; self.strings.len()];
        let mut mark = |index: StrIdx| {
            if let Some(slot) = named.get_mut(index.get()) {
                *slot = true;
            }
        };
        mark(StrIdx(0));
        for span in &self.spans {
            mark(span.service);
            mark(span.operation);
        }
        named
    }

    /// A builder holding everything of `set`, so more files can be added to what is loaded.
    /// Finishing it again gives the same traces: repaired times stay repaired and their warnings,
    /// like the importers' own, are carried over; the tree's findings are found again. The
    /// page's copy of a set is first made whole with what it lacks left blank
    /// (`TraceSet::fill_in_blank_details`).
    pub fn from_set(mut set: TraceSet) -> Self {
        set.fill_in_blank_details();
        let TraceSet { strings, spans, traces, attrs, events, links, resources, warnings, .. } = set;
        let mut builder = TraceSetBuilder { strings, attrs, events, links, resources, ..TraceSetBuilder::default() };
        builder.spans.reserve(spans.len());
        for i in 0..spans.len() {
            let flags = spans.flags[i];
            let row = SpanIdx(i as u32);
            builder.spans.push(RawSpan {
                trace_id: traces.trace_id[spans.trace[i].get()],
                span_id: spans.span_id[i],
                parent_id: spans.parent_id[i],
                resource: spans.resource[i],
                service: spans.service[i],
                operation: spans.operation[i],
                kind: spans.kind[i],
                status: spans.status[i],
                status_message: spans.status_message[i],
                start_ns: Some(spans.start_ns[i]),
                duration_ns: Some(spans.duration_ns[i]),
                attrs: spans.attrs[i],
                events: spans.events[i],
                links: spans.links[i],
                flags: SpanFlags(flags.0 & SpanFlags::KEPT_ON_REBUILD),
                caller: spans.caller(row).map(|caller| Box::new(*caller)),
            });
        }
        for (t, range) in traces.warnings.iter().enumerate() {
            for warning in &warnings[range.as_range()] {
                if warning.kind.survives_rebuild() {
                    builder.warn(traces.trace_id[t], warning.span_id, warning.kind, warning.message.clone());
                }
            }
        }
        builder
    }

    /// Marks the current end of every table, to roll back to if a file turns out broken.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            spans: self.spans.len(),
            attrs: self.attrs.len(),
            events: self.events.len(),
            links: self.links.len(),
            resources: self.resources.len(),
            warnings: self.warnings.len(),
        }
    }

    /// Drops everything pushed since `checkpoint` (strings interned since stay, unreferenced).
    pub fn rollback(&mut self, checkpoint: Checkpoint) {
        self.spans.truncate(checkpoint.spans);
        self.attrs.key.truncate(checkpoint.attrs);
        self.attrs.value.truncate(checkpoint.attrs);
        self.events.time_ns.truncate(checkpoint.events);
        self.events.name.truncate(checkpoint.events);
        self.events.attrs.truncate(checkpoint.events);
        self.links.trace_id.truncate(checkpoint.links);
        self.links.span_id.truncate(checkpoint.links);
        self.links.kind.truncate(checkpoint.links);
        self.links.attrs.truncate(checkpoint.links);
        self.links.target.truncate(checkpoint.links);
        self.resources.service.truncate(checkpoint.resources);
        self.resources.attrs.truncate(checkpoint.resources);
        self.warnings.truncate(checkpoint.warnings);
    }

    /// Sets the resource (and its service) of the pushed spans `spans` (positions in push
    /// order): for formats that name a span's emitter after its spans.
    pub fn set_resource(&mut self, spans: std::ops::Range<usize>, resource: ResourceIdx) {
        let service = self.resources.service.get(resource.get()).copied().unwrap_or_default();
        for span in &mut self.spans[spans] {
            span.resource = resource;
            span.service = service;
        }
    }

    /// The distinct trace ids of the spans pushed from `position` on (push order), in order.
    pub fn trace_ids_pushed_since(&self, position: usize) -> Vec<TraceId> {
        let mut seen = rustc_hash::FxHashSet::default();
        self.spans
            .get(position..)
            .unwrap_or_default()
            .iter()
            .map(|span| span.trace_id)
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// The pushed span at `position` (push order), to patch what its format gives later.
    pub fn pushed_span_mut(&mut self, position: usize) -> Option<&mut RawSpan> {
        self.spans.get_mut(position)
    }

    /// Records a warning about a trace (and a span of it).
    pub fn warn(&mut self, trace_id: TraceId, span_id: Option<SpanId>, kind: WarningKind, message: String) {
        self.warnings.push(PendingWarning { trace_id, span_id, kind, message });
    }

    /// Groups, links, repairs and orders everything pushed, and returns the finished set.
    pub fn finish(self) -> TraceSet {
        let TraceSetBuilder { strings, attrs, events, mut links, resources, spans, warnings } = self;

        // Group spans by trace, traces in order of first appearance.
        let mut trace_slot: FxHashMap<TraceId, usize> = FxHashMap::default();
        let mut members: Vec<Vec<u32>> = Vec::new();
        for (raw_index, span) in spans.iter().enumerate() {
            let slot = *trace_slot.entry(span.trace_id).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[slot].push(raw_index as u32);
        }
        let mut pending_by_trace: Vec<Vec<PendingWarning>> = vec![Vec::new(); members.len()];
        for warning in warnings {
            if let Some(&slot) = trace_slot.get(&warning.trace_id) {
                pending_by_trace[slot].push(warning);
            }
            // A warning about a trace with no spans has nowhere to be shown; importers only
            // warn about traces they pushed spans for.
        }

        let mut set = TraceSet { strings, attrs, events, resources, ..TraceSet::default() };
        let span_table_len: usize = spans.len();
        reserve_spans(&mut set, span_table_len);

        for (slot, raw_indices) in members.iter().enumerate() {
            let trace_index = TraceIdx(set.traces.len() as u32);
            let tables = SideTables { attrs: &set.attrs, events: &set.events, links: &links };
            let ordered = order_trace(tables, &spans, raw_indices);
            append_trace(&mut set, trace_index, &spans, ordered, std::mem::take(&mut pending_by_trace[slot]));
        }

        resolve_link_targets(&mut set, &mut links);
        set.links = links;
        set
    }
}

fn reserve_spans(set: &mut TraceSet, count: usize) {
    let spans = &mut set.spans;
    spans.trace.reserve(count);
    spans.span_id.reserve(count);
    spans.parent.reserve(count);
    spans.parent_id.reserve(count);
    spans.depth.reserve(count);
    spans.subtree_len.reserve(count);
    spans.resource.reserve(count);
    spans.service.reserve(count);
    spans.operation.reserve(count);
    spans.kind.reserve(count);
    spans.status.reserve(count);
    spans.status_message.reserve(count);
    spans.start_ns.reserve(count);
    spans.duration_ns.reserve(count);
    spans.attrs.reserve(count);
    spans.events.reserve(count);
    spans.links.reserve(count);
    spans.flags.reserve(count);
}

/// What a trace's rows add up to, gathered as they are written.
struct TraceTally {
    services: Vec<StrIdx>,
    error_count: u32,
    max_depth: u32,
    start_ns: i64,
    end_ns: i64,
}

/// Writes one ordered trace into the set's columns and its row into the trace table.
fn append_trace(
    set: &mut TraceSet,
    trace_index: TraceIdx,
    raw: &[RawSpan],
    ordered: OrderedTrace,
    pending: Vec<PendingWarning>,
) {
    let first_row = set.spans.len();
    let OrderedTrace { rows, mut warnings, incomplete } = ordered;
    let mut tally =
        TraceTally { services: Vec::new(), error_count: 0, max_depth: 0, start_ns: i64::MAX, end_ns: i64::MIN };
    let roots_start = set.roots.len();
    for run in rows.chunks(CALL_ROWS) {
        append_rows(set, (trace_index, first_row), raw, run, &mut tally);
    }
    let TraceTally { services, error_count, max_depth, start_ns, end_ns } = tally;

    // Warnings: those from the importer first, then the tree's; spans resolved to rows.
    let warnings_start = set.warnings.len();
    let mut row_of_id: FxHashMap<SpanId, SpanIdx> = FxHashMap::default();
    if !pending.is_empty() || !warnings.is_empty() {
        for (pos, row) in rows.iter().enumerate() {
            row_of_id.entry(raw[row.raw as usize].span_id).or_insert(SpanIdx((first_row + pos) as u32));
        }
    }
    let mut all: Vec<(WarningKind, Option<SpanId>, String)> =
        pending.into_iter().map(|w| (w.kind, w.span_id, w.message)).collect();
    all.append(&mut warnings);
    for (kind, span_id, message) in all {
        let span = span_id.and_then(|id| row_of_id.get(&id).copied());
        if let Some(row) = span {
            set.spans.flags[row.get()].set(SpanFlags::HAS_WARNINGS);
        }
        set.warnings.push(Warning { kind, span, span_id, message });
    }

    let trace_id = rows.first().map(|row| raw[row.raw as usize].trace_id).unwrap_or_default();
    let traces = &mut set.traces;
    traces.trace_id.push(trace_id);
    traces.spans.push(RowRange::new(first_row, set.spans.span_id.len()));
    traces.roots.push(RowRange::new(roots_start, set.roots.len()));
    traces.start_ns.push(if rows.is_empty() { 0 } else { start_ns });
    traces.end_ns.push(if rows.is_empty() { 0 } else { end_ns });
    traces.service_count.push(services.len() as u32);
    traces.error_count.push(error_count);
    traces.max_depth.push(max_depth);
    traces.warnings.push(RowRange::new(warnings_start, set.warnings.len()));
    traces.incomplete.push(incomplete);
}

/// Writes a run of one trace's rows into the set's columns (a call per run: see [`CALL_ROWS`]);
/// `first_row` is where the trace's rows start, which parent positions count from. Column by
/// column: each column grows once per run and is written in one loop, the run's raw spans
/// staying in cache from one column to the next.
#[inline(never)]
fn append_rows(
    set: &mut TraceSet,
    (trace_index, first_row): (TraceIdx, usize),
    raw: &[RawSpan],
    rows: &[OrderedRow],
    tally: &mut TraceTally,
) {
    let run: Vec<(&RawSpan, &OrderedRow)> = rows.iter().map(|row| (&raw[row.raw as usize], row)).collect();
    let spans = &mut set.spans;
    let first = spans.len();
    spans.trace.extend(run.iter().map(|_| trace_index));
    spans.span_id.extend(run.iter().map(|(span, _)| span.span_id));
    spans
        .parent
        .extend(run.iter().map(|(_, row)| row.parent_pos.map(|pos| SpanIdx((first_row + pos as usize) as u32))));
    set.roots.extend(
        run.iter()
            .enumerate()
            .filter(|(_, (_, row))| row.parent_pos.is_none())
            .map(|(at, _)| SpanIdx((first + at) as u32)),
    );
    spans.parent_id.extend(run.iter().map(|(span, _)| span.parent_id));
    spans.depth.extend(run.iter().map(|(_, row)| row.depth));
    spans.subtree_len.extend(run.iter().map(|(_, row)| row.subtree_len));
    spans.resource.extend(run.iter().map(|(span, _)| span.resource));
    spans.service.extend(run.iter().map(|(span, _)| span.service));
    spans.operation.extend(run.iter().map(|(span, _)| span.operation));
    spans.kind.extend(run.iter().map(|(span, _)| span.kind));
    spans.status.extend(run.iter().map(|(span, _)| span.status));
    spans.status_message.extend(run.iter().map(|(span, _)| span.status_message));
    spans.start_ns.extend(run.iter().map(|(_, row)| row.start_ns));
    spans.duration_ns.extend(run.iter().map(|(_, row)| row.duration_ns));
    spans.attrs.extend(run.iter().map(|(span, _)| span.attrs));
    spans.events.extend(run.iter().map(|(span, _)| span.events));
    spans.links.extend(run.iter().map(|(span, _)| span.links));
    spans.flags.extend(run.iter().map(|(span, row)| {
        let mut flags = span.flags;
        flags.0 |= row.flags.0;
        if span.status == StatusCode::Error {
            flags.set(SpanFlags::ERROR);
        }
        flags
    }));
    for (at, (span, _)) in run.iter().enumerate() {
        if let Some(caller) = &span.caller {
            spans.callers.push((SpanIdx((first + at) as u32), **caller));
        }
    }

    for (at, (span, row)) in run.iter().enumerate() {
        if spans.flags[first + at].has(SpanFlags::ERROR) {
            tally.error_count += 1;
        }
        tally.max_depth = tally.max_depth.max(row.depth);
        tally.start_ns = tally.start_ns.min(row.start_ns);
        tally.end_ns = tally.end_ns.max(row.start_ns.saturating_add(row.duration_ns));
        if !tally.services.contains(&span.service) {
            tally.services.push(span.service);
        }
    }
}

/// Points each link at its target row when the target is loaded.
fn resolve_link_targets(set: &mut TraceSet, links: &mut LinkTable) {
    if links.is_empty() {
        return;
    }
    let mut row_of: FxHashMap<(TraceId, SpanId), SpanIdx> = FxHashMap::default();
    for (index, span_id) in set.spans.span_id.iter().enumerate() {
        let trace_id = set.traces.trace_id[set.spans.trace[index].get()];
        row_of.entry((trace_id, *span_id)).or_insert(SpanIdx(index as u32));
    }
    for row in 0..links.len() {
        links.target[row] = row_of.get(&(links.trace_id[row], links.span_id[row])).copied();
    }
}
