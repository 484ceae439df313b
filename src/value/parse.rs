//! Settings text to typed values, chosen per field type by autoref dispatch in the
//! generated code (`(&&&&&&&&Tag::<T>::new()).parse_value()`, which hands back the parser
//! for `T`):
//!
//! 1. [`Bytes`]: secrets of raw bytes (`Secret<Vec<u8>>`): the input's bytes, as they are;
//! 2. [`Text`]: types with rules of their own, recursively: `String` (moved, never
//!    parsed), `bool` (true/false/1/0/yes/no/on/off), numbers, `Duration` (humantime's
//!    `30s`, `1m 30s`, or seconds), `Secret<T>` and secrecy's
//!    `SecretBox<T>`/`SecretString` of such a `T`, `Box`, lists, sets and arrays of such
//!    types (a comma list or a JSON array), maps of them (a JSON object);
//! 3. `Secret<T>` of any other `FromStr` type;
//! 4. lists and sets of any other `FromStr` type (a comma list or a JSON array);
//! 5. `FromStr`: every other scalar;
//! 6. `serde::Deserialize`: JSON, or the text as a string when it is not JSON of the
//!    type's shape (`warn` for an enum, `123` for a newtype around `String`);
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
use std::str::FromStr;

use secrecy::SecretBox;
use serde_core::de::DeserializeOwned;
use zeroize::{Zeroize, Zeroizing};

use crate::secret::Secret;

/// A leaf's value before parsing: text, or (for a secret of bytes read from a file) the
/// file's bytes. Wiped on drop (a clone too).
#[derive(Clone)]
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
                    Err(ParseError::not_shown(crate::error::value::NOT_UTF8))
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
        let wrong_shape = matches!(err.classify(), serde_json::error::Category::Data);
        ParseError::not_shown(crate::error::value::json(
            wrong_shape,
            err.line(),
            err.column(),
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

/// Secrets of raw bytes.
pub trait Bytes: Sized {
    /// Takes the bytes.
    fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self;
}

impl Bytes for Secret<Vec<u8>> {
    fn from_bytes(mut bytes: Zeroizing<Vec<u8>>) -> Self {
        Secret::loaded(std::mem::take(&mut *bytes))
    }
}

impl Bytes for SecretBox<Vec<u8>> {
    fn from_bytes(mut bytes: Zeroizing<Vec<u8>>) -> Self {
        crate::secret::report(&*bytes);
        SecretBox::new(Box::new(std::mem::take(&mut *bytes)))
    }
}

impl Bytes for SecretBox<[u8]> {
    fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Self {
        // A boxed slice of exactly the right size, copied into: `into_boxed_slice` could
        // reallocate and leave the old buffer unwiped. The input is wiped on drop.
        let boxed: Box<[u8]> = bytes.as_slice().into();
        crate::secret::report(&boxed);
        SecretBox::from(boxed)
    }
}

/// Types with their own rules for settings text.
pub trait Text: Sized {
    /// Parses (or, for `String`, takes) the text. `secret`: keep no detail that could
    /// quote it.
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError>;
}

impl Text for String {
    fn from_text(mut text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        // Move the buffer out: no copy is made of the value.
        Ok(std::mem::take(&mut *text))
    }
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
            Err(
                ParseError::new(secret, || crate::error::value::EXPECTED_BOOL.to_owned())
                    .with_value(text, secret),
            )
        }
    }
}

macro_rules! from_str_text {
    ($($ty:ty),*) => {$(
        impl Text for $ty {
            fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
                via_from_str(text, secret)
            }
        }
    )*};
}

from_str_text!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, char
);

fn via_from_str<T>(text: Zeroizing<String>, secret: bool) -> Result<T, ParseError>
where
    T: FromStr,
    T::Err: Display,
{
    text.parse::<T>()
        .map_err(|e| ParseError::new(secret, || e.to_string()).with_value(text, secret))
}

impl<T: Text + Zeroize + 'static> Text for Secret<T> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        T::from_text(text, true).map(Secret::loaded)
    }
}

impl<T: Text + Zeroize + 'static> Text for SecretBox<T> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        T::from_text(text, true).map(|v| {
            crate::secret::report(&v);
            SecretBox::new(Box::new(v))
        })
    }
}

impl Text for SecretBox<str> {
    fn from_text(text: Zeroizing<String>, _: bool) -> Result<Self, ParseError> {
        // An exact-size copy (see `SecretBox<[u8]>`); `text` is wiped on drop.
        let boxed: Box<str> = text.as_str().into();
        crate::secret::report(&boxed);
        Ok(SecretBox::from(boxed))
    }
}

/// `30s`, `500ms`, `1m 30s`, `2h`, `1d` (humantime's syntax) or a bare number of
/// seconds (`30`, `0.5`).
impl Text for std::time::Duration {
    fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
        const EXPECTED: &str = crate::error::value::EXPECTED_DURATION;
        let trimmed = text.trim();
        let parsed =
            if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                match trimmed
                    .parse::<f64>()
                    .map(std::time::Duration::try_from_secs_f64)
                {
                    Ok(Ok(duration)) => Ok(duration),
                    _ => Err(None),
                }
            } else {
                humantime::parse_duration(trimmed).map_err(Some)
            };
        parsed.map_err(|err| {
            ParseError::new(secret, || match err {
                Some(err) => format!("{err}; {EXPECTED}"),
                None => EXPECTED.to_owned(),
            })
            .with_value(text, secret)
        })
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
        array.iter_mut().for_each(wipe);
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
            wipe(&mut value);
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

