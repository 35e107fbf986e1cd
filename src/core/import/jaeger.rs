//! Jaeger JSON: the query API's `{"data": [trace...], "errors": ...}`, one trace
//! `{traceID, spans, processes}`, arrays of traces, and arrays of spans with an embedded
//! `process` (as the anonymizer writes). Times are microseconds.
//!
//! Typed from Jaeger's `model/json` (the UI model): tags are `{key, type, value}` with type
//! string, bool, int64 (also written as a string beyond 2^53), float64 or binary (base64);
//! `references` are CHILD_OF or FOLLOWS_FROM; older files have `parentSpanID`; lists may be
//! `null`. The parent is the first CHILD_OF reference within the same trace (else the first
//! FOLLOWS_FROM, as Jaeger UI does); every other reference becomes a link.

mod quick;

use std::borrow::Cow;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::fmt;

use rustc_hash::FxHashMap;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::core::import::context::{ImportContext, StatusTags};
use crate::core::import::json::{LenientI64, Scalar, Text};
use crate::core::model::{
    AttrValue, LinkKind, RawSpan, ResourceIdx, RowRange, SpanFlags, SpanId, SpanKind, StrIdx, TraceId, WarningKind,
};
use crate::core::units::NS_PER_US;

pub(crate) use quick::read_span;

/// One span.
#[derive(Debug, Deserialize)]
pub(crate) struct Span<'a> {
    #[serde(rename = "traceID", borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(rename = "spanID", borrow, default)]
    span_id: Option<Text<'a>>,
    /// Jaeger's internal (storage) model writes `spanId`; its presence without `spanID` means
    /// the file is that model, which is refused.
    #[serde(rename = "spanId", default)]
    internal_span_id: Option<IgnoredAny>,
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

/// The message of the error that refuses Jaeger's internal span model (see `import`).
pub(crate) const INTERNAL_MODEL: &str = "Jaeger internal span model";

/// What a trace object gives besides its spans, collected while its spans stream past.
#[derive(Default)]
pub(crate) struct TraceState<'de> {
    pub(crate) trace_id: Option<TraceId>,
    pub(crate) processes: Option<Processes<'de>>,
    pub(crate) warnings: Option<Warnings<'de>>,
    /// Pushed spans that name a process in the table: (push position, process id).
    pub(crate) pending: Vec<(usize, Text<'de>)>,
    /// Pushed spans that had no trace id of their own before `traceID` was read.
    pub(crate) without_trace: Vec<usize>,
}

/// A trace's `processes` table, by process id.
pub(crate) type Processes<'de> = FxHashMap<Text<'de>, Process<'de>>;

/// A trace's (or span's) `warnings`.
pub(crate) type Warnings<'de> = Vec<Option<Text<'de>>>;

