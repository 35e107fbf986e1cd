//! Layered (Sugiyama-style) layout of a directed graph, for the service dependency graph:
//!
//! 1. cycles broken by reversing the back edges of a depth-first search from the nodes in order
//!    (deterministic; reversed edges are drawn pointing backwards);
//! 2. ranks by longest path from the sources (linear time; network-simplex ranking is tighter
//!    but far slower on big graphs);
//! 3. edges longer than one rank split by dummy nodes, so routes bend around other nodes;
//! 4. crossings reduced by barycenter sweeps down and up;
//! 5. positions: rank × rank gap along the flow, order × node gap across it; edges routed through
//!    their dummy nodes.
//!
//! ```text
//!  a ──► b ──► d        rank 0: a      rank 1: b, c      rank 2: d
//!  └───► c ───┘
//! ```
//! Every step is iterative and deterministic: the same graph gives the same picture.

/// Which way edges flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Ranks from left to right.
    LeftToRight,
    /// Ranks from top to bottom.
    TopToBottom,
}

/// Spacing of the layout, in layout units (CSS px when drawn 1:1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spacing {
    /// Distance between ranks along the flow.
    pub rank_gap: f64,
    /// Distance between neighbours in one rank.
    pub node_gap: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing { rank_gap: 180.0, node_gap: 64.0 }
    }
}

/// A laid-out graph.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphLayout {
    /// Each node's rank (0 for sources).
    pub rank: Vec<usize>,
    /// Each node's centre `(x, y)`.
    pub position: Vec<(f64, f64)>,
    /// Each input edge's route from its source's centre to its target's, bends included.
    pub routes: Vec<Vec<(f64, f64)>>,
    /// Whether each input edge was reversed to break a cycle.
    pub reversed: Vec<bool>,
    /// The bounding box's width and height.
    pub size: (f64, f64),
}

/// Lays out `node_count` nodes and `edges` (source, target). Self-loops are kept with a
/// one-point route; duplicate edges share a route.
pub fn layered_layout(
    node_count: usize,
    edges: &[(usize, usize)],
    direction: Direction,
    spacing: Spacing,
) -> GraphLayout {
    let edges: Vec<(usize, usize)> =
        edges.iter().copied().filter(|&(from, to)| from < node_count && to < node_count).collect();
    let reversed = back_edges(node_count, &edges);
    let acyclic: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .filter(|((from, to), _)| from != to)
        .map(|(&(from, to), &back)| if back { (to, from) } else { (from, to) })
        .collect();
    let rank = longest_path_ranks(node_count, &acyclic);

    // Split long edges with dummy nodes: chains[i] is the node path of acyclic edge i.
    let mut layer_of: Vec<usize> = rank.clone();
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(acyclic.len());
    for &(from, to) in &acyclic {
        let mut chain = vec![from];
        for layer in rank[from] + 1..rank[to] {
            layer_of.push(layer);
            chain.push(layer_of.len() - 1);
        }
        chain.push(to);
        chains.push(chain);
    }
    let total = layer_of.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); total];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); total];
    for chain in &chains {
        for pair in chain.windows(2) {
            down[pair[0]].push(pair[1]);
            up[pair[1]].push(pair[0]);
        }
    }
    let layers = layer_of.iter().copied().max().map_or(0, |max| max + 1);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); layers];
    for (node, &layer) in layer_of.iter().enumerate() {
        order[layer].push(node);
    }
    reduce_crossings(&mut order, &up, &down);

    // Positions: each layer centred across the flow.
    let widest = order.iter().map(Vec::len).max().unwrap_or(0);
    let mut across = vec![0.0; total];
    for layer in &order {
        let offset = (widest - layer.len()) as f64 * spacing.node_gap / 2.0;
        for (slot, &node) in layer.iter().enumerate() {
            across[node] = offset + slot as f64 * spacing.node_gap;
        }
    }
    let place = |node: usize| {
        let along = layer_of[node] as f64 * spacing.rank_gap;
        match direction {
            Direction::LeftToRight => (along, across[node]),
            Direction::TopToBottom => (across[node], along),
        }
    };
    let position: Vec<(f64, f64)> = (0..node_count).map(place).collect();

    // Routes, in the input edges' order and direction.
    let mut routes = Vec::with_capacity(edges.len());
    let mut next_chain = chains.iter();
    for (&(from, to), &back) in edges.iter().zip(&reversed) {
        if from == to {
            routes.push(vec![place(from)]);
            continue;
        }
        let mut route: Vec<(f64, f64)> =
            next_chain.next().map(|chain| chain.iter().map(|&node| place(node)).collect()).unwrap_or_default();
        if back {
            route.reverse();
        }
        routes.push(route);
    }
    let extent_along = layers.saturating_sub(1) as f64 * spacing.rank_gap;
    let extent_across = widest.saturating_sub(1) as f64 * spacing.node_gap;
    let size = match direction {
        Direction::LeftToRight => (extent_along, extent_across),
        Direction::TopToBottom => (extent_across, extent_along),
    };
    GraphLayout { rank, position, routes, reversed, size }
}

