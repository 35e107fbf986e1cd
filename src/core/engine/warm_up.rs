//! A synthetic Jaeger trace the engine's worker loads, and throws away, while it waits for its
//! first load. The browser runs fresh WebAssembly in a baseline tier and compiles a function
//! with its optimizing tier only once the function has done enough work, and never swaps a
//! running call: a load's long one-shot calls (building the tree, the span walk) would run in
//! the baseline tier from start to end. Importing this trace first, in the same steps as a
//! file (slices, tree, parts, minimap), gets those functions optimized before a file arrives.
//!
//! The trace has the shape of a real one: a tree of calls across a few services, attributes of
//! every Jaeger type, logs with fields, and process tags.

use std::fmt::Write;

use crate::core::engine::protocol::Request;
use crate::core::import::{Finished, StreamedImport};
use crate::core::model::{SpanIdx, TraceIdx, TraceSet, TraceSetBuilder};

/// Spans in the warm-up trace: enough work for the browser to optimize the import's and the
/// tree's functions (measured: a third of it leaves much of the gain).
pub const WARM_UP_SPANS: usize = 10_000;

/// Spans per piece of the document (about 60 kB), as a file's slices come.
const SPANS_PER_PIECE: usize = 100;

/// More bytes than the document of `spans` spans takes (to start an import, which must not be
/// told a size smaller than the file).
pub fn document_size_bound(spans: usize) -> usize {
    spans * 1_000 + 4_096
}

/// The warm-up trace of `spans` spans, imported at once the way a file is (the worker's own
/// warm-up imports it a piece at a time, looking at its messages in between).
pub fn warm_up_set(spans: usize) -> Option<TraceSet> {
    let mut builder = TraceSetBuilder::new();
    let mut import = StreamedImport::new(&mut builder, "warm-up.json", document_size_bound(spans));
    for piece in Document::new(spans) {
        import.push(&piece);
    }
    matches!(import.finish(), Finished::Imported(Ok(_))).then(|| builder.finish())
}

/// The questions a kept set is asked (see `answers`), each asked once of the warm-up trace
/// after it is loaded: a find of every kind of term, and spans' details.
pub fn warm_up_requests() -> Vec<Request> {
    let find = |query: &str| Request::Find { trace: TraceIdx(0), query: query.to_owned() };
    let mut requests = vec![
        find("payment"),
        find("charge cache"),
        find("db.statement=orders"),
        find("service:cart -duration>1ms"),
        find("zzzz"),
    ];
    requests.extend((0..64).map(|span| Request::Details(SpanIdx(span))));
    requests
}

const SERVICES: [&str; 6] = ["frontend", "checkout", "cart", "payment", "inventory", "postgres"];
const OPERATIONS: [&str; 5] = ["GET /cart", "POST /checkout", "Charge", "Reserve", "SELECT orders"];
const TRACE_ID: &str = "5b8aa5a2d2c872e8321cf37308d69df2";

/// The warm-up trace as Jaeger query-API JSON (`{"data": [...]}`), written a piece at a time
/// (so it is never held whole): each span the child of an earlier one (four children each,
/// sharing its time), 6 tags, a log on every other span, 6 services with process tags.
pub struct Document {
    spans: usize,
    next: usize,
    /// Each span's start and duration, µs.
    timing: Vec<(i64, i64)>,
    done: bool,
}

impl Document {
    /// The document of a trace of `spans` spans.
    pub fn new(spans: usize) -> Self {
        Self { spans, next: 0, timing: Vec::with_capacity(spans), done: false }
    }

