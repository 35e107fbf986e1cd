//! The small typed values of the model: attribute values, span kinds, statuses, link kinds and
//! span flags.

use crate::core::model::ids::StrIdx;

/// An attribute value, keeping the type the instrumentation gave it. 16 bytes: the rare
/// variants that own memory hold one thin pointer.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum AttrValue {
    /// Text, interned.
    Str(StrIdx),
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit integer (also from strings beyond 2^53, which JSON numbers cannot hold).
    Int(i64),
    /// A double; may be NaN or infinite when the source said so.
    Double(f64),
    /// Raw bytes (shown as base64).
    Bytes(Box<Vec<u8>>),
    /// An array of values.
    Array(Box<Vec<AttrValue>>),
    /// A list of key-value pairs (OTLP `kvlistValue`).
    KvList(Box<Vec<(StrIdx, AttrValue)>>),
}

/// What a span represents in a call (OpenTelemetry span kinds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SpanKind {
    /// Not given by the source.
    #[default]
    Unspecified,
    /// Work inside one service.
    Internal,
    /// The receiving side of a remote call.
    Server,
    /// The calling side of a remote call.
    Client,
    /// The sending side of a message.
    Producer,
    /// The receiving side of a message.
    Consumer,
}

impl SpanKind {
    /// Lower-case name as Jaeger's `span.kind` tag and Zipkin write it; `None` when unspecified.
    pub fn as_tag(self) -> Option<&'static str> {
        match self {
            SpanKind::Unspecified => None,
            SpanKind::Internal => Some("internal"),
            SpanKind::Server => Some("server"),
            SpanKind::Client => Some("client"),
            SpanKind::Producer => Some("producer"),
            SpanKind::Consumer => Some("consumer"),
        }
    }

    /// Reads a kind from a tag value or an OTLP enum name, in any case: `server`,
    /// `SPAN_KIND_SERVER`, `SERVER`. Unknown text is `None`.
    pub fn parse(text: &str) -> Option<SpanKind> {
        let name = text.strip_prefix("SPAN_KIND_").unwrap_or(text);
        let kind = if name.eq_ignore_ascii_case("internal") {
            SpanKind::Internal
        } else if name.eq_ignore_ascii_case("server") {
            SpanKind::Server
        } else if name.eq_ignore_ascii_case("client") {
            SpanKind::Client
        } else if name.eq_ignore_ascii_case("producer") {
            SpanKind::Producer
        } else if name.eq_ignore_ascii_case("consumer") {
            SpanKind::Consumer
        } else if name.eq_ignore_ascii_case("unspecified") {
            SpanKind::Unspecified
        } else {
            return None;
        };
        Some(kind)
    }

    /// From OTLP's enum number (0..=5); anything else is `None`.
    pub fn from_otlp(number: i64) -> Option<SpanKind> {
        Some(match number {
            0 => SpanKind::Unspecified,
            1 => SpanKind::Internal,
            2 => SpanKind::Server,
            3 => SpanKind::Client,
            4 => SpanKind::Producer,
            5 => SpanKind::Consumer,
            _ => return None,
        })
    }

    /// OTLP's enum number.
    pub fn to_otlp(self) -> i64 {
        match self {
            SpanKind::Unspecified => 0,
            SpanKind::Internal => 1,
            SpanKind::Server => 2,
            SpanKind::Client => 3,
            SpanKind::Producer => 4,
            SpanKind::Consumer => 5,
        }
    }
}

/// The outcome of a span (OpenTelemetry status codes); the message lives beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StatusCode {
    /// Not set by the instrumentation.
    #[default]
    Unset,
    /// Explicitly successful.
    Ok,
    /// Failed.
    Error,
}

impl StatusCode {
    /// From OTLP's enum number (0 unset, 1 ok, 2 error).
    pub fn from_otlp(number: i64) -> Option<StatusCode> {
        Some(match number {
            0 => StatusCode::Unset,
            1 => StatusCode::Ok,
            2 => StatusCode::Error,
            _ => return None,
        })
    }

    /// From `STATUS_CODE_ERROR`, `ERROR`, `ok`, `unset` and so on, in any case.
    pub fn parse(text: &str) -> Option<StatusCode> {
        let name = text.strip_prefix("STATUS_CODE_").unwrap_or(text);
        if name.eq_ignore_ascii_case("error") {
            Some(StatusCode::Error)
        } else if name.eq_ignore_ascii_case("ok") {
            Some(StatusCode::Ok)
        } else if name.eq_ignore_ascii_case("unset") {
            Some(StatusCode::Unset)
        } else {
            None
        }
    }

    /// OTLP's enum number.
    pub fn to_otlp(self) -> i64 {
        match self {
            StatusCode::Unset => 0,
            StatusCode::Ok => 1,
            StatusCode::Error => 2,
        }
    }
}

/// How a link relates its span to the target span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum LinkKind {
    /// An OTLP span link.
    #[default]
    Link,
    /// A Jaeger `FOLLOWS_FROM` reference.
    FollowsFrom,
    /// A Jaeger `CHILD_OF` reference beyond the first (the first is the parent).
    ChildOf,
}

/// Facts about a span row, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct SpanFlags(pub u16);

