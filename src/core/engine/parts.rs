//! The finished set cut into parts of bounded size for its trip from the engine's worker to the
//! page, and put back together there. The page decodes parts in tasks of a bounded length, so
//! no task on the page grows with the trace; rows keep their numbers, so parts only append.
//!
//! A part is written straight from the set's columns ([`PartOf`], borrowing them) into one
//! buffer sized for it, and read back as an owned [`SetPart`]: both serialize alike.

use std::ops::Range;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

use crate::core::model::packed::{self, Packed};
use crate::core::model::spans::SpanTable;
use crate::core::model::strings::StringTable;
use crate::core::model::tables::{AttrTable, CallerView, EventTable, LinkTable, ResourceTable};
use crate::core::model::trace_set::{PAGE_COPY_LEAVES_OUT, PAGE_COPY_LEAVES_OUT_OF_EVENTS};
use crate::core::model::traces::TraceTable;
use crate::core::model::values::AttrValue;
use crate::core::model::{check_integrity, SpanIdx, TraceSet, Warning};

/// Span rows per part.
const SPAN_ROWS: usize = 25_000;
/// Attribute, event and link rows per part.
const SIDE_ROWS: usize = 50_000;
/// Strings per part.
const STRINGS: usize = 25_000;

/// One part of a finished set.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum SetPart {
    /// A run of strings (see `StringTable::run`), after those already sent.
    Strings {
        /// The strings back to back.
        text: String,
        /// Where each ends in `text` (packed, as the tables' columns are).
        #[serde(with = "crate::core::model::packed")]
        ends: Vec<u32>,
        /// Strings in the whole table, and their bytes: the table is sized for all of them at
        /// once, never grown (and its lookup rehashed) part by part.
        total: (u32, u64),
    },
    /// Span rows, after those already sent.
    Spans(Run<SpanTable>),
    /// Attribute rows.
    Attrs(Run<AttrTable>),
    /// Event rows.
    Events(Run<EventTable>),
    /// Link rows.
    Links(Run<LinkTable>),
    /// Resource rows.
    Resources(Run<ResourceTable>),
    /// The trace table, the roots, the warnings and the callers' views (one per trace or
    /// warning; small next to the spans).
    Rest {
        /// The trace table.
        traces: TraceTable,
        /// The root rows.
        roots: Vec<SpanIdx>,
        /// The warnings.
        warnings: Vec<Warning>,
        /// Zipkin callers' views by span row.
        callers: Vec<(SpanIdx, CallerView)>,
        /// Whether the parts were the page's copy (see `TraceSet::page_copy`).
        page_copy: bool,
    },
}

/// A run of a table's rows, after those already sent.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Run<T> {
    /// The rows.
    pub rows: T,
    /// Rows in the whole table: it is sized once from the first run, never grown (and copied)
    /// run by run.
    pub total: u32,
}

/// The most rows a table is sized for ahead of its runs (a million-span set has about nine
/// million attribute rows); past it, the table grows as runs come.
const MAX_RESERVED_ROWS: usize = 1 << 25;

/// A table that can be sent in runs of rows and put back together.
pub trait Rows: Default {
    /// Bytes a row takes when sent, about (to size a part's buffer once).
    const ROW_BYTES: usize;
    /// The columns the page's copy of a set has no rows in (see `TraceSet::page_copy`).
    const PAGE_LEAVES_OUT: &'static [&'static str] = &[];
    /// Rows in the table.
    fn row_count(&self) -> usize;
    /// Serializes `rows` of the table as the table itself serializes (its other columns,
    /// such as the span table's callers, as empty), straight from its columns; for the page's
    /// copy of a set (`page`), the columns it does not hold as empty.
    fn serialize_rows<S: Serializer>(&self, rows: Range<usize>, page: bool, serializer: S) -> Result<S::Ok, S::Error>;
    /// Appends the rows of `part`.
    fn append(&mut self, part: Self);
    /// Makes room for `more` rows in the columns `like` has rows in.
    fn reserve_like(&mut self, like: &Self, more: usize);

    /// Appends `run`, sizing the table for all its rows at the first run.
    fn append_run(&mut self, run: Run<Self>) {
        if self.row_count() == 0 {
            self.reserve_like(&run.rows, (run.total as usize).min(MAX_RESERVED_ROWS));
        }
        self.append(run.rows);
    }
}

