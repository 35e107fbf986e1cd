//! A big file read by two of the engine's workers at once. The worker of a load (the *head*)
//! starts a second worker as it begins to read a big file and hands it the `File` and where
//! the file's second half begins; that worker (the *tail*) reads the half itself,
//! slice by slice, finds the first span in it and imports from there
//! (`StreamedImport::tail`), says where that span starts, and sends what it read back. The head
//! imports the page's slices up to the half, reads the few bytes up to the tail's first span
//! itself, and joins the tail's rows to its own (`StreamedImport::join`). Parsing, most of a big
//! load, then runs on two cores.
//!
//! The page asks for it (`["split"]` among the sources) only on a machine with
//! [`SPLIT_CORES`] logical cores or more.
//!
//! Whatever goes wrong with the tail (no worker, a file that is not a Jaeger document, a split
//! the head's walk refuses), the head reads the rest of the file itself, as a load of one
//! worker does.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent, Worker};

use crate::core::engine::protocol::{decode_reply_or_tail, LoadPhase, Reply, SentTail, PROTOCOL};
use crate::core::import::StreamedImport;
use crate::core::model::TraceSetBuilder;
use crate::io::engine_worker::post;
use crate::io::files::{describe_error, read_slice};
use crate::io::wake::Wake;

/// The engine's worker script, next to the page (Trunk writes it from `src/bin/engine.rs`); a
/// worker's own workers find it next to theirs.
pub const WORKER_SCRIPT: &str = "engine_loader.js";

/// Files at least this big are read by two workers (smaller ones are parsed before a second
/// worker would be running).
pub const SPLIT_BYTES: u64 = 64 << 20;

/// Logical cores a machine needs for the page to have big files read by two workers: one for
/// each worker, one for the page reading the file, one for the rest of the browser. With two,
/// two workers parse at about 60% of the speed of one each (ADR 0014).
pub const SPLIT_CORES: f64 = 4.0;

/// The head's handle on the worker reading a file's tail: its replies as they come.
pub struct TailWorker {
    worker: Worker,
    /// Where in the file the tail begins.
    pub from: u64,
    replies: Rc<TailReplies>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// What the tail's worker said, and the head waiting for it.
#[derive(Default)]
struct TailReplies {
    queue: RefCell<VecDeque<Reply>>,
    /// Whether the worker has been handed the file.
    handed: Cell<bool>,
    /// Bytes of the tail read so far.
    read_bytes: Cell<u64>,
    arrived: Wake,
}

impl TailWorker {
    /// Starts a worker that reads `file` (`name`, `size` bytes) from `from` on; `None` if no
    /// worker can start here.
    pub fn start(file: &File, name: &str, from: u64, size: u64) -> Option<TailWorker> {
        let options = web_sys::WorkerOptions::new();
        options.set_name("traceglass engine (a file's tail)");
        let worker = Worker::new_with_options(WORKER_SCRIPT, &options).ok()?;
        let replies = Rc::new(TailReplies::default());
        let item = js_sys::Array::of5(
            &JsValue::from("tail"),
            &JsValue::from(name),
            &JsValue::from(from as f64),
            &JsValue::from(size as f64),
            file,
        );
        let sources = js_sys::Array::of1(&item);
        let sender = worker.clone();
        let heard = Rc::clone(&replies);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let reply = decode_reply_or_tail(&js_sys::Uint8Array::new(&event.data()).to_vec());
            match reply {
                // Messages sent before the worker listens are lost: the file goes now.
                Ok(Reply::Ready { protocol: PROTOCOL }) => {
                    if sender.post_message(&sources).is_err() {
                        heard.queue.borrow_mut().push_back(Reply::Failed("the tail was not handed over".to_owned()));
                    }
                    heard.handed.set(true);
                }
                // Another version than the head's (the two come from the same files): the head
                // reads on by itself.
                Ok(Reply::Ready { .. }) => {
                    heard.queue.borrow_mut().push_back(Reply::Failed("the tail's engine is of another version".into()))
                }
                Ok(Reply::Progress { read_bytes, .. }) => heard.read_bytes.set(read_bytes),
                Ok(reply) => heard.queue.borrow_mut().push_back(reply),
                Err(why) => heard.queue.borrow_mut().push_back(Reply::Failed(why)),
            }
            heard.arrived.wake();
        });
        let failed = Rc::clone(&replies);
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            failed
                .queue
                .borrow_mut()
                .push_back(Reply::Failed(format!("the tail's worker failed: {}", event.message())));
            failed.arrived.wake();
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(TailWorker { worker, from, replies, _on_message: on_message, _on_error: on_error })
    }

    /// Whether the worker has been handed the file: until then the head lets the worker's
    /// messages in between its slices (the page's slices keep it busy otherwise, and the worker
    /// would wait for the file while the head parses).
    pub fn is_handed(&self) -> bool {
        self.replies.handed.get()
    }

    /// Bytes of the tail read so far.
    pub fn read_bytes(&self) -> u64 {
        self.replies.read_bytes.get()
    }

    /// The tail's next reply (`TailStart`, `Tail` or `Failed`), or `None` when only its progress
    /// moved: the head may show it.
    pub async fn next(&self) -> Option<Reply> {
        if let Some(reply) = self.replies.queue.borrow_mut().pop_front() {
            return Some(reply);
        }
        self.replies.arrived.wait().await;
        self.replies.queue.borrow_mut().pop_front()
    }

    /// Where in the file the tail's first span starts, once it has said; `None` if it failed.
    pub async fn start_of_spans(&self) -> Option<u64> {
        loop {
            match self.next().await {
                Some(Reply::TailStart { at }) => return Some(at),
                Some(Reply::Failed(_) | Reply::Tail(_)) => return None,
                _ => {}
            }
        }
    }
}

