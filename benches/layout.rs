//! Layered graph layout of generated service graphs: 500 services / 1,250 edges and 1,000 /
//! 2,500 (the service-graph goals; the browser figures come with the graph view).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, missing_docs)]

use divan::Bencher;
use traceglass::core::layout::graph::{layered_layout, Direction, Spacing};

/// A deterministic random graph of `nodes` nodes and `edges` edges.
fn generated(nodes: usize, edges: usize) -> Vec<(usize, usize)> {
    let mut state = 0x5eed_u64 + nodes as u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..edges).map(|_| (next() % nodes, next() % nodes)).collect()
}

fn main() {
    divan::main();
}

#[divan::bench(args = [(500, 1_250), (1_000, 2_500)], sample_count = 10)]
fn layered(bencher: Bencher, (nodes, edges): (usize, usize)) {
    let graph = generated(nodes, edges);
    bencher.bench(|| layered_layout(nodes, &graph, Direction::LeftToRight, Spacing::default()));
}
