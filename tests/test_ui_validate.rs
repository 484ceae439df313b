//! Compile errors of `#[validate(...)]`: each misuse in `tests/ui/validate/` with the
//! diagnostic it must produce, with the default features (the messages list the types
//! a rule applies to, which depend on the features; `test_ui_lean.rs` covers a build
//! without them).
#![cfg(all(feature = "url", feature = "regex"))]

#[path = "ui/toolchain.rs"]
mod toolchain;

#[test]
fn ui_validate() {
    if !toolchain::ui_tests_run() {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/validate/*.rs");
}
