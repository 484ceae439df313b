//! Validation rules and the report `load_or_exit` prints when they fail.
//!
//! Run with `cargo run --example validation --features url`. The settings come from an injected map
//! (no process environment is read), holding several bad values; one is a secret,
//! which the report names but never shows. `load_or_exit` would print the same report
//! to stderr and exit with status 78; this example prints it and exits 0.

use confidant::{ExposeSecret, Secret, Settings, ValidationError};

#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
#[validate(schema(function = tls_needs_cert, skip_on_field_errors = false))]
pub struct Config {
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    #[validate(range(min = 0.0, max = 2.0))]
    pub llm_temperature: f64,

    /// Key for the model provider.
    #[validate(length(min = 20), custom(function = key_prefix))]
    pub openai_api_key: Secret<String>,

    /// Where alerts go.
    #[validate(email)]
    pub alert_email: String,

    /// Public URL of the service.
    #[validate(url(message = "must be an absolute URL, like https://example.com"))]
    pub public_url: String,

    #[settings(default = false)]
    pub tls: bool,
    pub tls_cert: Option<String>,

    #[settings(nested)]
    pub db: Db,
}

#[derive(Debug, Settings)]
pub struct Db {
    #[settings(default = 5432)]
    #[validate(range(min = 1024))]
    pub port: u16,
}

fn key_prefix(key: &Secret<String>) -> Result<(), ValidationError> {
    if key.expose_secret().starts_with("sk-") {
        Ok(())
    } else {
        Err(ValidationError::new("key_prefix").with_message("must start with `sk-`".into()))
    }
}

fn tls_needs_cert(cfg: &Config) -> Result<(), ValidationError> {
    if cfg.tls && cfg.tls_cert.is_none() {
        let mut err =
            ValidationError::new("tls_cert").with_message("is required when APP_TLS is on".into());
        err.add_param("field".into(), &"tls_cert");
        return Err(err);
    }
    Ok(())
}

fn main() {
    let result = Config::loader()
        .env_vars([
            ("APP_LLM_TEMPERATURE", "3.5"),
            ("APP_OPENAI_API_KEY", "canary-do-not-print"),
            ("APP_ALERT_EMAIL", "ops-at-example.com"),
            ("APP_PUBLIC_URL", "example.com/app"),
            ("APP_TLS", "on"),
            ("APP_DB__PORT", "80"),
        ])
        .no_dotenv()
        .no_secrets_dir()
        .load();
    match result {
        Ok(cfg) => println!("loaded: {cfg:?}"),
        Err(err) => {
            // What `load_or_exit` prints to stderr before exiting with status 78.
            println!("{err}");
            assert!(!err.to_string().contains("canary"));
        }
    }
}
