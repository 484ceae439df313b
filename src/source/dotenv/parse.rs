//! The `.env` parser: the dotenv family's format (dotenv for Node, dotenvx,
//! python-dotenv, docker compose's `env_file`), without copies.
//!
//! The grammar, and the peer each choice follows where the peers differ, is in
//! `docs/dotenv.md`; `tests/test_dotenv_peers.rs` checks it against the peers' own test
//! suites. In short:
//!
//! - `\n`, `\r\n` and a lone `\r` end a physical line;
//! - a line is blank, a `#` comment, or `[export ]KEY=VALUE` (spaces around `=` allowed);
//!   anything else is a line that does not parse ([`Item::Bad`]), and only that physical
//!   line is skipped;
//! - a value is `'single'` (literal but for `\'`) or `` `backtick` `` quoted (literal), `"double"` quoted
//!   (escapes and substitution), or unquoted (to the end of the line or ` #`, trimmed,
//!   with substitution); a quoted value may span lines; a quote with no closing quote
//!   makes its line one that does not parse;
//! - `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`,
//!   `${NAME+alt}` read the environment the loader uses ([`Env`]), then the file's own
//!   earlier lines; a `$NAME` or `${NAME}` of an unset variable is an [`Item::Unset`].
//!
//! What makes it confidant's own: every value is built in a [`Zeroizing`] buffer (grown
//! only by moving into a larger zeroizing buffer) and handed over by move; earlier values
//! are looked up where they are, not kept in a second map; each item carries the line
//! its key is on, and a line that does not parse is returned without its content.
//!
//! The text is `&str`: the caller checks UTF-8 first.

use std::collections::HashMap;
use std::ffi::OsString;

use zeroize::Zeroizing;

/// Where `$VAR` and `${VAR}` look first (then the file's own earlier lines).
#[derive(Clone, Copy)]
pub(crate) enum Env<'a> {
    /// The process environment, read one name at a time.
    Process,
    /// The map given to `Loader::env_vars` (a fixture's is empty); for a name given
    /// twice, the later entry wins, as a later `export` would.
    Vars(&'a [(OsString, OsString)]),
    /// The environment's text variables, copied into zeroizing buffers (for expanding a
    /// decrypted value once the given map is gone); the later entry wins.
    #[cfg_attr(not(feature = "dotenvx"), allow(dead_code))]
    Copied(&'a [(String, Zeroizing<String>)]),
}

impl Env<'_> {
    /// Hands `name`'s value to `found` and returns true, if it is set and UTF-8.
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
            Env::Copied(vars) => match vars.iter().rev().find(|(k, _)| k == name) {
                Some((_, value)) => {
                    found(value);
                    true
                }
                None => false,
            },
        }
    }

    /// The text variables of the environment, copied into zeroizing buffers (the
    /// process environment is read where it is: `None`).
    #[cfg(feature = "dotenvx")]
    pub(crate) fn copy(self) -> Option<Vec<(String, Zeroizing<String>)>> {
        match self {
            Env::Process => None,
            Env::Vars(vars) => Some(
                vars.iter()
                    .filter_map(|(k, v)| {
                        Some((
                            k.to_str()?.to_owned(),
                            Zeroizing::new(v.to_str()?.to_owned()),
                        ))
                    })
                    .collect(),
            ),
            Env::Copied(vars) => Some(vars.to_vec()),
        }
    }
}

/// One item of a `.env` text, in file order.
pub(crate) enum Item<'t> {
    /// `key=value`, with the 1-based line the key is on. The key may be one no setting
    /// can be named (`VAR.WITH.DOTS`): the caller decides.
    Pair {
        key: &'t str,
        value: Zeroizing<String>,
        line: usize,
        /// Part of the value came from a substitution (text from elsewhere, perhaps a
        /// secret), or the value was read over several lines (a stray quote may have
        /// swallowed the lines after it): never echoed in an error.
        conceal: bool,
        /// Written in single quotes or backticks: taken literally (a decrypted value is
        /// not expanded either, as in dotenvx).
        #[cfg_attr(not(feature = "dotenvx"), allow(dead_code))]
        literal: bool,
    },
    /// A line that does not parse: the line it starts on, and its key when one can be
    /// read (`KEY="open quote`); none for a bare word, `=value` or garbage.
    Bad { line: usize, key: Option<&'t str> },
    /// `$NAME` or `${NAME}` of a variable set neither in the environment nor earlier in
    /// the file (substituted as empty), in the value of `key` on `line`.
    Unset {
        key: &'t str,
        name: &'t str,
        line: usize,
    },
}

