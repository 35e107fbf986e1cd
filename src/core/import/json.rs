//! Lenient JSON leaves shared by the importers, deserialized straight from the input bytes
//! (strings borrowed where they carry no escapes): 64-bit integers written as numbers or as
//! strings, any JSON scalar, and objects kept as ordered key-value lists.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A JSON scalar of any type, as written. Arrays and objects where a scalar belongs are
/// `Other` (skipped, not an error).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Scalar<'a> {
    /// `null` or absent.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number that fits `i64`.
    Int(i64),
    /// A number beyond `i64` (only non-negative ones reach here).
    UInt(u64),
    /// A number with a fraction or exponent.
    Float(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array or object where a scalar was expected.
    Other,
}

impl Scalar<'_> {
    /// The value as text, as a person would write it; `None` for null and `Other`.
    pub fn to_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Scalar::Null | Scalar::Other => None,
            Scalar::Bool(value) => Some(Cow::Owned(value.to_string())),
            Scalar::Int(value) => Some(Cow::Owned(value.to_string())),
            Scalar::UInt(value) => Some(Cow::Owned(value.to_string())),
            Scalar::Float(value) => Some(Cow::Owned(value.to_string())),
            Scalar::Str(text) => Some(Cow::Borrowed(text.as_ref())),
        }
    }

    /// The value as an `i64` when it is an integer or a string holding one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::Int(value) => Some(*value),
            Scalar::UInt(value) => i64::try_from(*value).ok(),
            Scalar::Float(value) if value.fract() == 0.0 && value.abs() < 9.2e18 => Some(*value as i64),
            Scalar::Str(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as an `f64` when it is a number or a string holding one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Int(value) => Some(*value as f64),
            Scalar::UInt(value) => Some(*value as f64),
            Scalar::Float(value) => Some(*value),
            Scalar::Str(text) => parse_f64(text),
            _ => None,
        }
    }

    /// The value as a `bool` when it is one or a string `true`/`false` (any case).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Scalar::Bool(value) => Some(*value),
            Scalar::Str(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Scalar::Str(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

/// Parses a float, also the proto3 JSON spellings `NaN`, `Infinity` and `-Infinity`.
pub fn parse_f64(text: &str) -> Option<f64> {
    match text.trim() {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
            type Value = Scalar<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool(value))
            }
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Scalar::Int(value))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(i64::try_from(value).map_or(Scalar::UInt(value), Scalar::Int))
            }
            fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Scalar::Float(value))
            }
            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(value)))
            }
            fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(value)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar::Other)
            }
        }
        deserializer.deserialize_any(ScalarVisitor(PhantomData))
    }
}

/// A 64-bit integer written as a JSON number or a string (proto3 JSON writes int64 as
/// strings). Anything else is kept as `Invalid` with what was found, for a warning.
#[derive(Clone, Debug, PartialEq)]
pub enum LenientI64 {
    /// A readable integer.
    Value(i64),
    /// Not an integer: what was written, as text.
    Invalid(String),
}

impl LenientI64 {
    /// The integer, if readable.
    pub fn value(&self) -> Option<i64> {
        match self {
            LenientI64::Value(value) => Some(*value),
            LenientI64::Invalid(_) => None,
        }
    }
}

impl<'de> Deserialize<'de> for LenientI64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let scalar = Scalar::deserialize(deserializer)?;
        Ok(match scalar.as_i64() {
            Some(value) => LenientI64::Value(value),
            None => {
                LenientI64::Invalid(scalar.to_text().map(Cow::into_owned).unwrap_or_else(|| "a non-number".to_owned()))
            }
        })
    }
}

/// An enum written as a number or as its name (`2`, `"SPAN_KIND_SERVER"`, `"server"`).
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOrName<'a> {
    /// The enum's number.
    Number(i64),
    /// The enum's name, as written.
    Name(Cow<'a, str>),
    /// Something else (kept for the warning).
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for NumberOrName<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Scalar::deserialize(deserializer)? {
            Scalar::Int(value) => NumberOrName::Number(value),
            Scalar::Str(text) => match text.trim().parse::<i64>() {
                Ok(value) => NumberOrName::Number(value),
                Err(_) => NumberOrName::Name(text),
            },
            _ => NumberOrName::Other,
        })
    }
}

/// A JSON object kept as its entries in written order (Zipkin tags).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Entries<'a, V>(pub Vec<(Cow<'a, str>, V)>);

impl<'de: 'a, 'a, V: Deserialize<'de>> Deserialize<'de> for Entries<'a, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<'a, V>(PhantomData<(&'a (), V)>);
        impl<'de: 'a, 'a, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<'a, V> {
            type Value = Entries<'a, V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Entries(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(key) = map.next_key::<Cow<'a, str>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// A string borrowed from the input when it has no escapes (serde's own `Cow<str>` always
/// copies). Numbers and booleans where a string belongs are read as their text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(value)))
            }
            fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value)))
            }
            // Numbers where a string belongs (short ids written as numbers) are read as text.
            fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
            fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
            fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(value.to_string())))
            }
        }
        deserializer.deserialize_any(TextVisitor(PhantomData))
    }
}

impl Text<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_read_from_numbers_and_strings() {
        let values: Vec<LenientI64> = serde_json::from_str(r#"[1, "9223372036854775807", "x", 1.5]"#).unwrap();
        assert_eq!(values[0], LenientI64::Value(1));
        assert_eq!(values[1], LenientI64::Value(i64::MAX));
        assert_eq!(values[2], LenientI64::Invalid("x".to_owned()));
        assert_eq!(values[3], LenientI64::Invalid("1.5".to_owned()));
    }

    #[test]
    fn text_borrows_when_there_is_no_escape() {
        let values: Vec<Text> = serde_json::from_str(r#"["plain", "esc\"aped", 42]"#).unwrap();
        assert!(matches!(values[0].0, Cow::Borrowed("plain")));
        assert_eq!(values[1].as_str(), "esc\"aped");
        assert_eq!(values[2].as_str(), "42");
    }

    #[test]
    fn entries_keep_written_order() {
        let entries: Entries<Scalar> = serde_json::from_str(r#"{"b": 1, "a": "x", "c": [1]}"#).unwrap();
        let keys: Vec<&str> = entries.0.iter().map(|(key, _)| key.as_ref()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(entries.0[2].1, Scalar::Other);
    }
}
