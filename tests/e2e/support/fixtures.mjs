// The real fixtures beside the repository (../shared/fixtures/real) and the importer's own
// counts for them (tests/snapshots/real/*.txt, checked by the native tests).
import { existsSync, readFileSync } from "node:fs";

export const REAL = new URL("../../../../shared/fixtures/real/", import.meta.url).pathname;
const SNAPSHOTS = new URL("../../snapshots/real/", import.meta.url).pathname;

/** Whether the real fixtures are present; under CI=true their absence is a failure. */
export function realFixturesPresent() {
  if (existsSync(REAL)) return true;
  if (process.env.CI === "true") throw new Error(`the real fixtures are missing at ${REAL} (required under CI=true)`);
  console.log(`skipping: the real fixtures are not at ${REAL}`);
  return false;
}

/** `{ traces, spans }` as the native importer counted them for fixture `name` (e.g. "openzipkin-zipkin/yelp.json"). */
export function importerCounts(name) {
  const text = readFileSync(`${SNAPSHOTS}${name.replace(/\.json$/, ".txt")}`, "utf8");
  const number = (key) => Number(text.match(new RegExp(`^${key}: (\\d+)$`, "m"))[1]);
  return { traces: number("traces"), spans: number("spans") };
}

/** "Loaded 1 trace, 40 spans" as the status line writes it. */
export function statusText({ traces, spans }) {
  const count = (n, one, many) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  return `Loaded ${count(traces, "trace", "traces")}, ${count(spans, "span", "spans")}`;
}
