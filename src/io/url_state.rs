//! The page address: the query parameters that say what to open (`url`, repeatable) and which
//! view to show (`trace`, `span`, `find`, `only`, `collapsed`). Written with `replaceState`, so
//! the address always reopens the current view, also on a plain static server under any prefix.
//!
//! Writes go to the address together, in a task the first of them schedules (opening a trace
//! changes several things the address follows, each of which wrote it at once, and each
//! `replaceState` costs the browser a message to its own process: 7–10 ms of the task that
//! builds a trace page, when it was written there); a read before it sees them.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    /// The parameters as written, waiting to go to the address.
    static PENDING: RefCell<Option<web_sys::UrlSearchParams>> = const { RefCell::new(None) };
}

/// The parameters: those waiting to go to the address, else the address's.
fn search_params() -> Option<web_sys::UrlSearchParams> {
    if let Some(pending) = PENDING.with(|pending| pending.borrow().clone()) {
        return Some(pending);
    }
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()
}

/// Every value of the query parameter `name`, in order.
pub fn query_values(name: &str) -> Vec<String> {
    let Some(params) = search_params() else { return Vec::new() };
    params.get_all(name).iter().filter_map(|value| value.as_string()).collect()
}

/// The first value of `name`, if any.
pub fn query_value(name: &str) -> Option<String> {
    search_params()?.get(name)
}

/// Replaces the parameters `names` with `values` (absent or empty values are dropped), keeping
/// every other parameter, without adding a history entry. The address changes in a task of its
/// own, with the writes made before it runs.
pub fn replace_query(values: &[(&str, Option<String>)]) {
    let Some(params) = search_params() else { return };
    for (name, value) in values {
        params.delete(name);
        if let Some(value) = value.as_deref().filter(|value| !value.is_empty()) {
            params.append(name, value);
        }
    }
    let first = PENDING.with(|pending| pending.borrow_mut().replace(params).is_none());
    if first {
        let flush = Closure::once_into_js(write_pending);
        let scheduled = web_sys::window().is_some_and(|window| {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(flush.unchecked_ref(), 0).is_ok()
        });
        if !scheduled {
            write_pending();
        }
    }
}

/// Writes the waiting parameters to the address.
fn write_pending() {
    let Some(params) = PENDING.with(|pending| pending.borrow_mut().take()) else { return };
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let query = String::from(params.to_string());
    let address = if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
    }
}