/// A column slice serialized by `packed` (fixed-size values).
struct PackedSlice<'a, T>(&'a [T]);

impl<T: Packed> Serialize for PackedSlice<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        packed::serialize(self.0, serializer)
    }
}

/// An attribute value column slice serialized by `packed::attr_values`.
struct ValueSlice<'a>(&'a [AttrValue]);

impl Serialize for ValueSlice<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        packed::attr_values::serialize(self.0, serializer)
    }
}

/// Lists a table's columns in the order of its fields (each with the wrapper that serializes
/// it as its `#[serde(with)]` does), then the fields sent empty, then the names of those the
/// page's copy of a set leaves out (for a table the page's copy has; the first column is
/// always sent).
macro_rules! rows_of {
    (
        $table:ty, $row_bytes:expr, $first:ident: $first_with:ident $(, $column:ident: $with:ident)*
        $(; empty $empty:ident)? $(; page leaves out $left_out:expr)?
    ) => {
        impl Rows for $table {
            const ROW_BYTES: usize = $row_bytes;
            $(const PAGE_LEAVES_OUT: &'static [&'static str] = &$left_out;)?
            fn row_count(&self) -> usize {
                self.$first.len()
            }
            fn serialize_rows<S: Serializer>(&self, rows: Range<usize>, page: bool, serializer: S) -> Result<S::Ok, S::Error> {
                let sent = |column: &str| if page && Self::PAGE_LEAVES_OUT.contains(&column) { 0..0 } else { rows.clone() };
                let mut table = serializer.serialize_struct(stringify!($table), 0)?;
                table.serialize_field(stringify!($first), &$first_with(&self.$first[rows.clone()]))?;
                $(table.serialize_field(stringify!($column), &$with(&self.$column[sent(stringify!($column))]))?;)*
                $(table.serialize_field(stringify!($empty), &[(); 0][..])?;)?
                table.end()
            }
            fn append(&mut self, part: Self) {
                self.$first.extend(part.$first);
                $(self.$column.extend(part.$column);)*
            }
            fn reserve_like(&mut self, like: &Self, more: usize) {
                self.$first.reserve(more);
                $(if !like.$column.is_empty() {
                    self.$column.reserve(more);
                })*
            }
        }
    };
}

rows_of!(
    SpanTable,
    96,
    trace: PackedSlice,
    span_id: PackedSlice,
    parent: PackedSlice,
    parent_id: PackedSlice,
    depth: PackedSlice,
    subtree_len: PackedSlice,
    resource: PackedSlice,
    service: PackedSlice,
    operation: PackedSlice,
    kind: PackedSlice,
    status: PackedSlice,
    status_message: PackedSlice,
    start_ns: PackedSlice,
    duration_ns: PackedSlice,
    attrs: PackedSlice,
    events: PackedSlice,
    links: PackedSlice,
    flags: PackedSlice;
    empty callers;
    page leaves out PAGE_COPY_LEAVES_OUT
);
rows_of!(AttrTable, 13, key: PackedSlice, value: ValueSlice);
rows_of!(EventTable, 20, time_ns: PackedSlice, name: PackedSlice, attrs: PackedSlice; page leaves out PAGE_COPY_LEAVES_OUT_OF_EVENTS);
rows_of!(LinkTable, 42, trace_id: PackedSlice, span_id: PackedSlice, kind: PackedSlice, attrs: PackedSlice, target: PackedSlice);
rows_of!(ResourceTable, 12, service: PackedSlice, attrs: PackedSlice);

