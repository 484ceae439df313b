//! [`Redactor`]: replaces loaded secret values in text with `[REDACTED]`, in one pass.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind, packed};
use zeroize::Zeroizing;

/// What a secret value is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// The shortest secret, in bytes, that a [`Redactor`] replaces: 8.
///
/// Shorter values (`on`, `1234`, `admin`) occur in ordinary text so often that replacing
/// them would destroy logs while protecting little; such a secret is too weak to be a
/// credential anyway. [`Loader::explain`](crate::Loader::explain) marks every secret
/// below this length as `(too short to redact)`, so you can find and fix them.
pub const MIN_SECRET_LEN: usize = 8;

/// Replaces every loaded secret value in a text with `[REDACTED]`: for scrubbing logs,
/// error reports, or anything else that may quote a secret.
///
/// Get one from [`Settings::redactor`](crate::Settings::redactor) or
/// [`Redactor::new`]. All secrets are found in a single pass over the text,
/// leftmost-longest, so that a secret containing another is replaced whole: with
/// `aho-corasick`'s packed SIMD searcher for up to about a hundred secrets (many GB/s;
/// see docs/performance.md), else its automaton. Only UTF-8 secrets of at least [`MIN_SECRET_LEN`] bytes are
/// replaced.
///
/// Besides each secret's text, the forms logs hold it in are replaced too:
/// - its `{:?}` escape and its JSON string escape (as serde_json, and so
///   `tracing_subscriber`'s JSON output, writes it), and the JSON escape of its `{:?}`
///   form (a field recorded with `?` in a JSON log), when the secret holds a `"`, a `\`
///   or a control character;
/// - its percent-encoding in a URL, when it holds a character outside RFC 3986's
///   unreserved set: every such byte encoded, in upper or lower case hex, and as the
///   WHATWG URL standard encodes userinfo (the `url` crate, browsers) and as
///   `encodeURIComponent` does;
/// - its base64, standard and URL-safe, padded or not, at any alignment inside a longer
///   base64 text (`Authorization: Basic <base64 of user:password>`): the characters
///   that encode the secret's bits alone are replaced, the one or two at each edge that
///   also hold a neighbour's bits are left.
///
/// The forms cost little: the escaped ones are looked for only near a `\` or `%`, the
/// base64 ones only in runs of base64 characters long enough to hold one (docs/performance.md).
/// What no redactor can catch (a secret shorter than [`MIN_SECRET_LEN`], other
/// encodings, a secret split by a newline in a writer) is listed in docs/security.md.
///
/// ```
/// let redactor = confidant::Redactor::new(["p@ss\"word-1"]);
/// assert_eq!(redactor.redact(r#"{"pw":"p@ss\"word-1"}"#), r#"{"pw":"[REDACTED]"}"#);
/// assert_eq!(redactor.redact("https://svc:p%40ss%22word-1@db"), "https://svc:[REDACTED]@db");
/// // base64 of "user:p@ss\"word-1"
/// assert_eq!(redactor.redact("Basic dXNlcjpwQHNzIndvcmQtMQ=="), "Basic dXNlcjp[REDACTED]Q==");
/// ```
///
/// Memory: the secrets and their forms are gathered in buffers that are wiped once the
/// searchers are built, but the searchers (the `aho-corasick` crate) keep their own
/// copies of the patterns, which are not wiped when the `Redactor` is dropped. Keep one
/// redactor for the life of the process rather than building many.
///
/// `Debug` prints counts only. Cloning is cheap (the searcher is shared).
///
/// ```
/// use confidant::{Redactor, Settings};
///
/// #[derive(Settings)]
/// struct Config { api_key: confidant::Secret<String> }
///
/// let cfg = Config::loader()
///     .env_vars([("API_KEY", "sk-live-0123456789")])
///     .no_dotenv()
///     .load()?;
/// let redactor: Redactor = cfg.redactor();
/// assert_eq!(
///     redactor.redact("auth failed for key sk-live-0123456789"),
///     "auth failed for key [REDACTED]"
/// );
/// assert_eq!(format!("{redactor:?}"), "Redactor { secrets: 1, too_short: 0 }");
/// # Ok::<(), confidant::Error>(())
/// ```
#[derive(Clone)]
pub struct Redactor {
    /// The secrets' own texts, searched everywhere.
    automaton: Option<Matcher>,
    /// Their escaped and percent-encoded forms, each holding a `\` or a `%`: searched
    /// only near those bytes.
    escaped: Option<Forms>,
    /// Their base64 forms: searched only in runs of base64 characters long enough to
    /// hold one.
    base64: Option<Forms>,
    secrets: usize,
    too_short: usize,
    /// The longest form of any secret, in bytes: what a writer keeps back.
    longest: usize,
}

