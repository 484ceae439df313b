//! Property test of the redactor: on random secrets and texts over a small alphabet (so
//! secrets overlap, nest and repeat), `Redactor::redact` equals a naive replace-all with
//! leftmost-longest semantics (at each position, the longest secret starting there;
//! secrets under `MIN_SECRET_LEN` bytes left out), and `RedactingWriter` gives the same
//! output however the text is split into writes.

mod common;
#[path = "common/fuzz.rs"]
mod fuzz;

use std::io::Write;

use confidant::{MIN_SECRET_LEN, Redactor};
use fuzz::config;
use proptest::prelude::*;

/// Leftmost-longest replace-all, one position at a time.
fn naive(secrets: &[String], text: &str) -> String {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() >= MIN_SECRET_LEN)
        .collect();
    let mut out = String::new();
    let mut at = 0;
    while at < text.len() {
        let longest = secrets
            .iter()
            .filter(|s| text[at..].starts_with(**s))
            .map(|s| s.len())
            .max();
        match longest {
            Some(len) => {
                out.push_str("[REDACTED]");
                at += len;
            }
            None => {
                let c = text[at..].chars().next().unwrap();
                out.push(c);
                at += c.len_utf8();
            }
        }
    }
    out
}

fn word(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!['a', 'b', 'c', 'é']), len)
        .prop_map(|c| c.into_iter().collect())
}

/// Texts made of secrets, their pieces and noise (newlines included).
fn text(secrets: Vec<String>) -> impl Strategy<Value = (Vec<String>, String)> {
    let pieces: Vec<String> = secrets
        .iter()
        .flat_map(|s| {
            let cut = s
                .char_indices()
                .nth(s.chars().count() / 2)
                .map_or(0, |(i, _)| i);
            [s.clone(), s[..cut].to_owned(), s[cut..].to_owned()]
        })
        .chain(["a", "b", "c", "é", " ", "\n", "[REDACTED]"].map(str::to_owned))
        .collect();
    prop::collection::vec(prop::sample::select(pieces), 0..30)
        .prop_map(move |p| (secrets.clone(), p.concat()))
}

/// Secrets that nest: a base, extensions of it (so one secret is a prefix of another),
/// a suffix of it, and unrelated words; some under the minimum length.
fn secrets() -> impl Strategy<Value = Vec<String>> {
    (
        word(6..12),
        prop::collection::vec(word(0..4), 0..3),
        prop::collection::vec(word(1..14), 0..3),
        0usize..6,
    )
        .prop_map(|(base, extensions, others, skip)| {
            let mut all = vec![base.clone()];
            all.extend(extensions.iter().map(|e| format!("{base}{e}")));
            let cut = base.char_indices().nth(skip).map_or(0, |(i, _)| i);
            all.push(base[cut..].to_owned());
            all.extend(others);
            all
        })
}

proptest! {
    #![proptest_config(config(15000, "proptest-regressions/fuzz_redactor.txt"))]

    #[test]
    fn redact_is_a_leftmost_longest_replace_all(
        (secrets, text) in secrets().prop_flat_map(text),
        splits in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let redactor = Redactor::new(&secrets);
        let want = naive(&secrets, &text);
        let got = redactor.redact(&text);
        prop_assert_eq!(got.as_ref(), want.as_str());

        // The writer, with the text split into writes at random byte positions.
        let mut cuts: Vec<usize> = splits.iter().map(|i| i.index(text.len() + 1)).collect();
        cuts.sort_unstable();
        let mut writer = redactor.writer(Vec::new());
        let mut from = 0;
        for cut in cuts.into_iter().chain([text.len()]) {
            writer.write_all(&text.as_bytes()[from..cut]).unwrap();
            from = cut;
        }
        let written = writer.into_inner().unwrap();
        prop_assert_eq!(String::from_utf8(written).unwrap(), want);
    }
}

/// Secrets over characters that logs escape or encode: quotes, backslashes, control
/// characters, `%`, URL delimiters, non-ASCII.
fn special_secret() -> impl Strategy<Value = String> {
    let chars = vec![
        'a', 'Z', '0', '"', '\\', '\n', '\t', '%', '/', '@', ':', 'é', ' ', '+', '-', '_', '~',
    ];
    prop::collection::vec(prop::sample::select(chars), 8..24).prop_map(|c| c.into_iter().collect())
}

/// `%XX` for every byte outside RFC 3986's unreserved set.
fn percent(text: &str, upper: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

proptest! {
    #![proptest_config(config(3000, "proptest-regressions/fuzz_redactor_forms.txt"))]

    /// Whatever form a log gives the secret, inside whatever text, the part that
    /// depends on the secret alone is gone, from `redact` and from the writer however
    /// the text is split.
    #[test]
    fn every_form_of_a_secret_is_redacted(
        secret in special_secret(),
        form in 0usize..7,
        prefix in "[a-z:]{0,5}",
        suffix in "[a-z]{0,3}",
        noise in "[a-z %\\\\]{0,12}",
        splits in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        let redactor = Redactor::new([&secret]);
        let debug = format!("{secret:?}");
        let json = serde_json::to_string(&secret).unwrap();
        let data = format!("{prefix}{secret}{suffix}");
        let (encoded, gone) = match form {
            0 => (debug[1..debug.len() - 1].to_owned(), None),
            1 => (json[1..json.len() - 1].to_owned(), None),
            2 => (percent(&secret, true), None),
            3 => (percent(&secret, false), None),
            4 | 5 => {
                let encoded = if form == 4 {
                    STANDARD.encode(data.as_bytes())
                } else {
                    URL_SAFE_NO_PAD.encode(data.as_bytes())
                };
                let from = (8 * prefix.len()).div_ceil(6);
                let to = 8 * (prefix.len() + secret.len()) / 6;
                let inner = encoded[from..to].to_owned();
                (encoded, Some(inner))
            }
            _ => (secret.clone(), None),
        };
        let gone = gone.unwrap_or_else(|| encoded.clone());
        let text = format!("{noise}<{encoded}>{noise}\n");
        let out = redactor.redact(&text).into_owned();
        prop_assert!(!out.contains(&gone), "{:?} -> {:?}", text, out);
        prop_assert!(out.contains("[REDACTED]"));

        // The writer finds a secret that does not span a newline (see its docs).
        if encoded.contains('\n') {
            return Ok(());
        }
        let mut cuts: Vec<usize> = splits.iter().map(|i| i.index(text.len() + 1)).collect();
        cuts.sort_unstable();
        let mut writer = redactor.writer(Vec::new());
        let mut from = 0;
        for cut in cuts.into_iter().chain([text.len()]) {
            writer.write_all(&text.as_bytes()[from..cut]).unwrap();
            from = cut;
        }
        let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        prop_assert_eq!(written, out);
    }
}
