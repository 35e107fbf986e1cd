//! The Jaeger client's pure half against real answers: a v3 search answer (a real HotROD capture
//! taken through the v3 API, in its `{"result": ...}` wrapper) and a v1 one (a real query-API
//! envelope) give the result list's figures; Jaeger's dependency edges for HotROD equal the
//! graph derived from the trace; the search a shared link describes becomes the v1 and v3
//! requests Jaeger's handlers parse.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use traceglass::core::analysis::graph_focus::from_dependencies;
use traceglass::core::analysis::service_graph::service_graph;
use traceglass::core::config::JaegerConfig;
use traceglass::core::import::import_file;
use traceglass::core::jaeger::request::{search_path_v1, search_path_v3};
use traceglass::core::jaeger::response::{parse_dependencies, Dependency};
use traceglass::core::jaeger::{summaries_of, SearchForm, TraceSummary};
use traceglass::core::model::TraceSetBuilder;

fn summaries(name: &str, bytes: &[u8]) -> Vec<TraceSummary> {
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, name, bytes).unwrap();
    summaries_of(&builder.finish())
}

#[test]
fn a_v3_search_answer_lists_hotrod() {
    let Some(dir) = support::real_fixtures() else { return };
    let trace = std::fs::read_to_string(dir.join("jaegertracing-jaeger/n_plus_one_full_concurrent.json")).unwrap();
    let answer = format!("{{\"result\": {trace}}}");
    let list = summaries("api/v3/traces?query.service_name=frontend", answer.as_bytes());
    assert_eq!(list.len(), 1);
    let hotrod = &list[0];
    assert_eq!(hotrod.trace_id.to_hex(), "1a4e4a7b270e9f2a0f716e3ee115218a");
    assert_eq!(hotrod.title(), "frontend: GET /dispatch");
    assert_eq!((hotrod.span_count, hotrod.error_count), (40, 3));
    assert_eq!(hotrod.duration_ns(), 693_999_329);
    let services: Vec<(&str, u32, u32)> = hotrod.services.iter().map(|(s, n, e)| (s.as_str(), *n, *e)).collect();
    assert_eq!(
        services,
        [
            ("redis-manual", 14, 3),
            ("frontend", 13, 0),
            ("route", 10, 0),
            ("customer", 1, 0),
            ("driver", 1, 0),
            ("mysql", 1, 0)
        ]
    );
}

#[test]
fn a_v1_search_answer_lists_its_traces() {
    let Some(dir) = support::real_fixtures() else { return };
    let bytes = std::fs::read(dir.join("jaegertracing-jaeger-ui/2992f2a5b5d037a8aabffd08ef384237.json")).unwrap();
    let list = summaries("api/traces?service=x", &bytes);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].span_count, 2);
    assert_eq!(list[0].services.iter().map(|(_, spans, _)| spans).sum::<u32>(), 2);
}

#[test]
fn jaeger_dependencies_match_the_graph_derived_from_the_trace() {
    let Some(dir) = support::real_fixtures() else { return };
    let bytes = std::fs::read(dir.join("jaegertracing-jaeger/n_plus_one_full_concurrent.json")).unwrap();
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "hotrod.json", &bytes).unwrap();
    let derived = service_graph(&builder.finish(), &[]);
    // What Jaeger's dependency processor reports for the same trace: parent → child service
    // pairs with their call counts, in Jaeger's `api/dependencies` envelope.
    let edges: Vec<String> = derived
        .edges
        .iter()
        .map(|edge| {
            format!(
                r#"{{"parent":"{}","child":"{}","callCount":{},"source":"jaeger"}}"#,
                derived.services[edge.parent].name, derived.services[edge.child].name, edge.call_count
            )
        })
        .collect();
    let body = format!(r#"{{"data":[{}],"total":0,"limit":0,"offset":0,"errors":null}}"#, edges.join(","));
    let dependencies: Vec<Dependency> = parse_dependencies(&body).unwrap();
    let graph = from_dependencies(&dependencies);
    let names = |g: &traceglass::core::analysis::service_graph::ServiceGraph| {
        g.edges
            .iter()
            .map(|e| (g.services[e.parent].name.clone(), g.services[e.child].name.clone(), e.call_count))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&graph), names(&derived));
    assert_eq!(graph.edge("driver", "redis-manual").map(|edge| edge.call_count), Some(14));
}

#[test]
fn a_shared_search_link_becomes_both_requests() {
    let params = [
        ("service", "frontend"),
        ("operation", "HTTP GET /dispatch"),
        ("tags", r#"{"error":"true"}"#),
        ("lookback", "custom"),
        ("start", "1767225600000000"),
        ("end", "1767229200000000"),
        ("minDuration", "100ms"),
        ("limit", "50"),
    ];
    let get = |name: &str| params.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned());
    let search = SearchForm::from_params(get, &JaegerConfig::default()).check(0).unwrap();
    assert_eq!(
        search_path_v1(&search),
        "api/traces?service=frontend&operation=HTTP+GET+%2Fdispatch&tags=%7B%22error%22%3A%22true%22%7D\
         &start=1767225600000000&end=1767229200000000&limit=50&minDuration=100ms"
    );
    assert_eq!(
        search_path_v3(&search),
        "api/v3/traces?query.service_name=frontend&query.operation_name=HTTP+GET+%2Fdispatch\
         &query.start_time_min=2026-01-01T00%3A00%3A00.000000000Z&query.start_time_max=2026-01-01T01%3A00%3A00.000000000Z\
         &query.duration_min=100ms&query.search_depth=50&query.attributes=%7B%22error%22%3A%22true%22%7D"
    );
}
