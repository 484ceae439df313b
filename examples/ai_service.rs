//! A new AI service's settings, as a newcomer writes them (issue 24): an LLM key, a
//! vector database's key and URL, a database URL, a nested `db`, keys accepted during a
//! rotation overlap, one key per provider, a log level enum, a timeout, a TOML config
//! file, rules, `--check-config`, a fixture test and a child process's environment.
//!
//! ```sh
//! cargo run --example ai_service --features ai_service
//! SVC_DB__POOL_SIZE=32 cargo run --example ai_service --features ai_service  # env beats myapp.toml
//! SVC_LOG_LEVEL=loud cargo run --example ai_service --features ai_service    # the report, exit 78
//! cargo run --example ai_service --features ai_service -- --check-config --strict
//! cargo run --example ai_service --features ai_service -- --print-config
//! cargo test --example ai_service --features ai_service    # the fixture and file tests below
//! CONFIDANT_BLESS=1 cargo test --example ai_service --features ai_service  # rewrite the schema
//!                                                   # and .env.example
//! ```
//!
//! (The feature `ai_service` of the examples package turns on confidant's `toml` and
//! serde's derive for the enum.)
//!
//! Layers used here, lowest to highest:
//! - defaults: `port = "8080"` (text, parsed as a `u16`), `llm_timeout = "30s"`,
//!   `log_level = "info"` (text, parsed by the enum's serde), `db.*`;
//! - the config file `examples/ai_service/myapp.toml`: `llm_model`, `llm_timeout`,
//!   `vector_db_url`, `[db]`; its first line `#:schema ./myapp.schema.json` lets taplo
//!   (VS Code's Even Better TOML) check and complete its keys against the shipped
//!   `myapp.schema.json`, which `Config::json_schema()` wrote (the test `schema_is_fresh`
//!   keeps it so). Unknown keys and wrong types are flagged; the settings the file leaves
//!   to other layers (the keys) are not: the schema marks a required setting
//!   `x-required` but requires nothing of a file;
//! - the secrets directory `examples/ai_service/secrets`: `vector_db_api_key`,
//!   `accepted_keys` (`k1,k2`) and `provider_keys` (a JSON object): keys stay out of the
//!   committed TOML file;
//! - `examples/ai_service/.env` (the committed `.env.example` beside it is generated, kept
//!   fresh by the test `env_example_is_fresh`): `SVC_LLM_API_KEY`, `DATABASE_URL`, `SVC_LOG_LEVEL=warn`,
//!   and `SVC_WAIT`, a variable the service reads itself (`ignore_env`: no warning, and
//!   `--check-config --strict` passes);
//! - the process environment: whatever you set when running it.
//!
//! Every key in these files is fake.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use confidant::{Error, Explain, ExposeSecret, Loader, Secret, Settings};

/// Settings of the AI service.
#[derive(Debug, Settings)]
#[settings(
    prefix = "SVC_",
    secrets_dir = "/run/secrets",
    config_file = "myapp.toml",
    ignore_env = "SVC_WAIT"
)]
pub struct Config {
    /// Port the HTTP API listens on.
    #[settings(default = "8080")]
    pub port: u16,

    /// Key for the LLM provider.
    #[settings(fake = "sk-test-0000000000000000000000")]
    #[validate(length(min = 20))]
    pub llm_api_key: Secret<String>,

    /// Model to ask.
    #[settings(default = "gpt-4o-mini")]
    pub llm_model: String,

    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    #[validate(range(min = 0.0, max = 2.0))]
    pub llm_temperature: f64,

    /// How long one model request may take (`30s`, `1m 30s`, or seconds).
    #[settings(default = "30s")]
    pub llm_timeout: Duration,

    /// The vector database's URL.
    // Required (no default): a fixture gives it this `fake`, as it does secrets.
    #[settings(fake = "http://localhost:6333")]
    pub vector_db_url: String,

    /// Key for the vector database.
    pub vector_db_api_key: Secret<String>,

    /// The primary database, password included (the name sqlx and diesel read).
    #[settings(env = "DATABASE_URL")]
    pub database_url: Secret<String>,

