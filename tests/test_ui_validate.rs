//! Compile errors of `#[validate(...)]`: each misuse in `tests/ui/validate/` with the
//! diagnostic it must produce.

#[test]
fn ui_validate() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/validate/*.rs");
}
