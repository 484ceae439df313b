//! TOML config files (feature `toml`): `toml_parser`'s lexer and grammar (the parser
//! under the `toml` crate) turn the document into events, once; this module builds the
//! tree from them with TOML's table rules (headers, dotted keys, arrays of tables,
//! inline tables, nothing defined twice), each key and value with its line.
//!
//! Nothing is copied unwiped: keys and strings without escapes are borrowed from the
//! file's buffer, a string with escapes is decoded into a zeroizing buffer sized to its
//! raw text up front (decoding only shortens it, so it never moves), and an error is
//! its position and description only (the `toml` crate's own error copies the whole
//! document to quote the line; it is not used).

use toml_parser::decoder::{IntegerRadix, ScalarKind, StringBuilder};
use toml_parser::parser::{Event, EventKind, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Source, Span};
use zeroize::Zeroizing;

use super::tree::{Entry, Lines, Node, Syntax, Text, Value};

/// toml's nesting limit for tables and arrays.
const MAX_DEPTH: u32 = 80;

/// Parses a TOML document into entries, each with its line.
pub(crate) fn parse<'a>(text: &'a str, lines: &Lines<'_>) -> Result<Vec<Entry<'a>>, Syntax> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut events: Vec<Event> = Vec::with_capacity(tokens.len());
    let mut first: Option<ParseError> = None;
    {
        let mut whitespace = ValidateWhitespace::new(&mut events, source);
        let mut guard = RecursionGuard::new(&mut whitespace, MAX_DEPTH);
        toml_parser::parser::parse_document(&tokens, &mut guard, &mut first);
    }
    if let Some(err) = first {
        return Err(syntax(&err, lines));
    }
    let mut doc = Document {
        source,
        lines,
        events: &events,
        at: 0,
        root: Table::new(0, Kind::Explicit),
        current: Table::new(0, Kind::Explicit),
        header: None,
    };
    doc.document()?;
    doc.root.into_entries().map_err(|at| duplicate(at, lines))
}

/// A key written twice, at byte `at`.
fn duplicate(at: usize, lines: &Lines<'_>) -> Syntax {
    let (line, column) = lines.position(at);
    Syntax {
        line,
        column,
        message: crate::error::words::syntax::DUPLICATE_KEY.to_owned(),
    }
}

/// A parser's error as a position and one line of description (never the text).
fn syntax(err: &ParseError, lines: &Lines<'_>) -> Syntax {
    let at = err.unexpected().or(err.context()).map_or(0, |s| s.start());
    let (line, column) = lines.position(at);
    let mut message = err.description().to_owned();
    if let Some(expected) = err.expected() {
        let names: Vec<String> = expected.iter().filter_map(expected_name).collect();
        if !names.is_empty() {
            message.push_str(", expected ");
            message.push_str(&names.join(", "));
        }
    }
    Syntax {
        line,
        column,
        message: message.lines().next().unwrap_or_default().to_owned(),
    }
}

fn expected_name(expected: &toml_parser::Expected) -> Option<String> {
    match expected {
        toml_parser::Expected::Literal("\n") => Some("newline".to_owned()),
        toml_parser::Expected::Literal(text) => Some(format!("`{}`", text.escape_debug())),
        toml_parser::Expected::Description(text) => Some((*text).to_owned()),
        _ => None,
    }
}

/// A decoded key or string: borrowed from the file while it is one slice of it, else in
/// a zeroizing buffer with room for the whole raw text, so it never moves.
struct Decoded<'a> {
    text: Text<'a>,
    room: usize,
}

impl<'a> StringBuilder<'a> for Decoded<'a> {
    fn clear(&mut self) {
        match &mut self.text {
            Text::Borrowed(s) => *s = "",
            Text::Owned(s) => s.clear(),
        }
    }

    fn push_str(&mut self, append: &'a str) -> bool {
        match &mut self.text {
            Text::Borrowed(s) if s.is_empty() => *s = append,
            Text::Borrowed(s) => {
                let mut owned =
                    Zeroizing::new(String::with_capacity(self.room.max(s.len() + append.len())));
                owned.push_str(s);
                owned.push_str(append);
                self.text = Text::Owned(owned);
            }
            Text::Owned(s) => s.push_str(append),
        }
        true
    }

    fn push_char(&mut self, append: char) -> bool {
        if let Text::Borrowed(s) = &self.text {
            let mut owned = Zeroizing::new(String::with_capacity(self.room.max(s.len() + 4)));
            owned.push_str(s);
            self.text = Text::Owned(owned);
        }
        if let Text::Owned(s) = &mut self.text {
            s.push(append);
        }
        true
    }
}

