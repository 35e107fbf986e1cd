//! The string table of one `TraceSet`: every service, operation, attribute key and string
//! value is stored once and named by a [`StrIdx`].
//!
//! Append-only while the set is built, owned by the set (no global interner: a viewer loads
//! trace after trace, and each set frees its strings when it goes). The bytes of all strings
//! live in one buffer; the lookup table holds only indices into it, and is built on first use
//! for a table that arrived in parts (the page only looks strings up when it merges a load).

use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::OnceLock;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use crate::core::model::ids::StrIdx;

type Hasher = BuildHasherDefault<FxHasher>;

/// Interned strings, each named by its [`StrIdx`]. `StrIdx(0)` is always the empty string.
#[derive(Clone, Debug)]
pub struct StringTable {
    /// All strings, back to back.
    bytes: String,
    /// `ends[i]` is where string `i` ends in `bytes`; it starts where string `i - 1` ends.
    ends: Vec<u32>,
    /// Lookup from text to index; holds indices only. Built on first use when the table came
    /// in runs ([`StringTable::extend_run`]).
    lookup: OnceLock<HashTable<u32>>,
    hasher: Hasher,
}

impl Default for StringTable {
    fn default() -> Self {
        let mut table = Self {
            bytes: String::new(),
            ends: Vec::new(),
            lookup: OnceLock::from(HashTable::new()),
            hasher: Hasher::default(),
        };
        table.intern("");
        table
    }
}

/// Sent as its text and ends only; the lookup is built again on arrival.
impl serde::Serialize for StringTable {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (&self.bytes, &self.ends).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for StringTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (bytes, ends): (String, Vec<u32>) = serde::Deserialize::deserialize(deserializer)?;
        // Ends must rise within the text and fall on character boundaries, as `intern` wrote them.
        let mut start = 0usize;
        for &end in &ends {
            let end = end as usize;
            if end < start || end > bytes.len() || !bytes.is_char_boundary(end) {
                return Err(serde::de::Error::custom("string table ends out of order"));
            }
            start = end;
        }
        if ends.first() != Some(&0) {
            return Err(serde::de::Error::custom("string table without the empty string first"));
        }
        Ok(StringTable { bytes, ends, lookup: OnceLock::new(), hasher: Hasher::default() })
    }
}

/// The lookup of every string in `bytes` (all distinct, as `intern` wrote them).
fn lookup_of(bytes: &str, ends: &[u32], hasher: &Hasher) -> HashTable<u32> {
    let mut lookup = HashTable::with_capacity(ends.len());
    for index in 0..ends.len() as u32 {
        let hash = hasher.hash_one(slice(bytes, ends, index));
        lookup.insert_unique(hash, index, |&index| hasher.hash_one(slice(bytes, ends, index)));
    }
    lookup
}

impl StringTable {
    /// The index of `text`, adding it if it is new.
    pub fn intern(&mut self, text: &str) -> StrIdx {
        let hash = self.hasher.hash_one(text);
        if self.lookup.get().is_none() {
            self.lookup = OnceLock::from(lookup_of(&self.bytes, &self.ends, &self.hasher));
        }
        let Self { bytes, ends, lookup, hasher } = self;
        let found = match lookup.get() {
            Some(lookup) => lookup.find(hash, |&index| slice(bytes, ends, index) == text).copied(),
            // Set just above; a scan would still be right.
            None => (0..ends.len() as u32).find(|&index| slice(bytes, ends, index) == text),
        };
        if let Some(index) = found {
            return StrIdx(index);
        }
        let index = ends.len() as u32;
        bytes.push_str(text);
        ends.push(bytes.len() as u32);
        if let Some(lookup) = lookup.get_mut() {
            lookup.insert_unique(hash, index, |&index| hasher.hash_one(slice(bytes, ends, index)));
        }
        StrIdx(index)
    }

    /// Reserves room for about `strings` more strings of `bytes` bytes in all.
    pub fn reserve(&mut self, strings: usize, bytes: usize) {
        let Self { bytes: text, ends, lookup, hasher } = self;
        text.reserve(bytes);
        ends.reserve(strings);
        if let Some(lookup) = lookup.get_mut() {
            lookup.reserve(strings, |&index| hasher.hash_one(slice(text, ends, index)));
        }
    }

    /// The index of `text` if it has been interned.
    pub fn find(&self, text: &str) -> Option<StrIdx> {
        let hash = self.hasher.hash_one(text);
        let lookup = self.lookup.get_or_init(|| lookup_of(&self.bytes, &self.ends, &self.hasher));
        lookup.find(hash, |&index| slice(&self.bytes, &self.ends, index) == text).map(|&index| StrIdx(index))
    }

