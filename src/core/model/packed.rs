//! Columns as packed bytes, for the engine's messages to the page (`core::engine::parts`).
//!
//! A column of fixed-size values serializes as one byte string, each value little-endian in
//! [`Packed::SIZE`] bytes, instead of one serde call per value (postcard would write varints
//! and byte arrays element by element). The page then turns a part back into a column with one
//! pass over its bytes. Reading checks everything: a byte string whose length is not a multiple
//! of the size, or a code no variant has, is refused with a message, never a panic.
//!
//! Used with `#[serde(with = "packed")]` on the columns of the span and side tables; attribute
//! values, which are not all of one size, use [`attr_values`].

use std::fmt;

use serde::de::{Deserializer, Error as _, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};

use crate::core::model::ids::{ResourceIdx, RowRange, SpanId, SpanIdx, StrIdx, TraceId, TraceIdx};
use crate::core::model::values::{AttrValue, LinkKind, SpanFlags, SpanKind, StatusCode};

/// A value of a fixed number of bytes.
pub trait Packed: Sized {
    /// Bytes per value.
    const SIZE: usize;
    /// Appends the value's [`Self::SIZE`] bytes.
    fn put(&self, out: &mut Vec<u8>);
    /// The value in `bytes` (exactly [`Self::SIZE`] of them); `None` if no value is written so.
    fn take(bytes: &[u8]) -> Option<Self>;
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

impl Packed for u32 {
    const SIZE: usize = 4;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        u32_at(bytes, 0)
    }
}

impl Packed for i64 {
    const SIZE: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        u64_at(bytes, 0).map(|bits| bits as i64)
    }
}

macro_rules! packed_index {
    ($($name:ident),*) => {$(
        impl Packed for $name {
            const SIZE: usize = 4;
            fn put(&self, out: &mut Vec<u8>) {
                self.0.put(out);
            }
            fn take(bytes: &[u8]) -> Option<Self> {
                u32::take(bytes).map($name)
            }
        }
    )*};
}

packed_index!(SpanIdx, StrIdx, TraceIdx, ResourceIdx);

impl Packed for RowRange {
    const SIZE: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        self.start.put(out);
        self.end.put(out);
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        Some(RowRange { start: u32_at(bytes, 0)?, end: u32_at(bytes, 4)? })
    }
}

impl Packed for SpanId {
    const SIZE: usize = 8;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(SpanId)
    }
}

impl Packed for TraceId {
    const SIZE: usize = 16;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(TraceId)
    }
}

/// `None` is a zero byte and zeros; `Some` a one and the value.
impl<T: Packed + Default> Packed for Option<T> {
    const SIZE: usize = 1 + T::SIZE;
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Some(value) => {
                out.push(1);
                value.put(out);
            }
            None => {
                out.push(0);
                T::default().put(out);
            }
        }
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        match bytes.first()? {
            0 => Some(None),
            1 => T::take(bytes.get(1..)?).map(Some),
            _ => None,
        }
    }
}

/// Enums with OTLP's numbers: one byte, the number.
macro_rules! packed_otlp_enum {
    ($($name:ident),*) => {$(
        impl Packed for $name {
            const SIZE: usize = 1;
            fn put(&self, out: &mut Vec<u8>) {
                out.push(self.to_otlp() as u8);
            }
            fn take(bytes: &[u8]) -> Option<Self> {
                $name::from_otlp(i64::from(*bytes.first()?))
            }
        }
    )*};
}

packed_otlp_enum!(SpanKind, StatusCode);

impl Packed for LinkKind {
    const SIZE: usize = 1;
    fn put(&self, out: &mut Vec<u8>) {
        out.push(match self {
            LinkKind::Link => 0,
            LinkKind::FollowsFrom => 1,
            LinkKind::ChildOf => 2,
        });
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        Some(match bytes.first()? {
            0 => LinkKind::Link,
            1 => LinkKind::FollowsFrom,
            2 => LinkKind::ChildOf,
            _ => return None,
        })
    }
}

impl Packed for SpanFlags {
    const SIZE: usize = 2;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn take(bytes: &[u8]) -> Option<Self> {
        Some(SpanFlags(u16::from_le_bytes(bytes.try_into().ok()?)))
    }
}

/// The bytes of `column`, packed.
fn pack<T: Packed>(column: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(column.len() * T::SIZE);
    for value in column {
        value.put(&mut out);
    }
    out
}

