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
mod quick;
pub mod streamed;
mod zipkin;

use std::fmt;
use std::io::Read;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::error::Category;
use serde_json::value::RawValue;

use crate::core::model::TraceSetBuilder;
use context::ImportContext;
pub use error::{ImportError, ACCEPTED_FORMATS};
pub use streamed::{Finished, StreamedImport, Tail};

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
    // Gzip, known by its magic bytes whatever the file is called.
    let decompressed;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(bytes.len().saturating_mul(8));
        flate2::read::MultiGzDecoder::new(bytes)
            .read_to_end(&mut out)
            .map_err(|error| ImportError::BadCompression { file: file.to_owned(), message: error.to_string() })?;
        decompressed = out;
        &decompressed[..]
    } else {
        bytes
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let (line, column) = line_and_column(bytes, error.valid_up_to());
        ImportError::NotText { file: file.to_owned(), line, column }
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file: file.to_owned() });
    }
    let lower = file.to_ascii_lowercase();
    let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
    let named_lines = lower.ends_with(".jsonl") || lower.ends_with(".ndjson");
    // Big files: reserve the tables once rather than let them double (and copy) while they
    // grow. A span with its attributes takes 700 bytes of JSON or more in every format, so this
    // errs towards a little too much room, which costs less than one more doubling.
    if text.len() > 1 << 20 {
        let spans = text.len() / 700;
        builder.reserve(spans, spans * 8, spans);
    }
    let checkpoint = builder.checkpoint();
    let attempt = |builder: &mut TraceSetBuilder, as_lines: bool| {
        let mut ctx = ImportContext::new(builder);
        let result =
            if as_lines { import_lines(&mut ctx, file, text) } else { import_document(&mut ctx, file, text, 0) };
        result.map(|format| (format, ctx.spans_read, ctx.notes))
    };
    let mut json_lines = named_lines;
    let mut result = attempt(builder, named_lines);
    if matches!(result, Err(ImportError::InvalidJson { .. })) && !named_lines && looks_like_json_lines(text) {
        // Several JSON values one after another: JSON Lines under another name.
        builder.rollback(checkpoint);
        json_lines = true;
        result = attempt(builder, true);
    }
    match result {
        Ok((format, spans_read, notes)) => {
            Ok(FileReport { file: file.to_owned(), format, json_lines, spans_read, notes })
        }
        Err(error) => {
            builder.rollback(checkpoint);
            Err(error)
        }
    }
}

/// Imports each non-empty line as a document; the format is the first line's.
fn import_lines(ctx: &mut ImportContext, file: &str, text: &str) -> Result<Format, ImportError> {
    let mut first: Option<Format> = None;
    for (index, line) in text.split('\n').enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let format = import_document(ctx, file, line, index)?;
        first.get_or_insert(format);
    }
    Ok(first.unwrap_or(Format::EmptyArray))
}

