//! `TraceSet` → OTLP JSON (`{"resourceSpans": [...]}`), ids in hex and 64-bit integers as
//! strings, as the OTLP/JSON encoding specifies.
//!
//! Spans are grouped by their resource row; the resource attributes `otel.scope.*` go back
//! into the scope. Jaeger's extra references become links with the attribute
//! `opentracing.ref_type` (`child_of` or `follows_from`), as Jaeger's own translator writes.

use serde_json::{json, Value};

use crate::core::export::values::otlp_any_value;
use crate::core::model::{AttrValue, LinkKind, ResourceIdx, RowRange, SpanIdx, TraceIdx, TraceSet};

/// Writes the traces `traces` (all when empty) of `set` as OTLP JSON.
pub fn to_otlp_json(set: &TraceSet, traces: &[TraceIdx]) -> String {
    let all: Vec<TraceIdx> = (0..set.trace_count()).map(|t| TraceIdx(t as u32)).collect();
    let chosen = if traces.is_empty() { &all[..] } else { traces };

    // Spans by resource, resources in order of first use.
    let mut order: Vec<ResourceIdx> = Vec::new();
    let mut groups: Vec<Vec<SpanIdx>> = Vec::new();
    for &trace in chosen {
        for span in set.trace_spans(trace) {
            let resource = set.spans.resource[span.get()];
            let slot = match order.iter().position(|&known| known == resource) {
                Some(slot) => slot,
                None => {
                    order.push(resource);
                    groups.push(Vec::new());
                    order.len() - 1
                }
            };
            groups[slot].push(span);
        }
    }
    let resource_spans: Vec<Value> =
        order.iter().zip(&groups).map(|(&resource, spans)| resource_json(set, resource, spans)).collect();
    json!({ "resourceSpans": resource_spans }).to_string()
}

fn resource_json(set: &TraceSet, resource: ResourceIdx, spans: &[SpanIdx]) -> Value {
    let mut attributes = Vec::new();
    let mut scope_name: Option<&str> = None;
    let mut scope_version: Option<&str> = None;
    let mut scope_attributes = Vec::new();
    let mut has_service_name = false;
    for (key, value) in set.attrs.rows(set.resources.attrs[resource.get()]) {
        let key = set.str(key);
        match (key, value) {
            ("otel.scope.name", AttrValue::Str(text)) => scope_name = Some(set.str(*text)),
            ("otel.scope.version", AttrValue::Str(text)) => scope_version = Some(set.str(*text)),
            _ => match key.strip_prefix("otel.scope.") {
                Some(scope_key) => scope_attributes.push(key_value(set, scope_key, value)),
                None => {
                    has_service_name |= key == "service.name";
                    attributes.push(key_value(set, key, value));
                }
            },
        }
    }
    let service = set.str(set.resources.service[resource.get()]);
    // The importer names a resource without service.name "unknown_service"; write it back
    // only when it was a real name.
    if !has_service_name && service != "unknown_service" {
        attributes.insert(0, json!({ "key": "service.name", "value": { "stringValue": service } }));
    }
    let mut scope = serde_json::Map::new();
    if let Some(name) = scope_name {
        scope.insert("name".to_owned(), Value::from(name));
    }
    if let Some(version) = scope_version {
        scope.insert("version".to_owned(), Value::from(version));
    }
    if !scope_attributes.is_empty() {
        scope.insert("attributes".to_owned(), Value::from(scope_attributes));
    }
    let spans: Vec<Value> = spans.iter().map(|&span| span_json(set, span)).collect();
    json!({
        "resource": { "attributes": attributes },
        "scopeSpans": [{ "scope": scope, "spans": spans }],
    })
}

fn key_value(set: &TraceSet, key: &str, value: &AttrValue) -> Value {
    json!({ "key": key, "value": otlp_any_value(set, value) })
}

fn attributes(set: &TraceSet, rows: RowRange) -> Vec<Value> {
    set.attrs.rows(rows).map(|(key, value)| key_value(set, set.str(key), value)).collect()
}

fn span_json(set: &TraceSet, span: SpanIdx) -> Value {
    let spans = &set.spans;
    let i = span.get();
    let trace_id = set.traces.trace_id[spans.trace[i].get()];
    let events: Vec<Value> = spans.events[i]
        .as_range()
        .map(|event| {
            json!({
                "timeUnixNano": set.events.time_ns[event].to_string(),
                "name": set.str(set.events.name[event]),
                "attributes": attributes(set, set.events.attrs[event]),
            })
        })
        .collect();
    let links: Vec<Value> = spans.links[i]
        .as_range()
        .map(|link| {
            let mut trace_state = String::new();
            let mut link_attributes = Vec::new();
            for (key, value) in set.attrs.rows(set.links.attrs[link]) {
                match (set.str(key), value) {
                    ("w3c.tracestate", AttrValue::Str(text)) => trace_state = set.str(*text).to_owned(),
                    (key, value) => link_attributes.push(key_value(set, key, value)),
                }
            }
            let ref_type = match set.links.kind[link] {
                LinkKind::Link => None,
                LinkKind::ChildOf => Some("child_of"),
                LinkKind::FollowsFrom => Some("follows_from"),
            };
            if let Some(ref_type) = ref_type {
                link_attributes.push(json!({ "key": "opentracing.ref_type", "value": { "stringValue": ref_type } }));
            }
            json!({
                "traceId": set.links.trace_id[link].to_hex(),
                "spanId": set.links.span_id[link].to_hex(),
                "traceState": trace_state,
                "attributes": link_attributes,
            })
        })
        .collect();
    let mut status = serde_json::Map::new();
    status.insert("code".to_owned(), Value::from(spans.status[i].to_otlp()));
    let message = set.str(spans.status_message[i]);
    if !message.is_empty() {
        status.insert("message".to_owned(), Value::from(message));
    }
    json!({
        "traceId": trace_id.to_hex(),
        "spanId": spans.span_id[i].to_hex(),
        "parentSpanId": spans.parent_id[i].map(|id| id.to_hex()).unwrap_or_default(),
        "name": set.str(spans.operation[i]),
        "kind": spans.kind[i].to_otlp(),
        "startTimeUnixNano": spans.start_ns[i].to_string(),
        "endTimeUnixNano": spans.end_ns(span).to_string(),
        "attributes": attributes(set, spans.attrs[i]),
        "events": events,
        "links": links,
        "status": status,
    })
}
