//! The page's side of the engine channel: starts the engine's Web Worker for one load, sends it
//! the files and URLs once it says it is ready, and reports its progress. The finished traces arrive as
//! parts; the page keeps them as they come, ends the worker when the last message arrives (so
//! both memories are not at their peak together), then decodes and checks them in tasks of a
//! bounded length, so the page stays responsive however big the trace.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

use crate::core::engine::load::LoadOutcome;
use crate::core::engine::parts::{not_together, Assembly, CHECK_ROWS};
use crate::core::engine::protocol::{decode_reply, is_last_reply, is_part, LoadPhase, Reply};
use crate::core::layout::minimap::Minimap;
use crate::core::model::integrity::{check_span_rows, check_tables, check_traces};
use crate::core::model::{TraceIdx, TraceSet};
use crate::io::files::{describe_error, next_frame};

/// The worker's loader, next to the page (Trunk writes it from `src/bin/engine.rs`).
const WORKER_SCRIPT: &str = "engine_loader.js";

/// Something to load in the worker.
pub enum EngineSource {
    /// A chosen or dropped file.
    File(File),
    /// A URL: as the user wrote it (for messages) and resolved against the page.
    Url {
        /// As written.
        shown: String,
        /// Absolute.
        absolute: String,
    },
}

/// What a load in the worker tells the page.
pub enum EngineEvent {
    /// How far it is.
    Progress {
        /// What it does.
        phase: LoadPhase,
        /// Bytes read so far.
        read_bytes: u64,
        /// Bytes to read in all.
        total_bytes: u64,
    },
    /// The traces read, what happened to each source, and the big traces' minimaps.
    Loaded(Box<TraceSet>, LoadOutcome, Vec<(TraceIdx, Minimap)>),
    /// Why the load failed.
    Failed(String),
}

/// A load running in the engine's worker. Dropping it leaves the worker running; call
/// [`EngineLoad::end`].
pub struct EngineLoad {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
    /// Set when the load is ended, so parts still being decoded are dropped.
    ended: Rc<RefCell<bool>>,
}

impl EngineLoad {
    /// Ends the worker and any decoding of its answer.
    pub fn end(&self) {
        *self.ended.borrow_mut() = true;
        self.worker.terminate();
    }
}

type Listener = Rc<RefCell<dyn FnMut(EngineEvent)>>;

/// Starts a worker and loads `sources` in it; `on_event` hears how it goes.
pub fn load_in_worker(
    sources: Vec<EngineSource>,
    on_event: impl FnMut(EngineEvent) + 'static,
) -> Result<EngineLoad, String> {
    let (worker, ready) = match take_spare() {
        Some(spare) => spare,
        None => (start_worker()?, false),
    };
    let on_event: Listener = Rc::new(RefCell::new(on_event));
    let ended = Rc::new(RefCell::new(false));
    let items: js_sys::Array = sources
        .into_iter()
        .map(|source| -> JsValue {
            match source {
                EngineSource::File(file) => file.into(),
                EngineSource::Url { shown, absolute } => {
                    js_sys::Array::of2(&JsValue::from(shown), &JsValue::from(absolute)).into()
                }
            }
        })
        .collect();
    if ready {
        worker
            .post_message(&items)
            .map_err(|error| format!("the sources could not be handed to the engine ({})", describe_error(&error)))?;
    }
    let pending = RefCell::new((!ready).then_some(items));
    let parts: RefCell<Vec<js_sys::Uint8Array>> = RefCell::new(Vec::new());
    let sender = worker.clone();
    let listener = Rc::clone(&on_event);
    let stopped = Rc::clone(&ended);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = js_sys::Uint8Array::new(&event.data());
        // Only the first byte says what it is; parts stay in the browser's memory until decoded.
        let mut kind = [0u8; 1];
        if data.length() > 0 {
            data.subarray(0, 1).copy_to(&mut kind);
        }
        if is_part(&kind) {
            parts.borrow_mut().push(data);
            return;
        }
        if is_last_reply(&kind) {
            sender.terminate();
        }
        match decode_reply(&data.to_vec()) {
            Ok(Reply::Ready) => {
                // Messages sent before the worker listens are lost: the sources go now.
                let items = pending.borrow_mut().take().unwrap_or_default();
                if let Err(error) = sender.post_message(&items) {
                    let why = format!("the sources could not be handed to the engine ({})", describe_error(&error));
                    (listener.borrow_mut())(EngineEvent::Failed(why));
                }
            }
            Ok(Reply::Progress { phase, read_bytes, total_bytes }) => {
                (listener.borrow_mut())(EngineEvent::Progress { phase, read_bytes, total_bytes });
            }
            Ok(Reply::Loaded { outcome, minimaps }) => {
                let parts = std::mem::take(&mut *parts.borrow_mut());
                let listener = Rc::clone(&listener);
                let stopped = Rc::clone(&stopped);
                let done = (outcome, minimaps);
                wasm_bindgen_futures::spawn_local(assemble(parts, done, listener, stopped));
            }
            Ok(Reply::Part(_)) => {}
            Err(why) => (listener.borrow_mut())(EngineEvent::Failed(why)),
        }
    });
    let failures = Rc::clone(&on_event);
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        let message = event.message();
        let why = if message.is_empty() { "it stopped".to_owned() } else { message };
        (failures.borrow_mut())(EngineEvent::Failed(format!("the engine failed: {why}")));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(EngineLoad { worker, _on_message: on_message, _on_error: on_error, ended })
}

