//! The parts of a list of traces shown by their summaries, shared by the trace list and the
//! Jaeger search results: the sort menu, the items (rendered a hundred at a time up to five
//! hundred, the rest a press of "Show more" away, so a list of thousands of traces never holds
//! the page for long), one item (a link named "root: operation, N spans", start, duration,
//! error badge) and its service pills.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::format::{count_noun, format_duration};
use crate::core::jaeger::{SummaryOrder, TraceSummary};
use crate::core::layout::color::service_color_index;
use crate::core::units::DurationNs;
use crate::io::files::next_frame;
use crate::ui::show_more::more_label;
use crate::ui::time::format_timestamp;

/// Items a list renders at once, and how many more in each task after until all are: each
/// item is a few dozen DOM nodes (2,000 items at once held the page for about 0.45 s).
const ITEMS_PER_TASK: usize = 100;
/// Items a list shows before its "Show more" button, and how many more each press adds.
const ITEMS_SHOWN_FIRST: usize = 500;

/// The sort menu.
#[component]
pub fn SortMenu(
    /// The order chosen.
    order: RwSignal<SummaryOrder>,
) -> impl IntoView {
    view! {
        <label class="sort">
            "Sort "
            <select on:change=move |event| {
                let value = event_target_value(&event);
                if let Some(chosen) = SummaryOrder::ALL.into_iter().find(|order| order.label() == value) {
                    order.set(chosen);
                }
            }>
                {SummaryOrder::ALL
                    .map(|choice| view! { <option value=choice.label()>{choice.label()}</option> })
                    .into_iter()
                    .collect_view()}
            </select>
        </label>
    }
}

/// A list of traces in order, each with the number it is known and opened by (unique in the
/// list: a loaded trace's index, a search result's place among the results).
pub type KeyedSummaries = Arc<Vec<(usize, Arc<TraceSummary>)>>;

/// The items of a list of traces, in order: the first [`ITEMS_PER_TASK`] at once, then as many
/// more in each task up to [`ITEMS_SHOWN_FIRST`] (an item already in stays as it is when the
/// list changes), and a "Show more" button for the rest, [`ITEMS_SHOWN_FIRST`] more a press.
/// Tens of thousands of items in the page made every sort, and every return from a trace, a
/// task of a few hundred milliseconds.
#[component]
pub fn SummaryItems(
    /// The traces.
    #[prop(into)]
    items: Signal<KeyedSummaries>,
    /// Whether to show trace ids (search results, where the traces are not loaded yet).
    #[prop(optional)]
    show_id: bool,
    /// Opens the trace of a number.
    on_open: Callback<usize>,
) -> impl IntoView {
    let rendered = RwSignal::new(items.with_untracked(|items| items.len().min(ITEMS_PER_TASK)));
    // How many items are to be in: the rendering grows to it a task at a time.
    let wanted = RwSignal::new(items.with_untracked(|items| items.len().min(ITEMS_SHOWN_FIRST)));
    // Which growing runs: a list that changes starts again from its first items.
    let growing_for = StoredValue::new(0u64);
    let grow = move || {
        let this = growing_for.get_value().wrapping_add(1);
        growing_for.set_value(this);
        spawn_local(async move {
            loop {
                let (Some(now), Some(target)) = (rendered.try_get_untracked(), wanted.try_get_untracked()) else {
                    return;
                };
                if now >= target {
                    return;
                }
                next_frame().await;
                if growing_for.try_get_value() != Some(this) {
                    return;
                }
                rendered.set((now + ITEMS_PER_TASK).min(target));
            }
        });
    };
    Effect::new(move |_| {
        let len = items.with(|items| items.len());
        rendered.set(len.min(ITEMS_PER_TASK));
        wanted.set(len.min(ITEMS_SHOWN_FIRST));
        grow();
    });
    let more = move || {
        let len = items.with(|items| items.len());
        let rest = len.saturating_sub(wanted.get());
        (rest > 0).then(|| {
            let label = more_label(rest.min(ITEMS_SHOWN_FIRST), rest, ("trace", "traces"));
            view! {
                <button
                    type="button"
                    class="link-button show-more"
                    on:click=move |_| {
                        wanted.update(|wanted| *wanted = (*wanted + ITEMS_SHOWN_FIRST).min(len));
                        grow();
                    }
                >
                    {label}
                </button>
            }
        })
    };
    view! {
        <ul class="trace-list-items">
            <For
                each=move || {
                    let count = rendered.get();
                    items.with(|items| items.iter().take(count).cloned().collect::<Vec<_>>())
                }
                key=|(key, _)| *key
                let((key, summary))
            >
                <SummaryItem
                    summary=(*summary).clone()
                    show_id=show_id
                    on_open=Callback::new(move |()| on_open.run(key))
                />
            </For>
        </ul>
        {more}
    }
}

/// One trace of a list.
#[component]
pub fn SummaryItem(
    /// The trace's figures.
    summary: TraceSummary,
    /// Whether to show the trace id (search results, where the trace is not loaded yet).
    #[prop(optional)]
    show_id: bool,
    /// Opens the trace.
    on_open: Callback<()>,
) -> impl IntoView {
    let title = summary.title();
    let spans = count_noun(summary.span_count as usize, "span", "spans");
    let errors = summary.error_count;
    view! {
        <li class="trace-list-item">
            <a
                href="#"
                class="trace-link"
                aria-label=format!("{title}, {spans}")
                on:click=move |event| {
                    event.prevent_default();
                    on_open.run(());
                }
            >
                <span class="trace-title">{title.clone()}</span>
                <span class="trace-spans">{spans.clone()}</span>
            </a>
            <span class="trace-meta">
                {format_timestamp(summary.start_ns)} " · " {format_duration(DurationNs(summary.duration_ns()))}
                {show_id.then(|| view! { " · " <code>{summary.trace_id.to_short_hex()}</code> })}
            </span>
            {(errors > 0).then(|| view! {
                <span class="error-badge">{count_noun(errors as usize, "error", "errors")}</span>
            })}
            <ServicePills services=summary.services/>
        </li>
    }
}

/// A trace's service pills: one per service with its span count and errors, coloured as the
/// timeline colours the service.
#[component]
pub fn ServicePills(
    /// (service, spans, errors), in display order.
    services: Vec<(String, u32, u32)>,
) -> impl IntoView {
    let pills = services
        .into_iter()
        .map(|(service, spans, errors)| {
            let color = format!("service-pill service-{}", service_color_index(&service));
            let errors = (errors > 0).then(|| format!(", {}", count_noun(errors as usize, "error", "errors")));
            view! { <li class=color>{format!("{service} {spans}")}{errors}</li> }
        })
        .collect_view();
    view! { <ul class="service-pills" aria-label="Services">{pills}</ul> }
}
