//! Hand-written edge cases, each fixture named after the case it holds
//! (`tests/fixtures/edge/`), and a chain a million spans deep generated here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use traceglass::core::import::{import_file, Format, ImportError};
use traceglass::core::model::{
    check_integrity, SpanFlags, SpanId, SpanIdx, SpanKind, StatusCode, TraceSet, TraceSetBuilder, WarningKind,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/edge/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn load(name: &str) -> TraceSet {
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, name, &fixture(name)).unwrap_or_else(|error| panic!("{error}"));
    let set = builder.finish();
    check_integrity(&set).unwrap();
    set
}

fn refuse(name: &str) -> ImportError {
    let mut builder = TraceSetBuilder::new();
    let error = import_file(&mut builder, name, &fixture(name)).expect_err("the file is refused");
    assert_eq!(builder.pushed_span_count(), 0, "a refused file adds nothing");
    error
}

fn warnings_of(set: &TraceSet, kind: WarningKind) -> Vec<&str> {
    set.warnings.iter().filter(|warning| warning.kind == kind).map(|warning| warning.message.as_str()).collect()
}

fn row_named(set: &TraceSet, operation: &str) -> SpanIdx {
    let index = (0..set.span_count()).find(|&i| set.str(set.spans.operation[i]) == operation).unwrap();
    SpanIdx(index as u32)
}

#[test]
fn orphan_becomes_a_root_and_the_trace_is_incomplete() {
    let set = load("orphan.json");
    assert_eq!(set.roots.len(), 2);
    let orphan = row_named(&set, "lost-child");
    assert_eq!(set.spans.parent[orphan.get()], None);
    assert_eq!(set.spans.parent_id[orphan.get()], SpanId::from_hex("99"));
    assert!(set.spans.flags[orphan.get()].has(SpanFlags::ORPHAN));
    assert!(set.traces.incomplete[0]);
    let messages = warnings_of(&set, WarningKind::MissingParent);
    assert_eq!(
        messages,
        ["Span 0000000000000002 names parent 0000000000000099, which is not in the trace; it is shown as a root."]
    );
}

#[test]
fn parent_cycle_is_broken_at_its_earliest_span_and_self_parent_is_a_root() {
    let set = load("parent-cycle-and-self-parent.json");
    // A → C → B → A: broken at A (earliest start), so A is the root of A ▸ B ▸ C.
    let operations: Vec<&str> = (0..set.span_count()).map(|i| set.str(set.spans.operation[i])).collect();
    assert_eq!(operations, ["A", "B", "C", "D"]);
    assert_eq!(set.spans.depth, [0, 1, 2, 0]);
    assert_eq!(set.spans.subtree_len, [3, 2, 1, 1]);
    assert_eq!(warnings_of(&set, WarningKind::ParentCycle).len(), 1);
    assert!(warnings_of(&set, WarningKind::ParentCycle)[0].contains("broken at span 000000000000000a"));
    assert_eq!(warnings_of(&set, WarningKind::SelfParent).len(), 1);
    assert!(set.traces.incomplete[0]);
}

#[test]
fn identical_duplicates_merge_and_different_spans_with_one_id_are_both_kept() {
    let set = load("duplicate-id.json");
    assert_eq!(set.span_count(), 3, "root + one merged copy + the different span");
    assert_eq!(
        warnings_of(&set, WarningKind::DuplicateRecord),
        ["1 identical copy of span 1111111111111111 was merged into it."]
    );
    assert_eq!(warnings_of(&set, WarningKind::DuplicateSpanId).len(), 1);
    let same = row_named(&set, "same");
    let different = row_named(&set, "different");
    assert!(set.spans.flags[same.get()].has(SpanFlags::DUPLICATE_ID));
    assert!(set.spans.flags[different.get()].has(SpanFlags::DUPLICATE_ID));
}

