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
            crate::error::words::syntax::NOT_AN_OBJECT,
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
            crate::error::words::syntax::KEY_TWICE_IN_OBJECT,
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
        return Err(syntax_at(lines, at, crate::error::words::syntax::TOO_DEEP));
    }
    Ok(())
}

/// The parser's message and where. Its messages are fixed texts but one: a bad
/// `\u` escape quotes the escape's digits, which are left out here.
fn parse_error(err: &ParseError, lines: &Lines<'_>) -> Syntax {
    let message = match err.kind() {
        ParseErrorKind::String(ParseStringErrorKind::InvalidUnicodeEscapeSequence(_)) => {
            crate::error::words::syntax::BAD_UNICODE_ESCAPE.to_owned()
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

#[cfg(test)]
mod tests {
    //! A property test over generated documents: nested objects and arrays, strings
    //! with and without escapes, numbers, comments, blank lines and trailing commas
    //! between any two tokens, LF or CRLF; each key's and value's reported line is the
    //! line it was written on, and each text is read back.

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Gen {
        Str(String),
        Num(String),
        Array(Vec<Gen>),
        Object(Vec<(String, Gen)>),
    }

    fn value() -> impl Strategy<Value = Gen> {
        let leaf = prop_oneof![
            "[a-z0-9 ]{0,8}(\\\\n|\\\\u0041|)[a-z]{0,3}".prop_map(Gen::Str),
            "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?".prop_map(Gen::Num),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Gen::Array),
                prop::collection::btree_map("k[a-z0-9_]{0,6}", inner, 0..4)
                    .prop_map(|map| Gen::Object(map.into_iter().collect())),
            ]
        })
    }

    /// The text between two tokens, by `pick`: nothing, a space, a line break, a line
    /// comment, a block comment over two lines.
    fn gap(pick: u8) -> &'static str {
        match pick % 5 {
            0 => "",
            1 => " ",
            2 => "\n",
            3 => " // c\n",
            _ => "/* a\n b */",
        }
    }

    /// Renders `value`; pushes (line, text) for each scalar, and for each key (line, key).
    struct Render<'g> {
        out: String,
        gaps: &'g [u8],
        next: usize,
        want: Vec<(usize, String)>,
    }

    impl Render<'_> {
        fn line(&self) -> usize {
            1 + self.out.matches('\n').count()
        }
        fn gap(&mut self) {
            let pick = self.gaps[self.next % self.gaps.len()];
            self.next += 1;
            self.out.push_str(gap(pick));
        }
        fn value(&mut self, value: &Gen) {
            match value {
                Gen::Str(s) => {
                    let decoded = s.replace("\\n", "\n").replace("\\u0041", "A");
                    self.want.push((self.line(), decoded));
                    self.out.push_str(&format!("\"{s}\""));
                }
                Gen::Num(n) => {
                    self.want.push((self.line(), n.clone()));
                    self.out.push_str(n);
                }
                Gen::Array(items) => {
                    self.out.push('[');
                    for item in items {
                        self.gap();
                        self.value(item);
                        self.gap();
                        self.out.push(',');
                    }
                    self.gap();
                    self.out.push(']');
                }
                Gen::Object(entries) => {
                    self.out.push('{');
                    for (key, item) in entries {
                        self.gap();
                        self.want.push((self.line(), key.clone()));
                        self.out.push_str(&format!("\"{key}\""));
                        self.gap();
                        self.out.push(':');
                        self.gap();
                        self.value(item);
                        self.gap();
                        self.out.push(',');
                    }
                    self.gap();
                    self.out.push('}');
                }
            }
        }
    }

    /// Every key and scalar of the tree in the file's order, with its line.
    fn read(entries: &[Entry<'_>], out: &mut Vec<(usize, String)>) {
        for entry in entries {
            out.push((entry.line, entry.key.to_string()));
            read_node(&entry.node, out);
        }
    }

    fn read_node(node: &Node<'_>, out: &mut Vec<(usize, String)>) {
        match &node.value {
            Value::Str(text) | Value::Plain(text) => out.push((node.line, text.to_string())),
            Value::Null => out.push((node.line, "null".to_owned())),
            Value::Array(items) => items.iter().for_each(|item| read_node(item, out)),
            Value::Table(entries) => read(entries, out),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_key_and_value_is_on_the_line_reported(
            top in prop::collection::btree_map("k[a-z0-9_]{0,6}", value(), 0..6),
            gaps in prop::collection::vec(any::<u8>(), 1..16),
            crlf in any::<bool>(),
        ) {
            let mut render = Render { out: String::new(), gaps: &gaps, next: 0, want: Vec::new() };
            render.value(&Gen::Object(top.into_iter().collect()));
            let text = if crlf { render.out.replace('\n', "\r\n") } else { render.out.clone() };
            let lines = Lines::new(&text);
            let entries = parse(&text, &lines).map_err(|e| {
                TestCaseError::fail(format!("{}:{}: {} in\n{text}", e.line, e.column, e.message))
            })?;
            let mut got = Vec::new();
            read(&entries, &mut got);
            prop_assert_eq!(got, render.want, "{}", text);
        }
    }
}
