//! The service dependency page: the graph from the Jaeger endpoint's `api/dependencies` over a
//! chosen window, or derived from the loaded traces or the open trace (by the engine that keeps
//! them, off the page's thread); a service can be focused with its neighbours, and the figures
//! of the selected service or edge are shown beside it.

mod graph_view;
mod panels;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::analysis::graph_focus::{focus, from_dependencies};
use crate::core::analysis::service_graph::ServiceGraph;
use crate::core::engine::protocol::{Answer, Request};
use crate::core::layout::graph::Direction;
use crate::core::model::{TraceIdx, TraceSet};
use crate::io::jaeger_api::ApiError;
use crate::io::kept_engine::ask;
use crate::ui::dependencies::graph_view::{GraphPick, GraphView};
use crate::ui::dependencies::panels::{EdgePanel, ServicePanel};
use crate::ui::jaeger::JaegerContext;
use crate::ui::state::{GraphSource, GraphSourceChoice, Loaded, Selection, Settings};

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

/// Loaded traces a graph is derived from: the set, and the traces of it the graph covers (all
/// when empty). Equal when of the same set (not merely an equal one).
#[derive(Clone)]
struct GraphOf {
    set: Arc<TraceSet>,
    traces: Vec<TraceIdx>,
}

impl PartialEq for GraphOf {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.set, &other.set) && self.traces == other.traces
    }
}

const SOURCES: [(GraphSource, &str, &str); 3] = [
    (GraphSource::Jaeger, "jaeger", "Jaeger"),
    (GraphSource::LoadedTraces, "loaded", "Loaded traces"),
    (GraphSource::OpenTrace, "trace", "Open trace"),
];

