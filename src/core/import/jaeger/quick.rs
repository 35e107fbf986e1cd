//! A Jaeger span read straight from its JSON text, for the spans of a big file. Nearly every
//! span of a Jaeger file is written the same way: an object of known members whose strings
//! have no escapes, whose numbers are plain integers, whose tags and logs are lists of small
//! objects. Read through serde, each member name and each value goes through a visitor and an
//! `Option`; here the text is read once, member by member, into the same [`Span`] serde would
//! give. Anything out of that way (a member named twice, `spanId`, a value of the wrong type,
//! a span cut off at the end of the text) gives `None`, and the caller reads the span with
//! serde as before, so the outcome, refusals included, is serde's. A value that is not plain (a
//! string with escapes, a float, a number in a string, a list in a member nothing reads, as
//! Jaeger UI's own model has) is handed to serde on its own text, so its reading is serde's too.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::{KeyValue, Log, Process, Reference, Span};
use crate::core::import::json::{LenientI64, Scalar, Text};

/// Reads the span object at the start of `text` (after any whitespace): the span and the bytes
/// read up to its closing brace, or `None` when serde must read it.
pub(crate) fn read_span(text: &str) -> Option<(Span<'_>, usize)> {
    let mut reader = Reader { text, at: 0 };
    let span = reader.span()?;
    Some((span, reader.at))
}

/// The bytes that end a plain string's run: the quote, a backslash, and the control characters
/// JSON forbids inside strings.
const STOPS_STRING: [bool; 256] = {
    let mut stops = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        stops[byte] = true;
        byte += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Where a string that has escapes ends: the index just after its closing quote (the string
/// starts at `from`, its opening quote). `None` when the text ends first or holds a control
/// character (serde refuses both).
fn escaped_string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from + 1;
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            byte if byte < 0x20 => return None,
            _ => at += 1,
        }
    }
}

