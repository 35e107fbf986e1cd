//! The Jaeger search page: the form (service, operation, tags in logfmt, lookback or a custom
//! range, min and max duration, limit), kept in the page address so a search can be shared and
//! reloaded; the results as a durations chart and a sortable list. A new search, a new endpoint
//! or leaving the page aborts the request in flight.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use crate::core::jaeger::response::Operation;
use crate::core::jaeger::search::{CUSTOM, LOOKBACKS};
use crate::core::jaeger::{summaries_of, SearchForm, TraceSummary};
use crate::io::download::{save_blob, save_text};
use crate::io::engine::{fetched_source, import_apart, warm_up};
use crate::io::jaeger_api::{abort_controller, ApiError, SearchAnswer, TraceBody};
use crate::io::url_state::{query_value, replace_query};
use crate::ui::jaeger::results::SearchResults;
use crate::ui::jaeger::JaegerContext;
use crate::ui::state::Settings;

/// Where a search stands.
#[derive(Clone)]
enum Outcome {
    /// Nothing asked yet.
    Idle,
    /// A request is in flight.
    Running,
    /// The traces found (possibly none), and what the download button saves.
    Found { summaries: Arc<Vec<TraceSummary>>, download: Download, notes: Vec<String> },
    /// The search failed; the sentence names the URL and why.
    Failed(String),
}

/// What "Download results" saves.
#[derive(Clone)]
enum Download {
    /// The summaries, as JSON.
    Text(Arc<String>),
    /// The traces as the server sent them, kept by the browser (not in the page's memory).
    Answer(Arc<SendWrapper<web_sys::Blob>>),
}

impl Download {
    /// Offers it as the file `name`.
    fn save(&self, name: &str) {
        match self {
            Download::Text(text) => save_text(name, text),
            Download::Answer(blob) => save_blob(name, blob),
        }
    }
}

/// Starts keeping `stream` (a branch of an answer's body) as a Blob; the future gives it once
/// the body has come.
fn keep_answer(stream: &web_sys::ReadableStream) -> Option<JsFuture> {
    let response = web_sys::Response::new_with_opt_readable_stream(Some(stream)).ok()?;
    response.blob().ok().map(JsFuture::from)
}

/// Milliseconds since the epoch, from the browser's clock.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A `datetime-local` value (the viewer's time zone) as µs since the epoch.
fn local_input_to_us(text: &str) -> Option<i64> {
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(text)).get_time();
    (!ms.is_nan() && !text.is_empty()).then_some((ms * 1000.0) as i64)
}

/// µs since the epoch as a `datetime-local` value.
fn us_to_local_input(us: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(us as f64 / 1000.0));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// The options of a name list with `chosen` selected; a chosen name the list lacks (from a
/// shared link, before the list has loaded) is kept as the first option.
fn name_options(mut names: Vec<String>, chosen: String) -> impl IntoView {
    if !chosen.is_empty() && !names.contains(&chosen) {
        names.insert(0, chosen.clone());
    }
    names
        .into_iter()
        .map(|name| {
            let selected = name == chosen;
            view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
        })
        .collect_view()
}

