//! The minimap: the whole trace on a canvas (per-pixel buckets from `core::layout::minimap`,
//! computed once per trace), the zoom window drawn over it, and dragging on it to zoom to a range
//! (a click moves the window there).

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use crate::core::format::Fixed;
use crate::core::layout::minimap;
use crate::core::layout::view_window::ViewWindow;
use crate::ui::state::{Loaded, ReadyMinimaps, Selection};
use crate::ui::theme::ThemeContext;

use crate::core::layout::minimap::{HEIGHT_PX, WIDTH_PX};

/// The minimap of the open trace.
#[component]
pub fn Minimap() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let ready = expect_context::<ReadyMinimaps>();
    let map = Memo::new(move |_| {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        // The engine's, for a big trace it loaded; else built here.
        if let Some(map) = ready.0.with(|maps| maps.get(&trace).cloned()) {
            return Some(map);
        }
        Some(Arc::new(minimap::Minimap::of_trace(&set, trace, WIDTH_PX, HEIGHT_PX)))
    });
    let theme = use_context::<ThemeContext>();
    // Drawn once the browser has styled and painted the fresh page (the next animation frame,
    // then a task of its own): reading the canvas's colour earlier would make the browser style
    // the whole page inside the task that built it. Drawn again in the other theme's colour.
    Effect::new(move |_| {
        if let Some(theme) = theme {
            theme.0.track();
        }
        if let (Some(element), Some(map)) = (canvas.get(), map.get()) {
            let element = send_wrapper::SendWrapper::new(element);
            request_animation_frame(move || {
                set_timeout(move || draw(&element, &map), std::time::Duration::ZERO);
            });
        }
    });

    // Dragging: from and to, as fractions of the width.
    let drag = RwSignal::new(None::<(f64, f64)>);
    let fraction = move |event: &leptos::ev::PointerEvent| {
        let Some(element) = canvas.get_untracked() else { return 0.0 };
        let rect = element.get_bounding_client_rect();
        ((f64::from(event.client_x()) - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0)
    };
    let shown = move || match drag.get() {
        Some((from, to)) if (to - from).abs() > 0.002 => ViewWindow::new(from, to),
        _ => selection.window.get(),
    };
    view! {
        <div
            class="minimap"
            aria-label="Trace minimap: drag to zoom to a range"
            role="img"
            on:pointerdown=move |event| {
                let at = fraction(&event);
                drag.set(Some((at, at)));
                if let Some(target) = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok()) {
                    let _ = target.set_pointer_capture(event.pointer_id());
                }
            }
            on:pointermove=move |event| {
                if let Some((from, _)) = drag.get_untracked() {
                    drag.set(Some((from, fraction(&event))));
                }
            }
            on:pointerup=move |event| {
                let Some((from, _)) = drag.get_untracked() else { return };
                let to = fraction(&event);
                drag.set(None);
                if (to - from).abs() > 0.002 {
                    selection.window.set(ViewWindow::new(from, to));
                } else {
                    // A click centres the current window there.
                    selection.window.update(|window| {
                        let half = window.width() / 2.0;
                        *window = ViewWindow::new(from - half, from + half);
                    });
                }
            }
        >
            <canvas node_ref=canvas width=WIDTH_PX.to_string() height=HEIGHT_PX.to_string()></canvas>
            <div
                class="minimap-window"
                style:left=move || format!("{}%", Fixed(shown().start * 100.0, 3))
                style:width=move || format!("{}%", Fixed(shown().width() * 100.0, 3))
            ></div>
        </div>
    }
}

/// Paints the buckets: one rectangle per run of covered pixels, darker where spans pile up.
fn draw(canvas: &HtmlCanvasElement, map: &minimap::Minimap) {
    let Some(context) =
        canvas.get_context("2d").ok().flatten().and_then(|context| context.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    // The colour comes from the stylesheet (`.minimap canvas { color: … }`), so it follows the theme.
    let color = web_sys::window()
        .and_then(|window| window.get_computed_style(canvas).ok().flatten())
        .and_then(|style| style.get_property_value("color").ok())
        .unwrap_or_else(|| "#1f6feb".to_owned());
    context.clear_rect(0.0, 0.0, map.width as f64, map.height as f64);
    context.set_fill_style_str(&color);
    for run in map.runs() {
        context.set_global_alpha(0.35 + 0.65 * (f64::from(run.max_count) / 4.0).min(1.0));
        context.fill_rect(run.x as f64, run.y as f64, run.len as f64, 1.0);
    }
    context.set_global_alpha(1.0);
}
