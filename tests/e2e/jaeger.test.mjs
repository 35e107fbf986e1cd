// End to end: the Jaeger search, trace by id and dependency graph against the Jaeger test
// server (tests/jaeger/server.mjs), across API versions: same origin through a proxy, named
// endpoints chosen by links, and every failure the UI contract names.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { serveStatic, STRICT_CSP } from "./support/static-server.mjs";
import { launchBrowser, openPage } from "./support/browser.mjs";
import { realFixturesPresent } from "./support/fixtures.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const present = realFixturesPresent();
const { startJaegerServer } = present ? await import("../jaeger/server.mjs") : {};

let browser;
let jaeger;
before(async () => {
  if (!present) return;
  browser = await launchBrowser();
  jaeger = await startJaegerServer();
});
after(async () => {
  await browser?.close();
  await jaeger?.close();
});

const HOTROD = "1a4e4a7b270e9f2a0f716e3ee115218a";

/** A site whose default endpoint is the same origin (proxied to `variant`) and whose named endpoints are the server's variants. */
async function site(variant = "both") {
  const endpoints = ["v1", "v3", "both", "slow", "broken", "nocors"].map((name) => ({ name, url: jaeger.url(name) }));
  endpoints.push({ name: "down", url: "http://127.0.0.1:9/jaeger" });
  const config = JSON.stringify({ jaeger: { endpoints } });
  // Sites that name other origins allow them in connect-src, as their operators must.
  const csp = STRICT_CSP.replace("connect-src 'self'", `connect-src 'self' ${jaeger.origin} http://127.0.0.1:9`);
  return serveStatic({
    root: DIST,
    csp,
    overrides: { "config.json": config },
    proxy: { "api/": `${jaeger.url(variant)}/api/` },
  });
}

async function open(server, path, expected = null, contextOptions = {}) {
  const { context, page, problems } = await openPage(browser, contextOptions);
  await page.goto(`${server.url}${path}`);
  return {
    page,
    close: async () => {
      assert.deepEqual(problems().filter((problem) => !expected?.test(problem)), []);
      await context.close();
    },
  };
}

/** Waits until the page's address matches `pattern` (the address follows in a task of its own). */
async function addressMatches(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(location.href), pattern.source, { timeout: 5000 });
  assert.match(page.url(), pattern);
}

async function chooseService(page, name) {
  const service = page.getByLabel("Service", { exact: true });
  await service.locator(`option[value="${name}"]`).waitFor({ state: "attached" });
  await service.selectOption(name);
}

test("same origin: search, open a result, reload the deep link", { skip: !present }, async () => {
  const server = await site("both");
  // A Jaeger 2.x release has no trace-summaries: the first search asks, gets a 404, and searches for whole traces.
  const { page, close } = await open(server, "?view=search", /status of 404/, { acceptDownloads: true });
  await page.getByText("Jaeger API v3").waitFor();
  await chooseService(page, "frontend");
  await page.getByLabel("Operation").locator('option[value="GET /dispatch"]').waitFor({ state: "attached" });
  await page.getByRole("button", { name: "Find traces" }).click();
  const results = page.getByRole("link", { name: /spans$/ });
  await results.first().waitFor();
  assert.equal(await results.count(), 2, "HotROD and the OpenTelemetry Demo both have frontend spans");
  await page.getByRole("img", { name: "Trace durations" }).waitFor();
  await addressMatches(page, /[?&]service=frontend(&|$)/);
  await addressMatches(page, /[?&]view=search(&|$)/);

  // The results download as JSON: here whole traces, as Jaeger sent them.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download results" }).click(),
  ]);
  const saved = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(saved.result.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length, 40 + 26);

  // Hovering a point of the chart names its trace; clicking it opens the trace.
  const chart = page.getByRole("img", { name: "Trace durations" });
  const box = await chart.boundingBox();
  // Where the chart drew its points: blue (or red, for errors) pixels, one per 8 px cell.
  const spots = await chart.evaluate((canvas) => {
    const { data, width, height } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const cells = new Map();
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const [r, g, b] = data.slice((y * width + x) * 4, (y * width + x) * 4 + 3);
        if (b > r + 80 || r > g + 100) cells.set(`${x >> 3},${y >> 3}`, [x / width, y / height]);
      }
    return [...cells.values()];
  });
  const tip = page.locator(".chart-tip");
  let found = null;
  for (const [fx, fy] of spots) {
    const at = { x: box.x + fx * box.width, y: box.y + fy * box.height };
    await page.mouse.move(at.x, at.y);
    if (((await tip.textContent()) ?? "").startsWith("frontend: GET /dispatch")) {
      found = at;
      break;
    }
  }
  assert.ok(found, "a point of the chart names the HotROD trace");
  assert.match(await tip.textContent(), /^frontend: GET \/dispatch · \d+ ms · 40 spans$/);
  await page.mouse.click(found.x, found.y);
  await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 40 spans" }).waitFor();
  await page.getByRole("treeitem", { name: /^frontend GET \/dispatch/ }).waitFor();
  await addressMatches(page, new RegExp(`[?&]trace=${HOTROD}(&|$)`));

  // The opened trace downloads as Jaeger JSON.
  const [traceDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download JSON" }).click(),
  ]);
  const trace = JSON.parse(await readFile(await traceDownload.path(), "utf8"));
  assert.equal(trace.data[0].traceID, HOTROD);
  assert.equal(trace.data[0].spans.length, 40);
  await addressMatches(page, /[?&]source=jaeger(&|$)/);

  await page.getByRole("treeitem", { name: /^mysql SQL SELECT/ }).click();
  await page.reload();
  await page.getByRole("treeitem", { name: /^mysql SQL SELECT/, selected: true }).waitFor();
  await close();
  await server.close();
});

