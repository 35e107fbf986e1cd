//! The paths (relative to an endpoint's base) of Jaeger's query API, for both API versions.
//!
//! | what          | v1                                   | v3                                      |
//! |---------------|--------------------------------------|-----------------------------------------|
//! | services      | `api/services`                       | `api/v3/services`                       |
//! | operations    | `api/services/{s}/operations`        | `api/v3/operations?service=&span_kind=` |
//! | search        | `api/traces?service&…` (µs, JSON tags) | `api/v3/traces?query.service_name&…` (RFC 3339) |
//! | summaries     | —                                    | `api/v3/trace-summaries?…` (when present) |
//! | trace by id   | `api/traces/{id}`                    | `api/v3/traces/{id}`                    |
//! | dependencies  | `api/dependencies?endTs&lookback` (ms) | — (v1 only)                           |

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::core::jaeger::durations::format_rfc3339_ns;
use crate::core::jaeger::search::Search;
use crate::core::model::TraceId;
use crate::core::units::NS_PER_US;

/// Which of Jaeger's HTTP APIs an endpoint speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiVersion {
    /// `api/...`: every Jaeger up to 2.x.
    V1,
    /// `api/v3/...`: OTLP JSON responses.
    V3,
}

impl ApiVersion {
    /// How the UI names it.
    pub fn label(self) -> &'static str {
        match self {
            ApiVersion::V1 => "Jaeger API v1",
            ApiVersion::V3 => "Jaeger API v3",
        }
    }
}

/// Characters escaped in a path segment: everything but unreserved ones.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

fn with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        query.append_pair(name, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The service list.
pub fn services_path(version: ApiVersion) -> String {
    match version {
        ApiVersion::V1 => "api/services".to_owned(),
        ApiVersion::V3 => "api/v3/services".to_owned(),
    }
}

/// The operations of `service`.
pub fn operations_path(version: ApiVersion, service: &str) -> String {
    match version {
        ApiVersion::V1 => format!("api/services/{}/operations", segment(service)),
        ApiVersion::V3 => with_query("api/v3/operations", &[("service", service.to_owned())]),
    }
}

fn tags_json(tags: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        tags.iter().map(|(key, value)| (key.clone(), serde_json::Value::String(value.clone()))).collect();
    serde_json::Value::Object(map).to_string()
}

/// The v1 search (`api/traces`), full traces in Jaeger JSON.
pub fn search_path_v1(search: &Search) -> String {
    let mut pairs = vec![("service", search.service.clone())];
    if let Some(operation) = &search.operation {
        pairs.push(("operation", operation.clone()));
    }
    if !search.tags.is_empty() {
        pairs.push(("tags", tags_json(&search.tags)));
    }
    pairs.push(("start", search.start_us.to_string()));
    pairs.push(("end", search.end_us.to_string()));
    pairs.push(("limit", search.limit.to_string()));
    if let Some(min) = &search.min_duration {
        pairs.push(("minDuration", min.clone()));
    }
    if let Some(max) = &search.max_duration {
        pairs.push(("maxDuration", max.clone()));
    }
    with_query("api/traces", &pairs)
}

fn v3_query(search: &Search) -> Vec<(&'static str, String)> {
    let mut pairs = vec![("query.service_name", search.service.clone())];
    if let Some(operation) = &search.operation {
        pairs.push(("query.operation_name", operation.clone()));
    }
    pairs.push(("query.start_time_min", format_rfc3339_ns(search.start_us.saturating_mul(NS_PER_US))));
    pairs.push(("query.start_time_max", format_rfc3339_ns(search.end_us.saturating_mul(NS_PER_US))));
    if let Some(min) = &search.min_duration {
        pairs.push(("query.duration_min", min.clone()));
    }
    if let Some(max) = &search.max_duration {
        pairs.push(("query.duration_max", max.clone()));
    }
    pairs.push(("query.search_depth", search.limit.to_string()));
    if !search.tags.is_empty() {
        pairs.push(("query.attributes", tags_json(&search.tags)));
    }
    pairs
}

/// The v3 search (`api/v3/traces`), full traces in OTLP JSON.
pub fn search_path_v3(search: &Search) -> String {
    with_query("api/v3/traces", &v3_query(search))
}

/// The v3 trace summaries (`api/v3/trace-summaries`): one small record per trace.
pub fn summaries_path(search: &Search) -> String {
    with_query("api/v3/trace-summaries", &v3_query(search))
}

/// One trace by id.
pub fn trace_path(version: ApiVersion, trace: TraceId) -> String {
    match version {
        ApiVersion::V1 => format!("api/traces/{}", trace.to_hex()),
        ApiVersion::V3 => format!("api/v3/traces/{}", trace.to_hex()),
    }
}

/// Service dependencies over the `lookback_ms` before `end_ms` (v1 only; v3 has no such route).
pub fn dependencies_path(end_ms: i64, lookback_ms: i64) -> String {
    with_query("api/dependencies", &[("endTs", end_ms.to_string()), ("lookback", lookback_ms.to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search() -> Search {
        Search {
            service: "frontend".into(),
            operation: Some("HTTP GET /dispatch".into()),
            tags: vec![("error".into(), "true".into()), ("db.statement".into(), "SELECT 1".into())],
            start_us: 1_767_225_600_000_000,
            end_us: 1_767_229_200_000_000,
            min_duration: Some("100ms".into()),
            max_duration: None,
            limit: 20,
        }
    }

    #[test]
    fn v1_search_speaks_microseconds_and_a_json_tag_map() {
        assert_eq!(
            search_path_v1(&search()),
            "api/traces?service=frontend&operation=HTTP+GET+%2Fdispatch\
             &tags=%7B%22db.statement%22%3A%22SELECT+1%22%2C%22error%22%3A%22true%22%7D\
             &start=1767225600000000&end=1767229200000000&limit=20&minDuration=100ms"
        );
    }

    #[test]
    fn v3_search_speaks_rfc3339_and_snake_case() {
        let path = search_path_v3(&search());
        assert!(path.starts_with("api/v3/traces?query.service_name=frontend&query.operation_name=HTTP+GET+%2Fdispatch"));
        assert!(path.contains("query.start_time_min=2026-01-01T00%3A00%3A00.000000000Z"));
        assert!(path.contains("query.start_time_max=2026-01-01T01%3A00%3A00.000000000Z"));
        assert!(path.contains("query.duration_min=100ms&query.search_depth=20&query.attributes=%7B"));
        assert!(summaries_path(&search()).starts_with("api/v3/trace-summaries?query.service_name=frontend"));
    }

    #[test]
    fn names_are_escaped_in_paths() {
        assert_eq!(operations_path(ApiVersion::V1, "a/b c"), "api/services/a%2Fb%20c/operations");
        assert_eq!(operations_path(ApiVersion::V3, "a/b c"), "api/v3/operations?service=a%2Fb+c");
        let id = TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").unwrap_or_default();
        assert_eq!(trace_path(ApiVersion::V3, id), "api/v3/traces/4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(dependencies_path(1_000, 3_600_000), "api/dependencies?endTs=1000&lookback=3600000");
    }
}
