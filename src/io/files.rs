//! Bytes from the user's files and from URLs: a chosen or dropped `File`, or a `?url=` fetched
//! relative to the page. Each result names its source, so a refusal can say which one failed.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList};

/// A file's or URL's bytes, or why they could not be had.
pub struct Source {
    /// The file name or the URL, as shown to the user.
    pub name: String,
    /// The bytes, or a sentence saying why there are none.
    pub bytes: Result<Vec<u8>, String>,
}

/// The files of a file list (from an `<input type="file">` or a drop).
pub fn files_of(list: Option<FileList>) -> Vec<File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|index| list.item(index)).collect()
}

/// Reads a whole file.
pub async fn read_file(file: File) -> Source {
    let name = file.name();
    let bytes = match JsFuture::from(file.array_buffer()).await {
        Ok(buffer) => Ok(js_sys::Uint8Array::new(&buffer).to_vec()),
        Err(error) => Err(format!("the browser could not read it ({})", describe(&error))),
    };
    Source { name, bytes }
}

/// Fetches `url` (relative URLs resolve against the page).
pub async fn fetch_url(url: &str) -> Source {
    let bytes = async {
        let response = gloo_net::http::Request::get(url)
            .send()
            .await
            .map_err(|error| format!("it could not be fetched ({error})"))?;
        if !response.ok() {
            return Err(format!("the server answered HTTP {} {}", response.status(), response.status_text()));
        }
        response.binary().await.map_err(|error| format!("its body could not be read ({error})"))
    }
    .await;
    Source { name: url.to_owned(), bytes }
}

fn describe(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}
