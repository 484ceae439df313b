//! [`Secret<T>`]: a value that redacts itself everywhere and is wiped on drop.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;

use secrecy::{ExposeSecret, SecretBox};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

/// A sensitive setting: owned, zeroized on drop, readable only through
/// [`ExposeSecret::expose_secret`].
///
/// `Debug` prints `Secret([REDACTED])`, `Serialize` writes `"[REDACTED]"`, and there is
/// no `Display` and no `PartialEq`, so a secret cannot reach a log line or an
/// assertion message by accident.
///
/// ```
/// use confidant::{ExposeSecret, Secret};
///
/// let key = Secret::new(String::from("sk-live-123"));
/// assert_eq!(format!("{key:?}"), "Secret([REDACTED])");
/// assert_eq!(key.expose_secret(), "sk-live-123");
/// assert!(key.fingerprint().starts_with("sha256:"));
/// ```
pub struct Secret<T: Zeroize>(SecretBox<T>);

impl<T: Zeroize> Secret<T> {
    /// Wraps a value. The value is moved, not copied: for a `String` its heap buffer
    /// becomes the secret's and is wiped when the secret is dropped.
    ///
    /// ```
    /// use confidant::Secret;
    /// let token: Secret<String> = Secret::new("t0ken".to_owned());
    /// # let _ = token;
    /// ```
    pub fn new(value: T) -> Self {
        Secret(SecretBox::new(Box::new(value)))
    }

    /// `sha256:` and the first 8 hex digits of the SHA-256 of the value: enough to tell
    /// two keys apart in a log, far too little to recover either.
    ///
    /// ```
    /// use confidant::Secret;
    /// let a = Secret::new(String::from("key-a"));
    /// let b = Secret::new(String::from("key-b"));
    /// assert_ne!(a.fingerprint(), b.fingerprint());
    /// assert_eq!(a.fingerprint(), confidant::fingerprint(b"key-a"));
    /// ```
    pub fn fingerprint(&self) -> String
    where
        T: AsRef<[u8]>,
    {
        fingerprint(self.0.expose_secret().as_ref())
    }
}

/// `sha256:` and the first 8 hex digits of the SHA-256 of `bytes`.
///
/// ```
/// assert_eq!(confidant::fingerprint(b"hello"), "sha256:2cf24dba");
/// ```
pub fn fingerprint(bytes: &[u8]) -> String {
    prefixed("sha256:", &Sha256::digest(bytes)[..4])
}

/// The bits of entropy a secret's text is estimated to hold, for deciding whether its
/// fingerprint may be shown: its length in characters × log2 of the size of the
/// character classes it uses (ASCII digits 10, ASCII lower case 26, ASCII upper case 26,
/// anything else 33). Bytes that are not UTF-8 count one character each, in the last
/// class.
pub(crate) fn entropy_bits(bytes: &[u8]) -> f64 {
    let (mut digit, mut lower, mut upper, mut other) = (false, false, false, false);
    let mut len = 0usize;
    let mut class = |c: char| {
        len += 1;
        match c {
            '0'..='9' => digit = true,
            'a'..='z' => lower = true,
            'A'..='Z' => upper = true,
            _ => other = true,
        }
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => text.chars().for_each(&mut class),
        Err(_) => bytes.iter().for_each(|&b| class(char::from(b))),
    }
    let size = [(digit, 10u32), (lower, 26), (upper, 26), (other, 33)]
        .iter()
        .filter(|(used, _)| *used)
        .map(|(_, n)| n)
        .sum::<u32>();
    if size == 0 {
        return 0.0;
    }
    len as f64 * f64::from(size).log2()
}

/// The entropy a secret needs for `explain` to show its unkeyed fingerprint: below it, a
/// 32-bit prefix of an unsalted SHA-256 lets anyone recover the secret by trying
/// candidates (a 6-digit PIN in well under a second, a password from a word list).
pub(crate) const FINGERPRINT_MIN_BITS: f64 = 64.0;