/// The first error a decoder reports.
#[derive(Default)]
struct First(Option<ParseError>);

impl ErrorSink for First {
    fn report_error(&mut self, error: ParseError) {
        if self.0.is_none() {
            self.0 = Some(error);
        }
    }
}

/// How a table came to be (TOML's rules on defining a table twice).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Made on the way to a deeper `[a.b]` header: a later `[a]` may define it.
    Implicit,
    /// Made by dotted keys (`a.b = 1`): no header may define it later.
    Dotted,
    /// Defined by its header (or the root).
    Explicit,
}

/// A table while the document is read.
struct Table<'a> {
    /// Key, the byte offset and line it is at, value; `None` where a key was taken out
    /// (a table a header defines). Keys set by `key = value` are not looked for when
    /// added: a key written twice is found once the table is done ([`Table::into_entries`]).
    entries: Vec<Option<(Text<'a>, usize, usize, Item<'a>)>>,
    kind: Kind,
    line: usize,
}

/// A value of a table while the document is read.
enum Item<'a> {
    /// A scalar, an array of values or an inline table: closed.
    Value(Node<'a>),
    Table(Table<'a>),
    /// `[[name]]`: the line of the first header, and the tables.
    Tables(usize, Vec<Table<'a>>),
}

impl<'a> Table<'a> {
    fn new(line: usize, kind: Kind) -> Table<'a> {
        Table {
            entries: Vec::new(),
            kind,
            line,
        }
    }

    /// Where `key` is (the latest, if it was written twice).
    fn find(&self, key: &str) -> Option<usize> {
        self.entries
            .iter()
            .rposition(|e| e.as_ref().is_some_and(|(k, ..)| **k == *key))
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Item<'a>> {
        let at = self.find(key)?;
        self.entries[at].as_mut().map(|(.., item)| item)
    }

    /// Adds `key` without looking for it.
    fn push(&mut self, key: Text<'a>, (offset, line): (usize, usize), item: Item<'a>) {
        self.entries.push(Some((key, offset, line, item)));
    }

    /// Adds `key`; `false` if it is there already.
    fn insert(&mut self, key: Text<'a>, at: (usize, usize), item: Item<'a>) -> bool {
        if self.find(&key).is_some() {
            return false;
        }
        self.push(key, at, item);
        true
    }

    fn remove(&mut self, key: &str) -> Option<(Text<'a>, usize, usize, Item<'a>)> {
        let at = self.find(key)?;
        // The others keep their places: a hole that `into_entries` skips.
        self.entries[at].take()
    }

    /// The entries in the file's order; `Err` with the offset of a key written twice.
    fn into_entries(self) -> Result<Vec<Entry<'a>>, usize> {
        let live: Vec<_> = self.entries.into_iter().flatten().collect();
        let mut seen: std::collections::HashSet<&str, foldhash::fast::RandomState> =
            std::collections::HashSet::with_capacity_and_hasher(live.len(), Default::default());
        if let Some((.., offset, _, _)) = live.iter().find(|(key, ..)| !seen.insert(&**key)) {
            return Err(*offset);
        }
        drop(seen);
        let mut entries = Vec::with_capacity(live.len());
        for (key, _, line, item) in live {
            entries.push(Entry {
                key,
                line,
                node: item.into_node(line)?,
            });
        }
        // In the file's order already, unless a table was put in place at its header's end.
        if !entries.is_sorted_by_key(|e| e.line) {
            entries.sort_by_key(|e| e.line);
        }
        Ok(entries)
    }
}

impl<'a> Item<'a> {
    fn into_node(self, line: usize) -> Result<Node<'a>, usize> {
        Ok(match self {
            Item::Value(node) => node,
            Item::Table(table) => Node {
                line: if table.line == 0 { line } else { table.line },
                value: Value::Table(table.into_entries()?),
            },
            Item::Tables(first, tables) => {
                let mut items = Vec::with_capacity(tables.len());
                for t in tables {
                    items.push(Node {
                        line: t.line,
                        value: Value::Table(t.into_entries()?),
                    });
                }
                Node {
                    line: first,
                    value: Value::Array(items),
                }
            }
        })
    }
}

