// The browser benchmark (`make bench`): serves the release build in dist/ on loopback, opens it
// in headless Chromium and, for each generated trace (examples/generate_traces.rs), measures what
// a user waits for: file chosen → progress shown → "Loaded" status → first timeline rows painted,
// the longest main-thread task during the load (Long Tasks API), JS heap and wasm memory after
// the load, the peak resident memory of the page's renderer process (the page and the engine's
// worker) during the load and its resident memory once the load has settled (the page and the
// engine that keeps the set), frame times while scrolling, zooming and panning (dragging the
// bars), collapse all / expand all, selecting a span, find, opening the service graph (and the
// longest task meanwhile), and `JSON.parse` of the same file in the same page for comparison.
//
// Usage: node tests/bench/browser.mjs <traces folder> [spans,...], where a size is a span count
// (a Jaeger JSON file) or `otlp:` and one (an OTLP JSON file). Prints one table and writes
// it, with the machine it ran on, to target/bench/browser.json. The file is chosen the moment
// the page is interactive (the hardest case: the engine has just started); set
// TRACEGLASS_BENCH_CHOOSE_AFTER_MS to choose it that long after, as a person would. Set
// TRACEGLASS_BENCH_CORES to have the page see that many logical cores (with 4 or more, a big
// file is read by two engine workers: `io::engine_tail`).
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { launchBrowser, openPage } from "../e2e/support/browser.mjs";
import { serveStatic } from "../e2e/support/static-server.mjs";

const ROOT = new URL("../../", import.meta.url).pathname;
const DIST = join(ROOT, "dist");
const OUT = join(ROOT, "target", "bench", "browser.json");
const TRACES = process.argv[2] || join(ROOT, "target", "bench", "traces");
/** The traces to measure: a format and a span count each (`otlp:100000`, or `100000` for Jaeger). */
const SIZES = (process.argv[3] || "10000,100000,300000,1000000,otlp:100000").split(",").map((size) => {
  const [format, spans] = size.includes(":") ? size.split(":") : ["jaeger", size];
  return { format, spans: Number(spans) };
});
/** How long after the page is interactive the file is chosen. */
const CHOOSE_AFTER_MS = Number(process.env.TRACEGLASS_BENCH_CHOOSE_AFTER_MS || 0);
/** The logical cores the page is told it has; the machine's own when unset. */
const CORES = process.env.TRACEGLASS_BENCH_CORES ? Number(process.env.TRACEGLASS_BENCH_CORES) : null;
/** The longest a single load may take before it counts as failed. */
const LOAD_TIMEOUT_MS = 10 * 60 * 1000;
/** How long after the first rows are painted the resident memory is read (the load's last work done). */
const SETTLE_MS = 1500;

/**
 * Runs in the page before its own scripts: records long tasks, the wasm memory, when a file was
 * chosen, and when the progress bar, the "Loaded" status and the first timeline rows appeared.
 */
function instrument() {
  const bench = { longTasks: [], marks: {}, memory: null };
  window.__bench = bench;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  const keepMemory = (original) =>
    async function (...args) {
      const result = await original.apply(this, args);
      const instance = result.instance ?? result;
      bench.memory ??= Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory) ?? null;
      return result;
    };
  WebAssembly.instantiateStreaming = keepMemory(WebAssembly.instantiateStreaming);
  WebAssembly.instantiate = keepMemory(WebAssembly.instantiate);
  document.addEventListener(
    "change",
    (event) => {
      if (event.target?.getAttribute?.("aria-label") === "Open trace files") {
        bench.marks = { chosen: performance.now() };
      }
    },
    true,
  );
  const mark = (name) => {
    if (bench.marks[name] === undefined) bench.marks[name] = performance.now();
  };
  new MutationObserver(() => {
    if (bench.marks.interactive === undefined && document.querySelector('input[aria-label="Open trace files"]')) {
      mark("interactive");
    }
    if (bench.marks.chosen === undefined) return;
    const progress = document.querySelector('[role="progressbar"]');
    if (progress) {
      mark("progress");
      const phase = progress.getAttribute("aria-valuetext") || "";
      if (phase.startsWith("Parsing")) mark("parsing");
      if (phase.startsWith("Indexing")) mark("indexing");
    }
    const status = document.querySelector('[role="status"]');
    if (status && /^Loaded /.test(status.textContent.trim())) mark("loaded");
    if (bench.marks.painted === undefined && document.querySelector('[role="tree"] [role="treeitem"]')) {
      bench.marks.painted = null;
      requestAnimationFrame(() => {
        bench.marks.painted = performance.now();
      });
    }
  }).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-valuetext"],
  });
}

