//! The worker's side of the engine channel. The page sends one load: the traces it has loaded
//! (in parts, when the load adds to them), then the list of sources (files, URLs to fetch, the
//! body streams of answers it fetched, bytes it has), then each file's bytes, slice by slice, as
//! it reads them. Fetched bodies are parsed as they download (`engine_stream`). The
//! worker imports a file while its slices arrive (`StreamedImport`: reading and parsing overlap,
//! the page reading on its own thread), imports and indexes everything into one set with the
//! loaded traces, and answers with progress (which also tells the page how far it has got, so
//! it reads only a few slices ahead) and the finished traces in parts, each answer one
//! transferred buffer (see `core::engine::protocol`). A load the page asks it to keep (with a
//! `["keep"]` among the sources) sends the page its copy of the set (what the page draws) and
//! keeps the set, answering the page's requests about it (`["ask", bytes]`) until the page ends it;
//! any other load ends with its answer (the page ends the worker, which frees all its memory,
//! and ends it to cancel a load). A big file may be read by this worker and one it starts for
//! the file's second half (see `engine_tail`). A worker still idle a moment after it said
//! it is ready loads a warm-up trace and throws it away (`core::engine::warm_up`), so that its
//! first load runs optimized code; a load that arrives stops the warm-up at once.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::core::engine::answers::{answer, answer_after, Remembered};
use crate::core::engine::load::{LoadSource, LoadTally};
use crate::core::engine::parts::{
    for_each_page_string_part, for_each_part, for_each_string_part, not_together, Assembly, PartCursor, PartOf, SetPart,
};
use crate::core::engine::protocol::{
    decode_part, decode_reply, decode_request, encode_part_reply, encode_reply, Answer, Asked, LoadPhase, Reply,
    Request, SentTail, PROTOCOL,
};
use crate::core::engine::warm_up::{document_size_bound, warm_up_requests, warm_up_set, Document, WARM_UP_SPANS};
use crate::core::import::{Finished, StreamedImport};
use crate::core::layout::minimap::{Minimap, ENGINE_MINIMAP_SPANS, HEIGHT_PX, WIDTH_PX};
use crate::core::model::{check_integrity, TraceIdx, TraceSet, TraceSetBuilder};
use crate::io::engine_stream::{finish_import, import_body, open, Body, Refetch};
use crate::io::engine_tail::{push_range, read_tail, TailWorker, SPLIT_BYTES};
use crate::io::files::{bytes_of, timeout};
use crate::io::wake::Wake;

/// The loaded traces the page sent ahead of a load, as they arrive; or why one of their parts
/// was refused.
type Base = Rc<RefCell<Result<Option<Assembly>, String>>>;

/// Messages for the running load (the files' slices), in the order they came, and the load
/// waiting for the next one.
#[derive(Default)]
struct Inbox {
    messages: RefCell<VecDeque<JsValue>>,
    arrived: Wake,
}

type SharedInbox = Rc<Inbox>;

/// Puts a message in the inbox and wakes the load if it waits.
fn deliver(inbox: &Inbox, message: JsValue) {
    inbox.messages.borrow_mut().push_back(message);
    inbox.arrived.wake();
}

/// The next message for the load, once it has come.
async fn next_message(inbox: &Inbox) -> JsValue {
    loop {
        let next = inbox.messages.borrow_mut().pop_front();
        if let Some(message) = next {
            return message;
        }
        inbox.arrived.wait().await;
    }
}

