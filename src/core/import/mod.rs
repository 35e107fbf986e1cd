//! Importers: one per format, chosen by file name where it tells (`.jsonl`, `.ndjson`), then by
//! structure. Each reads straight from the bytes into typed structs (no generic JSON tree) and
//! hands spans to a `TraceSetBuilder`.
//!
//! "Not mine" and "mine but broken" are different answers: a JSON file of no known shape is
//! refused with what was found at the top level and the formats accepted; a file of a known
//! shape with a wrong value is refused with the format and the line and column. A refused file
//! adds nothing to the builder. Everything merely doubtful loads, with a warning.

mod context;
pub mod error;
pub mod ids;
mod jaeger;
pub mod json;
mod otlp;
mod zipkin;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::core::model::TraceSetBuilder;
use context::ImportContext;
pub use error::{ImportError, ACCEPTED_FORMATS};

/// The formats recognized, by the shape that was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Jaeger query API response `{"data": [...]}`.
    JaegerApi,
    /// One Jaeger trace `{traceID, spans, processes}` (also Jaeger UI's `{"data": {...}}`).
    JaegerTrace,
    /// An array of Jaeger traces.
    JaegerTraceArray,
    /// An array of Jaeger spans with embedded processes.
    JaegerSpanArray,
    /// OTLP JSON `{"resourceSpans": [...]}` (or an array of them).
    Otlp,
    /// Jaeger's v3 API response `{"result": {"resourceSpans": [...]}}`.
    JaegerV3,
    /// Grafana Tempo's `{"batches": [...]}`.
    TempoBatches,
    /// Zipkin v2: an array of spans, or an array of such arrays.
    ZipkinV2,
    /// An empty array: no spans.
    EmptyArray,
}

impl Format {
    /// The format's name for the user.
    pub fn name(self) -> &'static str {
        match self {
            Format::JaegerApi => "Jaeger JSON (query API response)",
            Format::JaegerTrace => "Jaeger JSON (one trace)",
            Format::JaegerTraceArray => "Jaeger JSON (array of traces)",
            Format::JaegerSpanArray => "Jaeger JSON (array of spans)",
            Format::Otlp => "OTLP JSON",
            Format::JaegerV3 => "OTLP JSON (Jaeger v3 API response)",
            Format::TempoBatches => "OTLP JSON (Tempo batches)",
            Format::ZipkinV2 => "Zipkin v2 JSON",
            Format::EmptyArray => "an empty JSON array",
        }
    }
}

/// What one imported file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The file's name as given.
    pub file: String,
    /// The format recognized (of the first document, for JSON Lines).
    pub format: Format,
    /// Whether the file was read as JSON Lines.
    pub json_lines: bool,
    /// Span records read (before duplicates were merged).
    pub spans_read: usize,
    /// What the file itself reported, or concerns the whole file (e.g. Jaeger `errors`).
    pub notes: Vec<String>,
}

impl FileReport {
    /// "Jaeger JSON (one trace)", or "OTLP JSON, JSON Lines".
    pub fn format_name(&self) -> String {
        if self.json_lines {
            format!("{}, JSON Lines", self.format.name())
        } else {
            self.format.name().to_owned()
        }
    }
}

/// Imports one file into `builder`. On error nothing is added.
pub fn import_file(builder: &mut TraceSetBuilder, file: &str, bytes: &[u8]) -> Result<FileReport, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = line_and_column(bytes, error.valid_up_to());
        ImportError::NotText { file: file.to_owned(), line, column }
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file: file.to_owned() });
    }
    let lower = file.to_ascii_lowercase();
    let named_lines = lower.ends_with(".jsonl") || lower.ends_with(".ndjson");
    let documents = if named_lines {
        parse_lines(file, text)?
    } else {
        match parse_document(file, text, 0) {
            Ok(document) => vec![document],
            Err(error @ ImportError::InvalidJson { .. }) => {
                // Several JSON values one after another: JSON Lines under another name.
                if looks_like_json_lines(text) {
                    parse_lines(file, text)?
                } else {
                    return Err(error);
                }
            }
            Err(error) => return Err(error),
        }
    };
    let mut ctx = ImportContext::new(builder);
    let format = documents.first().map_or(Format::EmptyArray, Document::format);
    let json_lines = named_lines || documents.len() > 1;
    for document in &documents {
        document.convert(&mut ctx);
    }
    Ok(FileReport { file: file.to_owned(), format, json_lines, spans_read: ctx.spans_read, notes: ctx.notes })
}

