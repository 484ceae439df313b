//! Fingerprints that cannot be reversed (SPEC, wave 3): `explain` shows `sha256:` + 8 hex
//! digits only for a secret of at least 64 bits of estimated entropy, `(set)` for any
//! other, and `hmac:` + 8 hex digits under a fingerprint key, whatever the entropy.

mod common;

use confidant::{Secret, Settings};
use sha2::{Digest, Sha256};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
#[allow(dead_code)] // reason: only loaded to be explained
struct Config {
    #[settings(default = 8080)]
    port: u16,
    api_key: Secret<String>,
    pin: Secret<String>,
    password: Secret<String>,
    code: Secret<u32>,
}

const API_KEY: &str = "sk-live-7Hq2mV9xK4pL0aZc";

fn vars<'a>(extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut vars = vec![
        ("APP_API_KEY", API_KEY),
        ("APP_PIN", "493817"),
        ("APP_PASSWORD", "hunter2"),
        ("APP_CODE", "4294967295"),
    ];
    vars.extend_from_slice(extra);
    vars
}

fn values(explain: &confidant::Explain) -> Vec<String> {
    explain
        .rows()
        .iter()
        .map(|r| r.value().to_owned())
        .collect()
}

/// HMAC-SHA256 as RFC 2104 defines it, written here from SHA-256 alone: an independent
/// check of the crate's `hmac:` fingerprints.
fn rfc2104(key: &[u8], message: &[u8]) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let inner: Vec<u8> = block
        .iter()
        .map(|b| b ^ 0x36)
        .chain(message.iter().copied())
        .collect();
    let inner = Sha256::digest(&inner);
    let outer: Vec<u8> = block
        .iter()
        .map(|b| b ^ 0x5c)
        .chain(inner.iter().copied())
        .collect();
    let tag = Sha256::digest(&outer);
    format!(
        "hmac:{:02x}{:02x}{:02x}{:02x}",
        tag[0], tag[1], tag[2], tag[3]
    )
}

