//! The find language of the trace page. Space-separated terms, all of which must match a span:
//!
//! | term | matches spans whose … |
//! | --- | --- |
//! | `word` | service, operation, span id, attribute key or value, or event name or field contains it (any case) |
//! | `"exact phrase"` | the same, with the phrase including its spaces |
//! | `key=value` | attribute (span, resource or event) `key` has a value containing `value` |
//! | `service:name` | service contains `name` |
//! | `error` | status is error |
//! | `duration>100ms` (`>=`, `<`, `<=`; ns, us, µs, ms, s, m, h) | duration compares so |
//! | `-term` | does not match `term` |

use std::fmt::Write;

use crate::core::analysis::find_index::{FindIndex, Scalar, NESTED, NOT_A_STRING};
use crate::core::model::{AttrValue, RowRange, SpanFlags, SpanId, SpanIdx, StrIdx, TraceIdx, TraceSet};
use crate::core::units::{NS_PER_MS, NS_PER_S, NS_PER_US};

/// How a duration compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
}

impl Comparison {
    /// Whether `value` compares so with `bound`.
    pub fn holds(self, value: i64, bound: i64) -> bool {
        match self {
            Comparison::Greater => value > bound,
            Comparison::GreaterOrEqual => value >= bound,
            Comparison::Less => value < bound,
            Comparison::LessOrEqual => value <= bound,
        }
    }
}

/// One term of a query.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// Text anywhere (lower case).
    Text(String),
    /// An attribute `key` whose value contains the text (lower case).
    KeyValue(String, String),
    /// The service contains the text (lower case).
    Service(String),
    /// Error status.
    Error,
    /// Duration compared with ns.
    Duration(Comparison, i64),
    /// The negation of a term.
    Not(Box<Term>),
}

/// A parsed query: every term must match.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// The terms.
    pub terms: Vec<Term>,
}

impl Query {
    /// Whether the query has no terms (matches nothing: there is nothing to find).
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Parses the find box's text. The error names the term that could not be read.
pub fn parse_query(text: &str) -> Result<Query, String> {
    let mut terms = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (negated, body) = match rest.strip_prefix('-') {
            Some(body) if !body.is_empty() && !body.starts_with(' ') => (true, body),
            _ => (false, rest),
        };
        let (word, after) = if let Some(quoted) = body.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (Token::Phrase(&quoted[..end]), &quoted[end + 1..]),
                None => return Err(format!("the quote in {rest:?} is not closed")),
            }
        } else {
            let end = body.find(char::is_whitespace).unwrap_or(body.len());
            (Token::Word(&body[..end]), &body[end..])
        };
        let term = match word {
            Token::Phrase(phrase) => Term::Text(phrase.to_lowercase()),
            Token::Word(word) => parse_word(word)?,
        };
        terms.push(if negated { Term::Not(Box::new(term)) } else { term });
        rest = after.trim_start();
    }
    Ok(Query { terms })
}

