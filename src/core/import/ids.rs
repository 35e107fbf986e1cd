//! Reading trace and span ids as the formats write them: hex of any case and length (Jaeger,
//! Zipkin, OTLP/JSON), base64 (proto3 JSON, as some OTLP exporters and Tempo write), and, for
//! ids that are neither, a stable hash so the trace still loads (with a warning).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::core::model::{SpanId, TraceId};

/// How an id was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdEncoding {
    /// Hex digits.
    Hex,
    /// Base64 of the id's bytes.
    Base64,
    /// Neither: the id is a hash of the text.
    Hashed,
}

/// Reads a trace id. Empty text gives the zero id, read as hex.
pub fn trace_id(text: &str) -> (TraceId, IdEncoding) {
    if text.is_empty() {
        return (TraceId::default(), IdEncoding::Hex);
    }
    if let Some(id) = TraceId::from_hex(text) {
        return (id, IdEncoding::Hex);
    }
    if let Some(bytes) = base64_bytes::<16>(text) {
        return (TraceId(bytes), IdEncoding::Base64);
    }
    let high = fnv1a(text.as_bytes(), 0xcbf2_9ce4_8422_2325);
    let low = fnv1a(text.as_bytes(), 0x6c62_272e_07bb_0142);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    (TraceId(bytes), IdEncoding::Hashed)
}

/// Reads a span id. Empty text gives the zero id, read as hex.
pub fn span_id(text: &str) -> (SpanId, IdEncoding) {
    if text.is_empty() {
        return (SpanId::default(), IdEncoding::Hex);
    }
    if let Some(id) = SpanId::from_hex(text) {
        return (id, IdEncoding::Hex);
    }
    if let Some(bytes) = base64_bytes::<8>(text) {
        return (SpanId(bytes), IdEncoding::Base64);
    }
    (SpanId(fnv1a(text.as_bytes(), 0xcbf2_9ce4_8422_2325).to_be_bytes()), IdEncoding::Hashed)
}

/// Decodes base64 of at most N bytes, right-aligned; `None` if it is not base64 or too long.
fn base64_bytes<const N: usize>(text: &str) -> Option<[u8; N]> {
    // Base64 of N bytes is at most 4 * ceil(N / 3) characters.
    if text.len() > 4 * N.div_ceil(3) {
        return None;
    }
    let decoded = STANDARD.decode(text).ok()?;
    if decoded.is_empty() || decoded.len() > N {
        return None;
    }
    let mut out = [0u8; N];
    out[N - decoded.len()..].copy_from_slice(&decoded);
    Some(out)
}

fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(seed, |hash, &byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids_of_any_case_and_length() {
        let (id, how) = trace_id("5B8EFFF798038103D269B633813FC60C");
        assert_eq!((id.to_hex().as_str(), how), ("5b8efff798038103d269b633813fc60c", IdEncoding::Hex));
        assert_eq!(span_id("abc0").0.to_hex(), "000000000000abc0");
    }

    #[test]
    fn base64_ids_decode_to_their_bytes() {
        // 0x5b8efff798038103d269b633813fc60c in base64.
        let (id, how) = trace_id("W47/95gDgQPSabYzgT/GDA==");
        assert_eq!((id.to_hex().as_str(), how), ("5b8efff798038103d269b633813fc60c", IdEncoding::Base64));
        let (id, how) = span_id("7u5A+9Fg3vg=");
        assert_eq!((id.to_hex().as_str(), how), ("eeee40fbd160def8", IdEncoding::Base64));
    }

    #[test]
    fn other_text_is_hashed_stably() {
        let (first, how) = span_id("span-1");
        assert_eq!(how, IdEncoding::Hashed);
        assert_eq!(span_id("span-1").0, first);
        assert_ne!(span_id("span-2").0, first);
        assert_eq!(trace_id("not an id").1, IdEncoding::Hashed);
    }
}
