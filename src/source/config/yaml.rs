//! YAML config files (feature `yaml`): saphyr's YAML 1.2 parser, its events read here
//! into the tree, each node's line from the event's span.
//!
//! Every scalar stays as written: nothing is resolved to a number or boolean here
//! (`012345` stays `012345`, `yes` stays `yes`), the setting's parser reads the text as
//! it reads the environment's. A plain `~`, `null` (any case the core schema allows)
//! or an empty value is `null`: not set. Anchors and aliases are resolved (an alias is a
//! copy of its anchor's node); merge keys (`<<`) are not YAML 1.2 and are plain keys.
//!
//! The events are read directly rather than through saphyr's loader (whose tree keeps a
//! second copy of each anchored node, dropped unwiped): each scalar's text, the parser's
//! own `String`, is moved into a buffer wiped on drop the moment it arrives, also when a
//! later line fails to parse. What is left is the parser's: it builds a quoted or block
//! scalar in a `String` grown from empty, and a plain one from 129 bytes, and the blocks
//! it outgrows are freed unwiped (a 40-byte quoted secret leaves one; tests/alloc_canary.rs
//! measures them). A file holds one document; a second (`---`) is a problem, not ignored.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, StrInput, Tag};
use zeroize::Zeroizing;

use super::tree::{Entry, Node, Syntax, Text, Value, first_duplicate};

/// How deeply sequences and mappings may nest (toml's limit).
const MAX_DEPTH: usize = 80;

/// How many nodes aliases may copy in one file (saphyr's loader's limit: a few nested
/// anchors would otherwise expand exponentially, the "billion laughs").
const ALIAS_BUDGET: usize = 100_000;

/// Parses a YAML document into entries, each with its line.
pub(crate) fn parse(text: &str) -> Result<Vec<Entry<'_>>, Syntax> {
    let mut reader = Reader {
        events: Parser::new_from_str(text),
        anchors: HashMap::new(),
        budget: ALIAS_BUDGET,
    };
    reader.stream()
}

