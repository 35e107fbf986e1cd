//! The page address: the query parameters that say what to open (`url`, repeatable) and which
//! view to show (`trace`, `span`, `find`, `only`, `collapsed`). Written with `replaceState`, so
//! the address always reopens the current view, also on a plain static server under any prefix.

use wasm_bindgen::JsValue;

fn search_params() -> Option<web_sys::UrlSearchParams> {
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
/// every other parameter, without adding a history entry.
pub fn replace_query(values: &[(&str, Option<String>)]) {
    let Some(window) = web_sys::window() else { return };
    let Some(params) = search_params() else { return };
    for (name, value) in values {
        params.delete(name);
        if let Some(value) = value.as_deref().filter(|value| !value.is_empty()) {
            params.append(name, value);
        }
    }
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let query = String::from(params.to_string());
    let address = if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&address));
    }
}
