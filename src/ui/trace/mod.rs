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
    // The timeline is built a task after the header and the details: opening a trace is then
    // two shorter tasks for the browser instead of one long one.
    let timeline_ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        next_frame().await;
        timeline_ready.try_set(true);
    });
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
                {move || timeline_ready.get().then(|| view! { <Timeline/> })}
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
                    <SpanDetails/>
                </div>
            </div>
        </section>
    }
}
