//! The quickstart: one settings struct loaded from every layer.
//!
//! ```sh
//! cargo run --example quickstart
//! APP_DB__PORT=6000 cargo run --example quickstart   # the environment wins over .env
//! cargo run --example quickstart -- --check-config    # startup checks: `ok`, or the report
//! cargo run --example quickstart -- --print-config    # where each setting came from
//! cargo run --example quickstart -- --print-config-docs  # also --print-config=json,
//!                                   # --print-env-example, --print-config-schema
//! ```
//!
//! Layers used here, lowest to highest:
//! - defaults: `log_level`, `llm_temperature`, `db.host`, `db.port`;
//! - the config file `examples/quickstart/myapp.toml`: `llm_temperature`, `db.host`,
//!   `db.port` (each value's origin reads `myapp.toml:<line>`);
//! - the secrets directory `examples/quickstart/secrets`: `db/password`, and an
//!   `openai_api_key` that `.env` overrides;
//! - `examples/quickstart/.env`: `log_level`, `allowed_hosts`, `openai_api_key`,
//!   `DATABASE_URL`;
//! - the process environment: whatever you set when running it;
//! - `set`: `llm_temperature` below.

use confidant::{ExposeSecret, Secret, Settings};

/// Settings of a small AI service.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "/run/secrets")]
pub struct Config {
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    pub llm_temperature: f64,

    /// Key for the model provider.
    #[settings(fake = "sk-test-0000000000000000000000")]
    pub openai_api_key: Secret<String>,

    /// Exact name, no prefix; `alias` adds fallback names.
    #[settings(env = "DATABASE_URL", alias = "DB_URL")]
    pub database_url: Secret<String>,

    /// Optional search key.
    pub serper_api_key: Option<Secret<String>>,

    /// The database.
    #[settings(nested)]
    pub db: Db,

    /// Log filter.
    #[settings(default = "INFO")]
    pub log_level: String,

    /// Hosts allowed to call the service.
    #[settings(default)]
    pub allowed_hosts: Vec<String>,
}

/// Database connection.
#[derive(Debug, Settings)]
pub struct Db {
    /// Host name.
    #[settings(default = "localhost")]
    pub host: String,
    /// Port.
    #[settings(default = 5432)]
    pub port: u16,
    /// Password.
    pub password: Secret<String>,
}

fn main() {
    // The examples package is `examples/`.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/quickstart");
    let loader = || {
        Config::loader()
            .config_file(format!("{dir}/myapp.toml"))
            .dotenv(format!("{dir}/.env"))
            .secrets_dir(format!("{dir}/secrets"))
            .set("llm_temperature", "0.7")
    };
    // The startup flags (`--check-config`, `--print-config`, ...) print and exit; without
    // them this loads, or prints the report and exits with status 78.
    // `confidant::cli::run::<Config>()` does the same with the struct's own layers.
    let cfg = confidant::cli::run_loader(loader());

    // Debug output redacts every secret.
    println!("{cfg:#?}\n");

    // Where each value came from; secrets as fingerprints.
    match loader().explain() {
        Ok(explain) => println!("{explain}"),
        Err(err) => eprintln!("{err}"),
    }

    // Secrets are read only where they are used.
    let key = cfg.openai_api_key.expose_secret();
    println!(
        "openai_api_key is {} characters, {}",
        key.len(),
        cfg.openai_api_key.fingerprint()
    );
    println!(
        "it came from .env, which wins over the secrets directory: {}",
        key.starts_with("sk-from-dotenv")
    );
}
