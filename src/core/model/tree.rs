//! Orders the spans of one trace into pre-order rows, tolerating whatever the source wrote.
//!
//! ```text
//!  pushed (any order)          rows (pre-order)          subtree_len
//!  C  parent B                 A        depth 0          4
//!  A  root                     ├─ B     depth 1          2
//!  D  parent A                 │  └─ C  depth 2          1
//!  B  parent A                 └─ D     depth 1          1
//! ```
//!
//! Repairs, each one recorded as a warning: identical duplicate records merged; different
//! spans with one id both kept; a missing parent or a self-parent makes the span a root; a
//! parent cycle is broken at its earliest span (by start, then id); a missing or zero start
//! takes the parent's; a missing or negative duration becomes zero. Children that start before
//! or end after their parent are kept as they are and flagged as possible clock skew.
//!
//! Every walk is iterative (explicit stacks): a chain a million spans deep is fine.

use rustc_hash::FxHashMap;

use crate::core::format::format_duration;
use crate::core::model::builder::RawSpan;
use crate::core::model::ids::{RowRange, SpanId};
use crate::core::model::tables::{AttrTable, EventTable, LinkTable};
use crate::core::model::values::{SpanFlags, WarningKind};
use crate::core::units::DurationNs;

/// The tables a span's rows point into, for comparing records.
#[derive(Clone, Copy)]
pub(crate) struct SideTables<'a> {
    pub(crate) attrs: &'a AttrTable,
    pub(crate) events: &'a EventTable,
    pub(crate) links: &'a LinkTable,
}

/// One output row: which raw span, where its parent row is, and the repaired timing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OrderedRow {
    /// Index into the builder's raw spans.
    pub(crate) raw: u32,
    /// The parent's position among this trace's rows; `None` for a root.
    pub(crate) parent_pos: Option<u32>,
    pub(crate) depth: u32,
    pub(crate) subtree_len: u32,
    pub(crate) start_ns: i64,
    pub(crate) duration_ns: i64,
    /// Flags found while ordering (orphan, repaired, skew, duplicate id).
    pub(crate) flags: SpanFlags,
}

/// A trace in pre-order, with the warnings found while ordering it.
#[derive(Debug, Default)]
pub(crate) struct OrderedTrace {
    pub(crate) rows: Vec<OrderedRow>,
    pub(crate) warnings: Vec<(WarningKind, Option<SpanId>, String)>,
    /// A parent was missing or a cycle was broken.
    pub(crate) incomplete: bool,
}

const NO_PARENT: u32 = u32::MAX;

/// Rows a long pass handles per call. In the browser, WebAssembly starts in a baseline tier and
/// a function is optimized only for its next call, never inside a running one: a pass over a
/// million rows in one call would run unoptimized to its end, while in runs of this many the
/// later runs are optimized.
pub(crate) const CALL_ROWS: usize = 4096;

/// For each span id: the first kept span carrying it, and how many identical copies were dropped.
type IdIndex = FxHashMap<SpanId, (u32, u32)>;

