// End to end: the viewer framed by a portal on another origin. `embed=1` and Jaeger UI's
// `uiTimeline…` parameters trim the page; an allowed portal loads a trace by message, selects a
// span, sets the theme and hears back (ready, loaded, span-selected, resize, error); a portal
// whose origin config.json does not list is neither obeyed nor told anything.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { serveStatic, STRICT_CSP } from "./support/static-server.mjs";
import { launchBrowser, openPage } from "./support/browser.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
const PORTAL = new URL("./support/portal/", import.meta.url).pathname;
const SAMPLE = new URL("../../public/samples/checkout.json", import.meta.url).pathname;
const PORTAL_CSP = "default-src 'self'; frame-src http://127.0.0.1:*";

let browser;
let portal;
let stranger;
let viewer;
before(async () => {
  browser = await launchBrowser();
  portal = await serveStatic({ root: PORTAL, csp: PORTAL_CSP });
  stranger = await serveStatic({ root: PORTAL, csp: PORTAL_CSP });
  const origin = (url) => new URL(url).origin;
  // The viewer may be framed by both; only the portal is listed in config.json.
  const csp = STRICT_CSP.replace(
    "frame-ancestors 'self'",
    `frame-ancestors 'self' ${origin(portal.url)} ${origin(stranger.url)}`,
  );
  const config = JSON.stringify({ embed: { allowedOrigins: [origin(portal.url)] } });
  viewer = await serveStatic({ root: DIST, csp, overrides: { "config.json": config } });
});
after(async () => {
  await browser?.close();
  await Promise.all([portal, stranger, viewer].map((site) => site?.close()));
});

/** Opens `site`'s portal page framing the viewer at `query`. */
async function openPortal(site, query) {
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${site.url}?viewer=${encodeURIComponent(viewer.url + query)}`);
  const frame = page.frameLocator('iframe[title="Trace viewer"]');
  const messages = () => page.evaluate(() => window.messages);
  // The first message of `type` that passes `test` (checked here: the portal's policy has no eval).
  const waitFor = async (type, test = () => true) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = (await messages()).find((message) => message.type === type && test(message));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} message; got ${JSON.stringify(await messages())}`);
      await new Promise((done) => setTimeout(done, 50));
    }
  };
  const send = (message) => page.evaluate((message) => window.send(message), message);
  return { context, page, frame, messages, waitFor, send, problems };
}

test("an allowed portal drives the embedded viewer and hears what happens", async () => {
  const portalPage = await openPortal(portal, "?embed=1&uiTimelineHideMinimap=1&uiTimelineCollapseTitle=1");
  const { frame, waitFor, send } = portalPage;
  await waitFor("traceglass:ready");
  // Embedded: no application header.
  await frame.getByRole("heading", { name: "Drop trace files here" }).waitFor();
  assert.equal(await frame.locator("header.app-header").count(), 0);

  const text = await readFile(SAMPLE, "utf8");
  await send({ type: "traceglass:load", name: "checkout.json", data: JSON.parse(text) });
  const loaded = await waitFor("traceglass:loaded");
  assert.deepEqual(loaded, { type: "traceglass:loaded", traces: 1, spans: 9 });
  await frame.getByRole("treeitem", { name: /^api-gateway POST \/api\/checkout/ }).waitFor();
  // uiTimelineHideMinimap and uiTimelineCollapseTitle: no minimap; the summary folded away.
  assert.equal(await frame.locator(".minimap").count(), 0);
  assert.equal(await frame.locator(".trace-facts").count(), 0);
  await frame.getByRole("button", { name: "Show summary" }).click();
  await frame.locator(".trace-facts").getByText("Services").waitFor();

  // A span selected by message is selected, shown and told back; so is one the user clicks.
  await send({ type: "traceglass:select-span", traceId: "7be2a1c3d4e5f60718293a4b5c6d7e8f", spanId: "a1b2c3d4e5f60007" });
  const selected = await waitFor("traceglass:span-selected", (m) => m.spanId === "a1b2c3d4e5f60007");
  assert.equal(selected.traceId, "7be2a1c3d4e5f60718293a4b5c6d7e8f");
  await frame.getByRole("region", { name: "Span details" }).getByText("INSERT payments").first().waitFor();
  await frame.getByRole("treeitem", { name: /^notification SendConfirmation/ }).click();
  await waitFor("traceglass:span-selected", (m) => m.spanId === "a1b2c3d4e5f60009");

  await send({ type: "traceglass:set-theme", theme: "dark" });
  await frame.locator("html[data-theme=dark]").waitFor({ state: "attached" });

  const resize = await waitFor("traceglass:resize");
  assert.ok(resize.height > 0, `height ${resize.height}`);

  // What the viewer cannot do is said, to the portal and on the page.
  await send({ type: "traceglass:select-span", traceId: "7be2a1c3d4e5f60718293a4b5c6d7e8f", spanId: "ffffffffffffffff" });
  const error = await waitFor("traceglass:error", (m) => /no span ffffffffffffffff/.test(m.message));
  assert.match(error.message, /Trace 7be2a1c3d4e5f60718293a4b5c6d7e8f has no span ffffffffffffffff/);
  await send({ type: "traceglass:reticulate" });
  await waitFor("traceglass:error", (m) => /unknown message type traceglass:reticulate/.test(m.message));
  await frame.getByRole("alert").filter({ hasText: "unknown message type traceglass:reticulate" }).waitFor();
  assert.deepEqual(portalPage.problems(), []);
  await portalPage.context.close();
});

test("Jaeger UI's uiEmbed=v0 and uiTheme are honoured", async () => {
  const { context, frame, waitFor, send } = await openPortal(portal, "?uiEmbed=v0&uiTheme=dark");
  await waitFor("traceglass:ready");
  await frame.locator("html[data-theme=dark]").waitFor({ state: "attached" });
  assert.equal(await frame.locator("header.app-header").count(), 0);
  await send({ type: "traceglass:load-url", url: "samples/checkout.json" });
  await waitFor("traceglass:loaded", (m) => m.spans === 9);
  // The minimap stays unless asked away.
  await frame.locator(".minimap").waitFor();
  await context.close();
});

test("a portal whose origin is not allowed is neither obeyed nor told anything", async () => {
  const { context, frame, messages, send } = await openPortal(stranger, "?embed=1");
  await frame.getByRole("heading", { name: "Drop trace files here" }).waitFor();
  const text = await readFile(SAMPLE, "utf8");
  await send({ type: "traceglass:load", name: "checkout.json", data: text });
  await send({ type: "traceglass:set-theme", theme: "dark" });
  await new Promise((done) => setTimeout(done, 1500));
  assert.deepEqual(await messages(), []);
  assert.equal(await frame.getByRole("treeitem").count(), 0);
  assert.equal(await frame.getByRole("heading", { name: "Drop trace files here" }).count(), 1);
  assert.equal(await frame.locator("html[data-theme=dark]").count(), 0);
  await context.close();
});
