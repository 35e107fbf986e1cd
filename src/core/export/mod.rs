//! Exporters: any loaded traces written back as Jaeger JSON (`{"data": [...]}`, as the query
//! API returns it) or as OTLP JSON (`{"resourceSpans": [...]}`), so what was opened in one
//! format can be handed to a tool that reads the other.
//!
//! What each format cannot hold is stated in `docs/formats.md` (for example Jaeger keeps
//! microseconds, and Zipkin's client-half timing has no place in either).

mod jaeger;
mod otlp;
mod values;

pub use jaeger::to_jaeger_json;
pub use otlp::to_otlp_json;
