//! The rows of a trace's timeline after collapsing: the pre-order span rows, with each
//! collapsed span's descendants skipped in one step thanks to `subtree_len`.
//!
//! ```text
//!  rows        collapsed {B}      visible
//!  A                              A
//!  ├─ B        ▸ B                B
//!  │  └─ C                        D
//!  └─ D
//! ```

use std::collections::HashSet;

use crate::core::model::{SpanIdx, TraceIdx, TraceSet};

/// The visible rows of `trace` when the spans in `collapsed` are collapsed. O(visible rows +
/// collapsed spans), never a walk over hidden subtrees.
pub fn visible_rows(set: &TraceSet, trace: TraceIdx, collapsed: &HashSet<SpanIdx>) -> Vec<SpanIdx> {
    let Some(range) = set.traces.spans.get(trace.get()) else { return Vec::new() };
    if collapsed.is_empty() {
        // Every row: one tight loop (a trace opens this way, at a million spans too).
        return (range.start..range.end).map(SpanIdx).collect();
    }
    let mut rows = Vec::with_capacity(range.len().min(1 << 20));
    let mut row = range.start as usize;
    while row < range.end as usize {
        let span = SpanIdx(row as u32);
        rows.push(span);
        row += if collapsed.contains(&span) { set.spans.subtree_len[row] as usize } else { 1 };
    }
    rows
}

/// Every span of `trace` that has children (to collapse all).
pub fn spans_with_children(set: &TraceSet, trace: TraceIdx) -> HashSet<SpanIdx> {
    set.trace_spans(trace).filter(|span| set.spans.subtree_len[span.get()] > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::import_file;
    use crate::core::model::TraceSetBuilder;

    fn chain_and_sibling() -> TraceSet {
        // A ▸ B ▸ C, and D under A.
        let text = r#"{"traceID":"1","processes":{"p":{"serviceName":"s"}},"spans":[
            {"spanID":"a","operationName":"A","references":[],"startTime":1,"duration":10,"processID":"p"},
            {"spanID":"b","operationName":"B","references":[{"refType":"CHILD_OF","spanID":"a"}],"startTime":2,"duration":5,"processID":"p"},
            {"spanID":"c","operationName":"C","references":[{"refType":"CHILD_OF","spanID":"b"}],"startTime":3,"duration":1,"processID":"p"},
            {"spanID":"d","operationName":"D","references":[{"refType":"CHILD_OF","spanID":"a"}],"startTime":8,"duration":1,"processID":"p"}]}"#;
        let mut builder = TraceSetBuilder::new();
        import_file(&mut builder, "t.json", text.as_bytes()).unwrap();
        builder.finish()
    }

    fn names(set: &TraceSet, rows: &[SpanIdx]) -> Vec<String> {
        rows.iter().map(|row| set.str(set.spans.operation[row.get()]).to_owned()).collect()
    }

    #[test]
    fn collapsing_a_span_hides_its_subtree_only() {
        let set = chain_and_sibling();
        let trace = TraceIdx(0);
        assert_eq!(names(&set, &visible_rows(&set, trace, &HashSet::new())), ["A", "B", "C", "D"]);
        let collapsed: HashSet<SpanIdx> = [SpanIdx(1)].into();
        assert_eq!(names(&set, &visible_rows(&set, trace, &collapsed)), ["A", "B", "D"]);
        let all = spans_with_children(&set, trace);
        assert_eq!(all.len(), 2);
        assert_eq!(names(&set, &visible_rows(&set, trace, &all)), ["A"]);
    }
}