    /// Writes span `index`.
    fn write_span(&mut self, out: &mut String, index: usize) {
        let (start_us, duration_us) = match index {
            0 => (1_767_225_600_000_000, 2_000_000),
            _ => {
                let (parent_start, parent_duration) = self.timing[(index - 1) / 4];
                let share = parent_duration / 4;
                (parent_start + ((index - 1) % 4) as i64 * share + 1, (share - 2).max(1))
            }
        };
        self.timing.push((start_us, duration_us));
        if index > 0 {
            out.push(',');
        }
        let references = match index {
            0 => String::new(),
            _ => format!(r#"{{"refType":"CHILD_OF","traceID":"{TRACE_ID}","spanID":"{:016x}"}}"#, (index - 1) / 4 + 1),
        };
        let _ = write!(
            out,
            r#"{{"traceID":"{TRACE_ID}","spanID":"{:016x}","flags":1,"operationName":"{}","references":[{references}],"startTime":{start_us},"duration":{duration_us},"tags":["#,
            index + 1,
            OPERATIONS[index % OPERATIONS.len()],
        );
        let _ = write!(
            out,
            r#"{{"key":"http.url","type":"string","value":"https://shop.example.com/api/items/{index}?page=2"}},{{"key":"http.status_code","type":"int64","value":{}}},{{"key":"retry","type":"bool","value":{}}},{{"key":"ratio","type":"float64","value":0.{}}},{{"key":"db.statement","type":"string","value":"SELECT * FROM orders WHERE id = \"{}\""}},{{"key":"span.kind","type":"string","value":"{}"}}],"logs":["#,
            200 + (index % 3) * 100,
            index.is_multiple_of(2),
            index % 97,
            index % 1000,
            if index.is_multiple_of(2) { "server" } else { "client" },
        );
        if index.is_multiple_of(2) {
            let _ = write!(
                out,
                r#"{{"timestamp":{},"fields":[{{"key":"event","type":"string","value":"cache miss"}},{{"key":"attempt","type":"int64","value":{}}}]}}"#,
                start_us + 5,
                index % 4,
            );
        }
        let _ = write!(out, r#"],"processID":"p{}","warnings":null}}"#, index % SERVICES.len() + 1);
    }
}

impl Iterator for Document {
    type Item = Vec<u8>;

    /// The next piece of the document, `None` after the last.
    fn next(&mut self) -> Option<Vec<u8>> {
        if self.done {
            return None;
        }
        let mut out = String::with_capacity(SPANS_PER_PIECE * 700 + 1024);
        if self.next == 0 {
            let _ = write!(out, r#"{{"data":[{{"traceID":"{TRACE_ID}","spans":["#);
        }
        let end = (self.next + SPANS_PER_PIECE).min(self.spans);
        for index in self.next..end {
            self.write_span(&mut out, index);
        }
        self.next = end;
        if self.next == self.spans {
            self.done = true;
            out.push_str(r#"],"processes":{"#);
            for (number, service) in SERVICES.iter().enumerate() {
                if number > 0 {
                    out.push(',');
                }
                let _ = write!(
                    out,
                    r#""p{}":{{"serviceName":"{service}","tags":[{{"key":"hostname","type":"string","value":"{service}-5d8f"}},{{"key":"ip","type":"string","value":"10.0.1.{number}"}}]}}"#,
                    number + 1
                );
            }
            out.push_str(r#"},"warnings":null}],"total":0,"limit":0,"offset":0,"errors":null}"#);
        }
        Some(out.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::parts::{for_each_part, Assembly};
    use crate::core::engine::protocol::{decode_part, encode_part};
    use crate::core::model::AttrValue;

    #[test]
    fn the_warm_up_trace_streams_like_a_jaeger_file() {
        let pieces: Vec<Vec<u8>> = Document::new(2_000).collect();
        assert_eq!(pieces.len(), 20);
        let size: usize = pieces.iter().map(Vec::len).sum();
        assert!(size < document_size_bound(2_000), "{size} bytes");
        let mut builder = TraceSetBuilder::new();
        let mut import = StreamedImport::new(&mut builder, "warm-up.json", document_size_bound(2_000));
        for piece in &pieces {
            import.push(piece);
        }
        assert!(import.has_streamed_spans());
        let Finished::Imported(report) = import.finish() else { panic!("the warm-up trace was not streamed") };
        let report = report.unwrap();
        assert_eq!(report.notes.len(), 0, "{:?}", report.notes.first());
        let set = builder.finish();
        assert_eq!((set.trace_count(), set.span_count()), (1, 2_000));
        assert_eq!(set.warnings.len(), 0, "{:?}", set.warnings.first());
        // A tree of calls, not a list: depth grows with the log of the span count.
        assert_eq!(set.traces.max_depth[0], 6);
        assert_eq!(set.traces.service_count[TraceIdx(0).get()] as usize, SERVICES.len());
        let kinds = |value: &AttrValue| std::mem::discriminant(value);
        let mut seen: Vec<_> = set.attrs.value.iter().map(kinds).collect();
        seen.sort_by_key(|kind| format!("{kind:?}"));
        seen.dedup();
        assert_eq!(seen.len(), 4, "string, int, bool and double attributes");
        assert_eq!(set.events.len(), 1_000);
        // And it crosses to the page like any set.
        let mut assembly = Assembly::default();
        for_each_part(&set, |part| assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap());
        assert_eq!(assembly.finish().unwrap().span_count(), 2_000);
        // The questions asked of it are answered, and the finds find.
        let mut found = 0;
        for request in warm_up_requests() {
            match crate::core::engine::answers::answer(&set, &request) {
                crate::core::engine::protocol::Answer::Found(spans) => found += usize::from(!spans.is_empty()),
                crate::core::engine::protocol::Answer::Details(shown) => assert!(!shown.span.is_empty()),
                other => panic!("{request:?} answered {other:?}"),
            }
        }
        assert!(found >= 3, "{found} finds found spans");
        // Imported at once, it is the same trace.
        let at_once = warm_up_set(2_000).expect("the warm-up trace imports");
        assert_eq!((at_once.span_count(), at_once.attrs.len()), (set.span_count(), set.attrs.len()));
    }
}