    /// The read replica.
    #[settings(nested)]
    pub db: Db,

    /// Keys clients may present: during a rotation overlap, the old and the new
    /// (`k1,k2` or a JSON array).
    pub accepted_keys: Vec<Secret<String>>,

    /// One key per model provider, as a JSON object (`{"anthropic": "..."}`).
    pub provider_keys: HashMap<String, Secret<String>>,

    /// Log level: `debug`, `info`, `warn` or `error`.
    #[settings(default = "info")]
    pub log_level: LogLevel,
}

/// The read replica's connection pool.
#[derive(Debug, Settings)]
pub struct Db {
    /// Host name.
    #[settings(default = "localhost")]
    pub host: String,
    /// Port.
    #[settings(default = 5432)]
    pub port: u16,
    /// Connections in the pool.
    #[settings(default = 8)]
    #[validate(range(min = 1, max = 64))]
    pub pool_size: u32,
}

/// A log level, as the service's logger takes it. Settings text is the bare word
/// (`SVC_LOG_LEVEL=warn`); `Serialize` gives it a text form for `child_env`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Everything.
    Debug,
    /// The usual.
    Info,
    /// Only what needs a look.
    Warn,
    /// Only failures.
    Error,
}

/// The example's files: `examples/ai_service/` (the examples package is `examples/`).
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ai_service");

/// The settings of the files shipped beside this example. A service would use
/// `Config::loader()`: `myapp.toml` and `.env` found from the working directory, the
/// secrets in `/run/secrets`.
fn loader() -> Loader<Config> {
    Config::loader()
        .config_file(format!("{DIR}/myapp.toml"))
        .secrets_dir(format!("{DIR}/secrets"))
        .dotenv(format!("{DIR}/.env"))
}

/// The settings a worker process (one that only calls the model) is started with.
const WORKER_FIELDS: &[&str] = &[
    "llm_api_key",
    "llm_model",
    "llm_timeout",
    "log_level",
    "provider_keys",
];

/// What the example prints: the settings (`Debug` redacts every secret), the
/// environment a worker would get (its secrets redacted), and where each value came
/// from (secrets as fingerprints).
fn show(cfg: &Config, explain: &Explain) -> Result<String, Error> {
    let mut out = String::new();
    let _ = writeln!(out, "{cfg:#?}\n");

    // `Command::new("worker").env_clear().envs(&env)` would hand these over; here they
    // are printed, each value through the settings' redactor.
    let env = cfg.child_env(WORKER_FIELDS)?;
    let redactor = cfg.redactor();
    let _ = writeln!(out, "a worker would get:");
    for (name, value) in &env {
        let _ = writeln!(out, "  {name}={}", redactor.redact(value));
    }

    let _ = writeln!(out, "\n{explain}");
    Ok(out)
}

fn main() {
    // The startup flags (`--check-config [--strict]`, `--print-config`, ...) print and
    // exit; without them this loads, or prints the report and exits with status 78.
    let cfg = confidant::cli::run_loader(loader());

    let explain = match loader().explain() {
        Ok(explain) => explain,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(confidant::EXIT_CONFIG);
        }
    };
    match show(&cfg, &explain) {
        Ok(text) => print!("{text}"),
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }

    // Secrets are read only where they are used.
    let accepted = |presented: &str| {
        cfg.accepted_keys
            .iter()
            .any(|key| key.expose_secret() == presented)
    };
    println!(
        "a client presenting the old key during the overlap is accepted: {}",
        accepted("fake-client-key-2026-01-0000")
    );
}

/// The tests a user of these settings writes: `cargo test --example ai_service
/// --features ai_service` (CI runs them with `cargo test --workspace --all-targets`).
#[cfg(test)]
mod tests {
    use super::*;
    use confidant::cli::{Outcome, run_with};
    use confidant::{EXIT_CONFIG, Origin};

    /// The secret texts the shipped files hold (a missing one fails `no_secret_is_printed`).
    const SHIPPED_SECRETS: &[&str] = &[
        "sk-fake-llm-0000000000000000000000",
        "fake-db-password-0000",
        "fake-vector-db-key-0000000000",
        "fake-client-key-2026-01-0000",
        "fake-client-key-2026-02-0000",
        "fake-anthropic-key-0000000000",
        "fake-mistral-key-0000000000",
    ];

