//! Preferences remembered in the browser's local storage, and the system's colour scheme.
//!
//! Storage can be absent or refuse access (private windows, sandboxed iframes): every read then
//! falls back to "no preference" and every write is best effort, never an error for the user.

use web_sys::Storage;

/// The local-storage key under which the chosen theme is remembered.
pub const THEME_KEY: &str = "traceglass.theme";

fn local_storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored value for `key`, if storage is available and holds one.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; does nothing when storage is unavailable.
pub fn write(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        // A full or refused storage only means the choice is not remembered next time.
        let _ = storage.set_item(key, value);
    }
}

/// Whether the operating system asks for a dark colour scheme.
pub fn system_prefers_dark() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches())
}
