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

/// A list of durations is written so that it reads back: humantime's forms in a JSON
/// array, not serde's `{"secs":..,"nanos":..}`.
#[test]
fn a_list_of_durations_is_written_so_that_it_reads_back() {
    #[derive(Debug, Settings)]
    #[settings(prefix = "APP_")]
    struct Timeouts {
        #[settings(default)]
        backoff: Vec<Duration>,
    }
    let cfg = common::load_env::<Timeouts>(&[("APP_BACKOFF", "500ms, 90, 2h")]).unwrap();
    let env = cfg.child_env(&["backoff"]).unwrap();
    let text = env.get("APP_BACKOFF").unwrap().to_owned();
    assert_eq!(text, r#"["500ms","1m 30s","2h"]"#);
    let again = common::load_env::<Timeouts>(&[("APP_BACKOFF", &text)]).unwrap();
    assert_eq!(again.backoff, cfg.backoff);
}

#[derive(Debug, Settings)]
#[settings(prefix = "SVC_")]
struct Defaults {
    #[settings(default = "30s")]
    timeout: Duration,
    #[settings(default = "8080")]
    port: u16,
    #[settings(default = "warn")]
    level: Level,
    #[settings(default = "gpt-4o")]
    model: String,
    #[settings(default = "a, b")]
    tags: Vec<String>,
    #[settings(default = "90")]
    grace: Option<Duration>,
}

#[test]
fn a_string_default_is_parsed_by_the_fields_parser() {
    let cfg: Defaults = common::load_env(&[]).unwrap();
    assert_eq!(cfg.timeout, Duration::from_secs(30));
    assert_eq!(cfg.port, 8080);
    assert_eq!(cfg.level, Level::Warn);
    assert_eq!(cfg.model, "gpt-4o");
    assert_eq!(cfg.tags, ["a", "b"]);
    assert_eq!(cfg.grace, Some(Duration::from_secs(90)));
    // A set value wins over the default, and the origin says which.
    let cfg: Defaults = common::load_env(&[("SVC_TIMEOUT", "2m"), ("SVC_PORT", "1")]).unwrap();
    assert_eq!(cfg.timeout, Duration::from_secs(120));
    assert_eq!(cfg.port, 1);
}

#[test]
fn explain_shows_a_string_default_as_written() {
    let explain = common::env_only::<Defaults>(&[]).explain().unwrap();
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "timeout")
        .unwrap();
    assert_eq!(row.value(), "30s");
    assert_eq!(row.origin(), &confidant::Origin::Default);
}

#[derive(Debug, Settings)]
#[settings(prefix = "BAD_")]
struct BadDefault {
    #[settings(default = "30 fortnights")]
    timeout: Duration,
    #[settings(default = "80x")]
    port: u16,
}

