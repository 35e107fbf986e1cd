//! `check_integrity`: the invariants of a finished `TraceSet`, checked. Every importer test runs
//! it, and the engine runs it on every set it sends the page (the page, putting the parts back
//! together, checks the tables only: see `check_tables`); a failure names the first broken
//! invariant.

use crate::core::model::ids::SpanIdx;
use crate::core::model::trace_set::{TraceSet, PAGE_COPY_LEAVES_OUT};

/// Checks column lengths, index ranges, pre-order (parents before children, subtrees
/// contiguous), depths, subtree lengths, trace ranges and roots. Returns the first problem. The
/// page's copy of a set (`TraceSet::page_copy`) must have no rows where it holds nothing.
pub fn check_integrity(set: &TraceSet) -> Result<(), String> {
    check_tables(set)?;
    // In runs: a browser optimizes a function between its calls, never during one.
    for start in (0..set.spans.len()).step_by(RUN_ROWS) {
        check_span_rows(set, start..start + RUN_ROWS)?;
    }
    check_traces(set)
}

/// Span rows [`check_integrity`] checks per call of [`check_span_rows`].
const RUN_ROWS: usize = 25_000;

/// The checks of [`check_integrity`] that do not walk the spans: column lengths and the ranges
/// the trace, event, link and resource tables name. Run first; the other two rely on it. With
/// [`check_traces`], what the page checks of a set the engine checked whole: the parts append
/// runs of rows in order, so every column of the page's copy holding as many rows as the engine's
/// means it holds the same rows.
pub fn check_tables(set: &TraceSet) -> Result<(), String> {
    let spans = &set.spans;
    let n = spans.len();
    let lengths = [
        ("trace", spans.trace.len()),
        ("parent", spans.parent.len()),
        ("parent_id", spans.parent_id.len()),
        ("depth", spans.depth.len()),
        ("subtree_len", spans.subtree_len.len()),
        ("resource", spans.resource.len()),
        ("service", spans.service.len()),
        ("operation", spans.operation.len()),
        ("kind", spans.kind.len()),
        ("status", spans.status.len()),
        ("status_message", spans.status_message.len()),
        ("start_ns", spans.start_ns.len()),
        ("duration_ns", spans.duration_ns.len()),
        ("attrs", spans.attrs.len()),
        ("events", spans.events.len()),
        ("links", spans.links.len()),
        ("flags", spans.flags.len()),
    ];
    for (name, len) in lengths {
        if set.page_copy && PAGE_COPY_LEAVES_OUT.contains(&name) {
            if len != 0 {
                return Err(format!("span column {name} has {len} rows, the page's copy has none"));
            }
        } else if len != n {
            return Err(format!("span column {name} has {len} rows, span_id has {n}"));
        }
    }
    if set.page_copy {
        let kept_by_the_engine = [
            ("attribute", set.attrs.len()),
            ("link", set.links.len()),
            ("resource", set.resources.len()),
            ("caller's view", set.spans.callers.len()),
        ];
        if let Some((what, rows)) = kept_by_the_engine.into_iter().find(|&(_, rows)| rows > 0) {
            return Err(format!("the page's copy has {rows} {what} rows, which the engine keeps"));
        }
    }
    let traces = &set.traces;
    let t = traces.len();
    let trace_lengths = [
        ("spans", traces.spans.len()),
        ("roots", traces.roots.len()),
        ("start_ns", traces.start_ns.len()),
        ("end_ns", traces.end_ns.len()),
        ("service_count", traces.service_count.len()),
        ("error_count", traces.error_count.len()),
        ("max_depth", traces.max_depth.len()),
        ("warnings", traces.warnings.len()),
        ("incomplete", traces.incomplete.len()),
    ];
    // The page's copy has the events' times only (see `PAGE_COPY_LEAVES_OUT_OF_EVENTS`).
    let event_rows = if set.page_copy { 0 } else { set.events.time_ns.len() };
    let side_lengths = [
        ("attribute value", set.attrs.value.len(), set.attrs.key.len()),
        ("event name", set.events.name.len(), event_rows),
        ("event attrs", set.events.attrs.len(), event_rows),
        ("link span_id", set.links.span_id.len(), set.links.trace_id.len()),
        ("link kind", set.links.kind.len(), set.links.trace_id.len()),
        ("link attrs", set.links.attrs.len(), set.links.trace_id.len()),
        ("link target", set.links.target.len(), set.links.trace_id.len()),
        ("resource attrs", set.resources.attrs.len(), set.resources.service.len()),
    ];
    for (name, len) in trace_lengths {
        if len != t {
            return Err(format!("trace column {name} has {len} rows, trace_id has {t}"));
        }
    }
    for (name, len, expected) in side_lengths {
        if len != expected {
            return Err(format!("column {name} has {len} rows, its table has {expected}"));
        }
    }
    let attr_rows = set.attrs.len() as u32;
    let side_ranges = set.events.attrs.iter().chain(&set.links.attrs).chain(&set.resources.attrs);
    if side_ranges.into_iter().any(|range| range.start > range.end || range.end > attr_rows) {
        return Err("an event, link or resource names attribute rows out of range".to_owned());
    }
    for (t, range) in traces.spans.iter().enumerate() {
        let roots = traces.roots[t];
        let warnings = traces.warnings[t];
        if range.start > range.end || range.end as usize > n {
            return Err(format!("trace {t}: span rows out of range"));
        }
        if roots.start > roots.end || roots.end as usize > set.roots.len() {
            return Err(format!("trace {t}: root rows out of range"));
        }
        if warnings.start > warnings.end || warnings.end as usize > set.warnings.len() {
            return Err(format!("trace {t}: warnings out of range"));
        }
    }
    if set.warnings.iter().any(|warning| warning.span.is_some_and(|span| span.get() >= n))
        || set.spans.callers.iter().any(|(row, _)| row.get() >= n)
    {
        return Err("a warning or caller names a span out of range".to_owned());
    }
    for (row, target) in set.links.target.iter().enumerate() {
        if target.is_some_and(|t| t.get() >= n) {
            return Err(format!("link {row}: target out of range"));
        }
    }
    Ok(())
}