#[test]
fn zero_or_missing_start_takes_the_parents_and_bad_durations_become_zero() {
    let set = load("zero-and-missing-start.json");
    let root_start = set.spans.start_ns[0];
    assert_eq!(root_start, 5_000_000);
    for name in ["zero", "missing"] {
        let row = row_named(&set, name).get();
        assert_eq!(set.spans.start_ns[row], root_start, "{name}");
        assert!(set.spans.flags[row].has(SpanFlags::START_REPAIRED), "{name}");
    }
    let missing = row_named(&set, "missing").get();
    let negative = row_named(&set, "negative").get();
    assert_eq!(set.spans.duration_ns[missing], 0);
    assert_eq!(set.spans.duration_ns[negative], 0);
    assert!(set.spans.flags[negative].has(SpanFlags::DURATION_REPAIRED));
    assert_eq!(warnings_of(&set, WarningKind::MissingStart).len(), 2);
    assert_eq!(warnings_of(&set, WarningKind::BadDuration).len(), 2);
}

#[test]
fn children_starting_early_or_ending_late_are_kept_and_flagged_with_the_shift() {
    let set = load("child-outlives-parent.json");
    let early = row_named(&set, "early").get();
    let late = row_named(&set, "late").get();
    assert_eq!(set.spans.start_ns[early], 990_000, "kept as is");
    assert!(set.spans.flags[early].has(SpanFlags::CLOCK_SKEW));
    assert!(set.spans.flags[late].has(SpanFlags::CLOCK_SKEW));
    let messages = warnings_of(&set, WarningKind::ClockSkew);
    assert!(messages.iter().any(|m| m.contains("starts 10.0 µs before its parent")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("ends 450 µs after its parent")), "{messages:?}");
    assert_eq!(set.spans.kind[late], SpanKind::Producer);
}

#[test]
fn base64_ids_and_string_enums_read_as_their_values() {
    let set = load("base64-ids-and-string-enums.json");
    assert_eq!(set.traces.trace_id[0].to_hex(), "5b8efff798038103d269b633813fc60c");
    assert_eq!(set.spans.span_id[0].to_hex(), "eeee40fbd160def8");
    assert_eq!(set.spans.parent[1], Some(SpanIdx(0)));
    assert_eq!(set.spans.kind[..], [SpanKind::Server, SpanKind::Client]);
    assert_eq!(set.spans.status[..], [StatusCode::Error, StatusCode::Ok]);
    assert_eq!(set.str(set.spans.status_message[0]), "boom");
    assert_eq!(set.spans.duration_ns[1], 100_000, "numbers and strings both read as nanoseconds");
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
}

#[test]
fn json_lines_load_each_line_by_name_and_by_structure() {
    for name in ["two-traces-otlp.jsonl", "renamed.json"] {
        let mut builder = TraceSetBuilder::new();
        let report = import_file(&mut builder, name, &fixture("two-traces-otlp.jsonl")).unwrap();
        assert!(report.json_lines, "{name}");
        assert_eq!(report.format, Format::Otlp);
        assert_eq!(report.format_name(), "OTLP JSON, JSON Lines");
        let set = builder.finish();
        assert_eq!(set.trace_count(), 2);
        assert_eq!(set.span_count(), 2);
    }
}

#[test]
fn two_traces_in_one_file_and_the_api_errors_are_reported() {
    let mut builder = TraceSetBuilder::new();
    let report = import_file(&mut builder, "two.json", &fixture("two-traces-one-file.json")).unwrap();
    assert_eq!(report.format, Format::JaegerApi);
    assert_eq!(report.notes, ["The Jaeger query service reported an error 500 for trace t3: storage timeout"]);
    let set = builder.finish();
    assert_eq!(set.trace_count(), 2);
    let services: Vec<&str> = set.spans.service.iter().map(|&s| set.str(s)).collect();
    assert_eq!(services, ["a", "b"]);
}

