// End to end: a generated trace of 100,000 spans loads through the file input and the timeline
// keeps fewer than 300 rows in the DOM while scrolling to its end (virtualization); its service
// graph comes from the engine; a big file is read by two engine workers on a machine with the
// cores for it, to the same trace; a span of thousands of attributes and events and a trace of
// hundreds of import warnings are shown a part at a time.
import { after, before, test } from "node:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { serveStatic } from "./support/static-server.mjs";
import { launchBrowser, withPage } from "./support/browser.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const SPANS = 100_000;

/** A Jaeger trace of `count` spans: a 4-ary tree, each child inside its parent's time. */
function generatedTrace(count, traceID = "00000000000000000000000000100000") {
  const spans = [];
  for (let i = 0; i < count; i++) {
    const parent = i === 0 ? null : Math.floor((i - 1) / 4);
    spans.push({
      traceID,
      spanID: (i + 1).toString(16),
      operationName: `op${i}`,
      references: parent === null ? [] : [{ refType: "CHILD_OF", spanID: (parent + 1).toString(16) }],
      startTime: 1_700_000_000_000_000 + i,
      duration: count - i,
      tags: [{ key: "index", type: "int64", value: i }],
      processID: `p${i % 20}`,
    });
  }
  const processes = Object.fromEntries(Array.from({ length: 20 }, (_, s) => [`p${s}`, { serviceName: `service-${s}` }]));
  return Buffer.from(JSON.stringify({ data: [{ traceID, spans, processes }] }));
}

/**
 * Waits until the progress bar says the engine works on the load: it has taken in part of a file
 * (it parses a file while the page reads it), or it parses or indexes.
 */
function engineParsing(page) {
  return page.waitForFunction(
    () =>
      /^(Reading (?!0 B ).* of .*|Parsing|Indexing)$/.test(
        document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuetext") ?? "",
      ),
    null,
    { polling: 10, timeout: 60_000 },
  );
}

/** Runs `run(folder)` with a fresh temporary folder, removed after. */
async function withFolder(run) {
  const folder = await mkdtemp(join(tmpdir(), "traceglass-"));
  try {
    return await run(folder);
  } finally {
    await rm(folder, { recursive: true });
  }
}

