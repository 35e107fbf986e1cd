//! Jaeger JSON: the query API's `{"data": [trace...], "errors": ...}`, one trace
//! `{traceID, spans, processes}`, arrays of traces, and arrays of spans with an embedded
//! `process` (as the anonymizer writes). Times are microseconds.
//!
//! Typed from Jaeger's `model/json` (the UI model): tags are `{key, type, value}` with type
//! string, bool, int64 (also written as a string beyond 2^53), float64 or binary (base64);
//! `references` are CHILD_OF or FOLLOWS_FROM; older files have `parentSpanID`; lists may be
//! `null`. The parent is the first CHILD_OF reference within the same trace (else the first
//! FOLLOWS_FROM, as Jaeger UI does); every other reference becomes a link.

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::core::import::context::{ImportContext, StatusTags};
use crate::core::import::json::{LenientI64, Scalar, Text};
use crate::core::model::{
    AttrValue, LinkKind, RawSpan, ResourceIdx, RowRange, SpanFlags, SpanId, SpanKind, StrIdx, TraceId, WarningKind,
};
use crate::core::units::NS_PER_US;

/// One trace.
#[derive(Debug, Deserialize)]
pub(crate) struct Trace<'a> {
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    spans: Option<Vec<Span<'a>>>,
    #[serde(borrow, default)]
    processes: Option<FxHashMap<Text<'a>, Process<'a>>>,
    #[serde(borrow, default)]
    warnings: Option<Vec<Option<Text<'a>>>>,
}

/// One span.
#[derive(Debug, Deserialize)]
pub(crate) struct Span<'a> {
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(rename = "spanID", borrow, default)]
    span_id: Option<Text<'a>>,
    #[serde(rename = "parentSpanID", borrow, default)]
    parent_span_id: Option<Text<'a>>,
    #[serde(rename = "operationName", borrow, default)]
    operation_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    references: Option<Vec<Reference<'a>>>,
    #[serde(rename = "startTime", default)]
    start_time: Option<LenientI64>,
    #[serde(default)]
    duration: Option<LenientI64>,
    #[serde(borrow, default)]
    tags: Option<Vec<KeyValue<'a>>>,
    #[serde(borrow, default)]
    logs: Option<Vec<Log<'a>>>,
    #[serde(rename = "processID", borrow, default)]
    process_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    process: Option<Process<'a>>,
    #[serde(borrow, default)]
    warnings: Option<Vec<Option<Text<'a>>>>,
}

#[derive(Debug, Deserialize)]
struct Reference<'a> {
    #[serde(rename = "refType", borrow, default)]
    ref_type: Option<Text<'a>>,
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(rename = "spanID", borrow, default)]
    span_id: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
struct KeyValue<'a> {
    #[serde(borrow, default)]
    key: Text<'a>,
    #[serde(rename = "type", borrow, default)]
    value_type: Option<Text<'a>>,
    #[serde(borrow, default)]
    value: Scalar<'a>,
}

#[derive(Debug, Deserialize)]
struct Log<'a> {
    #[serde(default)]
    timestamp: Option<LenientI64>,
    #[serde(borrow, default)]
    fields: Option<Vec<KeyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Process<'a> {
    #[serde(rename = "serviceName", borrow, default)]
    service_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    tags: Option<Vec<KeyValue<'a>>>,
}

/// One entry of the API envelope's `errors`.
#[derive(Debug, Deserialize)]
pub(crate) struct ApiError<'a> {
    #[serde(default)]
    code: Scalar<'a>,
    #[serde(borrow, default)]
    msg: Option<Text<'a>>,
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Option<Text<'a>>,
}

