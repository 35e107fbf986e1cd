//! A file imported while it is still being read. Reading a big file takes about as long as
//! parsing it; parsing each part as it arrives lets the two run at once. The common shapes of big
//! files, a Jaeger JSON object (`{"data": [trace...]}` or one trace object) and an OTLP JSON
//! object (`{"resourceSpans": [...]}`, Tempo's `batches`, Jaeger v3's `result`; see the `otlp`
//! module), are walked here token by token: every span is parsed and converted as soon as its bytes are
//! there, with the same code and in the same order as [`import_file`], so the result is the same
//! set, byte for byte. Anything else, and anything doubtful (another format, gzip, JSON Lines,
//! invalid JSON, a value of the wrong type), rolls back what was streamed and waits for the
//! whole file, which [`import_file`] then imports (and refuses with its usual message).
//!
//! A value cut off at the end of what has arrived is parsed again once more bytes are there; a
//! retry waits until the bytes after it have doubled, so a big value cut many times is still
//! parsed a bounded number of times.

mod otlp;
mod split;

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::core::import::context::ImportContext;
use crate::core::import::jaeger::{self, ApiError, Processes, Span, TraceState, Warnings};
use crate::core::import::json::Text;
use crate::core::import::{import_file, FileReport, Format, ImportError};
use crate::core::model::{Checkpoint, TraceId, TraceSetBuilder};

pub use split::Tail;

/// One file imported as its bytes arrive: [`push`](Self::push) each slice read, in order,
/// then [`finish`](Self::finish).
///
/// Only the bytes not parsed yet are kept (usually less than a span), so the file's bytes are
/// copied once into memory that is reused; the caller keeps the slices in case the file has to
/// be imported whole after all, at least until [`has_streamed_spans`](Self::has_streamed_spans).
pub struct StreamedImport<'b> {
    file: String,
    size_bytes: usize,
    /// Where in the file the bytes pushed start: 0, but for a tail (see [`split`]).
    from: usize,
    /// Where in the file a tail's first span starts, once found.
    first_span: Option<usize>,
    /// Bytes pushed so far.
    received: usize,
    /// The bytes from the walk's position to the last one pushed.
    window: Window,
    walk: Walk<'b>,
    /// False once the walk gave up (or never started): the file is imported whole at the end.
    streaming: bool,
}

impl<'b> StreamedImport<'b> {
    /// Starts importing `file` (named as the user knows it, `size_bytes` long) into `builder`.
    pub fn new(builder: &'b mut TraceSetBuilder, file: &str, size_bytes: usize) -> Self {
        let streaming = Self::may_stream(file);
        if streaming && size_bytes > 1 << 20 {
            // As `import_file` does: room for the spans of a file this big, reserved once.
            let spans = size_bytes / 700;
            builder.reserve(spans, spans * 8, spans);
        }
        let checkpoint = builder.checkpoint();
        let walk = Walk::new(ImportContext::new(builder), checkpoint);
        Self {
            file: file.to_owned(),
            size_bytes,
            from: 0,
            first_span: None,
            received: 0,
            window: Window::default(),
            walk,
            streaming,
        }
    }

    /// Starts importing a body whose length is not known for sure (a fetched answer: its
    /// `Content-Length`, when given, may count compressed bytes): `expected_bytes`, if known,
    /// only sizes the room reserved; the body ends when [`finish`](Self::finish) is called.
    pub fn of_body(builder: &'b mut TraceSetBuilder, file: &str, expected_bytes: Option<usize>) -> Self {
        let mut import = Self::new(builder, file, expected_bytes.unwrap_or(0));
        import.size_bytes = usize::MAX;
        import
    }

    /// Whether a file named `file` may be streamed: not JSON Lines (one document per line,
    /// imported whole), gzipped or not (gzip itself is told by its first bytes).
    pub fn may_stream(file: &str) -> bool {
        let lower = file.to_ascii_lowercase();
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        !(lower.ends_with(".jsonl") || lower.ends_with(".ndjson"))
    }

    /// Takes the file's next `slice` and imports what it completes.
    pub fn push(&mut self, slice: &[u8]) {
        self.push_with(slice.len(), |space| space.copy_from_slice(slice));
    }