/// A position in the text of one span.
struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Reader<'t> {
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not JSON whitespace, now the position.
    fn next_byte(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// Takes `byte` as the next one after whitespace.
    fn take(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then(|| self.at += 1)
    }

    /// Takes `literal` (`null`, `true`, `false`) if it comes next after whitespace.
    fn take_literal(&mut self, literal: &str) -> Option<bool> {
        self.next_byte()?;
        let found = self.bytes()[self.at..].starts_with(literal.as_bytes());
        if found {
            self.at += literal.len();
        }
        Some(found)
    }

    /// A string with no escapes at the position (its opening quote): its text, the position
    /// after its closing quote. `None` if it has escapes or a control character.
    fn plain_string(&mut self) -> Option<&'t str> {
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut at = start;
        while !STOPS_STRING[usize::from(*bytes.get(at)?)] {
            at += 1;
        }
        if bytes[at] != b'"' {
            return None;
        }
        self.at = at + 1;
        self.text.get(start..at)
    }

    /// The end of the value at the position, not read yet (a list or object is not checked on
    /// the way: serde reads it after). `None` when the text ends first.
    fn value_end(&self) -> Option<usize> {
        let bytes = self.bytes();
        let first = *bytes.get(self.at)?;
        match first {
            b'"' => escaped_string_end(bytes, self.at),
            b'[' | b'{' => {
                let mut depth = 0usize;
                let mut at = self.at;
                loop {
                    match *bytes.get(at)? {
                        b'"' => {
                            at = escaped_string_end(bytes, at)?;
                            continue;
                        }
                        b'[' | b'{' => depth += 1,
                        b']' | b'}' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                return Some(at + 1);
                            }
                        }
                        _ => {}
                    }
                    at += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                let run = bytes[self.at..]
                    .iter()
                    .take_while(|byte| matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .count();
                // A number cut at the end of the text may go on in the next bytes.
                (self.at + run < bytes.len()).then_some(self.at + run)
            }
            b't' | b'f' | b'n' => {
                let literal = match first {
                    b't' => "true",
                    b'f' => "false",
                    _ => "null",
                };
                bytes[self.at..].starts_with(literal.as_bytes()).then_some(self.at + literal.len())
            }
            _ => None,
        }
    }

    /// The value at the position, read by serde from its own text.
    fn by_serde<T: Deserialize<'t>>(&mut self) -> Option<T> {
        self.next_byte()?;
        let end = self.value_end()?;
        let value = serde_json::from_str(self.text.get(self.at..end)?).ok()?;
        self.at = end;
        Some(value)
    }

    /// A plain non-negative integer of up to 18 digits at the position (which `i64` holds),
    /// read; `None`, reading nothing, for any other value.
    fn plain_integer(&mut self) -> Option<i64> {
        let bytes = self.bytes();
        let digits = bytes[self.at..].iter().take_while(|byte| byte.is_ascii_digit()).count();
        let end = self.at + digits;
        let plain = (1..=18).contains(&digits)
            && (digits == 1 || bytes[self.at] != b'0')
            && !matches!(bytes.get(end), None | Some(b'.' | b'e' | b'E' | b'-' | b'+'));
        if !plain {
            return None;
        }
        let value = bytes[self.at..end].iter().fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'));
        self.at = end;
        Some(value)
    }

    /// A `Text` value.
    fn text(&mut self) -> Option<Text<'t>> {
        if self.next_byte()? == b'"' {
            let start = self.at;
            if let Some(plain) = self.plain_string() {
                return Some(Text(Cow::Borrowed(plain)));
            }
            self.at = start;
        }
        self.by_serde()
    }

    /// An `Option<Text>` value: `null` is `None`.
    fn optional_text(&mut self) -> Option<Option<Text<'t>>> {
        if self.take_literal("null")? {
            return Some(None);
        }
        self.text().map(Some)
    }

    /// An `Option<LenientI64>` value.
    fn optional_integer(&mut self) -> Option<Option<LenientI64>> {
        if self.take_literal("null")? {
            return Some(None);
        }
        match self.plain_integer() {
            Some(value) => Some(Some(LenientI64::Value(value))),
            None => self.by_serde().map(Some),
        }
    }

    /// A `Scalar` value.
    fn scalar(&mut self) -> Option<Scalar<'t>> {
        match self.next_byte()? {
            b'"' => {
                let start = self.at;
                if let Some(plain) = self.plain_string() {
                    return Some(Scalar::Str(Cow::Borrowed(plain)));
                }
                self.at = start;
                self.by_serde()
            }
            b'0'..=b'9' => match self.plain_integer() {
                Some(value) => Some(Scalar::Int(value)),
                None => self.by_serde(),
            },
            b't' | b'f' | b'n' => {
                if self.take_literal("true")? {
                    Some(Scalar::Bool(true))
                } else if self.take_literal("false")? {
                    Some(Scalar::Bool(false))
                } else if self.take_literal("null")? {
                    Some(Scalar::Null)
                } else {
                    None
                }
            }
            _ => self.by_serde(),
        }
    }

    /// Passes over the value of a member no field takes, as serde's `IgnoredAny` does.
    fn skip_value(&mut self) -> Option<()> {
        if self.next_byte()? == b'"' {
            let start = self.at;
            if self.plain_string().is_some() {
                return Some(());
            }
            self.at = start;
        }
        if self.plain_integer().is_some() {
            return Some(());
        }
        self.by_serde::<IgnoredAny>().map(drop)
    }

    /// The members of an object, each given to `member` with its name, which reads the value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'t str) -> Option<()>) -> Option<()> {
        self.take(b'{')?;
        if self.next_byte()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            if self.next_byte()? != b'"' {
                return None;
            }
            let name = self.plain_string()?;
            self.take(b':')?;
            member(self, name)?;
            match self.next_byte()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A list, each element read by `element`.
    fn list<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.take(b'[')?;
        let mut elements = Vec::new();
        if self.next_byte()? == b']' {
            self.at += 1;
            return Some(elements);
        }
        loop {
            elements.push(element(self)?);
            match self.next_byte()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(elements);
                }
                _ => return None,
            }
        }
    }

    /// An `Option<Vec<T>>` value: `null` is `None`.
    fn optional_list<T>(&mut self, element: impl FnMut(&mut Self) -> Option<T>) -> Option<Option<Vec<T>>> {
        if self.take_literal("null")? {
            return Some(None);
        }
        self.list(element).map(Some)
    }

    fn span(&mut self) -> Option<Span<'t>> {
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
        self.object(|reader, name| {
            match name {
                "traceID" => span.trace_id = fields.once(0, reader.optional_text())?,
                "spanID" => span.span_id = fields.once(1, reader.optional_text())?,
                "parentSpanID" => span.parent_span_id = fields.once(2, reader.optional_text())?,
                "operationName" => span.operation_name = fields.once(3, reader.optional_text())?,
                "references" => span.references = fields.once(4, reader.optional_list(Self::reference))?,
                "startTime" => span.start_time = fields.once(5, reader.optional_integer())?,
                "duration" => span.duration = fields.once(6, reader.optional_integer())?,
                "tags" => span.tags = fields.once(7, reader.optional_list(Self::key_value))?,
                "logs" => span.logs = fields.once(8, reader.optional_list(Self::log))?,
                "processID" => span.process_id = fields.once(9, reader.optional_text())?,
                "process" => span.process = fields.once(10, reader.optional_process())?,
                "warnings" => span.warnings = fields.once(11, reader.optional_list(Self::optional_text))?,
                // Jaeger's internal model, which the import refuses with its own message.
                "spanId" => return None,
                _ => reader.skip_value()?,
            }
            Some(())
        })?;
        Some(span)
    }

    fn reference(&mut self) -> Option<Reference<'t>> {
        let mut reference = Reference { ref_type: None, trace_id: None, span_id: None };
        let mut fields = Fields::default();
        self.object(|reader, name| {
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

    fn key_value(&mut self) -> Option<KeyValue<'t>> {
        let mut key_value = KeyValue { key: Text::default(), value_type: None, value: Scalar::Null };
        let mut fields = Fields::default();
        self.object(|reader, name| {
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

    fn log(&mut self) -> Option<Log<'t>> {
        let mut log = Log { timestamp: None, fields: None };
        let mut fields = Fields::default();
        self.object(|reader, name| {
            match name {
                "timestamp" => log.timestamp = fields.once(0, reader.optional_integer())?,
                "fields" => log.fields = fields.once(1, reader.optional_list(Self::key_value))?,
                _ => reader.skip_value()?,
            }
            Some(())
        })?;
        Some(log)
    }

    fn optional_process(&mut self) -> Option<Option<Process<'t>>> {
        if self.take_literal("null")? {
            return Some(None);
        }
        let mut process = Process { service_name: None, tags: None };
        let mut fields = Fields::default();
        self.object(|reader, name| {
            match name {
                "serviceName" => process.service_name = fields.once(0, reader.optional_text())?,
                "tags" => process.tags = fields.once(1, reader.optional_list(Self::key_value))?,
                _ => reader.skip_value()?,
            }
            Some(())
        })?;
        Some(Some(process))
    }
}

/// The fields of one object read so far: a field named twice is serde's error to give.
#[derive(Default)]
struct Fields(u32);

impl Fields {
    /// `value`, unless field `number` was read before.
    fn once<T>(&mut self, number: u32, value: Option<T>) -> Option<T> {
        let bit = 1 << number;
        if self.0 & bit != 0 {
            return None;
        }
        self.0 |= bit;
        value
    }
}

#[cfg(test)]
mod tests;
