//! Flags from the struct, as SPEC.md "Flags from the struct" describes them:
//! `confidant::cli::Flags<S>` is a `clap::Args`; every plain setting is a flag named from
//! its dotted path (a `bool` also `--no-<name>`), help with doc, env var and default; a
//! secret is only `--<name>-file PATH`, read like `NAME_FILE`; only passed flags take
//! part, above the environment and below `set`; origin `command line (--db-port)`.
//!
//! The `--help` test runs this test binary again as a child (`child_prints_help`,
//! `#[ignore]`d, run with `--ignored --exact`) with canaries in its environment, its
//! `.env` and its secrets directory, and asserts none is in the help.

#![cfg(feature = "clap")]

mod common;

use std::path::Path;
use std::process::Command as Process;

use clap::{CommandFactory, Parser, Subcommand};
use confidant::cli::{ConfigArgs, Flags};
use confidant::{ExposeSecret, Origin, Secret, Settings};

/// Settings of a service.
#[derive(Debug, Settings)]
#[settings(prefix = "APP_", secrets_dir = "secrets")]
struct Config {
    /// Log filter.
    #[settings(default = "info")]
    log_level: String,
    /// Serve requests.
    #[settings(default = true)]
    serve: bool,
    /// Key for the model provider.
    api_key: Secret<String>,
    #[settings(nested)]
    db: Db,
}

#[derive(Debug, Settings)]
struct Db {
    /// The database port.
    #[settings(default = 5432)]
    port: u16,
    /// The database password.
    password: Option<Secret<String>>,
}

#[derive(Parser, Debug)]
#[command(name = "svc")]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(flatten)]
    settings: Flags<Config>,
    /// The program's own flag.
    #[arg(long)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run a migration.
    Migrate {
        #[arg(long)]
        dry_run: bool,
    },
}

const API_KEY: &str = "sk-live-flags-canary-0123456789";
const ENV_CANARY: &str = "canary-env-flags-6a1f0c";
const DOTENV_CANARY: &str = "canary-dotenv-flags-2b7e91";
const FILE_CANARY: &str = "canary-file-flags-93d4aa";

fn parse(args: &[&str]) -> Cli {
    Cli::try_parse_from(std::iter::once("svc").chain(args.iter().copied())).unwrap()
}

fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = vec![("APP_API_KEY".to_owned(), API_KEY.to_owned())];
    all.extend(vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    all
}

/// `svc --db-password-file PATH`.
fn parse_password_file(path: &Path) -> Cli {
    Cli::try_parse_from([
        "svc".as_ref(),
        "--db-password-file".as_ref(),
        path.as_os_str(),
    ])
    .unwrap()
}

/// The loader of `cli`'s flags, with `APP_API_KEY` and `vars` as its environment, no
/// `.env` file and no secrets directory.
fn loader(cli: &Cli, vars: &[(&str, &str)]) -> confidant::Loader<Config> {
    cli.settings
        .loader()
        .env_vars(env(vars))
        .no_dotenv()
        .no_secrets_dir()
}

fn load(cli: &Cli, vars: &[(&str, &str)]) -> Result<Config, confidant::Error> {
    loader(cli, vars).load()
}

#[test]
fn no_secret_flag_takes_a_value_besides_its_file() {
    let cmd = Cli::command();
    let longs: Vec<(String, bool)> = cmd
        .get_arguments()
        .filter_map(|arg| {
            let takes = arg.get_action().takes_values();
            arg.get_long().map(|l| (l.to_owned(), takes))
        })
        .collect();
    let has = |name: &str| longs.iter().any(|(l, _)| l == name);
    for plain in ["log-level", "serve", "no-serve", "db-port"] {
        assert!(has(plain), "{plain} in {longs:?}");
    }
    for secret in ["api-key", "db-password"] {
        // No flag of a secret's name, nor any spelling of it, but its `-file`.
        for (long, takes) in &longs {
            if long.contains(secret) {
                assert_eq!(long, &format!("{secret}-file"), "{longs:?}");
                assert!(takes);
            }
        }
        assert!(has(&format!("{secret}-file")));
    }
    // Every flag that takes a value and is not a `-file` is a plain setting's.
    let plain_values = ["log-level", "db-port", "print-config"];
    for (long, takes) in &longs {
        if *takes && !long.ends_with("-file") {
            assert!(plain_values.contains(&long.as_str()), "{long}");
        }
    }
    // The `-file` flags take a PATH.
    let file = cmd
        .get_arguments()
        .find(|a| a.get_long() == Some("api-key-file"))
        .unwrap();
    assert_eq!(
        file.get_value_names()
            .unwrap()
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>(),
        ["PATH"]
    );
}

