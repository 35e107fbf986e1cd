//! The graph drawn as SVG from `core::layout::graph`: services as focusable buttons, edges
//! named `parent → child` with their call count in a `<title>`, thickness by calls and colour
//! by error rate (thresholds from `config.json`), spans per service when known. Hovering a service highlights its callers and callees; wheel zooms, dragging
//! pans, `Fit` returns to the whole graph, `Export SVG` saves the picture.

use std::fmt::Write as _;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::analysis::service_graph::ServiceGraph;
use crate::core::config::GraphConfig;
use crate::core::format::{count_noun, Fixed};
use crate::core::layout::graph::{layered_layout, Direction, Spacing};
use crate::io::download::save_text;
use crate::io::files::next_frame;

const MARGIN: f64 = 40.0;

/// Edges drawn in one task (the first block with the services, one more each task after).
const EDGES_PER_TASK: usize = 400;

/// Width of a service's box for its name.
fn node_width(name: &str) -> f64 {
    (name.chars().count() as f64 * 7.2 + 24.0).clamp(60.0, 220.0)
}

/// Where the segment from `from` towards the centre `to` of a box of half sizes `half` meets
/// the box's border.
fn border_point(from: (f64, f64), to: (f64, f64), half: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let scale = (dx.abs() / half.0).max(dy.abs() / half.1);
    if scale <= 1.0 {
        return to;
    }
    (to.0 - dx / scale, to.1 - dy / scale)
}

/// What was clicked in the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphPick {
    /// A service, by name.
    Service(String),
    /// An edge, by its services' names.
    Edge(String, String),
}