/// Parses a whole `.env` text (BOM already removed) into its items, in file order.
pub(crate) fn parse<'t>(text: &'t str, env: Env<'_>) -> Vec<Item<'t>> {
    let mut p = Parser {
        text,
        pos: 0,
        line: 1,
        items: Vec::new(),
        defined: HashMap::new(),
        env,
        fallback: None,
    };
    while p.pos < text.len() {
        p.logical_line();
    }
    p.items
}

/// Expands `$NAME` and `${...}` in a value decrypted from `encrypted:` on `line`, as
/// dotenvx does after decrypting: from `env`, then the latest of `pairs` (the file's
/// `(key, value, line)`) before that line. `Err` for a `${` that does not close.
#[cfg(feature = "dotenvx")]
pub(crate) fn expand_decrypted(
    text: &str,
    env: Env<'_>,
    pairs: &[(String, Zeroizing<String>, usize)],
    line: usize,
) -> Result<Zeroizing<String>, ()> {
    let mut p = Parser {
        text: "",
        pos: 0,
        line,
        items: Vec::new(),
        defined: HashMap::new(),
        env,
        fallback: None,
    };
    // The earlier values, looked up where they are (the latest definition wins).
    let mut earlier: HashMap<&str, &str> = HashMap::new();
    for (key, value, at) in pairs {
        if *at < line {
            earlier.insert(key, value);
        }
    }
    let mut out = Output::new(text.len());
    let lookup = |name: &str, found: &mut dyn FnMut(&str)| match earlier.get(name) {
        Some(value) => {
            found(value);
            true
        }
        None => false,
    };
    p.fallback = Some(&lookup);
    p.expand(&mut out, text, Mode::Unquoted, "", line)?;
    Ok(out.buf)
}

struct Parser<'t, 'e> {
    text: &'t str,
    /// Byte offset of the next character, and the 1-based line it is on.
    pos: usize,
    line: usize,
    items: Vec<Item<'t>>,
    /// Key -> index in `items` of its latest definition: a later line wins.
    defined: HashMap<&'t str, usize>,
    env: Env<'e>,
    /// Where names not in the environment are looked up instead of `defined` (the
    /// earlier lines of a file read before, for a decrypted value).
    fallback: Option<&'e Lookup<'e>>,
}

/// Hands a name's value to the callback and returns true, if it is set.
type Lookup<'a> = dyn Fn(&str, &mut dyn FnMut(&str)) -> bool + 'a;

/// How the text handed to `expand` was written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A whole unquoted value: `\ ` and `\$` are escapes, other backslashes are text.
    Unquoted,
    /// Between double quotes: `\n`, `\r`, `\t`, `\"`, `\'`, `\\`, `\$`, `\ `; line
    /// ends are written as `\n`.
    Double,
    /// An unquoted run next to a quoted part (`'a'\''b'`, as a shell reads it): a
    /// backslash escapes a quote, a space, `\` or `$`.
    Word,
}

/// Spaces and tabs (and other blanks) that are not line ends.
fn is_blank(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// A character of a substitutable name (`$NAME`): ASCII letters, digits, `_`.
fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `key` is a name a setting can have (and `$NAME` can refer to):
/// `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_name(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty() && !b[0].is_ascii_digit() && b.iter().all(|&b| is_name_char(b))
}

