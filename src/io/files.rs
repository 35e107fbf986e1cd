//! Bytes from the user's files: a chosen or dropped `File`, read in slices by the engine's
//! worker. Each result names its source, so a refusal can say which one failed.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList};

pub use crate::core::engine::load::LoadSource as Source;

/// The files of a file list (from an `<input type="file">` or a drop).
pub fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|index| list.item(index)).collect()
}

/// Bytes read per step: big files are read in slices, never as one JS string, with progress
/// between slices.
const CHUNK_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// Reads a whole file in slices, telling `progress` the bytes read so far after each. The next
/// slice is asked for before the current one is copied, so the browser reads while the engine's
/// worker copies. (A load is cancelled by ending the worker.)
pub async fn read_file(file: File, progress: impl Fn(u64)) -> Source {
    let name = file.name();
    let size = file.size();
    let mut bytes = Vec::with_capacity(size as usize);
    let mut next = if size > 0.0 { Some(read_slice(&file, 0.0, size)) } else { None };
    while let Some(current) = next.take() {
        let (end, buffer) = current;
        if end < size {
            next = Some(read_slice(&file, end, size));
        }
        let buffer = match buffer {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        match buffer {
            Ok(buffer) => append_buffer(&mut bytes, &buffer),
            Err(error) => return unreadable(name, &error),
        }
        progress(end as u64);
    }
    Source { name, bytes: Ok(bytes) }
}

/// Starts reading the slice of `file` from `start` (at most [`CHUNK_BYTES`]); returns where the
/// slice ends and the promise of its bytes.
fn read_slice(file: &File, start: f64, size: f64) -> (f64, Result<js_sys::Promise, wasm_bindgen::JsValue>) {
    let end = (start + CHUNK_BYTES).min(size);
    (end, file.slice_with_f64_and_f64(start, end).map(|slice| slice.array_buffer()))
}

#[cfg(feature = "ui")]
/// Lets the browser paint (and handle input) before the next step: a zero-delay timeout.
pub async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Appends the bytes of `buffer` (an `ArrayBuffer`) to `bytes`.
fn append_buffer(bytes: &mut Vec<u8>, buffer: &wasm_bindgen::JsValue) {
    let chunk = js_sys::Uint8Array::new(buffer);
    let at = bytes.len();
    bytes.resize(at + chunk.length() as usize, 0);
    chunk.copy_to(&mut bytes[at..]);
}

/// The source `name` that the browser could not read, and why.
fn unreadable(name: String, error: &wasm_bindgen::JsValue) -> Source {
    Source { name, bytes: Err(format!("the browser could not read it ({})", describe_error(error))) }
}

/// A browser error as text: an `Error`'s message, a thrown string, or "unknown error".
pub fn describe_error(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
