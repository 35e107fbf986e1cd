//! The page's side of the engine channel: starts the engine's Web Worker for one load, sends it
//! the files once it says it is ready, and hands each answer back decoded. Ending the load
//! (done, failed or cancelled) ends the worker, which frees everything it held.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker};

use crate::core::engine::protocol::{decode_reply, is_last_reply, Reply};

/// The worker's loader, next to the page (Trunk writes it from `src/bin/engine.rs`).
const WORKER_SCRIPT: &str = "engine_loader.js";

/// A load running in the engine's worker. Dropping it leaves the worker running; call
/// [`EngineLoad::end`].
pub struct EngineLoad {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl EngineLoad {
    /// Ends the worker, whatever it is doing.
    pub fn end(&self) {
        self.worker.terminate();
    }
}

/// Starts a worker and loads `files` in it; `on_reply` gets every answer after `Ready`, or the
/// sentence saying why the engine failed.
pub fn load_in_worker(
    files: Vec<File>,
    on_reply: impl FnMut(Result<Reply, String>) + 'static,
) -> Result<EngineLoad, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_name("traceglass engine");
    let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
        .map_err(|error| format!("the engine could not start ({})", describe(&error)))?;
    let on_reply = Rc::new(RefCell::new(on_reply));
    let pending = RefCell::new(Some(files));
    let sender = worker.clone();
    let replies = Rc::clone(&on_reply);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = js_sys::Uint8Array::new(&event.data()).to_vec();
        if is_last_reply(&bytes) {
            // The worker has nothing more to say: end it before the traces are decoded, so its
            // memory and the page's are not both at their peak.
            sender.terminate();
        }
        match decode_reply(&bytes) {
            Ok(Reply::Ready) => {
                // Messages sent before the worker listens are lost: the files go now.
                let files: js_sys::Array = pending.borrow_mut().take().unwrap_or_default().into_iter().collect();
                if let Err(error) = sender.post_message(&files) {
                    (replies.borrow_mut())(Err(format!(
                        "the files could not be handed to the engine ({})",
                        describe(&error)
                    )));
                }
            }
            reply => (replies.borrow_mut())(reply),
        }
    });
    let failures = Rc::clone(&on_reply);
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        let message = event.message();
        let why = if message.is_empty() { "it stopped".to_owned() } else { message };
        (failures.borrow_mut())(Err(format!("the engine failed: {why}")));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(EngineLoad { worker, _on_message: on_message, _on_error: on_error })
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