/// The checks of [`check_integrity`] for span rows `rows` (after [`check_tables`]): indices in
/// range, pre-order, depths, subtree lengths, each row inside its trace's range, and each span
/// without parent among its trace's roots. Rows can be checked in runs.
pub fn check_span_rows(set: &TraceSet, rows: std::ops::Range<usize>) -> Result<(), String> {
    let spans = &set.spans;
    let n = spans.len();
    let attr_rows = set.attrs.len() as u32;
    let strings = set.strings.len();
    let event_rows = set.events.len() as u32;
    let link_rows = set.links.len() as u32;
    for i in rows.start.min(n)..rows.end.min(n) {
        let row = SpanIdx(i as u32);
        let Some(trace_rows) = set.traces.spans.get(spans.trace[i].get()) else {
            return Err(format!("span {i}: trace index out of range"));
        };
        if !trace_rows.as_range().contains(&i) {
            return Err(format!("span {i}: outside the rows of its trace {}", spans.trace[i].get()));
        }
        if spans.parent[i].is_none() {
            let roots = &set.roots[set.traces.roots[spans.trace[i].get()].as_range()];
            if roots.binary_search(&row).is_err() {
                return Err(format!("span {i}: without parent but not among its trace's roots"));
            }
        }
        for (what, index) in [("service", spans.service[i]), ("operation", spans.operation[i])] {
            if index.get() >= strings {
                return Err(format!("span {i}: {what} string out of range"));
            }
        }
        if spans.events[i].start > spans.events[i].end || spans.events[i].end > event_rows {
            return Err(format!("span {i}: event range out of range"));
        }
        if !set.page_copy {
            if spans.resource[i].get() >= set.resources.len() {
                return Err(format!("span {i}: resource index out of range"));
            }
            if spans.status_message[i].get() >= strings {
                return Err(format!("span {i}: status_message string out of range"));
            }
            let ranges = [spans.attrs[i], spans.links[i]];
            if ranges.iter().any(|range| range.start > range.end)
                || spans.attrs[i].end > attr_rows
                || spans.links[i].end > link_rows
            {
                return Err(format!("span {i}: attribute or link range out of range"));
            }
        }
        if spans.duration_ns[i] < 0 {
            return Err(format!("span {i}: negative duration"));
        }
        let subtree = spans.subtree(row);
        if spans.subtree_len[i] == 0 || subtree.end > n {
            return Err(format!("span {i}: subtree length {} out of range", spans.subtree_len[i]));
        }
        match spans.parent[i] {
            None => {
                if spans.depth[i] != 0 {
                    return Err(format!("span {i}: a root at depth {}", spans.depth[i]));
                }
            }
            Some(parent) => {
                let p = parent.get();
                if p >= i {
                    return Err(format!("span {i}: parent {p} does not come before it"));
                }
                if spans.trace[p] != spans.trace[i] {
                    return Err(format!("span {i}: parent {p} is in another trace"));
                }
                if spans.depth[i] != spans.depth[p] + 1 {
                    return Err(format!(
                        "span {i}: depth {} under a parent at depth {}",
                        spans.depth[i], spans.depth[p]
                    ));
                }
                if !spans.subtree(parent).contains(&i) || subtree.end > spans.subtree(parent).end {
                    return Err(format!("span {i}: subtree not inside its parent {p}'s subtree"));
                }
            }
        }
        // Children follow directly: the sizes of the direct children add up to subtree_len - 1.
        let mut child = i + 1;
        let mut covered = 1usize;
        while child < subtree.end {
            if spans.parent[child] != Some(row) {
                return Err(format!("span {child}: inside {i}'s subtree but not its direct child at that place"));
            }
            covered += spans.subtree_len[child] as usize;
            child += spans.subtree_len[child] as usize;
        }
        if covered != subtree.len() {
            return Err(format!("span {i}: children cover {covered} rows, subtree_len says {}", subtree.len()));
        }
    }
    Ok(())
}

