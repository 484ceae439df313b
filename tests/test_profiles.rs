//! Profiles: `Loader::profile` or the struct's `profile_env` variable adds, above each
//! `.env` file `F`, `F.<profile>`, then `F.local`, then `F.<profile>.local` (later wins,
//! each optional); without a profile only `F.local`. Secrets directories are unchanged.

mod common;

use std::path::{Path, PathBuf};

use confidant::{ExposeSecret, Origin, Problem, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_", profile_env = "APP_ENV")]
struct Config {
    #[settings(default = "default")]
    a: String,
    #[settings(default = "default")]
    b: String,
    #[settings(default = "default")]
    c: String,
    #[settings(default = "default")]
    d: String,
    token: Option<Secret<String>>,
}

/// `.env` sets A..D; `.env.production` B..D; `.env.local` C..D; `.env.production.local`
/// D: each setting shows the highest file that sets it.
fn four_files(dir: &Path) -> PathBuf {
    let base = common::write(
        dir,
        ".env",
        "APP_A=base\nAPP_B=base\nAPP_C=base\nAPP_D=base\n",
    );
    common::write(
        dir,
        ".env.production",
        "APP_B=prod\nAPP_C=prod\nAPP_D=prod\n",
    );
    common::write(dir, ".env.local", "APP_C=local\nAPP_D=local\n");
    common::write(dir, ".env.production.local", "APP_D=prod-local\n");
    common::write(dir, ".env.staging", "APP_A=staging\n");
    base
}

fn values(cfg: &Config) -> [&str; 4] {
    [&cfg.a, &cfg.b, &cfg.c, &cfg.d].map(String::as_str)
}

/// Loads `four_files` with `env` as the environment and the loader's `profile`, if any;
/// with the warnings.
fn load_four_files(env: &[(&str, &str)], profile: Option<&str>) -> (Config, Vec<Problem>) {
    let dir = common::tempdir();
    let base = four_files(dir.path());
    let mut loader = common::env_only::<Config>(env).dotenv(&base);
    if let Some(profile) = profile {
        loader = loader.profile(profile);
    }
    loader.load_with_warnings().unwrap()
}

#[test]
fn a_profile_layers_its_files_in_order() {
    let (cfg, _) = load_four_files(&[], Some("production"));
    assert_eq!(values(&cfg), ["base", "prod", "local", "prod-local"]);
}

#[test]
fn without_a_profile_only_dot_local_is_added() {
    let (cfg, _) = load_four_files(&[], None);
    assert_eq!(values(&cfg), ["base", "base", "local", "local"]);
}

#[test]
fn the_profile_env_variable_names_the_profile() {
    let (cfg, warnings) = load_four_files(&[("APP_ENV", "production")], None);
    assert_eq!(values(&cfg), ["base", "prod", "local", "prod-local"]);
    // APP_ENV has the prefix but is read: not an unknown name.
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn loader_profile_wins_over_the_variable() {
    let (cfg, _) = load_four_files(&[("APP_ENV", "production")], Some("staging"));
    assert_eq!(values(&cfg), ["staging", "base", "local", "local"]);
}

#[test]
fn profile_files_are_optional_even_for_a_named_file() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), ".env", "APP_A=base\n");
    let cfg = common::dotenv_only::<Config>(&base)
        .profile("production")
        .load()
        .unwrap();
    assert_eq!(values(&cfg), ["base", "default", "default", "default"]);
}

#[test]
fn the_environment_still_wins_over_every_profile_file() {
    let (cfg, _) = load_four_files(&[("APP_ENV", "production"), ("APP_D", "env")], None);
    assert_eq!(cfg.d, "env");
}

#[test]
fn each_named_file_gets_its_own_profile_files_above_it() {
    let dir = common::tempdir();
    let first = common::write(dir.path(), "one.env", "APP_A=one\nAPP_B=one\n");
    common::write(
        dir.path(),
        "one.env.production",
        "APP_A=one-prod\nAPP_B=one-prod\n",
    );
    let second = common::write(dir.path(), "two.env", "APP_B=two\n");
    let cfg = Config::loader()
        .env_vars([("UNRELATED", "1")])
        .dotenv(&first)
        .dotenv(&second)
        .no_secrets_dir()
        .profile("production")
        .load()
        .unwrap();
    assert_eq!(values(&cfg), ["one-prod", "two", "default", "default"]);
}

#[test]
fn the_origin_names_the_profile_file_and_line() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), ".env", "APP_A=1\n");
    let prod = common::write(dir.path(), ".env.production", "\n# set here\nAPP_A=x\n");
    let explain = common::env_only::<Config>(&[("APP_ENV", "production")])
        .dotenv(&base)
        .explain()
        .unwrap();
    let row = explain.rows().iter().find(|r| r.setting() == "a").unwrap();
    assert_eq!(
        row.origin(),
        &Origin::Dotenv {
            path: prod,
            line: 3,
            encrypted: false,
        }
    );
}

#[test]
fn a_profile_that_is_a_path_is_a_problem() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), ".env", "APP_A=1\n");
    let err = common::env_only::<Config>(&[("APP_ENV", "../etc/x")])
        .dotenv(&base)
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.env_var(), p.kind()), ("APP_ENV", ProblemKind::Invalid));
}

#[test]
fn a_broken_profile_file_reports_its_own_path_without_content() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), ".env", "APP_A=1\n");
    let local = common::write(
        dir.path(),
        ".env.production.local",
        "APP_TOKEN=\"canary-profile-9d2 unterminated\n",
    );
    let err = common::env_only::<Config>(&[("APP_ENV", "production")])
        .dotenv(&base)
        .load()
        .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!(p.env_var(), "APP_TOKEN");
    assert_eq!(
        p.origin(),
        Some(&Origin::Dotenv {
            path: local,
            line: 1,
            encrypted: false,
        })
    );
    let text = format!("{err}\n{err:?}");
    assert!(!text.contains("canary-profile-9d2"), "{text}");
}

#[test]
fn a_profile_secret_is_read() {
    let dir = common::tempdir();
    let base = common::write(dir.path(), ".env", "");
    common::write(dir.path(), ".env.test.local", "APP_TOKEN=tok\n");
    let cfg = common::dotenv_only::<Config>(&base)
        .profile("test")
        .load()
        .unwrap();
    assert_eq!(cfg.token.unwrap().expose_secret(), "tok");
}
