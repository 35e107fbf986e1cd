//! Traceglass: a distributed-trace viewer that runs entirely in the browser.
//!
//! The crate has three layers, and the one rule between them is held by the compiler:
//!
//! - [`core`]: the trace model, importers, analysis and layout math. Pure Rust with no
//!   browser, no I/O and no clocks; it builds and tests natively with
//!   `cargo test --no-default-features`.
//! - `io`: the browser's edges (files, HTTP, URL state, preferences, messages). Uses `core`.
//! - `ui`: Leptos components and the glue from signals to `core` functions. Uses both.
//!
//! Every browser dependency sits behind the Cargo feature `ui` (on by default), and `io` and
//! `ui` only exist with it, so `core` can never name Leptos or web-sys. The feature `worker`
//! builds the engine's Web Worker (`src/bin/engine.rs`): `core` and the worker's end of `io`,
//! without Leptos.

pub mod core;
#[cfg(any(feature = "ui", feature = "worker"))]
pub mod io;
#[cfg(feature = "ui")]
pub mod ui;
