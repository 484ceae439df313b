//! `.env` files, parsed by our own parser ([`parse`]), which follows dotenvy 0.15.7's
//! rules but substitutes `$VAR` from the loader's environment, keeps every value in
//! zeroizing buffers and tells the line of each key. A line that does not parse becomes
//! a problem naming the file, line and key, never the content.

mod parse;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

pub(crate) use self::parse::Env;
use self::parse::Item;
use super::{Found, Hit, Raw};
use crate::error::{Problem, ProblemKind, Problems};
use crate::origin::Origin;
use crate::plan::Plan;

/// The default `.env`: in the current directory or its nearest parent.
pub(crate) fn find_default() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        let candidate = dir.join(".env");
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// One `.env` file of a load.
pub(crate) struct DotenvFile<'a> {
    pub path: &'a Path,
    /// Named explicitly: a missing file is a problem.
    pub required: bool,
    /// Its layer: higher wins.
    pub layer: usize,
}

/// Reads one `.env` file into hits. A missing file is a problem when `required`.
/// `$VAR` and `${VAR}` in values read `env` (the environment the loader uses), then the
/// keys defined earlier in the file.
pub(crate) fn scan(
    plan: &Plan,
    file: &DotenvFile<'_>,
    env: Env<'_>,
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut crate::names::Warnings,
) {
    let &DotenvFile {
        path,
        required,
        layer,
    } = file;
    let text = match std::fs::read(path) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return,
        Err(err) => {
            let message = format!("cannot read .env file {}: {}", path.display(), err.kind());
            problems.source(source_problem(message));
            return;
        }
    };
    let text: &[u8] = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    let text = match std::str::from_utf8(text) {
        Ok(text) => text,
        Err(err) => {
            // dotenvy fails the same way (its reader reads UTF-8 lines).
            let line = 1 + text[..err.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            let message = format!(
                "cannot read .env file {}: line {line} is not UTF-8",
                path.display()
            );
            problems.source(source_problem(message));
            return;
        }
    };
    let mut buf = Vec::new();
    for item in parse::parse(text, env) {
        match item {
            Item::Pair {
                key,
                value,
                line,
                substituted,
            } => {
                let Some(r) = plan.env_ref(key.as_bytes(), &mut buf) else {
                    // A key with our prefix is a warning; another service's key is not.
                    crate::names::dotenv_key(plan, key, path, || line, warnings);
                    continue;
                };
                // A value over several lines may be a stray quote that swallowed the
                // lines after it, secrets included: an error never shows it either.
                let conceal = substituted || value.contains('\n');
                let raw = if r.file {
                    Raw::Path {
                        path: value.as_str().into(),
                        regular: false,
                    }
                } else {
                    Raw::Text(value)
                };
                hits.push(Hit {
                    leaf: r.leaf,
                    raw,
                    found: Found {
                        conceal,
                        at: line,
                        ..Found::named(layer, r, key.to_owned())
                    },
                });
            }
            Item::Bad { line, text } => {
                let origin = Origin::Dotenv {
                    path: path.to_owned(),
                    line,
                    encrypted: false,
                };
                // An unterminated quote swallows the lines after it: every key of
                // ours among them is reported, so none goes silently missing.
                let mut keys = text.lines().map(parse::key_of);
                let first_key = keys.next().flatten();
                let mut ours: Vec<usize> = first_key
                    .into_iter()
                    .chain(keys.flatten())
                    .filter_map(|key| plan.env_ref(key.as_bytes(), &mut buf))
                    .map(|r| r.leaf)
                    .collect();
                ours.dedup();
                for &leaf_index in &ours {
                    let leaf = &plan.leaves[leaf_index];
                    let message = format!(
                        "the .env line starting at line {line} does not parse (content not shown); check its quotes and escapes"
                    );
                    problems.leaf(
                        leaf_index,
                        leaf.problem(ProblemKind::Unreadable, message)
                            .at(Some(origin.clone())),
                    );
                }
                // A line with no recognisable key might be ours; one with another
                // service's key is not: a shared `.env` must not break this service.
                if ours.is_empty() && first_key.is_none() {
                    problems.source(
                        Problem::of_source(
                            ProblemKind::Unreadable,
                            "this .env line does not parse (content not shown)".to_owned(),
                        )
                        .at(Some(origin)),
                    );
                }
            }
        }
    }
}

fn source_problem(message: String) -> Problem {
    Problem::of_source(ProblemKind::Unreadable, message)
}

/// Every `(key, value)` of a `.env`-format file, parsed as `scan` parses (without
/// substitution), for files that are not a settings layer (`.env.keys`, a file's
/// `DOTENV_PUBLIC_KEY`); an unreadable file gives none, lines that do not parse are
/// skipped.
#[cfg(feature = "dotenvx")]
pub(crate) fn pairs(path: &Path) -> Vec<(String, Zeroizing<String>)> {
    let Ok(bytes) = std::fs::read(path).map(Zeroizing::new) else {
        return Vec::new();
    };
    let bytes: &[u8] = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    parse::parse(text, Env::Vars(&[]))
        .into_iter()
        .filter_map(|item| match item {
            Item::Pair { key, value, .. } => Some((key.to_owned(), value)),
            Item::Bad { .. } => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_of_reads_plain_and_exported_keys() {
        assert_eq!(parse::key_of("A=1"), Some("A"));
        assert_eq!(parse::key_of("export  B_2 = x"), Some("B_2"));
        assert_eq!(parse::key_of("export\tC.d=\"x"), Some("C.d"));
        assert_eq!(parse::key_of("export = x"), Some("export"));
        assert_eq!(parse::key_of("# C=1"), None);
        assert_eq!(parse::key_of("no equals"), None);
        assert_eq!(parse::key_of("export"), None);
    }
}