/// Starts a worker of the engine.
fn start_worker() -> Result<Worker, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_name("traceglass engine");
    Worker::new_with_options(WORKER_SCRIPT, &options)
        .map_err(|error| format!("the engine could not start ({})", describe_error(&error)))
}

/// A worker started ahead of a load, so choosing a file does not wait for the engine to be
/// fetched, compiled and started.
struct Spare {
    worker: Worker,
    /// Set once it said it is ready.
    ready: Rc<RefCell<bool>>,
    /// Set if it failed to start; such a worker is ended, never used.
    broken: Rc<RefCell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
}

/// Starts a spare worker for the next load, if there is none. Quiet if it cannot start: the
/// load then starts its own and reports why that failed.
pub fn warm_up() {
    if SPARE.with(|spare| spare.borrow().is_some()) {
        return;
    }
    let Ok(worker) = start_worker() else { return };
    let ready = Rc::new(RefCell::new(false));
    let broken = Rc::new(RefCell::new(false));
    let said_ready = Rc::clone(&ready);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = js_sys::Uint8Array::new(&event.data());
        if matches!(decode_reply(&data.to_vec()), Ok(Reply::Ready)) {
            *said_ready.borrow_mut() = true;
        }
    });
    let failed = Rc::clone(&broken);
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        *failed.borrow_mut() = true;
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let spare = Spare { worker, ready, broken, _on_message: on_message, _on_error: on_error };
    SPARE.with(|slot| *slot.borrow_mut() = Some(spare));
}

/// The spare worker and whether it is ready, unless there is none or it failed.
fn take_spare() -> Option<(Worker, bool)> {
    let spare = SPARE.with(|slot| slot.borrow_mut().take())?;
    spare.worker.set_onmessage(None);
    spare.worker.set_onerror(None);
    if *spare.broken.borrow() {
        spare.worker.terminate();
        return None;
    }
    let ready = *spare.ready.borrow();
    Some((spare.worker, ready))
}

/// The longest the page decodes or checks parts before it lets the browser paint and answer
/// (the page's long-task goal is 50 ms; most parts and runs take a few ms, the first string
/// part of a million-span set about 25 ms, as it sizes the string table).
const TASK_BUDGET_MS: f64 = 24.0;

/// A task's time budget: yields to the browser once it is spent.
struct Budget {
    started_ms: f64,
}

impl Budget {
    fn now_ms() -> f64 {
        web_sys::window().and_then(|window| window.performance()).map_or(0.0, |clock| clock.now())
    }

    fn new() -> Self {
        Self { started_ms: Self::now_ms() }
    }

    /// Lets the browser run if this task has had its time; true when the load was ended meanwhile.
    async fn pause_if_spent(&mut self, ended: &RefCell<bool>) -> bool {
        if Self::now_ms() - self.started_ms >= TASK_BUDGET_MS {
            next_frame().await;
            self.started_ms = Self::now_ms();
        }
        *ended.borrow()
    }
}

/// Decodes the parts and checks the set in tasks of at most [`TASK_BUDGET_MS`] (letting the
/// page paint and answer in between) and hands over the finished set.
async fn assemble(
    parts: Vec<js_sys::Uint8Array>,
    (outcome, minimaps): (LoadOutcome, Vec<(TraceIdx, Minimap)>),
    listener: Listener,
    ended: Rc<RefCell<bool>>,
) {
    let mut assembly = Assembly::default();
    // The "Loaded" message's own task ran first: this one starts fresh.
    next_frame().await;
    let mut budget = Budget::new();
    for part in parts {
        if budget.pause_if_spent(&ended).await {
            return;
        }
        let added = match decode_reply(&part.to_vec()) {
            Ok(Reply::Part(part)) => assembly.add(*part),
            Ok(_) => Err("the engine sent something else among the traces' parts".to_owned()),
            Err(why) => Err(why),
        };
        if let Err(why) = added {
            (listener.borrow_mut())(EngineEvent::Failed(why));
            return;
        }
    }
    // Checked before it is shown, a run of rows at a time.
    let set = assembly.into_unchecked();
    let mut checked = check_tables(&set);
    let mut start = 0;
    while checked.is_ok() && start < set.span_count() {
        if budget.pause_if_spent(&ended).await {
            return;
        }
        checked = check_span_rows(&set, start..start + CHECK_ROWS);
        start += CHECK_ROWS;
    }
    let checked = checked.and_then(|()| check_traces(&set));
    // Showing the set is a task of its own.
    next_frame().await;
    if *ended.borrow() {
        return;
    }
    let event = match checked {
        Ok(()) => EngineEvent::Loaded(Box::new(set), outcome, minimaps),
        Err(problem) => EngineEvent::Failed(not_together(problem)),
    };
    (listener.borrow_mut())(event);
}
