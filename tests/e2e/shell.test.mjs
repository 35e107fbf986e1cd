// End to end: the built site (dist/) served on loopback under a strict CSP, opened in headless
// Chromium. The shell starts, shows the empty state, and the theme toggle works and is
// remembered, with no console error or warning and no CSP violation; a page whose module cannot
// be fetched says so and shows once it can; the same build works under a prefix.
import { after, before, describe, test } from "node:test";
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

async function themeOf(page) {
  return page.evaluate(() => document.documentElement.getAttribute("data-theme"));
}

async function backgroundOf(page) {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

for (const prefix of ["/", "/jaeger/"]) {
  describe(`the shell served under ${prefix}`, () => {
    let site;
    before(async () => {
      site = await serveStatic({ root: DIST, prefix });
    });
    after(async () => {
      await site?.close();
    });

    test("shows the product name and the empty state with no errors, the trace page drawn out of sight unseen", async () => {
      const { context, page, problems } = await openPage(browser, { colorScheme: "light" });
      // Nor warnings: the browser warns, for one, of attributes it ignores on preloads.
      const warnings = [];
      page.on("console", (message) => {
        if (message.type() === "warning") warnings.push(message.text());
      });
      try {
        await page.goto(site.url);
        await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
        assert.equal(await page.getByRole("banner").getByText("Traceglass").count(), 1);
        const formats = page.getByRole("list", { name: "Accepted formats" }).getByRole("listitem");
        assert.equal(await formats.count(), 3);
        assert.match(await formats.first().innerText(), /Jaeger JSON/);
        // The trace page is fetched and drawn once out of sight while the page waits: none of
        // it shows, and the address stays as it was.
        await page.waitForTimeout(1500);
        assert.equal(page.url(), site.url);
        assert.equal(await page.getByRole("tree").count(), 0);
        await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
        assert.deepEqual(problems(), []);
        assert.deepEqual(warnings, []);
      } finally {
        await context.close();
      }
    });

    test("a module that does not start is reported, not a blank page", async () => {
      const { context, page, problems } = await openPage(browser);
      try {
        // As a browser without WebAssembly SIMD would: the page's module does not compile.
        await page.route(/page-[0-9a-f]+\/traceglass_bg\.wasm$/, (route) =>
          route.fulfill({ status: 200, contentType: "application/wasm", body: Buffer.from("not a module") }),
        );
        await page.goto(site.url);
        const alert = page.getByRole("alert");
        await alert.waitFor();
        assert.match(await alert.innerText(), /^Traceglass could not start: .+ WebAssembly with SIMD/);
        assert.equal(await page.getByRole("heading", { name: "Drop trace files here" }).count(), 0);
        assert.ok(
          problems().some((problem) => /CompileError|WebAssembly/.test(problem)),
          `the failure is also in the console: ${problems()}`,
        );
      } finally {
        await context.close();
      }
    });

    test("a page whose module does not arrive says so, and shows once it can be fetched", async () => {
      const { context, page } = await openPage(browser);
      try {
        // The search page's module is fetched the first time it is shown (ADR 0019).
        let refuse = true;
        await page.route(/page-[0-9a-f]+\/split_search\.wasm$/, (route) =>
          refuse ? route.fulfill({ status: 503, body: "" }) : route.continue(),
        );
        await page.goto(site.url);
        await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
        await page.getByRole("button", { name: "Search" }).click();
        const alert = page.getByRole("alert").filter({ hasText: "could not be fetched" });
        await alert.waitFor();
        assert.match(await alert.innerText(), /^This part of Traceglass could not be fetched \(.+\): check the connection and try again\.$/);
        refuse = false;
        await page.getByRole("button", { name: "Traces" }).click();
        await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
        await page.getByRole("button", { name: "Search" }).click();
        await page.getByRole("button", { name: "Find traces" }).waitFor();
        assert.equal(await alert.count(), 0);
      } finally {
        await context.close();
      }
    });

    test("the theme toggle switches light and dark and is remembered", async () => {
      const { context, page, problems } = await openPage(browser, { colorScheme: "light" });
      try {
        await page.goto(site.url);
        const toDark = page.getByRole("button", { name: "Switch to dark theme" });
        await toDark.waitFor();
        assert.equal(await themeOf(page), "light");
        const lightBackground = await backgroundOf(page);

        await toDark.click();
        await page.getByRole("button", { name: "Switch to light theme" }).waitFor();
        assert.equal(await themeOf(page), "dark");
        const darkBackground = await backgroundOf(page);
        assert.notEqual(darkBackground, lightBackground);

        await page.reload();
        await page.getByRole("button", { name: "Switch to light theme" }).waitFor();
        assert.equal(await themeOf(page), "dark", "the chosen theme survives a reload");
        assert.equal(await backgroundOf(page), darkBackground);
        assert.deepEqual(problems(), []);
      } finally {
        await context.close();
      }
    });
  });
}

test("follows the system's dark colour scheme until the user chooses", async () => {
  const site = await serveStatic({ root: DIST });
  const { context, page, problems } = await openPage(browser, { colorScheme: "dark" });
  try {
    await page.goto(site.url);
    await page.getByRole("button", { name: "Switch to light theme" }).waitFor();
    assert.equal(await themeOf(page), "dark");
    assert.deepEqual(problems(), []);
  } finally {
    await context.close();
    await site.close();
  }
});

test("a CSP violation is caught by the test harness", async () => {
  // The check above is only worth something if a violation is seen: inject an inline script
  // into a page served under the same policy and expect a report.
  const site = await serveStatic({ root: DIST });
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(site.url);
    await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inlineRan = true";
      document.body.append(script);
    });
    await page.waitForFunction(() => true);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => window.__inlineRan ?? false), false);
    assert.ok(
      problems().some((problem) => problem.startsWith("CSP violation: script-src")),
      `expected a script-src violation, got ${JSON.stringify(problems())}`,
    );
  } finally {
    await context.close();
    await site.close();
  }
});

