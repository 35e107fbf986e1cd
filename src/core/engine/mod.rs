//! The engine behind the UI: what the Web Worker does with the page's requests, as pure
//! functions. Today it imports: the page hands over files, the worker reads, parses and indexes
//! them off the page's thread and answers with progress and the finished `TraceSet`, in parts
//! (see ADR 0006). The worker binary only moves these messages.

pub mod load;
pub mod parts;
pub mod protocol;
pub mod warm_up;
