//! A small trace the page draws once, out of sight, while it waits for the first load: the
//! browser compiles a WebAssembly function the first time it runs, and the trace page's first
//! build spent most of its time compiling (ADR 0021). Made from its columns, as the page's copy
//! of a set is (ADR 0012), since the page holds no importer.

use crate::core::model::{RowRange, SpanFlags, SpanId, SpanIdx, SpanKind, StatusCode, TraceId, TraceIdx, TraceSet};

/// The calls of the warm-up trace under its root, each with two calls of its own.
const CALLS: usize = 13;
/// Start of the warm-up trace, ns since the epoch (2026-01-01).
const START_NS: i64 = 1_767_225_600_000_000_000;

/// A page's copy of a set of one trace of 40 spans in four services: a root, thirteen calls
/// under it and two under each, one of them failed, a few with events.
pub fn page_warm_up_set() -> TraceSet {
    let mut set = TraceSet { page_copy: true, ..TraceSet::default() };
    let services = ["frontend", "checkout", "payments", "inventory"].map(|name| set.strings.intern(name));
    let operations =
        ["GET /cart", "POST /checkout", "charge card", "reserve items"].map(|name| set.strings.intern(name));
    let mut push =
        |parent: Option<usize>, depth: u32, subtree_len: u32, kind: SpanKind, start_ns: i64, duration_ns: i64| {
            let spans = &mut set.spans;
            let row = spans.trace.len();
            spans.trace.push(TraceIdx(0));
            spans.span_id.push(SpanId((row as u64 + 1).to_be_bytes()));
            spans.parent.push(parent.map(|parent| SpanIdx(parent as u32)));
            spans.depth.push(depth);
            spans.subtree_len.push(subtree_len);
            spans.service.push(services[row % services.len()]);
            spans.operation.push(operations[row % operations.len()]);
            spans.kind.push(kind);
            let failed = row == 7;
            spans.status.push(if failed { StatusCode::Error } else { StatusCode::Unset });
            spans.flags.push(SpanFlags(if failed { SpanFlags::ERROR } else { 0 }));
            spans.start_ns.push(start_ns);
            spans.duration_ns.push(duration_ns);
            let events_start = set.events.time_ns.len();
            if row.is_multiple_of(5) {
                set.events.time_ns.extend([start_ns + duration_ns / 3, start_ns + duration_ns / 2]);
            }
            spans.events.push(RowRange::new(events_start, set.events.time_ns.len()));
            row
        };
    let step_ns = 1_000_000;
    let root = push(None, 0, (1 + 3 * CALLS) as u32, SpanKind::Server, START_NS, step_ns * (3 * CALLS as i64 + 2));
    for call in 0..CALLS as i64 {
        let start_ns = START_NS + step_ns * (3 * call + 1);
        let parent = push(Some(root), 1, 3, SpanKind::Client, start_ns, step_ns * 3);
        push(Some(parent), 2, 1, SpanKind::Server, start_ns + step_ns / 4, step_ns);
        push(Some(parent), 2, 1, SpanKind::Internal, start_ns + step_ns * 3 / 2, step_ns);
    }
    let count = set.spans.trace.len();
    set.roots.push(SpanIdx(root as u32));
    let traces = &mut set.traces;
    traces.trace_id.push(TraceId(*b"traceglass-warm!"));
    traces.spans.push(RowRange::new(0, count));
    traces.roots.push(RowRange::new(0, 1));
    traces.start_ns.push(START_NS);
    traces.end_ns.push(START_NS + step_ns * (3 * CALLS as i64 + 2));
    traces.service_count.push(services.len() as u32);
    traces.error_count.push(1);
    traces.max_depth.push(2);
    traces.warnings.push(RowRange::new(0, 0));
    traces.incomplete.push(false);
    set
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::check_integrity;

    #[test]
    fn the_warm_up_set_is_a_whole_page_copy() {
        let set = page_warm_up_set();
        assert!(set.page_copy);
        assert_eq!(check_integrity(&set), Ok(()));
        assert_eq!(set.span_count(), 40);
        assert_eq!(set.trace_roots(TraceIdx(0)), [SpanIdx(0)]);
        assert!(!set.events.time_ns.is_empty());
    }
}
