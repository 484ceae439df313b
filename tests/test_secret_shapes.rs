//! Secret-ness follows the type, whatever its shape: aliases, lists, maps, bytes, and
//! `#[settings(secret)]` on a JSON struct. Each shape loads as documented and its value
//! reaches no output: errors, problems, `Debug`, `Explain`, `env_example`, panics.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;

use confidant::{ExposeSecret, Secret, Settings};

type ApiKey = Secret<String>;
type Pin = Secret<u32>;

#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Creds {
    user: String,
    password: Secret<String>,
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Shapes {
    /// An alias of `Secret<String>`.
    #[validate(length(min = 8))]
    alias_key: ApiKey,
    /// An alias of `Secret<u32>`.
    pin: Pin,
    /// Keys accepted during a rotation overlap.
    #[validate(length(min = 1))]
    accepted_keys: Vec<Secret<String>>,
    maybe_keys: Option<Vec<Secret<String>>>,
    /// One key per provider.
    provider_keys: BTreeMap<String, Secret<String>>,
    hashed_keys: HashMap<String, ApiKey>,
    signing_key: Secret<Vec<u8>>,
    /// A JSON struct holding secrets.
    #[settings(secret)]
    creds: Creds,
    #[settings(default = 1)]
    plain: u8,
}

const ALIAS: &str = "canary-alias-5be1f0c2";
const PIN: &str = "73914286";
const K1: &str = "canary-k1-0a9d7e44";
const K2: &str = "canary-k2-66c3b1d8";
const M1: &str = "canary-maybe-3f0e2a71";
const P1: &str = "canary-openai-c4e8b2a0";
const P2: &str = "canary-serper-90d1e5f7";
const H1: &str = "canary-hashed-e2b7c9a3";
const SIGN: &str = "canary-signing-18f4d6b0";
const USER: &str = "canary-user-7d2a5c19";
const PASSWORD: &str = "canary-pw-4b8e0f63";

const ALL: [&str; 11] = [ALIAS, PIN, K1, K2, M1, P1, P2, H1, SIGN, USER, PASSWORD];

