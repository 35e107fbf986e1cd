// A Jaeger-query-compatible test server for the end-to-end tests, serving real traces from
// ../shared/fixtures/real (HotROD, the OpenTelemetry Demo, and a checkout with failing calls) in
// the shapes real Jaeger versions send. Each variant lives under its own path prefix:
//
//   /both/    Jaeger 2.x releases: API v1 and v3 (no trace-summaries)
//   /v3/      Jaeger after August 2026: API v3 with trace-summaries; of v1 only traces/{id}
//             and dependencies
//   /v1/      Jaeger 1.x: API v1 only; api/v3/... falls through to the UI's index.html
//   /slow/    as /both/, every answer 1.5 s late
//   /broken/  every API call fails with HTTP 500 and Jaeger's error envelope
//   /nocors/  as /both/, without CORS headers
//
// Trace times are moved to the recent past at start-up (each trace keeps its own shape), so
// searches over the last hour find them. Run on its own: `node tests/jaeger/server.mjs`.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";

const REAL = new URL("../../../shared/fixtures/real/", import.meta.url).pathname;
const FIXTURES = [
  "jaegertracing-jaeger/n_plus_one_full_concurrent.json",
  "jaegertracing-jaeger/error_timeout_masked.json",
  "jaegertracing-jaeger/sibling_errors.json",
];
const SLOW_MS = 1500;
const NS_PER_US = 1000n;

