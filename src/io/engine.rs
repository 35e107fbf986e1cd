//! The page's side of the engine channel: starts the engine's Web Worker for one load, sends it
//! the loaded traces (part by part, when the load adds to them) and the files, URLs and bytes to
//! load once it says it is ready, then reads the files slice by slice and sends the slices, a
//! few ahead of what the worker has taken in (the page reads while the worker parses, each on
//! its own thread), and reports its progress. The finished traces
//! arrive as parts; the page decodes each as it comes (while the worker still encodes the next),
//! in tasks of a bounded length so it stays responsive however big the trace, then checks the
//! set's tables (the engine checked its rows before it said the load was done) and hands it
//! over. A load that is kept (see `kept_engine`) leaves its worker running with the whole set
//! and sends the page its copy (what the page draws); any other ends its worker when the last
//! message arrives.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{File, MessageEvent, Worker};

use crate::core::engine::load::LoadOutcome;
use crate::core::engine::parts::{not_together, Assembly, PartCursor};
use crate::core::engine::protocol::{
    decode_reply, encode_part, is_last_reply, is_part, is_ready_for_us, LoadPhase, Reply, STALE_ENGINE,
};
use crate::core::layout::minimap::Minimap;
use crate::core::model::integrity::{check_tables, check_traces};
use crate::core::model::{TraceIdx, TraceSet};
use crate::io::engine_tail::{SPLIT_CORES, WORKER_SCRIPT};
use crate::io::files::{bytes_of, describe_error, next_frame, read_slice, CHUNK_BYTES};
use crate::io::kept_engine::{send_parts_to, KeptEngine};
use crate::io::wake::Wake;

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
    /// Bytes the page has already (an answer from Jaeger, where the browser cannot hand its body
    /// over as a stream).
    Bytes {
        /// Where they came from, for messages.
        name: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// An answer the page fetched from Jaeger (a trace, or the traces a search found) whose body
    /// the worker reads as it arrives.
    Stream {
        /// The URL, for messages and to fetch it again.
        url: String,
        /// The body, handed over to the worker.
        stream: web_sys::ReadableStream,
        /// Its length, if the answer announced it.
        expected_bytes: Option<u64>,
        /// The credentials it was fetched with, to fetch it again.
        credentials: web_sys::RequestCredentials,
    },
    /// A source the page could not get, and why (reported with the load's other alerts).
    Unreadable {
        /// Where it was to come from.
        name: String,
        /// Why it could not be had.
        why: String,
    },
}

impl EngineSource {
    /// The source as the worker reads it (see `engine_worker::load`); a buffer to transfer goes
    /// into `transfer`, a file whose slices follow into `files`.
    fn into_item(self, transfer: &js_sys::Array, files: &mut Vec<File>) -> JsValue {
        let tagged = |tag: &str, name: String, value: &JsValue| -> JsValue {
            js_sys::Array::of3(&JsValue::from(tag), &JsValue::from(name), value).into()
        };
        match self {
            EngineSource::File(file) => {
                let item = js_sys::Array::of4(
                    &JsValue::from("file"),
                    &JsValue::from(file.name()),
                    &JsValue::from(file.size()),
                    &file,
                );
                files.push(file);
                item.into()
            }
            EngineSource::Url { shown, absolute } => tagged("url", shown, &JsValue::from(absolute)),
            EngineSource::Bytes { name, bytes } => {
                let buffer = js_sys::Uint8Array::from(bytes.as_slice()).buffer();
                transfer.push(&buffer);
                tagged("bytes", name, &buffer)
            }
            EngineSource::Stream { url, stream, expected_bytes, credentials } => {
                transfer.push(&stream);
                let expected = expected_bytes.map_or(JsValue::NULL, |bytes| JsValue::from(bytes as f64));
                let item = js_sys::Array::of5(
                    &JsValue::from("stream"),
                    &JsValue::from(url.as_str()),
                    &stream,
                    &expected,
                    &JsValue::from(url),
                );
                item.push(&JsValue::from(credentials));
                item.into()
            }
            EngineSource::Unreadable { name, why } => tagged("error", name, &JsValue::from(why)),
        }
    }
}

/// Whether this browser hands a stream over to a worker (transferable streams: Chromium and
/// Firefox do, older Safari does not). Tried once, on a channel of its own.
pub fn streams_transfer() -> bool {
    thread_local! {
        static TRANSFERS: bool = {
            let tried = || -> Option<bool> {
                let channel = web_sys::MessageChannel::new().ok()?;
                let stream = web_sys::ReadableStream::new().ok()?;
                let sent = channel.port1().post_message_with_transferable(&stream, &js_sys::Array::of1(&stream)).is_ok();
                channel.port1().close();
                channel.port2().close();
                Some(sent)
            };
            tried().unwrap_or(false)
        };
    }
    TRANSFERS.with(|transfers| *transfers)
}

