//! The side tables a span points into with [`RowRange`]s: attributes, events, links and
//! resources. Each is columns of equal length; rows of one span are contiguous.

use crate::core::model::ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceId};
use crate::core::model::values::{AttrValue, LinkKind};

/// Attributes (tags) of spans, events, links and resources. Row `i` is `key[i] = value[i]`.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AttrTable {
    /// The attribute key.
    #[serde(with = "crate::core::model::packed")]
    pub key: Vec<StrIdx>,
    /// The typed value.
    #[serde(with = "crate::core::model::packed::attr_values")]
    pub value: Vec<AttrValue>,
}

impl AttrTable {
    /// Appends one attribute and returns its row.
    pub fn push(&mut self, key: StrIdx, value: AttrValue) -> usize {
        self.key.push(key);
        self.value.push(value);
        self.key.len() - 1
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.key.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// The rows of `range` as (key, value) pairs.
    pub fn rows(&self, range: RowRange) -> impl Iterator<Item = (StrIdx, &AttrValue)> + '_ {
        let range = range.as_range();
        self.key[range.clone()].iter().copied().zip(self.value[range].iter())
    }
}

/// Events (OTLP) and logs (Jaeger, Zipkin annotations) of spans.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct EventTable {
    /// When it happened, ns since the epoch.
    #[serde(with = "crate::core::model::packed")]
    pub time_ns: Vec<i64>,
    /// The event name (Jaeger: the `event` field, Zipkin: the annotation value); may be empty.
    #[serde(with = "crate::core::model::packed")]
    pub name: Vec<StrIdx>,
    /// The event's attributes (Jaeger log fields).
    #[serde(with = "crate::core::model::packed")]
    pub attrs: Vec<RowRange>,
}

impl EventTable {
    /// Appends one event and returns its row.
    pub fn push(&mut self, time_ns: i64, name: StrIdx, attrs: RowRange) -> usize {
        self.time_ns.push(time_ns);
        self.name.push(name);
        self.attrs.push(attrs);
        self.time_ns.len() - 1
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.time_ns.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.time_ns.is_empty()
    }
}

/// Links from a span to another span: OTLP links and Jaeger references other than the parent.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LinkTable {
    /// The target's trace.
    #[serde(with = "crate::core::model::packed")]
    pub trace_id: Vec<TraceId>,
    /// The target span.
    #[serde(with = "crate::core::model::packed")]
    pub span_id: Vec<SpanId>,
    /// What kind of relation.
    #[serde(with = "crate::core::model::packed")]
    pub kind: Vec<LinkKind>,
    /// The link's attributes.
    #[serde(with = "crate::core::model::packed")]
    pub attrs: Vec<RowRange>,
    /// The target's row when it is loaded in the same set; `None` otherwise.
    #[serde(with = "crate::core::model::packed")]
    pub target: Vec<Option<SpanIdx>>,
}

impl LinkTable {
    /// Appends one link (target unresolved) and returns its row.
    pub fn push(&mut self, trace_id: TraceId, span_id: SpanId, kind: LinkKind, attrs: RowRange) -> usize {
        self.trace_id.push(trace_id);
        self.span_id.push(span_id);
        self.kind.push(kind);
        self.attrs.push(attrs);
        self.target.push(None);
        self.trace_id.len() - 1
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.trace_id.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.trace_id.is_empty()
    }
}

/// Resources (OTLP) or processes (Jaeger) or endpoints (Zipkin): what emitted a span. Shared by
/// all spans of the same emitter, never copied per span.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ResourceTable {
    /// The normalized service name.
    #[serde(with = "crate::core::model::packed")]
    pub service: Vec<StrIdx>,
    /// The resource's attributes (Jaeger process tags).
    #[serde(with = "crate::core::model::packed")]
    pub attrs: Vec<RowRange>,
}

impl ResourceTable {
    /// Appends one resource and returns its index.
    pub fn push(&mut self, service: StrIdx, attrs: RowRange) -> ResourceIdx {
        self.service.push(service);
        self.attrs.push(attrs);
        ResourceIdx(self.service.len() as u32 - 1)
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.service.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.service.is_empty()
    }
}

/// Zipkin's shared spans: the client half's view of a call whose server half is the span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CallerView {
    /// The calling service (the client half's local endpoint).
    pub service: StrIdx,
    /// When the client sent the request, ns since the epoch.
    pub start_ns: i64,
    /// How long the client waited, ns.
    pub duration_ns: i64,
}
