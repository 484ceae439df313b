//! Every text a load builds leaves through that load's redactor (SPEC, wave 3, "Every
//! output passes through the load's redactor"): problems, warnings, the report,
//! `explain`, panics of `unwrap`; a `Secret` reports itself as it is deserialized, so a
//! setting holding one anywhere is secret for that load; names are escaped; a key pasted
//! into `NAME_FILE` is never shown. Each test names the reproduction of the egress issue
//! it guards (L1..L9).

mod common;

use std::collections::BTreeMap;

use common::{dotenv_only, env_only, error_texts, isolated, tempdir, write};
use confidant::{ExposeSecret, Secret, Settings};

const KEY: &str = "sk-live-5e1f0c9a7b3d2e8f4a6c1b0d";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Service {
    api_key: Secret<String>,
    #[settings(default = "http://localhost")]
    url: String,
    #[settings(default = 8080)]
    port: u16,
}

/// L1: a URL built in `.env` with `${APP_API_KEY}` shows `[REDACTED]` in its place, in
/// `explain`'s text, `Debug` and JSON.
#[test]
fn explain_shows_a_substituted_secret_as_redacted() {
    let dir = tempdir();
    let env = write(
        dir.path(),
        ".env",
        &format!("APP_API_KEY={KEY}\nAPP_URL=\"https://svc:${{APP_API_KEY}}@qdrant:6333\"\n"),
    );
    let explain = dotenv_only::<Service>(&env).explain().unwrap();
    let url = &explain.rows()[1];
    assert_eq!(url.setting(), "url");
    assert_eq!(url.value(), "https://svc:[REDACTED]@qdrant:6333");
    for text in [
        explain.to_string(),
        format!("{explain:?}"),
        explain.to_json(),
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(
            text.contains("https://svc:[REDACTED]@qdrant:6333"),
            "{text}"
        );
    }
}

/// L2: a plain setting with a key's text, by a slip: its parse error and `explain` show
/// `[REDACTED]`.
#[test]
fn a_plain_value_equal_to_a_key_is_redacted_in_errors_and_explain() {
    let err = env_only::<Service>(&[("APP_API_KEY", KEY), ("APP_PORT", KEY)])
        .load()
        .unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_PORT");
    assert_eq!(
        problem.message(),
        "invalid value \"[REDACTED]\": expected u16: invalid digit found in string"
    );
    assert!(!error_texts(&err).contains(KEY));

    let explain = env_only::<Service>(&[("APP_API_KEY", KEY), ("APP_URL", KEY)])
        .explain()
        .unwrap();
    assert_eq!(explain.rows()[1].value(), "[REDACTED]");
    assert!(!explain.to_string().contains(KEY));
}

