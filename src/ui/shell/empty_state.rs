//! What the page shows before any trace is loaded: what Traceglass reads and where traces
//! come from.

use leptos::prelude::*;

/// The formats Traceglass reads, as shown to the user: (name, what it looks like).
const FORMATS: [(&str, &str); 3] = [
    ("Jaeger JSON", "the query API's {\"data\": [...]} or an exported trace"),
    ("OTLP JSON", "resourceSpans, as the OpenTelemetry Collector's file exporter writes"),
    ("Zipkin v2", "an array of spans"),
];

/// The empty state: an invitation to drop trace files on the page, with the formats accepted.
#[component]
pub fn EmptyState() -> impl IntoView {
    view! {
        <section class="empty-state" aria-labelledby="empty-state-title">
            <div class="drop-hint" aria-hidden="true">
                <span class="drop-hint-icon"></span>
            </div>
            <h1 id="empty-state-title">"Drop trace files here"</h1>
            <p class="lead">
                "Traceglass reads traces in your browser: nothing you open leaves this page. "
                "Drop exported JSON or JSON Lines files anywhere on the page, or open one of the samples."
            </p>
            <ul class="format-list" aria-label="Accepted formats">
                {FORMATS
                    .into_iter()
                    .map(|(name, shape)| {
                        view! {
                            <li>
                                <strong>{name}</strong>
                                <span class="format-shape">{shape}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
