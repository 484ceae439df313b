//! `Settings::env_example` and `testing::assert_env_example`.

use std::panic;

use confidant::{Secret, Settings};

/// The example settings of SPEC.md.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "/run/secrets")]
#[allow(dead_code)] // reason: only the description is rendered
struct Config {
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    llm_temperature: f64,

    /// Key for the model provider.
    #[settings(fake = "sk-canary-fake-7f3a9c1e")]
    openai_api_key: Secret<String>,

    /// Exact name, no prefix; `alias` adds fallback names.
    #[settings(env = "DATABASE_URL", alias = "DB_URL")]
    database_url: Secret<String>,

    serper_api_key: Option<Secret<String>>,

    /// The database.
    #[settings(nested)]
    db: Db,

    #[settings(default = "INFO")]
    log_level: String,

    /// Greeting shown on the home page.
    ///
    /// Any text.
    #[settings(default = "hello, world #1")]
    greeting: String,

    #[settings(default)]
    allowed_hosts: Vec<String>,

    #[settings(default = u32::MAX)]
    timeout_secs: u64,

    /// Seconds between retries.
    retry_secs: Option<u32>,
}

#[derive(Debug, Settings)]
#[allow(dead_code)] // reason: only the description is rendered
struct Db {
    #[settings(default = "localhost")]
    host: String,
    /// Port of the database server.
    #[settings(default = 5432)]
    port: u16,
    password: Secret<String>,
}

const GOLDEN: &str = "tests/golden/config.env.example";

#[test]
fn matches_the_golden_file() {
    // `CONFIDANT_BLESS=1 cargo test` rewrites it; then review the diff.
    confidant::testing::assert_env_example::<Config>(GOLDEN);
    let golden = std::fs::read_to_string(GOLDEN).unwrap();
    assert_eq!(Config::env_example(), golden);
}

#[test]
fn blocks_follow_declaration_order_with_nested_flattened() {
    let example = Config::env_example();
    let names: Vec<&str> = example
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('=').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "APP_LLM_TEMPERATURE",
            "APP_OPENAI_API_KEY",
            "DATABASE_URL",
            "APP_SERPER_API_KEY",
            "APP_DB__HOST",
            "APP_DB__PORT",
            "APP_DB__PASSWORD",
            "APP_LOG_LEVEL",
            "APP_GREETING",
            "APP_ALLOWED_HOSTS",
            "APP_TIMEOUT_SECS",
            "APP_RETRY_SECS",
        ]
    );
}

#[test]
fn markers_say_required_optional_default_and_secret() {
    let example = Config::env_example();
    assert!(example.contains(
        "# Key for the model provider.\n# required\n\
         # secret; or put it in a file named openai_api_key in the secrets directory (/run/secrets), \
         or set APP_OPENAI_API_KEY_FILE\nAPP_OPENAI_API_KEY=\n"
    ));
    assert!(example.contains("# also read from: DB_URL\nDATABASE_URL=\n"));
    assert!(example.contains("# optional\n# secret; or put it in a file named serper_api_key"));
    assert!(example.contains("# default: 5432\nAPP_DB__PORT=5432\n"));
    assert!(example.contains("file named db__password in"));
    // Code defaults are shown, not filled in; odd text is quoted so it reads back.
    assert!(example.contains("APP_TIMEOUT_SECS=\n"));
    assert!(example.contains("APP_GREETING='hello, world #1'\n"));
    assert!(example.contains("# default: Vec<String>::default()\nAPP_ALLOWED_HOSTS=\n"));
}

#[test]
fn the_example_loads_back_as_the_defaults() {
    // A `.env` copied from the example, with the required secrets filled in, loads, and
    // every filled-in default reads back as the default.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let filled = Config::env_example()
        .replace("APP_OPENAI_API_KEY=\n", "APP_OPENAI_API_KEY=k\n")
        .replace("DATABASE_URL=\n", "DATABASE_URL=u\n")
        .replace("APP_DB__PASSWORD=\n", "APP_DB__PASSWORD=p\n");
    std::fs::write(&path, filled).unwrap();
    let cfg = Config::loader()
        .env_vars::<_, &str, &str>([])
        .dotenv(&path)
        .no_secrets_dir()
        .load()
        .unwrap();
    assert_eq!(cfg.greeting, "hello, world #1");
    assert_eq!(cfg.db.port, 5432);
    assert_eq!(cfg.llm_temperature, 0.2);
    assert!(cfg.allowed_hosts.is_empty());
    assert_eq!(cfg.timeout_secs, u64::from(u32::MAX));
    assert_eq!(cfg.retry_secs, None);
}

#[test]
fn never_shows_a_secret_fake() {
    let example = Config::env_example();
    assert!(!example.contains("canary"), "{example}");
}

#[test]
fn assert_env_example_panics_with_a_diff_and_how_to_regenerate() {
    if std::env::var_os(confidant::testing::BLESS_VAR).is_some() {
        return; // blessing rewrites instead of failing
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env.example");
    let stale = Config::env_example().replace("APP_DB__PORT=5432", "APP_DB__PORT=5433");
    std::fs::write(&path, stale).unwrap();
    let err = panic::catch_unwind(|| confidant::testing::assert_env_example::<Config>(&path))
        .unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("is out of date with `Config`"),
        "{message}"
    );
    assert!(
        message.contains("- APP_DB__PORT=5433\n+ APP_DB__PORT=5432\n"),
        "{message}"
    );
    assert!(
        message.contains("CONFIDANT_BLESS=1 cargo test"),
        "{message}"
    );

    let missing = dir.path().join("missing.env.example");
    let err = panic::catch_unwind(|| confidant::testing::assert_env_example::<Config>(&missing))
        .unwrap_err();
    let message = err.downcast_ref::<String>().unwrap();
    assert!(message.contains("cannot be read"), "{message}");
}
