//! Import throughput: Jaeger JSON and OTLP JSON of 10k, 100k and 1M spans (from the
//! deterministic generator) imported and indexed into a finished `TraceSet`.
//!
//! First a table of one timed run per case with MB/s, spans/s and peak heap (the input bytes
//! included, counted by a wrapping allocator); then divan's repeated timings with throughput.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, missing_docs, unsafe_code)]
// Wall-clock time is what a benchmark measures; this runs natively, never on wasm32.
#![allow(clippy::disallowed_methods)]

mod generator;

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use traceglass::core::analysis::find::{find_spans, parse_query};
use traceglass::core::analysis::find_index::FindIndex;
use traceglass::core::analysis::service_graph::service_graph;
use traceglass::core::engine::parts::{for_each_part, Assembly};
use traceglass::core::engine::protocol::{decode_reply, encode_part_reply, Reply};
use traceglass::core::import::{import_file, Finished, StreamedImport};
use traceglass::core::model::{TraceIdx, TraceSet, TraceSetBuilder};

/// The system allocator, counting bytes in use and their peak.
struct CountingAlloc;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        pointer
    }
    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            if new_size > layout.size() {
                let now = IN_USE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                IN_USE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Input {
    Jaeger,
    Otlp,
}

fn input(kind: Input, spans: usize) -> &'static str {
    static CACHE: OnceLock<Mutex<HashMap<(Input, usize), &'static str>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap();
    cache.entry((kind, spans)).or_insert_with(|| {
        let text = match kind {
            Input::Jaeger => generator::jaeger_json(spans),
            Input::Otlp => generator::otlp_json(spans),
        };
        Box::leak(text.into_boxed_str())
    })
}

fn import(text: &str) -> usize {
    let mut builder = TraceSetBuilder::new();
    import_file(&mut builder, "bench.json", text.as_bytes()).unwrap();
    builder.finish().span_count()
}

fn main() {
    println!("Import into a finished TraceSet (one run each; peak heap includes the input bytes)");
    println!(
        "{:<8} {:>10} {:>10} {:>10} {:>9} {:>13} {:>13}",
        "format", "spans", "input MB", "time ms", "MB/s", "spans/s", "peak heap MB"
    );
    // TRACEGLASS_BENCH_MAX_SPANS limits the table (and skips divan) for a quick look.
    let max_spans: Option<usize> = std::env::var("TRACEGLASS_BENCH_MAX_SPANS").ok().and_then(|text| text.parse().ok());
    let mut finds = Vec::new();
    let mut transfers = Vec::new();
    let mut splits = Vec::new();
    let mut graphs = Vec::new();
    for kind in [Input::Jaeger, Input::Otlp] {
        for spans in SIZES.into_iter().filter(|&spans| max_spans.is_none_or(|max| spans <= max)) {
            let before = IN_USE.load(Ordering::Relaxed);
            let text = match kind {
                Input::Jaeger => generator::jaeger_json(spans),
                Input::Otlp => generator::otlp_json(spans),
            };
            PEAK.store(IN_USE.load(Ordering::Relaxed), Ordering::Relaxed);
            let started = Instant::now();
            // As the viewer does: the input bytes are dropped once parsed, before indexing.
            let mut builder = TraceSetBuilder::new();
            import_file(&mut builder, "bench.json", text.as_bytes()).unwrap();
            let megabytes = text.len() as f64 / 1e6;
            drop(text);
            let set = builder.finish();
            let seconds = started.elapsed().as_secs_f64();
            assert_eq!(set.span_count(), spans);
            let peak_mb = (PEAK.load(Ordering::Relaxed) - before) as f64 / 1e6;
            println!(
                "{:<8} {:>10} {:>10.1} {:>10.1} {:>9.1} {:>13.0} {:>13.1}",
                format!("{kind:?}"),
                spans,
                megabytes,
                seconds * 1e3,
                megabytes / seconds,
                spans as f64 / seconds,
                peak_mb
            );
            graphs.push((format!("{kind:?}"), spans, time_graph(&set)));
            if kind == Input::Jaeger && spans >= 100_000 {
                drop(set);
                splits.push((spans, time_split(&generator::jaeger_json(spans))));
                let mut builder = TraceSetBuilder::new();
                import_file(&mut builder, "bench.json", generator::jaeger_json(spans).as_bytes()).unwrap();
                let set = builder.finish();
                finds.push((format!("{kind:?}"), spans, time_find(&set)));
                transfers.push((format!("{kind:?}"), spans, time_transfer(set)));
                continue;
            }
            finds.push((format!("{kind:?}"), spans, time_find(&set)));
            transfers.push((format!("{kind:?}"), spans, time_transfer(set)));
        }
    }
    println!();
    println!("Find in the trace (\"payment\": service, operation, ids, attributes, resources, events)");
    println!("{:<8} {:>10} {:>10} {:>10} {:>10}", "format", "spans", "matches", "time ms", "index ms");
    for (kind, spans, (matches, seconds, index_seconds)) in finds {
        println!("{kind:<8} {spans:>10} {matches:>10} {:>10.1} {:>10.1}", seconds * 1e3, index_seconds * 1e3);
    }
    println!();
    println!("The service graph of the loaded traces (what the engine answers the dependency page)");
    println!("{:<8} {:>10} {:>10} {:>10} {:>10}", "format", "spans", "services", "edges", "time ms");
    for (kind, spans, (services, edges, seconds)) in graphs {
        println!("{kind:<8} {spans:>10} {services:>10} {edges:>10} {:>10.1}", seconds * 1e3);
    }
    println!();
    println!("The finished set sent from the engine's worker to the page in parts (encode; decode, assemble, check)");
    println!("{:<8} {:>10} {:>10} {:>10} {:>10}", "format", "spans", "MB", "encode ms", "decode ms");
    for (kind, spans, (megabytes, encode, decode)) in transfers {
        println!("{kind:<8} {spans:>10} {megabytes:>10.1} {:>10.1} {:>10.1}", encode * 1e3, decode * 1e3);
    }
    println!();
    println!("Jaeger JSON parsed as the engine reads it (8 MB slices), by one import and by a head and a tail on two threads");
    println!("{:>10} {:>12} {:>12} {:>10}", "spans", "one ms", "two ms", "join ms");
    for (spans, (one, two, join)) in splits {
        println!("{spans:>10} {:>12.1} {:>12.1} {:>10.1}", one * 1e3, two * 1e3, join * 1e3);
    }
    println!();
    if max_spans.is_none() {
        divan::main();
    }
}

