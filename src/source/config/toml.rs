//! TOML config files (feature `toml`): toml's span-keeping parser (`DeTable`), each
//! key's and value's span turned into a line.
//!
//! The document is checked by `toml_parser` first, with a receiver that keeps nothing:
//! a syntax error is then reported from its position and description alone. (toml's
//! own error copies the whole document into a buffer it does not wipe, to quote the
//! line; the check means that happens only for the errors it cannot see, a key or
//! table defined twice.)

use toml::de::{DeTable, DeValue};
use toml_parser::decoder::Encoding;
use toml_parser::parser::{Event, EventKind, EventReceiver, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Source, Span};

use super::tree::{Entry, Lines, Node, Syntax, Text, Value};

/// toml's nesting limit for tables and arrays.
const MAX_DEPTH: u32 = 80;

/// Parses a TOML document into entries, each with its line.
pub(crate) fn parse<'a>(text: &'a str, lines: &Lines<'_>) -> Result<Vec<Entry<'a>>, Syntax> {
    check(text, lines)?;
    let table = DeTable::parse(text).map_err(|err| {
        let (line, column) = lines.position(err.span().map_or(0, |s| s.start));
        Syntax {
            line,
            column,
            message: first_line(err.message()),
        }
    })?;
    Ok(entries(table.into_inner(), text, lines))
}

/// The first error of the document's grammar and of each key's and value's decoding,
/// found without a copy of the text.
fn check(text: &str, lines: &Lines<'_>) -> Result<(), Syntax> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut first: Option<ParseError> = None;
    let mut decode = Decode { source };
    let mut whitespace = ValidateWhitespace::new(&mut decode, source);
    let mut guard = RecursionGuard::new(&mut whitespace, MAX_DEPTH);
    toml_parser::parser::parse_document(&tokens, &mut guard, &mut first);
    match first {
        None => Ok(()),
        Some(err) => {
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
            Err(Syntax {
                line,
                column,
                message: first_line(&message),
            })
        }
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

/// A parser's message up to its first line break: never more than one line.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

/// Decodes every key and scalar into nothing, so that a bad escape or number is found.
struct Decode<'s> {
    source: Source<'s>,
}

impl EventReceiver for Decode<'_> {
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let event = Event::new_unchecked(EventKind::SimpleKey, encoding, span);
        if let Some(raw) = self.source.get(event) {
            raw.decode_key(&mut (), error);
        }
    }

    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, error: &mut dyn ErrorSink) {
        let event = Event::new_unchecked(EventKind::Scalar, encoding, span);
        if let Some(raw) = self.source.get(event) {
            let _ = raw.decode_scalar(&mut (), error);
        }
    }
}

fn entries<'a>(table: DeTable<'a>, text: &'a str, lines: &Lines<'_>) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry<'a>> = table
        .into_iter()
        .map(|(key, value)| {
            let line = lines.line(key.span().start);
            Entry {
                key: text_of(key.into_inner()),
                line,
                node: node(value.span(), value.into_inner(), text, lines),
            }
        })
        .collect();
    // toml's map is sorted by key: back into the file's order.
    entries.sort_by_key(|e| e.line);
    entries
}

fn node<'a>(
    span: std::ops::Range<usize>,
    value: DeValue<'a>,
    text: &'a str,
    lines: &Lines<'_>,
) -> Node<'a> {
    let line = lines.line(span.start);
    let value = match value {
        DeValue::String(s) => Value::Str(text_of(s)),
        DeValue::Integer(i) => Value::Plain(integer(&i, written(text, &span))),
        DeValue::Float(f) => Value::Plain(match written(text, &span) {
            Some(w) if w == f.as_str() => Text::Borrowed(w),
            _ => Text::Owned(zeroize::Zeroizing::new(f.as_str().to_owned())),
        }),
        DeValue::Boolean(b) => Value::Plain(Text::Borrowed(if b { "true" } else { "false" })),
        DeValue::Datetime(d) => Value::Plain(Text::Owned(zeroize::Zeroizing::new(d.to_string()))),
        // Each item moved out (a clone would copy its strings).
        DeValue::Array(mut items) => Value::Array(
            items
                .iter_mut()
                .map(|item| {
                    let value = std::mem::replace(item.get_mut(), DeValue::Boolean(false));
                    node(item.span(), value, text, lines)
                })
                .collect(),
        ),
        DeValue::Table(table) => Value::Table(entries(table, text, lines)),
    };
    Node { line, value }
}

/// The text of `span` in the file, if it is one.
fn written<'a>(text: &'a str, span: &std::ops::Range<usize>) -> Option<&'a str> {
    text.get(span.clone())
}

/// An integer in decimal, whatever base it was written in (`0x1F` is 31): the file's
/// own text when it is already that (no `_`, no `+`, no base prefix).
fn integer<'a>(i: &toml::de::DeInteger<'_>, written: Option<&'a str>) -> Text<'a> {
    let decimal = match i.radix() {
        10 => match written {
            Some(w) if w == i.as_str() => return Text::Borrowed(w),
            _ => i.as_str().to_owned(),
        },
        radix => i128::from_str_radix(i.as_str(), radix)
            .map_or_else(|_| i.as_str().to_owned(), |n| n.to_string()),
    };
    Text::Owned(zeroize::Zeroizing::new(decimal))
}

/// A decoded string: borrowed from the file when it had no escapes, else moved into a
/// buffer wiped on drop.
fn text_of(s: std::borrow::Cow<'_, str>) -> Text<'_> {
    match s {
        std::borrow::Cow::Borrowed(s) => Text::Borrowed(s),
        std::borrow::Cow::Owned(s) => Text::Owned(zeroize::Zeroizing::new(s)),
    }
}
