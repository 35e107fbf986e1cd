//! The Gantt timeline: the span tree on the left, bars on the right, virtualized so only the
//! rows on screen are in the DOM whatever the trace's size. What the find box matches is
//! asked of the engine that keeps the loaded traces (off the page's thread).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::task::spawn_local;

use crate::core::analysis::find::{matches_with_ancestors, parse_query};
use crate::core::engine::protocol::{Answer, Request};
use crate::core::format::{count_noun, format_duration, Fixed};
use crate::core::layout::color::service_color_index;
use crate::core::layout::rows::{spans_with_children, visible_rows};
use crate::core::layout::scroll::{RowWindow, VirtualScroll};
use crate::core::layout::ticks::tick_step_ns;
use crate::core::layout::time_scale::TimeScale;
use crate::core::layout::view_window::ViewWindow;
use crate::core::model::{SpanFlags, SpanIdx, SpanKind, TraceSet};
use crate::core::units::DurationNs;
use crate::io::files::{next_frame, timeout};
use crate::io::kept_engine::ask;
use crate::ui::embed::embed_options;
use crate::ui::state::{Find, Loaded, Selection};
use crate::ui::trace::minimap::Minimap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Height of one row, CSS pixels (kept equal to `--row-height` in `style/timeline.css`).
const ROW_HEIGHT_CSS_PX: f64 = 26.0;
/// Rows rendered above and below the viewport.
const OVERSCAN_ROWS: usize = 12;
/// How long the engine may find before the count says it is finding, ms.
const SLOW_FIND_MS: i32 = 150;
/// At most this many event ticks are drawn on one bar.
const MAX_EVENT_TICKS: usize = 24;

