//! A loaded leaf value back to settings text, for `child_env`, chosen per field type by
//! autoref specialization in the generated `__texts`
//! (`(&&&&&Show(value)).write_text(out)`):
//!
//! 0. secrecy's `SecretString`: its exposed text;
//! 1. `AsRef<str>` (`String`): copied into the output buffer, which is reserved first so
//!    no partial copy is left behind by a reallocation;
//! 2. `Display`: numbers, `bool`, addresses, ...;
//! 3. `serde::Serialize`: JSON (a JSON string is unquoted: a `PathBuf` gives its path),
//!    which the loader reads back (lists as JSON arrays, other types as JSON);
//! 4. none of these: the value has no text form.

use std::fmt::{Display, Write as _};

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

/// A leaf's value: writes its text into the buffer.
pub type LeafText<'a> = &'a dyn Fn(&mut String) -> TextOutcome;

/// The wrapper autoref specialization dispatches on.
pub struct Show<'a, T: ?Sized>(pub &'a T);

/// Level 0: secrecy's `SecretBox` of a string (`SecretString`), which has no
/// `Serialize`: its exposed text.
pub trait TextViaExposed {
    /// Writes the text.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

impl<T: AsRef<str> + zeroize::Zeroize + ?Sized> TextViaExposed
    for &&&&Show<'_, secrecy::SecretBox<T>>
{
    fn write_text(&self, out: &mut String) -> TextOutcome {
        let text = secrecy::ExposeSecret::expose_secret(self.0).as_ref();
        out.reserve_exact(text.len());
        out.push_str(text);
        TextOutcome::Text
    }
}

/// Level 1: string-like values.
pub trait TextViaStr {
    /// Writes the text.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

impl<T: AsRef<str> + ?Sized> TextViaStr for &&&Show<'_, T> {
    fn write_text(&self, out: &mut String) -> TextOutcome {
        let text = self.0.as_ref();
        out.reserve_exact(text.len());
        out.push_str(text);
        TextOutcome::Text
    }
}

/// Level 2: `Display`.
pub trait TextViaDisplay {
    /// Writes the text.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

impl<T: Display + ?Sized> TextViaDisplay for &&Show<'_, T> {
    fn write_text(&self, out: &mut String) -> TextOutcome {
        out.reserve(64);
        let _ = write!(out, "{}", self.0);
        TextOutcome::Text
    }
}

/// Level 3: JSON through `serde::Serialize`.
pub trait TextViaJson {
    /// Writes the text.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

impl<T: serde::Serialize + ?Sized> TextViaJson for &Show<'_, T> {
    fn write_text(&self, out: &mut String) -> TextOutcome {
        match serde_json::to_value(self.0) {
            Ok(serde_json::Value::String(s)) => {
                let s = zeroize::Zeroizing::new(s);
                out.reserve_exact(s.len());
                out.push_str(&s);
                TextOutcome::Text
            }
            Ok(mut value) => {
                let json = zeroize::Zeroizing::new(value.to_string());
                super::secrets::wipe(&mut value);
                out.reserve_exact(json.len());
                out.push_str(&json);
                TextOutcome::Text
            }
            Err(_) => TextOutcome::NoText,
        }
    }
}

/// Level 4: no text form.
pub trait TextNone {
    /// Writes nothing.
    fn write_text(&self, out: &mut String) -> TextOutcome;
}

impl<T: ?Sized> TextNone for Show<'_, T> {
    fn write_text(&self, _: &mut String) -> TextOutcome {
        TextOutcome::NoText
    }
}

#[cfg(test)]
#[allow(clippy::needless_borrow)] // reason: the borrows are the dispatch under test
mod tests {
    use super::*;

    fn text<T>(write: impl Fn(&mut String) -> TextOutcome, _: &T) -> (TextOutcome, String) {
        let mut out = String::new();
        (write(&mut out), out)
    }

    #[test]
    fn dispatch_picks_the_most_specific_rule() {
        let s = String::from("a,b");
        assert_eq!(
            text(|o| (&&&&&Show(&s)).write_text(o), &s),
            (TextOutcome::Text, "a,b".to_owned())
        );
        let n = 5432u16;
        assert_eq!(text(|o| (&&&&&Show(&n)).write_text(o), &n).1, "5432");
        let v = vec!["a,b".to_owned(), "c".to_owned()];
        assert_eq!(
            text(|o| (&&&&&Show(&v)).write_text(o), &v).1,
            r#"["a,b","c"]"#
        );
        let p = std::path::PathBuf::from("/run/x");
        assert_eq!(text(|o| (&&&&&Show(&p)).write_text(o), &p).1, "/run/x");
        struct Opaque;
        let x = Opaque;
        assert_eq!(
            text(|o| (&&&&&Show(&x)).write_text(o), &x).0,
            TextOutcome::NoText
        );
    }
}
