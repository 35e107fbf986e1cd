//! A file imported as its bytes arrive (`StreamedImport`) gives exactly what `import_file` gives
//! for the whole file: the same set (byte for byte, as the engine sends it), the same report, or
//! the same refusal. Every real fixture, every edge fixture, the bundled sample, a generated big
//! trace and hand-written Jaeger documents of every shape are fed in pieces of several sizes,
//! down to one byte. The Jaeger documents must stay streamed to the end (not fall back to the
//! whole-file import), or the test fails.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

#[path = "../benches/generator.rs"]
mod generator;

use std::path::Path;

use traceglass::core::engine::parts::for_each_part;
use traceglass::core::engine::protocol::encode_part;
use traceglass::core::import::{import_file, Format, StreamedImport};
use traceglass::core::model::summary::summarize;
use traceglass::core::model::TraceSetBuilder;

/// What an import gave, comparable.
#[derive(Debug, PartialEq)]
enum Outcome {
    Imported { report: String, parts: Vec<Vec<u8>>, summary: String },
    Refused(String),
}

fn outcome(builder: TraceSetBuilder, result: Result<traceglass::core::import::FileReport, impl ToString>) -> Outcome {
    match result {
        Ok(report) => {
            let set = builder.finish();
            let mut parts = Vec::new();
            for_each_part(&set, |part| parts.push(encode_part(&part)));
            Outcome::Imported { report: format!("{report:?}"), parts, summary: summarize(&set, 30) }
        }
        Err(error) => Outcome::Refused(error.to_string()),
    }
}

fn whole(name: &str, bytes: &[u8]) -> Outcome {
    let mut builder = TraceSetBuilder::new();
    let result = import_file(&mut builder, name, bytes);
    outcome(builder, result)
}

/// Imports `bytes` in pieces of `piece` bytes, its length known up front or (as a fetched body's)
/// not; also says whether it was streamed to the end.
fn streamed(name: &str, bytes: &[u8], piece: usize, length_known: bool) -> (Outcome, bool) {
    let mut builder = TraceSetBuilder::new();
    let mut import = if length_known {
        StreamedImport::new(&mut builder, name, bytes.len())
    } else {
        StreamedImport::of_body(&mut builder, name, None)
    };
    for slice in bytes.chunks(piece) {
        import.push(slice);
    }
    let streaming = import.is_streaming();
    let result = import.finish().or_import(|| bytes.to_vec());
    (outcome(builder, result), streaming)
}

/// Whether spans of `bytes` streamed, fed in pieces of `piece` bytes (the worker then drops the
/// file's slices as they are parsed).
fn spans_streamed(name: &str, bytes: &[u8], piece: usize) -> bool {
    let mut builder = TraceSetBuilder::new();
    let mut import = StreamedImport::new(&mut builder, name, bytes.len());
    for slice in bytes.chunks(piece) {
        import.push(slice);
    }
    import.has_streamed_spans()
}

/// Checks every piece size against the whole import; `must_stream` when the document is one
/// the streamed walk reads. Returns a description of each difference.
fn compare(name: &str, bytes: &[u8], must_stream: bool) -> Vec<String> {
    let expected = whole(name, bytes);
    let mut pieces = vec![7, 4096, bytes.len().max(1)];
    if bytes.len() < 300_000 {
        pieces.push(1);
    }
    let mut problems = Vec::new();
    for (piece, length_known) in pieces.into_iter().flat_map(|piece| [(piece, true), (piece, false)]) {
        let (actual, streaming) = streamed(name, bytes, piece, length_known);
        let spans_expected =
            matches!(&expected, Outcome::Imported { report, .. } if !report.contains("spans_read: 0,"));
        if must_stream && spans_expected && !spans_streamed(name, bytes, piece) {
            problems.push(format!("{name} in pieces of {piece} bytes: no spans streamed"));
        }
        if must_stream && !streaming {
            problems.push(format!("{name} in pieces of {piece} bytes: fell back to the whole-file import"));
        }
        match (&expected, &actual) {
            // A file that fell back may keep strings interned before it did: compare what they
            // show.
            (Outcome::Imported { report, summary, .. }, Outcome::Imported { report: r, summary: s, .. })
                if !streaming && (report, summary) == (r, s) => {}
            _ if expected == actual => {}
            _ => problems.push(format!(
                "{name} in pieces of {piece} bytes (length known: {length_known}) differs:\n{expected:?}\n{actual:?}"
            )),
        }
    }
    problems
}

