// A static file server for end-to-end tests: serves the built site on loopback under a URL
// prefix, with the strict Content-Security-Policy the site must run under. Started and stopped
// by each test file.
import { createServer, request as httpRequest } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

/** The policy the built site must run under: no inline script or style, wasm allowed. */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
].join("; ");

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Forwards `request` to `target` (a full URL) and pipes the answer back. */
function forward(request, response, target) {
  const upstream = httpRequest(target, { method: request.method, headers: { accept: request.headers.accept ?? "*/*" } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on("error", () => response.writeHead(502).end("bad gateway"));
  upstream.end();
}

/**
 * Serves `root` under `prefix` (e.g. "/" or "/jaeger/") on 127.0.0.1 with a free port.
 * `overrides` maps paths (relative to the prefix) to a body to serve instead, or null for 404.
 * `proxy` maps path prefixes (relative to the prefix, e.g. "api/") to a base URL they are
 * forwarded to, as `make run`'s proxy and an ingress do. `routes` maps paths (relative to the
 * prefix) to a function `(request, response)` that answers itself (a body sent slowly, say).
 * Returns `{ url, close }`, where `url` is the address of the site's index.
 */
export async function serveStatic({ root, prefix = "/", csp = STRICT_CSP, overrides = {}, proxy = {}, routes = {} }) {
  const rootPath = resolve(root);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    if (!path.startsWith(prefix)) {
      response.writeHead(404).end("outside the site's prefix");
      return;
    }
    const forwarded = Object.keys(proxy).find((start) => path.slice(prefix.length).startsWith(start));
    if (forwarded !== undefined) {
      const rest = request.url.slice(request.url.indexOf(prefix) + prefix.length + forwarded.length);
      forward(request, response, proxy[forwarded] + rest);
      return;
    }
    let relative = path.slice(prefix.length) || "index.html";
    if (relative.endsWith("/")) relative += "index.html";
    if (relative in routes) {
      routes[relative](request, response);
      return;
    }
    if (relative in overrides) {
      const body = overrides[relative];
      response.writeHead(body === null ? 404 : 200, {
        "Content-Type": CONTENT_TYPES[extname(relative)] ?? "application/octet-stream",
        "Content-Security-Policy": csp,
      });
      response.end(body ?? "not found");
      return;
    }
    const file = normalize(join(rootPath, relative));
    if (!file.startsWith(rootPath)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const body = await readFile(file);
      response.writeHead(200, {
        "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
        "Content-Security-Policy": csp,
        "Cache-Control": "no-store",
      });
      response.end(body);
    } catch {
      response.writeHead(404, { "Content-Security-Policy": csp }).end("not found");
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((done) => server.close(done)),
  };
}
