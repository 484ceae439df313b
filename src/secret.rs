//! [`Secret<T>`]: a value that redacts itself everywhere and is wiped on drop.

use std::fmt;

use secrecy::{ExposeSecret, SecretBox};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

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
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(15);
    out.push_str("sha256:");
    for byte in &digest[..4] {
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

impl<T: Zeroize> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

impl<T: Zeroize> serde::Serialize for Secret<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("[REDACTED]")
    }
}

impl<'de, T: Zeroize + serde::Deserialize<'de>> serde::Deserialize<'de> for Secret<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret::new)
    }
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
    fn fingerprint_matches_sha256_prefix() {
        // sha256("abc") = ba7816bf...
        assert_eq!(fingerprint(b"abc"), "sha256:ba7816bf");
    }
}
