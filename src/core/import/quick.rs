//! A reader of JSON text for the importers' quick paths. Nearly every span of a big file is
//! written the same way: an object of known members whose strings have no escapes, whose numbers
//! are plain integers. Read through serde, each member name and each value goes through a
//! visitor and an `Option`; a format's quick reader reads such a span member by member with
//! this reader, into the same struct serde would give. Every method gives `None` for what is
//! out of that way (a member named twice, a value of the wrong type, text cut off at its end),
//! and the format's reader then leaves the whole span to serde, so the outcome, refusals
//! included, is serde's. A value that is not plain (a string with escapes, a float, a number in
//! a string, a list in a member nothing reads) is handed to serde on its own text, so its
//! reading is serde's too.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::core::import::json::{LenientI64, NumberOrName, Scalar, Text};

/// The bytes that end a plain string's run: the quote, a backslash, and the control characters
/// JSON forbids inside strings.
const STOPS_STRING: [bool; 256] = {
    let mut stops = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        stops[byte] = true;
        byte += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Where a string that has escapes ends: the index just after its closing quote (the string
/// starts at `from`, its opening quote). `None` when the text ends first or holds a control
/// character (serde refuses both).
fn escaped_string_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from + 1;
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(at + 1),
            b'\\' => at += 2,
            byte if byte < 0x20 => return None,
            _ => at += 1,
        }
    }
}

