//! The search results: the durations chart and the list, sortable like the trace list, each
//! result a link that fetches the whole trace and opens it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::{count_noun, format_duration};
use crate::core::jaeger::TraceSummary;
use crate::core::units::DurationNs;
use crate::ui::jaeger::chart::DurationsChart;
use crate::ui::jaeger::open_jaeger_trace;
use crate::ui::service_pills::ServicePills;
use crate::ui::state::{CurrentPage, Page};
use crate::ui::time::format_timestamp;

const ORDERS: [&str; 5] = ["Most recent", "Longest first", "Shortest first", "Most spans", "Most errors"];

fn sorted(list: &[TraceSummary], order: &str) -> Vec<TraceSummary> {
    let mut list = list.to_vec();
    match order {
        "Longest first" => list.sort_by_key(|summary| std::cmp::Reverse(summary.duration_ns())),
        "Shortest first" => list.sort_by_key(TraceSummary::duration_ns),
        "Most spans" => list.sort_by_key(|summary| std::cmp::Reverse(summary.span_count)),
        "Most errors" => list.sort_by_key(|summary| std::cmp::Reverse(summary.error_count)),
        _ => list.sort_by_key(|summary| std::cmp::Reverse(summary.start_ns)),
    }
    list
}

/// Opens a search result: fetches the whole trace and shows it.
pub fn open_result(summary: &TraceSummary) {
    expect_context::<CurrentPage>().0.set(Page::Traces);
    open_jaeger_trace(summary.trace_id);
}

/// The chart and the list of a search's results.
#[component]
pub fn SearchResults(
    /// The traces found.
    summaries: Arc<Vec<TraceSummary>>,
    /// Saves the results as JSON.
    on_download: Callback<()>,
) -> impl IntoView {
    if summaries.is_empty() {
        return view! { <p class="empty-result" role="status">"No traces found"</p> }.into_any();
    }
    let order = RwSignal::new(ORDERS[0]);
    let count = summaries.len();
    let for_list = summaries.clone();
    let list = move || {
        sorted(&for_list, order.get())
            .into_iter()
            .map(|summary| {
                let title = summary.title();
                let spans = count_noun(summary.span_count as usize, "span", "spans");
                let label = format!("{title}, {spans}");
                let errors = summary.error_count;
                let opened = summary.clone();
                view! {
                    <li class="trace-list-item">
                        <a
                            href="#"
                            class="trace-link"
                            aria-label=label
                            on:click=move |event| {
                                event.prevent_default();
                                open_result(&opened);
                            }
                        >
                            <span class="trace-title">{title}</span>
                            <span class="trace-spans">{spans}</span>
                        </a>
                        <span class="trace-meta">
                            {format_timestamp(summary.start_ns)} " · "
                            {format_duration(DurationNs(summary.duration_ns()))} " · "
                            <code>{summary.trace_id.to_short_hex()}</code>
                        </span>
                        {(errors > 0).then(|| view! {
                            <span class="error-badge">{count_noun(errors as usize, "error", "errors")}</span>
                        })}
                        <ServicePills services=summary.services.clone()/>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="search-results" aria-labelledby="search-results-title">
            <div class="trace-list-head">
                <h2 id="search-results-title" role="status">{count_noun(count, "trace", "traces")} " found"</h2>
                <label class="sort">
                    "Sort "
                    <select on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some(chosen) = ORDERS.iter().find(|name| **name == value) {
                            order.set(chosen);
                        }
                    }>
                        {ORDERS.iter().map(|name| view! { <option value=*name>{*name}</option> }).collect_view()}
                    </select>
                </label>
                <button type="button" class="button secondary" on:click=move |_| on_download.run(())>
                    "Download results"
                </button>
            </div>
            <DurationsChart summaries=summaries.clone()/>
            <ul class="trace-list-items">{list}</ul>
        </section>
    }
    .into_any()
}
