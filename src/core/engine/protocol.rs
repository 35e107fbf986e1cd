//! The worker's answers to the page, as bytes (postcard): one message per answer, posted as a
//! transferred `ArrayBuffer`. A finished `TraceSet` crosses as a run of parts of bounded size
//! (see `parts`), never as a JavaScript object per span. The page sends the traces it has
//! loaded the same way, part by part, before a load that adds to them.
//!
//! The worker of the last load keeps the set it loaded (the page's copy holds what it draws)
//! and answers the page's [`Request`]s, each with the id it came with: the spans a find
//! matches, a span's details, traces as JSON, or its whole set, part by part, for the next
//! load that adds to it.

use crate::core::analysis::service_graph::ServiceGraph;
use crate::core::analysis::span_details::SpanDetails;
use crate::core::engine::load::LoadOutcome;
use crate::core::engine::parts::{PartOf, SetPart};
use crate::core::import::Tail;
use crate::core::layout::minimap::Minimap;
use crate::core::model::builder::BuilderRows;
use crate::core::model::{SpanIdx, TraceIdx};

/// The phases of a load, as the progress bar names them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LoadPhase {
    /// Reading files.
    #[default]
    Reading,
    /// Parsing the JSON into spans.
    Parsing,
    /// Building the tree and the tables.
    Indexing,
}

/// The version of these messages: the engine's worker says it first ([`Reply::Ready`]), and
/// the page refuses an engine of another (a stale copy of the engine's files, which keep their
/// names from build to build, beside a new page). Raised with every change to their layout.
pub const PROTOCOL: u32 = 4;

/// What the page tells the user when the engine's files are of another version than its own.
pub const STALE_ENGINE: &str = "the engine's files (engine_loader.js, engine.js, engine_bg.wasm) are from another \
                                version of Traceglass than the page: reload the page, and if this persists, serve \
                                them with Cache-Control: no-cache";

/// What the worker tells the page.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Reply {
    /// The worker has started and listens (messages sent before are lost); the version of its
    /// messages ([`PROTOCOL`]).
    Ready {
        /// Its messages' version.
        protocol: u32,
    },
    /// A load's progress.
    Progress {
        /// What the load is doing.
        phase: LoadPhase,
        /// Bytes read so far (by the page, and by the worker reading a file's tail).
        read_bytes: u64,
        /// Bytes to read in all.
        total_bytes: u64,
        /// Bytes of the page's slices the worker has taken in: the page reads a few slices
        /// beyond.
        taken_bytes: u64,
    },
    /// A part of the finished traces; all parts come before `Loaded`.
    Part(Box<SetPart>),
    /// A load is done: what happened to each source (its traces came as parts).
    Loaded {
        /// Sources imported, merges and alerts.
        outcome: LoadOutcome,
        /// The minimaps of the big traces (see `ENGINE_MINIMAP_SPANS`).
        minimaps: Vec<(TraceIdx, Minimap)>,
    },
    /// A load could not start: why (nothing was loaded).
    Failed(String),
    /// The answer to the request with this id.
    Answer {
        /// The request's id.
        id: u32,
        /// What it asked for.
        answer: Answer,
    },
    /// The worker reads the rest of the file being sent itself (a second worker reads its
    /// tail): the page sends no more of its slices, only its end.
    FileTaken,
    /// From a worker reading a file's tail: where in the file the first span it reads starts.
    TailStart {
        /// The byte.
        at: u64,
    },
    /// From a worker reading a file's tail: what it read, for the head's worker to join. Read
    /// only by [`decode_reply_or_tail`]: the page, which never receives one, carries no code to
    /// read it (about 5 kB of its gzipped WebAssembly). The last variant, so that skipping it
    /// when reading leaves the others' numbers as written.
    #[serde(skip_deserializing)]
    Tail(Box<SentTail>),
}

/// The first byte of an encoded [`Reply::Tail`]: its variant's number.
pub const TAIL_REPLY: u8 = 8;