#[test]
fn empty_truncated_and_foreign_files_are_refused_with_a_reason() {
    assert_eq!(refuse("empty.json").to_string(), "empty.json: the file is empty");
    let truncated = refuse("truncated.json").to_string();
    assert_eq!(truncated, "truncated.json: not valid JSON at line 2, column 20: EOF while parsing a string");
    let foreign = refuse("not-a-trace.json").to_string();
    assert!(
        foreign.starts_with(
            "not-a-trace.json: an object with the keys \"name\", \"version\", \"dependencies\"; this is not a trace"
        ),
        "{foreign}"
    );
    assert!(foreign.contains("Accepted: Jaeger JSON"), "{foreign}");
}

#[test]
fn a_file_that_is_not_text_is_refused_with_the_place() {
    let mut builder = TraceSetBuilder::new();
    let error = import_file(&mut builder, "binary.json", b"{\"data\":\n[\xff]}").unwrap_err();
    assert_eq!(error.to_string(), "binary.json: not a text file (invalid UTF-8 at line 2, column 2)");
}

#[test]
fn a_wrong_value_in_a_known_format_names_the_format_and_the_place() {
    let mut builder = TraceSetBuilder::new();
    let text =
        "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [\n  {\"traceId\": \"01\", \"name\": {\"x\": 1}}]}]}]}";
    let error = import_file(&mut builder, "bad.json", text.as_bytes()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("bad.json: looks like OTLP JSON, but could not be read at line 2, column"),
        "{message}"
    );
}

#[test]
fn a_chain_a_million_spans_deep_imports_without_overflowing_the_stack() {
    const DEPTH: usize = 1_000_000;
    let mut text = String::with_capacity(DEPTH * 120);
    text.push_str("{\"traceID\":\"1\",\"processes\":{\"p\":{\"serviceName\":\"deep\"}},\"spans\":[");
    for i in 1..=DEPTH {
        if i > 1 {
            text.push(',');
        }
        let parent =
            if i == 1 { String::new() } else { format!("{{\"refType\":\"CHILD_OF\",\"spanID\":\"{:x}\"}}", i - 1) };
        text.push_str(&format!(
            "{{\"spanID\":\"{i:x}\",\"operationName\":\"op\",\"references\":[{parent}],\"startTime\":{},\"duration\":{},\"processID\":\"p\"}}",
            1_000_000 + i,
            2 * DEPTH - i
        ));
    }
    text.push_str("]}");
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "deep.json", text.as_bytes()).unwrap();
    let set = builder.finish();
    assert_eq!(set.span_count(), DEPTH);
    assert_eq!(set.traces.max_depth[0] as usize, DEPTH - 1);
    assert_eq!(set.spans.subtree_len[0] as usize, DEPTH);
    assert_eq!(set.spans.depth[DEPTH - 1] as usize, DEPTH - 1);
    assert!(set.warnings.is_empty());
    check_integrity(&set).unwrap();
}

#[test]
fn adding_files_to_what_is_loaded_keeps_every_trace_and_its_warnings() {
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "zero.json", &fixture("zero-and-missing-start.json")).unwrap();
    import_file(&mut builder, "orphan.json", &fixture("orphan.json")).unwrap();
    let both_at_once = builder.finish();

    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "zero.json", &fixture("zero-and-missing-start.json")).unwrap();
    let first = builder.finish();
    let mut builder = TraceSetBuilder::from_set(first);
    import_file(&mut builder, "orphan.json", &fixture("orphan.json")).unwrap();
    let one_after_another = builder.finish();
    check_integrity(&one_after_another).unwrap();

    use traceglass::core::model::compare::canonical_spans;
    assert_eq!(canonical_spans(&both_at_once, 1), canonical_spans(&one_after_another, 1));
    assert_eq!(both_at_once.warnings, one_after_another.warnings);

    // Loading the same file again merges into the loaded trace instead of duplicating it.
    let mut builder = TraceSetBuilder::from_set(one_after_another);
    import_file(&mut builder, "orphan.json", &fixture("orphan.json")).unwrap();
    let again = builder.finish();
    assert_eq!(again.trace_count(), 2);
    assert_eq!(again.span_count(), both_at_once.span_count());
    assert!(warnings_of(&again, WarningKind::DuplicateRecord).len() == 2, "a note for each merged span");
}