/// The source a fetched answer's `stream` becomes: handed over to the worker as it is where the
/// browser allows it, else read here first (`url` names it; `expected_bytes` and `credentials`
/// as for [`EngineSource::Stream`]).
pub async fn fetched_source(
    url: String,
    stream: web_sys::ReadableStream,
    expected_bytes: Option<u64>,
    credentials: web_sys::RequestCredentials,
) -> EngineSource {
    if streams_transfer() {
        return EngineSource::Stream { url, stream, expected_bytes, credentials };
    }
    match read_whole(stream).await {
        Ok(bytes) => EngineSource::Bytes { name: url, bytes },
        Err(why) => EngineSource::Unreadable { why: format!("its body could not be read ({why})"), name: url },
    }
}

/// Every byte of `stream`, read to its end; the error says why it could not be.
pub async fn read_whole(stream: web_sys::ReadableStream) -> Result<Vec<u8>, String> {
    bytes_of(
        web_sys::Response::new_with_opt_readable_stream(Some(&stream)).and_then(|response| response.array_buffer()),
    )
    .await
}

/// The loaded traces a load adds to.
pub enum LoadedTraces {
    /// The page's set, sent part by part.
    Page(Arc<TraceSet>),
    /// The set the kept engine holds, which it sends part by part (see `kept_engine`).
    Kept,
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
    taken: Rc<Taken>,
}

impl EngineLoad {
    /// The worker of a finished kept load, to answer for the set it keeps.
    pub fn into_kept(self) -> KeptEngine {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        let worker = self.worker.clone();
        // This may run inside the worker's own handler: the handlers are freed afterwards.
        spawn_local(async move { drop(self) });
        KeptEngine::new(worker)
    }

    /// Ends the worker, the reading of files and any decoding of its answer.
    pub fn end(&self) {
        *self.ended.borrow_mut() = true;
        self.worker.terminate();
        self.taken.more.wake();
    }
}

/// How many bytes of the files the worker has taken in (its reading progress), and the page's
/// reading waiting for it to take more.
#[derive(Default)]
struct Taken {
    bytes: Cell<u64>,
    /// The worker reads the rest of the file being sent itself (`Reply::FileTaken`).
    file_taken: Cell<bool>,
    more: Wake,
}

impl Taken {
    /// Records the worker's progress and wakes the reading.
    fn set(&self, bytes: u64) {
        self.bytes.set(bytes);
        self.more.wake();
    }

    /// Records that the worker reads the rest of the file itself, and wakes the reading.
    fn take_file(&self) {
        self.file_taken.set(true);
        self.more.wake();
    }

    /// Waits until the worker has taken in at least `bytes`, or the load was ended, or the
    /// worker reads the rest of the file itself.
    async fn reach(&self, bytes: u64, ended: &RefCell<bool>) {
        while self.bytes.get() < bytes && !*ended.borrow() && !self.file_taken.get() {
            self.more.wait().await;
        }
    }
}

/// Slices sent ahead of what the worker has taken in: enough that it never waits for the page,
/// few enough that a slow parse does not pile the file up in memory.
const SLICES_AHEAD: u64 = 3;

type Listener = Rc<RefCell<dyn FnMut(EngineEvent)>>;

