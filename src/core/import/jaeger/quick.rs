//! A Jaeger span read straight from its JSON text (see the `quick` module of the import), for
//! the spans of a big file: the members of Jaeger's span, its references, tags, logs and
//! process. `spanId` (Jaeger's internal model, which the import refuses with its own message)
//! is left to serde.

use super::{KeyValue, Log, Process, Reference, Span};
use crate::core::import::json::{Scalar, Text};
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
        internal_span_id: None,
        parent_span_id: None,
        operation_name: None,
        references: None,
        start_time: None,
        duration: None,
        tags: None,
        logs: None,
        process_id: None,
        process: None,
        warnings: None,
    };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "traceID" => span.trace_id = fields.once(0, reader.optional_text())?,
            "spanID" => span.span_id = fields.once(1, reader.optional_text())?,
            "parentSpanID" => span.parent_span_id = fields.once(2, reader.optional_text())?,
            "operationName" => span.operation_name = fields.once(3, reader.optional_text())?,
            "references" => span.references = fields.once(4, reader.optional_list(reference))?,
            "startTime" => span.start_time = fields.once(5, reader.optional_integer())?,
            "duration" => span.duration = fields.once(6, reader.optional_integer())?,
            "tags" => span.tags = fields.once(7, reader.optional_list(key_value))?,
            "logs" => span.logs = fields.once(8, reader.optional_list(log))?,
            "processID" => span.process_id = fields.once(9, reader.optional_text())?,
            "process" => span.process = fields.once(10, reader.optional(process))?,
            "warnings" => span.warnings = fields.once(11, reader.optional_list(Reader::optional_text))?,
            // Jaeger's internal model, which the import refuses with its own message.
            "spanId" => return None,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(span)
}

fn reference<'t>(reader: &mut Reader<'t>) -> Option<Reference<'t>> {
    let mut reference = Reference { ref_type: None, trace_id: None, span_id: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "refType" => reference.ref_type = fields.once(0, reader.optional_text())?,
            "traceID" => reference.trace_id = fields.once(1, reader.optional_text())?,
            "spanID" => reference.span_id = fields.once(2, reader.optional_text())?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(reference)
}

fn key_value<'t>(reader: &mut Reader<'t>) -> Option<KeyValue<'t>> {
    let mut key_value = KeyValue { key: Text::default(), value_type: None, value: Scalar::Null };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "key" => key_value.key = fields.once(0, reader.text())?,
            "type" => key_value.value_type = fields.once(1, reader.optional_text())?,
            "value" => key_value.value = fields.once(2, reader.scalar())?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(key_value)
}

fn log<'t>(reader: &mut Reader<'t>) -> Option<Log<'t>> {
    let mut log = Log { timestamp: None, fields: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "timestamp" => log.timestamp = fields.once(0, reader.optional_integer())?,
            "fields" => log.fields = fields.once(1, reader.optional_list(key_value))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(log)
}

fn process<'t>(reader: &mut Reader<'t>) -> Option<Process<'t>> {
    let mut process = Process { service_name: None, tags: None };
    let mut fields = Fields::default();
    reader.object(|reader, name| {
        match name {
            "serviceName" => process.service_name = fields.once(0, reader.optional_text())?,
            "tags" => process.tags = fields.once(1, reader.optional_list(key_value))?,
            _ => reader.skip_value()?,
        }
        Some(())
    })?;
    Some(process)
}

#[cfg(test)]
mod tests;
