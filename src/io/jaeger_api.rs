//! The Jaeger query service over HTTP: capability detection (API v3, else v1, remembered per
//! endpoint for the session), the calls the search page and the dependency graph make, and
//! failures told apart (unreachable host, refused cross-origin request, HTTP status with
//! Jaeger's message, invalid answer). Paths and parsing are `core::jaeger`.
//!
//! Every call takes an `AbortSignal`, so a new search or leaving the page cancels the one
//! before.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use gloo_net::http::{Request, Response};
use web_sys::{AbortController, AbortSignal, RequestCredentials, RequestMode};

use crate::core::jaeger::endpoint::api_url;
use crate::core::jaeger::request::{
    dependencies_path, operations_path, search_path_v1, search_path_v3, services_path, summaries_path, trace_path,
};
use crate::core::jaeger::response::{
    is_no_traces_found, is_v3_services, jaeger_error, parse_dependencies, parse_operations, parse_services,
    parse_summaries, Dependency, Operation,
};
use crate::core::jaeger::{ApiVersion, Endpoint, Search, TraceSummary};
use crate::core::model::TraceId;
use crate::io::engine_stream::announced_bytes;

/// Why a call to Jaeger failed, as the user is told.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// Cancelled by a newer request or by leaving the page; not shown.
    Aborted,
    /// No answer at all: the host is down, unknown, or blocked.
    Unreachable {
        /// The URL asked.
        url: String,
    },
    /// The host answered, but the browser refused the cross-origin answer (no CORS headers).
    CrossOrigin {
        /// The URL asked.
        url: String,
        /// The page's own origin.
        origin: String,
    },
    /// An HTTP error status.
    Http {
        /// The URL asked.
        url: String,
        /// The status code.
        status: u16,
        /// Jaeger's own message, when the body was a Jaeger error.
        message: Option<String>,
    },
    /// An answer that is not what Jaeger sends.
    Invalid {
        /// The URL asked.
        url: String,
        /// What was wrong.
        why: String,
    },
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Aborted => f.write_str("The request was cancelled."),
            ApiError::Unreachable { url } => {
                write!(f, "{url}: the Jaeger query service could not be reached (no answer from the host).")
            }
            ApiError::CrossOrigin { url, origin } => write!(
                f,
                "{url}: the browser refused the cross-origin answer (the server sent no CORS headers for {origin}). \
                 Serve Traceglass from the same origin as Jaeger (through the ingress, or `make run` with \
                 JAEGER_URL for its /api/ proxy), or add {origin} to the Jaeger query service's CORS \
                 allowed_origins."
            ),
            ApiError::Http { url, status, message } => match message {
                Some(message) => write!(f, "{url}: HTTP {status}: Jaeger says \"{message}\"."),
                None => write!(f, "{url}: HTTP {status}."),
            },
            ApiError::Invalid { url, why } => write!(f, "{url}: {why}."),
        }
    }
}

/// What a search found: summaries only (API v3 `trace-summaries`), or whole traces to import.
pub enum SearchAnswer {
    /// One record per trace; a trace is fetched when opened.
    Summaries(Vec<TraceSummary>),
    /// The traces themselves, as the server sends them (Jaeger JSON or OTLP JSON): the answer,
    /// its body not read yet.
    Traces(TraceBody),
    /// Nothing matched.
    Empty,
}

/// A trace's answer whose body is still to be read.
pub struct TraceBody {
    /// The URL, as the source's name and to fetch it again.
    pub url: String,
    /// The body.
    pub stream: web_sys::ReadableStream,
    /// Its length, if the answer announced it (see `engine_stream::announced_bytes`).
    pub expected_bytes: Option<u64>,
    /// The credentials it was fetched with.
    pub credentials: RequestCredentials,
}

/// A new abort controller (the previous one of a view is aborted when replaced).
pub fn abort_controller() -> Option<AbortController> {
    AbortController::new().ok()
}

/// A client of one endpoint. Cheap to clone; clones share what was detected.
#[derive(Clone)]
pub struct JaegerClient {
    endpoint: Endpoint,
    credentials: RequestCredentials,
    version: Rc<Cell<Option<ApiVersion>>>,
    /// Whether `api/v3/trace-summaries` exists (unknown until tried).
    summaries: Rc<Cell<Option<bool>>>,
}

