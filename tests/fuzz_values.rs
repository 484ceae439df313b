//! Property test of value parsing, every kind of field: random text (JSON-like pieces,
//! numbers, separators, escapes) for plain fields and the same with a canary for secret
//! fields. Loading never panics, and no output (errors, `Debug`, `Explain`) carries any
//! 8-byte window of the canary: a secret's text that does not parse is never echoed.

mod common;
#[path = "common/fuzz.rs"]
mod fuzz;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use confidant::{Secret, Settings};
use fuzz::{config, error_texts, leaked};
use proptest::prelude::*;

const CANARY: &str = "c4n4ryv4lu35b7e21d9f0a63";

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)] // reason: only parsed and printed
struct Plain {
    name: String,
    #[serde(default)]
    port: Option<u16>,
}

/// A JSON struct whose members are all secret or numbers: its `Debug` is clean.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Creds {
    password: Secret<String>,
    #[serde(default)]
    port: Option<u16>,
}

#[derive(Debug, Settings)]
#[settings(prefix = "FV_")]
struct Config {
    flag: Option<bool>,
    int: Option<i64>,
    small: Option<u8>,
    float: Option<f64>,
    list: Option<Vec<u32>>,
    set: Option<BTreeSet<String>>,
    map: Option<HashMap<String, u32>>,
    plain: Option<Plain>,
    text: Option<String>,
    s_text: Option<Secret<String>>,
    s_int: Option<Secret<u64>>,
    s_list: Option<Vec<Secret<String>>>,
    s_deque: Option<VecDeque<Secret<String>>>,
    s_map: Option<BTreeMap<String, Secret<String>>>,
    s_bytes: Option<Secret<Vec<u8>>>,
    s_nums: Option<Secret<Vec<u32>>>,
    #[settings(secret)]
    s_json: Option<Creds>,
}

const PLAIN: [&str; 9] = [
    "FV_FLAG", "FV_INT", "FV_SMALL", "FV_FLOAT", "FV_LIST", "FV_SET", "FV_MAP", "FV_PLAIN",
    "FV_TEXT",
];
const SECRET: [&str; 8] = [
    "FV_S_TEXT",
    "FV_S_INT",
    "FV_S_LIST",
    "FV_S_DEQUE",
    "FV_S_MAP",
    "FV_S_BYTES",
    "FV_S_NUMS",
    "FV_S_JSON",
];

const PIECES: [&str; 26] = [
    "[",
    "]",
    "{",
    "}",
    "\"",
    ",",
    ":",
    " ",
    "1",
    "-",
    ".",
    "e",
    "true",
    "null",
    "\"a\"",
    "\\",
    "é",
    "\"password\"",
    "\"name\"",
    "\"port\"",
    "0x",
    "255",
    "1e400",
    "\u{0}",
    "\n",
    "yes",
];

/// Random text from `PIECES`, with the canary among them when `secret`.
fn text(secret: bool) -> impl Strategy<Value = Option<String>> {
    let mut pieces = PIECES.to_vec();
    if secret {
        pieces.extend([CANARY, CANARY, CANARY]);
    }
    prop::option::weighted(
        0.8,
        prop::collection::vec(prop::sample::select(pieces), 0..10).prop_map(|p| p.concat()),
    )
}

proptest! {
    #![proptest_config(config(2500, "proptest-regressions/fuzz_values.txt"))]

    #[test]
    fn every_field_kind_parses_without_panic_or_leak(
        plain in prop::collection::vec(text(false), PLAIN.len()),
        secret in prop::collection::vec(text(true), SECRET.len()),
    ) {
        let env: Vec<(&str, String)> = PLAIN
            .iter()
            .zip(plain)
            .chain(SECRET.iter().zip(secret))
            .filter_map(|(name, value)| Some((*name, value?)))
            .collect();
        let loader = || {
            Config::loader()
                .env_vars(env.clone())
                .no_dotenv()
                .no_secrets_dir()
        };
        match loader().load() {
            Ok(cfg) => {
                let debug = format!("{cfg:?}");
                prop_assert!(leaked(CANARY, &debug).is_none(), "{debug}");
                let redactor = format!("{:?}", confidant::Settings::redactor(&cfg));
                prop_assert!(leaked(CANARY, &redactor).is_none());
            }
            Err(err) => {
                let text = error_texts(&err);
                prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
            }
        }
        match loader().explain() {
            Ok(explain) => {
                let text = format!("{explain}\n{explain:?}");
                prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
            }
            Err(err) => {
                let text = error_texts(&err);
                prop_assert!(leaked(CANARY, &text).is_none(), "leaked into:\n{text}");
            }
        }
    }
}
