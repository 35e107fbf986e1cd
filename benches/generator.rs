//! A deterministic generator of big traces for benchmarks: one trace of N spans over about 20
//! services, depth about 12, 5–10 attributes and 0–2 events per span, written as Jaeger JSON
//! (the query API's `{"data": [...]}`) or OTLP JSON. The same N gives the same bytes on every
//! machine (a fixed-seed SplitMix64, no clock).
#![allow(dead_code)]

use std::fmt::Write;

/// Services, as a mid-sized company names them.
const SERVICES: [&str; 20] = [
    "api-gateway",
    "auth",
    "user",
    "order",
    "inventory",
    "payment",
    "database",
    "notification",
    "search",
    "recommendation",
    "cart",
    "shipping",
    "pricing",
    "catalog",
    "review",
    "fraud",
    "ledger",
    "email",
    "cache",
    "analytics",
];
const OPERATIONS: [&str; 8] =
    ["GET /items", "POST /orders", "query", "publish", "consume", "render", "validate", "compute"];
const MAX_DEPTH: usize = 12;
const TRACE_START_US: i64 = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z

/// SplitMix64: small, fast, and the same everywhere.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One generated span.
pub struct GenSpan {
    /// Index of the parent span; `None` for the root.
    pub parent: Option<usize>,
    /// Distance from the root.
    pub depth: usize,
    /// Index into `SERVICES`.
    pub service: usize,
    /// Index into `OPERATIONS`.
    pub operation: usize,
    /// Start, µs since the epoch.
    pub start_us: i64,
    /// Duration, µs.
    pub duration_us: i64,
    /// How many attributes (5–10).
    pub attr_count: usize,
    /// How many events (0–2).
    pub event_count: usize,
    /// Whether the span failed.
    pub error: bool,
}

/// The spans of one trace of `count` spans (pre-order is not required).
pub fn spans(count: usize) -> Vec<GenSpan> {
    let mut random = Random(0x5eed_0000 + count as u64);
    let mut spans: Vec<GenSpan> = Vec::with_capacity(count);
    spans.push(GenSpan {
        parent: None,
        depth: 0,
        service: 0,
        operation: 0,
        start_us: TRACE_START_US,
        duration_us: 10_000_000,
        attr_count: 8,
        event_count: 1,
        error: false,
    });
    for _ in 1..count {
        // A parent among the recent spans that can still have children.
        let window = spans.len().min(64);
        let mut parent = spans.len() - 1 - random.below(window as u64) as usize;
        while spans[parent].depth >= MAX_DEPTH {
            parent = spans[parent].parent.unwrap_or(0);
        }
        let (parent_start, parent_duration, depth) =
            (spans[parent].start_us, spans[parent].duration_us, spans[parent].depth + 1);
        let offset = random.below((parent_duration / 2).max(1) as u64) as i64;
        let duration = 1 + random.below((parent_duration - offset).max(1) as u64) as i64;
        spans.push(GenSpan {
            parent: Some(parent),
            depth,
            service: random.below(SERVICES.len() as u64) as usize,
            operation: random.below(OPERATIONS.len() as u64) as usize,
            start_us: parent_start + offset,
            duration_us: duration,
            attr_count: 5 + random.below(6) as usize,
            event_count: random.below(3) as usize,
            error: random.below(50) == 0,
        });
    }
    spans
}

fn attribute(index: usize, span: usize) -> (&'static str, String) {
    match index {
        0 => ("http.method", "\"GET\"".to_owned()),
        1 => ("http.url", format!("\"https://shop.example.com/api/v1/items/{span}?page=2&size=50\"")),
        2 => ("http.status_code", format!("{}", 200 + (span % 3) * 100)),
        3 => ("net.peer.name", "\"10.0.3.17\"".to_owned()),
        4 => ("component", "\"grpc\"".to_owned()),
        5 => ("db.statement", format!("\"SELECT * FROM orders WHERE customer_id = {} LIMIT 20\"", span % 1000)),
        6 => ("retry", "false".to_owned()),
        7 => ("request.size", format!("{}", 1024 + span % 4096)),
        8 => ("user.id", format!("\"user-{}\"", span % 5000)),
        _ => ("region", "\"eu-west-1\"".to_owned()),
    }
}

/// Jaeger attribute type of `attribute(index, _)`.
fn jaeger_type(index: usize) -> &'static str {
    match index {
        2 | 7 => "int64",
        6 => "bool",
        _ => "string",
    }
}