/// Starts listening for loads and tells the page it is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else { return };
    let scope = Rc::new(scope);
    let replies = Rc::clone(&scope);
    let base: Base = Rc::new(RefCell::new(Ok(None)));
    // Set once a load runs: every later message but a request is for it.
    let running: Rc<RefCell<Option<SharedInbox>>> = Rc::new(RefCell::new(None));
    let running_for_warm_up = Rc::clone(&running);
    // The set of a load the page asked the worker to keep, and the requests about it.
    let kept: Rc<RefCell<Option<TraceSet>>> = Rc::new(RefCell::new(None));
    let requests = Rc::new(Requests::default());
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let tag = data.dyn_ref::<js_sys::Array>().and_then(|message| message.get(0).as_string());
        if tag.as_deref() == Some("ask") {
            let bytes = tagged_bytes(&data);
            // Without an id there is no one to answer: the page's request waits in vain.
            if let Ok(asked) = decode_request(&bytes) {
                requests.queue.borrow_mut().push_back(asked);
                if !requests.answering.replace(true) {
                    spawn_local(answer_requests(Rc::clone(&replies), Rc::clone(&kept), Rc::clone(&requests)));
                }
            }
            return;
        }
        if let Some(inbox) = running.borrow().as_ref() {
            deliver(inbox, data);
            return;
        }
        if data.is_instance_of::<js_sys::ArrayBuffer>() {
            add_base_part(&base, decode_part(&js_sys::Uint8Array::new(&data).to_vec()));
            return;
        }
        if tag.as_deref() == Some("part") {
            let part = match decode_reply(&tagged_bytes(&data)) {
                Ok(Reply::Part(part)) => Ok(*part),
                Ok(_) => Err("the engine that kept them sent something else among their parts".to_owned()),
                Err(why) => Err(why),
            };
            add_base_part(&base, part);
            return;
        }
        let scope = Rc::clone(&replies);
        let base = std::mem::replace(&mut *base.borrow_mut(), Ok(None));
        let inbox = SharedInbox::default();
        *running.borrow_mut() = Some(Rc::clone(&inbox));
        let kept = Rc::clone(&kept);
        let requests = Rc::clone(&requests);
        spawn_local(async move {
            *kept.borrow_mut() = load(&scope, data, base, inbox).await;
            if kept.borrow().is_some() {
                warm_up_answers(Rc::clone(&requests)).await;
                index_when_idle(kept, requests).await;
            }
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &Reply::Ready { protocol: PROTOCOL });
    spawn_local(async move {
        // A load sent at once (the page waited for the engine) starts before any warming up.
        timeout(WARM_UP_AFTER_MS).await;
        if running_for_warm_up.borrow().is_none() {
            warm_up(running_for_warm_up).await;
        }
    });
}

/// Work between two looks at the worker's messages while it warms up, ms: a load waits for at
/// most this long.
const WARM_UP_STEP_MS: f64 = 10.0;

/// How long the worker waits, once ready, before it warms up, ms: none beyond the messages
/// already waiting (a load that comes later stops the warm-up within [`WARM_UP_STEP_MS`], and a
/// file chosen soon after the page appeared finds the engine warm sooner).
const WARM_UP_AFTER_MS: i32 = 0;

/// Loads the warm-up trace (see `core::engine::warm_up`) the way a file is loaded, letting the
/// worker take its messages every [`WARM_UP_STEP_MS`], and throws it away; stops as soon as a
/// load has started.
async fn warm_up(running: Rc<RefCell<Option<SharedInbox>>>) {
    let mut step_began = js_sys::Date::now();
    // Lets messages in once the step has had its time; true when a load has started.
    let mut load_started = async || {
        if js_sys::Date::now() - step_began >= WARM_UP_STEP_MS {
            timeout(0).await;
            step_began = js_sys::Date::now();
        }
        running.borrow().is_some()
    };
    let mut builder = TraceSetBuilder::new();
    let mut import = StreamedImport::new(&mut builder, "warm-up.json", document_size_bound(WARM_UP_SPANS));
    for piece in Document::new(WARM_UP_SPANS) {
        if load_started().await {
            import.abandon();
            return;
        }
        import.push(&piece);
    }
    if !matches!(import.finish(), Finished::Imported(Ok(_))) {
        return;
    }
    if load_started().await {
        return;
    }
    let set = builder.finish();
    let mut cursor = PartCursor::default();
    loop {
        if load_started().await {
            return;
        }
        let Some(part) = cursor.next_part(&set) else { break };
        drop(encode_part_reply(&part));
    }
    drop(check_integrity(&set));
    drop(Minimap::of_trace(&set, TraceIdx(0), WIDTH_PX, HEIGHT_PX));
    // The questions a kept set is asked, so the first find over a big trace runs optimized.
    for request in warm_up_requests() {
        if load_started().await {
            return;
        }
        drop(answer(&set, &request));
    }
}

