//! The engine's Web Worker entry: says it is ready, then imports what the page sends.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn main() {
    console_error_panic_hook::set_once();
    traceglass::io::engine_worker::start();
}

/// The engine's WebAssembly memory, bytes: what the worker holds, read by the browser
/// benchmark (`wasm_bindgen.engineMemoryBytes()` in the worker).
#[wasm_bindgen(js_name = engineMemoryBytes)]
pub fn engine_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |memory| js_sys::ArrayBuffer::from(memory.buffer()).byte_length() as f64)
}
