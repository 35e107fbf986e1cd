//! A small human-readable summary of a `TraceSet`: traces, spans, services, roots, depth,
//! errors and warnings by kind. Used by importer snapshot tests and round-trip checks.

use std::fmt::Write;

use crate::core::model::ids::TraceIdx;
use crate::core::model::trace_set::TraceSet;
use crate::core::model::traces::warning_counts;

/// The summary as text, one fact a line, and one line per trace (the first `max_traces`).
pub fn summarize(set: &TraceSet, max_traces: usize) -> String {
    let mut out = String::new();
    let mut services: Vec<&str> = set.spans.service.iter().map(|&service| set.str(service)).collect();
    services.sort_unstable();
    services.dedup();
    let errors =
        (0..set.span_count()).filter(|&i| set.spans.flags[i].has(crate::core::model::SpanFlags::ERROR)).count();
    let max_depth = set.spans.depth.iter().copied().max().unwrap_or(0);
    let _ = writeln!(out, "traces: {}", set.trace_count());
    let _ = writeln!(out, "spans: {}", set.span_count());
    let _ = writeln!(out, "services: {} ({})", services.len(), services.join(", "));
    let _ = writeln!(out, "roots: {}", set.roots.len());
    let _ = writeln!(out, "max depth: {max_depth}");
    let _ = writeln!(out, "errors: {errors}");
    let count = |ranges: &[crate::core::model::RowRange]| ranges.iter().map(|range| range.len()).sum::<usize>();
    let (events, links, attrs) = (count(&set.spans.events), count(&set.spans.links), count(&set.spans.attrs));
    let _ = writeln!(out, "span events: {events}, links: {links}, attributes: {attrs}");
    let by_kind = warning_counts(&set.warnings);
    let kinds: Vec<String> = by_kind.iter().map(|(kind, count)| format!("{} {count}", kind.name())).collect();
    let _ = writeln!(out, "warnings: {}", if kinds.is_empty() { "none".to_owned() } else { kinds.join(", ") });
    for t in 0..set.trace_count().min(max_traces) {
        let trace = TraceIdx(t as u32);
        let traces = &set.traces;
        let roots = set.trace_roots(trace);
        let root_names: Vec<String> = roots
            .iter()
            .take(3)
            .map(|&root| {
                format!("{}: {}", set.str(set.spans.service[root.get()]), set.str(set.spans.operation[root.get()]))
            })
            .collect();
        let _ = writeln!(
            out,
            "trace {}: {} spans, {} services, {} roots [{}{}], depth {}, {} errors, {} warnings, {} ns{}",
            traces.trace_id[t].to_short_hex(),
            traces.spans[t].len(),
            traces.service_count[t],
            roots.len(),
            root_names.join("; "),
            if roots.len() > 3 { "; ..." } else { "" },
            traces.max_depth[t],
            traces.error_count[t],
            traces.warnings[t].len(),
            traces.end_ns[t] - traces.start_ns[t],
            if traces.incomplete[t] { ", incomplete" } else { "" },
        );
    }
    if set.trace_count() > max_traces {
        let _ = writeln!(out, "... {} more traces", set.trace_count() - max_traces);
    }
    out
}
