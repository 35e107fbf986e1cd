//! Bytes from the user's files: a chosen or dropped `File`, read in slices (by the page, which
//! sends them to the engine's worker). Each result names its source, so a refusal can say which
//! one failed.

use wasm_bindgen::JsCast;
use web_sys::{File, FileList};

/// The files of a file list (from an `<input type="file">` or a drop).
pub fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|index| list.item(index)).collect()
}

/// Bytes read per step: big files are read in slices, never as one JS string, with progress
/// between slices.
pub const CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// Starts reading the slice of `file` from `start` (at most [`CHUNK_BYTES`]); returns where the
/// slice ends and the promise of its bytes.
pub fn read_slice(file: &File, start: f64, size: f64) -> (f64, Result<js_sys::Promise, wasm_bindgen::JsValue>) {
    let end = (start + CHUNK_BYTES).min(size);
    (end, file.slice_with_f64_and_f64(start, end).map(|slice| slice.array_buffer()))
}

#[cfg(feature = "ui")]
/// Lets the browser paint (and handle input) before the next step: a zero-delay timeout.
pub async fn next_frame() {
    timeout(0).await;
}

/// Lets the page or the worker take its events, and waits `delay_ms`: a timeout of the global
/// scope (a window's or a worker's); at once where there is none.
pub async fn timeout(delay_ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let scheduled = js_sys::Reflect::get(&global, &"setTimeout".into())
            .ok()
            .and_then(|set_timeout| set_timeout.dyn_into::<js_sys::Function>().ok())
            .is_some_and(|set_timeout| set_timeout.call2(&global, &resolve, &delay_ms.into()).is_ok());
        if !scheduled {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The bytes of the `ArrayBuffer` a promise gives (a file's, an answer's); the error says why
/// there are none.
pub async fn bytes_of(buffer: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> Result<Vec<u8>, String> {
    let buffer = match buffer {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await,
        Err(error) => Err(error),
    };
    let buffer = buffer.map_err(|error| describe_error(&error))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A browser error as text: an `Error`'s message, a thrown string, or "unknown error".
pub fn describe_error(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
