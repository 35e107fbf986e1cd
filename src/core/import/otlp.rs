//! OTLP JSON (OpenTelemetry's `TracesData`): `resourceSpans → scopeSpans → spans`, also the old
//! `instrumentationLibrarySpans`/`instrumentationLibrary` names and Tempo's `batches`. Times are
//! nanoseconds; 64-bit integers may be strings or numbers; ids are hex (the OTLP/JSON rule) or
//! base64 (the proto3 JSON mapping, as some exporters write); `kind` and `status.code` are
//! numbers or enum names. Every `AnyValue` variant is kept with its type.
//!
//! The resource is shared by its spans (one resource row per resource and scope); the scope's
//! name and version are resource attributes `otel.scope.name` and `otel.scope.version`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;

use crate::core::import::context::ImportContext;
use crate::core::import::json::{parse_f64, LenientI64, NumberOrName, Text};
use crate::core::model::{
    AttrValue, LinkKind, RawSpan, ResourceIdx, RowRange, SpanFlags, SpanKind, StatusCode, StrIdx, TraceId, WarningKind,
};

/// `TracesData`: what a file, a line of a JSON Lines file, or `result` of Jaeger's v3 API holds.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TracesData<'a> {
    #[serde(borrow, default)]
    resource_spans: Option<Vec<ResourceSpans<'a>>>,
    /// Grafana Tempo's older name for `resourceSpans`.
    #[serde(borrow, default)]
    batches: Option<Vec<ResourceSpans<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceSpans<'a> {
    #[serde(borrow, default)]
    resource: Option<Resource<'a>>,
    #[serde(borrow, default)]
    scope_spans: Option<Vec<ScopeSpans<'a>>>,
    #[serde(borrow, default)]
    instrumentation_library_spans: Option<Vec<ScopeSpans<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Resource<'a> {
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
    #[serde(default)]
    dropped_attributes_count: Option<LenientI64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ScopeSpans<'a> {
    #[serde(borrow, default)]
    scope: Option<Scope<'a>>,
    #[serde(borrow, default)]
    instrumentation_library: Option<Scope<'a>>,
    #[serde(borrow, default)]
    spans: Option<Vec<Span<'a>>>,
}

#[derive(Debug, Deserialize)]
struct Scope<'a> {
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    version: Option<Text<'a>>,
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Span<'a> {
    #[serde(borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    span_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    parent_span_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    kind: Option<NumberOrName<'a>>,
    #[serde(default)]
    start_time_unix_nano: Option<LenientI64>,
    #[serde(default)]
    end_time_unix_nano: Option<LenientI64>,
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
    #[serde(default)]
    dropped_attributes_count: Option<LenientI64>,
    #[serde(borrow, default)]
    events: Option<Vec<Event<'a>>>,
    #[serde(default)]
    dropped_events_count: Option<LenientI64>,
    #[serde(borrow, default)]
    links: Option<Vec<Link<'a>>>,
    #[serde(default)]
    dropped_links_count: Option<LenientI64>,
    #[serde(borrow, default)]
    status: Option<Status<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event<'a> {
    #[serde(default)]
    time_unix_nano: Option<LenientI64>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Link<'a> {
    #[serde(borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    span_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    trace_state: Option<Text<'a>>,
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
struct Status<'a> {
    #[serde(borrow, default)]
    code: Option<NumberOrName<'a>>,
    #[serde(borrow, default)]
    message: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct KeyValue<'a> {
    #[serde(borrow, default)]
    key: Text<'a>,
    #[serde(borrow, default)]
    value: Option<AnyValue<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AnyValue<'a> {
    #[serde(borrow, default)]
    string_value: Option<Text<'a>>,
    #[serde(default)]
    bool_value: Option<bool>,
    #[serde(default)]
    int_value: Option<LenientI64>,
    #[serde(borrow, default)]
    double_value: Option<Text<'a>>,
    #[serde(borrow, default)]
    array_value: Option<ArrayValue<'a>>,
    #[serde(borrow, default)]
    kvlist_value: Option<KvListValue<'a>>,
    #[serde(borrow, default)]
    bytes_value: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
struct ArrayValue<'a> {
    #[serde(borrow, default)]
    values: Option<Vec<AnyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
struct KvListValue<'a> {
    #[serde(borrow, default)]
    values: Option<Vec<KeyValue<'a>>>,
}

