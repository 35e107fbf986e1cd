//! The application's shared state, as narrow context newtypes (`provide_*` / `expect_context`).
//!
//! The loaded traces live in one `Arc<TraceSet>` behind a signal: views read the tables
//! directly; no signal per span. When an engine keeps the set (`io::kept_engine`) this is the
//! page's copy, holding only what the page draws (`TraceSet::page_copy`): the rest is asked of
//! the engine.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;

use crate::core::config::Config;
use crate::core::layout::minimap::Minimap;
use crate::core::layout::view_window::ViewWindow;
use crate::core::model::{SpanIdx, TraceIdx, TraceSet};

thread_local! {
    static APP_OWNER: std::cell::RefCell<Option<Owner>> = const { std::cell::RefCell::new(None) };
}

/// Remembers the application's root owner, where every shared context lives (call once, in
/// `App`).
pub fn remember_app_owner() {
    APP_OWNER.with(|cell| *cell.borrow_mut() = Owner::current());
}

/// Runs `work` under the application's root owner, so work that outlives the view that started
/// it (a fetch finishing after its page was left) still finds the shared contexts.
pub fn with_app_owner<T>(work: impl FnOnce() -> T) -> T {
    match APP_OWNER.with(|cell| cell.borrow().clone()) {
        Some(owner) => owner.with(work),
        None => work(),
    }
}

/// Everything loaded so far (`None` before the first load).
#[derive(Clone, Copy)]
pub struct Loaded(pub RwSignal<Option<Arc<TraceSet>>>);

/// Minimaps the engine built with the traces it loaded, by trace (they stand for the loaded
/// set they came with, and are cleared when a load replaces it).
#[derive(Clone, Copy)]
pub struct ReadyMinimaps(pub RwSignal<Arc<HashMap<TraceIdx, Arc<Minimap>>>>);

/// What the page tells the user about loads: the last success, refusals, and whether a load runs.
#[derive(Clone, Copy)]
pub struct Notices {
    /// "Loaded N traces, M spans" of the last load.
    pub status: RwSignal<Option<String>>,
    /// One sentence per refused file or URL, newest last.
    pub alerts: RwSignal<Vec<String>>,
    /// Whether a load is running.
    pub loading: RwSignal<bool>,
    /// What the running load is doing.
    pub progress: RwSignal<Progress>,
    /// Set by Cancel; what a fetch for a load (a Jaeger trace) brings afterwards is dropped.
    pub cancel: RwSignal<bool>,
    /// Whether the engine's worker has the running load (Cancel ends it, in every phase).
    pub in_engine: RwSignal<bool>,
}

/// The phase of a load and, while reading, the bytes read of the total.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Reading, parsing or indexing.
    pub phase: Phase,
    /// Bytes read so far.
    pub read_bytes: u64,
    /// Bytes to read in all (0 when unknown).
    pub total_bytes: u64,
}

pub use crate::core::engine::protocol::LoadPhase as Phase;

/// What is open: the trace, the selected span and the collapsed spans.
#[derive(Clone, Copy)]
pub struct Selection {
    /// The open trace; `None` shows the trace list.
    pub trace: RwSignal<Option<TraceIdx>>,
    /// The selected span, shown in `Span details`.
    pub span: RwSignal<Option<SpanIdx>>,
    /// Spans whose children are hidden.
    pub collapsed: RwSignal<HashSet<SpanIdx>>,
    /// The zoom window over the open trace's time.
    pub window: RwSignal<ViewWindow>,
}

impl Selection {
    /// Opens `trace` with nothing selected, nothing collapsed and no zoom.
    pub fn open_trace(&self, trace: TraceIdx) {
        self.span.set(None);
        self.collapsed.set(HashSet::new());
        self.window.set(ViewWindow::WHOLE);
        self.trace.set(Some(trace));
    }

    /// Selects `span` of the open trace, opening its collapsed ancestors so its row shows.
    pub fn reveal_span(&self, set: &TraceSet, span: SpanIdx) {
        self.collapsed.update(|collapsed| {
            let mut current = set.spans.parent[span.get()];
            while let Some(ancestor) = current {
                collapsed.remove(&ancestor);
                current = set.spans.parent[ancestor.get()];
            }
        });
        self.span.set(Some(span));
    }
}

/// The pages of the application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// The loaded traces: the list, or the open trace.
    Traces,
    /// The Jaeger search.
    Search,
    /// The service dependency graph.
    Dependencies,
}

impl Page {
    /// The `view` query parameter's value (none for the traces).
    pub fn param(self) -> Option<&'static str> {
        match self {
            Page::Traces => None,
            Page::Search => Some("search"),
            Page::Dependencies => Some("dependencies"),
        }
    }

    /// The page a `view` parameter names.
    pub fn from_param(value: Option<&str>) -> Page {
        match value {
            Some("search") => Page::Search,
            Some("dependencies") => Page::Dependencies,
            _ => Page::Traces,
        }
    }
}

/// The page shown.
#[derive(Clone, Copy)]
pub struct CurrentPage(pub RwSignal<Page>);

/// Where the dependency graph comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphSource {
    /// The Jaeger endpoint's `api/dependencies`.
    Jaeger,
    /// Every loaded trace.
    LoadedTraces,
    /// The open trace only.
    OpenTrace,
}

/// The graph source the user chose; `None` lets the page pick (loaded traces when there are
/// any, else Jaeger).
#[derive(Clone, Copy)]
pub struct GraphSourceChoice(pub RwSignal<Option<GraphSource>>);

/// Shows only the loaded traces that have spans of this service in the trace list.
#[derive(Clone, Copy)]
pub struct ServiceFilter(pub RwSignal<Option<String>>);

/// The find box of the trace page.
#[derive(Clone, Copy)]
pub struct Find {
    /// The query as typed.
    pub text: RwSignal<String>,
    /// Whether only matches (and their ancestors) are shown.
    pub only_matches: RwSignal<bool>,
    /// Which match next/previous went to last.
    pub current: RwSignal<usize>,
}

/// The settings from `config.json` (defaults until it has been read).
#[derive(Clone, Copy)]
pub struct Settings(pub RwSignal<Arc<Config>>);

/// Provides [`Loaded`], [`Notices`], [`Selection`], [`CurrentPage`] and [`Settings`].
pub fn provide_state() {
    provide_context(Settings(RwSignal::new(Arc::new(Config::default()))));
    let page = Page::from_param(crate::io::url_state::query_value("view").as_deref());
    provide_context(CurrentPage(RwSignal::new(page)));
    provide_context(GraphSourceChoice(RwSignal::new(None)));
    provide_context(ServiceFilter(RwSignal::new(None)));
    provide_context(Find {
        text: RwSignal::new(String::new()),
        only_matches: RwSignal::new(false),
        current: RwSignal::new(0),
    });
    provide_context(Loaded(RwSignal::new(None)));
    provide_context(ReadyMinimaps(RwSignal::new(Arc::new(HashMap::new()))));
    provide_context(Notices {
        status: RwSignal::new(None),
        alerts: RwSignal::new(Vec::new()),
        loading: RwSignal::new(false),
        progress: RwSignal::new(Progress::default()),
        cancel: RwSignal::new(false),
        in_engine: RwSignal::new(false),
    });
    provide_context(Selection {
        trace: RwSignal::new(None),
        span: RwSignal::new(None),
        collapsed: RwSignal::new(HashSet::new()),
        window: RwSignal::new(ViewWindow::WHOLE),
    });
}
