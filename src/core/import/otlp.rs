//! OTLP JSON (OpenTelemetry's `TracesData`): `resourceSpans → scopeSpans → spans`, also the old
//! `instrumentationLibrarySpans`/`instrumentationLibrary` names and Tempo's `batches`. Times are
//! nanoseconds; 64-bit integers may be strings or numbers; ids are hex (the OTLP/JSON rule) or
//! base64 (the proto3 JSON mapping, as some exporters write); `kind` and `status.code` are
//! numbers or enum names. Every `AnyValue` variant is kept with its type.
//!
//! The resource is shared by its spans (one resource row per resource and scope); the scope's
//! name and version are resource attributes `otel.scope.name` and `otel.scope.version`.

mod quick;

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::core::import::context::ImportContext;
use crate::core::import::json::{parse_f64, LenientI64, NumberOrName, Text};
use crate::core::model::{
    AttrValue, LinkKind, RawSpan, ResourceIdx, RowRange, SpanFlags, SpanKind, StatusCode, StrIdx, WarningKind,
};

pub(crate) use quick::read_span;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Resource<'a> {
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
    #[serde(default)]
    dropped_attributes_count: Option<LenientI64>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Scope<'a> {
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    version: Option<Text<'a>>,
    #[serde(borrow, default)]
    attributes: Option<Vec<KeyValue<'a>>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Span<'a> {
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

/// Streams a `TracesData` object (`{"resourceSpans": [...]}` or Tempo's `batches`).
pub(crate) struct TracesDataSeed<'c, 'b> {
    pub(crate) ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for TracesDataSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TracesDataSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OTLP TracesData object")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.as_str() {
                "resourceSpans" | "batches" => map.next_value_seed(ResourceSpansListSeed { ctx: &mut *self.ctx })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Streams a list of `ResourceSpans`, converting spans as they are read.
pub(crate) struct ResourceSpansListSeed<'c, 'b> {
    pub(crate) ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for ResourceSpansListSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ResourceSpansListSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of OTLP ResourceSpans")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ResourceSpansSeed { ctx: &mut *self.ctx })?.is_some() {}
        Ok(())
    }
}

/// Spans pushed for one scope, waiting for their resource row: (scope, push positions).
pub(crate) type ScopeGroup<'de> = (Option<Scope<'de>>, std::ops::Range<usize>);

struct ResourceSpansSeed<'c, 'b> {
    ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for ResourceSpansSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResourceSpansSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OTLP ResourceSpans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut resource: Option<Resource<'de>> = None;
        let mut groups: Vec<ScopeGroup<'de>> = Vec::new();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.as_str() {
                "resource" => resource = map.next_value()?,
                "scopeSpans" | "instrumentationLibrarySpans" => {
                    map.next_value_seed(ScopeSpansListSeed { ctx: &mut *self.ctx, groups: &mut groups })?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        place_groups(self.ctx, resource.as_ref(), groups);
        Ok(())
    }
}

/// Gives the spans of each scope group of a `ResourceSpans` object their resource row, once the
/// whole object is read (the resource may come after its spans), and reports the resource
/// attributes the exporter dropped.
pub(crate) fn place_groups(ctx: &mut ImportContext, resource: Option<&Resource>, groups: Vec<ScopeGroup>) {
    let mut dropped = resource
        .and_then(|resource| resource.dropped_attributes_count.as_ref())
        .and_then(LenientI64::value)
        .unwrap_or(0);
    for (scope, spans) in groups {
        if spans.is_empty() {
            continue;
        }
        let row = add_resource(ctx, resource, scope.as_ref());
        ctx.builder.set_resource(spans.clone(), row);
        if dropped > 0 {
            let trace_id = ctx.builder.pushed_span_mut(spans.start).map(|span| span.trace_id).unwrap_or_default();
            ctx.warn(
                trace_id,
                None,
                WarningKind::SourceReported,
                format!("The exporter dropped {dropped} resource attributes."),
            );
            dropped = 0;
        }
    }
}

