//! Fixtures: no process environment, no `.env`, no secrets directory; secrets get
//! their `fake` or `fake-<path>`; validated like any load; safe in parallel.

mod common;

use confidant::{ExposeSecret, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "", secrets_dir = "/run/secrets")]
struct Config {
    #[settings(fake = "sk-test-0000000000000000000000")]
    openai_api_key: Secret<String>,
    anthropic_api_key: Secret<String>,
    serper_api_key: Option<Secret<String>>,
    /// `PATH` is set in every test process: a fixture must not read it.
    path: Option<String>,
    #[settings(default = 8080, fake = 1)]
    port: u16,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    password: Secret<String>,
    #[settings(default = "localhost")]
    host: String,
}

#[test]
fn secrets_get_fake_values_or_placeholders() {
    let cfg = Config::fixture().load().unwrap();
    assert_eq!(
        cfg.openai_api_key.expose_secret(),
        "sk-test-0000000000000000000000"
    );
    assert_eq!(
        cfg.anthropic_api_key.expose_secret(),
        "fake-anthropic_api_key"
    );
    assert_eq!(
        cfg.serper_api_key.unwrap().expose_secret(),
        "fake-serper_api_key"
    );
    assert_eq!(cfg.db.password.expose_secret(), "fake-db.password");
    assert_eq!(cfg.db.host, "localhost");
    // A plain field's `fake` wins over its default in a fixture.
    assert_eq!(cfg.port, 1);
}

#[test]
fn fixtures_do_not_read_the_process_environment() {
    assert!(
        std::env::var_os("PATH").is_some(),
        "the test needs PATH set"
    );
    let cfg = Config::fixture().load().unwrap();
    assert_eq!(cfg.path, None);
}

#[test]
fn fixtures_take_overrides_and_env_maps() {
    let cfg = Config::fixture()
        .env_vars([("DB__HOST", "db.internal")])
        .set("port", "9")
        .set("openai_api_key", "sk-other")
        .load()
        .unwrap();
    assert_eq!(cfg.db.host, "db.internal");
    assert_eq!(cfg.port, 9);
    assert_eq!(cfg.openai_api_key.expose_secret(), "sk-other");
}

#[test]
fn fixtures_report_problems_like_any_load() {
    let err = Config::fixture().set("port", "x").load().unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Invalid);
}

#[test]
fn fixtures_are_safe_in_parallel() {
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                let cfg = Config::fixture().set("port", i.to_string()).load().unwrap();
                assert_eq!(cfg.port, i);
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn a_normal_load_ignores_fake_values() {
    let err = common::env_only::<Config>(&[("X", "1")])
        .load()
        .unwrap_err();
    assert!(err.problems().iter().any(|p| p.field() == "openai_api_key"));
}
