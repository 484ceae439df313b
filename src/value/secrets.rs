//! The secret values inside a loaded field, for the redactor: every string and byte
//! value, in every element of a list and every value of a map, chosen per field type by
//! autoref dispatch in the generated `__secrets`:
//!
//! A field whose type alone says whether it is secret is scanned with [`ScanTyped`]
//! (`(&&&&&ScanTyped(&self.field))`), the first level its type meets answering:
//!
//! 1. [`SecretValues`] ([`ScanDirect`]): `Secret`, `SecretBox` and the containers of them;
//! 2. `Serialize` and [`HoldsSecret`] ([`ScanSerialized`]): every string in its
//!    serialization, and the values of the `Secret`s inside it;
//! 3. [`Text`] or an `Option` of one ([`ScanText`]): settings text, which holds no
//!    secret its shape does not show: nothing, and nothing compiled;
//! 4. any other `Serialize` type ([`ScanFound`]: a user struct, a tuple, an enum, an
//!    `Arc`): the `Secret`s its serialization meets and, when it meets one, every string
//!    in it (the setting is secret, as it is for the load that made it);
//! 5. none of these: nothing to scrub.
//!
//! A `#[settings(secret)]` field is scanned with [`Scan`] (`(&&&&&Scan(&self.field))`),
//! scrubbed whole whatever traits its type has: 1. [`SecretValues`]; 2. any `Serialize`
//! type, every string in it; 3. any `Debug` type ([`ScanDebugged`]): every string literal
//! of its `Debug` text; 4. neither: nothing (no generic code can print such a value).

use std::collections::{BTreeMap, HashMap, VecDeque};

use secrecy::{ExposeSecret as _, SecretBox};
use zeroize::{Zeroize, Zeroizing};

use super::parse::{Text, wipe};
use super::shape::HoldsSecret;
use crate::secret::{self, Secret};

/// Types whose secret values can be handed over directly.
pub trait SecretValues {
    /// Calls `f` with each secret value's bytes.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: Zeroize + 'static> SecretValues for Secret<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        if let Some(bytes) = secret::bytes_of(self.expose_secret()) {
            f(bytes);
        }
    }
}

impl<T: Zeroize + AsRef<[u8]> + ?Sized> SecretValues for SecretBox<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        f(self.expose_secret().as_ref());
    }
}

impl<T: SecretValues> SecretValues for Option<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        if let Some(value) = self {
            value.secret_values(f);
        }
    }
}

impl<T: SecretValues + ?Sized> SecretValues for Box<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        (**self).secret_values(f);
    }
}

impl<T: SecretValues> SecretValues for [T] {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        for value in self {
            value.secret_values(f);
        }
    }
}

impl<T: SecretValues, const N: usize> SecretValues for [T; N] {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        self.as_slice().secret_values(f);
    }
}

impl<T: SecretValues> SecretValues for Vec<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        self.as_slice().secret_values(f);
    }
}

impl<T: SecretValues> SecretValues for VecDeque<T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        for value in self {
            value.secret_values(f);
        }
    }
}

impl<K, V: SecretValues> SecretValues for BTreeMap<K, V> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        for value in self.values() {
            value.secret_values(f);
        }
    }
}

impl<K, V: SecretValues, S> SecretValues for HashMap<K, V, S> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        for value in self.values() {
            value.secret_values(f);
        }
    }
}

/// The wrapper the dispatch is on, for a `#[settings(secret)]` field.
pub struct Scan<'a, T: ?Sized>(pub &'a T);

/// The wrapper the dispatch is on, for a field whose type alone says whether it is secret.
pub struct ScanTyped<'a, T: ?Sized>(pub &'a T);

/// Level 1: [`SecretValues`] types.
pub trait ScanDirect {
    /// Calls `f` with each secret value's bytes.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: SecretValues + ?Sized> ScanDirect for &&&&Scan<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        self.0.secret_values(f);
    }
}

impl<T: SecretValues + ?Sized> ScanDirect for &&&&ScanTyped<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        self.0.secret_values(f);
    }
}

/// Level 2: any `Serialize` type, through its serialization.
pub trait ScanSerialized {
    /// Calls `f` with each string in the value and each `Secret` inside it.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: serde_core::Serialize + ?Sized> ScanSerialized for &&&Scan<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        serialized(self.0, f, false);
    }
}

/// A type that holds a secret but has no [`SecretValues`] (a `SecretBox` of a
/// serializable type, say).
impl<T: serde_core::Serialize + HoldsSecret + ?Sized> ScanSerialized for &&&ScanTyped<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        serialized(self.0, f, false);
    }
}