    /// Takes the file's next `len` bytes, which `fill` writes into the space given, and imports
    /// what they complete.
    pub fn push_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) {
        self.received += len;
        if !self.streaming {
            return;
        }
        fill(self.window.space(len));
        self.step(self.received >= self.size_bytes);
    }

    /// Whether spans are still imported as they arrive (false once the file waits to be
    /// imported whole).
    pub fn is_streaming(&self) -> bool {
        self.streaming
    }

    /// Walks what the window holds, then drops what it parsed.
    fn step(&mut self, complete: bool) {
        if !self.streaming {
            return;
        }
        let walked = self.walk.advance(self.window.bytes(), complete);
        if let Some(at) = self.walk.found.take() {
            self.first_span = Some(self.from + self.received - self.window.len() + at);
        }
        if let Err(Halt::GiveUp) = walked {
            self.give_up();
            return;
        }
        let parsed = self.walk.pos;
        if parsed > 0 {
            self.window.drop_first(parsed);
            self.walk.pos = 0;
            self.walk.wait_for = self.walk.wait_for.saturating_sub(parsed);
        }
    }

    /// Rolls back what was streamed; the file will be imported whole.
    fn give_up(&mut self) {
        self.walk.ctx.builder.rollback(self.walk.checkpoint);
        self.streaming = false;
        self.window = Window::default();
    }

    /// Takes back what was streamed: the file could not be read to its end.
    pub fn abandon(mut self) {
        if self.streaming {
            self.give_up();
        }
    }

    /// Whether spans have been imported as they arrived, so the file is of the kind streamed: a
    /// caller that kept the slices in case the file had to be imported whole may drop them (it
    /// reads the file again in the rare case that it turns out broken later on).
    pub fn has_streamed_spans(&self) -> bool {
        self.streaming && self.walk.ctx.spans_read > 0
    }

    /// Whether spans have streamed from a Jaeger document of the query API, the kind whose
    /// second half another import can read at once (see the `split` module).
    pub fn may_split(&self) -> bool {
        self.has_streamed_spans() && self.walk.format == Some(Format::JaegerApi)
    }

    /// Finishes the import once every slice was pushed: what [`import_file`] gives for the whole
    /// file, or, if it has to be imported whole after all, the import that wants its bytes.
    pub fn finish(mut self) -> Finished<'b> {
        self.step(true);
        if self.streaming {
            match self.walk.finish() {
                Ok(format) => {
                    let ImportContext { spans_read, notes, .. } = self.walk.ctx;
                    let report = FileReport { file: self.file, format, json_lines: false, spans_read, notes };
                    return Finished::Imported(Ok(report));
                }
                Err(_) => self.give_up(),
            }
        }
        let ImportContext { builder, .. } = self.walk.ctx;
        Finished::NeedsWholeFile(WholeImport { builder, file: self.file })
    }
}

/// The bytes pushed and not parsed yet, in memory that is reused push after push: written over,
/// never cleared first (a slice of a big file is 8 MB; clearing it before each copy would write
/// every byte of the file twice).
#[derive(Default)]
struct Window {
    /// The bytes; those from `len` on are left over from earlier pushes.
    buffer: Vec<u8>,
    len: usize,
}

impl Window {
    /// The bytes held.
    fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Room for `len` more bytes after those held, counted as held: the caller fills it.
    fn space(&mut self, len: usize) -> &mut [u8] {
        let end = self.len + len;
        if self.buffer.len() < end {
            self.buffer.resize(end, 0);
        }
        let at = std::mem::replace(&mut self.len, end);
        &mut self.buffer[at..end]
    }

    /// Drops the first `count` bytes held.
    fn drop_first(&mut self, count: usize) {
        let count = count.min(self.len);
        self.buffer.copy_within(count..self.len, 0);
        self.len -= count;
    }
}

/// How a streamed import ended.
pub enum Finished<'b> {
    /// Imported (or refused) as it arrived.
    Imported(Result<FileReport, ImportError>),
    /// Not of the kind streamed, or broken: it is imported from the whole file.
    NeedsWholeFile(WholeImport<'b>),
}

impl Finished<'_> {
    /// The result, importing `whole_file` if it is needed.
    pub fn or_import(self, whole_file: impl FnOnce() -> Vec<u8>) -> Result<FileReport, ImportError> {
        match self {
            Finished::Imported(result) => result,
            Finished::NeedsWholeFile(import) => import.import(&whole_file()),
        }
    }
}

/// A file to import whole, into the builder the streamed import had.
pub struct WholeImport<'b> {
    builder: &'b mut TraceSetBuilder,
    file: String,
}

impl WholeImport<'_> {
    /// Imports the whole file, `bytes`, as [`import_file`] does.
    pub fn import(self, bytes: &[u8]) -> Result<FileReport, ImportError> {
        import_file(self.builder, &self.file, bytes)
    }
}

