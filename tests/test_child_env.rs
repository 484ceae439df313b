//! `Settings::child_env`: the exact variables a child process gets.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use confidant::{ExposeSecret, ProblemKind, Secret, Settings};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    openai_api_key: Secret<String>,
    serper_api_key: Secret<String>,
    #[settings(env = "DATABASE_URL", alias = "DB_URL")]
    database_url: Secret<String>,
    backup_key: Option<Secret<String>>,
    #[settings(nested)]
    db: Db,
    #[settings(default = 0.2)]
    llm_temperature: f64,
    #[settings(default)]
    allowed_hosts: Vec<String>,
    #[settings(default = "/var/lib/app")]
    data_dir: PathBuf,
    #[settings(default = true)]
    verbose: bool,
}

#[derive(Debug, Settings)]
struct Db {
    #[settings(default = "localhost")]
    host: String,
    #[settings(default = 5432)]
    port: u16,
}

const OPENAI: &str = "sk-canary-openai-3b8f1d";
const SERPER: &str = "serper-canary-0d9e77";
const DB_URL: &str = "postgres://u:db-canary-pw@db/app";

fn cfg() -> Config {
    common::env_only::<Config>(&[
        ("APP_OPENAI_API_KEY", OPENAI),
        ("APP_SERPER_API_KEY", SERPER),
        ("DB_URL", DB_URL),
        ("APP_DB__HOST", "db.internal"),
        ("APP_ALLOWED_HOSTS", "a.example, b.example"),
        ("UNRELATED", "x"),
    ])
    .load()
    .unwrap()
}

/// Runs `env` with exactly these variables and returns what it printed.
fn child_sees(env: &confidant::ChildEnv) -> BTreeMap<String, String> {
    let output = Command::new("env").env_clear().envs(env).output().unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn a_child_sees_only_the_chosen_variables() {
    let cfg = cfg();
    let env = cfg.child_env(&["openai_api_key", "db.host"]).unwrap();
    assert_eq!(
        child_sees(&env),
        map(&[
            ("APP_OPENAI_API_KEY", OPENAI),
            ("APP_DB__HOST", "db.internal")
        ])
    );
    let env = cfg.child_env(&["serper_api_key"]).unwrap();
    assert_eq!(child_sees(&env), map(&[("APP_SERPER_API_KEY", SERPER)]));
}

#[test]
fn apply_clears_the_inherited_environment() {
    let env = cfg().child_env(&["db.port"]).unwrap();
    let mut cmd = Command::new("env");
    env.apply(&mut cmd);
    let out = cmd.output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "APP_DB__PORT=5432\n"
    );
}

#[test]
fn pairs_use_primary_names_and_read_back_as_the_same_values() {
    let cfg = cfg();
    let env = cfg
        .child_env(&[
            "database_url",
            "backup_key",
            "db",
            "llm_temperature",
            "allowed_hosts",
            "data_dir",
            "verbose",
            "openai_api_key",
        ])
        .unwrap();
    // Declaration order, primary names (not the alias that set it), unset optionals out.
    assert_eq!(
        env.names().collect::<Vec<_>>(),
        [
            "APP_OPENAI_API_KEY",
            "DATABASE_URL",
            "APP_DB__HOST",
            "APP_DB__PORT",
            "APP_LLM_TEMPERATURE",
            "APP_ALLOWED_HOSTS",
            "APP_DATA_DIR",
            "APP_VERBOSE",
        ]
    );
    assert_eq!(env.get("DATABASE_URL"), Some(DB_URL));
    assert_eq!(
        env.get("APP_ALLOWED_HOSTS"),
        Some(r#"["a.example","b.example"]"#)
    );
    assert_eq!(env.get("APP_DATA_DIR"), Some("/var/lib/app"));
    assert_eq!(env.get("APP_VERBOSE"), Some("true"));

    // A child loading the same struct from these variables gets the same settings.
    let child = Config::loader()
        .env_vars(env.iter())
        .env_vars([("APP_SERPER_API_KEY", "other")])
        .no_dotenv()
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(child.database_url.expose_secret(), DB_URL);
    assert_eq!(child.db.host, "db.internal");
    assert_eq!(child.allowed_hosts, ["a.example", "b.example"]);
    assert_eq!(child.data_dir, cfg.data_dir);
    assert_eq!(child.llm_temperature, 0.2);
    assert!(child.verbose);
    assert!(child.backup_key.is_none());
}

#[test]
fn unknown_fields_are_problems() {
    let err = cfg()
        .child_env(&["openai_api_key", "db.nope", "d"])
        .unwrap_err();
    let fields: Vec<&str> = err.problems().iter().map(|p| p.field()).collect();
    assert_eq!(fields, ["db.nope", "d"]);
    assert!(
        err.problems()
            .iter()
            .all(|p| p.kind() == ProblemKind::Unknown)
    );
    assert!(err.to_string().contains("db.nope"), "{err}");
}

#[test]
fn debug_shows_names_never_values() {
    let env = cfg()
        .child_env(&["openai_api_key", "serper_api_key", "database_url"])
        .unwrap();
    let debug = format!("{env:?} {env:#?}");
    assert!(debug.starts_with(
        r#"ChildEnv { names: ["APP_OPENAI_API_KEY", "APP_SERPER_API_KEY", "DATABASE_URL"], .. }"#
    ));
    for canary in [OPENAI, SERPER, DB_URL, "db-canary-pw"] {
        assert!(!debug.contains(canary), "{debug}");
    }
}

#[test]
fn the_workers_example_gives_each_worker_its_own_key() {
    // `cargo test` builds the examples next to the test binaries' `deps` directory.
    let exe = std::env::current_exe().unwrap();
    let example = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .join("examples")
        .join(format!("workers{}", std::env::consts::EXE_SUFFIX));
    if !example.exists() {
        // Not built when only this test target was asked for: build it.
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "-p",
                "confidant-examples",
                "--example",
                "workers",
            ])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let output = Command::new(&example).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("model worker sees: APP_LLM_TEMPERATURE, APP_OPENAI_API_KEY\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("search worker sees: APP_SERPER_API_KEY\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("sk-example"), "{stdout}");
}
