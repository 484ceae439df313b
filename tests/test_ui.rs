//! Compile-time diagnostics of `#[derive(Settings)]`, one misuse per file, and tricky
//! inputs that must compile.

#[path = "ui/toolchain.rs"]
mod toolchain;

#[test]
fn ui() {
    if !toolchain::ui_tests_run() {
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/settings/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
