//! What a find over a big set reads instead of the attribute values: the string each attribute
//! row's value names, in a column of its own, and the set's distinct attribute keys. Built once
//! per set (the engine builds it when it is idle, or at its first find).
//!
//! A value is 16 bytes (`AttrValue`), its string's number 4: a find that has tested every string
//! of the set (`find::strings_containing`) then reads a quarter of the bytes per row, and no
//! keys at all when none of the set's keys contains the text (a key names a kind of attribute,
//! so a set has a few hundred at most).
//!
//! ```text
//!  row   key          value              value string
//!  0     http.url     Str(17)            17
//!  1     http.status  Int(200)           NOT_A_STRING
//!  2     tags         Array([..])        NESTED
//! ```

use crate::core::model::{AttrValue, StrIdx, TraceSet};

/// In [`FindIndex`]'s column: a value that is not text and holds none (a boolean, a number,
/// bytes).
pub const NOT_A_STRING: u32 = u32::MAX;
/// In [`FindIndex`]'s column: a list or a map, whose items are read from the value itself.
pub const NESTED: u32 = u32::MAX - 1;

/// The attribute rows of one set as finds read them (see the module's description), built
/// all at once ([`FindIndex::of`]) or a run of rows at a time ([`FindIndex::extend`]).
#[derive(Clone, Debug, Default)]
pub struct FindIndex {
    /// Per attribute row: the number of the string its value is, or [`NOT_A_STRING`] or
    /// [`NESTED`].
    value_strings: Vec<u32>,
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
        }
        let (Some(values), Some(keys)) = (set.attrs.value.get(from..to), set.attrs.key.get(from..to)) else {
            return self.fits(set.attrs.len());
        };
        self.value_strings.extend(values.iter().map(|value| match value {
            // A string numbered like a mark (no set holds four billion strings) is read from
            // the value, as a list is: the answer stays right.
            AttrValue::Str(string) => {
                u32::try_from(string.get()).ok().filter(|&number| number < NESTED).unwrap_or(NESTED)
            }
            AttrValue::Array(_) | AttrValue::KvList(_) => NESTED,
            AttrValue::Bool(_) | AttrValue::Int(_) | AttrValue::Double(_) | AttrValue::Bytes(_) => NOT_A_STRING,
        }));
        for &key in keys {
            if let Some(seen) = self.is_key.get_mut(key.get()) {
                if !*seen {
                    *seen = true;
                    self.keys.push(key);
                }
            }
        }
        let done = self.fits(set.attrs.len());
        if done {
            self.is_key = Vec::new();
        }
        done
    }

    /// Whether the index is whole for a set with `rows` attribute rows (else it is not read).
    pub fn fits(&self, rows: usize) -> bool {
        self.value_strings.len() == rows
    }

    /// The value strings of `rows` (see [`FindIndex`]), if the index has them.
    pub fn value_strings(&self, rows: std::ops::Range<usize>) -> Option<&[u32]> {
        self.value_strings.get(rows)
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
        assert!(index.fits(set.attrs.len()));
        assert!(!index.fits(set.attrs.len() + 1));
        let column = index.value_strings(0..set.attrs.len()).unwrap_or_default();
        for (row, value) in set.attrs.value.iter().enumerate() {
            let expected = match value {
                AttrValue::Str(string) => string.get() as u32,
                AttrValue::Array(_) | AttrValue::KvList(_) => NESTED,
                _ => NOT_A_STRING,
            };
            assert_eq!(column[row], expected, "row {row}");
        }
        assert!(column.contains(&NOT_A_STRING), "the sample has numbers and booleans");
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
            assert!(!in_steps.fits(set.attrs.len()));
            steps += 1;
        }
        assert_eq!(steps, set.attrs.len().div_ceil(3));
        assert_eq!(in_steps.value_strings, index.value_strings);
        assert_eq!(in_steps.keys, index.keys);
        assert!(in_steps.extend(&set, 3), "a whole index stays whole");
    }
}