thread_local! {
    /// An error handler that keeps a tail's error to itself: a worker ended while it still
    /// starts reports an error, which would otherwise reach the head's own scope and end its load.
    static QUIET: Closure<dyn FnMut(web_sys::ErrorEvent)> =
        Closure::new(|event: web_sys::ErrorEvent| event.prevent_default());
}

impl Drop for TailWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        QUIET.with(|quiet| self.worker.set_onerror(Some(quiet.as_ref().unchecked_ref())));
        self.worker.terminate();
    }
}

/// Reads bytes `from..to` of `file` a slice at a time into `import`.
pub async fn push_range(import: &mut StreamedImport<'_>, file: &File, from: u64, to: u64) -> Result<(), String> {
    let mut at = from as f64;
    let end = to as f64;
    while at < end {
        let (slice_end, promise) = read_slice(file, at, end);
        let buffer = match promise {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        let bytes = js_sys::Uint8Array::new(&buffer.map_err(|error| describe_error(&error))?);
        import.push_with(bytes.length() as usize, |space| bytes.copy_to(space));
        at = slice_end;
    }
    Ok(())
}

/// The tail's side: reads `item` (`["tail", name, from, size, File]`) from `from` on, reading
/// one slice ahead of the import, and posts where its first span starts, its progress, and
/// what it read (or why it could not).
pub async fn read_tail(scope: &DedicatedWorkerGlobalScope, item: &js_sys::Array) {
    let post = |reply: &Reply| post(scope, reply);
    let name = item.get(1).as_string().unwrap_or_default();
    let from = item.get(2).as_f64().unwrap_or(0.0);
    let size = item.get(3).as_f64().unwrap_or(0.0);
    let Ok(file) = item.get(4).dyn_into::<File>() else {
        return post(&Reply::Failed("no file to read the tail of".to_owned()));
    };
    let mut builder = TraceSetBuilder::new();
    let mut import = StreamedImport::tail(&mut builder, &name, from as usize, size as usize);
    let mut told = false;
    let mut next = (from < size).then(|| read_slice(&file, from, size));
    while let Some((end, promise)) = next.take() {
        if end < size {
            next = Some(read_slice(&file, end, size));
        }
        let buffer = match promise {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        let Ok(buffer) = buffer else {
            return post(&Reply::Failed("the tail could not be read".to_owned()));
        };
        let bytes = js_sys::Uint8Array::new(&buffer);
        import.push_with(bytes.length() as usize, |space| bytes.copy_to(space));
        if !import.is_streaming() {
            return post(&Reply::Failed("the tail is not of a Jaeger document".to_owned()));
        }
        if let (false, Some(at)) = (told, import.tail_start()) {
            post(&Reply::TailStart { at: at as u64 });
            told = true;
        }
        let read_bytes = (end - from) as u64;
        post(&Reply::Progress {
            phase: LoadPhase::Reading,
            read_bytes,
            total_bytes: (size - from) as u64,
            taken_bytes: 0,
        });
    }
    let reply = match import.finish_tail() {
        Some(tail) => Reply::Tail(Box::new(SentTail { tail, rows: builder.into_rows() })),
        None => Reply::Failed("the tail could not be joined".to_owned()),
    };
    post(&reply);
}