#[test]
fn a_pin_a_word_list_password_and_a_number_show_set() {
    let explain = common::env_only::<Config>(&vars(&[])).explain().unwrap();
    let values = values(&explain);
    assert_eq!(values[2], "(set)", "a 6-digit PIN");
    assert_eq!(values[3], "(set)", "hunter2");
    assert_eq!(values[4], "(set)", "a Secret<u32>");
    // The same in the table and in JSON (`--print-config[=json]`).
    let table = explain.to_string();
    let json = explain.to_json();
    for hidden in ["493817", "hunter2", "4294967295"] {
        let print = confidant::fingerprint(hidden.as_bytes());
        assert!(
            !table.contains(&print) && !json.contains(&print),
            "{table}\n{json}"
        );
        assert!(!table.contains(hidden) && !json.contains(hidden));
    }
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("pin ") && l.ends_with(" (set) (too short to redact)")),
        "{table}"
    );
    assert!(json.contains(r#""value": "(set)""#), "{json}");
}

#[test]
fn a_key_of_64_bits_or_more_shows_its_sha256() {
    let explain = common::env_only::<Config>(&vars(&[])).explain().unwrap();
    assert_eq!(
        values(&explain)[1],
        confidant::fingerprint(API_KEY.as_bytes())
    );
    assert!(values(&explain)[1].starts_with("sha256:"));
    assert!(
        explain
            .to_json()
            .contains(&confidant::fingerprint(API_KEY.as_bytes()))
    );
}

/// Just below and at or above 64 bits, for each mix of character classes: lower case
/// alone (26: 13 chars = 61.1 bits, 14 = 65.8), digits alone (10: 19 = 63.1, 20 =
/// 66.4), all four classes (95: 9 = 59.1, 10 = 65.7), and non-ASCII text (33 for
/// anything else, plus lower case: 59 per char; 10 chars = 58.8, 11 = 64.7).
#[test]
fn the_entropy_rule_at_its_boundary() {
    let cases = [
        ("abcdefghijklm", false),
        ("abcdefghijklmn", true),
        ("1234567890123456789", false),
        ("12345678901234567890", true),
        ("aB3-aB3-a", false),
        ("aB3-aB3-aB", true),
        ("éaéaéaéaéa", false),
        ("éaéaéaéaéaé", true),
        // Repeating a character adds as much as a new one: the estimate counts length
        // and classes, nothing else.
        ("aaaaaaaaaaaaaa", true),
    ];
    for (secret, shown) in cases {
        let explain = Config::fixture()
            .set("code", "7")
            .set("pin", secret)
            .explain()
            .unwrap();
        let value = explain.rows()[2].value();
        let want = if shown {
            confidant::fingerprint(secret.as_bytes())
        } else {
            "(set)".to_owned()
        };
        assert_eq!(value, want, "{secret}");
    }
}

#[test]
fn a_key_in_the_loaders_environment_gives_hmac_fingerprints_for_every_secret() {
    const KEY: &str = "fp-key-per-deploy-31c7";
    let explain = common::env_only::<Config>(&vars(&[("CONFIDANT_FINGERPRINT_KEY", KEY)]))
        .explain()
        .unwrap();
    let values = values(&explain);
    assert_eq!(values[1], rfc2104(KEY.as_bytes(), API_KEY.as_bytes()));
    assert_eq!(values[2], rfc2104(KEY.as_bytes(), b"493817"));
    assert_eq!(values[3], rfc2104(KEY.as_bytes(), b"hunter2"));
    assert_eq!(values[4], rfc2104(KEY.as_bytes(), b"4294967295"));
    assert_eq!(values[0], "8080", "plain values are unchanged");
    let text = format!("{explain}{explain:?}{}", explain.to_json());
    assert!(!text.contains(KEY), "the key is never shown");
    assert!(!text.contains("sha256:"), "{text}");
}

#[test]
fn an_hmac_fingerprint_is_rfc_4231s() {
    // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?",
    // HMAC-SHA256 = 5bdcc146bf60754e...
    let explain = Config::fixture()
        .set("code", "7")
        .set("api_key", "what do ya want for nothing?")
        .fingerprint_key("Jefe")
        .explain()
        .unwrap();
    assert_eq!(explain.rows()[1].value(), "hmac:5bdcc146");
}

#[test]
fn loader_fingerprint_key_wins_over_the_variable() {
    const KEY: &str = "explicit-key-0a9b";
    let loader =
        common::env_only::<Config>(&vars(&[("CONFIDANT_FINGERPRINT_KEY", "from-env-1234")]))
            .fingerprint_key(KEY);
    let debug = format!("{loader:?}");
    assert!(debug.contains("fingerprint_key: set"), "{debug}");
    assert!(!debug.contains(KEY));
    let values = values(&loader.explain().unwrap());
    assert_eq!(values[2], rfc2104(KEY.as_bytes(), b"493817"));
    assert_ne!(values[2], rfc2104(b"from-env-1234", b"493817"));
    // Without either, no `fingerprint_key` in `Debug`.
    let debug = format!("{:?}", Config::fixture());
    assert!(!debug.contains("fingerprint_key"), "{debug}");
}

#[test]
fn secret_fingerprint_and_the_free_function_keep_the_unkeyed_form() {
    // sha256("123456") = 8d969eef...
    assert_eq!(confidant::fingerprint(b"123456"), "sha256:8d969eef");
    assert_eq!(
        Secret::new(String::from("123456")).fingerprint(),
        "sha256:8d969eef"
    );
}

#[test]
fn a_load_that_fails_is_not_helped_by_the_key() {
    // The key changes only what `explain` shows: the error stays the same.
    let err = common::env_only::<Config>(&[("CONFIDANT_FINGERPRINT_KEY", "k-1234567890")])
        .explain()
        .unwrap_err();
    assert!(err.to_string().contains("APP_API_KEY"), "{err}");
}