/// The payload of `unwrap()` on a failed load is the redacted report.
#[test]
fn an_unwrap_panic_carries_the_redacted_report() {
    let result = env_only::<Service>(&[("APP_API_KEY", KEY), ("APP_PORT", KEY)]).load();
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| result.unwrap()))
        .expect_err("the load fails");
    let text = common::panic_text(payload);
    assert!(text.contains("[REDACTED]"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

/// A failed load redacts with every secret text it read, parsed or not: the value of a
/// lower layer that lost, and a secret whose own text did not parse.
#[test]
fn a_failed_load_redacts_every_secret_text_it_read() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Config {
        api_key: Secret<String>,
        pin: Secret<u64>,
        port: u16,
    }
    let dir = tempdir();
    let lower = "sk-lower-layer-0a1b2c3d4e5f";
    let env = write(dir.path(), ".env", &format!("APP_API_KEY={lower}\n"));
    let unparsed = "not-a-number-9f8e7d6c";
    let err = dotenv_only::<Config>(&env)
        .env_vars([
            ("APP_API_KEY", KEY),
            ("APP_PIN", unparsed),
            ("APP_PORT", &format!("{lower}/{unparsed}")),
        ])
        .load()
        .unwrap_err();
    let texts = error_texts(&err);
    assert!(!texts.contains(lower), "{texts}");
    assert!(!texts.contains(unparsed), "{texts}");
    assert!(texts.contains("[REDACTED]/[REDACTED]"), "{texts}");
}

/// Warnings leave through the redactor too: an unknown name holding a key.
#[test]
fn warnings_are_redacted() {
    let name = format!("APP_{KEY}");
    let (_, warnings) = env_only::<Service>(&[("APP_API_KEY", KEY), (name.as_str(), "1")])
        .load_with_warnings()
        .unwrap();
    assert_eq!(warnings.len(), 1);
    let text = format!("{}\n{:?}", warnings[0], warnings[0]);
    assert!(!text.contains(KEY), "{text}");
    assert!(text.contains("APP_[REDACTED]"), "{text}");
}

/// A user struct with a `Secret` inside.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
struct Creds {
    user: String,
    key: Secret<String>,
}

/// The same, with no `Serialize`.
#[derive(Debug, serde::Deserialize)]
struct CredsDe {
    user: String,
    key: Secret<String>,
}

#[derive(Debug, serde::Deserialize, serde::Serialize)]
enum Auth {
    Anonymous,
    Key(Secret<String>),
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Shapes {
    creds: Option<Creds>,
    pair: Option<(String, Secret<String>)>,
    auth: Option<Auth>,
    plain: Option<BTreeMap<String, String>>,
    #[settings(default = 1)]
    port: u16,
}

/// L3: a value holding a `Secret` in a user struct, a tuple or an enum is secret for its
/// load: `explain` shows no value, and the settings' redactor has its secrets.
#[test]
fn a_secret_inside_a_user_type_is_secret_for_the_load() {
    let creds = format!(r#"{{"user": "svc-user-01", "key": "{KEY}"}}"#);
    let pair = format!(r#"["svc-user-02", "{KEY}-pair"]"#);
    let auth = format!(r#"{{"Key": "{KEY}-enum"}}"#);
    let vars = [
        ("APP_CREDS", creds.as_str()),
        ("APP_PAIR", pair.as_str()),
        ("APP_AUTH", auth.as_str()),
        ("APP_PLAIN", r#"{"region": "eu-west-1"}"#),
    ];
    let explain = env_only::<Shapes>(&vars).explain().unwrap();
    let rows = explain.rows();
    for row in &rows[..3] {
        assert!(row.is_secret(), "{} is secret for the load", row.setting());
        assert!(row.value().starts_with("sha256:"), "{}", row.value());
    }
    assert!(!rows[3].is_secret());
    assert_eq!(rows[3].value(), r#"{"region": "eu-west-1"}"#);
    assert!(!format!("{explain}{explain:?}{}", explain.to_json()).contains(KEY));

    let cfg = env_only::<Shapes>(&vars).load().unwrap();
    let redactor = cfg.redactor();
    let line = format!("k1={KEY} k2={KEY}-pair k3={KEY}-enum");
    assert_eq!(
        redactor.redact(&line),
        "k1=[REDACTED] k2=[REDACTED] k3=[REDACTED]"
    );
    assert_eq!(cfg.creds.unwrap().key.expose_secret(), KEY);
}

/// A parse error of a value that made a `Secret` before failing never shows it.
#[test]
fn a_user_type_that_fails_after_making_a_secret_hides_its_text() {
    let creds = format!(r#"{{"key": "{KEY}", "user": 5}}"#);
    let err = env_only::<Shapes>(&[("APP_CREDS", creds.as_str()), ("APP_PORT", KEY)])
        .load()
        .unwrap_err();
    let texts = error_texts(&err);
    assert!(!texts.contains(KEY), "{texts}");
    assert_eq!(err.problems()[0].env_var(), "APP_CREDS");
}

/// L4: `#[settings(secret)]` on a type with no `Serialize`: the redactor scrubs every
/// string and every secret inside it (read through `Debug`), and so does the load's.
#[test]
fn a_forced_secret_without_serialize_is_scrubbed_whole() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Config {
        #[settings(secret)]
        creds: CredsDe,
        port: u16,
    }
    let creds = format!(r#"{{"user": "svc-user-0123", "key": "{KEY}"}}"#);
    let cfg = env_only::<Config>(&[("APP_CREDS", creds.as_str()), ("APP_PORT", "1")])
        .load()
        .unwrap();
    assert_eq!(cfg.creds.user, "svc-user-0123");
    assert_eq!(cfg.creds.key.expose_secret(), KEY);
    let redactor = cfg.redactor();
    assert_eq!(
        redactor.redact(&format!("user=svc-user-0123 key={KEY}")),
        "user=[REDACTED] key=[REDACTED]"
    );
    let err = env_only::<Config>(&[("APP_CREDS", creds.as_str()), ("APP_PORT", "svc-user-0123")])
        .load()
        .unwrap_err();
    assert!(!error_texts(&err).contains("svc-user-0123"), "{err}");
}

/// L6: a key pasted into `NAME_FILE` by mistake is never shown: the problem says that
/// the variable names no file and may hold the secret itself.
#[test]
fn a_key_pasted_into_name_file_is_not_shown() {
    let err = env_only::<Service>(&[("APP_API_KEY_FILE", KEY)])
        .load()
        .unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(problem.env_var(), "APP_API_KEY");
    assert_eq!(
        problem.message(),
        "APP_API_KEY_FILE names no file; its value is not shown, as it may be the secret itself (did you mean APP_API_KEY?)"
    );
    assert!(!error_texts(&err).contains(&KEY[..12]), "{err}");
    // A plain setting's `NAME_FILE` still names the path it tried.
    let err = env_only::<Service>(&[("APP_API_KEY", KEY), ("APP_URL_FILE", "/no/such/url")])
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("/no/such/url"), "{err}");
}

/// W5: a name holding a control character is shown quoted and escaped: no report line
/// can be forged.
#[test]
fn names_with_control_characters_cannot_forge_report_lines() {
    let forged = "APP_X\n  APP_API_KEY (environment): all good\u{1b}[2K";
    let err = env_only::<Service>(&[(forged, "1")]).load().unwrap_err();
    let report = err.to_string();
    // The header, the missing key, the how-to under the list, the warning.
    assert_eq!(report.lines().count(), 4, "{report}");
    let warning = &err.warnings()[0];
    assert_eq!(
        warning.env_var(),
        r#""APP_X\n  APP_API_KEY (environment): all good\u{1b}[2K""#
    );
    assert!(!report.contains('\u{1b}'), "{report}");
}

/// L9: the dotenvx private keys a load used or tried are secrets of that load: a plain
/// value holding one is redacted.
#[cfg(feature = "dotenvx")]
#[test]
fn dotenvx_private_keys_are_secrets_of_the_load() {
    let (public, private) = confidant::dotenvx::generate_keypair();
    let sealed = confidant::dotenvx::encrypt(&public, KEY).unwrap();
    let private = private.expose_secret().as_str();
    let dir = tempdir();
    let env = write(
        dir.path(),
        ".env",
        &format!("APP_API_KEY={sealed}\nAPP_PORT={private}\nAPP_URL=key:{private}\n"),
    );
    let err = dotenv_only::<Service>(&env)
        .env_vars([("DOTENV_PRIVATE_KEY", private)])
        .load()
        .unwrap_err();
    let texts = error_texts(&err);
    assert!(!texts.contains(private), "{texts}");
    assert!(texts.contains("[REDACTED]"), "{texts}");
    let explain = dotenv_only::<Service>(&env)
        .env_vars([("DOTENV_PRIVATE_KEY", private), ("APP_PORT", "1")])
        .explain()
        .unwrap();
    assert_eq!(explain.rows()[1].value(), "key:[REDACTED]");
}

/// `Watch` and `Change` show no value in `Debug`.
#[test]
fn watch_and_change_debug_show_no_value() {
    let dir = tempdir();
    let env = write(
        dir.path(),
        ".env",
        &format!("APP_API_KEY={KEY}\nAPP_URL={KEY}\n"),
    );
    let watch = isolated::<Service>().dotenv(&env).watch().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = std::sync::Arc::clone(&seen);
    watch.on_change(move |change| *sink.lock().unwrap() = format!("{change:?}"));
    write(
        dir.path(),
        ".env",
        &format!("APP_API_KEY={KEY}\nAPP_URL={KEY}-2\n"),
    );
    watch.reload().unwrap();
    let change = seen.lock().unwrap().clone();
    assert!(change.contains("\"url\""), "{change}");
    let text = format!("{watch:?}\n{change}");
    assert!(!text.contains(&KEY[..12]), "{text}");
}