/// A dotted key: each part's text and span.
type Path<'a> = Vec<(Text<'a>, Span)>;

struct Header<'a> {
    path: Path<'a>,
    line: usize,
    array: bool,
}

struct Document<'e, 'a> {
    source: Source<'a>,
    lines: &'e Lines<'e>,
    events: &'e [Event],
    at: usize,
    root: Table<'a>,
    /// The table under the current header, filled in, then put in place at the next.
    current: Table<'a>,
    header: Option<Header<'a>>,
}

impl<'a> Document<'_, 'a> {
    fn err(&self, message: &str, span: Span) -> Syntax {
        let (line, column) = self.lines.position(span.start());
        Syntax {
            line,
            column,
            message: message.to_owned(),
        }
    }

    fn line(&self, span: Span) -> usize {
        self.lines.line(span.start())
    }

    fn peek(&self) -> Option<&Event> {
        self.events.get(self.at)
    }

    fn next(&mut self) -> Option<Event> {
        let event = self.events.get(self.at).copied();
        self.at += 1;
        event
    }

    /// Skips whitespace (and, `all`, comments and line ends).
    fn skip(&mut self, all: bool) {
        while let Some(event) = self.peek() {
            match event.kind() {
                EventKind::Whitespace => {}
                EventKind::Comment | EventKind::Newline if all => {}
                _ => return,
            }
            self.at += 1;
        }
    }

    fn decode(&self, event: Event, key: bool) -> Result<(Decoded<'a>, ScalarKind), Syntax> {
        let raw = self
            .source
            .get(event)
            .ok_or_else(|| self.err(crate::error::words::syntax::END_OF_DOCUMENT, event.span()))?;
        let mut out = Decoded {
            text: Text::Borrowed(""),
            room: raw.len(),
        };
        let mut first = First::default();
        let kind = if key {
            raw.decode_key(&mut out, &mut first);
            ScalarKind::String
        } else {
            raw.decode_scalar(&mut out, &mut first)
        };
        match first.0 {
            Some(err) => Err(syntax(&err, self.lines)),
            None => Ok((out, kind)),
        }
    }

    /// A key of one or more dotted parts, from the current event on.
    fn key(&mut self) -> Result<Path<'a>, Syntax> {
        let mut path = Path::new();
        loop {
            self.skip(false);
            let Some(event) = self.next() else { break };
            if event.kind() != EventKind::SimpleKey {
                return Err(self.err(crate::error::words::syntax::EXPECTED_KEY, event.span()));
            }
            let (decoded, _) = self.decode(event, true)?;
            path.push((decoded.text, event.span()));
            self.skip(false);
            match self.peek().map(Event::kind) {
                Some(EventKind::KeySep) => self.at += 1,
                _ => break,
            }
        }
        Ok(path)
    }

    fn document(&mut self) -> Result<(), Syntax> {
        while let Some(event) = self.next() {
            match event.kind() {
                EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                    self.finish_table()?;
                    let path = self.key()?;
                    self.skip(false);
                    self.next(); // the closing bracket: the grammar checked it
                    let header = Header {
                        path,
                        line: self.line(event.span()),
                        array: event.kind() == EventKind::ArrayTableOpen,
                    };
                    self.start_table(header)?;
                }
                EventKind::SimpleKey => {
                    self.at -= 1;
                    let path = self.key()?;
                    self.skip(false);
                    self.next(); // `=`: the grammar checked it
                    self.skip(false);
                    let value = self.value()?;
                    let mut current =
                        std::mem::replace(&mut self.current, Table::new(0, Kind::Explicit));
                    let result = self.key_value(&mut current, path, value);
                    self.current = current;
                    result?;
                }
                _ => {}
            }
        }
        self.finish_table()
    }

    /// `path = value` into `table` (the current table, or an inline table).
    fn key_value(
        &self,
        table: &mut Table<'a>,
        mut path: Path<'a>,
        value: Node<'a>,
    ) -> Result<(), Syntax> {
        let (key, span) = path.pop().expect("a key has a part");
        let dotted = !path.is_empty();
        let parent = self.descend(table, path, true)?;
        // Dotted keys may not reach into a table a header defined.
        if dotted && parent.kind == Kind::Explicit {
            return Err(self.err(crate::error::words::syntax::DUPLICATE_KEY, span));
        }
        parent.push(key, (span.start(), self.line(span)), Item::Value(value));
        Ok(())
    }

    /// Walks `path` down from `table`, making the tables it lacks (`dotted`: by dotted
    /// keys); the last table of an array of tables is entered.
    fn descend<'t>(
        &self,
        mut table: &'t mut Table<'a>,
        path: Path<'a>,
        dotted: bool,
    ) -> Result<&'t mut Table<'a>, Syntax> {
        for (key, span) in path {
            let line = self.line(span);
            if table.get_mut(&key).is_none() {
                let kind = if dotted { Kind::Dotted } else { Kind::Implicit };
                table.push(
                    key.clone_text(),
                    (span.start(), line),
                    Item::Table(Table::new(line, kind)),
                );
            }
            table = match table.get_mut(&key) {
                Some(Item::Table(child)) => {
                    if dotted && child.kind == Kind::Implicit {
                        child.kind = Kind::Dotted;
                    }
                    if dotted && child.kind == Kind::Explicit {
                        return Err(self.err(crate::error::words::syntax::DUPLICATE_KEY, span));
                    }
                    child
                }
                Some(Item::Tables(_, tables)) => {
                    tables.last_mut().expect("an array of tables has one")
                }
                _ => return Err(self.err(crate::error::words::syntax::CANNOT_EXTEND, span)),
            };
        }
        Ok(table)
    }

    fn start_table(&mut self, header: Header<'a>) -> Result<(), Syntax> {
        self.current = Table::new(header.line, Kind::Explicit);
        if !header.array {
            let mut path = header.path.clone_path();
            let (key, span) = path.pop().expect("a header has a key");
            let mut root = std::mem::replace(&mut self.root, Table::new(0, Kind::Explicit));
            let found = self
                .descend(&mut root, path, false)
                .map(|parent| parent.remove(&key));
            self.root = root;
            match found? {
                None => {}
                // A table made on the way to a deeper header: defined now, keeping what it holds.
                Some((.., Item::Table(t))) if t.kind == Kind::Implicit => {
                    self.current = Table {
                        kind: Kind::Explicit,
                        line: header.line,
                        ..t
                    };
                }
                Some(_) => return Err(self.err(crate::error::words::syntax::DUPLICATE_KEY, span)),
            }
        }
        self.header = Some(header);
        Ok(())
    }

    fn finish_table(&mut self) -> Result<(), Syntax> {
        let table = std::mem::replace(&mut self.current, Table::new(0, Kind::Explicit));
        let Some(header) = self.header.take() else {
            // The keys before the first header are the root's.
            self.root = table;
            return Ok(());
        };
        let mut path = header.path;
        let (key, span) = path.pop().expect("a header has a key");
        let mut root = std::mem::replace(&mut self.root, Table::new(0, Kind::Explicit));
        let result = (|| {
            let parent = self.descend(&mut root, path, false)?;
            if header.array {
                match parent.get_mut(&key) {
                    None => {
                        let _ = parent.insert(
                            key,
                            (span.start(), header.line),
                            Item::Tables(header.line, vec![table]),
                        );
                    }
                    Some(Item::Tables(_, tables)) => tables.push(table),
                    Some(_) => {
                        return Err(self.err(crate::error::words::syntax::DUPLICATE_KEY, span));
                    }
                }
            } else if !parent.insert(key, (span.start(), header.line), Item::Table(table)) {
                return Err(self.err(crate::error::words::syntax::DUPLICATE_KEY, span));
            }
            Ok(())
        })();
        self.root = root;
        result
    }

    /// A value, from the current event on.
    fn value(&mut self) -> Result<Node<'a>, Syntax> {
        self.skip(false);
        let Some(event) = self.next() else {
            return Err(self.err(
                crate::error::words::syntax::EXPECTED_VALUE,
                Span::new_unchecked(0, 0),
            ));
        };
        let line = self.line(event.span());
        match event.kind() {
            EventKind::Scalar => {
                let (decoded, kind) = self.decode(event, false)?;
                let written = self
                    .source
                    .input()
                    .get(event.span().start()..event.span().end());
                let value = match kind {
                    ScalarKind::String => Value::Str(decoded.text),
                    ScalarKind::Boolean(b) => {
                        Value::Plain(Text::Borrowed(if b { "true" } else { "false" }))
                    }
                    ScalarKind::Integer(radix) => match integer(decoded.text, radix, written) {
                        Some(text) => Value::Plain(text),
                        None => return Err(self.err(radix.invalid_description(), event.span())),
                    },
                    ScalarKind::Float | ScalarKind::DateTime => Value::Plain(decoded.text),
                };
                Ok(Node { line, value })
            }
            EventKind::ArrayOpen => {
                let mut items = Vec::new();
                loop {
                    self.skip(true);
                    match self.peek().map(Event::kind) {
                        Some(EventKind::ArrayClose) | None => {
                            self.at += 1;
                            break;
                        }
                        Some(EventKind::ValueSep) => self.at += 1,
                        Some(_) => items.push(self.value()?),
                    }
                }
                Ok(Node {
                    line,
                    value: Value::Array(items),
                })
            }
            EventKind::InlineTableOpen => {
                let mut table = Table::new(line, Kind::Explicit);
                loop {
                    self.skip(true);
                    match self.peek().map(Event::kind) {
                        Some(EventKind::InlineTableClose) | None => {
                            self.at += 1;
                            break;
                        }
                        Some(EventKind::ValueSep) => self.at += 1,
                        Some(_) => {
                            let path = self.key()?;
                            self.skip(false);
                            self.next(); // `=`
                            let value = self.value()?;
                            self.key_value(&mut table, path, value)?;
                        }
                    }
                }
                Ok(Node {
                    line,
                    value: Value::Table(
                        table
                            .into_entries()
                            .map_err(|at| duplicate(at, self.lines))?,
                    ),
                })
            }
            _ => Err(self.err(crate::error::words::syntax::EXPECTED_VALUE, event.span())),
        }
    }
}

