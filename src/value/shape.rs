//! What a field's type says about it, decided from the type itself, never from how it
//! is spelled: the derive cannot see through `type ApiKey = Secret<String>;`, the
//! compiler can. The generated `META` holds `shape_of(&|| (&&&Probe::<T>::new()).shape())`
//! for each leaf type `T` (autoref dispatch: the first level whose bounds `T` meets
//! answers, with a marker type). The closure is never called: only its return type is
//! read, at compile time, so the shape is a constant and no code is generated for it.
//!
//! A type holds a secret when it is a [`Secret`], a secrecy `SecretBox` (`SecretString`
//! too), or an `Option`, `Vec`, `VecDeque`, `Box`, array or slice of such a type, or a
//! map whose values are, at any depth.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::marker::PhantomData;

use secrecy::SecretBox;
use zeroize::Zeroize;

use crate::meta::Shape;
use crate::secret::Secret;

/// Types that hold a secret somewhere inside.
pub trait HoldsSecret {}

impl<T: Zeroize> HoldsSecret for Secret<T> {}
impl<T: Zeroize + ?Sized> HoldsSecret for SecretBox<T> {}
impl<T: HoldsSecret> HoldsSecret for Option<T> {}
impl<T: HoldsSecret> HoldsSecret for Vec<T> {}
impl<T: HoldsSecret> HoldsSecret for VecDeque<T> {}
impl<T: HoldsSecret + ?Sized> HoldsSecret for Box<T> {}
impl<T: HoldsSecret, const N: usize> HoldsSecret for [T; N] {}
impl<T: HoldsSecret> HoldsSecret for [T] {}
impl<K, V: HoldsSecret> HoldsSecret for BTreeMap<K, V> {}
impl<K, V: HoldsSecret, S> HoldsSecret for HashMap<K, V, S> {}

/// Secrets of raw bytes: read from files byte for byte.
pub trait SecretOfBytes {}

impl SecretOfBytes for Secret<Vec<u8>> {}
impl SecretOfBytes for SecretBox<Vec<u8>> {}
impl SecretOfBytes for SecretBox<[u8]> {}

/// The type tag the shape is asked of.
pub struct Probe<T: ?Sized>(PhantomData<fn() -> Box<T>>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    #[must_use]
    pub const fn new() -> Self {
        Probe(PhantomData)
    }
}

impl<T: ?Sized> Default for Probe<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// A shape known from a type: what a dispatch level answers.
pub trait ShapeKind {
    /// The shape.
    const SHAPE: Shape;
}

/// The answer of level 1: a secret of bytes.
pub struct BytesShape;

impl ShapeKind for BytesShape {
    const SHAPE: Shape = Shape {
        secret: true,
        bytes: true,
    };
}

/// The answer of level 2: a type that holds a secret.
pub struct SecretShape;

impl ShapeKind for SecretShape {
    const SHAPE: Shape = Shape {
        secret: true,
        bytes: false,
    };
}

/// The answer of level 3: any other type.
pub struct PlainShape;

impl ShapeKind for PlainShape {
    const SHAPE: Shape = Shape::PLAIN;
}

/// The shape the dispatch in `probe` answers, read from its return type; `probe` is
/// never called.
pub const fn shape_of<K: ShapeKind>(probe: &impl Fn() -> K) -> Shape {
    let _ = probe;
    K::SHAPE
}

/// Level 1: a secret of bytes.
pub trait ShapeOfBytes {
    /// The shape, as a type.
    fn shape(&self) -> BytesShape;
}

impl<T: SecretOfBytes + ?Sized> ShapeOfBytes for &&Probe<T> {
    fn shape(&self) -> BytesShape {
        BytesShape
    }
}

/// Level 2: a type that holds a secret.
pub trait ShapeOfSecret {
    /// The shape, as a type.
    fn shape(&self) -> SecretShape;
}

impl<T: HoldsSecret + ?Sized> ShapeOfSecret for &Probe<T> {
    fn shape(&self) -> SecretShape {
        SecretShape
    }
}

/// Level 3: any other type.
pub trait ShapeOfPlain {
    /// The shape, as a type.
    fn shape(&self) -> PlainShape;
}

impl<T: ?Sized> ShapeOfPlain for Probe<T> {
    fn shape(&self) -> PlainShape {
        PlainShape
    }
}

/// Types whose `Debug` prints their value: `#[settings(secret)]` on one is a compile
/// error (the settings struct's `{:?}` would print the secret), which says to use
/// `Secret<...>`. Asked of the type, never of its spelling (`type Password = String;`).
pub trait ShowsValue {}

