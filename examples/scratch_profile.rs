#![allow(warnings, clippy::all)]
#[path = "../benches/generator.rs"]
mod generator;
use std::time::Instant;
use traceglass::core::model::TraceSetBuilder;
fn main() {
    let text = generator::jaeger_json(100_000);
    let t = Instant::now();
    let v: serde::de::IgnoredAny = serde_json::from_str(&text).unwrap();
    println!("IgnoredAny parse {:?}", t.elapsed());
    let t = Instant::now();
    let mut b = TraceSetBuilder::new();
    traceglass::core::import::import_file(&mut b, "x.json", text.as_bytes()).unwrap();
    println!("import_file {:?}", t.elapsed());
    let t = Instant::now();
    let s = b.finish();
    println!("finish {:?}", t.elapsed());
}
