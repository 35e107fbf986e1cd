//! Everything the UI does with a Jaeger query service: which endpoint is in use (header picker,
//! `?jaeger=<name>`), the detected API version, opening a trace by id, the search page and the
//! dependency graph's source.

mod chart;
mod endpoint_picker;
mod results;
mod search_page;
mod trace_id_box;

pub use endpoint_picker::EndpointPicker;
pub use search_page::SearchPage;
pub use trace_id_box::TraceIdBox;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::config::Config;
use crate::core::jaeger::{choose, endpoints, ApiVersion, Endpoint};
use crate::core::model::TraceId;
use crate::io::engine::{fetched_source, EngineSource};
use crate::io::jaeger_api::{ApiError, JaegerClient, TraceBody};
use crate::io::url_state::{query_value, replace_query};
use crate::ui::deep_link::open_when_loaded;
use crate::ui::load::load_fetched;
use crate::ui::state::{with_app_owner, CurrentPage, Notices, Page, Progress};

/// The query parameter naming the endpoint in links.
const ENDPOINT_PARAM: &str = "jaeger";
/// The query parameter saying the open trace came from Jaeger (so a reload fetches it again).
pub const SOURCE_PARAM: &str = "source";

/// The Jaeger endpoints of the site and the one in use.
#[derive(Clone, Copy)]
pub struct JaegerContext {
    /// The configured endpoints, the default first.
    pub endpoints: RwSignal<Vec<Endpoint>>,
    /// The index of the endpoint in use.
    pub current: RwSignal<usize>,
    /// The API version the endpoint in use speaks, once known.
    pub version: RwSignal<Option<ApiVersion>>,
    /// Whether `config.json` has been read (until then the endpoints are the defaults).
    pub configured: RwSignal<bool>,
    clients: StoredValue<Vec<JaegerClient>, LocalStorage>,
}

/// A client per endpoint of `list`.
fn clients_of(list: &[Endpoint], credentials: &str) -> Vec<JaegerClient> {
    list.iter().map(|endpoint| JaegerClient::new(endpoint.clone(), credentials)).collect()
}

/// Provides [`JaegerContext`] with the default endpoint until the configuration is read.
pub fn provide_jaeger() {
    let config = Config::default();
    let list = endpoints(&config.jaeger);
    provide_context(JaegerContext {
        clients: StoredValue::new_local(clients_of(&list, &config.jaeger.credentials)),
        endpoints: RwSignal::new(list),
        current: RwSignal::new(0),
        version: RwSignal::new(None),
        configured: RwSignal::new(false),
    });
}

impl JaegerContext {
    /// Takes the endpoints from `config` and the address's choice among them; returns a note
    /// when the address names an endpoint the site does not configure.
    pub fn configure(&self, config: &Config) -> Option<String> {
        let list = endpoints(&config.jaeger);
        let (index, note) = choose(&list, query_value(ENDPOINT_PARAM).as_deref());
        self.clients.set_value(clients_of(&list, &config.jaeger.credentials));
        self.endpoints.set(list);
        self.select(index);
        self.configured.set(true);
        note
    }

    /// Switches to endpoint `index` and keeps the choice in the address.
    pub fn select(&self, index: usize) {
        let name = self.endpoints.with_untracked(|list| list.get(index).map(|endpoint| endpoint.name.clone()));
        let Some(name) = name else { return };
        self.current.set(index);
        self.version.set(self.client_untracked().and_then(|client| client.detected_version()));
        replace_query(&[(ENDPOINT_PARAM, (index > 0).then_some(name))]);
    }

    /// The client of the endpoint in use, once the configuration is read (tracks the choice).
    pub fn client(&self) -> Option<JaegerClient> {
        if !self.configured.get() {
            return None;
        }
        let index = self.current.get();
        self.clients.with_value(|clients| clients.get(index).cloned())
    }

    /// The client of the endpoint in use, without tracking.
    pub fn client_untracked(&self) -> Option<JaegerClient> {
        let index = self.current.get_untracked();
        self.clients.with_value(|clients| clients.get(index).cloned())
    }

    /// Records the version `client` detected, if it is still the one in use.
    pub fn note_version(&self, client: &JaegerClient) {
        let same = self.client_untracked().is_some_and(|current| current.endpoint() == client.endpoint());
        if same && client.detected_version().is_some() {
            self.version.set(client.detected_version());
        }
    }
}

/// Shows the traces page, fetches trace `trace` from the endpoint in use, loads it beside what
/// is loaded and opens it.
pub fn open_jaeger_trace(trace: TraceId) {
    expect_context::<CurrentPage>().0.set(Page::Traces);
    fetch_jaeger_trace(trace, true);
}

/// Fetches trace `trace` and loads it; `open` opens it once loaded (a reloaded deep link
/// opens its own view instead).
pub fn fetch_jaeger_trace(trace: TraceId, open: bool) {
    let jaeger = expect_context::<JaegerContext>();
    let notices = expect_context::<Notices>();
    let Some(client) = jaeger.client_untracked() else { return };
    notices.cancel.set(false);
    notices.progress.set(Progress::default());
    notices.loading.set(true);
    spawn_local(async move {
        let source = match client.trace(trace, None).await {
            Ok(TraceBody { url, stream, expected_bytes, credentials }) => {
                fetched_source(url, stream, expected_bytes, credentials).await
            }
            Err(ApiError::Http { url, status: 404, .. }) => {
                EngineSource::Unreadable { name: url, why: format!("Jaeger has no trace {}", trace.to_hex()) }
            }
            Err(error) => {
                EngineSource::Unreadable { name: format!("Trace {}", trace.to_hex()), why: error.to_string() }
            }
        };
        let run = move || {
            jaeger.note_version(&client);
            if !matches!(source, EngineSource::Unreadable { .. }) && open {
                open_when_loaded(trace);
                replace_query(&[(SOURCE_PARAM, Some("jaeger".to_owned()))]);
            }
            load_fetched(vec![source]);
        };
        with_app_owner(run)
    });
}
