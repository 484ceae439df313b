//! Compile errors of a lean build (`default-features = false`): a rule whose feature is
//! off says which feature to enable. Run by `.ci/run` as
//! `cargo test -p confidant --no-default-features --tests`.
#![cfg(not(any(feature = "url", feature = "regex")))]

#[path = "ui/toolchain.rs"]
mod toolchain;

#[test]
fn ui_lean() {
    if !toolchain::ui_tests_run() {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/lean/*.rs");
}
