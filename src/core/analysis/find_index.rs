//! What a find over a big set reads instead of the attribute values: what each attribute row's
//! value is, as a number in a column of its own, and the set's distinct attribute keys. Built
//! once per set (the engine builds it when it is idle, or at its first find).
//!
//! A value is 16 bytes (`AttrValue`), its entry in the column 4: a find that has tested every
//! string of the set (`find::strings_containing`) then reads a quarter of the bytes per row, and
//! no keys at all when none of the set's keys contains the text (a key names a kind of
//! attribute, so a set has a few hundred at most). A string's entry is its number; a boolean's
//! and a number's come after the strings' (`false`, `true`, then each distinct integer and
//! float of the set, [`FindIndex::scalars`]), so a find answers them as it answers strings,
//! once each, and a trace's millions of status codes and sizes are not written out row by row.
//!
//! ```text
//!  row   key          value              entry
//!  0     http.url     Str(17)            17
//!  1     retry        Bool(true)         strings + 1
//!  2     http.status  Int(200)           strings + the integer's place among the scalars
//!  3     ratio        Double(0.25)       strings + the float's place among the scalars
//!  4     payload      Bytes(..)          NOT_A_STRING
//!  5     tags         Array([..])        NESTED
//! ```

use rustc_hash::FxHashMap;

use crate::core::model::{AttrValue, StrIdx, TraceSet};

/// In [`FindIndex`]'s column: a value read from the row itself when it may hold the text (bytes,
/// or a number beyond the entries' range).
pub const NOT_A_STRING: u32 = u32::MAX;
/// In [`FindIndex`]'s column: a list or a map, whose items are read from the value itself.
pub const NESTED: u32 = u32::MAX - 1;

/// A scalar value that [`FindIndex`] numbers after the strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// `false` or `true`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float, by its bits (so `-0` and `0` stay apart, as they are written).
    Float(u64),
}

/// The attribute rows of one set as finds read them (see the module's description), built
/// all at once ([`FindIndex::of`]) or a run of rows at a time ([`FindIndex::extend`]).
#[derive(Clone, Debug, Default)]
pub struct FindIndex {
    /// Per attribute row: the number of the string its value is; past the strings, the
    /// number of its scalar among [`FindIndex::scalars`]; or [`NOT_A_STRING`] or [`NESTED`].
    value_strings: Vec<u32>,
    /// The set's strings, which the scalars' entries follow.
    strings: usize,
    /// The scalars numbered after the strings: `false`, `true`, then each distinct number.
    scalars: Vec<Scalar>,
    /// While it is built: each number's entry.
    number_entries: FxHashMap<Scalar, u32>,
    /// Every string that is some row's key, once.
    keys: Vec<StrIdx>,
    /// While it is built: per string, whether it is among `keys`.
    is_key: Vec<bool>,
}

impl FindIndex {
    /// The index of `set`'s attribute rows: one pass over their values and keys.
    pub fn of(set: &TraceSet) -> FindIndex {
        let mut index = FindIndex::default();
        index.extend(set, usize::MAX);
        index
    }

    /// Indexes up to `rows` more of `set`'s attribute rows (after those indexed so far, all
    /// from `set`); whether every row is indexed now.
    pub fn extend(&mut self, set: &TraceSet, rows: usize) -> bool {
        let from = self.value_strings.len();
        let to = from.saturating_add(rows).min(set.attrs.len());
        if from == 0 && to > 0 {
            self.is_key = vec![false; set.strings.len()];
            self.strings = set.strings.len();
            self.scalars = vec![Scalar::Bool(false), Scalar::Bool(true)];
        }
        let (Some(values), Some(keys)) = (set.attrs.value.get(from..to), set.attrs.key.get(from..to)) else {
            return self.fits(set);
        };
        // Entries from here on are the scalars'; a set whose entries would reach the marks
        // (no set holds four billion strings) has its values read from the rows, as a list's
        // are: the answer stays right.
        let first_scalar = u32::try_from(self.strings).ok().filter(|&first| first < NESTED - 2).unwrap_or(NESTED);
        for value in values {
            let entry = match value {
                AttrValue::Str(string) => {
                    u32::try_from(string.get()).ok().filter(|&number| number < first_scalar).unwrap_or(NESTED)
                }
                AttrValue::Array(_) | AttrValue::KvList(_) => NESTED,
                AttrValue::Bool(flag) if first_scalar < NESTED => first_scalar + u32::from(*flag),
                AttrValue::Int(number) => self.number_entry(Scalar::Int(*number), first_scalar),
                AttrValue::Double(number) => self.number_entry(Scalar::Float(number.to_bits()), first_scalar),
                AttrValue::Bool(_) | AttrValue::Bytes(_) => NOT_A_STRING,
            };
            self.value_strings.push(entry);
        }
        for &key in keys {
            if let Some(seen) = self.is_key.get_mut(key.get()) {
                if !*seen {
                    *seen = true;
                    self.keys.push(key);
                }
            }
        }
        let done = self.fits(set);
        if done {
            self.is_key = Vec::new();
            self.number_entries = FxHashMap::default();
        }
        done
    }

