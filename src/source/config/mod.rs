//! Config files as a layer (`#[settings(config_file = "myapp.toml")]`,
//! `Loader::config_file`): each file is parsed by its format's reader into a [`Node`]
//! tree that keeps every key's and value's line, then walked here, the same for every
//! format: a key that names a setting gives a hit (its text as written, its line), a
//! key that names a nested struct is walked into, any other key is a warning.
//!
//! No copy of a value is left behind unwiped: the file is read into a zeroizing buffer,
//! the parsers borrow from it, and every text a value becomes is a `Zeroizing<String>`.

#[cfg(feature = "json")]
pub(crate) mod json;
#[cfg(feature = "toml")]
pub(crate) mod toml;
pub(crate) mod tree;
#[cfg(feature = "yaml")]
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::file::Search;
use super::{Found, Hit, Raw};
use crate::error::{Problem, ProblemKind, Problems};
use crate::names::Warnings;
use crate::origin::Origin;
use crate::plan::{Key, Plan};
use tree::{Entry, Lines, Node, Syntax, Value};

/// One config file of a load.
pub(crate) struct ConfigFile<'a> {
    pub path: &'a Path,
    /// Named explicitly: a missing file is a problem.
    pub required: bool,
    /// Its layer: higher wins.
    pub layer: usize,
    /// The cap on its size (`Loader::max_file_size`).
    pub max_size: u64,
}

/// A config file's format, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Toml,
    Yaml,
    Json,
}

impl Format {
    /// The format of `path`; `Err` names the extensions known.
    pub(crate) fn of(path: &Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("toml") => Ok(Format::Toml),
            Some("yaml" | "yml") => Ok(Format::Yaml),
            Some("json") => Ok(Format::Json),
            _ => Err(crate::error::words::config_extension(path)),
        }
    }

    /// The feature that reads this format.
    fn feature(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }

    /// Parses `text` with this format's reader, if the build has it.
    fn parse<'a>(self, text: &'a str, lines: &Lines<'_>) -> Option<Result<Vec<Entry<'a>>, Syntax>> {
        match self {
            #[cfg(feature = "toml")]
            Format::Toml => Some(toml::parse(text, lines)),
            #[cfg(feature = "yaml")]
            Format::Yaml => Some(yaml::parse(text)),
            #[cfg(feature = "json")]
            Format::Json => Some(json::parse(text, lines)),
            #[allow(unreachable_patterns)] // reason: every format's feature on: no arm left
            _ => {
                let _ = (text, lines);
                None
            }
        }
    }
}

/// The struct's file (`config_file = "myapp.toml"`): a bare path is looked for in the
/// current directory, then in each parent up to the first directory holding `.git`
/// (the repository's root; never above it) or the filesystem's root. An absolute path,
/// or one with a directory part, is taken as it is.
pub(crate) fn find_default(name: &str) -> Search {
    let path = Path::new(name);
    if path.is_absolute() || path.components().count() > 1 {
        return Search {
            found: Some(path.to_owned()),
            missing: Vec::new(),
        };
    }
    match std::env::current_dir() {
        Ok(start) => search_up(&start, name),
        Err(_) => Search::default(),
    }
}

/// The nearest `name` from `start` upward, stopping at a directory holding `.git`.
pub(crate) fn search_up(start: &Path, name: &str) -> Search {
    crate::source::file::search_up(start, name, true)
}

/// The files read for the config file `base`, lowest first: `base` (required as it
/// was), then, each optional, `<stem>.<profile>.<ext>`, `<stem>.local.<ext>` and
/// `<stem>.<profile>.local.<ext>` beside it (`myapp.production.toml`).
pub(crate) fn files(
    base: &Path,
    required: bool,
    profile: Option<&str>,
) -> impl Iterator<Item = (PathBuf, bool)> {
    let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned());
    let ext = base.extension().map(|s| s.to_string_lossy().into_owned());
    super::file::profile_files(base, required, profile, |middle| {
        let stem = stem.as_deref()?;
        let name = match &ext {
            Some(ext) => format!("{stem}.{middle}.{ext}"),
            None => format!("{stem}.{middle}"),
        };
        Some(base.with_file_name(name))
    })
}