enum Token<'a> {
    Word(&'a str),
    Phrase(&'a str),
}

fn parse_word(word: &str) -> Result<Term, String> {
    if word.eq_ignore_ascii_case("error") {
        return Ok(Term::Error);
    }
    if let Some(name) = word.strip_prefix("service:") {
        return Ok(Term::Service(name.trim_matches('"').to_lowercase()));
    }
    if let Some(rest) = word.strip_prefix("duration") {
        let (comparison, amount) = if let Some(amount) = rest.strip_prefix(">=") {
            (Comparison::GreaterOrEqual, amount)
        } else if let Some(amount) = rest.strip_prefix("<=") {
            (Comparison::LessOrEqual, amount)
        } else if let Some(amount) = rest.strip_prefix('>') {
            (Comparison::Greater, amount)
        } else if let Some(amount) = rest.strip_prefix('<') {
            (Comparison::Less, amount)
        } else {
            return Ok(Term::Text(word.to_lowercase()));
        };
        let ns =
            parse_duration_ns(amount).ok_or_else(|| format!("{word:?}: {amount:?} is not a duration like 100ms"))?;
        return Ok(Term::Duration(comparison, ns));
    }
    if let Some((key, value)) = word.split_once('=') {
        if !key.is_empty() {
            return Ok(Term::KeyValue(key.to_owned(), value.trim_matches('"').to_lowercase()));
        }
    }
    Ok(Term::Text(word.to_lowercase()))
}

/// `100ms`, `1.5s`, `250us`, `2m` → ns.
pub fn parse_duration_ns(text: &str) -> Option<i64> {
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let ns_per_unit = match unit {
        "ns" => 1,
        "us" | "µs" => NS_PER_US,
        "ms" => NS_PER_MS,
        "s" => NS_PER_S,
        "m" => 60 * NS_PER_S,
        "h" => 3600 * NS_PER_S,
        _ => return None,
    };
    Some((value * ns_per_unit as f64).round() as i64)
}

/// The spans of `trace` that match `query`, in row order.
///
/// Strings are interned, so each distinct string (and each resource's attributes) is tested
/// once per term and remembered: a million spans naming a few thousand strings cost a few
/// thousand text searches, not millions. Spans are stored as a tree: when that order jumps
/// around the attribute table (the source wrote spans in another order), the attribute rows are
/// first tested in their own order, a bit per row, so memory is read front to back either way.
///
/// A find that would test most of the set's strings (a trace naming a distinct URL or
/// statement per span, with few matches) tests them all at once instead, in one pass over their
/// text, once the spans looked at so far say so (`StringTests::AllOnceMostAsked`); the
/// attribute rows are then read through `index` (built from `set`: [`FindIndex::of`]).
pub fn find_spans(set: &TraceSet, index: &FindIndex, trace: TraceIdx, query: &Query) -> Vec<SpanIdx> {
    let reading = Reading { rows_first: !attributes_follow_spans(set, trace), strings: StringTests::ADAPTIVE };
    find_spans_reading(set, Some(index), trace, query, reading)
}

/// How [`find_spans`] reads the set.
#[derive(Clone, Copy, Debug)]
struct Reading {
    /// Test the attribute rows in their own order first.
    rows_first: bool,
    /// How the strings are tested.
    strings: StringTests,
}

/// How a find tests the strings its spans name.
#[derive(Clone, Copy, Debug)]
enum StringTests {
    /// Each when a span first names it.
    #[cfg_attr(not(test), allow(dead_code))]
    AsTheyCome,
    /// All of them in one pass, first.
    #[cfg_attr(not(test), allow(dead_code))]
    AllFirst,
    /// As they come, until the spans looked at so far (counted every `block` spans) say that a
    /// quarter of the set's strings or more would be tested: then all of them in one pass.
    AllOnceMostAsked {
        /// Spans between two counts.
        block: usize,
    },
}

impl StringTests {
    /// What finds use.
    const ADAPTIVE: StringTests = StringTests::AllOnceMostAsked { block: 4096 };

    /// How many spans (or rows) between two counts of the strings tested so far (`usize::MAX`:
    /// none); for [`StringTests::AllFirst`], once `test_all` has tested every string.
    fn block(self, test_all: impl FnOnce()) -> usize {
        match self {
            StringTests::AsTheyCome => usize::MAX,
            StringTests::AllFirst => {
                test_all();
                usize::MAX
            }
            StringTests::AllOnceMostAsked { block } => block.max(1),
        }
    }
}

/// [`find_spans`], reading the set as `reading` says (and its attribute rows through `index`,
/// if given).
fn find_spans_reading(
    set: &TraceSet,
    index: Option<&FindIndex>,
    trace: TraceIdx,
    query: &Query,
    reading: Reading,
) -> Vec<SpanIdx> {
    if query.is_empty() {
        return Vec::new();
    }
    let mut terms = matchers(set, index, query);
    if reading.rows_first {
        let window = attribute_window(set, trace);
        for term in &mut terms {
            term.test_rows(set, window.clone(), reading.strings);
        }
    }
    let total = set.traces.spans.get(trace.get()).map_or(0, |spans| spans.len());
    matching(set, set.trace_spans(trace), total, &mut terms, reading.strings)
}

/// The spans among `spans` (rows of one trace, in row order) that match `query`, in row order:
/// for a query that [`narrows`] the one that found `spans`, the same as [`find_spans`].
pub fn find_among(set: &TraceSet, index: &FindIndex, spans: &[SpanIdx], query: &Query) -> Vec<SpanIdx> {
    find_among_reading(set, Some(index), spans, query, StringTests::ADAPTIVE)
}

/// [`find_among`], testing strings as `strings` says.
fn find_among_reading(
    set: &TraceSet,
    index: Option<&FindIndex>,
    spans: &[SpanIdx],
    query: &Query,
    strings: StringTests,
) -> Vec<SpanIdx> {
    if query.is_empty() {
        return Vec::new();
    }
    let mut terms = matchers(set, index, query);
    let in_set = spans.iter().copied().filter(|span| span.get() < set.span_count());
    matching(set, in_set, spans.len(), &mut terms, strings)
}

/// A matcher for each term of `query`, reading the attribute rows through `index` if it was
/// built from `set`.
fn matchers<'q>(set: &TraceSet, index: Option<&'q FindIndex>, query: &'q Query) -> Vec<Matcher<'q>> {
    let index = index.filter(|index| index.fits(set));
    query.terms.iter().map(|term| Matcher::new(set, index, term)).collect()
}

/// The spans of `spans` (`total` of them) that every term matches, testing strings as `tests`
/// says.
fn matching(
    set: &TraceSet,
    spans: impl Iterator<Item = SpanIdx>,
    total: usize,
    terms: &mut [Matcher],
    tests: StringTests,
) -> Vec<SpanIdx> {
    let block = tests.block(|| terms.iter_mut().for_each(|term| term.test_all_strings(set)));
    let mut found = Vec::new();
    let mut until_count = block;
    for (seen, span) in spans.enumerate() {
        if until_count == 0 {
            until_count = block;
            for term in terms.iter_mut() {
                term.test_all_strings_if_most_asked(set, seen, total);
            }
        }
        until_count -= 1;
        if terms.iter_mut().all(|term| term.matches(set, span)) {
            found.push(span);
        }
    }
    found
}

/// Whether every span that `narrower` matches is matched by `wider` too: each term of `wider`
/// is implied by the term of `narrower` in its place (as when a word is typed on, or a term
/// added after the others), so a find of `narrower` need only look among `wider`'s matches.
pub fn narrows(narrower: &Query, wider: &Query) -> bool {
    !wider.is_empty()
        && narrower.terms.len() >= wider.terms.len()
        && narrower.terms.iter().zip(&wider.terms).all(|(narrow, wide)| implies(narrow, wide))
}

/// Whether a span matching `narrow` always matches `wide`: the same term, or the same kind of
/// text term whose text contains the other's (every test of text is a containment).
fn implies(narrow: &Term, wide: &Term) -> bool {
    match (narrow, wide) {
        (Term::Text(narrow), Term::Text(wide)) | (Term::Service(narrow), Term::Service(wide)) => {
            narrow.contains(wide.as_str())
        }
        (Term::KeyValue(narrow_key, narrow), Term::KeyValue(wide_key, wide)) => {
            narrow_key == wide_key && narrow.contains(wide.as_str())
        }
        (narrow, wide) => narrow == wide,
    }
}

/// Whether the spans of `trace`, in row order, mostly read the attribute table front to back:
/// at most one in eight spans' attributes start before the previous span's or far after them
/// (the rows of a span's events may lie between).
fn attributes_follow_spans(set: &TraceSet, trace: TraceIdx) -> bool {
    const NEAR_ROWS: u32 = 64;
    let rows = &set.spans.attrs[set.traces.spans[trace.get()].as_range()];
    let jumps =
        rows.windows(2).filter(|pair| pair[1].start < pair[0].end || pair[1].start - pair[0].end > NEAR_ROWS).count();
    jumps <= rows.len() / 8
}

/// The attribute rows of the spans of `trace` and of their events lie in this range.
fn attribute_window(set: &TraceSet, trace: TraceIdx) -> std::ops::Range<usize> {
    let (mut start, mut end) = (usize::MAX, 0);
    let mut take = |rows: RowRange| {
        if !rows.is_empty() {
            start = start.min(rows.start as usize);
            end = end.max(rows.end as usize);
        }
    };
    for span in set.trace_spans(trace) {
        take(set.spans.attrs[span.get()]);
        for event in set.spans.events[span.get()].as_range() {
            take(set.events.attrs[event]);
        }
    }
    start.min(end)..end
}

/// Hex digits to look for in span ids, compared as numbers: a span id's 16 digits are its 64
/// bits, so the digits are there when some run of their many 4-bit steps is equal to them.
#[derive(Clone, Copy, Debug)]
struct HexWindow {
    /// The digits' value.
    value: u64,
    /// As many low bits as the digits take.
    mask: u64,
    /// How many digits (at most 16).
    digits: u32,
}

impl HexWindow {
    /// The window for `text` if it is 1 to 16 hex digits (lower case, as find terms are).
    fn of(text: &str) -> Option<HexWindow> {
        let digits = u32::try_from(text.len()).ok().filter(|digits| (1..=16).contains(digits))?;
        let value = text.bytes().try_fold(0u64, |value, byte| Some(value << 4 | u64::from(hex_value(byte)?)))?;
        let mask = if digits == 16 { u64::MAX } else { (1u64 << (4 * digits)) - 1 };
        Some(HexWindow { value, mask, digits })
    }

    /// Whether `span_id` written in hex contains the digits.
    #[inline(always)]
    fn within(self, span_id: SpanId) -> bool {
        let id = u64::from_be_bytes(span_id.0);
        (0..=16 - self.digits).any(|step| (id >> (4 * step)) & self.mask == self.value)
    }
}

/// The value of a lower-case hex digit.
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    }
}

