//! Helpers for a service's own tests.

use std::fmt::Write as _;
use std::path::Path;

use crate::settings::Settings;

/// The environment variable that makes [`assert_env_example`] rewrite the file instead
/// of failing, as snapshot tools do: `CONFIDANT_BLESS=1 cargo test`.
pub const BLESS_VAR: &str = "CONFIDANT_BLESS";

/// Asserts that the committed `.env.example` at `path` is what
/// [`Settings::env_example`] renders now, so the file cannot drift from the struct.
///
/// # Panics
///
/// When the file is missing or differs: the message shows a line diff (`-` committed,
/// `+` expected) and how to regenerate the file. With `CONFIDANT_BLESS=1` in the
/// environment it writes the file instead (and panics only if it cannot). The output
/// holds names and docs only, never a value of a secret.
///
/// ```
/// use confidant::Settings;
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     /// Port to listen on.
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join(".env.example");
/// # std::fs::write(&path, Config::env_example()).unwrap();
/// // In `tests/env_example.rs`, with `path` = ".env.example":
/// confidant::testing::assert_env_example::<Config>(&path);
/// ```
#[track_caller]
pub fn assert_env_example<S: Settings>(path: impl AsRef<Path>) {
    assert_generated(path.as_ref(), &S::env_example(), S::META.name);
}

/// Asserts that the committed settings docs at `path` (a Markdown file) are what
/// [`Settings::docs_markdown`] renders now, like [`assert_env_example`]:
/// `CONFIDANT_BLESS=1` rewrites the file instead of failing.
///
/// # Panics
///
/// When the file is missing or differs, with a line diff and how to regenerate it.
///
/// ```
/// use confidant::Settings;
///
/// #[derive(Settings)]
/// #[settings(prefix = "APP_")]
/// struct Config {
///     /// Port to listen on.
///     #[settings(default = 8080)]
///     port: u16,
/// }
///
/// # let dir = tempfile::tempdir().unwrap();
/// # let path = dir.path().join("settings.md");
/// # std::fs::write(&path, Config::docs_markdown()).unwrap();
/// // In `tests/docs.rs`, with `path` = "docs/settings.md":
/// confidant::testing::assert_docs::<Config>(&path);
/// ```
#[track_caller]
pub fn assert_docs<S: Settings>(path: impl AsRef<Path>) {
    assert_generated(path.as_ref(), &S::docs_markdown(), S::META.name);
}

/// Compares a committed generated file with what is generated now (or rewrites it when
/// blessing).
#[track_caller]
fn assert_generated(path: &Path, expected: &str, settings: &str) {
    let bless = std::env::var_os(BLESS_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    if bless {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() != Some(expected)
            && let Err(err) = std::fs::write(path, expected)
        {
            panic!("{BLESS_VAR}: cannot write {}: {err}", path.display());
        }
        return;
    }
    let actual = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => panic!(
            "{} cannot be read ({err}); create it with `{BLESS_VAR}=1 cargo test`",
            path.display()
        ),
    };
    if actual != expected {
        panic!(
            "{} is out of date with `{}`:\n{}\nregenerate it with `{BLESS_VAR}=1 cargo test` and review the change",
            path.display(),
            settings,
            diff(&actual, expected)
        );
    }
}

/// A line diff of `old` against `new` (longest common subsequence): `-` lines only in
/// `old`, `+` lines only in `new`, two-space context lines around each change.
pub(crate) fn diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    if old.ends_with('\n') != new.ends_with('\n') {
        ops.push(('!', "(the files differ in their final line ending)"));
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, (op, line)) in ops.iter().enumerate() {
        let near = changed
            .iter()
            .any(|&c| c.abs_diff(k) <= CONTEXT || (*op != ' ' && c == k));
        if !near {
            continue;
        }
        if last_shown.is_some_and(|l| l + 1 != k) {
            out.push_str("  ...\n");
        }
        let _ = writeln!(out, "{op} {line}");
        last_shown = Some(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::diff;

    #[test]
    fn diff_marks_changed_lines_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\n";
        let new = "a\nb\nc\nD\ne\nf\ng\n";
        assert_eq!(diff(old, new), "  b\n  c\n- d\n+ D\n  e\n  f\n");
        assert_eq!(diff("x\n", "x\ny\n"), "  x\n+ y\n");
    }
}
