// Starts the Traceglass WebAssembly module. An external file rather than Trunk's inline
// loader, so the page runs under a strict Content-Security-Policy. Should the module not start
// (a browser without WebAssembly SIMD, a file the server did not send), the page says so
// instead of staying blank.
const script = document.querySelector("script[data-js][data-wasm]");
const base = document.baseURI;
try {
  const { default: init } = await import(new URL(script.dataset.js, base).href);
  await init({ module_or_path: new URL(script.dataset.wasm, base).href });
} catch (error) {
  const alert = document.createElement("p");
  alert.setAttribute("role", "alert");
  alert.textContent =
    "Traceglass could not start: " +
    (error?.message ?? String(error)) +
    ". It needs a browser that runs WebAssembly with SIMD (Chrome or Edge 91, Firefox 89, Safari 16.4 or later).";
  document.body.append(alert);
  throw error;
}
