// Headless Chromium for end-to-end tests, driven by playwright-core (see docs/adr/0001).
// Each page records console errors, uncaught exceptions and Content-Security-Policy violations,
// so a test can assert that none happened.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** Launches Debian's Chromium headless, with no network beyond loopback. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

/**
 * Opens a page in a fresh context and starts recording problems. `problems()` returns every
 * console error, page error and CSP violation seen so far, as text.
 */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await context.exposeBinding("__reportCspViolation", (_source, text) => {
    problems.push(`CSP violation: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });
  return { context, page, problems: () => [...problems] };
}

/**
 * Runs `run(page, context)` on a fresh page (its context opened with `contextOptions`; a
 * 1280 × 900 viewport unless told) and closes it after. Any console error, page error or CSP
 * violation fails the test, except those matching `expected` (a failure the test provokes).
 */
export async function withPage(browser, run, { expected = null, contextOptions = { viewport: { width: 1280, height: 900 } } } = {}) {
  const { context, page, problems } = await openPage(browser, contextOptions);
  try {
    const result = await run(page, context);
    assert.deepEqual(problems().filter((problem) => !expected?.test(problem)), []);
    return result;
  } finally {
    await context.close();
  }
}