#[test]
fn passed_flags_win_over_the_environment_and_lose_to_set() {
    let cli = parse(&["--db-port", "6000", "--log-level=debug"]);
    let cfg = load(&cli, &[("APP_DB__PORT", "7000"), ("APP_LOG_LEVEL", "warn")]).unwrap();
    assert_eq!(cfg.db.port, 6000);
    assert_eq!(cfg.log_level, "debug");

    let cfg = loader(&cli, &[]).set("db.port", "6500").load().unwrap();
    assert_eq!(cfg.db.port, 6500);
}

#[test]
fn flags_not_passed_take_no_part() {
    let cli = parse(&[]);
    let cfg = load(&cli, &[("APP_DB__PORT", "7000"), ("APP_SERVE", "false")]).unwrap();
    assert_eq!(cfg.db.port, 7000, "the environment, not the flag's absence");
    assert!(!cfg.serve);
    assert_eq!(cfg.log_level, "info");
    assert_eq!(format!("{:?}", cli.settings), "Flags { given: [] }");
}

#[test]
fn a_bool_has_a_flag_and_a_no_flag_and_the_last_wins() {
    let cfg = load(&parse(&["--no-serve"]), &[("APP_SERVE", "true")]).unwrap();
    assert!(!cfg.serve);
    let cfg = load(&parse(&["--serve"]), &[("APP_SERVE", "false")]).unwrap();
    assert!(cfg.serve);
    let cfg = load(&parse(&["--serve", "--no-serve"]), &[]).unwrap();
    assert!(!cfg.serve);
    let cfg = load(&parse(&["--no-serve", "--serve"]), &[]).unwrap();
    assert!(cfg.serve);
}

#[test]
fn a_secret_is_read_from_the_file_its_flag_names() {
    let dir = common::tempdir();
    let path = common::write(dir.path(), "db-password", &format!("{FILE_CANARY}\n"));
    let cli = parse_password_file(&path);
    assert!(!format!("{cli:?}").contains(FILE_CANARY));
    let cfg = load(&cli, &[("APP_DB__PASSWORD", ENV_CANARY)]).unwrap();
    assert_eq!(
        cfg.db.password.as_ref().unwrap().expose_secret(),
        FILE_CANARY,
        "trimmed like NAME_FILE, above the environment"
    );
}

#[test]
fn the_origin_is_the_command_line_flag() {
    let cli = parse(&["--db-port", "6000", "--no-serve"]);
    let explain = loader(&cli, &[]).explain().unwrap();
    let origin = |setting| common::origin_of(&explain, setting);
    assert_eq!(
        origin("db.port"),
        &Origin::CommandLine {
            flag: "--db-port".into()
        }
    );
    assert_eq!(origin("serve").to_string(), "command line (--no-serve)");
    assert!(explain.to_string().contains("command line (--db-port)"));
}

#[test]
fn a_bad_flag_value_is_a_problem_naming_the_flag() {
    let cli = parse(&["--db-port", "not-a-port"]);
    let err = load(&cli, &[]).unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(
        problem.origin().map(ToString::to_string).as_deref(),
        Some("command line (--db-port)")
    );
    assert!(err.to_string().contains("--db-port"), "{err}");
}

