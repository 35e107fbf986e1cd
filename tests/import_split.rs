//! A file imported in two parts at once (a head from the start, a tail from a byte in the
//! middle, its rows sent over as the engine's workers send them, joined: `StreamedImport::tail`
//! and `join`) gives what one import of the whole file gives. Every real and edge fixture and a generated big trace are split at many bytes: where
//! the tail finds a span and the head stands between two spans there, the two join; anywhere
//! else the head reads the rest itself. The generated trace joins to the same set byte for byte;
//! every other file to the same traces (in a file of several traces the cut trace's process rows
//! come last, and an empty list of rows may point elsewhere).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "../benches/generator.rs"]
mod generator;

use std::path::Path;

use traceglass::core::engine::parts::for_each_part;
use traceglass::core::engine::protocol::{
    decode_reply, decode_reply_or_tail, encode_part, encode_reply, Reply, SentTail,
};
use traceglass::core::export::to_jaeger_json;
use traceglass::core::import::{import_file, StreamedImport};
use traceglass::core::model::summary::summarize;
use traceglass::core::model::{TraceIdx, TraceSetBuilder};

/// What an import gave: its report, the set's parts as the engine sends them, and each trace as
/// Jaeger JSON (the same traces, whatever the order of the rows behind them).
#[derive(Debug, PartialEq)]
struct Outcome {
    report: String,
    parts: Vec<Vec<u8>>,
    traces: Vec<String>,
}

fn outcome(builder: TraceSetBuilder, result: Result<traceglass::core::import::FileReport, impl ToString>) -> Outcome {
    let report = match result {
        Ok(report) => format!("{report:?}"),
        Err(error) => format!("refused: {}", error.to_string()),
    };
    let set = builder.finish();
    let mut parts = Vec::new();
    for_each_part(&set, |part| parts.push(encode_part(&part)));
    let traces = (0..set.traces.len())
        .map(|index| to_jaeger_json(&set, &[TraceIdx(index as u32)]) + &summarize(&set, 30))
        .collect();
    Outcome { report, parts, traces }
}

fn whole(name: &str, bytes: &[u8]) -> Outcome {
    let mut builder = TraceSetBuilder::new();
    let result = import_file(&mut builder, name, bytes);
    outcome(builder, result)
}

/// Imports `bytes` as a head and a tail from byte `from`, each given pieces of `piece` bytes;
/// also says whether the two joined.
fn split(name: &str, bytes: &[u8], from: usize, piece: usize) -> (Outcome, bool) {
    let mut tail_builder = TraceSetBuilder::new();
    let mut tail = StreamedImport::tail(&mut tail_builder, name, from, bytes.len());
    for slice in bytes[from..].chunks(piece) {
        tail.push(slice);
    }
    let start = tail.tail_start();
    let tail = tail.finish_tail();
    if let Some(tail) = &tail {
        assert_eq!(start, Some(tail.starts_at()), "{name} from {from}: the tail's start changed");
    }
    // The tail crosses from its worker to the head's as the engine sends it.
    let (tail, tail_builder) = match tail {
        Some(tail) => {
            let bytes = encode_reply(&Reply::Tail(Box::new(SentTail { tail, rows: tail_builder.into_rows() })));
            // The page never reads a tail; the head's worker does.
            assert!(decode_reply(&bytes).is_err());
            let Ok(Reply::Tail(sent)) = decode_reply_or_tail(&bytes) else {
                panic!("{name} from {from}: the tail did not cross")
            };
            let SentTail { tail, rows } = *sent;
            (Some(tail), TraceSetBuilder::from_rows(rows).unwrap())
        }
        None => (None, tail_builder),
    };

    let mut builder = TraceSetBuilder::new();
    let mut head = StreamedImport::new(&mut builder, name, bytes.len());
    let head_end = tail.as_ref().map_or(0, |tail| tail.starts_at());
    for slice in bytes[..head_end].chunks(piece) {
        head.push(slice);
    }
    let (mut head, joined) = match tail {
        Some(tail) => match head.join(tail, tail_builder) {
            Ok(finished) => {
                let result = finished.or_import(|| bytes.to_vec());
                return (outcome(builder, result), true);
            }
            Err(unjoined) => (*unjoined, false),
        },
        None => (head, false),
    };
    for slice in bytes[head_end..].chunks(piece) {
        head.push(slice);
    }
    let finished = head.finish();
    let result = finished.or_import(|| bytes.to_vec());
    (outcome(builder, result), joined)
}

