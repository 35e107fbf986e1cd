//! The pure heart of Traceglass: units, formatting, and (as they land) the trace model,
//! importers, analysis and layout math.
//!
//! Nothing in here may touch the browser, do I/O or read a clock: every function takes what it
//! needs as arguments, so all of it is tested natively.

pub mod analysis;
pub mod config;
pub mod embed;
pub mod engine;
pub mod export;
pub mod format;
pub mod import;
pub mod jaeger;
pub mod layout;
pub mod model;
pub mod units;