struct Reader<'a> {
    events: Parser<'a, StrInput<'a>>,
    /// Each anchor's node, by the parser's anchor id.
    anchors: HashMap<usize, Node<'a>>,
    /// Nodes aliases may still copy.
    budget: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Span), Syntax> {
        match self.events.next_event() {
            Some(Ok(event)) => Ok(event),
            Some(Err(err)) => Err(scan_error(&err)),
            // Only after the stream's end, which `stream` never reads past.
            None => Err(syntax_at(
                Marker::new(0, 1, 0),
                crate::error::words::syntax::END_OF_STREAM,
            )),
        }
    }

    /// The stream: nothing, or one document, which must be a mapping (or empty).
    fn stream(&mut self) -> Result<Vec<Entry<'a>>, Syntax> {
        let mut root = None;
        let mut root_start = Marker::new(0, 1, 0);
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) if root.is_some() => {
                    return Err(syntax_at(
                        span.start,
                        crate::error::words::syntax::SECOND_DOCUMENT,
                    ));
                }
                Event::DocumentStart(_) => {
                    let (event, span) = self.next()?;
                    root_start = span.start;
                    root = Some(self.node(event, span, 0)?);
                    self.anchors.clear();
                }
                Event::DocumentEnd => {}
                _ => {
                    return Err(syntax_at(
                        span.start,
                        crate::error::words::syntax::OUTSIDE_DOCUMENT,
                    ));
                }
            }
        }
        match root {
            None => Ok(Vec::new()),
            Some(Node {
                value: Value::Table(entries),
                ..
            }) => Ok(entries),
            Some(Node {
                value: Value::Null, ..
            }) => Ok(Vec::new()),
            Some(_) => Err(syntax_at(
                root_start,
                crate::error::words::syntax::NOT_A_MAPPING,
            )),
        }
    }

    /// The node that starts with `event`, read to its end.
    fn node(&mut self, event: Event<'a>, span: Span, depth: usize) -> Result<Node<'a>, Syntax> {
        let line = span.start.line();
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                (scalar(text, style, tag.as_deref()), anchor)
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id) else {
                    return Err(syntax_at(
                        span.start,
                        crate::error::words::syntax::UNKNOWN_ANCHOR,
                    ));
                };
                let value = copy(&node.value, &mut self.budget).ok_or_else(|| {
                    syntax_at(span.start, crate::error::words::syntax::TOO_MANY_ALIASES)
                })?;
                (value, 0)
            }
            Event::SequenceStart(anchor, _) => {
                deeper(depth, span)?;
                let mut items = Vec::new();
                loop {
                    let (event, span) = self.next()?;
                    if let Event::SequenceEnd = event {
                        break;
                    }
                    items.push(self.node(event, span, depth + 1)?);
                }
                (Value::Array(items), anchor)
            }
            Event::MappingStart(anchor, _) => {
                deeper(depth, span)?;
                (Value::Table(self.mapping(depth)?), anchor)
            }
            _ => {
                return Err(syntax_at(
                    span.start,
                    crate::error::words::syntax::EXPECTED_VALUE,
                ));
            }
        };
        let node = Node { line, value };
        if anchor > 0 {
            // The anchor's own copy: its texts are wiped on drop as the tree's are.
            let value = copy(&node.value, &mut { usize::MAX }).unwrap_or(Value::Null);
            self.anchors.insert(
                anchor,
                Node {
                    line: node.line,
                    value,
                },
            );
        }
        Ok(node)
    }

    /// A mapping's entries, up to its end; a key written twice is a problem.
    fn mapping(&mut self, depth: usize) -> Result<Vec<Entry<'a>>, Syntax> {
        let mut entries = Vec::new();
        let mut starts = Vec::new();
        loop {
            let (event, span) = self.next()?;
            if let Event::MappingEnd = event {
                break;
            }
            let line = span.start.line();
            starts.push(span.start);
            let key = match event {
                // A key's text as written, `~` and `null` too (a name, never "not set").
                Event::Scalar(text, _, 0, _) => text_of(text),
                event => match self.node(event, span, depth + 1)?.value {
                    Value::Str(text) | Value::Plain(text) => text,
                    Value::Null => Text::Borrowed("null"),
                    Value::Array(_) | Value::Table(_) => {
                        return Err(syntax_at(
                            span.start,
                            crate::error::words::syntax::KEY_NOT_A_NAME,
                        ));
                    }
                },
            };
            let (event, span) = self.next()?;
            let node = self.node(event, span, depth + 1)?;
            entries.push(Entry { key, line, node });
        }
        if let Some(twice) = first_duplicate(&entries) {
            return Err(syntax_at(
                starts[twice],
                crate::error::words::syntax::KEY_TWICE_IN_MAPPING,
            ));
        }
        Ok(entries)
    }
}

/// A scalar's value: its text as written. A plain `~`, `null` or empty scalar (or one
/// tagged `!!null`) is `null`; a quoted one, or one tagged `!!str`, a string.
fn scalar<'a>(text: Cow<'a, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value<'a> {
    let text = text_of(text);
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    match (core, style) {
        (Some("null"), _) => Value::Null,
        (Some("str"), _) => Value::Str(text),
        (None, ScalarStyle::Plain) if matches!(&*text, "" | "~" | "null" | "Null" | "NULL") => {
            Value::Null
        }
        (_, ScalarStyle::Plain) => Value::Plain(text),
        (_, _) => Value::Str(text),
    }
}