/// A file's tail as its worker read it (see `core::import::streamed`).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SentTail {
    /// Where it began and the trace it began in.
    pub tail: Tail,
    /// The rows it read.
    pub rows: BuilderRows,
}

impl std::fmt::Debug for SentTail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SentTail {{ starts_at: {} }}", self.tail.starts_at())
    }
}

/// What the page asks of the worker that keeps the loaded traces.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Request {
    /// The spans of a trace that match a find query.
    Find {
        /// The trace.
        trace: TraceIdx,
        /// The find box's text (see `core::analysis::find`).
        query: String,
    },
    /// What `Span details` shows of a span beyond its row: its attributes, its resource's,
    /// its events and links, its status message and parent id.
    Details(SpanIdx),
    /// Traces as Jaeger JSON, the format the Jaeger API answers with.
    JaegerJson(Vec<TraceIdx>),
    /// The whole set, as `Reply::Part`s followed by [`Answer::Sent`]: the page hands them to
    /// the worker of a load that adds to the loaded traces.
    Parts,
    /// The service dependency graph of these traces (of all when empty).
    ServiceGraph(Vec<TraceIdx>),
}

/// The answer to a [`Request`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Answer {
    /// The matching spans, in row order.
    Found(Vec<SpanIdx>),
    /// A span's details.
    Details(Box<SpanDetails>),
    /// Text (JSON).
    Text(String),
    /// Every part of the set was sent.
    Sent,
    /// A service dependency graph.
    ServiceGraph(Box<ServiceGraph>),
    /// Why the request could not be answered.
    Refused(String),
}

/// A request as the page sends it: its id, to find its answer by.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Asked {
    /// Chosen by the page, unique among its open requests.
    pub id: u32,
    /// What it asks.
    pub request: Request,
}

/// The bytes of `asked`.
pub fn encode_request(asked: &Asked) -> Vec<u8> {
    // Serializing plain data into a growing buffer has no way to fail.
    postcard::to_allocvec(asked).unwrap_or_default()
}

/// The request in `bytes`.
pub fn decode_request(bytes: &[u8]) -> Result<Asked, String> {
    postcard::from_bytes(bytes).map_err(|error| format!("a broken request to the engine ({error})"))
}

/// The bytes of `reply`.
pub fn encode_reply(reply: &Reply) -> Vec<u8> {
    // Serializing plain data into a growing buffer has no way to fail.
    postcard::to_allocvec(reply).unwrap_or_default()
}

/// Whether `bytes`, the first message of an engine's worker, says it is ready and speaks this
/// page's messages: an engine of another version says another [`PROTOCOL`], or (before
/// versions were said) says nothing more.
pub fn is_ready_for_us(bytes: &[u8]) -> bool {
    matches!(decode_reply(bytes), Ok(Reply::Ready { protocol: PROTOCOL }))
}

/// The first byte of a `Reply::Part`: postcard writes the variant's number first.
const PART: u8 = 2;

/// The bytes of a part of the finished traces as a reply (read back as `Reply::Part`).
pub fn encode_part_reply(part: &PartOf) -> Vec<u8> {
    part.encode_after(&[PART])
}

/// Whether `bytes` hold a part of the finished traces (to be kept and decoded later, one per
/// task).
pub fn is_part(bytes: &[u8]) -> bool {
    bytes.first() == Some(&PART)
}

/// Whether `bytes` hold the last reply of a load (`Loaded` or `Failed`): the page can end the
/// worker, and free its memory, before it decodes the last parts.
pub fn is_last_reply(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(&3 | &4))
}

/// The bytes of a part of the loaded traces, sent by the page before a load that adds to them.
pub fn encode_part(part: &PartOf) -> Vec<u8> {
    part.encode_after(&[])
}

