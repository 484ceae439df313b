//! Not public API: the items generated code calls. Everything here may change in any
//! release; use the derive instead.

mod build;
mod parse;
mod text;
mod validate;

pub use build::{Build, Leaf, Mark, Parser};
pub(crate) use build::{Outcome, Shown};
pub use parse::{ParseError, Tag, Text, ViaFromStr, ViaJson, ViaText};
pub use text::{LeafText, Show, TextNone, TextOutcome, TextViaDisplay, TextViaJson, TextViaStr};

pub use validate::{
    ContainsRule, EmailRule, LengthRule, MustMatchRule, RangeRule, RegexRule, Rule, UrlRule,
};

pub use crate::meta::{Default as DefaultShown, Field, Meta, RuleMeta};

/// The pattern of a `regex(path = ...)` rule, for `RuleMeta::Regex`.
pub fn regex_pattern(regex: impl validator::AsRegex) -> String {
    regex.as_regex().as_str().to_owned()
}
pub use crate::plan::Plan;
pub use crate::secret::Secret;
pub use zeroize::Zeroizing;

/// Hands over the bytes of a string-like secret, for the redactor; a secret of another
/// type (`Secret<u64>`) has no text to redact. Called as `(&&field).secret_bytes(f)`.
pub trait SecretBytes {
    /// Calls `f` with the secret's bytes.
    fn secret_bytes(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: zeroize::Zeroize + AsRef<[u8]>> SecretBytes for &Secret<T> {
    fn secret_bytes(&self, f: &mut dyn FnMut(&[u8])) {
        use secrecy::ExposeSecret as _;
        f(self.expose_secret().as_ref());
    }
}

/// Fallback of [`SecretBytes`]: a secret with no bytes to hand over.
pub trait NoSecretBytes {
    /// Does nothing.
    fn secret_bytes(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: zeroize::Zeroize> NoSecretBytes for Secret<T> {
    fn secret_bytes(&self, _: &mut dyn FnMut(&[u8])) {}
}