/// Why a walk stopped.
#[derive(Debug)]
enum Halt {
    /// The next value is not all there yet.
    More,
    /// The file is not one this walk reads; it is imported whole.
    GiveUp,
}

/// What the walk expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The document's `{`.
    Document,
    /// A key, or (`first`, just after `{`) the object's end.
    Key { first: bool },
    /// `,` or `}` after a member.
    AfterMember,
    /// An element, or (`first`, just after `[`) the array's end.
    Element { first: bool },
    /// `,` or `]` after an element.
    AfterElement,
    /// Nothing but whitespace.
    End,
}

/// The containers the walk is in, outermost first.
enum Frame {
    /// The top-level object.
    Top,
    /// The API's `data` list of traces.
    Data,
    /// A trace object: an item of `data`, or `data` itself.
    Trace(Trace),
    /// A trace's `spans`; the trace is the frame below, or the top-level object's own.
    Spans,
    /// Jaeger v3's `result` (an OTLP `TracesData` object).
    OtlpResult,
    /// A list of OTLP `ResourceSpans`.
    OtlpResources,
    /// A `ResourceSpans` object.
    OtlpResource(otlp::ResourceState),
    /// A list of `ScopeSpans`.
    OtlpScopes,
    /// A `ScopeSpans` object.
    OtlpScope(otlp::ScopeState),
    /// A scope's `spans`.
    OtlpSpans,
}

/// A trace object being read: what `jaeger::TraceState` holds, with its borrowed values kept as
/// their JSON text (read again when the trace ends; they are small) and the process ids its
/// spans name kept once each.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Trace {
    trace_id: Option<TraceId>,
    processes: Option<String>,
    warnings: Option<String>,
    /// Pushed spans that name a process: (push position, index in `process_ids`).
    pending: Vec<(usize, u32)>,
    /// The process ids named, each once, and where each is in `process_ids`.
    process_ids: Vec<String>,
    /// Where each of `process_ids` is (not sent with a tail: only the head's trace looks here).
    #[serde(skip)]
    process_index: FxHashMap<String, u32>,
    without_trace: Vec<usize>,
    /// The trace began before the part of the file this import reads (a tail's first trace,
    /// which the import of the head finishes: see [`split`]).
    cut: bool,
}

impl Trace {
    /// Records that the span pushed at `position` names the process `id`.
    fn names_process(&mut self, position: usize, id: &str) {
        let index = match self.process_index.get(id) {
            Some(&index) => index,
            None => {
                let index = self.process_ids.len() as u32;
                self.process_ids.push(id.to_owned());
                self.process_index.insert(id.to_owned(), index);
                index
            }
        };
        self.pending.push((position, index));
    }
}

/// What a member of a trace object did.
enum TraceMember {
    /// Read the value, this many bytes.
    Read(usize),
    /// Opened the spans list (one byte).
    OpenedSpans,
}

/// The walk through one Jaeger JSON document.
struct Walk<'b> {
    ctx: ImportContext<'b>,
    checkpoint: Checkpoint,
    /// Whether the start (gzip, byte-order mark) has been looked at.
    started: bool,
    /// Where the next token starts, in the window.
    pos: usize,
    /// A parse ran out of bytes: try again once this many are there.
    wait_for: usize,
    expect: Expect,
    frames: Vec<Frame>,
    /// The top-level object's own trace keys (one trace written without `data`).
    top_trace: Option<Trace>,
    format: Option<Format>,
    /// The top-level `errors`, once read, as JSON.
    errors: Option<String>,
    /// A tail still looks for the first span it reads (see [`split`]).
    seeking: bool,
    /// Where in the window the tail's first span was found, until the import has noted it.
    found: Option<usize>,
    /// A tail's first trace, ended: what the head's import needs to finish it.
    cut_trace: Option<Trace>,
}

impl<'b> Walk<'b> {
    fn new(ctx: ImportContext<'b>, checkpoint: Checkpoint) -> Self {
        Self {
            ctx,
            checkpoint,
            started: false,
            pos: 0,
            wait_for: 0,
            expect: Expect::Document,
            frames: Vec::new(),
            top_trace: None,
            format: None,
            errors: None,
            seeking: false,
            found: None,
            cut_trace: None,
        }
    }

