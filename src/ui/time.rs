//! Times as the viewer reads them: in the browser's time zone by default, or in UTC, with
//! milliseconds. The choice is remembered.

use leptos::prelude::*;

use crate::io::prefs;

/// The local-storage key of the time zone choice.
const TIME_ZONE_KEY: &str = "traceglass.timezone";

/// Whether times are shown in UTC (else in the viewer's time zone), shared through context.
#[derive(Clone, Copy)]
pub struct TimeZone(pub RwSignal<bool>);

/// Provides [`TimeZone`] from the remembered choice (local time by default).
pub fn provide_time_zone() {
    let utc = prefs::read(TIME_ZONE_KEY).as_deref() == Some("utc");
    provide_context(TimeZone(RwSignal::new(utc)));
}

/// Switches between local time and UTC and remembers the choice.
pub fn toggle_time_zone(zone: TimeZone) {
    let utc = !zone.0.get_untracked();
    prefs::write(TIME_ZONE_KEY, if utc { "utc" } else { "local" });
    zone.0.set(utc);
}

/// A timestamp (ns since the epoch), e.g. `2026-11-24 21:16:45.123`, or with ` UTC` appended.
/// Reads the [`TimeZone`] context (tracked, so views follow the choice).
pub fn format_timestamp(time_ns: i64) -> String {
    let utc = use_context::<TimeZone>().is_some_and(|zone| zone.0.get());
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(time_ns as f64 / 1e6));
    let parts = if utc {
        [
            date.get_utc_full_year(),
            date.get_utc_month() + 1,
            date.get_utc_date(),
            date.get_utc_hours(),
            date.get_utc_minutes(),
            date.get_utc_seconds(),
            date.get_utc_milliseconds(),
        ]
    } else {
        [
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date(),
            date.get_hours(),
            date.get_minutes(),
            date.get_seconds(),
            date.get_milliseconds(),
        ]
    };
    let [year, month, day, hours, minutes, seconds, millis] = parts;
    let text = format!("{year:04}-{month:02}-{day:02} {hours:02}:{minutes:02}:{seconds:02}.{millis:03}");
    if utc {
        text + " UTC"
    } else {
        text
    }
}