/// A parsed document of a known shape, borrowing the file's text.
enum Document<'a> {
    JaegerApi { traces: Vec<jaeger::Trace<'a>>, errors: Vec<jaeger::ApiError<'a>> },
    JaegerTrace(Box<jaeger::Trace<'a>>),
    JaegerTraceArray(Vec<jaeger::Trace<'a>>),
    JaegerSpanArray(Vec<jaeger::Span<'a>>),
    Otlp(Format, Vec<otlp::TracesData<'a>>),
    Zipkin(Vec<zipkin::Span<'a>>),
    Empty,
}

impl Document<'_> {
    fn format(&self) -> Format {
        match self {
            Document::JaegerApi { .. } => Format::JaegerApi,
            Document::JaegerTrace(_) => Format::JaegerTrace,
            Document::JaegerTraceArray(_) => Format::JaegerTraceArray,
            Document::JaegerSpanArray(_) => Format::JaegerSpanArray,
            Document::Otlp(format, _) => *format,
            Document::Zipkin(_) => Format::ZipkinV2,
            Document::Empty => Format::EmptyArray,
        }
    }

    fn convert(&self, ctx: &mut ImportContext) {
        match self {
            Document::JaegerApi { traces, errors } => {
                jaeger::report_api_errors(ctx, errors);
                jaeger::convert_traces(ctx, traces);
            }
            Document::JaegerTrace(trace) => jaeger::convert_trace(ctx, trace),
            Document::JaegerTraceArray(traces) => jaeger::convert_traces(ctx, traces),
            Document::JaegerSpanArray(spans) => jaeger::convert_spans(ctx, spans),
            Document::Otlp(_, data) => {
                for item in data {
                    otlp::convert(ctx, item);
                }
            }
            Document::Zipkin(spans) => zipkin::convert(ctx, spans),
            Document::Empty => {}
        }
    }
}

/// The top-level entries of an object, values unparsed.
struct Entries<'a>(Vec<(std::borrow::Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = json::Entries::<&'a RawValue>::deserialize(deserializer)?;
        Ok(Entries(entries.0))
    }
}

impl<'a> Entries<'a> {
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(name, _)| name == key).map(|(_, value)| *value)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn describe(&self) -> String {
        if self.0.is_empty() {
            return "an empty object".to_owned();
        }
        let mut names: Vec<String> = self.0.iter().take(8).map(|(name, _)| format!("\"{name}\"")).collect();
        if self.0.len() > 8 {
            names.push(format!("and {} more", self.0.len() - 8));
        }
        format!("an object with the keys {}", names.join(", "))
    }
}

/// Parses one JSON document of a known shape. `line_offset` is added to line numbers in
/// messages (for JSON Lines).
fn parse_document<'a>(file: &str, text: &'a str, line_offset: usize) -> Result<Document<'a>, ImportError> {
    let trimmed = text.trim_start();
    let invalid = |error: serde_json::Error| ImportError::InvalidJson {
        file: file.to_owned(),
        line: error.line() + line_offset,
        column: error.column(),
        message: strip_position(&error),
    };
    match trimmed.as_bytes().first() {
        Some(b'{') => {
            let entries: Entries = serde_json::from_str(text).map_err(invalid)?;
            parse_object(file, text, &entries, line_offset)
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(invalid)?;
            parse_array(file, text, &items, line_offset)
        }
        _ => {
            // Valid JSON of another kind, or not JSON at all.
            let value: &RawValue = serde_json::from_str(text).map_err(invalid)?;
            let found = match value.get().as_bytes().first() {
                Some(b'"') => "a JSON string",
                Some(b't' | b'f') => "a JSON boolean",
                Some(b'n') => "JSON null",
                _ => "a JSON number",
            };
            Err(ImportError::UnknownShape { file: file.to_owned(), found: found.to_owned() })
        }
    }
}