/// What a remembered test said: not asked yet, no, yes.
const UNKNOWN: u8 = 0;
const NO: u8 = 1;
const YES: u8 = 2;

/// One term, with what it has found out about strings and resources so far.
struct Matcher<'q> {
    term: &'q Term,
    negated: bool,
    /// Per interned string: whether it contains the term's text.
    strings: Vec<u8>,
    /// Per interned string, for `key=value`: whether it contains the value.
    values: Vec<u8>,
    /// For `key=value`: the key's string, if the set has one (strings are interned, so at
    /// most one string is the key; without one no attribute matches).
    key: Option<StrIdx>,
    /// Per resource: whether its attributes match.
    resources: Vec<u8>,
    /// Which attribute rows of `hit_rows` match (text and `key=value` terms), a bit per row.
    row_hits: Vec<u64>,
    /// The attribute rows tested ahead, in `row_hits`.
    hit_rows: std::ops::Range<usize>,
    /// Whether the text could be part of a number's digits (else numbers are not written out).
    numeric: bool,
    /// Whether the text could be part of a span id written in hex, and if so how.
    hex: Option<HexWindow>,
    /// Whether `false` and `true` contain the text.
    booleans: [bool; 2],
    /// How many strings have been tested one by one.
    asked: usize,
    /// Room to write a number out in (see [`Matcher::scalar_contains`]).
    digits: String,
    /// Integers tested lately and the answer (see [`NumberAnswers`]).
    numbers: NumberAnswers,
    /// Whether every string has been tested ([`Matcher::test_all_strings`]).
    all_known: bool,
    /// The set's attribute rows as finds read them, once every string has been tested.
    index: Option<&'q FindIndex>,
    /// With `index`, for a text term: whether some attribute key contains the text (else keys
    /// are not read).
    keys_may_match: bool,
}

impl<'q> Matcher<'q> {
    fn new(set: &TraceSet, index: Option<&'q FindIndex>, term: &'q Term) -> Self {
        let (term, negated) = match term {
            Term::Not(inner) => (inner.as_ref(), true),
            term => (term, false),
        };
        let text = match term {
            Term::Text(text) | Term::KeyValue(_, text) => text.as_str(),
            _ => "",
        };
        let remembers = matches!(term, Term::Text(_) | Term::Service(_));
        Matcher {
            term,
            negated,
            strings: if remembers { vec![UNKNOWN; set.strings.len()] } else { Vec::new() },
            values: if matches!(term, Term::KeyValue(..)) { vec![UNKNOWN; set.strings.len()] } else { Vec::new() },
            key: match term {
                Term::KeyValue(key, _) => string_equal_to(set, key),
                _ => None,
            },
            resources: vec![UNKNOWN; set.resources.len()],
            row_hits: Vec::new(),
            hit_rows: 0..0,
            numeric: text.bytes().all(|byte| byte.is_ascii_digit() || b"-+.einfa".contains(&byte)),
            hex: HexWindow::of(text),
            booleans: ["false".contains(text), "true".contains(text)],
            asked: 0,
            digits: String::new(),
            numbers: NumberAnswers::default(),
            all_known: false,
            index,
            keys_may_match: true,
        }
    }

    /// Tests every string of the set at once for text and `key=value` terms, in one pass over
    /// the strings' text ([`strings_containing`]), so that no string is left to test later.
    fn test_all_strings(&mut self, set: &TraceSet) {
        match self.term {
            Term::Text(text) => self.strings = strings_containing(set, text),
            Term::KeyValue(_, text) => self.values = strings_containing(set, text),
            _ => return,
        }
        self.all_known = true;
        if let Some(index) = self.index {
            let strings = &self.strings;
            self.keys_may_match = index.keys().iter().any(|key| strings.get(key.get()) == Some(&YES));
            if let Term::Text(text) = self.term {
                // The index numbers booleans and numbers after the strings: each is answered
                // once here, and its rows are looked up as a string's are.
                let (numeric, booleans) = (self.numeric, self.booleans);
                let (numbers, digits) = (&mut self.numbers, &mut self.digits);
                self.strings.extend(index.scalars().iter().map(|scalar| {
                    let found = match *scalar {
                        Scalar::Bool(flag) => booleans[usize::from(flag)],
                        Scalar::Int(number) => numeric && numbers.contains(number, text),
                        Scalar::Float(bits) => numeric && float_contains(digits, f64::from_bits(bits), text),
                    };
                    if found {
                        YES
                    } else {
                        NO
                    }
                }));
            }
        }
    }

    /// [`Matcher::test_all_strings`], when the strings tested one by one for the first `seen`
    /// of `total` spans say that a quarter of the set's strings or more would be by the end.
    fn test_all_strings_if_most_asked(&mut self, set: &TraceSet, seen: usize, total: usize) {
        if self.all_known || seen == 0 {
            return;
        }
        let expected = self.asked as u64 * total as u64 / seen as u64;
        if expected * 4 >= set.strings.len() as u64 {
            self.test_all_strings(set);
        }
    }

    /// Tests the attribute rows `rows` in their order, for [`Matcher::rows_match`] to look up,
    /// testing strings as `tests` says (counting rows where a find counts spans).
    fn test_rows(&mut self, set: &TraceSet, rows: std::ops::Range<usize>, tests: StringTests) {
        if !matches!(self.term, Term::Text(_) | Term::KeyValue(..)) {
            return;
        }
        let block = tests.block(|| self.test_all_strings(set));
        let mut hits = vec![0u64; rows.len().div_ceil(64)];
        let mut until_count = block;
        for (bit, row) in rows.clone().enumerate() {
            if until_count == 0 {
                until_count = block;
                self.test_all_strings_if_most_asked(set, bit, rows.len());
            }
            until_count -= 1;
            if self.row_matches(set, row) {
                hits[bit / 64] |= 1 << (bit % 64);
            }
        }
        self.row_hits = hits;
        self.hit_rows = rows;
    }