test("a search link runs its search; each API version is detected", { skip: !present }, async () => {
  const server = await site("both");
  for (const [name, label] of [
    ["v1", "Jaeger API v1"],
    ["v3", "Jaeger API v3"],
  ]) {
    const before = jaeger.requests.length;
    const { page, close } = await open(server, `?view=search&jaeger=${name}&service=redis-manual&tags=error%3Dtrue`);
    const result = page.getByRole("link", { name: "frontend: GET /dispatch, 40 spans" });
    await result.waitFor();
    await page.getByText(label).waitFor();
    assert.equal(await page.getByRole("link", { name: /spans$/ }).count(), 1);
    const asked = jaeger.requests.slice(before);
    if (name === "v1") {
      assert.ok(asked.some((path) => path.startsWith("/v1/api/traces?service=redis-manual&tags=%7B%22error%22%3A%22true%22%7D")), asked.join("\n"));
    } else {
      assert.ok(asked.some((path) => path.startsWith("/v3/api/v3/trace-summaries?query.service_name=redis-manual")), asked.join("\n"));
      assert.ok(asked.every((path) => !path.startsWith("/v3/api/v3/traces?")), "summaries, not whole traces");
    }
    await result.click();
    await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 40 spans" }).waitFor();
    await addressMatches(page, new RegExp(`[?&]jaeger=${name}(&|$)`));
    await close();
  }
  await server.close();
});

test("no match is not an error; failures name the URL and why", { skip: !present }, async () => {
  const server = await site("both");
  {
    const { page, close } = await open(server, "?view=search&jaeger=v3&service=frontend&tags=http.status_code%3D999", /status of 404/);
    await page.getByText("No traces found").waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    await close();
  }
  {
    const { page, close } = await open(server, "?view=search&jaeger=broken", /status of 500/);
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, new RegExp(`${jaeger.url("broken")}/api/`));
    assert.match(text, /HTTP 500/);
    assert.match(text, /storage backend unavailable/);
    await close();
  }
  {
    const { page, close } = await open(server, "?view=search&jaeger=nocors", /CORS|Failed to load resource/);
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /refused the cross-origin answer/);
    assert.match(text, /allowed_origins/);
    assert.match(text, /same origin/);
    await close();
  }
  {
    const { page, close } = await open(server, "?view=search&jaeger=down", /Failed to load resource|ERR_/);
    const alert = page.getByRole("alert").first();
    await alert.waitFor();
    assert.match(await alert.innerText(), /http:\/\/127\.0\.0\.1:9\/jaeger\/api\/.*could not be reached/);
    await close();
  }
  await server.close();
});

