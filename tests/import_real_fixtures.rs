//! Every real fixture (`../shared/fixtures/real/`, see its SOURCES.md) is imported: it loads,
//! passes `check_integrity` and matches its summary snapshot, or it is refused with the
//! expected message. Each is imported again under an unknown file name, to test detection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use traceglass::core::import::import_file;
use traceglass::core::model::summary::summarize;
use traceglass::core::model::{check_integrity, TraceSetBuilder};

fn import_text(name: &str, bytes: &[u8]) -> String {
    let mut builder = TraceSetBuilder::new();
    match import_file(&mut builder, name, bytes) {
        Ok(report) => {
            let set = builder.finish();
            if let Err(problem) = check_integrity(&set) {
                panic!("{name}: integrity check failed: {problem}");
            }
            let mut text = format!("format: {}\nrecords read: {}\n", report.format_name(), report.spans_read);
            for note in &report.notes {
                text.push_str(&format!("note: {note}\n"));
            }
            text + &summarize(&set, 30)
        }
        Err(error) => format!("refused: {error}\n"),
    }
}

#[test]
fn every_real_fixture_imports_or_is_refused_as_expected() {
    let Some(dir) = support::real_fixtures() else {
        return;
    };
    let files = support::json_files(&dir);
    assert!(files.len() >= 50, "expected the 50 real fixtures, found {}", files.len());
    let mut failures = Vec::new();
    for relative in files {
        let bytes = std::fs::read(dir.join(&relative)).unwrap();
        let name = relative.to_string_lossy().replace('\\', "/");
        let text = import_text(&name, &bytes);
        let snapshot = format!("real/{}.txt", name.trim_end_matches(".json"));
        if let Err(difference) = support::check_snapshot(&snapshot, &text) {
            failures.push(difference);
        }
        // Detection by structure alone: the same result under a name that says nothing.
        let unnamed = import_text("upload.bin", &bytes).replace("upload.bin", &name);
        if !text.starts_with("refused") {
            assert_eq!(unnamed, text, "{name} imports differently without its file name");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
