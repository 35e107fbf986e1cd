//! "Open by trace id": a trace id typed or pasted in the header is fetched from the Jaeger
//! endpoint in use and opened.

use leptos::prelude::*;

use crate::core::model::TraceId;
use crate::ui::jaeger::open_jaeger_trace;
use crate::ui::state::Notices;

/// The trace id box.
#[component]
pub fn TraceIdBox() -> impl IntoView {
    let notices = expect_context::<Notices>();
    let text = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = text.get_untracked();
        let typed = typed.trim();
        if typed.is_empty() {
            return;
        }
        match TraceId::from_hex(typed) {
            Some(trace) if !trace.is_zero() => {
                open_jaeger_trace(trace);
                text.set(String::new());
            }
            _ => notices.alerts.update(|list| {
                list.push(format!("Trace ID: \"{typed}\" is not a trace id (1 to 32 hexadecimal digits)."))
            }),
        }
    };
    view! {
        <form class="trace-id-box" role="search" aria-label="Open trace by id" on:submit=submit>
            <input
                type="search"
                aria-label="Trace ID"
                placeholder="Trace ID"
                spellcheck="false"
                autocomplete="off"
                prop:value=move || text.get()
                on:input=move |event| text.set(event_target_value(&event))
            />
            <button type="submit" class="button secondary">"Open trace"</button>
        </form>
    }
}
