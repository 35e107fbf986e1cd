//! A load in the engine's worker, as the page sees it: progress into the progress bar, the
//! finished traces into `Loaded` (the worker then keeps them, see `io::kept_engine`), a failure
//! into an alert, and Cancel ending the worker in any phase.

use std::cell::RefCell;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::io::engine::{load_in_worker, warm_up, EngineEvent, EngineLoad, EngineSource, LoadedTraces};
use crate::io::kept_engine::{is_kept, keep, stopped};
use crate::ui::load::loader::finish_load;
use crate::ui::state::{with_app_owner, Loaded, Notices, Progress};

/// The status after a cancelled load.
pub const CANCELLED: &str = "Loading cancelled; nothing was added";

thread_local! {
    /// The load running in the worker, if any.
    static RUNNING: RefCell<Option<EngineLoad>> = const { RefCell::new(None) };
}

/// Loads `sources` in the engine's worker, adding them to the loaded traces (which stay shown
/// until the set with both replaces them).
pub fn load_in_engine(sources: Vec<EngineSource>) {
    let notices = expect_context::<Notices>();
    end_running();
    let loaded = expect_context::<Loaded>().0.get_untracked().filter(|set| set.trace_count() > 0);
    let before = loaded.as_ref().map_or((0, 0), |set| (set.trace_count(), set.span_count()));
    // The engine that keeps the loaded traces hands them on; the page's copy lacks attributes,
    // links, status messages and event names. Should that engine have stopped, the page's copy
    // goes, and the user is told what is lost.
    let lost = loaded.is_some().then(stopped).flatten();
    if let Some(why) = &lost {
        let alert =
            format!("The traces loaded before lost their attributes, links, status messages and event names: {why}");
        notices.alerts.update(|list| list.push(alert));
    }
    let handed_on = is_kept() && lost.is_none();
    let base = loaded.map(|set| if handed_on { LoadedTraces::Kept } else { LoadedTraces::Page(set) });
    let on_event = move |event: EngineEvent| {
        with_app_owner(|| match event {
            EngineEvent::Progress { phase, read_bytes, total_bytes } => {
                notices.progress.set(Progress { phase, read_bytes, total_bytes });
            }
            EngineEvent::Loaded(set, outcome, minimaps) => {
                if let Some(load) = RUNNING.with(|running| running.borrow_mut().take()) {
                    keep(load.into_kept());
                }
                notices.in_engine.set(false);
                let minimaps = minimaps.into_iter().map(|(trace, map)| (trace, Arc::new(map))).collect();
                finish_load(*set, outcome, before, minimaps);
            }
            EngineEvent::Failed(message) => {
                end_running();
                fail(notices, message);
            }
        })
    };
    match load_in_worker(sources, base, true, on_event) {
        Ok(load) => {
            notices.in_engine.set(true);
            RUNNING.with(|running| *running.borrow_mut() = Some(load));
        }
        Err(message) => fail(notices, message),
    }
}

/// Cancels the running load: ends the worker, or drops what a fetch for a load brings.
pub fn cancel_load() {
    let notices = expect_context::<Notices>();
    notices.cancel.set(true);
    end_running();
    notices.in_engine.set(false);
    notices.loading.set(false);
    notices.status.set(Some(CANCELLED.to_owned()));
    // The next load finds the engine ready.
    warm_up();
}

/// Ends the worker's load, if one runs; true when one did.
fn end_running() -> bool {
    let Some(load) = RUNNING.with(|running| running.borrow_mut().take()) else { return false };
    load.end();
    // This may run inside the worker's own message handler: the handler is freed afterwards.
    spawn_local(async move { drop(load) });
    true
}

/// Shows that the load failed; nothing loaded is touched.
fn fail(notices: Notices, message: String) {
    notices.in_engine.set(false);
    notices.loading.set(false);
    notices.alerts.update(|list| list.push(format!("The traces could not be loaded: {message}")));
    warm_up();
}
