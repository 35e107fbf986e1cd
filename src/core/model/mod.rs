//! The one canonical in-memory model that every view reads: `TraceSet`, a struct of arrays
//! built once by `TraceSetBuilder` from whatever format the traces came in.
//!
//! Span rows are in pre-order per trace, so a subtree is a contiguous range. Strings are
//! interned per set; ids are bytes; time is `i64` nanoseconds. See `docs/trace-model.md`.

pub mod builder;
pub mod compare;
pub mod ids;
pub mod integrity;
pub mod packed;
pub mod spans;
pub mod strings;
pub mod summary;
pub mod tables;
pub mod trace_set;
pub mod traces;
mod tree;
pub mod values;
pub mod warm_up;

pub use builder::{Checkpoint, RawSpan, TraceSetBuilder};
pub use ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceId, TraceIdx};
pub use integrity::check_integrity;
pub use trace_set::TraceSet;
pub use traces::{warnings_summary, Warning};
pub use values::{AttrValue, LinkKind, SpanFlags, SpanKind, StatusCode, WarningKind};