impl Redactor {
    /// A redactor for these secret values. Values shorter than [`MIN_SECRET_LEN`] bytes
    /// or not UTF-8 are left out (and counted as `too_short` if short); duplicates count
    /// once.
    ///
    /// ```
    /// let redactor = confidant::Redactor::new(["password-one", "pw"]);
    /// assert_eq!(redactor.redact("pw=password-one"), "pw=[REDACTED]");
    /// assert_eq!(redactor.too_short(), 1);
    /// ```
    pub fn new<I>(secrets: I) -> Redactor
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut patterns: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        let mut too_short = 0;
        for secret in secrets {
            push_pattern(&mut patterns, &mut too_short, secret.as_ref());
        }
        Redactor::build(patterns, too_short)
    }

    pub(crate) fn from_visit(visit: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Redactor {
        let mut patterns: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        let mut too_short = 0;
        visit(&mut |bytes| push_pattern(&mut patterns, &mut too_short, bytes));
        Redactor::build(patterns, too_short)
    }

    /// A redactor of the secrets' own texts only, without their escaped and encoded
    /// forms: the baseline `benches/redact` measures the full redactor against. Not for
    /// use: it misses a secret as logs often hold it.
    ///
    /// ```
    /// let raw = confidant::Redactor::__raw_forms_only(["pass\"word-1"]);
    /// assert_eq!(raw.redact(r#"{"pw":"pass\"word-1"}"#), r#"{"pw":"pass\"word-1"}"#);
    /// ```
    #[doc(hidden)]
    pub fn __raw_forms_only<I>(secrets: I) -> Redactor
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let mut patterns: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        let mut too_short = 0;
        for secret in secrets {
            push_pattern(&mut patterns, &mut too_short, secret.as_ref());
        }
        Redactor::build_with(patterns, too_short, false)
    }

    fn build(patterns: Vec<Zeroizing<Vec<u8>>>, too_short: usize) -> Redactor {
        Redactor::build_with(patterns, too_short, true)
    }

    /// `with_forms`: the escaped and encoded forms too (every redactor but the bench's
    /// baseline).
    fn build_with(
        patterns: Vec<Zeroizing<Vec<u8>>>,
        too_short: usize,
        with_forms: bool,
    ) -> Redactor {
        let (escaped, base64) = if with_forms {
            forms::of(&patterns)
        } else {
            (None, None)
        };
        let longest = patterns
            .iter()
            .map(|p| p.len())
            .chain(escaped.iter().chain(&base64).map(|f| f.longest))
            .max()
            .unwrap_or(0);
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(Matcher::new(&patterns))
        };
        Redactor {
            automaton,
            escaped,
            base64,
            secrets: patterns.len(),
            too_short,
            longest,
        }
    }

    /// Every span to replace in `bytes`, in order, overlapping ones joined: the
    /// secrets' texts (one pass, leftmost-longest), then the escaped and base64 forms,
    /// found by their own cheap passes.
    fn spans<'a, 'h>(&'a self, bytes: &'h [u8]) -> Spans<'a, 'h> {
        let mut extra = Vec::new();
        if let Some(escaped) = &self.escaped {
            escaped.find_near_escapes(bytes, &mut extra);
        }
        if let Some(base64) = &self.base64 {
            base64.find_in_base64_runs(bytes, &mut extra);
        }
        extra.sort_unstable();
        let mut raw = self.automaton.as_ref().map(|ac| ac.find_iter(bytes));
        let raw_next = raw
            .as_mut()
            .and_then(Iterator::next)
            .map(|m| (m.start(), m.end()));
        let mut extra = extra.into_iter();
        let extra_next = extra.next();
        Spans {
            raw,
            raw_next,
            extra,
            extra_next,
        }
    }

    /// Returns `text` with every secret replaced by `[REDACTED]`; borrowed when there
    /// was nothing to replace.
    ///
    /// ```
    /// let redactor = confidant::Redactor::new(["hunter2hunter2"]);
    /// let clean = redactor.redact("nothing to see");
    /// assert!(matches!(clean, std::borrow::Cow::Borrowed(_)));
    /// assert_eq!(redactor.redact("pass: hunter2hunter2."), "pass: [REDACTED].");
    /// ```
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.automaton.is_none() {
            return Cow::Borrowed(text);
        }
        let mut spans = self.spans(text.as_bytes()).peekable();
        if spans.peek().is_none() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (start, end) in spans {
            // Every form is UTF-8, so every span starts and ends on a char boundary.
            out.push_str(&text[at..start]);
            out.push_str(REDACTED);
            at = end;
        }
        out.push_str(&text[at..]);
        Cow::Owned(out)
    }

    /// How many distinct secrets this redactor replaces.
    ///
    /// ```
    /// assert_eq!(confidant::Redactor::new(["0123456789", "0123456789"]).secrets(), 1);
    /// ```
    pub fn secrets(&self) -> usize {
        self.secrets
    }

    /// How many secrets were left out for being shorter than [`MIN_SECRET_LEN`].
    ///
    /// ```
    /// assert_eq!(confidant::Redactor::new(["short"]).too_short(), 1);
    /// ```
    pub fn too_short(&self) -> usize {
        self.too_short
    }

    /// Wraps a writer so that everything written through it is redacted: see
    /// [`RedactingWriter`].
    ///
    /// ```
    /// use std::io::Write;
    /// let redactor = confidant::Redactor::new(["sk-live-0123456789"]);
    /// let mut out = redactor.writer(Vec::new());
    /// write!(out, "key=sk-live-")?;
    /// writeln!(out, "0123456789")?;
    /// assert_eq!(out.into_inner()?, b"key=[REDACTED]\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn writer<W: Write>(&self, inner: W) -> RedactingWriter<W> {
        RedactingWriter {
            redactor: self.clone(),
            inner: Some(inner),
            pending: Zeroizing::new(Vec::new()),
        }
    }

    /// Redacts bytes, appending the result to `out`; matches starting at or after
    /// `keep_from` are left in `bytes` and the position to keep from is returned.
    fn redact_bytes(&self, bytes: &[u8], keep_from: usize, out: &mut Vec<u8>) -> usize {
        if self.automaton.is_none() {
            out.extend_from_slice(&bytes[..keep_from]);
            return keep_from;
        }
        let mut at = 0;
        let mut cut = keep_from;
        for (start, end) in self.spans(bytes) {
            if start >= cut {
                break;
            }
            out.extend_from_slice(&bytes[at..start]);
            out.extend_from_slice(REDACTED.as_bytes());
            at = end;
            // A match across the cut is replaced whole.
            cut = cut.max(at);
        }
        out.extend_from_slice(&bytes[at..cut]);
        cut
    }
}

