//! The UI tests compare rustc's own words (`.stderr` files), which change between rustc
//! releases: they run on the release the files were made with, [`RUSTC`], and on any
//! other are skipped with a note saying why, so that a newer toolchain does not fail the
//! suite on wording. To move them to a new release: bless on it
//! (`TRYBUILD=overwrite cargo test -p confidant --all-features --test test_ui`), read the
//! changed `.stderr` files, and change [`RUSTC`]. `CONFIDANT_UI_ANY_RUSTC=1` runs them
//! on any release.

use std::process::Command;

/// The rustc release the `.stderr` files were made with (`rustc --version`).
pub const RUSTC: &str = "1.95.0";

/// Whether the UI tests should run: the toolchain cargo builds them with is [`RUSTC`]
/// (or `CONFIDANT_UI_ANY_RUSTC` is set). Prints why not.
pub fn ui_tests_run() -> bool {
    if std::env::var_os("CONFIDANT_UI_ANY_RUSTC").is_some() {
        return true;
    }
    // The rustc cargo uses: `RUSTC` if set, else the one on `PATH` (rustup's proxy
    // picks the toolchain cargo was started with).
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let version = Command::new(&rustc)
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    let Some(version) = version else {
        panic!("could not run `{} --version`", rustc.to_string_lossy());
    };
    // `rustc 1.95.0 (59807616e 2026-04-14)`
    if version.split_whitespace().nth(1) == Some(RUSTC) {
        return true;
    }
    eprintln!(
        "skipping the UI tests: their .stderr files were made with rustc {RUSTC}, and this is {version}; see tests/ui/toolchain.rs to move them, or set CONFIDANT_UI_ANY_RUSTC=1"
    );
    false
}
