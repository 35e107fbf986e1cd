//! The trace page drawn once, out of sight, while the page waits for its first load (ADR 0021),
//! and the pages' fonts laid out once as the page starts (ADR 0022).
//!
//! The browser compiles each WebAssembly function the first time it runs: the first trace page
//! built spent about two thirds of its task compiling, enough to pass 50 ms on some loads. Once
//! the trace page's module is fetched and nothing is loaded or loading, the trace page is built
//! for a small made-up trace (`core::model::warm_up`) in an element outside the document, under
//! contexts of its own (the loaded traces, the selection, find), left the tasks its parts take
//! to be built, and taken down. It asks the engine nothing (no span is selected, nothing is
//! found), and the address and the embedding page follow the page's own selection, not this
//! one's.

use std::collections::HashSet;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::layout::view_window::ViewWindow;
use crate::core::model::warm_up::page_warm_up_set;
use crate::core::model::TraceIdx;
use crate::io::files::{next_frame, timeout};
use crate::ui::pages;
use crate::ui::state::{with_app_owner, Find, Loaded, Notices, ReadyMinimaps, Selection, ServiceFilter};
use crate::ui::trace::TASKS_TO_BUILD;

/// How long after the trace page's module is fetched the warm-up waits, ms: the page's own
/// start-up comes first.
const WAIT_MS: i32 = 150;
/// Tasks the warm-up trace page is left for: those it takes to be built, and one for its
/// minimap, drawn after the first paint.
const TASKS: usize = TASKS_TO_BUILD + 1;

/// Lays out every face and size the pages write in, out of sight (index.html's `.font-warm-up`,
/// hidden until now): the browser resolves a face at a size the first time text needs it, on
/// Linux over a synchronous call to its font service that took 30–60 ms in a trace page's first
/// layout while a load kept the machine busy. Called once the page is up, so that its start is
/// not delayed by it.
pub fn lay_out_fonts() {
    if let Ok(Some(element)) = document().query_selector(".font-warm-up") {
        let _ = element.remove_attribute("hidden");
    }
}

/// Draws the trace page once out of sight, unless traces are loaded or loading.
pub async fn draw_trace_page_once() {
    timeout(WAIT_MS).await;
    let busy = with_app_owner(|| {
        let loaded = use_context::<Loaded>()?;
        let notices = use_context::<Notices>()?;
        Some(loaded.0.with_untracked(Option::is_some) || notices.loading.get_untracked())
    });
    if busy != Some(false) {
        return;
    }
    let Some(parent) = document().create_element("div").ok().and_then(|element| element.dyn_into().ok()) else {
        return;
    };
    let handle = with_app_owner(|| {
        leptos::mount::mount_to(parent, || {
            provide_context(Loaded(RwSignal::new(Some(Arc::new(page_warm_up_set())))));
            provide_context(ReadyMinimaps(RwSignal::new(Arc::default())));
            provide_context(ServiceFilter(RwSignal::new(None)));
            provide_context(Find {
                text: RwSignal::new(String::new()),
                only_matches: RwSignal::new(false),
                current: RwSignal::new(0),
            });
            provide_context(Selection {
                trace: RwSignal::new(Some(TraceIdx(0))),
                span: RwSignal::new(None),
                collapsed: RwSignal::new(HashSet::new()),
                window: RwSignal::new(ViewWindow::WHOLE),
            });
            pages::shown(pages::loaded_traces())
        })
    });
    for _ in 0..TASKS {
        next_frame().await;
    }
    drop(handle);
}
