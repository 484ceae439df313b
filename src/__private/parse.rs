//! Settings text to typed values, chosen per field type by autoref dispatch in the
//! generated code (`(&&&&&&&&Tag::<T>::new()).parse_value()`, which hands back the parser
//! for `T`):
//!
//! 1. [`Bytes`]: secrets of raw bytes (`Secret<Vec<u8>>`): the input's bytes, as they are;
//! 2. [`Text`]: types with rules of their own, recursively: `String` (moved, never
//!    parsed), `bool` (true/false/1/0/yes/no/on/off), numbers, `Secret<T>` and secrecy's
//!    `SecretBox<T>`/`SecretString` of such a `T`, `Box`, lists, sets and arrays of such
//!    types (a comma list or a JSON array), maps of them (a JSON object);
//! 3. `Secret<T>` of any other `FromStr` type;
//! 4. lists and sets of any other `FromStr` type (a comma list or a JSON array);
//! 5. `FromStr`: every other scalar;
//! 6. `serde::Deserialize`: JSON;
//! 7. none of these: a compile error that names the fix, in one line (a struct deriving
//!    `Settings` wants `#[settings(nested)]`, a set of secrets `Vec`, any other type
//!    `FromStr` or `Deserialize`): see [`ViaHint`] and [`Unreadable`].
//!
//! The input is owned and wiped on drop. For a secret field no error detail is kept
//! (`FromStr` and serde messages may quote the input), and JSON errors never hand the
//! input back, whatever the field: they give the position only.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Display;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;
use std::str::FromStr;

use secrecy::SecretBox;
use serde_core::de::DeserializeOwned;
use zeroize::{Zeroize, Zeroizing};

use super::build::Steps;
use crate::secret::Secret;

/// A leaf's value before parsing: text, or (for a secret of bytes read from a file) the
/// file's bytes. Wiped on drop.
pub enum Input {
    /// Text from the environment, `.env`, an override or a trimmed file.
    Text(Zeroizing<String>),
    /// A file's exact bytes.
    Bytes(Zeroizing<Vec<u8>>),
}

impl Input {
    /// The bytes, moved out.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Input::Text(text) => text.as_bytes(),
            Input::Bytes(bytes) => bytes,
        }
    }

    fn into_bytes(self) -> Zeroizing<Vec<u8>> {
        match self {
            Input::Text(mut text) => Zeroizing::new(std::mem::take(&mut *text).into_bytes()),
            Input::Bytes(bytes) => bytes,
        }
    }

    fn into_text(self) -> Result<Zeroizing<String>, ParseError> {
        match self {
            Input::Text(text) => Ok(text),
            Input::Bytes(mut bytes) => match String::from_utf8(std::mem::take(&mut *bytes)) {
                Ok(text) => Ok(Zeroizing::new(text)),
                Err(err) => {
                    drop(Zeroizing::new(err.into_bytes()));
                    Err(ParseError::not_shown("not valid UTF-8"))
                }
            },
        }
    }
}

/// Why a value did not parse. Holds nothing of a secret field's value.
#[derive(Debug)]
pub struct ParseError {
    pub(crate) detail: Option<String>,
    /// The text that failed, handed back for the report; never for a secret field, nor
    /// for JSON.
    pub(crate) value: Option<String>,
    /// A detail that names no part of the value, kept for secret fields too.
    pub(crate) safe: bool,
}

impl ParseError {
    fn new(secret: bool, detail: impl FnOnce() -> String) -> ParseError {
        ParseError {
            detail: (!secret).then(detail),
            value: None,
            safe: false,
        }
    }

    /// A detail that quotes nothing of the value: shown for secrets too.
    fn not_shown(detail: impl Into<String>) -> ParseError {
        ParseError {
            detail: Some(detail.into()),
            value: None,
            safe: true,
        }
    }

    /// serde_json's error without its message (which can quote the input): the kind
    /// and position only.
    fn json(err: &serde_json::Error) -> ParseError {
        let what = match err.classify() {
            serde_json::error::Category::Data => "JSON of the wrong shape for this type",
            _ => "invalid JSON",
        };
        ParseError::not_shown(format!(
            "{what} at line {}, column {} (value not shown)",
            err.line(),
            err.column()
        ))
    }

    /// Hands the text back for the report of a plain field, so that no copy of it is
    /// made up front on the success path; a secret's text is dropped (and wiped).
    fn with_value(mut self, mut text: Zeroizing<String>, secret: bool) -> ParseError {
        if !secret && !self.safe {
            self.value = Some(std::mem::take(&mut *text));
        }
        self
    }
}

