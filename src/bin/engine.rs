//! The engine's Web Worker entry: says it is ready, then imports what the page sends.

fn main() {
    console_error_panic_hook::set_once();
    traceglass::io::engine_worker::start();
}
