//! One Jaeger JSON file imported by two imports at once: the *head* reads the file from its
//! start, the *tail* from somewhere in the middle, each into a builder of its own, and the head
//! then takes the tail's builder in ([`StreamedImport::join`]). Parsing is most of a big load's
//! time and runs on one core; two imports of two halves use two.
//!
//! The tail cannot know where the JSON it starts in stands, so it looks for the first place that
//! can only be the start of a span in a trace's `spans` (`, {"traceID":` with any whitespace)
//! and reads on from there as if it were: as an element of the spans of a trace of the query
//! API's `data`. The head reads up to exactly that place. Where the head's own walk stands there
//! proves the tail's guess: the join goes ahead only if the head is, at that byte, between two
//! spans of a trace of `data`; otherwise the head reads on through the rest of the file itself.
//!
//! The trace the split cuts in two is finished by the head, with what the tail read of it (its
//! spans' processes, the trace's `processes` and `warnings`), after the tail's rows: for a file
//! of one trace the joined builder is the one a single import gives, byte for byte (but where an
//! empty list of rows the tail made with no position, such as a link's attributes, points); for
//! more, the cut trace's process rows come after the later traces' rows, which changes no trace.

use memchr::memmem;
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::core::import::context::ImportContext;
use crate::core::import::streamed::{
    parse_one, whole_chars_end, Expect, Finished, Frame, Halt, StreamedImport, Trace, Walk,
};
use crate::core::import::Format;
use crate::core::model::{TraceSetBuilder, WarningKind};

/// What a tail read that the head needs to join it: where it started, and the trace the split
/// cut in two as far as the tail read it. It crosses from the tail's worker to the head's with
/// the tail's rows (`BuilderRows`).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Tail {
    starts_at: usize,
    trace: Trace,
    errors: Option<String>,
    spans_read: usize,
}

impl Tail {
    /// Where in the file the tail's first span starts: the head reads the file up to here.
    pub fn starts_at(&self) -> usize {
        self.starts_at
    }
}

/// Bytes a tail keeps while it looks for its first span (so a span start cut off at the end of
/// what has arrived is found once the rest is there).
const SEEK_OVERLAP: usize = 256;

/// The first place in `bytes` that can only be the start of a span listed in a trace's `spans`:
/// the `{` of `, {"traceID":` (whitespace allowed between the tokens). A JSON string cannot hold
/// an unescaped `"`, so these bytes outside a string are an object whose first key is
/// `traceID`, following another value of an array; [`Walk::seek`] looks at the object, and the
/// head's walk checks it is a span.
/// Returns where the `,` and the `{` are.
fn span_start(bytes: &[u8]) -> Option<(usize, usize)> {
    let is_space = |byte: &u8| matches!(byte, b' ' | b'\n' | b'\r' | b'\t');
    memmem::find_iter(bytes, b"\"traceID\"").find_map(|key| {
        let after = &bytes[key + 9..];
        let colon = after.iter().position(|byte| !is_space(byte))?;
        if after[colon] != b':' {
            return None;
        }
        let open = bytes[..key].iter().rposition(|byte| !is_space(byte))?;
        if bytes[open] != b'{' {
            return None;
        }
        let comma = bytes[..open].iter().rposition(|byte| !is_space(byte))?;
        (bytes[comma] == b',').then_some((comma, open))
    })
}

/// What tells a span from another object whose first key is `traceID` (a reference of a
/// producer that writes the trace id first): a span has an operation or a start, and no
/// reference type.
#[derive(Deserialize)]
struct Shape {
    #[serde(rename = "operationName")]
    operation: Option<IgnoredAny>,
    #[serde(rename = "startTime")]
    start: Option<IgnoredAny>,
    #[serde(rename = "refType")]
    ref_type: Option<IgnoredAny>,
}

/// The longest object a tail looks at to tell whether it is a span (a bigger span is passed
/// over; the next one will do).
const SHAPE_BYTES: usize = 64 * 1024;

impl Walk<'_> {
    /// A tail's look for its first span in `bytes` (the window): found, the walk starts there;
    /// not yet, the window keeps only its last bytes.
    pub(super) fn seek(&mut self, bytes: &[u8], complete: bool) -> Result<(), Halt> {
        let mut from = self.pos.min(bytes.len());
        loop {
            let Some((comma, open)) = span_start(&bytes[from..]) else {
                if complete {
                    return Err(Halt::GiveUp);
                }
                self.pos = bytes.len().saturating_sub(SEEK_OVERLAP).max(from);
                return Err(Halt::More);
            };
            let start = from + open;
            let limit = bytes.len().min(start + SHAPE_BYTES);
            let whole = complete && limit == bytes.len();
            let end = if whole { limit } else { whole_chars_end(&bytes[..limit], start) };
            let shape = std::str::from_utf8(&bytes[start..end])
                .map_err(|_| Halt::GiveUp)
                .and_then(|text| parse_one::<Shape>(text, whole));
            match shape {
                Ok((shape, _)) if shape.ref_type.is_none() && (shape.operation.is_some() || shape.start.is_some()) => {
                    self.pos = start;
                    self.seeking = false;
                    self.found = Some(start);
                    return Ok(());
                }
                Err(Halt::More) if limit == bytes.len() => {
                    // Looked at again, from its comma, once more bytes are there.
                    self.pos = from + comma;
                    return Err(Halt::More);
                }
                _ => from = start + 1,
            }
        }
    }
}