/// The part of the loaded traces in `bytes`.
pub fn decode_part(bytes: &[u8]) -> Result<SetPart, String> {
    postcard::from_bytes(bytes).map_err(|error| format!("a broken part of the loaded traces ({error})"))
}

/// The reply in `bytes`.
pub fn decode_reply(bytes: &[u8]) -> Result<Reply, String> {
    postcard::from_bytes(bytes).map_err(|error| format!("a broken message from the engine ({error})"))
}

/// The reply in `bytes` from a worker reading a file's tail: [`decode_reply`], and
/// [`Reply::Tail`] too.
pub fn decode_reply_or_tail(bytes: &[u8]) -> Result<Reply, String> {
    match bytes.split_first() {
        Some((&TAIL_REPLY, sent)) => postcard::from_bytes::<SentTail>(sent)
            .map(|sent| Reply::Tail(Box::new(sent)))
            .map_err(|error| format!("a broken tail from the engine ({error})")),
        _ => decode_reply(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::engine::load::{import_sources, LoadSource};
    use crate::core::engine::parts::{for_each_part, Assembly, PartOf};
    use crate::core::import::CHECKOUT_JSON;
    use crate::core::model::{StrIdx, TraceSet, TraceSetBuilder};

    fn strings(set: &TraceSet) -> Vec<String> {
        (0..set.strings.len()).map(|i| set.str(StrIdx(i as u32)).to_owned()).collect()
    }

    fn tables(set: &TraceSet) -> String {
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            set.spans, set.traces, set.roots, set.attrs, set.events, set.links, set.resources, set.warnings
        )
    }

    /// Sends `set` as the worker does and puts it back together as the page does.
    fn round_trip(set: &TraceSet, outcome: &LoadOutcome) -> (TraceSet, LoadOutcome) {
        let mut messages = Vec::new();
        for_each_part(set, |part| messages.push(encode_part_reply(&part)));
        messages.push(encode_reply(&Reply::Loaded { outcome: outcome.clone(), minimaps: Vec::new() }));
        let mut assembly = Assembly::default();
        let mut arrived = None;
        for (index, bytes) in messages.iter().enumerate() {
            let last = index + 1 == messages.len();
            assert_eq!(is_last_reply(bytes), last);
            assert_eq!(is_part(bytes), !last);
            match decode_reply(bytes).unwrap() {
                Reply::Part(part) => assembly.add(*part).unwrap(),
                Reply::Loaded { outcome, .. } => arrived = Some(outcome),
                other => panic!("unexpected {other:?}"),
            }
        }
        (assembly.finish().unwrap(), arrived.unwrap())
    }

    #[test]
    fn a_loaded_set_crosses_unchanged() {
        let mut builder = TraceSetBuilder::new();
        let sources = [
            LoadSource { name: "checkout.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) },
            LoadSource { name: "nothing.json".into(), bytes: Ok(b"{\"hello\": 1}".to_vec()) },
            LoadSource { name: "gone.json".into(), bytes: Err("it could not be read".into()) },
        ];
        let outcome = import_sources(&mut builder, sources);
        assert_eq!(outcome.imported, 1);
        assert_eq!(outcome.alerts.len(), 2, "{:?}", outcome.alerts);
        assert!(outcome.alerts[1].starts_with("gone.json: it could not be read"));
        let set = builder.finish();
        let (arrived, arrived_outcome) = round_trip(&set, &outcome);
        assert_eq!(arrived_outcome, outcome);
        assert_eq!(strings(&arrived), strings(&set));
        assert_eq!(tables(&arrived), tables(&set));
        // The string lookup was built again.
        assert_eq!(arrived.strings.find("payment"), set.strings.find("payment"));
        assert!(arrived.strings.find("payment").is_some());
    }

    #[test]
    fn a_set_bigger_than_a_part_crosses_in_many() {
        // 3 traces of 30,000 spans each: more span, attribute and string rows than one part holds.
        let mut lines = String::new();
        for trace in 0..3 {
            let spans: Vec<String> = (0..30_000)
                .map(|i| {
                    let parent = if i == 0 { String::new() } else { format!(r#","parentSpanId":"{:016x}""#, i / 2 + 1) };
                    format!(
                        r#"{{"traceId":"{trace:032x}","spanId":"{:016x}"{parent},"name":"op {i}","startTimeUnixNano":"{}","endTimeUnixNano":"{}","attributes":[{{"key":"k{}","value":{{"stringValue":"value {i}"}}}},{{"key":"n","value":{{"intValue":"{i}"}}}}]}}"#,
                        i + 1,
                        1_000 + i,
                        2_000 + i,
                        i % 7
                    )
                })
                .collect();
            lines.push_str(&format!(
                r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"s{trace}"}}}}]}},"scopeSpans":[{{"spans":[{}]}}]}}]}}"#,
                spans.join(",")
            ));
            lines.push('\n');
        }
        let mut builder = TraceSetBuilder::new();
        let outcome =
            import_sources(&mut builder, [LoadSource { name: "big.jsonl".into(), bytes: Ok(lines.into_bytes()) }]);
        assert!(outcome.alerts.is_empty(), "{:?}", outcome.alerts);
        let set = builder.finish();
        assert_eq!(set.span_count(), 90_000);
        let mut parts = 0;
        for_each_part(&set, |_| parts += 1);
        assert!(parts > 8, "{parts} parts");
        let (arrived, _) = round_trip(&set, &outcome);
        assert_eq!(strings(&arrived), strings(&set));
        assert_eq!(tables(&arrived), tables(&set));
        // Each table was sized once, from its first part.
        assert_eq!(arrived.spans.start_ns.capacity(), set.span_count());
        assert_eq!(arrived.attrs.value.capacity(), set.attrs.len());
    }

    #[test]
    fn strings_sent_before_the_set_is_finished_are_its_strings() {
        // As the worker sends them: the strings once imported, the rest once finished.
        let mut builder = TraceSetBuilder::new();
        let sources = [LoadSource { name: "checkout.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) }];
        import_sources(&mut builder, sources);
        let mut assembly = Assembly::default();
        let mut early = 0;
        crate::core::engine::parts::for_each_string_part(&builder.strings, |part| {
            early += 1;
            assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap();
        });
        assert!(early > 0);
        let set = builder.finish();
        let mut rest = crate::core::engine::parts::PartCursor::after_strings();
        while let Some(part) = rest.next_part(&set) {
            assert!(!matches!(part, crate::core::engine::parts::PartOf::Strings { .. }));
            assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap();
        }
        let arrived = assembly.finish().unwrap();
        assert_eq!(strings(&arrived), strings(&set));
        assert_eq!(tables(&arrived), tables(&set));
    }

    #[test]
    fn the_page_of_a_kept_set_gets_only_what_it_draws_and_can_send_it_on() {
        // As the worker of a kept load sends it, and the page puts it together.
        let mut builder = TraceSetBuilder::new();
        import_sources(&mut builder, [LoadSource { name: "checkout.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) }]);
        let named = builder.page_strings();
        let mut assembly = Assembly::default();
        let mut add = |part: PartOf| assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap();
        crate::core::engine::parts::for_each_page_string_part(&builder.strings, &named, &mut add);
        let set = builder.finish();
        let mut rest = crate::core::engine::parts::PartCursor::after_strings().page_copy();
        while let Some(part) = rest.next_part(&set) {
            assert!(!matches!(part, PartOf::Attrs(_) | PartOf::Links(_) | PartOf::Resources(_)));
            add(part);
        }
        let page = assembly.finish().unwrap();
        assert!(page.page_copy);
        assert_eq!(page.strings.len(), set.strings.len(), "every string keeps its number");
        for i in 0..set.span_count() {
            for column in [&set.spans.service, &set.spans.operation] {
                assert_eq!(page.str(column[i]), set.str(column[i]));
            }
        }
        let drawn = |set: &TraceSet| {
            let spans = &set.spans;
            format!(
                "{:?}",
                (&spans.trace, &spans.span_id, &spans.parent, &spans.depth, &spans.subtree_len, &spans.kind),
            ) + &format!("{:?}", (&spans.status, &spans.start_ns, &spans.duration_ns, &spans.events, &spans.flags))
                + &format!("{:?}", (&set.events.time_ns, &set.traces.trace_id, &set.roots, &set.warnings))
        };
        assert_eq!(drawn(&page), drawn(&set));
        assert!(page.spans.parent_id.is_empty() && page.spans.attrs.is_empty() && page.events.name.is_empty());
        assert!(page.links.is_empty() && page.resources.is_empty() && !set.resources.is_empty());
        let names: std::collections::HashSet<StrIdx> =
            set.spans.service.iter().chain(&set.spans.operation).copied().collect();
        let texts = (0..page.strings.len()).map(|i| StrIdx(i as u32)).filter(|&i| !page.str(i).is_empty());
        assert!(texts.clone().all(|i| names.contains(&i)), "only services and operations have their text");
        assert!(set.events.name.iter().any(|&name| !set.str(name).is_empty() && !names.contains(&name)));
        assert_eq!(
            strings(&page).iter().filter(|text| !text.is_empty()).count(),
            named.iter().filter(|&&n| n).count() - 1
        );
        let value = set.strings.find("postgresql").expect("an attribute value of the sample");
        assert_eq!(page.str(value), "", "a string only attributes name stays in the engine");
        assert!(page.attrs.is_empty() && !set.attrs.is_empty());
        assert_eq!(page.events.len(), set.events.len());

        // Should the engine stop, the page's copy is sent on as it is, and the next load's
        // worker makes it whole, with what the engine kept left blank.
        let mut again = Assembly::default();
        let mut cursor = crate::core::engine::parts::PartCursor::default().page_copy();
        while let Some(part) = cursor.next_part(&page) {
            again.add(decode_part(&encode_part(&part)).unwrap()).unwrap();
        }
        let sent = again.finish().unwrap();
        assert!(sent.page_copy);
        let rebuilt = TraceSetBuilder::from_set(sent).finish();
        assert!(!rebuilt.page_copy);
        assert_eq!(crate::core::model::check_integrity(&rebuilt), Ok(()));
        assert_eq!(drawn(&rebuilt), drawn(&set));
        assert_eq!(rebuilt.spans.parent_id, set.spans.parent_id);
    }

    #[test]
    fn loaded_traces_sent_ahead_are_merged_with_a_new_load() {
        // The page's set, as it sends it to the worker before a load that adds to it.
        let mut builder = TraceSetBuilder::new();
        let first = [LoadSource { name: "checkout.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) }];
        import_sources(&mut builder, first);
        let loaded = builder.finish();
        let mut assembly = Assembly::default();
        for_each_part(&loaded, |part| assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap());
        let arrived = assembly.finish().unwrap();
        assert_eq!(tables(&arrived), tables(&loaded));
        // The worker starts from it: the same trace again is merged, not added.
        let mut builder = TraceSetBuilder::from_set(arrived);
        let again = [LoadSource { name: "again.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) }];
        let outcome = import_sources(&mut builder, again);
        assert_eq!((outcome.imported, outcome.merged), (1, 1), "{:?}", outcome.alerts);
        let merged = builder.finish();
        assert_eq!(merged.trace_count(), loaded.trace_count());
        assert!(decode_part(&[9, 9, 9]).unwrap_err().contains("a broken part of the loaded traces"));
    }

    #[test]
    fn requests_and_answers_cross_unchanged() {
        let asked = Asked { id: 7, request: Request::Find { trace: TraceIdx(2), query: "payment error".into() } };
        assert_eq!(decode_request(&encode_request(&asked)), Ok(asked));
        assert!(decode_request(&[1]).unwrap_err().contains("a broken request"));
        let set = crate::core::import::checkout_sample();
        let details = SpanDetails::of(&set, SpanIdx(1));
        assert!(!details.span.is_empty());
        let reply = Reply::Answer { id: 7, answer: Answer::Details(Box::new(details.clone())) };
        let bytes = encode_reply(&reply);
        assert!(!is_last_reply(&bytes) && !is_part(&bytes));
        match decode_reply(&bytes) {
            Ok(Reply::Answer { id: 7, answer: Answer::Details(back) }) => assert_eq!(*back, details),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn the_replies_before_the_tail_keep_their_numbers_and_the_tail_is_read_by_the_head_only() {
        // `Tail` is not read by `decode_reply`; the variants before it read as written.
        for reply in [Reply::FileTaken, Reply::TailStart { at: 5 }, Reply::Failed("why".into())] {
            let bytes = encode_reply(&reply);
            let debug = format!("{reply:?}");
            assert_eq!(format!("{:?}", decode_reply(&bytes)), format!("Ok({debug})"));
            assert_eq!(format!("{:?}", decode_reply_or_tail(&bytes)), format!("Ok({debug})"));
        }
        let tail = encode_reply(&Reply::TailStart { at: 5 });
        assert_ne!(tail[0], TAIL_REPLY);
        let mut not_a_tail = vec![TAIL_REPLY];
        not_a_tail.extend_from_slice(&[0xff; 3]);
        assert!(decode_reply(&not_a_tail).is_err());
        assert!(decode_reply_or_tail(&not_a_tail).unwrap_err().contains("a broken tail"));
    }

    #[test]
    fn only_an_engine_of_this_version_is_ready_for_the_page() {
        assert!(is_ready_for_us(&encode_reply(&Reply::Ready { protocol: PROTOCOL })));
        assert!(!is_ready_for_us(&encode_reply(&Reply::Ready { protocol: PROTOCOL + 1 })));
        // An engine from before versions were said: `Ready` alone.
        assert!(!is_ready_for_us(&[0]));
        assert!(!is_ready_for_us(&encode_reply(&Reply::Failed("no".into()))));
    }

    #[test]
    fn broken_messages_and_sets_are_refused() {
        assert!(decode_reply(&[]).is_err());
        assert!(decode_reply(&[200, 1, 2]).is_err());
        let bytes =
            encode_reply(&Reply::Progress { phase: LoadPhase::Parsing, read_bytes: 3, total_bytes: 9, taken_bytes: 2 });
        assert!(matches!(
            decode_reply(&bytes),
            Ok(Reply::Progress { phase: LoadPhase::Parsing, read_bytes: 3, total_bytes: 9, taken_bytes: 2 })
        ));
        assert!(decode_reply(&bytes[..bytes.len() - 1]).is_err());
        assert!(!is_last_reply(&bytes) && !is_part(&bytes));
        assert!(!is_last_reply(&encode_reply(&Reply::Ready { protocol: PROTOCOL })));
        // Spans whose parents are missing: the page refuses to show them.
        let mut assembly = Assembly::default();
        let mut builder = TraceSetBuilder::new();
        import_sources(&mut builder, [LoadSource { name: "checkout.json".into(), bytes: Ok(CHECKOUT_JSON.to_vec()) }]);
        let set = builder.finish();
        let mut first_spans = true;
        for_each_part(&set, |part| {
            if matches!(part, crate::core::engine::parts::PartOf::Spans(_)) && first_spans {
                first_spans = false;
                return;
            }
            assembly.add(decode_part(&encode_part(&part)).unwrap()).unwrap();
        });
        assert!(assembly.finish().unwrap_err().contains("do not hold together"));
        let mut table = crate::core::model::strings::StringTable::default();
        assert!(table.extend_run("ab", &[1, 3]).is_err());
        assert!(table.extend_run("é", &[1]).is_err());
    }
}
