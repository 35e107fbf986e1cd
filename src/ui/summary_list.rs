//! The parts of a list of traces shown by their summaries, shared by the trace list and the
//! Jaeger search results: the sort menu, one item (a link named "root: operation, N spans",
//! start, duration, error badge) and its service pills.

use leptos::prelude::*;

use crate::core::format::{count_noun, format_duration};
use crate::core::jaeger::{SummaryOrder, TraceSummary};
use crate::core::layout::color::service_color_index;
use crate::core::units::DurationNs;
use crate::ui::time::format_timestamp;

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
