//! Two workers, each a child process that gets only the keys it needs.
//!
//! The parent loads all settings, then starts itself twice as a worker: the model
//! worker gets the model key and temperature, the search worker only the search key.
//! Neither inherits anything else from the parent's environment.
//!
//! Run: `cargo run --example workers`

use std::process::Command;

use confidant::{Secret, Settings};

/// All settings of the service (the parent).
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct Config {
    /// Key for the model provider.
    openai_api_key: Secret<String>,
    /// Key for the search provider.
    serper_api_key: Secret<String>,
    /// Sampling temperature sent to the model.
    #[settings(default = 0.2)]
    llm_temperature: f64,
}

/// What the model worker needs: a subset of the same names.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct ModelWorker {
    openai_api_key: Secret<String>,
    llm_temperature: f64,
}

/// What the search worker needs.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_")]
struct SearchWorker {
    serper_api_key: Secret<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("model") => return worker::<ModelWorker>("model"),
        Some("search") => return worker::<SearchWorker>("search"),
        _ => {}
    }

    // In a service: `Config::load_or_exit()`. Here, fixed keys so the example runs as is.
    let cfg = Config::fixture()
        .set("openai_api_key", "sk-example-openai-0001")
        .set("serper_api_key", "sk-example-serper-0002")
        .load()?;

    let me = std::env::current_exe()?;
    for (name, fields) in [
        ("model", &["openai_api_key", "llm_temperature"][..]),
        ("search", &["serper_api_key"][..]),
    ] {
        let env = cfg.child_env(fields)?;
        println!("starting the {name} worker with {env:?}");
        let status = Command::new(&me)
            .arg(name)
            .env_clear()
            .envs(&env)
            .status()?;
        if !status.success() {
            return Err(format!("the {name} worker failed: {status}").into());
        }
    }
    Ok(())
}

/// A worker: loads its own settings from the environment it was given, and reports
/// which variables it can see and where its settings came from (never their values).
fn worker<S: Settings>(name: &str) -> Result<(), Box<dyn std::error::Error>> {
    let explain = S::loader().no_dotenv().no_secrets_dir().explain()?;
    let mut names: Vec<String> = std::env::vars_os()
        .map(|(k, _)| k.to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("{name} worker sees: {}", names.join(", "));
    print!("{explain}");
    Ok(())
}
