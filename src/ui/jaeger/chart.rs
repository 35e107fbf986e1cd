//! `Trace durations`: the search results as a scatter chart drawn with plotters on a canvas
//! (x = start time, y = duration, bubble size by span count, error traces in red). Hovering a
//! point names the trace; clicking it opens the trace.

use std::sync::Arc;

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::core::format::{count_noun, format_duration};
use crate::core::jaeger::TraceSummary;
use crate::core::units::DurationNs;
use crate::ui::jaeger::open_jaeger_trace;
use crate::ui::theme::{Theme, ThemeContext};

const WIDTH_PX: u32 = 960;
const HEIGHT_PX: u32 = 220;
/// How near (canvas px) the pointer must be to a point to pick it.
const PICK_RADIUS_PX: f64 = 10.0;

/// Where each result was drawn, in canvas pixels.
type Placed = Vec<(f64, f64)>;

/// The durations chart.
#[component]
pub fn DurationsChart(
    /// The traces found.
    summaries: Arc<Vec<TraceSummary>>,
) -> impl IntoView {
    let theme = expect_context::<ThemeContext>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let placed = StoredValue::new(Placed::new());
    let hovered = RwSignal::new(None::<usize>);
    let drawn = summaries.clone();
    Effect::new(move |_| {
        let dark = theme.0.get() == Theme::Dark;
        if let Some(element) = canvas.get() {
            placed.set_value(draw(&element, &drawn, dark).unwrap_or_default());
        }
    });
    let pick = move |event: &leptos::ev::MouseEvent| -> Option<usize> {
        let element = canvas.get_untracked()?;
        let rect = element.get_bounding_client_rect();
        let x = (f64::from(event.client_x()) - rect.left()) * f64::from(WIDTH_PX) / rect.width().max(1.0);
        let y = (f64::from(event.client_y()) - rect.top()) * f64::from(HEIGHT_PX) / rect.height().max(1.0);
        placed.with_value(|points| {
            points
                .iter()
                .enumerate()
                .map(|(index, (px, py))| (index, (px - x).hypot(py - y)))
                .filter(|(_, distance)| *distance <= PICK_RADIUS_PX)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(index, _)| index)
        })
    };
    let for_tip = summaries.clone();
    let tip = move || {
        let summary = for_tip.get(hovered.get()?)?;
        Some(format!(
            "{} · {} · {}",
            summary.title(),
            format_duration(DurationNs(summary.duration_ns())),
            count_noun(summary.span_count as usize, "span", "spans")
        ))
    };
    let for_click = summaries.clone();
    view! {
        <figure class="durations-chart">
            <canvas
                node_ref=canvas
                width=WIDTH_PX.to_string()
                height=HEIGHT_PX.to_string()
                aria-label="Trace durations"
                role="img"
                class:pointing=move || hovered.get().is_some()
                on:mousemove=move |event| hovered.set(pick(&event))
                on:mouseleave=move |_| hovered.set(None)
                on:click=move |event| {
                    if let Some(summary) = pick(&event).and_then(|index| for_click.get(index)) {
                        open_jaeger_trace(summary.trace_id);
                    }
                }
            ></canvas>
            <figcaption class="chart-tip" aria-live="polite">{tip}</figcaption>
        </figure>
    }
}

/// Draws the chart; returns where each result landed.
fn draw(element: &HtmlCanvasElement, summaries: &[TraceSummary], dark: bool) -> Option<Placed> {
    let canvas: HtmlCanvasElement = element.clone().dyn_into().ok()?;
    let backend = CanvasBackend::with_canvas_object(canvas)?;
    let root = backend.into_drawing_area();
    let (background, ink, grid) = if dark {
        (RGBColor(22, 27, 34), RGBColor(201, 209, 217), RGBColor(48, 54, 61))
    } else {
        (RGBColor(255, 255, 255), RGBColor(36, 41, 47), RGBColor(216, 222, 228))
    };
    root.fill(&background).ok()?;
    let min_start = summaries.iter().map(|s| s.start_ns).min()?;
    let max_start = summaries.iter().map(|s| s.start_ns).max()?;
    let pad_ns = ((max_start - min_start) / 20).max(1_000_000);
    let x_range = (min_start - pad_ns) as f64..(max_start + pad_ns) as f64;
    let max_duration = summaries.iter().map(TraceSummary::duration_ns).max().unwrap_or(1).max(1) as f64;
    let y_range = 0.0..max_duration * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(x_range, y_range)
        .ok()?;
    let label_style = ("sans-serif", 12).into_font().color(&ink);
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid)
        .axis_style(grid)
        .x_labels(6)
        .y_labels(5)
        .label_style(label_style)
        .x_label_formatter(&|ns| clock_text(*ns))
        .y_label_formatter(&|ns| format_duration(DurationNs(*ns as i64)))
        .draw()
        .ok()?;
    let max_spans = summaries.iter().map(|s| s.span_count).max().unwrap_or(1).max(1) as f64;
    let mut placed = Placed::with_capacity(summaries.len());
    for summary in summaries {
        let point = (summary.start_ns as f64, summary.duration_ns() as f64);
        let radius = 3.0 + 7.0 * (f64::from(summary.span_count) / max_spans).sqrt();
        let color = if summary.error_count > 0 { RGBColor(207, 34, 46) } else { RGBColor(31, 111, 235) };
        chart.draw_series(std::iter::once(Circle::new(point, radius as i32, color.mix(0.7).filled()))).ok()?;
        let (x, y) = chart.backend_coord(&point);
        placed.push((f64::from(x), f64::from(y)));
    }
    root.present().ok()?;
    Some(placed)
}

/// A time of day in the viewer's time zone, `HH:MM:SS`.
fn clock_text(ns: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ns / 1e6));
    format!("{:02}:{:02}:{:02}", date.get_hours(), date.get_minutes(), date.get_seconds())
}