/// The checks of [`check_integrity`] over the trace table (after [`check_tables`]): the traces'
/// rows follow each other and cover the span table, and their roots are spans without parent,
/// in order. With [`check_span_rows`] over every row, the roots are exactly those spans.
pub fn check_traces(set: &TraceSet) -> Result<(), String> {
    let spans = &set.spans;
    let traces = &set.traces;
    let n = spans.len();
    let mut expected_start = 0usize;
    for t in 0..traces.len() {
        let range = traces.spans[t];
        if range.start as usize != expected_start {
            return Err(format!("trace {t}: spans start at {}, expected {expected_start}", range.start));
        }
        expected_start = range.end as usize;
        let roots = &set.roots[traces.roots[t].as_range()];
        let listed_right = roots.windows(2).all(|pair| pair[0] < pair[1])
            && roots.iter().all(|root| range.as_range().contains(&root.get()) && spans.parent[root.get()].is_none());
        if !listed_right {
            return Err(format!("trace {t}: root list does not match the spans without parent"));
        }
    }
    if expected_start != n {
        return Err(format!("traces cover {expected_start} spans, the table has {n}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;
    use crate::core::model::ids::{RowRange, TraceIdx};
    use crate::core::model::tables::CallerView;

    type Corruption = dyn Fn(&mut TraceSet);

    /// An index past any table.
    const BIG: u32 = u32::MAX - 1;

    /// A set that arrives from elsewhere (the engine's worker) may be broken anywhere: every
    /// corruption is reported, none makes the check fail on it.
    #[test]
    fn broken_sets_are_reported_not_tripped_over() {
        assert_eq!(check_integrity(&checkout_sample()), Ok(()));
        let corruptions: Vec<(&str, Box<Corruption>)> = vec![
            ("trace range past the spans", Box::new(|set| set.traces.spans[0] = RowRange { start: 0, end: 99 })),
            ("trace range backwards", Box::new(|set| set.traces.spans[0] = RowRange { start: 5, end: 2 })),
            ("roots past the list", Box::new(|set| set.traces.roots[0] = RowRange { start: 0, end: BIG })),
            ("warnings past the list", Box::new(|set| set.traces.warnings[0] = RowRange { start: 3, end: BIG })),
            ("a short trace column", Box::new(|set| set.traces.max_depth.clear())),
            ("no spans", Box::new(|set| set.spans = Default::default())),
            ("a short span column", Box::new(|set| set.spans.depth.pop().map(|_| ()).unwrap_or(()))),
            ("span attrs backwards", Box::new(|set| set.spans.attrs[1] = RowRange { start: 4, end: 1 })),
            ("span events past the table", Box::new(|set| set.spans.events[1] = RowRange { start: 0, end: BIG })),
            ("a huge subtree", Box::new(|set| set.spans.subtree_len[2] = BIG)),
            ("a parent after its child", Box::new(|set| set.spans.parent[1] = Some(SpanIdx(BIG)))),
            ("a foreign trace", Box::new(|set| set.spans.trace[3] = TraceIdx(7))),
            ("resource attrs past the table", Box::new(|set| set.resources.attrs[0] = RowRange { start: 0, end: BIG })),
            ("event attrs backwards", Box::new(|set| set.events.attrs[0] = RowRange { start: 9, end: 1 })),
            ("a short attribute column", Box::new(|set| set.attrs.value.truncate(3))),
            (
                "a caller of no span",
                Box::new(|set| {
                    set.spans
                        .callers
                        .push((SpanIdx(BIG), CallerView { service: Default::default(), start_ns: 0, duration_ns: 0 }))
                }),
            ),
            ("no trace table", Box::new(|set| set.traces = Default::default())),
            ("a root left out", Box::new(|set| set.traces.roots[0] = RowRange { start: 0, end: 0 })),
            ("a listed root with a parent", Box::new(|set| set.roots[0] = SpanIdx(1))),
            ("a span out of its trace's rows", Box::new(|set| set.traces.spans[0] = RowRange { start: 0, end: 4 })),
        ];
        // The page's copy must have no rows where it holds nothing (the whole sample is not one).
        let page_copies: Vec<(&str, Box<Corruption>)> = vec![
            ("a page copy with every column", Box::new(|set| set.page_copy = true)),
            (
                "a page copy with attribute rows",
                Box::new(|set| {
                    let attrs = std::mem::take(&mut set.attrs);
                    *set = set.to_page_copy();
                    set.attrs = attrs;
                }),
            ),
        ];
        for (what, corrupt) in corruptions.into_iter().chain(page_copies) {
            let mut set = checkout_sample();
            corrupt(&mut set);
            assert!(check_integrity(&set).is_err(), "{what} went unnoticed");
        }
    }
}
