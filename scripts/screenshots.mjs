// Takes the README's screenshots: the checkout sample in the light and the dark theme, with the
// payment database query selected. Serves dist/ on loopback; run after `make build`.
import { serveStatic } from "../tests/e2e/support/static-server.mjs";
import { launchBrowser, openPage } from "../tests/e2e/support/browser.mjs";

const dist = new URL("../dist/", import.meta.url).pathname;
const out = process.argv[2] ?? new URL("../docs/", import.meta.url).pathname;
const site = await serveStatic({ root: dist });
const browser = await launchBrowser();
try {
  for (const theme of ["light", "dark"]) {
    const { context, page, problems } = await openPage(browser, {
      colorScheme: theme,
      viewport: { width: 1400, height: 860 },
    });
    await page.goto(`${site.url}?url=samples/checkout.json`);
    await page.getByRole("treeitem", { name: /^database INSERT payments/ }).click();
    await page.getByRole("region", { name: "Span details" }).getByRole("heading", { name: "INSERT payments" }).waitFor();
    await page.screenshot({ path: `${out}/screenshot-${theme}.png` });
    if (problems().length) throw new Error(problems().join("\n"));
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