const KINDS = ["", "internal", "server", "client", "producer", "consumer"];
const KIND_NAMES = {
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

function kindNumber(kind) {
  return typeof kind === "number" ? kind : (KIND_NAMES[kind] ?? 0);
}

function isError(span) {
  const code = span.status?.code;
  return code === 2 || code === "STATUS_CODE_ERROR";
}

function attributeText(value) {
  if (!value) return "";
  if ("stringValue" in value) return value.stringValue;
  if ("intValue" in value) return String(value.intValue);
  if ("doubleValue" in value) return String(value.doubleValue);
  if ("boolValue" in value) return String(value.boolValue);
  return JSON.stringify(value);
}

/** Reads the fixtures into traces: `{ traceId, resources: [{ service, resource, scopes: [{ scope, spans }] }] }`. */
function loadTraces(now) {
  const traces = new Map();
  FIXTURES.forEach((name, index) => {
    const data = JSON.parse(readFileSync(REAL + name, "utf8"));
    const resourceSpans = data.resourceSpans ?? data.result?.resourceSpans ?? [];
    // Move the file's spans so that it starts (index + 1) × 7 minutes ago.
    let first = null;
    for (const rs of resourceSpans)
      for (const ss of rs.scopeSpans ?? [])
        for (const span of ss.spans ?? []) {
          const start = BigInt(span.startTimeUnixNano);
          if (first === null || start < first) first = start;
        }
    const target = BigInt(now - (index + 1) * 7 * 60 * 1000) * 1_000_000n;
    const shift = target - first;
    for (const rs of resourceSpans) {
      const service = attributeText(rs.resource?.attributes?.find((a) => a.key === "service.name")?.value);
      for (const ss of rs.scopeSpans ?? []) {
        for (const original of ss.spans ?? []) {
          const span = structuredClone(original);
          span.startTimeUnixNano = String(BigInt(span.startTimeUnixNano) + shift);
          span.endTimeUnixNano = String(BigInt(span.endTimeUnixNano) + shift);
          for (const event of span.events ?? []) event.timeUnixNano = String(BigInt(event.timeUnixNano) + shift);
          const id = span.traceId.toLowerCase();
          if (!traces.has(id)) traces.set(id, { traceId: id, spans: [] });
          traces.get(id).spans.push({ span, service, resource: rs.resource, scope: ss.scope });
        }
      }
    }
  });
  for (const trace of traces.values()) {
    const starts = trace.spans.map(({ span }) => BigInt(span.startTimeUnixNano));
    const ends = trace.spans.map(({ span }) => BigInt(span.endTimeUnixNano));
    trace.start = starts.reduce((a, b) => (b < a ? b : a));
    trace.end = ends.reduce((a, b) => (b > a ? b : a));
    const ids = new Set(trace.spans.map(({ span }) => span.spanId));
    trace.root = trace.spans.find(({ span }) => !span.parentSpanId || !ids.has(span.parentSpanId));
  }
  return [...traces.values()];
}

/** The trace as OTLP JSON (TracesData): one resourceSpans entry per resource. */
function toOtlp(traces) {
  const resourceSpans = [];
  for (const trace of traces) {
    const byResource = new Map();
    for (const entry of trace.spans) {
      if (!byResource.has(entry.resource)) byResource.set(entry.resource, []);
      byResource.get(entry.resource).push(entry);
    }
    for (const [resource, entries] of byResource) {
      resourceSpans.push({ resource, scopeSpans: [{ scope: entries[0].scope ?? {}, spans: entries.map((e) => e.span) }] });
    }
  }
  return { resourceSpans };
}

function jaegerTag(key, value) {
  if ("intValue" in value) return { key, type: "int64", value: Number(value.intValue) };
  if ("doubleValue" in value) return { key, type: "float64", value: value.doubleValue };
  if ("boolValue" in value) return { key, type: "bool", value: value.boolValue };
  return { key, type: "string", value: attributeText(value) };
}

/** The trace as Jaeger's UI model (what `api/traces` sends). */
function toJaeger(trace) {
  const processes = {};
  const processOf = new Map();
  const spans = trace.spans.map(({ span, service, resource }) => {
    if (!processOf.has(resource)) {
      const id = `p${processOf.size + 1}`;
      processOf.set(resource, id);
      processes[id] = {
        serviceName: service,
        tags: (resource?.attributes ?? []).filter((a) => a.key !== "service.name").map((a) => jaegerTag(a.key, a.value)),
      };
    }
    const tags = (span.attributes ?? []).map((a) => jaegerTag(a.key, a.value));
    const kind = KINDS[kindNumber(span.kind)];
    if (kind) tags.push({ key: "span.kind", type: "string", value: kind });
    if (isError(span)) tags.push({ key: "error", type: "bool", value: true });
    const start = BigInt(span.startTimeUnixNano);
    return {
      traceID: trace.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: span.parentSpanId ? [{ refType: "CHILD_OF", traceID: trace.traceId, spanID: span.parentSpanId }] : [],
      startTime: Number(start / NS_PER_US),
      duration: Number((BigInt(span.endTimeUnixNano) - start) / NS_PER_US),
      tags,
      logs: (span.events ?? []).map((event) => ({
        timestamp: Number(BigInt(event.timeUnixNano) / NS_PER_US),
        fields: [{ key: "event", type: "string", value: event.name }, ...(event.attributes ?? []).map((a) => jaegerTag(a.key, a.value))],
      })),
      processID: processOf.get(resource),
      warnings: null,
    };
  });
  return { traceID: trace.traceId, spans, processes, warnings: null };
}

function summary(trace) {
  const services = new Map();
  for (const { span, service } of trace.spans) {
    const entry = services.get(service) ?? { name: service, spanCount: 0, errorSpanCount: 0 };
    entry.spanCount += 1;
    if (isError(span)) entry.errorSpanCount += 1;
    services.set(service, entry);
  }
  return {
    traceId: trace.traceId,
    rootServiceName: trace.root?.service ?? "",
    rootOperationName: trace.root?.span.name ?? "",
    minStartTimeUnixNano: String(trace.start),
    maxEndTimeUnixNano: String(trace.end),
    spanCount: trace.spans.length,
    errorSpanCount: trace.spans.filter(({ span }) => isError(span)).length,
    orphanSpanCount: 0,
    services: [...services.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function parseGoDuration(text) {
  if (!text) return null;
  const units = { ns: 1n, us: 1000n, µs: 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
  let total = 0n;
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let match;
  let consumed = 0;
  while ((match = pattern.exec(text))) {
    total += BigInt(Math.round(Number(match[1]) * Number(units[match[2]])));
    consumed = pattern.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`time: invalid duration "${text}"`);
  return total;
}

/** Traces matching a search, newest first, as Jaeger's span-level matching does. */
function search(traces, { service, operation, tags, startNs, endNs, minNs, maxNs, limit }) {
  const matches = traces.filter((trace) => {
    if (trace.start < startNs || trace.start > endNs) return false;
    return trace.spans.some(({ span, service: spanService }) => {
      if (spanService !== service) return false;
      if (operation && span.name !== operation) return false;
      const duration = BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano);
      if (minNs !== null && duration < minNs) return false;
      if (maxNs !== null && duration > maxNs) return false;
      return Object.entries(tags).every(([key, value]) => {
        if (key === "error") return String(isError(span)) === value;
        return (span.attributes ?? []).some((a) => a.key === key && attributeText(a.value) === value);
      });
    });
  });
  matches.sort((a, b) => (b.start > a.start ? 1 : -1));
  return matches.slice(0, limit || 20);
}

function dependencies(traces) {
  const counts = new Map();
  for (const trace of traces) {
    const serviceOf = new Map(trace.spans.map(({ span, service }) => [span.spanId, service]));
    for (const { span, service } of trace.spans) {
      const parent = serviceOf.get(span.parentSpanId);
      if (!parent || parent === service) continue;
      const key = `${parent}\u0000${service}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts].map(([key, callCount]) => {
    const [parent, child] = key.split("\u0000");
    return { parent, child, callCount, source: "jaeger" };
  });
}

const envelope = (data, errors = null) => ({ data, total: Array.isArray(data) ? data.length : 0, limit: 0, offset: 0, errors });
const v1Error = (code, msg) => envelope(null, [{ code, msg }]);
const v3Error = (httpCode, message) => ({ error: { httpCode, message } });

/** Answers one API call of variant `variant`: `[status, body, contentType]`. */
function answer(variant, traces, path, query) {
  const v1Search = variant !== "v3";
  const v3 = variant !== "v1";
  const json = (status, body) => [status, JSON.stringify(body) + "\n", "application/json"];
  if (variant === "broken") {
    return path.startsWith("api/v3/")
      ? json(500, v3Error(500, "storage backend unavailable"))
      : json(500, v1Error(500, "storage backend unavailable"));
  }
  const services = [...new Set(traces.flatMap((trace) => trace.spans.map((entry) => entry.service)))].sort();
  const operationsOf = (service, spanKind) => {
    const seen = new Map();
    for (const trace of traces)
      for (const { span, service: s } of trace.spans)
        if (s === service && (!spanKind || KINDS[kindNumber(span.kind)] === spanKind))
          seen.set(span.name, { name: span.name, spanKind: KINDS[kindNumber(span.kind)] });
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  };
  let match;
  if (path.startsWith("api/v3/")) {
    if (!v3) return [200, "<!doctype html><html><head><title>Jaeger UI</title></head><body></body></html>", "text/html"];
    if (path === "api/v3/services") return json(200, { services });
    if (path === "api/v3/operations") return json(200, { operations: operationsOf(query.get("service"), query.get("span_kind")) });
    if (path === "api/v3/traces" || (path === "api/v3/trace-summaries" && variant === "v3")) {
      const min = query.get("query.start_time_min");
      const max = query.get("query.start_time_max");
      if (!min || !max) return json(400, v3Error(400, "query.start_time_min and query.start_time_max are required"));
      let minNs, maxNs;
      try {
        minNs = parseGoDuration(query.get("query.duration_min"));
        maxNs = parseGoDuration(query.get("query.duration_max"));
      } catch (error) {
        return json(400, v3Error(400, `malformed parameter query.duration_min: ${error.message}`));
      }
      const found = search(traces, {
        service: query.get("query.service_name"),
        operation: query.get("query.operation_name"),
        tags: JSON.parse(query.get("query.attributes") || "{}"),
        startNs: BigInt(Date.parse(min)) * 1_000_000n,
        endNs: BigInt(Date.parse(max)) * 1_000_000n + 999_999n,
        minNs,
        maxNs,
        limit: Number(query.get("query.search_depth") || 100),
      });
      if (path === "api/v3/trace-summaries") return json(200, { summaries: found.map(summary) });
      if (found.length === 0) return json(404, v3Error(404, "No traces found"));
      return json(200, { result: toOtlp(found) });
    }
    if ((match = path.match(/^api\/v3\/traces\/([0-9a-fA-F]+)$/))) {
      const trace = traces.find((t) => t.traceId === match[1].toLowerCase().padStart(32, "0"));
      return trace ? json(200, { result: toOtlp([trace]) }) : json(404, v3Error(404, "trace not found"));
    }
    return [404, "404 page not found\n", "text/plain"];
  }
  if ((match = path.match(/^api\/traces\/([0-9a-fA-F]+)$/))) {
    const trace = traces.find((t) => t.traceId === match[1].toLowerCase().padStart(32, "0"));
    return trace ? json(200, envelope([toJaeger(trace)])) : json(404, v1Error(404, "trace not found"));
  }
  if (path === "api/dependencies") {
    if (!query.get("endTs")) return json(400, v1Error(400, "unable to parse param 'endTs'"));
    return json(200, envelope(dependencies(traces)));
  }
  if (!v1Search) return [404, "404 page not found\n", "text/plain"];
  if (path === "api/services") return json(200, envelope(services));
  if ((match = path.match(/^api\/services\/([^/]+)\/operations$/))) {
    return json(200, envelope(operationsOf(decodeURIComponent(match[1])).map((op) => op.name)));
  }
  if (path === "api/operations") return json(200, envelope(operationsOf(query.get("service"), query.get("spanKind"))));
  if (path === "api/traces") {
    const service = query.get("service");
    if (!service) return json(400, v1Error(400, "parameter 'service' is required"));
    let minNs, maxNs;
    try {
      minNs = parseGoDuration(query.get("minDuration"));
      maxNs = parseGoDuration(query.get("maxDuration"));
    } catch (error) {
      return json(400, v1Error(400, `cannot parse minDuration: ${error.message}`));
    }
    const found = search(traces, {
      service,
      operation: query.get("operation"),
      tags: JSON.parse(query.get("tags") || "{}"),
      startNs: BigInt(query.get("start") || 0) * NS_PER_US,
      endNs: BigInt(query.get("end") || Date.now() * 1000) * NS_PER_US,
      minNs,
      maxNs,
      limit: Number(query.get("limit") || 20),
    });
    return json(200, envelope(found.map(toJaeger)));
  }
  return [404, "404 page not found\n", "text/plain"];
}

/**
 * Starts the server on 127.0.0.1 (a free port unless `port` is given). Returns
 * `{ origin, url(variant), requests, traces, close }`; `requests` records every path asked.
 */
export async function startJaegerServer({ port = 0 } = {}) {
  const traces = loadTraces(Date.now());
  const requests = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    requests.push(url.pathname + url.search);
    const [, variant, ...rest] = url.pathname.split("/");
    const path = rest.join("/");
    const cors = variant === "nocors" ? {} : { "Access-Control-Allow-Origin": request.headers.origin ?? "*", "Access-Control-Allow-Credentials": "true", Vary: "Origin" };
    if (!["both", "v1", "v3", "slow", "broken", "nocors"].includes(variant) || !path.startsWith("api/")) {
      response.writeHead(404, { "Content-Type": "text/plain", ...cors }).end("404 page not found\n");
      return;
    }
    if (variant === "slow") await new Promise((done) => setTimeout(done, SLOW_MS));
    const effective = variant === "slow" || variant === "nocors" ? "both" : variant;
    let status, body, type;
    try {
      [status, body, type] = answer(effective, traces, path, url.searchParams);
    } catch (error) {
      [status, body, type] = [500, JSON.stringify(v1Error(500, String(error))), "application/json"];
    }
    response.writeHead(status, { "Content-Type": type, ...cors });
    response.end(body);
  });
  await new Promise((done) => server.listen(port, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (variant) => `${origin}/${variant}`,
    requests,
    traces: traces.map(summary),
    close: () => new Promise((done) => server.close(done)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startJaegerServer({ port: Number(process.env.PORT || 16686) });
  console.log(`Jaeger test server: ${server.origin}/{both,v1,v3,slow,broken,nocors}/api/...`);
}