/// Starts a worker and loads `sources` in it, into one set with `base` (the loaded traces) when
/// given; `on_event` hears how it goes. A load to `keep` keeps its worker running with the
/// whole set once it has succeeded (see [`EngineLoad::into_kept`]) and hands over the set
/// without its attribute rows.
pub fn load_in_worker(
    sources: Vec<EngineSource>,
    base: Option<LoadedTraces>,
    keep: bool,
    on_event: impl FnMut(EngineEvent) + 'static,
) -> Result<EngineLoad, String> {
    let (worker, ready) = match take_spare() {
        Some(spare) => spare,
        None => (start_worker()?, false),
    };
    let on_event: Listener = Rc::new(RefCell::new(on_event));
    let ended = Rc::new(RefCell::new(false));
    let transfer = js_sys::Array::new();
    let mut files = Vec::new();
    let items: js_sys::Array = sources.into_iter().map(|source| source.into_item(&transfer, &mut files)).collect();
    if keep {
        items.push(&js_sys::Array::of1(&JsValue::from("keep")));
    }
    let cores = web_sys::window().map_or(1.0, |window| window.navigator().hardware_concurrency());
    if cores >= SPLIT_CORES {
        items.push(&js_sys::Array::of1(&JsValue::from("split")));
    }
    let taken = Rc::new(Taken::default());
    let send = Handover { worker: worker.clone(), base, items, transfer, files, taken: Rc::clone(&taken) };
    let pending = RefCell::new(None);
    if ready {
        spawn_local(send.run(Rc::clone(&on_event), Rc::clone(&ended)));
    } else {
        *pending.borrow_mut() = Some(send);
    }
    let arrivals = Rc::new(RefCell::new(Arrivals { keep, ..Arrivals::default() }));
    let sender = worker.clone();
    let listener = Rc::clone(&on_event);
    let stopped = Rc::clone(&ended);
    let progress = Rc::clone(&taken);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = js_sys::Uint8Array::new(&event.data());
        // Only the first byte says what it is; parts stay in the browser's memory until decoded.
        let kind = reply_kind(&data);
        if is_part(&kind) {
            arrivals.borrow_mut().parts.push_back(data);
            drain_soon(&arrivals, &listener, &stopped);
            return;
        }
        if is_last_reply(&kind) && !keep {
            sender.terminate();
        }
        let bytes = data.to_vec();
        if pending.borrow().is_some() && !is_ready_for_us(&bytes) {
            // The worker's first word is not this page's `Ready`: an engine of another version.
            pending.borrow_mut().take();
            sender.terminate();
            return (listener.borrow_mut())(EngineEvent::Failed(STALE_ENGINE.to_owned()));
        }
        match decode_reply(&bytes) {
            Ok(Reply::Ready { .. }) => {
                // Messages sent before the worker listens are lost: the load goes now.
                if let Some(send) = pending.borrow_mut().take() {
                    spawn_local(send.run(Rc::clone(&listener), Rc::clone(&stopped)));
                }
            }
            Ok(Reply::Failed(why)) => (listener.borrow_mut())(EngineEvent::Failed(why)),
            Ok(Reply::Progress { phase, read_bytes, total_bytes, taken_bytes }) => {
                progress.set(taken_bytes);
                (listener.borrow_mut())(EngineEvent::Progress { phase, read_bytes, total_bytes });
            }
            Ok(Reply::Loaded { outcome, minimaps }) => {
                arrivals.borrow_mut().done = Some((outcome, minimaps));
                drain_soon(&arrivals, &listener, &stopped);
            }
            Ok(Reply::FileTaken) => progress.take_file(),
            Ok(Reply::Part(_) | Reply::Answer { .. } | Reply::TailStart { .. } | Reply::Tail(_)) => {}
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
    Ok(EngineLoad { worker, _on_message: on_message, _on_error: on_error, ended, taken })
}

/// The first byte of a reply, which says what it is (see `is_part`, `is_last_reply`), read
/// without copying the rest out of the browser's memory.
pub fn reply_kind(data: &js_sys::Uint8Array) -> [u8; 1] {
    let mut kind = [0u8; 1];
    if data.length() > 0 {
        data.subarray(0, 1).copy_to(&mut kind);
    }
    kind
}

/// Imports `sources` in the engine's worker, apart from the loaded traces (which are not
/// touched), and gives back their set and what happened to each source.
pub async fn import_apart(sources: Vec<EngineSource>) -> Result<(TraceSet, LoadOutcome), String> {
    type Answer = Option<Result<(TraceSet, LoadOutcome), String>>;
    let answer: Rc<RefCell<Answer>> = Rc::new(RefCell::new(None));
    let answered = Rc::new(Wake::default());
    let on_event = {
        let answer = Rc::clone(&answer);
        let answered = Rc::clone(&answered);
        move |event: EngineEvent| {
            let result = match event {
                EngineEvent::Progress { .. } => return,
                EngineEvent::Loaded(set, outcome, _) => Ok((*set, outcome)),
                EngineEvent::Failed(why) => Err(why),
            };
            *answer.borrow_mut() = Some(result);
            answered.wake();
        }
    };
    let load = load_in_worker(sources, None, false, on_event)?;
    while answer.borrow().is_none() {
        answered.wait().await;
    }
    load.end();
    let answer = answer.borrow_mut().take();
    answer.unwrap_or_else(|| Err("the engine stopped without an answer".to_owned()))
}

/// What goes to the worker once it listens: the loaded traces part by part (a few per task),
/// the sources, then the files' slices.
struct Handover {
    worker: Worker,
    base: Option<LoadedTraces>,
    items: js_sys::Array,
    transfer: js_sys::Array,
    /// The files among the sources, in order: their slices follow the sources.
    files: Vec<File>,
    taken: Rc<Taken>,
}

impl Handover {
    async fn run(self, listener: Listener, ended: Rc<RefCell<bool>>) {
        let failed = |error: JsValue| {
            let why = format!("the sources could not be handed to the engine ({})", describe_error(&error));
            (listener.borrow_mut())(EngineEvent::Failed(why));
        };
        if let Some(LoadedTraces::Kept) = self.base {
            if let Err(why) = send_parts_to(&self.worker).await {
                let why = format!("the loaded traces could not be handed to the engine ({why})");
                return (listener.borrow_mut())(EngineEvent::Failed(why));
            }
            if *ended.borrow() {
                return;
            }
        }
        if let Some(LoadedTraces::Page(set)) = self.base {
            // A page copy goes as it is; the worker fills in what it lacks.
            let mut cursor = if set.page_copy { PartCursor::default().page_copy() } else { PartCursor::default() };
            let mut budget = Budget::new();
            loop {
                if budget.pause_if_spent(&ended).await {
                    return;
                }
                let Some(part) = cursor.next_part(&set) else { break };
                let buffer = js_sys::Uint8Array::from(encode_part(&part).as_slice()).buffer();
                if let Err(error) = self.worker.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer)) {
                    return failed(error);
                }
            }
        }
        if let Err(error) = self.worker.post_message_with_transfer(&self.items, &self.transfer) {
            return failed(error);
        }
        let mut sent = 0u64;
        for file in &self.files {
            if let Err(error) = send_file(&self.worker, file, &mut sent, &self.taken, &ended).await {
                return failed(error);
            }
            if *ended.borrow() {
                return;
            }
        }
    }
}

