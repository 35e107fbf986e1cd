//! Self time: how much of a span's duration none of its children covers.
//!
//! ```text
//!  parent  |--------------------------------|   100
//!  child a     |--------|                        20
//!  child b          |--------|                   20 (overlaps a by 10)
//!  self    |---|             |--------------|    100 - 30 = 70
//! ```
//! Children are clipped to the parent (skew may push them outside) and overlaps count once.

use crate::core::model::{SpanIdx, TraceSet};

/// The direct children of `span`, using the pre-order layout (no allocation per call).
pub fn children(set: &TraceSet, span: SpanIdx) -> impl Iterator<Item = SpanIdx> + '_ {
    let end = span.get() + set.spans.subtree_len[span.get()] as usize;
    let mut next = span.get() + 1;
    std::iter::from_fn(move || {
        if next >= end {
            return None;
        }
        let child = next;
        next += set.spans.subtree_len[child] as usize;
        Some(SpanIdx(child as u32))
    })
}

/// The span's self time, ns.
pub fn self_time_ns(set: &TraceSet, span: SpanIdx) -> i64 {
    let start = set.spans.start_ns[span.get()];
    let end = set.spans.end_ns(span);
    let mut covered: Vec<(i64, i64)> = children(set, span)
        .map(|child| (set.spans.start_ns[child.get()].max(start), set.spans.end_ns(child).min(end)))
        .filter(|(from, to)| to > from)
        .collect();
    covered.sort_unstable();
    let mut busy = 0i64;
    let mut reach = start;
    for (from, to) in covered {
        let from = from.max(reach);
        if to > from {
            busy += to - from;
            reach = to;
        }
    }
    (end - start - busy).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::import_file;
    use crate::core::model::TraceSetBuilder;

    #[test]
    fn overlapping_and_outlying_children_count_once_and_clipped() {
        // The drawing above, in µs: parent 0..100, a 10..30, b 20..40, and c 90..120 (outlives).
        let text = r#"{"traceID":"1","processes":{"p":{"serviceName":"s"}},"spans":[
            {"spanID":"1","operationName":"parent","references":[],"startTime":1000,"duration":100,"processID":"p"},
            {"spanID":"2","operationName":"a","references":[{"refType":"CHILD_OF","spanID":"1"}],"startTime":1010,"duration":20,"processID":"p"},
            {"spanID":"3","operationName":"b","references":[{"refType":"CHILD_OF","spanID":"1"}],"startTime":1020,"duration":20,"processID":"p"},
            {"spanID":"4","operationName":"c","references":[{"refType":"CHILD_OF","spanID":"1"}],"startTime":1090,"duration":30,"processID":"p"}]}"#;
        let mut builder = TraceSetBuilder::new();
        import_file(&mut builder, "t.json", text.as_bytes()).unwrap();
        let set = builder.finish();
        assert_eq!(children(&set, SpanIdx(0)).count(), 3);
        // Busy: 10..40 (30 µs) and 90..100 (10 µs) → self 60 µs.
        assert_eq!(self_time_ns(&set, SpanIdx(0)), 60_000);
        assert_eq!(self_time_ns(&set, SpanIdx(1)), 20_000);
    }
}
