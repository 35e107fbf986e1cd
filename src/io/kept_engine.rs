//! The engine's worker that keeps the loaded traces, as the page sees it. The worker of the
//! last load that added to the loaded traces stays running with the whole set, while the page
//! holds a copy of what it draws (ADR 0012): the page asks it, one message per request with an
//! id, for the rest (what a find matches, a span's details, a trace as JSON, the service graph)
//! and awaits the answer; and, when the next load adds to the loaded traces, has it
//! send its set part by part, each part handed straight on to the new load's worker. The next
//! load's worker takes over once that load has succeeded; a cancelled or failed load leaves
//! this one as it was.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::core::engine::protocol::{decode_reply, encode_request, is_part, Answer, Asked, Reply, Request};
use crate::io::engine::reply_kind;
use crate::io::files::{describe_error, timeout};
use crate::io::wake::Wake;

/// The longest the page waits for an answer, ms (a find over a million spans takes a few
/// hundred).
const ANSWER_WITHIN_MS: i32 = 60_000;

/// The worker that keeps the loaded traces.
pub struct KeptEngine {
    worker: Worker,
    shared: Rc<Shared>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// What the worker's handlers and the waiting requests share.
#[derive(Default)]
struct Shared {
    /// The id of the next request.
    next_id: Cell<u32>,
    /// The requests waiting for their answers, by id.
    waiting: RefCell<HashMap<u32, Rc<Slot>>>,
    /// Where the parts of the set go while they are sent to a new load's worker.
    relay_to: RefCell<Option<Worker>>,
    /// Wakes a load waiting for the parts sent to an earlier one (a cancelled load's) to end.
    relay_ended: Wake,
    /// Why the worker stopped, once it has.
    stopped: RefCell<Option<String>>,
}

/// Where one request's answer arrives.
#[derive(Default)]
struct Slot {
    answer: RefCell<Option<Result<Answer, String>>>,
    arrived: Wake,
}

impl Shared {
    /// Gives the request `id` its answer.
    fn answer(&self, id: u32, answer: Result<Answer, String>) {
        let slot = self.waiting.borrow_mut().remove(&id);
        if let Some(slot) = slot {
            *slot.answer.borrow_mut() = Some(answer);
            slot.arrived.wake();
        }
    }

    /// Fails every waiting request with `why`, and any later one.
    fn stop(&self, why: String) {
        self.stopped.borrow_mut().get_or_insert(why.clone());
        let waiting: Vec<u32> = self.waiting.borrow().keys().copied().collect();
        for id in waiting {
            self.answer(id, Err(why.clone()));
        }
    }
}

impl KeptEngine {
    /// Takes over `worker`, whose load kept its set, to answer requests.
    pub fn new(worker: Worker) -> Self {
        let shared = Rc::new(Shared::default());
        let on_message = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let data = js_sys::Uint8Array::new(&event.data());
                if is_part(&reply_kind(&data)) {
                    // A part of the set for a new load's worker: handed on as it is.
                    if let Some(target) = shared.relay_to.borrow().as_ref() {
                        let buffer = data.buffer();
                        let message = js_sys::Array::of2(&JsValue::from("part"), &buffer);
                        let _ = target.post_message_with_transfer(&message, &js_sys::Array::of1(&buffer));
                    }
                    return;
                }
                if let Ok(Reply::Answer { id, answer }) = decode_reply(&data.to_vec()) {
                    let answer = match answer {
                        Answer::Refused(why) => Err(why),
                        answer => Ok(answer),
                    };
                    shared.answer(id, answer);
                }
            })
        };
        let on_error = {
            let shared = Rc::clone(&shared);
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
                event.prevent_default();
                let message = event.message();
                let why = if message.is_empty() { "it stopped".to_owned() } else { message };
                shared.stop(format!("the engine that keeps the loaded traces failed ({why}); load them again"));
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Self { worker, shared, _on_message: on_message, _on_error: on_error }
    }

    /// Ends the worker; waiting requests fail.
    fn end(&self) {
        self.worker.terminate();
        self.shared.stop("the loaded traces changed".to_owned());
    }
}

thread_local! {
    static KEPT: RefCell<Option<KeptEngine>> = const { RefCell::new(None) };
    static ON_PAGE: RefCell<Option<PageAnswerer>> = const { RefCell::new(None) };
}

