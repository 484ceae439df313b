//! The dispatch of the generated code: `(&&&&&&&&&Tag::<T>::NEW).parse_value()` hands
//! back how leaves of type `T` are parsed and built ([`Steps`]), the first level whose
//! bounds `T` meets answering (autoref dispatch):
//!
//! 0. [`CommonSteps`]: the types settings use most (`String`, `bool`, `u16`, `u32`,
//!    `u64`, `usize`, `i32`, `i64`, `f64`), whose steps are compiled here, once;
//! 1. [`Bytes`]: secrets of raw bytes (`Secret<Vec<u8>>`);
//! 2. [`Text`]: types with rules of their own (see `value/parse.rs`);
//! 3. `Secret<T>` of any other `FromStr` type;
//! 4. lists and sets of any other `FromStr` type;
//! 5. `FromStr`: every other scalar;
//! 6. `serde::Deserialize`: JSON;
//! 7. none of these: a compile error that names the fix, in one line (a struct deriving
//!    `Settings` wants `#[settings(nested)]`, a set of secrets `Vec`, any other type
//!    `FromStr` or `Deserialize`): see [`ViaHint`] and [`Unreadable`].
//!
//! The parsers are the value layer's (`value/parse.rs`); this module only picks them
//! and pairs them with the build steps, which is why it sits with the build.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Display;
use std::marker::PhantomData;
use std::str::FromStr;

use secrecy::SecretBox;
use serde_core::de::DeserializeOwned;
use zeroize::Zeroize;

use super::Steps;
use crate::secret::Secret;
use crate::value::parse::{
    Bytes, List, Text, parse_bytes, parse_from_str, parse_json, parse_list, parse_secret_from_str,
};

/// The type tag autoref dispatch is on.
pub struct Tag<T>(PhantomData<fn() -> T>);

impl<T> Tag<T> {
    /// The tag for `T`, as a constant: the generated `&&&&&&&&&Tag::<T>::NEW` is promoted to
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

/// Level 0 of the dispatch: the types settings use most, whose steps are functions
/// compiled here: an optimized build shares no generic code between crates, and these
/// instances were a quarter of the code a release build compiled for the derive's
/// expansion (docs/performance.md, "Compile time"). The twin of
/// [`CommonText`](crate::__private::CommonText) for parsing.
pub trait CommonSteps: Text {
    /// The steps, compiled in confidant.
    fn steps() -> Steps<Self>;
}

macro_rules! common_steps {
    ($($ty:ty),*) => {$(
        impl CommonSteps for $ty {
            #[inline(never)]
            fn steps() -> Steps<Self> {
                Steps::text()
            }
        }
    )*};
}

common_steps!(String, bool, u16, u32, u64, usize, i32, i64, f64);

/// Level 0 of the dispatch: [`CommonSteps`].
pub trait ViaCommon<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: CommonSteps> ViaCommon<T> for &&&&&&&&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        T::steps()
    }
}

// Each level hands back a generic function, not a parse: the generated code asks
// `(&&&&&&&&&Tag::<T>::new()).parse_value()` once per field and passes the function on, so
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

/// Level 2 of the dispatch: [`Text`] types.
pub trait ViaText<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T: Text> ViaText<T> for &&&&&&Tag<T> {
    fn parse_value(&self) -> Steps<T> {
        Steps::text()
    }
}

/// Level 3 of the dispatch: a `Secret` of any other `FromStr` type.
pub trait ViaSecretFromStr<T> {
    /// How leaves of type `T` are parsed and built.
    fn parse_value(&self) -> Steps<T>;
}

impl<T> ViaSecretFromStr<Secret<T>> for &&&&&Tag<Secret<T>>
where
    T: FromStr + Zeroize + 'static,
    T::Err: Display,
{
    fn parse_value(&self) -> Steps<Secret<T>> {
        Steps::new(parse_secret_from_str::<T>)
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
    use std::collections::BTreeMap;

    use secrecy::ExposeSecret as _;
    use zeroize::Zeroizing;

    use super::*;
    use crate::value::parse::Input;

    fn text(s: &str) -> Input {
        Input::Text(Zeroizing::new(s.to_owned()))
    }

    macro_rules! parse {
        ($ty:ty, $input:expr, $secret:expr) => {
            ((&&&&&&&&&Tag::<$ty>::new()).parse_value().parse)($input, $secret)
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