/// The engine's slices.
const SLICE_BYTES: usize = 8 << 20;

/// Parses `text` in slices into a builder, as one import and as a head and a tail from its
/// middle on two threads, joined: (seconds for one, seconds for two with the join, of which the
/// join). Neither finishes the set (the same work after either).
fn time_split(text: &str) -> (f64, f64, f64) {
    let bytes = text.as_bytes();
    let started = Instant::now();
    let mut builder = TraceSetBuilder::new();
    let mut import = StreamedImport::new(&mut builder, "bench.json", bytes.len());
    for slice in bytes.chunks(SLICE_BYTES) {
        import.push(slice);
    }
    assert!(matches!(import.finish(), Finished::Imported(Ok(_))));
    let one = started.elapsed().as_secs_f64();
    drop(builder);

    let started = Instant::now();
    let (starts, start_told) = std::sync::mpsc::channel();
    let mut builder = TraceSetBuilder::new();
    let head_builder = &mut builder;
    let ((tail, tail_builder), head) = std::thread::scope(|scope| {
        let tail = scope.spawn(move || {
            let mut builder = TraceSetBuilder::new();
            let mut import = StreamedImport::tail(&mut builder, "bench.json", bytes.len() / 2, bytes.len());
            let mut told = false;
            for slice in bytes[bytes.len() / 2..].chunks(SLICE_BYTES) {
                import.push(slice);
                if let (false, Some(start)) = (told, import.tail_start()) {
                    starts.send(start).unwrap();
                    told = true;
                }
            }
            (import.finish_tail().unwrap(), builder)
        });
        let head = scope.spawn(move || {
            let start = start_told.recv().unwrap();
            let mut import = StreamedImport::new(head_builder, "bench.json", bytes.len());
            for slice in bytes[..start].chunks(SLICE_BYTES) {
                import.push(slice);
            }
            import
        });
        (tail.join().unwrap(), head.join().unwrap())
    });
    let join_started = Instant::now();
    let Ok(Finished::Imported(Ok(_))) = head.join(tail, tail_builder) else { panic!("the halves did not join") };
    let join = join_started.elapsed().as_secs_f64();
    (one, started.elapsed().as_secs_f64(), join)
}

/// Finds "payment" in the set's one trace, with the set's find index built beforehand (as the
/// engine does while it is idle): (matches, seconds, seconds to build the index).
fn time_find(set: &TraceSet) -> (usize, f64, f64) {
    let query = parse_query("payment").unwrap();
    let indexing = Instant::now();
    let index = FindIndex::of(set);
    let index_seconds = indexing.elapsed().as_secs_f64();
    let started = Instant::now();
    let matches = find_spans(set, &index, TraceIdx(0), &query).len();
    (matches, started.elapsed().as_secs_f64(), index_seconds)
}

/// The service graph of every trace in `set`: (services, edges, seconds).
fn time_graph(set: &TraceSet) -> (usize, usize, f64) {
    let started = Instant::now();
    let graph = service_graph(set, &[]);
    (graph.services.len(), graph.edges.len(), started.elapsed().as_secs_f64())
}

/// Encodes `set` in parts as the worker does and puts it back together as the page does:
/// (MB, seconds, seconds).
fn time_transfer(set: TraceSet) -> (f64, f64, f64) {
    let started = Instant::now();
    let mut messages = Vec::new();
    for_each_part(&set, |part| messages.push(encode_part_reply(&part)));
    let encoded = started.elapsed().as_secs_f64();
    drop(set);
    let started = Instant::now();
    let mut assembly = Assembly::default();
    for bytes in &messages {
        let Reply::Part(part) = decode_reply(bytes).unwrap() else { unreachable!() };
        assembly.add(*part).unwrap();
    }
    let decoded = assembly.finish().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    drop(decoded);
    (messages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6, encoded, seconds)
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn jaeger_json(bencher: Bencher, spans: usize) {
    let text = input(Input::Jaeger, spans);
    bencher.counter(BytesCount::of_str(text)).counter(ItemsCount::new(spans)).bench(|| import(text));
}

#[divan::bench(args = SIZES, sample_count = 5, sample_size = 1)]
fn otlp_json(bencher: Bencher, spans: usize) {
    let text = input(Input::Otlp, spans);
    bencher.counter(BytesCount::of_str(text)).counter(ItemsCount::new(spans)).bench(|| import(text));
}
