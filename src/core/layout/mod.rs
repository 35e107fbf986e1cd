//! Layout math for the views: which rows are visible after collapsing, where a time falls in
//! pixels, which colour a service gets. Pure numbers, tested natively.

pub mod color;
pub mod graph;
pub mod minimap;
pub mod rows;
pub mod scroll;
pub mod ticks;
pub mod time_scale;
pub mod view_window;