/// The bytes of a tagged message from the page (`["ask", ArrayBuffer]`, `["part", ArrayBuffer]`).
fn tagged_bytes(message: &JsValue) -> Vec<u8> {
    js_sys::Uint8Array::new(&js_sys::Array::from(message).get(1)).to_vec()
}

/// Spans of the trace the answers warm up on once a kept load is done.
const ANSWERS_WARM_UP_SPANS: usize = 2_000;

/// Asks the questions a kept set is asked (`warm_up_requests`) of a small warm-up trace, so
/// that the first find over a big kept set runs optimized code (a load that came at once
/// stopped the worker's warm-up before it got to them); stops once the page asks something.
async fn warm_up_answers(requests: Rc<Requests>) {
    let asked = || !requests.queue.borrow().is_empty() || requests.answering.get();
    let Some(set) = warm_up_set(ANSWERS_WARM_UP_SPANS) else { return };
    let mut step_began = js_sys::Date::now();
    for request in warm_up_requests() {
        if js_sys::Date::now() - step_began >= WARM_UP_STEP_MS {
            timeout(0).await;
            step_began = js_sys::Date::now();
        }
        if asked() {
            return;
        }
        drop(answer(&set, &request));
    }
}

/// Attribute rows indexed for finds between two looks at the worker's messages (about 10 ms).
const INDEX_STEP_ROWS: usize = 1 << 20;
/// How long after a load the worker waits before it indexes, ms: the page is then building and
/// painting the trace, and the machine may have no core to spare.
const INDEX_AFTER_MS: i32 = 500;

/// Builds the kept set's find index while the worker is idle, a run of rows at a time, so that
/// the first find need not (a find asked meanwhile finishes it; other questions are answered
/// between two runs).
async fn index_when_idle(kept: Rc<RefCell<Option<TraceSet>>>, requests: Rc<Requests>) {
    timeout(INDEX_AFTER_MS).await;
    loop {
        {
            let kept = kept.borrow();
            let (Some(set), Ok(mut remembered)) = (kept.as_ref(), requests.remembered.try_borrow_mut()) else {
                return;
            };
            if remembered.index_some(set, INDEX_STEP_ROWS) {
                return;
            }
        }
        timeout(0).await;
    }
}

/// Adds a part of the loaded traces the page sends ahead of a load (or why it could not be read).
fn add_base_part(base: &Base, part: Result<SetPart, String>) {
    let mut base = base.borrow_mut();
    let Ok(assembly) = &mut *base else { return };
    let added = part.and_then(|part| assembly.get_or_insert_with(Assembly::default).add(part));
    if let Err(why) = added {
        *base = Err(why);
    }
}

/// The page's requests about the kept set, in the order they came, and whether they are being
/// answered.
#[derive(Default)]
struct Requests {
    queue: RefCell<VecDeque<Asked>>,
    answering: Cell<bool>,
    /// The last find (which the next may narrow) and the kept set's find index.
    remembered: RefCell<Remembered>,
}

