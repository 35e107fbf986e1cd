//! The search results: the durations chart and the list, sortable like the trace list, each
//! result a link that fetches the whole trace and opens it.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::count_noun;
use crate::core::jaeger::{SummaryOrder, TraceSummary};
use crate::ui::jaeger::chart::DurationsChart;
use crate::ui::jaeger::open_jaeger_trace;
use crate::ui::summary_list::{SortMenu, SummaryItems};

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
    // Keyed by their place in the results (a trace id may come twice).
    let for_list = summaries.clone();
    let sorted = Memo::new(move |_| {
        let mut list: Vec<(usize, Arc<TraceSummary>)> = for_list.iter().cloned().map(Arc::new).enumerate().collect();
        order.get().sort(&mut list, |(_, summary)| summary.as_ref());
        Arc::new(list)
    });
    let for_open = summaries.clone();
    let on_open = Callback::new(move |place: usize| {
        if let Some(summary) = for_open.get(place) {
            open_jaeger_trace(summary.trace_id);
        }
    });
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
            <SummaryItems items=sorted show_id=true on_open=on_open/>
        </section>
    }
    .into_any()
}
