//! An OTLP span read straight from its JSON text (see the `quick` module of the import), for
//! the spans of a big file: the members of OTLP's span, its attributes, events, links and
//! status. A list or map value (`arrayValue`, `kvlistValue`), which may nest, is read by serde
//! on its own text.

use super::{AnyValue, Event, KeyValue, Link, Span, Status};
use crate::core::import::quick::{Fields, Reader};

/// Reads the span object at the start of `text` (after any whitespace): the span and the bytes
/// read up to its closing brace, or `None` when serde must read it.
pub(crate) fn read_span(text: &str) -> Option<(Span<'_>, usize)> {
    let mut reader = Reader::new(text);
    let span = span(&mut reader)?;
    Some((span, reader.position()))
}

fn span<'t>(reader: &mut Reader<'t>) -> Option<Span<'t>> {
    let mut span = Span {
        trace_id: None,
        span_id: None,
        parent_span_id: None,
        name: None,
        kind: None,
        start_time_unix_nano: None,
        end_time_unix_nano: None,
        attributes: None,
        dropped_attributes_count: None,
        events: None,
        dropped_events_count: None,
        links: None,
        dropped_links_count: None,
        status: None,
    };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "traceId" => span.trace_id = fields.once(0, reader.optional_text())?,
            "spanId" => span.span_id = fields.once(1, reader.optional_text())?,
            "parentSpanId" => span.parent_span_id = fields.once(2, reader.optional_text())?,
            "name" => span.name = fields.once(3, reader.optional_text())?,
            "kind" => span.kind = fields.once(4, reader.optional_number_or_name())?,
            "startTimeUnixNano" => span.start_time_unix_nano = fields.once(5, reader.optional_integer())?,
            "endTimeUnixNano" => span.end_time_unix_nano = fields.once(6, reader.optional_integer())?,
            "attributes" => span.attributes = fields.once(7, reader.optional_list(key_value))?,
            "droppedAttributesCount" => span.dropped_attributes_count = fields.once(8, reader.optional_integer())?,
            "events" => span.events = fields.once(9, reader.optional_list(event))?,
            "droppedEventsCount" => span.dropped_events_count = fields.once(10, reader.optional_integer())?,
            "links" => span.links = fields.once(11, reader.optional_list(link))?,
            "droppedLinksCount" => span.dropped_links_count = fields.once(12, reader.optional_integer())?,
            "status" => span.status = fields.once(13, reader.optional(status))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(span)
}

pub(super) fn key_value<'t>(reader: &mut Reader<'t>) -> Option<KeyValue<'t>> {
    let mut key_value = KeyValue { key: Default::default(), value: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "key" => key_value.key = fields.once(0, reader.text())?,
            "value" => key_value.value = fields.once(1, reader.optional(any_value))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(key_value)
}

fn any_value<'t>(reader: &mut Reader<'t>) -> Option<AnyValue<'t>> {
    let mut value = AnyValue {
        string_value: None,
        bool_value: None,
        int_value: None,
        double_value: None,
        array_value: None,
        kvlist_value: None,
        bytes_value: None,
    };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "stringValue" => value.string_value = fields.once(0, reader.optional_text())?,
            "boolValue" => value.bool_value = fields.once(1, reader.optional_bool())?,
            "intValue" => value.int_value = fields.once(2, reader.optional_integer())?,
            "doubleValue" => value.double_value = fields.once(3, reader.optional_text())?,
            "arrayValue" => value.array_value = fields.once(4, reader.by_serde())?,
            "kvlistValue" => value.kvlist_value = fields.once(5, reader.by_serde())?,
            "bytesValue" => value.bytes_value = fields.once(6, reader.optional_text())?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(value)
}

fn event<'t>(reader: &mut Reader<'t>) -> Option<Event<'t>> {
    let mut event = Event { time_unix_nano: None, name: None, attributes: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "timeUnixNano" => event.time_unix_nano = fields.once(0, reader.optional_integer())?,
            "name" => event.name = fields.once(1, reader.optional_text())?,
            "attributes" => event.attributes = fields.once(2, reader.optional_list(key_value))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(event)
}

fn link<'t>(reader: &mut Reader<'t>) -> Option<Link<'t>> {
    let mut link = Link { trace_id: None, span_id: None, trace_state: None, attributes: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "traceId" => link.trace_id = fields.once(0, reader.optional_text())?,
            "spanId" => link.span_id = fields.once(1, reader.optional_text())?,
            "traceState" => link.trace_state = fields.once(2, reader.optional_text())?,
            "attributes" => link.attributes = fields.once(3, reader.optional_list(key_value))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(link)
}

fn status<'t>(reader: &mut Reader<'t>) -> Option<Status<'t>> {
    let mut status = Status { code: None, message: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "code" => status.code = fields.once(0, reader.optional_number_or_name())?,
            "message" => status.message = fields.once(1, reader.optional_text())?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(status)
}

#[cfg(test)]
mod tests;
