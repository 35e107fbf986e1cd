//! All loaded traces, sortable, each a link that opens it; narrowed to one service's traces
//! when the dependency graph asks.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::{count_noun, format_duration};
use crate::core::layout::color::service_color_index;
use crate::core::model::{SpanFlags, StrIdx, TraceIdx, TraceSet};
use crate::core::units::DurationNs;
use crate::ui::state::{Loaded, Selection, ServiceFilter};
use crate::ui::time::format_timestamp;

/// How the list is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    MostRecent,
    Longest,
    Shortest,
    MostSpans,
    MostErrors,
}

const ORDERS: [(Order, &str); 5] = [
    (Order::MostRecent, "Most recent"),
    (Order::Longest, "Longest first"),
    (Order::Shortest, "Shortest first"),
    (Order::MostSpans, "Most spans"),
    (Order::MostErrors, "Most errors"),
];

/// One trace's figures for the list.
#[derive(PartialEq)]
struct Row {
    trace: TraceIdx,
    title: String,
    start_ns: i64,
    duration_ns: i64,
    spans: usize,
    errors: u32,
    /// (service, spans, errors), most spans first.
    services: Vec<(String, usize, usize)>,
}

fn rows(set: &TraceSet) -> Vec<Row> {
    (0..set.trace_count())
        .map(|t| {
            let trace = TraceIdx(t as u32);
            let title = match set.trace_roots(trace).first() {
                Some(root) => {
                    format!("{}: {}", set.str(set.spans.service[root.get()]), set.str(set.spans.operation[root.get()]))
                }
                None => "missing root".to_owned(),
            };
            let mut counts: Vec<(StrIdx, usize, usize)> = Vec::new();
            for span in set.trace_spans(trace) {
                let service = set.spans.service[span.get()];
                let error = usize::from(set.spans.flags[span.get()].has(SpanFlags::ERROR));
                match counts.iter_mut().find(|(known, _, _)| *known == service) {
                    Some(entry) => {
                        entry.1 += 1;
                        entry.2 += error;
                    }
                    None => counts.push((service, 1, error)),
                }
            }
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| set.str(a.0).cmp(set.str(b.0))));
            Row {
                trace,
                title,
                start_ns: set.traces.start_ns[t],
                duration_ns: set.traces.end_ns[t] - set.traces.start_ns[t],
                spans: set.traces.spans[t].len(),
                errors: set.traces.error_count[t],
                services: counts
                    .into_iter()
                    .map(|(service, spans, errors)| (set.str(service).to_owned(), spans, errors))
                    .collect(),
            }
        })
        .collect()
}

/// The list of loaded traces.
#[component]
pub fn TraceList() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let filter = expect_context::<ServiceFilter>();
    let order = RwSignal::new(Order::MostRecent);
    let sorted = Memo::new(move |_| {
        let set: Option<Arc<TraceSet>> = loaded.0.get();
        let mut list = set.as_deref().map(rows).unwrap_or_default();
        if let Some(service) = filter.0.get() {
            list.retain(|row| row.services.iter().any(|(name, _, _)| *name == service));
        }
        match order.get() {
            Order::MostRecent => list.sort_by_key(|row| std::cmp::Reverse(row.start_ns)),
            Order::Longest => list.sort_by_key(|row| std::cmp::Reverse(row.duration_ns)),
            Order::Shortest => list.sort_by_key(|row| row.duration_ns),
            Order::MostSpans => list.sort_by_key(|row| std::cmp::Reverse(row.spans)),
            Order::MostErrors => list.sort_by_key(|row| std::cmp::Reverse(row.errors)),
        }
        Arc::new(list)
    });
    view! {
        <section class="trace-list" aria-labelledby="trace-list-title">
            <div class="trace-list-head">
                <h2 id="trace-list-title">{move || count_noun(sorted.get().len(), "trace", "traces")}</h2>
                <label class="sort">
                    "Sort "
                    <select on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some((chosen, _)) = ORDERS.iter().find(|(_, name)| *name == value) {
                            order.set(*chosen);
                        }
                    }>
                        {ORDERS.iter().map(|(_, name)| view! { <option value=*name>{*name}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            {move || filter.0.get().map(|service| view! {
                <p class="trace-filter">
                    {format!("Traces with spans of {service}")}
                    <button type="button" class="link-button" on:click=move |_| filter.0.set(None)>"Show all traces"</button>
                </p>
            })}
            <ul class="trace-list-items">
                {move || {
                    sorted
                        .get()
                        .iter()
                        .map(|row| {
                            let trace = row.trace;
                            let services = row
                                .services
                                .iter()
                                .map(|(service, spans, errors)| {
                                    let color = format!("service-pill service-{}", service_color_index(service));
                                    let errors = (*errors > 0).then(|| format!(", {errors} errors"));
                                    view! { <li class=color>{format!("{service} {spans}")}{errors}</li> }
                                })
                                .collect_view();
                            view! {
                                <li class="trace-list-item">
                                    <a
                                        href="#"
                                        class="trace-link"
                                        aria-label=format!("{}, {}", row.title, count_noun(row.spans, "span", "spans"))
                                        on:click=move |event| {
                                            event.prevent_default();
                                            selection.open_trace(trace);
                                        }
                                    >
                                        <span class="trace-title">{row.title.clone()}</span>
                                        <span class="trace-spans">{count_noun(row.spans, "span", "spans")}</span>
                                    </a>
                                    <span class="trace-meta">
                                        {format_timestamp(row.start_ns)} " · "
                                        {format_duration(DurationNs(row.duration_ns))}
                                    </span>
                                    {(row.errors > 0).then(|| view! {
                                        <span class="error-badge">{count_noun(row.errors as usize, "error", "errors")}</span>
                                    })}
                                    <ul class="service-pills" aria-label="Services">{services}</ul>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
