//! Helpers shared by the native integration tests: where the real fixtures are, and snapshot
//! comparison.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The real-trace fixtures beside the repository (`../shared/fixtures/real`), or `None` when
/// they are absent. Under `CI=true` absence is a failure.
pub fn real_fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/real");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|value| value == "true") {
        panic!("the real fixtures are missing at {} (required under CI=true)", dir.display());
    }
    eprintln!("skipping: the real fixtures are not at {}", dir.display());
    None
}

/// Every `.json` file under `dir`, as paths relative to it, sorted.
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "json") {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Compares `actual` with the snapshot `tests/snapshots/<name>`; with `UPDATE_SNAPSHOTS=1`
/// writes it instead. Returns a description of the difference, if any.
pub fn check_snapshot(name: &str, actual: &str) -> Result<(), String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|value| value == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let expected = std::fs::read_to_string(&path)
        .map_err(|_| format!("no snapshot at {}; run with UPDATE_SNAPSHOTS=1 to write it", path.display()))?;
    if expected == actual {
        Ok(())
    } else {
        Err(format!("snapshot {name} differs:\n--- expected\n{expected}\n--- actual\n{actual}"))
    }
}
