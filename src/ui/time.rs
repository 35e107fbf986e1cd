//! Times as the viewer reads them: in the browser's time zone, with milliseconds.

/// A timestamp (ns since the epoch) in the viewer's local time, e.g. `2026-11-24 21:16:45.123`.
pub fn format_timestamp(time_ns: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(time_ns as f64 / 1e6));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds(),
        date.get_milliseconds()
    )
}
