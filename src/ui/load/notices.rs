//! The load notices of the UI contract: a progress bar named `Loading traces` while a load runs,
//! a `status` with "Loaded N traces, M spans", and one `alert` per refused file.

use leptos::prelude::*;

use crate::ui::state;

/// The progress bar, the status line and the alerts.
#[component]
pub fn Notices() -> impl IntoView {
    let notices = expect_context::<state::Notices>();
    view! {
        <div class="notices">
            <Show when=move || notices.loading.get()>
                <div class="progress" role="progressbar" aria-label="Loading traces">
                    <span class="progress-bar"></span>
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
