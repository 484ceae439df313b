//! `#[validate(...)]` rules: validator's checks, wrapped to say
//! what is wrong in words built from the rule and its bounds only.
//!
//! validator's own error text is never used: it puts the checked value in
//! `ValidationError::params` and prints it. Each wrapper returns the problem text when
//! the rule fails; the text names bounds, patterns and units, never the value, so the
//! same code serves plain and secret fields. The traits are implemented for the types a
//! setting can have, one impl per type, so that a rule on a type that cannot take it is
//! a compile error saying so (`#[diagnostic::on_unimplemented]`).
//!
//! The checks are validator's: `email` and `url` call validator (feature `url`); the
//! others are the same one-line tests written here, so that they need no feature. A
//! rule whose feature is off finds its trait with no implementation, and the error says
//! which feature to enable.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::{Display, Write as _};
use std::hash::BuildHasher;

use crate::validation_error::ValidationError;

/// validator's range test: a bound that does not compare (NaN) does not fail
/// `min`/`max`, and fails `exclusive_min`/`exclusive_max`.
fn in_range<T: PartialOrd>(
    value: &T,
    min: Option<&T>,
    max: Option<&T>,
    exclusive_min: Option<&T>,
    exclusive_max: Option<&T>,
) -> bool {
    let is = |bound: Option<&T>, order: Ordering| {
        bound.is_none_or(|b| value.partial_cmp(b) == Some(order))
    };
    let is_not = |bound: Option<&T>, order: Ordering| {
        bound.is_none_or(|b| value.partial_cmp(b) != Some(order))
    };
    is_not(max, Ordering::Greater)
        && is_not(min, Ordering::Less)
        && is(exclusive_max, Ordering::Less)
        && is(exclusive_min, Ordering::Greater)
}

/// validator's length test: `equal` alone decides when given.
fn length_ok(length: u64, min: Option<u64>, max: Option<u64>, equal: Option<u64>) -> bool {
    match equal {
        Some(n) => length == n,
        None => min.is_none_or(|m| length >= m) && max.is_none_or(|m| length <= m),
    }
}

/// A rule as written: its name and its `code = "..."` and `message = "..."`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The rule's name (`length`), the default code.
    pub name: &'static str,
    /// `code = "..."`.
    pub code: Option<&'static str>,
    /// `message = "..."`: replaces the generated text.
    pub message: Option<&'static str>,
}

/// `range(min, max, exclusive_min, exclusive_max)`.
#[diagnostic::on_unimplemented(
    message = "`range` needs a number; `{Self}` is not one",
    label = "`range` applies to integer and float fields"
)]
pub trait RangeRule {
    /// The bounds' type: the field's own. An associated type, not `Self`, so that a
    /// `range` on a type without this trait reports that alone, not each bound too.
    type Bound;

    /// The problem text when the value is out of range.
    fn check_range(
        &self,
        min: Option<Self::Bound>,
        max: Option<Self::Bound>,
        exclusive_min: Option<Self::Bound>,
        exclusive_max: Option<Self::Bound>,
    ) -> Option<String>;
}

macro_rules! range_rule {
    ($($ty:ty)*) => {$(
        impl RangeRule for $ty {
            type Bound = $ty;

            fn check_range(
                &self,
                min: Option<Self>,
                max: Option<Self>,
                exclusive_min: Option<Self>,
                exclusive_max: Option<Self>,
            ) -> Option<String> {
                if in_range(
                    self,
                    min.as_ref(),
                    max.as_ref(),
                    exclusive_min.as_ref(),
                    exclusive_max.as_ref(),
                ) {
                    None
                } else {
                    Some(range_text(
                        min.as_ref().map(|v| v as &dyn Display),
                        max.as_ref().map(|v| v as &dyn Display),
                        exclusive_min.as_ref().map(|v| v as &dyn Display),
                        exclusive_max.as_ref().map(|v| v as &dyn Display),
                    ))
                }
            }
        }
    )*};
}

range_rule!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64);

fn range_text(
    min: Option<&dyn Display>,
    max: Option<&dyn Display>,
    exclusive_min: Option<&dyn Display>,
    exclusive_max: Option<&dyn Display>,
) -> String {
    crate::error::rule::range(min, max, exclusive_min, exclusive_max)
}

/// `length(min, max, equal)`.
#[diagnostic::on_unimplemented(
    message = "`length` needs a string or a collection; `{Self}` is neither",
    label = "`length` applies to `String`, `Vec`, sets and maps"
)]
pub trait LengthRule {
    /// The problem text when the length is wrong.
    fn check_length(
        &self,
        min: Option<u64>,
        max: Option<u64>,
        equal: Option<u64>,
    ) -> Option<String>;
}

