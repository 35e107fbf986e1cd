// End to end behind an ingress: Debian's nginx serves dist/ under /jaeger/ and proxies
// /jaeger/api/ to the Jaeger test server, as a cluster ingress does. The app searches, opens a
// trace, reloads the deep link and shows the dependencies, and no request leaves the prefix.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STRICT_CSP } from "./support/static-server.mjs";
import { launchBrowser, openPage } from "./support/browser.mjs";
import { realFixturesPresent } from "./support/fixtures.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const NGINX = "/usr/sbin/nginx";
const present = realFixturesPresent();
if (!existsSync(NGINX) && process.env.CI === "true") throw new Error(`nginx is missing at ${NGINX} (make test installs it)`);
const skip = !present || !existsSync(NGINX);
const { startJaegerServer } = present ? await import("../jaeger/server.mjs") : {};

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

let browser;
let jaeger;
let nginx;
let home;
let origin;
before(async () => {
  if (skip) return;
  browser = await launchBrowser();
  jaeger = await startJaegerServer();
  home = mkdtempSync(join(tmpdir(), "traceglass-ingress-"));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(home, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${home}/nginx.pid;
error_log ${home}/error.log;
events { worker_connections 64; }
http {
  access_log ${home}/access.log;
  client_body_temp_path ${home}/body;
  proxy_temp_path ${home}/proxy;
  fastcgi_temp_path ${home}/fastcgi;
  uwsgi_temp_path ${home}/uwsgi;
  scgi_temp_path ${home}/scgi;
  types { text/html html; text/javascript js; text/css css; application/wasm wasm; application/json json; image/svg+xml svg; }
  server {
    listen 127.0.0.1:${port};
    location /jaeger/api/ {
      proxy_pass ${jaeger.url("both")}/api/;
    }
    location /jaeger/ {
      alias ${DIST};
      add_header Content-Security-Policy "${STRICT_CSP}" always;
    }
  }
}
`,
  );
  nginx = spawn(NGINX, ["-c", join(home, "nginx.conf"), "-p", home], { stdio: "inherit" });
  // Ready when it answers.
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      if ((await fetch(`${origin}/jaeger/index.html`)).ok) break;
    } catch {
      // not yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
});
after(async () => {
  await browser?.close();
  nginx?.kill("SIGQUIT");
  if (nginx) await new Promise((done) => nginx.once("exit", done));
  await jaeger?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

test("behind nginx under /jaeger/: search, open, reload, dependencies", { skip }, async () => {
  const { context, page, problems } = await openPage(browser);
  const outside = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.origin !== origin || !url.pathname.startsWith("/jaeger/")) outside.push(request.url());
  });
  await page.goto(`${origin}/jaeger/?view=search`);
  await page.getByText("Jaeger API v3").waitFor();
  const service = page.getByLabel("Service", { exact: true });
  await service.locator('option[value="frontend"]').waitFor({ state: "attached" });
  await service.selectOption("frontend");
  await page.getByRole("button", { name: "Find traces" }).click();
  await page.getByRole("link", { name: "frontend: GET /dispatch, 40 spans" }).click();
  await page.getByRole("treeitem", { name: /^frontend GET \/dispatch/ }).waitFor();
  await page.getByRole("treeitem", { name: /^route GET \/route/ }).first().click();
  // The address follows in a task of its own.
  await page.waitForFunction(() => new URL(location.href).searchParams.has("span"));
  const address = page.url();
  assert.match(address, /^http:\/\/127\.0\.0\.1:\d+\/jaeger\/\?/);

  await page.reload();
  await page.getByRole("treeitem", { name: /^route GET \/route/, selected: true }).waitFor();
  assert.equal(page.url(), address);

  await page.getByRole("button", { name: "Dependencies" }).click();
  await page.getByLabel("Source").selectOption("jaeger");
  const graph = page.getByRole("region", { name: "Service dependencies" });
  await graph.getByRole("img", { name: "frontend → route" }).waitFor();
  await graph.getByRole("button", { name: "redis-manual", exact: true }).waitFor();

  assert.deepEqual(outside, []);
  // 404s are expected: no config.json in dist/, and the trace-summaries probe of a Jaeger 2.x.
  assert.deepEqual(problems().filter((problem) => !/status of 404/.test(problem)), []);
  await context.close();
});
