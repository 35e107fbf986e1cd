//! Deep links: the view (trace, selected span, collapsed spans, zoom, find) lives in the address, and
//! an address opened later reopens the same view once its traces are loaded.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::core::layout::rows::spans_with_children;
use crate::core::layout::view_window::ViewWindow;
use crate::core::model::{SpanId, SpanIdx, TraceId, TraceIdx, TraceSet};
use crate::io::url_state::{query_value, replace_query};
use crate::ui::state::{Find, Loaded, Selection};

/// At most this many collapsed spans are written one by one (`collapsed=all` covers the rest).
const MAX_COLLAPSED_IN_ADDRESS: usize = 200;

/// The view the address asked for at start-up, applied when the traces have loaded.
#[derive(Clone, Debug, Default)]
pub struct PendingView {
    trace: Option<TraceId>,
    span: Option<SpanId>,
    collapsed: Option<String>,
    zoom: Option<ViewWindow>,
}

/// Reads the view from the address (call once at start-up) and starts keeping the address in
/// step with the view.
pub fn provide_deep_link() {
    let find = expect_context::<Find>();
    if let Some(text) = query_value("find") {
        find.text.set(text);
    }
    find.only_matches.set(query_value("only").as_deref() == Some("1"));
    let pending = PendingView {
        trace: query_value("trace").and_then(|text| TraceId::from_hex(&text)),
        span: query_value("span").and_then(|text| SpanId::from_hex(&text)),
        collapsed: query_value("collapsed"),
        zoom: query_value("zoom").and_then(|text| {
            let (start, end) = text.split_once(',')?;
            Some(ViewWindow::new(start.trim().parse().ok()?, end.trim().parse().ok()?))
        }),
    };
    let pending = StoredValue::new(Some(pending));
    provide_context(pending);

    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    // Once traces are there, apply the pending view (once).
    Effect::new(move |_| {
        let Some(set) = loaded.0.get() else { return };
        let Some(view) = pending.try_update_value(|pending| pending.take()).flatten() else { return };
        apply(&set, &view, selection);
    });
    // Keep the address in step with the view.
    Effect::new(move |_| {
        let set = loaded.0.get();
        let trace = selection.trace.get();
        let span = selection.span.get();
        let collapsed = selection.collapsed.get();
        let text = find.text.get();
        let only = find.only_matches.get();
        let window = selection.window.get();
        if pending.with_value(|pending| pending.is_some()) {
            return; // The address still describes a view waiting for its traces.
        }
        let Some(set) = set else { return };
        let trace_id = trace.and_then(|trace| set.traces.trace_id.get(trace.get())).map(|id| id.to_short_hex());
        let span_id = span.and_then(|span| set.spans.span_id.get(span.get())).map(|id| id.to_hex());
        let collapsed_text = trace.and_then(|trace| collapsed_text(&set, trace, &collapsed));
        replace_query(&[
            ("trace", trace_id),
            ("span", span_id),
            ("collapsed", collapsed_text),
            ("find", Some(text)),
            ("only", only.then(|| "1".to_owned())),
            ("zoom", (!window.is_whole()).then(|| format!("{:.6},{:.6}", window.start, window.end))),
        ]);
    });
}

/// Opens trace `trace` once the load now running has finished (a trace fetched from Jaeger).
pub fn open_when_loaded(trace: TraceId) {
    if let Some(pending) = use_context::<StoredValue<Option<PendingView>>>() {
        pending.set_value(Some(PendingView { trace: Some(trace), ..PendingView::default() }));
    }
}

fn collapsed_text(set: &TraceSet, trace: TraceIdx, collapsed: &HashSet<SpanIdx>) -> Option<String> {
    if collapsed.is_empty() {
        return None;
    }
    if *collapsed == spans_with_children(set, trace) {
        return Some("all".to_owned());
    }
    let mut ids: Vec<String> =
        collapsed.iter().filter_map(|span| set.spans.span_id.get(span.get())).map(|id| id.to_hex()).collect();
    ids.sort();
    ids.truncate(MAX_COLLAPSED_IN_ADDRESS);
    Some(ids.join(","))
}

fn apply(set: &TraceSet, view: &PendingView, selection: Selection) {
    // The trace the address names, else the one already open (a single trace opens by itself).
    let trace = match view.trace {
        Some(trace_id) => match set.trace_of_id(trace_id) {
            Some(trace) => trace,
            None => return,
        },
        None => match selection.trace.get_untracked() {
            Some(trace) => trace,
            None => return,
        },
    };
    selection.open_trace(trace);
    let find_row = |id: SpanId| set.span_of_id(trace, id);
    let collapsed: HashSet<SpanIdx> = match view.collapsed.as_deref() {
        Some("all") => spans_with_children(set, trace),
        Some(list) => list.split(',').filter_map(SpanId::from_hex).filter_map(find_row).collect(),
        None => HashSet::new(),
    };
    selection.collapsed.set(collapsed);
    selection.span.set(view.span.and_then(find_row));
    if let Some(zoom) = view.zoom {
        selection.window.set(zoom);
    }
}
