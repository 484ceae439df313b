//! Property test of reading secret files (secrets directory and `NAME_FILE`): random
//! bytes, BOMs, CRLF and sizes around the size cap. Loading never panics, no error
//! output carries the canary, a `Secret<Vec<u8>>` gets exactly the file's bytes, and a
//! text secret gets the documented trimming (BOM, one line ending, whitespace).

mod common;
#[path = "common/fuzz.rs"]
mod fuzz;

use confidant::{ExposeSecret, Secret, Settings};
use fuzz::{config, error_texts, leaked};
use proptest::prelude::*;

const CANARY: &str = "c4n4ryf1l3s7d20e9b5c44a1";

#[derive(Debug, Settings)]
#[settings(prefix = "FF_")]
struct Config {
    text: Option<Secret<String>>,
    bytes: Option<Secret<Vec<u8>>>,
    #[settings(default = 1)]
    port: u16,
}

/// File contents: optional BOM, random bytes and the canary, optional line ending.
fn contents() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..40),
        any::<bool>(),
        prop::collection::vec(
            prop::sample::select(vec![b' ', b'\t', b'\r', b'\n', b'x']),
            0..4,
        ),
        prop::sample::select(vec!["", "\n", "\r\n", "\n\n", "\r"]),
        0usize..3,
    )
        .prop_map(|(bom, noise, with_canary, space, end, repeat)| {
            let mut bytes = Vec::new();
            if bom {
                bytes.extend_from_slice(b"\xEF\xBB\xBF");
            }
            bytes.extend_from_slice(&space);
            if with_canary {
                for _ in 0..=repeat {
                    bytes.extend_from_slice(CANARY.as_bytes());
                }
            }
            bytes.extend_from_slice(&noise);
            bytes.extend_from_slice(end.as_bytes());
            bytes
        })
}

/// What the documented trimming gives for a text file: `None` when it is not UTF-8 or
/// holds a NUL byte (a hostile file: a problem).
fn trimmed(bytes: &[u8]) -> Option<String> {
    if bytes.contains(&0) {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    Some(text.trim().to_owned())
}

proptest! {
    #![proptest_config(config(2000, "proptest-regressions/fuzz_secret_files.txt"))]

    #[test]
    fn secret_files_never_panic_or_leak(
        text_file in contents(),
        bytes_file in contents(),
        via_name_file in any::<bool>(),
        cap in prop::sample::select(vec![None, Some(0u64), Some(8), Some(30), Some(64), Some(200)]),
    ) {
        let dir = common::tempdir();
        let secrets = dir.path().join("secrets");
        std::fs::create_dir(&secrets).unwrap();
        let text_path = secrets.join("text");
        let bytes_path = secrets.join("bytes");
        std::fs::write(&text_path, &text_file).unwrap();
        std::fs::write(&bytes_path, &bytes_file).unwrap();
        let mut loader = if via_name_file {
            Config::loader()
                .no_secrets_dir()
                .env_vars([("FF_TEXT_FILE", &text_path), ("FF_BYTES_FILE", &bytes_path)])
        } else {
            Config::loader()
                .env_vars([("UNRELATED", "1")])
                .secrets_dir(&secrets)
        };
        loader = loader.no_dotenv();
        if let Some(cap) = cap {
            loader = loader.max_file_size(cap);
        }
        let cap = cap.unwrap_or(1 << 20) as usize;
        let too_big = |f: &Vec<u8>| f.len() > cap;
        match loader.load() {
            Ok(cfg) => {
                prop_assert!(!too_big(&text_file) && !too_big(&bytes_file));
                let debug = format!("{cfg:?}");
                prop_assert!(leaked(CANARY, &debug).is_none(), "{debug}");
                // Bytes: exactly the file; an empty file is unset.
                match &cfg.bytes {
                    Some(b) => prop_assert_eq!(b.expose_secret(), &bytes_file),
                    None => prop_assert!(bytes_file.is_empty()),
                }
                // Text: the documented trimming; empty after it is unset.
                let want = trimmed(&text_file);
                match &cfg.text {
                    Some(t) => prop_assert_eq!(Some(t.expose_secret().clone()), want),
                    None => prop_assert!(want.is_some_and(|w| w.is_empty())),
                }
            }
            Err(err) => {
                let text = error_texts(&err);
                prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
                // Only a file over the cap, or text that is not UTF-8 or holds a NUL, fails.
                prop_assert!(
                    too_big(&text_file) || too_big(&bytes_file) || trimmed(&text_file).is_none(),
                    "{text}"
                );
            }
        }
    }
}
