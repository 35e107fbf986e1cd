//! The trace page: header, timeline and span details of the open trace.

mod details;
mod header;
mod minimap;
mod timeline;

use leptos::prelude::*;

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
    view! {
        <section class="trace-page">
            <Show when=several>
                <button type="button" class="link-button back" on:click=move |_| selection.trace.set(None)>
                    "← All traces"
                </button>
            </Show>
            <TraceHeader/>
            <div class="trace-body">
                <Timeline/>
                <SpanDetails/>
            </div>
        </section>
    }
}
