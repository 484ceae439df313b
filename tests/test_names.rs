//! Environment names: prefix + UPPER_SNAKE, `__` for nesting, exact `env`, aliases in
//! order, case-insensitive matching with conflicts, `case_sensitive`.

mod common;

use confidant::{ExposeSecret, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    #[settings(default = 0)]
    llm_max_tokens: u32,
    #[settings(env = "DATABASE_URL", alias = "DB_URL", alias = "PG_URL")]
    database_url: Secret<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    #[settings(default = 5432)]
    port: u16,
    #[settings(nested)]
    pool: Pool,
}

#[derive(Debug, Settings)]
struct Pool {
    #[settings(default = 4)]
    max_size: u8,
}

fn load(vars: &[(&str, &str)]) -> Result<Config, confidant::Error> {
    common::load_env(vars)
}

const URL: (&str, &str) = ("DATABASE_URL", "postgres://a");

#[test]
fn prefix_upper_snake_and_double_underscore_for_nesting() {
    let cfg = load(&[
        URL,
        ("APP_LLM_MAX_TOKENS", "9"),
        ("APP_DB__PORT", "1"),
        ("APP_DB__POOL__MAX_SIZE", "2"),
    ])
    .unwrap();
    assert_eq!(
        (cfg.llm_max_tokens, cfg.db.port, cfg.db.pool.max_size),
        (9, 1, 2)
    );
}

#[test]
fn unprefixed_name_is_not_read() {
    let cfg = load(&[URL, ("LLM_MAX_TOKENS", "9")]).unwrap();
    assert_eq!(cfg.llm_max_tokens, 0);
}

#[test]
fn env_is_exact_and_aliases_are_fallbacks_in_order() {
    let cfg = load(&[("PG_URL", "pg"), ("DB_URL", "db")]).unwrap();
    assert_eq!(cfg.database_url.expose_secret(), "db");
    let cfg = load(&[("PG_URL", "pg"), ("DB_URL", "db"), ("DATABASE_URL", "main")]).unwrap();
    assert_eq!(cfg.database_url.expose_secret(), "main");
    let cfg = load(&[("PG_URL", "pg")]).unwrap();
    assert_eq!(cfg.database_url.expose_secret(), "pg");
    // The prefix does not apply to an exact name.
    let err = load(&[("APP_DATABASE_URL", "x")]).unwrap_err();
    assert_eq!(err.problems()[0].env_var(), "DATABASE_URL");
}

#[test]
fn matching_ignores_case() {
    let cfg = load(&[("database_url", "x"), ("app_db__port", "7")]).unwrap();
    assert_eq!(cfg.db.port, 7);
}

#[test]
fn two_spellings_that_disagree_are_a_conflict() {
    let err = load(&[URL, ("APP_DB__PORT", "1"), ("app_db__port", "2")]).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.kind(), ProblemKind::Conflict);
    assert_eq!(p.env_var(), "APP_DB__PORT");
    assert!(p.message().contains("app_db__port") && p.message().contains("APP_DB__PORT"));
    // Agreeing spellings are fine, and so is an empty one next to a set one.
    assert_eq!(
        load(&[URL, ("APP_DB__PORT", "1"), ("app_db__port", "1")])
            .unwrap()
            .db
            .port,
        1
    );
    assert_eq!(
        load(&[URL, ("APP_DB__PORT", "1"), ("app_db__port", "")])
            .unwrap()
            .db
            .port,
        1
    );
}

#[derive(Debug, Settings)]
#[settings(prefix = "APP_", case_sensitive)]
struct Exact {
    #[settings(default = 0)]
    port: u16,
}

#[test]
fn case_sensitive_matches_only_the_exact_spelling() {
    let load = |k: &str| common::load_env::<Exact>(&[(k, "5")]).unwrap().port;
    assert_eq!(load("APP_PORT"), 5);
    assert_eq!(load("app_port"), 0);
}

#[test]
fn problems_name_the_full_env_var_and_path() {
    let err = load(&[URL, ("APP_DB__POOL__MAX_SIZE", "many")]).unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.field(), "db.pool.max_size");
    assert_eq!(p.env_var(), "APP_DB__POOL__MAX_SIZE");
}
