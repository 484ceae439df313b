//! The `.env` parser: dotenvy 0.15.7's rules, line for line, without its copies.
//!
//! dotenvy groups physical lines into logical lines (a quoted value may span lines), then
//! parses each into a key and a value, substituting `$VAR` and `${VAR}` from the process
//! environment or from keys defined earlier in the file. This module follows the same
//! two state machines (`QuotedLines` and `LineParser`/`parse_value` in dotenvy) and is
//! checked against dotenvy by a differential property test, with three differences that
//! are the reason it exists:
//!
//! - substitution reads the environment the loader uses ([`Env`]): the map given to
//!   `Loader::env_vars` (empty for fixtures) or the process environment, read only;
//! - every value is built in a [`Zeroizing`] buffer sized up front (grown only by moving
//!   into a larger zeroizing buffer) and handed over by move: earlier values are looked up
//!   where they are, not kept in a second map;
//! - each entry carries the line its key is on, and a line that does not parse is
//!   returned as its line number and text, so the caller can report it without content.
//!
//! The text is `&str`: the caller checks UTF-8 first (dotenvy fails a line that is not).

use std::collections::HashMap;
use std::ffi::OsString;

use zeroize::Zeroizing;

/// Where `$VAR` and `${VAR}` look first (dotenvy: `std::env::var`, which wins over the
/// file's own keys).
#[derive(Clone, Copy)]
pub(crate) enum Env<'a> {
    /// The process environment, read one name at a time.
    Process,
    /// The map given to `Loader::env_vars` (a fixture's is empty); for a name given
    /// twice, the later entry wins, as a later `export` would.
    Vars(&'a [(OsString, OsString)]),
}

impl Env<'_> {
    /// Hands `name`'s value to `found` and returns true, if it is set and UTF-8
    /// (`std::env::var` fails otherwise, and dotenvy then falls back to the file).
    pub(crate) fn with(self, name: &str, found: &mut dyn FnMut(&str)) -> bool {
        if name.is_empty() {
            // No environment holds a variable with an empty name.
            return false;
        }
        match self {
            Env::Process => match std::env::var_os(name).map(OsString::into_string) {
                Some(Ok(value)) => {
                    let value = Zeroizing::new(value);
                    found(&value);
                    true
                }
                Some(Err(not_utf8)) => {
                    drop(Zeroizing::new(not_utf8.into_encoded_bytes()));
                    false
                }
                None => false,
            },
            Env::Vars(vars) => match vars.iter().rev().find(|(k, _)| k == name) {
                Some((_, value)) => match value.to_str() {
                    Some(value) => {
                        found(value);
                        true
                    }
                    None => false,
                },
                None => false,
            },
        }
    }
}

/// One logical line of a `.env` text that sets a key or does not parse.
pub(crate) enum Item<'t> {
    /// `key=value`, with the 1-based line the key is on.
    Pair {
        key: &'t str,
        value: Zeroizing<String>,
        line: usize,
        /// Part of the value came from `$VAR`: text from elsewhere, perhaps a secret,
        /// so it is never echoed in an error.
        substituted: bool,
    },
    /// A logical line that does not parse: the line it starts on and its text (for an
    /// unterminated quote, the rest of the file). The text may hold secrets: it is for
    /// finding keys, never for output.
    Bad { line: usize, text: &'t str },
}

/// Parses a whole `.env` text (BOM already removed) into its items, in file order.
pub(crate) fn parse<'t>(text: &'t str, env: Env<'_>) -> Vec<Item<'t>> {
    let mut items: Vec<Item<'t>> = Vec::new();
    // dotenvy's `substitution_data`, without the copies: key -> index of its latest
    // definition in `items`.
    let mut defined: HashMap<&'t str, usize> = HashMap::new();
    let lines = QuotedLines {
        text,
        pos: 0,
        line: 1,
    };
    for logical in lines {
        match logical {
            Ok((line, logical)) => match parse_line(logical, env, &items, &defined) {
                Ok(Some((key, (value, substituted)))) => {
                    defined.insert(key, items.len());
                    items.push(Item::Pair {
                        key,
                        value,
                        line,
                        substituted,
                    });
                }
                Ok(None) => {}
                Err(()) => items.push(Item::Bad {
                    line,
                    text: logical,
                }),
            },
            Err((line, rest)) => items.push(Item::Bad { line, text: rest }),
        }
    }
    items
}

/// dotenvy's `iter::ParseState`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Complete,
    Escape,
    StrongOpen,
    StrongOpenEscape,
    WeakOpen,
    WeakOpenEscape,
    Comment,
    WhiteSpace,
}