/// What `explain` and `--print-config` show for a secret's text: with a fingerprint key,
/// `hmac:` + the first 8 hex digits of HMAC-SHA256 keyed with it; else the unkeyed
/// [`fingerprint`] for a secret of at least 64 bits of estimated entropy
/// ([`entropy_bits`]), and `(set)` for any other.
pub(crate) fn shown_fingerprint(bytes: &[u8], key: Option<&[u8]>) -> String {
    use hmac::{Hmac, Mac};
    if let Some(key) = key {
        // HMAC takes a key of any length: `new_from_slice` cannot fail.
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(bytes);
        return prefixed("hmac:", &mac.finalize().into_bytes()[..4]);
    }
    if entropy_bits(bytes) >= FINGERPRINT_MIN_BITS {
        fingerprint(bytes)
    } else {
        String::from("(set)")
    }
}

fn prefixed(prefix: &str, bytes: &[u8]) -> String {
    let mut out = String::with_capacity(prefix.len() + 2 * bytes.len());
    out.push_str(prefix);
    for byte in bytes {
        use fmt::Write as _;
        let _ = write!(out, "{byte:02x}");
    }
    out
}

impl<T: Zeroize> ExposeSecret<T> for Secret<T> {
    fn expose_secret(&self) -> &T {
        self.0.expose_secret()
    }
}

impl<T: Zeroize + 'static> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The redactor reads a `#[settings(secret)]` value that is not `Serialize`
        // through its `Debug` text, collecting the secrets inside it as it goes.
        if MODE.with(Cell::get) == Mode::Collect
            && let Some(bytes) = bytes_of(self.0.expose_secret())
        {
            COLLECTED.with(|c| c.borrow_mut().push(Zeroizing::new(bytes.to_vec())));
        }
        f.write_str("Secret([REDACTED])")
    }
}

impl<T: Zeroize + Clone> Clone for Secret<T> {
    fn clone(&self) -> Self {
        Secret::new(self.0.expose_secret().clone())
    }
}

impl<T: Zeroize> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret<String> {
    /// Copies the text into the secret's own buffer: for literals (`fake = "sk-test"`).
    ///
    /// ```
    /// use confidant::{ExposeSecret, Secret};
    /// let key: Secret<String> = "sk-test-0000".into();
    /// assert_eq!(key.expose_secret(), "sk-test-0000");
    /// ```
    fn from(value: &str) -> Self {
        Secret::new(value.to_owned())
    }
}

impl From<&str> for Secret<Vec<u8>> {
    /// Copies the text's bytes into the secret's own buffer, as a `Secret<Vec<u8>>` takes
    /// the bytes of settings text.
    ///
    /// ```
    /// use confidant::{ExposeSecret, Secret};
    /// let key: Secret<Vec<u8>> = "signing-key".into();
    /// assert_eq!(key.expose_secret(), b"signing-key");
    /// ```
    fn from(value: &str) -> Self {
        Secret::new(value.as_bytes().to_vec())
    }
}

/// Writes `"[REDACTED]"`: serializing settings (to JSON, to a log) never writes a secret.
///
/// ```
/// let key = confidant::Secret::new(String::from("sk-live-123"));
/// assert_eq!(serde_json::to_string(&key).unwrap(), r#""[REDACTED]""#);
/// ```
impl<T: Zeroize + 'static> serde_core::Serialize for Secret<T> {
    fn serialize<S: serde_core::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value: &dyn Any = self.0.expose_secret();
        match MODE.with(Cell::get) {
            Mode::Redact => serializer.serialize_str(crate::redact::REDACTED),
            Mode::Collect => {
                if let Some(bytes) = bytes_of(value) {
                    COLLECTED.with(|c| c.borrow_mut().push(Zeroizing::new(bytes.to_vec())));
                }
                serializer.serialize_unit()
            }
            Mode::Reveal => reveal(value, serializer),
        }
    }
}

