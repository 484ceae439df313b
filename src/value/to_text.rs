//! A loaded leaf value back to settings text, for `child_env`, written by a function
//! chosen per field type by autoref specialization in the generated `__texts`
//! (`(&&&&&&Show::<T>::new()).text_writer()`):
//!
//! 0. secrecy's `SecretString`: its exposed text;
//! 1. `AsRef<str>` (`String`): copied into the output buffer, which is reserved first so
//!    no partial copy is left behind by a reallocation;
//! 2. `Display`: numbers, `bool`, addresses, ...;
//! 3. `serde::Serialize`: JSON (a JSON string is unquoted: a `PathBuf` gives its path),
//!    which the loader reads back (lists as JSON arrays, other types as JSON);
//! 4. none of these: the value has no text form.
//!
//! Above these, the most common types (`String`, `bool`, `u16`, `u32`, `u64`, `usize`,
//! `i32`, `i64`, `f64`) get the writer of level 1 or 2 compiled here ([`CommonText`]).
//!
//! The writers are generic functions, compiled once per field type; `__texts` pairs each
//! field's value with its writer in a [`Leaf`] and hands it over as a [`LeafText`].

use std::fmt::{Display, Write as _};
use std::marker::PhantomData;

/// What writing a leaf's text did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOutcome {
    /// The text was written.
    Text,
    /// The leaf is an optional setting with no value.
    Unset,
    /// The value's type has no text form.
    NoText,
}

/// Writes a value of type `T` as settings text.
pub type TextWriter<T> = fn(&T, &mut String) -> TextOutcome;

/// A leaf's text, written only when asked.
pub trait WriteText {
    /// Writes the text into the buffer.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

/// A leaf's value: writes its text into the buffer.
pub type LeafText<'a> = &'a dyn WriteText;

/// What the generated `__texts` hands each leaf's value to. The generated code names
/// each field by its index in its struct and says when it steps into and out of a
/// `nested` field, so the visitor finds the leaf in the settings' tree (the plan's
/// sections) instead of counting the calls.
pub trait VisitTexts {
    /// Field `field` of the struct visited, a setting, with its value.
    fn leaf(&mut self, field: usize, text: LeafText<'_>);

    /// Steps into the `nested` field `field` of the struct visited.
    fn enter(&mut self, field: usize);

    /// Steps out of the `nested` field entered last.
    fn leave(&mut self);
}

/// A leaf's value (`None`: an optional setting with no value) and its writer.
pub struct Leaf<'a, T: ?Sized> {
    /// The value.
    pub value: Option<&'a T>,
    /// The writer for its type.
    pub write: TextWriter<T>,
}

impl<T: ?Sized> WriteText for Leaf<'_, T> {
    fn write_text(&self, out: &mut String) -> TextOutcome {
        match self.value {
            Some(value) => (self.write)(value, out),
            None => TextOutcome::Unset,
        }
    }
}

/// The type tag autoref specialization dispatches on.
pub struct Show<T: ?Sized>(PhantomData<fn(&T)>);

impl<T: ?Sized> Show<T> {
    /// The tag for `T`, as a constant (promoted, as `parse::Tag::NEW`).
    pub const NEW: Self = Show(PhantomData);

    /// A tag for `T`.
    #[must_use]
    pub const fn new() -> Self {
        Show(PhantomData)
    }
}

impl<T: ?Sized> Default for Show<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn push_text(text: &str, out: &mut String) -> TextOutcome {
    out.reserve_exact(text.len());
    out.push_str(text);
    TextOutcome::Text
}

/// The most common field types, whose writers are compiled here: `writer` is not
/// generic and never inlined, so the instance it names is compiled in this crate only,
/// not again in each crate that calls `child_env` (an optimized build shares no generic
/// code between crates; see `Steps` for the same on the build side).
pub trait CommonText {
    /// The writer for the type: [`TextViaStr`]'s or [`TextViaDisplay`]'s.
    fn writer() -> TextWriter<Self>;
}

macro_rules! common_text {
    ($write:ident: $($ty:ty),*) => {$(
        impl CommonText for $ty {
            #[inline(never)]
            fn writer() -> TextWriter<Self> {
                $write::<Self>
            }
        }
    )*};
}

common_text!(write_str: String);

impl CommonText for std::time::Duration {
    #[inline(never)]
    fn writer() -> TextWriter<Self> {
        write_duration
    }
}

/// A list of durations as a JSON array of humantime's forms (`["30s","1m 30s"]`), which
/// the list parser reads back element by element (serde's form would be
/// `{"secs":30,"nanos":0}`, which no setting reads).
impl CommonText for Vec<std::time::Duration> {
    #[inline(never)]
    fn writer() -> TextWriter<Self> {
        write_durations
    }
}

#[allow(clippy::ptr_arg)] // reason: a `TextWriter<Vec<Duration>>` takes `&Vec<Duration>`
fn write_durations(values: &Vec<std::time::Duration>, out: &mut String) -> TextOutcome {
    out.push('[');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        let _ = write_duration(value, out);
        out.push('"');
    }
    out.push(']');
    TextOutcome::Text
}