/// The drawn graph.
#[component]
pub fn GraphView(
    /// The graph to draw.
    graph: Arc<ServiceGraph>,
    /// The focused service (by name), drawn as selected.
    selected: RwSignal<Option<String>>,
    /// Which way calls flow in the picture.
    direction: Direction,
    /// Error-rate thresholds for edge colours.
    thresholds: GraphConfig,
    /// Called with what was clicked or activated.
    on_pick: Callback<GraphPick>,
) -> impl IntoView {
    let edges: Vec<(usize, usize)> = graph.edges.iter().map(|edge| (edge.parent, edge.child)).collect();
    let widths: Vec<f64> = graph.services.iter().map(|node| node_width(&node.name)).collect();
    let widest = widths.iter().copied().fold(60.0, f64::max);
    let with_counts = graph.services.iter().any(|node| node.span_count > 0);
    let node_height = if with_counts { 42.0 } else { 30.0 };
    let spacing = match direction {
        Direction::LeftToRight => Spacing { rank_gap: widest + 90.0, node_gap: node_height + 26.0 },
        Direction::TopToBottom => Spacing { rank_gap: node_height + 70.0, node_gap: widest + 24.0 },
    };
    let layout = layered_layout(graph.services.len(), &edges, direction, spacing);
    // The picture's bounds: every box and every bend.
    let (mut min_x, mut min_y, mut max_x, mut max_y) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for (index, &(x, y)) in layout.position.iter().enumerate() {
        min_x = min_x.min(x - widths[index] / 2.0);
        max_x = max_x.max(x + widths[index] / 2.0);
        min_y = min_y.min(y - node_height / 2.0);
        max_y = max_y.max(y + node_height / 2.0);
    }
    for &(x, y) in layout.routes.iter().flatten() {
        (min_x, max_x, min_y, max_y) = (min_x.min(x), max_x.max(x), min_y.min(y), max_y.max(y));
    }
    let (width, height) = (max_x - min_x + 2.0 * MARGIN, max_y - min_y + 2.0 * MARGIN);
    let offset = (MARGIN - min_x, MARGIN - min_y);
    let at = move |(x, y): (f64, f64)| (x + offset.0, y + offset.1);
    let max_calls = graph.edges.iter().map(|edge| edge.call_count).max().unwrap_or(1).max(1) as f64;

    let hovered = RwSignal::new(None::<usize>);
    // Pan and zoom: scale, then translation in SVG units.
    let view_transform = RwSignal::new((1.0f64, 0.0f64, 0.0f64));
    let drag = StoredValue::new(None::<(f64, f64)>);
    let svg = NodeRef::<leptos::svg::Svg>::new();

    // The edges are drawn a block a task, after the services: a dense graph's thousands of
    // edges took one task of 0.4 s.
    let layout = Arc::new(layout);
    let widths = Arc::new(widths);
    let edge_view = {
        let (graph, layout, widths, thresholds) =
            (Arc::clone(&graph), Arc::clone(&layout), Arc::clone(&widths), thresholds.clone());
        move |index: usize| {
            let edge = &graph.edges[index];
            let route = &layout.routes[index];
            let points: Vec<(f64, f64)> = route.iter().map(|&point| at(point)).collect();
            let mut points = if points.len() < 2 {
                vec![at(layout.position[edge.parent]), at(layout.position[edge.child])]
            } else {
                points
            };
            let last = points.len() - 1;
            points[last] = border_point(points[last - 1], points[last], (widths[edge.child] / 2.0, node_height / 2.0));
            points[0] = border_point(points[1], points[0], (widths[edge.parent] / 2.0, node_height / 2.0));
            let mut d = String::with_capacity(points.len() * 16);
            for (i, &(x, y)) in points.iter().enumerate() {
                let _ = write!(d, "{}{},{}", if i == 0 { "M" } else { " L" }, Fixed(x, 1), Fixed(y, 1));
            }
            let parent = graph.services[edge.parent].name.clone();
            let child = graph.services[edge.child].name.clone();
            let name = format!("{parent} → {child}");
            let errors = if edge.error_count > 0 {
                format!(", {}", count_noun(edge.error_count, "error", "errors"))
            } else {
                String::new()
            };
            let title = format!("{name}: {}{errors}", count_noun(edge.call_count, "call", "calls"));
            let stroke = 1.0 + 4.0 * (edge.call_count as f64).ln_1p() / max_calls.ln_1p();
            let class = match thresholds.severity(edge.error_rate()) {
                2 => "graph-edge errors-high",
                1 => "graph-edge errors-some",
                _ => "graph-edge",
            };
            let pick = GraphPick::Edge(parent.clone(), child.clone());
            let (from, to) = (edge.parent, edge.child);
            let messaging = edge.messaging;
            view! {
                <g
                    class=class
                    class:messaging=messaging
                    class:highlight=move || hovered.get().is_some_and(|node| node == from || node == to)
                    class:dim=move || hovered.get().is_some_and(|node| node != from && node != to)
                    role="img"
                    aria-label=name
                    on:click=move |_| on_pick.run(pick.clone())
                >
                    <title>{title}</title>
                    <path class="graph-edge-hit" d=d.clone()></path>
                    <path d=d stroke-width=Fixed(stroke, 2).to_string() marker-end="url(#graph-arrow)"></path>
                </g>
            }
        }
    };
    let edge_count = graph.edges.len();
    let block_count = edge_count.div_ceil(EDGES_PER_TASK);
    let edge_blocks = RwSignal::new(block_count.min(1));
    if block_count > 1 {
        spawn_local(async move {
            loop {
                next_frame().await;
                match edge_blocks.try_get_untracked() {
                    Some(drawn) if drawn < block_count => edge_blocks.set(drawn + 1),
                    _ => return,
                }
            }
        });
    }
    let edge_views = view! {
        <For each=move || 0..edge_blocks.get() key=|block| *block let:block>
            {(block * EDGES_PER_TASK..((block + 1) * EDGES_PER_TASK).min(edge_count)).map(edge_view.clone()).collect_view()}
        </For>
    };

    let node_views = graph
        .services
        .iter()
        .enumerate()
        .map(|(index, node)| {
            let (x, y) = at(layout.position[index]);
            let w = widths[index];
            let name = node.name.clone();
            let label = node.name.clone();
            let shown_name = if label.chars().count() > 28 { format!("{}…", label.chars().take(27).collect::<String>()) } else { label.clone() };
            let activate = name.clone();
            let activate_key = name.clone();
            let selected_name = name.clone();
            let neighbours: Vec<usize> = graph
                .edges
                .iter()
                .filter_map(|edge| match (edge.parent == index, edge.child == index) {
                    (true, _) => Some(edge.child),
                    (_, true) => Some(edge.parent),
                    _ => None,
                })
                .collect();
            let has_errors = node.error_count > 0;
            let spans_text = count_noun(node.span_count, "span", "spans");
            view! {
                <g
                    class="graph-node"
                    class:has-errors=has_errors
                    class:selected=move || selected.with(|chosen| chosen.as_deref() == Some(selected_name.as_str()))
                    class:dim=move || hovered.get().is_some_and(|node| node != index && !neighbours.contains(&node))
                    role="button"
                    tabindex="0"
                    aria-label=label
                    transform=format!("translate({},{})", Fixed(x - w / 2.0, 1), Fixed(y - node_height / 2.0, 1))
                    on:mouseenter=move |_| hovered.set(Some(index))
                    on:mouseleave=move |_| hovered.set(None)
                    on:focus=move |_| hovered.set(Some(index))
                    on:blur=move |_| hovered.set(None)
                    on:click=move |_| on_pick.run(GraphPick::Service(activate.clone()))
                    on:keydown=move |event| {
                        if event.key() == "Enter" || event.key() == " " {
                            event.prevent_default();
                            on_pick.run(GraphPick::Service(activate_key.clone()));
                        }
                    }
                >
                    <title>{name.clone()}</title>
                    <rect width=Fixed(w, 1).to_string() height=node_height.to_string() rx="6"></rect>
                    <text x=Fixed(w / 2.0, 1).to_string() y=if with_counts { "17" } else { "19.5" } text-anchor="middle">{shown_name}</text>
                    {with_counts.then(|| view! {
                        <text class="graph-node-count" x=Fixed(w / 2.0, 1).to_string() y="33" text-anchor="middle">{spans_text.clone()}</text>
                    })}
                </g>
            }
        })
        .collect_view();

    let to_svg_units = move |client_x: f64, client_y: f64| -> Option<(f64, f64)> {
        let element = svg.get_untracked()?;
        let rect = element.get_bounding_client_rect();
        let scale = (width / rect.width().max(1.0)).max(height / rect.height().max(1.0));
        Some(((client_x - rect.left()) * scale, (client_y - rect.top()) * scale))
    };
    let export = move |_| {
        if let Some(element) = svg.get_untracked() {
            let text = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", element.outer_html());
            save_text("service-dependencies.svg", &text);
        }
    };
    view! {
        <div class="graph-view" role="region" aria-label="Service dependencies">
            <div class="graph-toolbar">
                <span class="graph-counts">
                    {count_noun(graph.services.len(), "service", "services")} ", " {count_noun(graph.edges.len(), "edge", "edges")}
                </span>
                <button type="button" class="button secondary" on:click=move |_| view_transform.set((1.0, 0.0, 0.0))>"Fit"</button>
                <button type="button" class="button secondary" on:click=export>"Export SVG"</button>
            </div>
            <svg
                node_ref=svg
                class="graph-canvas"
                xmlns="http://www.w3.org/2000/svg"
                viewBox=format!("0 0 {width:.0} {height:.0}")
                preserveAspectRatio="xMidYMin meet"
                on:wheel=move |event| {
                    event.prevent_default();
                    let Some((px, py)) = to_svg_units(f64::from(event.client_x()), f64::from(event.client_y())) else { return };
                    view_transform.update(|(k, x, y)| {
                        let factor = if event.delta_y() < 0.0 { 1.2 } else { 1.0 / 1.2 };
                        let next = (*k * factor).clamp(0.2, 8.0);
                        // Keep the point under the pointer where it is.
                        *x = px - (px - *x) * next / *k;
                        *y = py - (py - *y) * next / *k;
                        *k = next;
                    });
                }
                on:pointerdown=move |event| {
                    drag.set_value(to_svg_units(f64::from(event.client_x()), f64::from(event.client_y())));
                }
                on:pointermove=move |event| {
                    let Some((from_x, from_y)) = drag.get_value() else { return };
                    let Some((px, py)) = to_svg_units(f64::from(event.client_x()), f64::from(event.client_y())) else { return };
                    view_transform.update(|(_, x, y)| {
                        *x += px - from_x;
                        *y += py - from_y;
                    });
                    drag.set_value(Some((px, py)));
                }
                on:pointerup=move |_| drag.set_value(None)
                on:pointerleave=move |_| drag.set_value(None)
            >
                <defs>
                    <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="graph-arrow"></path>
                    </marker>
                </defs>
                <g transform=move || {
                    let (k, x, y) = view_transform.get();
                    format!("translate({},{}) scale({})", Fixed(x, 1), Fixed(y, 1), Fixed(k, 3))
                }>
                    <g class="graph-edges">{edge_views}</g>
                    <g class="graph-nodes">{node_views}</g>
                </g>
            </svg>
        </div>
    }
}
