//! The browser's edges: files and URLs, the page address and local preferences, the Jaeger HTTP
//! client, the embedding messages, both ends of the engine worker's channel and the engine that keeps the loaded traces (the worker's end alone builds with the
//! `worker` feature).
//!
//! Everything here may use web-sys and gloo, and turns browser values into `core` types at the
//! boundary. No Leptos components live here.

#[cfg(feature = "ui")]
pub mod config;
#[cfg(feature = "ui")]
pub mod download;
#[cfg(feature = "ui")]
pub mod embed;
#[cfg(feature = "ui")]
pub mod engine;
pub mod engine_stream;
pub mod engine_tail;
pub mod engine_worker;
pub mod files;
#[cfg(feature = "ui")]
pub mod jaeger_api;
#[cfg(feature = "ui")]
pub mod kept_engine;
#[cfg(feature = "ui")]
pub mod prefs;
#[cfg(feature = "ui")]
pub mod url_state;
pub mod wake;
