//! All loaded traces, sortable, each a link that opens it; narrowed to one service's traces
//! when the dependency graph asks.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::{count_noun, format_duration};
use crate::core::jaeger::{summaries_of, TraceSummary};
use crate::core::model::{TraceIdx, TraceSet};
use crate::core::units::DurationNs;
use crate::ui::service_pills::ServicePills;
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

/// Each trace's figures with its position in the set.
fn rows(set: &TraceSet) -> Vec<(TraceIdx, TraceSummary)> {
    summaries_of(set).into_iter().enumerate().map(|(t, summary)| (TraceIdx(t as u32), summary)).collect()
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
            list.retain(|(_, row)| row.services.iter().any(|(name, _, _)| *name == service));
        }
        match order.get() {
            Order::MostRecent => list.sort_by_key(|(_, row)| std::cmp::Reverse(row.start_ns)),
            Order::Longest => list.sort_by_key(|(_, row)| std::cmp::Reverse(row.duration_ns())),
            Order::Shortest => list.sort_by_key(|(_, row)| row.duration_ns()),
            Order::MostSpans => list.sort_by_key(|(_, row)| std::cmp::Reverse(row.span_count)),
            Order::MostErrors => list.sort_by_key(|(_, row)| std::cmp::Reverse(row.error_count)),
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
                        .map(|(trace, row)| {
                            let trace = *trace;
                            let title = row.title();
                            let spans = count_noun(row.span_count as usize, "span", "spans");
                            view! {
                                <li class="trace-list-item">
                                    <a
                                        href="#"
                                        class="trace-link"
                                        aria-label=format!("{title}, {spans}")
                                        on:click=move |event| {
                                            event.prevent_default();
                                            selection.open_trace(trace);
                                        }
                                    >
                                        <span class="trace-title">{title.clone()}</span>
                                        <span class="trace-spans">{spans.clone()}</span>
                                    </a>
                                    <span class="trace-meta">
                                        {format_timestamp(row.start_ns)} " · "
                                        {format_duration(DurationNs(row.duration_ns()))}
                                    </span>
                                    {(row.error_count > 0).then(|| view! {
                                        <span class="error-badge">{count_noun(row.error_count as usize, "error", "errors")}</span>
                                    })}
                                    <ServicePills services=row.services.clone()/>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