/// An integer in decimal, whatever base it was written in (`0x1F` is 31): the file's own
/// text when it is already that (no `_`, no `+`, no base prefix). `None`: no digits.
fn integer<'a>(
    digits: Text<'a>,
    radix: IntegerRadix,
    written: Option<&'a str>,
) -> Option<Text<'a>> {
    if radix == IntegerRadix::Dec
        && !digits.starts_with('+')
        && let Some(w) = written
        && w == &*digits
    {
        return Some(Text::Borrowed(w));
    }
    match i128::from_str_radix(&digits, radix.value()) {
        Ok(n) => Some(Text::Owned(Zeroizing::new(n.to_string()))),
        Err(_) => None,
    }
}

/// A copy of a key's text (keys are names, not values).
trait CloneText<'a> {
    fn clone_text(&self) -> Text<'a>;
}

impl<'a> CloneText<'a> for Text<'a> {
    fn clone_text(&self) -> Text<'a> {
        match self {
            Text::Borrowed(s) => Text::Borrowed(s),
            Text::Owned(s) => Text::Owned(Zeroizing::new(String::from(s.as_str()))),
        }
    }
}

trait ClonePath<'a> {
    fn clone_path(&self) -> Path<'a>;
}

impl<'a> ClonePath<'a> for Path<'a> {
    fn clone_path(&self) -> Path<'a> {
        self.iter().map(|(k, s)| (k.clone_text(), *s)).collect()
    }
}