/// What answers [`ask`] on the page's own thread, see [`answer_on_page`].
type PageAnswerer = Rc<dyn Fn(Request) -> Answer>;

/// Has `answerer` answer [`ask`] while no engine keeps the loaded traces: for a page without
/// the engine's worker (the browser component tests, which answer with the engine's own
/// `core::engine::answers` over the set they show). The page carries no such code of its own.
pub fn answer_on_page(answerer: impl Fn(Request) -> Answer + 'static) {
    ON_PAGE.with(|on_page| *on_page.borrow_mut() = Some(Rc::new(answerer)));
}

/// Makes `engine` the one that keeps the loaded traces, ending the one before.
pub fn keep(engine: KeptEngine) {
    let before = KEPT.with(|kept| kept.borrow_mut().replace(engine));
    if let Some(before) = before {
        before.end();
        // This may run inside a handler of the worker before: its handlers are freed later.
        wasm_bindgen_futures::spawn_local(async move { drop(before) });
    }
}

/// Whether an engine keeps the loaded traces (the page then has its copy, and asks for the rest
/// with [`ask`]).
pub fn is_kept() -> bool {
    KEPT.with(|kept| kept.borrow().is_some())
}

/// Why the engine that keeps the loaded traces stopped, if it has (their attribute rows went
/// with it).
pub fn stopped() -> Option<String> {
    KEPT.with(|kept| kept.borrow().as_ref().and_then(|engine| engine.shared.stopped.borrow().clone()))
}

/// Asks the engine that keeps the loaded traces; the error says why there is no answer.
pub async fn ask(request: Request) -> Result<Answer, String> {
    let on_page = ON_PAGE.with(|on_page| on_page.borrow().clone());
    if let (Some(answerer), false) = (on_page, is_kept()) {
        return Ok(answerer(request));
    }
    let sent = KEPT.with(|kept| {
        let kept = kept.borrow();
        let engine = kept.as_ref().ok_or_else(|| "no engine keeps the loaded traces".to_owned())?;
        if let Some(why) = engine.shared.stopped.borrow().clone() {
            return Err(why);
        }
        let shared = Rc::clone(&engine.shared);
        let id = shared.next_id.get();
        shared.next_id.set(id.wrapping_add(1));
        let slot = Rc::new(Slot::default());
        shared.waiting.borrow_mut().insert(id, Rc::clone(&slot));
        let bytes = encode_request(&Asked { id, request });
        let buffer = js_sys::Uint8Array::from(bytes.as_slice()).buffer();
        let message = js_sys::Array::of2(&JsValue::from("ask"), &buffer);
        if let Err(error) = engine.worker.post_message_with_transfer(&message, &js_sys::Array::of1(&buffer)) {
            shared.waiting.borrow_mut().remove(&id);
            return Err(format!("the engine could not be asked ({})", describe_error(&error)));
        }
        // A worker that ends without an error event (closed, killed) must not leave the page
        // waiting for ever.
        let waited = Rc::clone(&shared);
        wasm_bindgen_futures::spawn_local(async move {
            timeout(ANSWER_WITHIN_MS).await;
            waited.answer(id, Err("the engine did not answer within a minute".to_owned()));
        });
        Ok((shared, slot))
    });
    let (_shared, slot) = sent?;
    loop {
        if let Some(answer) = slot.answer.borrow_mut().take() {
            return answer;
        }
        slot.arrived.wait().await;
    }
}

/// Has the engine that keeps the loaded traces send them, part by part, to `worker` (a new
/// load's, before its sources), and waits until all are sent.
pub async fn send_parts_to(worker: &Worker) -> Result<(), String> {
    let shared = KEPT.with(|kept| kept.borrow().as_ref().map(|engine| Rc::clone(&engine.shared)));
    let shared = shared.ok_or_else(|| "no engine keeps the loaded traces".to_owned())?;
    // Parts carry no request id: those of an earlier relay must all have gone first.
    while shared.relay_to.borrow().is_some() {
        shared.relay_ended.wait().await;
    }
    *shared.relay_to.borrow_mut() = Some(worker.clone());
    let sent = ask(Request::Parts).await;
    *shared.relay_to.borrow_mut() = None;
    shared.relay_ended.wake();
    match sent? {
        Answer::Sent => Ok(()),
        other => Err(format!("the engine answered {other:?} instead of the traces' parts")),
    }
}
