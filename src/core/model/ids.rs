//! Named index types and the fixed-size ids of traces and spans.
//!
//! Indices (`SpanIdx`, `StrIdx`, `TraceIdx`, `ResourceIdx`) are positions in the tables of one
//! `TraceSet`, never meaningful across sets. Ids (`TraceId`, `SpanId`) are the bytes the
//! instrumentation wrote, kept as bytes and shown as lower-case hex.

use std::fmt;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub u32);

        impl $name {
            /// The index as a `usize`, for indexing a column.
            #[inline]
            pub fn get(self) -> usize {
                self.0 as usize
            }
        }
    };
}

index_type!(
    /// A row of the span table. Rows are in pre-order per trace: a parent comes before its
    /// children, and a subtree is the contiguous range `[i, i + subtree_len)`.
    SpanIdx
);
index_type!(
    /// An entry of the string table.
    StrIdx
);
index_type!(
    /// A row of the trace table.
    TraceIdx
);
index_type!(
    /// A row of the resource (process) table.
    ResourceIdx
);

/// A half-open range `[start, end)` of rows in one of the side tables (attributes, events,
/// links), stored as two `u32` so a span row stays small.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct RowRange {
    /// The first row.
    pub start: u32,
    /// One past the last row.
    pub end: u32,
}

impl RowRange {
    /// The range `[start, end)`.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start: start as u32, end: end as u32 }
    }

    /// The rows as a `usize` range, for slicing.
    pub fn as_range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// How many rows.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    /// Whether there are no rows.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// A 128-bit trace id. Shorter ids (Jaeger's and Zipkin's 64-bit ones) are left-padded with
/// zeros, so `"abc"` and `"00000000000000000000000000000abc"` are the same id.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct TraceId(pub [u8; 16]);

/// A 64-bit span id, left-padded like [`TraceId`].
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct SpanId(pub [u8; 8]);

impl TraceId {
    /// Parses up to 32 hex digits (either case), left-padding shorter ids with zeros.
    pub fn from_hex(text: &str) -> Option<Self> {
        parse_hex_padded::<16>(text).map(Self)
    }

    /// Whether every byte is zero (the "no id" value of every format).
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 16]
    }

    /// The id as 32 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// The id as 16 hex digits when its upper half is zero (a 64-bit id), else 32.
    pub fn to_short_hex(&self) -> String {
        if self.0[..8] == [0; 8] {
            hex(&self.0[8..])
        } else {
            hex(&self.0)
        }
    }
}

impl SpanId {
    /// Parses up to 16 hex digits (either case), left-padding shorter ids with zeros.
    pub fn from_hex(text: &str) -> Option<Self> {
        parse_hex_padded::<8>(text).map(Self)
    }

    /// Whether every byte is zero.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 8]
    }

    /// The id as 16 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }
}

impl fmt::Display for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for TraceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceId({})", self.to_hex())
    }
}

impl fmt::Display for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for SpanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpanId({})", self.to_hex())
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Parses 1..=2N hex digits into N bytes, right-aligned. Empty or non-hex text is `None`.
fn parse_hex_padded<const N: usize>(text: &str) -> Option<[u8; N]> {
    let digits = text.as_bytes();
    if digits.is_empty() || digits.len() > N * 2 {
        return None;
    }
    let mut out = [0u8; N];
    // Walk from the last digit: digit k from the right lands in byte N-1-k/2.
    for (k, &digit) in digits.iter().rev().enumerate() {
        let value = hex_digit(digit)?;
        let byte = &mut out[N - 1 - k / 2];
        if k % 2 == 0 {
            *byte |= value;
        } else {
            *byte |= value << 4;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_left_padded() {
        let id = SpanId::from_hex("abc").unwrap();
        assert_eq!(id.to_hex(), "0000000000000abc");
        assert_eq!(TraceId::from_hex("1").unwrap().to_hex(), "00000000000000000000000000000001");
        assert_eq!(TraceId::from_hex("00000000000000000000000000000abc"), TraceId::from_hex("abc"));
    }

    #[test]
    fn hex_is_case_insensitive_and_written_lower_case() {
        let id = TraceId::from_hex("5B8EFFF798038103D269B633813FC60C").unwrap();
        assert_eq!(id.to_hex(), "5b8efff798038103d269b633813fc60c");
    }

    #[test]
    fn non_hex_too_long_and_empty_are_refused() {
        assert_eq!(SpanId::from_hex("span-1"), None);
        assert_eq!(SpanId::from_hex(""), None);
        assert_eq!(SpanId::from_hex("00000000000000001"), None);
    }

    #[test]
    fn sixty_four_bit_trace_ids_print_short() {
        assert_eq!(TraceId::from_hex("ff").unwrap().to_short_hex(), "00000000000000ff");
        let long = "463ac35c9f6413ad48485a3953bb6124";
        assert_eq!(TraceId::from_hex(long).unwrap().to_short_hex(), long);
    }
}