/// Level 3 of [`ScanTyped`]: settings text holds no secret its shape does not show.
pub trait ScanText {
    /// Does nothing.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: Text> ScanText for &&ScanTyped<'_, T> {
    fn secret_values(&self, _: &mut dyn FnMut(&[u8])) {}
}

impl<T: Text> ScanText for &&ScanTyped<'_, Option<T>> {
    fn secret_values(&self, _: &mut dyn FnMut(&[u8])) {}
}

/// Level 4 of [`ScanTyped`]: a type the shape cannot see into (a user struct, a tuple,
/// an enum, an `Arc`), which may hold a `Secret` all the same.
pub trait ScanFound {
    /// Calls `f` with each `Secret` inside the value and, if there is one, each string.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: serde_core::Serialize + ?Sized> ScanFound for &ScanTyped<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        serialized(self.0, f, true);
    }
}

/// Level 3 of [`Scan`]: a `#[settings(secret)]` value that is not `Serialize`, through
/// its `Debug` text.
pub trait ScanDebugged {
    /// Calls `f` with each string literal of the value's `Debug` text.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: std::fmt::Debug + ?Sized> ScanDebugged for &&Scan<'_, T> {
    fn secret_values(&self, f: &mut dyn FnMut(&[u8])) {
        let mut text = Zeroizing::new(String::new());
        let inner = secret::collect(|| {
            // Writing into a `String` cannot fail; a `Debug` that does gives what it wrote.
            let _ = std::fmt::Write::write_fmt(&mut *text, format_args!("{:?}", self.0));
        });
        for bytes in &inner {
            f(bytes);
        }
        debug_strings(&text, f);
    }
}

/// Calls `f` with each string literal (`"..."`, escapes undone) of a `Debug` text.
fn debug_strings(text: &str, f: &mut dyn FnMut(&[u8])) {
    let mut chars = text.chars();
    let mut literal = Zeroizing::new(String::new());
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        literal.clear();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => literal.push('\n'),
                    Some('r') => literal.push('\r'),
                    Some('t') => literal.push('\t'),
                    Some('0') => literal.push('\0'),
                    Some('u') => {
                        let hex: String = chars
                            .by_ref()
                            .skip_while(|&c| c == '{')
                            .take_while(|&c| c != '}')
                            .collect();
                        if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                        {
                            literal.push(c);
                        }
                    }
                    Some(other) => literal.push(other),
                    None => break,
                },
                other => literal.push(other),
            }
        }
        f(literal.as_bytes());
    }
}

/// Every `Secret` the serialization of `value` meets, then every string in it (only if
/// it met a `Secret`, when `if_secret`).
fn serialized<T: serde_core::Serialize + ?Sized>(
    value: &T,
    f: &mut dyn FnMut(&[u8]),
    if_secret: bool,
) {
    let mut json = None;
    let inner = secret::collect(|| json = serde_json::to_value(value).ok());
    for bytes in &inner {
        f(bytes);
    }
    if let Some(mut json) = json {
        if !if_secret || !inner.is_empty() {
            visit_strings(&json, f);
        }
        wipe(&mut json);
    }
}

/// Level 3: nothing to hand over.
pub trait ScanNone {
    /// Does nothing.
    fn secret_values(&self, f: &mut dyn FnMut(&[u8]));
}

impl<T: ?Sized> ScanNone for Scan<'_, T> {
    fn secret_values(&self, _: &mut dyn FnMut(&[u8])) {}
}

impl<T: ?Sized> ScanNone for ScanTyped<'_, T> {
    fn secret_values(&self, _: &mut dyn FnMut(&[u8])) {}
}

/// Each string inside `text` when it is a JSON array or object (the values of a JSON
/// settings text), read into a tree that is wiped afterwards.
pub(crate) fn json_strings(text: &str, f: &mut dyn FnMut(&[u8])) {
    if !matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
        return;
    }
    if let Ok(mut json) = serde_json::from_str::<serde_json::Value>(text) {
        visit_strings(&json, f);
        wipe(&mut json);
    }
}

