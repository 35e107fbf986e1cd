// Starts the engine's Web Worker: the wasm-bindgen glue (built without modules), then the
// module, given as one object (the glue warns about a bare path). Kept here rather than
// generated, so the worker starts without a warning in the console.
importScripts("./engine.js");
wasm_bindgen({ module_or_path: "./engine_bg.wasm" });
