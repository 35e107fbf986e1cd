//! The application root: provides the shared state, lays out the shell, and opens what the
//! address asks for.

use leptos::prelude::*;

use crate::ui::deep_link::provide_deep_link;
use crate::ui::load::{start_up, DropZone, NoticesView};
use crate::ui::shell::{EmptyState, Header};
use crate::ui::state::{provide_state, Loaded, Selection};
use crate::ui::theme::provide_theme;
use crate::ui::time::provide_time_zone;
use crate::ui::trace::TracePage;
use crate::ui::trace_list::TraceList;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    provide_theme();
    provide_state();
    provide_time_zone();
    provide_deep_link();
    start_up();
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let page = move || {
        let has_traces = loaded.0.with(|set| set.as_ref().is_some_and(|set| set.trace_count() > 0));
        match (has_traces, selection.trace.get()) {
            (false, _) => view! { <EmptyState/> }.into_any(),
            (true, None) => view! { <TraceList/> }.into_any(),
            (true, Some(_)) => view! { <TracePage/> }.into_any(),
        }
    };
    view! {
        <DropZone>
            <div class="app">
                <Header/>
                <main class="app-main" id="main">
                    <NoticesView/>
                    {page}
                </main>
            </div>
        </DropZone>
    }
}