/// Runs `f` with every `Secret` serializing its value instead of `"[REDACTED]"`: for
/// `child_env`, which hands secrets to a child process on purpose.
pub fn revealed<R>(f: impl FnOnce() -> R) -> R {
    with_mode(Mode::Reveal, f)
}

/// How [`Secret`]'s `Serialize` acts on this thread. Only the crate switches it, for the
/// length of one call ([`with_mode`]): `child_env` reveals (a child process is where a
/// secret is meant to go), the redactor collects, everything else redacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Redact,
    Reveal,
    Collect,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Redact) };
    static COLLECTED: RefCell<Vec<Zeroizing<Vec<u8>>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with secrets serialized in `mode`; the previous mode is back afterwards, even
/// if `f` panics.
pub(crate) fn with_mode<R>(mode: Mode, f: impl FnOnce() -> R) -> R {
    struct Restore(Mode);
    impl Drop for Restore {
        fn drop(&mut self) {
            MODE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(MODE.with(|m| m.replace(mode)));
    f()
}

/// Runs `f` in [`Mode::Collect`] and returns copies (wiped on drop) of the bytes of every
/// secret serialized meanwhile.
pub(crate) fn collect(f: impl FnOnce()) -> Vec<Zeroizing<Vec<u8>>> {
    let before = COLLECTED.with(|c| c.borrow().len());
    with_mode(Mode::Collect, f);
    COLLECTED.with(|c| c.borrow_mut().split_off(before))
}

/// The bytes of a secret string or byte buffer; `None` for other types (a
/// `Secret<u64>` has no text to scrub from a log).
pub(crate) fn bytes_of(value: &dyn Any) -> Option<&[u8]> {
    if let Some(s) = value.downcast_ref::<String>() {
        Some(s.as_bytes())
    } else if let Some(s) = value.downcast_ref::<Box<str>>() {
        Some(s.as_bytes())
    } else if let Some(b) = value.downcast_ref::<Vec<u8>>() {
        Some(b)
    } else {
        value.downcast_ref::<Box<[u8]>>().map(|b| &b[..])
    }
}

/// Serializes a secret's value itself, for [`Mode::Reveal`]: strings, UTF-8 byte buffers,
/// numbers, `bool` and `char`. Other types have no text form here: an error.
fn reveal<S: serde_core::Serializer>(value: &dyn Any, serializer: S) -> Result<S::Ok, S::Error> {
    use serde_core::Serialize as _;
    // Strings and byte buffers: their text (a string's bytes are always UTF-8).
    if let Some(bytes) = bytes_of(value) {
        return match std::str::from_utf8(bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => Err(serde_core::ser::Error::custom(
                "a secret of bytes that are not UTF-8",
            )),
        };
    }
    macro_rules! try_types {
        ($($ty:ty),*) => {$(
            if let Some(v) = value.downcast_ref::<$ty>() {
                return v.serialize(serializer);
            }
        )*};
    }
    try_types!(
        u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, char
    );
    Err(serde_core::ser::Error::custom(
        "this secret's type has no text form",
    ))
}

/// Reads the value as `T` reads it. While a load parses a setting, the new secret
/// reports itself to that load: a setting whose value holds a `Secret`
/// anywhere (inside a user struct, a tuple, an enum, an `Arc`) is then secret for that
/// load, and the secret's text joins the load's redactor (see `Listener`).
///
/// ```
/// let key: confidant::Secret<String> = serde_json::from_str(r#""sk-live-123""#).unwrap();
/// # use confidant::ExposeSecret;
/// assert_eq!(key.expose_secret(), "sk-live-123");
/// ```
impl<'de, T> serde_core::Deserialize<'de> for Secret<T>
where
    T: Zeroize + serde_core::Deserialize<'de> + 'static,
{
    fn deserialize<D: serde_core::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret::loaded)
    }
}

