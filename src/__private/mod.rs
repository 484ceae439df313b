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

/// The generic runtime a derived struct calls, instantiated here for the common field
/// types: under `share-generics` (on by default in unoptimized builds) a crate that
/// derives `Settings` links these instances instead of compiling its own, once per field
/// type. Never called.
#[cfg(debug_assertions)]
#[doc(hidden)]
pub fn __common_instances() {
    use std::hint::black_box;

    fn runtime<T: 'static>() {
        black_box((
            Build::required::<T>
                as fn(&mut Build<'static>, Parser<T>, Option<fn() -> T>, Option<fn() -> T>) -> _,
            Build::optional::<T>
                as fn(&mut Build<'static>, Parser<T>, Option<fn() -> T>, Option<fn() -> T>) -> _,
            <Leaf<'static, T> as WriteText>::write_text as fn(&_, &mut String) -> _,
            <ScanTyped<'static, T> as ScanNone>::secret_values as fn(&_, &mut dyn FnMut(&[u8])),
            <ScanTyped<'static, Option<T>> as ScanNone>::secret_values
                as fn(&_, &mut dyn FnMut(&[u8])),
        ));
    }

    fn text<T: parse::Text + std::fmt::Display + 'static>() {
        runtime::<T>();
        black_box((
            <&&&&Tag<T> as ViaText<T>>::parse_value as fn(&_) -> _,
            <&&Show<T> as TextViaDisplay<T>>::text_writer as fn(&_) -> _,
        ));
    }

    runtime::<String>();
    black_box((
        <&&&&Tag<String> as ViaText<String>>::parse_value as fn(&_) -> _,
        <&&&Show<String> as TextViaStr<String>>::text_writer as fn(&_) -> _,
    ));
    text::<bool>();
    text::<char>();
    text::<u8>();
    text::<u16>();
    text::<u32>();
    text::<u64>();
    text::<u128>();
    text::<usize>();
    text::<i8>();
    text::<i16>();
    text::<i32>();
    text::<i64>();
    text::<i128>();
    text::<isize>();
    text::<f32>();
    text::<f64>();
}
