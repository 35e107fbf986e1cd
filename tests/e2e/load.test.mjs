// End to end: loading traces through the file input, by drop and by URL, in headless Chromium
// against the built site; the status numbers match the importer's, refused files get an alert,
// and the trace view shows the tree and the span details.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serveStatic } from "./support/static-server.mjs";
import { launchBrowser, withPage as withPageOf } from "./support/browser.mjs";
import { REAL, importerCounts, realFixturesPresent, statusText } from "./support/fixtures.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const FORMATS = [
  "perses-plugins/authenticate_error_jaeger.json",
  "jaegertracing-jaeger/n_plus_one_full_concurrent.json",
  "openzipkin-zipkin/yelp.json",
];

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

/** Runs `run` on a fresh page; any console error, page error or CSP violation fails the test,
 * except those matching `expected` (a failed fetch the test provokes, say). */
function withPage(run, expected = null) {
  return withPageOf(browser, run, { expected });
}

describe("loading real traces", { skip: !realFixturesPresent() }, () => {
  for (const name of FORMATS) {
    test(`${name} through the file input: the status matches the importer`, () =>
      withPage(async (page) => {
        await page.goto(site.url);
        await page.getByLabel("Open trace files").setInputFiles(`${REAL}${name}`);
        await page.getByRole("status").filter({ hasText: statusText(importerCounts(name)) }).waitFor();
        // One trace opens at once: its tree's rows come (a few tasks after the status).
        await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").first().waitFor();
        assert.ok((await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").count()) > 0);
      }));
  }

  test("dropping files anywhere on the page loads them all", () =>
    withPage(async (page) => {
      await page.goto(site.url);
      await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
      const files = FORMATS.map((name) => ({ name: name.split("/").pop(), text: readFileSync(`${REAL}${name}`, "utf8") }));
      await page.evaluate((files) => {
        const transfer = new DataTransfer();
        for (const { name, text } of files) transfer.items.add(new File([text], name, { type: "application/json" }));
        const target = document.querySelector("main");
        target.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: transfer }));
        target.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }, files);
      const total = FORMATS.map(importerCounts).reduce((a, b) => ({ traces: a.traces + b.traces, spans: a.spans + b.spans }));
      await page.getByRole("status").filter({ hasText: statusText(total) }).waitFor();
      // Several traces: the list shows each with its root and span count.
      const links = page.getByRole("link", { name: /spans?$/ });
      assert.equal(await links.count(), total.traces);
      await page.getByRole("link", { name: "frontend: GET /dispatch, 40 spans" }).click();
      await page.getByRole("treeitem", { name: /^frontend GET \/dispatch/ }).waitFor();
    }));

  test("a span's status message, parent id, events and links come from the engine into Span details", () =>
    withPage(async (page) => {
      await page.goto(site.url);
      const input = page.getByLabel("Open trace files");
      await input.setInputFiles(`${REAL}jaegertracing-jaeger-ui/v3-trace-local-2.21.0.json`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem", { name: /^lfx-wire-probe root-with-any-values/ }).click();
      const details = page.getByRole("region", { name: "Span details" });
      await details.getByText("error: probe error status", { exact: true }).waitFor();
      const event = details.getByRole("listitem").filter({ hasText: "retry" });
      const attempt = event.getByRole("table", { name: "Event attributes" }).getByRole("row");
      assert.equal(await attempt.getByRole("rowheader").innerText(), "attempt");
      assert.equal(await attempt.getByRole("cell").innerText(), "1");
      await details.getByText(/^link .* \/ fedcba9876543210 \(not loaded\)$/).waitFor();
      assert.equal(await details.getByText("Parent id").count(), 0, "a root has no parent id");

      await tree.getByRole("treeitem", { name: /^lfx-wire-probe unset-kind-and-status/ }).click();
      await details.getByRole("heading", { name: "unset-kind-and-status" }).waitFor();
      await details.getByText("0123456789abcdef", { exact: true }).last().waitFor();
      assert.equal(await details.getByText("Parent id").count(), 1);

      // A link's own attributes are shown with it.
      await page.goto(site.url);
      await input.setInputFiles(`${REAL}jaegertracing-jaeger/link_attributes_trace.json`);
      await tree.getByRole("treeitem", { name: /^query25-service query25-operation/ }).first().click();
      const linked = details.getByRole("table", { name: "Link attributes" }).first();
      const number = linked.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "sameplacelinkattribute2" }) });
      assert.equal(await number.getByRole("cell").innerText(), "123");
    }));
});

