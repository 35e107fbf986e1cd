//! Leptos components and the glue from signals to `core` functions.
//!
//! Components stay thin: pure logic lives in `core`, browser access in `io`. Tests find what
//! these components render by role and accessible name (see the UI contract), so those names
//! are part of the public interface.

mod app;
pub mod deep_link;
pub mod dependencies;
pub mod embed;
pub mod jaeger;
pub mod load;
pub mod pages;
pub mod shell;
pub mod show_more;
pub mod state;
pub mod summary_list;
pub mod theme;
pub mod time;
pub mod trace;
pub mod trace_list;
pub mod warm_up;

pub use app::App;