impl SpanFlags {
    /// The span failed (normalized from every format's way of saying so).
    pub const ERROR: u16 = 1;
    /// The importer recorded at least one warning about this span.
    pub const HAS_WARNINGS: u16 = 1 << 1;
    /// The start time was missing or zero and was taken from the parent.
    pub const START_REPAIRED: u16 = 1 << 2;
    /// The duration was missing or negative and was set to zero.
    pub const DURATION_REPAIRED: u16 = 1 << 3;
    /// The span starts before its parent or ends after it: possible clock skew.
    pub const CLOCK_SKEW: u16 = 1 << 4;
    /// The parent named by the span is not in the trace; the span is shown as a root.
    pub const ORPHAN: u16 = 1 << 5;
    /// Another, different span in the trace carries the same id.
    pub const DUPLICATE_ID: u16 = 1 << 6;
    /// Zipkin: the client half of this shared span was merged into it.
    pub const MERGED_CLIENT_HALF: u16 = 1 << 7;

    /// The flags a span keeps when its set is rebuilt (the others are found again).
    pub const KEPT_ON_REBUILD: u16 =
        Self::ERROR | Self::MERGED_CLIENT_HALF | Self::START_REPAIRED | Self::DURATION_REPAIRED;

    /// Whether `bit` is set.
    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// Sets `bit`.
    pub fn set(&mut self, bit: u16) {
        self.0 |= bit;
    }
}

/// The kind of an import warning: what was repaired or doubtful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum WarningKind {
    /// A span's parent is not in the trace.
    MissingParent,
    /// Spans name each other as parents in a loop; the loop was broken.
    ParentCycle,
    /// A span names itself as its parent.
    SelfParent,
    /// Two different spans carry the same id (both kept).
    DuplicateSpanId,
    /// Byte-identical copies of a span were merged into one.
    DuplicateRecord,
    /// Start time missing or zero; taken from the parent.
    MissingStart,
    /// Duration missing or negative; set to zero.
    BadDuration,
    /// A child starts before its parent or ends after it.
    ClockSkew,
    /// An id was not hex (or base64) and was mapped to bytes by a hash.
    NonHexId,
    /// A value had the wrong type or an unknown enum; it was read as well as possible.
    RepairedValue,
    /// The source reported something itself (Jaeger `warnings`, `errors`, dropped counts).
    SourceReported,
}

impl WarningKind {
    /// Whether a warning of this kind is carried over when a set is rebuilt to add files: the
    /// importers' findings and the repairs already made. The tree's other findings (parents,
    /// cycles, shared ids, skew) are found again.
    pub fn survives_rebuild(self) -> bool {
        matches!(
            self,
            WarningKind::DuplicateRecord
                | WarningKind::NonHexId
                | WarningKind::RepairedValue
                | WarningKind::SourceReported
                | WarningKind::MissingStart
                | WarningKind::BadDuration
        )
    }

    /// `count` warnings of this kind, in words: "650 spans without their parent".
    pub fn counted(self, count: usize) -> String {
        let (one, many) = match self {
            WarningKind::MissingParent => ("span without its parent", "spans without their parent"),
            WarningKind::ParentCycle => ("parent loop broken", "parent loops broken"),
            WarningKind::SelfParent => ("span its own parent", "spans their own parent"),
            WarningKind::DuplicateSpanId => ("id carried by different spans", "ids carried by different spans"),
            WarningKind::DuplicateRecord => ("copy of a span merged", "copies of spans merged"),
            WarningKind::MissingStart => ("start missing", "starts missing"),
            WarningKind::BadDuration => ("bad duration", "bad durations"),
            WarningKind::ClockSkew => ("clock skew", "clock skews"),
            WarningKind::NonHexId => ("id not in hex", "ids not in hex"),
            WarningKind::RepairedValue => ("value repaired", "values repaired"),
            WarningKind::SourceReported => ("note from the source", "notes from the source"),
        };
        crate::core::format::count_noun(count, one, many)
    }

    /// A short human name, used in summaries.
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::MissingParent => "missing parent",
            WarningKind::ParentCycle => "parent cycle",
            WarningKind::SelfParent => "self parent",
            WarningKind::DuplicateSpanId => "duplicate span id",
            WarningKind::DuplicateRecord => "duplicate record",
            WarningKind::MissingStart => "missing start",
            WarningKind::BadDuration => "bad duration",
            WarningKind::ClockSkew => "clock skew",
            WarningKind::NonHexId => "non-hex id",
            WarningKind::RepairedValue => "repaired value",
            WarningKind::SourceReported => "reported by source",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_every_spelling() {
        assert_eq!(SpanKind::parse("SPAN_KIND_SERVER"), Some(SpanKind::Server));
        assert_eq!(SpanKind::parse("client"), Some(SpanKind::Client));
        assert_eq!(SpanKind::parse("PRODUCER"), Some(SpanKind::Producer));
        assert_eq!(SpanKind::parse("bogus"), None);
        assert_eq!(SpanKind::from_otlp(5), Some(SpanKind::Consumer));
        assert_eq!(SpanKind::from_otlp(9), None);
    }

    #[test]
    fn status_parses_from_every_spelling() {
        assert_eq!(StatusCode::parse("STATUS_CODE_ERROR"), Some(StatusCode::Error));
        assert_eq!(StatusCode::parse("Ok"), Some(StatusCode::Ok));
        assert_eq!(StatusCode::from_otlp(2), Some(StatusCode::Error));
        assert_eq!(StatusCode::from_otlp(3), None);
    }
}
