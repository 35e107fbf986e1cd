// End to end: the service graph of a loaded trace (real HotROD capture), opened from the trace
// page: services and edges named as the UI contract says, figures in the side panels, focusing
// a service hides the rest, its traces are one click away, and the picture exports as SVG.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { serveStatic } from "./support/static-server.mjs";
import { launchBrowser, openPage } from "./support/browser.mjs";
import { REAL, realFixturesPresent } from "./support/fixtures.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const present = realFixturesPresent();
let browser;
before(async () => {
  if (present) browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const names = (locator) => locator.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-label")));

test("the service graph of a loaded trace", { skip: !present }, async () => {
  const site = await serveStatic({ root: DIST, overrides: { "config.json": "{}" } });
  const { context, page, problems } = await openPage(browser, { acceptDownloads: true });
  await page.goto(site.url);
  await page.getByLabel("Open trace files").setInputFiles(`${REAL}jaegertracing-jaeger/n_plus_one_full_concurrent.json`);
  await page.getByRole("treeitem", { name: /^frontend GET \/dispatch/ }).waitFor();
  await page.getByRole("button", { name: "Service graph" }).click();

  const graph = page.getByRole("region", { name: "Service dependencies" });
  const services = graph.locator('g[role="button"]');
  await graph.getByRole("button", { name: "redis-manual", exact: true }).waitFor();
  assert.deepEqual(await names(services), ["customer", "driver", "frontend", "mysql", "redis-manual", "route"]);
  assert.deepEqual(await names(graph.locator("g.graph-edge")), [
    "customer → mysql",
    "driver → redis-manual",
    "frontend → customer",
    "frontend → driver",
    "frontend → route",
  ]);
  const redis = graph.getByRole("img", { name: "driver → redis-manual" });
  assert.equal(await redis.locator("title").textContent(), "driver → redis-manual: 14 calls, 3 errors");
  assert.match(await redis.getAttribute("class"), /errors-high/);
  assert.match(await graph.getByRole("button", { name: "redis-manual", exact: true }).textContent(), /14 spans/);

  await redis.click();
  const edge = page.getByRole("complementary", { name: "Calls driver → redis-manual" });
  await edge.waitFor();
  assert.match(await edge.innerText(), /Calls\s+14\s+Errors\s+3 \(21\.4%\)/);
  assert.match(await edge.innerText(), /p50 .*, p95 .*, max /);

  await page.getByLabel("Layout").selectOption("down");
  await graph.getByRole("button", { name: "driver", exact: true }).click();
  await page.getByRole("button", { name: "Show all services" }).waitFor();
  await graph.getByRole("button", { name: "driver", exact: true }).waitFor();
  assert.deepEqual(await names(graph.locator('g[role="button"]')), ["driver", "frontend", "redis-manual"]);
  const panel = page.getByRole("complementary", { name: "Service driver" });
  assert.match(await panel.innerText(), /Called by\s+frontend: 1 call\s+Calls\s+redis-manual: 14 calls, 3 errors/i);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export SVG" }).click()]);
  const svg = await readFile(await download.path(), "utf8");
  assert.match(svg, /^<\?xml[^>]*>\n<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /driver → redis-manual: 14 calls, 3 errors/);

  await panel.getByRole("button", { name: "Show its traces" }).click();
  await page.getByText("Traces with spans of driver").waitFor();
  assert.equal(await page.getByRole("link", { name: /spans$/ }).count(), 1);

  assert.deepEqual(problems(), []);
  await context.close();
  await site.close();
});