impl<'de> TraceState<'de> {
    /// Handles one key of a trace object; false when the key is not a trace's.
    pub(crate) fn on_key<A: MapAccess<'de>>(
        &mut self,
        ctx: &mut ImportContext,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        match key {
            "traceID" => {
                let text: Option<Text<'de>> = map.next_value()?;
                self.trace_id = text.map(|text| ctx.trace_id(text.as_str()));
            }
            "spans" => map.next_value_seed(SpansSeed { ctx, state: self })?,
            "processes" => self.processes = map.next_value()?,
            "warnings" => self.warnings = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Resolves the spans' processes (the table usually comes after the spans) and records the
    /// trace's own warnings.
    pub(crate) fn finish(self, ctx: &mut ImportContext) {
        let TraceState { trace_id, processes, warnings, pending, without_trace } = self;
        if let Some(trace_id) = trace_id {
            for &position in &without_trace {
                if let Some(span) = ctx.builder.pushed_span_mut(position) {
                    span.trace_id = trace_id;
                }
            }
        }
        let mut resources: FxHashMap<&str, ResourceIdx> = FxHashMap::default();
        if let Some(table) = &processes {
            // Sorted by process id so that resource rows do not depend on hash order.
            let mut entries: Vec<(&Text, &Process)> = table.iter().collect();
            entries.sort_by(|a, b| a.0 .0.cmp(&b.0 .0));
            for (id, process) in entries {
                let resource = add_process(ctx, process);
                resources.insert(id.as_str(), resource);
            }
        }
        let mut unknown: Option<ResourceIdx> = None;
        for (position, process_id) in &pending {
            let resource = match resources.get(process_id.as_str()) {
                Some(&resource) => resource,
                None => {
                    let (span_trace, span_id) = ctx
                        .builder
                        .pushed_span_mut(*position)
                        .map(|span| (span.trace_id, span.span_id))
                        .unwrap_or_default();
                    ctx.warn(
                        span_trace,
                        Some(span_id),
                        WarningKind::RepairedValue,
                        format!(
                            "Span {span_id} names process \"{}\", which the trace does not list; its service is \
                             shown as \"unknown\".",
                            process_id.as_str()
                        ),
                    );
                    *unknown.get_or_insert_with(|| {
                        let service = ctx.builder.intern("unknown");
                        ctx.builder.resources.push(service, RowRange::default())
                    })
                }
            };
            ctx.builder.set_resource(*position..*position + 1, resource);
        }
        if let (Some(trace_id), Some(warnings)) = (trace_id, warnings) {
            if !pending.is_empty() || !without_trace.is_empty() {
                for warning in warnings.iter().flatten() {
                    ctx.warn(
                        trace_id,
                        None,
                        WarningKind::SourceReported,
                        format!("Jaeger reported: {}", warning.as_str()),
                    );
                }
            }
        }
    }
}

/// Streams one trace object `{traceID, spans, processes, warnings}`.
pub(crate) struct TraceSeed<'c, 'b> {
    pub(crate) ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for TraceSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TraceSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Jaeger trace object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut state = TraceState::default();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            if !state.on_key(self.ctx, key.as_str(), &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        state.finish(self.ctx);
        Ok(())
    }
}

/// Streams a list of traces (the API's `data`), or a single trace object, or `null`.
pub(crate) struct DataSeed<'c, 'b> {
    pub(crate) ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_, '_> {
    type Value = bool;
    /// Returns true when `data` was a list (the API envelope), false for a single trace.
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of Jaeger traces or one trace")
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(true)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element_seed(TraceSeed { ctx: &mut *self.ctx })?.is_some() {}
        Ok(true)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        TraceSeed { ctx: self.ctx }.visit_map(map)?;
        Ok(false)
    }
}

/// Streams a trace's spans, converting each as it is read.
struct SpansSeed<'c, 'b, 's, 'de> {
    ctx: &'c mut ImportContext<'b>,
    state: &'s mut TraceState<'de>,
}

impl<'de> DeserializeSeed<'de> for SpansSeed<'_, '_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SpansSeed<'_, '_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of Jaeger spans")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(span) = seq.next_element::<Span<'de>>()? {
            convert_one(self.ctx, self.state, span)?;
        }
        Ok(())
    }
}

fn convert_one<'de, E: de::Error>(
    ctx: &mut ImportContext,
    state: &mut TraceState<'de>,
    span: Span<'de>,
) -> Result<(), E> {
    if let Some(pending) = convert_listed(ctx, state.trace_id, &mut state.without_trace, span)? {
        state.pending.push(pending);
    }
    Ok(())
}

/// Converts one span of a trace's `spans`, whose trace id is `trace_id` as far as it has been
/// read; records the span in `without_trace` when it has no trace id yet. Returns the span's
/// position and the process id to resolve when the trace's `processes` are read.
pub(crate) fn convert_listed<'de, E: de::Error>(
    ctx: &mut ImportContext,
    trace_id: Option<TraceId>,
    without_trace: &mut Vec<usize>,
    span: Span<'de>,
) -> Result<Option<(usize, Text<'de>)>, E> {
    if span.span_id.is_none() && span.internal_span_id.is_some() {
        return Err(E::custom(INTERNAL_MODEL));
    }
    let position = ctx.builder.pushed_span_count();
    let own_trace = span.trace_id.as_ref().is_some_and(|id| !id.as_str().is_empty());
    if !own_trace && trace_id.is_none() {
        without_trace.push(position);
    }
    Ok(convert_span(ctx, &span, trace_id).map(|process_id| (position, process_id)))
}

