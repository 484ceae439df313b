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
    // Once, under the list (see test_secrets_dir for the directory it names).
    let text = err.to_string();
    let howto = text.lines().last().unwrap();
    for way in [
        "APP_API_KEY",
        "APP_API_KEY_FILE",
        "api_key",
        "secrets directory",
    ] {
        assert!(howto.contains(way), "{text}");
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

/// Issue 24: `set("prot", ..)` says which setting was meant, as an unknown environment
/// variable does.
#[test]
fn an_unknown_override_suggests_the_closest_setting() {
    let err = Config::fixture()
        .set("name", "n")
        .set("prot", "1")
        .set("db.prot", "1")
        .set("completely.different", "1")
        .load()
        .unwrap_err();
    let messages: Vec<&str> = err.problems().iter().map(|p| p.message()).collect();
    assert_eq!(
        messages,
        [
            "`set(\"prot\", ..)` names no setting; did you mean port?",
            "`set(\"db.prot\", ..)` names no setting; did you mean db.port?",
            "`set(\"completely.different\", ..)` names no setting",
        ]
    );
}

/// A `.env` file named explicitly that is not there: "does not exist", never the io
/// error's "entity not found" or "No such file or directory (os error 2)".
#[test]
fn a_named_dotenv_that_is_not_there_does_not_exist() {
    let dir = common::tempdir();
    let path = dir.path().join("missing.env");
    let err = common::dotenv_only::<Config>(&path).load().unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Unreadable);
    assert_eq!(
        p.message(),
        format!(".env file {} does not exist", path.display())
    );
    let text = err.to_string();
    assert!(
        !text.contains("not found") && !text.contains("os error"),
        "{text}"
    );
}

/// Issue 24: one name twice in `env_vars` is a duplicate in one layer (the later
/// value is used, as a map would keep it), not "the names X and X are both set".
#[test]
fn a_name_given_twice_in_env_vars_is_a_duplicate() {
    let (cfg, warnings) = common::env_only::<Config>(&[
        ("APP_API_KEY", "k"),
        ("APP_NAME", "first"),
        ("APP_NAME", "second"),
    ])
    .load_with_warnings()
    .unwrap();
    assert_eq!(cfg.name, "second");
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "APP_NAME (environment): is given twice in env_vars with different values (not shown); the later one is used"
        ]
    );
    assert_eq!(warnings[0].field(), "name");
    assert!(!format!("{warnings:?}").contains("first"));
    // `set` twice: the later, silently (a builder's later call wins).
    let cfg = Config::fixture()
        .set("name", "first")
        .set("name", "second")
        .load()
        .unwrap();
    assert_eq!(cfg.name, "second");
    // Twice with one value: nothing to say.
    let (_, warnings) =
        common::env_only::<Config>(&[("APP_API_KEY", "k"), ("APP_NAME", "n"), ("APP_NAME", "n")])
            .load_with_warnings()
            .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    // Two spellings of one name are still a conflict.
    let err = common::load_env::<Config>(&[
        ("APP_API_KEY", "k"),
        ("APP_NAME", "first"),
        ("app_name", "second"),
    ])
    .unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Conflict, "{err}");
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