/// Answers the queued requests one by one, letting later ones in between: a find that a later
/// find has replaced (the user typed on) is not run.
async fn answer_requests(
    scope: Rc<DedicatedWorkerGlobalScope>,
    kept: Rc<RefCell<Option<TraceSet>>>,
    requests: Rc<Requests>,
) {
    loop {
        let next = requests.queue.borrow_mut().pop_front();
        let Some(asked) = next else { break };
        let is_find = |request: &Request| matches!(request, Request::Find { .. });
        if is_find(&asked.request) && requests.queue.borrow().iter().any(|later| is_find(&later.request)) {
            let answer = Answer::Refused("a later find replaced it".to_owned());
            post(&scope, &Reply::Answer { id: asked.id, answer });
            continue;
        }
        answer_request(&scope, kept.borrow().as_ref(), asked, &mut requests.remembered.borrow_mut());
        // Requests sent meanwhile come in.
        timeout(0).await;
    }
    requests.answering.set(false);
}

/// Answers `asked` about the kept set: `Request::Parts` with the set's parts (then
/// `Answer::Sent`), any other with its answer; refused when no set is kept (yet).
fn answer_request(
    scope: &DedicatedWorkerGlobalScope,
    kept: Option<&TraceSet>,
    asked: Asked,
    remembered: &mut Remembered,
) {
    let answer = match (kept, &asked.request) {
        (None, _) => Answer::Refused("the engine keeps no traces".to_owned()),
        (Some(set), Request::Parts) => {
            for_each_part(set, |part| post_bytes(scope, encode_part_reply(&part)));
            Answer::Sent
        }
        (Some(set), request) => answer_after(set, request, remembered),
    };
    post(scope, &Reply::Answer { id: asked.id, answer });
}

/// Posts `reply` as one transferred buffer.
pub fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    post_bytes(scope, encode_reply(reply));
}

/// Posts an encoded reply as one transferred buffer.
fn post_bytes(scope: &DedicatedWorkerGlobalScope, bytes: Vec<u8>) {
    let array = js_sys::Uint8Array::new_with_length(bytes.len() as u32);
    array.copy_from(&bytes);
    drop(bytes);
    let buffer = array.buffer();
    let _ = scope.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer));
}

