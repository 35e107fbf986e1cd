//! Talking to a Jaeger query service, the pure half: which endpoints may be contacted, the
//! search form and its checks, the request paths of API v1 and v3, and reading the answers.
//! The HTTP calls themselves are `io::jaeger_api`; traces in the answers go to the importers.

pub mod durations;
pub mod endpoint;
pub mod logfmt;
pub mod request;
pub mod response;
pub mod search;
pub mod summary;

pub use endpoint::{api_url, choose, endpoints, Endpoint};
pub use request::ApiVersion;
pub use search::{Search, SearchForm};
pub use summary::{summaries_of, summary_of, SummaryOrder, TraceSummary};
