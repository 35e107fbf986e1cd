//! The service graph derived from real traces has the edges and counts their topologies have:
//! HotROD (frontend → customer → mysql, frontend → driver → redis, frontend → route × 10),
//! Istio Bookinfo, and Kafka messaging.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use traceglass::core::analysis::service_graph::{service_graph, ServiceGraph};
use traceglass::core::import::import_file;
use traceglass::core::model::TraceSetBuilder;

fn graph_of(dir: &std::path::Path, name: &str) -> ServiceGraph {
    let bytes = std::fs::read(dir.join(name)).unwrap();
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, name, &bytes).unwrap();
    service_graph(&builder.finish(), &[])
}

fn edges(graph: &ServiceGraph) -> Vec<(String, String, usize, usize)> {
    graph
        .edges
        .iter()
        .map(|edge| {
            let name = |index: usize| graph.services[index].name.clone();
            (name(edge.parent), name(edge.child), edge.call_count, edge.error_count)
        })
        .collect()
}

fn edge(parent: &str, child: &str, calls: usize, errors: usize) -> (String, String, usize, usize) {
    (parent.to_owned(), child.to_owned(), calls, errors)
}

#[test]
fn hotrod_has_its_call_graph_with_the_redis_errors() {
    let Some(dir) = support::real_fixtures() else { return };
    let graph = graph_of(&dir, "jaegertracing-jaeger/n_plus_one_full_concurrent.json");
    assert_eq!(
        edges(&graph),
        [
            edge("customer", "mysql", 1, 0),
            edge("driver", "redis-manual", 14, 3),
            edge("frontend", "customer", 1, 0),
            edge("frontend", "driver", 1, 0),
            edge("frontend", "route", 10, 0),
        ]
    );
    let redis = graph.edge("driver", "redis-manual").unwrap();
    assert!(redis.p50_ns <= redis.p95_ns && redis.p95_ns <= redis.max_ns);
    assert!((redis.error_rate() - 3.0 / 14.0).abs() < 1e-9);
    assert!(!redis.messaging);
    let frontend = graph.services.iter().find(|service| service.name == "frontend").unwrap();
    assert_eq!((frontend.span_count, frontend.error_count), (13, 0));
}

#[test]
fn bookinfo_through_the_istio_gateway() {
    let Some(dir) = support::real_fixtures() else { return };
    let graph = graph_of(&dir, "kiali-kiali/responseTrace.json");
    assert_eq!(
        edges(&graph),
        [
            edge("istio-ingressgateway.istio-system", "productpage.bookinfo", 1, 0),
            edge("productpage.bookinfo", "details.bookinfo", 1, 0),
            edge("productpage.bookinfo", "reviews.bookinfo", 1, 0),
            edge("reviews.bookinfo", "ratings.bookinfo", 1, 0),
        ]
    );
}

#[test]
fn kafka_hops_are_messaging_edges() {
    let Some(dir) = support::real_fixtures() else { return };
    let graph = graph_of(&dir, "openzipkin-zipkin/messaging-kafka.json");
    let hop = graph.edge("servicea", "serviceb").unwrap();
    assert_eq!(hop.call_count, 3);
    assert!(hop.messaging);
}
