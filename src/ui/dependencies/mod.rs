//! The service dependency page: the graph from the Jaeger endpoint's `api/dependencies` over a
//! chosen window, or derived from the loaded traces; a service can be focused with its
//! neighbours, and the figures of the selected service are shown beside the graph.

mod graph_view;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::analysis::graph_focus::{focus, from_dependencies};
use crate::core::analysis::service_graph::{service_graph, ServiceGraph};
use crate::core::format::{count_noun, format_duration};
use crate::core::units::DurationNs;
use crate::io::jaeger_api::ApiError;
use crate::io::url_state::replace_query;
use crate::ui::dependencies::graph_view::GraphView;
use crate::ui::jaeger::JaegerContext;
use crate::ui::state::{CurrentPage, Loaded, Page};

/// Windows of Jaeger's dependency graph: (label, milliseconds).
const WINDOWS: [(&str, i64); 6] = [
    ("Last hour", 3_600_000),
    ("Last 6 hours", 6 * 3_600_000),
    ("Last 12 hours", 12 * 3_600_000),
    ("Last 24 hours", 24 * 3_600_000),
    ("Last 2 days", 48 * 3_600_000),
    ("Last 7 days", 7 * 24 * 3_600_000),
];

/// Focus depths: (label, hops; `None` = every connected service).
const HOPS: [(&str, Option<usize>); 3] = [("1 hop", Some(1)), ("2 hops", Some(2)), ("All connected", None)];

#[derive(Clone, Copy, PartialEq, Eq)]
enum GraphSource {
    Jaeger,
    LoadedTraces,
}

