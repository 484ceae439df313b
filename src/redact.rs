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
/// Memory: the secrets are gathered in buffers that are wiped once the searcher is
/// built, but the searcher (the `aho-corasick` crate) keeps its own copy of the
/// patterns, which is not wiped when the `Redactor` is dropped. Keep one redactor for
/// the life of the process rather than building many.
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
    automaton: Option<Matcher>,
    secrets: usize,
    too_short: usize,
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

    fn build(patterns: Vec<Zeroizing<Vec<u8>>>, too_short: usize) -> Redactor {
        let longest = patterns.iter().map(|p| p.len()).max().unwrap_or(0);
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(Matcher::new(&patterns))
        };
        Redactor {
            automaton,
            secrets: patterns.len(),
            too_short,
            longest,
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
        let Some(ac) = &self.automaton else {
            return Cow::Borrowed(text);
        };
        let mut matches = ac.find_iter(text.as_bytes()).peekable();
        if matches.peek().is_none() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in matches {
            // Patterns are UTF-8, so every match starts and ends on a char boundary.
            out.push_str(&text[at..m.start()]);
            out.push_str(REDACTED);
            at = m.end();
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
        let Some(ac) = &self.automaton else {
            out.extend_from_slice(&bytes[..keep_from]);
            return keep_from;
        };
        let mut at = 0;
        let mut cut = keep_from;
        for m in ac.find_iter(bytes) {
            if m.start() >= cut {
                break;
            }
            out.extend_from_slice(&bytes[at..m.start()]);
            out.extend_from_slice(REDACTED.as_bytes());
            at = m.end();
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
            if let Ok(text) = std::str::from_utf8(secret) {
                if text
                    .chars()
                    .any(|c| c == '"' || c == '\\' || c.is_control())
                {
                    let mut escaped = Zeroizing::new(String::with_capacity(text.len() + 8));
                    escaped.extend(text.chars().flat_map(char::escape_debug));
                    needles.push(Zeroizing::new(escaped.as_bytes().to_vec()));
                }
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
        let holds = |needle: &Zeroizing<Vec<u8>>| {
            text.as_bytes()
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        };
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