/// Wipes every string of a JSON value (keys too) before it is dropped: serde_json's
/// value tree copies them.
pub(crate) fn wipe(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => s.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
        serde_json::Value::Object(map) => {
            let entries = std::mem::take(map);
            for (mut key, mut value) in entries {
                key.zeroize();
                wipe(&mut value);
            }
        }
        _ => {}
    }
}

pub(crate) fn parse_bytes<T: Bytes>(input: Input, _: bool) -> Result<T, ParseError> {
    Ok(T::from_bytes(input.into_bytes()))
}
// The parsers below `match` rather than use `?`: `?` would compile a conversion of the
// error per field type.
pub(crate) fn parse_text<T: Text>(input: Input, secret: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => T::from_text(text, secret),
        Err(err) => Err(err),
    }
}
pub(crate) fn parse_secret_from_str<T>(input: Input, _: bool) -> Result<Secret<T>, ParseError>
where
    T: FromStr + Zeroize + 'static,
    T::Err: Display,
{
    match input.into_text() {
        Ok(text) => via_from_str(text, true).map(Secret::loaded),
        Err(err) => Err(err),
    }
}
pub(crate) fn parse_list<T: List>(input: Input, secret: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => T::from_list(text, secret),
        Err(err) => Err(err),
    }
}
pub(crate) fn parse_from_str<T>(input: Input, secret: bool) -> Result<T, ParseError>
where
    T: FromStr,
    T::Err: Display,
{
    match input.into_text() {
        Ok(text) => via_from_str(text, secret),
        Err(err) => Err(err),
    }
}
/// JSON first; text that is not JSON, or JSON that does not fit the type (`123` for a
/// newtype around `String`), is handed to the type as a string (`APP_LEVEL=warn` for a
/// serde enum of unit variants). When both fail, text that opens as JSON (`{`, `[`, `"`)
/// reports the JSON error (its position only), any other text the string's error.
pub(crate) fn parse_json<T: DeserializeOwned>(input: Input, secret: bool) -> Result<T, ParseError> {
    match input.into_text() {
        Ok(text) => json_or_string(text, secret),
        Err(err) => Err(err),
    }
}

fn json_or_string<T: DeserializeOwned>(
    text: Zeroizing<String>,
    secret: bool,
) -> Result<T, ParseError> {
    let json = match serde_json::from_str(&text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    match T::deserialize(Bare(&text)) {
        Ok(value) => Ok(value),
        Err(_) if text.trim_start().starts_with(['{', '[', '"']) => Err(ParseError::json(&json)),
        Err(bare) => Err(bare.into_parse_error(text, secret)),
    }
}

/// Settings text as a serde string: what [`parse_json`] hands a type when the text is
/// not JSON of its shape. A newtype takes the text itself, an enum a unit variant
/// named by it, an `Option` `Some` of it; everything else sees a string.
struct Bare<'a>(&'a str);

impl<'de> serde_core::Deserializer<'de> for Bare<'_> {
    type Error = BareError;

    fn deserialize_any<V: serde_core::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, BareError> {
        visitor.visit_str(self.0)
    }

    fn deserialize_option<V: serde_core::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, BareError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: serde_core::de::Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, BareError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: serde_core::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, BareError> {
        serde_core::de::value::StrDeserializer::<BareError>::new(self.0)
            .deserialize_enum(name, variants, visitor)
    }

    serde_core::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// Why a type did not take settings text as a string. serde's own messages quote the
/// value (``unknown variant `warnx` ``); these name only what was expected (`safe`),
/// except a type's `custom` message, which is kept for plain fields only and wiped.
#[derive(Debug)]
struct BareError {
    message: Zeroizing<String>,
    safe: bool,
}

impl BareError {
    fn safe(message: String) -> BareError {
        BareError {
            message: Zeroizing::new(message),
            safe: true,
        }
    }

    fn into_parse_error(mut self, mut text: Zeroizing<String>, secret: bool) -> ParseError {
        if self.safe {
            ParseError {
                detail: Some(std::mem::take(&mut *self.message)),
                value: (!secret).then(|| std::mem::take(&mut *text)),
                safe: true,
            }
        } else {
            ParseError::new(secret, || std::mem::take(&mut *self.message)).with_value(text, secret)
        }
    }
}

impl Display for BareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BareError {}

fn one_of(expected: &[&str]) -> String {
    crate::error::value::one_of(expected)
}

impl serde_core::de::Error for BareError {
    fn custom<T: Display>(msg: T) -> Self {
        BareError {
            message: Zeroizing::new(msg.to_string()),
            safe: false,
        }
    }

    fn invalid_type(_: serde_core::de::Unexpected<'_>, exp: &dyn serde_core::de::Expected) -> Self {
        BareError::safe(format!("expected {exp}"))
    }

    fn invalid_value(
        _: serde_core::de::Unexpected<'_>,
        exp: &dyn serde_core::de::Expected,
    ) -> Self {
        BareError::safe(format!("expected {exp}"))
    }

    fn invalid_length(_: usize, exp: &dyn serde_core::de::Expected) -> Self {
        BareError::safe(format!("expected {exp}"))
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        BareError::safe(one_of(expected))
    }

    fn unknown_field(_: &str, expected: &'static [&'static str]) -> Self {
        BareError::safe(one_of(expected))
    }

    fn missing_field(field: &'static str) -> Self {
        BareError::safe(crate::error::value::missing_field(field))
    }

    fn duplicate_field(field: &'static str) -> Self {
        BareError::safe(crate::error::value::duplicate_field(field))
    }
}