impl JaegerClient {
    /// A client of `endpoint`; `credentials` is `include` or `same-origin` (the default).
    pub fn new(endpoint: Endpoint, credentials: &str) -> Self {
        let credentials = match credentials.trim() {
            "include" => RequestCredentials::Include,
            "omit" => RequestCredentials::Omit,
            _ => RequestCredentials::SameOrigin,
        };
        Self { endpoint, credentials, version: Rc::new(Cell::new(None)), summaries: Rc::new(Cell::new(None)) }
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The API version, once detected.
    pub fn detected_version(&self) -> Option<ApiVersion> {
        self.version.get()
    }

    fn url(&self, path: &str) -> String {
        api_url(&self.endpoint.url, path)
    }

    /// GETs `path`; any HTTP status is an answer here.
    async fn get(&self, path: &str, signal: Option<&AbortSignal>) -> Result<(String, u16, Vec<u8>), ApiError> {
        let (url, response) = self.send(path, signal).await?;
        let status = response.status();
        let bytes = match response.binary().await {
            Ok(bytes) => bytes,
            Err(_) if signal.is_some_and(AbortSignal::aborted) => return Err(ApiError::Aborted),
            Err(error) => {
                return Err(ApiError::Invalid { url, why: format!("the answer could not be read ({error})") })
            }
        };
        Ok((url, status, bytes))
    }

    /// GETs `path`: (URL, the answer, its body unread).
    async fn send(&self, path: &str, signal: Option<&AbortSignal>) -> Result<(String, Response), ApiError> {
        let url = self.url(path);
        let request = Request::get(&url).credentials(self.credentials).abort_signal(signal);
        match request.send().await {
            Ok(response) => Ok((url, response)),
            Err(_) if signal.is_some_and(AbortSignal::aborted) => Err(ApiError::Aborted),
            Err(_) => Err(self.why_unanswered(&url).await),
        }
    }

    /// Tells an unreachable host from a refused cross-origin answer: an opaque (`no-cors`)
    /// request reaches a host that answers, whatever its CORS headers.
    async fn why_unanswered(&self, url: &str) -> ApiError {
        let Some((origin, target_origin)) = origins(url) else {
            return ApiError::Unreachable { url: url.to_owned() };
        };
        if origin == target_origin {
            return ApiError::Unreachable { url: url.to_owned() };
        }
        match Request::get(url).mode(RequestMode::NoCors).credentials(self.credentials).send().await {
            Ok(_) => ApiError::CrossOrigin { url: url.to_owned(), origin },
            Err(_) => ApiError::Unreachable { url: url.to_owned() },
        }
    }

    /// GETs `path` and expects success: the body as text.
    async fn get_ok(&self, path: &str, signal: Option<&AbortSignal>) -> Result<(String, String), ApiError> {
        let (url, status, bytes) = self.get(path, signal).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if !(200..300).contains(&status) {
            return Err(ApiError::Http { url, status, message: jaeger_error(&text) });
        }
        Ok((url, text))
    }

    /// Which API the endpoint speaks: v3 when `api/v3/services` answers with a service list,
    /// else v1. Asked once per client.
    pub async fn version(&self, signal: Option<&AbortSignal>) -> Result<ApiVersion, ApiError> {
        Ok(self.detect(signal).await?.0)
    }

    /// The version, and when this call had to find it out, the service list answer it got on the
    /// way: (URL, body) of the version's `services` path, so the list is not asked twice.
    async fn detect(&self, signal: Option<&AbortSignal>) -> Result<(ApiVersion, Option<(String, String)>), ApiError> {
        if let Some(version) = self.version.get() {
            return Ok((version, None));
        }
        let (url, status, bytes) = self.get(&services_path(ApiVersion::V3), signal).await?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (version, answer) = if (200..300).contains(&status) && is_v3_services(&text) {
            (ApiVersion::V3, (url, text))
        } else {
            // v1 must be there, so a failure names the right URL.
            (ApiVersion::V1, self.get_ok(&services_path(ApiVersion::V1), signal).await?)
        };
        self.version.set(Some(version));
        Ok((version, Some(answer)))
    }

    /// The services, sorted.
    pub async fn services(&self, signal: Option<&AbortSignal>) -> Result<Vec<String>, ApiError> {
        let (version, answer) = match self.detect(signal).await? {
            (version, Some(answer)) => (version, answer),
            (version, None) => (version, self.get_ok(&services_path(version), signal).await?),
        };
        let (url, text) = answer;
        parse_services(version, &text).map_err(|why| ApiError::Invalid { url, why })
    }

    /// The operations of `service`, sorted.
    pub async fn operations(&self, service: &str, signal: Option<&AbortSignal>) -> Result<Vec<Operation>, ApiError> {
        let version = self.version(signal).await?;
        let (url, text) = self.get_ok(&operations_path(version, service), signal).await?;
        parse_operations(version, &text).map_err(|why| ApiError::Invalid { url, why })
    }

    /// Runs a search: API v3 summaries when the endpoint has them, else whole traces.
    pub async fn search(&self, search: &Search, signal: Option<&AbortSignal>) -> Result<SearchAnswer, ApiError> {
        let version = self.version(signal).await?;
        if version == ApiVersion::V3 && self.summaries.get() != Some(false) {
            let (url, status, bytes) = self.get(&summaries_path(search), signal).await?;
            let text = String::from_utf8_lossy(&bytes);
            if (200..300).contains(&status) {
                if let Some(list) = parse_summaries(&text) {
                    self.summaries.set(Some(true));
                    return Ok(if list.is_empty() { SearchAnswer::Empty } else { SearchAnswer::Summaries(list) });
                }
            } else if is_no_traces_found(status, &text) {
                self.summaries.set(Some(true));
                return Ok(SearchAnswer::Empty);
            } else if status >= 500 {
                return Err(ApiError::Http { url, status, message: jaeger_error(&text) });
            }
            // No such route on this Jaeger: search for whole traces from now on.
            self.summaries.set(Some(false));
        }
        let path = match version {
            ApiVersion::V1 => search_path_v1(search),
            ApiVersion::V3 => search_path_v3(search),
        };
        let (url, response) = self.send(&path, signal).await?;
        let status = response.status();
        if (200..300).contains(&status) {
            return self.body(url, response).map(SearchAnswer::Traces);
        }
        let text = response.text().await.unwrap_or_default();
        if is_no_traces_found(status, &text) {
            return Ok(SearchAnswer::Empty);
        }
        Err(ApiError::Http { url, status, message: jaeger_error(&text) })
    }

    /// One whole trace, its body not read yet: the engine's worker reads it as it arrives.
    pub async fn trace(&self, trace: TraceId, signal: Option<&AbortSignal>) -> Result<TraceBody, ApiError> {
        let version = self.version(signal).await?;
        let (url, response) = self.send(&trace_path(version, trace), signal).await?;
        let status = response.status();
        if !(200..300).contains(&status) {
            let text = response.text().await.unwrap_or_default();
            return Err(ApiError::Http { url, status, message: jaeger_error(&text) });
        }
        self.body(url, response)
    }

    /// A successful answer from `url`, its body not read yet.
    fn body(&self, url: String, response: Response) -> Result<TraceBody, ApiError> {
        let raw = web_sys::Response::from(response);
        let Some(stream) = raw.body() else {
            return Err(ApiError::Invalid { url, why: "the answer had no body".to_owned() });
        };
        let expected_bytes = announced_bytes(&raw);
        Ok(TraceBody { url, stream, expected_bytes, credentials: self.credentials })
    }

    /// Service dependencies over the `lookback_ms` before `end_ms` (always API v1).
    pub async fn dependencies(
        &self,
        end_ms: i64,
        lookback_ms: i64,
        signal: Option<&AbortSignal>,
    ) -> Result<Vec<Dependency>, ApiError> {
        let (url, text) = self.get_ok(&dependencies_path(end_ms, lookback_ms), signal).await?;
        parse_dependencies(&text).map_err(|why| ApiError::Invalid { url, why })
    }
}

/// (the page's origin, the origin of `url` resolved against the page).
fn origins(url: &str) -> Option<(String, String)> {
    let location = web_sys::window()?.location();
    let page = location.href().ok()?;
    let target = web_sys::Url::new_with_base(url, &page).ok()?;
    Some((location.origin().ok()?, target.origin()))
}
