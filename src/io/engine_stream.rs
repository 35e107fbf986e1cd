//! Fetched traces imported as their bodies arrive. A URL to load (the `url` parameter, an
//! embedding page's `loadUrl`, a bundled sample) is fetched by the engine's worker, and a trace
//! the page fetched from Jaeger comes as the answer's body stream, handed over as it was opened:
//! either way the worker reads the body piece by piece into the streamed import
//! (`StreamedImport::of_body`), so the download and the parse run at once, the bytes never sit
//! whole in the engine's memory nor on the page, and the progress bar counts what has come.
//!
//! Until the import has streamed a span the pieces are kept (outside the engine's memory): a body
//! of another format is then imported whole from them. A body found broken after its pieces were
//! dropped is fetched again, whole, for the import's message about it.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, ReadableStream, ReadableStreamDefaultReader, RequestCredentials};

use crate::core::engine::load::LoadTally;
use crate::core::engine::protocol::LoadPhase;
use crate::core::import::{FileReport, Finished, StreamedImport};
use crate::core::model::TraceSetBuilder;
use crate::io::files::{bytes_of, describe_error};

/// Pieces of a body gathered before they go into the import together: a fetch hands over
/// pieces of a few kilobytes, and each push walks what it completes.
const PUSH_BYTES: usize = 1 << 20;

/// A body to import: its name (the URL as the user knows it), its stream, the bytes its answer
/// announced (`Content-Length` of an answer not compressed in transit), and how to fetch it again.
pub struct Body {
    /// The URL as the user knows it, for messages.
    pub name: String,
    /// The answer's body.
    pub stream: ReadableStream,
    /// The bytes the answer announced, if it did.
    pub expected_bytes: Option<u64>,
    /// Where it came from, to fetch it again.
    pub again: Refetch,
}

/// How to fetch a body again: its absolute URL and the credentials its first fetch sent.
pub struct Refetch {
    /// Absolute.
    pub url: String,
    /// `include`, `same-origin` or `omit`; the browser's default when none.
    pub credentials: Option<RequestCredentials>,
}

/// Fetches `again` and opens its answer's body; the error is a sentence about what went wrong.
pub async fn open(scope: &DedicatedWorkerGlobalScope, name: String, again: Refetch) -> Result<Body, String> {
    let response = fetch(scope, &again).await?;
    let stream = response.body().ok_or_else(|| "the server answered without a body".to_owned())?;
    Ok(Body { name, stream, expected_bytes: announced_bytes(&response), again })
}

/// The body's length as the answer announced it: `Content-Length`, unless the body was
/// compressed in transit (the length then counts the compressed bytes).
pub fn announced_bytes(response: &web_sys::Response) -> Option<u64> {
    let headers = response.headers();
    if headers.get("content-encoding").ok().flatten().is_some_and(|coding| !coding.eq_ignore_ascii_case("identity")) {
        return None;
    }
    headers.get("content-length").ok().flatten().and_then(|length| length.trim().parse().ok())
}

/// Fetches `again`: the answer when it is a success; the error is a sentence.
async fn fetch(scope: &DedicatedWorkerGlobalScope, again: &Refetch) -> Result<web_sys::Response, String> {
    let init = web_sys::RequestInit::new();
    if let Some(credentials) = again.credentials {
        init.set_credentials(credentials);
    }
    let response = JsFuture::from(scope.fetch_with_str_and_init(&again.url, &init))
        .await
        .map_err(|error| format!("it could not be fetched ({})", describe_error(&error)))?;
    let response: web_sys::Response =
        response.dyn_into().map_err(|_| "it could not be fetched (no response)".to_owned())?;
    if !response.ok() {
        return Err(format!("the server answered HTTP {} {}", response.status(), response.status_text()));
    }
    Ok(response)
}