    fn matches(&mut self, set: &TraceSet, span: SpanIdx) -> bool {
        self.matches_positively(set, span) != self.negated
    }

    fn matches_positively(&mut self, set: &TraceSet, span: SpanIdx) -> bool {
        let i = span.get();
        let spans = &set.spans;
        match self.term {
            // Only one level of negation is parsed; a nested one reads as its inner term.
            Term::Not(_) => false,
            Term::Error => spans.flags[i].has(SpanFlags::ERROR),
            Term::Service(name) => {
                remembered(&mut self.strings, &mut self.asked, set, spans.service[i], |text| contains(text, name))
            }
            Term::Duration(comparison, ns) => comparison.holds(spans.duration_ns[i], *ns),
            Term::KeyValue(..) | Term::Text(_) => {
                if matches!(self.term, Term::Text(_)) && self.span_fields_match(set, span) {
                    return true;
                }
                if self.rows_match(set, spans.attrs[i]) {
                    return true;
                }
                if spans.events[i].as_range().any(|event| self.rows_match(set, set.events.attrs[event])) {
                    return true;
                }
                self.resource_matches(set, span)
            }
        }
    }

    /// Text terms: the service, operation, span id or an event name contains the text.
    #[inline(always)]
    fn span_fields_match(&mut self, set: &TraceSet, span: SpanIdx) -> bool {
        let Term::Text(text) = self.term else { return false };
        let i = span.get();
        let spans = &set.spans;
        let (strings, asked) = (&mut self.strings, &mut self.asked);
        let mut in_string = |index| remembered(strings, asked, set, index, |value| contains(value, text));
        in_string(spans.service[i])
            || in_string(spans.operation[i])
            || self.hex.is_some_and(|hex| hex.within(spans.span_id[i]))
            || spans.events[i].as_range().any(|event| in_string(set.events.name[event]))
    }

    /// Whether the attribute rows `rows` match: for text, a key or value contains it; for
    /// `key=value`, the key is named so and its value contains the text.
    #[inline(always)]
    fn rows_match(&mut self, set: &TraceSet, rows: RowRange) -> bool {
        let rows = rows.as_range();
        if rows.start >= self.hit_rows.start && rows.end <= self.hit_rows.end {
            let from = self.hit_rows.start;
            return rows.into_iter().any(|row| self.row_hits[(row - from) / 64] & (1 << ((row - from) % 64)) != 0);
        }
        if let Term::KeyValue(_, text) = self.term {
            // Only the rows named by the key have their value tested: the keys are compared
            // as numbers, in a tight loop over their column.
            let (Some(key), Some(keys)) = (self.key, set.attrs.key.get(rows.clone())) else { return false };
            return keys.iter().zip(rows).any(|(&named, row)| {
                named == key
                    && set.attrs.value.get(row).is_some_and(|value| self.value_contains(set, value, text, true))
            });
        }
        if let (true, Some(index), Term::Text(text)) = (self.all_known, self.index, self.term) {
            return self.indexed_rows_match(set, index, rows, text);
        }
        rows.into_iter().any(|row| self.row_matches(set, row))
    }

    /// [`Matcher::rows_match`] for a text term once every string has been tested: the rows'
    /// strings, booleans and numbers are looked up in one tight loop over the index's column,
    /// their keys only when some key contains the text, and other values from the values
    /// themselves (only lists and maps, and bytes or numbers past the entries' range).
    #[inline(always)]
    fn indexed_rows_match(
        &mut self,
        set: &TraceSet,
        index: &FindIndex,
        rows: std::ops::Range<usize>,
        text: &str,
    ) -> bool {
        let Some(strings_of_rows) = index.value_strings(rows.clone()) else { return false };
        // A mark is past the last string, so it is never found among them.
        let strings = self.strings.as_slice();
        let yes = |string: usize| strings.get(string).is_some_and(|&said| said == YES);
        let (mut nested, mut scalar) = (false, false);
        for &string in strings_of_rows {
            if yes(string as usize) {
                return true;
            }
            nested |= string == NESTED;
            scalar |= string == NOT_A_STRING;
        }
        if self.keys_may_match
            && set.attrs.key.get(rows.clone()).is_some_and(|keys| keys.iter().any(|key| yes(key.get())))
        {
            return true;
        }
        let scalars_may_match = self.numeric || self.booleans.iter().any(|&found| found);
        if !(nested || (scalar && scalars_may_match)) {
            return false;
        }
        let Some(values) = set.attrs.value.get(rows) else { return false };
        values.iter().zip(strings_of_rows).any(|(value, &mark)| {
            (mark == NESTED || (mark == NOT_A_STRING && scalars_may_match))
                && self.value_contains(set, value, text, false)
        })
    }

    /// Whether attribute row `row` matches.
    #[inline(always)]
    fn row_matches(&mut self, set: &TraceSet, row: usize) -> bool {
        if let (true, Some(index), Term::Text(text)) = (self.all_known, self.index, self.term) {
            return self.indexed_rows_match(set, index, row..row + 1, text);
        }
        let (Some(&key), Some(value)) = (set.attrs.key.get(row), set.attrs.value.get(row)) else { return false };
        match self.term {
            Term::Text(text) => {
                remembered(&mut self.strings, &mut self.asked, set, key, |name| contains(name, text))
                    || self.value_contains(set, value, text, false)
            }
            Term::KeyValue(_, text) => Some(key) == self.key && self.value_contains(set, value, text, true),
            _ => false,
        }
    }

    /// The span's resource's attributes match (remembered per resource).
    #[inline(always)]
    fn resource_matches(&mut self, set: &TraceSet, span: SpanIdx) -> bool {
        let resource = set.spans.resource[span.get()].get();
        let Some(&rows) = set.resources.attrs.get(resource) else { return false };
        match self.resources.get(resource).copied() {
            Some(YES) => true,
            Some(NO) => false,
            _ => {
                let found = self.rows_match(set, rows);
                if let Some(slot) = self.resources.get_mut(resource) {
                    *slot = if found { YES } else { NO };
                }
                found
            }
        }
    }