/// A position in a JSON text.
pub(crate) struct Reader<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Reader<'t> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'t str) -> Self {
        Self { text, at: 0 }
    }

    /// The bytes read so far.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    /// The next byte that is not JSON whitespace, now the position.
    pub(crate) fn next_byte(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&byte) = bytes.get(self.at) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(byte);
            }
            self.at += 1;
        }
        None
    }

    /// Takes `byte` as the next one after whitespace.
    pub(crate) fn take(&mut self, byte: u8) -> Option<()> {
        (self.next_byte()? == byte).then(|| self.at += 1)
    }

    /// Takes `literal` (`null`, `true`, `false`) if it comes next after whitespace.
    pub(crate) fn take_literal(&mut self, literal: &str) -> Option<bool> {
        self.next_byte()?;
        let found = self.bytes()[self.at..].starts_with(literal.as_bytes());
        if found {
            self.at += literal.len();
        }
        Some(found)
    }

    /// A string with no escapes at the position (its opening quote): its text, the position
    /// after its closing quote. `None`, reading nothing, if it has escapes or a control
    /// character (or the text ends first).
    pub(crate) fn plain_string(&mut self) -> Option<&'t str> {
        let bytes = self.bytes();
        let start = self.at + 1;
        let mut at = start;
        while !STOPS_STRING[usize::from(*bytes.get(at)?)] {
            at += 1;
        }
        if bytes[at] != b'"' {
            return None;
        }
        let plain = self.text.get(start..at)?;
        self.at = at + 1;
        Some(plain)
    }

    /// The end of the value at the position, not read yet (a list or object is not checked on
    /// the way: serde reads it after). `None` when the text ends first.
    fn value_end(&self) -> Option<usize> {
        let bytes = self.bytes();
        let first = *bytes.get(self.at)?;
        match first {
            b'"' => escaped_string_end(bytes, self.at),
            b'[' | b'{' => {
                let mut depth = 0usize;
                let mut at = self.at;
                loop {
                    match *bytes.get(at)? {
                        b'"' => {
                            at = escaped_string_end(bytes, at)?;
                            continue;
                        }
                        b'[' | b'{' => depth += 1,
                        b']' | b'}' => {
                            depth = depth.checked_sub(1)?;
                            if depth == 0 {
                                return Some(at + 1);
                            }
                        }
                        _ => {}
                    }
                    at += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                let run = bytes[self.at..]
                    .iter()
                    .take_while(|byte| matches!(byte, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .count();
                // A number cut at the end of the text may go on in the next bytes.
                (self.at + run < bytes.len()).then_some(self.at + run)
            }
            b't' | b'f' | b'n' => {
                let literal = match first {
                    b't' => "true",
                    b'f' => "false",
                    _ => "null",
                };
                bytes[self.at..].starts_with(literal.as_bytes()).then_some(self.at + literal.len())
            }
            _ => None,
        }
    }

    /// The value at the position, read by serde from its own text.
    pub(crate) fn by_serde<T: Deserialize<'t>>(&mut self) -> Option<T> {
        self.next_byte()?;
        let end = self.value_end()?;
        let value = serde_json::from_str(self.text.get(self.at..end)?).ok()?;
        self.at = end;
        Some(value)
    }

    /// A plain non-negative integer that `i64` holds at the position, read; `None`, reading
    /// nothing, for any other value.
    pub(crate) fn plain_integer(&mut self) -> Option<i64> {
        let bytes = self.bytes();
        let (value, end) = digits_value(bytes, self.at)?;
        let plain = (end == self.at + 1 || bytes[self.at] != b'0')
            && !matches!(bytes.get(end), None | Some(b'.' | b'e' | b'E' | b'-' | b'+'));
        if !plain {
            return None;
        }
        self.at = end;
        Some(value)
    }

    /// A string of digits alone that `i64` holds at the position (as proto3 JSON writes 64-bit
    /// integers; leading zeros are read as `LenientI64` reads them), read; `None`, reading
    /// nothing, for any other value.
    pub(crate) fn digits_in_string(&mut self) -> Option<i64> {
        let bytes = self.bytes();
        if bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let (value, end) = digits_value(bytes, self.at + 1)?;
        if bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.at = end + 1;
        Some(value)
    }

    /// A `Text` value.
    pub(crate) fn text(&mut self) -> Option<Text<'t>> {
        if self.next_byte()? == b'"' {
            if let Some(plain) = self.plain_string() {
                return Some(Text(Cow::Borrowed(plain)));
            }
        }
        self.by_serde()
    }

    /// An `Option<T>` value, `T` read by `read`: `null` is `None`.
    pub(crate) fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.take_literal("null")? {
            return Some(None);
        }
        read(self).map(Some)
    }

    /// An `Option<Text>` value: `null` is `None`.
    pub(crate) fn optional_text(&mut self) -> Option<Option<Text<'t>>> {
        self.optional(Self::text)
    }

    /// An `Option<LenientI64>` value.
    pub(crate) fn optional_integer(&mut self) -> Option<Option<LenientI64>> {
        self.optional(|reader| match reader.plain_integer().or_else(|| reader.digits_in_string()) {
            Some(value) => Some(LenientI64::Value(value)),
            None => reader.by_serde(),
        })
    }

    /// An `Option<bool>` value.
    pub(crate) fn optional_bool(&mut self) -> Option<Option<bool>> {
        if self.take_literal("null")? {
            Some(None)
        } else if self.take_literal("true")? {
            Some(Some(true))
        } else if self.take_literal("false")? {
            Some(Some(false))
        } else {
            None
        }
    }

    /// An `Option<NumberOrName>` value.
    pub(crate) fn optional_number_or_name(&mut self) -> Option<Option<NumberOrName<'t>>> {
        self.optional(|reader| match reader.plain_integer() {
            Some(value) => Some(NumberOrName::Number(value)),
            None => reader.by_serde(),
        })
    }

    /// A `Scalar` value.
    pub(crate) fn scalar(&mut self) -> Option<Scalar<'t>> {
        match self.next_byte()? {
            b'"' => match self.plain_string() {
                Some(plain) => Some(Scalar::Str(Cow::Borrowed(plain))),
                None => self.by_serde(),
            },
            b'0'..=b'9' => match self.plain_integer() {
                Some(value) => Some(Scalar::Int(value)),
                None => self.by_serde(),
            },
            b't' | b'f' | b'n' => {
                if self.take_literal("true")? {
                    Some(Scalar::Bool(true))
                } else if self.take_literal("false")? {
                    Some(Scalar::Bool(false))
                } else if self.take_literal("null")? {
                    Some(Scalar::Null)
                } else {
                    None
                }
            }
            _ => self.by_serde(),
        }
    }

    /// Passes over the value of a member no field takes, as serde's `IgnoredAny` does.
    pub(crate) fn skip_value(&mut self) -> Option<()> {
        if self.next_byte()? == b'"' && self.plain_string().is_some() {
            return Some(());
        }
        if self.plain_integer().is_some() {
            return Some(());
        }
        self.by_serde::<IgnoredAny>().map(drop)
    }

    /// The members of an object, each given to `member` with its name, which reads the value.
    pub(crate) fn object(&mut self, mut member: impl FnMut(&mut Self, &'t str) -> Option<()>) -> Option<()> {
        self.take(b'{')?;
        if self.next_byte()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            if self.next_byte()? != b'"' {
                return None;
            }
            let name = self.plain_string()?;
            self.take(b':')?;
            member(self, name)?;
            match self.next_byte()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A list, each element read by `element`.
    pub(crate) fn list<T>(&mut self, mut element: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.take(b'[')?;
        let mut elements = Vec::new();
        if self.next_byte()? == b']' {
            self.at += 1;
            return Some(elements);
        }
        loop {
            elements.push(element(self)?);
            match self.next_byte()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(elements);
                }
                _ => return None,
            }
        }
    }

    /// An `Option<Vec<T>>` value: `null` is `None`.
    pub(crate) fn optional_list<T>(&mut self, element: impl FnMut(&mut Self) -> Option<T>) -> Option<Option<Vec<T>>> {
        self.optional(|reader| reader.list(element))
    }
}

/// The value of the digits from `from` on and where they end: `None` if there are none or
/// `i64` cannot hold them.
fn digits_value(bytes: &[u8], from: usize) -> Option<(i64, usize)> {
    // `i64::MAX` is 922337203685477580 tens and 7; compared rather than multiplied with an
    // overflow check, which takes a 128-bit product on a 32-bit target such as the browser's.
    const MAX_TENS: i64 = i64::MAX / 10;
    let mut value: i64 = 0;
    let mut at = from;
    while let Some(digit) = bytes.get(at).filter(|byte| byte.is_ascii_digit()) {
        let digit = i64::from(digit - b'0');
        if value > MAX_TENS || (value == MAX_TENS && digit > i64::MAX % 10) {
            return None;
        }
        value = value * 10 + digit;
        at += 1;
    }
    (at > from).then_some((value, at))
}

/// The fields of one object read so far: a field named twice is serde's error to give.
#[derive(Default)]
pub(crate) struct Fields(u32);

impl Fields {
    /// `value`, unless field `number` was read before.
    pub(crate) fn once<T>(&mut self, number: u32, value: Option<T>) -> Option<T> {
        let bit = 1 << number;
        if self.0 & bit != 0 {
            return None;
        }
        self.0 |= bit;
        value
    }
}

#[cfg(test)]
pub(crate) mod strategies;
