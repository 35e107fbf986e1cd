//! What `Span details` shows of a span beyond its row in the timeline: its status message,
//! parent id and Zipkin caller's view, its own attributes, its resource's, its events (time,
//! name, attributes) and its links. Each attribute is a key, the kind of its value and the value
//! as text (strings holding JSON pretty-printed, bytes in base64). The engine, which keeps the
//! whole set, answers the page with these; the page's copy holds only what the timeline draws.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::core::model::{AttrValue, LinkKind, RowRange, SpanId, SpanIdx, TraceId, TraceSet};

/// The kind of an attribute's value, as the details panel styles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ValueKind {
    /// Text.
    String,
    /// `true` or `false`.
    Bool,
    /// A 64-bit integer.
    Int,
    /// A double.
    Double,
    /// Raw bytes.
    Bytes,
    /// A list of values.
    Array,
    /// Key-value pairs.
    Map,
}

impl ValueKind {
    /// The kind of `value`.
    pub fn of(value: &AttrValue) -> Self {
        match value {
            AttrValue::Str(_) => ValueKind::String,
            AttrValue::Bool(_) => ValueKind::Bool,
            AttrValue::Int(_) => ValueKind::Int,
            AttrValue::Double(_) => ValueKind::Double,
            AttrValue::Bytes(_) => ValueKind::Bytes,
            AttrValue::Array(_) => ValueKind::Array,
            AttrValue::KvList(_) => ValueKind::Map,
        }
    }

    /// Its name in the value's CSS class (`value-string`, `value-map`, …).
    pub fn name(self) -> &'static str {
        match self {
            ValueKind::String => "string",
            ValueKind::Bool => "bool",
            ValueKind::Int => "int",
            ValueKind::Double => "double",
            ValueKind::Bytes => "bytes",
            ValueKind::Array => "array",
            ValueKind::Map => "map",
        }
    }
}

/// One attribute, ready to show.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownAttribute {
    /// The key.
    pub key: String,
    /// What kind of value it has.
    pub kind: ValueKind,
    /// The value as text.
    pub text: String,
}

/// One event (log) of a span, ready to show.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownEvent {
    /// When it happened, ns since the epoch.
    pub time_ns: i64,
    /// Its name (empty for a Jaeger log, which has none).
    pub name: String,
    /// Its attributes (a log's fields).
    pub attributes: Vec<ShownAttribute>,
}

/// One link (or extra reference) of a span.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownLink {
    /// How the span relates to the target.
    pub kind: LinkKind,
    /// The target's trace.
    pub trace_id: TraceId,
    /// The target span.
    pub span_id: SpanId,
    /// The target's row, when it is loaded.
    pub target: Option<SpanIdx>,
    /// The link's attributes.
    pub attributes: Vec<ShownAttribute>,
}

/// The client half's view of a Zipkin shared span, ready to show.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownCaller {
    /// The client's service.
    pub service: String,
    /// When the client started waiting, ns since the epoch.
    pub start_ns: i64,
    /// How long it waited, ns.
    pub duration_ns: i64,
}

/// Everything `Span details` shows of one span that the page's copy does not hold.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpanDetails {
    /// The status message (empty when none).
    pub status_message: String,
    /// The parent id the source named, even when that span is missing; `None` for a true root.
    pub parent_id: Option<SpanId>,
    /// The client half's view of a Zipkin shared span.
    pub caller: Option<ShownCaller>,
    /// The span's own attributes, as written.
    pub span: Vec<ShownAttribute>,
    /// Its resource's (process's) attributes.
    pub resource: Vec<ShownAttribute>,
    /// Its events, in order.
    pub events: Vec<ShownEvent>,
    /// Its links, in order.
    pub links: Vec<ShownLink>,
}

