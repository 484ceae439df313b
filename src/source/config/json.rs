//! JSON config files (feature `json`): jsonc-parser's AST, each key's and value's byte
//! range turned into a line.
//!
//! JSON as editors read `settings.json` and `tsconfig.json`: comments (`//`, `/* */`)
//! and trailing commas are allowed; the rest of JSON5 (single quotes, unquoted keys,
//! hex numbers, `Infinity`) is not. Numbers keep their literal text; a string without
//! escapes is borrowed from the file, one with escapes (decoded by the parser into a
//! `String` of its own) is moved into a buffer wiped on drop. (The parser clones each
//! token as it reads it, so such a string also leaves two unwiped clones behind:
//! tests/alloc_canary.rs measures them; a string without escapes leaves none.) A key
//! written twice in one object is a problem.

use std::borrow::Cow;

use jsonc_parser::ast::{Object, ObjectPropName, Value as Json};
use jsonc_parser::common::Ranged;
use jsonc_parser::errors::{ParseError, ParseErrorKind};
use jsonc_parser::{CollectOptions, ParseOptions, ParseStringErrorKind};
use zeroize::Zeroizing;

use super::tree::{Entry, Lines, Node, Syntax, Text, Value, first_duplicate};

/// How deeply arrays and objects may nest (toml's limit).
const MAX_DEPTH: usize = 80;

/// Parses a JSON document into entries, each with its line.
pub(crate) fn parse<'a>(text: &'a str, lines: &Lines<'_>) -> Result<Vec<Entry<'a>>, Syntax> {
    let options = ParseOptions {
        allow_comments: true,
        allow_trailing_commas: true,
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options)
        .map_err(|err| parse_error(&err, lines))?;
    match parsed.value {
        // An empty file (or comments only), or `null`: no settings.
        None | Some(Json::NullKeyword(_)) => Ok(Vec::new()),
        Some(Json::Object(object)) => entries(object, lines, 0),
        Some(other) => Err(syntax_at(
            lines,
            other.start(),
            "the document is not an object of keys to values",
        )),
    }
}

fn entries<'a>(
    object: Object<'a>,
    lines: &Lines<'_>,
    depth: usize,
) -> Result<Vec<Entry<'a>>, Syntax> {
    let mut starts = Vec::with_capacity(object.properties.len());
    let mut entries = Vec::with_capacity(object.properties.len());
    for prop in object.properties {
        let at = prop.name.start();
        let key = match prop.name {
            ObjectPropName::String(name) => text_of(name.value),
            ObjectPropName::Word(name) => Text::Borrowed(name.value),
        };
        starts.push(at);
        entries.push(Entry {
            key,
            line: lines.line(at),
            node: node(prop.value, lines, depth + 1)?,
        });
    }
    if let Some(twice) = first_duplicate(&entries) {
        return Err(syntax_at(
            lines,
            starts[twice],
            "a key written twice in one object",
        ));
    }
    Ok(entries)
}

fn node<'a>(value: Json<'a>, lines: &Lines<'_>, depth: usize) -> Result<Node<'a>, Syntax> {
    let at = value.start();
    let line = lines.line(at);
    let value = match value {
        Json::StringLit(s) => Value::Str(text_of(s.value)),
        Json::NumberLit(n) => Value::Plain(Text::Borrowed(n.value)),
        Json::BooleanLit(b) => Value::Plain(Text::Borrowed(if b.value { "true" } else { "false" })),
        Json::NullKeyword(_) => Value::Null,
        Json::Array(array) => {
            deeper(depth, lines, at)?;
            Value::Array(
                array
                    .elements
                    .into_iter()
                    .map(|item| node(item, lines, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        Json::Object(object) => {
            deeper(depth, lines, at)?;
            Value::Table(entries(object, lines, depth)?)
        }
    };
    Ok(Node { line, value })
}

/// A string as the parser decoded it: borrowed from the file when it had no escapes,
/// else moved into a buffer wiped on drop.
fn text_of(text: Cow<'_, str>) -> Text<'_> {
    match text {
        Cow::Borrowed(text) => Text::Borrowed(text),
        Cow::Owned(text) => Text::Owned(Zeroizing::new(text)),
    }
}

fn deeper(depth: usize, lines: &Lines<'_>, at: usize) -> Result<(), Syntax> {
    if depth >= MAX_DEPTH {
        return Err(syntax_at(lines, at, "nested more than 80 levels deep"));
    }
    Ok(())
}

/// The parser's message and where. Its messages are fixed texts but one: a bad
/// `\u` escape quotes the escape's digits, which are left out here.
fn parse_error(err: &ParseError, lines: &Lines<'_>) -> Syntax {
    let message = match err.kind() {
        ParseErrorKind::String(ParseStringErrorKind::InvalidUnicodeEscapeSequence(_)) => {
            "invalid unicode escape sequence".to_owned()
        }
        kind => {
            let mut message = kind.to_string();
            // "Unterminated string literal" -> "unterminated ...", as the other readers say.
            if let Some(first) = message.get_mut(..1) {
                first.make_ascii_lowercase();
            }
            message
        }
    };
    syntax_at(lines, err.range().start, &message)
}

fn syntax_at(lines: &Lines<'_>, at: usize, message: &str) -> Syntax {
    let (line, column) = lines.position(at);
    Syntax {
        line,
        column,
        message: message.lines().next().unwrap_or_default().to_owned(),
    }
}
