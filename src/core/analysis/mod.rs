//! Analyses over the span table: tree walks (iterative) and figures derived from them.

pub mod find;
pub mod find_index;
pub mod graph_focus;
pub mod self_time;
pub mod service_graph;
pub mod span_details;