    /// Walks as far as `bytes` (the window) go.
    fn advance(&mut self, bytes: &[u8], complete: bool) -> Result<(), Halt> {
        if self.seeking {
            self.seek(bytes, complete)?;
        }
        if !self.started {
            if bytes.len() < 3 && !complete {
                return Err(Halt::More);
            }
            if bytes.starts_with(&[0x1f, 0x8b]) {
                return Err(Halt::GiveUp);
            }
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                self.pos = 3;
            }
            self.started = true;
        }
        if bytes.len() < self.wait_for && !complete {
            return Err(Halt::More);
        }
        let end = if complete { bytes.len() } else { whole_chars_end(bytes, self.pos) };
        let text = std::str::from_utf8(&bytes[self.pos..end]).map_err(|_| Halt::GiveUp)?;
        let result = self.walk(text, complete);
        if let Err(Halt::More) = result {
            let waiting = bytes.len() - self.pos;
            self.wait_for = bytes.len() + waiting.max(1);
        }
        result
    }

    /// Walks `text` (the file from `self.pos` on).
    fn walk(&mut self, text: &str, complete: bool) -> Result<(), Halt> {
        let base = self.pos;
        let mut at = 0;
        loop {
            at += whitespace(&text[at..]);
            self.pos = base + at;
            let rest = &text[at..];
            let Some(&first) = rest.as_bytes().first() else {
                return match (complete, self.expect) {
                    (true, Expect::End) => Ok(()),
                    (true, _) => Err(Halt::GiveUp),
                    (false, _) => Err(Halt::More),
                };
            };
            at += match (self.expect, first) {
                (Expect::Document, b'{') => {
                    self.frames.push(Frame::Top);
                    self.expect = Expect::Key { first: true };
                    1
                }
                (Expect::Key { first: true }, b'}') | (Expect::AfterMember, b'}') => {
                    self.close_object()?;
                    1
                }
                (Expect::Key { .. }, b'"') => self.member(rest, complete)?,
                (Expect::AfterMember, b',') => {
                    self.expect = Expect::Key { first: false };
                    1
                }
                (Expect::Element { first: true }, b']') | (Expect::AfterElement, b']') => {
                    self.close_array();
                    1
                }
                (Expect::Element { .. }, _) => self.element(rest, complete)?,
                (Expect::AfterElement, b',') => {
                    self.expect = Expect::Element { first: false };
                    1
                }
                _ => return Err(Halt::GiveUp),
            };
        }
    }

    /// Reads one member `"key": value` of the object the walk is in. Returns the bytes read.
    fn member(&mut self, rest: &str, complete: bool) -> Result<usize, Halt> {
        let (key, mut used) = parse_one::<Text>(rest, complete)?;
        used += whitespace(&rest[used..]);
        match rest.as_bytes().get(used) {
            Some(b':') => used += 1,
            Some(_) => return Err(Halt::GiveUp),
            None => return Err(Halt::More),
        }
        used += whitespace(&rest[used..]);
        let value = &rest[used..];
        if value.is_empty() {
            return Err(Halt::More);
        }
        let key = key.as_str();
        let read = match self.frames.last_mut() {
            Some(Frame::Top) => self.top_member(key, value, complete)?,
            Some(Frame::Trace(trace)) => {
                let member = trace_member(&mut self.ctx, trace, key, value, complete)?;
                self.after_trace_member(member)
            }
            Some(Frame::OtlpResult) => self.otlp_result_member(key, value, complete)?,
            Some(Frame::OtlpResource(_)) => self.otlp_resource_member(key, value, complete)?,
            Some(Frame::OtlpScope(_)) => self.otlp_scope_member(key, value, complete)?,
            _ => return Err(Halt::GiveUp),
        };
        Ok(used + read)
    }

    /// Goes on after a member of a trace object: after its value, or into its spans. Returns the
    /// bytes read.
    fn after_trace_member(&mut self, member: TraceMember) -> usize {
        match member {
            TraceMember::Read(read) => {
                self.expect = Expect::AfterMember;
                read
            }
            TraceMember::OpenedSpans => {
                self.frames.push(Frame::Spans);
                self.expect = Expect::Element { first: true };
                1
            }
        }
    }

    /// A member of the top-level object, as `TopSeed` reads it. Changes nothing when the
    /// value is not all there. Returns the bytes read.
    fn top_member(&mut self, key: &str, value: &str, complete: bool) -> Result<usize, Halt> {
        // Jaeger keys beside an OTLP document: left to the whole-file import (and a second OTLP
        // key, see `otlp_top_member`).
        if self.format.is_some_and(is_otlp) && matches!(key, "data" | "traceID" | "spans" | "processes" | "warnings") {
            return Err(Halt::GiveUp);
        }
        let read = match key {
            "data" => {
                self.ctx.current_format = Some(Format::JaegerApi);
                let (opened, format, expect) = match value.as_bytes().first() {
                    Some(b'[') => (Frame::Data, Format::JaegerApi, Expect::Element { first: true }),
                    Some(b'{') => (Frame::Trace(Trace::default()), Format::JaegerTrace, Expect::Key { first: true }),
                    _ => {
                        let ((), read) = parse_one::<()>(value, complete)?;
                        self.format = Some(Format::JaegerApi);
                        self.expect = Expect::AfterMember;
                        return Ok(read);
                    }
                };
                self.frames.push(opened);
                self.format = Some(format);
                self.expect = expect;
                return Ok(1);
            }
            "errors" => {
                let (_, read) = parse_one::<Option<Vec<ApiError>>>(value, complete)?;
                self.errors = Some(value[..read].to_owned());
                read
            }
            "resourceSpans" | "batches" | "result" => return self.otlp_top_member(key, value, complete),
            "traceID" | "spans" | "processes" | "warnings" => {
                self.ctx.current_format = Some(Format::JaegerTrace);
                let trace = self.top_trace.get_or_insert_with(Trace::default);
                let member = trace_member(&mut self.ctx, trace, key, value, complete)?;
                if key == "spans" {
                    self.format = Some(Format::JaegerTrace);
                }
                return Ok(self.after_trace_member(member));
            }
            _ => {
                self.ctx.current_format = Some(Format::JaegerTrace);
                parse_one::<IgnoredAny>(value, complete)?.1
            }
        };
        self.expect = Expect::AfterMember;
        Ok(read)
    }

    /// Reads one element of the array the walk is in. Returns the bytes read.
    fn element(&mut self, rest: &str, complete: bool) -> Result<usize, Halt> {
        let depth = self.frames.len();
        match self.frames.last() {
            Some(Frame::Data) if rest.starts_with('{') => {
                self.frames.push(Frame::Trace(Trace::default()));
                self.expect = Expect::Key { first: true };
                Ok(1)
            }
            Some(Frame::Spans) => {
                // Most spans are read by the quick reader; serde reads the rest (and any span the
                // text may not hold whole yet).
                let (span, read) = match jaeger::read_span(rest) {
                    Some((span, read)) if read < rest.len() || complete => (span, read),
                    _ => parse_one::<Span>(rest, complete)?,
                };
                let trace = match depth.checked_sub(2).and_then(|below| self.frames.get_mut(below)) {
                    Some(Frame::Trace(trace)) => trace,
                    _ => self.top_trace.as_mut().ok_or(Halt::GiveUp)?,
                };
                let pending = jaeger::convert_listed::<serde_json::Error>(
                    &mut self.ctx,
                    trace.trace_id,
                    &mut trace.without_trace,
                    span,
                )
                .map_err(|_| Halt::GiveUp)?;
                if let Some((position, process_id)) = pending {
                    trace.names_process(position, process_id.as_str());
                }
                self.expect = Expect::AfterElement;
                Ok(read)
            }
            Some(Frame::OtlpResources | Frame::OtlpScopes) => self.otlp_open_element(rest),
            Some(Frame::OtlpSpans) => self.otlp_span(rest, complete),
            _ => Err(Halt::GiveUp),
        }
    }

    /// Ends the object the walk is in.
    fn close_object(&mut self) -> Result<(), Halt> {
        match self.frames.pop() {
            Some(Frame::Trace(trace)) => {
                if trace.cut {
                    self.cut_trace = Some(trace);
                } else {
                    finish_trace(&mut self.ctx, trace)?;
                }
                self.expect = match self.frames.last() {
                    Some(Frame::Data) => Expect::AfterElement,
                    _ => Expect::AfterMember,
                };
            }
            Some(Frame::Top) => {
                if let Some(trace) = self.top_trace.take() {
                    finish_trace(&mut self.ctx, trace)?;
                }
                self.expect = Expect::End;
            }
            Some(frame @ (Frame::OtlpResult | Frame::OtlpResource(_) | Frame::OtlpScope(_))) => {
                return self.otlp_close(frame);
            }
            _ => return Err(Halt::GiveUp),
        }
        Ok(())
    }

    /// Ends the array the walk is in (`data` or `spans`, both values of a member).
    fn close_array(&mut self) {
        self.frames.pop();
        self.expect = Expect::AfterMember;
    }

    /// After the whole file was walked: reports the API's errors; the format read.
    fn finish(&mut self) -> Result<Format, Halt> {
        if self.expect != Expect::End {
            return Err(Halt::GiveUp);
        }
        let errors = match &self.errors {
            Some(text) => parse_text::<Option<Vec<ApiError>>>(text)?.unwrap_or_default(),
            None => Vec::new(),
        };
        let format = self.format.ok_or(Halt::GiveUp)?;
        if format == Format::JaegerApi {
            jaeger::report_api_errors(&mut self.ctx, &errors);
        }
        Ok(format)
    }
}