impl SpanDetails {
    /// The details of `span` in `set` (none for a span the set does not have).
    pub fn of(set: &TraceSet, span: SpanIdx) -> Self {
        let spans = &set.spans;
        let i = span.get();
        if i >= set.span_count() {
            return Self::default();
        }
        let resource = spans.resource[i];
        let resource_rows = set.resources.attrs.get(resource.get()).copied().unwrap_or_default();
        let events = spans.events[i]
            .as_range()
            .filter(|&event| event < set.events.len())
            .map(|event| ShownEvent {
                time_ns: set.events.time_ns[event],
                name: set.str(set.events.name[event]).to_owned(),
                attributes: shown_rows(set, set.events.attrs[event]),
            })
            .collect();
        let links = spans.links[i]
            .as_range()
            .filter(|&link| link < set.links.len())
            .map(|link| ShownLink {
                kind: set.links.kind[link],
                trace_id: set.links.trace_id[link],
                span_id: set.links.span_id[link],
                target: set.links.target[link],
                attributes: shown_rows(set, set.links.attrs[link]),
            })
            .collect();
        let caller = spans.caller(span).map(|caller| ShownCaller {
            service: set.str(caller.service).to_owned(),
            start_ns: caller.start_ns,
            duration_ns: caller.duration_ns,
        });
        Self {
            status_message: set.str(spans.status_message[i]).to_owned(),
            parent_id: spans.parent_id[i],
            caller,
            span: shown_rows(set, spans.attrs[i]),
            resource: shown_rows(set, resource_rows),
            events,
            links,
        }
    }
}

/// The attribute rows `rows` of `set`, ready to show (rows the set does not have are left out).
fn shown_rows(set: &TraceSet, rows: RowRange) -> Vec<ShownAttribute> {
    let rows = rows.start.min(rows.end) as usize..(rows.end as usize).min(set.attrs.len());
    set.attrs.key[rows.clone()]
        .iter()
        .zip(&set.attrs.value[rows])
        .map(|(&key, value)| ShownAttribute {
            key: set.str(key).to_owned(),
            kind: ValueKind::of(value),
            text: value_text(set, value),
        })
        .collect()
}

