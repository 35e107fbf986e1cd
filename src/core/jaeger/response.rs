//! Reading what a Jaeger query service answers: the v1 envelope `{"data", "errors"}`, the v3
//! shapes (`{"services"}`, `{"operations"}`, `{"result": TracesData}`, `{"summaries"}`) and
//! both error shapes (v1 `errors: [{code, msg}]`, v3 `{"error": {"httpCode", "message"}}`).
//! Traces themselves are read by the importers; everything here is the small stuff around them.

use serde::Deserialize;

use crate::core::import::ids::trace_id;
use crate::core::import::json::LenientI64;
use crate::core::jaeger::request::ApiVersion;
use crate::core::jaeger::summary::TraceSummary;

/// One operation of a service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Operation {
    /// Its name.
    pub name: String,
    /// `server`, `client`, ... or empty.
    pub span_kind: String,
}

/// One edge of Jaeger's dependency graph.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Dependency {
    /// Calling service.
    pub parent: String,
    /// Called service.
    pub child: String,
    /// Calls in the window.
    pub call_count: u64,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default = "Option::default")]
    data: Option<T>,
    #[serde(default)]
    errors: Option<Vec<V1Error>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct V1Error {
    code: Option<i64>,
    msg: Option<String>,
}

#[derive(Deserialize)]
struct V3ErrorBody {
    error: V3Error,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct V3Error {
    http_code: Option<i64>,
    message: Option<String>,
}

/// Jaeger's own words about a failure, from either error shape; `None` when `body` is not a
/// Jaeger error (an HTML page, a proxy's text).
pub fn jaeger_error(body: &str) -> Option<String> {
    if let Ok(v3) = serde_json::from_str::<V3ErrorBody>(body.trim()) {
        return Some(v3.error.message.unwrap_or_else(|| match v3.error.http_code {
            Some(code) => format!("error {code}"),
            None => "an error without a message".to_owned(),
        }));
    }
    let envelope: Envelope<serde::de::IgnoredAny> = serde_json::from_str(body.trim()).ok()?;
    let errors = envelope.errors.filter(|errors| !errors.is_empty())?;
    Some(
        errors
            .iter()
            .map(|error| match (&error.msg, error.code) {
                (Some(msg), _) => msg.clone(),
                (None, Some(code)) => format!("error {code}"),
                (None, None) => "an error without a message".to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Whether a search answer means "nothing matched": v3 answers 404 with a Jaeger error
/// (`No traces found`, or trace-not-found from older storage).
pub fn is_no_traces_found(status: u16, body: &str) -> bool {
    status == 404
        && jaeger_error(body).is_some_and(|message| {
            let message = message.to_ascii_lowercase();
            message.contains("not found") || message.contains("no traces found")
        })
}

fn invalid(what: &str, error: serde_json::Error) -> String {
    format!("the answer is not Jaeger's {what} ({error})")
}

/// Why an answer that should be JSON from Jaeger is clearly something else, in words that point
/// at the usual cause; `None` when it could be Jaeger's.
pub fn not_jaeger(body: &str) -> Option<String> {
    let start = body.trim_start();
    let looks_like_html =
        start.starts_with('<') || start.get(..15).is_some_and(|head| head.eq_ignore_ascii_case("<!doctype html>"));
    looks_like_html.then(|| {
        "no Jaeger query service answered: the server sent a web page instead (check `jaeger.url` in config.json, \
         or that the proxy or ingress routes api/ to Jaeger's query service)"
            .to_owned()
    })
}

/// Reads a v1 envelope's `data`; the envelope's errors are the error.
fn v1_data<'a, T: Deserialize<'a>>(what: &str, body: &'a str) -> Result<T, String> {
    let envelope: Envelope<T> = serde_json::from_str(body).map_err(|error| invalid(what, error))?;
    if let Some(errors) = envelope.errors.filter(|errors| !errors.is_empty()) {
        let text: Vec<String> = errors.into_iter().filter_map(|error| error.msg).collect();
        return Err(format!("Jaeger reported: {}", text.join("; ")));
    }
    envelope.data.ok_or_else(|| format!("the answer has no {what}"))
}

/// The service names, sorted.
pub fn parse_services(version: ApiVersion, body: &str) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct V3 {
        #[serde(default)]
        services: Vec<String>,
    }
    if let Some(why) = not_jaeger(body) {
        return Err(why);
    }
    let mut services = match version {
        ApiVersion::V1 => v1_data::<Option<Vec<String>>>("service list", body)?.unwrap_or_default(),
        ApiVersion::V3 => serde_json::from_str::<V3>(body).map_err(|error| invalid("service list", error))?.services,
    };
    services.sort();
    services.dedup();
    Ok(services)
}

/// Whether `body` is an API v3 service list (how v3 is told from v1 at first use: a v1-only
/// Jaeger answers `api/v3/services` with an error or its UI's HTML).
pub fn is_v3_services(body: &str) -> bool {
    #[derive(Deserialize)]
    struct V3 {
        #[allow(dead_code)]
        services: Option<Vec<String>>,
    }
    serde_json::from_str::<V3>(body).is_ok_and(|v3| v3.services.is_some())
}

/// The operations of a service, sorted by name: v1 gives names (`api/services/{s}/operations`)
/// or `{name, spanKind}` records (`api/operations`), v3 gives records.
pub fn parse_operations(version: ApiVersion, body: &str) -> Result<Vec<Operation>, String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Item {
        Name(String),
        Record(Operation),
    }
    #[derive(Deserialize)]
    struct V3 {
        #[serde(default)]
        operations: Vec<Operation>,
    }
    let mut operations: Vec<Operation> = match version {
        ApiVersion::V1 => v1_data::<Option<Vec<Item>>>("operation list", body)?
            .unwrap_or_default()
            .into_iter()
            .map(|item| match item {
                Item::Name(name) => Operation { name, span_kind: String::new() },
                Item::Record(record) => record,
            })
            .collect(),
        ApiVersion::V3 => {
            serde_json::from_str::<V3>(body).map_err(|error| invalid("operation list", error))?.operations
        }
    };
    operations.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.span_kind.cmp(&b.span_kind)));
    operations.dedup_by(|a, b| a.name == b.name);
    Ok(operations)
}

/// The dependency edges (`api/dependencies`).
pub fn parse_dependencies(body: &str) -> Result<Vec<Dependency>, String> {
    Ok(v1_data::<Option<Vec<Dependency>>>("dependency list", body)?.unwrap_or_default())
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireService {
    name: String,
    span_count: u32,
    error_span_count: u32,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct WireSummary {
    #[serde(alias = "traceID", alias = "trace_id")]
    trace_id: String,
    root_service_name: String,
    root_operation_name: String,
    min_start_time_unix_nano: Option<LenientI64>,
    max_end_time_unix_nano: Option<LenientI64>,
    span_count: u32,
    error_span_count: u32,
    services: Vec<WireService>,
}

/// The results of `api/v3/trace-summaries` (`{"summaries": [...]}`, also inside `result`).
/// `None` when the body is not that shape (a Jaeger without the route answers with its UI's
/// HTML or a plain 404), so the caller falls back to a full search.
pub fn parse_summaries(body: &str) -> Option<Vec<TraceSummary>> {
    #[derive(Deserialize)]
    struct Summaries {
        summaries: Option<Vec<WireSummary>>,
        result: Option<Box<Summaries>>,
    }
    let parsed: Summaries = serde_json::from_str(body).ok()?;
    let list = match (parsed.summaries, parsed.result) {
        (Some(list), _) => list,
        (None, Some(inner)) => inner.summaries?,
        (None, None) => return None,
    };
    Some(
        list.into_iter()
            .map(|wire| {
                let mut summary = TraceSummary {
                    trace_id: trace_id(&wire.trace_id).0,
                    root_service: wire.root_service_name,
                    root_operation: wire.root_operation_name,
                    start_ns: wire.min_start_time_unix_nano.and_then(|t| t.value()).unwrap_or(0),
                    end_ns: wire.max_end_time_unix_nano.and_then(|t| t.value()).unwrap_or(0),
                    span_count: wire.span_count,
                    error_count: wire.error_span_count,
                    services: wire.services.into_iter().map(|s| (s.name, s.span_count, s.error_span_count)).collect(),
                };
                summary.sort_services();
                summary
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_in_both_versions() {
        let v1 = r#"{"data":["route","frontend","driver"],"total":3,"limit":0,"offset":0,"errors":null}"#;
        assert_eq!(parse_services(ApiVersion::V1, v1).unwrap(), ["driver", "frontend", "route"]);
        assert_eq!(parse_services(ApiVersion::V3, r#"{"services":["b","a"]}"#).unwrap(), ["a", "b"]);
        assert!(is_v3_services(r#"{"services":[]}"#));
        assert!(!is_v3_services("<!doctype html><html>"));
        assert!(!is_v3_services(r#"{"data":["a"]}"#));
        let html = parse_services(ApiVersion::V1, "<!doctype html><html><body>Traceglass</body></html>").unwrap_err();
        assert!(html.starts_with("no Jaeger query service answered") && html.contains("jaeger.url"), "{html}");
    }

    #[test]
    fn operations_as_names_or_records() {
        let names =
            r#"{"data":["HTTP GET /dispatch","HTTP GET /config"],"total":2,"limit":0,"offset":0,"errors":null}"#;
        let read = parse_operations(ApiVersion::V1, names).unwrap();
        assert_eq!(read[0].name, "HTTP GET /config");
        let records = r#"{"operations":[{"name":"/Dispatch","spanKind":"server"}]}"#;
        assert_eq!(parse_operations(ApiVersion::V3, records).unwrap()[0].span_kind, "server");
    }

    #[test]
    fn errors_in_both_shapes() {
        let v1 = r#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":500,"msg":"storage is down"}]}"#;
        assert_eq!(jaeger_error(v1).as_deref(), Some("storage is down"));
        assert_eq!(parse_services(ApiVersion::V1, v1).unwrap_err(), "Jaeger reported: storage is down");
        let v3 = "{\"error\":{\"httpCode\":404,\"message\":\"No traces found\"}}\n";
        assert!(is_no_traces_found(404, v3));
        assert!(!is_no_traces_found(404, "404 page not found"));
        assert!(!is_no_traces_found(500, v3));
        assert_eq!(jaeger_error("<html>"), None);
    }

    #[test]
    fn dependencies_and_summaries() {
        let deps =
            r#"{"data":[{"parent":"frontend","child":"driver","callCount":12,"source":"jaeger"}],"errors":null}"#;
        assert_eq!(
            parse_dependencies(deps).unwrap(),
            [Dependency { parent: "frontend".into(), child: "driver".into(), call_count: 12 }]
        );
        let body = r#"{"summaries":[{"traceId":"00000000000000000000000000000abc","rootServiceName":"frontend",
            "rootOperationName":"HTTP GET /dispatch","minStartTimeUnixNano":"1767225600000000000",
            "maxEndTimeUnixNano":"1767225600750000000","spanCount":40,"errorSpanCount":3,"orphanSpanCount":0,
            "services":[{"name":"redis","spanCount":14,"errorSpanCount":3},{"name":"frontend","spanCount":20}]}]}"#;
        let read = parse_summaries(body).unwrap();
        assert_eq!(read[0].duration_ns(), 750_000_000);
        assert_eq!(read[0].services[0], ("frontend".to_owned(), 20, 0));
        assert_eq!(read[0].trace_id.to_hex(), "00000000000000000000000000000abc");
        assert!(parse_summaries("<!doctype html>").is_none());
        assert!(parse_summaries(r#"{"result":{"resourceSpans":[]}}"#).is_none());
    }
}
