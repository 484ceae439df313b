//! Property test of the `.env` source: random structured lines and random bytes, with a
//! canary as the value of a secret. Loading never panics and no error output carries
//! any 8-byte window of the canary, whatever the quotes, escapes, substitutions and
//! broken lines around it. (cargo-fuzz needs nightly; this is the stable equivalent.)

mod common;
#[path = "common/fuzz.rs"]
mod fuzz;

use confidant::{Secret, Settings};
use fuzz::{config, error_texts, leaked};
use proptest::prelude::*;

const CANARY: &str = "c4n4ryd0t3nv9e1b07d35a2f";

#[derive(Debug, Settings)]
#[settings(prefix = "FZ_")]
struct Config {
    key: Secret<String>,
    other: Option<Secret<String>>,
    #[settings(default = "x")]
    name: String,
    #[settings(default = 1)]
    port: u16,
    #[settings(default = vec![1, 2])]
    list: Vec<u32>,
}

/// Keys: ours, a lowercase spelling, an unknown one, and broken ones. No `_FILE` key:
/// a `_FILE` path built by a substitution of the secret (or swallowing its line) is
/// shown in the file's problem; see `known_leak_a_substituted_file_path` below.
fn key() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "FZ_NAME",
        "FZ_PORT",
        "FZ_LIST",
        "FZ_OTHER",
        "fz_port",
        "UNKNOWN",
        "export FZ_NAME",
        "FZ PORT",
        "",
        "1BAD",
        "FZ_NAME ",
    ])
}

/// Text without the canary: quotes, escapes, substitutions, comments, line ends.
fn junk() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a",
            "7",
            " ",
            "'",
            "\"",
            "\\",
            "\\n",
            "$",
            "${FZ_KEY}",
            "$FZ_KEY",
            "${",
            "}",
            "#",
            "=",
            "\n",
            "\r\n",
            "\t",
            "é",
            "[",
            "]",
            ",",
            "{\"a\":1}",
            "export ",
            "`",
            "\r",
            ": ",
            "${FZ_KEY:-d}",
            "${NOPE:-$FZ_KEY}",
            "${FZ_KEY:+a}",
            "OPTION-B",
        ]),
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

/// How the secret's value is written.
fn secret_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "FZ_KEY={c}\n",
        "FZ_KEY='{c}'\n",
        "FZ_KEY=\"{c}\"\n",
        "export FZ_KEY={c}\n",
        "FZ_KEY = {c} # comment\n",
        "FZ_KEY=\"{c}\n",
        "FZ_KEY='{c}\n",
        "FZ_KEY={c} 'x\n",
        "FZ_KEY={c}\\\n",
        "{c}\n",
        "FZ_KEY=\"a\\\"{c}\"\n",
        "FZ_KEY=\"{c}\\n\"\n",
        "FZ_KEY=${{UNSET}}{c}\n",
        "FZ_OTHER={c}\nFZ_KEY=${{FZ_OTHER}}\n",
        "FZ_KEY={c}\nFZ_KEY='{c}\n",
        "fz_key={c}\n",
        "FZ_KEY={c}\rFZ_NAME=x\r",
        "FZ_KEY=`{c}`\n",
        "FZ_KEY: {c}\n",
        "FZ_KEY=\"{c}\r\"\n",
        "BAD-KEY={c}\n",
        "FZ_KEY=${{NOPE:-{c}}}\n",
        "FZ_KEY=\"{c}\" x\n",
    ])
    .prop_map(|line| {
        line.replace("{c}", CANARY)
            .replace("{{", "{")
            .replace("}}", "}")
    })
}

/// A `.env` text: junk lines, plain settings, and the secret's line somewhere.
fn structured() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((key(), junk()), 0..6),
        secret_line(),
        any::<prop::sample::Index>(),
        junk(),
    )
        .prop_map(|(lines, secret, at, tail)| {
            let mut lines: Vec<String> = lines
                .into_iter()
                .map(|(key, value)| format!("{key}={value}\n"))
                .collect();
            let at = at.index(lines.len() + 1);
            lines.insert(at, secret);
            lines.push(tail);
            lines.concat()
        })
}

/// Loads `bytes` as the only `.env` file; checks every output.
fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let dir = common::tempdir();
    let file = dir.path().join(".env");
    std::fs::write(&file, bytes).unwrap();
    let loader = || {
        Config::loader()
            .env_vars([("UNRELATED", "1")])
            .no_secrets_dir()
            .dotenv(&file)
    };
    match loader().load() {
        Ok(cfg) => {
            // Only the secret fields may hold the canary; a plain field holds it only
            // when a stray quote made the secret's line part of its value.
            let debug = format!("{:?} {:?} {:?}", cfg.key, cfg.other, cfg.port);
            prop_assert!(leaked(CANARY, &debug).is_none(), "{debug}");
            // Warnings (lines no setting can use, unset references) name lines only.
            let (_, warnings) = loader().load_with_warnings().unwrap();
            let text = warnings
                .iter()
                .map(|w| format!("{w} {w:?}\n"))
                .collect::<String>();
            prop_assert!(
                leaked(CANARY, &text).is_none(),
                "leaked into warnings:\n{text}"
            );
        }
        Err(err) => {
            let text = error_texts(&err);
            prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
        }
    }
    if let Err(err) = loader().explain() {
        let text = error_texts(&err);
        prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(2000, "proptest-regressions/fuzz_dotenv.txt"))]

    #[test]
    fn structured_lines_never_panic_or_leak(text in structured()) {
        check(text.as_bytes())?;
    }

    #[test]
    fn random_bytes_around_the_secret_never_panic_or_leak(
        before in prop::collection::vec(any::<u8>(), 0..64),
        secret in secret_line(),
        after in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = before;
        bytes.extend_from_slice(secret.as_bytes());
        bytes.extend_from_slice(&after);
        check(&bytes)?;
    }
}

/// Found by this property test (the shrunk case, kept in the regressions file): a
/// `NAME_FILE` path in `.env` that holds a substitution of a secret names a file that
/// does not exist, and its problem showed the path, so the secret.
#[test]
fn a_substituted_file_path_is_not_shown() {
    let text = format!("FZ_KEY={CANARY}\nFZ_NAME_FILE=\"${{FZ_KEY}}\"\n");
    let dir = common::tempdir();
    let file = dir.path().join(".env");
    std::fs::write(&file, text).unwrap();
    let err = Config::loader()
        .env_vars([("UNRELATED", "1")])
        .no_secrets_dir()
        .dotenv(&file)
        .load()
        .unwrap_err();
    let text = error_texts(&err);
    assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
    assert!(
        text.contains("FZ_NAME (file (path not shown: it holds a substitution or was encrypted) named by FZ_NAME_FILE): the file does not exist"),
        "{text}"
    );
}