fn push_pattern(patterns: &mut Vec<Zeroizing<Vec<u8>>>, too_short: &mut usize, bytes: &[u8]) {
    if bytes.len() < MIN_SECRET_LEN {
        if !bytes.is_empty() {
            *too_short += 1;
        }
        return;
    }
    if std::str::from_utf8(bytes).is_err() || patterns.iter().any(|p| p.as_slice() == bytes) {
        return;
    }
    patterns.push(Zeroizing::new(bytes.to_vec()));
}

/// A redactor with no secrets: it replaces nothing. For a slot filled in once the
/// settings are loaded.
///
/// ```
/// let redactor = confidant::Redactor::default();
/// assert_eq!(redactor.secrets(), 0);
/// assert_eq!(redactor.redact("nothing is secret"), "nothing is secret");
/// ```
impl Default for Redactor {
    fn default() -> Redactor {
        Redactor::build(Vec::new(), 0)
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.secrets)
            .field("too_short", &self.too_short)
            .finish()
    }
}

/// Lines longer than this are passed on in pieces, keeping enough of the end to catch a
/// secret split between two writes.
const MAX_PENDING: usize = 64 * 1024;

/// An [`io::Write`] that redacts everything written through it before passing it on:
/// for any logger that writes to a `Write`. Made by [`Redactor::writer`].
///
/// A secret may be split across two `write` calls, so output is held back until a
/// line is complete: each write passes on everything up to its last newline, and the
/// rest waits for the next newline, [`flush`](Write::flush),
/// [`into_inner`](RedactingWriter::into_inner) or drop. A secret is therefore found when it does not
/// span a newline or a flush. A line longer than 64 KiB is passed on in pieces (the
/// last bytes, as many as the longest secret, stay behind). The held-back bytes are
/// wiped once written. If the inner writer fails, the bytes of that write are lost.
///
/// ```
/// use std::io::Write;
/// let redactor = confidant::Redactor::new(["pg-password-42"]);
/// let mut log = redactor.writer(std::io::stderr());
/// writeln!(log, "connecting with pg-password-42")?; // stderr: connecting with [REDACTED]
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct RedactingWriter<W: Write> {
    redactor: Redactor,
    /// `None` only after `into_inner`.
    inner: Option<W>,
    pending: Zeroizing<Vec<u8>>,
}

