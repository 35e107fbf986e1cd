//! Round trips: import → export → import gives the same model (same summary, same spans), for
//! every real fixture that loads, through both Jaeger JSON and OTLP JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use traceglass::core::export::{to_jaeger_json, to_otlp_json};
use traceglass::core::import::{import_file, Format};
use traceglass::core::model::compare::canonical_spans;
use traceglass::core::model::summary::summarize;
use traceglass::core::model::{check_integrity, TraceSet, TraceSetBuilder};

fn load(name: &str, bytes: &[u8]) -> Option<(TraceSet, Format)> {
    let mut builder = TraceSetBuilder::new();
    let report = import_file(&mut builder, name, bytes).ok()?;
    Some((builder.finish(), report.format))
}

/// The summary without its warnings line: repairs made on the first import (a start taken from
/// the parent, merged duplicates) are written out repaired, so the second import has none.
fn summary_without_warnings(set: &TraceSet) -> String {
    summarize(set, 100)
        .lines()
        .filter(|line| !line.starts_with("warnings:"))
        .map(|line| match line.find(" warnings, ") {
            Some(at) if line.starts_with("trace ") => {
                let before = &line[..at];
                let cut = before.rfind(", ").map_or(before, |comma| &before[..comma]);
                format!("{cut}{}", &line[at + " warnings".len()..])
            }
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_same(name: &str, via: &str, first: &TraceSet, second: &TraceSet, time_unit_ns: i64) {
    check_integrity(second).unwrap_or_else(|problem| panic!("{name} via {via}: {problem}"));
    assert_eq!(summary_without_warnings(first), summary_without_warnings(second), "{name} via {via}: summaries differ");
    let a = canonical_spans(first, time_unit_ns);
    let b = canonical_spans(second, time_unit_ns);
    assert_eq!(a.len(), b.len(), "{name} via {via}: span counts differ");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{name} via {via}: a span differs");
    }
}

#[test]
fn real_fixtures_survive_export_and_reimport() {
    let Some(dir) = support::real_fixtures() else { return };
    let mut checked = 0;
    for relative in support::json_files(&dir) {
        let name = relative.to_string_lossy().into_owned();
        let bytes = std::fs::read(dir.join(&relative)).unwrap();
        let Some((first, format)) = load(&name, &bytes) else { continue };
        if matches!(format, Format::ZipkinV2) {
            // Zipkin's merged client halves have no place in Jaeger or OTLP; covered below.
            continue;
        }
        let jaeger_origin = matches!(
            format,
            Format::JaegerApi | Format::JaegerTrace | Format::JaegerTraceArray | Format::JaegerSpanArray
        );
        // Jaeger keeps microseconds and has no arrays: exact only for what came from Jaeger.
        if jaeger_origin {
            let exported = to_jaeger_json(&first, &[]);
            let (second, _) = load("export.json", exported.as_bytes()).expect("the Jaeger export imports");
            assert_same(&name, "Jaeger JSON", &first, &second, 1);
        }
        let exported = to_otlp_json(&first, &[]);
        let (second, second_format) = load("export.json", exported.as_bytes()).expect("the OTLP export imports");
        assert_eq!(second_format, Format::Otlp);
        assert_same(&name, "OTLP JSON", &first, &second, 1);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} fixtures were round-tripped");
}
