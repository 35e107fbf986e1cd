//! The page address: the query parameters that say what to open (`url`, repeatable).

/// Every value of the query parameter `name`, in order.
pub fn query_values(name: &str) -> Vec<String> {
    let Some(search) = web_sys::window().and_then(|window| window.location().search().ok()) else {
        return Vec::new();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return Vec::new() };
    params.get_all(name).iter().filter_map(|value| value.as_string()).collect()
}
