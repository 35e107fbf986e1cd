//! The bundled samples load cleanly and tell their story.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use traceglass::core::analysis::self_time::self_time_ns;
use traceglass::core::import::import_file;
use traceglass::core::model::{check_integrity, SpanIdx, TraceSetBuilder};

#[test]
fn the_checkout_sample_shows_the_payment_database_query_as_the_bottleneck() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/public/samples/checkout.json")).unwrap();
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "checkout.json", &bytes).unwrap();
    let set = builder.finish();
    check_integrity(&set).unwrap();
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    assert_eq!(set.trace_count(), 1);
    assert_eq!(set.traces.service_count[0], 8);
    let root = set.roots[0].get();
    assert_eq!(set.str(set.spans.service[root]), "api-gateway");
    let slowest = (0..set.span_count()).max_by_key(|&i| self_time_ns(&set, SpanIdx(i as u32))).unwrap();
    assert_eq!(set.str(set.spans.service[slowest]), "database");
    assert_eq!(set.str(set.spans.operation[slowest]), "INSERT payments");
    let parent = set.spans.parent[slowest].unwrap().get();
    assert_eq!(set.str(set.spans.service[parent]), "payment");
}
