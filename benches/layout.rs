//! Layered graph layout of generated service graphs: 500 services / 1,250 edges and 1,000 /
//! 2,500 (the service-graph goals; the browser figures come with the graph view).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, missing_docs)]

use divan::Bencher;
use traceglass::core::layout::graph::{layered_layout, Direction, Spacing};

#[path = "graph_generator.rs"]
mod graph_generator;
use graph_generator::generated;

fn main() {
    divan::main();
}

#[divan::bench(args = [(500, 1_250), (1_000, 2_500)], sample_count = 10)]
fn layered(bencher: Bencher, (nodes, edges): (usize, usize)) {
    let graph = generated(nodes, edges);
    bencher.bench(|| layered_layout(nodes, &graph, Direction::LeftToRight, Spacing::default()));
}
