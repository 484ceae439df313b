//! One report of every problem: collected across fields, in declaration order, each
//! naming the env var, the origin and what is wrong.

#![allow(dead_code)] // reason: these settings are only loaded to fail; their fields are never read

mod common;

use confidant::{Error, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    api_key: Secret<String>,
    #[settings(default = 80)]
    port: u16,
    #[settings(default = 1.0)]
    ratio: f32,
    name: String,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    #[settings(default = 5432)]
    port: u16,
}

fn load(vars: &[(&str, &str)]) -> Result<Config, Error> {
    common::load_env(vars)
}

#[test]
fn every_problem_is_collected_in_declaration_order() {
    let err = load(&[("APP_DB__PORT", "x"), ("APP_RATIO", "y"), ("APP_PORT", "z")]).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.field(), p.env_var(), p.kind()))
        .collect();
    assert_eq!(
        got,
        [
            ("api_key", "APP_API_KEY", ProblemKind::Missing),
            ("port", "APP_PORT", ProblemKind::Invalid),
            ("ratio", "APP_RATIO", ProblemKind::Invalid),
            ("name", "APP_NAME", ProblemKind::Missing),
            ("db.port", "APP_DB__PORT", ProblemKind::Invalid),
        ]
    );
}

#[test]
fn display_is_a_report_a_person_can_act_on() {
    let err = load(&[("APP_API_KEY", "k"), ("APP_PORT", "eighty")]).unwrap_err();
    let text = err.to_string();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("Config: 2 problems loading settings"));
    assert_eq!(
        lines.next(),
        Some(
            r#"  APP_PORT (environment): invalid value "eighty": expected u16: invalid digit found in string"#
        )
    );
    assert_eq!(
        lines.next(),
        Some("  APP_NAME: required setting is not set; set APP_NAME in the environment or .env")
    );
    assert_eq!(lines.next(), None);
}

#[test]
fn a_missing_secret_says_every_way_to_provide_it() {
    let err = load(&[("APP_NAME", "n")]).unwrap_err();
    let message = err.problems()[0].message();
    for way in [
        "APP_API_KEY",
        "APP_API_KEY_FILE",
        "api_key",
        "secrets directory",
    ] {
        assert!(message.contains(way), "{message}");
    }
}

#[test]
fn an_unknown_override_is_a_problem() {
    let err = Config::fixture()
        .set("name", "n")
        .set("db.prot", "1")
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.field(), p.kind()), ("db.prot", ProblemKind::Unknown));
}

#[test]
fn problems_are_the_same_on_every_load() {
    let vars = [("APP_DB__PORT", "x"), ("APP_RATIO", "y")];
    let first = load(&vars).unwrap_err().to_string();
    for _ in 0..5 {
        assert_eq!(load(&vars).unwrap_err().to_string(), first);
    }
}

#[test]
fn error_is_send_sync_and_std_error() {
    fn check<E: std::error::Error + Send + Sync + 'static>() {}
    check::<Error>();
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(load(&[]).unwrap_err());
    assert!(boxed.to_string().starts_with("Config: "));
}

/// Two settings that answer to one name (across a nested struct, which the derive cannot
/// see): the problem sits at the second one's place in declaration order, not first.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Colliding {
    first: String,
    #[settings(nested)]
    inner: Inner,
    third: u8,
}

#[derive(Debug, Settings)]
struct Inner {
    #[settings(alias = "APP_FIRST")]
    second: String,
}

#[test]
fn name_collisions_are_in_declaration_order() {
    let err = common::load_env::<Colliding>(&[("APP_THIRD", "x"), ("APP_FIRST", "a")]).unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.field(), p.kind()))
        .collect();
    assert_eq!(
        got,
        [
            ("inner.second", ProblemKind::Conflict),
            ("inner.second", ProblemKind::Missing),
            ("third", ProblemKind::Invalid),
        ],
        "{err}"
    );
}

/// A setting whose name is another setting's `NAME_FILE` name, across a nested struct
/// (within one struct the derive rejects it): `APP_SSL_KEY_FILE` would be read both as
/// `tls.key_path` and as a path to `ssl_key`'s value. A conflict of every load.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct FileNameTaken {
    ssl_key: String,
    #[settings(nested)]
    tls: Tls,
}

#[derive(Debug, Settings)]
struct Tls {
    #[settings(env = "APP_SSL_KEY_FILE", default = "/etc/tls/key.pem")]
    key_path: String,
}

#[test]
fn a_setting_named_like_another_settings_file_name_is_a_conflict() {
    let err = common::load_env::<FileNameTaken>(&[("APP_SSL_KEY", "k")]).unwrap_err();
    let problems = err.problems();
    assert_eq!(problems.len(), 1, "{err}");
    assert_eq!(problems[0].field(), "tls.key_path");
    assert_eq!(problems[0].kind(), ProblemKind::Conflict);
    let text = problems[0].to_string();
    assert!(
        text.contains("APP_SSL_KEY_FILE") && text.contains("`_FILE` name of `ssl_key`"),
        "{text}"
    );
}

#[cfg(feature = "figment")]
#[test]
fn a_problem_with_an_origin_but_no_setting_starts_with_the_origin() {
    use confidant::figment::providers::{Format, Json};
    let err = Config::fixture()
        .set("api_key", "k")
        .set("name", "n")
        .provider(Json::string("{not json"))
        .load()
        .unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(problem.kind(), ProblemKind::Unreadable);
    let text = problem.to_string();
    assert!(text.starts_with("provider "), "{text:?}");
    assert!(text.contains("could not be read"), "{text:?}");
}