/// A value as text; strings that hold JSON objects or arrays are pretty-printed, lists and maps
/// are written out as `[a, b]` and `{key: value}` (walked with a stack, however deep).
pub fn value_text(set: &TraceSet, value: &AttrValue) -> String {
    /// What is left to write: a value, or text between values.
    enum Next<'v> {
        Value(&'v AttrValue),
        Text(&'static str),
        Key(&'v str),
    }
    let mut out = String::new();
    let mut stack = vec![Next::Value(value)];
    while let Some(next) = stack.pop() {
        let value = match next {
            Next::Text(text) => {
                out.push_str(text);
                continue;
            }
            Next::Key(key) => {
                out.push_str(key);
                out.push_str(": ");
                continue;
            }
            Next::Value(value) => value,
        };
        match value {
            AttrValue::Str(text) => out.push_str(&string_text(set.str(*text))),
            AttrValue::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
            AttrValue::Int(number) => out.push_str(&number.to_string()),
            AttrValue::Double(number) => out.push_str(&number.to_string()),
            AttrValue::Bytes(bytes) => out.push_str(&STANDARD.encode(bytes.as_slice())),
            AttrValue::Array(items) => {
                out.push('[');
                stack.push(Next::Text("]"));
                for (index, item) in items.iter().enumerate().rev() {
                    stack.push(Next::Value(item));
                    if index > 0 {
                        stack.push(Next::Text(", "));
                    }
                }
            }
            AttrValue::KvList(entries) => {
                out.push('{');
                stack.push(Next::Text("}"));
                for (index, (key, item)) in entries.iter().enumerate().rev() {
                    stack.push(Next::Value(item));
                    stack.push(Next::Key(set.str(*key)));
                    if index > 0 {
                        stack.push(Next::Text(", "));
                    }
                }
            }
        }
    }
    out
}

/// A string value as shown: JSON objects and arrays pretty-printed, anything else as written.
fn string_text(text: &str) -> String {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            if let Ok(pretty) = serde_json::to_string_pretty(&json) {
                return pretty;
            }
        }
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;
    use crate::core::model::TraceSetBuilder;

    #[test]
    fn a_span_shows_its_own_its_resource_and_its_events_attributes_and_its_links() {
        let set = checkout_sample();
        let span = (0..set.span_count())
            .map(|i| SpanIdx(i as u32))
            .find(|&span| !set.spans.events[span.get()].is_empty() && !set.spans.attrs[span.get()].is_empty())
            .expect("the sample has a span with attributes and events");
        let shown = SpanDetails::of(&set, span);
        let i = span.get();
        let keys: Vec<&str> = set.attrs.rows(set.spans.attrs[i]).map(|(key, _)| set.str(key)).collect();
        assert_eq!(shown.span.iter().map(|attribute| attribute.key.as_str()).collect::<Vec<_>>(), keys);
        let events = set.spans.events[i].as_range();
        assert_eq!(shown.events.len(), events.len());
        for (shown, event) in shown.events.iter().zip(events) {
            assert_eq!(
                (shown.time_ns, shown.name.as_str()),
                (set.events.time_ns[event], set.str(set.events.name[event]))
            );
            assert_eq!(shown.attributes.len(), set.events.attrs[event].len());
        }
        let resource_rows = set.resources.attrs[set.spans.resource[i].get()];
        assert_eq!(shown.resource.len(), resource_rows.len());
        assert_eq!(shown.parent_id, set.spans.parent_id[i]);
        assert_eq!(SpanDetails::of(&set, SpanIdx(set.span_count() as u32)), SpanDetails::default());
    }

    #[test]
    fn a_span_shows_its_status_message_and_its_links_loaded_or_not() {
        // Its root failed with "boom"; its child links to the root and to a span not loaded.
        let set = crate::core::import::filled_sample();
        let root = SpanDetails::of(&set, SpanIdx(0));
        assert_eq!((root.status_message.as_str(), root.parent_id, root.links.len()), ("boom", None, 0));
        let child = SpanDetails::of(&set, SpanIdx(1));
        assert_eq!(child.parent_id.map(|id| id.to_hex()).as_deref(), Some("b7ad6b7169203331"));
        let targets: Vec<(String, Option<SpanIdx>)> =
            child.links.iter().map(|link| (link.span_id.to_hex(), link.target)).collect();
        assert_eq!(targets, [("b7ad6b7169203331".to_owned(), Some(SpanIdx(0))), ("2222222222222222".to_owned(), None)]);
        assert_eq!(child.links[1].trace_id.to_hex(), "11111111111111111111111111111111");
        let why: Vec<(&str, &str)> =
            child.links[1].attributes.iter().map(|shown| (shown.key.as_str(), shown.text.as_str())).collect();
        assert_eq!(why, [("why", "batch")]);
    }

    #[test]
    fn values_are_written_out_by_kind() {
        let mut builder = TraceSetBuilder::new();
        let json = builder.strings.intern("{\"a\":1}");
        let key = builder.strings.intern("k");
        let plain = builder.strings.intern("plain");
        let set = builder.finish();
        assert_eq!(value_text(&set, &AttrValue::Str(json)), "{\n  \"a\": 1\n}");
        assert_eq!(value_text(&set, &AttrValue::Bytes(Box::new(vec![1, 2, 3]))), "AQID");
        let nested = AttrValue::Array(Box::new(vec![
            AttrValue::Int(1),
            AttrValue::KvList(Box::new(vec![(key, AttrValue::Str(plain)), (key, AttrValue::Bool(false))])),
            AttrValue::Array(Box::default()),
        ]));
        assert_eq!(value_text(&set, &nested), "[1, {k: plain, k: false}, []]");
        assert_eq!(ValueKind::of(&nested).name(), "array");
    }

    #[test]
    fn a_deep_value_is_written_without_recursion() {
        let mut value = AttrValue::Int(7);
        for _ in 0..100_000 {
            value = AttrValue::Array(Box::new(vec![value]));
        }
        let set = TraceSetBuilder::new().finish();
        let text = value_text(&set, &value);
        assert_eq!(text.len(), 200_001);
        assert!(text.starts_with("[[[") && text.contains('7'));
        // Dropping a value this deep recurses in `Box`'s drop: take it apart level by level.
        let mut current = value;
        while let AttrValue::Array(mut items) = current {
            current = items.pop().unwrap_or(AttrValue::Int(0));
        }
    }
}
