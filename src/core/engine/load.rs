//! One load: every source imported into one builder; a refused source becomes an alert naming
//! it and the others still load. Shared by the worker and the page's own import (used when
//! traces are already loaded and new ones are merged into them).

use rustc_hash::FxHashSet;

use crate::core::import::import_file;
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

/// Imports every source into `builder`; `already_loaded` are the trace ids of what the builder
/// started from (to count merges). Each source's bytes are dropped once it is imported.
pub fn import_sources(
    builder: &mut TraceSetBuilder,
    already_loaded: &FxHashSet<TraceId>,
    sources: impl IntoIterator<Item = LoadSource>,
) -> LoadOutcome {
    let mut outcome = LoadOutcome::default();
    let mut merged: FxHashSet<TraceId> = FxHashSet::default();
    for source in sources {
        let first_span = builder.pushed_span_count();
        let result = source
            .bytes
            .map_err(|why| format!("{}: {why}", source.name))
            .and_then(|bytes| import_file(builder, &source.name, &bytes).map_err(|error| error.to_string()));
        match result {
            Ok(report) => {
                outcome.imported += 1;
                merged.extend(
                    builder.trace_ids_pushed_since(first_span).into_iter().filter(|id| already_loaded.contains(id)),
                );
                outcome.alerts.extend(report.notes.iter().map(|note| format!("{}: {note}", source.name)));
            }
            Err(message) => outcome.alerts.push(message),
        }
    }
    outcome.merged = merged.len();
    outcome
}
