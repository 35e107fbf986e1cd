// End to end: config.json read at start-up. Absent means defaults, silently; invalid is reported
// with role="alert" and the defaults are used; openOnStart opens traces when the address names
// none; pinned attribute prefixes come first in Span details.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { serveStatic } from "./support/static-server.mjs";
import { launchBrowser, openPage } from "./support/browser.mjs";

const DIST = new URL("../../dist/", import.meta.url).pathname;
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function open(overrides, path = "", expected = null) {
  const site = await serveStatic({ root: DIST, overrides });
  const { context, page, problems } = await openPage(browser);
  await page.goto(`${site.url}${path}`);
  return {
    page,
    close: async () => {
      assert.deepEqual(problems().filter((problem) => !expected?.test(problem)), []);
      await context.close();
      await site.close();
    },
  };
}

test("an invalid config.json is reported and the page still works", async () => {
  const { page, close } = await open({ "config.json": '{"theme": "purple"}' }, "?url=samples/checkout.json");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /^config\.json: unknown variant `purple`.*the defaults are used/);
  await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
  await close();
});

test("an absent config.json means the defaults, without a message", async () => {
  const { page, close } = await open({ "config.json": null }, "", /status of 404/);
  await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
  await page.waitForTimeout(200);
  assert.equal(await page.getByRole("alert").count(), 0);
  await close();
});

test("openOnStart opens traces and pinned prefixes lead the attributes", async () => {
  const config = JSON.stringify({
    openOnStart: ["samples/checkout.json"],
    inspector: { pinnedAttributePrefixes: ["business.", "user."] },
  });
  const { page, close } = await open({ "config.json": config });
  await page.getByRole("status").filter({ hasText: "Loaded 1 trace, 9 spans" }).waitFor();
  await page.getByRole("treeitem", { name: /^api-gateway POST \/api\/checkout/ }).click();
  const keys = await page
    .getByRole("region", { name: "Span details" })
    .getByRole("table", { name: "Attributes" })
    .getByRole("rowheader")
    .allInnerTexts();
  assert.deepEqual(keys.slice(0, 2), ["business.cart_value", "user.id"]);
  await close();
});
