//! `.env` files, parsed by our own parser ([`parse`]), which reads them as the dotenv
//! family does (docs/dotenv.md) but substitutes `$VAR` from the loader's environment,
//! keeps every value in zeroizing buffers and tells the line of each key. A line that
//! does not parse and would set one of the settings is that setting's problem; any other
//! line no setting can use is a warning naming the file and line, never the content.

mod parse;

use std::path::Path;

use zeroize::Zeroizing;

pub(crate) use self::parse::Env;
use self::parse::Item;
use super::{Found, Hit, Raw};
use crate::error::{Problem, ProblemKind, Problems};
use crate::origin::Origin;
use crate::plan::Plan;

/// The default `.env`: in the current directory or its nearest parent.
pub(crate) fn find_default() -> super::file::Search {
    match std::env::current_dir() {
        Ok(start) => super::file::search_up(&start, ".env", false),
        Err(_) => super::file::Search::default(),
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
            let message = crate::error::dotenv_failure(
                &crate::origin::shown_path(path),
                &crate::error::path_failure(err.kind()),
            );
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
            let message = crate::error::dotenv_failure(
                &crate::origin::shown_path(path),
                &crate::error::dotenv_line_not_utf8(line),
            );
            problems.source(source_problem(message));
            return;
        }
    };
    let mut buf = Vec::new();
    let first = hits.len();
    let origin = |line| Origin::Dotenv {
        path: path.to_owned(),
        line,
        encrypted: false,
    };
    // Lines that set nothing this service can use: one warning each, never the content.
    let warn_line = |warnings: &mut crate::names::Warnings, line, message: String| {
        warnings.after_leaves(
            plan.leaves.len(),
            Problem::of_source(ProblemKind::Unreadable, message)
                .at(Some(origin(line)))
                .warning(),
        );
    };
    for item in parse::parse(text, env) {
        match item {
            Item::Pair {
                key,
                value,
                line,
                conceal,
                ..
            } => {
                let Some(r) = plan.env_ref(key.as_bytes(), &mut buf) else {
                    if parse::is_name(key) {
                        // A key with our prefix is a warning; another service's key is not.
                        crate::names::dotenv_key(plan, key, path, || line, warnings);
                    } else {
                        warn_line(warnings, line, crate::error::DOTENV_BAD_KEY.to_owned());
                    }
                    continue;
                };
                // The same key twice in one file: the later line wins, as in dotenv,
                // dotenvx, python-dotenv and compose (the earlier value is wiped).
                if let Some(i) = hits[first..]
                    .iter()
                    .position(|h| h.leaf == r.leaf && h.found.spelled == key)
                {
                    hits.remove(first + i);
                }
                let raw = if r.file {
                    // A relative `NAME_FILE` path is relative to this file's directory,
                    // wherever the process was started (an `encrypted:` one once it is
                    // decrypted, in resolve.rs).
                    #[cfg(feature = "dotenvx")]
                    let sealed = value.starts_with(crate::dotenvx::PREFIX);
                    #[cfg(not(feature = "dotenvx"))]
                    let sealed = false;
                    Raw::Path {
                        path: if sealed {
                            value.as_str().into()
                        } else {
                            super::beside(path, &value)
                        },
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
            Item::Bad { line, key } => {
                let ours = key.and_then(|key| plan.env_ref(key.as_bytes(), &mut buf));
                match ours {
                    // A line that would set one of ours is that setting's problem.
                    Some(r) => {
                        let leaf = &plan.leaves[r.leaf];
                        let message = crate::error::dotenv_line_unparsed(line);
                        problems.leaf(
                            r.leaf,
                            leaf.problem(ProblemKind::Unreadable, message)
                                .at(Some(origin(line))),
                        );
                    }
                    // Another service's line, or one with no key: the rest of the file loads.
                    None => warn_line(warnings, line, crate::error::DOTENV_LINE_SKIPPED.to_owned()),
                }
            }
            Item::Unset { key, name, line } => {
                // Only for our settings: another service's references are its own.
                if plan.env_ref(key.as_bytes(), &mut buf).is_some() {
                    warn_line(
                        warnings,
                        line,
                        crate::error::dotenv_unset_substitution(name),
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
            Item::Bad { .. } | Item::Unset { .. } => None,
        })
        .collect()
}

/// What a value decrypted from `encrypted:` in a `.env` file is expanded with, as
/// dotenvx does: the environment the loader uses and the file's values (substituted as
/// `scan` read them), with the lines of the values written in single quotes or
/// backticks (left as they are).
#[cfg(feature = "dotenvx")]
pub(crate) struct Expansion {
    /// The environment's text variables; `None`: the process environment.
    env: Option<Vec<(String, Zeroizing<String>)>>,
    pairs: Vec<(String, Zeroizing<String>, usize)>,
    literal_lines: Vec<usize>,
}

#[cfg(feature = "dotenvx")]
impl Expansion {
    /// Reads `path` again as `scan` read it with `env` (only for a file that holds an
    /// `encrypted:` value). An unreadable file expands with the environment alone.
    pub(crate) fn read(path: &Path, env: Env<'_>) -> Expansion {
        let mut pairs = Vec::new();
        let mut literal_lines = Vec::new();
        if let Ok(bytes) = std::fs::read(path).map(Zeroizing::new) {
            let bytes: &[u8] = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            if let Ok(text) = std::str::from_utf8(bytes) {
                for item in parse::parse(text, env) {
                    if let Item::Pair {
                        key,
                        value,
                        line,
                        literal,
                        ..
                    } = item
                    {
                        if literal {
                            literal_lines.push(line);
                        }
                        pairs.push((key.to_owned(), value, line));
                    }
                }
            }
        }
        Expansion {
            env: env.copy(),
            pairs,
            literal_lines,
        }
    }
}

/// The decrypted `text` of the value on `line`, expanded (unchanged when it was written
/// in single quotes or holds no `$`). `Err` for a `${` that does not close.
#[cfg(feature = "dotenvx")]
impl super::sealed::Expand for Expansion {
    fn expand(&self, text: Zeroizing<String>, line: usize) -> Result<Zeroizing<String>, ()> {
        if !text.contains('$') || self.literal_lines.contains(&line) {
            return Ok(text);
        }
        let env = match &self.env {
            Some(vars) => Env::Copied(vars),
            None => Env::Process,
        };
        parse::expand_decrypted(&text, env, &self.pairs, line)
    }
}