/// A Jaeger JSON document of one trace whose spans are `(span id, operation)`, all children of
/// span `aa`.
fn trace_of(spans: &[(&str, &str)]) -> Vec<u8> {
    let spans: Vec<String> = spans
        .iter()
        .map(|(id, operation)| {
            let parent = if *id == "aa" {
                String::new()
            } else {
                r#"{"refType":"CHILD_OF","traceID":"t1","spanID":"aa"}"#.to_owned()
            };
            format!(
                r#"{{"traceID":"t1","spanID":"{id}","operationName":"{operation}","references":[{parent}],"startTime":1000,"duration":5,"processID":"p1"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"data":[{{"traceID":"t1","spans":[{}],"processes":{{"p1":{{"serviceName":"s"}}}}}}]}}"#,
        spans.join(",")
    )
    .into_bytes()
}

#[test]
fn a_copy_of_any_span_that_shares_an_id_merges_into_that_span() {
    // Three different spans carry id bb; the copy is of the third, not of the first.
    let bytes = trace_of(&[("aa", "root"), ("bb", "one"), ("bb", "two"), ("bb", "three"), ("bb", "three")]);
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "shared.json", &bytes).unwrap();
    let set = builder.finish();
    check_integrity(&set).unwrap();
    assert_eq!(set.span_count(), 4);
    assert_eq!(
        warnings_of(&set, WarningKind::DuplicateRecord),
        ["1 identical copy of span 00000000000000bb was merged into it."]
    );
    assert_eq!(
        warnings_of(&set, WarningKind::DuplicateSpanId),
        ["3 different spans carry the id 00000000000000bb; all are shown, and children naming that id attach to the first."]
    );
}

#[test]
fn a_big_trace_given_twice_merges_and_ids_shared_by_thousands_of_pairs_are_each_noted_once() {
    // Every span twice (identical copies), and every id also carried by a second, different
    // span (as client and server spans share ids in Zipkin's model).
    let ids: Vec<String> = (1..=20_000).map(|i| format!("{i:x}")).filter(|id| id != "aa").collect();
    let root = [("aa", "root")];
    let spans = |operation: &'static str| ids.iter().map(move |id| (id.as_str(), operation));
    let twice: Vec<(&str, &str)> =
        root.into_iter().chain(spans("client")).chain(spans("server")).chain(spans("client")).collect();
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "twice.json", &trace_of(&twice)).unwrap();
    let set = builder.finish();
    check_integrity(&set).unwrap();
    assert_eq!(set.span_count(), 1 + 2 * ids.len());
    assert_eq!(warnings_of(&set, WarningKind::DuplicateRecord).len(), ids.len());
    let shared = warnings_of(&set, WarningKind::DuplicateSpanId);
    assert_eq!(shared.len(), ids.len());
    assert!(shared.iter().all(|message| message.starts_with("2 different spans carry the id ")));
}

#[test]
fn gzip_files_are_read_by_their_magic_bytes_and_damage_is_reported() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&fixture("two-traces-otlp.jsonl")).unwrap();
    let compressed = encoder.finish().unwrap();
    for name in ["traces.jsonl.gz", "download"] {
        let mut builder = TraceSetBuilder::new();
        let report = import_file(&mut builder, name, &compressed).unwrap();
        assert!(report.json_lines);
        assert_eq!(builder.finish().trace_count(), 2, "{name}");
    }
    let mut damaged = compressed.clone();
    damaged.truncate(compressed.len() / 2);
    let mut builder = TraceSetBuilder::new();
    let error = import_file(&mut builder, "cut.json.gz", &damaged).unwrap_err();
    assert!(error.to_string().starts_with("cut.json.gz: the gzip-compressed data could not be read"), "{error}");
}
