//! All loaded traces, sortable, each a link that opens it; narrowed to one service's traces
//! when the dependency graph asks.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::format::count_noun;
use crate::core::jaeger::{summaries_of, SummaryOrder, TraceSummary};
use crate::core::model::{TraceIdx, TraceSet};
use crate::ui::state::{Loaded, Selection, ServiceFilter};
use crate::ui::summary_list::{SortMenu, SummaryItems};

/// Each trace's figures with its position in the set.
fn rows(set: &TraceSet) -> Vec<(usize, Arc<TraceSummary>)> {
    summaries_of(set).into_iter().map(Arc::new).enumerate().collect()
}

/// The list of loaded traces.
#[component]
pub fn TraceList(
    /// Whether a trace is open in the list's place (the list stays built, hidden).
    #[prop(into)]
    hidden: Signal<bool>,
) -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let filter = expect_context::<ServiceFilter>();
    let order = RwSignal::new(SummaryOrder::MostRecent);
    let sorted = Memo::new(move |_| {
        let set: Option<Arc<TraceSet>> = loaded.0.get();
        let mut list = set.as_deref().map(rows).unwrap_or_default();
        if let Some(service) = filter.0.get() {
            list.retain(|(_, row)| row.services.iter().any(|(name, _, _)| *name == service));
        }
        order.get().sort(&mut list, |(_, row)| row.as_ref());
        Arc::new(list)
    });
    view! {
        <section
            class="trace-list"
            aria-labelledby="trace-list-title"
            hidden=move || hidden.get()
            aria-hidden=move || hidden.get().then_some("true")
        >
            <div class="trace-list-head">
                <h2 id="trace-list-title">{move || count_noun(sorted.get().len(), "trace", "traces")}</h2>
                <SortMenu order=order/>
            </div>
            {move || filter.0.get().map(|service| view! {
                <p class="trace-filter">
                    {format!("Traces with spans of {service}")}
                    <button type="button" class="link-button" on:click=move |_| filter.0.set(None)>"Show all traces"</button>
                </p>
            })}
            <SummaryItems items=sorted on_open=Callback::new(move |trace| selection.open_trace(TraceIdx(trace as u32)))/>
        </section>
    }
}
