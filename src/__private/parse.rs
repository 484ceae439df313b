//! Text to typed values, chosen per field type by autoref specialization in the
//! generated code (`(&&&Tag::<T>::new()).parse_value(text, secret)`):
//!
//! 1. [`Text`]: types with their own rules: `String` (moved, never parsed), `bool`
//!    (true/false/1/0/yes/no/on/off), `Vec`, `VecDeque` and sets (comma list or JSON array);
//! 2. `FromStr`: every other scalar;
//! 3. `serde::Deserialize`: JSON.
//!
//! The text is owned and wiped on drop. For a secret field no error detail is kept:
//! `FromStr` and serde messages may quote the input.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt::Display;
use std::hash::Hash;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

/// Why a text did not parse. Holds no value of a secret field.
#[derive(Debug)]
pub struct ParseError {
    pub(crate) detail: Option<String>,
    /// The text that failed, handed back for the report; never for a secret field.
    pub(crate) value: Option<String>,
}

impl ParseError {
    fn new(secret: bool, detail: impl FnOnce() -> String) -> ParseError {
        ParseError {
            detail: (!secret).then(detail),
            value: None,
        }
    }

    /// Hands the text back for the report of a plain field, so that no copy of it is
    /// made up front on the success path; a secret's text is dropped (and wiped).
    fn with_value(mut self, mut text: Zeroizing<String>, secret: bool) -> ParseError {
        if !secret {
            self.value = Some(std::mem::take(&mut *text));
        }
        self
    }
}

/// The type tag autoref specialization dispatches on.
pub struct Tag<T>(PhantomData<fn() -> T>);

impl<T> Tag<T> {
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

/// Types with their own rules for settings text.
pub trait Text: Sized {
    /// Parses (or, for `String`, takes) the text.
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
            Err(ParseError::new(secret, || {
                "expected true/false, 1/0, yes/no or on/off".to_owned()
            })
            .with_value(text, secret))
        }
    }
}

/// A comma-separated list (items trimmed, empty items skipped) or a JSON array.
fn list<C, T>(text: &str, secret: bool) -> Result<C, ParseError>
where
    C: FromIterator<T> + DeserializeOwned,
    T: FromStr,
    T::Err: Display,
{
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(text)
            .map_err(|e| ParseError::new(secret, || format!("invalid JSON array: {e}")));
    }
    text.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .enumerate()
        .map(|(i, item)| {
            item.parse::<T>()
                .map_err(|e| ParseError::new(secret, || format!("item {}: {e}", i + 1)))
        })
        .collect()
}

macro_rules! list_text {
    ($($ty:ident<T> $(: $($bound:path),+)?;)*) => {$(
        impl<T> Text for $ty<T>
        where
            T: FromStr + DeserializeOwned $($(+ $bound)+)?,
            T::Err: Display,
        {
            fn from_text(text: Zeroizing<String>, secret: bool) -> Result<Self, ParseError> {
                list(&text, secret).map_err(|e| e.with_value(text, secret))
            }
        }
    )*};
}

list_text! {
    Vec<T>;
    VecDeque<T>;
    HashSet<T>: Eq, Hash;
    BTreeSet<T>: Ord;
}

/// Level 1 of the dispatch: [`Text`] types.
pub trait ViaText<T> {
    /// Parses the text.
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError>;
}

impl<T: Text> ViaText<T> for &&Tag<T> {
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError> {
        T::from_text(text, secret)
    }
}

/// Level 2 of the dispatch: `FromStr`.
pub trait ViaFromStr<T> {
    /// Parses the text.
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError>;
}

impl<T> ViaFromStr<T> for &Tag<T>
where
    T: FromStr,
    T::Err: Display,
{
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError> {
        text.parse::<T>()
            .map_err(|e| ParseError::new(secret, || e.to_string()).with_value(text, secret))
    }
}

/// Level 3 of the dispatch: JSON through `serde::Deserialize`.
pub trait ViaJson<T> {
    /// Parses the text.
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError>;
}

impl<T: DeserializeOwned> ViaJson<T> for Tag<T> {
    fn parse_value(&self, text: Zeroizing<String>, secret: bool) -> Result<T, ParseError> {
        serde_json::from_str(&text).map_err(|e| {
            ParseError::new(secret, || format!("invalid JSON: {e}")).with_value(text, secret)
        })
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use super::*;

    fn text(s: &str) -> Zeroizing<String> {
        Zeroizing::new(s.to_owned())
    }

    #[test]
    fn dispatch_picks_the_most_specific_rule() {
        // String: taken as is, even when it looks like a number.
        let s: String = (&&&Tag::<String>::new())
            .parse_value(text("012345"), false)
            .unwrap();
        assert_eq!(s, "012345");
        // bool: the spellings.
        let b: bool = (&&&Tag::<bool>::new())
            .parse_value(text("YES"), false)
            .unwrap();
        assert!(b);
        // FromStr.
        let n: u16 = (&&&Tag::<u16>::new())
            .parse_value(text("5432"), false)
            .unwrap();
        assert_eq!(n, 5432);
        // Lists.
        let v: Vec<u8> = (&&&Tag::<Vec<u8>>::new())
            .parse_value(text("1, 2,3,"), false)
            .unwrap();
        assert_eq!(v, [1, 2, 3]);
        let v: Vec<String> = (&&&Tag::<Vec<String>>::new())
            .parse_value(text(r#"["a,b", "c"]"#), false)
            .unwrap();
        assert_eq!(v, ["a,b", "c"]);
        // JSON.
        #[derive(serde::Deserialize, PartialEq, Debug)]
        struct P {
            x: i32,
        }
        let p: P = (&&&Tag::<P>::new())
            .parse_value(text(r#"{"x": 3}"#), false)
            .unwrap();
        assert_eq!(p, P { x: 3 });
    }

    #[test]
    fn secret_errors_carry_no_detail() {
        let err = (&&&Tag::<u16>::new())
            .parse_value(text("canary"), true)
            .unwrap_err();
        assert!(err.detail.is_none());
        let err = (&&&Tag::<u16>::new())
            .parse_value(text("canary"), false)
            .unwrap_err();
        assert!(err.detail.is_some());
    }
}
