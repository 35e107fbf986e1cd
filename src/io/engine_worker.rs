//! The worker's side of the engine channel. The page sends one load: the traces it has loaded
//! (in parts, when the load adds to them), then the sources (files, URLs to fetch, bytes it
//! fetched itself). The worker reads files in slices (reading ahead), imports and indexes
//! everything into one set with the loaded traces, and answers with progress and the finished
//! traces in parts, each answer one transferred buffer (see `core::engine::protocol`). The page
//! ends the worker after the load (or to cancel it), which frees all its memory.

use std::cell::RefCell;
use std::rc::Rc;

use rustc_hash::FxHashSet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{DedicatedWorkerGlobalScope, File, MessageEvent};

use crate::core::engine::load::{import_sources, LoadSource};
use crate::core::engine::parts::{for_each_string_part, Assembly, PartCursor};
use crate::core::engine::protocol::{decode_part, encode_reply, LoadPhase, Reply};
use crate::core::layout::minimap::{Minimap, ENGINE_MINIMAP_SPANS, HEIGHT_PX, WIDTH_PX};
use crate::core::model::{TraceId, TraceIdx, TraceSetBuilder};
use crate::io::files::{describe_error, read_file};

/// The loaded traces the page sent ahead of a load, as they arrive; or why one of their parts
/// was refused.
type Base = Rc<RefCell<Result<Option<Assembly>, String>>>;

/// Starts listening for loads and tells the page it is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else { return };
    let scope = Rc::new(scope);
    let replies = Rc::clone(&scope);
    let base: Base = Rc::new(RefCell::new(Ok(None)));
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        if data.is_instance_of::<js_sys::ArrayBuffer>() {
            add_base_part(&base, &js_sys::Uint8Array::new(&data).to_vec());
            return;
        }
        let scope = Rc::clone(&replies);
        let base = std::mem::replace(&mut *base.borrow_mut(), Ok(None));
        spawn_local(async move { load(&scope, data, base).await });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &Reply::Ready);
}

/// Adds a part of the loaded traces the page sends ahead of a load.
fn add_base_part(base: &Base, bytes: &[u8]) {
    let mut base = base.borrow_mut();
    let Ok(assembly) = &mut *base else { return };
    let added = decode_part(bytes).and_then(|part| assembly.get_or_insert_with(Assembly::default).add(part));
    if let Err(why) = added {
        *base = Err(why);
    }
}

/// Posts `reply` as one transferred buffer.
fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let bytes = encode_reply(reply);
    let array = js_sys::Uint8Array::new_with_length(bytes.len() as u32);
    array.copy_from(&bytes);
    drop(bytes);
    let buffer = array.buffer();
    let _ = scope.post_message_with_transfer(&buffer, &js_sys::Array::of1(&buffer));
}

/// Reads, imports and indexes the sources in `data` (an array whose items are `File`s, or
/// `["url", name, absolute URL]`, `["bytes", name, ArrayBuffer]` or `["error", name, why]`)
/// into one set with `base` (the loaded traces, if the page sent them), telling the page how far
/// it got.
async fn load(scope: &DedicatedWorkerGlobalScope, data: JsValue, base: Result<Option<Assembly>, String>) {
    let mut builder = match base.and_then(|base| base.map(Assembly::finish).transpose()) {
        Ok(Some(set)) => TraceSetBuilder::from_set(set),
        Ok(None) => TraceSetBuilder::new(),
        Err(why) => {
            post(scope, &Reply::Failed(format!("the loaded traces could not be handed to the engine: {why}")));
            return;
        }
    };
    let already_loaded: FxHashSet<TraceId> = builder.trace_ids_pushed_since(0).into_iter().collect();
    let items: Vec<JsValue> = data.dyn_into::<js_sys::Array>().map(|list| list.iter().collect()).unwrap_or_default();
    let total_bytes: u64 = items.iter().filter_map(|item| item.dyn_ref::<File>()).map(|file| file.size() as u64).sum();
    let mut sources: Vec<LoadSource> = Vec::with_capacity(items.len());
    let mut done_bytes = 0u64;
    for item in items {
        if let Some(file) = item.dyn_ref::<File>() {
            let size = file.size() as u64;
            let progress = |read: u64| {
                let reply = Reply::Progress { phase: LoadPhase::Reading, read_bytes: done_bytes + read, total_bytes };
                post(scope, &reply);
            };
            // Read ahead a slice at a time: the browser reads the next slice while this one is
            // copied into the engine's memory (FileReaderSync would do one, then the other).
            sources.push(read_file(file.clone(), progress).await);
            done_bytes += size;
        } else if let Some(item) = item.dyn_ref::<js_sys::Array>() {
            let name = item.get(1).as_string().unwrap_or_default();
            let bytes = match item.get(0).as_string().as_deref() {
                Some("url") => fetch_bytes(scope, &item.get(2).as_string().unwrap_or_default()).await,
                Some("bytes") => Ok(js_sys::Uint8Array::new(&item.get(2)).to_vec()),
                _ => Err(item.get(2).as_string().unwrap_or_else(|| "the page could not read it".to_owned())),
            };
            sources.push(LoadSource { name, bytes });
        }
    }
    post(scope, &Reply::Progress { phase: LoadPhase::Parsing, read_bytes: total_bytes, total_bytes });
    let outcome = import_sources(&mut builder, &already_loaded, sources);
    post(scope, &Reply::Progress { phase: LoadPhase::Indexing, read_bytes: total_bytes, total_bytes });
    // The strings are final: the page takes them in while the tree is built.
    for_each_string_part(&builder.strings, |part| post(scope, &Reply::Part(Box::new(part))));
    let set = builder.finish();
    let mut rest = PartCursor::after_strings();
    while let Some(part) = rest.next_part(&set) {
        post(scope, &Reply::Part(Box::new(part)));
    }
    let minimaps = (0..set.trace_count())
        .map(|t| TraceIdx(t as u32))
        .filter(|&trace| set.traces.spans[trace.get()].len() >= ENGINE_MINIMAP_SPANS)
        .map(|trace| (trace, Minimap::of_trace(&set, trace, WIDTH_PX, HEIGHT_PX)))
        .collect();
    post(scope, &Reply::Loaded { outcome, minimaps });
}

/// Fetches `url`; the error is a sentence about what went wrong.
async fn fetch_bytes(scope: &DedicatedWorkerGlobalScope, url: &str) -> Result<Vec<u8>, String> {
    let response = JsFuture::from(scope.fetch_with_str(url))
        .await
        .map_err(|error| format!("it could not be fetched ({})", describe_error(&error)))?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| "it could not be fetched (no response)".to_owned())?;
    if !response.ok() {
        return Err(format!("the server answered HTTP {} {}", response.status(), response.status_text()));
    }
    let buffer = match response.array_buffer() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(error) => Err(error),
    };
    let buffer = buffer.map_err(|error| format!("its body could not be read ({})", describe_error(&error)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
