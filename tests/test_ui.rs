//! Compile-time diagnostics of `#[derive(Settings)]`, one misuse per file, and tricky
//! inputs that must compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/settings/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