#[cfg(test)]
mod tests {
    //! The reader against the `toml` crate's own `DeTable` on documents that exercise
    //! TOML's table rules: both accept or both refuse, and accepted ones hold the same
    //! values at the same paths.
    use super::*;
    use toml::de::{DeTable, DeValue};

    fn ours(text: &str) -> Option<Vec<(String, String)>> {
        let lines = Lines::new(text);
        let entries = parse(text, &lines).ok()?;
        let mut out = Vec::new();
        flatten_ours(&entries, "", &mut out);
        out.sort();
        Some(out)
    }

    fn flatten_ours(entries: &[Entry<'_>], prefix: &str, out: &mut Vec<(String, String)>) {
        for e in entries {
            let path = format!("{prefix}/{}", &*e.key);
            node_ours(&e.node, &path, out);
        }
    }

    fn node_ours(node: &Node<'_>, path: &str, out: &mut Vec<(String, String)>) {
        match &node.value {
            Value::Str(t) | Value::Plain(t) => out.push((path.to_owned(), t.to_string())),
            Value::Null => out.push((path.to_owned(), "null".into())),
            Value::Array(items) => {
                out.push((path.to_owned(), format!("[{}]", items.len())));
                for (i, item) in items.iter().enumerate() {
                    node_ours(item, &format!("{path}/{i}"), out);
                }
            }
            Value::Table(entries) => {
                out.push((path.to_owned(), "{}".into()));
                flatten_ours(entries, path, out);
            }
        }
    }

    fn theirs(text: &str) -> Option<Vec<(String, String)>> {
        let table = DeTable::parse(text).ok()?.into_inner();
        let mut out = Vec::new();
        flatten_theirs(&table, "", &mut out);
        out.sort();
        (!out.iter().any(|(_, v)| v == "refused")).then_some(out)
    }

    fn flatten_theirs(table: &DeTable<'_>, prefix: &str, out: &mut Vec<(String, String)>) {
        for (k, v) in table.iter() {
            let path = format!("{prefix}/{}", k.get_ref());
            value_theirs(v.get_ref(), &path, out);
        }
    }

    fn value_theirs(value: &DeValue<'_>, path: &str, out: &mut Vec<(String, String)>) {
        let text = match value {
            DeValue::String(s) => s.to_string(),
            // toml refuses an integer that does not convert when it deserializes it.
            DeValue::Integer(i) => match i128::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => n.to_string(),
                Err(_) => "refused".to_owned(),
            },
            DeValue::Float(f) => f.as_str().to_owned(),
            DeValue::Boolean(b) => b.to_string(),
            DeValue::Datetime(d) => d.to_string(),
            DeValue::Array(items) => {
                out.push((path.to_owned(), format!("[{}]", items.len())));
                for (i, item) in items.iter().enumerate() {
                    value_theirs(item.get_ref(), &format!("{path}/{i}"), out);
                }
                return;
            }
            DeValue::Table(t) => {
                out.push((path.to_owned(), "{}".into()));
                flatten_theirs(t, path, out);
                return;
            }
        };
        out.push((path.to_owned(), text));
    }