/// humantime's form (`1m 30s`), which the parser reads back.
fn write_duration(value: &std::time::Duration, out: &mut String) -> TextOutcome {
    if value.is_zero() {
        return push_text("0s", out);
    }
    let _ = write!(out, "{}", humantime::format_duration(*value));
    TextOutcome::Text
}
common_text!(write_display: bool, u16, u32, u64, usize, i32, i64, f64);

/// The level above level 0: [`CommonText`].
pub trait TextViaCommon<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: CommonText> TextViaCommon<T> for &&&&&Show<T> {
    fn text_writer(&self) -> TextWriter<T> {
        T::writer()
    }
}

/// Level 0: secrecy's `SecretBox` of a string (`SecretString`), which has no
/// `Serialize`: its exposed text.
pub trait TextViaExposed<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: AsRef<str> + zeroize::Zeroize + ?Sized> TextViaExposed<secrecy::SecretBox<T>>
    for &&&&Show<secrecy::SecretBox<T>>
{
    fn text_writer(&self) -> TextWriter<secrecy::SecretBox<T>> {
        write_exposed::<T>
    }
}

fn write_exposed<T: AsRef<str> + zeroize::Zeroize + ?Sized>(
    value: &secrecy::SecretBox<T>,
    out: &mut String,
) -> TextOutcome {
    push_text(secrecy::ExposeSecret::expose_secret(value).as_ref(), out)
}

/// Level 1: string-like values.
pub trait TextViaStr<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: AsRef<str> + ?Sized> TextViaStr<T> for &&&Show<T> {
    fn text_writer(&self) -> TextWriter<T> {
        write_str::<T>
    }
}

fn write_str<T: AsRef<str> + ?Sized>(value: &T, out: &mut String) -> TextOutcome {
    push_text(value.as_ref(), out)
}

/// Level 2: `Display`.
pub trait TextViaDisplay<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: Display + ?Sized> TextViaDisplay<T> for &&Show<T> {
    fn text_writer(&self) -> TextWriter<T> {
        write_display::<T>
    }
}

fn write_display<T: Display + ?Sized>(value: &T, out: &mut String) -> TextOutcome {
    write_displayed(&value, out)
}

fn write_displayed(value: &dyn Display, out: &mut String) -> TextOutcome {
    out.reserve(64);
    let _ = write!(out, "{value}");
    TextOutcome::Text
}

/// Level 3: JSON through `serde::Serialize`.
pub trait TextViaJson<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: serde_core::Serialize + ?Sized> TextViaJson<T> for &Show<T> {
    fn text_writer(&self) -> TextWriter<T> {
        write_json::<T>
    }
}

fn write_json<T: serde_core::Serialize + ?Sized>(value: &T, out: &mut String) -> TextOutcome {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => push_text(&zeroize::Zeroizing::new(s), out),
        Ok(mut value) => {
            let json = zeroize::Zeroizing::new(value.to_string());
            super::parse::wipe(&mut value);
            push_text(&json, out)
        }
        Err(_) => TextOutcome::NoText,
    }
}

/// Level 4: no text form.
pub trait TextNone<T: ?Sized> {
    /// The writer for `T`.
    fn text_writer(&self) -> TextWriter<T>;
}

impl<T: ?Sized> TextNone<T> for Show<T> {
    fn text_writer(&self) -> TextWriter<T> {
        write_none::<T>
    }
}

fn write_none<T: ?Sized>(_: &T, _: &mut String) -> TextOutcome {
    TextOutcome::NoText
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use super::*;

    macro_rules! text {
        ($ty:ty, $value:expr) => {{
            let mut out = String::new();
            let value: &$ty = $value;
            let leaf = Leaf {
                value: Some(value),
                write: (&&&&&&Show::<$ty>::new()).text_writer(),
            };
            (leaf.write_text(&mut out), out)
        }};
    }

    #[test]
    fn dispatch_picks_the_most_specific_rule() {
        let s = String::from("a,b");
        assert_eq!(text!(String, &s), (TextOutcome::Text, "a,b".to_owned()));
        let n = 5432u16;
        assert_eq!(text!(u16, &n).1, "5432");
        let v = vec!["a,b".to_owned(), "c".to_owned()];
        assert_eq!(text!(Vec<String>, &v).1, r#"["a,b","c"]"#);
        let p = std::path::PathBuf::from("/run/x");
        assert_eq!(text!(std::path::PathBuf, &p).1, "/run/x");
        let k = secrecy::SecretString::from("sbox");
        assert_eq!(text!(secrecy::SecretString, &k).1, "sbox");
        struct Opaque;
        let x = Opaque;
        assert_eq!(text!(Opaque, &x).0, TextOutcome::NoText);
    }

    #[test]
    fn an_unset_leaf_writes_nothing() {
        let leaf: Leaf<'_, u16> = Leaf {
            value: None,
            write: (&&&&&&Show::<u16>::new()).text_writer(),
        };
        let mut out = String::new();
        assert_eq!(leaf.write_text(&mut out), TextOutcome::Unset);
        assert!(out.is_empty());
    }
}