let browser;
let site;
before(async () => {
  browser = await launchBrowser();
  site = await serveStatic({ root: DIST });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test("100,000 spans keep fewer than 300 rows in the DOM while scrolling to the end", () =>
  withPage(browser, async (page) => {
    await page.goto(site.url);
    await page.getByLabel("Open trace files").setInputFiles({ name: "large.json", mimeType: "application/json", buffer: generatedTrace(SPANS) });
    // While it loads: a progress bar naming the phase.
    const progress = page.getByRole("progressbar", { name: "Loading traces" });
    await progress.waitFor();
    assert.match(await progress.getAttribute("aria-valuetext"), /^(Reading .* of .*|Parsing|Indexing)$/);
    await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 100,000 spans" }).waitFor({ timeout: 60_000 });
    const tree = page.getByRole("tree", { name: "Trace timeline" });
    await tree.getByRole("treeitem").first().waitFor();
    // The minimap came from the engine with the trace: the root spans the whole top row (drawn
    // once the fresh page has been painted, a frame after the rows).
    const canvas = page.getByRole("img", { name: /Trace minimap/ }).locator("canvas");
    let topRow = 0;
    for (let look = 0; look < 50 && topRow <= 0.95; look++) {
      if (look > 0) await page.waitForTimeout(100);
      topRow = await canvas.evaluate((element) => {
        const pixels = element.getContext("2d").getImageData(0, 0, element.width, 1).data;
        let drawn = 0;
        for (let x = 0; x < element.width; x++) if (pixels[x * 4 + 3] > 0) drawn++;
        return drawn / element.width;
      });
    }
    assert.ok(topRow > 0.95, `minimap top row drawn over ${topRow} of its width`);
    const counts = [];
    for (let step = 0; step <= 10; step++) {
      await tree.evaluate((element, step) => {
        element.scrollTop = ((element.scrollHeight - element.clientHeight) * step) / 10;
      }, step);
      await page.waitForTimeout(50);
      counts.push(await tree.getByRole("treeitem").count());
    }
    assert.ok(counts.every((count) => count > 0 && count < 300), `rows in the DOM: ${counts}`);
    // The last span in pre-order is the last row, and it is on screen at the end.
    const last = await tree.getByRole("treeitem").last().getAttribute("aria-label");
    assert.match(last, /^service-\d+ op\d+,/);
    const lastInView = await tree.evaluate((element) => {
      const rows = [...element.querySelectorAll('[role="treeitem"]')];
      const box = element.getBoundingClientRect();
      const row = rows[rows.length - 1].getBoundingClientRect();
      return row.bottom <= box.bottom + 1 && row.top >= box.top - 1;
    });
    assert.ok(lastInView, "the last row is visible when scrolled to the end");
  }));

test("the service graph of 100,000 loaded spans, from the engine that keeps them: every edge counted", () =>
  withPage(browser, async (page) => {
    await page.goto(site.url);
    await page.getByLabel("Open trace files").setInputFiles({ name: "large.json", mimeType: "application/json", buffer: generatedTrace(SPANS) });
    await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 100,000 spans" }).waitFor({ timeout: 60_000 });
    // The generated tree: span i (service i mod 20) is a child of span (i - 1) / 4.
    const calls = new Map();
    for (let i = 1; i < SPANS; i++) {
      const [parent, child] = [Math.floor((i - 1) / 4) % 20, i % 20];
      if (parent === child) continue;
      const name = `service-${parent} → service-${child}`;
      calls.set(name, (calls.get(name) ?? 0) + 1);
    }
    const expected = [...calls]
      .map(([name, count]) => `${name}: ${count.toLocaleString("en-US")} ${count === 1 ? "call" : "calls"}`)
      .sort();
    const graph = page.getByRole("region", { name: "Service dependencies" });
    const edgeTitles = async () => (await graph.locator("g.graph-edge > title").allTextContents()).sort();

    await page.getByRole("button", { name: "Dependencies" }).click();
    await graph.getByRole("button", { name: "service-19", exact: true }).waitFor({ timeout: 30_000 });
    assert.equal(await graph.locator('g[role="button"]').count(), 20);
    assert.deepEqual(await edgeTitles(), expected);
    assert.match(await graph.getByRole("button", { name: "service-0", exact: true }).textContent(), /5,000 spans/);

    // The open trace's graph is the same: the file holds one trace.
    await page.getByLabel("Source").selectOption("trace");
    await graph.getByRole("button", { name: "service-19", exact: true }).waitFor({ timeout: 30_000 });
    assert.deepEqual(await edgeTitles(), expected);
  }));

test("2,000 traces in one file: the trace list shows 500 (a hundred per task) and the rest on request, sorts them, opens the last, and is kept while a trace is open", () =>
  withPage(browser, async (page) => {
    await page.goto(site.url);
    // Trace t: five spans of service svc-(t mod 5), its root op-t lasting (7t mod 2000) + 1 µs.
    const data = Array.from({ length: 2000 }, (_, t) => {
      const traceID = (t + 1).toString(16).padStart(32, "0");
      const spans = Array.from({ length: 5 }, (_, i) => ({
        traceID,
        spanID: (t * 10 + i + 1).toString(16).padStart(16, "0"),
        operationName: i === 0 ? `op-${t}` : `child-${i}`,
        references: i === 0 ? [] : [{ refType: "CHILD_OF", traceID, spanID: (t * 10 + 1).toString(16).padStart(16, "0") }],
        startTime: 1_700_000_000_000_000 + t * 1000 + i,
        duration: i === 0 ? ((7 * t) % 2000) + 1 : 1,
        tags: [],
        processID: "p",
      }));
      return { traceID, spans, processes: { p: { serviceName: `svc-${t % 5}`, tags: [] } } };
    });
    await page.getByLabel("Open trace files").setInputFiles({ name: "many.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ data })) });
    await page.getByRole("status").filter({ hasText: "Loaded 2,000 traces, 10,000 spans" }).waitFor({ timeout: 60_000 });
    const list = page.getByRole("region", { name: "2,000 traces" });
    const links = list.getByRole("link");
    const count = () => page.locator(".trace-list-items .trace-link").count();
    await page.waitForFunction(() => document.querySelectorAll(".trace-list-items .trace-link").length === 500, null, { timeout: 30_000 });
    await page.waitForTimeout(200);
    assert.equal(await count(), 500, "the first 500 only, until asked");
    await list.getByRole("button", { name: "Show 500 more (1,500 traces not shown)" }).click();
    await list.getByRole("button", { name: "Show 500 more (1,000 traces not shown)" }).click();
    await list.getByRole("button", { name: "Show 500 more (500 traces not shown)" }).click();
    await page.waitForFunction(() => document.querySelectorAll(".trace-list-items .trace-link").length === 2000, null, { timeout: 30_000 });
    assert.equal(await list.getByRole("button", { name: /^Show/ }).count(), 0);
    // Most recent first: trace 1999 leads, trace 0 ends the list.
    assert.match(await links.first().getAttribute("aria-label"), /op-1999, 5 spans$/);
    assert.match(await links.last().getAttribute("aria-label"), /op-0, 5 spans$/);
    await links.last().click();
    await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem", { name: /^svc-0 op-0\b/ }).waitFor();
    // Back in the list, longest first: 7t mod 2000 is largest (1999) at t = 857.
    await page.getByRole("button", { name: "← All traces" }).click();
    await list.getByRole("combobox").selectOption("Longest first");
    await page.waitForFunction(() => document.querySelector(".trace-list-items .trace-link")?.getAttribute("aria-label")?.includes("op-857,"), null, { timeout: 10_000 });
    // Sorted again, the list starts again from its first 500.
    await page.waitForFunction(() => document.querySelectorAll(".trace-list-items .trace-link").length === 500, null, { timeout: 30_000 });
    await list.getByRole("button", { name: "Show 500 more (1,500 traces not shown)" }).waitFor();
    // The list stays built while a trace is open: back from it, the list is as it was left
    // (its order, every item), with nothing to render again.
    await links.first().click();
    await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem", { name: /^svc-2 op-857\b/ }).waitFor();
    assert.equal(await list.count(), 0, "the list is hidden while a trace is open");
    await page.getByRole("button", { name: "← All traces" }).click();
    await list.waitFor();
    assert.equal(await count(), 500);
    assert.equal(await list.getByRole("combobox").inputValue(), await list.getByRole("option", { name: "Longest first" }).getAttribute("value"));
    assert.match(await links.first().getAttribute("aria-label"), /op-857, 5 spans$/);
  }));

test("a span of 5,000 attributes, 1,200 events and 700 links, and a trace of 700 import warnings, are shown a part at a time; a value of 300,000 characters unfolds to 100,000", () =>
  withPage(browser, async (page) => {
    await page.goto(site.url);
    const traceID = "00000000000000000000000000000bad";
    const root = {
      traceID,
      spanID: "1",
      operationName: "crowded",
      // 700 links: a batch's span that follows from each message's trace.
      references: Array.from({ length: 700 }, (_, i) => ({ refType: "FOLLOWS_FROM", traceID: (i + 1).toString(16).padStart(32, "0"), spanID: "1" })),
      startTime: 1_700_000_000_000_000,
      duration: 10_000,
      tags: [
        { key: "payload", type: "string", value: "x".repeat(300_000) },
        ...Array.from({ length: 4999 }, (_, i) => ({ key: `key-${i}`, type: "string", value: `value ${i}` })),
      ],
      logs: Array.from({ length: 1200 }, (_, i) => ({ timestamp: 1_700_000_000_000_000 + i, fields: [{ key: "event", type: "string", value: `step ${i}` }] })),
      processID: "p",
    };
    // 700 spans whose parent is not in the file: a warning each.
    const orphans = Array.from({ length: 700 }, (_, i) => ({
      traceID,
      spanID: (i + 2).toString(16),
      operationName: `orphan-${i}`,
      references: [{ refType: "CHILD_OF", traceID, spanID: "ffffff" }],
      startTime: 1_700_000_000_000_001 + i,
      duration: 5,
      processID: "p",
    }));
    const data = [{ traceID, spans: [root, ...orphans], processes: { p: { serviceName: "svc", tags: [] } } }];
    await page.getByLabel("Open trace files").setInputFiles({ name: "crowded.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ data })) });

    const warnings = page.locator(".import-warnings");
    await warnings.getByText("700 import warnings: 700 spans without their parent", { exact: true }).click();
    assert.equal(await warnings.locator("li").count(), 100);
    await warnings.getByRole("button", { name: "Show 500 more (600 warnings not shown)" }).click();
    await warnings.getByRole("button", { name: "Show 100 more (100 warnings not shown)" }).click();
    await page.waitForFunction(() => document.querySelectorAll(".import-warnings li").length === 700);
    assert.equal(await warnings.getByRole("button").count(), 0, "every warning shown, no button left");
    assert.match(await warnings.locator("li").last().textContent(), /names parent 0000000000ffffff, which is not in the trace/);

    await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem", { name: /^svc crowded\b/ }).click();
    const details = page.getByRole("region", { name: "Span details" });
    const attributes = details.getByRole("table", { name: "Attributes" });
    await attributes.getByText("key-98", { exact: true }).waitFor();
    assert.equal(await attributes.getByRole("row").count(), 100);
    // A value of 300,000 characters unfolds to its first 100,000, and says so.
    await attributes.getByText("… show more").click();
    assert.equal((await attributes.locator("pre.value-text").textContent()).length, 100_000);
    await attributes.getByText("The first 100,000 of 300,000 characters are shown.").waitFor();
    await attributes.getByRole("button", { name: "Copy the whole value" }).waitFor();
    await details.getByRole("button", { name: "Show 500 more (4,900 attributes not shown)" }).click();
    await attributes.getByText("key-598", { exact: true }).waitFor();
    assert.equal(await attributes.getByRole("row").count(), 600);
    const events = details.locator("ul.events > li");
    assert.equal(await events.count(), 100);
    assert.equal(await events.last().locator(".event-name").textContent(), "step 99");
    await details.getByRole("button", { name: "Show 500 more (1,100 events not shown)" }).click();
    await page.waitForFunction(() => document.querySelectorAll("ul.events > li").length === 600);
    assert.equal(await events.last().locator(".event-name").textContent(), "step 599");
    const links = details.locator("ul.links > li");
    assert.equal(await links.count(), 100);
    assert.match(await links.first().textContent(), /^follows from 0+1 \/ 0000000000000001 \(not loaded\)$/);
    await details.getByRole("button", { name: "Show 500 more (600 links not shown)" }).click();
    await page.waitForFunction(() => document.querySelectorAll("ul.links > li").length === 600);
  }));

test("Cancel while the engine parses ends the load, keeps the page live, and a new load works", () =>
  withFolder((folder) =>
    withPage(browser, async (page) => {
      await page.goto(site.url);
      // Over the 50 MB a test may hand the browser directly: written to a file first.
      const larger = join(folder, "larger.json");
      await writeFile(larger, generatedTrace(2 * SPANS));
      await page.getByLabel("Open trace files").setInputFiles(larger);
      const progress = page.getByRole("progressbar", { name: "Loading traces" });
      // The parse runs in the engine's worker: Cancel is still offered, and the page still answers.
      await engineParsing(page);
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("status").filter({ hasText: "Loading cancelled; nothing was added" }).waitFor();
      await progress.waitFor({ state: "detached" });
      assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
      // A new load starts a new engine and finishes.
      await page.getByLabel("Open trace files").setInputFiles({ name: "small.json", mimeType: "application/json", buffer: generatedTrace(50) });
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 50 spans" }).waitFor({ timeout: 60_000 });
      await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").first().waitFor();
    })));

test("a big file added to a loaded trace is merged in the engine: the trace stays usable and Cancel keeps it", () =>
  withFolder((folder) =>
    withPage(browser, async (page) => {
      await page.goto(site.url);
      await page.getByLabel("Open trace files").setInputFiles({ name: "small.json", mimeType: "application/json", buffer: generatedTrace(50) });
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 50 spans" }).waitFor({ timeout: 60_000 });
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem").first().waitFor();
      const larger = join(folder, "other.json");
      await writeFile(larger, generatedTrace(2 * SPANS, "00000000000000000000000000200000"));
      await page.getByLabel("Open trace files").setInputFiles(larger);
      // While the engine parses the new file, the loaded trace is still shown and answers clicks.
      await engineParsing(page);
      await tree.getByRole("treeitem").first().click();
      await page.getByRole("region", { name: "Span details" }).getByText("op0").first().waitFor();
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("status").filter({ hasText: "Loading cancelled; nothing was added" }).waitFor();
      assert.equal(await tree.getByRole("treeitem").count(), 50);
      // The engine that keeps the loaded trace was not touched: its attributes still come, and so
      // do finds.
      await tree.getByRole("treeitem").first().click();
      const index = page
        .getByRole("region", { name: "Span details" })
        .getByRole("table", { name: "Attributes" })
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: "index" }) });
      assert.equal(await index.getByRole("cell").innerText(), "0");
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("index=4");
      await page.locator('.find-count[aria-busy="false"]').filter({ hasText: "match" }).waitFor();
      // 4, 40–49: every index with a 4 in it among 50 spans.
      assert.equal(await page.locator(".find-count").innerText(), "14 matches");
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("");
      // Added again, it is merged with the loaded trace into one set of two traces.
      await page.getByLabel("Open trace files").setInputFiles(larger);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 200,000 spans" }).waitFor({ timeout: 120_000 });
      await page.getByRole("button", { name: "← All traces" }).click();
      await page.getByText("2 traces").first().waitFor();
    })));

test("a big Jaeger file broken near its end is refused with the place of the fault, and the next file loads", () =>
  withFolder((folder) =>
    withPage(browser, async (page) => {
      await page.goto(site.url);
      // Spans stream from the first slices; the fault is in the last one, after they were dropped,
      // so the engine reads the file again for the message.
      const whole = generatedTrace(SPANS);
      const broken = Buffer.concat([whole.subarray(0, whole.length - 40), Buffer.from("#")]);
      const path = join(folder, "broken.json");
      await writeFile(path, broken);
      await page.getByLabel("Open trace files").setInputFiles(path);
      const alert = page.getByRole("alert");
      await alert.waitFor({ timeout: 60_000 });
      assert.match(await alert.innerText(), new RegExp(`broken\\.json: not valid JSON at line 1, column ${broken.length}: `));
      assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
      await page.getByLabel("Open trace files").setInputFiles({ name: "small.json", mimeType: "application/json", buffer: generatedTrace(50) });
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 50 spans" }).waitFor({ timeout: 60_000 });
    })));

test("a big trace from ?url= loads in the engine: Cancel while it arrives, then a full load", async () => {
  const body = generatedTrace(2 * SPANS);
  let requests = 0;
  let release = () => {};
  const released = new Promise((resolve) => (release = resolve));
  const big = await serveStatic({
    root: DIST,
    routes: {
      // The first answer stops half-way (parsed as it arrives) until the test has cancelled it.
      "big.json": async (request, response) => {
        requests += 1;
        response.on("error", () => {});
        response.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
        const half = requests === 1 ? body.length >> 1 : body.length;
        response.write(body.subarray(0, half));
        if (half < body.length) await released;
        response.end(body.subarray(half));
      },
    },
  });
  try {
    await withPage(browser, async (page) => {
      await page.goto(`${big.url}?url=big.json`);
      await engineParsing(page);
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByRole("status").filter({ hasText: "Loading cancelled; nothing was added" }).waitFor();
      assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
      release();
      await page.goto(`${big.url}?url=big.json`);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 200,000 spans" }).waitFor({ timeout: 120_000 });
      await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").first().waitFor();
    });
  } finally {
    release();
    await big.close();
  }
});

/**
 * Loads `file` in a page that reports `cores` logical cores; returns the status, the counts of
 * a few finds, and how many workers started besides the engine's spare.
 */
function loadWithCores(file, cores) {
  return withPage(browser, async (page, context) => {
    await context.addInitScript((count) => {
      Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => count });
    }, cores);
    let started = 0;
    page.on("worker", () => started++);
    await page.goto(site.url);
    await page.getByLabel("Open trace files").waitFor();
    // The engine's spare worker, started once the page is ready, takes the load.
    while (started === 0) await page.waitForTimeout(20);
    await page.getByLabel("Open trace files").setInputFiles(file);
    const status = page.getByRole("status").filter({ hasText: /^Loaded / });
    await status.waitFor({ timeout: 120_000 });
    await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").first().waitFor();
    const finds = [];
    for (const query of ["index=29999", "op1999", "service-13", "index=150000"]) {
      await page.getByRole("searchbox", { name: "Find in trace" }).fill(query);
      await page.locator('.find-count[aria-busy="false"]').filter({ hasText: "match" }).waitFor();
      finds.push(`${query}: ${await page.locator(".find-count").innerText()}`);
    }
    return { status: (await status.innerText()).trim(), finds, started: started - 1 };
  });
}

test("a big file is read by two engine workers where there are cores for it, to the same trace", () =>
  withFolder(async (folder) => {
    // 300,000 spans, 76 MB: over the size at which a second worker reads the file's second half.
    const big = join(folder, "big.json");
    await writeFile(big, generatedTrace(3 * SPANS));
    const two = await loadWithCores(big, 2);
    const eight = await loadWithCores(big, 8);
    assert.match(two.status, /^Loaded 1 trace, 300,000 spans/);
    assert.equal(eight.status, two.status);
    assert.deepEqual(eight.finds, two.finds);
    assert.deepEqual(two.finds, [
      "index=29999: 13 matches",
      "op1999: 111 matches",
      "service-13: 15,000 matches",
      "index=150000: 1 match",
    ]);
    // With two cores the engine's worker reads the whole file; with eight it starts a second.
    assert.equal(two.started, 0);
    assert.equal(eight.started, 1);
  }));