/// The timeline of the open trace.
#[component]
pub fn Timeline() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let find = expect_context::<Find>();
    let query = Memo::new(move |_| find.text.with(|text| parse_query(text)));
    // The spans the find box matches, in row order (`None` without a trace or a query).
    let matches = RwSignal::new(None::<Arc<Vec<SpanIdx>>>);
    // Whether the engine is finding, and has been for a while (the count then says so; before,
    // it stays as it was, so typing does not flicker); why it could not, if it could not.
    let finding = RwSignal::new(false);
    let slow_find = RwSignal::new(false);
    let find_problem = RwSignal::new(None::<String>);
    let visible = Memo::new(move |_| {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        // The matches are read only when only they are shown, so typing in the find box does
        // not walk the whole trace again otherwise.
        let found = if find.only_matches.get() { matches.get().filter(|found| !found.is_empty()) } else { None };
        let rows = match found {
            Some(found) => matches_with_ancestors(&set, trace, &found),
            None => selection.collapsed.with(|collapsed| visible_rows(&set, trace, collapsed)),
        };
        Some(Arc::new(rows))
    });
    // Keep the selection visible: when its ancestor is collapsed, the ancestor is selected.
    Effect::new(move |_| {
        let collapsed = selection.collapsed.get();
        let (Some(set), Some(span)) = (loaded.0.get_untracked(), selection.span.get_untracked()) else { return };
        let mut shown = span;
        let mut current = set.spans.parent.get(span.get()).copied().flatten();
        while let Some(ancestor) = current {
            if collapsed.contains(&ancestor) {
                shown = ancestor;
            }
            current = set.spans.parent[ancestor.get()];
        }
        if shown != span {
            selection.span.set(Some(shown));
        }
    });
    // Dragging across the bars pans the zoom window: (start x, window then, moved yet).
    let pan_drag = RwSignal::new(None::<(f64, ViewWindow, bool)>);
    let drag_happened = RwSignal::new(false);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_height = RwSignal::new(640.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    // The viewport's height, told by a ResizeObserver after the browser's own layout: reading
    // it while rendering would force a layout of the fresh page inside the render's task. It
    // also follows the window's and the panels' resizing.
    Effect::new(move |_| {
        let Some(element) = scroller.get() else { return };
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                let height = entry.content_rect().height();
                if height > 0.0 {
                    viewport_height.set(height);
                }
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            observer.observe(&element);
            let owned = send_wrapper::SendWrapper::new((observer, on_resize));
            on_cleanup(move || owned.take().0.disconnect());
        }
    });
    let geometry = Memo::new(move |_| VirtualScroll {
        rows: visible.with(|rows| rows.as_ref().map_or(0, |rows| rows.len())),
        row_css_px: ROW_HEIGHT_CSS_PX,
        viewport_css_px: viewport_height.get(),
    });
    let window = Memo::new(move |_| geometry.get().window(scroll_top.get(), OVERSCAN_ROWS));
    let total_height = move || format!("{}px", geometry.get().canvas_css_px());
    let offset = move || format!("translateY({}px)", window.get().offset_css_px);

    let collapse_all = move |_: ()| {
        let (Some(set), Some(trace)) = (loaded.0.get_untracked(), selection.trace.get_untracked()) else { return };
        selection.collapsed.set(spans_with_children(&set, trace));
    };
    let expand_all = move |_: ()| selection.collapsed.set(Default::default());

    // Next / previous match: select it and scroll it into view (once found, when the engine
    // is still finding).
    let pending_step = StoredValue::new(None::<isize>);
    let go_to_match = move |step: isize| {
        if finding.get_untracked() {
            pending_step.set_value(Some(step));
            return;
        }
        let Some(found) = matches.get_untracked() else { return };
        if found.is_empty() {
            return;
        }
        let count = found.len() as isize;
        let next = (find.current.get_untracked() as isize + step).rem_euclid(count) as usize;
        find.current.set(next);
        let span = found[next];
        // A match inside a collapsed subtree: expand its ancestors.
        match loaded.0.get_untracked() {
            Some(set) => selection.reveal_span(&set, span),
            None => selection.span.set(Some(span)),
        }
        let position =
            visible.with_untracked(|rows| rows.as_ref().and_then(|rows| rows.iter().position(|&row| row == span)));
        if let (Some(position), Some(element)) = (position, scroller.get_untracked()) {
            let above = (f64::from(element.client_height()) / 3.0 / ROW_HEIGHT_CSS_PX) as usize;
            let target = geometry.get_untracked().scroll_top_for_row(position.saturating_sub(above));
            element.set_scroll_top(target as i32);
        }
    };
    // Keyboard, as in Jaeger UI: w/s scroll, ]/[ collapse/expand all, p/o one level, f/b next
    // and previous match, / or ctrl+b find, esc clears, ? shows the keys.
    let help_open = RwSignal::new(false);
    // The width of the span-name column, CSS px, once the user has dragged its edge.
    let label_width = RwSignal::new(None::<f64>);
    let resizing = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();
    Effect::new(move |_| {
        let width = label_width.get();
        if let Some(element) = section.get() {
            set_css_variable(&element, "--label-width", width);
        }
    });
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        let typing = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|element| matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        let key = event.key();
        if key == "Escape" {
            help_open.set(false);
            if typing {
                blur_active();
            } else {
                selection.span.set(None);
            }
            return;
        }
        if typing || event.alt_key() || event.meta_key() {
            return;
        }
        let ctrl = event.ctrl_key();
        let handled = match key.as_str() {
            "b" if ctrl => focus_find(),
            _ if ctrl => false,
            "/" => focus_find(),
            "f" => {
                go_to_match(1);
                true
            }
            "b" => {
                go_to_match(-1);
                true
            }
            "]" => {
                collapse_all(());
                true
            }
            "[" => {
                expand_all(());
                true
            }
            "p" => {
                change_one_level(loaded, selection, true);
                true
            }
            "o" => {
                change_one_level(loaded, selection, false);
                true
            }
            "w" | "s" => {
                if let Some(element) = scroller.get_untracked() {
                    let rows = if key == "w" { -5.0 } else { 5.0 };
                    element.set_scroll_top((f64::from(element.scroll_top()) + rows * ROW_HEIGHT_CSS_PX) as i32);
                }
                true
            }
            "?" => {
                help_open.update(|open| *open = !*open);
                true
            }
            "ArrowUp" => {
                selection.window.update(|window| *window = window.zoom(0.8, 0.5));
                true
            }
            "ArrowDown" => {
                selection.window.update(|window| *window = window.zoom(1.25, 0.5));
                true
            }
            "a" | "ArrowLeft" => {
                selection.window.update(|window| *window = window.pan(-0.1));
                true
            }
            "d" | "ArrowRight" => {
                selection.window.update(|window| *window = window.pan(0.1));
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());

    // Each change of the trace or the query asks again; only the last question's answer counts.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (set, trace, parsed) = (loaded.0.get(), selection.trace.get(), query.get());
        asked.update_value(|count| *count += 1);
        find_problem.set(None);
        slow_find.set(false);
        let (Some(_), Some(trace), Ok(parsed)) = (set, trace, parsed) else {
            finding.set(false);
            matches.set(None);
            return;
        };
        if parsed.is_empty() {
            finding.set(false);
            matches.set(Some(Arc::new(Vec::new())));
            return;
        }
        let this = asked.get_value();
        finding.set(true);
        // These tasks may outlive the timeline (another trace opened): they then touch nothing.
        spawn_local(async move {
            timeout(SLOW_FIND_MS).await;
            if asked.try_get_value() == Some(this) && finding.try_get_untracked() == Some(true) {
                slow_find.try_set(true);
            }
        });
        let text = find.text.get_untracked();
        spawn_local(async move {
            let answer = ask(Request::Find { trace, query: text }).await;
            if asked.try_get_value() != Some(this) {
                return;
            }
            let found = match answer {
                Ok(Answer::Found(found)) => found,
                Ok(other) => {
                    find_problem.try_set(Some(format!("the engine answered {other:?}")));
                    Vec::new()
                }
                Err(why) => {
                    find_problem.try_set(Some(why));
                    Vec::new()
                }
            };
            matches.try_set(Some(Arc::new(found)));
            finding.try_set(false);
            slow_find.try_set(false);
            if let Some(Some(step)) = pending_step.try_get_value() {
                pending_step.try_set_value(None);
                go_to_match(step);
            }
        });
    });

    let match_count = move || match query.get() {
        Err(problem) => problem,
        Ok(query) if query.is_empty() => String::new(),
        Ok(_) if slow_find.get() => "Finding…".to_owned(),
        Ok(_) if find_problem.with(Option::is_some) => {
            format!("Find failed: {}", find_problem.get().unwrap_or_default())
        }
        Ok(_) => {
            let count = matches.with(|found| found.as_ref().map_or(0, |found| found.len()));
            count_noun(count, "match", "matches")
        }
    };

    // The rows are built a task after the rest of the timeline: a trace opened is then three
    // tasks for the browser (see `TracePage`), none long (each view's first build also has the
    // browser compile its code).
    let rows_ready = RwSignal::new(false);
    spawn_local(async move {
        next_frame().await;
        rows_ready.try_set(true);
    });
    let rows = move || {
        if !rows_ready.get() {
            return None;
        }
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        let rows = visible.get()?;
        // In row order, so a row looks itself up by binary search.
        let found = matches.get();
        let RowWindow { first, end: last, .. } = window.get();
        let scale = window_scale(&set, trace, selection.window.get());
        let selected = selection.span.get();
        // Read in place: after "Collapse all" the set holds most of the trace's spans.
        let views = selection.collapsed.with(|collapsed| {
            rows[first..last]
                .iter()
                .map(|&span| {
                    let state = RowState {
                        drag_happened,
                        selected: selected == Some(span),
                        collapsed: collapsed.contains(&span),
                        matched: found.as_ref().is_some_and(|found| found.binary_search(&span).is_ok()),
                    };
                    span_row(&set, &scale, span, state, selection)
                })
                .collect_view()
        });
        Some(views)
    };

    let ruler = move || {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        let scale = window_scale(&set, trace, selection.window.get());
        let trace_start = set.traces.start_ns[trace.get()];
        let step = tick_step_ns(scale.duration_ns(), 5);
        let first = (scale.start_ns - trace_start).div_euclid(step) * step
            + step * i64::from((scale.start_ns - trace_start).rem_euclid(step) != 0);
        let ticks = (0..)
            .map(|i| first + i * step)
            .take_while(|offset| trace_start + offset <= scale.end_ns)
            .map(|offset| {
                let left = scale.percent_from_time(trace_start + offset);
                let label = format_duration(DurationNs(offset));
                let last = left > 85.0;
                view! { <span class="tick" class:last=last style:left=format!("{}%", Fixed(left, 3))>{label}</span> }
            })
            .collect_view();
        Some(ticks)
    };

    view! {
        <section class="timeline" aria-label="Timeline" node_ref=section>
            <div class="timeline-toolbar">
                <button type="button" class="button" on:click=move |_| collapse_all(())>"Collapse all"</button>
                <button type="button" class="button" on:click=move |_| expand_all(())>"Expand all"</button>
                <button
                    type="button"
                    class="button"
                    disabled=move || selection.window.get().is_whole()
                    on:click=move |_| selection.window.set(ViewWindow::WHOLE)
                >
                    "Reset zoom"
                </button>
                <div class="find">
                    <input
                        type="search"
                        id="find-box"
                        class="find-box"
                        placeholder="Find in trace"
                        aria-label="Find in trace"
                        prop:value=move || find.text.get()
                        on:input=move |event| {
                            find.text.set(event_target_value(&event));
                            find.current.set(usize::MAX);
                        }
                        on:keydown=move |event: leptos::ev::KeyboardEvent| {
                            if event.key() == "Enter" {
                                event.prevent_default();
                                go_to_match(if event.shift_key() { -1 } else { 1 });
                            }
                        }
                    />
                    <span
                        class="find-count"
                        aria-live="polite"
                        aria-busy=move || if finding.get() { "true" } else { "false" }
                    >
                        {match_count}
                    </span>
                    <button type="button" class="button" aria-label="Previous match" on:click=move |_| go_to_match(-1)>"↑"</button>
                    <button type="button" class="button" aria-label="Next match" on:click=move |_| go_to_match(1)>"↓"</button>
                    <button
                        type="button"
                        class="button"
                        aria-label="Keyboard shortcuts"
                        on:click=move |_| help_open.update(|open| *open = !*open)
                    >
                        "?"
                    </button>
                    <label class="only-matches">
                        <input
                            type="checkbox"
                            prop:checked=move || find.only_matches.get()
                            on:change=move |event| find.only_matches.set(event_target_checked(&event))
                        />
                        "Show only matches"
                    </label>
                </div>
            </div>
            {(!embed_options().hide_minimap).then(|| view! { <Minimap/> })}
            <Show when=move || help_open.get()>
                <KeyHelp on_close=move || help_open.set(false)/>
            </Show>
            <div class="timeline-ruler">
                <span class="ruler-label" aria-hidden="true">"Service and operation"</span>
                <span
                    class="column-handle"
                    role="separator"
                    aria-orientation="vertical"
                    aria-label="Resize the span name column"
                    on:pointerdown=move |event: leptos::ev::PointerEvent| {
                        resizing.set(true);
                        if let Some(target) = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
                            let _ = target.set_pointer_capture(event.pointer_id());
                        }
                    }
                    on:pointermove=move |event: leptos::ev::PointerEvent| {
                        if !resizing.get_untracked() {
                            return;
                        }
                        let Some(element) = scroller.get_untracked() else { return };
                        let rect = element.get_bounding_client_rect();
                        let width = (f64::from(event.client_x()) - rect.left()).clamp(140.0, rect.width() * 0.75);
                        label_width.set(Some(width));
                    }
                    on:pointerup=move |_| resizing.set(false)
                ></span>
                <div class="ruler-track">{ruler}</div>
            </div>
            <div
                class="timeline-scroll"
                role="tree"
                aria-label="Trace timeline"
                node_ref=scroller
                on:wheel=move |event: leptos::ev::WheelEvent| {
                    if !event.ctrl_key() {
                        return;
                    }
                    event.prevent_default();
                    let Some(element) = scroller.get_untracked() else { return };
                    // The anchor: where the pointer is over the bars (the right part of a row).
                    let rect = element.get_bounding_client_rect();
                    let label = label_width.get_untracked().unwrap_or_else(|| (rect.width() * 0.38).max(220.0));
                    let track_width = (rect.width() - label - 64.0).max(1.0);
                    let anchor = ((f64::from(event.client_x()) - rect.left() - label) / track_width).clamp(0.0, 1.0);
                    let factor = if event.delta_y() < 0.0 { 0.8 } else { 1.25 };
                    selection.window.update(|window| *window = window.zoom(factor, anchor));
                }
                on:pointerdown=move |event: leptos::ev::PointerEvent| {
                    drag_happened.set(false);
                    if event.button() == 0 {
                        pan_drag.set(Some((f64::from(event.client_x()), selection.window.get_untracked(), false)));
                    }
                }
                on:pointermove=move |event: leptos::ev::PointerEvent| {
                    let Some((x0, window0, moved)) = pan_drag.get_untracked() else { return };
                    if event.buttons() & 1 == 0 {
                        pan_drag.set(None);
                        return;
                    }
                    let dx = f64::from(event.client_x()) - x0;
                    if !moved && dx.abs() < 5.0 {
                        return;
                    }
                    let Some(element) = scroller.get_untracked() else { return };
                    if !moved {
                        let _ = element.set_pointer_capture(event.pointer_id());
                    }
                    let rect = element.get_bounding_client_rect();
                    let label = label_width.get_untracked().unwrap_or_else(|| (rect.width() * 0.38).max(220.0));
                    let track_width = (rect.width() - label - 64.0).max(1.0);
                    pan_drag.set(Some((x0, window0, true)));
                    selection.window.set(window0.pan(-dx / track_width));
                }
                on:pointerup=move |_| {
                    if let Some((_, _, true)) = pan_drag.get_untracked() {
                        drag_happened.set(true);
                    }
                    pan_drag.set(None);
                }
                // After a row has seen it (clicks bubble from the row up to here): only the
                // click that ends a drag is not a selection, not a later one without a pointer
                // press (the keyboard, assistive technology).
                on:click=move |_| drag_happened.set(false)
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

