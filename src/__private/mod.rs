//! Not public API: the items generated code calls. Everything here may change in any
//! release; use the derive instead.

mod build;
mod parse;
mod secrets;
mod shape;
mod to_text;
mod validate;

pub use build::{Build, LeafRef, Mark, Parser};
pub(crate) use build::{Outcomes, Shown};
pub use parse::{
    Bytes, Input, List, ParseError, Tag, Text, ViaBytes, ViaFromStr, ViaJson, ViaList,
    ViaSecretFromStr, ViaText,
};
pub use secrets::{Scan, ScanDirect, ScanNone, ScanSerialized, SecretValues};
pub use shape::{
    HoldsSecret, Probe, SecretOfBytes, Shape, ShapeOfBytes, ShapeOfPlain, ShapeOfSecret,
};
pub use to_text::{
    LeafText, Show, TextNone, TextOutcome, TextViaDisplay, TextViaExposed, TextViaJson, TextViaStr,
};

pub use validate::{
    ContainsRule, EmailRule, LengthRule, MustMatchRule, RangeRule, RegexRule, Rule, UrlRule,
};

pub use crate::meta::{DefaultShown, Field, Meta, RuleMeta};

/// The pattern of a `regex(path = ...)` rule, for `RuleMeta::Regex`.
#[cfg(feature = "regex")]
pub fn regex_pattern(regex: impl validate::AsRegex) -> String {
    regex.as_regex().as_str().to_owned()
}

/// Without the `regex` feature a `regex` rule is a compile error of its own (its trait
/// says which feature): this stand-in adds none.
#[cfg(not(feature = "regex"))]
pub fn regex_pattern<R>(_: R) -> String {
    String::new()
}
pub use crate::plan::Plan;
pub use crate::secret::Secret;
pub use zeroize::Zeroizing;

/// Runs `f` with every `Secret` serializing its value instead of `"[REDACTED]"`: for
/// `child_env`, which hands secrets to a child process on purpose.
pub fn revealed<R>(f: impl FnOnce() -> R) -> R {
    crate::secret::with_mode(crate::secret::Mode::Reveal, f)
}