/// The type tag autoref dispatch is on.
pub struct Tag<T>(PhantomData<fn() -> T>);

impl<T> Tag<T> {
    /// The tag for `T`, as a constant: the generated `&&&&&&&&Tag::<T>::NEW` is promoted to
    /// a static, so no code runs to make it.
    pub const NEW: Self = Tag(PhantomData);

    /// A tag for `T`.
    #[must_use]
    pub const fn new() -> Self {
        Tag(PhantomData)
    }
}

impl<T> Default for Tag<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// Secrets of raw bytes.
pub trait Bytes: Sized {
    /// Takes the bytes.
    fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self;
}

impl Bytes for Secret<Vec<u8>> {
    fn from_bytes(mut bytes: Zeroizing<Vec<u8>>) -> Self {
        Secret::new(std::mem::take(&mut *bytes))
    }
}

impl Bytes for SecretBox<Vec<u8>> {
    fn from_bytes(mut bytes: Zeroizing<Vec<u8>>) -> Self {
        SecretBox::new(Box::new(std::mem::take(&mut *bytes)))
    }
}

impl Bytes for SecretBox<[u8]> {
    fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self {
        // A boxed slice of exactly the right size, copied into: `into_boxed_slice` could
        // reallocate and leave the old buffer unwiped. The input is wiped on drop.
        let boxed: Box<[u8]> = bytes.as_slice().into();
        SecretBox::from(boxed)
    }
}

/// Types with their own rules for settings text.
pub trait Text: Sized {
    /// Parses (or, for `String`, takes) the text. `secret`: keep no detail that could
    /// quote it.
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError>;

    /// How leaves of this type are parsed and built: generic functions, compiled in the
    /// crate that derives `Settings`. The most common types (`String`, `bool`, `u16`,
    /// `u32`, `u64`, `usize`, `i32`, `i64`, `f64`) override it with a function compiled
    /// here that hands back instances compiled here too (see [`Steps`]).
    #[must_use]
    fn steps() -> Steps<Self> {
        Steps::text()
    }
}

/// The most common types' [`Text::steps`]: not generic and never inlined, so that the
/// instances it names are compiled in this crate only, and a crate that derives
/// `Settings` calls them instead of compiling its own.
macro_rules! common_steps {
    () => {
        #[inline(never)]
        fn steps() -> Steps<Self> {
            Steps::text()
        }
    };
}

impl Text for String {
    fn from_text(mut text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        // Move the buffer out: no copy is made of the value.
        Ok(std::mem::take(&mut *text))
    }

    common_steps!();
}

impl Text for bool {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
        const FALSE: [&str; 4] = ["false", "0", "no", "off"];
        if TRUE.iter().any(|t| t.eq_ignore_ascii_case(&text)) {
            Ok(true)
        } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(&text)) {
            Ok(false)
        } else {
            Err(ParseError::new(secret, || {
                "expected true/false, 1/0, yes/no or on/off".to_owned()
            })
            .with_value(text, secret))
        }
    }

    common_steps!();
}

macro_rules! from_str_text {
    ($($ty:ty $(: $steps:ident)?),*) => {$(
        impl Text for $ty {
            fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
                via_from_str(text, secret)
            }

            $($steps!();)?
        }
    )*};
}

// `common_steps` for the types settings use most: each costs every build of this crate
// its instances, so the rarer ones are compiled where they are used.
from_str_text!(
    u8,
    u16: common_steps,
    u32: common_steps,
    u64: common_steps,
    u128,
    usize: common_steps,
    i8,
    i16,
    i32: common_steps,
    i64: common_steps,
    i128,
    isize,
    f32,
    f64: common_steps,
    char
);

fn via_from_str<T>(text: Zeroizing<String>, secret: bool) -> Result<T, ParseError>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse::<T>()
        .map_err(|e| ParseError::new(secret, || e.to_string()).with_value(text, secret))
}

impl<T: Text + Zeroize> Text for Secret<T> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        T::from_text(text, true).map(Secret::new)
    }
}

impl<T: Text + Zeroize> Text for SecretBox<T> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        T::from_text(text, true).map(|v| SecretBox::new(Box::new(v)))
    }
}