/// The dependency page.
#[component]
pub fn DependenciesPage() -> impl IntoView {
    let jaeger = expect_context::<JaegerContext>();
    let loaded = expect_context::<Loaded>();
    let has_traces = move || loaded.0.with(|set| set.as_ref().is_some_and(|set| set.trace_count() > 0));
    let source = RwSignal::new(if has_traces() { GraphSource::LoadedTraces } else { GraphSource::Jaeger });
    let window_ms = RwSignal::new(WINDOWS[3].1);
    let jaeger_graph = RwSignal::new(None::<Arc<ServiceGraph>>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let focused = RwSignal::new(None::<String>);
    let hops = RwSignal::new(Some(1usize));

    Effect::new(move |_| {
        if source.get() != GraphSource::Jaeger {
            return;
        }
        let lookback = window_ms.get();
        let Some(client) = jaeger.client() else { return };
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            let end_ms = js_sys::Date::now() as i64;
            let answer = client.dependencies(end_ms, lookback, None).await;
            busy.set(false);
            match answer {
                Ok(list) => jaeger_graph.set(Some(Arc::new(from_dependencies(&list)))),
                Err(ApiError::Aborted) => {}
                Err(error) => {
                    jaeger_graph.set(None);
                    problem.set(Some(error.to_string()));
                }
            }
        });
    });
    let whole = Memo::new(move |_| match source.get() {
        GraphSource::Jaeger => jaeger_graph.get(),
        GraphSource::LoadedTraces => loaded.0.get().map(|set| Arc::new(service_graph(&set, &[]))),
    });
    let shown = Memo::new(move |_| {
        let graph = whole.get()?;
        let center = focused.get().and_then(|name| graph.services.iter().position(|node| node.name == name));
        Some(match center {
            Some(center) => Arc::new(focus(&graph, center, hops.get())),
            None => graph,
        })
    });
    let select_service = Callback::new(move |name: String| focused.set(Some(name)));

    view! {
        <section class="dependencies-page" aria-labelledby="dependencies-title">
            <h1 id="dependencies-title" class="page-title">"Service dependencies"</h1>
            <div class="graph-controls">
                <label class="field">
                    <span>"Source"</span>
                    <select aria-label="Source" on:change=move |event| {
                        source.set(if event_target_value(&event) == "loaded" { GraphSource::LoadedTraces } else { GraphSource::Jaeger });
                        focused.set(None);
                    }>
                        <option value="jaeger" selected=move || source.get() == GraphSource::Jaeger>"Jaeger"</option>
                        <option value="loaded" selected=move || source.get() == GraphSource::LoadedTraces disabled=move || !has_traces()>
                            "Loaded traces"
                        </option>
                    </select>
                </label>
                <Show when=move || source.get() == GraphSource::Jaeger>
                    <label class="field">
                        <span>"Window"</span>
                        <select aria-label="Window" on:change=move |event| {
                            if let Ok(ms) = event_target_value(&event).parse() {
                                window_ms.set(ms);
                            }
                        }>
                            {WINDOWS.iter().map(|(label, ms)| view! {
                                <option value=ms.to_string() selected=move || window_ms.get() == *ms>{*label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label class="field">
                    <span>"Find service"</span>
                    <input
                        type="search"
                        aria-label="Find service"
                        list="graph-services"
                        placeholder="service name"
                        on:change=move |event| {
                            let name = event_target_value(&event);
                            let known = whole.with_untracked(|graph| graph.as_ref().is_some_and(|graph| graph.services.iter().any(|node| node.name == name)));
                            if known {
                                focused.set(Some(name));
                            }
                        }
                    />
                    <datalist id="graph-services">
                        {move || whole.get().map(|graph| graph.services.iter().map(|node| view! { <option value=node.name.clone()></option> }).collect_view())}
                    </datalist>
                </label>
                <Show when=move || focused.get().is_some()>
                    <label class="field">
                        <span>"Neighbours"</span>
                        <select aria-label="Neighbours" on:change=move |event| {
                            let value = event_target_value(&event);
                            if let Some((_, chosen)) = HOPS.iter().find(|(label, _)| *label == value) {
                                hops.set(*chosen);
                            }
                        }>
                            {HOPS.iter().map(|(label, value)| view! {
                                <option value=*label selected=move || hops.get() == *value>{*label}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="button secondary" on:click=move |_| focused.set(None)>"Show all services"</button>
                </Show>
            </div>
            <Show when=move || busy.get()>
                <p class="search-running" role="status" aria-busy="true"><span class="spinner" aria-hidden="true"></span>"Loading dependencies…"</p>
            </Show>
            {move || problem.get().map(|text| view! { <p class="alert" role="alert">{text}</p> })}
            <div class="graph-layout">
                {move || shown.get().map(|graph| {
                    if graph.services.is_empty() {
                        view! { <p class="empty-result" role="status">"No dependencies in this window"</p> }.into_any()
                    } else {
                        view! { <GraphView graph=graph selected=focused on_select=select_service/> }.into_any()
                    }
                })}
                {move || {
                    let name = focused.get()?;
                    let graph = whole.get()?;
                    Some(view! { <ServicePanel graph=graph name=name/> })
                }}
            </div>
        </section>
    }
}

/// The figures of one service: its spans and operations (loaded traces), its callers and
/// callees with calls, errors and latency, and a way to its traces.
#[component]
fn ServicePanel(
    /// The whole graph.
    graph: Arc<ServiceGraph>,
    /// The service shown.
    name: String,
) -> impl IntoView {
    let page = expect_context::<CurrentPage>();
    let index = graph.services.iter().position(|node| node.name == name)?;
    let node = graph.services[index].clone();
    let edge_rows = |outgoing: bool| {
        graph
            .edges
            .iter()
            .filter(|edge| if outgoing { edge.parent == index } else { edge.child == index })
            .map(|edge| {
                let other = &graph.services[if outgoing { edge.child } else { edge.parent }].name;
                let latency = (edge.max_ns > 0).then(|| {
                    format!(
                        ", p50 {}, p95 {}",
                        format_duration(DurationNs(edge.p50_ns)),
                        format_duration(DurationNs(edge.p95_ns))
                    )
                });
                let errors = (edge.error_count > 0).then(|| format!(", {} errors", edge.error_count));
                view! { <li>{format!("{other}: {}", count_noun(edge.call_count, "call", "calls"))}{errors}{latency}</li> }
            })
            .collect_view()
    };
    let callers = edge_rows(false);
    let callees = edge_rows(true);
    let search_name = node.name.clone();
    Some(view! {
        <aside class="service-panel" aria-label=format!("Service {}", node.name)>
            <h2>{node.name.clone()}</h2>
            {(node.span_count > 0).then(|| view! {
                <p>{count_noun(node.span_count, "span", "spans")} ", " {count_noun(node.error_count, "error", "errors")}</p>
            })}
            <h3>"Called by"</h3>
            <ul>{callers}</ul>
            <h3>"Calls"</h3>
            <ul>{callees}</ul>
            {(!node.operations.is_empty()).then(|| view! {
                <h3>"Operations"</h3>
                <ul>{node.operations.iter().map(|op| view! { <li>{op.clone()}</li> }).collect_view()}</ul>
            })}
            <button
                type="button"
                class="button secondary"
                on:click=move |_| {
                    replace_query(&[("service", Some(search_name.clone())), ("operation", None)]);
                    page.0.set(Page::Search);
                }
            >
                "Search its traces"
            </button>
        </aside>
    })
}