/// Whether `format` is one of the OTLP documents the walk reads.
fn is_otlp(format: Format) -> bool {
    matches!(format, Format::Otlp | Format::TempoBatches | Format::JaegerV3)
}

/// Reads one member of a trace object, as `TraceState::on_key` does.
fn trace_member(
    ctx: &mut ImportContext,
    trace: &mut Trace,
    key: &str,
    value: &str,
    complete: bool,
) -> Result<TraceMember, Halt> {
    let read = match key {
        "traceID" => {
            let (text, read) = parse_one::<Option<Text>>(value, complete)?;
            trace.trace_id = text.map(|text| ctx.trace_id(text.as_str()));
            read
        }
        "spans" if value.starts_with('[') => return Ok(TraceMember::OpenedSpans),
        "spans" => parse_one::<()>(value, complete)?.1,
        "processes" => {
            let (_, read) = parse_one::<Option<Processes>>(value, complete)?;
            trace.processes = Some(value[..read].to_owned());
            read
        }
        "warnings" => {
            let (_, read) = parse_one::<Option<Warnings>>(value, complete)?;
            trace.warnings = Some(value[..read].to_owned());
            read
        }
        _ => parse_one::<IgnoredAny>(value, complete)?.1,
    };
    Ok(TraceMember::Read(read))
}