fn parse_object<'a>(
    file: &str,
    text: &'a str,
    entries: &Entries<'a>,
    line_offset: usize,
) -> Result<Document<'a>, ImportError> {
    let typed = |format: Format, raw: &'a str| Typed { file, text, format, line_offset, raw };
    if entries.has("resourceSpans") || entries.has("batches") {
        let format = if entries.has("resourceSpans") { Format::Otlp } else { Format::TempoBatches };
        let data: otlp::TracesData = typed(format, text).parse()?;
        return Ok(Document::Otlp(format, vec![data]));
    }
    if let Some(result) = entries.get("result") {
        let data: otlp::TracesData = typed(Format::JaegerV3, result.get()).parse()?;
        return Ok(Document::Otlp(Format::JaegerV3, vec![data]));
    }
    if let Some(data) = entries.get("data") {
        let errors: Vec<jaeger::ApiError> = match entries.get("errors") {
            Some(errors) => {
                typed(Format::JaegerApi, errors.get()).parse::<Option<Vec<jaeger::ApiError>>>()?.unwrap_or_default()
            }
            None => Vec::new(),
        };
        return match data.get().trim_start().as_bytes().first() {
            Some(b'{') => {
                let trace: jaeger::Trace = typed(Format::JaegerTrace, data.get()).parse()?;
                Ok(Document::JaegerTrace(Box::new(trace)))
            }
            Some(b'[') | Some(b'n') => {
                let traces: Option<Vec<jaeger::Trace>> = typed(Format::JaegerApi, data.get()).parse()?;
                Ok(Document::JaegerApi { traces: traces.unwrap_or_default(), errors })
            }
            _ => Err(ImportError::UnknownShape {
                file: file.to_owned(),
                found: format!("{} whose \"data\" is neither a list of traces nor a trace", entries.describe()),
            }),
        };
    }
    if entries.has("spans") && (entries.has("traceID") || entries.has("processes") || first_span_is_jaeger(entries)) {
        let trace: jaeger::Trace = typed(Format::JaegerTrace, text).parse()?;
        return Ok(Document::JaegerTrace(Box::new(trace)));
    }
    if entries.has("spans") {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
            format: "Jaeger's internal span model (spans with \"spanId\" and RFC 3339 times)".to_owned(),
            advice: "Download the trace from the Jaeger UI or its query API (/api/traces/<id>) instead.".to_owned(),
        });
    }
    Err(ImportError::UnknownShape { file: file.to_owned(), found: entries.describe() })
}

fn first_span_is_jaeger(entries: &Entries) -> bool {
    let Some(spans) = entries.get("spans") else {
        return false;
    };
    let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(spans.get()) else {
        return false;
    };
    items
        .first()
        .and_then(|item| serde_json::from_str::<Entries>(item.get()).ok())
        .is_some_and(|span| span.has("spanID"))
}

