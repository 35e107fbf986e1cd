//! Zipkin v2 JSON: an array of spans (or an array of such arrays, one per trace). Times are
//! microseconds. The service is `localEndpoint.serviceName`, else `remoteEndpoint`'s, else
//! the endpoint of a v1-style annotation, else `unknown`. Annotations become events, tags
//! attributes; an `error` tag (or `otel.status_code=ERROR`) is the error status.
//!
//! Records that share one span id are merged (see `docs/formats.md`): bare fragments (no kind,
//! timestamp or duration) are folded into the full record; a CLIENT and a SERVER half become
//! one span, the server half's timing and service with the client half kept as the caller's
//! view. Further records with the same id stay separate spans (and the builder reports them).

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::core::import::context::{ImportContext, StatusTags};
use crate::core::import::json::{Entries, LenientI64, Scalar, Text};
use crate::core::model::tables::CallerView;
use crate::core::model::{
    AttrValue, RawSpan, ResourceIdx, RowRange, SpanFlags, SpanId, SpanKind, StrIdx, TraceId, WarningKind,
};
use crate::core::units::NS_PER_US;

/// One Zipkin v2 span record.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Span<'a> {
    #[serde(borrow, default)]
    trace_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    id: Option<Text<'a>>,
    #[serde(borrow, default)]
    parent_id: Option<Text<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    kind: Option<Text<'a>>,
    #[serde(default)]
    timestamp: Option<LenientI64>,
    #[serde(default)]
    duration: Option<LenientI64>,
    #[serde(borrow, default)]
    local_endpoint: Option<Endpoint<'a>>,
    #[serde(borrow, default)]
    remote_endpoint: Option<Endpoint<'a>>,
    #[serde(borrow, default)]
    annotations: Option<Vec<Annotation<'a>>>,
    #[serde(borrow, default)]
    tags: Option<Entries<'a, Scalar<'a>>>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Endpoint<'a> {
    #[serde(borrow, default)]
    service_name: Option<Text<'a>>,
    #[serde(borrow, default)]
    ipv4: Option<Text<'a>>,
    #[serde(borrow, default)]
    ipv6: Option<Text<'a>>,
    #[serde(default)]
    port: Option<LenientI64>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
struct Annotation<'a> {
    #[serde(default)]
    timestamp: Option<LenientI64>,
    #[serde(borrow, default)]
    value: Option<Text<'a>>,
    #[serde(borrow, default)]
    endpoint: Option<Endpoint<'a>>,
}

impl Span<'_> {
    fn kind(&self) -> SpanKind {
        self.kind.as_ref().and_then(|kind| SpanKind::parse(kind.as_str())).unwrap_or_default()
    }

    /// A bare fragment: only ids, name and endpoint, nothing about timing or role.
    fn is_fragment(&self) -> bool {
        self.kind.is_none() && self.timestamp.is_none() && self.duration.is_none()
    }

    fn start_us(&self) -> Option<i64> {
        self.timestamp.as_ref().and_then(LenientI64::value)
    }
}

/// Converts spans; `spans` may mix traces.
pub(crate) fn convert(ctx: &mut ImportContext, spans: &[Span]) {
    // Group records by (trace id, span id), groups in order of first appearance.
    let mut group_of: FxHashMap<(TraceId, SpanId), usize> = FxHashMap::default();
    let mut groups: Vec<(TraceId, SpanId, Vec<usize>)> = Vec::new();
    for (index, span) in spans.iter().enumerate() {
        ctx.spans_read += 1;
        let trace_id = ctx.trace_id(span.trace_id.as_ref().map_or("", Text::as_str));
        let span_id = ctx.span_id(trace_id, span.id.as_ref().map_or("", Text::as_str));
        let slot = *group_of.entry((trace_id, span_id)).or_insert_with(|| {
            groups.push((trace_id, span_id, Vec::new()));
            groups.len() - 1
        });
        groups[slot].2.push(index);
    }
    let mut endpoints: FxHashMap<(StrIdx, String), ResourceIdx> = FxHashMap::default();
    for (trace_id, span_id, members) in groups {
        for merged in merge_group(spans, &members) {
            push_span(ctx, &mut endpoints, trace_id, span_id, &merged);
        }
    }
}

/// A span after merging: the record to show and, for a shared span, its client half.
struct Merged<'s, 'a> {
    main: Span<'a>,
    client: Option<&'s Span<'a>>,
    fragments_merged: usize,
}