/// Resolves a trace's processes and records its warnings, as `TraceState::finish` does.
fn finish_trace(ctx: &mut ImportContext, trace: Trace) -> Result<(), Halt> {
    let processes = match &trace.processes {
        Some(text) => parse_text::<Option<Processes>>(text)?,
        None => None,
    };
    let warnings = match &trace.warnings {
        Some(text) => parse_text::<Option<Warnings>>(text)?,
        None => None,
    };
    let state = TraceState {
        trace_id: trace.trace_id,
        processes,
        warnings,
        pending: trace
            .pending
            .iter()
            .map(|&(position, index)| {
                let id = trace.process_ids.get(index as usize).map_or("", String::as_str);
                (position, Text(Cow::Borrowed(id)))
            })
            .collect(),
        without_trace: trace.without_trace,
    };
    state.finish(ctx);
    Ok(())
}

/// Parses the one JSON value at the start of `text`; returns it and its length. A value that
/// runs to the end of `text` may go on in bytes still to come, unless the file is `complete`.
fn parse_one<'t, T: Deserialize<'t>>(text: &'t str, complete: bool) -> Result<(T, usize), Halt> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => {
            let read = stream.byte_offset();
            if read >= text.len() && !complete {
                Err(Halt::More)
            } else {
                Ok((value, read))
            }
        }
        Some(Err(error)) if error.is_eof() && !complete => Err(Halt::More),
        _ => Err(Halt::GiveUp),
    }
}

/// Parses a value kept as its JSON text (read before, so known to be whole and valid).
fn parse_text<'t, T: Deserialize<'t>>(text: &'t str) -> Result<T, Halt> {
    serde_json::from_str(text).map_err(|_| Halt::GiveUp)
}

/// The length of the JSON whitespace at the start of `text`.
fn whitespace(text: &str) -> usize {
    text.bytes().take_while(|byte| matches!(byte, b' ' | b'\n' | b'\r' | b'\t')).count()
}

/// The end of the last whole UTF-8 character in `bytes` (at least `from`): a character cut off
/// at the end waits for the rest of its bytes.
fn whole_chars_end(bytes: &[u8], from: usize) -> usize {
    let end = bytes.len();
    // A character is at most 4 bytes: look at the last 3 for the start of a cut one.
    for back in 1..=3.min(end.saturating_sub(from)) {
        let byte = bytes[end - back];
        if byte & 0xC0 == 0x80 {
            continue; // a continuation byte
        }
        let width = match byte {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if width > back { end - back } else { end };
    }
    end
}
