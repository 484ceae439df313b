//! Not public API: the items generated code calls. Everything here may change in any
//! release; use the derive instead.

mod build;
mod parse;
mod secrets;
mod shape;
mod to_text;
mod validate;

pub use build::{Build, LeafRef, Mark, Parser};
pub(crate) use build::{Outcome, Shown};
pub use parse::{
    Bytes, Input, List, ParseError, Tag, Text, ViaBytes, ViaFromStr, ViaJson, ViaList,
    ViaSecretFromStr, ViaText,
};
pub use secrets::{Scan, ScanDirect, ScanNone, ScanSerialized, ScanTyped, SecretValues};
pub use shape::{
    BytesShape, HoldsSecret, PlainShape, Probe, SecretOfBytes, SecretShape, Shape, ShapeKind,
    ShapeOfBytes, ShapeOfPlain, ShapeOfSecret, shape_of,
};
pub use to_text::{
    Leaf, LeafText, Show, TextNone, TextOutcome, TextViaDisplay, TextViaExposed, TextViaJson,
    TextViaStr, TextWriter, WriteText,
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

/// A struct's plan, made from its `META` on first use: what the generated `__plan` calls,
/// so that each deriving crate does not compile its own `OnceLock` initialization.
pub fn plan(
    cell: &'static std::sync::OnceLock<Plan>,
    meta: &'static crate::meta::Meta,
) -> &'static Plan {
    cell.get_or_init(|| Plan::new(meta))
}