/// Records the envelope's `errors` as notes of the file.
pub(crate) fn report_api_errors(ctx: &mut ImportContext, errors: &[ApiError]) {
    for error in errors {
        let mut note = String::from("The Jaeger query service reported an error");
        if let Some(code) = error.code.to_text() {
            note.push_str(&format!(" {code}"));
        }
        if let Some(trace) = &error.trace_id {
            note.push_str(&format!(" for trace {}", trace.as_str()));
        }
        if let Some(message) = &error.msg {
            note.push_str(&format!(": {}", message.as_str()));
        }
        ctx.notes.push(note);
    }
}

/// Converts traces.
pub(crate) fn convert_traces(ctx: &mut ImportContext, traces: &[Trace]) {
    for trace in traces {
        convert_trace(ctx, trace);
    }
}

/// Converts one trace with its process table.
pub(crate) fn convert_trace(ctx: &mut ImportContext, trace: &Trace) {
    let mut processes: FxHashMap<&str, ResourceIdx> = FxHashMap::default();
    if let Some(table) = &trace.processes {
        // Sorted by process id so that resource rows do not depend on hash order.
        let mut entries: Vec<(&Text, &Process)> = table.iter().collect();
        entries.sort_by(|a, b| a.0 .0.cmp(&b.0 .0));
        for (id, process) in entries {
            let resource = add_process(ctx, process);
            processes.insert(id.as_str(), resource);
        }
    }
    let fallback_trace = trace.trace_id.as_ref().map(|id| ctx.trace_id(id.as_str()));
    let spans = trace.spans.as_deref().unwrap_or_default();
    for span in spans {
        convert_span(ctx, span, fallback_trace, &processes);
    }
    if let (Some(trace_id), Some(warnings)) = (fallback_trace, &trace.warnings) {
        if !spans.is_empty() {
            for warning in warnings.iter().flatten() {
                ctx.warn(trace_id, None, WarningKind::SourceReported, format!("Jaeger reported: {}", warning.as_str()));
            }
        }
    }
}

/// Converts an array of spans that carry their own `process`.
pub(crate) fn convert_spans(ctx: &mut ImportContext, spans: &[Span]) {
    let processes = FxHashMap::default();
    for span in spans {
        convert_span(ctx, span, None, &processes);
    }
}

fn add_process(ctx: &mut ImportContext, process: &Process) -> ResourceIdx {
    let service = match process.service_name.as_ref().map(Text::as_str) {
        Some(name) if !name.is_empty() => ctx.builder.intern(name),
        _ => ctx.builder.intern("unknown"),
    };
    let first = ctx.builder.attrs.len();
    for tag in process.tags.as_deref().unwrap_or_default() {
        let value = tag_value(ctx, tag).0;
        ctx.builder.push_attr(tag.key.as_str(), value);
    }
    let attrs = ctx.builder.attr_rows_since(first);
    ctx.builder.resources.push(service, attrs)
}