fn env() -> Vec<(String, String)> {
    [
        ("APP_ALIAS_KEY", ALIAS.to_owned()),
        ("APP_PIN", PIN.to_owned()),
        ("APP_ACCEPTED_KEYS", format!("{K1},{K2}")),
        ("APP_MAYBE_KEYS", format!(r#"["{M1}"]"#)),
        (
            "APP_PROVIDER_KEYS",
            format!(r#"{{"openai": "{P1}", "serper": "{P2}"}}"#),
        ),
        ("APP_HASHED_KEYS", format!(r#"{{"x": "{H1}"}}"#)),
        ("APP_SIGNING_KEY", SIGN.to_owned()),
        (
            "APP_CREDS",
            format!(r#"{{"user": "{USER}", "password": "{PASSWORD}"}}"#),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn loader(env: Vec<(String, String)>) -> confidant::Loader<Shapes> {
    Shapes::loader().env_vars(env).no_dotenv().no_secrets_dir()
}

fn with(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut env = env();
    for (key, value) in changes {
        env.retain(|(k, _)| k != key);
        env.push(((*key).to_owned(), (*value).to_owned()));
    }
    env
}

/// No 8-byte window of any canary appears in `text`.
fn assert_clean(text: &str) {
    for canary in ALL {
        for window in canary.as_bytes().windows(8) {
            let window = std::str::from_utf8(window).unwrap();
            assert!(
                !text.contains(window),
                "{window:?} (of {canary}) leaked into:\n{text}"
            );
        }
    }
}

/// Every text of an error: `Display`, `Debug`, each problem's, and the panic message of
/// `unwrap()`.
fn error_texts(result: Result<Shapes, confidant::Error>) -> String {
    let err = match &result {
        Ok(cfg) => panic!("expected an error, loaded {cfg:?}"),
        Err(err) => err,
    };
    let mut out = format!("{err}\n{err:?}\n");
    for problem in err.problems() {
        out.push_str(&format!("{problem}\n{problem:?}\n"));
    }
    let panic = std::panic::catch_unwind(AssertUnwindSafe(|| result.unwrap()))
        .expect_err("unwrap of an error panics");
    let message = panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(message.contains("called `Result::unwrap()`"), "{message}");
    out.push_str(&message);
    out
}

#[test]
fn every_shape_loads() {
    let cfg = loader(env()).load().unwrap();
    assert_eq!(cfg.alias_key.expose_secret(), ALIAS);
    assert_eq!(*cfg.pin.expose_secret(), 73_914_286);
    let keys: Vec<&str> = cfg
        .accepted_keys
        .iter()
        .map(|k| k.expose_secret().as_str())
        .collect();
    assert_eq!(keys, [K1, K2]);
    let maybe = cfg.maybe_keys.as_ref().unwrap();
    assert_eq!(maybe[0].expose_secret(), M1);
    assert_eq!(cfg.provider_keys["openai"].expose_secret(), P1);
    assert_eq!(cfg.provider_keys["serper"].expose_secret(), P2);
    assert_eq!(cfg.hashed_keys["x"].expose_secret(), H1);
    assert_eq!(cfg.signing_key.expose_secret(), SIGN.as_bytes());
    assert_eq!(cfg.creds.user, USER);
    assert_eq!(cfg.creds.password.expose_secret(), PASSWORD);
    // `Debug` of a `#[settings(secret)]` struct is the struct's own: its `Secret` fields
    // are redacted, a plain `String` inside it is not (hold it in a `Secret` too).
    let debug = format!("{cfg:?} {cfg:#?}").replace(USER, "");
    assert_clean(&debug);
    assert_clean(&serde_json::to_string(&cfg.creds).unwrap().replace(USER, ""));
}

#[test]
fn lists_of_secrets_take_a_json_array_and_an_unset_option_is_none() {
    let env = with(&[("APP_ACCEPTED_KEYS", &format!(r#"["{K1}", "{K2}"]"#))]);
    let env: Vec<_> = env
        .into_iter()
        .filter(|(k, _)| k != "APP_MAYBE_KEYS")
        .collect();
    let cfg = loader(env).load().unwrap();
    assert_eq!(cfg.accepted_keys[1].expose_secret(), K2);
    assert!(cfg.maybe_keys.is_none());
}

#[test]
fn explain_shows_fingerprints_only() {
    let explain = loader(env()).explain().unwrap();
    let text = explain.to_string();
    assert_clean(&text);
    assert_clean(&format!("{explain:?}"));
    for row in explain.rows() {
        if row.setting() == "plain" {
            assert!(!row.is_secret());
            continue;
        }
        assert!(row.is_secret(), "{} should be secret", row.setting());
        // A PIN has too little entropy for a fingerprint (SPEC, wave 3).
        let want = if row.setting() == "pin" {
            "(set)"
        } else {
            "sha256:"
        };
        assert!(
            row.value().starts_with(want),
            "{}: {}",
            row.setting(),
            row.value()
        );
    }
    let alias = &explain.rows()[0];
    assert_eq!(alias.value(), confidant::fingerprint(ALIAS.as_bytes()));
}

#[test]
fn env_example_marks_every_secret_shape() {
    let example = Shapes::env_example();
    for name in [
        "APP_ALIAS_KEY",
        "APP_PIN",
        "APP_ACCEPTED_KEYS",
        "APP_MAYBE_KEYS",
        "APP_PROVIDER_KEYS",
        "APP_HASHED_KEYS",
        "APP_SIGNING_KEY",
        "APP_CREDS",
    ] {
        let block = example
            .split("\n\n")
            .find(|b| b.contains(&format!("\n{name}=")) || b.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no block for {name} in\n{example}"));
        assert!(block.contains("# secret"), "{name} not marked:\n{block}");
    }
    let plain = example
        .split("\n\n")
        .find(|b| b.contains("APP_PLAIN="))
        .unwrap();
    assert!(!plain.contains("# secret"));
}

#[test]
fn redactor_scrubs_every_value_inside() {
    let cfg = loader(env()).load().unwrap();
    let redactor = cfg.redactor();
    let log = ALL
        .iter()
        .filter(|c| **c != PIN)
        .map(|c| format!("value={c};"))
        .collect::<String>();
    let out = redactor.redact(&log);
    assert_clean(&out);
    assert_eq!(out.matches("[REDACTED]").count(), ALL.len() - 1, "{out}");
}

#[test]
fn child_env_passes_secrets_through_unchanged() {
    let cfg = loader(env()).load().unwrap();
    let child = cfg
        .child_env(&[
            "alias_key",
            "pin",
            "accepted_keys",
            "provider_keys",
            "signing_key",
            "creds",
        ])
        .unwrap();
    let vars: Vec<(String, String)> = child
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let get = |name: &str| {
        vars.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("APP_ALIAS_KEY"), ALIAS);
    assert_eq!(get("APP_PIN"), PIN);
    assert_eq!(get("APP_SIGNING_KEY"), SIGN);
    // What the child gets loads back into the same values.
    let mut env: Vec<(String, String)> = env()
        .into_iter()
        .filter(|(k, _)| !vars.iter().any(|(v, _)| v == k))
        .collect();
    env.extend(vars);
    let back = loader(env).load().unwrap();
    assert_eq!(back.accepted_keys[1].expose_secret(), K2);
    assert_eq!(back.provider_keys["serper"].expose_secret(), P2);
    assert_eq!(back.creds.password.expose_secret(), PASSWORD);
    assert_eq!(back.creds.user, USER);
}

#[test]
fn parse_failures_show_no_value() {
    let cases: [(&str, String); 6] = [
        ("APP_PIN", ALIAS.to_owned()),
        ("APP_ACCEPTED_KEYS", format!(r#"["{K1}", "{K2}""#)),
        ("APP_MAYBE_KEYS", format!(r#"["{M1}", 7 "#)),
        ("APP_PROVIDER_KEYS", format!(r#"{{"openai": "{P1}"#)),
        ("APP_HASHED_KEYS", format!(r#"["{H1}"]"#)),
        (
            "APP_CREDS",
            format!(r#"{{"user": "{USER}", "password": 5}}"#),
        ),
    ];
    for (name, value) in cases {
        let text = error_texts(loader(with(&[(name, &value)])).load());
        assert!(text.contains(name), "{name}: {text}");
        assert!(text.contains("secret, not shown"), "{name}: {text}");
        assert_clean(&text);
    }
}

#[test]
fn validation_failures_show_no_value() {
    let text = error_texts(
        loader(with(&[
            ("APP_ALIAS_KEY", "short"),
            ("APP_ACCEPTED_KEYS", " , "),
        ]))
        .load(),
    );
    assert!(text.contains("APP_ALIAS_KEY"), "{text}");
    assert!(text.contains("must be at least 8 characters"), "{text}");
    assert_clean(&text);
}

#[test]
fn a_missing_secret_names_its_file() {
    let env: Vec<_> = env().into_iter().filter(|(k, _)| k != "APP_PIN").collect();
    let text = error_texts(loader(env).load());
    assert!(
        text.contains("APP_PIN: required secret is not set"),
        "{text}"
    );
    assert!(
        text.contains("e.g. APP_PIN: set APP_PIN, or APP_PIN_FILE"),
        "{text}"
    );
    assert_clean(&text);
}

#[test]
fn secret_bytes_from_files_are_exact() {
    let dir = common::tempdir();
    let raw: &[u8] = b"\xEF\xBB\xBF\xff\x00 key\r\n";
    std::fs::write(dir.path().join("signing_key"), raw).unwrap();
    let env: Vec<_> = env()
        .into_iter()
        .filter(|(k, _)| k != "APP_SIGNING_KEY")
        .collect();
    let cfg = Shapes::loader()
        .env_vars(env.clone())
        .no_dotenv()
        .secrets_dir(dir.path())
        .load()
        .unwrap();
    assert_eq!(cfg.signing_key.expose_secret(), raw);
    let explain = Shapes::loader()
        .env_vars(env.clone())
        .no_dotenv()
        .secrets_dir(dir.path())
        .explain()
        .unwrap();
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "signing_key")
        .unwrap();
    assert_eq!(row.value(), confidant::fingerprint(raw));

    // `NAME_FILE` too.
    let path = dir.path().join("signing_key").display().to_string();
    let mut env = env;
    env.push(("APP_SIGNING_KEY_FILE".to_owned(), path));
    let cfg = loader(env).load().unwrap();
    assert_eq!(cfg.signing_key.expose_secret(), raw);
}

#[test]
fn fixtures_give_every_shape_a_placeholder_or_say_what_to_add() {
    let err = Shapes::fixture().load().unwrap_err();
    let fields: Vec<&str> = err.problems().iter().map(|p| p.field()).collect();
    // Text secrets, lists and maps take the placeholder (a map as
    // `{"fake": "fake-<path>"}`); a number and a JSON struct cannot, and the problem
    // says to add `fake`.
    assert_eq!(fields, ["pin", "creds"], "{err}");
    for problem in err.problems() {
        assert!(
            problem.message().contains("#[settings(fake = ...)]"),
            "{problem}"
        );
    }
}