impl<W: Write> RedactingWriter<W> {
    /// Passes on everything held back and returns the inner writer.
    ///
    /// ```
    /// use std::io::Write;
    /// let mut out = confidant::Redactor::new(["abcdefgh12"]).writer(Vec::new());
    /// out.write_all(b"no newline: abcdefgh12")?;
    /// assert_eq!(out.into_inner()?, b"no newline: [REDACTED]");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn into_inner(mut self) -> io::Result<W> {
        self.pass_on(true)?;
        Ok(self
            .inner
            .take()
            .expect("the inner writer is taken only here"))
    }

    /// The inner writer.
    ///
    /// ```
    /// let out = confidant::Redactor::new(["abcdefgh12"]).writer(Vec::<u8>::new());
    /// assert!(out.get_ref().is_empty());
    /// ```
    pub fn get_ref(&self) -> &W {
        self.inner
            .as_ref()
            .expect("the inner writer is taken only by into_inner")
    }

    /// The inner writer, mutably: to reconfigure it, say. Bytes written to it directly
    /// are not redacted, and land before any output still held back (the end of an
    /// unfinished line); [`flush`](Write::flush) first to keep the order.
    ///
    /// ```
    /// use std::io::Write;
    /// let mut out = confidant::Redactor::new(["abcdefgh12"]).writer(Vec::<u8>::new());
    /// writeln!(out, "key abcdefgh12")?;
    /// out.get_mut().clear();
    /// writeln!(out, "next")?;
    /// assert_eq!(out.get_ref(), b"next\n");
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn get_mut(&mut self) -> &mut W {
        self.inner
            .as_mut()
            .expect("the inner writer is taken only by into_inner")
    }

    /// Writes out the complete lines held back (all of them if `all`).
    fn pass_on(&mut self, all: bool) -> io::Result<()> {
        let len = self.pending.len();
        let mut keep_from = if all {
            len
        } else {
            self.pending
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1)
        };
        if !all && len - keep_from > MAX_PENDING {
            keep_from = len - self.redactor.longest.saturating_sub(1);
        }
        if keep_from == 0 {
            return Ok(());
        }
        let mut out = Zeroizing::new(Vec::with_capacity(keep_from));
        let cut = self
            .redactor
            .redact_bytes(&self.pending, keep_from, &mut out);
        self.pending.drain(..cut);
        let inner = self.inner.as_mut().expect("present until into_inner");
        inner.write_all(&out)
    }
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.reserve(buf.len());
        self.pending.extend_from_slice(buf);
        if buf.contains(&b'\n') || self.pending.len() > MAX_PENDING {
            self.pass_on(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pass_on(true)?;
        self.inner
            .as_mut()
            .expect("present until into_inner")
            .flush()
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        if self.inner.is_some() {
            let _ = self.flush();
        }
    }
}

impl<W: Write> fmt::Debug for RedactingWriter<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedactingWriter")
            .field("redactor", &self.redactor)
            .field("pending_bytes", &self.pending.len())
            .finish_non_exhaustive()
    }
}

