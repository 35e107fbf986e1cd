//! The side panels of the dependency page: the selected service's figures (spans, errors,
//! operations, callers and callees) with a way to its traces, and the selected edge's (calls,
//! errors and error rate, latency percentiles of the called spans).

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::analysis::service_graph::ServiceGraph;
use crate::core::format::{count_noun, format_duration};
use crate::core::units::DurationNs;
use crate::io::url_state::replace_query;
use crate::ui::state::{CurrentPage, Page, Selection, ServiceFilter};

fn percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0)
}

/// The figures of one service.
#[component]
pub fn ServicePanel(
    /// The whole graph.
    graph: Arc<ServiceGraph>,
    /// The service shown.
    name: String,
    /// Whether the graph came from Jaeger (its traces are searched there) or from loaded traces
    /// (they are filtered).
    jaeger_source: bool,
) -> impl IntoView {
    let page = expect_context::<CurrentPage>();
    let filter = expect_context::<ServiceFilter>();
    let selection = expect_context::<Selection>();
    let index = graph.services.iter().position(|node| node.name == name)?;
    let node = graph.services[index].clone();
    let edge_rows = |outgoing: bool| {
        graph
            .edges
            .iter()
            .filter(|edge| if outgoing { edge.parent == index } else { edge.child == index })
            .map(|edge| {
                let other = &graph.services[if outgoing { edge.child } else { edge.parent }].name;
                let errors =
                    (edge.error_count > 0).then(|| format!(", {}", count_noun(edge.error_count, "error", "errors")));
                view! { <li>{format!("{other}: {}", count_noun(edge.call_count, "call", "calls"))}{errors}</li> }
            })
            .collect_view()
    };
    let callers = edge_rows(false);
    let callees = edge_rows(true);
    let target = node.name.clone();
    let rate = if node.span_count > 0 { node.error_count as f64 / node.span_count as f64 } else { 0.0 };
    let action = if jaeger_source {
        view! {
            <button
                type="button"
                class="button secondary"
                on:click=move |_| {
                    replace_query(&[("service", Some(target.clone())), ("operation", None)]);
                    page.0.set(Page::Search);
                }
            >
                "Search its traces"
            </button>
        }
        .into_any()
    } else {
        view! {
            <button
                type="button"
                class="button secondary"
                on:click=move |_| {
                    filter.0.set(Some(target.clone()));
                    selection.trace.set(None);
                    page.0.set(Page::Traces);
                }
            >
                "Show its traces"
            </button>
        }
        .into_any()
    };
    Some(view! {
        <aside class="service-panel" aria-label=format!("Service {}", node.name)>
            <h2>{node.name.clone()}</h2>
            {(node.span_count > 0).then(|| view! {
                <p>
                    {count_noun(node.span_count, "span", "spans")} ", "
                    {count_noun(node.error_count, "error", "errors")} " (" {percent(rate)} ")"
                </p>
            })}
            <h3>"Called by"</h3>
            <ul>{callers}</ul>
            <h3>"Calls"</h3>
            <ul>{callees}</ul>
            {(!node.operations.is_empty()).then(|| view! {
                <h3>"Operations"</h3>
                <ul>{node.operations.iter().map(|op| view! { <li>{op.clone()}</li> }).collect_view()}</ul>
            })}
            {action}
        </aside>
    })
}

/// The figures of one edge.
#[component]
pub fn EdgePanel(
    /// The whole graph.
    graph: Arc<ServiceGraph>,
    /// The calling service.
    parent: String,
    /// The called service.
    child: String,
) -> impl IntoView {
    let edge = graph.edge(&parent, &child)?.clone();
    let latency = (edge.max_ns > 0).then(|| {
        view! {
            <dt>"Latency of the called spans"</dt>
            <dd>
                "p50 " {format_duration(DurationNs(edge.p50_ns))} ", p95 " {format_duration(DurationNs(edge.p95_ns))}
                ", max " {format_duration(DurationNs(edge.max_ns))}
            </dd>
        }
    });
    Some(view! {
        <aside class="service-panel" aria-label=format!("Calls {parent} → {child}")>
            <h2>{format!("{parent} → {child}")}</h2>
            <dl class="edge-facts">
                <dt>"Calls"</dt>
                <dd>{edge.call_count.to_string()}</dd>
                <dt>"Errors"</dt>
                <dd>{format!("{} ({})", edge.error_count, percent(edge.error_rate()))}</dd>
                {latency}
                {edge.messaging.then(|| view! { <dt>"Kind"</dt><dd>"messages (producer → consumer)"</dd> })}
            </dl>
        </aside>
    })
}