/// Marks the edges that close a cycle in a depth-first search from nodes 0, 1, … (iterative).
fn back_edges(node_count: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut outgoing: Vec<Vec<(usize, usize)>> = vec![Vec::new(); node_count];
    for (index, &(from, to)) in edges.iter().enumerate() {
        outgoing[from].push((to, index));
    }
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; node_count];
    let mut back = vec![false; edges.len()];
    for start in 0..node_count {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(target, edge)) = outgoing[node].get(*next) {
                *next += 1;
                match state[target] {
                    0 => {
                        state[target] = 1;
                        stack.push((target, 0));
                    }
                    1 => back[edge] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Rank = length of the longest path from a source (Kahn's order; the graph is acyclic).
fn longest_path_ranks(node_count: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut incoming = vec![0usize; node_count];
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    for &(from, to) in edges {
        incoming[to] += 1;
        outgoing[from].push(to);
    }
    let mut rank = vec![0usize; node_count];
    let mut ready: Vec<usize> = (0..node_count).filter(|&node| incoming[node] == 0).rev().collect();
    while let Some(node) = ready.pop() {
        for &to in &outgoing[node] {
            rank[to] = rank[to].max(rank[node] + 1);
            incoming[to] -= 1;
            if incoming[to] == 0 {
                ready.push(to);
            }
        }
    }
    rank
}

/// Barycenter sweeps: order each layer by the mean position of its neighbours in the layer
/// above (sweeping down) or below (sweeping up). Ties keep their order (stable sort).
fn reduce_crossings(order: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>]) {
    const SWEEPS: usize = 4;
    let total = up.len();
    let mut slot = vec![0.0f64; total];
    for layer in order.iter() {
        for (position, &node) in layer.iter().enumerate() {
            slot[node] = position as f64;
        }
    }
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let layers: Vec<usize> =
            if downward { (1..order.len()).collect() } else { (0..order.len().saturating_sub(1)).rev().collect() };
        for layer in layers {
            let neighbours = if downward { up } else { down };
            let mut keyed: Vec<(f64, usize)> = order[layer]
                .iter()
                .map(|&node| {
                    let around = &neighbours[node];
                    let key = if around.is_empty() {
                        slot[node]
                    } else {
                        around.iter().map(|&other| slot[other]).sum::<f64>() / around.len() as f64
                    };
                    (key, node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            order[layer] = keyed.into_iter().map(|(_, node)| node).collect();
            for (position, &node) in order[layer].iter().enumerate() {
                slot[node] = position as f64;
            }
        }
    }
}

/// Counts edge crossings between adjacent layers of a layout (for tests and tuning).
pub fn crossings(layout: &GraphLayout, direction: Direction) -> usize {
    let across = |point: (f64, f64)| match direction {
        Direction::LeftToRight => point.1,
        Direction::TopToBottom => point.0,
    };
    let mut segments: Vec<((f64, f64), (f64, f64))> = Vec::new();
    for route in &layout.routes {
        for pair in route.windows(2) {
            segments.push((pair[0], pair[1]));
        }
    }
    let along = |point: (f64, f64)| match direction {
        Direction::LeftToRight => point.0,
        Direction::TopToBottom => point.1,
    };
    let mut count = 0;
    for (i, a) in segments.iter().enumerate() {
        for b in &segments[i + 1..] {
            let same_span = (along(a.0) - along(b.0)).abs() < 1e-9 && (along(a.1) - along(b.1)).abs() < 1e-9;
            if same_span && (across(a.0) - across(b.0)) * (across(a.1) - across(b.1)) < 0.0 {
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(nodes: usize, edges: usize, seed: u64) -> Vec<(usize, usize)> {
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        (0..edges).map(|_| (next() % nodes, next() % nodes)).collect()
    }

    #[test]
    fn a_small_graph_gets_ranks_and_forward_routes() {
        let edges = [(0, 1), (0, 2), (1, 3), (2, 3), (0, 3)];
        let layout = layered_layout(4, &edges, Direction::LeftToRight, Spacing::default());
        assert_eq!(layout.rank, [0, 1, 1, 2]);
        assert_eq!(layout.routes[4].len(), 3, "the long edge bends through a dummy node");
        assert!(layout.reversed.iter().all(|&back| !back));
        assert_eq!(crossings(&layout, Direction::LeftToRight), 0);
    }

    #[test]
    fn cycles_are_broken_and_self_loops_kept() {
        let edges = [(0, 1), (1, 2), (2, 0), (1, 1)];
        let layout = layered_layout(3, &edges, Direction::TopToBottom, Spacing::default());
        assert_eq!(layout.reversed, [false, false, true, true]);
        assert_eq!(layout.rank, [0, 1, 2]);
        assert_eq!(layout.routes[3].len(), 1);
        // The reversed edge still runs from 2 to 0.
        assert_eq!(layout.routes[2].first(), Some(&layout.position[2]));
        assert_eq!(layout.routes[2].last(), Some(&layout.position[0]));
    }

    #[test]
    fn generated_graphs_have_no_overlaps_forward_edges_and_the_same_picture_twice() {
        for (nodes, edge_count, seed) in [(50, 120, 1), (200, 500, 2), (500, 1250, 3)] {
            let edges = generated(nodes, edge_count, seed);
            let layout = layered_layout(nodes, &edges, Direction::LeftToRight, Spacing::default());
            assert_eq!(layout, layered_layout(nodes, &edges, Direction::LeftToRight, Spacing::default()));
            let mut seen = std::collections::HashSet::new();
            for &(x, y) in &layout.position {
                assert!(seen.insert(((x * 10.0) as i64, (y * 10.0) as i64)), "two nodes at ({x}, {y})");
            }
            for ((&(from, to), &back), route) in edges.iter().zip(&layout.reversed).zip(&layout.routes) {
                if from == to {
                    continue;
                }
                if !back {
                    assert!(layout.rank[from] < layout.rank[to], "edge {from}→{to} does not point forward");
                }
                assert!(route.len() >= 2);
            }
        }
    }
}