/// dotenvy's `iter::eval_end_state`: the state after one physical line, and where a
/// comment starts when it finds one.
fn eval_end_state(prev: State, buf: &str) -> (usize, State) {
    let mut state = prev;
    let mut cur_pos = 0;
    for (pos, c) in buf.char_indices() {
        cur_pos = pos;
        state = match state {
            State::WhiteSpace => match c {
                '#' => return (cur_pos, State::Comment),
                '\\' => State::Escape,
                '"' => State::WeakOpen,
                '\'' => State::StrongOpen,
                _ => State::Complete,
            },
            State::Escape => State::Complete,
            State::Complete => match c {
                c if c.is_whitespace() && c != '\n' && c != '\r' => State::WhiteSpace,
                '\\' => State::Escape,
                '"' => State::WeakOpen,
                '\'' => State::StrongOpen,
                _ => State::Complete,
            },
            State::WeakOpen => match c {
                '\\' => State::WeakOpenEscape,
                '"' => State::Complete,
                _ => State::WeakOpen,
            },
            State::WeakOpenEscape => State::WeakOpen,
            State::StrongOpen => match c {
                '\\' => State::StrongOpenEscape,
                '\'' => State::Complete,
                _ => State::StrongOpen,
            },
            State::StrongOpenEscape => State::StrongOpen,
            State::Comment => unreachable!("returned as soon as it is reached"),
        };
    }
    (cur_pos, state)
}

/// dotenvy's `iter::QuotedLines`, over slices of the text: yields each logical line
/// with the number of the physical line it starts on, or, for a quote (or a trailing
/// escape or space) still open at the end, the rest of the text as an error.
struct QuotedLines<'t> {
    text: &'t str,
    /// Byte offset and 1-based number of the next physical line.
    pos: usize,
    line: usize,
}

type Logical<'t> = Result<(usize, &'t str), (usize, &'t str)>;

impl<'t> Iterator for QuotedLines<'t> {
    type Item = Logical<'t>;

    fn next(&mut self) -> Option<Logical<'t>> {
        let text = self.text;
        let (start, first_line) = (self.pos, self.line);
        let mut state = State::Complete;
        loop {
            if self.pos == text.len() {
                // `read_line` read nothing: the end.
                return match state {
                    State::Complete => None,
                    _ => Some(Err((first_line, &text[start..]))),
                };
            }
            let phys_start = self.pos;
            let phys_end = text[phys_start..]
                .find('\n')
                .map_or(text.len(), |i| phys_start + i + 1);
            self.pos = phys_end;
            if text.as_bytes()[phys_end - 1] == b'\n' {
                self.line += 1;
            }
            let buf = &text[start..phys_end];
            // A line starting with `#` is skipped before anything else.
            if buf.trim_start().starts_with('#') {
                return Some(Ok((first_line, "")));
            }
            let (cur_pos, end_state) = eval_end_state(state, &text[phys_start..phys_end]);
            state = end_state;
            match state {
                State::Complete => {
                    let buf = buf
                        .strip_suffix('\n')
                        .map_or(buf, |b| b.strip_suffix('\r').unwrap_or(b));
                    return Some(Ok((first_line, buf)));
                }
                State::Comment => {
                    return Some(Ok((first_line, &text[start..phys_start + cur_pos])));
                }
                _ => {}
            }
        }
    }
}

/// A parsed value, and whether part of it came from a substitution.
type Value = (Zeroizing<String>, bool);

/// dotenvy's `parse::LineParser::parse_line`: `Ok(None)` for a blank or comment line.
fn parse_line<'t>(
    line: &'t str,
    env: Env<'_>,
    items: &[Item<'t>],
    defined: &HashMap<&'t str, usize>,
) -> Result<Option<(&'t str, Value)>, ()> {
    let mut rest = skip_whitespace(line.trim_end());
    if rest.is_empty() || rest.starts_with('#') {
        return Ok(None);
    }
    let mut key;
    (key, rest) = parse_key(rest)?;
    rest = skip_whitespace(rest);
    // `export` is either an optional prefix or a key itself.
    if key == "export" {
        match rest.strip_prefix('=') {
            Some(after) => rest = after,
            None => {
                (key, rest) = parse_key(rest)?;
                rest = skip_whitespace(rest);
                rest = rest.strip_prefix('=').ok_or(())?;
            }
        }
    } else {
        rest = rest.strip_prefix('=').ok_or(())?;
    }
    rest = skip_whitespace(rest);
    if rest.is_empty() || rest.starts_with('#') {
        return Ok(Some((key, (Zeroizing::new(String::new()), false))));
    }
    let value = parse_value(rest, env, items, defined)?;
    Ok(Some((key, value)))
}

/// The key of a physical line as `parse_line` reads it (`KEY=`, `export KEY =`), if it
/// has one: for naming the keys of a line that does not parse, and of the lines an
/// unterminated quote swallowed.
pub(crate) fn key_of(line: &str) -> Option<&str> {
    let (key, rest) = parse_key(skip_whitespace(line)).ok()?;
    let rest = skip_whitespace(rest);
    if rest.starts_with('=') {
        return Some(key);
    }
    if key != "export" {
        return None;
    }
    let (key, rest) = parse_key(rest).ok()?;
    skip_whitespace(rest).starts_with('=').then_some(key)
}