/// Orders the spans `members` (indices into `raw`, all of one trace).
pub(crate) fn order_trace(tables: SideTables, raw: &[RawSpan], members: &[u32]) -> OrderedTrace {
    let mut out = OrderedTrace::default();
    let (kept, by_id) = merge_duplicates(tables, raw, members, &mut out);
    let count = kept.len();
    let span = |local: usize| &raw[kept[local].0 as usize];

    // Parent links by id; ids shared by several spans resolve to the first.
    let first_with_id = |id: &SpanId| by_id.get(id).map(|(first, _)| *first);
    let mut parent = vec![NO_PARENT; count];
    let mut flags: Vec<SpanFlags> = kept.iter().map(|(_, flags)| *flags).collect();
    for local in 0..count {
        let this = span(local);
        let Some(parent_id) = this.parent_id else {
            continue;
        };
        if parent_id == this.span_id {
            out.warnings.push((
                WarningKind::SelfParent,
                Some(this.span_id),
                format!("Span {} names itself as its parent; it is shown as a root.", this.span_id),
            ));
            continue;
        }
        match first_with_id(&parent_id) {
            Some(parent_local) => parent[local] = parent_local,
            None => {
                flags[local].set(SpanFlags::ORPHAN);
                out.incomplete = true;
                out.warnings.push((
                    WarningKind::MissingParent,
                    Some(this.span_id),
                    format!(
                        "Span {} names parent {}, which is not in the trace; it is shown as a root.",
                        this.span_id, parent_id
                    ),
                ));
            }
        }
    }

    // Which span breaks a cycle: the earliest by start as written (missing last), then id.
    let sort_key = |local: u32| {
        let this = span(local as usize);
        (this.start_ns.filter(|&start| start != 0).unwrap_or(i64::MAX), this.span_id, local)
    };
    let mut children = Children::new(&parent);

    // Everything reachable from the roots; what is not is in (or under) a parent cycle.
    let mut roots: Vec<u32> = (0..count as u32).filter(|&local| parent[local as usize] == NO_PARENT).collect();
    roots.sort_by_key(|&local| sort_key(local));
    let mut reached = vec![false; count];
    for &root in &roots {
        mark_reachable(root, &children, &mut reached);
    }
    if reached.iter().any(|&seen| !seen) {
        let mut unreached: Vec<u32> = (0..count as u32).filter(|&local| !reached[local as usize]).collect();
        unreached.sort_by_key(|&local| sort_key(local));
        for local in unreached {
            if reached[local as usize] {
                continue;
            }
            let broken = earliest_in_cycle_above(local, &parent, sort_key);
            let broken_span = span(broken as usize);
            let old_parent = span(parent[broken as usize] as usize).span_id;
            out.warnings.push((
                WarningKind::ParentCycle,
                Some(broken_span.span_id),
                format!(
                    "Spans name each other as parents in a loop; the loop was broken at span {} \
                     (its parent {} was dropped) and it is shown as a root.",
                    broken_span.span_id, old_parent
                ),
            ));
            out.incomplete = true;
            parent[broken as usize] = NO_PARENT;
            roots.push(broken);
            mark_reachable(broken, &children, &mut reached);
        }
    }

    // Sibling order: by start (a missing start is the parent's), then span id, then arrival.
    let start_ns = resolve_starts(raw, &kept, &roots, &parent, &children);
    // The ids side by side, so sorting compares within two small arrays.
    let ids: Vec<SpanId> = (0..count).map(|local| span(local).span_id).collect();
    let order_key = |local: u32| (start_ns[local as usize], ids[local as usize], local);
    children.sort_segments(order_key);
    roots.sort_unstable_by_key(|&local| order_key(local));

    let forest = Forest { raw, kept: &kept, parent: &parent, children: &children, start_ns: &start_ns };
    emit_pre_order(&forest, &roots, &mut flags, &mut out);
    out
}

/// One trace's spans with their links, ready to be written in pre-order.
#[derive(Clone, Copy)]
struct Forest<'a> {
    raw: &'a [RawSpan],
    kept: &'a [(u32, SpanFlags)],
    parent: &'a [u32],
    children: &'a Children,
    /// Resolved starts (see `resolve_starts`).
    start_ns: &'a [i64],
}

/// Each span's start, top-down: as written, else its parent's, else (a root) the trace's
/// earliest. Iterative.
fn resolve_starts(
    raw: &[RawSpan],
    kept: &[(u32, SpanFlags)],
    roots: &[u32],
    parent: &[u32],
    children: &Children,
) -> Vec<i64> {
    let written = |local: u32| raw[kept[local as usize].0 as usize].start_ns.filter(|&start| start != 0);
    let trace_start = (0..kept.len() as u32).filter_map(written).min().unwrap_or(0);
    let mut start_ns = vec![trace_start; kept.len()];
    let mut stack: Vec<u32> = roots.to_vec();
    while let Some(local) = stack.pop() {
        let inherited = match parent[local as usize] {
            NO_PARENT => trace_start,
            up => start_ns[up as usize],
        };
        start_ns[local as usize] = written(local).unwrap_or(inherited);
        stack.extend(children.of(local).iter().copied().filter(|&child| parent[child as usize] == local));
    }
    start_ns
}