impl Text for SecretBox<str> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        // An exact-size copy (see `SecretBox<[u8]>`); `text` is wiped on drop.
        let boxed: Box<str> = text.as_str().into();
        Ok(SecretBox::from(boxed))
    }
}

impl<T: Text> Text for Box<T> {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        T::from_text(text, secret).map(Box::new)
    }
}

/// The items of a list: a JSON array's elements (strings as they are, other JSON as
/// its text), or the trimmed, non-empty items of a comma list. Each item is owned and
/// wiped on drop.
fn items(text: &str) -> Result<Vec<Zeroizing<String>>, ParseError> {
    if text.trim_start().starts_with('[') {
        let mut array: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
        let items = array.iter_mut().map(json_item).collect();
        array.iter_mut().for_each(super::secrets::wipe);
        return Ok(items);
    }
    Ok(text
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| Zeroizing::new(item.to_owned()))
        .collect())
}

/// A JSON element as settings text: a string moved out, anything else as JSON.
fn json_item(value: &mut serde_json::Value) -> Zeroizing<String> {
    match value {
        serde_json::Value::String(s) => Zeroizing::new(std::mem::take(s)),
        other => Zeroizing::new(other.to_string()),
    }
}

/// Parses each item; an error names the item's position.
fn parse_items<T: Text>(
    items: Vec<Zeroizing<String>>,
    secret: bool,
) -> impl Iterator<Item = Result<T, ParseError>> {
    items.into_iter().enumerate().map(move |(i, item)| {
        T::from_text(item, secret).map_err(|mut e| {
            e.detail = Some(match e.detail.take() {
                Some(detail) => format!("item {}: {detail}", i + 1),
                None => format!("item {}", i + 1),
            });
            e.value = None;
            e.safe = e.safe || secret;
            e
        })
    })
}

macro_rules! text_list {
    ($($ty:ident<T> $(: $($bound:path),+)?;)*) => {$(
        impl<T: Text $($(+ $bound)+)?> Text for $ty<T> {
            fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
                let list = items(&text).and_then(|items| parse_items(items, secret).collect());
                list.map_err(|e| e.with_value(text, secret))
            }
        }
    )*};
}

text_list! {
    Vec<T>;
    VecDeque<T>;
    BTreeSet<T>: Ord;
}

impl<T: Text + Eq + Hash, S: BuildHasher + Default> Text for HashSet<T, S> {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        let set = items(&text).and_then(|items| parse_items(items, secret).collect());
        set.map_err(|e| e.with_value(text, secret))
    }
}

impl<T: Text, const N: usize> Text for [T; N] {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        let list: Result<Vec<T>, ParseError> =
            items(&text).and_then(|items| parse_items(items, secret).collect());
        match list.map(<[T; N]>::try_from) {
            Ok(Ok(array)) => Ok(array),
            Ok(Err(list)) => Err(ParseError::not_shown(format!(
                "expected {N} items, found {}",
                list.len()
            ))),
            Err(e) => Err(e.with_value(text, secret)),
        }
    }
}

/// A JSON object entry's key and value as settings text, each wiped on drop.
type Entry = (Zeroizing<String>, Zeroizing<String>);

/// A JSON object's entries.
fn entries(text: &str) -> Result<Vec<Entry>, ParseError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| ParseError::json(&e))?;
    Ok(object
        .into_iter()
        .map(|(key, mut value)| {
            let item = json_item(&mut value);
            super::secrets::wipe(&mut value);
            (Zeroizing::new(key), item)
        })
        .collect())
}

fn parse_entries<K: Text, V: Text, C: FromIterator<(K, V)>>(
    text: Zeroizing<String>,
    secret: bool,
) -> Result<C, ParseError> {
    let parsed = entries(&text).and_then(|entries| {
        entries
            .into_iter()
            .map(|(key, value)| {
                // Keys are names, not secrets; a key that does not parse is named.
                let shown = if secret { None } else { Some((*key).clone()) };
                let key = K::from_text(key, secret)?;
                let value = V::from_text(value, secret).map_err(|mut e| {
                    let detail = e.detail.take().filter(|_| e.safe || !secret);
                    e.detail = Some(match (shown, detail) {
                        (Some(k), Some(d)) => format!("key {k:?}: {d}"),
                        (Some(k), None) => format!("key {k:?}"),
                        (None, Some(d)) => format!("a value: {d}"),
                        (None, None) => "a value".to_owned(),
                    });
                    e.value = None;
                    e.safe = e.safe || secret;
                    e
                })?;
                Ok((key, value))
            })
            .collect()
    });
    parsed.map_err(|e| e.with_value(text, secret))
}