impl<'b> StreamedImport<'b> {
    /// Starts importing the tail of `file` (`size_bytes` long in all) from byte `from` on into
    /// `builder`: [`push`](Self::push) the bytes from there, in order, then
    /// [`finish_tail`](Self::finish_tail).
    pub fn tail(builder: &'b mut TraceSetBuilder, file: &str, from: usize, size_bytes: usize) -> Self {
        let mut import = Self::new(builder, file, size_bytes.saturating_sub(from));
        import.from = from;
        let walk = &mut import.walk;
        walk.started = true;
        walk.seeking = true;
        walk.ctx.current_format = Some(Format::JaegerApi);
        walk.format = Some(Format::JaegerApi);
        walk.frames =
            vec![Frame::Top, Frame::Data, Frame::Trace(Trace { cut: true, ..Trace::default() }), Frame::Spans];
        walk.expect = Expect::Element { first: false };
        import
    }

    /// Where in the file a tail's first span starts, once it has been found.
    pub fn tail_start(&self) -> Option<usize> {
        self.first_span.filter(|_| self.streaming)
    }

    /// Finishes a tail once every byte of the file after `from` was pushed: what the head needs
    /// to join it, or `None` when the tail cannot be joined (no span found, the rest not a
    /// Jaeger API document, a span of the cut trace without its own trace id); the builder then
    /// holds nothing to keep, and the head reads the file on by itself.
    pub fn finish_tail(mut self) -> Option<Tail> {
        self.step(true);
        let walk = &mut self.walk;
        if !self.streaming || walk.expect != Expect::End || walk.top_trace.is_some() {
            return None;
        }
        let trace = walk.cut_trace.take().filter(|trace| trace.without_trace.is_empty())?;
        Some(Tail { starts_at: self.first_span?, trace, errors: walk.errors.take(), spans_read: walk.ctx.spans_read })
    }

    /// Whether this import (a head, given the file's bytes up to `tail`'s start) stands where
    /// the tail began: between two spans of a trace of the query API's `data`.
    fn fits(&self, tail: &Tail) -> bool {
        let walk = &self.walk;
        self.streaming
            && self.from == 0
            && self.from + self.received == tail.starts_at
            && self.window.is_empty()
            && walk.expect == (Expect::Element { first: false })
            && walk.top_trace.is_none()
            && matches!(walk.frames.as_slice(), [Frame::Top, Frame::Data, Frame::Trace(trace), Frame::Spans] if !trace.cut)
    }

    /// Joins `tail`, with the rows it read into `builder`, to this import of the file's head,
    /// which was given the file's bytes up to [`Tail::starts_at`], and finishes the import of
    /// the whole file. When the head does not stand where the tail began, gives this import back
    /// to be given the rest of the file.
    pub fn join(mut self, tail: Tail, mut builder: TraceSetBuilder) -> Result<Finished<'b>, Box<Self>> {
        // A span cut off by a slice waits for more bytes than the last slices brought: walk it.
        self.walk.wait_for = 0;
        self.step(false);
        if !self.fits(&tail) {
            return Err(Box::new(self));
        }
        self.walk.frames.pop();
        let Some(Frame::Trace(mut head)) = self.walk.frames.pop() else {
            self.give_up();
            return Ok(self.finish());
        };
        let walk = &mut self.walk;
        walk.frames.clear();
        // The tail reported ids that are not hex for traces the head may have reported already.
        let ctx: &ImportContext = &walk.ctx;
        builder
            .retain_warnings(|warning| warning.kind != WarningKind::NonHexId || !ctx.warned_non_hex(warning.trace_id));
        let offset = walk.ctx.builder.append(builder);

        let Tail { trace, errors, spans_read, .. } = tail;
        // A key the trace object names twice counts as its last, as in one walk.
        head.trace_id = trace.trace_id.or(head.trace_id);
        head.processes = trace.processes.or(head.processes);
        head.warnings = trace.warnings.or(head.warnings);
        for (position, index) in trace.pending {
            if let Some(id) = trace.process_ids.get(index as usize) {
                head.names_process(position + offset, id);
            }
        }
        head.without_trace.extend(trace.without_trace.into_iter().map(|position| position + offset));
        walk.errors = errors.or(walk.errors.take());
        walk.ctx.spans_read += spans_read;
        walk.expect = Expect::End;
        self.received = self.size_bytes;
        if super::finish_trace(&mut self.walk.ctx, head).is_err() {
            self.give_up();
        }
        Ok(self.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::span_start;

    #[test]
    fn a_span_start_follows_a_comma_and_opens_with_trace_id() {
        assert_eq!(span_start(br#"x},{"traceID":"a"}"#), Some((2, 3)));
        assert_eq!(span_start(b"},\n    {\n      \"traceID\" : \"a\""), Some((1, 7)));
        // The first key of the trace object itself, after `[`: not between two spans.
        assert_eq!(span_start(br#"{"data":[{"traceID":"a","spans":[]}]}"#), None);
        // A key that is not the object's first, and the text inside a string.
        assert_eq!(span_start(br#"},{"spanID":"b","traceID":"a"}"#), None);
        assert_eq!(span_start(br#""value":"a,{\"traceID\":b""#), None);
        assert_eq!(span_start(br#"},{"traceID""#), None);
    }
}
