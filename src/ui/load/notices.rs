//! The load notices of the UI contract: a progress bar named `Loading traces` while a load runs,
//! a `status` with "Loaded N traces, M spans", and one `alert` per refused file.

use leptos::prelude::*;

use crate::core::format::format_bytes;
use crate::ui::load::engine::cancel_load;
use crate::ui::state::{self, Phase};

/// The progress bar, the status line and the alerts.
#[component]
pub fn Notices() -> impl IntoView {
    let notices = expect_context::<state::Notices>();
    // Known while reading files and answers of known length; parsing and indexing are steps.
    let percent = move || {
        let progress = notices.progress.get();
        (progress.phase == Phase::Reading && progress.total_bytes > 0)
            .then(|| progress.read_bytes as f64 * 100.0 / progress.total_bytes as f64)
    };
    let phase_text = move || {
        let progress = notices.progress.get();
        match progress.phase {
            Phase::Reading if progress.total_bytes > 0 => {
                format!("Reading {} of {}", format_bytes(progress.read_bytes), format_bytes(progress.total_bytes))
            }
            // A body of unknown length (a fetched answer): what has come so far.
            Phase::Reading if progress.read_bytes > 0 => {
                format!("Fetching, {} so far", format_bytes(progress.read_bytes))
            }
            Phase::Reading => "Fetching".to_owned(),
            Phase::Parsing => "Parsing".to_owned(),
            Phase::Indexing => "Indexing".to_owned(),
        }
    };
    view! {
        <div class="notices">
            <Show when=move || notices.loading.get()>
                <div class="progress-line">
                    <div
                        class="progress"
                        class:known=move || percent().is_some()
                        role="progressbar"
                        aria-label="Loading traces"
                        aria-valuemin="0"
                        aria-valuemax="100"
                        aria-valuenow=move || percent().map(|value| format!("{value:.0}"))
                        aria-valuetext=phase_text
                    >
                        <span class="progress-bar" style:width=move || percent().map(|value| format!("{value:.1}%"))></span>
                    </div>
                    <span class="progress-text">{phase_text}</span>
                    <Show when=move || notices.in_engine.get() || notices.progress.get().phase == Phase::Reading>
                        <button type="button" class="button secondary" on:click=move |_| cancel_load()>
                            "Cancel"
                        </button>
                    </Show>
                </div>
            </Show>
            <p class="status" role="status">{move || notices.status.get().unwrap_or_default()}</p>
            <ul class="alerts">
                {move || {
                    notices
                        .alerts
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(index, message)| {
                            view! {
                                <li class="alert" role="alert">
                                    <span class="alert-text">{message}</span>
                                    <button
                                        type="button"
                                        class="alert-dismiss"
                                        aria-label="Dismiss"
                                        on:click=move |_| notices.alerts.update(|list| {
                                            if index < list.len() {
                                                list.remove(index);
                                            }
                                        })
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