/// The parser's text moved into a buffer wiped on drop (it is always an owned `String`).
fn text_of(text: Cow<'_, str>) -> Text<'_> {
    match text {
        Cow::Borrowed(text) => Text::Borrowed(text),
        Cow::Owned(text) => Text::Owned(Zeroizing::new(text)),
    }
}

/// A copy of `value` for an alias, each text in a wiped buffer; `None` once it would
/// copy more nodes than `budget` has left.
fn copy<'a>(value: &Value<'a>, budget: &mut usize) -> Option<Value<'a>> {
    *budget = budget.checked_sub(1)?;
    Some(match value {
        Value::Str(text) => Value::Str(copy_text(text)),
        Value::Plain(text) => Value::Plain(copy_text(text)),
        Value::Null => Value::Null,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| {
                    Some(Node {
                        line: item.line,
                        value: copy(&item.value, budget)?,
                    })
                })
                .collect::<Option<_>>()?,
        ),
        Value::Table(entries) => Value::Table(
            entries
                .iter()
                .map(|entry| {
                    Some(Entry {
                        key: copy_text(&entry.key),
                        line: entry.line,
                        node: Node {
                            line: entry.node.line,
                            value: copy(&entry.node.value, budget)?,
                        },
                    })
                })
                .collect::<Option<_>>()?,
        ),
    })
}

fn copy_text<'a>(text: &Text<'a>) -> Text<'a> {
    match text {
        Text::Borrowed(text) => Text::Borrowed(text),
        Text::Owned(text) => Text::Owned(text.clone()),
    }
}

fn deeper(depth: usize, span: Span) -> Result<(), Syntax> {
    if depth >= MAX_DEPTH {
        return Err(syntax_at(span.start, crate::error::words::syntax::TOO_DEEP));
    }
    Ok(())
}

/// The scanner's message and where: its messages are fixed texts (at most one character
/// of the file, in "unexpected character"), cut at a line break all the same.
fn scan_error(err: &ScanError) -> Syntax {
    syntax_at(*err.marker(), err.info())
}

