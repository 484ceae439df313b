//! Helpers of the `fuzz_*` property tests: the proptest configuration (bounded case
//! counts, regressions committed under `proptest-regressions/`) and the canary check.
#![allow(dead_code, unused_imports)] // reason: each target uses a different subset

use proptest::test_runner::{Config, FileFailurePersistence};

pub use crate::common::{error_texts, leaked};

/// `cases` cases; failures are saved to `proptest-regressions/<file>.txt`, which is
/// committed and replayed first on every run.
pub fn config(cases: u32, file: &'static str) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        ..Config::default()
    }
}
