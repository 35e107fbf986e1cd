//! Why a file was refused. Every message names the file and says what was wrong and where.

use thiserror::Error;

/// The formats a refused file could have been, for the user.
pub const ACCEPTED_FORMATS: &str = "Jaeger JSON (the query API's {\"data\": [...]}, one trace \
{\"traceID\", \"spans\", \"processes\"}, or an array of traces or spans), OTLP JSON \
({\"resourceSpans\": [...]}, also Tempo's {\"batches\": [...]} and Jaeger's {\"result\": ...}), \
Zipkin v2 (an array of spans), or JSON Lines of any of these";

/// A file that could not be imported. Nothing of it was added.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ImportError {
    /// No bytes, or only white space.
    #[error("{file}: the file is empty")]
    Empty {
        /// The file's name.
        file: String,
    },
    /// Gzip-compressed, but the compressed data is damaged.
    #[error("{file}: the gzip-compressed data could not be read: {message}")]
    BadCompression {
        /// The file's name.
        file: String,
        /// What the decompressor said.
        message: String,
    },
    /// The bytes are not UTF-8 text.
    #[error("{file}: not a text file (invalid UTF-8 at line {line}, column {column})")]
    NotText {
        /// The file's name.
        file: String,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in bytes) of the first invalid byte.
        column: usize,
    },
    /// Not valid JSON.
    #[error("{file}: not valid JSON at line {line}, column {column}: {message}")]
    InvalidJson {
        /// The file's name.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser found.
        message: String,
    },
    /// Valid JSON, but no trace format Traceglass knows.
    #[error("{file}: {found}; this is not a trace in a format Traceglass reads. Accepted: {ACCEPTED_FORMATS}")]
    UnknownShape {
        /// The file's name.
        file: String,
        /// What was found at the top level, e.g. `an object with keys "a", "b"`.
        found: String,
    },
    /// Recognized as a format, but a value has the wrong type.
    #[error("{file}: looks like {format}, but could not be read at line {line}, column {column}: {message}")]
    Malformed {
        /// The file's name.
        file: String,
        /// The format it was recognized as.
        format: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// A known format that Traceglass does not read, with advice.
    #[error("{file}: {format} is not supported. {advice}")]
    Unsupported {
        /// The file's name.
        file: String,
        /// The format found.
        format: String,
        /// What to do instead.
        advice: String,
    },
}
