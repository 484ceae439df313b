//! The everyday values (issue 24): serde enums and newtypes from bare text, `Duration`
//! in humantime's syntax.

mod common;

use std::time::Duration;

use confidant::{ExposeSecret, Secret, Settings};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Level {
    Debug,
    Info,
    Warn,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Model(String);

#[derive(Debug, Deserialize)]
struct Creds {
    user: String,
    token: Secret<String>,
}

/// A newtype around a secret: its `Secret` is made in the retry as a string.
#[derive(Debug, Deserialize)]
struct Token(Secret<String>);

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    level: Level,
    model: Option<Model>,
    creds: Option<Creds>,
    token: Option<Token>,
    timeout: Option<Duration>,
}

fn load(vars: &[(&str, &str)]) -> Result<Config, confidant::Error> {
    common::load_env(vars)
}

#[test]
fn an_enum_takes_the_bare_variant_name() {
    assert_eq!(load(&[("APP_LEVEL", "warn")]).unwrap().level, Level::Warn);
}

#[test]
fn an_enum_still_takes_a_json_string() {
    assert_eq!(
        load(&[("APP_LEVEL", "\"info\"")]).unwrap().level,
        Level::Info
    );
}

#[test]
fn an_unknown_variant_lists_the_variants() {
    let err = load(&[("APP_LEVEL", "warning")]).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("APP_LEVEL"), "{text}");
    assert!(
        text.contains("expected one of `debug`, `info`, `warn`"),
        "{text}"
    );
}

#[test]
fn a_newtype_around_a_string_takes_bare_text_and_numbers() {
    let cfg = load(&[("APP_LEVEL", "info"), ("APP_MODEL", "gpt-4o")]).unwrap();
    assert_eq!(cfg.model, Some(Model("gpt-4o".into())));
    // `123` is JSON, but a number does not fit the newtype: it is handed over as text.
    let cfg = load(&[("APP_LEVEL", "info"), ("APP_MODEL", "123")]).unwrap();
    assert_eq!(cfg.model, Some(Model("123".into())));
    let cfg = load(&[("APP_LEVEL", "info"), ("APP_MODEL", "\"quoted\"")]).unwrap();
    assert_eq!(cfg.model, Some(Model("quoted".into())));
}

#[test]
fn a_struct_still_reads_json_and_reports_only_a_position() {
    let cfg = load(&[
        ("APP_LEVEL", "info"),
        (
            "APP_CREDS",
            r#"{"user": "ann", "token": "tok-a1b2c3d4e5f6"}"#,
        ),
    ])
    .unwrap();
    let creds = cfg.creds.unwrap();
    assert_eq!(creds.user, "ann");
    assert_eq!(creds.token.expose_secret(), "tok-a1b2c3d4e5f6");
    let canary = "canary-9f8e7d6c5b4a";
    let err = load(&[
        ("APP_LEVEL", "info"),
        (
            "APP_CREDS",
            &format!(r#"{{"user": "ann", "token": "{canary}", }}"#),
        ),
    ])
    .unwrap_err();
    let texts = common::error_texts(&err);
    assert!(texts.contains("invalid JSON at line 1"), "{texts}");
    assert!(common::leaked(canary, &texts).is_none(), "{texts}");
}

#[test]
fn text_that_is_no_struct_names_the_type_not_the_text() {
    // Not JSON: handed to the struct as a string, which it refuses; the message names
    // what was expected, never the text.
    let canary = "plain-canary-0a1b2c3d4e";
    let err = load(&[("APP_LEVEL", "info"), ("APP_CREDS", canary)]).unwrap_err();
    let text = err.problems()[0].message().to_owned();
    assert!(text.contains("expected struct Creds"), "{text}");
    assert_eq!(
        text.matches(canary).count(),
        1,
        "shown once, as the value: {text}"
    );
}

#[test]
fn a_secret_made_from_bare_text_is_never_shown() {
    let canary = "tok-canary-5e6f7a8b9c0d";
    let vars = [("APP_LEVEL", "info"), ("APP_TOKEN", canary)];
    let cfg = load(&vars).unwrap();
    assert_eq!(cfg.token.unwrap().0.expose_secret(), canary);
    let explain = common::env_only::<Config>(&vars).explain().unwrap();
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "token")
        .unwrap();
    assert!(row.is_secret(), "{explain}");
    let shown = explain.to_string();
    assert!(common::leaked(canary, &shown).is_none(), "{shown}");
}

#[test]
fn a_duration_takes_humantime_and_seconds() {
    let cases = [
        ("30s", Duration::from_secs(30)),
        ("500ms", Duration::from_millis(500)),
        ("1m 30s", Duration::from_secs(90)),
        ("2h", Duration::from_secs(7200)),
        ("1d", Duration::from_secs(86_400)),
        ("30", Duration::from_secs(30)),
        ("0.5", Duration::from_millis(500)),
        (" 45 ", Duration::from_secs(45)),
    ];
    for (text, want) in cases {
        let cfg = load(&[("APP_LEVEL", "info"), ("APP_TIMEOUT", text)]).unwrap();
        assert_eq!(cfg.timeout, Some(want), "{text:?}");
    }
}

#[test]
fn a_bad_duration_says_what_a_duration_looks_like() {
    for bad in ["soon", "-5", "30 parsecs", "1.2.3", ""] {
        let err = load(&[("APP_LEVEL", "info"), ("APP_TIMEOUT", bad)]);
        if bad.is_empty() {
            // An empty value is unset for an optional field.
            continue;
        }
        let text = err.unwrap_err().to_string();
        assert!(text.contains("APP_TIMEOUT"), "{text}");
        assert!(
            text.contains("expected a duration such as 30s"),
            "{bad:?}: {text}"
        );
    }
}

#[test]
fn a_duration_is_written_in_humantime_form() {
    let cfg = load(&[("APP_LEVEL", "info"), ("APP_TIMEOUT", "90")]).unwrap();
    let env = cfg.child_env(&["timeout"]).unwrap();
    assert_eq!(env.get("APP_TIMEOUT"), Some("1m 30s"));
    // What is written reads back to the same value.
    let again = load(&[("APP_LEVEL", "info"), ("APP_TIMEOUT", "1m 30s")]).unwrap();
    assert_eq!(again.timeout, cfg.timeout);
    let cfg = load(&[("APP_LEVEL", "info"), ("APP_TIMEOUT", "0")]).unwrap();
    assert_eq!(
        cfg.child_env(&["timeout"]).unwrap().get("APP_TIMEOUT"),
        Some("0s")
    );
}
