//! Small API conveniences: `Loader` is `Clone` and its `Debug` shows configuration but
//! no value; `Error` iterates over its problems; `ProblemKind` displays as a word;
//! `Redactor::default()` redacts nothing; `RedactingWriter::get_mut`; a generic
//! settings struct with a nested field compiles.

mod common;

use std::io::Write as _;

use confidant::{ProblemKind, Redactor, Secret, Settings};

const CANARY: &str = "canary-api-7d1e5f";

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = 8080)]
    port: u16,
    token: Secret<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    #[settings(default = "localhost")]
    host: String,
    password: Option<Secret<String>>,
}

#[test]
fn loader_debug_shows_the_configuration_and_no_value() {
    let dir = common::tempdir();
    let dotenv = common::write(dir.path(), ".env", &format!("APP_TOKEN={CANARY}\n"));
    let loader = Config::loader()
        .env_vars([("APP_TOKEN", CANARY), ("APP_DB__PASSWORD", CANARY)])
        .dotenv(&dotenv)
        .no_secrets_dir()
        .set("db.password", CANARY)
        .set("port", "9000");
    #[cfg(feature = "figment")]
    let loader = loader.provider(confidant::figment::providers::Serialized::default(
        "token", CANARY,
    ));
    let shown = format!("{loader:?}");
    let pretty = format!("{loader:#?}");
    for text in [&shown, &pretty] {
        assert!(
            !text.contains(CANARY),
            "Loader's Debug shows a value: {text}"
        );
    }
    assert!(shown.contains(r#"settings: "Config""#), "{shown}");
    assert!(shown.contains("env: 2 variables given"), "{shown}");
    assert!(
        shown.contains(&format!("dotenv: Named([{:?}])", dotenv)),
        "{shown}"
    );
    assert!(shown.contains("secrets_dir: Off"), "{shown}");
    assert!(
        shown.contains(r#"overrides: ["db.password", "port"]"#),
        "{shown}"
    );
    #[cfg(feature = "figment")]
    assert!(shown.contains("providers: [\""), "{shown}");

    let process = format!("{:?}", Config::loader());
    assert!(
        process.contains("env: process environment, dotenv: Default, secrets_dir: Default"),
        "{process}"
    );
}

#[test]
fn a_cloned_loader_loads_the_same_and_branches_independently() {
    let base = common::env_only::<Config>(&[("APP_TOKEN", "tok-0123456789")]);
    let branch = base.clone().set("port", "9000");
    let a = base.clone().load().unwrap();
    let b = base.load().unwrap();
    let c = branch.load().unwrap();
    assert_eq!((a.port, b.port, c.port), (8080, 8080, 9000));
    assert_eq!(format!("{:?}", a.redactor()), format!("{:?}", c.redactor()));
}

#[test]
fn an_error_iterates_over_its_problems_in_order() {
    let err = common::env_only::<Config>(&[("APP_PORT", "x")])
        .load()
        .unwrap_err();
    let by_iter: Vec<&str> = err.iter().map(|p| p.field()).collect();
    let mut by_for = Vec::new();
    for problem in &err {
        by_for.push(problem.field());
    }
    assert_eq!(by_iter, ["port", "token"]);
    assert_eq!(by_for, by_iter);
    let kinds: Vec<String> = err.iter().map(|p| p.kind().to_string()).collect();
    assert_eq!(kinds, ["invalid", "missing"]);
}

#[test]
fn every_problem_kind_displays_as_one_word() {
    let words = [
        (ProblemKind::Missing, "missing"),
        (ProblemKind::Invalid, "invalid"),
        (ProblemKind::Conflict, "conflict"),
        (ProblemKind::Unreadable, "unreadable"),
        (ProblemKind::Validation, "validation"),
        (ProblemKind::Unknown, "unknown"),
    ];
    for (kind, word) in words {
        assert_eq!(kind.to_string(), word);
    }
}

#[test]
fn the_default_redactor_replaces_nothing() {
    let redactor = Redactor::default();
    assert_eq!((redactor.secrets(), redactor.too_short()), (0, 0));
    assert_eq!(redactor.redact(CANARY), CANARY);
    let mut out = redactor.writer(Vec::new());
    writeln!(out, "{CANARY}").unwrap();
    assert_eq!(out.into_inner().unwrap(), format!("{CANARY}\n").as_bytes());
}

#[test]
fn get_mut_reaches_the_inner_writer_and_redaction_goes_on() {
    let mut out = Redactor::new([CANARY]).writer(Vec::<u8>::new());
    writeln!(out, "first {CANARY}").unwrap();
    assert_eq!(out.get_ref(), b"first [REDACTED]\n");
    out.get_mut().clear();
    writeln!(out, "second {CANARY}").unwrap();
    assert_eq!(out.get_ref(), b"second [REDACTED]\n");
}