/// How a row is shown.
#[derive(Clone, Copy)]
struct RowState {
    /// Set when the pointer gesture that ends in a click was a drag (the click then selects nothing).
    drag_happened: RwSignal<bool>,
    selected: bool,
    collapsed: bool,
    /// The row matches the find box.
    matched: bool,
}

/// One row: tree item with toggle, service and operation; the bar with its duration and event
/// ticks.
fn span_row(
    set: &TraceSet,
    scale: &TimeScale,
    span: SpanIdx,
    state: RowState,
    selection: Selection,
) -> impl IntoView + use<> {
    let RowState { drag_happened, selected, collapsed, matched } = state;
    let i = span.get();
    let spans = &set.spans;
    let service = set.str(spans.service[i]).to_owned();
    let operation = set.str(spans.operation[i]).to_owned();
    let color = service_color_index(&service);
    let depth = spans.depth[i];
    let has_children = spans.subtree_len[i] > 1;
    let error = spans.flags[i].has(SpanFlags::ERROR);
    let duration = format_duration(DurationNs(spans.duration_ns[i]));
    let raw_left = scale.percent_from_time(spans.start_ns[i]);
    let raw_right = scale.percent_from_time(spans.end_ns(span));
    // Spans outside the zoom window show no bar.
    let outside = raw_right < 0.0 || raw_left > 100.0;
    let left = raw_left.clamp(0.0, 100.0);
    let width = (raw_right - left).clamp(0.0, 100.0 - left);
    // The duration follows the bar, or sits inside its end when the bar reaches the right edge.
    let label_left = left + width;
    let near_end = label_left > 80.0;
    let label_inside = near_end && width > 8.0;
    let label_before = near_end && !label_inside;
    let label_left = if label_before { left } else { label_left };
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
            class:match=matched
            role="treeitem"
            aria-expanded=has_children.then(|| (!collapsed).to_string())
            aria-selected=selected.to_string()
            aria-label=format!("{name}, {duration}")
            on:click=move |_| {
                if !drag_happened.get_untracked() {
                    selection.span.set(Some(span));
                }
            }
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
                    class:outside=outside
                    style:left=format!("{}%", Fixed(left, 3))
                    style:width=format!("max({}%, 2px)", Fixed(width, 3))
                ></div>
                {ticks
                    .into_iter()
                    .map(|tick| view! { <span class="event-tick" style:left=format!("{}%", Fixed(tick, 3))></span> })
                    .collect_view()}
                <span class="span-duration" class:inside=label_inside class:before=label_before class:outside=outside style:left=format!("{}%", Fixed(label_left, 3))>
                    {duration.clone()}
                </span>
            </div>
        </div>
    }
    // aria-level has no typed attribute in Leptos: added by name.
    .add_any_attr(custom_attribute("aria-level", level))
}

