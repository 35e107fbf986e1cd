//! Deterministic random service graphs for the layout benchmarks (native and in the browser).
#![allow(dead_code)]

/// A random graph of `nodes` nodes and `edges` edges (source, target); the same sizes give the
/// same graph everywhere.
pub fn generated(nodes: usize, edges: usize) -> Vec<(usize, usize)> {
    let mut state = 0x5eed_u64 + nodes as u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..edges).map(|_| (next() % nodes, next() % nodes)).collect()
}