    /// The text of `index`; an index from another table gives the empty string.
    pub fn get(&self, index: StrIdx) -> &str {
        if index.get() >= self.ends.len() {
            return "";
        }
        slice(&self.bytes, &self.ends, index.0)
    }

    /// Strings `range` as one text and the end of each within it (a run of the table, for
    /// sending it in parts).
    pub fn run(&self, range: std::ops::Range<usize>) -> (String, Vec<u32>) {
        let end = range.end.min(self.ends.len());
        let start = range.start.min(end);
        let from = if start == 0 { 0 } else { self.ends[start - 1] as usize };
        let to = if end == 0 { 0 } else { self.ends[end - 1] as usize };
        let ends = self.ends[start..end].iter().map(|&end| end - from as u32).collect();
        (self.bytes[from..to].to_owned(), ends)
    }

    /// [`Self::run`], with the strings that `keep` says no to written empty: for the page's copy
    /// of a set the engine keeps, which never shows the strings only attributes name.
    pub fn run_keeping(&self, range: std::ops::Range<usize>, keep: &[bool]) -> (String, Vec<u32>) {
        let end = range.end.min(self.ends.len());
        let start = range.start.min(end);
        let mut text = String::new();
        let mut ends = Vec::with_capacity(end - start);
        for index in start..end {
            if keep.get(index).copied().unwrap_or(true) {
                text.push_str(slice(&self.bytes, &self.ends, index as u32));
            }
            ends.push(text.len() as u32);
        }
        (text, ends)
    }

    /// The bytes of the strings that `keep` says yes to (see [`Self::run_keeping`]).
    pub fn kept_byte_len(&self, keep: &[bool]) -> usize {
        (0..self.ends.len())
            .filter(|&index| keep.get(index).copied().unwrap_or(true))
            .map(|index| slice(&self.bytes, &self.ends, index as u32).len())
            .sum()
    }

    /// Appends a run made by [`Self::run`] of a table whose strings are distinct (or by
    /// [`Self::run_keeping`], whose left-out strings are all empty); refuses ends
    /// that do not rise within the text or cut a character.
    pub fn extend_run(&mut self, text: &str, ends: &[u32]) -> Result<(), String> {
        let mut start = 0usize;
        for &end in ends {
            let end = end as usize;
            if end < start || end > text.len() || !text.is_char_boundary(end) {
                return Err("a run of strings whose ends do not hold together".to_owned());
            }
            start = end;
        }
        let base = self.bytes.len() as u32;
        self.bytes.push_str(text);
        self.ends.extend(ends.iter().map(|&end| base + end));
        // Built again, for all strings, when a string is next interned or looked up.
        self.lookup = OnceLock::new();
        Ok(())
    }

    /// All strings back to back, and where each ends in that text (string `i` starts where
    /// string `i - 1` ends): for a search that reads every string in one pass.
    pub fn text_and_ends(&self) -> (&str, &[u32]) {
        (&self.bytes, &self.ends)
    }

    /// The bytes of all strings together.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// How many distinct strings.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether only the empty string is present.
    pub fn is_empty(&self) -> bool {
        self.ends.len() <= 1
    }

    /// Bytes held by the table (text, offsets and lookup), for memory figures.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4 + self.lookup.get().map_or(0, |lookup| lookup.capacity() * 4)
    }
}

fn slice<'a>(bytes: &'a str, ends: &[u32], index: u32) -> &'a str {
    let index = index as usize;
    let end = ends[index] as usize;
    let start = if index == 0 { 0 } else { ends[index - 1] as usize };
    &bytes[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gets_the_same_index() {
        let mut table = StringTable::default();
        let a = table.intern("frontend");
        let b = table.intern("backend");
        assert_ne!(a, b);
        assert_eq!(table.intern("frontend"), a);
        assert_eq!(table.get(a), "frontend");
        assert_eq!(table.get(b), "backend");
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn empty_string_is_index_zero() {
        let mut table = StringTable::default();
        assert_eq!(table.intern(""), StrIdx(0));
        assert_eq!(table.get(StrIdx(0)), "");
        assert!(table.is_empty());
    }

    #[test]
    fn many_strings_survive_table_growth() {
        let mut table = StringTable::default();
        let indices: Vec<StrIdx> = (0..10_000).map(|i| table.intern(&format!("s{i}"))).collect();
        for (i, index) in indices.iter().enumerate() {
            assert_eq!(table.get(*index), format!("s{i}"));
            assert_eq!(table.find(&format!("s{i}")), Some(*index));
        }
        assert_eq!(table.find("absent"), None);
        assert_eq!(table.get(StrIdx(99_999)), "");
    }
}