/// Imports `body` into `builder` as it arrives and records the outcome in `tally`; `progress`
/// hears the bytes received so far after each push.
pub async fn import_body(
    scope: &DedicatedWorkerGlobalScope,
    builder: &mut TraceSetBuilder,
    tally: &mut LoadTally,
    body: Body,
    progress: impl Fn(LoadPhase, u64),
) {
    let first_span = builder.pushed_span_count();
    let Body { name, stream, expected_bytes, again } = body;
    let expected = expected_bytes.and_then(|bytes| usize::try_from(bytes).ok());
    let mut import = StreamedImport::of_body(builder, &name, expected);
    let result = match read_into(&mut import, &stream, &progress).await {
        Ok(kept) => {
            progress(LoadPhase::Parsing, 0);
            finish_import(import.finish(), kept, fetch_again(scope, &name, &again)).await
        }
        Err(why) => {
            import.abandon();
            Err(format!("{name}: its body could not be read to its end ({why})"))
        }
    };
    tally.record(builder, first_span, result);
}

/// Reads `stream` to its end into `import`; gives the pieces read if the import has streamed no
/// span (it may have to import them whole), or why the body could not be read.
async fn read_into(
    import: &mut StreamedImport<'_>,
    stream: &ReadableStream,
    progress: &impl Fn(LoadPhase, u64),
) -> Result<Option<Vec<js_sys::Uint8Array>>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut kept: Option<Vec<js_sys::Uint8Array>> = Some(Vec::new());
    let mut waiting: Vec<js_sys::Uint8Array> = Vec::new();
    let (mut waiting_bytes, mut received) = (0usize, 0u64);
    loop {
        let next = next_piece(&reader).await?;
        if let Some(piece) = &next {
            waiting_bytes += piece.length() as usize;
            waiting.push(piece.clone());
            if waiting_bytes < PUSH_BYTES {
                continue;
            }
        }
        for piece in waiting.drain(..) {
            import.push_with(piece.length() as usize, |space| piece.copy_to(space));
            received += u64::from(piece.length());
            match &mut kept {
                Some(_) if import.has_streamed_spans() => kept = None,
                Some(pieces) => pieces.push(piece),
                None => {}
            }
        }
        waiting_bytes = 0;
        progress(LoadPhase::Reading, received);
        if next.is_none() {
            return Ok(kept);
        }
    }
}

/// The next piece of the body, or `None` at its end.
async fn next_piece(reader: &ReadableStreamDefaultReader) -> Result<Option<js_sys::Uint8Array>, String> {
    let result = JsFuture::from(reader.read()).await.map_err(|error| describe_error(&error))?;
    let field = |name: &str| js_sys::Reflect::get(&result, &name.into()).unwrap_or_default();
    if field("done").as_bool().unwrap_or(true) {
        return Ok(None);
    }
    field("value").dyn_into::<js_sys::Uint8Array>().map(Some).map_err(|_| "a piece that is not bytes".to_owned())
}

/// The result of a finished import: one it must import whole after all takes the `kept` pieces,
/// or else the bytes `again` reads anew (awaited only then); errors name the source.
pub async fn finish_import(
    finished: Finished<'_>,
    kept: Option<Vec<js_sys::Uint8Array>>,
    again: impl std::future::Future<Output = Result<Vec<u8>, String>>,
) -> Result<FileReport, String> {
    let whole = match finished {
        Finished::Imported(result) => return result.map_err(|error| error.to_string()),
        Finished::NeedsWholeFile(whole) => whole,
    };
    let bytes = match kept {
        Some(pieces) => concatenate(&pieces),
        None => again.await?,
    };
    whole.import(&bytes).map_err(|error| error.to_string())
}

/// The whole body `name` fetched again from `again`; the error names it.
async fn fetch_again(scope: &DedicatedWorkerGlobalScope, name: &str, again: &Refetch) -> Result<Vec<u8>, String> {
    let again_failed = |why: String| format!("{name}: fetched again, {why}");
    let response = fetch(scope, again).await.map_err(again_failed)?;
    bytes_of(response.array_buffer()).await.map_err(|why| again_failed(format!("its body could not be read ({why})")))
}

/// The bytes of `pieces`, one after the other.
fn concatenate(pieces: &[js_sys::Uint8Array]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(pieces.iter().map(|piece| piece.length() as usize).sum());
    for piece in pieces {
        let at = bytes.len();
        bytes.resize(at + piece.length() as usize, 0);
        piece.copy_to(&mut bytes[at..]);
    }
    bytes
}