/// Drops records identical to an earlier one with the same id (one warning per id), keeps
/// different spans that share an id (flagged, one warning per id). Returns the kept raw
/// indices with their flags, in arrival order.
fn merge_duplicates(
    tables: SideTables,
    raw: &[RawSpan],
    members: &[u32],
    out: &mut OrderedTrace,
) -> (Vec<(u32, SpanFlags)>, IdIndex) {
    let mut kept: Vec<(u32, SpanFlags)> = Vec::with_capacity(members.len());
    let mut by_id = IdIndex::default();
    by_id.reserve(members.len());
    let mut shared = SharedIds::default();
    for run in members.chunks(CALL_ROWS) {
        index_run(tables, raw, run, (&mut kept, &mut by_id), &mut shared);
    }
    let mut merged: Vec<(SpanId, u32)> =
        by_id.iter().filter(|(_, (_, dropped))| *dropped > 0).map(|(id, (_, dropped))| (*id, *dropped)).collect();
    merged.sort();
    for (span_id, dropped) in merged {
        let (noun, verb) = if dropped == 1 { ("copy", "was") } else { ("copies", "were") };
        let message = format!("{dropped} identical {noun} of span {span_id} {verb} merged into it.");
        out.warnings.push((WarningKind::DuplicateRecord, Some(span_id), message));
    }
    for span_id in shared.order {
        let carriers = 1 + shared.later.get(&span_id).map_or(0, Vec::len);
        out.warnings.push((
            WarningKind::DuplicateSpanId,
            Some(span_id),
            format!(
                "{carriers} different spans carry the id {span_id}; all are shown, and children \
                 naming that id attach to the first."
            ),
        ));
    }
    (kept, by_id)
}

/// The ids that different spans carry: in the order they were first found shared, and the
/// kept rows of each one's carriers after the first (the first is in the [`IdIndex`]).
#[derive(Default)]
struct SharedIds {
    order: Vec<SpanId>,
    later: FxHashMap<SpanId, Vec<u32>>,
}

/// Adds a run of a trace's spans to `kept` and `by_id` (see [`merge_duplicates`]; a call per
/// run: see [`CALL_ROWS`]); ids carried by different spans go to `shared`. A record is
/// compared only with the spans kept under its id, so a trace loaded twice over merges in
/// linear time.
#[inline(never)]
fn index_run(
    tables: SideTables,
    raw: &[RawSpan],
    members: &[u32],
    (kept, by_id): (&mut Vec<(u32, SpanFlags)>, &mut IdIndex),
    shared: &mut SharedIds,
) {
    for &raw_index in members {
        let this = &raw[raw_index as usize];
        match by_id.get_mut(&this.span_id) {
            None => {
                by_id.insert(this.span_id, (kept.len() as u32, 0));
                kept.push((raw_index, SpanFlags::default()));
            }
            Some((first_kept, dropped)) => {
                let first = *first_kept as usize;
                let later = shared.later.get(&this.span_id).map_or(&[][..], Vec::as_slice);
                let identical = std::iter::once(first)
                    .chain(later.iter().map(|&other| other as usize))
                    .any(|other| same_record(tables, &raw[kept[other].0 as usize], this));
                if identical {
                    *dropped += 1;
                } else {
                    if !kept[first].1.has(SpanFlags::DUPLICATE_ID) {
                        shared.order.push(this.span_id);
                    }
                    kept[first].1.set(SpanFlags::DUPLICATE_ID);
                    shared.later.entry(this.span_id).or_default().push(kept.len() as u32);
                    kept.push((raw_index, SpanFlags(SpanFlags::DUPLICATE_ID)));
                }
            }
        }
    }
}

fn same_record(tables: SideTables, a: &RawSpan, b: &RawSpan) -> bool {
    let SideTables { events, links, .. } = tables;
    a.trace_id == b.trace_id
        && a.span_id == b.span_id
        && a.parent_id == b.parent_id
        && a.service == b.service
        && a.operation == b.operation
        && a.kind == b.kind
        && a.status == b.status
        && a.status_message == b.status_message
        && a.start_ns == b.start_ns
        && a.duration_ns == b.duration_ns
        && a.flags == b.flags
        && a.caller == b.caller
        && same_attrs(tables, a.attrs, b.attrs)
        && a.events.len() == b.events.len()
        && a.events.as_range().zip(b.events.as_range()).all(|(x, y)| {
            events.time_ns[x] == events.time_ns[y]
                && events.name[x] == events.name[y]
                && same_attrs(tables, events.attrs[x], events.attrs[y])
        })
        && a.links.len() == b.links.len()
        && a.links.as_range().zip(b.links.as_range()).all(|(x, y)| {
            links.trace_id[x] == links.trace_id[y]
                && links.span_id[x] == links.span_id[y]
                && links.kind[x] == links.kind[y]
                && same_attrs(tables, links.attrs[x], links.attrs[y])
        })
}

