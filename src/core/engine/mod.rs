//! The engine behind the UI: what the Web Worker does with the page's requests, as pure
//! functions. It imports: the page hands over files, the worker reads, parses and indexes them
//! off the page's thread and answers with progress and the finished `TraceSet`, in parts (see
//! ADR 0006). It then keeps the set and answers questions about it (ADR 0012): the page's copy
//! holds only what the page draws. The worker binary only moves these messages.

pub mod answers;
pub mod load;
pub mod parts;
pub mod protocol;
pub mod warm_up;
