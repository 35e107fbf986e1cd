//! Opening files: the `Open trace files` picker, and dropping files anywhere on the page (with a
//! visible drop target while dragging).

use leptos::ev::{DragEvent, Event};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::io::engine::EngineSource;
use crate::io::files::files_of;
use crate::ui::load::engine::load_in_engine;
use crate::ui::state::{Notices, Phase, Progress};

/// Loads `files` as one load in the engine's worker, added to what is loaded (the page stays
/// live and Cancel works in every phase).
pub(crate) fn load_files(files: Vec<File>) {
    if files.is_empty() {
        return;
    }
    let notices = expect_context::<Notices>();
    let total_bytes = files.iter().map(|file| file.size() as u64).sum();
    notices.cancel.set(false);
    notices.progress.set(Progress { phase: Phase::Reading, read_bytes: 0, total_bytes });
    notices.loading.set(true);
    load_in_engine(files.into_iter().map(EngineSource::File).collect());
}

/// The file picker: `<input type="file" multiple>` named `Open trace files`, shown as a button.
#[component]
pub fn FilePicker(
    /// The visible label of the button.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let on_change = move |event: Event| {
        let Some(input) = event.target().and_then(|target| target.dyn_into::<HtmlInputElement>().ok()) else { return };
        let files = files_of(input.files());
        load_files(files);
        // Choosing the same file again fires `change` again.
        input.set_value("");
    };
    view! {
        <label class="button file-picker">
            <input
                type="file"
                multiple
                accept=".json,.jsonl,.ndjson,.gz,application/json,application/gzip"
                aria-label="Open trace files"
                on:change=on_change
            />
            <span aria-hidden="true">{label}</span>
        </label>
    }
}

/// Makes the whole page a drop target for trace files.
#[component]
pub fn DropZone(
    /// The page.
    children: Children,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let carries_files = |event: &DragEvent| {
        event
            .data_transfer()
            .is_some_and(|transfer| transfer.types().iter().any(|kind| kind.as_string().as_deref() == Some("Files")))
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |event: DragEvent| {
                if carries_files(&event) {
                    event.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |event: DragEvent| {
                // Leaving the window (no related target) ends the drag.
                if event.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(false);
                let files = files_of(event.data_transfer().and_then(|transfer| transfer.files()));
                load_files(files);
            }
        >
            {children()}
            <div class="drop-overlay" aria-hidden="true">
                <span>"Drop trace files to open them"</span>
            </div>
        </div>
    }
}
