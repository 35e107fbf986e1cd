//! The application shell: the header and the empty state shown before any trace is loaded.

mod empty_state;
mod header;

pub use empty_state::EmptyState;
pub use header::Header;
