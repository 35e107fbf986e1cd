//! The search results: the durations chart and the list, sortable like the trace list, each
//! result a link that fetches the whole trace and opens it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::count_noun;
use crate::core::jaeger::{SummaryOrder, TraceSummary};
use crate::ui::jaeger::chart::DurationsChart;
use crate::ui::jaeger::open_jaeger_trace;
use crate::ui::summary_list::{SortMenu, SummaryItem};

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
    let order = RwSignal::new(SummaryOrder::MostRecent);
    let count = summaries.len();
    let for_list = summaries.clone();
    let list = move || {
        let mut list = for_list.to_vec();
        order.get().sort(&mut list, |summary| summary);
        list.into_iter()
            .map(|summary| {
                let trace = summary.trace_id;
                let on_open = Callback::new(move |()| open_jaeger_trace(trace));
                view! { <SummaryItem summary=summary show_id=true on_open=on_open/> }
            })
            .collect_view()
    };
    view! {
        <section class="search-results" aria-labelledby="search-results-title">
            <div class="trace-list-head">
                <h2 id="search-results-title" role="status">{count_noun(count, "trace", "traces")} " found"</h2>
                <SortMenu order=order/>
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