/// Imports and indexes the sources in `data` (an array whose items are `["file", name, size,
/// File]`, whose bytes follow in `inbox`, or `["url", name, absolute URL]`, `["bytes", name,
/// ArrayBuffer]` or `["error", name, why]`, `["keep"]` to keep the set, and `["split"]` to have
/// a big file read by two workers) into one set with
/// `base` (the loaded traces, if the page sent them), telling the page how far it got; gives
/// back the set if it is to be kept. A worker the head of a file started is given that file's
/// tail instead (`["tail", ...]`, see `engine_tail`).
async fn load(
    scope: &DedicatedWorkerGlobalScope,
    data: JsValue,
    base: Result<Option<Assembly>, String>,
    inbox: SharedInbox,
) -> Option<TraceSet> {
    if let Some(tail) = data.dyn_ref::<js_sys::Array>().map(|items| js_sys::Array::from(&items.get(0))) {
        if tail.get(0).as_string().as_deref() == Some("tail") {
            read_tail(scope, &tail).await;
            return None;
        }
    }
    let mut builder = match base.and_then(|base| base.map(Assembly::finish).transpose()) {
        Ok(Some(set)) => TraceSetBuilder::from_set(set),
        Ok(None) => TraceSetBuilder::new(),
        Err(why) => {
            post(scope, &Reply::Failed(format!("the loaded traces could not be handed to the engine: {why}")));
            return None;
        }
    };
    let mut tally = LoadTally::new(&builder);
    let mut items: Vec<js_sys::Array> = data
        .dyn_into::<js_sys::Array>()
        .map(|list| list.iter().filter_map(|item| item.dyn_into::<js_sys::Array>().ok()).collect())
        .unwrap_or_default();
    let is_flag = |item: &js_sys::Array, flag: &str| item.get(0).as_string().as_deref() == Some(flag);
    let keep = items.iter().any(|item| is_flag(item, "keep"));
    let split = items.iter().any(|item| is_flag(item, "split"));
    items.retain(|item| !is_flag(item, "keep") && !is_flag(item, "split"));
    let file_size = |item: &js_sys::Array| match item.get(0).as_string().as_deref() {
        Some("file") => item.get(2).as_f64().unwrap_or(0.0) as u64,
        _ => 0,
    };
    let total_bytes: u64 = items.iter().map(file_size).sum();
    let mut done_bytes = 0u64;
    for item in items {
        let name = item.get(1).as_string().unwrap_or_default();
        let source = match item.get(0).as_string().as_deref() {
            Some("file") => {
                let size = file_size(&item);
                let progress = |phase: LoadPhase, read: u64, taken: u64| {
                    let (read_bytes, taken_bytes) = (done_bytes + read, done_bytes + taken);
                    post(scope, &Reply::Progress { phase, read_bytes, total_bytes, taken_bytes });
                };
                let file = item.get(3).dyn_into::<web_sys::File>().ok();
                stream_file(&mut builder, &mut tally, &inbox, (name, size, file), split, progress).await;
                done_bytes += size;
                continue;
            }
            Some("url") | Some("stream") => {
                let body = match body_of(scope, &item, name.clone()).await {
                    Ok(body) => body,
                    Err(why) => {
                        tally.record(&builder, builder.pushed_span_count(), Err(format!("{name}: {why}")));
                        continue;
                    }
                };
                let expected = body.expected_bytes;
                let progress = |phase: LoadPhase, received: u64| {
                    let read_bytes = done_bytes + received;
                    // The bar's length is known when the files' sizes and this body's are.
                    let total_bytes = expected.map_or(0, |expected| total_bytes + expected.max(received));
                    post(scope, &Reply::Progress { phase, read_bytes, total_bytes, taken_bytes: done_bytes });
                };
                import_body(scope, &mut builder, &mut tally, body, progress).await;
                continue;
            }
            Some("bytes") => LoadSource { bytes: Ok(js_sys::Uint8Array::new(&item.get(2)).to_vec()), name },
            _ => {
                let why = item.get(2).as_string().unwrap_or_else(|| "the page could not read it".to_owned());
                LoadSource { bytes: Err(why), name }
            }
        };
        let (read_bytes, taken_bytes) = (done_bytes, done_bytes);
        post(scope, &Reply::Progress { phase: LoadPhase::Parsing, read_bytes, total_bytes, taken_bytes });
        tally.import(&mut builder, source);
    }
    let outcome = tally.finish();
    let (read_bytes, taken_bytes) = (total_bytes, total_bytes);
    post(scope, &Reply::Progress { phase: LoadPhase::Indexing, read_bytes, total_bytes, taken_bytes });
    // The strings are final: the page takes them in while the tree is built (those the page
    // does not draw go empty to the page of a kept load, as what names them stays here).
    let send_string = |part: PartOf| post_bytes(scope, encode_part_reply(&part));
    if keep {
        for_each_page_string_part(&builder.strings, &builder.page_strings(), send_string);
    } else {
        for_each_string_part(&builder.strings, send_string);
    }
    let set = builder.finish();
    let mut rest = PartCursor::after_strings();
    if keep {
        rest = rest.page_copy();
    }
    while let Some(part) = rest.next_part(&set) {
        post_bytes(scope, encode_part_reply(&part));
    }
    // Checked here while the page decodes the parts: the page checks only the tables of what
    // it puts together, and shows it once told the load is done.
    if let Err(problem) = check_integrity(&set) {
        post(scope, &Reply::Failed(not_together(problem)));
        return None;
    }
    let minimaps = (0..set.trace_count())
        .map(|t| TraceIdx(t as u32))
        .filter(|&trace| set.traces.spans[trace.get()].len() >= ENGINE_MINIMAP_SPANS)
        .map(|trace| (trace, Minimap::of_trace(&set, trace, WIDTH_PX, HEIGHT_PX)))
        .collect();
    post(scope, &Reply::Loaded { outcome, minimaps });
    keep.then_some(set)
}