/// Reads `file` a slice at a time (asking for the next while one is sent) and sends each to the
/// worker (`["slice", ArrayBuffer]`), at most [`SLICES_AHEAD`] beyond what it has taken in, then
/// `["end"]`; `sent` counts the bytes of all files. A slice the browser cannot read ends the
/// file with `["unreadable", why]` instead. Once the worker says it reads the rest of the file
/// itself, no more slices go (only the end).
async fn send_file(
    worker: &Worker,
    file: &File,
    sent: &mut u64,
    taken: &Taken,
    ended: &RefCell<bool>,
) -> Result<(), JsValue> {
    let size = file.size();
    let file_end = *sent + size as u64;
    taken.file_taken.set(false);
    let mut next = (size > 0.0).then(|| read_slice(file, 0.0, size));
    while let Some((end, slice)) = next.take() {
        if end < size {
            next = Some(read_slice(file, end, size));
        }
        let slice = match slice {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        taken.reach((*sent).saturating_sub(SLICES_AHEAD * CHUNK_BYTES as u64), ended).await;
        if *ended.borrow() {
            return Ok(());
        }
        if taken.file_taken.get() {
            break;
        }
        match slice {
            Ok(buffer) => {
                *sent += js_sys::ArrayBuffer::from(buffer.clone()).byte_length() as u64;
                let message = js_sys::Array::of2(&JsValue::from("slice"), &buffer);
                worker.post_message_with_transfer(&message, &js_sys::Array::of1(&buffer))?;
            }
            Err(error) => {
                *sent = file_end;
                let why = JsValue::from(describe_error(&error));
                return worker.post_message(&js_sys::Array::of2(&JsValue::from("unreadable"), &why));
            }
        }
    }
    *sent = file_end;
    worker.post_message(&js_sys::Array::of1(&JsValue::from("end")))
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
    let said_other = Rc::clone(&broken);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = js_sys::Uint8Array::new(&event.data());
        if is_ready_for_us(&data.to_vec()) {
            *said_ready.borrow_mut() = true;
        } else {
            // An engine of another version: the load starts its own worker and says so.
            *said_other.borrow_mut() = true;
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

/// The longest the page decodes, checks or encodes parts before it lets the browser paint and
/// answer. The page's long-task goal is 50 ms: most parts take a few ms, and the budget leaves
/// room for one more after it is spent. The first part of a table sizes the table for all its
/// rows (25–30 ms for a million spans): it is added in a task of its own ([`Budget::fresh_task`]).
const TASK_BUDGET_MS: f64 = 16.0;

/// Parts of at least this many bytes are decoded in a task of their own (a part of spans is
/// smaller; decoding takes about 10 ms a megabyte where the page's code has not run yet).
const BIG_PART_BYTES: u32 = 2 << 20;

/// How long a task may have run and still count as begun, for [`Budget::fresh_task`].
const FRESH_TASK_MS: f64 = 2.0;

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

    /// Lets the browser run first unless this task has only begun (for a step that takes most
    /// of a task on its own); true when the load was ended meanwhile.
    async fn fresh_task(&mut self, ended: &RefCell<bool>) -> bool {
        if Self::now_ms() - self.started_ms >= FRESH_TASK_MS {
            next_frame().await;
            self.started_ms = Self::now_ms();
        }
        *ended.borrow()
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

/// The parts that arrived and are not decoded yet, the set they are put into, and the last
/// reply once it came.
#[derive(Default)]
struct Arrivals {
    parts: VecDeque<js_sys::Uint8Array>,
    /// Out while a drain runs.
    assembly: Option<Assembly>,
    /// Whether a drain runs (or is about to).
    draining: bool,
    /// What the load did and the big traces' minimaps: every part has arrived.
    done: Option<(LoadOutcome, Vec<(TraceIdx, Minimap)>)>,
    /// A part was refused: the rest are dropped.
    failed: bool,
    /// Whether the load is kept: its set comes as the page's copy.
    keep: bool,
}

/// Starts a drain of the arrived parts, unless one runs.
fn drain_soon(arrivals: &Rc<RefCell<Arrivals>>, listener: &Listener, ended: &Rc<RefCell<bool>>) {
    {
        let mut state = arrivals.borrow_mut();
        if state.draining || state.failed {
            return;
        }
        state.draining = true;
    }
    let arrivals = Rc::clone(arrivals);
    let listener = Rc::clone(listener);
    let ended = Rc::clone(ended);
    spawn_local(drain(arrivals, listener, ended));
}

/// Decodes the arrived parts in tasks of at most [`TASK_BUDGET_MS`] (letting the page paint and
/// answer in between); stops when none is left, or, once the last reply came, checks the set's
/// tables and hands it over.
async fn drain(arrivals: Rc<RefCell<Arrivals>>, listener: Listener, ended: Rc<RefCell<bool>>) {
    // The message's own task ran first: this one starts fresh.
    next_frame().await;
    let mut assembly = arrivals.borrow_mut().assembly.take().unwrap_or_default();
    let mut budget = Budget::new();
    loop {
        if budget.pause_if_spent(&ended).await {
            return;
        }
        let next = arrivals.borrow_mut().parts.pop_front();
        let Some(part) = next else { break };
        // A big part (the traces' table of a file of tens of thousands of traces) is decoded in
        // a task of its own.
        if part.length() >= BIG_PART_BYTES && budget.fresh_task(&ended).await {
            return;
        }
        let decoded = decode_reply(&part.to_vec());
        if let Ok(Reply::Part(part)) = &decoded {
            if assembly.starts_table(part) && budget.fresh_task(&ended).await {
                return;
            }
        }
        let added = match decoded {
            Ok(Reply::Part(part)) => assembly.add(*part),
            Ok(_) => Err("the engine sent something else among the traces' parts".to_owned()),
            Err(why) => Err(why),
        };
        if let Err(why) = added {
            let mut state = arrivals.borrow_mut();
            state.failed = true;
            state.parts.clear();
            drop(state);
            (listener.borrow_mut())(EngineEvent::Failed(why));
            return;
        }
    }
    let (done, keep) = {
        let mut state = arrivals.borrow_mut();
        let keep = state.keep;
        let done = match state.done.take() {
            Some(done) => done,
            None => {
                // More parts are coming: the next one starts another drain.
                state.assembly = Some(assembly);
                state.draining = false;
                return;
            }
        };
        (done, keep)
    };
    finish(assembly, done, keep, &listener, &ended, &mut budget).await;
}

/// Checks the assembled set's tables and hands it over (a kept load's as the page's copy, which
/// the check requires). Its rows the engine checked (`check_integrity`) before its last reply,
/// in its own faster code and while the page decoded the parts: the parts append runs of rows
/// in order, so columns of the lengths the tables name hold the rows the engine checked.
async fn finish(
    assembly: Assembly,
    (outcome, minimaps): (LoadOutcome, Vec<(TraceIdx, Minimap)>),
    keep: bool,
    listener: &Listener,
    ended: &RefCell<bool>,
    budget: &mut Budget,
) {
    let set = assembly.into_unchecked();
    if keep && !set.page_copy {
        let why = "the engine that keeps the loaded traces sent them whole, not the page's copy";
        return (listener.borrow_mut())(EngineEvent::Failed(not_together(why.to_owned())));
    }
    if budget.pause_if_spent(ended).await {
        return;
    }
    let checked = check_tables(&set).and_then(|()| check_traces(&set));
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