    /// Whether `value` contains `needle`; strings are remembered in `values` for `key=value`
    /// terms and in `strings` for text terms. Lists and maps are walked with a stack.
    #[inline(always)]
    fn value_contains(&mut self, set: &TraceSet, value: &AttrValue, needle: &str, in_values: bool) -> bool {
        if !matches!(value, AttrValue::Array(_) | AttrValue::KvList(_)) {
            return self.scalar_contains(set, value, needle, in_values);
        }
        let mut stack = vec![value];
        while let Some(value) = stack.pop() {
            match value {
                AttrValue::Array(items) => stack.extend(items.iter()),
                AttrValue::KvList(entries) => stack.extend(entries.iter().map(|(_, item)| item)),
                scalar => {
                    if self.scalar_contains(set, scalar, needle, in_values) {
                        return true;
                    }
                }
            }
        }
        false
    }

    /// [`Matcher::value_contains`] for a value that is not a list or a map (which have none).
    #[inline(always)]
    fn scalar_contains(&mut self, set: &TraceSet, value: &AttrValue, needle: &str, in_values: bool) -> bool {
        let memo = if in_values { &mut self.values } else { &mut self.strings };
        match value {
            AttrValue::Str(text) => remembered(memo, &mut self.asked, set, *text, |value| contains(value, needle)),
            AttrValue::Bool(flag) => self.booleans[usize::from(*flag)],
            // Written out as shown (`Display`), without a string per row: a trace has millions
            // of numbers.
            AttrValue::Int(number) => self.numeric && self.numbers.contains(*number, needle),
            AttrValue::Double(number) => self.numeric && float_contains(&mut self.digits, *number, needle),
            AttrValue::Bytes(_) | AttrValue::Array(_) | AttrValue::KvList(_) => false,
        }
    }
}

/// Whether `number`, written out as shown (`Display`), contains `needle`; `digits` is room to
/// write it in, reused from number to number.
fn float_contains(digits: &mut String, number: f64, needle: &str) -> bool {
    digits.clear();
    write!(digits, "{number}").is_ok() && digits.contains(needle)
}

/// Whether integers, written out as shown, contain a find's text: the last answer for each of a
/// few hundred slots (an integer's slot is a hash of it). Most integers of a trace repeat (status
/// codes, sizes, counts), and writing millions of them out was most of a find for digits.
struct NumberAnswers {
    /// Per slot: the integer and whether it contains the text, or `None` before any.
    slots: Box<[Option<(i64, bool)>; NUMBER_SLOTS]>,
}

/// Slots of [`NumberAnswers`].
const NUMBER_SLOTS: usize = 512;

impl Default for NumberAnswers {
    fn default() -> Self {
        Self { slots: Box::new([None; NUMBER_SLOTS]) }
    }
}

impl NumberAnswers {
    /// Whether `number`, written out, contains `needle`.
    #[inline(always)]
    fn contains(&mut self, number: i64, needle: &str) -> bool {
        let slot = ((number as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize % NUMBER_SLOTS;
        match self.slots[slot] {
            Some((known, answer)) if known == number => answer,
            _ => {
                let answer = itoa::Buffer::new().format(number).contains(needle);
                self.slots[slot] = Some((number, answer));
                answer
            }
        }
    }
}

/// `test` of the string `index`, asked once (counted in `asked`) and then remembered in `memo`.
#[inline(always)]
fn remembered(memo: &mut [u8], asked: &mut usize, set: &TraceSet, index: StrIdx, test: impl Fn(&str) -> bool) -> bool {
    match memo.get(index.get()).copied() {
        Some(YES) => true,
        Some(NO) => false,
        _ => {
            *asked += 1;
            let found = test(set.str(index));
            if let Some(slot) = memo.get_mut(index.get()) {
                *slot = if found { YES } else { NO };
            }
            found
        }
    }
}

/// Per string of the set, whether it contains `needle` (already lower case; [`YES`] or [`NO`],
/// as [`contains`] says). ASCII text is searched in one pass over all the strings' bytes: for
/// the needle itself when it has no letters, else for its rarest byte in either case; a match
/// is kept if it lies within one string. A string that is not ASCII is tested on its own.
fn strings_containing(set: &TraceSet, needle: &str) -> Vec<u8> {
    let (text, ends) = set.strings.text_and_ends();
    let wanted = needle.as_bytes();
    if wanted.is_empty() {
        return vec![YES; ends.len()];
    }
    let mut found = vec![NO; ends.len()];
    if !needle.is_ascii() {
        test_one_by_one(set, needle, &mut found, |_| true);
        return found;
    }
    let bytes = text.as_bytes();
    if !wanted.iter().any(u8::is_ascii_alphabetic) {
        // Without letters, case does not matter: a search for two of the needle's bytes at
        // once (SIMD) has far fewer places to compare where its rarest byte is common, as
        // digits are in URLs and numbers.
        strings_containing_exactly(bytes, ends, wanted, &mut found);
    } else {
        strings_containing_either_case(bytes, ends, wanted, &mut found);
    }
    if !all_ascii(bytes) {
        test_one_by_one(set, needle, &mut found, |string| !string.is_ascii());
    }
    found
}

/// Marks in `found` each string (of the table's `bytes` and `ends`) that contains `wanted`
/// byte for byte.
fn strings_containing_exactly(bytes: &[u8], ends: &[u32], wanted: &[u8], found: &mut [u8]) {
    let finder = memchr::memmem::Finder::new(wanted);
    let (mut string, mut at) = (0usize, 0usize);
    while let Some(offset) = bytes.get(at..).and_then(|rest| finder.find(rest)) {
        let from = at + offset;
        match place_match(ends, &mut string, from..from + wanted.len()) {
            Placed::Within { end } => {
                found[string] = YES;
                at = end;
            }
            Placed::Across => at = from + 1,
            Placed::PastTheLast => break,
        }
    }
}

/// Where a match lies among the strings (see [`place_match`]).
enum Placed {
    /// Within one string, which ends at `end`.
    Within { end: usize },
    /// Across the end of the string it starts in.
    Across,
    /// Past the last string.
    PastTheLast,
}

/// Where the match at `bytes` of the strings' text lies. `string` is the string of the match
/// before (matches come in order), moved on to the one this match starts in: the first that
/// ends after its first byte.
fn place_match(ends: &[u32], string: &mut usize, bytes: std::ops::Range<usize>) -> Placed {
    if ends.get(*string).is_some_and(|&end| end as usize <= bytes.start) {
        *string = string_after(ends, *string, bytes.start);
    }
    match ends.get(*string) {
        Some(&end) if bytes.end <= end as usize => Placed::Within { end: end as usize },
        Some(_) => Placed::Across,
        None => Placed::PastTheLast,
    }
}

/// Marks in `found` each string (of the table's `bytes` and `ends`) that contains `wanted`
/// (lower case) in either case: the needle is compared where its rarest byte is, found in
/// either case.
fn strings_containing_either_case(bytes: &[u8], ends: &[u32], wanted: &[u8], found: &mut [u8]) {
    let rare_at = memchr::arch::all::packedpair::Pair::new(wanted).map_or(0, |pair| usize::from(pair.index1()));
    let rare = wanted[rare_at];
    // The needle is compared where its rarest byte is found; only a match is then placed in its
    // string, and the search goes on from that string's end.
    let (lower, upper) = (rare, rare.to_ascii_uppercase());
    let (mut string, mut at) = (0usize, 0usize);
    'search: while let Some(rest) = bytes.get(at..) {
        for offset in memchr::memchr2_iter(lower, upper, rest) {
            let Some(from) = (at + offset).checked_sub(rare_at) else { continue };
            let to = from + wanted.len();
            if !bytes.get(from..to).is_some_and(|text| text.eq_ignore_ascii_case(wanted)) {
                continue;
            }
            match place_match(ends, &mut string, from..to) {
                Placed::Within { end } => {
                    // The match lies within the string, so its end is past the byte just found.
                    found[string] = YES;
                    at = end;
                    continue 'search;
                }
                Placed::Across => {}
                Placed::PastTheLast => break 'search,
            }
        }
        break;
    }
}

/// The string whose text is `text`, found by comparing lengths first (a pass over the ends,
/// a few ms at a million strings). Not `StringTable::find`: a set assembled from parts has no
/// lookup, and `find` would hash every string to build one for a single question.
fn string_equal_to(set: &TraceSet, text: &str) -> Option<StrIdx> {
    let (all, ends) = set.strings.text_and_ends();
    let mut start = 0usize;
    for (index, &end) in ends.iter().enumerate() {
        let end = end as usize;
        if end.checked_sub(start) == Some(text.len()) && all.as_bytes().get(start..end) == Some(text.as_bytes()) {
            return Some(StrIdx(index as u32));
        }
        start = end;
    }
    None
}

/// Tests each string that `which` picks with `contains`, and records the answer in `found`.
fn test_one_by_one(set: &TraceSet, needle: &str, found: &mut [u8], which: impl Fn(&str) -> bool) {
    for (index, slot) in found.iter_mut().enumerate() {
        let string = set.str(StrIdx(index as u32));
        if which(string) {
            *slot = if contains(string, needle) { YES } else { NO };
        }
    }
}

/// The first string after `string` (which ends at or before `from`) that ends after byte
/// `from`: searched close by first, doubling the step (matches come in order, most of them a
/// few strings apart), then halving, so that a million matches do not each read the ends
/// across the whole table.
fn string_after(ends: &[u32], string: usize, from: usize) -> usize {
    let ends_by = |index: usize| ends.get(index).is_some_and(|&end| end as usize <= from);
    let (mut low, mut step) = (string, 1);
    while ends_by(low + step) {
        low += step;
        step *= 2;
    }
    let high = (low + step).min(ends.len());
    let after = low + 1;
    after + ends.get(after..high).map_or(0, |between| between.partition_point(|&end| end as usize <= from))
}

/// Whether `bytes` are all ASCII: every byte or-ed together, which compiles to wide
/// instructions where `str::is_ascii`, built ahead of time, does not.
fn all_ascii(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |all, &byte| all | byte) < 0x80
}

