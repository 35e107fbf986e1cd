//! The Gantt timeline: the span tree on the left, bars on the right, virtualized so only the
//! rows on screen are in the DOM whatever the trace's size.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;

use crate::core::format::format_duration;
use crate::core::layout::color::service_color_index;
use crate::core::layout::rows::{spans_with_children, visible_rows};
use crate::core::layout::time_scale::TimeScale;
use crate::core::model::{SpanFlags, SpanIdx, SpanKind, TraceSet};
use crate::core::units::DurationNs;
use crate::ui::state::{Loaded, Selection};

/// Height of one row, CSS pixels (kept equal to `--row-height` in `style/timeline.css`).
const ROW_HEIGHT_CSS_PX: f64 = 26.0;
/// Rows rendered above and below the viewport.
const OVERSCAN_ROWS: usize = 12;
/// At most this many event ticks are drawn on one bar.
const MAX_EVENT_TICKS: usize = 24;

/// The timeline of the open trace.
#[component]
pub fn Timeline() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let visible = Memo::new(move |_| {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        let rows = selection.collapsed.with(|collapsed| visible_rows(&set, trace, collapsed));
        Some(Arc::new(rows))
    });
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_height = RwSignal::new(640.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = scroller.get() {
            let height = f64::from(element.client_height());
            if height > 0.0 {
                viewport_height.set(height);
            }
        }
    });
    let window = Memo::new(move |_| {
        let count = visible.with(|rows| rows.as_ref().map_or(0, |rows| rows.len()));
        let first = ((scroll_top.get() / ROW_HEIGHT_CSS_PX) as usize).saturating_sub(OVERSCAN_ROWS).min(count);
        let shown = (viewport_height.get() / ROW_HEIGHT_CSS_PX).ceil() as usize + 2 * OVERSCAN_ROWS;
        (first, (first + shown).min(count))
    });
    let total_height = move || {
        let count = visible.with(|rows| rows.as_ref().map_or(0, |rows| rows.len()));
        format!("{}px", count as f64 * ROW_HEIGHT_CSS_PX)
    };
    let offset = move || format!("translateY({}px)", window.get().0 as f64 * ROW_HEIGHT_CSS_PX);

    let collapse_all = move |_| {
        let (Some(set), Some(trace)) = (loaded.0.get_untracked(), selection.trace.get_untracked()) else { return };
        selection.collapsed.set(spans_with_children(&set, trace));
    };
    let expand_all = move |_| selection.collapsed.set(Default::default());

    let rows = move || {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        let rows = visible.get()?;
        let (first, last) = window.get();
        let t = trace.get();
        let scale = TimeScale::new(set.traces.start_ns[t], set.traces.end_ns[t], 100.0);
        let selected = selection.span.get();
        let collapsed = selection.collapsed.get();
        let views = rows[first..last]
            .iter()
            .map(|&span| {
                let is_collapsed = collapsed.contains(&span);
                span_row(&set, &scale, span, selected == Some(span), is_collapsed, selection)
            })
            .collect_view();
        Some(views)
    };

    view! {
        <section class="timeline" aria-label="Timeline">
            <div class="timeline-toolbar">
                <button type="button" class="button" on:click=collapse_all>"Collapse all"</button>
                <button type="button" class="button" on:click=expand_all>"Expand all"</button>
            </div>
            <div
                class="timeline-scroll"
                role="tree"
                aria-label="Trace timeline"
                node_ref=scroller
                on:scroll=move |_| {
                    if let Some(element) = scroller.get_untracked() {
                        scroll_top.set(f64::from(element.scroll_top()));
                        viewport_height.set(f64::from(element.client_height()));
                    }
                }
            >
                <div class="timeline-canvas" style:height=total_height>
                    <div class="timeline-window" style:transform=offset>
                        {rows}
                    </div>
                </div>
            </div>
        </section>
    }
}

fn kind_label(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Unspecified => "",
        SpanKind::Internal => "internal",
        SpanKind::Server => "server",
        SpanKind::Client => "client",
        SpanKind::Producer => "producer",
        SpanKind::Consumer => "consumer",
    }
}

/// One row: tree item with toggle, service and operation; the bar with its duration and event
/// ticks.
fn span_row(
    set: &TraceSet,
    scale: &TimeScale,
    span: SpanIdx,
    selected: bool,
    collapsed: bool,
    selection: Selection,
) -> impl IntoView + use<> {
    let i = span.get();
    let spans = &set.spans;
    let service = set.str(spans.service[i]).to_owned();
    let operation = set.str(spans.operation[i]).to_owned();
    let color = service_color_index(&service);
    let depth = spans.depth[i];
    let has_children = spans.subtree_len[i] > 1;
    let error = spans.flags[i].has(SpanFlags::ERROR);
    let duration = format_duration(DurationNs(spans.duration_ns[i]));
    let left = scale.percent_from_time(spans.start_ns[i]).clamp(0.0, 100.0);
    let width = (scale.percent_from_time(spans.end_ns(span)) - left).clamp(0.0, 100.0 - left);
    // The duration follows the bar, or sits inside its end when the bar reaches the right edge.
    let label_left = left + width;
    let label_inside = label_left > 80.0;
    let ticks: Vec<f64> = spans.events[i]
        .as_range()
        .take(MAX_EVENT_TICKS)
        .map(|event| scale.percent_from_time(set.events.time_ns[event]).clamp(0.0, 100.0))
        .collect();
    let kind = kind_label(spans.kind[i]);
    let name = format!("{service} {operation}");
    let level = (depth + 1).to_string();
    let toggle = move |event: leptos::ev::MouseEvent| {
        event.stop_propagation();
        selection.collapsed.update(|set| {
            if !set.remove(&span) {
                set.insert(span);
            }
        });
    };
    view! {
        <div
            class="span-row"
            class:selected=selected
            class:error=error
            role="treeitem"
            aria-expanded=has_children.then(|| (!collapsed).to_string())
            aria-selected=selected.to_string()
            aria-label=format!("{name}, {duration}")
            on:click=move |_| selection.span.set(Some(span))
        >
            <div class="span-label" style:padding-left=format!("{}px", 6 + depth.min(40) * 14)>
                {if has_children {
                    view! {
                        <button
                            type="button"
                            class="toggle"
                            tabindex="-1"
                            aria-label=if collapsed { "Expand" } else { "Collapse" }
                            on:click=toggle
                        >
                            {if collapsed { "▸" } else { "▾" }}
                        </button>
                    }
                        .into_any()
                } else {
                    view! { <span class="toggle-space"></span> }.into_any()
                }}
                <span class=format!("service-dot service-{color}")></span>
                <span class="span-service">{service}</span>
                " "
                <span class="span-operation">{operation}</span>
                {(!kind.is_empty()).then(|| view! { <span class="span-kind">{kind}</span> })}
                {error.then(|| view! { <span class="span-error" title="error">"!"</span> })}
            </div>
            <div class="span-track">
                <div
                    class=format!("span-bar service-{color}")
                    style:left=format!("{left:.4}%")
                    style:width=format!("max({width:.4}%, 2px)")
                ></div>
                {ticks
                    .into_iter()
                    .map(|tick| view! { <span class="event-tick" style:left=format!("{tick:.4}%")></span> })
                    .collect_view()}
                <span class="span-duration" class:inside=label_inside style:left=format!("{label_left:.4}%")>
                    {duration.clone()}
                </span>
            </div>
        </div>
    }
    // aria-level has no typed attribute in Leptos: added by name.
    .add_any_attr(custom_attribute("aria-level", level))
}
