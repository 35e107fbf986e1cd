//! The browser's edges: files and URLs, the page address and local preferences (the Jaeger HTTP
//! client, embedding messages and the engine worker channel as they land).
//!
//! Everything here may use web-sys and gloo, and turns browser values into `core` types at the
//! boundary. No Leptos components live here.

pub mod config;
pub mod download;
pub mod files;
pub mod jaeger_api;
pub mod prefs;
pub mod url_state;