    /// The entry of `number`, numbered now if it is new: [`NOT_A_STRING`] when the entries have
    /// run out (the row is then read from its value).
    fn number_entry(&mut self, number: Scalar, first_scalar: u32) -> u32 {
        if let Some(&entry) = self.number_entries.get(&number) {
            return entry;
        }
        let Some(entry) = u32::try_from(self.scalars.len())
            .ok()
            .and_then(|offset| first_scalar.checked_add(offset))
            .filter(|&entry| entry < NESTED)
        else {
            return NOT_A_STRING;
        };
        self.scalars.push(number);
        self.number_entries.insert(number, entry);
        entry
    }

    /// Whether the index is whole for `set` (else it is not read).
    pub fn fits(&self, set: &TraceSet) -> bool {
        self.value_strings.len() == set.attrs.len() && (self.strings == set.strings.len() || set.attrs.is_empty())
    }

    /// The entries of `rows` (see [`FindIndex`]), if the index has them.
    pub fn value_strings(&self, rows: std::ops::Range<usize>) -> Option<&[u32]> {
        self.value_strings.get(rows)
    }

    /// The scalars whose entries follow the strings', in order: `false`, `true`, then each
    /// distinct integer and float of the set's attribute rows.
    pub fn scalars(&self) -> &[Scalar] {
        &self.scalars
    }

    /// Every string that is some row's key.
    pub fn keys(&self) -> &[StrIdx] {
        &self.keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;

    #[test]
    fn each_row_names_its_string_or_says_what_else_it_is() {
        let set = checkout_sample();
        let index = FindIndex::of(&set);
        assert!(index.fits(&set));
        assert!(!FindIndex::default().fits(&set));
        let column = index.value_strings(0..set.attrs.len()).unwrap_or_default();
        let strings = set.strings.len() as u32;
        let scalars = index.scalars();
        assert_eq!(scalars[..2], [Scalar::Bool(false), Scalar::Bool(true)]);
        for (row, value) in set.attrs.value.iter().enumerate() {
            let expected = match value {
                AttrValue::Str(string) => string.get() as u32,
                AttrValue::Array(_) | AttrValue::KvList(_) => NESTED,
                AttrValue::Bool(flag) => strings + u32::from(*flag),
                AttrValue::Int(number) => {
                    let at = scalars.iter().position(|scalar| *scalar == Scalar::Int(*number));
                    strings + at.unwrap_or_default() as u32
                }
                AttrValue::Double(number) => {
                    let at = scalars.iter().position(|scalar| *scalar == Scalar::Float(number.to_bits()));
                    strings + at.unwrap_or_default() as u32
                }
                AttrValue::Bytes(_) => NOT_A_STRING,
            };
            assert_eq!(column[row], expected, "row {row}");
        }
        // Each number once, and the sample has some.
        let mut numbers: Vec<&Scalar> = scalars[2..].iter().collect();
        assert!(numbers.iter().all(|scalar| matches!(scalar, Scalar::Int(_) | Scalar::Float(_))));
        let count = numbers.len();
        numbers.sort_by_key(|scalar| format!("{scalar:?}"));
        numbers.dedup();
        assert_eq!(numbers.len(), count);
        assert!(numbers.iter().any(|scalar| matches!(scalar, Scalar::Int(_))), "the sample has integers");
        // The keys, each once, and every row's key among them.
        let keys = index.keys();
        let mut distinct = keys.to_vec();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len());
        assert!(set.attrs.key.iter().all(|key| keys.contains(key)));
        assert!(keys.iter().any(|&key| set.str(key) == "http.method"));
        // Built a few rows at a time, the same index.
        let mut in_steps = FindIndex::default();
        let mut steps = 1;
        while !in_steps.extend(&set, 3) {
            assert!(!in_steps.fits(&set));
            steps += 1;
        }
        assert_eq!(steps, set.attrs.len().div_ceil(3));
        assert_eq!(in_steps.value_strings, index.value_strings);
        assert_eq!(in_steps.scalars, index.scalars);
        assert_eq!(in_steps.keys, index.keys);
        assert!(in_steps.extend(&set, 3), "a whole index stays whole");
    }
}