    /// The shipped files with an environment of our choosing (the process environment
    /// is not read).
    fn shipped(env: &[(&str, &str)]) -> Loader<Config> {
        loader().env_vars(env.iter().copied())
    }

    #[test]
    fn fixture_loads_with_every_default_parsed() {
        let cfg = Config::fixture().load().expect("the fixture loads");
        assert_eq!(cfg.port, 8080);
        assert_eq!(cfg.llm_timeout, Duration::from_secs(30));
        assert_eq!(cfg.log_level, LogLevel::Info);
        assert_eq!(cfg.db.pool_size, 8);
        assert_eq!(
            cfg.llm_api_key.expose_secret(),
            "sk-test-0000000000000000000000"
        );
        // Lists and maps of secrets get a placeholder of their shape.
        assert_eq!(cfg.accepted_keys.len(), 1);
        assert_eq!(cfg.provider_keys.len(), 1);
        // A test overrides what it needs, as settings text.
        let cfg = Config::fixture()
            .set("llm_timeout", "1m 30s")
            .set("log_level", "debug")
            .load()
            .expect("the fixture loads");
        assert_eq!(cfg.llm_timeout, Duration::from_secs(90));
        assert_eq!(cfg.log_level, LogLevel::Debug);
    }

    #[test]
    fn a_rule_fails_the_fixture() {
        let err = Config::fixture()
            .set("db.pool_size", "0")
            .load()
            .expect_err("a pool of 0 breaks the range rule");
        let report = err.to_string();
        assert!(report.contains("SVC_DB__POOL_SIZE"), "{report}");
        assert!(report.contains("must be between 1 and 64"), "{report}");
    }

    #[test]
    fn shipped_files_load_each_layer() {
        let cfg = shipped(&[]).load().expect("the shipped files load");
        assert_eq!(cfg.port, 8080); // the "8080" default
        assert_eq!(cfg.llm_model, "gpt-4o"); // myapp.toml
        assert_eq!(cfg.llm_timeout, Duration::from_secs(45)); // myapp.toml, "45s"
        assert_eq!(
            (cfg.db.host.as_str(), cfg.db.port),
            ("replica.internal", 5433)
        );
        assert_eq!(cfg.log_level, LogLevel::Warn); // .env, bare text
        assert_eq!(cfg.accepted_keys.len(), 2); // secrets/accepted_keys, `k1,k2`
        assert_eq!(
            cfg.provider_keys["mistral"].expose_secret(),
            "fake-mistral-key-0000000000"
        );
        // The environment beats the files: a number over myapp.toml, a JSON object of
        // keys over the secrets directory.
        let cfg = shipped(&[
            ("SVC_DB__POOL_SIZE", "32"),
            (
                "SVC_PROVIDER_KEYS",
                r#"{"cohere": "fake-cohere-key-0000000000"}"#,
            ),
        ])
        .load()
        .unwrap();
        assert_eq!(cfg.db.pool_size, 32);
        let providers: Vec<&String> = cfg.provider_keys.keys().collect();
        assert_eq!(providers, ["cohere"]);
    }

    #[test]
    fn explain_names_the_config_file_line() {
        let explain = shipped(&[]).explain().expect("the shipped files load");
        let origin = |setting: &str| {
            explain
                .rows()
                .iter()
                .find(|row| row.setting() == setting)
                .map(|row| row.origin().clone())
                .unwrap_or_else(|| panic!("no row for {setting}"))
        };
        match origin("db.port") {
            Origin::ConfigFile { path, line, key } => {
                assert!(path.ends_with("myapp.toml"), "{}", path.display());
                assert_eq!((line, key.as_str()), (12, "db.port"));
            }
            other => panic!("db.port came from {other:?}"),
        }
        assert!(matches!(
            origin("log_level"),
            Origin::Dotenv { line: 6, .. }
        ));
        assert!(matches!(
            origin("provider_keys"),
            Origin::SecretsFile { .. }
        ));
        assert_eq!(origin("port"), Origin::Default);
    }

