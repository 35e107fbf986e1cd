//! One load: every source imported into one builder; a refused source becomes an alert naming
//! it and the others still load. The worker tallies files it streams and sources it imports
//! whole alike.

use rustc_hash::FxHashSet;

use crate::core::import::{import_file, FileReport};
use crate::core::model::{TraceId, TraceSetBuilder};

/// What a load did, besides the spans it added.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadOutcome {
    /// Sources imported.
    pub imported: usize,
    /// Traces that were already loaded and had spans merged into them.
    pub merged: usize,
    /// One sentence per refused source and per note of an imported one, each naming its source.
    pub alerts: Vec<String>,
}

/// One file's or URL's name and bytes, or why there are none.
pub struct LoadSource {
    /// The file name or URL, as the user knows it.
    pub name: String,
    /// The bytes, or a sentence saying why they could not be had.
    pub bytes: Result<Vec<u8>, String>,
}

/// What a load has done so far: sources imported or refused, traces merged into loaded ones.
pub struct LoadTally {
    /// The trace ids of what the builder started from.
    already_loaded: FxHashSet<TraceId>,
    merged: FxHashSet<TraceId>,
    outcome: LoadOutcome,
}

impl LoadTally {
    /// A tally for a load into `builder`, whose traces so far count as already loaded.
    pub fn new(builder: &TraceSetBuilder) -> Self {
        let already_loaded = builder.trace_ids_pushed_since(0).into_iter().collect();
        Self { already_loaded, merged: FxHashSet::default(), outcome: LoadOutcome::default() }
    }

    /// Imports one source into `builder` and records what it did; its bytes are dropped after.
    pub fn import(&mut self, builder: &mut TraceSetBuilder, source: LoadSource) {
        let first_span = builder.pushed_span_count();
        let result = source
            .bytes
            .map_err(|why| format!("{}: {why}", source.name))
            .and_then(|bytes| import_file(builder, &source.name, &bytes).map_err(|error| error.to_string()));
        self.record(builder, first_span, result);
    }

    /// Records what importing one source did: `first_span` is where its spans start in
    /// `builder`; the error names the source.
    pub fn record(&mut self, builder: &TraceSetBuilder, first_span: usize, result: Result<FileReport, String>) {
        match result {
            Ok(report) => {
                self.outcome.imported += 1;
                let loaded = &self.already_loaded;
                self.merged
                    .extend(builder.trace_ids_pushed_since(first_span).into_iter().filter(|id| loaded.contains(id)));
                self.outcome.alerts.extend(report.notes.iter().map(|note| format!("{}: {note}", report.file)));
            }
            Err(message) => self.outcome.alerts.push(message),
        }
    }

    /// What the load did.
    pub fn finish(mut self) -> LoadOutcome {
        self.outcome.merged = self.merged.len();
        self.outcome
    }
}

/// Imports every source into `builder` (its traces so far count as already loaded, for merges).
/// Each source's bytes are dropped once it is imported.
pub fn import_sources(builder: &mut TraceSetBuilder, sources: impl IntoIterator<Item = LoadSource>) -> LoadOutcome {
    let mut tally = LoadTally::new(builder);
    for source in sources {
        tally.import(builder, source);
    }
    tally.finish()
}