/// The keys of the timeline, as (keys, what they do).
const KEYS: [(&str, &str); 13] = [
    ("w / s", "scroll up / down"),
    ("↑ / ↓", "zoom in / out"),
    ("a / d, ← / →", "pan earlier / later"),
    ("ctrl + wheel", "zoom around the pointer"),
    ("drag the bars", "pan"),
    ("] / [", "collapse / expand all"),
    ("p / o", "collapse / expand one level"),
    ("f / b", "next / previous match"),
    ("/ or ctrl+b", "find in trace"),
    ("enter / shift+enter", "next / previous match (in the find box)"),
    ("click", "select a span"),
    ("esc", "clear the selection, leave the find box, close this"),
    ("?", "show or hide these keys"),
];

/// The keyboard help dialog.
#[component]
fn KeyHelp(
    /// Called when the dialog is closed.
    on_close: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="key-help" role="dialog" aria-label="Keyboard shortcuts">
            <h2>"Keyboard shortcuts"</h2>
            <dl>
                {KEYS.iter().map(|(keys, what)| view! { <div><dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd></div> }).collect_view()}
            </dl>
            <button type="button" class="button" on:click=move |_| on_close()>"Close"</button>
        </div>
    }
}

fn focus_find() -> bool {
    let element = document().get_element_by_id("find-box");
    match element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(input) => {
            let _ = input.focus();
            true
        }
        None => false,
    }
}