/// The words a length is counted in: `(verb, singular, plural)`.
type Unit = (&'static str, &'static str, &'static str);
const CHARACTERS: Unit = ("be", "character", "characters");
const ITEMS: Unit = ("have", "item", "items");

macro_rules! length_rule {
    ($unit:ident, $len:expr; $($ty:ty $([$($generic:tt)*])?),*) => {$(
        impl $(<$($generic)*>)? LengthRule for $ty {
            fn check_length(
                &self,
                min: Option<u64>,
                max: Option<u64>,
                equal: Option<u64>,
            ) -> Option<String> {
                if length_ok(($len)(self) as u64, min, max, equal) {
                    None
                } else {
                    Some(length_text($unit, min, max, equal))
                }
            }
        }
    )*};
}

// Characters, as validator counts a string's length; items for collections.
length_rule!(CHARACTERS, |s: &Self| s.chars().count(); String, str);
length_rule!(ITEMS, |c: &Self| c.len(); Vec<T> [T], VecDeque<T> [T], BTreeSet<T> [T], HashSet<T, S> [T, S],
    BTreeMap<K, V> [K, V], HashMap<K, V, S> [K, V, S]);

fn length_text(unit: Unit, min: Option<u64>, max: Option<u64>, equal: Option<u64>) -> String {
    crate::error::rule::length(unit, min, max, equal)
}

/// The traits of the rules that need a feature: with it, implemented for strings;
/// without it, for no type, and the error on the rule names the feature.
macro_rules! feature_rules {
    ($(
        $(#[doc = $doc:tt])*
        pub trait $rule:ident { $($body:tt)* }
        with $feature:tt: $message:tt, $label:tt;
        without: $off_message:tt, $off_label:tt, $note:tt;
    )*) => {$(
        $(#[doc = $doc])*
        #[cfg_attr(
            feature = $feature,
            diagnostic::on_unimplemented(message = $message, label = $label)
        )]
        #[cfg_attr(
            not(feature = $feature),
            diagnostic::on_unimplemented(message = $off_message, label = $off_label, note = $note)
        )]
        pub trait $rule { $($body)* }
    )*};
}

feature_rules! {
    /// `email`.
    pub trait EmailRule {
        /// The problem text when the value is not an email address.
        fn check_email(&self) -> Option<String>;
    }
    with "url": "`email` needs a string; `{Self}` is not one",
        "`email` applies to `String`, `Secret<String>` and `SecretString` fields";
    without: "the `email` rule needs confidant's `url` feature",
        "`email` is checked only with the `url` feature",
        "`url` is a default feature: remove `default-features = false` from the `confidant` dependency, or add `features = [\"url\"]`";

    /// `url`.
    pub trait UrlRule {
        /// The problem text when the value is not a URL.
        fn check_url(&self) -> Option<String>;
    }
    with "url": "`url` needs a string; `{Self}` is not one",
        "`url` applies to `String`, `Secret<String>` and `SecretString` fields";
    without: "the `url` rule needs confidant's `url` feature",
        "`url` is checked only with the `url` feature",
        "`url` is a default feature: remove `default-features = false` from the `confidant` dependency, or add `features = [\"url\"]`";

    /// `regex(path = ...)`.
    pub trait RegexRule {
        /// The problem text when the value does not match.
        #[cfg(feature = "regex")]
        fn check_regex(&self, regex: impl AsRegex) -> Option<String>;

        /// Never called: no type has this trait without the `regex` feature.
        #[cfg(not(feature = "regex"))]
        fn check_regex<R>(&self, regex: R) -> Option<String>;
    }
    with "regex": "`regex` needs a string; `{Self}` is not one",
        "`regex` applies to `String`, `Secret<String>` and `SecretString` fields";
    without: "the `regex` rule needs confidant's `regex` feature",
        "`regex` is checked only with the `regex` feature",
        "`regex` is a default feature: remove `default-features = false` from the `confidant` dependency, or add `features = [\"regex\"]`";
}

// The string rules are written for `str` (what secrecy's `SecretString`, a
// `SecretBox<str>`, holds) and `String` hands them its `str`.
#[cfg(feature = "url")]
impl EmailRule for str {
    fn check_email(&self) -> Option<String> {
        (!<&str as validator::ValidateEmail>::validate_email(&self))
            .then(|| crate::error::rule::EMAIL.to_owned())
    }
}

#[cfg(feature = "url")]
impl EmailRule for String {
    fn check_email(&self) -> Option<String> {
        self.as_str().check_email()
    }
}

#[cfg(feature = "url")]
impl UrlRule for str {
    fn check_url(&self) -> Option<String> {
        (!<&str as validator::ValidateUrl>::validate_url(&self))
            .then(|| crate::error::rule::URL.to_owned())
    }
}