/// The column packed in `bytes`, or what is wrong with them.
fn unpack<T: Packed>(bytes: &[u8]) -> Result<Vec<T>, String> {
    if !bytes.len().is_multiple_of(T::SIZE) {
        return Err(format!("a packed column of {} bytes, not a multiple of {}", bytes.len(), T::SIZE));
    }
    // Sized once: collecting through `Option` would grow the column as it goes.
    let mut column = Vec::with_capacity(bytes.len() / T::SIZE);
    for value in bytes.chunks_exact(T::SIZE) {
        column.push(T::take(value).ok_or("a packed column with a value no type has")?);
    }
    Ok(column)
}

/// Serializes a column as one byte string (for `#[serde(with = "packed")]`).
pub fn serialize<T: Packed, S: Serializer>(column: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(&pack(column))
}

/// Reads a column written by [`serialize`].
pub fn deserialize<'de, T: Packed, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_bytes(BytesVisitor(unpack::<T>, "a packed column"))
}

/// Reads one byte string and makes a value of it with its function; the text says what was
/// expected.
struct BytesVisitor<F>(F, &'static str);

impl<'de, V, F: FnOnce(&[u8]) -> Result<V, String>> Visitor<'de> for BytesVisitor<F> {
    type Value = V;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.1)
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<V, E> {
        (self.0)(bytes).map_err(E::custom)
    }

    /// Self-describing formats without byte strings write a sequence of numbers.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<V, A::Error> {
        let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(byte) = seq.next_element::<u8>()? {
            bytes.push(byte);
        }
        (self.0)(&bytes).map_err(A::Error::custom)
    }
}

/// The attribute value column: its row count, then each value as a tag byte and what that kind
/// needs (4 bytes of text index, nothing for a flag, 8 for an integer or a double); the rare
/// values that own memory (bytes, arrays, lists) follow in order as ordinary serde values.
pub mod attr_values {
    use super::*;

    const STR: u8 = 0;
    const FALSE: u8 = 1;
    const TRUE: u8 = 2;
    const INT: u8 = 3;
    const DOUBLE: u8 = 4;
    /// The value is the next of the owned values.
    const OWNED: u8 = 5;

    /// Serializes the column (for `#[serde(with = "packed::attr_values")]`).
    pub fn serialize<S: Serializer>(column: &[AttrValue], serializer: S) -> Result<S::Ok, S::Error> {
        let mut packed = Vec::with_capacity(column.len() * 5);
        let mut owned: Vec<&AttrValue> = Vec::new();
        for value in column {
            match value {
                AttrValue::Str(text) => {
                    packed.push(STR);
                    packed.extend_from_slice(&text.0.to_le_bytes());
                }
                AttrValue::Bool(flag) => packed.push(if *flag { TRUE } else { FALSE }),
                AttrValue::Int(number) => {
                    packed.push(INT);
                    packed.extend_from_slice(&number.to_le_bytes());
                }
                AttrValue::Double(number) => {
                    packed.push(DOUBLE);
                    packed.extend_from_slice(&number.to_bits().to_le_bytes());
                }
                AttrValue::Bytes(_) | AttrValue::Array(_) | AttrValue::KvList(_) => {
                    packed.push(OWNED);
                    owned.push(value);
                }
            }
        }
        let mut pair = serializer.serialize_tuple(3)?;
        pair.serialize_element(&(column.len() as u64))?;
        pair.serialize_element(&Bytes(&packed))?;
        pair.serialize_element(&owned)?;
        pair.end()
    }

