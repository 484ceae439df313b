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

    #[test]
    fn bytes_only_for_secret_byte_buffers() {
        assert!(shape!(Secret<Vec<u8>>).bytes);
        assert!(shape!(secrecy::SecretBox<[u8]>).bytes);
        assert!(!shape!(Vec<u8>).bytes);
        assert!(!shape!(Secret<String>).bytes);
        assert!(!shape!(Vec<Secret<Vec<u8>>>).bytes);
    }
}
