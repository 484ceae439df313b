//! `.env` files, parsed by dotenvy (never its calls that change the environment).
//!
//! dotenvy yields `(key, value)` pairs without line numbers, so the line of each key is
//! found by walking the text forward in step with the parser. Its parse errors carry the
//! whole offending line, which may hold a secret: they are turned into problems that
//! name the file, line and key, never the content.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::{Hit, Raw};
use crate::error::{Problem, ProblemKind};
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

/// Reads one `.env` file into hits. A missing file is a problem when `required`.
pub(crate) fn scan(
    plan: &Plan,
    path: &Path,
    required: bool,
    layer: usize,
    hits: &mut Vec<Hit>,
    problems: &mut Vec<(usize, Problem)>,
    warnings: &mut crate::unknown::Warnings,
) {
    let text = match std::fs::read(path) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return,
        Err(err) => {
            let message = format!("cannot read .env file {}: {}", path.display(), err.kind());
            problems.push((0, source_problem(message)));
            return;
        }
    };
    let text: &[u8] = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    let mut lines = LineFinder::new(text);
    let mut buf = Vec::new();
    for item in dotenvy::from_read_iter(text) {
        match item {
            Ok((key, value)) => {
                let value = Zeroizing::new(value);
                let Some(r) = plan.env_ref(key.as_bytes(), &mut buf) else {
                    // A key with our prefix is a warning; another service's key is not.
                    crate::unknown::dotenv_key(plan, &key, path, || lines.find_key(&key), warnings);
                    continue;
                };
                // The search goes forward from the last key found, over skipped lines.
                let line = lines.find_key(&key);
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
                    layer,
                    rank: r.rank,
                    via_file: r.file,
                    spelled: key,
                    raw,
                    origin: Origin::Dotenv {
                        path: path.to_owned(),
                        line,
                    },
                });
            }
            Err(dotenvy::Error::LineParse(bad_line, _)) => {
                let bad_line = Zeroizing::new(bad_line);
                let (line, first_key) = lines.find_bad(&bad_line);
                let origin = Origin::Dotenv {
                    path: path.to_owned(),
                    line,
                };
                // An unterminated quote swallows the lines after it: every key of
                // ours among them is reported, so none goes silently missing.
                let swallowed = bad_line.lines().skip(1).filter_map(line_key);
                let mut ours: Vec<usize> = first_key
                    .as_deref()
                    .into_iter()
                    .chain(swallowed)
                    .filter_map(|key| plan.env_ref(key.as_bytes(), &mut buf))
                    .map(|r| r.leaf)
                    .collect();
                ours.dedup();
                for &leaf_index in &ours {
                    let leaf = &plan.leaves[leaf_index];
                    let message = format!(
                        "the .env line starting at line {line} does not parse (content not shown); check its quotes and escapes"
                    );
                    problems.push((
                        leaf_index + 1,
                        Problem::new(
                            leaf.path.clone(),
                            leaf.env().to_owned(),
                            Some(origin.clone()),
                            ProblemKind::Unreadable,
                            message,
                        ),
                    ));
                }
                // A line with no recognisable key might be ours; one with another
                // service's key is not: a shared `.env` must not break this service.
                if ours.is_empty() && first_key.is_none() {
                    problems.push((
                        0,
                        Problem::new(
                            String::new(),
                            String::new(),
                            Some(origin),
                            ProblemKind::Unreadable,
                            "this .env line does not parse (content not shown)".to_owned(),
                        ),
                    ));
                }
            }
            Err(err) => {
                let message = format!(
                    "cannot read .env file {}: {}",
                    path.display(),
                    kind_of(&err)
                );
                problems.push((0, source_problem(message)));
                return;
            }
        }
    }
}

fn kind_of(err: &dotenvy::Error) -> String {
    match err {
        dotenvy::Error::Io(io) => io.kind().to_string(),
        _ => "unreadable".to_owned(),
    }
}

fn source_problem(message: String) -> Problem {
    Problem::new(
        String::new(),
        String::new(),
        None,
        ProblemKind::Unreadable,
        message,
    )
}

