//! One trace as the trace list, the search results and the durations chart show it: root service
//! and operation, start, duration, span and error counts, and spans per service. Read from API v3
//! `trace-summaries`, or computed from full traces (v1 and plain v3 searches).

use crate::core::model::{SpanFlags, StrIdx, TraceId, TraceIdx, TraceSet};

/// Figures of one trace found by a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TraceSummary {
    /// The trace.
    pub trace_id: TraceId,
    /// Service of the root span (empty when the trace has no root).
    pub root_service: String,
    /// Operation of the root span.
    pub root_operation: String,
    /// Earliest start, ns since the epoch.
    pub start_ns: i64,
    /// Latest end, ns since the epoch.
    pub end_ns: i64,
    /// Spans in the trace.
    pub span_count: u32,
    /// Spans with error status.
    pub error_count: u32,
    /// (service, spans, errors), most spans first, then by name.
    pub services: Vec<(String, u32, u32)>,
}

impl TraceSummary {
    /// Duration from the first start to the last end, ns.
    pub fn duration_ns(&self) -> i64 {
        self.end_ns.saturating_sub(self.start_ns).max(0)
    }

    /// "service: operation", or "missing root".
    pub fn title(&self) -> String {
        if self.root_service.is_empty() && self.root_operation.is_empty() {
            "missing root".to_owned()
        } else {
            format!("{}: {}", self.root_service, self.root_operation)
        }
    }

    /// Puts `services` in display order.
    pub fn sort_services(&mut self) {
        self.services.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    }
}

/// The orders a list of traces can be sorted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryOrder {
    /// Latest start first.
    MostRecent,
    /// Longest duration first.
    Longest,
    /// Shortest duration first.
    Shortest,
    /// Most spans first.
    MostSpans,
    /// Most errors first.
    MostErrors,
}

impl SummaryOrder {
    /// Every order, as a sort menu lists them.
    pub const ALL: [SummaryOrder; 5] = [
        SummaryOrder::MostRecent,
        SummaryOrder::Longest,
        SummaryOrder::Shortest,
        SummaryOrder::MostSpans,
        SummaryOrder::MostErrors,
    ];

    /// How a sort menu names it.
    pub fn label(self) -> &'static str {
        match self {
            SummaryOrder::MostRecent => "Most recent",
            SummaryOrder::Longest => "Longest first",
            SummaryOrder::Shortest => "Shortest first",
            SummaryOrder::MostSpans => "Most spans",
            SummaryOrder::MostErrors => "Most errors",
        }
    }

    /// Sorts `list`, whose items each carry a summary (stable: ties keep their order).
    pub fn sort<T>(self, list: &mut [T], summary: impl Fn(&T) -> &TraceSummary) {
        // One comparison for every order, so the sort is compiled once per item type.
        list.sort_by(|a, b| self.compare(summary(a), summary(b)));
    }

    /// Which of `a` and `b` comes first in this order.
    fn compare(self, a: &TraceSummary, b: &TraceSummary) -> std::cmp::Ordering {
        match self {
            SummaryOrder::MostRecent => b.start_ns.cmp(&a.start_ns),
            SummaryOrder::Longest => b.duration_ns().cmp(&a.duration_ns()),
            SummaryOrder::Shortest => a.duration_ns().cmp(&b.duration_ns()),
            SummaryOrder::MostSpans => b.span_count.cmp(&a.span_count),
            SummaryOrder::MostErrors => b.error_count.cmp(&a.error_count),
        }
    }
}

/// The summary of every trace in `set`, in the set's order.
pub fn summaries_of(set: &TraceSet) -> Vec<TraceSummary> {
    (0..set.trace_count()).map(|t| summary_of(set, TraceIdx(t as u32))).collect()
}

/// The summary of trace `trace` of `set`.
pub fn summary_of(set: &TraceSet, trace: TraceIdx) -> TraceSummary {
    let t = trace.get();
    let (root_service, root_operation) = match set.trace_roots(trace).first() {
        Some(root) => {
            (set.str(set.spans.service[root.get()]).to_owned(), set.str(set.spans.operation[root.get()]).to_owned())
        }
        None => (String::new(), String::new()),
    };
    let mut counts: Vec<(StrIdx, u32, u32)> = Vec::new();
    for span in set.trace_spans(trace) {
        let service = set.spans.service[span.get()];
        let error = u32::from(set.spans.flags[span.get()].has(SpanFlags::ERROR));
        match counts.iter_mut().find(|(known, _, _)| *known == service) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 += error;
            }
            None => counts.push((service, 1, error)),
        }
    }
    let mut summary = TraceSummary {
        trace_id: set.traces.trace_id[t],
        root_service,
        root_operation,
        start_ns: set.traces.start_ns[t],
        end_ns: set.traces.end_ns[t],
        span_count: set.traces.spans[t].len() as u32,
        error_count: set.traces.error_count[t],
        services: counts.into_iter().map(|(s, spans, errors)| (set.str(s).to_owned(), spans, errors)).collect(),
    };
    summary.sort_services();
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(start_ns: i64, end_ns: i64, span_count: u32, error_count: u32) -> TraceSummary {
        TraceSummary { start_ns, end_ns, span_count, error_count, ..TraceSummary::default() }
    }

    #[test]
    fn each_order_sorts_by_its_figure() {
        let list = [summary(10, 50, 3, 0), summary(30, 35, 9, 2), summary(20, 120, 1, 1)];
        let order_of = |order: SummaryOrder| {
            let mut items: Vec<(usize, &TraceSummary)> = list.iter().enumerate().collect();
            order.sort(&mut items, |(_, summary)| summary);
            items.into_iter().map(|(index, _)| index).collect::<Vec<_>>()
        };
        assert_eq!(order_of(SummaryOrder::MostRecent), [1, 2, 0]);
        assert_eq!(order_of(SummaryOrder::Longest), [2, 0, 1]);
        assert_eq!(order_of(SummaryOrder::Shortest), [1, 0, 2]);
        assert_eq!(order_of(SummaryOrder::MostSpans), [1, 0, 2]);
        assert_eq!(order_of(SummaryOrder::MostErrors), [1, 2, 0]);
        assert_eq!(SummaryOrder::ALL.map(SummaryOrder::label)[1], "Longest first");
    }
}