/// The search for secrets, in one pass, leftmost-longest. aho-corasick's packed
/// searcher (SIMD, many GB/s) takes the secrets when it can (a few dozen of them);
/// otherwise its automaton does, without the start-byte prefilter, which on logs fires
/// at nearly every byte (secrets start with common letters) and halves the speed.
#[derive(Clone)]
enum Matcher {
    Packed(Arc<packed::Searcher>),
    Automaton(AhoCorasick),
}

impl Matcher {
    fn new(patterns: &[Zeroizing<Vec<u8>>]) -> Matcher {
        let packed = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(patterns.iter().map(|p| p.as_slice()))
            .build();
        if let Some(searcher) = packed {
            return Matcher::Packed(Arc::new(searcher));
        }
        let built = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .prefilter(false)
            .build(patterns.iter().map(|p| p.as_slice()));
        // Building fails only past aho-corasick's size limits, far beyond any set of
        // settings; without an automaton nothing could be redacted, so fail loud.
        Matcher::Automaton(built.expect("the secrets are too many or too long to build a redactor"))
    }

    fn find_iter<'a, 'h>(&'a self, haystack: &'h [u8]) -> Matches<'a, 'h> {
        match self {
            Matcher::Packed(searcher) => Matches::Packed(searcher.find_iter(haystack)),
            Matcher::Automaton(ac) => Matches::Automaton(ac.find_iter(haystack)),
        }
    }
}

enum Matches<'a, 'h> {
    Packed(packed::FindIter<'a, 'h>),
    Automaton(aho_corasick::FindIter<'a, 'h>),
}

impl Iterator for Matches<'_, '_> {
    type Item = aho_corasick::Match;

    fn next(&mut self) -> Option<aho_corasick::Match> {
        match self {
            Matches::Packed(it) => it.next(),
            Matches::Automaton(it) => it.next(),
        }
    }
}

/// The spans a [`Redactor`] replaces, in order: the raw matches and the other forms'
/// matches merged, overlapping spans joined into one.
struct Spans<'a, 'h> {
    raw: Option<Matches<'a, 'h>>,
    raw_next: Option<(usize, usize)>,
    extra: std::vec::IntoIter<(usize, usize)>,
    extra_next: Option<(usize, usize)>,
}

impl Spans<'_, '_> {
    /// The next match of either kind, by start.
    fn pop(&mut self) -> Option<(usize, usize)> {
        let take_raw = match (self.raw_next, self.extra_next) {
            (None, None) => return None,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(r), Some(e)) => r.0 <= e.0,
        };
        if take_raw {
            let next = self.raw.as_mut().and_then(Iterator::next);
            std::mem::replace(&mut self.raw_next, next.map(|m| (m.start(), m.end())))
        } else {
            std::mem::replace(&mut self.extra_next, self.extra.next())
        }
    }

    fn next_start(&self) -> Option<usize> {
        match (self.raw_next, self.extra_next) {
            (Some(r), Some(e)) => Some(r.0.min(e.0)),
            (r, e) => r.or(e).map(|m| m.0),
        }
    }
}

impl Iterator for Spans<'_, '_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let (start, mut end) = self.pop()?;
        while self.next_start().is_some_and(|s| s < end) {
            let (_, e) = self.pop().expect("a next span exists");
            end = end.max(e);
        }
        Some((start, end))
    }
}

/// One kind of extra forms of the secrets (escaped, base64) and the searcher for them.
#[derive(Clone)]
struct Forms {
    searcher: AhoCorasick,
    shortest: usize,
    longest: usize,
}

impl Forms {
    fn new(mut forms: Vec<Zeroizing<Vec<u8>>>) -> Option<Forms> {
        forms.sort_unstable_by(|a, b| a.as_slice().cmp(b.as_slice()));
        forms.dedup_by(|a, b| a.as_slice() == b.as_slice());
        let shortest = forms.iter().map(|f| f.len()).min()?;
        let longest = forms.iter().map(|f| f.len()).max()?;
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(forms.iter().map(|f| f.as_slice()))
            // As for the raw texts: only past aho-corasick's size limits.
            .expect("the secrets are too many or too long to build a redactor");
        Some(Forms {
            searcher,
            shortest,
            longest,
        })
    }

