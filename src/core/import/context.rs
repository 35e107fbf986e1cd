//! What every importer shares while converting one file: the builder, the file's notes, and
//! helpers that turn ids and values into the model while recording each repair as a warning.

use rustc_hash::FxHashSet;

use crate::core::import::ids::{self, IdEncoding};
use crate::core::import::json::Scalar;
use crate::core::import::Format;
use crate::core::model::{AttrValue, SpanId, StatusCode, StrIdx, TraceId, TraceSetBuilder, WarningKind};

/// The state of one file's import.
pub(crate) struct ImportContext<'b> {
    /// Where spans go.
    pub(crate) builder: &'b mut TraceSetBuilder,
    /// Span records read from the file (before merging).
    pub(crate) spans_read: usize,
    /// Things the file itself reported or that concern the whole file.
    pub(crate) notes: Vec<String>,
    /// The format being read, once the document's shape has told it (for messages).
    pub(crate) current_format: Option<Format>,
    /// Traces already warned about non-hex ids (one warning per trace).
    hashed_id_warned: FxHashSet<TraceId>,
    /// The last trace id read, as text and as bytes.
    last_trace: Option<(String, TraceId)>,
    /// Recently seen attribute keys, direct-mapped by a cheap fingerprint: a file names the
    /// same few dozen keys millions of times, and a hit skips hashing into the string table.
    keys: Vec<(String, StrIdx)>,
    /// Recently seen string values, the same way: most attributes take a few values (methods,
    /// components, regions, hosts) over and over.
    values: Vec<(String, StrIdx)>,
}

/// Slots of the attribute-key cache (a power of two).
const KEY_SLOTS: usize = 256;

/// Where `text` goes in the key cache: its length and three of its bytes.
fn key_slot(text: &str) -> usize {
    let bytes = text.as_bytes();
    let Some(&last) = bytes.last() else { return 0 };
    let mixed =
        bytes.len() ^ (usize::from(bytes[0]) << 3) ^ (usize::from(last) << 5) ^ usize::from(bytes[bytes.len() / 2]);
    mixed & (KEY_SLOTS - 1)
}

/// Interns `text` through `cache`, a slot per [`key_slot`]: a hit skips the string table.
fn cached_intern(cache: &mut [(String, StrIdx)], builder: &mut TraceSetBuilder, text: &str) -> StrIdx {
    let slot = key_slot(text);
    let (known, index) = &cache[slot];
    if known == text {
        return *index;
    }
    let index = builder.intern(text);
    let entry = &mut cache[slot];
    entry.0.clear();
    entry.0.push_str(text);
    entry.1 = index;
    index
}

impl<'b> ImportContext<'b> {
    pub(crate) fn new(builder: &'b mut TraceSetBuilder) -> Self {
        Self {
            builder,
            spans_read: 0,
            notes: Vec::new(),
            current_format: None,
            hashed_id_warned: FxHashSet::default(),
            last_trace: None,
            keys: vec![(String::new(), StrIdx(0)); KEY_SLOTS],
            values: vec![(String::new(), StrIdx(0)); KEY_SLOTS],
        }
    }

    /// Interns an attribute key, through the key cache.
    pub(crate) fn key(&mut self, text: &str) -> StrIdx {
        cached_intern(&mut self.keys, self.builder, text)
    }

    /// Appends an attribute with key `key`.
    pub(crate) fn push_attr(&mut self, key: &str, value: AttrValue) {
        let key = self.key(key);
        self.builder.attrs.push(key, value);
    }

    /// Reads a trace id; a hashed one is reported once per trace.
    pub(crate) fn trace_id(&mut self, text: &str) -> TraceId {
        // Most spans of a file name the same trace as the one before: skip the parse.
        if let Some((last_text, last_id)) = &self.last_trace {
            if last_text == text {
                return *last_id;
            }
        }
        let (id, encoding) = ids::trace_id(text);
        self.last_trace = Some((text.to_owned(), id));
        if encoding == IdEncoding::Hashed && self.hashed_id_warned.insert(id) {
            self.builder.warn(
                id,
                None,
                WarningKind::NonHexId,
                format!("The trace id \"{text}\" is not hex or base64; it is shown as {id}."),
            );
        }
        id
    }

    /// Whether ids of `trace` were reported as neither hex nor base64.
    pub(crate) fn warned_non_hex(&self, trace: TraceId) -> bool {
        self.hashed_id_warned.contains(&trace)
    }

