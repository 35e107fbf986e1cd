//! The service dependency graph derived from loaded traces: an edge for every parent → child
//! span pair whose services differ, with call count, errors and the child spans' latency
//! (p50, p95, max); per service its spans, errors and operations. Edges where a producer's
//! message is consumed are marked as messaging.
//!
//! ```text
//!  frontend ──3──► customer          calls 3, errors 0, p50 … of the customer spans
//!      └────10──► route
//! ```

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::core::model::{SpanFlags, SpanKind, StrIdx, TraceIdx, TraceSet};

/// One service.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceNode {
    /// The service name.
    pub name: String,
    /// Spans of the service.
    pub span_count: usize,
    /// Of those, failed.
    pub error_count: usize,
    /// Its operations, sorted.
    pub operations: Vec<String>,
}

/// Calls from one service to another.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceEdge {
    /// The calling service (index into `ServiceGraph::services`).
    pub parent: usize,
    /// The called service.
    pub child: usize,
    /// How many child spans under a parent span of the calling service.
    pub call_count: usize,
    /// Of those, failed.
    pub error_count: usize,
    /// Median duration of the child spans, ns (nearest rank).
    pub p50_ns: i64,
    /// 95th percentile, ns (nearest rank).
    pub p95_ns: i64,
    /// Longest, ns.
    pub max_ns: i64,
    /// A producer → consumer hop (a message, not a call).
    pub messaging: bool,
}

impl ServiceEdge {
    /// Errors per call, 0..=1.
    pub fn error_rate(&self) -> f64 {
        if self.call_count == 0 {
            0.0
        } else {
            self.error_count as f64 / self.call_count as f64
        }
    }
}

/// Services (sorted by name) and the edges between them (sorted by parent, then child).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ServiceGraph {
    /// The services.
    pub services: Vec<ServiceNode>,
    /// The edges.
    pub edges: Vec<ServiceEdge>,
}

impl ServiceGraph {
    /// The edge `parent → child` by service names, if there is one.
    pub fn edge(&self, parent: &str, child: &str) -> Option<&ServiceEdge> {
        self.edges
            .iter()
            .find(|edge| self.services[edge.parent].name == parent && self.services[edge.child].name == child)
    }
}

/// The graph of the traces `traces` of `set` (all traces when empty).
pub fn service_graph(set: &TraceSet, traces: &[TraceIdx]) -> ServiceGraph {
    let all: Vec<TraceIdx> = (0..set.trace_count()).map(|t| TraceIdx(t as u32)).collect();
    let chosen = if traces.is_empty() { &all[..] } else { traces };
    let spans = &set.spans;

    // Per service: spans, errors, operations; per (parent service, child service): durations,
    // errors, messaging. Keyed by the strings' numbers while walking the spans (a hash of a
    // number, not a comparison of names, per span), by name after.
    let mut by_service: FxHashMap<StrIdx, (usize, usize, FxHashSet<StrIdx>)> = FxHashMap::default();
    let mut by_edge: FxHashMap<(StrIdx, StrIdx), (Vec<i64>, usize, bool)> = FxHashMap::default();
    for &trace in chosen {
        for span in set.trace_spans(trace) {
            let i = span.get();
            let service = spans.service[i];
            let error = spans.flags[i].has(SpanFlags::ERROR);
            let entry = by_service.entry(service).or_default();
            entry.0 += 1;
            entry.1 += usize::from(error);
            entry.2.insert(spans.operation[i]);
            let Some(parent) = spans.parent[i] else { continue };
            let parent_service = spans.service[parent.get()];
            if parent_service == service {
                continue;
            }
            let messaging = spans.kind[i] == SpanKind::Consumer || spans.kind[parent.get()] == SpanKind::Producer;
            let edge = by_edge.entry((parent_service, service)).or_default();
            edge.0.push(spans.duration_ns[i]);
            edge.1 += usize::from(error);
            edge.2 |= messaging;
        }
    }

    // By name, so the output is sorted (and a name written under two numbers is one service).
    let mut services: BTreeMap<&str, (usize, usize, Vec<StrIdx>)> = BTreeMap::new();
    for (service, (span_count, error_count, operations)) in by_service {
        let entry = services.entry(set.str(service)).or_default();
        entry.0 += span_count;
        entry.1 += error_count;
        entry.2.extend(operations);
    }
    let mut edges: BTreeMap<(&str, &str), (Vec<i64>, usize, bool)> = BTreeMap::new();
    for ((parent, child), (durations, error_count, messaging)) in by_edge {
        let names = (set.str(parent), set.str(child));
        if names.0 == names.1 {
            continue;
        }
        let edge = edges.entry(names).or_default();
        edge.0.extend(durations);
        edge.1 += error_count;
        edge.2 |= messaging;
    }

    let index: BTreeMap<&str, usize> = services.keys().enumerate().map(|(position, name)| (*name, position)).collect();
    let nodes = services
        .into_iter()
        .map(|(name, (span_count, error_count, operations))| {
            let mut operations: Vec<String> = operations.into_iter().map(|op| set.str(op).to_owned()).collect();
            operations.sort();
            operations.dedup();
            ServiceNode { name: name.to_owned(), span_count, error_count, operations }
        })
        .collect();
    let edges = edges
        .into_iter()
        .map(|((parent, child), (mut durations, error_count, messaging))| {
            durations.sort_unstable();
            ServiceEdge {
                parent: index[parent],
                child: index[child],
                call_count: durations.len(),
                error_count,
                p50_ns: nearest_rank(&durations, 0.50),
                p95_ns: nearest_rank(&durations, 0.95),
                max_ns: durations.last().copied().unwrap_or(0),
                messaging,
            }
        })
        .collect();
    ServiceGraph { services: nodes, edges }
}

/// The nearest-rank percentile of sorted values (0 for none).
fn nearest_rank(sorted: &[i64], quantile: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (quantile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let values: Vec<i64> = (1..=20).collect();
        assert_eq!(nearest_rank(&values, 0.5), 10);
        assert_eq!(nearest_rank(&values, 0.95), 19);
        assert_eq!(nearest_rank(&[7], 0.95), 7);
        assert_eq!(nearest_rank(&[], 0.5), 0);
    }
}
