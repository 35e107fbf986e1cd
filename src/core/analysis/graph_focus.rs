//! Working with a service graph as the dependency view does: building it from Jaeger's
//! `api/dependencies` edges, and narrowing it to one service and its neighbours within a number
//! of hops (callers and callees alike), which hides the rest.

use std::collections::BTreeMap;

use crate::core::analysis::service_graph::{ServiceEdge, ServiceGraph, ServiceNode};
use crate::core::jaeger::response::Dependency;

/// The graph of Jaeger's dependency edges: services sorted by name, call counts as given
/// (Jaeger reports no errors or latencies, so those are zero). Repeated pairs add up;
/// self-calls are dropped.
pub fn from_dependencies(dependencies: &[Dependency]) -> ServiceGraph {
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for dependency in dependencies {
        names.insert(&dependency.parent, 0);
        names.insert(&dependency.child, 0);
    }
    for (position, index) in names.values_mut().enumerate() {
        *index = position;
    }
    let mut calls: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for dependency in dependencies.iter().filter(|dependency| dependency.parent != dependency.child) {
        let key = (names[dependency.parent.as_str()], names[dependency.child.as_str()]);
        *calls.entry(key).or_default() += dependency.call_count as usize;
    }
    ServiceGraph {
        services: names
            .keys()
            .map(|name| ServiceNode { name: (*name).to_owned(), span_count: 0, error_count: 0, operations: Vec::new() })
            .collect(),
        edges: calls
            .into_iter()
            .map(|((parent, child), call_count)| ServiceEdge {
                parent,
                child,
                call_count,
                error_count: 0,
                p50_ns: 0,
                p95_ns: 0,
                max_ns: 0,
                messaging: false,
            })
            .collect(),
    }
}

/// The services within `hops` edges of `center` (either direction; `None`: all connected),
/// as a graph of their own with the edges among them. A `center` out of range gives `graph`.
pub fn focus(graph: &ServiceGraph, center: usize, hops: Option<usize>) -> ServiceGraph {
    if center >= graph.services.len() {
        return graph.clone();
    }
    let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); graph.services.len()];
    for edge in &graph.edges {
        adjacent[edge.parent].push(edge.child);
        adjacent[edge.child].push(edge.parent);
    }
    // Breadth-first from the centre, with an explicit queue.
    let mut distance: Vec<Option<usize>> = vec![None; graph.services.len()];
    distance[center] = Some(0);
    let mut queue = std::collections::VecDeque::from([center]);
    while let Some(node) = queue.pop_front() {
        let next = distance[node].unwrap_or(0) + 1;
        if hops.is_some_and(|hops| next > hops) {
            continue;
        }
        for &neighbour in &adjacent[node] {
            if distance[neighbour].is_none() {
                distance[neighbour] = Some(next);
                queue.push_back(neighbour);
            }
        }
    }
    let mut new_index = vec![usize::MAX; graph.services.len()];
    let mut services = Vec::new();
    for (old, node) in graph.services.iter().enumerate() {
        if distance[old].is_some() {
            new_index[old] = services.len();
            services.push(node.clone());
        }
    }
    let edges = graph
        .edges
        .iter()
        .filter(|edge| new_index[edge.parent] != usize::MAX && new_index[edge.child] != usize::MAX)
        .map(|edge| ServiceEdge { parent: new_index[edge.parent], child: new_index[edge.child], ..edge.clone() })
        .collect();
    ServiceGraph { services, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dependency(parent: &str, child: &str, call_count: u64) -> Dependency {
        Dependency { parent: parent.into(), child: child.into(), call_count }
    }

    fn chain() -> ServiceGraph {
        // a → b → c → d, e → b, x alone with y
        from_dependencies(&[
            dependency("a", "b", 3),
            dependency("b", "c", 2),
            dependency("c", "d", 1),
            dependency("e", "b", 5),
            dependency("x", "y", 1),
            dependency("a", "b", 1),
            dependency("d", "d", 9),
        ])
    }

    fn names(graph: &ServiceGraph) -> Vec<&str> {
        graph.services.iter().map(|node| node.name.as_str()).collect()
    }

    #[test]
    fn dependencies_become_a_graph() {
        let graph = chain();
        assert_eq!(names(&graph), ["a", "b", "c", "d", "e", "x", "y"]);
        assert_eq!(graph.edge("a", "b").map(|edge| edge.call_count), Some(4));
        assert!(graph.edge("d", "d").is_none());
        assert_eq!(graph.edges.len(), 5);
    }

    #[test]
    fn focus_keeps_neighbours_within_the_hops() {
        let graph = chain();
        let b = 1;
        assert_eq!(names(&focus(&graph, b, Some(1))), ["a", "b", "c", "e"]);
        assert_eq!(names(&focus(&graph, b, Some(2))), ["a", "b", "c", "d", "e"]);
        let all = focus(&graph, b, None);
        assert_eq!(names(&all), ["a", "b", "c", "d", "e"]);
        assert_eq!(all.edge("c", "d").map(|edge| edge.call_count), Some(1));
        assert_eq!(names(&focus(&graph, 0, Some(0))), ["a"]);
    }
}
