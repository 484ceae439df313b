//! Flags from the settings struct (feature `clap`): every plain setting is a flag, a
//! secret only `--<name>-file PATH`; only the flags passed take part, above the
//! environment.
//!
//! ```sh
//! cargo run --example flags --features clap -- --log-level debug --workers 8 \
//!     --api-key-file examples/flags/api_key
//! cargo run --example flags --features clap -- --help
//! ```

use clap::Parser;
use confidant::{ExposeSecret, Secret, Settings};

/// The settings; the same struct gives the environment variables and the flags.
#[derive(Debug, Settings)]
#[settings(prefix = "FLAGS_EXAMPLE_")]
struct Config {
    /// Log filter.
    #[settings(default = "info")]
    log_level: String,
    /// Worker threads.
    #[settings(default = 4)]
    workers: u16,
    /// Key for the model provider: from `--api-key-file`, never a flag of its own.
    api_key: Secret<String>,
}

/// The program's own flags, with the settings' flags flattened in.
#[derive(Parser)]
#[command(name = "flags", about = "confidant's flags example")]
struct Cli {
    /// Print the settings' origins and exit.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    settings: confidant::cli::Flags<Config>,
}

fn main() {
    let cli = Cli::parse();
    let loader = cli.settings.loader().no_dotenv().no_secrets_dir();
    if cli.explain {
        match loader.explain() {
            Ok(explain) => println!("{explain}"),
            Err(err) => eprintln!("{err}"),
        }
        return;
    }
    let cfg = match loader.load() {
        Ok(cfg) => cfg,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(confidant::EXIT_CONFIG);
        }
    };
    println!(
        "log_level={} workers={} api_key={}",
        cfg.log_level,
        cfg.workers,
        cfg.api_key.fingerprint()
    );
    // The key is used, never printed.
    let _client_key: &str = cfg.api_key.expose_secret();
}