    fn search(&self, bytes: &[u8], from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
        for m in self.searcher.find_iter(&bytes[from..to]) {
            out.push((from + m.start(), from + m.end()));
        }
    }

    /// Every escaped or percent-encoded form holds a `\` or a `%`: each occurrence
    /// lies within `longest` bytes of one, so only those windows are searched (joined
    /// where they overlap). A text with neither byte costs one `memchr2` pass.
    fn find_near_escapes(&self, bytes: &[u8], out: &mut Vec<(usize, usize)>) {
        let reach = self.longest;
        let mut window: Option<(usize, usize)> = None;
        for at in memchr::memchr2_iter(b'\\', b'%', bytes) {
            let (from, to) = (at.saturating_sub(reach - 1), (at + reach).min(bytes.len()));
            match &mut window {
                Some((_, end)) if from <= *end => *end = to,
                _ => {
                    if let Some((f, t)) = window.replace((from, to)) {
                        self.search(bytes, f, t, out);
                    }
                }
            }
        }
        if let Some((f, t)) = window {
            self.search(bytes, f, t, out);
        }
    }

    /// A base64 form lies in a run of base64 characters (either alphabet) at least
    /// `shortest` long; only such runs are searched. They are found as Boyer-Moore finds
    /// a word: a window of `shortest` bytes is checked from its end backwards, and the
    /// first byte outside the alphabet moves the next window past it. Logs are mostly
    /// short words, so a few bytes of each window are looked at.
    fn find_in_base64_runs(&self, bytes: &[u8], out: &mut Vec<(usize, usize)>) {
        let width = self.shortest;
        let len = bytes.len();
        let base64 = |at: usize| forms::BASE64[usize::from(bytes[at])];
        // The last byte of the window.
        let mut end = width - 1;
        while end < len {
            let start = end + 1 - width;
            let outside = bytes[start..=end]
                .iter()
                .rposition(|&b| !forms::BASE64[usize::from(b)]);
            if let Some(i) = outside {
                // `start + i` is outside the alphabet: the next window starts after it.
                end = start + i + width;
                continue;
            }
            let mut from = start;
            while from > 0 && base64(from - 1) {
                from -= 1;
            }
            let mut to = end + 1;
            while to < len && base64(to) {
                to += 1;
            }
            self.search(bytes, from, to, out);
            // `to` is outside the alphabet (or the end).
            end = to + width;
        }
    }
}

/// The forms of a secret that logs hold besides its text.
mod forms {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    use zeroize::Zeroizing;

    use super::Forms;

