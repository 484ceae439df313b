//! The tree every config-file reader makes: keys and values with their lines, text
//! borrowed from the file's buffer or held in buffers wiped on drop.
#![cfg_attr(
    not(any(feature = "toml", feature = "yaml", feature = "json")),
    allow(dead_code)
)] // reason: the readers make the tree; a build with no format has none

use std::ops::Deref;

use zeroize::Zeroizing;

/// Text a parser found: borrowed from the file's buffer, or decoded into a buffer of
/// its own that is wiped when dropped (a string with escapes).
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Owned(Zeroizing<String>),
}

impl Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(text) => text,
            Text::Owned(text) => text,
        }
    }
}

/// A value of a config file and the 1-based line where it starts.
pub(crate) struct Node<'a> {
    pub line: usize,
    pub value: Value<'a>,
}

/// A config file's value, whatever its format.
pub(crate) enum Value<'a> {
    /// A quoted string: its content.
    Str(Text<'a>),
    /// A number, boolean or date as written (a TOML integer in decimal), or a YAML plain
    /// (unquoted) scalar as written.
    Plain(Text<'a>),
    /// `null` (YAML, JSON): not set.
    #[cfg_attr(not(any(feature = "yaml", feature = "json")), allow(dead_code))]
    // reason: only their readers make it
    Null,
    Array(Vec<Node<'a>>),
    Table(Vec<Entry<'a>>),
}

/// A key of a table, the line it is on, and its value.
pub(crate) struct Entry<'a> {
    pub key: Text<'a>,
    pub line: usize,
    pub node: Node<'a>,
}

/// The index of the first entry (in the file's order) whose key an earlier entry has:
/// keys as written, compared exactly. (For the readers whose parser keeps both.)
#[cfg_attr(not(any(feature = "yaml", feature = "json")), allow(dead_code))] // reason: their readers' only
pub(crate) fn first_duplicate(entries: &[Entry<'_>]) -> Option<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| (&*entries[a].key, a).cmp(&(&*entries[b].key, b)));
    order
        .windows(2)
        .filter(|pair| *entries[pair[0]].key == *entries[pair[1]].key)
        .map(|pair| pair[1])
        .min()
}

/// Where a file does not parse: never the text of the line, only where and why.
pub(crate) struct Syntax {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The 1-based line and column of byte offsets into one text.
#[cfg_attr(not(any(feature = "toml", feature = "json")), allow(dead_code))] // reason: YAML's parser counts lines itself
pub(crate) struct Lines<'a> {
    text: &'a str,
    /// The offset of each line's first byte.
    starts: Vec<usize>,
}

#[cfg_attr(not(any(feature = "toml", feature = "json")), allow(dead_code))] // reason: as above
impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        Lines { text, starts }
    }

    /// The line of byte `offset`.
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }

    /// The line and column (in characters) of byte `offset`.
    pub(crate) fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let end = offset.min(self.text.len());
        let column = self
            .text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count());
        (line, column + 1)
    }
}