/// Reads one config file into hits. A missing file is a problem when `required`.
pub(crate) fn scan(
    plan: &Plan,
    file: &ConfigFile<'_>,
    hits: &mut Vec<Hit>,
    problems: &mut Problems,
    warnings: &mut Warnings,
) {
    use crate::error::words;
    let path = file.path;
    let source_problem = |message: String, line: usize| {
        Problem::of_source(ProblemKind::Unreadable, message).at(Some(Origin::ConfigFile {
            path: path.to_owned(),
            line,
            key: String::new(),
        }))
    };
    let format = match Format::of(path) {
        Ok(format) => format,
        Err(message) => {
            problems.source(source_problem(message, 0));
            return;
        }
    };
    let bytes = match super::file::read_whole(path, file.max_size) {
        Ok(bytes) => bytes,
        Err(crate::error::FileError::NotFound) if !file.required => return,
        Err(err) => {
            problems.source(source_problem(words::config_unreadable(&err.describe()), 0));
            return;
        }
    };
    let bytes: &[u8] = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let line = 1 + memchr::memchr_iter(b'\n', &bytes[..err.valid_up_to()]).count();
            problems.source(source_problem(words::config_not_utf8(), line));
            return;
        }
    };
    let lines = Lines::new(text);
    let entries = match format.parse(text, &lines) {
        Some(Ok(entries)) => entries,
        Some(Err(syntax)) => {
            let message = words::config_syntax(format_name(format), syntax.column, &syntax.message);
            problems.source(source_problem(message, syntax.line));
            return;
        }
        None => {
            problems.source(source_problem(
                words::config_format_off(format.feature()),
                0,
            ));
            return;
        }
    };
    let mut walk = Walk {
        plan,
        path,
        layer: file.layer,
        hits,
        warnings,
    };
    walk.table(&entries, &mut String::new());
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Toml => "TOML",
        Format::Yaml => "YAML",
        Format::Json => "JSON",
    }
}

struct Walk<'w> {
    plan: &'w Plan,
    path: &'w Path,
    layer: usize,
    hits: &'w mut Vec<Hit>,
    warnings: &'w mut Warnings,
}

impl Walk<'_> {
    fn origin(&self, line: usize, key: &str) -> Origin {
        Origin::ConfigFile {
            path: self.path.to_owned(),
            line,
            key: key.to_owned(),
        }
    }

    /// Walks one table whose keys sit under `prefix` (the dotted path as written).
    fn table(&mut self, entries: &[Entry<'_>], prefix: &mut String) {
        for entry in entries {
            let len = prefix.len();
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(&entry.key);
            self.entry(entry, prefix);
            prefix.truncate(len);
        }
    }

    fn entry(&mut self, entry: &Entry<'_>, written: &mut String) {
        match self.plan.config_key(written) {
            Some(Key::Leaf(leaf)) => {
                let Some(text) = setting_text(&entry.node) else {
                    return;
                };
                self.hits.push(Hit {
                    leaf,
                    raw: Raw::Text(text),
                    found: Found {
                        layer: self.layer,
                        at: entry.node.line,
                        spelled: written.clone(),
                        ..Found::default()
                    },
                });
            }
            Some(Key::Section) => match &entry.node.value {
                Value::Table(entries) => self.table(entries, written),
                Value::Null => {}
                _ => {
                    let origin = self.origin(entry.line, written);
                    crate::names::config_section(self.plan, written, origin, self.warnings);
                }
            },
            None => {
                let origin = self.origin(entry.line, written);
                crate::names::config_key(self.plan, written, origin, self.warnings);
            }
        }
    }
}

/// The settings text of a value: a scalar's text as written; an array as a JSON array
/// (a list takes it element by element), a table as a JSON object (for a JSON-typed
/// field). `None` for `null`: not set.
fn setting_text(node: &Node<'_>) -> Option<Zeroizing<String>> {
    match &node.value {
        Value::Str(text) | Value::Plain(text) => Some(Zeroizing::new(String::from(&**text))),
        Value::Null => None,
        Value::Array(_) | Value::Table(_) => {
            // Sized up front so the buffer never moves: a move would leave a copy.
            let mut out = Zeroizing::new(Vec::with_capacity(json_len(&node.value)));
            write_json(&node.value, &mut out);
            String::from_utf8(std::mem::take(&mut *out))
                .ok()
                .map(Zeroizing::new)
        }
    }
}

/// The most bytes [`write_json`] writes for `value`: a string escapes to at most six
/// bytes per byte (`\u00XX`), plus its quotes.
fn json_len(value: &Value<'_>) -> usize {
    match value {
        Value::Str(text) | Value::Plain(text) => text.len() * 6 + 2,
        Value::Null => 4,
        Value::Array(items) => 2 + items.iter().map(|n| json_len(&n.value) + 1).sum::<usize>(),
        Value::Table(entries) => {
            2 + entries
                .iter()
                .map(|e| e.key.len() * 6 + 4 + json_len(&e.node.value))
                .sum::<usize>()
        }
    }
}

/// Writes `value` as JSON into `out`, which has room for it ([`json_len`]).
fn write_json(value: &Value<'_>, out: &mut Vec<u8>) {
    match value {
        Value::Str(text) => json_string(text, out),
        Value::Plain(text) if is_json_literal(text) => out.extend_from_slice(text.as_bytes()),
        Value::Plain(text) => json_string(text, out),
        Value::Null => out.extend_from_slice(b"null"),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(&item.value, out);
            }
            out.push(b']');
        }
        Value::Table(entries) => {
            out.push(b'{');
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_string(&entry.key, out);
                out.push(b':');
                write_json(&entry.node.value, out);
            }
            out.push(b'}');
        }
    }
}