impl<'t> Parser<'t, '_> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn skip_blanks(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches(is_blank).len();
    }

    /// The end of the physical line at `from`: (end of its content, start of the next).
    fn line_end(&self, from: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        match bytes[from..].iter().position(|&b| b == b'\n' || b == b'\r') {
            None => (bytes.len(), bytes.len()),
            Some(i) => {
                let end = from + i;
                let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                (end, next)
            }
        }
    }

    /// Moves to the start of the next physical line.
    fn next_line(&mut self) {
        let (end, next) = self.line_end(self.pos);
        if next > end {
            self.line += 1;
        }
        self.pos = next;
    }

    /// Moves to `to`, counting the line ends passed.
    fn advance_to(&mut self, to: usize) {
        self.line += count_line_ends(&self.text[self.pos..to]);
        self.pos = to;
    }

    fn bad(&mut self, line: usize, key: Option<&'t str>) {
        self.items.push(Item::Bad { line, key });
        self.next_line();
    }

    fn logical_line(&mut self) {
        self.skip_blanks();
        let line = self.line;
        let rest = self.rest();
        match rest.as_bytes().first() {
            None => return,
            Some(b'\n' | b'\r') => return self.next_line(),
            Some(b'#') => return self.next_line(),
            _ => {}
        }
        let (mut key, mut colon) = self.key();
        // `export KEY=...`; `export=...` and `export =...` set the key `export`.
        if key == "export" && !colon && !self.rest().starts_with('=') && !self.at_line_end() {
            (key, colon) = self.key();
        }
        if key.is_empty() || !(colon || self.rest().starts_with('=')) {
            // A bare word (`NAME`, `export NAME`), `=value`, garbage: it sets nothing.
            return self.bad(line, None);
        }
        if !colon {
            self.pos += 1;
        }
        self.skip_blanks();
        let items = self.items.len();
        let literal = self.rest().starts_with(['\'', '`']);
        match self.value(key, line) {
            Ok((value, conceal)) => {
                self.defined.insert(key, self.items.len());
                self.items.push(Item::Pair {
                    key,
                    value,
                    line,
                    conceal,
                    literal,
                });
            }
            Err(()) => {
                // No warning about the substitutions of a line that is not read.
                self.items.truncate(items);
                self.bad(line, Some(key));
            }
        }
    }

    fn at_line_end(&self) -> bool {
        matches!(self.rest().as_bytes().first(), None | Some(b'\n' | b'\r'))
    }

    /// A key and the blanks after it; true when it ends with the separator `: `
    /// (`KEY: value`, as dotenv for Node and compose read it).
    fn key(&mut self) -> (&'t str, bool) {
        let key = self.key_token();
        let colon = key.len() > 1 && key.ends_with(':') && is_blank_byte(self.rest());
        self.skip_blanks();
        match colon {
            true => (&key[..key.len() - 1], true),
            false => (key, false),
        }
    }

    /// A key: the characters up to a blank, `=` or the line's end (`VAR.WITH.DOTS` and
    /// `a[1]` included: the caller tells which a setting can have).
    fn key_token(&mut self) -> &'t str {
        let rest = self.rest();
        let end = rest
            .find(|c: char| c == '=' || c == '\n' || c == '\r' || is_blank(c))
            .unwrap_or(rest.len());
        self.pos += end;
        &rest[..end]
    }

    /// The value after `=` (blanks skipped), up to and including its line end. On
    /// `Err`, `pos` is still on the line the key is on.
    fn value(&mut self, key: &'t str, line: usize) -> Result<(Zeroizing<String>, bool), ()> {
        let rest = self.rest();
        let quote = rest.as_bytes().first().copied();
        match quote {
            Some(b'\'' | b'`' | b'"') => {
                // Quoted parts and unquoted runs, side by side, up to a blank or the
                // line's end: `'a'"b"c` is `abc`, as a shell reads it.
                let mut out = Output::new(rest.len().min(64));
                let mut at = 0;
                let mut multi_line = false;
                loop {
                    let part = &rest[at..];
                    match part.as_bytes().first() {
                        Some(&q @ (b'\'' | b'`' | b'"')) => {
                            let close = find_close(&part[1..], q).ok_or(())? + 1;
                            let inner = &part[1..close];
                            multi_line |= inner.contains(['\n', '\r']);
                            match q {
                                b'"' => self.expand(&mut out, inner, Mode::Double, key, line)?,
                                // `\'` is a quote (dotenvx, python-dotenv, compose).
                                b'\'' => {
                                    let mut parts = inner.split("\\'");
                                    push_normalized(&mut out, parts.next().unwrap_or(""));
                                    for part in parts {
                                        out.push_str("'");
                                        push_normalized(&mut out, part);
                                    }
                                }
                                _ => push_normalized(&mut out, inner),
                            }
                            at += close + 1;
                        }
                        // A `#` right after a quote starts a comment (`"foo"#bar`).
                        Some(&b) if !(b"\n\r#".contains(&b) || is_blank_byte(part)) => {
                            let len = word_run(part);
                            self.expand(&mut out, &part[..len], Mode::Word, key, line)?;
                            at += len;
                        }
                        _ => break,
                    }
                }
                // After the value: blanks, then the line's end or a comment.
                let tail = rest[at..].trim_start_matches(is_blank);
                if !(tail.is_empty() || tail.starts_with(['\n', '\r', '#'])) {
                    return Err(());
                }
                let conceal = out.substituted || multi_line || out.buf.contains(['\n', '\r']);
                let end = self.pos + at;
                self.advance_to(end);
                self.next_line();
                Ok((out.buf, conceal))
            }
            _ => {
                let (end, _) = self.line_end(self.pos);
                let raw = &self.text[self.pos..end];
                // An unquoted value ends before a `#` that follows a blank (or starts it).
                let mut cut = raw.len();
                let mut prev_blank = true;
                for (i, c) in raw.char_indices() {
                    if c == '#' && prev_blank {
                        cut = i;
                        break;
                    }
                    prev_blank = is_blank(c);
                }
                let raw = raw[..cut].trim_end_matches(is_blank);
                let mut out = Output::new(raw.len());
                self.expand(&mut out, raw, Mode::Unquoted, key, line)?;
                let conceal = out.substituted || out.buf.contains(['\n', '\r']);
                self.next_line();
                Ok((out.buf, conceal))
            }
        }
    }

    /// Appends `input` to `out`, substituting `$NAME` and `${...}`; in double quotes,
    /// also decoding escapes. `Err` for a `${` with no closing `}` or a bad name in it.
    fn expand(
        &mut self,
        out: &mut Output,
        input: &'t str,
        mode: Mode,
        key: &'t str,
        line: usize,
    ) -> Result<(), ()> {
        let bytes = input.as_bytes();
        let mut i = 0;
        // Start of the run of plain text not yet copied.
        let mut plain = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' if i + 1 < bytes.len() => {
                    let decoded = match (bytes[i + 1], mode) {
                        (b'$', _) => Some("$"),
                        (b' ', _) => Some(" "),
                        (b'n', Mode::Double) => Some("\n"),
                        (b'r', Mode::Double) => Some("\r"),
                        (b't', Mode::Double) => Some("\t"),
                        (b'"', Mode::Double | Mode::Word) => Some("\""),
                        (b'\'', Mode::Double | Mode::Word) => Some("'"),
                        (b'`', Mode::Word) => Some("`"),
                        (b'\\', Mode::Double | Mode::Word) => Some("\\"),
                        _ => None,
                    };
                    if let Some(decoded) = decoded {
                        push_plain(out, &input[plain..i], mode);
                        out.push_str(decoded);
                        i += 2;
                        plain = i;
                    } else {
                        i += 1;
                    }
                }
                b'$' => {
                    let after = &input[i + 1..];
                    let (name_len, braced) = if after.starts_with('{') {
                        (0, true)
                    } else {
                        let n = after.bytes().take_while(|&b| is_name_char(b)).count();
                        if n == 0 || after.as_bytes()[0].is_ascii_digit() {
                            // `$` alone, `$1`, `$ `: a literal `$`.
                            i += 1;
                            continue;
                        }
                        (n, false)
                    };
                    push_plain(out, &input[plain..i], mode);
                    if braced {
                        let body_start = i + 2;
                        let close = find_brace(&input[body_start..]).ok_or(())? + body_start;
                        self.braced(out, &input[body_start..close], key, line)?;
                        i = close + 1;
                    } else {
                        let name = &after[..name_len];
                        if !self.substitute(out, name) {
                            self.items.push(Item::Unset { key, name, line });
                        }
                        i += 1 + name_len;
                    }
                    plain = i;
                }
                _ => i += 1,
            }
        }
        push_plain(out, &input[plain..], mode);
        Ok(())
    }

    /// `${body}`: `NAME`, `NAME:-word`, `NAME-word`, `NAME:+word`, `NAME+word`.
    fn braced(
        &mut self,
        out: &mut Output,
        body: &'t str,
        key: &'t str,
        line: usize,
    ) -> Result<(), ()> {
        let name_len = body.bytes().take_while(|&b| is_name_char(b)).count();
        let name = &body[..name_len];
        if !is_name(name) {
            return Err(());
        }
        let op = &body[name_len..];
        let (op, word) = if let Some(word) = op.strip_prefix(":-") {
            (":-", word)
        } else if let Some(word) = op.strip_prefix(":+") {
            (":+", word)
        } else if let Some(word) = op.strip_prefix('-') {
            ("-", word)
        } else if let Some(word) = op.strip_prefix('+') {
            ("+", word)
        } else if op.is_empty() {
            ("", "")
        } else {
            return Err(());
        };
        // Whether the variable is set, and set to a non-empty text.
        let (set, non_empty) = self.lookup(name, &mut |_| {});
        let use_word = match op {
            "" => {
                if !self.substitute(out, name) {
                    self.items.push(Item::Unset { key, name, line });
                }
                return Ok(());
            }
            ":-" => !non_empty,
            "-" => !set,
            ":+" => non_empty,
            _ => set, // "+"
        };
        if use_word {
            self.expand(out, word, Mode::Unquoted, key, line)?;
        } else if op == ":-" || op == "-" {
            self.substitute(out, name);
        }
        Ok(())
    }

    /// Whether `name` is set (the environment, then the file's earlier lines), and set to
    /// a non-empty value; hands the value to `found`.
    fn lookup(&self, name: &str, found: &mut dyn FnMut(&str)) -> (bool, bool) {
        let mut non_empty = false;
        if self.env.with(name, &mut |v| {
            non_empty = !v.is_empty();
            found(v);
        }) {
            return (true, non_empty);
        }
        if let Some(fallback) = self.fallback {
            let set = fallback(name, &mut |v| {
                non_empty = !v.is_empty();
                found(v);
            });
            return (set, non_empty);
        }
        if let Some(&i) = self.defined.get(name)
            && let Item::Pair { value, .. } = &self.items[i]
        {
            found(value);
            return (true, !value.is_empty());
        }
        (false, false)
    }

    /// Appends `name`'s value; false when it is not set.
    fn substitute(&self, out: &mut Output, name: &str) -> bool {
        let (set, _) = self.lookup(name, &mut |v| {
            out.substituted |= !v.is_empty();
            out.push_str(v);
        });
        set
    }
}

