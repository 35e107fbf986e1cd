//! Adds files to what is loaded: every source is imported into one builder that starts from the
//! traces already loaded; refused sources become alerts and the others still load.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::engine::load::LoadOutcome;
use crate::core::format::count_noun;
use crate::core::layout::minimap::Minimap;
use crate::core::model::{TraceId, TraceIdx, TraceSet};
use crate::io::config::fetch_config;
use crate::io::engine::{warm_up, EngineSource};
use crate::io::url_state::{query_value, query_values};
use crate::ui::embed::{embed_options, start_messages};
use crate::ui::jaeger::{fetch_jaeger_trace, JaegerContext, SOURCE_PARAM};
use crate::ui::load::engine::load_in_engine;
use crate::ui::pages::fetch_trace_page_soon;
use crate::ui::state::{
    with_app_owner, CurrentPage, Loaded, Notices, Page, Progress, ReadyMinimaps, Selection, Settings,
};
use crate::ui::theme::{apply_theme_setting, ThemeContext};
use crate::ui::warm_up::lay_out_fonts;

/// Loads `sources` the page fetched (or opened the answers of) in the engine's worker, added to
/// the loaded traces; nothing happens if the load was cancelled while they were fetched.
pub fn load_fetched(sources: Vec<EngineSource>) {
    if expect_context::<Notices>().cancel.get_untracked() {
        return;
    }
    load_in_engine(sources);
}

/// Shows the outcome of a load whose traces (with those loaded before) are `set`; `before` is
/// how many traces and spans were loaded before it; `minimaps` are those the engine built for
/// `set` (the set's trace numbers may change on a merge, so earlier ones are dropped).
pub(crate) fn finish_load(
    set: TraceSet,
    outcome: LoadOutcome,
    (old_traces, old_spans): (usize, usize),
    minimaps: HashMap<TraceIdx, Arc<Minimap>>,
) {
    let loaded = expect_context::<Loaded>();
    let notices = expect_context::<Notices>();
    let selection = expect_context::<Selection>();
    let LoadOutcome { imported, merged, alerts } = outcome;
    let added_traces = set.trace_count().saturating_sub(old_traces);
    let added_spans = set.span_count().saturating_sub(old_spans);
    if imported > 0 {
        // A trace that was already loaded is merged into, never duplicated: say so.
        let merge_note = match merged {
            0 => String::new(),
            1 => "; 1 trace was already loaded and the new spans were merged into it".to_owned(),
            n => format!("; {n} traces were already loaded and the new spans were merged into them"),
        };
        notices.status.set(Some(format!(
            "Loaded {}, {}{merge_note}",
            count_noun(added_traces, "trace", "traces"),
            count_noun(added_spans, "span", "spans")
        )));
        // One trace loaded on its own opens at once.
        if set.trace_count() == 1 && selection.trace.get_untracked().is_none() {
            selection.trace.set(Some(TraceIdx(0)));
        }
    }
    notices.alerts.update(|list| list.extend(alerts));
    expect_context::<ReadyMinimaps>().0.set(Arc::new(minimaps));
    loaded.0.set(Some(Arc::new(set)));
    notices.loading.set(false);
}

/// At start-up: reads `config.json`, applies its theme and Jaeger endpoints, then loads every
/// `url` query parameter in order, the trace a Jaeger deep link names, or, when the address
/// names nothing, the configured `openOnStart` traces.
pub fn start_up() {
    let settings = expect_context::<Settings>();
    let notices = expect_context::<Notices>();
    let theme = expect_context::<ThemeContext>();
    let jaeger = expect_context::<JaegerContext>();
    let page = expect_context::<CurrentPage>();
    spawn_local(async move {
        let (config, problem) = fetch_config().await;
        let run = move || {
            if let Some(problem) = problem {
                notices.alerts.update(|list| list.push(problem));
            }
            // The address's `uiTheme` wins over the configured theme.
            if embed_options().theme.is_none() {
                apply_theme_setting(theme, config.theme);
            }
            start_messages(config.embed.allowed_origins.clone());
            if let Some(note) = jaeger.configure(&config) {
                notices.alerts.update(|list| list.push(note));
            }
            let mut urls = query_values("url");
            // A trace opened from Jaeger reopens from Jaeger.
            let jaeger_trace = (query_value(SOURCE_PARAM).as_deref() == Some("jaeger"))
                .then(|| query_value("trace").and_then(|text| TraceId::from_hex(&text)))
                .flatten();
            if urls.is_empty() && jaeger_trace.is_none() && page.0.get_untracked() == Page::Traces {
                urls = config.open_on_start.clone();
            }
            settings.0.set(Arc::new(config));
            lay_out_fonts();
            // The trace page's code comes while the page is idle or a load runs, not after it.
            fetch_trace_page_soon();
            if urls.is_empty() && jaeger_trace.is_none() {
                // Nothing loads yet: the engine gets ready for the first file chosen or dropped.
                warm_up();
            } else if !urls.is_empty() {
                load_urls(urls);
            }
            if let Some(trace) = jaeger_trace {
                fetch_jaeger_trace(trace, false);
            }
        };
        with_app_owner(run)
    });
}

/// Fetches `urls` and loads them as one load.
pub fn load_urls(urls: Vec<String>) {
    let notices = expect_context::<Notices>();
    notices.cancel.set(false);
    notices.progress.set(Progress::default());
    notices.loading.set(true);
    // The engine fetches and imports them off the page's thread.
    let base =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.base_uri().ok().flatten());
    let sources = urls
        .into_iter()
        .map(|shown| {
            let absolute = base
                .as_deref()
                .and_then(|base| web_sys::Url::new_with_base(&shown, base).ok())
                .map_or_else(|| shown.clone(), |url| url.href());
            EngineSource::Url { shown, absolute }
        })
        .collect();
    load_in_engine(sources);
}