fn parse_array<'a>(
    file: &str,
    text: &'a str,
    items: &[&'a RawValue],
    line_offset: usize,
) -> Result<Document<'a>, ImportError> {
    let typed = |format: Format| Typed { file, text, format, line_offset, raw: text };
    let Some(first) = items.first() else {
        return Ok(Document::Empty);
    };
    match first.get().trim_start().as_bytes().first() {
        Some(b'[') => {
            // Zipkin: one array of spans per trace.
            let traces: Vec<Vec<zipkin::Span>> = typed(Format::ZipkinV2).parse()?;
            reject_zipkin_v1(file, text)?;
            Ok(Document::Zipkin(traces.into_iter().flatten().collect()))
        }
        Some(b'{') => {
            let keys: Entries = serde_json::from_str(first.get()).map_err(|error| ImportError::InvalidJson {
                file: file.to_owned(),
                line: error.line() + line_offset,
                column: error.column(),
                message: strip_position(&error),
            })?;
            if keys.has("resourceSpans") || keys.has("batches") {
                let format = if keys.has("resourceSpans") { Format::Otlp } else { Format::TempoBatches };
                return Ok(Document::Otlp(format, typed(format).parse()?));
            }
            if keys.has("spans") && (keys.has("traceID") || keys.has("processes")) {
                return Ok(Document::JaegerTraceArray(typed(Format::JaegerTraceArray).parse()?));
            }
            if keys.has("spanID") {
                return Ok(Document::JaegerSpanArray(typed(Format::JaegerSpanArray).parse()?));
            }
            if keys.has("traceId") && keys.has("id") {
                reject_zipkin_v1(file, text)?;
                return Ok(Document::Zipkin(typed(Format::ZipkinV2).parse()?));
            }
            Err(ImportError::UnknownShape {
                file: file.to_owned(),
                found: format!("an array whose first item is {}", keys.describe()),
            })
        }
        _ => Err(ImportError::UnknownShape {
            file: file.to_owned(),
            found: "an array of plain values (not objects)".to_owned(),
        }),
    }
}

/// Zipkin v1 carries `binaryAnnotations`; v2 never does.
fn reject_zipkin_v1(file: &str, text: &str) -> Result<(), ImportError> {
    if text.contains("\"binaryAnnotations\"") {
        return Err(ImportError::Unsupported {
            file: file.to_owned(),
            format: "Zipkin v1 JSON (spans with \"binaryAnnotations\")".to_owned(),
            advice: "Fetch the trace from Zipkin's v2 API (/api/v2/trace/<id>) instead.".to_owned(),
        });
    }
    Ok(())
}

/// A part of the file to parse as a known format, with what a failure should say.
struct Typed<'f, 'a> {
    file: &'f str,
    /// The whole text (for positions).
    text: &'a str,
    format: Format,
    line_offset: usize,
    /// The part to parse, a slice of `text`.
    raw: &'a str,
}

impl<'a> Typed<'_, 'a> {
    fn parse<T: Deserialize<'a>>(&self) -> Result<T, ImportError> {
        serde_json::from_str(self.raw).map_err(|error| {
            // Positions are within `raw`; shift them to the file.
            let base = (self.raw.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
            let (base_line, base_column) = line_and_column(self.text.as_bytes(), base);
            let line = base_line + error.line() - 1;
            let column = if error.line() == 1 { base_column + error.column() - 1 } else { error.column() };
            ImportError::Malformed {
                file: self.file.to_owned(),
                format: self.format.name().to_owned(),
                line: line + self.line_offset,
                column,
                message: strip_position(&error),
            }
        })
    }
}

/// Parses each non-empty line as a document.
fn parse_lines<'a>(file: &str, text: &'a str) -> Result<Vec<Document<'a>>, ImportError> {
    let mut documents = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        documents.push(parse_document(file, line, index)?);
    }
    Ok(documents)
}

/// Whether the text is several JSON values, one per line (the first line parses alone).
fn looks_like_json_lines(text: &str) -> bool {
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let first_is_value = lines.next().is_some_and(|line| serde_json::from_str::<&RawValue>(line).is_ok());
    first_is_value && lines.next().is_some()
}

/// serde_json's message without its " at line L column C" suffix (we add our own).
fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// 1-based line and column (in bytes) of `offset`.
fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&byte| byte == b'\n').map_or(0, |at| at + 1);
    (line, offset - line_start + 1)
}