fn convert_span(
    ctx: &mut ImportContext,
    span: &Span,
    trace_fallback: Option<TraceId>,
    processes: &FxHashMap<&str, ResourceIdx>,
) {
    ctx.spans_read += 1;
    let trace_id = match (&span.trace_id, trace_fallback) {
        (Some(id), _) if !id.as_str().is_empty() => ctx.trace_id(id.as_str()),
        (_, Some(id)) => id,
        _ => TraceId::default(),
    };
    let span_id = ctx.span_id(trace_id, span.span_id.as_ref().map(Text::as_str).unwrap_or(""));

    // Parent and links from references; legacy parentSpanID when there are none.
    let mut parent_id: Option<SpanId> = None;
    let references = span.references.as_deref().unwrap_or_default();
    let mut parent_ref: Option<usize> = None;
    for pass_kind in ["CHILD_OF", "FOLLOWS_FROM"] {
        if parent_ref.is_some() {
            break;
        }
        parent_ref = references.iter().position(|reference| {
            let kind = reference.ref_type.as_ref().map_or("CHILD_OF", Text::as_str);
            let same_trace = reference
                .trace_id
                .as_ref()
                .is_none_or(|id| id.as_str().is_empty() || ctx_trace_eq(id.as_str(), trace_id));
            kind.eq_ignore_ascii_case(pass_kind) && same_trace
        });
    }
    let links_start = ctx.builder.links.len();
    for (index, reference) in references.iter().enumerate() {
        let target_trace = match &reference.trace_id {
            Some(id) if !id.as_str().is_empty() => ctx.trace_id(id.as_str()),
            _ => trace_id,
        };
        let target_span = ctx.span_id(trace_id, reference.span_id.as_ref().map(Text::as_str).unwrap_or(""));
        let follows =
            reference.ref_type.as_ref().is_some_and(|kind| kind.as_str().eq_ignore_ascii_case("FOLLOWS_FROM"));
        if Some(index) == parent_ref {
            parent_id = Some(target_span);
            if !follows {
                continue;
            }
        }
        let kind = if follows { LinkKind::FollowsFrom } else { LinkKind::ChildOf };
        ctx.builder.links.push(target_trace, target_span, kind, RowRange::default());
    }
    let links = RowRange::new(links_start, ctx.builder.links.len());
    if parent_id.is_none() {
        if let Some(parent) = span.parent_span_id.as_ref().map(Text::as_str).filter(|text| !text.is_empty()) {
            let id = ctx.span_id(trace_id, parent);
            parent_id = (!id.is_zero()).then_some(id);
        }
    }

    // Tags: span.kind and the error tags become the kind and status.
    let mut kind = SpanKind::Unspecified;
    let mut status_tags = StatusTags::default();
    let attrs_start = ctx.builder.attrs.len();
    for tag in span.tags.as_deref().unwrap_or_default() {
        let key = tag.key.as_str();
        if key == "span.kind" {
            if let Some(parsed) = tag.value.to_text().as_deref().and_then(SpanKind::parse) {
                kind = parsed;
                continue;
            }
        }
        if status_tags.take(key, &tag.value) {
            continue;
        }
        let (value, repaired) = tag_value(ctx, tag);
        if let Some(note) = repaired {
            ctx.warn(trace_id, Some(span_id), WarningKind::RepairedValue, note);
        }
        ctx.builder.push_attr(key, value);
    }
    let attrs = ctx.builder.attr_rows_since(attrs_start);
    let (status, message) = status_tags.status();
    let status_message = message.map_or(StrIdx(0), |text| ctx.builder.intern(text));

    // Logs become events; the `event` field is the event's name.
    let events_start = ctx.builder.events.len();
    for log in span.logs.as_deref().unwrap_or_default() {
        let time_ns = log.timestamp.as_ref().and_then(LenientI64::value).unwrap_or(0).saturating_mul(NS_PER_US);
        let mut name = StrIdx(0);
        let first = ctx.builder.attrs.len();
        for field in log.fields.as_deref().unwrap_or_default() {
            if field.key.as_str() == "event" && name == StrIdx(0) {
                if let Scalar::Str(text) = &field.value {
                    name = ctx.builder.intern(text);
                    continue;
                }
            }
            let value = tag_value(ctx, field).0;
            ctx.builder.push_attr(field.key.as_str(), value);
        }
        let attrs = ctx.builder.attr_rows_since(first);
        ctx.builder.events.push(time_ns, name, attrs);
    }
    let events = RowRange::new(events_start, ctx.builder.events.len());

    let resource = match (&span.process, span.process_id.as_ref().and_then(|id| processes.get(id.as_str()))) {
        (_, Some(&resource)) => resource,
        (Some(process), None) => add_process(ctx, process),
        (None, None) => {
            let id = span.process_id.as_ref().map_or("", Text::as_str).to_owned();
            ctx.warn(
                trace_id,
                Some(span_id),
                WarningKind::RepairedValue,
                format!("Span {span_id} names process \"{id}\", which the trace does not list; its service is shown as \"unknown\"."),
            );
            let service = ctx.builder.intern("unknown");
            ctx.builder.resources.push(service, RowRange::default())
        }
    };
    let service = ctx.builder.resources.service[resource.get()];

    let start_ns = micros(ctx, trace_id, span_id, "start time", span.start_time.as_ref());
    let duration_ns = micros(ctx, trace_id, span_id, "duration", span.duration.as_ref());
    for warning in span.warnings.as_deref().unwrap_or_default().iter().flatten() {
        ctx.warn(
            trace_id,
            Some(span_id),
            WarningKind::SourceReported,
            format!("Jaeger reported: {}", warning.as_str()),
        );
    }
    let operation = ctx.builder.intern(span.operation_name.as_ref().map_or("", Text::as_str));
    let mut flags = SpanFlags::default();
    if status == crate::core::model::StatusCode::Error {
        flags.set(SpanFlags::ERROR);
    }
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
}

