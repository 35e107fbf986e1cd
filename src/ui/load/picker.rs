//! Opening files: the `Open trace files` picker, and dropping files anywhere on the page (with a
//! visible drop target while dragging).

use leptos::ev::{DragEvent, Event};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::io::engine::EngineSource;
use crate::io::files::{files_of, read_file};
use crate::ui::load::engine::{load_in_engine, CANCELLED};
use crate::ui::load::loader::load_sources_after_paint;
use crate::ui::state::with_app_owner;
use crate::ui::state::{Loaded, Notices, Phase, Progress};

/// Loads `files` as one load: in the engine's worker when nothing is loaded yet (the page stays
/// live and Cancel works in every phase), else on the page, merged into what is loaded.
pub(crate) fn load_files(files: Vec<File>) {
    if files.is_empty() {
        return;
    }
    let notices = expect_context::<Notices>();
    let loaded = expect_context::<Loaded>();
    let total_bytes = files.iter().map(|file| file.size() as u64).sum();
    notices.cancel.set(false);
    notices.progress.set(Progress { phase: Phase::Reading, read_bytes: 0, total_bytes });
    notices.loading.set(true);
    if loaded.is_empty_untracked() {
        load_in_engine(files.into_iter().map(EngineSource::File).collect());
        return;
    }
    spawn_local(async move {
        let mut sources = Vec::new();
        let mut done_bytes = 0u64;
        for file in files {
            let size = file.size() as u64;
            let progress = move |read: u64| {
                notices.progress.update(|progress| progress.read_bytes = done_bytes + read);
            };
            match read_file(file, progress, move || notices.cancel.get_untracked()).await {
                Some(source) => sources.push(source),
                None => {
                    notices.loading.set(false);
                    notices.status.set(Some(CANCELLED.to_owned()));
                    return;
                }
            }
            done_bytes += size;
        }
        with_app_owner(|| load_sources_after_paint(sources))
    });
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