/// What the head of a file read by two workers reads beyond half the file: a tenth of the file,
/// up to this many bytes. The tail's worker starts later than the head and sends its rows over
/// once done; on a big file that is little next to its half.
const HEAD_LEAD_BYTES: u64 = 16 << 20;

/// A file to stream: its name, its size and the file itself (read again if it turns out broken
/// after its slices were dropped).
type StreamedFile = (String, u64, Option<web_sys::File>);

/// Imports a file as its slices arrive in `inbox` (`["slice", ArrayBuffer]`, then `["end"]`, or
/// `["unreadable", why]` when the page could not read on), telling `progress` the phase, the
/// bytes read and the bytes of the page's slices taken in after each slice. The slices are kept
/// as they came (outside the engine's memory) until the import has streamed spans: a file of
/// another format is then imported from them. When the page says to `split` (it has the cores),
/// a big file's second half is read by a second worker (see `engine_tail`), and the page is told
/// to stop sending at the half.
async fn stream_file(
    builder: &mut TraceSetBuilder,
    tally: &mut LoadTally,
    inbox: &SharedInbox,
    (name, size, file): StreamedFile,
    split: bool,
    progress: impl Fn(LoadPhase, u64, u64),
) {
    let first_span = builder.pushed_span_count();
    let mut tail = match &file {
        Some(file) if split && size >= SPLIT_BYTES && StreamedImport::may_stream(&name) => {
            TailWorker::start(file, &name, size / 2 + (size / 10).min(HEAD_LEAD_BYTES), size)
        }
        _ => None,
    };
    let mut import = StreamedImport::new(builder, &name, size as usize);
    let mut kept: Option<Vec<js_sys::Uint8Array>> = Some(Vec::new());
    // Bytes of the page's slices received, and of those pushed into the import.
    let (mut received, mut pushed) = (0u64, 0u64);
    let mut file_taken = false;
    loop {
        let message = js_sys::Array::from(&next_message(inbox).await);
        match message.get(0).as_string().as_deref() {
            Some("slice") => {}
            // The file's last slice came (it may have been shorter than it said).
            Some("end") => break,
            _ => {
                let why = message.get(1).as_string().unwrap_or_else(|| "unknown error".to_owned());
                import.abandon();
                tally.record(builder, first_span, Err(format!("{name}: the browser could not read it ({why})")));
                return;
            }
        }
        let slice = js_sys::Uint8Array::new(&message.get(1));
        let len = slice.length() as u64;
        let split_at = tail.as_ref().map_or(u64::MAX, |tail| tail.from);
        // Bytes of this slice before the tail's half (all of them when there is no tail).
        let wanted = split_at.saturating_sub(received).min(len);
        if wanted > 0 {
            import.push_with(wanted as usize, |space| slice.subarray(0, wanted as u32).copy_to(space));
            pushed += wanted;
        }
        received += len;
        if import.has_streamed_spans() {
            kept = None;
        } else if let Some(kept) = &mut kept {
            kept.push(slice.clone());
        }
        if tail.is_some() && received >= split_at && !file_taken {
            if import.may_split() {
                post(&worker_scope(), &Reply::FileTaken);
                file_taken = true;
            } else {
                // Not a file whose second half another worker can read: no split, the page
                // sends on.
                tail = None;
                if wanted < len {
                    import.push_with((len - wanted) as usize, |space| {
                        slice.subarray(wanted as u32, len as u32).copy_to(space)
                    });
                    pushed = received;
                }
            }
        }
        progress(LoadPhase::Reading, pushed + tail.as_ref().map_or(0, TailWorker::read_bytes), received);
        if tail.as_ref().is_some_and(|tail| !tail.is_handed()) {
            timeout(0).await;
        }
    }
    let result = match (tail, file_taken, &file) {
        (Some(tail), true, Some(file)) => {
            join_tail(import, tail, (&name, file), size, |phase, read| progress(phase, read, received)).await
        }
        _ => {
            progress(LoadPhase::Parsing, received, received);
            finish_file(import.finish(), kept, file, &name).await
        }
    };
    tally.record(builder, first_span, result);
}