    /// The bytes of base64, standard (`+`, `/`) and URL-safe (`-`, `_`) alike.
    pub(super) static BASE64: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            table[b] = c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'-' | b'_');
            b += 1;
        }
        table
    };

    /// The escaped and percent-encoded forms (each differing from the text, so holding
    /// a `\` or a `%`), then the base64 forms, of every secret.
    pub(super) fn of(secrets: &[Zeroizing<Vec<u8>>]) -> (Option<Forms>, Option<Forms>) {
        let mut escaped = Vec::new();
        let mut base64 = Vec::new();
        for secret in secrets {
            // Secrets are UTF-8 (see `push_pattern`).
            let Ok(text) = std::str::from_utf8(secret) else {
                continue;
            };
            escapes(text, &mut escaped);
            percent(secret, &mut escaped);
            base64_forms(secret, &mut base64);
        }
        debug_assert!(
            escaped
                .iter()
                .all(|f: &Zeroizing<Vec<u8>>| f.contains(&b'\\') || f.contains(&b'%'))
        );
        (Forms::new(escaped), Forms::new(base64))
    }

    /// Between the quotes of `{:?}` and of a JSON string (serde_json, and so
    /// `tracing_subscriber`'s JSON), and a `{:?}` form inside a JSON string (a field
    /// recorded with `?` in a JSON log): each only where it differs from the text.
    fn escapes(text: &str, out: &mut Vec<Zeroizing<Vec<u8>>>) {
        let quoted = |s: String| {
            let s = Zeroizing::new(s);
            Zeroizing::new(s.as_bytes()[1..s.len() - 1].to_vec())
        };
        let debug = quoted(format!("{text:?}"));
        let json = |s: &[u8]| {
            let s = std::str::from_utf8(s).expect("a form of UTF-8 text is UTF-8");
            quoted(serde_json::to_string(s).expect("a string serializes to JSON"))
        };
        let json_of_text = json(text.as_bytes());
        let json_of_debug = json(&debug);
        for form in [debug, json_of_text, json_of_debug] {
            if form.as_slice() != text.as_bytes() {
                out.push(form);
            }
        }
    }

    /// Percent-encoded, where the text holds a byte outside RFC 3986's unreserved set:
    /// every such byte encoded (upper and lower case hex), as URL userinfo encodes it
    /// (WHATWG's userinfo set: what the `url` crate and browsers write) and as
    /// JavaScript's `encodeURIComponent` does.
    fn percent(secret: &[u8], out: &mut Vec<Zeroizing<Vec<u8>>>) {
        let unreserved =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if secret.iter().all(|&b| unreserved(b)) {
            return;
        }
        let userinfo_keeps = |b: u8| {
            (0x21..0x7f).contains(&b)
                && !matches!(
                    b,
                    b'"' | b'#'
                        | b'<'
                        | b'>'
                        | b'?'
                        | b'`'
                        | b'{'
                        | b'}'
                        | b'/'
                        | b':'
                        | b';'
                        | b'='
                        | b'@'
                        | b'['
                        | b'\\'
                        | b']'
                        | b'^'
                        | b'|'
                )
        };
        let component_keeps =
            |b: u8| unreserved(b) || matches!(b, b'!' | b'*' | b'\'' | b'(' | b')');
        let encode = |keep: &dyn Fn(u8) -> bool, hex: &[u8; 16]| {
            let mut form = Zeroizing::new(Vec::with_capacity(secret.len() * 3));
            for &b in secret {
                if keep(b) {
                    form.push(b);
                } else {
                    form.extend_from_slice(&[
                        b'%',
                        hex[usize::from(b >> 4)],
                        hex[usize::from(b & 15)],
                    ]);
                }
            }
            form
        };
        const UPPER: &[u8; 16] = b"0123456789ABCDEF";
        const LOWER: &[u8; 16] = b"0123456789abcdef";
        for form in [
            encode(&unreserved, UPPER),
            encode(&unreserved, LOWER),
            encode(&userinfo_keeps, UPPER),
            encode(&component_keeps, UPPER),
        ] {
            if form.as_slice() != secret {
                out.push(form);
            }
        }
    }

    /// Base64, standard and URL-safe, at each of the 3 alignments the secret can have in
    /// a longer encoded text (`user:password` in `Authorization: Basic`): the characters
    /// that encode the secret's bits alone, without the edge characters that depend on
    /// its neighbours (or on padding).
    fn base64_forms(secret: &[u8], out: &mut Vec<Zeroizing<Vec<u8>>>) {
        for offset in 0..3 {
            let mut data = Zeroizing::new(vec![0u8; offset]);
            data.extend_from_slice(secret);
            // Character `i` holds bits `6i..6i+6` of the data: the secret's bits are
            // `8 * offset..8 * (offset + len)`.
            let from = (4 * offset).div_ceil(3);
            let to = 4 * (offset + secret.len()) / 3;
            for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
                let encoded = Zeroizing::new(engine.encode(data.as_slice()));
                out.push(Zeroizing::new(encoded.as_bytes()[from..to].to_vec()));
            }
        }
    }
}

#[cfg(feature = "tracing")]
pub use make_writer::RedactingMakeWriter;

#[cfg(feature = "tracing")]
mod make_writer {
    use std::io::Write;

    use tracing_subscriber::fmt::MakeWriter;

    use super::{RedactingWriter, Redactor};

    /// A [`MakeWriter`] for `tracing_subscriber::fmt().with_writer(...)` that redacts
    /// every event before it reaches the wrapped writer (feature `tracing`).
    ///
    /// Each event is formatted, written whole, and passed on when its writer is
    /// dropped at the end of the event, so a secret is never split.
    ///
    /// ```
    /// use confidant::{RedactingMakeWriter, Redactor};
    ///
    /// let redactor = Redactor::new(["sk-live-0123456789"]);
    /// let subscriber = tracing_subscriber::fmt()
    ///     .with_writer(RedactingMakeWriter::new(redactor, std::io::stderr))
    ///     .finish();
    /// # let _ = subscriber;
    /// ```
    #[derive(Debug, Clone)]
    pub struct RedactingMakeWriter<M> {
        redactor: Redactor,
        make: M,
    }

