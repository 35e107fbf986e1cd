//! `TraceSet` → Jaeger JSON, the query API's `{"data": [trace...]}`.
//!
//! The parent becomes the first `CHILD_OF` reference and links the others (`FOLLOWS_FROM`
//! for OTLP links and follows-from references); the kind becomes the `span.kind` tag and the
//! status the `error` and `otel.status_*` tags; event names become the log field `event`.
//! Times are written in microseconds (Jaeger's unit), so sub-microsecond parts are lost.

use serde_json::{json, Map, Value};

use crate::core::export::values::jaeger_tag;
use crate::core::model::{LinkKind, ResourceIdx, SpanIdx, StatusCode, TraceIdx, TraceSet, WarningKind};
use crate::core::units::NS_PER_US;

/// The prefix the Jaeger importer puts before warnings Jaeger itself reported.
const REPORTED_PREFIX: &str = "Jaeger reported: ";

/// Writes the traces `traces` (all when empty) of `set` as Jaeger JSON.
pub fn to_jaeger_json(set: &TraceSet, traces: &[TraceIdx]) -> String {
    let all: Vec<TraceIdx> = (0..set.trace_count()).map(|t| TraceIdx(t as u32)).collect();
    let chosen = if traces.is_empty() { &all[..] } else { traces };
    let data: Vec<Value> = chosen.iter().map(|&trace| trace_json(set, trace)).collect();
    json!({ "data": data, "total": 0, "limit": 0, "offset": 0, "errors": null }).to_string()
}

fn trace_json(set: &TraceSet, trace: TraceIdx) -> Value {
    let mut process_ids: Vec<ResourceIdx> = Vec::new();
    let mut spans = Vec::with_capacity(set.traces.spans[trace.get()].len());
    for span in set.trace_spans(trace) {
        let resource = set.spans.resource[span.get()];
        let position = match process_ids.iter().position(|&known| known == resource) {
            Some(position) => position,
            None => {
                process_ids.push(resource);
                process_ids.len() - 1
            }
        };
        spans.push(span_json(set, trace, span, &format!("p{}", position + 1)));
    }
    let mut processes = Map::new();
    for (position, resource) in process_ids.iter().enumerate() {
        let attrs = set.resources.attrs[resource.get()];
        let tags: Vec<Value> = set.attrs.rows(attrs).map(|(key, value)| jaeger_tag(set, set.str(key), value)).collect();
        processes.insert(
            format!("p{}", position + 1),
            json!({ "serviceName": set.str(set.resources.service[resource.get()]), "tags": tags }),
        );
    }
    let reported: Vec<&str> = set
        .trace_warnings(trace)
        .iter()
        .filter(|warning| warning.kind == WarningKind::SourceReported && warning.span_id.is_none())
        .filter_map(|warning| warning.message.strip_prefix(REPORTED_PREFIX))
        .collect();
    json!({
        "traceID": set.traces.trace_id[trace.get()].to_short_hex(),
        "spans": spans,
        "processes": processes,
        "warnings": if reported.is_empty() { Value::Null } else { json!(reported) },
    })
}

fn span_json(set: &TraceSet, trace: TraceIdx, span: SpanIdx, process_id: &str) -> Value {
    let spans = &set.spans;
    let i = span.get();
    let trace_hex = set.traces.trace_id[trace.get()].to_short_hex();

    let mut references = Vec::new();
    if let Some(parent_id) = spans.parent_id[i] {
        references.push(json!({ "refType": "CHILD_OF", "traceID": trace_hex, "spanID": parent_id.to_hex() }));
    }
    for link in spans.links[i].as_range() {
        let kind = match set.links.kind[link] {
            LinkKind::ChildOf => "CHILD_OF",
            LinkKind::FollowsFrom | LinkKind::Link => "FOLLOWS_FROM",
        };
        references.push(json!({
            "refType": kind,
            "traceID": set.links.trace_id[link].to_short_hex(),
            "spanID": set.links.span_id[link].to_hex(),
        }));
    }

    let mut tags: Vec<Value> =
        set.attrs.rows(spans.attrs[i]).map(|(key, value)| jaeger_tag(set, set.str(key), value)).collect();
    if let Some(kind) = spans.kind[i].as_tag() {
        tags.push(json!({ "key": "span.kind", "type": "string", "value": kind }));
    }
    match spans.status[i] {
        StatusCode::Error => tags.push(json!({ "key": "error", "type": "bool", "value": true })),
        StatusCode::Ok => tags.push(json!({ "key": "otel.status_code", "type": "string", "value": "OK" })),
        StatusCode::Unset => {}
    }
    let message = set.str(spans.status_message[i]);
    if !message.is_empty() {
        tags.push(json!({ "key": "otel.status_description", "type": "string", "value": message }));
    }

    let logs: Vec<Value> = spans.events[i]
        .as_range()
        .map(|event| {
            let mut fields = Vec::new();
            let name = set.str(set.events.name[event]);
            if !name.is_empty() {
                fields.push(json!({ "key": "event", "type": "string", "value": name }));
            }
            fields.extend(
                set.attrs.rows(set.events.attrs[event]).map(|(key, value)| jaeger_tag(set, set.str(key), value)),
            );
            json!({ "timestamp": set.events.time_ns[event] / NS_PER_US, "fields": fields })
        })
        .collect();

    let reported: Vec<&str> = set
        .trace_warnings(trace)
        .iter()
        .filter(|warning| warning.kind == WarningKind::SourceReported && warning.span == Some(span))
        .filter_map(|warning| warning.message.strip_prefix(REPORTED_PREFIX))
        .collect();

    json!({
        "traceID": trace_hex,
        "spanID": spans.span_id[i].to_hex(),
        "operationName": set.str(spans.operation[i]),
        "references": references,
        "startTime": spans.start_ns[i] / NS_PER_US,
        "duration": spans.duration_ns[i] / NS_PER_US,
        "tags": tags,
        "logs": logs,
        "processID": process_id,
        "warnings": if reported.is_empty() { Value::Null } else { json!(reported) },
    })
}