/// Finishes a file whose head `import` has read up to `tail.from`, with the tail's worker's
/// rows: reads up to the tail's first span, joins; if the tail failed or does not join, reads
/// the rest of `file` (named `name`) itself. `progress` hears the phase and the bytes read by
/// both.
async fn join_tail(
    mut import: StreamedImport<'_>,
    tail: TailWorker,
    (name, file): (&str, &web_sys::File),
    size: u64,
    progress: impl Fn(LoadPhase, u64),
) -> Result<crate::core::import::FileReport, String> {
    let unreadable = |why: String| unreadable_again(name, &why);
    let mut resume_at = tail.from;
    if let Some(start) = tail.start_of_spans().await {
        if let Err(why) = push_range(&mut import, file, tail.from, start).await {
            import.abandon();
            return Err(unreadable(why));
        }
        resume_at = start;
        let sent = loop {
            match tail.next().await {
                Some(Reply::Tail(sent)) => break Some(sent),
                Some(Reply::Failed(_)) => break None,
                _ => progress(LoadPhase::Reading, tail.from + tail.read_bytes()),
            }
        };
        progress(LoadPhase::Parsing, size);
        drop(tail);
        if let Some(sent) = sent {
            let SentTail { tail: part, rows } = *sent;
            let joined = match TraceSetBuilder::from_rows(rows) {
                Ok(rows) => import.join(part, rows),
                Err(_) => Err(Box::new(import)),
            };
            match joined {
                Ok(finished) => return finish_file(finished, None, Some(file.clone()), name).await,
                Err(unjoined) => import = *unjoined,
            }
        }
    }
    if let Err(why) = push_range(&mut import, file, resume_at, size).await {
        import.abandon();
        return Err(unreadable(why));
    }
    finish_file(import.finish(), None, Some(file.clone()), name).await
}

/// The result of a finished import of the file `name`; a file it must import whole is taken
/// from the `kept` slices, or else read again from `file`.
async fn finish_file(
    finished: Finished<'_>,
    kept: Option<Vec<js_sys::Uint8Array>>,
    file: Option<web_sys::File>,
    name: &str,
) -> Result<crate::core::import::FileReport, String> {
    let again = async { read_again(file).await.map_err(|why| unreadable_again(name, &why)) };
    finish_import(finished, kept, again).await
}

/// The message for a file the browser could not read a second time.
fn unreadable_again(name: &str, why: &str) -> String {
    format!("{name}: the browser could not read it again ({why})")
}

/// The worker's own scope.
fn worker_scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// The body a `url` item names (fetched here) or a `stream` item hands over (`["stream", name,
/// ReadableStream, bytes announced or null, absolute URL, credentials or null]`, fetched by the
/// page); the error is a sentence.
async fn body_of(scope: &DedicatedWorkerGlobalScope, item: &js_sys::Array, name: String) -> Result<Body, String> {
    if item.get(0).as_string().as_deref() == Some("url") {
        let again = Refetch { url: item.get(2).as_string().unwrap_or_default(), credentials: None };
        return open(scope, name, again).await;
    }
    let stream = item.get(2).dyn_into().map_err(|_| "the page handed over no body".to_owned())?;
    let again = Refetch {
        url: item.get(4).as_string().unwrap_or_default(),
        credentials: item.get(5).as_string().and_then(|mode| web_sys::RequestCredentials::from_js_value(&mode.into())),
    };
    Ok(Body { name, stream, expected_bytes: item.get(3).as_f64().map(|bytes| bytes as u64), again })
}

/// Reads the whole `file` (a file that turned out broken after its slices were dropped).
async fn read_again(file: Option<web_sys::File>) -> Result<Vec<u8>, String> {
    let file = file.ok_or_else(|| "the page did not hand the file over".to_owned())?;
    bytes_of(Ok(file.array_buffer())).await
}
