//! The browser's edges: local preferences now; files, the Jaeger HTTP client, URL state,
//! embedding messages and the engine worker channel as they land.
//!
//! Everything here may use web-sys and gloo, and turns browser values into `core` types at the
//! boundary. No Leptos components live here.

pub mod prefs;