fn same_attrs(tables: SideTables, a: RowRange, b: RowRange) -> bool {
    let SideTables { attrs, .. } = tables;
    // Strings are interned, so equal indices mean equal text.
    a.len() == b.len() && attrs.rows(a).zip(attrs.rows(b)).all(|(x, y)| x == y)
}

/// Children lists in one flat array (compressed rows), each list sorted by the sibling order.
struct Children {
    offsets: Vec<u32>,
    items: Vec<u32>,
}

impl Children {
    fn new(parent: &[u32]) -> Self {
        let count = parent.len();
        let mut offsets = vec![0u32; count + 1];
        for &p in parent {
            if p != NO_PARENT {
                offsets[p as usize + 1] += 1;
            }
        }
        for i in 0..count {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut items = vec![0u32; offsets[count] as usize];
        for (child, &p) in parent.iter().enumerate() {
            if p != NO_PARENT {
                items[fill[p as usize] as usize] = child as u32;
                fill[p as usize] += 1;
            }
        }
        Self { offsets, items }
    }

    /// Sorts every list of siblings by `key`.
    fn sort_segments<K: Ord>(&mut self, key: impl Fn(u32) -> K) {
        let lists = self.offsets.len() - 1;
        for start in (0..lists).step_by(CALL_ROWS) {
            self.sort_some_segments(start..(start + CALL_ROWS).min(lists), &key);
        }
    }

    /// Sorts the lists of siblings of the spans in `lists` by `key` (a call per run: see
    /// [`CALL_ROWS`]).
    #[inline(never)]
    fn sort_some_segments<K: Ord>(&mut self, lists: std::ops::Range<usize>, key: &impl Fn(u32) -> K) {
        for i in lists {
            let segment = &mut self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize];
            if segment.len() > 1 && !segment.is_sorted_by_key(|&child| key(child)) {
                segment.sort_unstable_by_key(|&child| key(child));
            }
        }
    }

    fn of(&self, local: u32) -> &[u32] {
        &self.items[self.offsets[local as usize] as usize..self.offsets[local as usize + 1] as usize]
    }
}

fn mark_reachable(start: u32, children: &Children, reached: &mut [bool]) {
    let mut stack = vec![start];
    while let Some(local) = stack.pop() {
        if std::mem::replace(&mut reached[local as usize], true) {
            continue;
        }
        stack.extend(children.of(local).iter().copied().filter(|&child| !reached[child as usize]));
    }
}

/// Walks up from `start` (which is in or below a cycle) until a span repeats, and returns the
/// cycle's earliest span by the sibling order.
fn earliest_in_cycle_above<K: Ord>(start: u32, parent: &[u32], key: impl Fn(u32) -> K) -> u32 {
    let mut seen_at: FxHashMap<u32, usize> = FxHashMap::default();
    let mut path = Vec::new();
    let mut local = start;
    loop {
        if let Some(&position) = seen_at.get(&local) {
            return path[position..].iter().copied().min_by_key(|&member| key(member)).unwrap_or(local);
        }
        seen_at.insert(local, path.len());
        path.push(local);
        let up = parent[local as usize];
        if up == NO_PARENT {
            // Not in a cycle after all (cannot happen for an unreached span); break here.
            return local;
        }
        local = up;
    }
}