struct ScopeSpansListSeed<'c, 'b, 'g, 'de> {
    ctx: &'c mut ImportContext<'b>,
    groups: &'g mut Vec<ScopeGroup<'de>>,
}

impl<'de> DeserializeSeed<'de> for ScopeSpansListSeed<'_, '_, '_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScopeSpansListSeed<'_, '_, '_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of OTLP ScopeSpans")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let seed = ScopeSpansSeed { ctx: &mut *self.ctx };
            match seq.next_element_seed(seed)? {
                Some(group) => self.groups.push(group),
                None => return Ok(()),
            }
        }
    }
}

struct ScopeSpansSeed<'c, 'b> {
    ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for ScopeSpansSeed<'_, '_> {
    type Value = ScopeGroup<'de>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ScopeSpansSeed<'_, '_> {
    type Value = ScopeGroup<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an OTLP ScopeSpans object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut scope: Option<Scope<'de>> = None;
        let first = self.ctx.builder.pushed_span_count();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.as_str() {
                "scope" => scope = map.next_value()?,
                "instrumentationLibrary" => {
                    let library: Option<Scope<'de>> = map.next_value()?;
                    scope = scope.or(library);
                }
                "spans" => map.next_value_seed(SpansSeed { ctx: &mut *self.ctx })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((scope, first..self.ctx.builder.pushed_span_count()))
    }
}

struct SpansSeed<'c, 'b> {
    ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for SpansSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SpansSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of OTLP spans")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(span) = seq.next_element::<Span<'de>>()? {
            convert_span(self.ctx, &span);
        }
        Ok(())
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
        ctx.push_attr(attribute.key.as_str(), value);
    }
    if let Some(scope) = scope {
        if let Some(name) = scope.name.as_ref().filter(|name| !name.as_str().is_empty()) {
            let value = ctx.str_value(name.as_str());
            ctx.push_attr("otel.scope.name", value);
        }
        if let Some(version) = scope.version.as_ref().filter(|version| !version.as_str().is_empty()) {
            let value = ctx.str_value(version.as_str());
            ctx.push_attr("otel.scope.version", value);
        }
        for attribute in scope.attributes.as_deref().unwrap_or_default() {
            let value = any_value(ctx, attribute.value.as_ref());
            ctx.push_attr(&format!("otel.scope.{}", attribute.key.as_str()), value);
        }
    }
    let attrs = ctx.builder.attr_rows_since(first);
    let service = service.unwrap_or_else(|| ctx.builder.intern("unknown_service"));
    ctx.builder.resources.push(service, attrs)
}

/// Converts one span (its resource is set when the enclosing `ResourceSpans` ends).
pub(crate) fn convert_span(ctx: &mut ImportContext, span: &Span) {
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
            ctx.push_attr("w3c.tracestate", value);
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
            ctx.push_attr(attribute.key.as_str(), value);
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
    let (resource, service) = (ResourceIdx::default(), StrIdx::default());
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

fn push_attributes(ctx: &mut ImportContext, attributes: Option<&[KeyValue]>) -> RowRange {
    let first = ctx.builder.attrs.len();
    for attribute in attributes.unwrap_or_default() {
        let value = any_value(ctx, attribute.value.as_ref());
        ctx.push_attr(attribute.key.as_str(), value);
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
        return AttrValue::Array(Box::new(items));
    }
    if let Some(list) = &value.kvlist_value {
        let entries: Vec<(StrIdx, AttrValue)> = list
            .values
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|entry| (ctx.builder.intern(entry.key.as_str()), any_value(ctx, entry.value.as_ref())))
            .collect();
        return AttrValue::KvList(Box::new(entries));
    }
    if let Some(text) = &value.bytes_value {
        return match STANDARD.decode(text.as_str()) {
            Ok(bytes) => AttrValue::Bytes(Box::new(bytes)),
            Err(_) => ctx.str_value(text.as_str()),
        };
    }
    ctx.str_value("")
}