    #[test]
    fn check_config_strict_passes_with_the_services_own_variable() {
        let check = |env: &[(&str, &str)]| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let outcome = run_with(
                ["--check-config", "--strict"],
                shipped(env),
                &mut out,
                &mut err,
            );
            let code = match outcome {
                Outcome::Exit(code) => code,
                Outcome::Run(_) => panic!("--check-config exits"),
            };
            (code, String::from_utf8(err).unwrap())
        };
        // SVC_WAIT is in .env and in the environment: declared, so no warning.
        let (code, err) = check(&[("SVC_WAIT", "10")]);
        assert_eq!((code, err.as_str()), (0, ""));
        // A misspelt setting is still a warning, and `--strict` fails on it.
        let (code, err) = check(&[("SVC_LLM_MODLE", "gpt-4o")]);
        assert_eq!(code, EXIT_CONFIG, "{err}");
        assert!(err.contains("did you mean SVC_LLM_MODEL?"), "{err}");
    }

    #[test]
    fn no_secret_is_printed() {
        let cfg = shipped(&[]).load().unwrap();
        let explain = shipped(&[]).explain().unwrap();
        // The secrets are loaded, so their absence below means something.
        assert_eq!(
            cfg.accepted_keys[0].expose_secret(),
            "fake-client-key-2026-01-0000"
        );
        let text = show(&cfg, &explain).expect("the worker's fields have a text form");
        assert!(text.contains("SVC_LLM_TIMEOUT=45s"), "{text}");
        assert!(text.contains("SVC_LOG_LEVEL=warn"), "{text}");
        assert!(text.contains("SVC_LLM_API_KEY=[REDACTED]"), "{text}");
        for secret in SHIPPED_SECRETS {
            assert!(!text.contains(secret), "{secret} printed:\n{text}");
        }
    }

    #[test]
    fn no_secret_is_printed_by_the_startup_flags() {
        // A key that breaks its rule (shorter than 20) is reported, never shown.
        let short_key = "sk-short-c4n4ry";
        for (args, env) in [
            (&["--print-config"][..], &[][..]),
            (&["--print-config=json"][..], &[][..]),
            (
                &["--check-config"][..],
                &[("SVC_LLM_API_KEY", short_key)][..],
            ),
            (
                &["--print-config"][..],
                &[("SVC_LLM_API_KEY", short_key)][..],
            ),
        ] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let outcome = run_with(args.iter().copied(), shipped(env), &mut out, &mut err);
            assert!(matches!(outcome, Outcome::Exit(_)), "{args:?} exits");
            let text = String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap();
            if env.is_empty() {
                assert!(text.contains("myapp.toml:12"), "{args:?}:\n{text}");
            } else {
                assert!(text.contains("at least 20 characters"), "{args:?}:\n{text}");
                assert!(!text.contains(short_key), "{args:?}:\n{text}");
            }
            for secret in SHIPPED_SECRETS {
                assert!(!text.contains(secret), "{args:?} printed {secret}:\n{text}");
            }
        }
    }

    #[test]
    fn env_example_is_fresh() {
        // The file to commit instead of `.env`: every variable, its doc and default.
        confidant::testing::assert_env_example::<Config>(format!("{DIR}/.env.example"));
    }

    #[test]
    fn schema_is_fresh() {
        let path = format!("{DIR}/myapp.schema.json");
        let now = Config::json_schema();
        if std::env::var_os("CONFIDANT_BLESS").is_some() {
            std::fs::write(&path, &now).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some((n, (old, new))) = committed
            .lines()
            .chain(std::iter::repeat(""))
            .zip(now.lines().chain(std::iter::repeat("")))
            .take(committed.lines().count().max(now.lines().count()))
            .enumerate()
            .find(|(_, (old, new))| old != new)
        {
            panic!(
                "{path} is stale: line {}\n- {old}\n+ {new}\nrewrite it with \
                 `CONFIDANT_BLESS=1 cargo test --example ai_service --features ai_service`",
                n + 1
            );
        }
        assert_eq!(committed, now, "{path}: only line endings differ");
    }
}