#[cfg(feature = "url")]
impl UrlRule for String {
    fn check_url(&self) -> Option<String> {
        self.as_str().check_url()
    }
}

#[cfg(feature = "regex")]
impl RegexRule for str {
    fn check_regex(&self, regex: impl AsRegex) -> Option<String> {
        let regex = regex.as_regex();
        (!regex.is_match(self)).then(|| crate::error::rule::pattern(regex.as_str()))
    }
}

#[cfg(feature = "regex")]
impl RegexRule for String {
    fn check_regex(&self, regex: impl AsRegex) -> Option<String> {
        self.as_str().check_regex(regex)
    }
}

/// What `regex(path = ...)` accepts: validator's `AsRegex`, for the same types.
#[cfg(feature = "regex")]
pub trait AsRegex {
    /// The regex.
    fn as_regex(&self) -> std::borrow::Cow<'_, regex::Regex>;
}

#[cfg(feature = "regex")]
mod as_regex {
    use std::borrow::Cow;
    use std::cell::OnceCell;
    use std::sync::{Arc, LazyLock, Mutex, OnceLock};

    use regex::Regex;

    use super::AsRegex;

    impl AsRegex for Regex {
        fn as_regex(&self) -> Cow<'_, Regex> {
            Cow::Borrowed(self)
        }
    }

    impl<T: AsRegex> AsRegex for &T {
        fn as_regex(&self) -> Cow<'_, Regex> {
            T::as_regex(self)
        }
    }

    impl AsRegex for LazyLock<Regex> {
        fn as_regex(&self) -> Cow<'_, Regex> {
            Cow::Borrowed(self)
        }
    }

    impl AsRegex for &OnceLock<Regex> {
        fn as_regex(&self) -> Cow<'_, Regex> {
            Cow::Borrowed(
                self.get()
                    .expect("the regex's OnceLock is set before loading"),
            )
        }
    }

    /// A regex in a cell behind a lock: cloned out, as validator does.
    macro_rules! locked {
        ($($ty:ty),*) => {$(
            impl AsRegex for &$ty {
                fn as_regex(&self) -> Cow<'_, Regex> {
                    let cell = self.lock().unwrap_or_else(|e| e.into_inner());
                    Cow::Owned(cell.get().expect("the regex's cell is set before loading").clone())
                }
            }
        )*};
    }

    locked!(
        Mutex<OnceCell<Regex>>,
        Mutex<OnceLock<Regex>>,
        Arc<Mutex<OnceCell<Regex>>>,
        Arc<Mutex<OnceLock<Regex>>>
    );
}

/// `contains(pattern = "...")` and `does_not_contain(pattern = "...")`.
#[diagnostic::on_unimplemented(
    message = "`contains` and `does_not_contain` need a string or a map with `String` keys; `{Self}` is neither",
    label = "`contains` applies to `String`, `Secret<String>`, `SecretString` and `HashMap<String, _>` fields"
)]
pub trait ContainsRule {
    /// The problem text when the pattern is missing.
    fn check_contains(&self, pattern: &str) -> Option<String>;
    /// The problem text when the pattern is present.
    fn check_does_not_contain(&self, pattern: &str) -> Option<String>;
}

impl ContainsRule for str {
    fn check_contains(&self, pattern: &str) -> Option<String> {
        (!self.contains(pattern)).then(|| crate::error::rule::contains(pattern))
    }

    fn check_does_not_contain(&self, pattern: &str) -> Option<String> {
        self.contains(pattern)
            .then(|| crate::error::rule::does_not_contain(pattern))
    }
}

impl ContainsRule for String {
    fn check_contains(&self, pattern: &str) -> Option<String> {
        self.as_str().check_contains(pattern)
    }

    fn check_does_not_contain(&self, pattern: &str) -> Option<String> {
        self.as_str().check_does_not_contain(pattern)
    }
}

impl<V, S: BuildHasher> ContainsRule for HashMap<String, V, S> {
    fn check_contains(&self, pattern: &str) -> Option<String> {
        (!self.contains_key(pattern)).then(|| crate::error::rule::has_key(pattern))
    }

    fn check_does_not_contain(&self, pattern: &str) -> Option<String> {
        self.contains_key(pattern)
            .then(|| crate::error::rule::has_no_key(pattern))
    }
}

/// `must_match(other = "field")`: the two values, as the rules see them.
#[diagnostic::on_unimplemented(
    message = "`must_match` needs values that compare with `Eq`; `{Self}` does not",
    label = "`must_match` compares two fields of the same type"
)]
pub trait MustMatchRule {
    /// Whether the two values are equal.
    fn must_match(self, other: Self) -> bool;
}