    const VALID: &[&str] = &[
        "a = 1\nb = \"two\"\nc = 'three'\nd = true\n",
        "a.b.c = 1\na.b.d = 2\na.e = 3\n",
        "\"a.b\" = 1\nsite.\"google.com\" = true\n'q' = 2\n\"\" = 3\n",
        "[a]\nx = 1\n[a.b]\ny = 2\n",
        "[a.b]\ny = 2\n[a]\nx = 1\n",
        "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n",
        "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"x\"\n[[fruits.varieties]]\nname = \"y\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"z\"\n",
        "a = { b = 1, c.d = 2, e = { f = [1, 2] } }\n",
        "a = [[1, 2], [3], []]\nb = [\n  1, # one\n  2,\n]\n",
        "h = 0x1F\no = 0o17\nb = 0b11\nu = 1_000\np = +5\nn = -3\n",
        "f = 6.02e23\ng = -0.5\ni = inf\nj = -nan\nk = 1_000.5\n",
        "s = \"tab\\there \\u00e9 \\\"q\\\"\"\nm = \"\"\"\nline one \\\n   still one\nline two\"\"\"\nl = '''\nraw \\n'''\n",
        "x = 1979-05-27\ny = 07:32:00\n",
        "# only a comment\n\n",
        "",
        "[a]\n[b]\n[a.c]\n[b.d]\n",
        "[x.y.z]\n[x]\n",
        "a.b = 1\n[a.c]\nd = 2\n",
    ];

    const INVALID: &[&str] = &[
        "a = 1\na = 2\n",
        "[a]\n[a]\n",
        "a.b = 1\n[a]\n",
        "[fruit]\napple.color = \"red\"\n[fruit.apple]\n",
        "a = { b = 1 }\na.c = 2\n",
        "a = { b = 1 }\n[a]\n",
        "a = [1]\n[[a]]\n",
        "[[a]]\n[a]\n",
        "a = 1\na.b = 2\n",
        "[a.b]\nc = 1\n[a]\nb.d = 2\n",
        "a = { b = 1, b = 2 }\n",
        "x = \"bad \\q\"\n",
        "[a]\nb = 1\n[a.b]\n",
        "a = 1 b = 2\n",
        "a = \"unterminated\n",
        "[a\n",
        "a = 0x\n",
        "a = 01\n",
        "a =\n",
    ];

    #[test]
    fn accepts_what_toml_accepts_with_the_same_values() {
        for text in VALID {
            let want = theirs(text).unwrap_or_else(|| panic!("toml refuses {text:?}"));
            assert_eq!(ours(text), Some(want), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_toml_refuses() {
        for text in INVALID {
            assert!(theirs(text).is_none(), "toml accepts {text:?}");
            assert!(ours(text).is_none(), "accepted: {text:?}");
        }
    }
}