/// Converts one `TracesData`.
pub(crate) fn convert(ctx: &mut ImportContext, data: &TracesData) {
    let groups = data.resource_spans.iter().chain(data.batches.iter()).flatten();
    for resource_spans in groups {
        let scope_groups = resource_spans.scope_spans.iter().chain(resource_spans.instrumentation_library_spans.iter());
        for scope_spans in scope_groups.flatten() {
            let spans = scope_spans.spans.as_deref().unwrap_or_default();
            if spans.is_empty() {
                continue;
            }
            let scope = scope_spans.scope.as_ref().or(scope_spans.instrumentation_library.as_ref());
            let resource = add_resource(ctx, resource_spans.resource.as_ref(), scope);
            let mut dropped_resource_attrs = resource_spans
                .resource
                .as_ref()
                .and_then(|resource| resource.dropped_attributes_count.as_ref())
                .and_then(LenientI64::value)
                .unwrap_or(0);
            for span in spans {
                let trace_id = convert_span(ctx, span, resource);
                if dropped_resource_attrs > 0 {
                    ctx.warn(
                        trace_id,
                        None,
                        WarningKind::SourceReported,
                        format!("The exporter dropped {dropped_resource_attrs} resource attributes."),
                    );
                    dropped_resource_attrs = 0;
                }
            }
        }
    }
}

fn add_resource(ctx: &mut ImportContext, resource: Option<&Resource>, scope: Option<&Scope>) -> ResourceIdx {
    let first = ctx.builder.attrs.len();
    let mut service: Option<StrIdx> = None;
    for attribute in resource.and_then(|resource| resource.attributes.as_deref()).unwrap_or_default() {
        let value = any_value(ctx, attribute.value.as_ref());
        // service.name is the resource's service, not repeated among its attributes.
        if attribute.key.as_str() == "service.name" {
            if let AttrValue::Str(name) = value {
                if !ctx.builder.strings.get(name).is_empty() {
                    service = Some(name);
                    continue;
                }
            }
        }
        ctx.builder.push_attr(attribute.key.as_str(), value);
    }
    if let Some(scope) = scope {
        if let Some(name) = scope.name.as_ref().filter(|name| !name.as_str().is_empty()) {
            let value = ctx.str_value(name.as_str());
            ctx.builder.push_attr("otel.scope.name", value);
        }
        if let Some(version) = scope.version.as_ref().filter(|version| !version.as_str().is_empty()) {
            let value = ctx.str_value(version.as_str());
            ctx.builder.push_attr("otel.scope.version", value);
        }
        for attribute in scope.attributes.as_deref().unwrap_or_default() {
            let value = any_value(ctx, attribute.value.as_ref());
            ctx.builder.push_attr(&format!("otel.scope.{}", attribute.key.as_str()), value);
        }
    }
    let attrs = ctx.builder.attr_rows_since(first);
    let service = service.unwrap_or_else(|| ctx.builder.intern("unknown_service"));
    ctx.builder.resources.push(service, attrs)
}

