//! Helpers of the `fuzz_*` property tests: the proptest configuration (bounded case
//! counts, regressions committed under `proptest-regressions/`) and the canary check.
#![allow(dead_code)] // reason: each target uses a different subset

use proptest::test_runner::{Config, FileFailurePersistence};

/// `cases` cases; failures are saved to `proptest-regressions/<file>.txt`, which is
/// committed and replayed first on every run.
pub fn config(cases: u32, file: &'static str) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..Config::default()
    }
}

/// The first 8-byte window of `canary` found in `text`.
pub fn leaked(canary: &str, text: &str) -> Option<String> {
    canary
        .as_bytes()
        .windows(8)
        .filter_map(|w| std::str::from_utf8(w).ok())
        .find(|w| text.contains(w))
        .map(str::to_owned)
}

/// Every text of an error: `Display` (plain and alternate), `Debug`, and each problem's.
pub fn error_texts(err: &confidant::Error) -> String {
    let mut out = format!("{err}\n{err:#}\n{err:?}\n");
    for problem in err.problems() {
        out.push_str(&format!("{problem}\n{problem:?}\n{}\n", problem.message()));
    }
    out
}
