//! Not public API: the items generated code calls. Everything here may change in any
//! release; use the derive instead.

use crate::value::{parse, secrets, shape, to_text, validate};

pub use crate::build::dispatch::{
    CommonSteps, DerivesSettings, MarkNested, ReadFromText, SetOfSecrets, Tag, Unreadable,
    UseAVecOfSecrets, ViaBytes, ViaCommon, ViaFromStr, ViaHint, ViaJson, ViaList, ViaSecretFromStr,
    ViaSetHint, ViaText,
};
pub use crate::build::{Build, LeafFn, LeafRef, Mark, Parser, Steps};
pub use crate::meta::Shape;
pub use parse::{Bytes, Input, List, ParseError, Text};
pub use secrets::{
    Scan, ScanDebugged, ScanDirect, ScanFound, ScanNone, ScanSerialized, ScanText, ScanTyped,
    SecretValues,
};
pub use shape::{
    BytesShape, DebugHides, DebugShows, HoldsSecret, No, PlainShape, Probe, SecretOfBytes,
    SecretShape, ShapeKind, ShapeOfBytes, ShapeOfPlain, ShapeOfSecret, ShowsValue, Verdict, Yes,
    shape_of, verdict,
};
pub use to_text::{
    CommonText, Leaf, LeafText, Show, TextNone, TextOutcome, TextViaCommon, TextViaDisplay,
    TextViaExposed, TextViaJson, TextViaStr, TextWriter, VisitTexts, WriteText,
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

pub use crate::secret::revealed;

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
/// type. Never called. (The most common types' steps and writers are compiled here in
/// every profile, see [`Steps`] and [`CommonText`]: what is left of them is the
/// dispatch and the per-type glue.)
#[cfg(debug_assertions)]
#[doc(hidden)]
pub fn __common_instances() {
    use std::hint::black_box;

    fn shared<T: parse::Text + 'static>() {
        black_box((
            <Leaf<'static, T> as WriteText>::write_text as fn(&_, &mut String) -> _,
            <&&ScanTyped<'static, T> as ScanText>::secret_values as fn(&_, &mut dyn FnMut(&[u8])),
            <&&ScanTyped<'static, Option<T>> as ScanText>::secret_values
                as fn(&_, &mut dyn FnMut(&[u8])),
        ));
    }

    fn common<T: parse::Text + CommonSteps + CommonText + 'static>() {
        shared::<T>();
        black_box((
            <&&&&&&&&Tag<T> as ViaCommon<T>>::parse_value as fn(&_) -> _,
            <&&&&&Show<T> as TextViaCommon<T>>::text_writer as fn(&_) -> _,
        ));
    }

    // The rarer types, whose steps and writers are generic (see `CommonSteps`).
    fn rare<T: parse::Text + std::fmt::Display + 'static>() {
        shared::<T>();
        black_box((
            <&&&&&&Tag<T> as ViaText<T>>::parse_value as fn(&_) -> _,
            crate::build::Steps::<T>::text as fn() -> _,
            <&&Show<T> as TextViaDisplay<T>>::text_writer as fn(&_) -> _,
        ));
    }

    common::<String>();
    common::<bool>();
    common::<u16>();
    common::<u32>();
    common::<u64>();
    common::<usize>();
    common::<i32>();
    common::<i64>();
    common::<f64>();
    rare::<char>();
    rare::<u8>();
    rare::<u128>();
    rare::<i8>();
    rare::<i16>();
    rare::<i128>();
    rare::<isize>();
    rare::<f32>();
}