fn blur_active() {
    if let Some(element) =
        document().active_element().and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.blur();
    }
}

/// Collapses the deepest expanded level (`collapse`) or expands the shallowest collapsed one.
fn change_one_level(loaded: Loaded, selection: Selection, collapse: bool) {
    let (Some(set), Some(trace)) = (loaded.0.get_untracked(), selection.trace.get_untracked()) else { return };
    selection.collapsed.update(|collapsed| {
        if collapse {
            let visible = visible_rows(&set, trace, collapsed);
            let parents =
                visible.iter().filter(|span| set.spans.subtree_len[span.get()] > 1 && !collapsed.contains(span));
            if let Some(depth) = parents.clone().map(|span| set.spans.depth[span.get()]).max() {
                let level: Vec<SpanIdx> =
                    parents.filter(|span| set.spans.depth[span.get()] == depth).copied().collect();
                collapsed.extend(level);
            }
        } else if let Some(depth) = collapsed.iter().map(|span| set.spans.depth[span.get()]).min() {
            collapsed.retain(|span| set.spans.depth[span.get()] != depth);
        }
    });
}

/// The time scale of the zoom `window` over `trace`, as percentages.
fn window_scale(set: &TraceSet, trace: crate::core::model::TraceIdx, window: ViewWindow) -> TimeScale {
    let t = trace.get();
    let start = set.traces.start_ns.get(t).copied().unwrap_or(0);
    let duration = (set.traces.end_ns.get(t).copied().unwrap_or(start) - start) as f64;
    TimeScale::new(start + (window.start * duration) as i64, start + (window.end * duration).ceil() as i64, 100.0)
}

/// Sets (or, for `None`, removes) a CSS custom property through the CSSOM, which a strict
/// Content-Security-Policy allows (a `style` attribute it would not).
pub fn set_css_variable(element: &web_sys::HtmlElement, name: &str, width_css_px: Option<f64>) {
    let style = element.style();
    let _ = match width_css_px {
        Some(width) => style.set_property(name, &format!("{width:.0}px")),
        None => style.remove_property(name).map(|_| ()),
    };
}