/// The trace as Jaeger JSON.
pub fn jaeger_json(count: usize) -> String {
    let spans = spans(count);
    let mut out = String::with_capacity(count * 1000);
    out.push_str("{\"data\":[{\"traceID\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spans\":[");
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let references = match span.parent {
            Some(parent) => format!(
                "[{{\"refType\":\"CHILD_OF\",\"traceID\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanID\":\"{:016x}\"}}]",
                parent + 1
            ),
            None => "[]".to_owned(),
        };
        let _ = write!(
            out,
            "{{\"traceID\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanID\":\"{:016x}\",\"flags\":1,\"operationName\":\"{}\",\"references\":{},\"startTime\":{},\"duration\":{},\"tags\":[",
            i + 1,
            OPERATIONS[span.operation],
            references,
            span.start_us,
            span.duration_us
        );
        for a in 0..span.attr_count {
            let (key, value) = attribute(a, i);
            if a > 0 {
                out.push(',');
            }
            let _ = write!(out, "{{\"key\":\"{key}\",\"type\":\"{}\",\"value\":{value}}}", jaeger_type(a));
        }
        if span.error {
            out.push_str(",{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
        }
        out.push_str("],\"logs\":[");
        for e in 0..span.event_count {
            if e > 0 {
                out.push(',');
            }
            let _ = write!(
                out,
                "{{\"timestamp\":{},\"fields\":[{{\"key\":\"event\",\"type\":\"string\",\"value\":\"cache miss\"}},{{\"key\":\"level\",\"type\":\"string\",\"value\":\"info\"}}]}}",
                span.start_us + e as i64
            );
        }
        let _ = write!(out, "],\"processID\":\"p{}\",\"warnings\":null}}", span.service + 1);
    }
    out.push_str("],\"processes\":{");
    for (s, service) in SERVICES.iter().enumerate() {
        if s > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "\"p{}\":{{\"serviceName\":\"{service}\",\"tags\":[{{\"key\":\"hostname\",\"type\":\"string\",\"value\":\"{service}-7d9f\"}},{{\"key\":\"ip\",\"type\":\"string\",\"value\":\"10.0.0.{s}\"}}]}}",
            s + 1
        );
    }
    out.push_str("},\"warnings\":null}],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}");
    out.shrink_to_fit();
    out
}

fn otlp_value(index: usize, span: usize) -> String {
    let (_, value) = attribute(index, span);
    match jaeger_type(index) {
        "int64" => format!("{{\"intValue\":\"{value}\"}}"),
        "bool" => format!("{{\"boolValue\":{value}}}"),
        _ => format!("{{\"stringValue\":{value}}}"),
    }
}

/// The trace as OTLP JSON, spans grouped by service.
pub fn otlp_json(count: usize) -> String {
    let spans = spans(count);
    let mut out = String::with_capacity(count * 1000);
    out.push_str("{\"resourceSpans\":[");
    for (s, service) in SERVICES.iter().enumerate() {
        if s > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"resource\":{{\"attributes\":[{{\"key\":\"service.name\",\"value\":{{\"stringValue\":\"{service}\"}}}},{{\"key\":\"host.name\",\"value\":{{\"stringValue\":\"{service}-7d9f\"}}}}]}},\"scopeSpans\":[{{\"scope\":{{\"name\":\"bench\",\"version\":\"1.0\"}},\"spans\":["
        );
        let mut first = true;
        for (i, span) in spans.iter().enumerate().filter(|(_, span)| span.service == s) {
            if !first {
                out.push(',');
            }
            first = false;
            let parent = span.parent.map_or(String::new(), |parent| format!("{:016x}", parent + 1));
            let _ = write!(
                out,
                "{{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"{:016x}\",\"parentSpanId\":\"{parent}\",\"name\":\"{}\",\"kind\":{},\"startTimeUnixNano\":\"{}\",\"endTimeUnixNano\":\"{}\",\"attributes\":[",
                i + 1,
                OPERATIONS[span.operation],
                1 + i % 5,
                span.start_us * 1000,
                (span.start_us + span.duration_us) * 1000
            );
            for a in 0..span.attr_count {
                if a > 0 {
                    out.push(',');
                }
                let (key, _) = attribute(a, i);
                let _ = write!(out, "{{\"key\":\"{key}\",\"value\":{}}}", otlp_value(a, i));
            }
            out.push_str("],\"events\":[");
            for e in 0..span.event_count {
                if e > 0 {
                    out.push(',');
                }
                let _ = write!(
                    out,
                    "{{\"timeUnixNano\":\"{}\",\"name\":\"cache miss\",\"attributes\":[{{\"key\":\"level\",\"value\":{{\"stringValue\":\"info\"}}}}]}}",
                    (span.start_us + e as i64) * 1000
                );
            }
            let code = if span.error { 2 } else { 0 };
            let _ = write!(out, "],\"status\":{{\"code\":{code}}}}}");
        }
        out.push_str("]}]}");
    }
    out.push_str("]}");
    out.shrink_to_fit();
    out
}
