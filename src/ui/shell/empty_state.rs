//! What the page shows before any trace is loaded: the file picker, the samples, and what
//! Traceglass reads.

use leptos::prelude::*;

use crate::ui::load::{load_urls, FilePicker};

/// The formats Traceglass reads, as shown to the user: (name, what it looks like).
const FORMATS: [(&str, &str); 3] = [
    ("Jaeger JSON", "the query API's {\"data\": [...]} or an exported trace"),
    ("OTLP JSON", "resourceSpans, as the OpenTelemetry Collector's file exporter writes"),
    ("Zipkin v2", "an array of spans"),
];

/// The bundled samples: (button label, path relative to the page).
const SAMPLES: [(&str, &str); 1] = [("Open the checkout sample", "samples/checkout.json")];

/// The empty state: drop or choose trace files, or open a sample.
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
                "Drop exported JSON or JSON Lines files (also gzip-compressed) anywhere on the page, or choose them."
            </p>
            <div class="empty-actions">
                <FilePicker label="Choose files…"/>
                {SAMPLES
                    .into_iter()
                    .map(|(label, path)| {
                        view! {
                            <button type="button" class="button secondary" on:click=move |_| load_urls(vec![path.to_owned()])>
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
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