test("the form says what is wrong per field, and a custom range searches", { skip: !present }, async () => {
  const server = await site("both");
  const { page, close } = await open(server, "?view=search&jaeger=v1");
  await chooseService(page, "checkout");
  await page.getByLabel("Min duration").fill("fast");
  await page.getByLabel("Tags").fill('sql="SELECT 1');
  await page.getByRole("button", { name: "Find traces" }).click();
  await page.getByRole("alert").filter({ hasText: 'Min duration: "fast" is not a duration' }).waitFor();
  await page.getByRole("alert").filter({ hasText: "Tags: the quote opened at character 5" }).waitFor();

  await page.getByLabel("Min duration").fill("1ms");
  await page.getByLabel("Tags").fill("");
  await page.getByLabel("Lookback").selectOption("custom");
  const local = (date) => {
    const pad = (n) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  };
  const now = Date.now();
  await page.getByLabel("From", { exact: true }).fill(local(new Date(now - 2 * 3600 * 1000)));
  await page.getByLabel("To", { exact: true }).fill(local(new Date(now + 60 * 1000)));
  await page.getByRole("button", { name: "Find traces" }).click();
  await page.getByRole("link", { name: "checkout: oteldemo.CheckoutService/PlaceOrder, 6 spans" }).waitFor();
  assert.equal(await page.getByRole("alert").count(), 0);
  await addressMatches(page, /[?&]lookback=custom(&|$)/);
  const address = new URL(page.url());
  assert.equal(address.searchParams.get("lookback"), "custom");
  assert.match(address.searchParams.get("start"), /^\d{16}$/);
  assert.equal(address.searchParams.get("minDuration"), "1ms");

  // Outside the range: nothing found.
  await page.getByLabel("To", { exact: true }).fill(local(new Date(now - 90 * 60 * 1000)));
  await page.getByRole("button", { name: "Find traces" }).click();
  await page.getByText("No traces found").waitFor();
  await close();
  await server.close();
});

test("a crafted link cannot choose an unlisted endpoint", { skip: !present }, async () => {
  const server = await site("both");
  const before = jaeger.requests.length;
  const { page, close } = await open(server, "?view=search&jaeger=https%3A%2F%2Fattacker.example&service=frontend", /status of 404/);
  await page.getByRole("alert").filter({ hasText: "does not configure" }).waitFor();
  await page.getByRole("link", { name: "frontend: GET /dispatch, 40 spans" }).waitFor();
  assert.ok(jaeger.requests.slice(before).every((path) => path.startsWith("/both/")), "the default endpoint answered");
  await close();
  await server.close();
});

test("a slow search shows a spinner until its results come", { skip: !present }, async () => {
  const server = await site("both");
  const { page, close } = await open(server, "?view=search&jaeger=slow&service=checkout", /status of 404/);
  await page.getByText("Searching…").waitFor();
  await page.getByRole("link", { name: "checkout: oteldemo.CheckoutService/PlaceOrder, 6 spans" }).waitFor({ timeout: 15000 });
  await close();
  await server.close();
});

test("open by trace id, and the dependency graph from Jaeger", { skip: !present }, async () => {
  const server = await site("v1");
  const { page, close } = await open(server, "");
  await page.getByLabel("Trace ID").fill(HOTROD);
  await page.getByRole("button", { name: "Open trace", exact: true }).click();
  await page.getByRole("treeitem", { name: /^frontend GET \/dispatch/ }).waitFor();

  await page.getByRole("button", { name: "Dependencies" }).click();
  await page.getByLabel("Source").selectOption("jaeger");
  const graph = page.getByRole("region", { name: "Service dependencies" });
  await graph.getByRole("button", { name: "frontend", exact: true }).waitFor();
  await graph.getByRole("img", { name: "frontend → customer" }).waitFor();
  assert.match(await graph.getByRole("img", { name: "driver → redis-manual" }).locator("title").textContent(), /14 calls/);
  const services = await graph.locator('g[role="button"]').count();
  assert.equal(services, 13);
  await graph.getByRole("button", { name: "mysql", exact: true }).click();
  await page.getByRole("button", { name: "Show all services" }).waitFor();
  const focused = page.getByRole("region", { name: "Service dependencies" });
  await focused.getByRole("button", { name: "customer", exact: true }).waitFor();
  assert.equal(await focused.getByRole("button", { name: "frontend", exact: true }).count(), 0);
  assert.deepEqual(
    await focused.locator('[role="button"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-label"))),
    ["customer", "mysql"],
  );
  await close();
  await server.close();
});