#[test]
fn a_default_that_does_not_parse_fails_every_load() {
    // Unset: the default is used and fails.
    let err = common::load_env::<BadDefault>(&[]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(r#"the default "30 fortnights" is not a valid Duration"#),
        "{text}"
    );
    assert!(
        text.contains(r#"the default "80x" is not a valid u16"#),
        "{text}"
    );
    // Set: the default is not used, and still fails the load.
    let err =
        common::load_env::<BadDefault>(&[("BAD_TIMEOUT", "1s"), ("BAD_PORT", "1")]).unwrap_err();
    assert_eq!(err.problems().len(), 2, "{err}");
    // And so does the fixture.
    assert!(BadDefault::fixture().load().is_err());
}

#[derive(Debug, Settings)]
#[settings(prefix = "SVC_", ignore_env = "SVC_WAIT", ignore_env = "SVC_DEBUG_*")]
struct Service {
    port: Option<u16>,
}

fn unknown_names(warnings: &[confidant::Problem]) -> Vec<String> {
    warnings
        .iter()
        .filter(|w| w.kind() == confidant::ProblemKind::Unknown)
        .map(|w| w.to_string())
        .collect()
}

#[test]
fn ignored_names_are_never_unknown_in_the_environment() {
    let vars = [
        ("SVC_PORT", "1"),
        ("SVC_WAIT", "5"),
        ("svc_wait", "5"),
        ("SVC_DEBUG_SQL", "1"),
        ("SVC_DEBUG_", "1"),
        ("SVC_WAITS", "5"),
        ("SVC_DEBUG", "1"),
    ];
    let (_, warnings) = common::env_only::<Service>(&vars)
        .load_with_warnings()
        .unwrap();
    let unknown = unknown_names(&warnings);
    assert_eq!(unknown.len(), 2, "{unknown:#?}");
    assert!(
        unknown.iter().any(|w| w.contains("SVC_WAITS")),
        "{unknown:#?}"
    );
    // `SVC_DEBUG` lacks the `_` of the pattern `SVC_DEBUG_*`: the other unknown one.
    assert!(
        !unknown.iter().any(|w| w.contains("SVC_DEBUG_")),
        "{unknown:#?}"
    );
    // `strict` fails only on the names not declared.
    let vars = [("SVC_WAIT", "5"), ("SVC_DEBUG_SQL", "1")];
    common::env_only::<Service>(&vars).strict().load().unwrap();
    let err = common::env_only::<Service>(&[("SVC_WAITS", "5")])
        .strict()
        .load()
        .unwrap_err();
    assert!(err.to_string().contains("SVC_WAITS"), "{err}");
}

#[test]
fn ignored_names_are_never_unknown_in_dotenv() {
    let dir = common::tempdir();
    let file = common::write(
        dir.path(),
        ".env",
        "SVC_WAIT=5\nSVC_DEBUG_HTTP=1\nSVC_NOPE=1\n",
    );
    let (_, warnings) = common::dotenv_only::<Service>(file)
        .load_with_warnings()
        .unwrap();
    let unknown = unknown_names(&warnings);
    assert_eq!(unknown.len(), 1, "{unknown:#?}");
    assert!(unknown[0].contains("SVC_NOPE"), "{unknown:#?}");
}

#[derive(Debug, Settings)]
#[settings(prefix = "AI_")]
struct Providers {
    keys: Option<std::collections::HashMap<String, Secret<String>>>,
    required_keys: std::collections::BTreeMap<String, Secret<String>>,
    accepted: Vec<Secret<String>>,
    code: Option<Secret<u32>>,
}

#[test]
fn fixture_placeholders_fit_maps_lists_and_optional_fields() {
    let cfg = Providers::fixture().load().unwrap();
    let keys = cfg.keys.unwrap();
    assert_eq!(keys["fake"].expose_secret(), "fake-keys");
    assert_eq!(
        cfg.required_keys["fake"].expose_secret(),
        "fake-required_keys"
    );
    assert_eq!(cfg.accepted.len(), 1);
    assert_eq!(cfg.accepted[0].expose_secret(), "fake-accepted");
    // Types the placeholder cannot become: left unset.
    assert!(cfg.code.is_none());
    let explain = Providers::fixture().explain().unwrap();
    let row = explain
        .rows()
        .iter()
        .find(|r| r.setting() == "code")
        .unwrap();
    assert_eq!(row.origin(), &confidant::Origin::Unset, "{explain}");
}

#[test]
fn run_watch_takes_the_flags_then_watches() {
    use confidant::cli::{Outcome, watch_with};
    let loader = |vars: &[(&str, &str)]| common::env_only::<Service>(vars).poll_only();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = watch_with(["--check-config"], loader(&[]), &mut out, &mut err);
    assert!(matches!(outcome, Outcome::Exit(0)));
    assert_eq!(String::from_utf8(out).unwrap(), "ok\n");
    let outcome = watch_with(
        ["serve"],
        loader(&[("SVC_PORT", "7")]),
        &mut Vec::new(),
        &mut Vec::new(),
    );
    let Outcome::Run(watch) = outcome else {
        panic!("no startup flag: a watch");
    };
    assert_eq!(watch.current().port, Some(7));
    let mut err = Vec::new();
    let outcome = watch_with(
        [""; 0],
        loader(&[("SVC_PORT", "x")]),
        &mut Vec::new(),
        &mut err,
    );
    assert!(matches!(outcome, Outcome::Exit(confidant::EXIT_CONFIG)));
    assert!(String::from_utf8(err).unwrap().contains("SVC_PORT"));
    let outcome = watch_with(
        ["--print-config", "extra"],
        loader(&[]),
        &mut Vec::new(),
        &mut Vec::new(),
    );
    assert!(matches!(outcome, Outcome::Exit(confidant::cli::EXIT_USAGE)));
}

#[derive(Debug, Settings)]
#[settings(prefix = "EX_")]
struct Explained {
    #[settings(default = 8080)]
    port: u16,
    workers: u8,
    api_key: Secret<String>,
    missing: String,
}

#[test]
fn a_failed_explain_keeps_the_table_of_what_did_load() {
    let canary = "sk-canary-explain-4b5c6d7e8f";
    let vars = [("EX_WORKERS", "many"), ("EX_API_KEY", canary)];
    let err = common::env_only::<Explained>(&vars).explain().unwrap_err();
    let table = err.explain().expect("the table");
    let value = |name: &str| {
        let row = table.rows().iter().find(|r| r.setting() == name).unwrap();
        row.value().to_owned()
    };
    assert_eq!(value("port"), "8080");
    assert_eq!(value("workers"), "(failed)");
    assert_eq!(value("missing"), "(failed)");
    assert!(value("api_key").starts_with("sha256:"), "{table}");
    let shown = format!("{table}\n{}\n{err}", table.to_json());
    assert!(common::leaked(canary, &shown).is_none(), "{shown}");
    // A plain load keeps no table.
    assert!(
        common::env_only::<Explained>(&vars)
            .load()
            .unwrap_err()
            .explain()
            .is_none()
    );
}

#[test]
fn print_config_on_a_failed_load_prints_the_table_then_the_report() {
    let canary = "sk-canary-print-9a8b7c6d5e";
    let vars = [("EX_WORKERS", "many"), ("EX_API_KEY", canary)];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = confidant::cli::run_with(
        ["--print-config"],
        common::env_only::<Explained>(&vars),
        &mut out,
        &mut err,
    );
    assert!(matches!(
        outcome,
        confidant::cli::Outcome::Exit(confidant::EXIT_CONFIG)
    ));
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    assert!(out.contains("EX_PORT") && out.contains("(failed)"), "{out}");
    assert!(err.contains("EX_WORKERS"), "{err}");
    assert!(common::leaked(canary, &out).is_none(), "{out}");
    assert!(common::leaked(canary, &err).is_none(), "{err}");
}