fn syntax_at(at: Marker, message: &str) -> Syntax {
    Syntax {
        line: at.line().max(1),
        column: at.col() + 1,
        message: message.lines().next().unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    //! A property test over generated documents: block and flow mappings and sequences,
    //! every scalar style, blank and comment lines, LF or CRLF; each key's and value's
    //! reported line is the line it was written on, and each text is read back.

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Style {
        Plain,
        Single,
        Double,
        Literal,
        FlowSeq,
        BlockSeq,
    }

    #[derive(Debug, Clone)]
    enum Gen {
        Scalar(Style, Vec<String>),
        Map(Vec<(String, bool, Gen)>),
    }

    fn word() -> impl Strategy<Value = String> {
        "v[a-z0-9]{0,7}"
    }

    fn value() -> impl Strategy<Value = Gen> {
        let style = prop_oneof![
            Just(Style::Plain),
            Just(Style::Single),
            Just(Style::Double),
            Just(Style::Literal),
            Just(Style::FlowSeq),
            Just(Style::BlockSeq),
        ];
        let leaf = (style, prop::collection::vec(word(), 1..4))
            .prop_map(|(style, words)| Gen::Scalar(style, words));
        leaf.prop_recursive(3, 24, 5, |inner| {
            prop::collection::btree_map("k[a-z0-9_]{0,6}", (any::<bool>(), inner), 0..5).prop_map(
                |map| Gen::Map(map.into_iter().map(|(k, (gap, v))| (k, gap, v)).collect()),
            )
        })
    }

    /// Where each key and value was written: (key, key line, value line, texts).
    #[derive(Debug)]
    enum Want {
        Scalar(Vec<(usize, String)>),
        Map(Vec<(String, usize, usize, Want)>),
    }

    fn render(map: &[(String, bool, Gen)], indent: usize, out: &mut Vec<String>) -> Want {
        let pad = " ".repeat(indent);
        let mut want = Vec::new();
        for (key, gap, value) in map {
            if *gap {
                out.push(format!("{pad}# a comment"));
                out.push(String::new());
            }
            let key_line = out.len() + 1;
            let (value_line, value) = match value {
                Gen::Scalar(style, words) => {
                    let one = words[0].clone();
                    match style {
                        Style::Plain => out.push(format!("{pad}{key}: {one}")),
                        Style::Single => out.push(format!("{pad}{key}: '{one}'")),
                        Style::Double => out.push(format!("{pad}{key}: \"{one}\"")),
                        Style::Literal => {
                            out.push(format!("{pad}{key}: |-"));
                            out.push(format!("{pad}  {one}"));
                        }
                        Style::FlowSeq => out.push(format!("{pad}{key}: [{}]", words.join(", "))),
                        Style::BlockSeq => {
                            out.push(format!("{pad}{key}:"));
                            for word in words {
                                out.push(format!("{pad}  - {word}"));
                            }
                        }
                    }
                    let first = if matches!(style, Style::Literal | Style::BlockSeq) {
                        key_line + 1
                    } else {
                        key_line
                    };
                    let texts = match style {
                        Style::FlowSeq => words.iter().map(|w| (first, w.clone())).collect(),
                        Style::BlockSeq => words
                            .iter()
                            .enumerate()
                            .map(|(i, w)| (first + i, w.clone()))
                            .collect(),
                        _ => vec![(first, one)],
                    };
                    (first, Want::Scalar(texts))
                }
                Gen::Map(inner) if inner.is_empty() => {
                    out.push(format!("{pad}{key}: {{}}"));
                    (key_line, Want::Map(Vec::new()))
                }
                Gen::Map(inner) => {
                    out.push(format!("{pad}{key}:"));
                    let first = out.len() + 1;
                    let inner = render(inner, indent + 2, out);
                    let Want::Map(entries) = &inner else {
                        unreachable!()
                    };
                    // A block mapping starts at its first key (after any comment).
                    let first = entries.first().map_or(first, |e| e.1);
                    (first, inner)
                }
            };
            want.push((key.clone(), key_line, value_line, value));
        }
        Want::Map(want)
    }

    fn check(
        entries: &[Entry<'_>],
        want: &[(String, usize, usize, Want)],
    ) -> Result<(), TestCaseError> {
        prop_assert_eq!(entries.len(), want.len());
        for (entry, (key, key_line, value_line, value)) in entries.iter().zip(want) {
            prop_assert_eq!(&*entry.key, key.as_str());
            prop_assert_eq!(entry.line, *key_line, "key {}", key);
            prop_assert_eq!(entry.node.line, *value_line, "value of {}", key);
            match (&entry.node.value, value) {
                (Value::Table(got), Want::Map(want)) => check(got, want)?,
                (Value::Str(text) | Value::Plain(text), Want::Scalar(texts)) => {
                    prop_assert_eq!(texts.len(), 1);
                    prop_assert_eq!(&**text, texts[0].1.as_str());
                }
                (Value::Array(items), Want::Scalar(texts)) => {
                    prop_assert_eq!(items.len(), texts.len());
                    for (item, (line, text)) in items.iter().zip(texts) {
                        prop_assert_eq!(item.line, *line);
                        let Value::Plain(got) = &item.value else {
                            return Err(TestCaseError::fail(format!("{key}: not a scalar")));
                        };
                        prop_assert_eq!(&**got, text.as_str());
                    }
                }
                _ => return Err(TestCaseError::fail(format!("{key}: another kind of value"))),
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn every_key_and_value_is_on_the_line_reported(
            top in prop::collection::btree_map("k[a-z0-9_]{0,6}", (any::<bool>(), value()), 0..6),
            crlf in any::<bool>(),
        ) {
            let top: Vec<_> = top.into_iter().map(|(k, (gap, v))| (k, gap, v)).collect();
            let mut out = Vec::new();
            let Want::Map(want) = render(&top, 0, &mut out) else { unreachable!() };
            let text = out.join(if crlf { "\r\n" } else { "\n" });
            let entries = parse(&text).map_err(|e| {
                TestCaseError::fail(format!("{}:{}: {} in\n{text}", e.line, e.column, e.message))
            })?;
            check(&entries, &want)?;
        }
    }

    #[test]
    fn a_null_document_and_an_empty_one_have_no_entries() {
        for text in ["", "\n", "# c\n", "---\n", "--- ~\n", "null\n", "...\n"] {
            assert!(parse(text).ok().is_some_and(|e| e.is_empty()), "{text:?}");
        }
    }
}