/// Splits `bytes` at `splits` bytes spread over the file (and at its first and last bytes);
/// returns each difference from the whole import (`exact`: the same parts, else the same
/// traces) and how many splits joined.
fn compare(name: &str, bytes: &[u8], splits: usize, exact: bool) -> (Vec<String>, usize) {
    let expected = whole(name, bytes);
    let mut froms: Vec<usize> = (0..=splits).map(|step| bytes.len() * step / splits.max(1)).collect();
    froms.extend([1, bytes.len().saturating_sub(1)]);
    let mut problems = Vec::new();
    let mut joins = 0;
    for (index, from) in froms.into_iter().enumerate() {
        let piece = [if bytes.len() < 300_000 { 7 } else { 65_536 }, 4096, bytes.len().max(1)][index % 3];
        let (actual, joined) = split(name, bytes, from.min(bytes.len()), piece);
        joins += usize::from(joined);
        let same = if exact || !joined {
            actual == expected
        } else {
            actual.report == expected.report && actual.traces == expected.traces
        };
        if !same {
            problems.push(format!("{name} split at byte {from} (pieces of {piece}, joined: {joined}) differs"));
        }
    }
    (problems, joins)
}

#[test]
fn a_generated_big_trace_split_anywhere_joins_to_the_same_set() {
    let text = generator::jaeger_json(4_000);
    let (problems, joins) = compare("big.json", text.as_bytes(), 24, true);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every split but those after the last span (at the last two bytes) joins.
    assert!(joins >= 25, "only {joins} of 27 splits joined");
}

#[test]
fn real_and_edge_fixtures_split_anywhere_import_the_same_traces() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(dir) = support::real_fixtures() {
        for relative in support::json_files(&dir) {
            files.push((relative.to_string_lossy().replace('\\', "/"), std::fs::read(dir.join(&relative)).unwrap()));
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("tests/fixtures/edge")).unwrap() {
        let path = entry.unwrap().path();
        files.push((path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()));
    }
    files.push(("checkout.json".to_owned(), std::fs::read(root.join("public/samples/checkout.json")).unwrap()));
    let mut problems = Vec::new();
    let mut joins = 0;
    for (name, bytes) in &files {
        let (found, joined) = compare(name, bytes, 16, false);
        problems.extend(found);
        joins += joined;
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(joins >= 30, "only {joins} splits of the fixtures joined");
}

/// Documents where a tail finds something that looks like a span start but is not one, or
/// joins traces the head must finish: every split still gives the whole import's result.
#[test]
fn look_alike_span_starts_and_cut_traces_import_the_same_result() {
    let span = |trace: &str, id: &str, process: &str| {
        format!(
            r#"{{"traceID":"{trace}","spanID":"{id}","operationName":"op {id}","references":[{{"traceID":"{trace}","spanID":"0000000000000001","refType":"CHILD_OF"}},{{"traceID":"{trace}","spanID":"0000000000000002"}},{{"traceID":"{trace}","spanID":"0000000000000003","refType":"FOLLOWS_FROM"}}],"startTime":1700000000000000,"duration":1234,"tags":[{{"key":"s","type":"string","value":"a,{{\"traceID\":1}}"}}],"processID":"{process}"}}"#
        )
    };
    let spans = |trace: &str| {
        (2..40).map(|id| span(trace, &format!("{id:016x}"), ["p1", "p2"][id % 2])).collect::<Vec<_>>().join(",")
    };
    let processes = r#"{"p1":{"serviceName":"front","tags":[{"key":"host","type":"string","value":"a"}]},"p2":{"serviceName":"back"}}"#;
    let documents = [
        // Two traces; references written with the trace id first look like spans, and one
        // without a type looks even more like one (the head's walk tells it is not).
        format!(
            r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{}],"processes":{processes},"warnings":["late"]}},{{"traceID":"00000000000000bb","spans":[{}],"processes":{processes}}}],"errors":[{{"code":500,"msg":"x"}}]}}"#,
            spans("00000000000000aa"),
            spans("00000000000000bb")
        ),
        // The processes first, the trace id last, ids that are not hex.
        format!(r#"{{"data":[{{"processes":{processes},"spans":[{}],"traceID":"trace-one"}}]}}"#, spans("trace-one")),
        // One trace object (not the API's `data`): never joined, still the same.
        format!(r#"{{"traceID":"00000000000000aa","spans":[{}],"processes":{processes}}}"#, spans("00000000000000aa")),
    ];
    let mut problems = Vec::new();
    let mut joins = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let (found, joined) = compare(&format!("document {index}"), document.as_bytes(), 40, false);
        problems.extend(found);
        joins.push(joined);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(joins[0] >= 38 && joins[1] >= 38 && joins[2] == 0, "splits joined per document: {joins:?}");
}