impl<T: Eq> MustMatchRule for T {
    fn must_match(self, other: Self) -> bool {
        self == other
    }
}

/// The problem text of a `custom` or `schema` function's error: its message, else its
/// code. Never its params: validator puts values there.
pub(crate) fn error_text(function: &str, error: &ValidationError) -> String {
    match &error.message {
        Some(message) => message.clone().into_owned(),
        None => {
            let mut text = crate::error::rule::failed_check(function);
            if !error.code.is_empty() {
                let _ = write!(text, ": {}", error.code);
            }
            text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_names_its_bounds() {
        assert_eq!(
            5u16.check_range(Some(1), Some(4), None, None).unwrap(),
            "must be between 1 and 4"
        );
        assert_eq!(
            0u16.check_range(Some(1), None, None, None).unwrap(),
            "must be at least 1"
        );
        assert_eq!(
            2.5f64.check_range(None, None, None, Some(2.0)).unwrap(),
            "must be less than 2"
        );
        assert_eq!(
            0i32.check_range(None, Some(9), Some(0), None).unwrap(),
            "must be greater than 0 and at most 9"
        );
        assert_eq!(3u16.check_range(Some(1), Some(4), None, None), None);
    }

    #[test]
    fn length_counts_characters_or_items() {
        let s = String::from("héllo");
        assert_eq!(s.check_length(Some(5), None, None), None);
        assert_eq!(
            s.check_length(Some(6), None, None).unwrap(),
            "must be at least 6 characters"
        );
        assert_eq!(
            s.check_length(None, None, Some(1)).unwrap(),
            "must be exactly 1 character"
        );
        let v = vec![1, 2, 3];
        assert_eq!(
            v.check_length(Some(1), Some(2), None).unwrap(),
            "must have between 1 and 2 items"
        );
    }

    #[test]
    fn custom_errors_never_show_params() {
        let mut error = ValidationError::new("too_weak");
        error.add_param("value".into(), &"canary-9f3e");
        let text = error_text("check_key", &error);
        assert_eq!(text, "failed the check `check_key`: too_weak");
        let error = error.with_message("must be stronger".into());
        assert_eq!(error_text("check_key", &error), "must be stronger");
    }
}

// A secret field whose type the derive cannot see as `Secret` (a type alias) reaches
// the rules as `Secret<T>`: each rule looks at the exposed value, and its text never
// names the value. Not recommended in diagnostics: a misused rule names the types a
// person writes.
// secrecy's own `SecretBox<T>` (and `SecretString`, a `SecretBox<str>`) is seen
// through the same way: the derive hands the rule the field as it is.
macro_rules! through_secret {
    ($($rule:ident { $($body:tt)* })*) => {$(
        #[diagnostic::do_not_recommend]
        impl<T: $rule + zeroize::Zeroize> $rule for crate::secret::Secret<T> { $($body)* }
        #[diagnostic::do_not_recommend]
        impl<T: $rule + zeroize::Zeroize + ?Sized> $rule for secrecy::SecretBox<T> { $($body)* }
    )*};
}

use secrecy::ExposeSecret as _;

through_secret! {
    LengthRule {
        fn check_length(&self, min: Option<u64>, max: Option<u64>, equal: Option<u64>) -> Option<String> {
            self.expose_secret().check_length(min, max, equal)
        }
    }
    ContainsRule {
        fn check_contains(&self, pattern: &str) -> Option<String> {
            self.expose_secret().check_contains(pattern)
        }
        fn check_does_not_contain(&self, pattern: &str) -> Option<String> {
            self.expose_secret().check_does_not_contain(pattern)
        }
    }
}

#[cfg(feature = "url")]
through_secret! {
    EmailRule {
        fn check_email(&self) -> Option<String> {
            self.expose_secret().check_email()
        }
    }
    UrlRule {
        fn check_url(&self) -> Option<String> {
            self.expose_secret().check_url()
        }
    }
}

#[cfg(feature = "regex")]
through_secret! {
    RegexRule {
        fn check_regex(&self, regex: impl AsRegex) -> Option<String> {
            self.expose_secret().check_regex(regex)
        }
    }
}

#[diagnostic::do_not_recommend]
impl<T: RangeRule + zeroize::Zeroize> RangeRule for crate::secret::Secret<T> {
    type Bound = T::Bound;

    fn check_range(
        &self,
        min: Option<Self::Bound>,
        max: Option<Self::Bound>,
        exclusive_min: Option<Self::Bound>,
        exclusive_max: Option<Self::Bound>,
    ) -> Option<String> {
        self.expose_secret()
            .check_range(min, max, exclusive_min, exclusive_max)
    }
}