/// Writes the rows in pre-order from the sorted roots, repairing timing and flagging skew.
fn emit_pre_order(forest: &Forest, roots: &[u32], flags: &mut [SpanFlags], out: &mut OrderedTrace) {
    out.rows = Vec::with_capacity(forest.kept.len());
    // (local, parent position or NO_PARENT, depth)
    let mut stack: Vec<(u32, u32, u32)> = roots.iter().rev().map(|&root| (root, NO_PARENT, 0)).collect();
    while !stack.is_empty() {
        emit_rows(forest, &mut stack, flags, out);
    }

    // Subtree sizes: children come after their parent, so a reverse pass adds them up.
    let rows = &mut out.rows;
    for position in (0..rows.len()).rev() {
        if let Some(parent_pos) = rows[position].parent_pos {
            rows[parent_pos as usize].subtree_len += rows[position].subtree_len;
        }
    }
}

/// Takes up to [`CALL_ROWS`] spans off the walk's `stack` and writes their rows into `out` (a
/// call per run of rows: see [`CALL_ROWS`]).
#[inline(never)]
fn emit_rows(forest: &Forest, stack: &mut Vec<(u32, u32, u32)>, flags: &mut [SpanFlags], out: &mut OrderedTrace) {
    let Forest { raw, kept, parent, children, start_ns: resolved_start_ns } = *forest;
    let OrderedTrace { rows, warnings, .. } = out;
    let span = |local: u32| &raw[kept[local as usize].0 as usize];
    for _ in 0..CALL_ROWS {
        let Some((local, parent_pos, depth)) = stack.pop() else { return };
        let this = span(local);
        let mut row_flags = flags[local as usize];
        let parent_row = (parent_pos != NO_PARENT).then(|| rows[parent_pos as usize]);

        let start_ns = match this.start_ns.filter(|&start| start != 0) {
            Some(start) => start,
            None => {
                row_flags.set(SpanFlags::START_REPAIRED);
                let from = if parent_row.is_some() { "its parent's" } else { "the trace's earliest" };
                let start = resolved_start_ns[local as usize];
                let what = if this.start_ns.is_some() { "is zero" } else { "is missing" };
                warnings.push((
                    WarningKind::MissingStart,
                    Some(this.span_id),
                    format!("Span {} start time {what}; {from} start is used.", this.span_id),
                ));
                start
            }
        };
        let duration_ns = match this.duration_ns {
            Some(duration) if duration >= 0 => duration,
            other => {
                row_flags.set(SpanFlags::DURATION_REPAIRED);
                let what = match other {
                    Some(duration) => {
                        format!("is negative ({})", format_duration(DurationNs(duration)))
                    }
                    None => "is missing".to_owned(),
                };
                warnings.push((
                    WarningKind::BadDuration,
                    Some(this.span_id),
                    format!("Span {} duration {what}; it is shown as zero.", this.span_id),
                ));
                0
            }
        };
        if let Some(p) = parent_row {
            let parent_id = raw[p.raw as usize].span_id;
            if start_ns < p.start_ns {
                row_flags.set(SpanFlags::CLOCK_SKEW);
                warnings.push((
                    WarningKind::ClockSkew,
                    Some(this.span_id),
                    format!(
                        "Span {} starts {} before its parent {}: possible clock skew.",
                        this.span_id,
                        format_duration(DurationNs(p.start_ns - start_ns)),
                        parent_id
                    ),
                ));
            }
            let end_ns = start_ns.saturating_add(duration_ns);
            let parent_end_ns = p.start_ns.saturating_add(p.duration_ns);
            if end_ns > parent_end_ns {
                row_flags.set(SpanFlags::CLOCK_SKEW);
                warnings.push((
                    WarningKind::ClockSkew,
                    Some(this.span_id),
                    format!(
                        "Span {} ends {} after its parent {}: possible clock skew, or work that \
                         outlives its caller.",
                        this.span_id,
                        format_duration(DurationNs(end_ns - parent_end_ns)),
                        parent_id
                    ),
                ));
            }
        }

        let position = rows.len() as u32;
        rows.push(OrderedRow {
            raw: kept[local as usize].0,
            parent_pos: (parent_pos != NO_PARENT).then_some(parent_pos),
            depth,
            subtree_len: 1,
            start_ns,
            duration_ns,
            flags: row_flags,
        });
        for &child in children.of(local).iter().rev() {
            // A child whose link to this span was cut to break a cycle is a root now.
            if parent[child as usize] == local {
                stack.push((child, position, depth + 1));
            }
        }
    }
}
