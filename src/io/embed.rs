//! The browser end of the embedding messages (`window.postMessage`, see the UI contract): reads
//! the messages a parent page sends into typed requests, and posts the page's own messages to
//! its parent. Who may send and where messages go is decided in `core::embed`.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::MessageEvent;

use crate::core::embed::MESSAGE_PREFIX;

/// What a parent page asks of the viewer.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    /// `traceglass:load`: open a file's text (or its parsed JSON, as text again).
    Load {
        /// The file name shown in messages.
        name: String,
        /// The file's text.
        text: String,
    },
    /// `traceglass:load-url`: open the trace at a URL.
    LoadUrl {
        /// As the parent wrote it.
        url: String,
    },
    /// `traceglass:select-span`: open a trace and select one of its spans.
    SelectSpan {
        /// The trace id, hex.
        trace_id: String,
        /// The span id, hex.
        span_id: String,
    },
    /// `traceglass:set-theme`: `light` or `dark`.
    SetTheme {
        /// The theme's name.
        theme: String,
    },
}

/// What the viewer tells its parent.
#[derive(Clone, Debug, PartialEq)]
pub enum Outbound {
    /// It can take messages.
    Ready,
    /// Traces are loaded: how many traces and spans in all.
    Loaded {
        /// Traces loaded.
        traces: usize,
        /// Spans loaded.
        spans: usize,
    },
    /// Something went wrong (the text the page shows).
    Error {
        /// The message.
        message: String,
    },
    /// The user selected a span (or a parent's `select-span` did).
    SpanSelected {
        /// The trace id, hex.
        trace_id: String,
        /// The span id, hex.
        span_id: String,
    },
    /// The page's content is now this tall, CSS px.
    Resize {
        /// The height.
        height: f64,
    },
}

/// Listens to messages for the life of the page. `on_message` hears each `traceglass:` message
/// with its sender's origin, read or refused (with why); other messages are not for us.
pub fn listen(mut on_message: impl FnMut(String, Result<Inbound, String>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(read) = read_message(&event.data()) {
            on_message(event.origin(), read);
        }
    });
    let _ = window.add_event_listener_with_callback("message", handler.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    handler.forget();
}

/// Reads one message; `None` when it is not a `traceglass:` message at all.
fn read_message(data: &JsValue) -> Option<Result<Inbound, String>> {
    let kind = field(data, "type")?.as_string()?;
    let kind = kind.strip_prefix(MESSAGE_PREFIX)?.to_owned();
    let text = |name: &str| -> Result<String, String> {
        field(data, name)
            .and_then(|value| value.as_string())
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| format!("traceglass:{kind} needs `{name}` as text"))
    };
    let read = match kind.as_str() {
        "load" => {
            let name = field(data, "name").and_then(|value| value.as_string()).unwrap_or_default();
            let name = if name.trim().is_empty() { "embedded.json".to_owned() } else { name };
            match field(data, "data") {
                Some(value) if value.is_string() => {
                    Ok(Inbound::Load { name, text: value.as_string().unwrap_or_default() })
                }
                Some(value) if value.is_object() => js_sys::JSON::stringify(&value)
                    .ok()
                    .and_then(|text| text.as_string())
                    .map(|text| Inbound::Load { name, text })
                    .ok_or_else(|| "traceglass:load: `data` could not be read as JSON".to_owned()),
                _ => Err("traceglass:load needs `data`: the file's text or its parsed JSON".to_owned()),
            }
        }
        "load-url" => text("url").map(|url| Inbound::LoadUrl { url }),
        "select-span" => {
            text("traceId").and_then(|trace_id| text("spanId").map(|span_id| Inbound::SelectSpan { trace_id, span_id }))
        }
        "set-theme" => text("theme").map(|theme| Inbound::SetTheme { theme }),
        other => {
            Err(format!("unknown message type traceglass:{other} (known: load, load-url, select-span, set-theme)"))
        }
    };
    Some(read)
}

fn field(data: &JsValue, name: &str) -> Option<JsValue> {
    if !data.is_object() {
        return None;
    }
    js_sys::Reflect::get(data, &JsValue::from_str(name)).ok().filter(|value| !value.is_undefined())
}

/// True when the page runs inside a frame.
pub fn has_parent() -> bool {
    let Some(window) = web_sys::window() else { return false };
    match window.parent() {
        Ok(Some(parent)) => !js_sys::Object::is(&parent, &window),
        _ => false,
    }
}

/// The page's own origin.
pub fn own_origin() -> String {
    web_sys::window().and_then(|window| window.location().origin().ok()).unwrap_or_default()
}

/// The address of the page that embedded this one, as far as the browser tells.
pub fn referrer() -> String {
    web_sys::window().and_then(|window| window.document()).map(|document| document.referrer()).unwrap_or_default()
}

/// Posts `message` to the parent frame, for `target_origin` only.
pub fn post_to_parent(message: &Outbound, target_origin: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(Some(parent)) = window.parent() else { return };
    let object = js_sys::Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), &value);
    };
    let kind = match message {
        Outbound::Ready => "ready",
        Outbound::Loaded { traces, spans } => {
            set("traces", JsValue::from_f64(*traces as f64));
            set("spans", JsValue::from_f64(*spans as f64));
            "loaded"
        }
        Outbound::Error { message } => {
            set("message", JsValue::from_str(message));
            "error"
        }
        Outbound::SpanSelected { trace_id, span_id } => {
            set("traceId", JsValue::from_str(trace_id));
            set("spanId", JsValue::from_str(span_id));
            "span-selected"
        }
        Outbound::Resize { height } => {
            set("height", JsValue::from_f64(*height));
            "resize"
        }
    };
    set("type", JsValue::from_str(&format!("{MESSAGE_PREFIX}{kind}")));
    let _ = parent.post_message(&object, target_origin);
}

/// Calls `on_change` with the page content's height whenever it changes (a ResizeObserver on
/// the document's root), for the life of the page.
pub fn watch_height(mut on_change: impl FnMut(f64) + 'static) {
    let Some(root) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    else {
        return;
    };
    let watched = root.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
        on_change(f64::from(watched.scroll_height()));
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
        if let Some(body) = web_sys::window().and_then(|window| window.document()).and_then(|document| document.body())
        {
            observer.observe(&body);
        }
        // Both live as long as the page.
        callback.forget();
        std::mem::forget(observer);
    }
}
