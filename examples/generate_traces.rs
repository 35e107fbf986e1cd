//! Writes the benchmark traces to disk for the browser benchmark (`make bench`): one JSON file
//! per size, from the same deterministic generator as the native import benchmark.
//!
//! Usage: `generate_traces <folder> <size>...`, where a size is a span count (Jaeger JSON,
//! `jaeger-<spans>.json`) or `otlp:` and one (OTLP JSON, `otlp-<spans>.json`); a file that
//! already exists with the expected size is kept, so repeated runs do not write gigabytes again.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../benches/generator.rs"]
mod generator;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(folder) = args.next().map(PathBuf::from) else {
        eprintln!("usage: generate_traces <folder> <size>...");
        return ExitCode::FAILURE;
    };
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("cannot create {}: {error}", folder.display());
        return ExitCode::FAILURE;
    }
    for text in args {
        let (format, count) = text.split_once(':').unwrap_or(("jaeger", text.as_str()));
        let (Ok(spans), "jaeger" | "otlp") = (count.parse::<usize>(), format) else {
            eprintln!("not a size (a span count, or otlp: and one): {text}");
            return ExitCode::FAILURE;
        };
        let path = folder.join(format!("{format}-{spans}.json"));
        let json = if format == "otlp" { generator::otlp_json(spans) } else { generator::jaeger_json(spans) };
        let unchanged = std::fs::metadata(&path).is_ok_and(|meta| meta.len() == json.len() as u64);
        if !unchanged {
            if let Err(error) = std::fs::write(&path, json.as_bytes()) {
                eprintln!("cannot write {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        }
        println!("{} ({:.1} MB)", path.display(), json.len() as f64 / 1e6);
    }
    ExitCode::SUCCESS
}
