//! The trace page: header, timeline and span details of the open trace.

mod details;
mod header;
mod minimap;
mod timeline;

use leptos::prelude::*;

use crate::io::files::next_frame;
use crate::ui::state::{Loaded, Selection};
pub use details::SpanDetails;
pub use header::TraceHeader;
pub use timeline::Timeline;

/// The task after the page's own in which the timeline is built.
const TIMELINE_PART: u8 = 1;
/// The task in which the details are built: after the timeline's and its rows'.
const DETAILS_PART: u8 = 3;
/// Tasks a trace page takes to be built: its own, one per later part, and its rows' (built a
/// task after the timeline).
pub const TASKS_TO_BUILD: usize = DETAILS_PART as usize + 2;

/// The open trace: header, timeline and the selected span's details.
#[component]
pub fn TracePage() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let several = move || loaded.0.get().is_some_and(|set| set.trace_count() > 1);
    // The width of the details panel, CSS px, once the user has dragged its edge.
    let details_width = RwSignal::new(None::<f64>);
    let resizing = RwSignal::new(false);
    let body = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let width = details_width.get();
        if let Some(element) = body.get() {
            timeline::set_css_variable(&element, "--details-width", width);
        }
    });
    // Built a part a task: the header with the page, the timeline a task later (its rows a task
    // after it), the details a task after the rows. Each part's first build also has the browser
    // compile its code, so together they made one task long enough to be felt.
    let parts_built = RwSignal::new(0u8);
    leptos::task::spawn_local(async move {
        for part in 1..=DETAILS_PART {
            next_frame().await;
            parts_built.try_set(part);
        }
    });
    let timeline_ready = move || parts_built.get() >= TIMELINE_PART;
    let details_ready = move || parts_built.get() >= DETAILS_PART;
    view! {
        <section class="trace-page">
            <Show when=several>
                <button type="button" class="link-button back" on:click=move |_| selection.trace.set(None)>
                    "← All traces"
                </button>
            </Show>
            <TraceHeader/>
            <div
                class="trace-body"
                node_ref=body
                on:pointermove=move |event: leptos::ev::PointerEvent| {
                    if !resizing.get_untracked() {
                        return;
                    }
                    let Some(element) = body.get_untracked() else { return };
                    let rect = element.get_bounding_client_rect();
                    let width = (rect.right() - f64::from(event.client_x())).clamp(220.0, rect.width() * 0.7);
                    details_width.set(Some(width));
                }
                on:pointerup=move |_| resizing.set(false)
            >
                {move || timeline_ready().then(|| view! { <Timeline/> })}
                <div class="details-column">
                    <span
                        class="panel-handle"
                        role="separator"
                        aria-orientation="vertical"
                        aria-label="Resize the details panel"
                        on:pointerdown=move |event: leptos::ev::PointerEvent| {
                            resizing.set(true);
                            if let Some(element) = body.get_untracked() {
                                let _ = element.set_pointer_capture(event.pointer_id());
                            }
                        }
                    ></span>
                    {move || details_ready().then(|| view! { <SpanDetails/> })}
                </div>
            </div>
        </section>
    }
}