fn skip_whitespace(s: &str) -> &str {
    s.trim_start_matches(char::is_whitespace)
}

/// dotenvy's `parse_key`: an ASCII letter or `_`, then letters, digits, `_` and `.`.
fn parse_key(s: &str) -> Result<(&str, &str), ()> {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return Err(());
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    Ok(s.split_at(end))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Substitution {
    None,
    Block,
    EscapedBlock,
}

/// A value under construction: a zeroizing buffer that never reallocates in place.
struct Output<'i> {
    buf: Zeroizing<String>,
    input: &'i str,
    /// Some text came from a substitution.
    substituted: bool,
}

impl Output<'_> {
    /// Appends `s`, found while reading the input at byte `at`. The buffer is sized so
    /// that the rest of the input fits too: characters copied from the input never need
    /// more room than the input they come from.
    fn push_str(&mut self, s: &str, at: usize) {
        let need = self.buf.len() + s.len() + (self.input.len() - at);
        if self.buf.capacity() < need {
            let mut bigger = Zeroizing::new(String::with_capacity(need));
            bigger.push_str(&self.buf);
            // The old buffer is wiped when it is dropped here.
            self.buf = bigger;
        }
        self.buf.push_str(s);
    }

    fn push(&mut self, c: char) {
        debug_assert!(self.buf.capacity() - self.buf.len() >= c.len_utf8());
        self.buf.push(c);
    }
}

/// dotenvy's `apply_substitution`: the environment first, then the file's latest
/// definition of `name`, else nothing.
fn substitute(
    out: &mut Output<'_>,
    name: &str,
    at: usize,
    env: Env<'_>,
    items: &[Item<'_>],
    defined: &HashMap<&str, usize>,
) {
    if env.with(name, &mut |value| {
        out.substituted |= !value.is_empty();
        out.push_str(value, at);
    }) {
        return;
    }
    if let Some(&i) = defined.get(name)
        && let Item::Pair { value, .. } = &items[i]
    {
        out.substituted |= !value.is_empty();
        out.push_str(value, at);
    }
}

/// dotenvy's `parse_value`, quirks included (`$NAME` takes alphanumerics only and the
/// character after it literally; `\` escapes only `\ ' " $ space n`).
fn parse_value(
    input: &str,
    env: Env<'_>,
    items: &[Item<'_>],
    defined: &HashMap<&str, usize>,
) -> Result<Value, ()> {
    let mut strong_quote = false; // '
    let mut weak_quote = false; // "
    let mut escaped = false;
    let mut expecting_end = false;
    let mut out = Output {
        buf: Zeroizing::new(String::with_capacity(input.len())),
        input,
        substituted: false,
    };
    let mut mode = Substitution::None;
    // The name being read is always a contiguous run of the input.
    let mut name = 0..0;

    for (at, c) in input.char_indices() {
        let next = at + c.len_utf8();
        if expecting_end {
            if c == ' ' || c == '\t' {
                continue;
            } else if c == '#' {
                break;
            } else {
                return Err(());
            }
        } else if escaped {
            match c {
                '\\' | '\'' | '"' | '$' | ' ' => out.push(c),
                'n' => out.push('\n'),
                _ => return Err(()),
            }
            escaped = false;
        } else if strong_quote {
            if c == '\'' {
                strong_quote = false;
            } else {
                out.push(c);
            }
        } else if mode != Substitution::None {
            if c.is_alphanumeric() {
                name.end = next;
            } else if mode == Substitution::Block {
                if c == '{' && name.is_empty() {
                    mode = Substitution::EscapedBlock;
                    name = next..next;
                } else {
                    substitute(&mut out, &input[name.clone()], at, env, items, defined);
                    name = next..next;
                    if c == '$' {
                        mode = Substitution::Block;
                    } else {
                        mode = Substitution::None;
                        out.push(c);
                    }
                }
            } else if c == '}' {
                mode = Substitution::None;
                substitute(&mut out, &input[name.clone()], next, env, items, defined);
                name = next..next;
            } else {
                name.end = next;
            }
        } else if c == '$' {
            mode = Substitution::Block;
            name = next..next;
        } else if weak_quote {
            if c == '"' {
                weak_quote = false;
            } else if c == '\\' {
                escaped = true;
            } else {
                out.push(c);
            }
        } else if c == '\'' {
            strong_quote = true;
        } else if c == '"' {
            weak_quote = true;
        } else if c == '\\' {
            escaped = true;
        } else if c == ' ' || c == '\t' {
            expecting_end = true;
        } else {
            out.push(c);
        }
    }

    if mode == Substitution::EscapedBlock || strong_quote || weak_quote {
        return Err(());
    }
    if mode == Substitution::Block {
        substitute(&mut out, &input[name], input.len(), env, items, defined);
    }
    Ok((out.buf, out.substituted))
}

#[cfg(test)]
mod tests;
