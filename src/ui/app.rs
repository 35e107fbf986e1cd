//! The application root: provides the shared state, lays out the shell, and opens what the
//! address asks for.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::model::TraceIdx;
use crate::io::url_state::replace_query;
use crate::ui::deep_link::provide_deep_link;
use crate::ui::embed::{embed_options, provide_embed};
use crate::ui::jaeger::provide_jaeger;
use crate::ui::load::{start_up, DropZone, NoticesView};
use crate::ui::pages;
use crate::ui::shell::{EmptyState, Header};
use crate::ui::state::{provide_state, remember_app_owner, CurrentPage, Loaded, Page, Selection};
use crate::ui::theme::provide_theme;
use crate::ui::time::provide_time_zone;
use crate::ui::trace::TracePage;
use crate::ui::trace_list::TraceList;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    provide_theme();
    provide_embed();
    provide_state();
    remember_app_owner();
    provide_time_zone();
    provide_deep_link();
    provide_jaeger();
    start_up();
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let current = expect_context::<CurrentPage>();
    // The page shown lives in the address (`view`).
    Effect::new(move |_| {
        let page = current.0.get();
        replace_query(&[("view", page.param().map(str::to_owned))]);
    });
    // Opening a trace shows it, whichever page was shown.
    Effect::new(move |previous: Option<Option<TraceIdx>>| {
        let trace = selection.trace.get();
        if previous.is_some_and(|previous| previous != trace) && trace.is_some() {
            current.0.set(Page::Traces);
        }
        trace
    });
    // What the page shown depends on: it is built again only when this changes (a signal set
    // to the value it had builds nothing). Each page but the empty state has its code fetched
    // the first time it is shown (`ui::pages`).
    let shown = Memo::new(move |_| {
        let any = loaded.0.with(|set| set.as_ref().is_some_and(|set| set.trace_count() > 0));
        (current.0.get(), any)
    });
    let page = move || match shown.get() {
        (Page::Search, _) => pages::shown(pages::search()),
        (Page::Dependencies, _) => pages::shown(pages::dependencies()),
        (Page::Traces, false) => view! { <EmptyState/> }.into_any(),
        (Page::Traces, true) => pages::shown(pages::loaded_traces()),
    };
    // Embedded: no application header or navigation, only what is open.
    let embedded = embed_options().embedded;
    view! {
        <DropZone>
            <div class="app" class:embedded=embedded>
                {(!embedded).then(|| view! { <Header/> })}
                <main class="app-main" id="main">
                    <NoticesView/>
                    {page}
                </main>
            </div>
        </DropZone>
    }
}

/// The loaded traces: their list, and the open trace in its place. The list is built the first
/// time it is shown and then stays built, hidden while a trace is open: opening a trace from a
/// list of thousands takes nothing down, and coming back shows the list as it was.
#[component]
pub(crate) fn LoadedTraces() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    // A load shows its set afresh; the set is told apart by its address.
    let set = Memo::new(move |_| loaded.0.with(|set| set.as_ref().map(|set| Arc::as_ptr(set) as usize)));
    move || {
        set.track();
        view! { <TracesOfSet/> }
    }
}

/// The loaded traces of one set.
#[component]
fn TracesOfSet() -> impl IntoView {
    let selection = expect_context::<Selection>();
    // The open trace page is built again only when another trace opens.
    let open = Memo::new(move |_| selection.trace.get());
    let list_built = Memo::new(move |built: Option<&bool>| built.copied().unwrap_or(false) || open.get().is_none());
    let list_hidden = Signal::derive(move || open.get().is_some());
    view! {
        {move || list_built.get().then(|| view! { <TraceList hidden=list_hidden/> })}
        {move || open.get().map(|_| view! { <TracePage/> })}
    }
}