/// A JSON string, escaped by serde_json into the room already reserved.
fn json_string(text: &str, out: &mut Vec<u8>) {
    // Writing into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// Whether a scalar's text is a JSON number or boolean as it stands (serde_json's
/// grammar; a number parses into `Number` without an allocation).
fn is_json_literal(text: &str) -> bool {
    matches!(text, "true" | "false") || serde_json::from_str::<serde_json::Number>(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::tree::Text;
    use super::*;

    #[test]
    fn lines_and_columns_count_from_one() {
        let lines = Lines::new("a = 1\r\nbb = 2\n\nc = é3");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(6), 1); // the `\n` of a CRLF ends line 1
        assert_eq!(lines.line(7), 2);
        assert_eq!(lines.position(12), (2, 6));
        assert_eq!(lines.line(15), 4);
        // Columns count characters: `é` is two bytes, one column.
        assert_eq!(lines.position(21), (4, 6));
    }

    #[test]
    fn the_search_goes_up_to_the_repository_root_and_no_further() {
        let root = tempfile::tempdir().unwrap();
        let repo = root.path().join("repo");
        let deep = repo.join("crates/app/src");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        // Above the repository: never found from inside it.
        std::fs::write(root.path().join("myapp.toml"), "").unwrap();
        let found = |start: &std::path::Path, name: &str| search_up(start, name).found;
        assert_eq!(found(&deep, "myapp.toml"), None);
        // Every place it was looked for, nearest first, up to the repository's root: a
        // watch reloads when one appears.
        let places: Vec<PathBuf> = ["crates/app/src", "crates/app", "crates", ""]
            .iter()
            .map(|dir| repo.join(dir).join("myapp.toml"))
            .collect();
        assert_eq!(search_up(&deep, "myapp.toml").missing, places);
        // At the repository's root, and nearer: the nearest wins.
        std::fs::write(repo.join("myapp.toml"), "").unwrap();
        assert_eq!(found(&deep, "myapp.toml"), Some(repo.join("myapp.toml")));
        std::fs::write(repo.join("crates/app/myapp.toml"), "").unwrap();
        let search = search_up(&deep, "myapp.toml");
        assert_eq!(search.found, Some(repo.join("crates/app/myapp.toml")));
        // Only the nearer places are missing: a file created there would win.
        assert_eq!(search.missing, places[..1]);
        // In the current directory itself.
        std::fs::write(deep.join("myapp.toml"), "").unwrap();
        assert_eq!(found(&deep, "myapp.toml"), Some(deep.join("myapp.toml")));
        // Outside any repository: up to the filesystem's root.
        assert_eq!(
            found(&root.path().join("repo-less"), "myapp.toml"),
            Some(root.path().join("myapp.toml"))
        );
        // A directory of that name is not a file.
        let other = root.path().join("d/e");
        std::fs::create_dir_all(other.join("x.toml")).unwrap();
        std::fs::create_dir(root.path().join("d/.git")).unwrap();
        assert_eq!(found(&other, "x.toml"), None);
    }

    #[test]
    fn json_literals_are_numbers_and_booleans_only() {
        for yes in ["0", "-1", "5433", "1.5", "1e9", "-0.5E-3", "true", "false"] {
            assert!(is_json_literal(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "012",
            "+1",
            "inf",
            "nan",
            "1979-05-27",
            "0x10",
            "1.",
            "True",
        ] {
            assert!(!is_json_literal(no), "{no}");
        }
    }

    #[test]
    fn profile_files_sit_beside_the_base_in_spec_order() {
        let got: Vec<_> = files(Path::new("/x/myapp.toml"), true, Some("production")).collect();
        let want = [
            ("/x/myapp.toml", true),
            ("/x/myapp.production.toml", false),
            ("/x/myapp.local.toml", false),
            ("/x/myapp.production.local.toml", false),
        ];
        assert_eq!(got.len(), want.len());
        for ((path, required), (want_path, want_required)) in got.iter().zip(want) {
            assert_eq!(
                (path.as_path(), *required),
                (Path::new(want_path), want_required)
            );
        }
        let plain: Vec<_> = files(Path::new("myapp.yaml"), false, None).collect();
        assert_eq!(plain[1].0, Path::new("myapp.local.yaml"));
        assert_eq!(plain.len(), 2);
    }

    #[test]
    fn arrays_and_tables_become_json_that_fits_their_room() {
        let node = Value::Table(vec![
            Entry {
                key: Text::Borrowed("a\"b"),
                line: 1,
                node: Node {
                    line: 1,
                    value: Value::Array(vec![
                        Node {
                            line: 1,
                            value: Value::Plain(Text::Borrowed("1")),
                        },
                        Node {
                            line: 1,
                            value: Value::Str(Text::Borrowed("x\ny")),
                        },
                        Node {
                            line: 1,
                            value: Value::Plain(Text::Borrowed("1979-05-27")),
                        },
                    ]),
                },
            },
            Entry {
                key: Text::Borrowed("n"),
                line: 2,
                node: Node {
                    line: 2,
                    value: Value::Null,
                },
            },
        ]);
        let mut out = Vec::with_capacity(json_len(&node));
        let room = out.capacity();
        write_json(&node, &mut out);
        assert_eq!(out.capacity(), room, "the buffer never grew");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a\"b":[1,"x\ny","1979-05-27"],"n":null}"#
        );
    }
}