fn merge_group<'s, 'a>(spans: &'s [Span<'a>], members: &[usize]) -> Vec<Merged<'s, 'a>> {
    let records: Vec<&Span> = members.iter().map(|&index| &spans[index]).collect();
    let (mut fragments, mut full): (Vec<&Span>, Vec<&Span>) = records.iter().partition(|span| span.is_fragment());
    if full.is_empty() && !fragments.is_empty() {
        // Only fragments: the first stands for the span.
        full.push(fragments.remove(0));
    }
    full.sort_by_key(|span| span.start_us().unwrap_or(i64::MAX));
    let client_at = full.iter().position(|span| span.kind() == SpanKind::Client);
    let server_at = full.iter().position(|span| span.kind() == SpanKind::Server);
    let mut out: Vec<Merged> = Vec::new();
    let mut used = vec![false; full.len()];
    if let (Some(client_at), Some(server_at)) = (client_at, server_at) {
        let client = full[client_at];
        let mut main = full[server_at].clone();
        fill_missing(&mut main, client);
        if main.parent_id.is_none() {
            main.parent_id = client.parent_id.clone();
        }
        used[client_at] = true;
        used[server_at] = true;
        out.push(Merged { main, client: Some(client), fragments_merged: 0 });
    }
    for (index, span) in full.iter().enumerate() {
        if !used[index] {
            out.push(Merged { main: (*span).clone(), client: None, fragments_merged: 0 });
        }
    }
    if let Some(first) = out.first_mut() {
        for fragment in &fragments {
            fill_missing(&mut first.main, fragment);
            first.fragments_merged += 1;
        }
    }
    out
}

/// Copies into `main` what it lacks and `other` has: name, endpoints, parent, tags and
/// annotations it does not already carry.
fn fill_missing<'a>(main: &mut Span<'a>, other: &Span<'a>) {
    if main.name.as_ref().is_none_or(|name| name.as_str().is_empty()) {
        main.name = other.name.clone();
    }
    if main.local_endpoint.is_none() {
        main.local_endpoint = other.local_endpoint.clone();
    }
    if main.remote_endpoint.is_none() {
        main.remote_endpoint = other.remote_endpoint.clone();
    }
    if main.parent_id.is_none() {
        main.parent_id = other.parent_id.clone();
    }
    if let Some(other_tags) = &other.tags {
        let tags = main.tags.get_or_insert_with(Entries::default);
        for (key, value) in &other_tags.0 {
            if !tags.0.iter().any(|(existing, _)| existing == key) {
                tags.0.push((key.clone(), value.clone()));
            }
        }
    }
    if let Some(other_annotations) = &other.annotations {
        let annotations = main.annotations.get_or_insert_with(Vec::new);
        for annotation in other_annotations {
            if !annotations.contains(annotation) {
                annotations.push(annotation.clone());
            }
        }
    }
}