fn visit_strings(value: &serde_json::Value, f: &mut dyn FnMut(&[u8])) {
    match value {
        serde_json::Value::String(s) => f(s.as_bytes()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| visit_strings(v, f)),
        serde_json::Value::Object(map) => map.values().for_each(|v| visit_strings(v, f)),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use super::*;

    fn scan<T>(visit: impl FnOnce(&mut dyn FnMut(&[u8])), _: &T) -> Vec<String> {
        let mut out = Vec::new();
        visit(&mut |b: &[u8]| out.push(String::from_utf8_lossy(b).into_owned()));
        out
    }

    #[test]
    fn every_value_of_every_shape() {
        let list = vec![Secret::new("k1".to_owned()), Secret::new("k2".to_owned())];
        assert_eq!(
            scan(|f| (&&&&&Scan(&list)).secret_values(f), &list),
            ["k1", "k2"]
        );
        let map = BTreeMap::from([("a", Secret::new("v1".to_owned()))]);
        assert_eq!(scan(|f| (&&&&&Scan(&map)).secret_values(f), &map), ["v1"]);
        let bytes = Secret::new(vec![1u8, 2]);
        assert_eq!(
            scan(|f| (&&&&&Scan(&bytes)).secret_values(f), &bytes),
            ["\u{1}\u{2}"]
        );
        // A number is no text to scrub.
        let number = Some(Secret::new(123_456_789u64));
        assert!(scan(|f| (&&&&&Scan(&number)).secret_values(f), &number).is_empty());
        let boxed: SecretBox<str> = SecretBox::from("sbox");
        assert_eq!(
            scan(|f| (&&&&&Scan(&boxed)).secret_values(f), &boxed),
            ["sbox"]
        );
    }

    #[test]
    fn serialized_values_include_the_secrets_inside() {
        #[derive(serde::Serialize)]
        struct Creds {
            user: String,
            password: Secret<String>,
        }
        let creds = Creds {
            user: "svc-user".to_owned(),
            password: Secret::new("pw-canary".to_owned()),
        };
        let mut found = scan(|f| (&&&&&Scan(&creds)).secret_values(f), &creds);
        found.sort();
        assert_eq!(found, ["pw-canary", "svc-user"]);
        // Outside the scan, the secret is redacted again.
        assert!(!serde_json::to_string(&creds).unwrap().contains("pw-canary"));
    }

    #[test]
    fn a_typed_scan_skips_types_that_hold_no_secret() {
        let plain = String::from("not-a-secret");
        assert!(scan(|f| (&&&&&ScanTyped(&plain)).secret_values(f), &plain).is_empty());
        let creds = vec![String::from("svc-user")];
        assert!(scan(|f| (&&&&&ScanTyped(&creds)).secret_values(f), &creds).is_empty());
        let list = vec![Secret::new("k1".to_owned())];
        assert_eq!(
            scan(|f| (&&&&&ScanTyped(&list)).secret_values(f), &list),
            ["k1"]
        );
        let boxed: SecretBox<str> = SecretBox::from("sbox");
        assert_eq!(
            scan(|f| (&&&&&ScanTyped(&boxed)).secret_values(f), &boxed),
            ["sbox"]
        );
        let maybe = Some(String::from("not-a-secret"));
        assert!(scan(|f| (&&&&&ScanTyped(&maybe)).secret_values(f), &maybe).is_empty());
    }

    #[test]
    fn a_typed_scan_finds_secrets_its_shape_cannot_see() {
        #[derive(serde::Serialize)]
        struct Creds {
            user: String,
            key: Secret<String>,
        }
        #[derive(serde::Serialize)]
        struct Plain {
            user: String,
        }
        let creds = (Creds {
            user: "svc-user".to_owned(),
            key: Secret::new("key-canary-1".to_owned()),
        },);
        let mut found = scan(|f| (&&&&&ScanTyped(&creds)).secret_values(f), &creds);
        found.sort();
        assert_eq!(found, ["key-canary-1", "svc-user"]);
        let plain = Plain {
            user: "svc-user".to_owned(),
        };
        assert!(scan(|f| (&&&&&ScanTyped(&plain)).secret_values(f), &plain).is_empty());
    }

    #[test]
    fn a_forced_scan_reads_debug_when_there_is_no_serialize() {
        #[derive(Debug)]
        #[allow(dead_code)] // reason: read through Debug only
        struct Creds {
            user: String,
            key: String,
            tags: Vec<&'static str>,
        }
        let creds = Creds {
            user: "svc-user".to_owned(),
            key: "k\"ey\n-canary".to_owned(),
            tags: vec!["t\u{1b}1"],
        };
        let found = scan(|f| (&&&&&Scan(&creds)).secret_values(f), &creds);
        assert_eq!(found, ["svc-user", "k\"ey\n-canary", "t\u{1b}1"]);
    }
}
