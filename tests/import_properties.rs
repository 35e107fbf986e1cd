//! Properties of the importers over random input: random span forests written as Jaeger JSON
//! and Zipkin v2 import to the expected trees, and survive export to Jaeger and OTLP JSON and
//! import again unchanged; random and damaged bytes never panic an importer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{json, Value};
use traceglass::core::export::{to_jaeger_json, to_otlp_json};
use traceglass::core::import::import_file;
use traceglass::core::model::compare::canonical_spans;
use traceglass::core::model::{check_integrity, TraceSet, TraceSetBuilder};

/// One span of a random forest: its parent is an earlier span (or none).
#[derive(Clone, Debug)]
struct SpanSpec {
    parent: Option<usize>,
    service: usize,
    start_us: i64,
    duration_us: i64,
    error: bool,
    attrs: Vec<(String, i64)>,
}

fn forest(max_spans: usize) -> impl Strategy<Value = Vec<SpanSpec>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0usize..4,
            0i64..1_000_000,
            1i64..500_000,
            any::<bool>(),
            prop::collection::vec(("[a-z]{1,6}", any::<i64>()), 0..3),
            prop::bool::weighted(0.15),
        ),
        1..max_spans,
    )
    .prop_map(|raw| {
        raw.into_iter()
            .enumerate()
            .map(|(i, (parent, service, start, duration, error, attrs, root))| SpanSpec {
                parent: if i == 0 || root { None } else { Some(parent.index(i)) },
                service,
                start_us: 1_700_000_000_000_000 + start,
                duration_us: duration,
                error,
                attrs,
            })
            .collect()
    })
}

const SERVICES: [&str; 4] = ["frontend", "orders", "payments", "db"];

fn jaeger_text(specs: &[SpanSpec]) -> String {
    let spans: Vec<Value> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut tags: Vec<Value> =
                spec.attrs.iter().map(|(key, value)| json!({"key": key, "type": "int64", "value": value})).collect();
            if spec.error {
                tags.push(json!({"key": "error", "type": "bool", "value": true}));
            }
            let references: Vec<Value> = spec
                .parent
                .map(|parent| {
                    vec![json!({"refType": "CHILD_OF", "traceID": "abc", "spanID": format!("{:x}", parent + 1)})]
                })
                .unwrap_or_default();
            json!({
                "traceID": "abc", "spanID": format!("{:x}", i + 1), "operationName": format!("op{i}"),
                "references": references, "startTime": spec.start_us, "duration": spec.duration_us,
                "tags": tags, "logs": [], "processID": format!("p{}", spec.service),
            })
        })
        .collect();
    let processes: serde_json::Map<String, Value> =
        (0..4).map(|s| (format!("p{s}"), json!({"serviceName": SERVICES[s], "tags": []}))).collect();
    json!({"data": [{"traceID": "abc", "spans": spans, "processes": processes}]}).to_string()
}

fn zipkin_text(specs: &[SpanSpec]) -> String {
    let spans: Vec<Value> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut tags = serde_json::Map::new();
            for (key, value) in &spec.attrs {
                tags.insert(key.clone(), Value::from(value.to_string()));
            }
            if spec.error {
                tags.insert("error".to_owned(), Value::from("true"));
            }
            let mut span = json!({
                "traceId": "0000000000000abc", "id": format!("{:016x}", i + 1), "name": format!("op{i}"),
                "timestamp": spec.start_us, "duration": spec.duration_us,
                "localEndpoint": {"serviceName": SERVICES[spec.service]}, "tags": tags,
            });
            if let Some(parent) = spec.parent {
                span["parentId"] = Value::from(format!("{:016x}", parent + 1));
            }
            span
        })
        .collect();
    Value::Array(spans).to_string()
}

fn import(name: &str, text: &str) -> TraceSet {
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, name, text.as_bytes()).unwrap_or_else(|error| panic!("{error}"));
    let set = builder.finish();
    check_integrity(&set).unwrap();
    set
}

/// Tree shape and core fields, comparable across formats (no attribute types).
fn shape(set: &TraceSet) -> Vec<String> {
    (0..set.span_count())
        .map(|i| {
            format!(
                "{} parent={:?} depth={} {} {} start={} dur={} error={}",
                set.spans.span_id[i],
                set.spans.parent_id[i],
                set.spans.depth[i],
                set.str(set.spans.service[i]),
                set.str(set.spans.operation[i]),
                set.spans.start_ns[i],
                set.spans.duration_ns[i],
                set.spans.flags[i].has(traceglass::core::model::SpanFlags::ERROR)
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_forests_round_trip_through_every_format(specs in forest(40)) {
        let first = import("forest.json", &jaeger_text(&specs));
        prop_assert_eq!(first.span_count(), specs.len());
        let roots = specs.iter().filter(|spec| spec.parent.is_none()).count();
        prop_assert_eq!(first.roots.len(), roots);

        let via_jaeger = import("again.json", &to_jaeger_json(&first, &[]));
        prop_assert_eq!(canonical_spans(&first, 1), canonical_spans(&via_jaeger, 1));
        let via_otlp = import("again.json", &to_otlp_json(&first, &[]));
        prop_assert_eq!(canonical_spans(&first, 1), canonical_spans(&via_otlp, 1));

        let from_zipkin = import("forest-zipkin.json", &zipkin_text(&specs));
        prop_assert_eq!(shape(&first), shape(&from_zipkin));
    }

    #[test]
    fn random_bytes_never_panic_an_importer(bytes in prop::collection::vec(any::<u8>(), 0..400), jsonl in any::<bool>()) {
        let name = if jsonl { "random.jsonl" } else { "random.json" };
        let mut builder = TraceSetBuilder::new();
        let _ = import_file(&mut builder, name, &bytes);
        check_integrity(&builder.finish()).unwrap();
    }

    #[test]
    fn damaged_traces_never_panic_an_importer(specs in forest(8), cut in any::<prop::sample::Index>(), flip in any::<(prop::sample::Index, u8)>()) {
        for text in [jaeger_text(&specs), zipkin_text(&specs)] {
            let mut bytes = text.into_bytes();
            let at = flip.0.index(bytes.len());
            bytes[at] = flip.1;
            bytes.truncate(cut.index(bytes.len() + 1));
            let mut builder = TraceSetBuilder::new();
            let _ = import_file(&mut builder, "damaged.json", &bytes);
            check_integrity(&builder.finish()).unwrap();
        }
    }
}
