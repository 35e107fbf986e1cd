// Starts the Traceglass WebAssembly module. An external file rather than Trunk's inline
// loader, so the page runs under a strict Content-Security-Policy.
const script = document.querySelector("script[data-js][data-wasm]");
const base = document.baseURI;
const { default: init } = await import(new URL(script.dataset.js, base).href);
await init({ module_or_path: new URL(script.dataset.wasm, base).href });
