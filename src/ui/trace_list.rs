//! All loaded traces, sortable, each a link that opens it; narrowed to one service's traces
//! when the dependency graph asks.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::format::count_noun;
use crate::core::jaeger::{summary_of, SummaryOrder, TraceSummary};
use crate::core::model::{TraceIdx, TraceSet};
use crate::io::files::next_frame;
use crate::ui::state::{Loaded, Selection, ServiceFilter};
use crate::ui::summary_list::{SortMenu, SummaryItems};

/// Traces summarized in one task: a file of tens of thousands of traces has its summaries made
/// over several tasks (50,000 traces took 35 ms at once), a smaller one's at once.
const SUMMARIES_PER_TASK: usize = 5_000;

/// The summaries of the traces of `set` in `range`, with their positions in the set.
fn rows(set: &TraceSet, range: std::ops::Range<usize>) -> impl Iterator<Item = (usize, Arc<TraceSummary>)> + '_ {
    range.map(|t| (t, Arc::new(summary_of(set, TraceIdx(t as u32)))))
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
    // Made once for the set the list is built for (a new set builds a new list), at once or,
    // for many traces, a few thousand a task; `None` until all are made.
    let set = loaded.0.get_untracked();
    let trace_count = set.as_ref().map_or(0, |set| set.trace_count());
    let summaries = RwSignal::new(None::<Arc<Vec<(usize, Arc<TraceSummary>)>>>);
    match set {
        Some(set) if trace_count > SUMMARIES_PER_TASK => {
            spawn_local(async move {
                let mut list = Vec::with_capacity(trace_count);
                for start in (0..trace_count).step_by(SUMMARIES_PER_TASK) {
                    next_frame().await;
                    if summaries.try_get_untracked().is_none() {
                        return;
                    }
                    list.extend(rows(&set, start..(start + SUMMARIES_PER_TASK).min(trace_count)));
                }
                summaries.try_set(Some(Arc::new(list)));
            });
        }
        Some(set) => summaries.set(Some(Arc::new(rows(&set, 0..trace_count).collect()))),
        None => summaries.set(Some(Arc::default())),
    }
    let sorted = Memo::new(move |_| {
        let mut list = summaries.get().map(|list| list.as_ref().clone()).unwrap_or_default();
        if let Some(service) = filter.0.get() {
            list.retain(|(_, row)| row.services.iter().any(|(name, _, _)| *name == service));
        }
        order.get().sort(&mut list, |(_, row)| row.as_ref());
        Arc::new(list)
    });
    let heading = move || match summaries.with(Option::is_some) {
        true => count_noun(sorted.with(|list| list.len()), "trace", "traces"),
        false => count_noun(trace_count, "trace", "traces"),
    };
    view! {
        <section
            class="trace-list"
            aria-labelledby="trace-list-title"
            hidden=move || hidden.get()
            aria-hidden=move || hidden.get().then_some("true")
        >
            <div class="trace-list-head">
                <h2 id="trace-list-title">{heading}</h2>
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