/// Converts one span; returns its trace id.
fn convert_span(ctx: &mut ImportContext, span: &Span, resource: ResourceIdx) -> TraceId {
    ctx.spans_read += 1;
    let trace_id = ctx.trace_id(span.trace_id.as_ref().map_or("", Text::as_str));
    let span_id = ctx.span_id(trace_id, span.span_id.as_ref().map_or("", Text::as_str));
    let parent_id = span
        .parent_span_id
        .as_ref()
        .map(Text::as_str)
        .filter(|text| !text.is_empty())
        .map(|text| ctx.span_id(trace_id, text))
        .filter(|id| !id.is_zero());

    let kind = match &span.kind {
        None => SpanKind::Unspecified,
        Some(NumberOrName::Number(number)) => SpanKind::from_otlp(*number).unwrap_or_else(|| {
            ctx.warn(
                trace_id,
                Some(span_id),
                WarningKind::RepairedValue,
                format!("Span {span_id} has the unknown kind {number}."),
            );
            SpanKind::Unspecified
        }),
        Some(NumberOrName::Name(name)) => SpanKind::parse(name).unwrap_or_else(|| {
            ctx.warn(
                trace_id,
                Some(span_id),
                WarningKind::RepairedValue,
                format!("Span {span_id} has the unknown kind \"{name}\"."),
            );
            SpanKind::Unspecified
        }),
        Some(NumberOrName::Other) => SpanKind::Unspecified,
    };
    let status = match span.status.as_ref().and_then(|status| status.code.as_ref()) {
        None | Some(NumberOrName::Other) => StatusCode::Unset,
        Some(NumberOrName::Number(number)) => StatusCode::from_otlp(*number).unwrap_or(StatusCode::Unset),
        Some(NumberOrName::Name(name)) => StatusCode::parse(name).unwrap_or(StatusCode::Unset),
    };
    let status_message = span
        .status
        .as_ref()
        .and_then(|status| status.message.as_ref())
        .map_or(StrIdx(0), |message| ctx.builder.intern(message.as_str()));

    let attrs = push_attributes(ctx, span.attributes.as_deref());

    let events_start = ctx.builder.events.len();
    for event in span.events.as_deref().unwrap_or_default() {
        let time_ns = event.time_unix_nano.as_ref().and_then(LenientI64::value).unwrap_or(0);
        let name = ctx.builder.intern(event.name.as_ref().map_or("", Text::as_str));
        let attrs = push_attributes(ctx, event.attributes.as_deref());
        ctx.builder.events.push(time_ns, name, attrs);
    }
    let events = RowRange::new(events_start, ctx.builder.events.len());

    let links_start = ctx.builder.links.len();
    for link in span.links.as_deref().unwrap_or_default() {
        let target_trace = ctx.trace_id(link.trace_id.as_ref().map_or("", Text::as_str));
        let target_span = ctx.span_id(trace_id, link.span_id.as_ref().map_or("", Text::as_str));
        let first = ctx.builder.attrs.len();
        if let Some(state) = link.trace_state.as_ref().filter(|state| !state.as_str().is_empty()) {
            let value = ctx.str_value(state.as_str());
            ctx.builder.push_attr("w3c.tracestate", value);
        }
        let mut kind = LinkKind::Link;
        for attribute in link.attributes.as_deref().unwrap_or_default() {
            // Jaeger's translator marks OpenTracing references this way.
            if attribute.key.as_str() == "opentracing.ref_type" {
                let text = attribute.value.as_ref().and_then(|value| value.string_value.as_ref());
                match text.map(Text::as_str) {
                    Some("child_of") => kind = LinkKind::ChildOf,
                    Some("follows_from") => kind = LinkKind::FollowsFrom,
                    _ => {}
                }
                if kind != LinkKind::Link {
                    continue;
                }
            }
            let value = any_value(ctx, attribute.value.as_ref());
            ctx.builder.push_attr(attribute.key.as_str(), value);
        }
        let attrs = ctx.builder.attr_rows_since(first);
        ctx.builder.links.push(target_trace, target_span, kind, attrs);
    }
    let links = RowRange::new(links_start, ctx.builder.links.len());

    for (what, count) in [
        ("attributes", &span.dropped_attributes_count),
        ("events", &span.dropped_events_count),
        ("links", &span.dropped_links_count),
    ] {
        if let Some(count) = count.as_ref().and_then(LenientI64::value).filter(|&count| count > 0) {
            ctx.warn(
                trace_id,
                Some(span_id),
                WarningKind::SourceReported,
                format!("The exporter dropped {count} {what} of span {span_id}."),
            );
        }
    }

    let start_ns = span.start_time_unix_nano.as_ref().and_then(LenientI64::value);
    let end_ns = span.end_time_unix_nano.as_ref().and_then(LenientI64::value);
    let duration_ns = match (start_ns, end_ns) {
        (Some(start), Some(end)) if end != 0 => Some(end.saturating_sub(start)),
        _ => None,
    };
    let mut flags = SpanFlags::default();
    if status == StatusCode::Error {
        flags.set(SpanFlags::ERROR);
    }
    let operation = ctx.builder.intern(span.name.as_ref().map_or("", Text::as_str));
    let service = ctx.builder.resources.service[resource.get()];
    ctx.builder.push_span(RawSpan {
        trace_id,
        span_id,
        parent_id,
        resource,
        service,
        operation,
        kind,
        status,
        status_message,
        start_ns,
        duration_ns,
        attrs,
        events,
        links,
        flags,
        caller: None,
    });
    trace_id
}

fn push_attributes(ctx: &mut ImportContext, attributes: Option<&[KeyValue]>) -> RowRange {
    let first = ctx.builder.attrs.len();
    for attribute in attributes.unwrap_or_default() {
        let value = any_value(ctx, attribute.value.as_ref());
        ctx.builder.push_attr(attribute.key.as_str(), value);
    }
    ctx.builder.attr_rows_since(first)
}

/// An `AnyValue` with its type. Nesting is bounded by the JSON parser's depth limit.
fn any_value(ctx: &mut ImportContext, value: Option<&AnyValue>) -> AttrValue {
    let Some(value) = value else {
        return ctx.str_value("");
    };
    if let Some(text) = &value.string_value {
        return ctx.str_value(text.as_str());
    }
    if let Some(flag) = value.bool_value {
        return AttrValue::Bool(flag);
    }
    if let Some(number) = &value.int_value {
        return match number {
            LenientI64::Value(number) => AttrValue::Int(*number),
            LenientI64::Invalid(text) => ctx.str_value(text),
        };
    }
    if let Some(text) = &value.double_value {
        return match parse_f64(text.as_str()) {
            Some(number) => AttrValue::Double(number),
            None => ctx.str_value(text.as_str()),
        };
    }
    if let Some(array) = &value.array_value {
        let items: Vec<AttrValue> =
            array.values.as_deref().unwrap_or_default().iter().map(|item| any_value(ctx, Some(item))).collect();
        return AttrValue::Array(items.into_boxed_slice());
    }
    if let Some(list) = &value.kvlist_value {
        let entries: Vec<(StrIdx, AttrValue)> = list
            .values
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|entry| (ctx.builder.intern(entry.key.as_str()), any_value(ctx, entry.value.as_ref())))
            .collect();
        return AttrValue::KvList(entries.into_boxed_slice());
    }
    if let Some(text) = &value.bytes_value {
        return match STANDARD.decode(text.as_str()) {
            Ok(bytes) => AttrValue::Bytes(bytes.into_boxed_slice()),
            Err(_) => ctx.str_value(text.as_str()),
        };
    }
    ctx.str_value("")
}