    impl<M> RedactingMakeWriter<M> {
        /// Wraps `make` (any `MakeWriter`: `std::io::stdout`, a non-blocking writer,
        /// a closure).
        ///
        /// ```
        /// let redactor = confidant::Redactor::new(["sk-live-0123456789"]);
        /// let make = confidant::RedactingMakeWriter::new(redactor, std::io::stdout);
        /// # let _ = make;
        /// ```
        pub fn new(redactor: Redactor, make: M) -> Self {
            RedactingMakeWriter { redactor, make }
        }
    }

    impl<'a, M> MakeWriter<'a> for RedactingMakeWriter<M>
    where
        M: MakeWriter<'a>,
        M::Writer: Write,
    {
        type Writer = RedactingWriter<M::Writer>;

        fn make_writer(&'a self) -> Self::Writer {
            self.redactor.writer(self.make.make_writer())
        }

        fn make_writer_for(&'a self, meta: &tracing_core::Metadata<'_>) -> Self::Writer {
            self.redactor.writer(self.make.make_writer_for(meta))
        }
    }
}

/// A load's redactor at its one door ([`Error`](crate::Error), warnings, `explain`): the
/// secret texts the load read, and a [`Redactor`] made of them only when a text leaving
/// the load holds one, in its raw or its `{:?}` form (the forms confidant writes values
/// in). The automaton keeps copies of its patterns that are not wiped (docs/security.md):
/// a load whose texts hold no secret makes none.
#[derive(Default)]
pub(crate) struct Egress {
    /// Each secret text of at least [`MIN_SECRET_LEN`] bytes, as read and `{:?}`-escaped
    /// when that differs; wiped on drop.
    needles: Vec<Zeroizing<Vec<u8>>>,
    secrets: Vec<Zeroizing<Vec<u8>>>,
    redactor: std::cell::OnceCell<Redactor>,
}

impl Egress {
    pub(crate) fn new(secrets: Vec<Zeroizing<Vec<u8>>>) -> Egress {
        let mut needles: Vec<Zeroizing<Vec<u8>>> = Vec::new();
        for secret in secrets.iter().filter(|s| s.len() >= MIN_SECRET_LEN) {
            needles.push(Zeroizing::new(secret.to_vec()));
            if let Ok(text) = std::str::from_utf8(secret)
                && text
                    .chars()
                    .any(|c| c == '"' || c == '\\' || c.is_control())
            {
                // Sized up front: a `String` that grew would leave unwiped copies.
                let len = text.chars().map(|c| c.escape_debug().len()).sum();
                let mut escaped = Zeroizing::new(String::with_capacity(len));
                escaped.extend(text.chars().flat_map(char::escape_debug));
                needles.push(Zeroizing::new(escaped.as_bytes().to_vec()));
            }
        }
        Egress {
            needles,
            secrets,
            redactor: std::cell::OnceCell::new(),
        }
    }

    /// `text` with every secret of the load replaced by `[REDACTED]`.
    pub(crate) fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let holds =
            |needle: &Zeroizing<Vec<u8>>| memchr::memmem::find(text.as_bytes(), needle).is_some();
        if !self.needles.iter().any(holds) {
            return Cow::Borrowed(text);
        }
        self.redactor
            .get_or_init(|| {
                let mut patterns: Vec<&[u8]> = self.secrets.iter().map(|s| s.as_slice()).collect();
                patterns.extend(self.needles.iter().map(|s| s.as_slice()));
                Redactor::new(patterns)
            })
            .redact(text)
    }
}

/// `text` with each control character escaped as Rust writes it in a string (`\n`,
/// `\u{1b}`): a report stays one line per problem, whatever a name or value holds.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A name (a variable, a `.env` key, a file name) as a report shows it: as it is, or,
/// when it holds a control character, quoted and escaped like a value.
pub(crate) fn shown_name(name: &str) -> Cow<'_, str> {
    if name.chars().any(char::is_control) {
        Cow::Owned(format!("{name:?}"))
    } else {
        Cow::Borrowed(name)
    }
}