/// A run of a table's rows as it is sent: borrowed from the table, serialized as the [`Run`]
/// it is read back as.
pub struct RunOf<'a, T> {
    table: &'a T,
    rows: Range<usize>,
    /// Whether it goes to the page's copy of a set.
    page: bool,
}

impl<T: Rows> Serialize for RunOf<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut run = serializer.serialize_struct("Run", 2)?;
        run.serialize_field("rows", &RowsOf(self))?;
        run.serialize_field("total", &(self.table.row_count() as u32))?;
        run.end()
    }
}

/// The rows of a [`RunOf`], serialized as a table.
struct RowsOf<'r, 'a, T>(&'r RunOf<'a, T>);

impl<T: Rows> Serialize for RowsOf<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.table.serialize_rows(self.0.rows.clone(), self.0.page, serializer)
    }
}

/// One part of a set as it is sent, borrowing the set's rows; it is read back as the
/// [`SetPart`] of the same variant (postcard writes both alike).
#[derive(Serialize)]
pub enum PartOf<'a> {
    /// See [`SetPart::Strings`].
    Strings {
        /// The strings back to back.
        text: String,
        /// Where each ends in `text`.
        #[serde(with = "crate::core::model::packed")]
        ends: Vec<u32>,
        /// Strings in the whole table, and their bytes.
        total: (u32, u64),
    },
    /// See [`SetPart::Spans`].
    Spans(RunOf<'a, SpanTable>),
    /// See [`SetPart::Attrs`].
    Attrs(RunOf<'a, AttrTable>),
    /// See [`SetPart::Events`].
    Events(RunOf<'a, EventTable>),
    /// See [`SetPart::Links`].
    Links(RunOf<'a, LinkTable>),
    /// See [`SetPart::Resources`].
    Resources(RunOf<'a, ResourceTable>),
    /// See [`SetPart::Rest`].
    Rest {
        /// The trace table.
        traces: &'a TraceTable,
        /// The root rows.
        roots: &'a [SpanIdx],
        /// The warnings.
        warnings: &'a [Warning],
        /// Zipkin callers' views by span row.
        callers: &'a [(SpanIdx, CallerView)],
        /// Whether the parts are the page's copy.
        page_copy: bool,
    },
}

impl PartOf<'_> {
    /// The part's bytes after `prefix` (a message's own header), in one buffer sized once.
    pub fn encode_after(&self, prefix: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(prefix.len() + self.about_bytes());
        bytes.extend_from_slice(prefix);
        // Serializing plain data into a growing buffer has no way to fail.
        postcard::to_extend(self, bytes).unwrap_or_default()
    }

    /// About how many bytes the part takes (no fewer, unless its rows hold lists).
    fn about_bytes(&self) -> usize {
        let rows = match self {
            PartOf::Strings { text, ends, .. } => text.len() + ends.len() * 4,
            PartOf::Spans(run) => run.rows.len() * SpanTable::ROW_BYTES,
            PartOf::Attrs(run) => run.rows.len() * AttrTable::ROW_BYTES,
            PartOf::Events(run) => run.rows.len() * EventTable::ROW_BYTES,
            PartOf::Links(run) => run.rows.len() * LinkTable::ROW_BYTES,
            PartOf::Resources(run) => run.rows.len() * ResourceTable::ROW_BYTES,
            PartOf::Rest { .. } => 0,
        };
        // Lengths and totals.
        rows + 64
    }
}

/// The run of `table` from row `start` (at most `per_part` rows), if any rows are left there,
/// for the page's copy of a set with `page`.
fn run_of<T: Rows>(table: &T, start: usize, per_part: usize, page: bool) -> Option<(RunOf<'_, T>, usize)> {
    let rows = table.row_count();
    if start >= rows {
        return None;
    }
    let end = (start + per_part).min(rows);
    Some((RunOf { table, rows: start..end, page }, end))
}

/// Where the next part of a set starts: which table, and its first row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Strings,
    Spans,
    Attrs,
    Events,
    Links,
    Resources,
    Rest,
    Done,
}

/// Walks a set part by part, in the order [`Assembly::add`] expects; the caller may stop
/// between parts (the page sends its loaded traces to the engine a few parts per task).
#[derive(Clone, Copy, Debug)]
pub struct PartCursor {
    stage: Stage,
    start: usize,
    /// Whether the parts make the page's copy (see [`PartCursor::page_copy`]).
    page: bool,
}

impl Default for PartCursor {
    fn default() -> Self {
        // String 0 (the empty string) is in every table already.
        Self { stage: Stage::Strings, start: 1, page: false }
    }
}

impl PartCursor {
    /// A cursor past the strings, for a set whose strings were sent before it was finished
    /// (see [`for_each_string_part`]).
    pub fn after_strings() -> Self {
        Self { stage: Stage::Spans, start: 0, page: false }
    }

    /// The same cursor, giving what the page's copy of a set the engine keeps holds (see
    /// `TraceSet::page_copy`): no attribute, link or resource rows, and only the span and
    /// event columns the page draws from. A page copy is sent on with such a cursor too.
    pub fn page_copy(self) -> Self {
        Self { page: true, ..self }
    }

    /// The next part of `set` (the same set at every call), or `None` when all were given.
    pub fn next_part<'a>(&mut self, set: &'a TraceSet) -> Option<PartOf<'a>> {
        loop {
            let next =
                match self.stage {
                    Stage::Strings => strings_part(&set.strings, self.start, None),
                    Stage::Spans => {
                        run_of(&set.spans, self.start, SPAN_ROWS, self.page).map(|(run, end)| (PartOf::Spans(run), end))
                    }
                    Stage::Attrs | Stage::Links | Stage::Resources if self.page => None,
                    Stage::Attrs => {
                        run_of(&set.attrs, self.start, SIDE_ROWS, false).map(|(run, end)| (PartOf::Attrs(run), end))
                    }
                    Stage::Events => run_of(&set.events, self.start, SIDE_ROWS, self.page)
                        .map(|(run, end)| (PartOf::Events(run), end)),
                    Stage::Links => {
                        run_of(&set.links, self.start, SIDE_ROWS, false).map(|(run, end)| (PartOf::Links(run), end))
                    }
                    Stage::Resources => run_of(&set.resources, self.start, SIDE_ROWS, false)
                        .map(|(run, end)| (PartOf::Resources(run), end)),
                    Stage::Rest => {
                        self.stage = Stage::Done;
                        return Some(PartOf::Rest {
                            traces: &set.traces,
                            roots: &set.roots,
                            warnings: &set.warnings,
                            callers: if self.page { &[] } else { &set.spans.callers },
                            page_copy: self.page,
                        });
                    }
                    Stage::Done => return None,
                };
            match next {
                Some((part, end)) => {
                    self.start = end;
                    return Some(part);
                }
                None => {
                    self.stage = match self.stage {
                        Stage::Strings => Stage::Spans,
                        Stage::Spans => Stage::Attrs,
                        Stage::Attrs => Stage::Events,
                        Stage::Events => Stage::Links,
                        Stage::Links => Stage::Resources,
                        Stage::Resources => Stage::Rest,
                        Stage::Rest | Stage::Done => Stage::Done,
                    };
                    self.start = 0;
                }
            }
        }
    }
}