/// The key of a `.env` line (`KEY=...`, `export KEY=...`), if it has a recognisable one.
fn line_key(line: &str) -> Option<&str> {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").map_or(line, str::trim_start);
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))?;
    let key = &line[..end];
    let rest = line[end..].trim_start();
    (!key.is_empty() && rest.starts_with('=')).then_some(key)
}

/// Walks a `.env` text forward, finding the line each parsed key is on.
struct LineFinder<'t> {
    text: &'t [u8],
    /// Byte offset of the last line found.
    found_start: usize,
    /// Byte offset of the next line to look at, and its 1-based number.
    pos: usize,
    line: usize,
}

impl<'t> LineFinder<'t> {
    fn new(text: &'t [u8]) -> Self {
        LineFinder {
            text,
            found_start: 0,
            pos: 0,
            line: 1,
        }
    }

    /// The line of the next definition of `key` at or after the current position.
    fn find_key(&mut self, key: &str) -> usize {
        self.find(|line| line_key(line) == Some(key))
    }

    /// Where the logical line that dotenvy could not parse starts, and its key.
    /// dotenvy reports either the whole logical line or only its value part, so a
    /// physical line matches when it is the first line of `wanted` or ends with it.
    fn find_bad(&mut self, wanted: &str) -> (usize, Option<String>) {
        let first = wanted.lines().next().unwrap_or("").trim_end();
        let line = self.find(|line| {
            let line = line.trim_end();
            line == first || (!first.is_empty() && line.contains('=') && line.ends_with(first))
        });
        let start = self.found_start;
        let key = std::str::from_utf8(&self.text[start..line_end(self.text, start)])
            .ok()
            .and_then(line_key)
            .map(str::to_owned);
        (line, key)
    }

    fn find(&mut self, matches: impl Fn(&str) -> bool) -> usize {
        let (mut pos, mut line) = (self.pos, self.line);
        while pos < self.text.len() {
            let end = line_end(self.text, pos);
            let here = std::str::from_utf8(&self.text[pos..end]).unwrap_or("");
            let found_line = line;
            if matches(here) {
                self.found_start = pos;
                // Step over the whole logical line: a quoted value may span lines.
                let logical_end = logical_line_end(self.text, pos);
                line += self.text[pos..logical_end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                self.pos = (logical_end + 1).min(self.text.len());
                self.line = line + 1;
                return found_line;
            }
            pos = end + 1;
            line += 1;
        }
        // Not found (should not happen): report the last line reached.
        self.line
    }
}

fn line_end(text: &[u8], from: usize) -> usize {
    text[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| from + i)
}

/// The offset of the newline that ends the logical line starting at `from`: the first
/// newline outside single or double quotes (backslash escapes honoured), as dotenvy
/// groups lines.
fn logical_line_end(text: &[u8], from: usize) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum Quote {
        None,
        Single,
        Double,
    }
    let mut quote = Quote::None;
    let mut escaped = false;
    for (i, &b) in text.iter().enumerate().skip(from) {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, b) {
            (_, b'\\') => escaped = true,
            (Quote::None, b'\n') => return i,
            (Quote::None, b'#') if i == from || text[i - 1].is_ascii_whitespace() => {
                return line_end(text, i);
            }
            (Quote::None, b'"') => quote = Quote::Double,
            (Quote::None, b'\'') => quote = Quote::Single,
            (Quote::Double, b'"') | (Quote::Single, b'\'') => quote = Quote::None,
            _ => {}
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_key_reads_plain_and_exported_keys() {
        assert_eq!(line_key("A=1"), Some("A"));
        assert_eq!(line_key("export  B_2 = x"), Some("B_2"));
        assert_eq!(line_key("# C=1"), None);
        assert_eq!(line_key("no equals"), None);
    }

    #[test]
    fn line_finder_skips_multiline_values() {
        let text = b"A=1\nB=\"x\nC=not a key\"\nC=3\n";
        let mut f = LineFinder::new(text);
        assert_eq!(f.find_key("A"), 1);
        assert_eq!(f.find_key("B"), 2);
        assert_eq!(f.find_key("C"), 4);
    }
}
