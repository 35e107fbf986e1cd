//! The header's choice of Jaeger endpoint (shown only when the site configures several) and the
//! API version the endpoint in use speaks, once known ("Jaeger API v3").

use leptos::prelude::*;

use crate::ui::jaeger::JaegerContext;

/// The endpoint picker and the detected API version.
#[component]
pub fn EndpointPicker() -> impl IntoView {
    let jaeger = expect_context::<JaegerContext>();
    let several = move || jaeger.endpoints.with(|list| list.len() > 1);
    view! {
        <Show when=several>
            <label class="endpoint-picker">
                <span class="visually-hidden">"Jaeger endpoint"</span>
                <select
                    aria-label="Jaeger endpoint"
                    on:change=move |event| {
                        if let Ok(index) = event_target_value(&event).parse::<usize>() {
                            jaeger.select(index);
                        }
                    }
                >
                    {move || {
                        let current = jaeger.current.get();
                        jaeger
                            .endpoints
                            .get()
                            .into_iter()
                            .enumerate()
                            .map(|(index, endpoint)| {
                                view! {
                                    <option value=index.to_string() selected=index == current>
                                        {endpoint.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        </Show>
        <span class="api-version" title="The API the Jaeger query service speaks">
            {move || jaeger.version.get().map(|version| version.label())}
        </span>
    }
}