/// The part of `strings` from string `start` (at most [`STRINGS`]) and where the next starts;
/// with `keep`, the strings it says no to are sent empty, and `keep`'s total of bytes.
fn strings_part(
    strings: &StringTable,
    start: usize,
    keep: Option<(&[bool], usize)>,
) -> Option<(PartOf<'static>, usize)> {
    if start >= strings.len() {
        return None;
    }
    let end = (start + STRINGS).min(strings.len());
    let ((text, ends), bytes) = match keep {
        Some((keep, bytes)) => (strings.run_keeping(start..end, keep), bytes),
        None => (strings.run(start..end), strings.byte_len()),
    };
    let total = (strings.len() as u32, bytes as u64);
    Some((PartOf::Strings { text, ends, total }, end))
}

/// Hands the string parts of a set to `emit` before the set is finished: a set's strings are
/// all interned once its sources are imported, so the page can take them in while the engine
/// builds the tree. The rest follows from [`PartCursor::after_strings`].
pub fn for_each_string_part(strings: &StringTable, emit: impl FnMut(PartOf<'static>)) {
    each_string_part(strings, None, emit);
}

/// [`for_each_string_part`] for the page's copy of a set the engine keeps: the strings `keep`
/// says no to (those only attributes name, see `TraceSetBuilder::page_strings`) go empty, so
/// every string keeps its number and the page's tables need no renumbering.
pub fn for_each_page_string_part(strings: &StringTable, keep: &[bool], emit: impl FnMut(PartOf<'static>)) {
    each_string_part(strings, Some((keep, strings.kept_byte_len(keep))), emit);
}

fn each_string_part(strings: &StringTable, keep: Option<(&[bool], usize)>, mut emit: impl FnMut(PartOf<'static>)) {
    // String 0 (the empty string) is in every table already.
    let mut start = 1;
    while let Some((part, end)) = strings_part(strings, start, keep) {
        emit(part);
        start = end;
    }
}

/// Hands `set` to `emit` part by part, in the order [`Assembly::add`] expects.
pub fn for_each_part<'a>(set: &'a TraceSet, mut emit: impl FnMut(PartOf<'a>)) {
    let mut cursor = PartCursor::default();
    while let Some(part) = cursor.next_part(set) {
        emit(part);
    }
}

/// A set being put back together from its parts.
#[derive(Default)]
pub struct Assembly {
    set: TraceSet,
}

impl Assembly {
    /// Adds the next part.
    pub fn add(&mut self, part: SetPart) -> Result<(), String> {
        let set = &mut self.set;
        match part {
            SetPart::Strings { text, ends, total: (strings, bytes) } => {
                let more_strings = (strings as usize).saturating_sub(set.strings.len());
                let more_bytes = (bytes as usize).saturating_sub(set.strings.byte_len());
                set.strings.reserve(more_strings, more_bytes);
                set.strings.extend_run(&text, &ends)?;
            }
            SetPart::Spans(run) => set.spans.append_run(run),
            SetPart::Attrs(run) => set.attrs.append_run(run),
            SetPart::Events(run) => set.events.append_run(run),
            SetPart::Links(run) => set.links.append_run(run),
            SetPart::Resources(run) => set.resources.append_run(run),
            SetPart::Rest { traces, roots, warnings, callers, page_copy } => {
                set.traces = traces;
                set.roots = roots;
                set.warnings = warnings;
                set.spans.callers = callers;
                set.page_copy = page_copy;
            }
        }
        Ok(())
    }

    /// Whether `part` is the first of its table, which sizes the table for all its rows (in
    /// the browser 25–30 ms for a million spans): a caller that works in short tasks adds it
    /// in a task of its own.
    pub fn starts_table(&self, part: &SetPart) -> bool {
        let set = &self.set;
        match part {
            SetPart::Strings { .. } => set.strings.is_empty(),
            SetPart::Spans(_) => set.spans.row_count() == 0,
            SetPart::Attrs(_) => set.attrs.row_count() == 0,
            SetPart::Events(_) => set.events.row_count() == 0,
            SetPart::Links(_) => set.links.row_count() == 0,
            SetPart::Resources(_) => set.resources.row_count() == 0,
            SetPart::Rest { .. } => false,
        }
    }

    /// The set, once every part is in and it holds together (checked at once; see
    /// [`Assembly::into_unchecked`] for checking in runs).
    pub fn finish(self) -> Result<TraceSet, String> {
        check_integrity(&self.set).map_err(not_together)?;
        Ok(self.set)
    }

    /// The set as it came, for a caller that checks it itself (the page: the tables, with
    /// `check_tables` and `check_traces`, once the engine has checked the whole set; and
    /// [`not_together`] for the message); it must not be shown before.
    pub fn into_unchecked(self) -> TraceSet {
        self.set
    }
}

/// The message for a set that failed its integrity check.
pub fn not_together(problem: String) -> String {
    format!("the engine sent traces that do not hold together: {problem}")
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use super::*;
    use crate::core::import::filled_sample;

    /// `rows` of `table`, serialized from the table, must read back as the table serialized
    /// whole and cut (so the columns are listed in the order of the table's fields).
    fn same_as_the_table<T: Rows + Serialize + serde::de::DeserializeOwned + fmt::Debug>(table: &T, whole: &T) {
        let rows = table.row_count();
        assert!(rows > 0, "{table:?}");
        let run = RunOf { table, rows: 0..rows, page: false };
        let sent = postcard::to_allocvec(&RowsOf(&run)).unwrap();
        assert_eq!(sent, postcard::to_allocvec(whole).unwrap());
        let back: T = postcard::from_bytes(&sent).unwrap();
        assert_eq!(format!("{back:?}"), format!("{whole:?}"));
    }

    #[test]
    fn runs_are_sent_as_their_tables_are_written() {
        let set = filled_sample();
        assert_eq!((set.links.len(), set.events.len(), set.resources.len()), (2, 1, 1));
        assert!(set.links.target.iter().any(Option::is_some) && set.links.target.iter().any(Option::is_none));
        // The callers' views travel in the last part, not with the span rows.
        let spans = SpanTable { callers: Vec::new(), ..set.spans.clone() };
        same_as_the_table(&set.spans, &spans);
        same_as_the_table(&set.attrs, &set.attrs);
        same_as_the_table(&set.events, &set.events);
        same_as_the_table(&set.links, &set.links);
        same_as_the_table(&set.resources, &set.resources);
    }

    #[test]
    fn a_run_from_the_middle_is_those_rows() {
        let set = filled_sample();
        let run = RunOf { table: &set.attrs, rows: 2..5, page: false };
        let back: Run<AttrTable> = postcard::from_bytes(&postcard::to_allocvec(&run).unwrap()).unwrap();
        assert_eq!(back.total as usize, set.attrs.len());
        assert_eq!(back.rows.key, set.attrs.key[2..5]);
        assert_eq!(back.rows.value, set.attrs.value[2..5]);
    }

    #[test]
    fn a_part_fits_the_buffer_sized_for_it() {
        let set = filled_sample();
        let mut cursor = PartCursor::default();
        let mut parts = 0;
        while let Some(part) = cursor.next_part(&set) {
            let bytes = part.encode_after(&[7]);
            assert_eq!(bytes[0], 7);
            if !matches!(part, PartOf::Rest { .. }) {
                assert!(bytes.len() <= 1 + part.about_bytes(), "{} bytes", bytes.len());
            }
            let _: SetPart = postcard::from_bytes(&bytes[1..]).unwrap();
            parts += 1;
        }
        assert_eq!(parts, 7);
    }

    #[test]
    fn the_first_part_of_each_table_is_said_to_start_it() {
        let set = filled_sample();
        let mut cursor = PartCursor::default();
        let mut assembly = Assembly::default();
        let mut started = Vec::new();
        while let Some(part) = cursor.next_part(&set) {
            let part: SetPart = postcard::from_bytes(&part.encode_after(&[])).unwrap();
            let kind = format!("{part:?}").split([' ', '(', '{']).next().unwrap_or_default().to_owned();
            if assembly.starts_table(&part) {
                started.push(kind);
            }
            let again = postcard::to_allocvec(&part).unwrap();
            assembly.add(part).unwrap();
            // Once its first part is in, the same table's next part does not start it.
            assert!(!assembly.starts_table(&postcard::from_bytes(&again).unwrap()));
        }
        assert_eq!(started, ["Strings", "Spans", "Attrs", "Events", "Links", "Resources"]);
        assert!(assembly.finish().is_ok());
    }
}