/// The number of line ends in `s` (`\r\n` counts once).
fn count_line_ends(s: &str) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
    }
    n
}

/// Appends text copied from the input: in quotes, with line ends normalized.
fn push_plain(out: &mut Output, s: &str, mode: Mode) {
    if mode == Mode::Double {
        push_normalized(out, s);
    } else {
        out.push_str(s);
    }
}

/// Appends `s` with each line end (`\r\n`, lone `\r`) written as `\n`.
fn push_normalized(out: &mut Output, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push_str("\n");
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
}

/// Whether `s` starts with a blank.
fn is_blank_byte(s: &str) -> bool {
    s.chars().next().is_some_and(is_blank)
}

/// The length of the unquoted run at the start of `s`: up to a blank, a line end or a
/// quote that no backslash escapes.
fn word_run(s: &str) -> usize {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|&(_, n)| n != '\n' && n != '\r') => {
                chars.next();
            }
            '\'' | '"' | '`' | '\n' | '\r' => return i,
            c if is_blank(c) => return i,
            _ => {}
        }
    }
    s.len()
}

/// The offset in `s` of the quote `q` that closes a value: a backslash before it (or
/// before another backslash) keeps it open, as in dotenv's pattern `"(?:\\"|[^"])*"`.
fn find_close(s: &str, q: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && matches!(b.get(i + 1), Some(&c) if c == q || c == b'\\') {
            i += 2;
        } else if b[i] == q {
            return Some(i);
        } else {
            i += 1;
        }
    }
    None
}

/// The offset in `s` of the `}` that closes a `${`, nested `${...}` skipped.
fn find_brace(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            b'\n' | b'\r' => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A value under construction: a zeroizing buffer that never reallocates in place.
struct Output {
    buf: Zeroizing<String>,
    /// Some text came from a substitution.
    substituted: bool,
}

impl Output {
    fn new(capacity: usize) -> Output {
        Output {
            buf: Zeroizing::new(String::with_capacity(capacity)),
            substituted: false,
        }
    }

    /// Appends `s`, moving to a larger zeroizing buffer when it does not fit (the old
    /// one is wiped when dropped).
    fn push_str(&mut self, s: &str) {
        let need = self.buf.len() + s.len();
        if self.buf.capacity() < need {
            let mut bigger =
                Zeroizing::new(String::with_capacity(need.max(2 * self.buf.capacity())));
            bigger.push_str(&self.buf);
            self.buf = bigger;
        }
        self.buf.push_str(s);
    }
}

#[cfg(test)]
mod tests;