impl<K: Text + Ord, V: Text> Text for BTreeMap<K, V> {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        parse_entries(text, secret)
    }
}

impl<K: Text + Eq + Hash, V: Text, S: BuildHasher + Default> Text for HashMap<K, V, S> {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        parse_entries(text, secret)
    }
}

/// Lists of `FromStr` types that are not [`Text`] (addresses, URLs, paths...).
pub trait List: Sized {
    /// Parses a comma list or a JSON array.
    fn from_list(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError>;
}

macro_rules! from_str_list {
    ($($ty:ident<T> $(: $($bound:path),+)?;)*) => {$(
        impl<T> List for $ty<T>
        where
            T: FromStr + DeserializeOwned $($(+ $bound)+)?,
            T::Err: Display,
        {
            fn from_list(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
                let list = if text.trim_start().starts_with('[') {
                    serde_json::from_str(&text).map_err(|e| ParseError::json(&e))
                } else {
                    text.split(',')
                        .map(str::trim)
                        .filter(|item| !item.is_empty())
                        .enumerate()
                        .map(|(i, item)| {
                            item.parse::<T>().map_err(|e| {
                                ParseError::new(secret, || format!("item {}: {e}", i + 1))
                            })
                        })
                        .collect()
                };
                list.map_err(|e| e.with_value(text, secret))
            }
        }
    )*};
}

from_str_list! {
    Vec<T>;
    VecDeque<T>;
    HashSet<T>: Eq, Hash;
    BTreeSet<T>: Ord;
}

// Each level hands back a generic function, not a parse: the generated code asks
// `(&&&&&&&&Tag::<T>::new()).parse_value()` once per field and passes the function on, so
// a crate that derives `Settings` compiles one parser per field *type*, not a closure per
// field.

/// Level 1 of the dispatch: [`Bytes`].
pub trait ViaBytes<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: Bytes> ViaBytes<T> for &&&&&&&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        Steps::new(parse_bytes::<T>)
    }
}

fn parse_bytes<T: Bytes>(input: Input, _: bool) -> Result<T, ParseError> {
    Ok(T::from_bytes(input.into_bytes()))
}

/// Level 2 of the dispatch: [`Text`] types.
pub trait ViaText<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: Text> ViaText<T> for &&&&&&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        T::steps()
    }
}

// The parsers below `match` rather than use `?`: `?` would compile a conversion of the
// error per field type.
pub(super) fn parse_text<T: Text>(input: Input, secret: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => T::from_text(text, secret),
        Err(err) => Err(err),
    }
}

/// Level 3 of the dispatch: a `Secret` of any other `FromStr` type.
pub trait ViaSecretFromStr<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T> ViaSecretFromStr<Secret<T>> for &&&&&Tag<Secret<T>>
where
    T: FromStr + Zeroize,
    T::Err: Display,
{
    fn parse_value(&self) -> Steps<Secret<T>> {
        Steps::new(parse_secret_from_str::<T>)
    }
}

fn parse_secret_from_str<T>(input: Input, _: bool) -> Result<Secret<T>, ParseError>
where
    T: FromStr + Zeroize,
    T::Err: Display,
{
    match input.into_text() {
        Ok(text) => via_from_str(text, true).map(Secret::new),
        Err(err) => Err(err),
    }
}

/// Level 4 of the dispatch: lists of `FromStr` types.
pub trait ViaList<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: List> ViaList<T> for &&&&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        Steps::new(parse_list::<T>)
    }
}

fn parse_list<T: List>(input: Input, secret: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => T::from_list(text, secret),
        Err(err) => Err(err),
    }
}

/// Level 5 of the dispatch: `FromStr`.
pub trait ViaFromStr<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T> ViaFromStr<T> for &&&Tag<T>
where
    T: FromStr,
    T::Err: Display,
{
    fn parse_value(&self) -> Steps<T> {
        Steps::new(parse_from_str::<T>)
    }
}

fn parse_from_str<T>(input: Input, secret: bool) -> Result<T, ParseError>
where
    T: FromStr,
    T::Err: Display,
{
    match input.into_text() {
        Ok(text) => via_from_str(text, secret),
        Err(err) => Err(err),
    }
}

/// Level 6 of the dispatch: JSON through `serde::Deserialize`.
pub trait ViaJson<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: DeserializeOwned> ViaJson<T> for &&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        Steps::new(parse_json::<T>)
    }
}