    /// Reads a column written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<AttrValue>, D::Error> {
        let (rows, packed, owned): (u64, ByteBuf, Vec<AttrValue>) = serde::Deserialize::deserialize(deserializer)?;
        unpack_values(rows, &packed.0, owned).map_err(D::Error::custom)
    }

    pub(super) fn unpack_values(rows: u64, packed: &[u8], owned: Vec<AttrValue>) -> Result<Vec<AttrValue>, String> {
        // Each row takes at least its tag's byte: more rows than bytes cannot be.
        if rows > packed.len() as u64 {
            return Err(format!("{rows} packed attribute values in {} bytes", packed.len()));
        }
        let mut owned = owned.into_iter();
        let mut column = Vec::with_capacity(rows as usize);
        let mut at = 0;
        let short = || "packed attribute values cut short".to_owned();
        while let Some(&tag) = packed.get(at) {
            at += 1;
            column.push(match tag {
                STR => {
                    let text = u32_at(packed, at).ok_or_else(short)?;
                    at += 4;
                    AttrValue::Str(StrIdx(text))
                }
                FALSE => AttrValue::Bool(false),
                TRUE => AttrValue::Bool(true),
                INT | DOUBLE => {
                    let bits = u64_at(packed, at).ok_or_else(short)?;
                    at += 8;
                    if tag == INT {
                        AttrValue::Int(bits as i64)
                    } else {
                        AttrValue::Double(f64::from_bits(bits))
                    }
                }
                OWNED => owned.next().ok_or("packed attribute values missing an owned value")?,
                tag => return Err(format!("a packed attribute value of unknown kind {tag}")),
            });
        }
        if column.len() as u64 != rows {
            return Err(format!("{} packed attribute values where {rows} were announced", column.len()));
        }
        if owned.next().is_some() {
            return Err("packed attribute values with owned values left over".to_owned());
        }
        Ok(column)
    }

    /// Bytes written as one byte string.
    struct Bytes<'a>(&'a [u8]);

    impl serde::Serialize for Bytes<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(self.0)
        }
    }

    /// A byte string read back.
    struct ByteBuf(Vec<u8>);

    impl<'de> serde::Deserialize<'de> for ByteBuf {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let visitor = BytesVisitor(|bytes: &[u8]| Ok(bytes.to_vec()), "a byte string");
            deserializer.deserialize_bytes(visitor).map(ByteBuf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Packed + PartialEq + fmt::Debug>(column: Vec<T>) {
        let bytes = pack(&column);
        assert_eq!(bytes.len(), column.len() * T::SIZE);
        assert_eq!(unpack::<T>(&bytes).unwrap(), column);
    }

    #[test]
    fn every_column_type_comes_back_as_it_went() {
        round_trip(vec![0u32, 1, u32::MAX]);
        round_trip(vec![i64::MIN, -1, 0, i64::MAX]);
        round_trip(vec![Some(SpanIdx(0)), None, Some(SpanIdx(u32::MAX))]);
        round_trip(vec![Some(SpanId([1, 2, 3, 4, 5, 6, 7, 8])), None]);
        round_trip(vec![TraceId([7; 16]), TraceId::default()]);
        round_trip(vec![RowRange::new(3, 9), RowRange::default()]);
        round_trip(vec![
            SpanKind::Unspecified,
            SpanKind::Internal,
            SpanKind::Server,
            SpanKind::Client,
            SpanKind::Producer,
            SpanKind::Consumer,
        ]);
        round_trip(vec![StatusCode::Unset, StatusCode::Ok, StatusCode::Error]);
        round_trip(vec![LinkKind::Link, LinkKind::FollowsFrom, LinkKind::ChildOf]);
        round_trip(vec![SpanFlags(0), SpanFlags(u16::MAX)]);
        round_trip::<StrIdx>(Vec::new());
    }

    #[test]
    fn broken_columns_are_refused_with_a_message() {
        assert!(unpack::<u32>(&[1, 2, 3]).unwrap_err().contains("not a multiple of 4"));
        assert!(unpack::<SpanKind>(&[9]).unwrap_err().contains("no type has"));
        assert!(unpack::<Option<SpanIdx>>(&[2, 0, 0, 0, 0]).is_err());
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Values(#[serde(with = "attr_values")] Vec<AttrValue>);

    #[test]
    fn attribute_values_of_every_kind_come_back_in_order() {
        let values = Values(vec![
            AttrValue::Str(StrIdx(5)),
            AttrValue::Bytes(Box::new(vec![1, 2])),
            AttrValue::Bool(true),
            AttrValue::Int(-42),
            AttrValue::Array(Box::new(vec![AttrValue::Int(1), AttrValue::Str(StrIdx(2))])),
            AttrValue::Double(f64::NAN),
            AttrValue::KvList(Box::new(vec![(StrIdx(3), AttrValue::Bool(false))])),
            AttrValue::Double(-0.5),
        ]);
        let bytes = postcard::to_allocvec(&values).unwrap();
        let back: Values = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back.0.len(), values.0.len());
        for (a, b) in back.0.iter().zip(&values.0) {
            match (a, b) {
                (AttrValue::Double(x), AttrValue::Double(y)) => assert_eq!(x.to_bits(), y.to_bits()),
                _ => assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn broken_attribute_values_are_refused_with_a_message() {
        let error = attr_values::unpack_values(1, &[5], Vec::new()).unwrap_err();
        assert!(error.contains("missing an owned value"), "{error}");
        let error = attr_values::unpack_values(1, &[0, 1, 2], Vec::new()).unwrap_err();
        assert!(error.contains("cut short"), "{error}");
        let error = attr_values::unpack_values(2, &[1], Vec::new()).unwrap_err();
        assert!(error.contains("2 packed attribute values in 1 bytes"), "{error}");
        let error = attr_values::unpack_values(1, &[1, 2], Vec::new()).unwrap_err();
        assert!(error.contains("where 1 were announced"), "{error}");
    }
}