test("a refused file gets an alert naming it, and the next file still loads", () =>
  withPage(async (page) => {
    await page.goto(site.url);
    const input = page.getByLabel("Open trace files");
    await input.setInputFiles({ name: "package.json", mimeType: "application/json", buffer: Buffer.from('{"name":"x"}') });
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /package\.json: an object with the keys "name"; this is not a trace/);
    await input.setInputFiles(new URL("../fixtures/edge/orphan.json", import.meta.url).pathname);
    await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 2 spans" }).waitFor();
  }));

test("an engine of another version beside the page is refused with a message saying to reload", async () => {
  // The engine's files keep their names from build to build: a cached copy from the build before
  // this protocol was versioned starts, says only `Ready` (postcard: the variant's number, 0),
  // and then anything it says is of its own version.
  const stale = await serveStatic({
    root: DIST,
    overrides: { "engine_loader.js": "postMessage(new Uint8Array([0]).buffer);" },
  });
  try {
    await withPage(async (page) => {
      await page.goto(stale.url);
      await page.getByLabel("Open trace files").setInputFiles(new URL("../fixtures/edge/orphan.json", import.meta.url).pathname);
      const alert = page.getByRole("alert").filter({ hasText: "another version of Traceglass" });
      await alert.waitFor();
      assert.match(await alert.innerText(), /The traces could not be loaded: the engine's files .* are from another version of Traceglass than the page: reload the page/);
      assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
    });
  } finally {
    await stale.close();
  }
});

/** A Jaeger API document of one trace of `count` spans: a root and its children, a few tags each. */
function jaegerDocument(count) {
  const traceID = "5b8aa5a2d2c872e8321cf37308d69df2";
  const spans = [];
  for (let i = 1; i <= count; i++) {
    spans.push({
      traceID,
      spanID: i.toString(16).padStart(16, "0"),
      operationName: `GET /items/${i}`,
      references: i === 1 ? [] : [{ refType: "CHILD_OF", traceID, spanID: "0000000000000001" }],
      startTime: 1767225600000000 + i,
      duration: i === 1 ? 10000 : 1000,
      processID: "p1",
      tags: [
        { key: "http.url", type: "string", value: `https://shop.example.com/api/items/${i}?page=${i % 7}` },
        { key: "http.status_code", type: "int64", value: 200 },
      ],
      logs: [],
    });
  }
  return JSON.stringify({ data: [{ traceID, spans, processes: { p1: { serviceName: "shop", tags: [] } } }] });
}

/** Answers with `body` in pieces of 64 kB, announcing its length or not; past `pauseAt` bytes it
 * waits for `released` (so a test can look at the page while the body is half there). */
async function sendInPieces(response, body, { announce, pauseAt = Infinity, released = null }) {
  response.writeHead(200, { "Content-Type": "application/json", ...(announce ? { "Content-Length": body.length } : {}) });
  for (let at = 0; at < body.length; at += 65536) {
    if (at >= pauseAt && released) {
      await released;
      released = null;
    }
    response.write(body.subarray(at, at + 65536));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  response.end();
}

describe("a trace fetched by URL is read as it arrives", () => {
  const body = Buffer.from(jaegerDocument(4000));
  // The same spans, then text that is not JSON: found after the first spans were read.
  const broken = Buffer.concat([body.subarray(0, body.length - 10), Buffer.from("]} oops")]);
  const requests = { "broken.json": 0 };
  let release = () => {};
  let released = null;
  const pause = () => {
    released = new Promise((resolve) => (release = resolve));
  };
  let server;
  before(async () => {
    server = await serveStatic({
      root: DIST,
      routes: {
        "unsized.json": (request, response) => sendInPieces(response, body, { announce: false, pauseAt: 1_300_000, released }),
        "sized.json": (request, response) => sendInPieces(response, body, { announce: true, pauseAt: 1_300_000, released }),
        "broken.json": (request, response) => {
          requests["broken.json"] += 1;
          sendInPieces(response, broken, { announce: false });
        },
      },
    });
  });
  after(() => server?.close());

  for (const [name, announced] of [["unsized.json", false], ["sized.json", true]]) {
    test(`${name}: the progress bar counts what came ${announced ? "of its announced length" : "so far"}, then the trace opens`, () =>
      withPage(async (page) => {
        pause();
        await page.goto(`${server.url}?url=${name}`);
        const bar = page.getByRole("progressbar", { name: "Loading traces" });
        const pattern = announced ? /^Reading 1(\.\d+)? MB of 1\.\d+ MB$/ : /^Fetching, 1(\.\d+)? MB so far$/;
        await page.waitForFunction(
          (source) => new RegExp(source).test(document.querySelector('[role="progressbar"]')?.getAttribute("aria-valuetext") ?? ""),
          pattern.source,
        );
        const percent = await bar.getAttribute("aria-valuenow");
        if (announced) {
          assert.ok(Number(percent) > 40 && Number(percent) < 90, `aria-valuenow ${percent}`);
        } else {
          assert.equal(percent, null);
        }
        // Half the body is there and nothing is loaded yet; the rest comes.
        assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
        release();
        await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 4,000 spans" }).waitFor();
        const tree = page.getByRole("tree", { name: "Trace timeline" });
        await tree.getByRole("treeitem", { name: /^shop GET \/items\/1\b/ }).waitFor();
      }));
  }

  test("a body found broken after its first spans gets the importer's message", () =>
    withPage(async (page) => {
      await page.goto(`${server.url}?url=broken.json`);
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /^broken\.json: not valid JSON at line 1, column \d+: /);
      // Its first spans were read and dropped as they came: it was fetched again for the message.
      assert.equal(requests["broken.json"], 2);
      assert.equal(await page.getByRole("tree", { name: "Trace timeline" }).count(), 0);
    }));
});

describe("the checkout sample opened by URL", () => {
  test("shows the tree, collapses and expands, and the details of a span", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      const rows = tree.getByRole("treeitem");
      // The rows come a few tasks after the status.
      await rows.nth(8).waitFor();
      assert.equal(await rows.count(), 9);
      const root = tree.getByRole("treeitem", { name: /^api-gateway POST \/api\/checkout/ });
      assert.equal(await root.getAttribute("aria-level"), "1");
      assert.equal(await root.getAttribute("aria-expanded"), "true");

      const query = tree.getByRole("treeitem", { name: /^database INSERT payments/ });
      assert.equal(await query.getAttribute("aria-level"), "4");
      await query.click();
      assert.equal(await query.getAttribute("aria-selected"), "true");
      const details = page.getByRole("region", { name: "Span details" });
      const attributes = details.getByRole("table", { name: "Attributes" });
      const system = attributes.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "db.system" }) });
      assert.equal(await system.getByRole("cell").innerText(), "postgresql");

      await page.getByRole("button", { name: "Collapse all" }).click();
      await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length === 1);
      assert.equal(await root.getAttribute("aria-expanded"), "false");
      await page.getByRole("button", { name: "Expand all" }).click();
      await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length === 9);
    }));

  test("find counts matches, steps through them and can show only them", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem").first().waitFor();
      const find = page.getByRole("searchbox", { name: "Find in trace" });
      await find.fill("duration>1s");
      await page.getByText("4 matches").waitFor();
      await find.fill("db.system=postgres");
      await page.getByText("1 match", { exact: true }).waitFor();
      await page.getByRole("button", { name: "Next match" }).click();
      const query = tree.getByRole("treeitem", { name: /^database INSERT payments/ });
      assert.equal(await query.getAttribute("aria-selected"), "true");
      await page.getByRole("region", { name: "Span details" }).getByRole("heading", { name: "INSERT payments" }).waitFor();

      await find.fill("stripe");
      await page.getByText("2 matches").waitFor();
      await page.getByLabel("Show only matches").check();
      await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length === 4);
      const names = await tree.getByRole("treeitem").evaluateAll((rows) => rows.map((row) => row.getAttribute("aria-label")));
      assert.deepEqual(names.map((name) => name.split(",")[0]), [
        "api-gateway POST /api/checkout",
        "order POST /orders",
        "payment Charge",
        "payment POST https://api.stripe.example/v1/charges",
      ]);
      await page.getByLabel("Show only matches").uncheck();
      await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length === 9);
    }));

  test("the address reopens the same view: trace, span, collapsed spans and find", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem", { name: /^database INSERT payments/ }).click();
      await tree.getByRole("treeitem", { name: /^inventory ReserveItems/ }).waitFor();
      await tree.getByRole("treeitem", { name: /^auth VerifyToken/ }).click();
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("postgres");
      await page.waitForFunction(() => new URL(location.href).searchParams.get("span") === "a1b2c3d4e5f60002");
      const address = page.url();
      const params = new URL(address).searchParams;
      assert.equal(params.get("url"), "samples/checkout.json");
      assert.equal(params.get("trace"), "7be2a1c3d4e5f60718293a4b5c6d7e8f");
      assert.equal(params.get("find"), "postgres");

      await page.goto("about:blank");
      await page.goto(address);
      const selected = tree.getByRole("treeitem", { name: /^auth VerifyToken/ });
      await selected.waitFor();
      assert.equal(await selected.getAttribute("aria-selected"), "true");
      assert.equal(await page.getByRole("searchbox", { name: "Find in trace" }).inputValue(), "postgres");
      await page.getByText("1 match", { exact: true }).waitFor();

      await page.getByRole("button", { name: "Collapse all" }).click();
      await page.waitForFunction(() => new URL(location.href).searchParams.get("collapsed") === "all");
      await page.reload();
      await tree.getByRole("treeitem").first().waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[role="treeitem"]').length === 1);
    }));

  test("the keyboard collapses, expands, finds and shows its help", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      await page.getByRole("tree", { name: "Trace timeline" }).getByRole("treeitem").first().waitFor();
      const rowCount = (n) => page.waitForFunction((n) => document.querySelectorAll('[role="treeitem"]').length === n, n);
      await page.keyboard.press("]");
      await rowCount(1);
      await page.keyboard.press("[");
      await rowCount(9);
      await page.keyboard.press("p");
      await rowCount(7);
      await page.keyboard.press("o");
      await rowCount(9);
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      await page.keyboard.press("Escape");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor({ state: "detached" });
      await page.keyboard.press("/");
      const find = page.getByRole("searchbox", { name: "Find in trace" });
      assert.equal(await find.evaluate((element) => element === document.activeElement), true);
      await page.keyboard.type("VerifyToken");
      await page.keyboard.press("Escape");
      await page.keyboard.press("f");
      const auth = page.getByRole("treeitem", { name: /^auth VerifyToken/ });
      await page.waitForFunction(() => document.querySelector('[aria-selected="true"]')?.getAttribute("aria-label")?.startsWith("auth VerifyToken"));
      assert.equal(await auth.getAttribute("aria-selected"), "true");
    }));

  test("zoom with the keys and by dragging on the minimap, and reset it", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem").first().waitFor();
      const reset = page.getByRole("button", { name: "Reset zoom" });
      assert.equal(await reset.isDisabled(), true);
      const rootBar = tree.getByRole("treeitem", { name: /^api-gateway/ }).locator(".span-bar");
      const widthOf = async (bar) => bar.evaluate((element) => element.getBoundingClientRect().width);
      const whole = await widthOf(rootBar);

      await page.keyboard.press("ArrowUp");
      await page.waitForFunction(() => !document.querySelector("button[disabled]")?.textContent?.includes("Reset zoom"));
      assert.equal(await reset.isDisabled(), false);
      await reset.click();
      assert.equal(await reset.isDisabled(), true);

      // Drag over the last tenth of the trace: the notification span fills much more of the width.
      const notification = tree.getByRole("treeitem", { name: /^notification/ }).locator(".span-bar");
      const before = await widthOf(notification);
      const minimap = page.getByRole("img", { name: /Trace minimap/ });
      const box = await minimap.boundingBox();
      await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.995, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
      await page.waitForFunction(() => !document.querySelector(".timeline-toolbar button[disabled]"));
      const after = await widthOf(notification);
      assert.ok(after > before * 5, `the zoomed bar is wider: ${before} → ${after}`);
      // The root covers the window entirely, clipped to the track.
      assert.ok(Math.abs((await widthOf(rootBar)) - whole) < 2, "the root bar spans the track");

      // The minimap is drawn in the theme's accent colour, and drawn again when the theme changes.
      const accents = { light: [31, 111, 235], dark: [88, 166, 255] };
      const drawnIn = async (theme) => {
        for (let look = 0; look < 50; look++) {
          const colour = await minimap.locator("canvas").evaluate((canvas) => {
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
            for (let at = 0; at < pixels.length; at += 4) if (pixels[at + 3] > 80) return [...pixels.slice(at, at + 3)];
            return null;
          });
          if (colour && colour.every((channel, index) => Math.abs(channel - accents[theme][index]) <= 8)) return colour;
          await page.waitForTimeout(100);
        }
        assert.fail(`the minimap was not drawn in the ${theme} theme's accent`);
      };
      const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
      await drawnIn(theme);
      const other = theme === "dark" ? "light" : "dark";
      await page.getByRole("button", { name: `Switch to ${other} theme` }).click();
      await drawnIn(other);
    }));

  test("times switch to UTC and back, and the columns resize by dragging their edges", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem").first().waitFor();
      const utc = page.getByRole("button", { name: "UTC" });
      assert.equal(await utc.getAttribute("aria-pressed"), "false");
      await utc.click();
      await page.getByText("2026-11-24 10:00:00.000 UTC").waitFor();
      await page.reload();
      await page.getByText("2026-11-24 10:00:00.000 UTC").waitFor();
      await page.getByRole("button", { name: "UTC" }).click();
      assert.equal(await page.getByText(/ UTC$/).count(), 0);

      const label = tree.getByRole("treeitem").first().locator(".span-label");
      const before = (await label.boundingBox()).width;
      const handle = page.getByRole("separator", { name: "Resize the span name column" });
      const box = await handle.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 150, box.y + box.height / 2, { steps: 4 });
      await page.mouse.up();
      const after = (await label.boundingBox()).width;
      assert.ok(after > before + 100, `the name column widened: ${before} → ${after}`);

      const details = page.getByRole("region", { name: "Span details" });
      const panelBefore = (await details.boundingBox()).width;
      const panelHandle = page.getByRole("separator", { name: "Resize the details panel" });
      const panelBox = await panelHandle.boundingBox();
      await page.mouse.move(panelBox.x + 3, panelBox.y + 40);
      await page.mouse.down();
      await page.mouse.move(panelBox.x - 120, panelBox.y + 40, { steps: 4 });
      await page.mouse.up();
      const panelAfter = (await details.boundingBox()).width;
      assert.ok(panelAfter > panelBefore + 80, `the details panel widened: ${panelBefore} → ${panelAfter}`);
    }));

  test("opening a loaded trace again merges it, with a note, and never duplicates it", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
      const sample = readFileSync(new URL("../../public/samples/checkout.json", import.meta.url));
      await page.getByLabel("Open trace files").setInputFiles({ name: "again.json", mimeType: "application/json", buffer: sample });
      await page
        .getByRole("status")
        .filter({ hasText: "Loaded 0 traces, 0 spans; 1 trace was already loaded and the new spans were merged into it" })
        .waitFor();
      await page.getByRole("treeitem").nth(8).waitFor();
      assert.equal(await page.getByRole("treeitem").count(), 9);
    }));

  test("traces loaded before a load that adds to them keep their attributes, find and download (the engine keeps them)", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
      // The next load's engine is handed the loaded traces by the engine that kept them.
      await page.getByLabel("Open trace files").setInputFiles(new URL("../fixtures/edge/two-traces-one-file.json", import.meta.url).pathname);
      await page.getByRole("status").filter({ hasText: /^Loaded 2 traces, 2 spans/ }).waitFor();
      // The open trace stays open.
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem", { name: /^database INSERT payments/ }).click();
      const details = page.getByRole("region", { name: "Span details" });
      const system = details
        .getByRole("table", { name: "Attributes" })
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: "db.system" }) });
      assert.equal(await system.getByRole("cell").innerText(), "postgresql");
      assert.ok((await details.getByRole("table", { name: "Resource attributes" }).getByRole("row").count()) > 0);

      await page.getByRole("searchbox", { name: "Find in trace" }).fill("db.system=postgres");
      await page.getByText("1 match", { exact: true }).waitFor();
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("nothing-has-this");
      await page.getByText("0 matches").waitFor();

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download JSON" }).click(),
      ]);
      const saved = JSON.parse(readFileSync(await download.path(), "utf8"));
      const spans = saved.data[0].spans;
      assert.equal(spans.length, 9);
      const payments = spans.find((span) => span.operationName === "INSERT payments");
      assert.deepEqual(payments.tags.find((tag) => tag.key === "db.system"), { key: "db.system", type: "string", value: "postgresql" });
    }));

  test("when the engine that keeps the traces fails, what needs it says so and the next load still works", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json`);
      await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
      // Every engine worker of the page fails (the kept one and the spare).
      for (const worker of page.workers()) {
        await worker.evaluate("setTimeout(() => { throw new Error('engine crash for the test'); }, 0)");
      }
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem", { name: /^database INSERT payments/ }).click();
      const details = page.getByRole("region", { name: "Span details" });
      await details.getByText(/^Not available: the engine that keeps the loaded traces failed .*engine crash for the test/).first().waitFor();
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("payment");
      await page.getByText(/^Find failed: the engine that keeps the loaded traces failed/).waitFor();

      await page.getByLabel("Open trace files").setInputFiles(new URL("../fixtures/edge/two-traces-one-file.json", import.meta.url).pathname);
      await page.getByRole("status").filter({ hasText: /^Loaded 2 traces, 2 spans/ }).waitFor();
      await page.getByRole("alert").filter({ hasText: /The traces loaded before lost their attributes/ }).first().waitFor();
      // A new engine keeps the traces: find answers again, from what the page still had (the
      // operation's name; the attribute that also names stripe went with the failed engine).
      await page.getByRole("searchbox", { name: "Find in trace" }).fill("stripe");
      await page.getByText("1 match", { exact: true }).waitFor();
    }, /engine crash for the test/));

  test("dragging the bars pans, the zoom is in the address, and collapsing keeps the selection visible", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/checkout.json&zoom=0.25,0.5`);
      const tree = page.getByRole("tree", { name: "Trace timeline" });
      await tree.getByRole("treeitem").first().waitFor();
      assert.equal(await page.getByRole("button", { name: "Reset zoom" }).isDisabled(), false, "the address's zoom applies");
      const box = await tree.boundingBox();
      await page.mouse.move(box.x + box.width * 0.8, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + 60, { steps: 5 });
      await page.mouse.up();
      await page.waitForFunction(() => {
        const zoom = new URL(location.href).searchParams.get("zoom");
        return zoom && Number(zoom.split(",")[0]) > 0.26;
      });
      // The drag selected nothing; a click that comes without a pointer press after it (the
      // keyboard, assistive technology) selects as any click does.
      assert.equal(await page.locator('[role="treeitem"][aria-selected="true"]').count(), 0);
      const query = tree.getByRole("treeitem", { name: /^database INSERT payments/ });
      await query.dispatchEvent("click");
      await page.waitForFunction(() => document.querySelector('[aria-selected="true"]')?.getAttribute("aria-label")?.startsWith("database INSERT"));
      await query.click();
      await tree.getByRole("treeitem", { name: /^order POST \/orders/ }).getByRole("button", { name: "Collapse" }).click();
      const order = tree.getByRole("treeitem", { name: /^order POST \/orders/ });
      await page.waitForFunction(() => document.querySelector('[aria-selected="true"]')?.getAttribute("aria-label")?.startsWith("order POST"));
      assert.equal(await order.getAttribute("aria-selected"), "true");
    }));

  test("a URL that fails gets an alert with the URL and the status", () =>
    withPage(async (page) => {
      await page.goto(`${site.url}?url=samples/missing.json`);
      const alert = page.getByRole("alert");
      await alert.waitFor();
      assert.match(await alert.innerText(), /samples\/missing\.json: the server answered HTTP 404/);
    }, /Failed to load resource: the server responded with a status of 404/));
});