/** Percentile `p` (0–100) of `values`. */
function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Frame times (ms between animation frames) while `work` runs. */
async function frameTimes(page, work) {
  await page.evaluate(() => {
    const deltas = [];
    let last = null;
    window.__frames = { deltas, running: true };
    const tick = (time) => {
      if (last !== null) deltas.push(time - last);
      last = time;
      if (window.__frames.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await work();
  const deltas = await page.evaluate(() => {
    window.__frames.running = false;
    return window.__frames.deltas;
  });
  return { p50: percentile(deltas, 50), p95: percentile(deltas, 95), max: Math.max(...deltas), frames: deltas.length };
}

/**
 * Time of one interaction in the page: `act` runs, then its reactive updates (microtasks) and a
 * forced style and layout; ms. `act` gets the page's `document`.
 */
async function interaction(page, act, arg, until = null) {
  // Built as an expression (CDP evaluates it), since the page's policy forbids `new Function`.
  // An answer the page awaits from the engine (`until` says when it is shown) is waited for,
  // looking after every task.
  return page.evaluate(`(async () => {
    const started = performance.now();
    (${act.toString()})(${JSON.stringify(arg ?? null)});
    await new Promise((resolve) => setTimeout(resolve, 0));
    const shown = ${until ? until.toString() : "() => true"};
    const channel = new MessageChannel();
    while (!shown() && performance.now() - started < 10000) {
      await new Promise((resolve) => { channel.port1.onmessage = resolve; channel.port2.postMessage(null); });
    }
    void document.body.offsetHeight;
    return performance.now() - started;
  })()`);
}

/** The ids of Chromium's renderer processes (the page and its workers run in one of them). */
async function rendererPids() {
  const pids = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    if (command.includes("--type=renderer")) pids.push(entry);
  }
  return pids;
}

/** Resets the peak resident memory the kernel records for each process (Linux `clear_refs`). */
async function resetPeaks(pids) {
  for (const pid of pids) await writeFile(`/proc/${pid}/clear_refs`, "5").catch(() => {});
}

/** The highest peak resident memory (`VmHWM`) among the processes, MB. */
async function peakMB(pids) {
  return highestMB(pids, "VmHWM");
}

/** The highest figure `field` of `/proc/<pid>/status` among the processes, MB. */
async function highestMB(pids, field) {
  let highest = null;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const kilobytes = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    if (kilobytes !== undefined) highest = Math.max(highest ?? 0, Number(kilobytes) / 1000);
  }
  return highest;
}

/** Measures one trace file; returns one row of the table. */
async function measure(browser, site, { format, spans }) {
  const file = join(TRACES, `${format}-${spans}.json`);
  const bytes = (await stat(file)).size;
  const { context, page } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const row = { format, spans, megabytes: bytes / 1e6 };
  try {
    await context.addInitScript(instrument);
    if (CORES !== null) {
      await context.addInitScript((count) => {
        Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => count });
      }, CORES);
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    await page.goto(site.url);
    await page.getByLabel("Open trace files").waitFor({ state: "attached" });
    row.startupMs = await page.evaluate(() => window.__bench.marks.interactive);
    if (CHOOSE_AFTER_MS > 0) await page.waitForTimeout(CHOOSE_AFTER_MS);

    // Peak memory of the load: the renderer that holds the page and the engine's worker.
    const renderers = await rendererPids();
    await resetPeaks(renderers);
    await page.getByLabel("Open trace files").setInputFiles(file);
    await page.waitForFunction(() => typeof window.__bench.marks.painted === "number", null, {
      timeout: LOAD_TIMEOUT_MS,
      polling: 200,
    });
    row.peakMB = await peakMB(renderers);
    // What stays resident once the load has settled: the page and the engine that keeps the set.
    await page.waitForTimeout(SETTLE_MS);
    row.residentMB = await highestMB(renderers, "VmRSS");
    // The engine's workers' wasm memory (the one that keeps the set, and a spare if started).
    row.engineWasmMB = 0;
    for (const worker of page.workers()) {
      const bytes = await worker.evaluate("typeof wasm_bindgen === 'function' && wasm_bindgen.engineMemoryBytes ? wasm_bindgen.engineMemoryBytes() : 0").catch(() => 0);
      row.engineWasmMB += bytes / 1e6;
    }
    const load = await page.evaluate(() => {
      const { marks, longTasks, memory } = window.__bench;
      const during = longTasks.filter((task) => task.start + task.duration >= marks.chosen && task.start <= marks.painted);
      return {
        progressMs: marks.progress === undefined ? null : marks.progress - marks.chosen,
        loadedMs: marks.loaded === undefined ? null : marks.loaded - marks.chosen,
        paintedMs: marks.painted - marks.chosen,
        // The phases as the progress bar names them: reading the file, parsing, indexing.
        readMs: marks.parsing === undefined ? null : marks.parsing - marks.chosen,
        parseMs: marks.parsing === undefined || marks.indexing === undefined ? null : marks.indexing - marks.parsing,
        indexMs: marks.indexing === undefined || marks.loaded === undefined ? null : marks.loaded - marks.indexing,
        longestTaskMs: during.reduce((longest, task) => Math.max(longest, task.duration), 0),
        longTasks: during.length,
        // Each long task, from the moment the file was chosen (in browser.json, for finding it).
        longTaskList: during.map((task) => ({ atMs: task.start - marks.chosen, ms: task.duration })),
        wasmMB: memory ? memory.buffer.byteLength / 1e6 : null,
      };
    });
    Object.assign(row, load);
    const metrics = (await cdp.send("Performance.getMetrics")).metrics;
    row.jsHeapMB = metrics.find((metric) => metric.name === "JSHeapUsedSize").value / 1e6;

    const tree = page.getByRole("tree", { name: "Trace timeline" });
    const box = await tree.boundingBox();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
    row.scroll = await frameTimes(page, async () => {
      for (let step = 0; step < 20; step++) {
        await page.mouse.wheel(0, 600);
        await page.waitForTimeout(80);
      }
    });
    row.zoom = await frameTimes(page, async () => {
      await page.keyboard.down("Control");
      for (let step = 0; step < 10; step++) {
        await page.mouse.wheel(0, -100);
        await page.waitForTimeout(80);
      }
      await page.keyboard.up("Control");
    });
    // Zoomed in, the bars dragged sideways (the zoom window panned), 20 steps left then 20 right.
    const ruler = () => page.locator(".ruler-track").textContent();
    const rulerBefore = await ruler();
    row.pan = await frameTimes(page, async () => {
      const x = box.x + box.width * 0.7;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      for (let step = 1; step <= 40; step++) {
        const moved = step <= 20 ? -12 * step : -12 * (40 - step);
        await page.mouse.move(x + moved, y);
        await page.waitForTimeout(40);
        // Halfway, the ruler shows later times than before the drag.
        if (step === 20) row.panMoved = (await ruler()) !== rulerBefore;
      }
      await page.mouse.up();
    });
    const clickButton = (name) =>
      [...document.querySelectorAll("button")].find((button) => button.textContent.trim() === name).click();
    row.collapseAllMs = await interaction(page, clickButton, "Collapse all");
    row.expandAllMs = await interaction(page, clickButton, "Expand all");
    row.selectSpanMs = await interaction(
      page,
      () => {
        const rows = document.querySelectorAll('[role="tree"] [role="treeitem"]');
        rows[Math.min(5, rows.length - 1)].click();
      },
      null,
      // Shown once the attributes are in (the engine sends them).
      () => document.querySelector(".span-details table.attributes") !== null && !document.querySelector(".span-details [aria-busy]"),
    );
    row.detailsShown = await page.getByRole("region", { name: "Span details" }).isVisible();
    const typeFind = (text) => {
      const box = document.querySelector('input[aria-label="Find in trace"]');
      box.value = text;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    };
    // Found once the count is shown (the engine finds).
    const countShown = () => {
      const count = document.querySelector(".find-count");
      return count?.getAttribute("aria-busy") !== "true" && /match/.test(count?.textContent ?? "");
    };
    row.findMs = await interaction(page, typeFind, "payment", countShown);
    row.findCount = (await page.locator(".find-count").textContent()).trim();
    // A status code: digits, found in URLs, numbers and span ids alike.
    await page.evaluate(typeFind, "");
    await page.waitForFunction(() => !/match/.test(document.querySelector(".find-count")?.textContent ?? ""));
    row.findDigitsMs = await interaction(page, typeFind, "500", countShown);
    row.findDigitsCount = (await page.locator(".find-count").textContent()).trim();

    // The service graph of the loaded traces (the engine derives it): the Dependencies button
    // clicked until the services are drawn, and the longest main-thread task meanwhile.
    const tasksBefore = await page.evaluate(() => window.__bench.longTasks.length);
    row.graphMs = await interaction(page, clickButton, "Dependencies", () => document.querySelector('g[role="button"]') !== null);
    await page.waitForTimeout(200);
    row.graphLongestTaskMs = await page.evaluate(
      (before) => window.__bench.longTasks.slice(before).reduce((longest, task) => Math.max(longest, task.duration), 0),
      tasksBefore,
    );

    // JSON.parse of the same file, in the same page (a string this long may be refused).
    await page.evaluate(() => {
      const input = document.createElement("input");
      input.type = "file";
      input.id = "bench-file";
      input.hidden = true;
      document.body.append(input);
    });
    await page.locator("#bench-file").setInputFiles(file);
    const parse = await page.evaluate(async () => {
      try {
        const file = document.querySelector("#bench-file").files[0];
        const text = await file.text();
        // Past the engine's longest string, the browser hands back an empty or cut text.
        if (text.length < file.size / 2) {
          return { error: `the browser gave ${text.length} characters of a ${file.size}-byte file as text` };
        }
        const started = performance.now();
        JSON.parse(text);
        return { ms: performance.now() - started };
      } catch (error) {
        return { error: String(error.message || error) };
      }
    });
    row.jsonParseMs = parse.ms ?? null;
    row.jsonParseError = parse.error ?? null;
  } catch (error) {
    row.error = String(error.message || error).split("\n")[0];
  } finally {
    await context.close();
  }
  return row;
}

const fixed = (value, digits = 0) => (value === null || value === undefined ? "–" : Number(value).toFixed(digits));

function printTable(rows) {
  const columns = [
    ["spans", (row) => `${row.spans.toLocaleString("en")}${row.format === "jaeger" ? "" : ` ${row.format.toUpperCase()}`}`],
    ["MB", (row) => fixed(row.megabytes, 1)],
    ["start ms", (row) => fixed(row.startupMs)],
    ["progress ms", (row) => fixed(row.progressMs)],
    ["loaded ms", (row) => fixed(row.loadedMs)],
    ["painted ms", (row) => fixed(row.paintedMs)],
    ["read/parse/index ms", (row) => `${fixed(row.readMs)}/${fixed(row.parseMs)}/${fixed(row.indexMs)}`],
    ["JSON.parse ms", (row) => (row.jsonParseError ? "refused" : fixed(row.jsonParseMs))],
    ["longest task ms", (row) => fixed(row.longestTaskMs)],
    ["heap MB", (row) => fixed(row.jsHeapMB)],
    ["page wasm MB", (row) => fixed(row.wasmMB)],
    ["peak MB", (row) => fixed(row.peakMB)],
    ["engine wasm MB", (row) => fixed(row.engineWasmMB)],
    ["resident MB", (row) => fixed(row.residentMB)],
    ["scroll p95/max", (row) => (row.scroll ? `${fixed(row.scroll.p95, 1)}/${fixed(row.scroll.max)}` : "–")],
    ["zoom p95/max", (row) => (row.zoom ? `${fixed(row.zoom.p95, 1)}/${fixed(row.zoom.max)}` : "–")],
    ["pan p95/max", (row) => (row.pan && row.panMoved ? `${fixed(row.pan.p95, 1)}/${fixed(row.pan.max)}` : "did not pan")],
    ["collapse ms", (row) => fixed(row.collapseAllMs)],
    ["expand ms", (row) => fixed(row.expandAllMs)],
    ["select ms", (row) => fixed(row.selectSpanMs)],
    ["find ms (payment / 500)", (row) => `${fixed(row.findMs)} / ${fixed(row.findDigitsMs)}`],
    ["graph ms / task", (row) => `${fixed(row.graphMs)} / ${fixed(row.graphLongestTaskMs)}`],
  ];
  const cells = [columns.map(([name]) => name), ...rows.map((row) => columns.map(([, cell]) => cell(row)))];
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => line[index].length)));
  for (const line of cells) console.log(line.map((cell, index) => cell.padStart(widths[index])).join("  "));
  for (const row of rows) if (row.error) console.log(`${row.format} ${row.spans} spans: ${row.error}`);
  for (const row of rows) {
    if (row.jsonParseError) console.log(`${row.format} ${row.spans} spans: JSON.parse refused: ${row.jsonParseError}`);
  }
}

const browser = await launchBrowser();
const site = await serveStatic({ root: DIST });
const rows = [];
try {
  for (const size of SIZES) {
    const row = await measure(browser, site, size);
    rows.push(row);
    console.error(`measured ${size.format} ${size.spans} spans`);
  }
} finally {
  await site.close();
}
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 1e9),
  browser: `Chromium ${browser.version()}`,
  date: new Date().toISOString().slice(0, 10),
  chooseAfterMs: CHOOSE_AFTER_MS,
  coresShown: CORES,
};
await browser.close();
console.log(`Browser benchmark (${machine.browser}, ${machine.cores} × ${machine.cpu}, ${machine.memoryGB} GB)`);
if (CHOOSE_AFTER_MS > 0) console.log(`Files chosen ${CHOOSE_AFTER_MS} ms after the page was interactive`);
if (CORES !== null) console.log(`The page was told it has ${CORES} logical cores`);
printTable(rows);
await mkdir(join(ROOT, "target", "bench"), { recursive: true });
await writeFile(OUT, JSON.stringify({ machine, rows }, null, 2));
console.log(`written to target/bench/browser.json`);
