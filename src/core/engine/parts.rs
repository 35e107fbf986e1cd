//! The finished set cut into parts of bounded size for its trip from the engine's worker to the
//! page, and put back together there. The page decodes parts in tasks of a bounded length, so
//! no task on the page grows with the trace; rows keep their numbers, so parts only append.

use std::ops::Range;

use crate::core::model::spans::SpanTable;
use crate::core::model::strings::StringTable;
use crate::core::model::tables::{AttrTable, CallerView, EventTable, LinkTable, ResourceTable};
use crate::core::model::traces::TraceTable;
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
        /// Where each ends in `text`.
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

/// A table that can be cut into runs of rows and put back together.
trait Rows: Default {
    fn row_count(&self) -> usize;
    fn cut(&self, rows: Range<usize>) -> Self;
    fn append(&mut self, part: Self);
    fn reserve(&mut self, more: usize);

    /// Appends `run`, sizing the table for all its rows at the first run.
    fn append_run(&mut self, run: Run<Self>) {
        if self.row_count() == 0 {
            self.reserve((run.total as usize).min(MAX_RESERVED_ROWS));
        }
        self.append(run.rows);
    }
}

macro_rules! rows_of {
    ($table:ty, $first:ident $(, $column:ident)*) => {
        impl Rows for $table {
            fn row_count(&self) -> usize {
                self.$first.len()
            }
            fn cut(&self, rows: Range<usize>) -> Self {
                // Columns not listed (the span table's callers) stay empty.
                let mut part = Self::default();
                part.$first = self.$first[rows.clone()].to_vec();
                $(part.$column = self.$column[rows.clone()].to_vec();)*
                part
            }
            fn append(&mut self, part: Self) {
                self.$first.extend(part.$first);
                $(self.$column.extend(part.$column);)*
            }
            fn reserve(&mut self, more: usize) {
                self.$first.reserve(more);
                $(self.$column.reserve(more);)*
            }
        }
    };
}

rows_of!(
    SpanTable,
    trace,
    span_id,
    parent,
    parent_id,
    depth,
    subtree_len,
    resource,
    service,
    operation,
    kind,
    status,
    status_message,
    start_ns,
    duration_ns,
    attrs,
    events,
    links,
    flags
);
rows_of!(AttrTable, key, value);
rows_of!(EventTable, time_ns, name, attrs);
rows_of!(LinkTable, trace_id, span_id, kind, attrs, target);
rows_of!(ResourceTable, service, attrs);

/// The run of `table` from row `start` (at most `per_part` rows), if any rows are left there.
fn run_of<T: Rows>(table: &T, start: usize, per_part: usize) -> Option<(Run<T>, usize)> {
    let rows = table.row_count();
    if start >= rows {
        return None;
    }
    let end = (start + per_part).min(rows);
    Some((Run { rows: table.cut(start..end), total: rows as u32 }, end))
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
}

impl Default for PartCursor {
    fn default() -> Self {
        // String 0 (the empty string) is in every table already.
        Self { stage: Stage::Strings, start: 1 }
    }
}

impl PartCursor {
    /// A cursor past the strings, for a set whose strings were sent before it was finished
    /// (see [`for_each_string_part`]).
    pub fn after_strings() -> Self {
        Self { stage: Stage::Spans, start: 0 }
    }

    /// The next part of `set` (the same set at every call), or `None` when all were given.
    pub fn next_part(&mut self, set: &TraceSet) -> Option<SetPart> {
        loop {
            let next = match self.stage {
                Stage::Strings => strings_part(&set.strings, self.start),
                Stage::Spans => run_of(&set.spans, self.start, SPAN_ROWS).map(|(run, end)| (SetPart::Spans(run), end)),
                Stage::Attrs => run_of(&set.attrs, self.start, SIDE_ROWS).map(|(run, end)| (SetPart::Attrs(run), end)),
                Stage::Events => {
                    run_of(&set.events, self.start, SIDE_ROWS).map(|(run, end)| (SetPart::Events(run), end))
                }
                Stage::Links => run_of(&set.links, self.start, SIDE_ROWS).map(|(run, end)| (SetPart::Links(run), end)),
                Stage::Resources => {
                    run_of(&set.resources, self.start, SIDE_ROWS).map(|(run, end)| (SetPart::Resources(run), end))
                }
                Stage::Rest => {
                    self.stage = Stage::Done;
                    return Some(SetPart::Rest {
                        traces: set.traces.clone(),
                        roots: set.roots.clone(),
                        warnings: set.warnings.clone(),
                        callers: set.spans.callers.clone(),
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

/// The part of `strings` from string `start` (at most [`STRINGS`]) and where the next starts.
fn strings_part(strings: &StringTable, start: usize) -> Option<(SetPart, usize)> {
    if start >= strings.len() {
        return None;
    }
    let end = (start + STRINGS).min(strings.len());
    let (text, ends) = strings.run(start..end);
    let total = (strings.len() as u32, strings.byte_len() as u64);
    Some((SetPart::Strings { text, ends, total }, end))
}

/// Hands the string parts of a set to `emit` before the set is finished: a set's strings are
/// all interned once its sources are imported, so the page can take them in while the engine
/// builds the tree. The rest follows from [`PartCursor::after_strings`].
pub fn for_each_string_part(strings: &StringTable, mut emit: impl FnMut(SetPart)) {
    // String 0 (the empty string) is in every table already.
    let mut start = 1;
    while let Some((part, end)) = strings_part(strings, start) {
        emit(part);
        start = end;
    }
}

/// Hands `set` to `emit` part by part, in the order [`Assembly::add`] expects.
pub fn for_each_part(set: &TraceSet, mut emit: impl FnMut(SetPart)) {
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
            SetPart::Rest { traces, roots, warnings, callers } => {
                set.traces = traces;
                set.roots = roots;
                set.warnings = warnings;
                set.spans.callers = callers;
            }
        }
        Ok(())
    }

    /// The set, once every part is in and it holds together (checked at once; see
    /// [`Assembly::into_unchecked`] for checking in runs).
    pub fn finish(self) -> Result<TraceSet, String> {
        check_integrity(&self.set).map_err(not_together)?;
        Ok(self.set)
    }

    /// The set as it came, for a caller that checks it in runs of [`CHECK_ROWS`] span rows
    /// with `check_tables`, `check_span_rows` and `check_traces` (and [`not_together`] for the
    /// message); it must not be shown before.
    pub fn into_unchecked(self) -> TraceSet {
        self.set
    }
}

/// Span rows checked per run when a set is checked in short tasks (a few ms each in the browser).
pub const CHECK_ROWS: usize = 25_000;

/// The message for a set that failed its integrity check.
pub fn not_together(problem: String) -> String {
    format!("the engine sent traces that do not hold together: {problem}")
}
