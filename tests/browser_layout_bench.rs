//! Browser benchmark (run by `make bench`, not by `make test`): the layered layout of generated
//! service graphs, 500 services / 1,250 edges and 1,000 / 2,500, timed with `performance.now()`
//! in headless Chromium on the release build. Prints the best of five runs of each.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use traceglass::core::layout::graph::{layered_layout, Direction, Spacing};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../benches/graph_generator.rs"]
mod graph_generator;
use graph_generator::generated;

#[wasm_bindgen_test]
fn layered_layout_in_the_browser() {
    let performance = web_sys::window().unwrap().performance().unwrap();
    for (nodes, edge_count) in [(500, 1_250), (1_000, 2_500)] {
        let edges = generated(nodes, edge_count);
        let mut best_ms = f64::MAX;
        for _ in 0..5 {
            let started = performance.now();
            let layout = layered_layout(nodes, &edges, Direction::LeftToRight, Spacing::default());
            best_ms = best_ms.min(performance.now() - started);
            assert_eq!(layout.position.len(), nodes);
        }
        web_sys::console::log_1(
            &format!("layered layout, {nodes} services / {edge_count} edges: {best_ms:.1} ms (best of 5)").into(),
        );
    }
}