/// Converts one span of an array of spans that carry their own `process`.
pub(crate) fn convert_lone_span<E: de::Error>(ctx: &mut ImportContext, span: Span) -> Result<(), E> {
    let mut state = TraceState::default();
    convert_one(ctx, &mut state, span)?;
    state.finish(ctx);
    Ok(())
}

fn add_process(ctx: &mut ImportContext, process: &Process) -> ResourceIdx {
    let service = match process.service_name.as_ref().map(Text::as_str) {
        Some(name) if !name.is_empty() => ctx.builder.intern(name),
        _ => ctx.builder.intern("unknown"),
    };
    let first = ctx.builder.attrs.len();
    for tag in process.tags.as_deref().unwrap_or_default() {
        let value = tag_value(ctx, tag).0;
        ctx.push_attr(tag.key.as_str(), value);
    }
    let attrs = ctx.builder.attr_rows_since(first);
    ctx.builder.resources.push(service, attrs)
}

/// Converts one span; returns the process id to resolve when the span does not embed its
/// process.
fn convert_span<'de>(ctx: &mut ImportContext, span: &Span<'de>, trace_fallback: Option<TraceId>) -> Option<Text<'de>> {
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
            // The same text as the span's own trace id needs no parsing.
            let same_trace = reference.trace_id.as_ref().is_none_or(|id| {
                id.as_str().is_empty() || Some(id) == span.trace_id.as_ref() || ctx_trace_eq(id.as_str(), trace_id)
            });
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
        ctx.push_attr(key, value);
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
            ctx.push_attr(field.key.as_str(), value);
        }
        let attrs = ctx.builder.attr_rows_since(first);
        ctx.builder.events.push(time_ns, name, attrs);
    }
    let events = RowRange::new(events_start, ctx.builder.events.len());

    let (resource, pending_process) = match &span.process {
        Some(process) => (add_process(ctx, process), None),
        None => (ResourceIdx::default(), Some(span.process_id.clone().unwrap_or_default())),
    };
    let service = ctx.builder.resources.service.get(resource.get()).copied().unwrap_or_default();

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
    pending_process
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
    let declared = tag.value_type.as_ref().map(Text::as_str);
    let key = tag.key.as_str();
    let mismatch = |what: &str| {
        Some(format!("The tag \"{key}\" is declared {what} but holds {}; it is kept as written.", describe(&tag.value)))
    };
    let is = |name: &str| declared.is_some_and(|declared| declared.eq_ignore_ascii_case(name));
    match declared {
        None => (ctx.scalar_value(&tag.value), None),
        Some(_) if is("string") => (ctx.scalar_value(&tag.value), None),
        Some(_) if is("bool") => match (&tag.value, tag.value.as_bool()) {
            (Scalar::Bool(value), _) => (AttrValue::Bool(*value), None),
            (_, Some(value)) => (AttrValue::Bool(value), mismatch("bool")),
            _ => (ctx.scalar_value(&tag.value), mismatch("bool")),
        },
        Some(_) if is("int64") => match tag.value.as_i64() {
            Some(value) => (AttrValue::Int(value), None),
            None => (ctx.scalar_value(&tag.value), mismatch("int64")),
        },
        Some(_) if is("float64") => match tag.value.as_f64() {
            Some(value) => (AttrValue::Double(value), None),
            None => (ctx.scalar_value(&tag.value), mismatch("float64")),
        },
        Some(_) if is("binary") => match &tag.value {
            Scalar::Str(text) => match STANDARD.decode(text.as_bytes()) {
                Ok(bytes) => (AttrValue::Bytes(Box::new(bytes)), None),
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