    /// Reads a span id of trace `trace`; hashed ids are reported once per trace.
    pub(crate) fn span_id(&mut self, trace: TraceId, text: &str) -> SpanId {
        let (id, encoding) = ids::span_id(text);
        if encoding == IdEncoding::Hashed && self.hashed_id_warned.insert(trace) {
            self.builder.warn(
                trace,
                Some(id),
                WarningKind::NonHexId,
                format!(
                    "Span ids in this trace are not hex or base64 (such as \"{text}\"); they are \
                     shown as hex ids derived from the text."
                ),
            );
        }
        id
    }

    /// Records a warning about a span.
    pub(crate) fn warn(&mut self, trace: TraceId, span: Option<SpanId>, kind: WarningKind, message: String) {
        self.builder.warn(trace, span, kind, message);
    }

    /// Interns a string value as an attribute value, through the value cache.
    pub(crate) fn str_value(&mut self, text: &str) -> AttrValue {
        AttrValue::Str(cached_intern(&mut self.values, self.builder, text))
    }

    /// A JSON scalar as the attribute value it most plainly is.
    pub(crate) fn scalar_value(&mut self, scalar: &Scalar) -> AttrValue {
        match scalar {
            Scalar::Null | Scalar::Other => self.str_value(""),
            Scalar::Bool(value) => AttrValue::Bool(*value),
            Scalar::Int(value) => AttrValue::Int(*value),
            Scalar::UInt(value) => AttrValue::Double(*value as f64),
            Scalar::Float(value) => AttrValue::Double(*value),
            Scalar::Str(text) => self.str_value(text),
        }
    }
}

/// What the usual error tags say: `error=true` (Jaeger, OpenTracing) or
/// `otel.status_code=ERROR|OK` (OpenTelemetry exporters into Jaeger and Zipkin).
#[derive(Clone, Debug, Default)]
pub(crate) struct StatusTags {
    pub(crate) error_tag: bool,
    pub(crate) otel_code: Option<StatusCode>,
    pub(crate) otel_description: Option<String>,
}

impl StatusTags {
    /// Looks at one tag; returns true when the tag is consumed into the status (and so is
    /// not kept as an attribute).
    pub(crate) fn take(&mut self, key: &str, value: &Scalar) -> bool {
        match key {
            "error" => match value.as_bool() {
                Some(true) => {
                    self.error_tag = true;
                    true
                }
                _ => false,
            },
            "otel.status_code" => match value.to_text().as_deref().and_then(StatusCode::parse) {
                Some(code) => {
                    self.otel_code = Some(code);
                    true
                }
                None => false,
            },
            "otel.status_description" => {
                self.otel_description = value.to_text().map(|text| text.into_owned());
                true
            }
            _ => false,
        }
    }

    /// The status these tags give, with its message.
    pub(crate) fn status(&self) -> (StatusCode, Option<&str>) {
        let code = match self.otel_code {
            Some(code) => code,
            None if self.error_tag => StatusCode::Error,
            None => StatusCode::Unset,
        };
        let code = if self.error_tag { StatusCode::Error } else { code };
        (code, self.otel_description.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sharing_a_cache_slot_stay_apart() {
        let (a, b) = ("aXcYe", "aZcWe");
        assert_eq!(key_slot(a), key_slot(b));
        let mut builder = TraceSetBuilder::new();
        let mut ctx = ImportContext::new(&mut builder);
        let first = [ctx.key(a), ctx.key(b), ctx.key(a), ctx.key(b), ctx.key("")];
        assert_ne!(first[0], first[1]);
        assert_eq!(first[0], first[2]);
        assert_eq!(first[1], first[3]);
        assert_eq!(first[4], StrIdx(0));
        assert_eq!(builder.strings.get(first[0]), a);
        assert_eq!(builder.strings.get(first[1]), b);
    }

    #[test]
    fn values_sharing_a_cache_slot_stay_apart_and_match_the_keys() {
        let (a, b) = ("aXcYe", "aZcWe");
        let mut builder = TraceSetBuilder::new();
        let mut ctx = ImportContext::new(&mut builder);
        let values = [ctx.str_value(a), ctx.str_value(b), ctx.str_value(a), ctx.str_value(b), ctx.str_value("")];
        let key = ctx.key(a);
        assert_eq!(values[0], AttrValue::Str(key), "a value and a key of the same text are one string");
        assert_ne!(values[0], values[1]);
        assert_eq!(values[0], values[2]);
        assert_eq!(values[1], values[3]);
        assert_eq!(values[4], AttrValue::Str(StrIdx(0)));
        assert_eq!(builder.strings.get(StrIdx(1)), a);
    }
}