macro_rules! shows_value {
    ($($ty:ty),* $(,)?) => { $(impl ShowsValue for $ty {})* };
}

shows_value!(
    String,
    str,
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    std::path::PathBuf,
    std::path::Path,
    std::ffi::OsString,
    std::ffi::OsStr,
);
impl<T: ShowsValue + ?Sized> ShowsValue for &T {}
impl<T: ShowsValue + ?Sized> ShowsValue for Box<T> {}
impl<T: ShowsValue> ShowsValue for Option<T> {}
impl<T: ShowsValue> ShowsValue for Vec<T> {}
impl<T: ShowsValue> ShowsValue for VecDeque<T> {}
impl<T: ShowsValue, const N: usize> ShowsValue for [T; N] {}
impl<K, V: ShowsValue> ShowsValue for BTreeMap<K, V> {}
impl<K, V: ShowsValue, S> ShowsValue for HashMap<K, V, S> {}

/// A yes-or-no answer of a dispatch, as a type (see [`verdict`]).
pub trait Verdict {
    /// The answer.
    const YES: bool;
}

/// "Yes".
pub struct Yes;

impl Verdict for Yes {
    const YES: bool = true;
}

/// "No".
pub struct No;

impl Verdict for No {
    const YES: bool = false;
}

/// The answer the dispatch in `probe` gives, read from its return type; `probe` is never
/// called.
pub const fn verdict<K: Verdict>(probe: &impl Fn() -> K) -> bool {
    let _ = probe;
    K::YES
}

/// Level 1 of "does `Debug` show the value": yes, for a [`ShowsValue`] type.
pub trait DebugShows {
    /// The answer, as a type.
    fn debug_shows(&self) -> Yes;
}

impl<T: ShowsValue + ?Sized> DebugShows for &Probe<T> {
    fn debug_shows(&self) -> Yes {
        Yes
    }
}

/// Level 2 of "does `Debug` show the value": any other type (a `Secret`, a user type).
pub trait DebugHides {
    /// The answer, as a type.
    fn debug_shows(&self) -> No;
}

impl<T: ?Sized> DebugHides for Probe<T> {
    fn debug_shows(&self) -> No {
        No
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use super::*;

    macro_rules! shape {
        ($ty:ty) => {{ shape_of(&|| (&&&Probe::<$ty>::new()).shape()) }};
    }

    type ApiKey = Secret<String>;
    type Keys = Vec<ApiKey>;

    #[test]
    fn secret_follows_the_type() {
        assert!(shape!(Secret<String>).secret);
        assert!(shape!(ApiKey).secret);
        assert!(shape!(Keys).secret);
        assert!(shape!(Option<Vec<Secret<String>>>).secret);
        assert!(shape!(BTreeMap<String, Secret<String>>).secret);
        assert!(shape!(HashMap<String, Box<[Secret<u32>; 2]>>).secret);
        assert!(shape!(VecDeque<Option<secrecy::SecretString>>).secret);
        assert!(shape!(Secret<u32>).secret);
        assert!(!shape!(String).secret);
        assert!(!shape!(Vec<String>).secret);
        assert!(!shape!(BTreeMap<String, u8>).secret);
        assert!(!shape!(Option<u16>).secret);
    }

    macro_rules! debug_shows {
        ($ty:ty) => {{ verdict(&|| (&&Probe::<$ty>::new()).debug_shows()) }};
    }

    #[test]
    fn debug_shows_the_value_follows_the_type() {
        type Password = String;
        assert!(debug_shows!(Password));
        assert!(debug_shows!(u16));
        assert!(debug_shows!(Option<std::path::PathBuf>));
        assert!(debug_shows!(Vec<u8>));
        assert!(debug_shows!(str));
        assert!(!debug_shows!(Secret<String>));
        assert!(!debug_shows!(ApiKey));
        assert!(!debug_shows!(Option<Secret<u16>>));
        assert!(!debug_shows!(Vec<Secret<String>>));
        assert!(!debug_shows!(std::net::IpAddr));
    }

    #[test]
    fn bytes_only_for_secret_byte_buffers() {
        assert!(shape!(Secret<Vec<u8>>).bytes);
        assert!(shape!(secrecy::SecretBox<[u8]>).bytes);
        assert!(!shape!(Vec<u8>).bytes);
        assert!(!shape!(Secret<String>).bytes);
        assert!(!shape!(Vec<Secret<Vec<u8>>>).bytes);
    }
}