fn parse_json<T: DeserializeOwned>(input: Input, _: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => serde_json::from_str(&text).map_err(|e| ParseError::json(&e)),
        Err(err) => Err(err),
    }
}

// Below JSON, no type can be read: the last two levels always apply to the types that
// reach them, so that the compiler reports the bound on their method, which says in one
// line what to do (`#[diagnostic::on_unimplemented]`), instead of listing every level's
// unmet bound (48 lines naming `Tag`, `ViaBytes`, `ViaJson`...).

/// A struct that derives `Settings` (implemented for every one, beside the trait).
pub trait DerivesSettings {}

/// Never implemented: its message is the compile error of a field whose type derives
/// `Settings` but is not marked `nested`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` derives `Settings`: mark the field `#[settings(nested)]` to read its fields as settings",
    label = "a struct of settings, not one value; add `#[settings(nested)]` to this field"
)]
pub trait MarkNested {}

/// Never implemented: its message is the compile error of a field that is a set of
/// secrets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read: a set of secrets cannot be built (`Secret` has no `Eq` or `Hash`); use `Vec<Secret<_>>`",
    label = "use `Vec<Secret<_>>`"
)]
pub trait UseAVecOfSecrets {}

/// Sets of secrets: no `Secret` is `Eq` or `Hash`.
pub trait SetOfSecrets {}

impl<T: Zeroize, S> SetOfSecrets for HashSet<Secret<T>, S> {}
impl<T: Zeroize> SetOfSecrets for BTreeSet<Secret<T>> {}
impl<T: Zeroize + ?Sized, S> SetOfSecrets for HashSet<SecretBox<T>, S> {}
impl<T: Zeroize + ?Sized> SetOfSecrets for BTreeSet<SecretBox<T>> {}

/// Level 7 of the dispatch: a type that cannot be read, but whose fix is known: a
/// struct deriving `Settings` (`nested`), a set of secrets (`Vec`). Its method's bound
/// is never met: the compile error is that bound's message.
pub trait ViaHint<T> {
    /// Never called: the bound on it is the compile error.
    fn parse_value(&self) -> Steps<T>
    where
        T: MarkNested;
}

impl<T: DerivesSettings> ViaHint<T> for &Tag<T> {
    fn parse_value(&self) -> Steps<T>
    where
        T: MarkNested,
    {
        unreachable!("`MarkNested` has no implementations")
    }
}

/// Level 7 of the dispatch, for sets of secrets (see [`ViaHint`]).
pub trait ViaSetHint<T> {
    /// Never called: the bound on it is the compile error.
    fn parse_value(&self) -> Steps<T>
    where
        T: UseAVecOfSecrets;
}

impl<T: SetOfSecrets> ViaSetHint<T> for &Tag<T> {
    fn parse_value(&self) -> Steps<T>
    where
        T: UseAVecOfSecrets,
    {
        unreachable!("`UseAVecOfSecrets` has no implementations")
    }
}

/// Never implemented: its message is the compile error of a field type no level of the
/// dispatch reads.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from settings text: implement `FromStr` or `serde::Deserialize` for it",
    label = "no `FromStr` and no `Deserialize`; a struct of settings needs `#[settings(nested)]` and `#[derive(Settings)]`"
)]
pub trait ReadFromText {}

/// Level 8, the last of the dispatch: any other type. Its method's bound is never met:
/// the compile error is that bound's message.
pub trait Unreadable<T> {
    /// Never called: the bound on it is the compile error.
    fn parse_value(&self) -> Steps<T>
    where
        T: ReadFromText;
}