fn ctx_trace_eq(text: &str, trace_id: TraceId) -> bool {
    crate::core::import::ids::trace_id(text).0 == trace_id
}

/// A microsecond value as nanoseconds; an unreadable one is reported and treated as missing.
fn micros(
    ctx: &mut ImportContext,
    trace: TraceId,
    span: SpanId,
    what: &str,
    value: Option<&LenientI64>,
) -> Option<i64> {
    match value {
        None => None,
        Some(LenientI64::Value(us)) => Some(us.saturating_mul(NS_PER_US)),
        Some(LenientI64::Invalid(text)) => {
            ctx.warn(
                trace,
                Some(span),
                WarningKind::RepairedValue,
                format!("Span {span} has the {what} \"{text}\", which is not a number of microseconds."),
            );
            None
        }
    }
}

/// A tag's value by its declared type; a value that does not match its type is read as
/// well as possible and described in the returned note.
fn tag_value(ctx: &mut ImportContext, tag: &KeyValue) -> (AttrValue, Option<String>) {
    let declared = tag.value_type.as_ref().map(|kind| kind.as_str().to_ascii_lowercase());
    let key = tag.key.as_str();
    let mismatch = |what: &str| {
        Some(format!("The tag \"{key}\" is declared {what} but holds {}; it is kept as written.", describe(&tag.value)))
    };
    match declared.as_deref() {
        Some("string") | None => (ctx.scalar_value(&tag.value), None),
        Some("bool") => match (&tag.value, tag.value.as_bool()) {
            (Scalar::Bool(value), _) => (AttrValue::Bool(*value), None),
            (_, Some(value)) => (AttrValue::Bool(value), mismatch("bool")),
            _ => (ctx.scalar_value(&tag.value), mismatch("bool")),
        },
        Some("int64") => match tag.value.as_i64() {
            Some(value) => (AttrValue::Int(value), None),
            None => (ctx.scalar_value(&tag.value), mismatch("int64")),
        },
        Some("float64") => match tag.value.as_f64() {
            Some(value) => (AttrValue::Double(value), None),
            None => (ctx.scalar_value(&tag.value), mismatch("float64")),
        },
        Some("binary") => match &tag.value {
            Scalar::Str(text) => match STANDARD.decode(text.as_bytes()) {
                Ok(bytes) => (AttrValue::Bytes(bytes.into_boxed_slice()), None),
                Err(_) => (ctx.scalar_value(&tag.value), mismatch("binary (base64)")),
            },
            _ => (ctx.scalar_value(&tag.value), mismatch("binary (base64)")),
        },
        Some(_) => (ctx.scalar_value(&tag.value), None),
    }
}

fn describe(value: &Scalar) -> Cow<'static, str> {
    match value {
        Scalar::Null => "null".into(),
        Scalar::Bool(_) => "a boolean".into(),
        Scalar::Int(_) | Scalar::UInt(_) | Scalar::Float(_) => "a number".into(),
        Scalar::Str(text) => format!("the string \"{text}\"").into(),
        Scalar::Other => "an array or object".into(),
    }
}