test("every face, size and weight the pages write in is laid out once as the page starts", async () => {
  // The browser resolves each font at a size the first time text needs it, slowly on some
  // systems: `.font-warm-up` (index.html, style/shell.css) has them resolved before a trace
  // opens. A face the pages use that is missing from it would make a trace's first layout long.
  const site = await serveStatic({ root: DIST });
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  const fontsOf = (selector) =>
    page.evaluate((selector) => {
      const fonts = {};
      for (const element of document.querySelectorAll(selector)) {
        const text = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
        if (!text || element.closest(".font-warm-up, head, noscript")) continue;
        const style = getComputedStyle(element);
        const font = `${style.fontFamily} ${style.fontSize} ${style.fontWeight} ${style.fontStyle}`;
        fonts[font] ??= element.outerHTML.slice(0, 100);
      }
      return fonts;
    }, selector);
  const used = {};
  const note = async (where) => {
    for (const [font, example] of Object.entries(await fontsOf("body *"))) used[font] ??= `${where}: ${example}`;
  };
  try {
    await page.goto(site.url);
    await page.getByRole("heading", { name: "Drop trace files here" }).waitFor();
    await note("the empty state");
    await page.goto(`${site.url}?url=samples/checkout.json`);
    await page.getByRole("treeitem", { name: /^api-gateway POST \/api\/checkout/ }).click();
    await page.getByRole("region", { name: "Span details" }).getByText("Attributes").first().waitFor();
    await note("the trace page with a span selected");
    await page.getByRole("button", { name: "Service graph" }).click();
    await page.locator(".graph-node").first().waitFor();
    await note("the service graph");
    assert.deepEqual(problems(), []);
    // (This static site has no Jaeger API behind it: the search page's ask for services fails.)
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("heading", { name: "Search traces" }).waitFor();
    await note("the search page");

    const warmUp = page.locator(".font-warm-up");
    assert.equal(await warmUp.getAttribute("hidden"), null, "the fonts are laid out once the page is up");
    assert.equal(await warmUp.getAttribute("aria-hidden"), "true");
    const laidOut = await page.evaluate(() =>
      [...document.querySelectorAll(".font-warm-up span")].map((span) => {
        const style = getComputedStyle(span);
        return `${style.fontFamily} ${style.fontSize} ${style.fontWeight} ${style.fontStyle}`;
      }),
    );
    assert.ok(Object.keys(used).length >= 8, `fonts seen: ${JSON.stringify(used)}`);
    const missing = Object.entries(used).filter(([font]) => !laidOut.includes(font));
    assert.deepEqual(missing, [], "each of these is missing from .font-warm-up");
  } finally {
    await context.close();
    await site.close();
  }
});