impl<T: Zeroize + 'static> Secret<T> {
    /// A secret made while parsing a setting: reported to the load, if one is listening
    /// on this thread (see [`Listener`]).
    pub(crate) fn loaded(value: T) -> Self {
        report(&value);
        Secret::new(value)
    }
}

/// What the secrets made during a load reported of themselves.
#[derive(Default)]
struct Reported {
    /// How many secrets were made.
    count: usize,
    /// Copies of each reported secret's bytes (strings and byte buffers), wiped on drop.
    texts: Vec<Zeroizing<Vec<u8>>>,
}

thread_local! {
    static REPORTED: RefCell<Option<Reported>> = const { RefCell::new(None) };
}

/// A load listening, on this thread, for the secrets its parsers make: each `Secret`
/// made from settings text or deserialized reports itself ([`Secret::loaded`]), so a
/// setting whose value holds one anywhere (a user struct, a tuple, an enum, an `Arc`) is
/// secret for that load, and its text joins the load's redactor. A listener already
/// there (a load inside a parse) is back when this one is dropped, even on a panic.
pub(crate) struct Listener {
    outer: Option<Reported>,
}

impl Listener {
    /// Starts listening on this thread.
    pub(crate) fn new() -> Listener {
        Listener {
            outer: REPORTED.with(|r| r.borrow_mut().replace(Reported::default())),
        }
    }

    /// How many secrets were made so far.
    pub(crate) fn count(&self) -> usize {
        REPORTED.with(|r| r.borrow().as_ref().map_or(0, |r| r.count))
    }

    /// The bytes of every string or byte secret made so far (taken: the next call
    /// returns only newer ones).
    pub(crate) fn take_texts(&self) -> Vec<Zeroizing<Vec<u8>>> {
        REPORTED.with(|r| {
            r.borrow_mut()
                .as_mut()
                .map(|r| std::mem::take(&mut r.texts))
                .unwrap_or_default()
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let outer = self.outer.take();
        REPORTED.with(|r| *r.borrow_mut() = outer);
    }
}

/// Tells the listening load (if any) that a secret holding `value` was made.
pub(crate) fn report(value: &dyn Any) {
    REPORTED.with(|r| {
        if let Some(reported) = r.borrow_mut().as_mut() {
            reported.count += 1;
            if let Some(bytes) = bytes_of(value) {
                reported.texts.push(Zeroizing::new(bytes.to_vec()));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialize_writes_redacted() {
        let s = Secret::new(String::from("canary-8c1f"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"[REDACTED]\"");
    }

    #[test]
    fn entropy_is_length_times_log2_of_the_classes_used() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(entropy_bits(b"123456"), 6.0 * 10f64.log2()));
        assert!(close(entropy_bits(b"hunter2"), 7.0 * 36f64.log2()));
        assert!(close(entropy_bits(b"Ab1-"), 4.0 * 95f64.log2()));
        // Characters, not bytes: "é" is one character of the last class.
        assert!(close(entropy_bits("éé".as_bytes()), 2.0 * 33f64.log2()));
        // Bytes that are not UTF-8 count one each, in the last class.
        assert!(close(entropy_bits(&[0xff, 0xfe, b'a']), 3.0 * 59f64.log2()));
        assert_eq!(entropy_bits(b""), 0.0);
        assert_eq!(shown_fingerprint(b"", None), "(set)");
        assert_eq!(
            shown_fingerprint(b"abcdefghijklmn", None),
            fingerprint(b"abcdefghijklmn")
        );
        assert!(shown_fingerprint(b"1", Some(b"k")).starts_with("hmac:"));
    }

    #[test]
    fn fingerprint_matches_sha256_prefix() {
        // sha256("abc") = ba7816bf...
        assert_eq!(fingerprint(b"abc"), "sha256:ba7816bf");
    }
}
