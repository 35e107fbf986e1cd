//! A builder's rows as they cross from one worker to another: the tail of a file imported in two
//! parts (see `core::import::streamed`) is read in a worker of its own, and its builder goes to
//! the worker of the head, which appends it ([`TraceSetBuilder::append`]). The tables' columns
//! are packed as in the parts of a finished set; the strings go as one text with their ends.

use crate::core::model::builder::{PendingWarning, RawSpan, TraceSetBuilder};
use crate::core::model::strings::StringTable;
use crate::core::model::tables::{AttrTable, EventTable, LinkTable, ResourceTable};

/// Everything a builder holds, ready to serialize.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct BuilderRows {
    /// The strings after the first (the empty string every table starts with), back to back.
    text: String,
    /// Where each of those strings ends in `text`.
    #[serde(with = "crate::core::model::packed")]
    ends: Vec<u32>,
    attrs: AttrTable,
    events: EventTable,
    links: LinkTable,
    resources: ResourceTable,
    spans: Vec<RawSpan>,
    warnings: Vec<PendingWarning>,
}

impl TraceSetBuilder {
    /// The builder's rows, to send to another worker.
    pub fn into_rows(self) -> BuilderRows {
        let TraceSetBuilder { strings, attrs, events, links, resources, spans, warnings } = self;
        let (text, ends) = strings.run(1..strings.len());
        BuilderRows { text, ends, attrs, events, links, resources, spans, warnings }
    }

    /// The builder whose rows `rows` are; refuses strings that do not hold together. Its string
    /// table builds its lookup only if it is asked to intern or find (appending it does not).
    pub fn from_rows(rows: BuilderRows) -> Result<Self, String> {
        let BuilderRows { text, ends, attrs, events, links, resources, spans, warnings } = rows;
        let mut strings = StringTable::default();
        strings.extend_run(&text, &ends)?;
        Ok(TraceSetBuilder { strings, attrs, events, links, resources, spans, warnings })
    }
}