/// Whether `whole` imported an object document of a kind the walk streams: Jaeger JSON, or OTLP
/// JSON (with Tempo's and Jaeger v3's wrappers).
fn is_streamed_kind(name: &str, bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let object = text.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
    let mut builder = TraceSetBuilder::new();
    object
        && import_file(&mut builder, name, bytes).is_ok_and(|report| {
            !report.json_lines
                && matches!(
                    report.format,
                    Format::JaegerApi | Format::JaegerTrace | Format::Otlp | Format::TempoBatches | Format::JaegerV3
                )
        })
}

#[test]
fn real_fixtures_stream_to_the_same_set() {
    let Some(dir) = support::real_fixtures() else { return };
    let files = support::json_files(&dir);
    assert!(files.len() >= 50, "expected the 50 real fixtures, found {}", files.len());
    let mut problems = Vec::new();
    let mut streamed_files = 0;
    for relative in files {
        let bytes = std::fs::read(dir.join(&relative)).unwrap();
        let name = relative.to_string_lossy().replace('\\', "/");
        let jaeger = is_streamed_kind(&name, &bytes);
        streamed_files += usize::from(jaeger);
        problems.extend(compare(&name, &bytes, jaeger));
    }
    assert!(streamed_files >= 10, "only {streamed_files} real fixtures are Jaeger documents");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn edge_fixtures_and_the_sample_stream_to_the_same_result() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> =
        std::fs::read_dir(root.join("tests/fixtures/edge")).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.push(root.join("public/samples/checkout.json"));
    paths.sort();
    let mut problems = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let jaeger = is_streamed_kind(&name, &bytes);
        problems.extend(compare(&name, &bytes, jaeger));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn a_generated_big_trace_streams_to_the_same_set() {
    let text = generator::jaeger_json(20_000);
    let problems = compare("big.json", text.as_bytes(), true);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Compares every document with the whole import: `streamable` ones must be of the kind the walk
/// reads and must stream; the others only give the same result. Returns the differences.
fn compare_documents(streamable: &[String], refused_or_whole: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    for (index, document) in streamable.iter().enumerate() {
        assert!(is_streamed_kind("doc.json", document.as_bytes()), "document {index} imports whole");
        problems.extend(compare(&format!("streamable {index}"), document.as_bytes(), true));
    }
    for (index, document) in refused_or_whole.iter().enumerate() {
        problems.extend(compare(&format!("other {index}"), document.as_bytes(), false));
    }
    problems
}

#[test]
fn a_generated_big_otlp_trace_streams_to_the_same_set() {
    let text = generator::otlp_json(20_000);
    let problems = compare("big.json", text.as_bytes(), true);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// OTLP documents of every shape the walk reads, and some it must hand to the whole import.
#[test]
fn otlp_documents_of_every_shape_stream_to_the_same_result() {
    let span = |id: &str, parent: &str| {
        format!(
            r#"{{"traceId":"5b8aa5a2d2c872e8321cf37308d69df2","spanId":"{id}","parentSpanId":"{parent}","name":"op {id} \u00e9 ✓","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000","attributes":[{{"key":"k","value":{{"intValue":"7"}}}},{{"key":"s","value":{{"stringValue":"naïve — 東京"}}}}],"events":[{{"timeUnixNano":"1700000000000500000","name":"retry","attributes":[{{"key":"n","value":{{"intValue":1}}}}]}}],"links":[{{"traceId":"5b8aa5a2d2c872e8321cf37308d69df3","spanId":"00000000000000ff","attributes":[{{"key":"l","value":{{"boolValue":true}}}}]}}],"status":{{"code":2,"message":"boom"}}}}"#
        )
    };
    let spans = [span("0000000000000001", ""), span("0000000000000002", "0000000000000001")].join(",");
    let resource = r#"{"attributes":[{"key":"service.name","value":{"stringValue":"front"}},{"key":"host","value":{"stringValue":"a"}}],"droppedAttributesCount":2}"#;
    let scope = r#"{"name":"lib","version":"1.2","attributes":[{"key":"x","value":{"stringValue":"y"}}]}"#;
    let streamable = [
        format!(r#"{{"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"scope":{scope},"spans":[{spans}]}}],"schemaUrl":"s"}}]}}"#),
        // The resource after its spans, two scopes, an empty one, a null list, unknown keys.
        format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"scope":{scope},"spans":[{spans}]}},{{"spans":[]}},{{"scope":null,"spans":null}}],"extra":[1,{{"a":null}}],"resource":{resource}}},{{"resource":null,"scopeSpans":null}}],"other":true}}"#),
        // Older exporters: instrumentation library, then a scope that replaces it or not.
        format!(r#"{{"resourceSpans":[{{"resource":{resource},"instrumentationLibrarySpans":[{{"instrumentationLibrary":{scope},"spans":[{spans}]}},{{"instrumentationLibrary":{scope},"scope":null,"spans":[{spans}]}},{{"scope":{scope},"instrumentationLibrary":{{"name":"old"}},"spans":[{spans}]}}]}}]}}"#),
        // Tempo's batches, pretty-printed.
        format!("{{\n  \"batches\": [\n    {{\n      \"resource\": {resource},\n      \"scopeSpans\": [ {{ \"spans\": [ {spans} ] }} ]\n    }}\n  ]\n}}\n"),
        // Jaeger v3's answer, and one with nothing in it.
        format!(r#"{{"result":{{"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"scope":{scope},"spans":[{spans}]}}]}}],"x":{{}}}}}}"#),
        r#"{"result":null}"#.to_owned(),
        r#"{"resourceSpans":[]}"#.to_owned(),
    ];
    let refused_or_whole = [
        // Jaeger and OTLP keys in one document; a list of documents; the wrong types.
        format!(r#"{{"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"spans":[{spans}]}}]}}],"data":[]}}"#),
        format!(r#"{{"data":[],"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"spans":[{spans}]}}]}}]}}"#),
        format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}],"resourceSpans":[]}}"#),
        format!(r#"[{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans}]}}]}}]}}]"#),
        r#"{"resourceSpans":{"scopeSpans":[]}}"#.to_owned(),
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":7}]}]}"#.to_owned(),
        r#"{"result":[]}"#.to_owned(),
        format!(r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{spans},{{"traceId":5}}]}}]}}]}}"#),
        // Cut off after the first spans, and trailing text.
        format!(r#"{{"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"spans":[{spans}]}}]"#),
        format!(r#"{{"resourceSpans":[{{"resource":{resource},"scopeSpans":[{{"spans":[{spans}]}}]}}]}} trailing"#),
    ];
    let problems = compare_documents(&streamable, &refused_or_whole);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Jaeger documents of every shape the walk reads, and some it must hand to the whole import.
#[test]
fn jaeger_documents_of_every_shape_stream_to_the_same_result() {
    let span = |id: &str, parent: &str, process: &str| {
        format!(
            r#"{{"traceID":"00000000000000aa","spanID":"{id}","operationName":"op {id} \u00e9\"q\" ✓","references":[{{"refType":"CHILD_OF","traceID":"00000000000000aa","spanID":"{parent}"}}],"startTime":1700000000000000,"duration":1234,"tags":[{{"key":"k","type":"int64","value":7}},{{"key":"s","type":"string","value":"naïve — 東京"}},{{"key":"b","type":"bool","value":true}},{{"key":"f","type":"float64","value":1.5e3}},{{"key":"error","type":"bool","value":true}}],"logs":[{{"timestamp":1700000000000100,"fields":[{{"key":"event","type":"string","value":"retry"}}]}}],"processID":"{process}","warnings":["clock skew"]}}"#
        )
    };
    let spans = [span("0000000000000001", "", "p1"), span("0000000000000002", "0000000000000001", "p2")].join(",");
    let processes = r#"{"p1":{"serviceName":"front","tags":[{"key":"host","type":"string","value":"a"}]},"p2":{"serviceName":"back","tags":null}}"#;
    let streamable = [
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{processes},"warnings":null}}],"total":0,"limit":0,"offset":0,"errors":null}}"#),
        // Pretty-printed, with the processes first and the trace id last.
        format!("{{\n  \"data\": [\n    {{\n      \"processes\": {processes},\n      \"spans\": [\n        {}\n      ],\n      \"traceID\": \"00000000000000aa\"\n    }}\n  ]\n}}\n", spans.replace("},{\"traceID", "},\n        {\"traceID")),
        // One trace object, with a byte-order mark.
        format!("\u{feff}{{\"traceID\":\"00000000000000aa\",\"spans\":[{spans}],\"processes\":{processes}}}"),
        // Jaeger UI's download: `data` is one trace.
        format!(r#"{{"data":{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{processes}}}}}"#),
        // Errors reported by the query service, unknown keys, empty and null lists.
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[],"processes":{{}}}},{{"traceID":"00000000000000bb","spans":null}},{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{processes},"extra":{{"deep":[1,2,{{"x":null}}]}}}}],"errors":[{{"code":500,"msg":"storage timed out","traceID":"00000000000000cc"}}],"total":3}}"#),
        r#"{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}"#.to_owned(),
        // A span naming a process the trace does not list; a span without a trace id.
        r#"{"data":[{"traceID":"00000000000000dd","spans":[{"spanID":"0000000000000001","operationName":"a","startTime":1,"duration":2,"processID":"nope"}],"processes":{}}]}"#.to_owned(),
        // Escapes in keys, numbers written as strings, a number at the very end.
        r#"{"data":[{"trace\u0049D":"00000000000000ee","spans":[{"spanID":"0000000000000001","operationName":"a","startTime":"1700000000000000","duration":"5","processID":"p1"}],"processes":{"p1":{"serviceName":"x"}}}],"total":12345}"#.to_owned(),
    ];
    let refused_or_whole = [
        // Invalid JSON at the end, cut off, of another type, another format, trailing text.
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{processes}}}]"#),
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans},{{"spanID":5,"startTime":[]}}]}}]}}"#),
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{processes}}}]}} trailing"#),
        r#"{"data":"nothing"}"#.to_owned(),
        r#"{"resourceSpans":[]}"#.to_owned(),
        r#"{"hello":1}"#.to_owned(),
        r#"{"data":[{"spanId":"1","traceId":"2","startTime":"2024-01-01T00:00:00Z"}]}"#.to_owned(),
        format!(r#"{{"data":[{{"traceID":"00000000000000aa","spans":[{spans}],"processes":{{"p1":7}}}}]}}"#),
        "   \n ".to_owned(),
        format!("[{spans}]"),
        "{\"data\":[]}\n{\"data\":[]}\n".to_owned(),
    ];
    let mut problems = compare_documents(&streamable, &refused_or_whole);
    // Bytes that are not UTF-8 inside a value the walk skips.
    let mut broken = br#"{"data":[{"traceID":"00000000000000aa","spans":[],"x":""#.to_vec();
    broken.extend_from_slice(&[0xff, 0xfe]);
    broken.extend_from_slice(br#""}]}"#);
    problems.extend(compare("not utf-8", &broken, false));
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