/// Replaces the abort controller in `slot`, aborting the request it guarded.
fn fresh_signal(slot: StoredValue<Option<AbortController>, LocalStorage>) -> Option<web_sys::AbortSignal> {
    let controller = abort_controller();
    let signal = controller.as_ref().map(AbortController::signal);
    let previous = slot.try_update_value(|slot| std::mem::replace(slot, controller)).flatten();
    if let Some(previous) = previous {
        previous.abort();
    }
    signal
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let jaeger = expect_context::<JaegerContext>();
    let settings = expect_context::<Settings>();
    let initial = SearchForm::from_params(query_value, &settings.0.get_untracked().jaeger);
    let run_at_start = !initial.service.is_empty();
    let form = RwSignal::new(initial);
    let services = RwSignal::new(Vec::<String>::new());
    let operations = RwSignal::new(Vec::<Operation>::new());
    let services_problem = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<String>::new());
    let outcome = RwSignal::new(Outcome::Idle);
    let lists_request = StoredValue::new_local(None::<AbortController>);
    let operations_request = StoredValue::new_local(None::<AbortController>);
    let services_loading = RwSignal::new(true);
    let search_request = StoredValue::new_local(None::<AbortController>);
    on_cleanup(move || {
        for slot in [lists_request, operations_request, search_request] {
            if let Some(Some(controller)) = slot.try_update_value(Option::take) {
                controller.abort();
            }
        }
    });

    // The services of the endpoint in use (again when it changes).
    Effect::new(move |_| {
        let Some(client) = jaeger.client() else { return };
        let signal = fresh_signal(lists_request);
        services_problem.set(None);
        services_loading.set(true);
        spawn_local(async move {
            let answer = client.services(signal.as_ref()).await;
            jaeger.note_version(&client);
            if !matches!(answer, Err(ApiError::Aborted)) {
                services_loading.set(false);
            }
            match answer {
                Ok(list) => services.set(list),
                Err(ApiError::Aborted) => {}
                Err(error) => services_problem.set(Some(error.to_string())),
            }
        });
    });
    // The operations of the chosen service (only when the service changes).
    let chosen_service = Memo::new(move |_| form.with(|form| form.service.clone()));
    let chosen_operation = Memo::new(move |_| form.with(|form| form.operation.clone()));
    Effect::new(move |_| {
        let service = chosen_service.get();
        let Some(client) = jaeger.client() else { return };
        operations.set(Vec::new());
        if service.is_empty() {
            return;
        }
        let signal = fresh_signal(operations_request);
        spawn_local(async move {
            if let Ok(list) = client.operations(&service, signal.as_ref()).await {
                operations.set(list);
            }
        });
    });

    let search = move || {
        let typed = form.get_untracked();
        let checked = typed.check((now_ms() * 1000.0) as i64);
        replace_query(&typed.to_params());
        let search = match checked {
            Ok(search) => search,
            Err(list) => {
                problems.set(list);
                return;
            }
        };
        problems.set(Vec::new());
        let Some(client) = jaeger.client_untracked() else { return };
        let signal = fresh_signal(search_request);
        outcome.set(Outcome::Running);
        spawn_local(async move {
            let answer = client.search(&search, signal.as_ref()).await;
            jaeger.note_version(&client);
            let next = match answer {
                Err(ApiError::Aborted) => return,
                Err(error) => Outcome::Failed(error.to_string()),
                Ok(SearchAnswer::Empty) => Outcome::Found {
                    summaries: Arc::new(Vec::new()),
                    download: Download::Text(Arc::new(String::new())),
                    notes: Vec::new(),
                },
                Ok(SearchAnswer::Summaries(list)) => {
                    let download = serde_json::to_string_pretty(&summaries_json(&list)).unwrap_or_default();
                    Outcome::Found {
                        summaries: Arc::new(list),
                        download: Download::Text(Arc::new(download)),
                        notes: Vec::new(),
                    }
                }
                Ok(SearchAnswer::Traces(TraceBody { url, stream, expected_bytes, credentials })) => {
                    // One branch of the body goes to the engine's worker as it arrives (imported
                    // there, like every load; the page keeps the summaries), the other is kept by
                    // the browser for "Download results".
                    let branches = stream.tee();
                    let kept = keep_answer(&branches.get(1).unchecked_into());
                    let source = fetched_source(url, branches.get(0).unchecked_into(), expected_bytes, credentials);
                    let imported = import_apart(vec![source.await]).await;
                    warm_up();
                    let answer = match kept {
                        Some(kept) => kept.await.ok().and_then(|blob| blob.dyn_into::<web_sys::Blob>().ok()),
                        None => None,
                    };
                    let download = answer.map_or_else(
                        || Download::Text(Arc::new(String::new())),
                        |blob| Download::Answer(Arc::new(SendWrapper::new(blob))),
                    );
                    match imported {
                        Ok((set, found)) if found.imported > 0 => {
                            Outcome::Found { summaries: Arc::new(summaries_of(&set)), download, notes: found.alerts }
                        }
                        Ok((_, found)) => Outcome::Failed(found.alerts.join(" ")),
                        Err(why) => Outcome::Failed(format!("The traces could not be read: {why}")),
                    }
                }
            };
            // A newer search replaced this one while its traces were read.
            if signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
                return;
            }
            outcome.set(next);
        });
    };
    if run_at_start {
        // A shared search link runs its search once the endpoint is known.
        Effect::new(move |ran: Option<bool>| {
            if ran == Some(true) {
                return true;
            }
            if jaeger.client().is_none() {
                return false;
            }
            search();
            true
        });
    }

    let set_field = move |apply: fn(&mut SearchForm, String)| {
        move |event: leptos::ev::Event| {
            let value = event_target_value(&event);
            form.update(|form| apply(form, value));
        }
    };
    let custom = move || form.with(|form| form.lookback == CUSTOM);
    view! {
        <section class="search-page" aria-labelledby="search-title">
            <h1 id="search-title" class="page-title">"Search traces"</h1>
            <form
                class="search-form"
                on:submit=move |event| {
                    event.prevent_default();
                    search();
                }
            >
                <label class="field">
                    <span>"Service"</span>
                    <select
                        name="service"
                        aria-label="Service"
                        on:change=set_field(|form, value| {
                            form.service = value;
                            form.operation = String::new();
                        })
                    >
                        <option value="" selected=move || form.with(|form| form.service.is_empty())>
                            {move || {
                                if services_loading.get() {
                                    "Loading services…"
                                } else if services.with(Vec::is_empty) {
                                    "No services"
                                } else {
                                    "Choose a service"
                                }
                            }}
                        </option>
                        {move || name_options(services.get(), chosen_service.get())}
                    </select>
                </label>
                <label class="field">
                    <span>"Operation"</span>
                    <select name="operation"
                        aria-label="Operation"
                        on:change=set_field(|form, value| form.operation = value)>
                        <option value="" selected=move || form.with(|form| form.operation.is_empty())>"All"</option>
                        {move || {
                            let names = operations.get().into_iter().map(|op| op.name).collect();
                            name_options(names, chosen_operation.get())
                        }}
                    </select>
                </label>
                <label class="field wide">
                    <span>"Tags"</span>
                    <input
                        type="text"
                        name="tags"
                        aria-label="Tags"
                        placeholder="error=true http.status_code=500"
                        spellcheck="false"
                        prop:value=move || form.with(|form| form.tags.clone())
                        on:input=set_field(|form, value| form.tags = value)
                    />
                </label>
                <label class="field">
                    <span>"Lookback"</span>
                    <select name="lookback"
                        aria-label="Lookback"
                        on:change=set_field(|form, value| form.lookback = value)>
                        {LOOKBACKS
                            .iter()
                            .map(|(value, label)| {
                                view! {
                                    <option value=*value selected=move || form.with(|form| form.lookback == *value)>
                                        {*label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
                <Show when=custom>
                    <label class="field">
                        <span>"From"</span>
                        <input
                            type="datetime-local"
                            name="start"
                        aria-label="From"
                            prop:value=move || form.with(|form| form.start_us.map(us_to_local_input).unwrap_or_default())
                            on:change=move |event| {
                                let value = local_input_to_us(&event_target_value(&event));
                                form.update(|form| form.start_us = value);
                            }
                        />
                    </label>
                    <label class="field">
                        <span>"To"</span>
                        <input
                            type="datetime-local"
                            name="end"
                        aria-label="To"
                            prop:value=move || form.with(|form| form.end_us.map(us_to_local_input).unwrap_or_default())
                            on:change=move |event| {
                                let value = local_input_to_us(&event_target_value(&event));
                                form.update(|form| form.end_us = value);
                            }
                        />
                    </label>
                </Show>
                <label class="field narrow">
                    <span>"Min duration"</span>
                    <input
                        type="text"
                        name="minDuration"
                        aria-label="Min duration"
                        placeholder="e.g. 100ms"
                        prop:value=move || form.with(|form| form.min_duration.clone())
                        on:input=set_field(|form, value| form.min_duration = value)
                    />
                </label>
                <label class="field narrow">
                    <span>"Max duration"</span>
                    <input
                        type="text"
                        name="maxDuration"
                        aria-label="Max duration"
                        placeholder="e.g. 1.5s"
                        prop:value=move || form.with(|form| form.max_duration.clone())
                        on:input=set_field(|form, value| form.max_duration = value)
                    />
                </label>
                <label class="field narrow">
                    <span>"Limit"</span>
                    <input
                        type="number"
                        name="limit"
                        aria-label="Limit"
                        min="1"
                        max="1500"
                        prop:value=move || form.with(|form| form.limit.clone())
                        on:input=set_field(|form, value| form.limit = value)
                    />
                </label>
                <button type="submit" class="button primary">"Find traces"</button>
            </form>
            <ul class="alerts">
                {move || services_problem.get().map(|text| view! { <li class="alert" role="alert">{text}</li> })}
                {move || {
                    problems.get().into_iter().map(|text| view! { <li class="alert" role="alert">{text}</li> }).collect_view()
                }}
            </ul>
            {move || match outcome.get() {
                Outcome::Idle => None,
                Outcome::Running => Some(view! {
                    <p class="search-running" role="status" aria-busy="true">
                        <span class="spinner" aria-hidden="true"></span>
                        "Searching…"
                    </p>
                }.into_any()),
                Outcome::Failed(text) => Some(view! { <p class="alert" role="alert">{text}</p> }.into_any()),
                Outcome::Found { summaries, download, notes } => {
                    let service = form.with_untracked(|form| form.service.clone());
                    Some(view! {
                        <ul class="alerts">
                            {notes.into_iter().map(|text| view! { <li class="alert" role="alert">{text}</li> }).collect_view()}
                        </ul>
                        <SearchResults
                            summaries=summaries
                            on_download=Callback::new(move |_| {
                                download.save(&format!("jaeger-search-{service}.json"));
                            })
                        />
                    }.into_any())
                }
            }}
        </section>
    }
}

/// Summaries as JSON for the download of a summaries-only search.
fn summaries_json(list: &[TraceSummary]) -> serde_json::Value {
    serde_json::json!({
        "summaries": list.iter().map(|summary| serde_json::json!({
            "traceId": summary.trace_id.to_hex(),
            "rootServiceName": summary.root_service,
            "rootOperationName": summary.root_operation,
            "minStartTimeUnixNano": summary.start_ns.to_string(),
            "maxEndTimeUnixNano": summary.end_ns.to_string(),
            "spanCount": summary.span_count,
            "errorSpanCount": summary.error_count,
            "services": summary.services.iter().map(|(name, spans, errors)| serde_json::json!({
                "name": name, "spanCount": spans, "errorSpanCount": errors
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()
    })
}