/// Imports one JSON document, streaming spans into the builder as they are read.
/// `line_offset` is added to line numbers in messages (for JSON Lines).
fn import_document(ctx: &mut ImportContext, file: &str, text: &str, line_offset: usize) -> Result<Format, ImportError> {
    let place = Place { file, text, line_offset };
    match text.trim_start().as_bytes().first() {
        Some(b'{') => {
            let mut deserializer = serde_json::Deserializer::from_str(text);
            let outcome = TopSeed { ctx: &mut *ctx }.deserialize(&mut deserializer).and_then(|outcome| {
                deserializer.end()?;
                Ok(outcome)
            });
            let outcome = outcome.map_err(|error| place.error(error, ctx.current_format, text))?;
            outcome.format.ok_or_else(|| ImportError::UnknownShape { file: file.to_owned(), found: outcome.describe() })
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|error| place.error(error, None, text))?;
            import_array(ctx, &place, &items)
        }
        _ => {
            let value: &RawValue = serde_json::from_str(text).map_err(|error| place.error(error, None, text))?;
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

/// Where a document is, for messages.
struct Place<'f, 'a> {
    file: &'f str,
    /// The document's whole text (positions are relative to it).
    text: &'a str,
    line_offset: usize,
}

impl Place<'_, '_> {
    /// Turns a parser error in `part` (a slice of the document) into the file's terms.
    fn error(&self, error: serde_json::Error, format: Option<Format>, part: &str) -> ImportError {
        let base = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let (base_line, base_column) = line_and_column(self.text.as_bytes(), base);
        let line = base_line + error.line().max(1) - 1 + self.line_offset;
        let column = if error.line() <= 1 { base_column + error.column().max(1) - 1 } else { error.column() };
        let message = strip_position(&error);
        let file = self.file.to_owned();
        match error.classify() {
            Category::Data if message == jaeger::INTERNAL_MODEL => ImportError::Unsupported {
                file,
                format: "Jaeger's internal span model (spans with \"spanId\" and RFC 3339 times)".to_owned(),
                advice: "Download the trace from the Jaeger UI or its query API (/api/traces/<id>) instead.".to_owned(),
            },
            Category::Data => match format {
                Some(format) => {
                    ImportError::Malformed { file, format: format.name().to_owned(), line, column, message }
                }
                None => ImportError::InvalidJson { file, line, column, message },
            },
            Category::Syntax | Category::Eof | Category::Io => ImportError::InvalidJson { file, line, column, message },
        }
    }
}

/// What the top-level object held.
struct TopOutcome {
    format: Option<Format>,
    /// Every top-level key, for the message when no format was found.
    keys: Vec<String>,
}

impl TopOutcome {
    fn describe(&self) -> String {
        if self.keys.is_empty() {
            return "an empty object".to_owned();
        }
        let mut names: Vec<String> = self.keys.iter().take(8).map(|name| format!("\"{name}\"")).collect();
        if self.keys.len() > 8 {
            names.push(format!("and {} more", self.keys.len() - 8));
        }
        format!("an object with the keys {}", names.join(", "))
    }
}

/// Streams the top-level object: the key names the format (`data`, `resourceSpans`,
/// `batches`, `result`, or a trace's own `traceID`/`spans`/`processes`).
struct TopSeed<'c, 'b> {
    ctx: &'c mut ImportContext<'b>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_> {
    type Value = TopOutcome;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<TopOutcome, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_> {
    type Value = TopOutcome;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopOutcome, A::Error> {
        let ctx = self.ctx;
        let mut outcome = TopOutcome { format: None, keys: Vec::new() };
        let mut trace = jaeger::TraceState::default();
        let mut trace_keys = false;
        let mut errors: Vec<jaeger::ApiError<'de>> = Vec::new();
        while let Some(key) = map.next_key::<json::Text<'de>>()? {
            let key = key.as_str();
            outcome.keys.push(key.to_owned());
            match key {
                "data" => {
                    ctx.current_format = Some(Format::JaegerApi);
                    let list = map.next_value_seed(jaeger::DataSeed { ctx: &mut *ctx })?;
                    outcome.format = Some(if list { Format::JaegerApi } else { Format::JaegerTrace });
                }
                "errors" => {
                    let list: Option<Vec<jaeger::ApiError<'de>>> = map.next_value()?;
                    errors = list.unwrap_or_default();
                }
                "resourceSpans" | "batches" | "result" => {
                    let format = match key {
                        "resourceSpans" => Format::Otlp,
                        "batches" => Format::TempoBatches,
                        _ => Format::JaegerV3,
                    };
                    ctx.current_format = Some(format);
                    if key == "result" {
                        map.next_value_seed(otlp::TracesDataSeed { ctx: &mut *ctx })?;
                    } else {
                        map.next_value_seed(otlp::ResourceSpansListSeed { ctx: &mut *ctx })?;
                    }
                    outcome.format = Some(format);
                }
                _ => {
                    ctx.current_format = Some(Format::JaegerTrace);
                    if trace.on_key(ctx, key, &mut map)? {
                        trace_keys = true;
                        if key == "spans" {
                            outcome.format = Some(Format::JaegerTrace);
                        }
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        if trace_keys {
            trace.finish(ctx);
        }
        if outcome.format == Some(Format::JaegerApi) {
            jaeger::report_api_errors(ctx, &errors);
        }
        Ok(outcome)
    }
}

/// Imports a top-level array: the first item tells the format.
fn import_array(ctx: &mut ImportContext, place: &Place, items: &[&RawValue]) -> Result<Format, ImportError> {
    let Some(first) = items.first() else { return Ok(Format::EmptyArray) };
    let file = place.file;
    match first.get().trim_start().as_bytes().first() {
        Some(b'[') => {
            // Zipkin: one array of spans per trace.
            reject_zipkin_v1(file, place.text)?;
            ctx.current_format = Some(Format::ZipkinV2);
            let traces: Vec<Vec<zipkin::Span>> =
                serde_json::from_str(place.text).map_err(|error| place.error(error, ctx.current_format, place.text))?;
            zipkin::convert(ctx, &traces.into_iter().flatten().collect::<Vec<_>>());
            Ok(Format::ZipkinV2)
        }
        Some(b'{') => {
            let keys: json::Entries<&RawValue> =
                serde_json::from_str(first.get()).map_err(|error| place.error(error, None, first.get()))?;
            let has = |name: &str| keys.0.iter().any(|(key, _)| key == name);
            let format = if has("resourceSpans") {
                Format::Otlp
            } else if has("batches") {
                Format::TempoBatches
            } else if has("spans") && (has("traceID") || has("processes")) {
                Format::JaegerTraceArray
            } else if has("spanID") {
                Format::JaegerSpanArray
            } else if has("traceId") && has("id") {
                Format::ZipkinV2
            } else {
                let found = TopOutcome { format: None, keys: keys.0.iter().map(|(key, _)| key.to_string()).collect() };
                return Err(ImportError::UnknownShape {
                    file: file.to_owned(),
                    found: format!("an array whose first item is {}", found.describe()),
                });
            };
            ctx.current_format = Some(format);
            if format == Format::ZipkinV2 {
                reject_zipkin_v1(file, place.text)?;
                let spans: Vec<zipkin::Span> =
                    serde_json::from_str(place.text).map_err(|error| place.error(error, Some(format), place.text))?;
                zipkin::convert(ctx, &spans);
                return Ok(format);
            }
            for item in items {
                let mut deserializer = serde_json::Deserializer::from_str(item.get());
                let result = match format {
                    Format::JaegerTraceArray => jaeger::TraceSeed { ctx: &mut *ctx }.deserialize(&mut deserializer),
                    Format::JaegerSpanArray => jaeger::Span::deserialize(&mut deserializer)
                        .and_then(|span| jaeger::convert_lone_span(&mut *ctx, span)),
                    _ => otlp::TracesDataSeed { ctx: &mut *ctx }.deserialize(&mut deserializer),
                };
                result.map_err(|error| place.error(error, Some(format), item.get()))?;
            }
            Ok(format)
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

/// The bundled checkout sample (9 spans, 8 services), for unit tests.
#[cfg(test)]
pub(crate) const CHECKOUT_JSON: &[u8] = include_bytes!("../../../public/samples/checkout.json");

/// One OTLP trace with every table filled, for unit tests: resources, attributes of every kind,
/// events and links (one to a loaded span, one to a span elsewhere), a failed root.
#[cfg(test)]
pub(crate) const FILLED_JSON: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
  "scopeSpans":[{"spans":[
    {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"GET /cart",
     "startTimeUnixNano":"1000","endTimeUnixNano":"9000","kind":2,"status":{"code":2,"message":"boom"},
     "attributes":[{"key":"a","value":{"stringValue":"x"}},{"key":"b","value":{"intValue":"7"}},
                   {"key":"c","value":{"doubleValue":1.5}},{"key":"d","value":{"boolValue":true}},
                   {"key":"e","value":{"arrayValue":{"values":[{"stringValue":"p"}]}}}],
     "events":[{"timeUnixNano":"2000","name":"retry","attributes":[{"key":"n","value":{"intValue":"1"}}]}]},
    {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","parentSpanId":"b7ad6b7169203331",
     "name":"SELECT","startTimeUnixNano":"3000","endTimeUnixNano":"4000",
     "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"},
              {"traceId":"11111111111111111111111111111111","spanId":"2222222222222222",
               "attributes":[{"key":"why","value":{"stringValue":"batch"}}]}]}
  ]}]}]}"#;

/// [`FILLED_JSON`], imported, for unit tests.
#[cfg(test)]
pub(crate) fn filled_sample() -> crate::core::model::TraceSet {
    let mut builder = TraceSetBuilder::new();
    let imported = import_file(&mut builder, "filled.json", FILLED_JSON.as_bytes());
    assert!(imported.is_ok(), "the filled trace imports");
    builder.finish()
}

/// The bundled checkout sample, imported, for unit tests.
#[cfg(test)]
pub(crate) fn checkout_sample() -> crate::core::model::TraceSet {
    let mut builder = TraceSetBuilder::new();
    let imported = import_file(&mut builder, "checkout.json", CHECKOUT_JSON);
    assert!(imported.is_ok(), "the checkout sample imports");
    builder.finish()
}
