//! The trace header: name, id, start, duration, services, depth, spans, errors and import
//! warnings (expandable).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::engine::protocol::{Answer, Request};
use crate::core::format::format_duration;
use crate::core::model::{warnings_summary, TraceIdx};
use crate::core::units::DurationNs;
use crate::io::download::save_text;
use crate::io::kept_engine::ask;
use crate::ui::embed::embed_options;
use crate::ui::show_more::ShownPart;
use crate::ui::state::{CurrentPage, GraphSource, GraphSourceChoice, Loaded, Notices, Page, Selection};
use crate::ui::time::format_timestamp;

/// The header of the open trace.
#[component]
pub fn TraceHeader() -> impl IntoView {
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let graph_choice = expect_context::<GraphSourceChoice>();
    let page = expect_context::<CurrentPage>();
    let notices = use_context::<Notices>();
    let embed = embed_options();
    let hide_summary = embed.hide_summary;
    // `uiTimelineCollapseTitle=1`: the summary starts folded away, a click shows it.
    let summary_open = RwSignal::new(!embed.collapse_title);
    let summary_toggle = embed.collapse_title && !hide_summary;
    move || {
        let set = loaded.0.get()?;
        let trace = selection.trace.get()?;
        let t = trace.get();
        let traces = &set.traces;
        if t >= traces.len() {
            return None;
        }
        let title = match set.trace_roots(trace).first() {
            Some(root) => {
                format!("{}: {}", set.str(set.spans.service[root.get()]), set.str(set.spans.operation[root.get()]))
            }
            None => "missing root".to_owned(),
        };
        let trace_id = traces.trace_id[t].to_short_hex();
        let warning_count = set.trace_warnings(trace).len();
        let facts = [
            ("Start", format_timestamp(traces.start_ns[t])),
            ("Duration", format_duration(DurationNs(traces.end_ns[t] - traces.start_ns[t]))),
            ("Services", traces.service_count[t].to_string()),
            ("Depth", (traces.max_depth[t] + 1).to_string()),
            ("Spans", traces.spans[t].len().to_string()),
            ("Errors", traces.error_count[t].to_string()),
        ];
        let copy_id = trace_id.clone();
        let file_name = format!("trace-{trace_id}.json");
        Some(view! {
            <header class="trace-header">
                <h1 class="trace-name">{title}</h1>
                <p class="trace-id">
                    <code>{trace_id}</code>
                    <button
                        type="button"
                        class="link-button"
                        aria-label="Copy trace id"
                        on:click=move |_| copy_text(&copy_id)
                    >
                        "Copy"
                    </button>
                    <button
                        type="button"
                        class="link-button"
                        title="Save this trace as Jaeger JSON"
                        on:click=move |_| download_trace(trace, file_name.clone(), notices)
                    >
                        "Download JSON"
                    </button>
                    <button
                        type="button"
                        class="link-button"
                        title="The services of this trace and the calls between them"
                        on:click=move |_| {
                            graph_choice.0.set(Some(GraphSource::OpenTrace));
                            page.0.set(Page::Dependencies);
                        }
                    >
                        "Service graph"
                    </button>
                    {summary_toggle.then(|| view! {
                        <button
                            type="button"
                            class="link-button"
                            aria-expanded=move || summary_open.get().to_string()
                            on:click=move |_| summary_open.update(|open| *open = !*open)
                        >
                            {move || if summary_open.get() { "Hide summary" } else { "Show summary" }}
                        </button>
                    })}
                </p>
                {(!hide_summary).then(|| view! {
                    <Show when=move || summary_open.get()>
                        <dl class="trace-facts">
                            {facts
                                .clone()
                                .into_iter()
                                .map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> })
                                .collect_view()}
                        </dl>
                    </Show>
                })}
                {(warning_count > 0).then(|| {
                    let summary = warnings_summary(set.trace_warnings(trace));
                    let part = ShownPart::new(warning_count);
                    let set = std::sync::Arc::clone(&set);
                    let message = move |nth: usize| {
                        let text = set.trace_warnings(trace).get(nth).map(|warning| warning.message.clone());
                        view! { <li>{text}</li> }
                    };
                    view! {
                        <details class="import-warnings">
                            <summary>{summary}</summary>
                            <ul>{part.items(message)}</ul>
                            {part.button("warning", "warnings")}
                        </details>
                    }
                })}
            </header>
        })
    }
}

/// Puts `text` on the clipboard (best effort: the clipboard may be refused).
pub fn copy_text(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// Saves `trace` as Jaeger JSON under `file_name`, written by the engine that keeps the loaded
/// traces (the page's copy holds only what the page draws).
fn download_trace(trace: TraceIdx, file_name: String, notices: Option<Notices>) {
    spawn_local(async move {
        let why = match ask(Request::JaegerJson(vec![trace])).await {
            Ok(Answer::Text(json)) => return save_text(&file_name, &json),
            Ok(other) => format!("the engine answered {other:?}"),
            Err(why) => why,
        };
        if let Some(notices) = notices {
            notices.alerts.update(|list| list.push(format!("{file_name} could not be saved: {why}")));
        }
    });
}