impl<T> Unreadable<T> for Tag<T> {
    fn parse_value(&self) -> Steps<T>
    where
        T: ReadFromText,
    {
        unreachable!("`ReadFromText` has no implementations")
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use secrecy::ExposeSecret as _;

    use super::*;

    fn text(s: &str) -> Input {
        Input::Text(Zeroizing::new(s.to_owned()))
    }

    macro_rules! parse {
        ($ty:ty, $input:expr, $secret:expr) => {
            ((&&&&&&&&Tag::<$ty>::new()).parse_value().parse)($input, $secret)
        };
    }

    #[test]
    fn dispatch_picks_the_most_specific_rule() {
        // String: taken as is, even when it looks like a number.
        let s: String = parse!(String, text("012345"), false).unwrap();
        assert_eq!(s, "012345");
        // bool: the spellings.
        assert!(parse!(bool, text("YES"), false).unwrap());
        // FromStr.
        assert_eq!(parse!(u16, text("5432"), false).unwrap(), 5432);
        let addr = parse!(std::net::IpAddr, text("127.0.0.1"), false).unwrap();
        assert!(addr.is_loopback());
        // Lists.
        assert_eq!(parse!(Vec<u8>, text("1, 2,3,"), false).unwrap(), [1, 2, 3]);
        let v = parse!(Vec<String>, text(r#"["a,b", "c"]"#), false).unwrap();
        assert_eq!(v, ["a,b", "c"]);
        let ips = parse!(Vec<std::net::IpAddr>, text("::1, 10.0.0.1"), false).unwrap();
        assert_eq!(ips.len(), 2);
        let arr = parse!([u8; 2], text("[4, 5]"), false).unwrap();
        assert_eq!(arr, [4, 5]);
        // JSON.
        #[derive(serde::Deserialize, PartialEq, Debug)]
        struct P {
            x: i32,
        }
        assert_eq!(parse!(P, text(r#"{"x": 3}"#), false).unwrap(), P { x: 3 });
    }

    #[test]
    fn secret_shapes_parse_like_their_contents() {
        type ApiKey = Secret<String>;
        let key = parse!(ApiKey, text("sk-1"), true).unwrap();
        assert_eq!(key.expose_secret(), "sk-1");
        let keys = parse!(Vec<Secret<String>>, text("k1,k2"), true).unwrap();
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[1].expose_secret(), "k2");
        let keys = parse!(Vec<ApiKey>, text(r#"["k1","k,2"]"#), true).unwrap();
        assert_eq!(keys[1].expose_secret(), "k,2");
        let map = parse!(BTreeMap<String, Secret<String>>, text(r#"{"a":"v1"}"#), true).unwrap();
        assert_eq!(map["a"].expose_secret(), "v1");
        let n = parse!(Secret<u32>, text("42"), true).unwrap();
        assert_eq!(*n.expose_secret(), 42);
        let s = parse!(secrecy::SecretString, text("sbox"), true).unwrap();
        assert_eq!(s.expose_secret(), "sbox");
        // Bytes: the text's bytes, not a list of numbers; a file's bytes as they are.
        let b = parse!(Secret<Vec<u8>>, text("1,2"), true).unwrap();
        assert_eq!(b.expose_secret(), b"1,2");
        let raw = Input::Bytes(Zeroizing::new(vec![0xff, 0, b'\n']));
        let b = parse!(Secret<Vec<u8>>, raw, true).unwrap();
        assert_eq!(b.expose_secret(), &[0xff, 0, b'\n']);
    }

    #[test]
    fn secret_errors_carry_no_detail_and_no_value() {
        let err = parse!(u16, text("canary"), true).unwrap_err();
        assert!(err.detail.is_none());
        assert!(err.value.is_none());
        let err = parse!(Secret<u16>, text("canary"), true).unwrap_err();
        assert!(err.detail.is_none() && err.value.is_none());
        let err = parse!(Vec<Secret<u16>>, text("1,canary"), true).unwrap_err();
        assert_eq!(err.detail.as_deref(), Some("item 2"));
        assert!(err.value.is_none());
        // A plain field's value is handed back, with the detail.
        let err = parse!(u16, text("canary"), false).unwrap_err();
        assert!(err.detail.is_some());
        assert_eq!(err.value.as_deref(), Some("canary"));
    }

    #[test]
    fn json_errors_never_hand_the_value_back() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)] // reason: only parsed
        struct P {
            x: u32,
        }
        for (input, secret) in [(r#"{"x": "canary"}"#, false), (r#"{"x": canary"#, true)] {
            let err = parse!(P, text(input), secret).unwrap_err();
            assert!(err.value.is_none());
            let detail = err.detail.unwrap();
            assert!(!detail.contains("canary"), "{detail}");
            assert!(detail.contains("line 1, column"), "{detail}");
        }
        let err =
            parse!(BTreeMap<String, Secret<String>>, text(r#"{"a": "canary"#), true).unwrap_err();
        assert!(err.value.is_none());
        assert!(!err.detail.unwrap().contains("canary"));
        let err = parse!(Vec<u8>, text(r#"["canary"]"#), false).unwrap_err();
        assert_eq!(
            err.detail.as_deref(),
            Some("item 1: invalid digit found in string")
        );
    }
}