/// The dependency page.
#[component]
pub fn DependenciesPage() -> impl IntoView {
    let jaeger = expect_context::<JaegerContext>();
    let loaded = expect_context::<Loaded>();
    let selection = expect_context::<Selection>();
    let settings = expect_context::<Settings>();
    let choice = expect_context::<GraphSourceChoice>();
    let has_traces = move || loaded.0.with(|set| set.as_ref().is_some_and(|set| set.trace_count() > 0));
    let source = move || {
        choice.0.get().unwrap_or_else(|| if has_traces() { GraphSource::LoadedTraces } else { GraphSource::Jaeger })
    };
    let window_ms = RwSignal::new(WINDOWS[3].1);
    let direction = RwSignal::new(Direction::LeftToRight);
    let jaeger_graph = RwSignal::new(None::<Arc<ServiceGraph>>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let focused = RwSignal::new(None::<String>);
    let picked_edge = RwSignal::new(None::<(String, String)>);
    let hops = RwSignal::new(Some(1usize));

    Effect::new(move |_| {
        if source() != GraphSource::Jaeger {
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
    // What the graph is derived from, unless it comes from Jaeger.
    let wanted = Memo::new(move |_| {
        let traces = match source() {
            GraphSource::Jaeger => return None,
            GraphSource::LoadedTraces => Vec::new(),
            GraphSource::OpenTrace => vec![selection.trace.get()?],
        };
        Some(GraphOf { set: loaded.0.get()?, traces })
    });
    let derived = RwSignal::new(None::<(GraphOf, Arc<ServiceGraph>)>);
    let building = RwSignal::new(false);
    // A graph of loaded traces is asked of the engine that keeps them (a walk over every span:
    // a few hundred ms at a million spans, which would freeze the page). The page carries no
    // code to derive it (about 9 kB of its gzipped WebAssembly): every load is kept.
    Effect::new(move |_| {
        let Some(of) = wanted.get() else { return };
        problem.set(None);
        building.set(true);
        spawn_local(async move {
            let answer = ask(Request::ServiceGraph(of.traces.clone())).await;
            // Only the answer to what is still wanted is shown.
            if wanted.try_with_untracked(|now| now.as_ref() == Some(&of)) != Some(true) {
                return;
            }
            building.set(false);
            match answer {
                Ok(Answer::ServiceGraph(graph)) => derived.set(Some((of, Arc::new(*graph)))),
                Ok(other) => {
                    problem.set(Some(format!("The service graph could not be built: the engine answered {other:?}")))
                }
                Err(why) => problem.set(Some(format!("The service graph could not be built: {why}"))),
            }
        });
    });
    let whole = Memo::new(move |_| {
        if source() == GraphSource::Jaeger {
            return jaeger_graph.get();
        }
        let of = wanted.get()?;
        derived
            .with(|derived| derived.as_ref().filter(|(made_of, _)| *made_of == of).map(|(_, graph)| Arc::clone(graph)))
    });
    let shown = Memo::new(move |_| {
        let graph = whole.get()?;
        let center = focused.get().and_then(|name| graph.services.iter().position(|node| node.name == name));
        Some(match center {
            Some(center) => Arc::new(focus(&graph, center, hops.get())),
            None => graph,
        })
    });
    let on_pick = Callback::new(move |pick: GraphPick| match pick {
        GraphPick::Service(name) => {
            picked_edge.set(None);
            focused.set(Some(name));
        }
        GraphPick::Edge(parent, child) => picked_edge.set(Some((parent, child))),
    });
    let reset = move || {
        focused.set(None);
        picked_edge.set(None);
    };

    view! {
        <section class="dependencies-page">
            <h1 id="dependencies-title" class="page-title">"Service dependencies"</h1>
            <div class="graph-controls">
                <label class="field">
                    <span>"Source"</span>
                    <select aria-label="Source" on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some((chosen, _, _)) = SOURCES.iter().find(|(_, key, _)| *key == value) {
                            choice.0.set(Some(*chosen));
                            reset();
                        }
                    }>
                        {SOURCES.iter().map(|(kind, key, label)| {
                            let kind = *kind;
                            let disabled = move || match kind {
                                GraphSource::Jaeger => false,
                                GraphSource::LoadedTraces => !has_traces(),
                                GraphSource::OpenTrace => selection.trace.get().is_none(),
                            };
                            view! { <option value=*key selected=move || source() == kind disabled=disabled>{*label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || source() == GraphSource::Jaeger>
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
                    <span>"Layout"</span>
                    <select aria-label="Layout" on:change=move |event| {
                        direction.set(if event_target_value(&event) == "down" { Direction::TopToBottom } else { Direction::LeftToRight });
                    }>
                        <option value="right">"Left to right"</option>
                        <option value="down">"Top to bottom"</option>
                    </select>
                </label>
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
                                picked_edge.set(None);
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
                    <button type="button" class="button secondary" on:click=move |_| reset()>"Show all services"</button>
                </Show>
            </div>
            <Show when=move || busy.get() || (building.get() && wanted.with(Option::is_some))>
                <p class="search-running" role="status" aria-busy="true"><span class="spinner" aria-hidden="true"></span>"Loading dependencies…"</p>
            </Show>
            {move || problem.get().map(|text| view! { <p class="alert" role="alert">{text}</p> })}
            <div class="graph-layout">
                {move || shown.get().map(|graph| {
                    if graph.services.is_empty() {
                        view! { <p class="empty-result" role="status">"No dependencies in this window"</p> }.into_any()
                    } else {
                        let thresholds = settings.0.get().graph.clone();
                        view! {
                            <GraphView graph=graph selected=focused direction=direction.get() thresholds=thresholds on_pick=on_pick/>
                        }.into_any()
                    }
                })}
                {move || {
                    let graph = whole.get()?;
                    let jaeger_source = source() == GraphSource::Jaeger;
                    if let Some((parent, child)) = picked_edge.get() {
                        return Some(view! { <EdgePanel graph=graph parent=parent child=child/> }.into_any());
                    }
                    let name = focused.get()?;
                    Some(view! { <ServicePanel graph=graph name=name jaeger_source=jaeger_source/> }.into_any())
                }}
            </div>
        </section>
    }
}