/// Case-insensitive containment; `needle` is already lower case. ASCII text (nearly all of a
/// trace) jumps between the places where the needle's first letter occurs, in either case.
fn contains(haystack: &str, needle: &str) -> bool {
    let (hay, wanted) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = wanted.first() else { return true };
    if !(haystack.is_ascii() && needle.is_ascii()) {
        return haystack.to_lowercase().contains(needle);
    }
    let Some(last_start) = hay.len().checked_sub(wanted.len()) else { return false };
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start])
        .any(|at| hay[at..at + wanted.len()].eq_ignore_ascii_case(wanted))
}

/// The rows to show when only matches are shown: the matches and their ancestors, in row order.
pub fn matches_with_ancestors(set: &TraceSet, trace: TraceIdx, matches: &[SpanIdx]) -> Vec<SpanIdx> {
    let Some(range) = set.traces.spans.get(trace.get()) else { return Vec::new() };
    let first = range.start as usize;
    let mut keep = vec![false; range.len()];
    for &span in matches {
        let mut current = Some(span);
        while let Some(row) = current {
            let slot = &mut keep[row.get() - first];
            if *slot {
                break;
            }
            *slot = true;
            current = set.spans.parent[row.get()];
        }
    }
    keep.iter().enumerate().filter(|(_, kept)| **kept).map(|(offset, _)| SpanIdx((first + offset) as u32)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::{checkout_sample, import_file};
    use crate::core::model::TraceSetBuilder;

    fn found(set: &TraceSet, query: &str) -> Vec<String> {
        let query = parse_query(query).unwrap();
        find_spans(set, &FindIndex::of(set), TraceIdx(0), &query)
            .into_iter()
            .map(|span| set.str(set.spans.operation[span.get()]).to_owned())
            .collect()
    }

    #[test]
    fn parses_every_kind_of_term() {
        let query =
            parse_query(r#"payment -grpc "lock acquired" db.system=postgresql service:data duration>=1.5s error"#)
                .unwrap();
        assert_eq!(
            query.terms,
            [
                Term::Text("payment".into()),
                Term::Not(Box::new(Term::Text("grpc".into()))),
                Term::Text("lock acquired".into()),
                Term::KeyValue("db.system".into(), "postgresql".into()),
                Term::Service("data".into()),
                Term::Duration(Comparison::GreaterOrEqual, 1_500_000_000),
                Term::Error,
            ]
        );
        assert!(parse_query("\"open").unwrap_err().contains("not closed"));
        assert!(parse_query("duration>fast").unwrap_err().contains("not a duration"));
    }

    #[test]
    fn finds_spans_by_text_attribute_service_duration_and_negation() {
        let set = checkout_sample();
        assert_eq!(found(&set, "INSERT"), ["INSERT payments"]);
        assert_eq!(found(&set, "db.system=postgres"), ["INSERT payments"]);
        assert_eq!(found(&set, "\"lock acquired\""), ["INSERT payments"], "event fields");
        assert_eq!(found(&set, "service:notif"), ["SendConfirmation"]);
        assert_eq!(found(&set, "duration>1s"), ["POST /api/checkout", "POST /orders", "Charge", "INSERT payments"]);
        assert_eq!(found(&set, "duration>1s -service:api -service:order"), ["Charge", "INSERT payments"]);
        assert!(found(&set, "error").is_empty());
        assert!(found(&set, "").is_empty());
    }

    #[test]
    fn a_needle_without_letters_is_found_within_one_string_only() {
        // The strings "a12", "34b", "1234", "x" and "12" lie back to back: "a1234b1234x12".
        let bytes = b"a1234b1234x12";
        let ends = [3, 6, 10, 11, 13];
        let found = |needle: &[u8]| {
            let mut found = vec![NO; ends.len()];
            strings_containing_exactly(bytes, &ends, needle, &mut found);
            (0..ends.len()).filter(|&string| found[string] == YES).collect::<Vec<_>>()
        };
        assert_eq!(found(b"1234"), [2], "not across the first two strings");
        assert_eq!(found(b"12"), [0, 2, 4]);
        assert_eq!(found(b"4"), [1, 2]);
        assert_eq!(found(b"34"), [1, 2]);
        assert_eq!(found(b"4x"), Vec::<usize>::new());
        assert_eq!(found(b"12345"), Vec::<usize>::new());
    }

    #[test]
    fn numbers_answer_as_written_out_whatever_came_before() {
        let numbers = [0, 7, 200, 500, 1024, -1, -500, i64::MAX, i64::MIN, 4096, 1_767_225_600_000_000_000];
        for needle in ["0", "00", "-", "-5", "50", "1024", "9", "75", "2255"] {
            let mut answers = NumberAnswers::default();
            // Many numbers share slots; each is asked again after the others.
            for round in 0..3 {
                for offset in 0..2_000i64 {
                    for number in numbers.iter().map(|number| number.wrapping_add(offset * round)) {
                        let expected = number.to_string().contains(needle);
                        assert_eq!(answers.contains(number, needle), expected, "{number} contains {needle:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn hex_digits_are_found_wherever_they_stand_in_a_span_id() {
        let id = SpanId::from_hex("00f067aa0ba902b7").unwrap();
        let written = id.to_hex();
        for start in 0..16 {
            for end in start + 1..=16 {
                let digits = &written[start..end];
                assert!(HexWindow::of(digits).is_some_and(|hex| hex.within(id)), "{digits}");
            }
        }
        for absent in ["1", "f00", "b8", "00f067aa0ba902b8", "7b"] {
            assert!(!HexWindow::of(absent).is_some_and(|hex| hex.within(id)), "{absent}");
        }
        for not_hex in ["", "0x1", "g", "00f067aa0ba902b70", "B7"] {
            assert!(HexWindow::of(not_hex).is_none(), "{not_hex:?}");
        }
    }

    #[test]
    fn only_matches_keeps_their_ancestors() {
        let set = checkout_sample();
        let query = parse_query("stripe").unwrap();
        let matches = find_spans(&set, &FindIndex::of(&set), TraceIdx(0), &query);
        let shown: Vec<&str> = matches_with_ancestors(&set, TraceIdx(0), &matches)
            .into_iter()
            .map(|span| set.str(set.spans.operation[span.get()]))
            .collect();
        assert_eq!(
            shown,
            ["POST /api/checkout", "POST /orders", "Charge", "POST https://api.stripe.example/v1/charges"]
        );
    }

    // The straightforward matcher the remembering one must agree with: every string tested
    // again for every span.
    fn reference_matches(set: &TraceSet, span: SpanIdx, term: &Term) -> bool {
        let i = span.get();
        let spans = &set.spans;
        match term {
            Term::Not(inner) => !reference_matches(set, span, inner),
            Term::Error => spans.flags[i].has(SpanFlags::ERROR),
            Term::Service(name) => contains(set.str(spans.service[i]), name),
            Term::Duration(comparison, ns) => comparison.holds(spans.duration_ns[i], *ns),
            Term::KeyValue(key, value) => attribute_ranges(set, span).any(|rows| {
                set.attrs.rows(rows).any(|(k, v)| set.str(k) == key && reference_value_contains(set, v, value))
            }),
            Term::Text(text) => {
                contains(set.str(spans.service[i]), text)
                    || contains(set.str(spans.operation[i]), text)
                    || spans.span_id[i].to_hex().contains(text.as_str())
                    || spans.events[i].as_range().any(|event| contains(set.str(set.events.name[event]), text))
                    || attribute_ranges(set, span).any(|rows| {
                        set.attrs
                            .rows(rows)
                            .any(|(k, v)| contains(set.str(k), text) || reference_value_contains(set, v, text))
                    })
            }
        }
    }

    /// The span's attribute rows, its resource's, and each event's.
    fn attribute_ranges(set: &TraceSet, span: SpanIdx) -> impl Iterator<Item = RowRange> + '_ {
        let i = span.get();
        let resource = set.resources.attrs.get(set.spans.resource[i].get()).copied();
        std::iter::once(set.spans.attrs[i])
            .chain(resource)
            .chain(set.spans.events[i].as_range().map(|event| set.events.attrs[event]))
    }

    fn reference_value_contains(set: &TraceSet, value: &AttrValue, needle: &str) -> bool {
        match value {
            AttrValue::Str(text) => contains(set.str(*text), needle),
            AttrValue::Bool(flag) => flag.to_string().contains(needle),
            AttrValue::Int(number) => number.to_string().contains(needle),
            AttrValue::Double(number) => number.to_string().contains(needle),
            AttrValue::Bytes(_) => false,
            AttrValue::Array(items) => items.iter().any(|item| reference_value_contains(set, item, needle)),
            AttrValue::KvList(entries) => entries.iter().any(|(_, item)| reference_value_contains(set, item, needle)),
        }
    }

    /// Every way of testing strings, the adaptive one switching early and late.
    const STRING_TESTS: [StringTests; 5] = [
        StringTests::AsTheyCome,
        StringTests::AllFirst,
        StringTests::AllOnceMostAsked { block: 1 },
        StringTests::AllOnceMostAsked { block: 3 },
        StringTests::ADAPTIVE,
    ];

    fn otlp_with_resources() -> TraceSet {
        let json = r#"{"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"billing"}},
            {"key":"host.name","value":{"stringValue":"Node-7"}},
            {"key":"host.cpu","value":{"intValue":"4096"}}]},
          "scopeSpans":[{"spans":[
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"charge",
             "startTimeUnixNano":"1000","endTimeUnixNano":"5000","status":{"code":2},
             "attributes":[{"key":"retries","value":{"intValue":"3"}},
                           {"key":"ratio","value":{"doubleValue":0.25}},
                           {"key":"ok","value":{"boolValue":false}},
                           {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"Blue"},{"intValue":"12"}]}}}],
             "events":[{"timeUnixNano":"2000","name":"retry","attributes":[{"key":"why","value":{"stringValue":"timeout"}},
                                                                        {"key":"note","value":{"stringValue":"Grüße aus KÖLN"}}]}]},
            {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","parentSpanId":"b7ad6b7169203331",
             "name":"lookup","startTimeUnixNano":"2000","endTimeUnixNano":"3000",
             "attributes":[{"key":"host.name","value":{"stringValue":"charge"}}]}]}]}]}"#;
        let mut builder = TraceSetBuilder::new();
        import_file(&mut builder, "otlp.json", json.as_bytes()).unwrap();
        builder.finish()
    }

    #[test]
    fn remembering_matches_agree_with_testing_every_string_again() {
        let queries = [
            "payment",
            "PAYMENT",
            "insert",
            "lock acquired",
            "\"lock acquired\"",
            "db.system=postgres",
            "db.system=",
            "-db.system=postgres",
            "no.such.key=x",
            "postgresql=",
            "=x",
            "service:notif",
            "-service:api",
            "duration>1s -grpc",
            "error",
            "-error",
            "node-7",
            "host.name=node",
            "host.name=charge",
            "host.cpu=40",
            "4096",
            "40",
            "96",
            "-1",
            "1000",
            "3",
            "0.25",
            ".2",
            "false",
            "true",
            "fal",
            "ru",
            "blue",
            "tags=blu",
            "tags=12",
            "retry",
            "timeout",
            "why=time",
            "b7ad",
            "B7AD6B7169203331",
            "charge",
            "-charge",
            "billing lookup",
            "é",
            "köln",
            "GRÜSSE",
            "grü",
            "aus",
            "namebilling",
            "whytimeout",
            "",
            "\"\"",
        ];
        for set in [checkout_sample(), otlp_with_resources()] {
            let index = FindIndex::of(&set);
            for text in queries {
                let query = parse_query(text).unwrap();
                let expected: Vec<SpanIdx> = if query.is_empty() {
                    Vec::new()
                } else {
                    set.trace_spans(TraceIdx(0))
                        .filter(|&span| query.terms.iter().all(|term| reference_matches(&set, span, term)))
                        .collect()
                };
                assert_eq!(find_spans(&set, &index, TraceIdx(0), &query), expected, "query {text:?}");
                // Every way of reading the strings and the attribute rows finds the same spans,
                // with the index and without it.
                for rows_first in [false, true] {
                    for strings in STRING_TESTS {
                        for index in [Some(&index), None] {
                            let reading = Reading { rows_first, strings };
                            let found = find_spans_reading(&set, index, TraceIdx(0), &query, reading);
                            assert_eq!(found, expected, "query {text:?}, {reading:?}, index {}", index.is_some());
                        }
                    }
                }
            }
        }
        let set = otlp_with_resources();
        let index = FindIndex::of(&set);
        let found = |text: &str| find_spans(&set, &index, TraceIdx(0), &parse_query(text).unwrap()).len();
        assert_eq!(found("node-7"), 2, "a resource attribute matches every span of the resource");
        assert_eq!(found("host.name=charge"), 1, "the span's own attribute, not the resource's");
        assert_eq!(found("host.cpu=4096"), 2);
        assert_eq!(found("tags=blue"), 1);
    }

    #[test]
    fn a_narrower_query_finds_among_the_wider_ones_matches_what_it_finds_anew() {
        // As typed, letter by letter, and with terms added or changed.
        let typed = [
            "p",
            "pa",
            "pay",
            "payment",
            "payments",
            "s",
            "st",
            "stripe",
            "stripe c",
            "stripe ch",
            "db",
            "db.system=",
            "db.system=p",
            "db.system=post",
            "db.system=postgres x",
            "service:",
            "service:p",
            "service:pay",
            "service:payment",
            "service:payment charge",
            "t",
            "tr",
            "tru",
            "true",
            "f",
            "fa",
            "false",
            "4",
            "40",
            "409",
            "4096",
            "b",
            "bl",
            "blue",
            "tags=",
            "tags=b",
            "tags=bl",
            "-error",
            "-error charge",
            "error",
            "duration>1s",
            "duration>1s p",
            "duration>1s pay",
            "node",
            "node-7",
            "node-7 look",
        ];
        let mut narrowed = 0;
        for set in [checkout_sample(), otlp_with_resources()] {
            let index = FindIndex::of(&set);
            for wide_text in typed {
                let wide = parse_query(wide_text).unwrap();
                let wide_found = find_spans(&set, &index, TraceIdx(0), &wide);
                for narrow_text in typed {
                    let narrow = parse_query(narrow_text).unwrap();
                    if !narrows(&narrow, &wide) {
                        continue;
                    }
                    narrowed += 1;
                    let anew = find_spans(&set, &index, TraceIdx(0), &narrow);
                    let among = find_among(&set, &index, &wide_found, &narrow);
                    assert_eq!(among, anew, "{narrow_text:?} among {wide_text:?}");
                    for strings in STRING_TESTS {
                        for index in [Some(&index), None] {
                            let among = find_among_reading(&set, index, &wide_found, &narrow, strings);
                            assert_eq!(among, anew, "{narrow_text:?} among {wide_text:?}, {strings:?}");
                        }
                    }
                }
            }
        }
        assert!(narrowed > 150, "{narrowed} pairs narrowed");
        let query = |text: &str| parse_query(text).unwrap();
        assert!(narrows(&query("payment"), &query("pay")));
        assert!(narrows(&query("pay error"), &query("pay")));
        assert!(!narrows(&query("pay"), &query("payment")));
        assert!(!narrows(&query("-payment"), &query("-pay")), "a negation narrows only as itself");
        assert!(!narrows(&query("pay"), &query("")), "nothing was found for an empty query");
        assert!(!narrows(&query("service:pay"), &query("pay")), "a service term is not a text term");
    }
}