#[test]
fn a_secret_file_flag_naming_no_file_is_a_problem_that_hides_it() {
    let cli = parse(&["--api-key-file", API_KEY]);
    let err = cli
        .settings
        .loader()
        .env_vars(Vec::<(String, String)>::new())
        .no_dotenv()
        .no_secrets_dir()
        .load()
        .unwrap_err();
    let text = format!("{err}\n{err:?}");
    assert!(text.contains("--api-key-file"), "{text}");
    assert!(!text.contains(API_KEY), "{text}");
}

#[test]
fn works_beside_startup_flags_own_flags_and_subcommands() {
    let cli = parse(&["--verbose", "--db-port", "6001", "migrate", "--dry-run"]);
    assert!(cli.verbose);
    assert!(matches!(cli.command, Some(Cmd::Migrate { dry_run: true })));
    assert!(!cli.config.check_config);
    assert_eq!(load(&cli, &[]).unwrap().db.port, 6001);
    let cli = parse(&["--check-config"]);
    assert!(cli.config.check_config);
}

#[test]
fn help_names_doc_env_var_and_default() {
    let help = Cli::command().render_long_help().to_string();
    assert!(help.contains("--db-port <VALUE>"), "{help}");
    assert!(
        help.contains("The database port. [env: APP_DB__PORT] [default: 5432]"),
        "{help}"
    );
    // A text default (`default = "info"`) shows as a literal one does.
    assert!(
        help.contains("Log filter. [env: APP_LOG_LEVEL] [default: info]"),
        "{help}"
    );
    assert!(help.contains("--api-key-file <PATH>"), "{help}");
    assert!(
        help.contains("[env: APP_API_KEY, APP_API_KEY_FILE]"),
        "{help}"
    );
    assert!(help.contains("--no-serve"), "{help}");
}

/// Run by `help_shows_no_value_from_env_dotenv_or_secret_files` in a child process.
#[test]
#[ignore = "a child process entry point"]
fn child_prints_help() {
    let err = Cli::try_parse_from(["svc", "--help"]).unwrap_err();
    println!("HELP-START\n{err}\nHELP-END");
}

#[test]
fn help_shows_no_value_from_env_dotenv_or_secret_files() {
    let dir = common::tempdir();
    common::write(
        dir.path(),
        ".env",
        &format!("APP_LOG_LEVEL={DOTENV_CANARY}\nAPP_DB__PASSWORD={DOTENV_CANARY}\n"),
    );
    common::write(dir.path(), "secrets/api_key", FILE_CANARY);
    let key_file = common::write(dir.path(), "key", FILE_CANARY);
    let out = Process::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_prints_help", "--nocapture"])
        .current_dir(dir.path())
        .env("APP_API_KEY", ENV_CANARY)
        .env("APP_DB__PORT", ENV_CANARY)
        .env("APP_DB__PASSWORD_FILE", &key_file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let help = stdout
        .split("HELP-START")
        .nth(1)
        .and_then(|s| s.split("HELP-END").next())
        .expect("the child printed the help");
    assert!(help.contains("--db-port"), "{help}");
    for canary in [API_KEY, ENV_CANARY, DOTENV_CANARY, FILE_CANARY] {
        assert!(!help.contains(canary), "{canary} in {help}");
    }
    assert!(!stdout.contains(ENV_CANARY) && !stdout.contains(FILE_CANARY));
}

#[test]
fn explain_of_a_secret_file_flag_shows_the_file_and_no_value() {
    let dir = common::tempdir();
    let path = common::write(dir.path(), "db-password", FILE_CANARY);
    let explain = loader(&parse_password_file(&path), &[]).explain().unwrap();
    assert_eq!(
        common::origin_of(&explain, "db.password"),
        &Origin::NameFile {
            path: path.clone(),
            var: "--db-password-file".into()
        }
    );
    let shown = format!("{explain}\n{explain:?}\n{}", explain.to_json());
    assert!(!shown.contains(FILE_CANARY), "{shown}");
    assert!(!shown.contains(API_KEY), "{shown}");
}