fn push_span(
    ctx: &mut ImportContext,
    endpoints: &mut FxHashMap<(StrIdx, String), ResourceIdx>,
    trace_id: TraceId,
    span_id: SpanId,
    merged: &Merged,
) {
    let span = &merged.main;
    let parent_id = span
        .parent_id
        .as_ref()
        .map(Text::as_str)
        .filter(|text| !text.is_empty())
        .map(|text| ctx.span_id(trace_id, text))
        .filter(|id| !id.is_zero());
    let service_name = service_of(span);
    let resource = endpoint_resource(ctx, endpoints, service_name, span.local_endpoint.as_ref());
    let service = ctx.builder.resources.service[resource.get()];

    let mut status_tags = StatusTags::default();
    let mut error_message: Option<String> = None;
    let attrs_start = ctx.builder.attrs.len();
    for (key, value) in span.tags.as_ref().map(|tags| tags.0.as_slice()).unwrap_or_default() {
        if key == "error" {
            // Zipkin: an `error` tag marks a failure; its value is the message.
            status_tags.error_tag = true;
            let text = value.to_text().map(|text| text.into_owned()).unwrap_or_default();
            if !text.is_empty() && !text.eq_ignore_ascii_case("true") {
                error_message = Some(text);
            }
            continue;
        }
        if status_tags.take(key, value) {
            continue;
        }
        let value = ctx.scalar_value(value);
        ctx.push_attr(key, value);
    }
    if let Some(remote) = &span.remote_endpoint {
        if let Some(name) = remote.service_name.as_ref().filter(|name| !name.as_str().is_empty()) {
            let value = ctx.str_value(name.as_str());
            ctx.push_attr("peer.service", value);
        }
        if let Some(ip) = remote.ipv4.as_ref().or(remote.ipv6.as_ref()) {
            let value = ctx.str_value(ip.as_str());
            ctx.push_attr("net.peer.ip", value);
        }
        if let Some(port) = remote.port.as_ref().and_then(LenientI64::value) {
            ctx.push_attr("net.peer.port", AttrValue::Int(port));
        }
    }
    let attrs = ctx.builder.attr_rows_since(attrs_start);
    let (status, description) = status_tags.status();
    let message = error_message.as_deref().or(description);
    let status_message = message.map_or(StrIdx(0), |text| ctx.builder.intern(text));

    let events_start = ctx.builder.events.len();
    for annotation in span.annotations.as_deref().unwrap_or_default() {
        let time_ns = annotation.timestamp.as_ref().and_then(LenientI64::value).unwrap_or(0).saturating_mul(NS_PER_US);
        let name = ctx.builder.intern(annotation.value.as_ref().map_or("", Text::as_str));
        ctx.builder.events.push(time_ns, name, RowRange::default());
    }
    let events = RowRange::new(events_start, ctx.builder.events.len());

    let start_ns = span.start_us().map(|us| us.saturating_mul(NS_PER_US));
    let duration_ns = span.duration.as_ref().and_then(LenientI64::value).map(|us| us.saturating_mul(NS_PER_US));
    let mut flags = SpanFlags::default();
    if status == crate::core::model::StatusCode::Error {
        flags.set(SpanFlags::ERROR);
    }
    let caller = merged.client.map(|client| {
        flags.set(SpanFlags::MERGED_CLIENT_HALF);
        let client_service = service_of(client);
        Box::new(CallerView {
            service: ctx.builder.intern(client_service),
            start_ns: client.start_us().map_or(0, |us| us.saturating_mul(NS_PER_US)),
            duration_ns: client
                .duration
                .as_ref()
                .and_then(LenientI64::value)
                .map_or(0, |us| us.saturating_mul(NS_PER_US)),
        })
    });
    if merged.fragments_merged > 0 {
        ctx.warn(
            trace_id,
            Some(span_id),
            WarningKind::DuplicateRecord,
            format!(
                "{} partial records of span {span_id} (no kind or timing) were merged into it.",
                merged.fragments_merged
            ),
        );
    }
    let operation = ctx.builder.intern(span.name.as_ref().map_or("", Text::as_str));
    ctx.builder.push_span(RawSpan {
        trace_id,
        span_id,
        parent_id,
        resource,
        service,
        operation,
        kind: span.kind(),
        status,
        status_message,
        start_ns,
        duration_ns,
        attrs,
        events,
        links: RowRange::default(),
        flags,
        caller,
    });
}

/// The service of a record: local endpoint, remote endpoint, an annotation's endpoint, `unknown`.
fn service_of<'s>(span: &'s Span) -> &'s str {
    let named = |endpoint: Option<&'s Endpoint>| {
        endpoint.and_then(|endpoint| endpoint.service_name.as_ref()).map(Text::as_str).filter(|name| !name.is_empty())
    };
    named(span.local_endpoint.as_ref())
        .or_else(|| named(span.remote_endpoint.as_ref()))
        .or_else(|| {
            span.annotations
                .as_deref()
                .unwrap_or_default()
                .iter()
                .find_map(|annotation| named(annotation.endpoint.as_ref()))
        })
        .unwrap_or("unknown")
}

/// One resource per distinct (service, address, port).
fn endpoint_resource(
    ctx: &mut ImportContext,
    endpoints: &mut FxHashMap<(StrIdx, String), ResourceIdx>,
    service_name: &str,
    endpoint: Option<&Endpoint>,
) -> ResourceIdx {
    let service = ctx.builder.intern(service_name);
    let ip = endpoint.and_then(|endpoint| endpoint.ipv4.as_ref().or(endpoint.ipv6.as_ref())).map(Text::as_str);
    let port = endpoint.and_then(|endpoint| endpoint.port.as_ref()).and_then(LenientI64::value);
    let key = (service, format!("{}:{}", ip.unwrap_or(""), port.map_or(String::new(), |port| port.to_string())));
    if let Some(&resource) = endpoints.get(&key) {
        return resource;
    }
    let first = ctx.builder.attrs.len();
    if let Some(ip) = ip {
        let value = ctx.str_value(ip);
        ctx.push_attr("net.host.ip", value);
    }
    if let Some(port) = port {
        ctx.push_attr("net.host.port", AttrValue::Int(port));
    }
    let attrs = ctx.builder.attr_rows_since(first);
    let resource = ctx.builder.resources.push(service, attrs);
    endpoints.insert(key, resource);
    resource
}
